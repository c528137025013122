"""The built-in edition matches the published playbook in shape, in our own words."""

import json
import re
from pathlib import Path

import pytest

from playbook.edition import (
    PHASES,
    EditionError,
    ParsedId,
    default_edition,
    load_edition_file,
    parse_edition,
    parse_id,
)

REFERENCE = (
    Path(__file__).resolve().parents[2] / "shared" / "reference" / "digital-services-playbook.json"
)

# The published playbook (usds/playbook): each play's number, title, checklist items and key
# questions. Held here so the suite stands alone; the reference file says the same.
PUBLISHED_PLAYS = [
    (1, "Understand what people need", 7, 8),
    (2, "Address the whole experience, from start to finish", 4, 4),
    (3, "Make it simple and intuitive", 7, 5),
    (4, "Build the service using agile and iterative practices", 9, 9),
    (5, "Structure budgets and contracts to support delivery", 9, 3),
    (6, "Assign one leader and hold that person accountable", 5, 3),
    (7, "Bring in experienced teams", 8, 0),
    (8, "Choose a modern technology stack", 4, 3),
    (9, "Deploy in a flexible hosting environment", 7, 13),
    (10, "Automate testing and deployments", 5, 10),
    (11, "Manage security and privacy through reusable processes", 6, 6),
    (12, "Use data to drive decisions", 8, 13),
    (13, "Default to open", 9, 5),
]


@pytest.fixture(scope="module")
def reference():
    if not REFERENCE.exists():
        pytest.skip(f"the published playbook's wording is not on this machine ({REFERENCE})")
    return json.loads(REFERENCE.read_text())


def _shape(plays):
    return [(p["number"], p["title"], len(p["checklist"]), len(p["key_questions"])) for p in plays]


def test_thirteen_plays_with_published_titles_and_counts():
    edition = default_edition()
    assert _shape(edition.to_dict()["plays"]) == PUBLISHED_PLAYS
    assert sum(len(p.checklist) for p in edition.plays) == 88
    assert sum(len(p.key_questions) for p in edition.plays) == 82
    assert edition.play(7).key_questions == ()


def test_the_published_counts_held_here_match_the_reference(reference):
    assert _shape(reference["plays"]) == PUBLISHED_PLAYS


def test_ids_are_stable_unique_and_in_order():
    edition = default_edition()
    ids = [i.id for p in edition.plays for i in p.checklist] + [
        q.id for p in edition.plays for q in p.key_questions
    ]
    assert len(ids) == len(set(ids))
    for play in edition.plays:
        assert [i.id for i in play.checklist] == [
            f"p{play.number:02}.c{k}" for k in range(1, len(play.checklist) + 1)
        ]
        assert [q.id for q in play.key_questions] == [
            f"p{play.number:02}.q{k}" for k in range(1, len(play.key_questions) + 1)
        ]


def test_every_item_has_a_phase_and_evidence_and_all_phases_are_used():
    items = default_edition().items.values()
    assert all(item.phase in PHASES for item in items)
    assert all(len(item.evidence.split()) >= 4 for item in items)
    assert {item.phase for item in items} == set(PHASES)


def _words(text):
    return re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))


def _longest_shared_run(a, b):
    a, b = _words(a), _words(b)
    best = 0
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0] * (len(b) + 1)
        for j, y in enumerate(b, start=1):
            if x == y:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def test_wording_is_our_own(reference):
    """No item, question or description repeats the published sentence; proper names such as
    "the U.S. Web Design System" are the only long runs allowed."""
    for ours, official in zip(default_edition().plays, reference["plays"], strict=True):
        pairs = [(ours.description, official["description"])]
        pairs += list(zip([i.text for i in ours.checklist], official["checklist"], strict=True))
        pairs += list(
            zip([q.text for q in ours.key_questions], official["key_questions"], strict=True)
        )
        for mine, theirs in pairs:
            assert mine.strip().lower() != theirs.strip().lower()
            assert _longest_shared_run(mine, theirs) <= 6, (mine, theirs)


def test_toml_syntax_error_names_the_line():
    with pytest.raises(EditionError) as caught:
        parse_edition('edition = "x"\n\n[[plays]\nnumber = 1\n')
    assert caught.value.problems[0].line == 3
    assert "line 3" in str(caught.value)


def _edition_text(**change):
    data = default_edition().to_dict()
    lines = [f'edition = "{change.get("edition", "agency-1")}"']
    for play in data["plays"]:
        lines += [
            "",
            "[[plays]]",
            f"number = {play['number']}",
            f"title = {json.dumps(play['title'])}",
        ]
        for item in play["checklist"]:
            lines += [
                "[[plays.checklist]]",
                f'id = "{item["id"]}"',
                f"text = {json.dumps(item['text'])}",
                f'phase = "{item["phase"]}"',
            ]
        for question in play["key_questions"]:
            lines += [
                "[[plays.key_questions]]",
                f'id = "{question["id"]}"',
                f"text = {json.dumps(question['text'])}",
            ]
    text = "\n".join(lines) + "\n"
    for old, new in change.get("replace", []):
        text = text.replace(old, new, 1)
    return text


def test_a_valid_agency_edition_parses():
    edition = parse_edition(_edition_text())
    assert edition.name == "agency-1"
    assert len(edition.items) == 88


@pytest.mark.parametrize(
    ("replace", "message"),
    [
        ([('id = "p01.c2"', 'id = "p01.c1"')], "p01.c1 is used twice"),
        ([('phase = "discovery"', 'phase = "someday"')], "phase 'someday' is not one of"),
        ([('id = "p02.c1"', 'id = "p03.c1"')], "belongs to another play"),
        ([('id = "p01.q1"', 'id = "question-one"')], "is not of the form p01.q1"),
        ([("number = 5", "number = 6")], "play 5 has number 6"),
    ],
)
def test_semantic_problems_are_named_with_their_line(replace, message):
    text = _edition_text(replace=replace)
    with pytest.raises(EditionError) as caught:
        parse_edition(text)
    problem = next(p for p in caught.value.problems if message in p.message)
    assert problem.line is not None
    assert text.splitlines()[problem.line - 1].strip() == replace[0][1]


def test_wrong_number_of_plays_is_refused():
    with pytest.raises(EditionError, match="13 plays"):
        parse_edition(
            'edition = "short"\n[[plays]]\nnumber = 1\ntitle = "Only"\n'
            '[[plays.checklist]]\nid = "p01.c1"\ntext = "x"\nphase = "alpha"\n'
        )


def test_missing_file_is_a_clear_problem(tmp_path):
    with pytest.raises(EditionError, match="does not exist"):
        load_edition_file(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("p01.c3", ParsedId(1, "c", 3)),
        ("p04.q2", ParsedId(4, "q", 2)),
        ("p13.c10", ParsedId(13, "c", 10)),
        ("p1.c3", None),
        ("p01.x3", None),
        ("p01.c", None),
        ("p01.c3 ", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_id(value, parsed):
    assert parse_id(value) == parsed


def test_every_built_in_id_parses_to_its_play_and_sorts_in_reading_order():
    edition = default_edition()
    for play in edition.plays:
        for n, item in enumerate(play.checklist, start=1):
            assert parse_id(item.id) == (play.number, "c", n)
        for n, question in enumerate(play.key_questions, start=1):
            assert parse_id(question.id) == (play.number, "q", n)
    assert sorted(["p02.c10", "p02.c9", "p01.c2"], key=parse_id) == ["p01.c2", "p02.c9", "p02.c10"]
