"""`flask playbook validate|export|import`, `flask seed-demo` and `flask db upgrade`."""

import json

from playbook.edition import DEFAULT_EDITION, default_edition
from projects.auth.models import User
from projects.checklists.models import ItemResponse, QuestionAnswer
from projects.projects.models import Project
from tests.conftest import make_project
from tests.pages import url


def test_validate_the_built_in_edition(runner):
    result = runner.invoke(args=["playbook", "validate", str(DEFAULT_EDITION)])
    assert result.exit_code == 0, result.output
    assert "13 plays, 88 checklist items, 82 key questions" in result.output


def test_validate_names_every_problem_with_its_line(runner, tmp_path):
    broken = DEFAULT_EDITION.read_text().replace('id = "p01.c2"', 'id = "p01.c1"', 1)
    broken = broken.replace('phase = "beta"', 'phase = "gamma"', 1)
    path = tmp_path / "broken.toml"
    path.write_text(broken)
    result = runner.invoke(args=["playbook", "validate", str(path)])
    assert result.exit_code == 1
    assert "the id p01.c1 is used twice" in result.output
    assert "phase 'gamma' is not one of" in result.output
    assert "line " in result.output
    assert "Traceback" not in result.output


def test_validate_refuses_broken_toml_and_json(runner, tmp_path):
    bad_toml = tmp_path / "bad.toml"
    bad_toml.write_text('edition = "x"\nplays = [1,,2]\n')
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"edition": "x",\n "plays": [}')
    for path in (bad_toml, bad_json):
        result = runner.invoke(args=["playbook", "validate", str(path)])
        assert result.exit_code == 1
        assert "line 2" in result.output


def test_export_prints_the_edition_as_json(runner):
    result = runner.invoke(args=["playbook", "export"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["edition"] == default_edition().name
    assert len(data["plays"]) == 13
    item = data["plays"][0]["checklist"][0]
    assert set(item) == {"id", "text", "phase", "evidence"}
    assert set(data["plays"][0]["key_questions"][0]) == {"id", "text"}


def test_import_keeps_answers_whose_ids_disappear_and_reports_them(
    runner, tmp_path, client, signed_in
):
    lead = signed_in("lead")
    project = make_project(lead)
    ItemResponse.create(project=project, item_id="p01.c7", status="done")
    QuestionAnswer.create(project=project, question_id="p01.q8", answer="Weekly")
    data = default_edition().to_dict()
    data["edition"] = "agency-2027"
    data["plays"][0]["checklist"] = data["plays"][0]["checklist"][:6]  # p01.c7 goes
    data["plays"][0]["key_questions"] = data["plays"][0]["key_questions"][:7]  # p01.q8 goes
    data["plays"][0]["checklist"][0]["text"] = "Our agency's own wording"
    path = tmp_path / "agency.json"
    path.write_text(json.dumps(data))

    result = runner.invoke(args=["playbook", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "p01.c7: 1 project(s)" in result.output
    assert "p01.q8: 1 project(s)" in result.output
    assert ItemResponse.select().where(ItemResponse.item_id == "p01.c7").exists()
    page = client.get(url("checklists.play", slug=project.slug, number=1))
    assert "Our agency&#39;s own wording" in page.text
    exported = json.loads(runner.invoke(args=["playbook", "export"]).output)
    assert exported["edition"] == "agency-2027"

    # Going back to the built-in edition brings the kept answer back into view.
    back = tmp_path / "builtin.json"
    back.write_text(json.dumps(default_edition().to_dict()))
    assert runner.invoke(args=["playbook", "import", str(back)]).exit_code == 0
    page = client.get(url("api.project", slug=project.slug))
    statuses = {i["id"]: i["status"] for i in page.get_json()["items"]}
    assert statuses["p01.c7"] == "done"


def test_import_refuses_a_changed_edition_under_a_used_name(runner, tmp_path):
    data = default_edition().to_dict() | {"edition": "agency-x"}
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data))
    assert runner.invoke(args=["playbook", "import", str(path)]).exit_code == 0
    data["plays"][0]["title"] = "Changed"
    path.write_text(json.dumps(data))
    result = runner.invoke(args=["playbook", "import", str(path)])
    assert result.exit_code == 1
    assert "Give the new one its own `edition` name" in result.output


def test_seed_demo_twice_creates_nothing_new(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    counts = (Project.select().count(), User.select().count(), ItemResponse.select().count())
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert "0 new projects" in second.output
    assert counts == (
        Project.select().count(),
        User.select().count(),
        ItemResponse.select().count(),
    )
    assert 6 <= counts[0] <= 10
    assert {u.role for u in User.select()} == {
        "admin",
        "lead",
        "contracting",
        "leadership",
        "assessor",
    }
    assert len({p.phase for p in Project.select()}) == 4


def test_db_upgrade_says_when_nothing_is_left_to_do(runner):
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0
    assert "up to date" in result.output
