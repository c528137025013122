"""Many people: the users page comes a page at a time and finds people by name or email address;
the project form's lead is typed, never picked from a list of everyone, and saving the form
without touching it never changes the lead."""

from __future__ import annotations

import re
from html import unescape

import pytest

from projects.admin import views as admin_views
from projects.auth.models import User
from projects.projects.models import Project
from tests.conftest import _PASSWORD_HASH as PASSWORD_HASH
from tests.conftest import make_project, make_user
from tests.pages import filled, forms, url


def add_people(count: int, *, name: str = "Bulk person", start: int = 0) -> None:
    """`count` people who can sign in, named "<name> 0000"..., in one insert."""
    User.insert_many(
        {
            "email": f"bulk{n}@agency.gov",
            "name": f"{name} {n:04}",
            "role": "lead",
            "password_hash": PASSWORD_HASH,
        }
        for n in range(start, start + count)
    ).execute()


def search_form(html: str) -> dict:
    """The GET form on the users page that searches."""
    return next(f for f in forms(html) if f["method"] == "get" and "q" in f["fields"])


def listed(html: str) -> list[str]:
    """The names in the users table, in order."""
    return [unescape(n) for n in re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', html)]


def page_links(html: str) -> dict[str, str]:
    """The pagination's links by their accessible name ("Page 2", "Next page")."""
    nav = html.split('class="usa-pagination"', 1)[1].split("</nav>", 1)[0]
    return {
        label: unescape(href)
        for href, label in re.findall(r'<a href="([^"]+)"[^>]*aria-label="([^"]+)"', nav)
    }


# The users page


def test_the_users_page_shows_50_at_a_time_in_name_order_and_every_one_once(client, signed_in):
    signed_in(make_user("admin", name="Ada Admin"))
    add_people(118)
    # Two people with the same name either side of the page break keep one order.
    make_user(name="Bulk person 0048")
    first = client.get(url("admin.users")).text
    assert "120 users, page 1 of 3." in first
    names = listed(first)
    assert len(names) == 50
    assert names[0] == "Ada Admin"
    links = page_links(first)
    assert "Previous page" not in links
    assert set(links) >= {"Page 1", "Page 2", "Last page, page 3", "Next page"}
    seen = list(names)
    address = links["Next page"]
    while address:
        html = client.get(address).text
        seen += listed(html)
        address = page_links(html).get("Next page")
    assert len(seen) == 120
    assert len(set(seen)) == 119  # everyone once; the one name two people share twice
    assert seen == sorted(seen)


def test_a_page_past_the_end_shows_the_last_page(client, signed_in):
    signed_in("admin")
    add_people(60)
    html = client.get(url("admin.users", page=99)).text
    assert "page 2 of 2" in html
    assert len(listed(html)) == 11


def test_many_pages_show_a_short_list_of_links(client, signed_in, monkeypatch):
    monkeypatch.setattr(admin_views, "PER_PAGE", 2)
    signed_in("admin")
    add_people(99)
    html = client.get(url("admin.users", page=25)).text
    assert "100 users, page 25 of 50." in html
    assert list(page_links(html)) == [
        "Previous page",
        "Page 1",
        "Page 24",
        "Page 25",
        "Page 26",
        "Last page, page 50",
        "Next page",
    ]
    assert 'aria-current="page">25<' in html
    assert html.count("…") == 2


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("RIVERA", ["Ana Rivera", "Rivera Smith"]),  # any case, in the name
        ("ana", ["Ana Rivera", "Dana Fox"]),
        ("@PARKS.gov", ["Dana Fox"]),  # in the email address
        ("  fox  ", ["Dana Fox"]),
        ("50%", ["Half 50% Off"]),  # % and _ are letters here, not patterns
        ("no such person", []),
    ],
)
def test_the_search_finds_people_by_name_or_email_in_any_case(client, signed_in, typed, expected):
    signed_in(make_user("admin", name="Zed Admin", email="zed@agency.gov"))
    make_user(name="Ana Rivera", email="ana.rivera@agency.gov")
    make_user(name="Rivera Smith", email="rs@agency.gov")
    make_user(name="Dana Fox", email="dfox@parks.gov")
    make_user(name="Half 50% Off", email="half@agency.gov", active=False)
    make_user(name="Bob 50 Percent", email="bob@agency.gov")
    page = client.get(url("admin.users")).text
    form = search_form(page)
    assert form["action"] == ""  # it searches the users page itself, with GET
    found = client.get(url("admin.users"), query_string=form["fields"] | {"q": typed}).text
    assert listed(found) == expected
    words = typed.strip()
    if expected:
        one = len(expected) == 1
        assert f"{len(expected)} user{'' if one else 's'} match{'es' if one else ''} “{words}”" in (
            unescape(found)
        )
    else:
        assert f"0 users match “{words}”" in unescape(found)
        assert "Check the spelling" in found
    assert f'value="{words}"' in unescape(found)  # the box keeps the words
    assert "Show everyone" in found


