"""The permission policy itself: the table is complete, the README shows exactly it, and the
rules where features used to disagree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from projects import access
from projects.access import (
    ACTIONS,
    COLUMNS,
    EDIT_CONTRACTS,
    EDIT_ITEMS,
    FREEZE_REPORTS,
    GLOBAL_ACTIONS,
    MANAGE_PROJECT,
    RULES,
    SEE_EVERYTHING,
    VIEW,
    allowed,
)
from projects.auth.models import ROLES
from projects.projects.models import PROJECT_ROLES
from tests.conftest import make_project, make_user

README = Path(__file__).resolve().parent.parent / "README.md"
STANDINGS = [access.LEAD, *PROJECT_ROLES, None]
# A role compared outside access.py, or the old rule helpers.
ROLE_CHECKS = re.compile(
    r"\.role\s*(==|!=|in\b|not in\b)|\b(sees_everything|my_permissions|role_required|"
    r"EDITOR_ROLES|may_freeze|can_edit_contracts)\b"
)


def test_every_action_has_a_rule_for_every_role():
    assert set(RULES) == set(ACTIONS)
    assert set(COLUMNS) == set(ROLES), "a new role needs its column in access.RULES"
    assert all(len(row) == len(COLUMNS) for row in RULES.values())


def test_the_readme_shows_the_policy_table_exactly():
    table = access.table_markdown()
    readme = README.read_text(encoding="utf-8")
    assert table in readme, "README.md's permission table differs from access.RULES:\n" + table
    # Only one copy, so nobody edits a stale duplicate.
    assert readme.count(table.splitlines()[0]) == 1


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("standing", STANDINGS)
def test_project_powers_nest(role, standing):
    """Whoever may change a project may see it; a manager may also edit its items; a viewer
    changes nothing anywhere."""
    for action in set(ACTIONS) - GLOBAL_ACTIONS - {VIEW}:
        if allowed(role, standing, action):
            assert allowed(role, standing, VIEW), (role, standing, action)
    if allowed(role, standing, MANAGE_PROJECT):
        assert allowed(role, standing, EDIT_ITEMS)
    if standing == "viewer" and not allowed(role, None, VIEW):
        changes = {EDIT_ITEMS, MANAGE_PROJECT, EDIT_CONTRACTS, FREEZE_REPORTS}
        assert not any(allowed(role, standing, a) for a in changes), role


@pytest.mark.parametrize("role", list(ROLES))
def test_seeing_everything_is_seeing_every_project(role):
    assert allowed(role, None, SEE_EVERYTHING) == allowed(role, None, VIEW)


@pytest.mark.parametrize(
    ("role", "standing", "may_edit"),
    [
        ("contracting", "viewer", False),  # used to edit every package it could see
        ("contracting", "editor", True),
        ("contracting", "owner", True),
        ("contracting", access.LEAD, True),
        ("lead", "editor", False),  # contract language is a contracting officer's job
        ("lead", access.LEAD, False),
        ("admin", None, True),
        ("leadership", "owner", False),
    ],
)
def test_who_edits_contract_packages(app, role, standing, may_edit):
    user = make_user(role)
    if standing == access.LEAD:
        project = make_project(user)
    else:
        project = make_project(members={user: standing} if standing else {})
    assert access.may(user, EDIT_CONTRACTS, project) is may_edit
    assert access.may(user, VIEW, project)


def test_unknown_actions_are_mistakes(app):
    with pytest.raises(ValueError, match="unknown action"):
        access.may(make_user("admin"), "edit_everything")
    with pytest.raises(ValueError, match="action on a project"):
        access.requires(EDIT_ITEMS)


def test_no_module_but_access_decides_by_role():
    """Views and templates ask access.py; none compares roles itself."""
    root = README.parent
    offenders = []
    for path in [*root.glob("projects/**/*.py"), *root.glob("templates/**/*.html")]:
        if path.name == "access.py":
            continue
        text = path.read_text(encoding="utf-8")
        for match in ROLE_CHECKS.finditer(text):
            offenders.append(f"{path.relative_to(root)}: {match.group()}")
    assert not offenders, "ask projects/access.py instead:\n" + "\n".join(offenders)
