"""Working on a contract package in the browser: starting it from the project, proposed
clauses with reasons, adding, removing, reordering and editing clauses, the QASP and the
deviation list."""

from __future__ import annotations

import re

import pytest

from projects.audit import AuditEvent
from projects.contracts.models import ContractPackage, PackageClause, PackageQaspRow
from tests.contracts.factories import ANSWERS, make_package, officer_project
from tests.pages import button_form, filled, forms, post_form, url


def clause_order(html: str) -> list[str]:
    return re.findall(r'<article class="pt-clause[^"]*" id="clause-([a-z.\-]+)"', html)


def test_the_start_form_is_prefilled_from_the_project(client, signed_in):
    officer, project = officer_project(
        name="Renew a boat license",
        agency="Department of Harbours",
        office="Marine Licensing",
        summary="Boat owners renew online.",
    )
    signed_in(officer)
    page = client.get(url("projects.detail", slug=project.slug))
    assert "Contract packages" in page.text
    assert url("contracts.new", slug=project.slug) in page.text
    page = client.get(url("contracts.new", slug=project.slug)).text
    form = next(f["fields"] for f in forms(page) if "agency_name" in f["fields"])
    assert form["agency_name"] == "Department of Harbours"
    assert form["program_name"] == "Marine Licensing"
    assert form["project_name"] == "Renew a boat license"
    assert form["service_summary"] == "Boat owners renew online."
    assert form["title"] == "Contract language for Renew a boat license"


def test_starting_a_package_proposes_clauses_with_reasons_grouped_by_section(client, signed_in):
    officer, project = officer_project(phase="discovery")
    signed_in(officer)
    new = url("contracts.new", slug=project.slug)
    response = client.post(
        new, data=filled(client, new, "title", **ANSWERS | {"handles_pii": "yes"})
    )
    assert response.status_code == 302
    package = ContractPackage.get(ContractPackage.project == project)
    assert package.answers["iteration_weeks"] == 2 and package.answers["handles_pii"] is True
    page = client.get(response.location).text
    assert "Proposed because the project is in the discovery phase" in page
    assert "Proposed because the service handles personally identifiable information" in page
    assert "Performance begins with a discovery and prototyping phase lasting 6 weeks" in page
    headings = re.findall(r'<h3 class="pt-contract-section">([^<]+)</h3>', page)
    assert headings[:3] == ["1. Background", "2. Statement of objectives", "3. Scope"]
    assert "Department of Fish" in page
    assert AuditEvent.select().where(AuditEvent.object_type == "ContractPackage").count() == 1


BAD_ANSWERS = [
    ({"iteration_weeks": "9"}, "Iteration length in weeks must be between 1 and 4"),
    ({"iteration_weeks": "two"}, "Enter iteration length in weeks as a whole number, like 1"),
    ({"discovery_weeks": "1"}, "must be between 2 and 16"),
    ({"base_period_months": "36"}, "Base period in months must be between 1 and 24"),
    ({"option_periods": "-1"}, "Number of option periods must be between 0 and 5"),
    ({"option_period_months": ""}, "Enter the length of each option period in months"),
    ({"agency_name": "  "}, "Enter the agency name"),
    ({"contract_type": "cost-plus"}, "Not a valid choice"),
    ({"title": ""}, "Enter a title for the package"),
    ({"service_summary": "x" * 3001}, "Use 3,000 characters or fewer"),
]


@pytest.mark.parametrize(("change", "message"), BAD_ANSWERS)
def test_bad_answers_give_form_errors_and_save_nothing(client, signed_in, change, message):
    officer, project = officer_project()
    signed_in(officer)
    new = url("contracts.new", slug=project.slug)
    page = client.post(new, data=filled(client, new, "title", **ANSWERS | change))
    assert page.status_code == 200
    assert "<title>Error:" in page.text
    assert message in page.text
    assert ContractPackage.select().count() == 0


def test_changing_the_answers_refills_every_clause(client, signed_in):
    officer, project = officer_project()
    package = make_package(project, officer)
    signed_in(officer)
    response = client.post(
        url("contracts.answers", slug=project.slug, package_id=package.id),
        data=post_form(
            client.get(url("contracts.answers", slug=project.slug, package_id=package.id)).text,
            "version",
        )
        | {"iteration_weeks": "3", "title": "Renamed"},
    )
    assert response.status_code == 302
    page = client.get(url("contracts.detail", slug=project.slug, package_id=package.id)).text
    assert "consecutive iterations of 3 weeks each" in page
    assert "Renamed" in page
    answers = url("contracts.answers", slug=project.slug, package_id=package.id)
    bad = client.post(
        answers, data=filled(client, answers, "title", **ANSWERS | {"iteration_weeks": "0"})
    )
    assert "must be between 1 and 4" in bad.text
    assert ContractPackage.get_by_id(package.id).answers["iteration_weeks"] == 3