def test_pages_of_a_search_keep_the_search(client, signed_in):
    signed_in("admin")
    add_people(70, name="Found person")
    add_people(70, name="Other person", start=500)
    html = client.get(url("admin.users", q="found")).text
    assert "70 users match" in unescape(html) and "page 1 of 2" in html
    second = client.get(page_links(html)["Next page"]).text
    assert listed(second) == [f"Found person {n:04}" for n in range(50, 70)]


# The project form's lead


@pytest.fixture
def team(client, signed_in):
    """A project led by its owner, who is signed in, among 300 other people."""
    owner = signed_in(make_user("lead", name="Olu Owner", email="olu@agency.gov"))
    add_people(300)
    project = make_project(owner, name="Fishing licenses", members={owner: "owner"})
    return owner, project


def edit_address(project: Project) -> str:
    return url("projects.edit", slug=project.slug)


def lead_of(project: Project) -> int:
    return Project.get_by_id(project.id).lead_id


def test_the_form_does_not_list_everyone(client, team):
    _, project = team
    html = client.get(edit_address(project)).text
    assert "Bulk person" not in html
    assert "<option" not in html.split('id="lead"', 1)[1].split("</div>", 1)[0]
    assert 'value="Olu Owner &lt;olu@agency.gov&gt;"' in html


@pytest.mark.parametrize(
    "typed",
    ["bulk17@agency.gov", "  BULK17@Agency.GOV ", "bulk person 0017", "Bulk Person 0017 <x@y>"],
)
def test_the_lead_is_chosen_by_email_address_or_full_name(client, team, typed):
    _, project = team
    address = edit_address(project)
    if typed.endswith("<x@y>"):
        typed = typed.replace("x@y", "bulk17@agency.gov")
    response = client.post(address, data=filled(client, address, "name", lead=typed))
    assert response.status_code == 302
    assert lead_of(project) == User.get(User.email == "bulk17@agency.gov").id
    detail = client.get(response.location).text
    assert "Bulk person 0017" in detail


@pytest.mark.parametrize("lead_state", ["active", "inactive"])
def test_saving_without_touching_the_lead_keeps_the_lead(client, signed_in, lead_state):
    """The review's finding: a form that silently changed a project's lead. A lead who has lost
    access is not someone the form may choose now, and still stays when left alone."""
    owner = signed_in(make_user("lead", name="Olu Owner"))
    lead = make_user("lead", name="Aaron Early", active=lead_state == "active")
    make_user("lead", name="Aaron Early")  # the same name: the address tells them apart
    project = make_project(lead, members={owner: "owner"})
    address = edit_address(project)
    response = client.post(address, data=filled(client, address, "name", name="Renamed"))
    assert response.status_code == 302
    saved = Project.get_by_id(project.id)
    assert (saved.name, saved.lead_id) == ("Renamed", lead.id)


