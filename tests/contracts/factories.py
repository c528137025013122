"""Factories for contract tests: an officer's project and a package started from it."""

from __future__ import annotations

from playbook.contracts import default_answers
from projects.contracts.changes import start_package
from projects.contracts.models import ContractPackage
from tests.conftest import make_project, make_user

ANSWERS = {
    "title": "Agile services for fishing licenses",
    "agency_name": "Department of Fish",
    "program_name": "Licensing",
    "project_name": "Renew a fishing license",
    "service_summary": "Anglers renew their license online in minutes.",
    "contract_type": "firm-fixed-price",
    "iteration_weeks": "2",
    "discovery_weeks": "6",
    "base_period_months": "12",
    "option_periods": "2",
    "option_period_months": "12",
    "hosting": "commercial-cloud",
    "data_sensitivity": "moderate",
    "handles_pii": "no",
    "open_source": "open-by-default",
    "repository_host": "github.com/fish-agency",
}


def officer_project(phase: str = "discovery", **fields):
    officer = make_user("contracting", name="Casey Officer")
    project = make_project(members={officer: "editor"}, phase=phase, **fields)
    return officer, project


def make_package(project, user, **answers) -> ContractPackage:
    values = (
        default_answers(
            agency_name="Department of Fish",
            program_name="Licensing",
            project_name=project.name,
            service_summary="Anglers renew their license online in minutes.",
        )
        | answers
    )
    return start_package(project, "Contract language", values, user)