def test_remove_put_back_and_add_clauses(client, signed_in):
    officer, project = officer_project(phase="beta")
    package = make_package(project, officer)
    signed_in(officer)
    warranty = PackageClause.get(package=package, clause_id="clause.warranty")
    client.post(
        url(
            "contracts.include",
            slug=project.slug,
            package_id=package.id,
            entry_id=warranty.id,
            action="remove",
        )
    )
    page = client.get(url("contracts.detail", slug=project.slug, package_id=package.id)).text
    assert "clause.warranty" not in clause_order(page)
    assert "Proposed by the rules but removed" in page
    client.post(
        url(
            "contracts.include",
            slug=project.slug,
            package_id=package.id,
            entry_id=warranty.id,
            action="restore",
        )
    )
    assert "clause.warranty" in clause_order(
        client.get(url("contracts.detail", slug=project.slug, package_id=package.id)).text
    )

    response = client.post(
        url("contracts.add", slug=project.slug, package_id=package.id),
        data={"clause_id": "clause.market-research"},
    )
    assert response.status_code == 302
    page = client.get(url("contracts.detail", slug=project.slug, package_id=package.id)).text
    order = clause_order(page)
    assert order.index("clause.market-research") < order.index("clause.statement-of-objectives")
    assert "Added though not proposed" in page
    # A clause that is not in the catalog cannot be added.
    client.post(
        url("contracts.add", slug=project.slug, package_id=package.id),
        data={"clause_id": "clause.nope"},
    )
    assert not PackageClause.select().where(PackageClause.clause_id == "clause.nope").exists()


def test_move_up_and_down_within_a_section(client, signed_in):
    officer, project = officer_project(phase="beta")
    package = make_package(project, officer)
    signed_in(officer)
    order = clause_order(
        client.get(url("contracts.detail", slug=project.slug, package_id=package.id)).text
    )
    first, second = "clause.delivery-milestones", "clause.definition-of-done"
    assert order.index(first) + 1 == order.index(second)
    entry = PackageClause.get(package=package, clause_id=second)
    assert (
        client.post(
            url(
                "contracts.move_clause",
                slug=project.slug,
                package_id=package.id,
                entry_id=entry.id,
                direction="up",
            )
        ).status_code
        == 302
    )
    order = clause_order(
        client.get(url("contracts.detail", slug=project.slug, package_id=package.id)).text
    )
    assert order.index(second) + 1 == order.index(first)
    client.post(
        url(
            "contracts.move_clause",
            slug=project.slug,
            package_id=package.id,
            entry_id=entry.id,
            direction="down",
        )
    )
    order = clause_order(
        client.get(url("contracts.detail", slug=project.slug, package_id=package.id)).text
    )
    assert order.index(first) + 1 == order.index(second)
    # The first clause of the whole package cannot move up; nothing changes, no error.
    top = PackageClause.get(package=package, clause_id=order[0])
    response = client.post(
        url(
            "contracts.move_clause",
            slug=project.slug,
            package_id=package.id,
            entry_id=top.id,
            direction="up",
        ),
        follow_redirects=True,
    )
    assert "already at the top of its section" in response.text


def test_an_edited_clause_keeps_the_library_text_beside_it_and_is_a_deviation(client, signed_in):
    officer, project = officer_project()
    package = make_package(project, officer)
    signed_in(officer)
    entry = PackageClause.get(package=package, clause_id="clause.warranty")
    edit_url = url(
        "contracts.edit_clause", slug=project.slug, package_id=package.id, entry_id=entry.id
    )
    form = client.get(edit_url)
    assert "Library text, version 1" in form.text
    text = "For {{ project_name }} the warranty lasts 60 days."
    response = client.post(edit_url, data=filled(client, edit_url, "text", text=text))
    assert response.status_code == 302
    page = client.get(url("contracts.detail", slug=project.slug, package_id=package.id)).text
    assert f"For {project.name} the warranty lasts 60 days." in page
    assert "Library text (version 1)" in page
    assert "The Contractor warrants that each release" in page  # the library text, beside it
    assert "Text edited from the library version" in page
    assert PackageClause.get_by_id(entry.id).text.startswith("For {{ project_name }}")
    # Going back to the library text removes the deviation.
    detail = url("contracts.detail", slug=project.slug, package_id=package.id)
    reset = url(
        "contracts.reset_clause", slug=project.slug, package_id=package.id, entry_id=entry.id
    )
    client.post(reset, data=button_form(client, detail, reset))
    page = client.get(detail).text
    assert "Text edited from the library version" not in page
    assert PackageClause.get_by_id(entry.id).text is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Pay {{ budget }} dollars.", "uses {{ budget }}, which is not one of the package"),
        ("{% if hosting %}Cloud.", "template mistake on line 1"),
        ("{{ ''.__class__ }}", "tries to reach Python internals (.__class__)"),
        ("{{ cycler.__init__ }}", "tries to reach Python internals (.__init__)"),
        ("{{ agency_name | attr('x') }}", "uses the filter “attr”"),
        ("", "Enter the clause text"),
    ],
)
def test_a_clause_edit_that_cannot_render_is_refused_with_a_message(
    client, signed_in, text, message
):
    officer, project = officer_project()
    package = make_package(project, officer)
    signed_in(officer)
    entry = PackageClause.get(package=package, clause_id="clause.warranty")
    edit = url("contracts.edit_clause", slug=project.slug, package_id=package.id, entry_id=entry.id)
    page = client.post(edit, data=filled(client, edit, "text", text=text))
    assert page.status_code == 200
    assert "<title>Error:" in page.text
    assert message in page.text.replace("&#39;", "'").replace("&#34;", '"')
    assert PackageClause.get_by_id(entry.id).text is None


