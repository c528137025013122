"""The portfolio dashboard: a heat map whose cells say their numbers and words, filters,
sorting, pagination, and only the projects the person may see."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest

from projects.checklists import scores
from projects.checklists.models import ItemResponse
from projects.editions import active_edition
from tests.conftest import make_project, make_user
from tests.pages import url


class _HeatMap(HTMLParser):
    """The heat map's body rows as [row header text, cell text, ...]."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._in_map = self._in_body = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and "pt-heatmap" in (dict(attrs).get("class") or ""):
            self._in_map = True
        elif self._in_map and tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append([])
        elif self._in_body and tag in ("td", "th"):
            self._cell = []
        elif self._cell is not None and tag == "br":
            self._cell.append(" | ")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tbody":
            self._in_body = False
        elif tag == "table":
            self._in_map = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def heat_map(client, **query) -> list[list[str]]:
    response = client.get(url("portfolio.dashboard") + ("?" + urlencode(query) if query else ""))
    assert response.status_code == 200
    parser = _HeatMap()
    parser.feed(response.text)
    return parser.rows


def names(client, **query) -> list[str]:
    return [row[0].split(" | ")[0] for row in heat_map(client, **query)]


def mark(project, play_number: int, *statuses: str) -> None:
    """Give the play's first items these statuses, in order."""
    for item, status in zip(active_edition().play(play_number).checklist, statuses, strict=False):
        ItemResponse.create(
            project=project,
            item_id=item.id,
            status=status,
            justification="Not part of this service" if status == "not_applicable" else "",
        )
    scores.refresh(project)


def test_heat_map_cells_show_their_number_and_words(client, signed_in):
    lead = signed_in("lead")
    project = make_project(lead, name="Renew a business license", agency="Licensing")
    mark(project, 1, "done", "done")  # 2 of 7: 29 %
    mark(project, 2, *["done"] * 4)  # 100 %
    mark(project, 6, "done", "done", "done")  # 3 of 5: 60 %
    mark(project, 7, *["not_applicable"] * 8)  # nothing applicable
    [row] = heat_map(client)
    header, phase, overall, reviewed, change, _findings, cx, *plays = row
    assert cx == "Satisfaction: no figures yet | Trust: no figures yet"
    assert header == f"Renew a business license | Licensing · {lead.name}"
    assert "no record from 30 days ago yet" in change  # read out; a dash is what shows
    assert "no record from 90 days ago yet" in change
    assert phase == "Alpha | Not assessed"
    assert reviewed == "0% Not ready"  # nothing reviewed yet
    titles = [play.title for play in active_edition().plays]
    assert len(plays) == len(titles)
    # Each cell link names its project and play for a screen reader (visually hidden).
    plays = [
        cell.removesuffix(f": Renew a business license, play {n}, {title}")
        for n, (cell, title) in enumerate(zip(plays, titles, strict=True), start=1)
    ]
    assert plays[0] == "29% Not ready"
    assert plays[1] == "100% Ready"
    assert plays[5] == "60% Partly ready"
    assert plays[6] == "n/a No items"
    assert plays[2] == "0% Not ready"
    # Overall: the mean over the 12 plays with applicable items.
    expected = round((2 / 7 + 1 + 3 / 5) / 12 * 100)
    assert overall == f"{expected}% Not ready"


def test_each_play_cell_links_to_the_play(client, signed_in):
    project = make_project(signed_in("lead"))
    page = client.get(url("portfolio.dashboard")).text
    for play in active_edition().plays:
        assert f'href="/projects/{project.slug}/plays/{play.number}"' in page


@pytest.fixture
def portfolio(signed_in):
    """Five projects an admin sees, across agencies, phases and leads."""
    ana, ben = make_user("lead", name="Ana Lead"), make_user("lead", name="Ben Lead")
    projects = {
        "Apply for a building permit": make_project(ana, agency="Buildings", phase="discovery"),
        "Pay a parking fine": make_project(ben, agency="Transport", phase="beta"),
        "Renew a food license": make_project(ana, agency="Health", phase="beta"),
        "Claim housing benefit": make_project(ben, agency="Benefits", phase="live"),
        "File business taxes": make_project(ana, agency="Revenue", phase="alpha"),
    }
    for name, project in projects.items():
        project.name = name
        project.save()
    admin = signed_in("admin")
    return {"projects": projects, "ana": ana, "ben": ben, "admin": admin}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"agency": "Transport"}, ["Pay a parking fine"]),
        ({"phase": "beta"}, ["Pay a parking fine", "Renew a food license"]),
        ({"lead": "BEN"}, ["Claim housing benefit", "Pay a parking fine"]),
        ({"lead": "ANA", "phase": "beta"}, ["Renew a food license"]),
        ({"agency": "Nowhere"}, []),
        ({"phase": "someday"}, "ALL"),  # not a phase: no filter, not an error
        ({"lead": "ben lead"}, ["Claim housing benefit", "Pay a parking fine"]),  # any case
        ({"lead": "Nobody by that name"}, []),
        ({"lead": "   "}, "ALL"),
    ],
)
def test_filters(client, portfolio, query, expected):
    emails = {"ANA": portfolio["ana"].email, "BEN": portfolio["ben"].email}
    query = {k: emails.get(v, v) for k, v in query.items()}
    if expected == "ALL":
        expected = sorted(portfolio["projects"])
    assert names(client, **query) == expected
    if not expected:
        assert "No projects match these filters." in client.get("/portfolio?agency=Nowhere").text


