"""Demo contract packages: one exported package for a project in discovery."""

from __future__ import annotations

from playbook.contracts import default_answers
from projects.auth.models import User
from projects.contracts.catalogue import catalogue
from projects.contracts.changes import edit_text, start_package
from projects.contracts.exports import export
from projects.contracts.models import ContractPackage, PackageClause
from projects.projects.models import Project

DEMO_SLUG = "vehicle-registration"
WARRANTY_EDIT = """The Contractor warrants that each release delivered under this contract will work as required by the acceptance criteria and the definition of done in force when that release was accepted. The warranty for a release lasts 60 calendar days from its deployment to production.

During the warranty the Contractor shall correct any defect at no additional cost to the Government, within 5 business days of being told about it, or sooner when the defect stops people from using {{ project_name }}."""  # noqa: E501 - clause prose reads best unwrapped


def seed_contracts() -> int:
    """Create the demo package and its first revision if they are missing; returns how many
    packages were created."""
    project = Project.get_or_none(Project.slug == DEMO_SLUG)
    officer = User.get_or_none(User.email == "contracting@example.gov")
    if project is None or officer is None:
        return 0
    if ContractPackage.select().where(ContractPackage.project == project).exists():
        return 0
    answers = default_answers(
        agency_name=project.agency,
        program_name=project.office or project.agency,
        project_name=project.name,
        service_summary=project.summary,
    ) | {"handles_pii": True, "discovery_weeks": 10, "option_periods": 3}
    package = start_package(
        project, "Agile development services for vehicle registration", answers, officer
    )
    warranty = PackageClause.get_or_none(package=package, clause_id="clause.warranty")
    if warranty is not None:
        library = next(c.text for c in catalogue() if c.id == warranty.clause_id)
        edit_text(
            package,
            project,
            warranty,
            library,
            WARRANTY_EDIT,
            version=warranty.version,
            original=None,
            user=officer,
        )
    export(ContractPackage.get_by_id(package.id), project, officer)
    return 1