@pytest.mark.parametrize(
    ("typed", "message", "suggested"),
    [
        ("", "Enter the email address or name of the project lead", []),
        (
            "nobody@agency.gov",
            "No one signs in with the email address “nobody@agency.gov”",
            [],
        ),
        ("Gone Person", "Gone Person cannot sign in, so cannot lead a project", []),
        ("gone@agency.gov", "Gone Person cannot sign in, so cannot lead a project", []),
        (
            "Sam Same",
            "More than one person is called “Sam Same”. Enter the email address",
            ["Sam Same, sam1@agency.gov", "Sam Same, sam2@agency.gov"],
        ),
        (
            "bulk person 001",
            "No one who can sign in is called “bulk person 001”. Enter the email address of one",
            [f"Bulk person {n:04}, bulk{n}@agency.gov" for n in range(10, 20)],
        ),
        ("Zebedee", "No one who can sign in is called “Zebedee”. Check the name", []),
    ],
)
def test_a_lead_the_form_cannot_use_is_a_message_and_keeps_what_was_typed(
    client, team, typed, message, suggested
):
    owner, project = team
    make_user(name="Gone Person", email="gone@agency.gov", active=False)
    make_user(name="Sam Same", email="sam1@agency.gov")
    make_user(name="Sam Same", email="sam2@agency.gov")
    address = edit_address(project)
    fields = filled(client, address, "name", name="Boat licenses", summary="Boats.", lead=typed)
    response = client.post(address, data=fields)
    assert response.status_code == 200
    html = unescape(response.text)
    assert "Error:" in html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert message in html
    assert html.count(message) == 2  # in the summary and at the field
    shown = re.findall(r"<li>([^<]+, [^<]+@[^<]+)</li>", html)
    assert shown == suggested
    if suggested:
        assert 'aria-describedby="lead-hint lead-error lead-matches"' in html
    # Everything typed stays, the lead too; nothing is saved.
    assert 'value="Boat licenses"' in html and ">Boats.</textarea>" in html
    assert f'id="lead" name="lead" type="text" value="{typed}"' in html
    saved = Project.get_by_id(project.id)
    assert (saved.name, saved.lead_id) == ("Fishing licenses", owner.id)


def test_a_suggestion_typed_back_saves(client, team):
    _, project = team
    address = edit_address(project)
    page = client.post(address, data=filled(client, address, "name", lead="person 0123")).text
    assert "Bulk person 0123, bulk123@agency.gov" in page
    again = client.post(address, data=filled(client, address, "name", lead="bulk123@agency.gov"))
    assert again.status_code == 302
    assert lead_of(project) == User.get(User.email == "bulk123@agency.gov").id


def test_a_new_project_takes_a_typed_lead(client, signed_in):
    me = signed_in(make_user("lead", name="Mo Maker"))
    colleague = make_user("lead", name="Cam Colleague", email="cam@agency.gov")
    address = url("projects.create")
    fields = filled(client, address, "name", name="Ferry tickets", agency="Transit")
    assert fields["lead"] == f"Mo Maker <{me.email}>"
    assert client.post(address, data=fields | {"lead": "cam colleague"}).status_code == 302
    assert Project.get(Project.name == "Ferry tickets").lead_id == colleague.id


def test_two_people_changing_the_lead_at_once_is_a_conflict_in_names(client, team):
    _, project = team
    address = edit_address(project)
    mine = filled(client, address, "name", lead="bulk1@agency.gov")  # loaded, not sent yet
    theirs = filled(client, address, "name", lead="bulk2@agency.gov")
    assert client.post(address, data=theirs).status_code == 302
    response = client.post(address, data=mine)
    assert response.status_code == 409
    html = unescape(response.text)
    conflict = html.split('id="conflicts"', 1)[1].split("</table>", 1)[0]
    assert "Project lead" in conflict
    assert "Bulk person 0002 <bulk2@agency.gov>" in conflict
    assert "Bulk person 0001 <bulk1@agency.gov>" in conflict
    assert lead_of(project) == User.get(User.email == "bulk2@agency.gov").id
    # The redrawn form starts from the saved lead: saving it again on purpose takes mine.
    again = client.post(address, data=filled(client, address, "name", lead="bulk1@agency.gov"))
    assert again.status_code == 302
    assert lead_of(project) == User.get(User.email == "bulk1@agency.gov").id


def test_a_lead_changed_meanwhile_survives_an_edit_of_something_else(client, team):
    _, project = team
    address = edit_address(project)
    mine = filled(client, address, "name", name="Boat licenses")  # the lead untouched
    theirs = filled(client, address, "name", lead="bulk3@agency.gov")
    assert client.post(address, data=theirs).status_code == 302
    assert client.post(address, data=mine).status_code == 302
    saved = Project.get_by_id(project.id)
    assert saved.name == "Boat licenses"
    assert saved.lead_id == User.get(User.email == "bulk3@agency.gov").id
