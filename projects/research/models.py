"""User-research findings and what they link to: plays, checklist items and tags."""

from __future__ import annotations

from collections import defaultdict

from peewee import (
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from playbook.edition import parse_id
from projects.auth.models import User
from projects.db import BaseModel, utcnow
from projects.owners.models import OutsideOwner, owner_key
from projects.projects.models import Project

METHODS = {
    "interviews": "Interviews",
    "usability_testing": "Usability testing",
    "contextual_inquiry": "Contextual inquiry",
    "survey": "Survey",
    "analytics_review": "Analytics review",
    "card_sorting": "Card sorting",
    "diary_study": "Diary study",
    "journey_mapping": "Journey mapping",
    "stakeholder_interviews": "Stakeholder interviews",
    "other": "Other",
}
SEVERITIES = {"critical": "Critical", "high": "High", "medium": "Medium", "low": "Low"}
OPEN, PLANNED, ADDRESSED, WONT_ADDRESS = "open", "planned", "addressed", "wont_address"
# "Open" findings on project pages, the portfolio and reports: not yet addressed or declined.
UNRESOLVED = (OPEN, PLANNED)
STATUSES = {
    OPEN: "Open",
    PLANNED: "Planned",
    ADDRESSED: "Addressed",
    WONT_ADDRESS: "Won't address",
}


class Finding(BaseModel):
    project = ForeignKeyField(Project, backref="findings", on_delete="CASCADE", index=True)
    title = CharField(max_length=200)
    insight = TextField(default="")  # Markdown, rendered and sanitized on display
    method = CharField(choices=list(METHODS.items()), index=True)
    research_date = DateField(index=True)
    participants = IntegerField(null=True)
    user_groups = CharField(default="", max_length=500)  # participant codes, never names
    severity = CharField(choices=list(SEVERITIES.items()), index=True)
    confidence = IntegerField(default=1)  # how many sources support the finding
    status = CharField(choices=list(STATUSES.items()), default=OPEN, index=True)
    status_reason = TextField(default="")  # required when the team won't address it
    recommendation = TextField(default="")  # Markdown
    evidence_links = TextField(default="")  # one web address per line
    privacy_checked_by = ForeignKeyField(
        User, backref="privacy_checked_findings", null=True, on_delete="SET NULL"
    )
    privacy_checked_at = DateTimeField(null=True)
    created_by = ForeignKeyField(User, backref="created_findings", null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    updated_by = ForeignKeyField(User, backref="updated_findings", null=True, on_delete="SET NULL")
    updated_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)
    # Who follows the finding up, and by when (My work lists it; both optional).
    owner = ForeignKeyField(User, backref="owned_findings", null=True, on_delete="SET NULL")
    # Or someone without an account (never both: projects.owners.models.owner_columns)
    outside_owner = ForeignKeyField(
        OutsideOwner, backref="findings", null=True, on_delete="SET NULL"
    )
    due_date = DateField(null=True)

    class Meta:
        indexes = ((("project", "status", "severity"), False),)

    @property
    def owner_key(self) -> int | str:
        """Who follows the finding up, as forms hold it: a user's id, "outside-<id>" or 0."""
        return owner_key(self.owner_id, self.outside_owner_id)

    @property
    def method_label(self) -> str:
        return METHODS.get(self.method, self.method)

    @property
    def severity_label(self) -> str:
        return SEVERITIES.get(self.severity, self.severity)

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def links(self) -> list[str]:
        return [line.strip() for line in self.evidence_links.splitlines() if line.strip()]


class FindingPlay(BaseModel):
    """A play the finding is evidence for (also every play of a linked item)."""

    finding = ForeignKeyField(Finding, backref="play_links", on_delete="CASCADE")
    play = IntegerField(index=True)

    class Meta:
        indexes = ((("finding", "play"), True),)


class FindingItem(BaseModel):
    """A checklist item the finding supports, by the edition's stable id."""

    finding = ForeignKeyField(Finding, backref="item_links", on_delete="CASCADE")
    item_id = CharField(max_length=40, index=True)

    class Meta:
        indexes = ((("finding", "item_id"), True),)


class FindingTag(BaseModel):
    finding = ForeignKeyField(Finding, backref="tag_links", on_delete="CASCADE")
    tag = CharField(max_length=40, index=True)

    class Meta:
        indexes = ((("finding", "tag"), True),)


class FindingUpload(BaseModel):
    """A CSV waiting for its preview to be confirmed: kept in the database, not in a worker's
    memory, so the confirming request may reach any worker."""

    token = CharField(max_length=64, unique=True)
    project = ForeignKeyField(Project, backref="finding_uploads", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="finding_uploads", on_delete="CASCADE")
    filename = CharField(max_length=255, default="")
    text = TextField()
    created_at = DateTimeField(default=utcnow, index=True)


def attach_links(findings: list[Finding]) -> list[Finding]:
    """Give each finding `.plays`, `.items` and `.tags` (sorted lists), in three queries
    however many findings there are."""
    ids = [f.id for f in findings]
    plays: dict[int, list] = defaultdict(list)
    items: dict[int, list] = defaultdict(list)
    tags: dict[int, list] = defaultdict(list)
    if ids:
        for target, model, column in (
            (plays, FindingPlay, FindingPlay.play),
            (items, FindingItem, FindingItem.item_id),
            (tags, FindingTag, FindingTag.tag),
        ):
            rows = model.select(model.finding, column).where(model.finding.in_(ids)).tuples()
            for finding_id, value in rows:
                target[finding_id].append(value)
    for f in findings:
        f.plays = sorted(plays[f.id])
        f.items = sorted(items[f.id], key=item_sort_key)
        f.tags = sorted(tags[f.id])
    return findings


def item_sort_key(item_id: str) -> tuple:
    """p02.c10 after p02.c9; anything that is not an id last."""
    parsed = parse_id(item_id)
    return (parsed is None, parsed or (), item_id)
