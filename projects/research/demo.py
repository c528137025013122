"""Demo findings: what each demo project's team learned about its own service, the same on every
run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from projects.projects.models import Project
from projects.research import changes
from projects.research.models import ADDRESSED, OPEN, PLANNED, WONT_ADDRESS, Finding


@dataclass(frozen=True)
class DemoFinding:
    title: str
    insight: str
    method: str
    severity: str
    recommendation: str
    tags: tuple[str, ...]
    items: tuple[str, ...]  # checklist items it is evidence for (their plays are linked too)
    status: str = OPEN
    status_reason: str = ""
    participants: int | None = None
    user_groups: str = ""
    confidence: int = 1
    days_in: int = 30  # days after the project started


FINDINGS: dict[str, list[DemoFinding]] = {
    "building-permits": [
        DemoFinding(
            "Homeowners cannot tell whether their project needs a permit",
            "7 of 10 homeowners started an application for work that needs none (a fence under "
            "4 feet, replacing a water heater like for like). They read *all construction* on "
            "the start page literally.",
            "usability_testing",
            "high",
            'Start with a short "Do I need a permit?" check that lists common projects with '
            "pictures.",
            ("start page", "eligibility"),
            ("p01.c3", "p03.c6"),
            ADDRESSED,
            participants=10,
            user_groups="homeowners, P1 to P10",
            confidence=3,
            days_in=120,
        ),
        DemoFinding(
            "Site plans are rejected for the wrong scale",
            "Of 1,200 applications returned last year, 41% lacked a site plan or used a scale "
            "reviewers cannot measure. Applicants learn this at the counter, after a wait.",
            "analytics_review",
            "critical",
            "Check the uploaded plan's scale and pages before submission, and show an example "
            "of an accepted plan.",
            ("plans", "rejections"),
            ("p02.c2", "p03.c3"),
            OPEN,
            participants=1200,
            user_groups="all applicants, 2024 and 2025",
            confidence=2,
            days_in=60,
        ),
        DemoFinding(
            "Contractors book inspections by calling the district office",
            "Contractors keep a list of inspectors' direct lines. Without a view of free slots "
            "they call every morning; a missed inspection costs a crew day.",
            "contextual_inquiry",
            "high",
            "Let contractors see and book open inspection slots, and get a text the day before.",
            ("inspections", "contractors"),
            ("p02.c1", "p02.c3"),
            PLANNED,
            participants=8,
            user_groups="licensed contractors, C1 to C8",
            confidence=4,
            days_in=75,
        ),
        DemoFinding(
            "Screen reader users cannot tell which plan pages were uploaded",
            "Two blind participants uploaded plans but the list of files announced only "
            '"image" for each; neither could tell whether every page was there.',
            "usability_testing",
            "critical",
            "Name each uploaded file and page in the list, and announce the count after each "
            "upload.",
            ("accessibility", "uploads"),
            ("p03.c4",),
            OPEN,
            participants=2,
            user_groups="screen reader users, P14 and P15",
            confidence=2,
            days_in=200,
        ),
        DemoFinding(
            "Permit fees surprise people at the payment step",
            "Fees depend on the project's value, which people only enter at the end. Three "
            "participants abandoned at payment to ask a contractor for a quote.",
            "usability_testing",
            "medium",
            "Show a fee estimate as soon as the type and size of work are known.",
            ("fees",),
            ("p03.c3",),
            ADDRESSED,
            participants=6,
            user_groups="homeowners, P16 to P21",
            confidence=2,
            days_in=240,
        ),
    ],
    "business-license-renewal": [
        DemoFinding(
            "The tax clearance letter stops most renewals",
            "Owners must get a tax clearance letter from the Revenue Department before "
            "renewing. Most did not know until the last page, and it takes 5 to 10 working "
            "days to arrive by mail.",
            "interviews",
            "critical",
            "Check tax status with the Revenue Department behind the scenes, and only ask "
            "owners who owe something.",
            ("tax clearance", "documents"),
            ("p02.c2", "p02.c1"),
            OPEN,
            participants=12,
            user_groups="owners of small businesses, O1 to O12",
            confidence=3,
            days_in=30,
        ),
        DemoFinding(
            "Owners renew on a phone after closing time",
            "In last year's survey, 58% of owners said they did paperwork at night on a phone; "
            "the PDF form cannot be filled in on one.",
            "survey",
            "high",
            "Design for small screens first and let owners save and come back.",
            ("mobile",),
            ("p01.c2", "p03.c5"),
            PLANNED,
            participants=340,
            user_groups="owners who renewed in 2025",
            confidence=2,
            days_in=45,
        ),
        DemoFinding(
            "Fee categories read like ordinance codes",
            'Owners could not place their business in the fee schedule ("Class B-2 mercantile") '
            "and called to ask which applied.",
            "usability_testing",
            "medium",
            "Ask what the business does in everyday words and work out the category for them.",
            ("fees", "content"),
            ("p03.c6",),
            OPEN,
            participants=6,
            user_groups="O13 to O18",
            confidence=2,
            days_in=90,
        ),
    ],
    "pay-parking-tickets": [
        DemoFinding(
            "Half of disputers did not know they could add photos",
            "Disputes with photos were decided in 4 days, without in 9. In the diary study, 5 "
            "of 9 people wrote a long statement and never saw the photo option below it.",
            "diary_study",
            "high",
            "Ask for photos first, with examples of what helps (signs, meters, the curb).",
            ("disputes", "evidence"),
            ("p01.c7", "p03.c3"),
            ADDRESSED,
            participants=9,
            user_groups="people disputing a ticket, D1 to D9",
            confidence=3,
            days_in=150,
        ),
        DemoFinding(
            "Fleet managers pay tickets one at a time",
            "Delivery companies receive 40 to 200 tickets a month and pay each on its own page; "
            "one manager spends a day a month on it.",
            "interviews",
            "medium",
            "Let an account holder select and pay many tickets at once, with one receipt.",
            ("fleets", "payment"),
            ("p01.c6",),
            PLANNED,
            participants=4,
            user_groups="fleet managers, F1 to F4",
            confidence=2,
            days_in=300,
        ),
        DemoFinding(
            "Card payments fail silently on some prepaid cards",
            "Analytics show 6% of payment attempts with prepaid cards end on the payment page "
            "with no error shown; the processor returns a code the page ignores.",
            "analytics_review",
            "critical",
            "Show the processor's decline reasons in plain words and offer cash at partner stores.",
            ("payment", "errors"),
            ("p12.c2", "p13.c1"),
            OPEN,
            participants=None,
            user_groups="all payers, last 90 days",
            confidence=2,
            days_in=420,
        ),
        DemoFinding(
            "Hearing decisions arrive only by mail",
            "People who disputed online expected the decision online and missed the deadline "
            "to pay after a denied dispute.",
            "interviews",
            "medium",
            "Send the decision by email or text as well, with the new due date.",
            ("notifications", "disputes"),
            ("p02.c3",),
            WONT_ADDRESS,
            "The ordinance requires decisions by first-class mail; we now also show them "
            "online and have asked the council to allow email.",
            participants=7,
            user_groups="D10 to D16",
            confidence=2,
            days_in=330,
        ),
    ],
    "property-tax-payments": [
        DemoFinding(
            "Owners search by the address on their deed",
            'Search by address failed for 1 in 5 owners because the deed says "Unit 2" and '
            'the assessor says "#2", or uses the old street name.',
            "analytics_review",
            "high",
            "Match addresses loosely and offer the owner's name and parcel number as other ways "
            "to search.",
            ("search",),
            ("p03.c6", "p12.c5"),
            ADDRESSED,
            user_groups="all searches, first half of 2026",
            confidence=3,
            days_in=200,
        ),
        DemoFinding(
            "Older owners want to pay in installments without calling",
            "At the counter, installment plans are the most common request from owners over "
            "65. Online, the option was three levels down under *Payment options*.",
            "contextual_inquiry",
            "medium",
            'Offer installments next to "Pay in full" on the bill page.',
            ("installments", "older adults"),
            ("p02.c1", "p01.c1"),
            ADDRESSED,
            participants=11,
            user_groups="counter visitors over 65",
            confidence=3,
            days_in=90,
        ),
        DemoFinding(
            "Lenders reject receipts without the parcel number",
            "Two of three mortgage servicers we spoke to return receipts that lack the parcel "
            "number and tax year, and owners then pay twice.",
            "stakeholder_interviews",
            "high",
            "Put the parcel number, tax year and installment on every receipt.",
            ("receipts", "lenders"),
            ("p02.c3",),
            OPEN,
            participants=3,
            user_groups="mortgage servicers, S1 to S3",
            confidence=2,
            days_in=380,
        ),
    ],
    "food-assistance-application": [
        DemoFinding(
            "Applicants cannot tell if a photo of a pay stub is readable",
            "People photographed pay stubs on kitchen tables in poor light. Caseworkers "
            "rejected a quarter of uploads as unreadable, days later.",
            "usability_testing",
            "critical",
            "Check sharpness and cut-off edges on the phone and ask for a retake at once.",
            ("uploads", "proofs", "mobile"),
            ("p01.c7", "p03.c3"),
            OPEN,
            participants=8,
            user_groups="first-time applicants, A1 to A8",
            confidence=4,
            days_in=160,
        ),
        DemoFinding(
            "Interview calls from a blocked number are missed",
            "In the diary study, 5 of 8 applicants missed the eligibility interview call "
            "because it showed as *No caller ID*, and waited a week for another.",
            "diary_study",
            "high",
            "Let applicants pick an interview time and send a text from a known number the day "
            "before.",
            ("interviews", "notifications"),
            ("p02.c3", "p02.c2"),
            PLANNED,
            participants=8,
            user_groups="A9 to A16",
            confidence=3,
            days_in=190,
        ),
        DemoFinding(
            "Household questions assume one family",
            "Applicants sharing a home with roommates did not know whom to list; the federal "
            "rule (who buys and cooks food together) was not explained.",
            "interviews",
            "high",
            'Ask "Who do you buy and cook food with?" and explain why it matters.',
            ("content", "household"),
            ("p03.c6",),
            ADDRESSED,
            participants=24,
            user_groups="applicants at two offices and a food bank",
            confidence=3,
            days_in=40,
        ),
        DemoFinding(
            "Caseworkers re-key every online application",
            "The case system cannot read online applications, so caseworkers type each one "
            "in again: about 25 minutes per application and frequent typos in income amounts.",
            "contextual_inquiry",
            "medium",
            "Send applications to the case system through its intake interface.",
            ("staff", "case system"),
            ("p02.c1",),
            WONT_ADDRESS,
            "The case system is being replaced in 2027; its vendor will not change intake "
            "before then. We measure the cost so the new system's contract includes it.",
            participants=6,
            user_groups="caseworkers, K1 to K6",
            confidence=2,
            days_in=70,
        ),
        DemoFinding(
            "Data limits stop people mid-application",
            "Several applicants on prepaid plans ran out of data while uploading; the form then "
            "lost their answers.",
            "interviews",
            "medium",
            "Save after every page, shrink photos on the phone before upload, and keep pages "
            "light.",
            ("mobile", "save and return"),
            ("p03.c5",),
            OPEN,
            participants=5,
            user_groups="A17 to A21",
            confidence=2,
            days_in=210,
        ),
    ],
    "unemployment-claims": [
        DemoFinding(
            "Claimants cannot recall past employers' details",
            "The first claim asks for 18 months of employers with exact dates and addresses. "
            "Gig and seasonal workers gave up or guessed; guesses trigger fact-finding later.",
            "interviews",
            "critical",
            "Prefill employers from wage records and ask people only to confirm or correct.",
            ("employer history", "first claim"),
            ("p02.c2", "p01.c4"),
            OPEN,
            participants=16,
            user_groups="recent claimants, C1 to C16",
            confidence=4,
            days_in=30,
        ),
        DemoFinding(
            "The weekly certification question about work is misread",
            '"Did you work?" was read as "Did you have a job?"; part-time earnings went '
            "unreported and later became overpayments.",
            "usability_testing",
            "high",
            "Ask about any work or earnings in the week, with examples, and ask for hours.",
            ("certification", "content"),
            ("p03.c6", "p01.c3"),
            PLANNED,
            participants=7,
            user_groups="claimants certifying weekly, C17 to C23",
            confidence=3,
            days_in=100,
        ),
        DemoFinding(
            "Identity checks lock out people with thin credit files",
            "Call-center listening: the most common reason for a call in the first week is an "
            "identity check that failed for young workers and recent movers.",
            "stakeholder_interviews",
            "high",
            "Offer in-person identity proofing at job centers as an equal path, not a fallback.",
            ("identity", "access"),
            ("p02.c1", "p11.c3"),
            OPEN,
            participants=40,
            user_groups="recorded calls, sampled",
            confidence=2,
            days_in=55,
        ),
    ],
    "vehicle-registration": [
        DemoFinding(
            "Renewals fail when the emissions record has not arrived",
            "12% of online renewals end at the counter. In most, the test was passed but the "
            "station's record reached the DMV days later, and the site said only *Not "
            "eligible*.",
            "analytics_review",
            "critical",
            "Look up the station's record directly, and when it is missing say so and when to "
            "try again.",
            ("emissions", "errors"),
            ("p02.c2", "p02.c1"),
            OPEN,
            user_groups="online renewals, 2025",
            confidence=2,
            days_in=20,
        ),
        DemoFinding(
            "Drivers want proof on the phone right away",
            "Drivers whose sticker had not arrived were unsure they could drive; 6 of 9 said a "
            "printable or digital proof would do.",
            "interviews",
            "medium",
            "Offer a temporary proof of registration at the end of the renewal.",
            ("proof",),
            ("p01.c1", "p01.c4"),
            OPEN,
            participants=9,
            user_groups="drivers at two offices, R1 to R9",
            confidence=2,
            days_in=35,
        ),
        DemoFinding(
            "Renewal notices go to old addresses",
            "Counter staff estimate a third of late renewals moved and never updated the "
            "address; the notice is the only reminder.",
            "stakeholder_interviews",
            "low",
            "Ask for an email or mobile number for reminders during renewal.",
            ("notifications", "address"),
            ("p02.c1",),
            OPEN,
            participants=5,
            user_groups="counter staff, two offices",
            confidence=1,
            days_in=40,
        ),
    ],
}


def seed_findings(project: Project) -> int:
    """Give a demo project its findings; adds nothing to a project that already has some, or
    that has none written for it. Returns how many were created."""
    written = FINDINGS.get(project.slug, [])
    if not written or Finding.select().where(Finding.project == project).exists():
        return 0
    started = project.start_date or date(2026, 1, 5)
    rows = []
    for number, f in enumerate(written, start=1):
        plays = sorted({int(item[1:3]) for item in f.items})
        values = {
            "title": f.title,
            "insight": f.insight,
            "method": f.method,
            "research_date": started + timedelta(days=f.days_in),
            "participants": f.participants,
            "user_groups": f.user_groups,
            "severity": f.severity,
            "confidence": f.confidence,
            "status": f.status,
            "status_reason": f.status_reason,
            "recommendation": f.recommendation,
            "evidence_links": f"https://example.gov/{project.slug}/research/finding-{number}",
            "tags": sorted(f.tags),
            "plays": plays,
            "items": sorted(f.items),
        }
        rows.append((values, False))
    changes.create_many(project, rows, project.lead, action="created")
    return len(rows)