def test_a_stale_clause_edit_is_a_conflict_not_an_overwrite(client, signed_in):
    officer, project = officer_project()
    package = make_package(project, officer)
    signed_in(officer)
    entry = PackageClause.get(package=package, clause_id="clause.warranty")
    where = url(
        "contracts.edit_clause", slug=project.slug, package_id=package.id, entry_id=entry.id
    )
    mine, theirs = (
        filled(client, where, "text", text=t) for t in ("First words.", "Second words.")
    )
    client.post(where, data=mine)
    page = client.post(where, data=theirs)
    assert page.status_code == 409
    assert "Someone else saved changes while you were editing" in page.text
    assert "First words." in page.text and "Second words." in page.text
    assert PackageClause.get_by_id(entry.id).text == "First words."


def test_buttons_pressed_on_a_stale_page_do_not_undo_a_later_edit(client, signed_in):
    """Two officers have the package open; one edits a clause and a QASP row, then the other
    presses "Use the library text" and "Remove" on the page they loaded before."""
    officer, project = officer_project(phase="beta")
    package = make_package(project, officer)
    signed_in(officer)
    detail = url("contracts.detail", slug=project.slug, package_id=package.id)
    entry = PackageClause.get(package=package, clause_id="clause.warranty")
    edit = url("contracts.edit_clause", slug=project.slug, package_id=package.id, entry_id=entry.id)
    client.post(edit, data=filled(client, edit, "text", text="First words."))
    row = PackageQaspRow.get(package=package, clause_id="clause.delivery-milestones")
    reset = url(
        "contracts.reset_clause", slug=project.slug, package_id=package.id, entry_id=entry.id
    )
    remove = url("contracts.delete_qasp", slug=project.slug, package_id=package.id, row_id=row.id)
    stale_reset, stale_remove = (
        button_form(client, detail, reset),
        button_form(client, detail, remove),
    )

    client.post(edit, data=filled(client, edit, "text", text="Second words."))
    row_edit = url("contracts.edit_qasp", slug=project.slug, package_id=package.id, row_id=row.id)
    client.post(row_edit, data=filled(client, row_edit, "standard", standard="Weekly demos."))

    page = client.post(reset, data=stale_reset, follow_redirects=True)
    assert "Someone changed this clause after you opened the page" in page.text
    assert PackageClause.get_by_id(entry.id).text == "Second words."
    page = client.post(remove, data=stale_remove, follow_redirects=True)
    assert "Someone changed this QASP row after you opened the page" in page.text
    assert PackageQaspRow.get_by_id(row.id).standard == "Weekly demos."
    # Pressed again on the page as it is now, both do what they say.
    client.post(reset, data=button_form(client, detail, reset))
    client.post(remove, data=button_form(client, detail, remove))
    assert PackageClause.get_by_id(entry.id).text is None
    assert not PackageQaspRow.select().where(PackageQaspRow.id == row.id).exists()