def test_filters_offer_the_visible_agencies_and_leads(client, portfolio):
    page = client.get(url("portfolio.dashboard")).text
    for agency in ("Buildings", "Transport", "Health", "Benefits", "Revenue"):
        assert f'<option value="{agency}">{agency}</option>' in page
    assert 'name="lead" type="search" value=""' in page  # a search, not a list of every lead
    selected = client.get("/portfolio?agency=Health&lead=Ana+Lead").text
    assert '<option value="Health" selected>Health</option>' in selected
    assert 'name="lead" type="search" value="Ana Lead"' in selected


def test_sorting_by_readiness_both_ways(client, portfolio):
    projects = portfolio["projects"]
    mark(projects["Pay a parking fine"], 1, *["done"] * 7)  # 1/13 overall
    mark(projects["Claim housing benefit"], 1, "done")  # 1/7/13
    mark(projects["File business taxes"], 1, *["done"] * 7)
    mark(projects["File business taxes"], 2, *["done"] * 4)  # 2/13
    for play in active_edition().plays:  # nothing applicable: n/a
        mark(projects["Renew a food license"], play.number, *["not_applicable"] * 9)
    lowest_first = [
        "Apply for a building permit",
        "Claim housing benefit",
        "Pay a parking fine",
        "File business taxes",
        "Renew a food license",
    ]
    assert names(client, sort="readiness") == lowest_first
    highest_first = [*reversed(lowest_first[:-1]), "Renew a food license"]  # n/a stays last
    assert names(client, sort="-readiness") == highest_first
    assert names(client, sort="phase")[0] == "Apply for a building permit"  # discovery first
    assert names(client, sort="agency")[0] == "Claim housing benefit"  # Benefits
    assert names(client, sort="nonsense") == sorted(projects)


def test_pagination_shows_25_a_page(client, signed_in):
    lead = signed_in("lead")
    for n in range(1, 31):
        make_project(lead, name=f"Service {n:02}", agency="Parks")
    first = names(client)
    assert first == [f"Service {n:02}" for n in range(1, 26)]
    second = names(client, page=2)
    assert second == [f"Service {n:02}" for n in range(26, 31)]
    assert "30 projects, page 2 of 2." in client.get("/portfolio?page=2").text
    for past_the_end in ("3", "99", "99999999999999999999"):
        assert names(client, page=past_the_end) == second
    for nonsense in ("0", "-4", "abc", ""):
        assert names(client, page=nonsense) == first
    # The page links keep the filters.
    page = client.get("/portfolio?agency=Parks&sort=-readiness").text
    assert "/portfolio?agency=Parks&amp;sort=-readiness&amp;page=2" in page


def test_one_page_needs_no_page_links(client, signed_in):
    make_project(signed_in("lead"))
    page = client.get(url("portfolio.dashboard")).text
    assert "1 project." in page
    assert "Pages of projects" not in page


def test_archived_projects_are_left_out(client, signed_in):
    lead = signed_in("lead")
    make_project(lead, name="Still running")
    make_project(lead, name="Switched off", archived=True)
    assert names(client) == ["Still running"]
    assert "Switched off" not in client.get(url("portfolio.dashboard")).text


def test_a_lead_sees_only_their_projects(client, signed_in):
    lead = make_user("lead")
    make_project(lead, name="Led by me")
    make_project(make_user("lead"), name="I am a viewer", members={lead: "viewer"})
    make_project(make_user("lead"), name="Not mine", agency="Secret Agency")
    signed_in(lead)
    assert names(client) == ["I am a viewer", "Led by me"]
    page = client.get(url("portfolio.dashboard")).text
    assert "Not mine" not in page
    assert "Secret Agency" not in page  # not even as a filter option
    assert names(client, agency="Secret Agency") == []


@pytest.mark.parametrize("role", ["admin", "leadership"])
def test_admins_and_leadership_see_the_whole_portfolio(client, signed_in, role):
    for name in ("One", "Two", "Three"):
        make_project(name=name)
    signed_in(role)
    assert names(client) == ["One", "Three", "Two"]


def test_every_heat_map_cell_links_to_its_play_page(app, client, portfolio):
    page = client.get(url("portfolio.dashboard")).text
    for project in portfolio["projects"].values():
        for play in active_edition().plays:
            with app.test_request_context():
                address = url("checklists.play", slug=project.slug, number=play.number)
            assert f'href="{address}"' in page, address
