"""Reading a package: its clauses filled in, by section, with proposals, the QASP,
deviations and revisions, as the package page and the exports show it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from peewee import JOIN, fn

from playbook.contracts import (
    SECTIONS,
    Block,
    Clause,
    ClauseError,
    Deviation,
    PackageEntry,
    Proposal,
    blocks,
    default_answers,
    default_library,
    deviations,
    evaluate,
    render_text,
)
from projects.checklists.queries import statuses_by_project
from projects.contracts.catalogue import SECTION_ORDER, agency_clause, proposals_for
from projects.contracts.models import (
    PACKAGE_STATUSES,
    AgencyClause,
    ContractPackage,
    PackageClause,
    PackageQaspRow,
    Revision,
    RevisionFile,
)
from projects.filters import format_day
from projects.projects.models import Project


@dataclass
class EntryView:
    entry: PackageClause
    clause: Clause | None  # None: the clause no longer exists anywhere
    proposal: Proposal | None
    rendered: str = ""
    library_rendered: str = ""
    error: str = ""
    agency: bool = False
    library_version: int | None = None

    @property
    def title(self) -> str:
        return self.clause.title if self.clause else self.entry.clause_id

    @property
    def edited(self) -> bool:
        return self.entry.text is not None

    @property
    def blocks(self) -> list[Block]:
        return blocks(self.rendered)

    @property
    def library_blocks(self) -> list[Block]:
        return blocks(self.library_rendered)


@dataclass
class SectionView:
    id: str
    label: str
    entries: list[EntryView] = field(default_factory=list)


@dataclass
class PackageView:
    package: ContractPackage
    sections: list[SectionView]
    removed: list[EntryView]
    available: list[Proposal]  # clauses not in the package, proposed ones first
    qasp: list[PackageQaspRow]
    deviations: list[Deviation]
    revisions: list[Revision]
    files: dict[int, dict[str, RevisionFile]] = field(default_factory=dict)  # no content loaded

    @property
    def included(self) -> list[EntryView]:
        return [e for s in self.sections for e in s.entries]

    @property
    def errors(self) -> list[EntryView]:
        return [e for e in self.included if e.error]


def _clauses_for(entries: list[PackageClause]) -> tuple[dict, dict]:
    """The clause each entry uses (its agency version, or the library's) and library versions."""
    library = {c.id: c for c in default_library().clauses}
    wanted = [(e.clause_id, e.clause_version) for e in entries if e.clause_id not in library]
    agency = {}
    if wanted:
        ids = {cid for cid, _ in wanted}
        rows = AgencyClause.select().where(AgencyClause.clause_id.in_(ids))
        versions = {(r.clause_id, r.version): r for r in rows}
        agency = {k: agency_clause(versions[k]) for k in wanted if k in versions}
    return library, agency


def view_package(package: ContractPackage, project: Project) -> PackageView:
    entries = list(package.entries.order_by(PackageClause.position))
    library, agency = _clauses_for(entries)
    statuses = statuses_by_project([project.id])[project.id]
    proposals = {p.clause.id: p for p in proposals_for(package, project, statuses)}
    sections = {key: SectionView(key, label) for key, label in SECTIONS.items()}
    removed, in_package = [], set()
    for entry in entries:
        in_package.add(entry.clause_id)
        is_agency = entry.clause_id not in library
        clause = (
            agency.get((entry.clause_id, entry.clause_version))
            if is_agency
            else (library.get(entry.clause_id))
        )
        view = EntryView(
            entry,
            clause,
            proposals.get(entry.clause_id),
            agency=is_agency,
            library_version=None if is_agency or clause is None else clause.version,
        )
        _render(view, package.filled_answers)
        if not entry.included:
            removed.append(view)
        elif clause is not None:
            sections[clause.section].entries.append(view)
    available = sorted(
        (p for cid, p in proposals.items() if cid not in in_package),
        key=lambda p: (not p.proposed, SECTION_ORDER.index(p.clause.section), p.clause.title),
    )
    qasp = visible_qasp(package, {e.entry.clause_id for s in sections.values() for e in s.entries})
    found = deviations(
        PackageEntry(
            clause_id=v.entry.clause_id,
            title=v.title,
            included=v.entry.included,
            edited_text=v.entry.text,
            library_text=v.clause.text if v.clause else None,
            library_version=v.library_version,
            used_version=v.entry.clause_version,
            proposed=bool(v.proposal and v.proposal.proposed),
            agency=v.agency,
        )
        for s in [*sections.values(), SectionView("", "", removed)]
        for v in s.entries
    )
    for row in qasp:
        if row.edited or not row.clause_id:
            found.append(
                Deviation(
                    "qasp-edited" if row.clause_id else "qasp-added",
                    row.clause_id or "qasp",
                    row.standard[:80],
                    "QASP row edited" if row.clause_id else "QASP row added by the package",
                )
            )
    revisions = list(package.revisions.order_by(Revision.number.desc()))
    files: dict[int, dict[str, RevisionFile]] = {r.id: {} for r in revisions}
    if revisions:
        for f in RevisionFile.select(
            RevisionFile.id,
            RevisionFile.revision,
            RevisionFile.format,
            RevisionFile.sha256,
            RevisionFile.size,
        ).where(RevisionFile.revision.in_(list(files))):
            files[f.revision_id][f.format] = f
    return PackageView(
        package=package,
        sections=[s for s in sections.values() if s.entries or (s.id == "qasp" and qasp)],
        removed=removed,
        available=available,
        qasp=qasp,
        deviations=found,
        revisions=revisions,
        files=files,
    )


def _render(view: EntryView, answers: dict) -> None:
    if view.clause is None:
        view.error = "This clause is no longer in the library or the agency clauses."
        return
    try:
        view.library_rendered = render_text(view.clause.text, answers)
        view.rendered = (
            render_text(view.entry.text, answers) if view.edited else view.library_rendered
        )
    except ClauseError as error:
        view.error = str(error)


def visible_qasp(package: ContractPackage, included_ids: set[str]) -> list[PackageQaspRow]:
    rows = package.qasp_rows.order_by(PackageQaspRow.position, PackageQaspRow.id)
    return [r for r in rows if not r.clause_id or r.clause_id in included_ids]


def packages_of(project: Project) -> list[ContractPackage]:
    """The project's packages, newest first, each with `latest_revision` (a number or None),
    in one query: the project page's list."""
    return list(
        ContractPackage.select(ContractPackage, fn.MAX(Revision.number).alias("latest_revision"))
        .join(Revision, JOIN.LEFT_OUTER, on=(Revision.package == ContractPackage.id))
        .where(ContractPackage.project == project.id)
        .group_by(ContractPackage.id)
        .order_by(ContractPackage.created_at.desc(), ContractPackage.id.desc())
    )


def packages_in(project_ids: list[int]) -> list[ContractPackage]:
    """The packages of these projects, each with its `project` and `latest_revision`, most
    recently changed first, in one query: a person's home page."""
    if not project_ids:
        return []
    return list(
        ContractPackage.select(
            ContractPackage, Project, fn.MAX(Revision.number).alias("latest_revision")
        )
        .join(Project)
        .switch(ContractPackage)
        .join(Revision, JOIN.LEFT_OUTER, on=(Revision.package == ContractPackage.id))
        .where(ContractPackage.project.in_(project_ids))
        .group_by(ContractPackage.id, Project.id)
        .order_by(ContractPackage.updated_at.desc(), ContractPackage.id.desc())
    )


@dataclass
class PackageSummary:
    """A package as the API lists it: its included clause ids and its latest revision."""

    package: ContractPackage
    clause_ids: list[str]
    latest_revision: int | None


def package_summaries(project: Project) -> list[PackageSummary]:
    """The project's packages in order, in three queries whatever their number."""
    packages = list(
        ContractPackage.select()
        .where(ContractPackage.project == project.id)
        .order_by(ContractPackage.id)
    )
    ids = [p.id for p in packages] or [0]
    clauses: dict[int, list[str]] = {p.id: [] for p in packages}
    for package_id, clause_id in (
        PackageClause.select(PackageClause.package, PackageClause.clause_id)
        .where(PackageClause.package.in_(ids) & PackageClause.included)
        .order_by(PackageClause.position)
        .tuples()
    ):
        clauses[package_id].append(clause_id)
    latest = dict(
        Revision.select(Revision.package, fn.MAX(Revision.number))
        .where(Revision.package.in_(ids))
        .group_by(Revision.package)
        .tuples()
    )
    return [PackageSummary(p, clauses[p.id], latest.get(p.id)) for p in packages]


@dataclass(frozen=True)
class ContractLine:
    project_id: int
    title: str
    status_label: str
    detail: str


def package_lines(project_ids: list[int]) -> dict[int, list[ContractLine]]:
    """Each project's contract packages: status, latest exported revision, last change."""
    found: dict[int, list[ContractLine]] = defaultdict(list)
    if not project_ids:
        return found
    rows = (
        ContractPackage.select(
            ContractPackage.project,
            ContractPackage.title,
            ContractPackage.status,
            ContractPackage.updated_at,
            fn.MAX(Revision.number).alias("latest"),
        )
        .join(Revision, JOIN.LEFT_OUTER, on=Revision.package == ContractPackage.id)
        .where(ContractPackage.project.in_(project_ids))
        .group_by(
            ContractPackage.id,
            ContractPackage.project,
            ContractPackage.title,
            ContractPackage.status,
            ContractPackage.updated_at,
        )
        .order_by(ContractPackage.title, ContractPackage.id)
        .tuples()
    )
    for project_id, title, status, updated_at, latest in rows:
        revision = f"revision {latest} exported" if latest else "not exported yet"
        found[project_id].append(
            ContractLine(
                project_id,
                title,
                PACKAGE_STATUSES.get(status, status),
                f"{revision} · last changed {format_day(updated_at)}",
            )
        )
    return found


def packages_version(project_ids_query) -> tuple:
    """Count and newest change of the packages, for the report cache's fingerprint."""
    return (
        ContractPackage.select(fn.COUNT(ContractPackage.id), fn.MAX(ContractPackage.updated_at))
        .where(ContractPackage.project.in_(project_ids_query))
        .tuples()
        .get()
    )


PII_ITEMS = ("p11.c1", "p11.c2", "p11.c3", "p11.c4")  # Play 11: personal data and privacy
CLOUD_ITEMS = ("p09.c1", "p09.c2", "p09.c3", "p11.c5")  # Play 9 cloud, and FedRAMP hosting


def project_facts(project: Project) -> tuple[dict, list[str]]:
    """The answers a new package takes from the project, and a sentence saying where each
    came from: personal data from the research log and the Play 11 items, hosting from
    Play 9, the discovery phase from the project's phase."""
    from projects.research.models import Finding

    answers = default_answers(
        agency_name=project.agency,
        program_name=project.office or project.agency,
        project_name=project.name,
        service_summary=project.summary,
    )
    notes = []
    statuses = statuses_by_project([project.id])[project.id]
    privacy = [i for i in PII_ITEMS if statuses.get(i, "not_started") != "not_applicable"]
    research = Finding.select().where(Finding.project == project.id).count()
    if research or any(statuses.get(i) in ("in_progress", "done") for i in PII_ITEMS):
        answers["handles_pii"] = True
        why = [f"{research} research finding{'s' if research != 1 else ''}"] if research else []
        if any(statuses.get(i) in ("in_progress", "done") for i in PII_ITEMS):
            why.append("privacy work under Play 11")
        notes.append(
            "Personal information: yes, because the project has " + " and ".join(why) + "."
        )
    elif not privacy:
        notes.append(
            "Personal information: no, because every Play 11 privacy item is marked not applicable."
        )
    cloud = [i for i in CLOUD_ITEMS if statuses.get(i) in ("in_progress", "done")]
    if cloud:
        answers["hosting"] = "commercial-cloud"
        notes.append(
            "Hosting: commercial cloud, because the project is working on Play 9 "
            "(cloud) or FedRAMP hosting."
        )
    elif all(statuses.get(i) == "not_applicable" for i in CLOUD_ITEMS):
        answers["hosting"] = "agency-data-center"
        notes.append(
            "Hosting: an agency data center, because the cloud items of Play 9 are "
            "marked not applicable."
        )
    if project.phase in ("discovery", "alpha"):
        notes.append(
            f"The project is in {project.phase}, so the package proposes a discovery "
            "and prototyping phase."
        )
    else:
        notes.append(
            f"The project is in {project.phase}, so the package proposes continuity of services."
        )
    return answers, notes


def finding_choices(project: Project) -> list[tuple[int, str]]:
    """The project's research findings a package may cite, newest first."""
    from projects.research.models import Finding

    rows = (
        Finding.select(Finding.id, Finding.title, Finding.research_date)
        .where(Finding.project == project.id)
        .order_by(Finding.research_date.desc(), Finding.id.desc())
    )
    return [(f.id, f"{f.title} ({format_day(f.research_date)})") for f in rows]


def cited_findings(package: ContractPackage) -> list[dict]:
    """The findings the package cites, as the background shows them (still the project's)."""
    from projects.research.models import Finding

    ids = [i for i in package.answers.get("cited_findings", []) if isinstance(i, int)]
    if not ids:
        return []
    rows = Finding.select().where((Finding.id.in_(ids)) & (Finding.project == package.project_id))
    return [
        {
            "title": f.title,
            "method": f.method_label,
            "date": format_day(f.research_date),
            "insight": " ".join(f.insight.split()),
        }
        for f in rows.order_by(Finding.research_date.desc(), Finding.id.desc())
    ]


@dataclass
class OfficerRow:
    """One package on the officer's "Contract packages" page."""

    package: ContractPackage
    project: Project
    latest_revision: int | None
    deviations: int


def packages_for_officer(project_query) -> list[OfficerRow]:
    """Every package of the projects in `project_query` (those the person may see), with its
    status, latest revision and the number of deviations from the library awaiting legal
    review, in a fixed number of queries however many packages there are."""
    from projects.contracts.catalogue import catalogue

    packages = list(
        ContractPackage.select(
            ContractPackage, Project, fn.MAX(Revision.number).alias("latest_revision")
        )
        .join(Project)
        .switch(ContractPackage)
        .join(Revision, JOIN.LEFT_OUTER, on=(Revision.package == ContractPackage.id))
        .where(ContractPackage.project.in_(project_query.select(Project.id)))
        .group_by(ContractPackage.id, Project.id)
        .order_by(ContractPackage.updated_at.desc(), ContractPackage.id.desc())
    )
    if not packages:
        return []
    ids = [p.id for p in packages]
    entries: dict[int, list[PackageClause]] = defaultdict(list)
    for entry in PackageClause.select().where(PackageClause.package.in_(ids)):
        entries[entry.package_id].append(entry)
    library, agency = _clauses_for([e for rows in entries.values() for e in rows])
    clauses = catalogue()
    statuses = statuses_by_project(list({p.project_id for p in packages}))
    qasp = dict(
        PackageQaspRow.select(PackageQaspRow.package, fn.COUNT(PackageQaspRow.id))
        .where(
            PackageQaspRow.package.in_(ids)
            & (PackageQaspRow.edited | (PackageQaspRow.clause_id == ""))
        )
        .group_by(PackageQaspRow.package)
        .tuples()
    )
    rows = []
    for package in packages:
        answers = package.filled_answers
        phase, status = package.project.phase, statuses[package.project_id]
        proposed = {c.id for c in clauses if evaluate(c, answers, phase, status).proposed}
        found = deviations(_entry_for(e, library, agency, proposed) for e in entries[package.id])
        rows.append(
            OfficerRow(
                package,
                package.project,
                package.latest_revision,
                len(found) + qasp.get(package.id, 0),
            )
        )
    return rows


def _entry_for(entry: PackageClause, library: dict, agency: dict, proposed: set) -> PackageEntry:
    is_agency = entry.clause_id not in library
    clause = (
        agency.get((entry.clause_id, entry.clause_version))
        if is_agency
        else library.get(entry.clause_id)
    )
    return PackageEntry(
        clause_id=entry.clause_id,
        title=clause.title if clause else entry.clause_id,
        included=entry.included,
        edited_text=entry.text,
        library_text=clause.text if clause else None,
        library_version=None if is_agency or clause is None else clause.version,
        used_version=entry.clause_version,
        proposed=entry.clause_id in proposed,
        agency=is_agency,
    )
