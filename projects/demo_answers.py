"""The demo portfolio's answers to the playbook's key questions: what each team would write about
its own service, more of them the further along the project is."""

from __future__ import annotations

ANSWERS: dict[str, dict[str, str]] = {
    "building-permits": {
        "p01.q1": "Homeowners doing their own renovation (about 60% of applications) and small "
        "contractors who file several permits a month. Plan reviewers and inspectors use the "
        "staff side.",
        "p01.q2": "Knowing before they start whether the work needs a permit at all, sending "
        "plans without driving to the counter, and booking an inspection without phoning the "
        "district office.",
        "p01.q3": "Work cannot start without a permit, and today a simple deck permit costs a "
        "half-day at the counter. Contractors lose billable days waiting for inspection slots.",
        "p01.q4": "Homeowners who have never read a site plan, people whose drawings are on "
        "paper only, and applicants whose first language is Spanish or Chinese.",
        "p01.q5": "18 interviews (10 homeowners, 8 contractors), a week observing the permit "
        "counter, 4 rounds of usability testing on the prototype and an analysis of 2 years of "
        "rejected applications.",
        "p01.q6": "**Most rejections are avoidable:** 41% of returned applications were missing "
        "a site plan or had the wrong scale. Contractors care most about inspection scheduling; "
        "homeowners about knowing whether they need a permit.",
        "p01.q7": "Every session's notes and the synthesis board are in the team's research "
        "folder, linked from the project wiki; findings are logged in this tracker with the "
        "plays they support.",
        "p01.q8": "Every two weeks, 5 or 6 people per round, recruited from recent applicants "
        "through the permit office's mailing list.",
        "p02.q1": "At the permit counter, by mailing paper forms, or through expediters that "
        "contractors pay. Inspections are booked by phone with the district office.",
        "p02.q2": "Finding out at the counter that the plans are incomplete, and waiting up to "
        "3 weeks for an inspection slot with no way to see what is free.",
        "p02.q3": "The permit is one step between design and the certificate of occupancy. We "
        "link to zoning lookups before it and hand the inspection results to the certificate "
        "team after it.",
        "p02.q4": "Share of applications accepted on first review, days from application to "
        "permit, inspections booked online, and satisfaction on the confirmation page.",
        "p03.q1": "Check whether the work needs a permit, apply and upload plans, pay the fee, "
        "book an inspection, see the permit's status.",
        "p03.q2": "We tested the questions with homeowners and replaced code terms such as "
        '*accessory structure* with examples ("a shed, garage or deck"). The plain version '
        "halved the questions people asked at the counter.",
        "p03.q3": "English and Spanish at launch; Chinese (Traditional) in the next release. "
        "Plan checklists are translated by the city's language access office.",
        "p03.q4": "A help line staffed by permit technicians on weekdays, a chat during office "
        "hours, and guidance pages linked from each step of the form.",
        "p03.q5": "It uses the U.S. Web Design System and the city's theme, the same as the "
        "business portal, so header, buttons and forms look the same.",
        "p04.q1": "The first release (deck, fence and shed permits) went out after 11 weeks as "
        "a beta beside the counter.",
        "p04.q3": "Two weeks, with a review open to the permit office every other Thursday.",
        "p06.q1": "Dana Whitfield, deputy director of the Permits Office.",
        "p08.q1": "A Django application on PostgreSQL, chosen because the city's other "
        "services use it and the vendor team knows it well; document previews use an open "
        "source PDF library.",
        "p09.q1": "In the city's FedRAMP-authorized commercial cloud account, in two "
        "availability zones.",
        "p11.q1": "Yes: names, addresses and phone numbers of applicants and contractors. "
        "The privacy notice is on the start page and linked from every form.",
    },
    "business-license-renewal": {
        "p01.q1": "Owners of small businesses (restaurants, salons, repair shops) renewing "
        "their general business license each year, often the owner alone with no office "
        "staff.",
        "p01.q2": "Renewing in one sitting, knowing the fee and the documents before starting, "
        "and getting the new license to display straight away.",
        "p01.q3": "Trading without a current license risks a fine, and the renewal notice "
        "arrives by mail only 30 days before expiry.",
        "p01.q4": "Owners who do their paperwork on a phone after closing time, and owners "
        "with limited English (a third of the corner stores we visited).",
        "p01.q5": "12 interviews in businesses, a survey of 340 owners who renewed last year, "
        "and analytics from the current PDF form.",
        "p01.q6": "Owners abandon the renewal when asked for a tax clearance letter they do not "
        "have. Most would pay online if they could see the fee first.",
        "p01.q8": "Monthly so far; every sprint once the prototype is in alpha.",
        "p02.q1": "A mailed PDF form and a check, or in person at the Licensing Division. A few "
        "use a paid filing service.",
        "p02.q2": "The tax clearance step: owners have to request it from another department "
        "and wait for it by mail before they can renew.",
        "p02.q4": "Renewals completed online, time to complete, and the number of renewals "
        "returned for missing documents.",
        "p03.q1": "Confirm the business details, upload insurance, pay, download the license.",
        "p03.q2": "Not yet: the fee schedule still uses category codes from the ordinance. We "
        "are rewriting it with owners in the next round.",
        "p04.q3": "Two weeks, ending with a demo to the Licensing Division's counter staff.",
        "p06.q1": "Marcus Bell, licensing program manager.",
    },
    "pay-parking-tickets": {
        "p01.q1": "Drivers who got a ticket, most of them residents, about a fifth visitors; "
        "fleet managers who pay dozens a month; hearing officers on the staff side.",
        "p01.q2": "Paying fast on a phone, disputing with evidence without taking a day off for "
        "a hearing, and knowing the outcome.",
        "p01.q3": "Late tickets double after 30 days and unpaid ones block registration renewal.",
        "p01.q4": "People disputing a ticket for the first time, who do not know what evidence "
        "counts, and drivers without a card or bank account.",
        "p01.q5": "Interviews with 15 drivers and 4 hearing officers, a diary study of 9 "
        "disputes, and analytics on the payment flow.",
        "p01.q6": "Disputes with photos are decided twice as fast, but half of disputers did "
        "not know they could add them. Fleet managers need to pay in bulk.",
        "p01.q7": "In the team's research repository, with a summary page for each round "
        "linked from the tracker's findings.",
        "p01.q8": "Every sprint, on whatever is being built; quarterly on the whole service.",
        "p02.q1": "Online, by phone with an automated line, by mail, or in cash at two payment "
        "centers.",
        "p02.q2": "Getting a hearing date: in-person hearings were booked 6 weeks out before "
        "online disputes.",
        "p02.q3": "A ticket can hold up a vehicle registration renewal at the DMV, so the "
        "service tells people when paying clears the hold.",
        "p02.q4": "Share paid online, days to decide a dispute, share of disputes with "
        "evidence, and calls to the payment line.",
        "p03.q1": "Find a ticket, pay one or several, dispute with photos, see the decision.",
        "p03.q2": "Yes: every page was tested with drivers; we replaced *adjudication* with "
        "*decision* everywhere.",
        "p03.q3": "English, Spanish, Chinese (Simplified), Korean and Russian, the five "
        "languages most spoken in the city.",
        "p03.q4": "The payment line, the help pages beside each step, and a contact form that "
        "reaches the bureau's customer service team within one working day.",
        "p03.q5": "It uses the U.S. Web Design System and the city's theme, like the other "
        "Department of Finance services.",
        "p04.q2": "About 20 minutes from merge to production, through the pipeline.",
        "p04.q3": "One week.",
        "p08.q1": "Ruby on Rails on PostgreSQL, with the payment processor's hosted fields; "
        "Rails because the bureau's two in-house developers know it.",
        "p09.q1": "A FedRAMP-authorized cloud platform, in two regions.",
        "p12.q1": "Share of tickets paid online (target 80%), days to decide a dispute, "
        "payment errors, and satisfaction after payment.",
        "p12.q7": "99.9% a month, with payment maintenance kept to Sunday mornings.",
        "p12.q13": "A one-question survey after payment or a decision, and a monthly review of "
        "contact-form messages.",
        "p13.q1": 'A "Report a problem" link on every page feeds the team\'s issue tracker; '
        "it is triaged every morning.",
        "p13.q3": "The code is published under the city's open source policy, except the "
        "payment adapter, which contains the processor's licensed client.",
    },
    "property-tax-payments": {
        "p01.q1": "Homeowners paying their own tax, landlords with several properties, and "
        "mortgage servicers that pay on owners' behalf.",
        "p01.q2": "Seeing what is owed and when, spreading payments over the year, and a "
        "receipt the lender accepts.",
        "p01.q3": "Missing the deadline adds a 10% penalty; owners in escrow need receipts for "
        "their servicer.",
        "p01.q4": "Older owners on fixed incomes who need installment plans, and heirs "
        "settling an estate who do not know the parcel number.",
        "p01.q5": "Interviews with 14 owners and 3 servicers, usability testing each release, "
        "and analytics on search and payment.",
        "p01.q6": "Owners search by address, not parcel number. Installment plans are what "
        "older owners ask for most at the counter.",
        "p01.q7": "In the Treasury's shared research folder, indexed by date and topic, and "
        "summarized in this tracker.",
        "p01.q8": "Each release is tested with at least five owners before it goes out.",
        "p02.q1": "Online, by mail, at the Treasury counter, at partner banks, or through a "
        "mortgage escrow account.",
        "p02.q2": "Finding the bill: people search with the address on their deed, which often "
        "differs from the assessor's record.",
        "p02.q3": "Bills come from the Assessor's valuation; the service links to appeals and "
        "to the senior exemption application.",
        "p02.q4": "Share paid on time, installment plans set up online, and calls during the "
        "two weeks before each deadline.",
        "p03.q1": "Find the property, see the bill, pay or set up installments, get a receipt.",
        "p03.q3": "English, Spanish and Chinese (Traditional).",
        "p03.q4": "The Treasury help line, extended hours before each due date, and a help "
        "page per step.",
        "p04.q3": "Two weeks; releases follow the tax calendar, with a freeze in the month "
        "before each due date.",
        "p06.q1": "Alicia Romero, deputy treasurer for collections.",
        "p09.q1": "In the city's commercial cloud account, behind the payment processor's "
        "hosted checkout.",
        "p12.q1": "On-time payment rate, installment plans active, payment errors, and calls "
        "to the help line before deadlines.",
        "p12.q13": "A short survey on the receipt page; about 4% answer.",
        "p13.q1": "The feedback link on every page, and the help line's weekly summary of "
        "problems callers mention.",
    },
    "food-assistance-application": {
        "p01.q1": "Households applying for SNAP for the first time, people renewing, and "
        "caseworkers who process applications; many apply on a phone.",
        "p01.q2": "Applying in one sitting on a phone, sending proofs with the camera, and "
        "knowing when the interview will be.",
        "p01.q3": "Food is the need: households apply when money has already run out, so speed "
        "matters more than anything.",
        "p01.q4": "People with prepaid phones and little data, people with limited literacy, "
        "and people applying for others (relatives, advocates).",
        "p01.q5": "24 interviews at two benefits offices and a food bank, usability testing "
        "every sprint, a diary study of 8 applications through to the interview, and "
        "analytics.",
        "p01.q6": "Uploading proofs is where people stall; many take photos of papers on a "
        "kitchen table and are unsure they are readable. Interview scheduling is the second "
        "source of calls.",
        "p01.q7": "In the agency's research repository with consent forms kept apart; "
        "findings and the plays they support are recorded here.",
        "p01.q8": "Every sprint, at a benefits office or a community partner, with 5 to 8 "
        "applicants.",
        "p02.q1": "Paper forms at benefits offices, a 38-page PDF, community partners who help "
        "fill it in, and the phone line.",
        "p02.q2": "Proofs: people mail copies and the case stalls until they arrive. The "
        "interview call often comes from a blocked number and is missed.",
        "p02.q3": "The application leads to an eligibility interview and, if approved, an EBT "
        "card; we hand off to the case system and send interview reminders by text.",
        "p02.q4": "Median time to submit, share of applications with all proofs, days to "
        "decision, and missed interviews.",
        "p03.q1": "Check if they might qualify, apply, upload proofs, schedule the interview.",
        "p03.q2": "We rewrote every question with applicants; the federal terms are in a "
        '"what this means" note beside each.',
        "p03.q3": "English, Spanish, Vietnamese and Haitian Creole; phone interpretation in "
        "over 100 languages.",
        "p03.q4": "Community partners can help in person, and a help line runs weekdays and "
        "Saturday mornings.",
        "p03.q5": "It follows the U.S. Web Design System and the state's benefits design guide.",
        "p04.q1": "The first version (apply and upload) reached beta in 12 weeks.",
        "p04.q3": "Two weeks, planned with the policy team so that rule changes land in the "
        "sprint they take effect.",
        "p06.q1": "Tomás Reyes, benefits access director.",
        "p11.q1": "Yes, including household income and, for some, immigration status. A plain "
        "notice says why each item is asked and who sees it, before the first question.",
        "p11.q2": "We removed 9 questions the eligibility rules do not need; each remaining "
        "field is mapped to a rule.",
    },
    "unemployment-claims": {
        "p01.q1": "Workers who have just lost a job, filing a first claim, and claimants "
        "certifying each week; claims staff on the other side.",
        "p01.q2": "Filing without calling, knowing what happens next, and certifying each week "
        "in a couple of minutes.",
        "p01.q3": "Benefits replace lost wages; a delayed claim means missed rent.",
        "p01.q4": "Seasonal and gig workers with several employers, and people whose employer "
        "contests the claim.",
        "p01.q5": "Interviews with 16 claimants and 6 claims staff, call-center listening, and "
        "analysis of last year's abandoned claims.",
        "p01.q6": "Employer history is where first claims fail: people do not have exact dates "
        "and addresses of past employers. Weekly certification questions are misread.",
        "p01.q8": "Every two weeks from the start of alpha.",
        "p02.q1": "The old online system, the phone line (wait times over an hour in busy "
        "weeks), and paper for those who cannot use either.",
        "p02.q2": "Being locked out by identity checks and calling for days to get through.",
        "p02.q4": "First claims completed online, calls per claim, days to first payment, and "
        "weekly certifications done without help.",
        "p03.q1": "File a first claim, certify each week, check payment status.",
        "p03.q2": "Not yet: the weekly certification still uses the statute's wording, which "
        "testing shows people misread.",
        "p04.q3": "Two weeks; the claims staff liaison joins planning and the review.",
        "p06.q1": "Renée Okafor, UI modernization lead.",
    },
    "vehicle-registration": {
        "p01.q1": "Drivers renewing a passenger vehicle registration, most of them online "
        "already; dealers and fleet owners renew in bulk.",
        "p01.q2": "Renewing without looking up the emissions test result, and having proof to "
        "show straight away if stopped.",
        "p01.q3": "The sticker is required to drive legally, and renewal needs a passing "
        "emissions test drivers often forget.",
        "p01.q4": "Drivers whose emissions test failed or is missing, and people who moved "
        "and still get notices at the old address.",
        "p01.q5": "So far: 9 interviews at two DMV offices, and analysis of why 12% of online "
        "renewals end at the counter.",
        "p01.q6": "Early signs: most counter visits after a failed online renewal are about "
        "emissions records not yet matched to the vehicle.",
        "p02.q1": "Online, by mail, at a DMV office, or at a self-service kiosk.",
        "p02.q2": "The emissions check: the online system rejects a renewal when the test "
        "record has not arrived from the station, and tells people nothing.",
        "p06.q1": "Kevin Nakamura, registration services manager.",
        "p05.q1": "Discovery and an alpha of the renewal flow, then a beta, through a contract "
        "of 12 months with 3 option periods (see the contract package).",
    },
    "small-business-grants": {
        "p01.q1": "Owners of small businesses hurt by the downturn, mostly fewer than 10 "
        "employees; the office's grant reviewers.",
        "p01.q2": "Knowing quickly whether they are eligible, and applying with documents they "
        "already have.",
        "p01.q3": "Grants keep businesses open through a slow season; owners cannot spend "
        "days on paperwork.",
        "p01.q4": "Sole proprietors without a tax preparer, and owners who file taxes late.",
        "p01.q5": "Planned: interviews with 12 owners through the chamber of commerce, and a "
        "review of last year's paper applications.",
        "p02.q1": "A paper application with an emailed spreadsheet, through the chamber of "
        "commerce.",
        "p06.q1": "Not named yet; the director expects to name one by the end of discovery.",
    },
}