def test_the_qasp_comes_from_the_clauses_and_is_editable_row_by_row(client, signed_in):
    officer, project = officer_project(phase="beta")
    package = make_package(project, officer)
    signed_in(officer)
    page = client.get(url("contracts.detail", slug=project.slug, package_id=package.id)).text
    assert "Working software is delivered at the end of every iteration." in page
    assert "Discovery deliverables" not in page  # its clause is not in a beta package
    row = PackageQaspRow.get(package=package, clause_id="clause.delivery-milestones")
    edit = url("contracts.edit_qasp", slug=project.slug, package_id=package.id, row_id=row.id)
    good = {
        "standard": "Working software every iteration.",
        "quality_level": "100%",
        "surveillance": "Product owner review.",
    }
    response = client.post(edit, data=filled(client, edit, "standard", **good))
    assert response.status_code == 302
    page = client.get(url("contracts.detail", slug=project.slug, package_id=package.id)).text
    assert "Working software every iteration." in page
    assert "QASP row edited" in page
    bad = client.post(
        edit,
        data=filled(client, edit, "standard", standard="", quality_level="x", surveillance="y"),
    )
    assert "Enter the performance standard" in bad.text
    add = url("contracts.add_qasp", slug=project.slug, package_id=package.id)
    new_row = {
        "standard": "Help desk answers.",
        "quality_level": "Within a day.",
        "surveillance": "Monthly sample.",
    }
    client.post(add, data=filled(client, add, "standard", **new_row))
    assert (
        "QASP row added by the package"
        in client.get(url("contracts.detail", slug=project.slug, package_id=package.id)).text
    )
    added = PackageQaspRow.get(standard="Help desk answers.")
    remove = url("contracts.delete_qasp", slug=project.slug, package_id=package.id, row_id=added.id)
    detail = url("contracts.detail", slug=project.slug, package_id=package.id)
    client.post(remove, data=button_form(client, detail, remove))
    assert not PackageQaspRow.select().where(PackageQaspRow.id == added.id).exists()
    # Removing a clause hides its rows; putting it back shows them again.
    entry = PackageClause.get(package=package, clause_id="clause.warranty")
    client.post(
        url(
            "contracts.include",
            slug=project.slug,
            package_id=package.id,
            entry_id=entry.id,
            action="remove",
        )
    )
    assert (
        "Defects found during the warranty period"
        not in client.get(url("contracts.detail", slug=project.slug, package_id=package.id)).text
    )


def _positions(package) -> list[int]:
    return [e.position for e in PackageClause.select().where(PackageClause.package == package.id)]


def test_adding_a_clause_twice_says_it_is_there_and_adds_nothing(client, signed_in):
    """Two officers choose the same clause on pages loaded before either added it."""
    officer, project = officer_project(phase="beta")
    package = make_package(project, officer)
    signed_in(officer)
    detail = url("contracts.detail", slug=project.slug, package_id=package.id)
    add = url("contracts.add", slug=project.slug, package_id=package.id)
    page = client.get(detail).text
    first = post_form(page, "clause_id") | {"clause_id": "clause.market-research"}
    second = dict(first)  # the same form, as the other officer's stale page would send it
    response = client.post(add, data=first)
    assert response.status_code == 302
    assert "Added “" in client.get(response.location).text
    response = client.post(add, data=second)
    assert response.status_code == 302
    assert "is already in the package: nothing was added." in client.get(response.location).text
    assert (
        PackageClause.select().where(PackageClause.clause_id == "clause.market-research").count()
        == 1
    )
    added = AuditEvent.select().where(AuditEvent.action == "added clause").count()
    assert added == 1
    positions = sorted(_positions(package))
    assert positions == [10 * n for n in range(1, len(positions) + 1)]


def test_moves_from_a_stale_page_keep_every_position_unique(client, signed_in):
    """Moves and adds renumber through free positions: never two clauses in one place."""
    officer, project = officer_project(phase="beta")
    package = make_package(project, officer)
    signed_in(officer)
    detail = url("contracts.detail", slug=project.slug, package_id=package.id)
    stale = client.get(detail).text
    entry = PackageClause.get(package=package, clause_id="clause.definition-of-done")
    move = url(
        "contracts.move_clause",
        slug=project.slug,
        package_id=package.id,
        entry_id=entry.id,
        direction="up",
    )
    button = next(f["fields"] for f in forms(stale) if f["action"] == move)
    for _ in range(2):  # the second press moves it on from where the first left it
        assert client.post(move, data=button).status_code == 302
    client.post(
        url("contracts.add", slug=project.slug, package_id=package.id),
        data=post_form(stale, "clause_id") | {"clause_id": "clause.market-research"},
    )
    positions = sorted(_positions(package))
    assert positions == [10 * n for n in range(1, len(positions) + 1)]
    order = clause_order(client.get(detail).text)
    assert order.index("clause.definition-of-done") < order.index("clause.delivery-milestones")


def test_qasp_rows_added_one_after_another_take_their_own_positions(client, signed_in):
    officer, project = officer_project(phase="beta")
    package = make_package(project, officer)
    signed_in(officer)
    new_row = url("contracts.add_qasp", slug=project.slug, package_id=package.id)
    for n in range(2):
        data = post_form(client.get(new_row).text, "standard") | {
            "standard": f"Standard {n}",
            "quality_level": "95 %",
            "surveillance": "Monthly review",
        }
        assert client.post(new_row, data=data).status_code == 302
    rows = PackageQaspRow.select().where(PackageQaspRow.package == package.id)
    positions = [r.position for r in rows]
    assert len(set(positions)) == len(positions)
    last = rows.order_by(PackageQaspRow.position.desc()).get()
    assert last.standard == "Standard 1"
