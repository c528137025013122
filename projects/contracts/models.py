"""Contract packages, their clauses and QASP rows, immutable revisions, and agency clauses."""

from __future__ import annotations

from peewee import (
    BlobField,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from playbook.contracts import default_answers
from playbook.contracts.layouts import LAYOUTS, UCF, layout_of
from projects.auth.models import User
from projects.db import BaseModel, JSONField, utcnow
from projects.projects.models import Project

# A package is a draft until the officer marks it final; any change after that starts a new
# draft. "Exported" is a draft with a revision that matches it.
DRAFT, EXPORTED, FINAL = "draft", "exported", "final"
PACKAGE_STATUSES = {DRAFT: "Draft", EXPORTED: "Exported draft", FINAL: "Final"}
FORMATS = {  # format -> (label, file extension, media type)
    "docx": (
        "Word (DOCX)",
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "pdf": ("PDF", "pdf", "application/pdf"),
    "markdown": ("Markdown", "md", "text/markdown; charset=utf-8"),
}


class ContractPackage(BaseModel):
    project = ForeignKeyField(Project, backref="contract_packages", on_delete="CASCADE")
    title = CharField()
    answers = JSONField()
    status = CharField(choices=list(PACKAGE_STATUSES.items()), default=DRAFT)
    layout = CharField(
        choices=[(k, v.label) for k, v in LAYOUTS.items()], default=UCF, max_length=20
    )
    created_by = ForeignKeyField(User, backref="contract_packages", null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)

    @property
    def status_label(self) -> str:
        return PACKAGE_STATUSES.get(self.status, self.status)

    @property
    def final(self) -> bool:
        return self.status == FINAL

    @property
    def layout_spec(self):
        return layout_of(self.layout)

    @property
    def filled_answers(self) -> dict:
        """The answers with defaults for questions added since the package was started."""
        return {"cited_findings": []} | default_answers() | self.answers


class PackageClause(BaseModel):
    """A clause in a package: which library (or agency) clause and version, and any edit."""

    package = ForeignKeyField(ContractPackage, backref="entries", on_delete="CASCADE")
    position = IntegerField()
    clause_id = CharField()
    clause_version = IntegerField()
    text = TextField(null=True)  # the officer's edited text; None means the library text
    included = BooleanField(default=True)
    updated_by = ForeignKeyField(
        User, backref="edited_package_clauses", null=True, on_delete="SET NULL"
    )
    updated_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)

    class Meta:
        indexes = (
            (("package", "clause_id"), True),
            (("package", "position"), True),  # one clause per place in the document
        )


class PackageQaspRow(BaseModel):
    """One performance standard in a package's QASP, from a clause or added by the officer."""

    package = ForeignKeyField(ContractPackage, backref="qasp_rows", on_delete="CASCADE")
    position = IntegerField()
    clause_id = CharField(default="")  # empty for a row the officer added
    standard = TextField()
    quality_level = TextField()
    surveillance = TextField()
    edited = BooleanField(default=False)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("package", "position"), True),)


class Revision(BaseModel):
    """An export: numbered per package, never changed once written."""

    package = ForeignKeyField(ContractPackage, backref="revisions", on_delete="CASCADE")
    number = IntegerField()
    snapshot = JSONField()  # the document data every format was rendered from
    created_by = ForeignKeyField(User, backref="revisions", null=True, on_delete="SET NULL")
    created_by_name = CharField(default="")  # kept even if the account is removed
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("package", "number"), True),)


class RevisionFile(BaseModel):
    revision = ForeignKeyField(Revision, backref="files", on_delete="CASCADE")
    format = CharField(choices=[(k, v[0]) for k, v in FORMATS.items()])
    content = BlobField()
    sha256 = CharField(max_length=64)
    size = IntegerField()

    class Meta:
        indexes = ((("revision", "format"), True),)


class AgencyClause(BaseModel):
    """One version of a clause an agency wrote; an edit adds a version, never changes one."""

    clause_id = CharField(index=True)
    version = IntegerField()
    fields = JSONField()  # title, section, proposal, text, plays, items, topics, source, qasp
    created_by = ForeignKeyField(User, backref="agency_clauses", null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("clause_id", "version"), True),)
