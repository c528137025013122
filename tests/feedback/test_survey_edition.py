"""The survey edition: data validated like playbook editions, one question per A-11 driver
in every language, and an agency's own edition loaded from FEEDBACK_SURVEY."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from playbook.edition import EditionError
from playbook.measures import DRIVERS
from playbook.survey import DEFAULT_SURVEY, LANGUAGES, default_survey, survey_from_dict
from projects import create_app
from projects.languages import TRANSLATIONS
from tests.conftest import make_project
from tests.feedback.factories import open_form
from tests.pages import url

ROOT = Path(__file__).resolve().parents[2]


def test_the_built_in_survey_asks_every_driver_once_in_english_and_spanish():
    survey = default_survey()
    assert sorted(q.driver for q in survey.questions) == sorted(DRIVERS)
    for question in survey.questions:
        assert set(question.text) == set(LANGUAGES)
    assert survey.scale["es"][4] == "Muy de acuerdo"


def _data() -> dict:
    return tomllib.loads(DEFAULT_SURVEY.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "change, problem",
    [
        (lambda d: d["questions"][0].update(driver="happiness"), "driver 'happiness'"),
        (lambda d: d["questions"][1].update(driver="satisfaction"), "asked twice"),
        (lambda d: d["questions"][0].pop("es"), "wording in `es`"),
        (lambda d: d["scale"].update(en=["Yes", "No"]), "`scale.en` must list 5 labels"),
        (lambda d: d.pop("survey"), "needs a `survey` name"),
    ],
)
def test_a_survey_edition_with_problems_is_refused_naming_them(change, problem):
    data = _data()
    change(data)
    with pytest.raises(EditionError, match=problem):
        survey_from_dict(data)


def test_an_agency_loads_its_own_survey_edition(tmp_path, database_url, client):
    own = tmp_path / "survey.toml"
    text = DEFAULT_SURVEY.read_text(encoding="utf-8").replace(
        "Overall, I am happy with the service I got today.",
        "I am satisfied with the service I received.",
    )
    own.write_text(text.replace("playbook-tracker-survey-2026.1", "agency-survey-1"))
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "x" * 32,
            "WTF_CSRF_ENABLED": False,
            "FEEDBACK_SURVEY": str(own),
        }
    )
    with app.app_context():
        form = open_form(make_project())
        page = app.test_client().get(url("feedback.form", key=form.key))
    assert "I am satisfied with the service I received." in page.text


def test_a_survey_edition_that_does_not_validate_stops_the_app_starting(tmp_path, database_url):
    broken = tmp_path / "survey.toml"
    broken.write_text('survey = "x"\n')
    with pytest.raises(RuntimeError, match="FEEDBACK_SURVEY cannot be used"):
        create_app({"TESTING": True, "DATABASE_URL": database_url, "FEEDBACK_SURVEY": str(broken)})


def test_every_text_of_the_public_pages_has_a_spanish_translation():
    """Messages marked for translation in the public templates and the form, against the .po
    file the app reads: a new English text with no Spanish fails here, not in front of people."""
    with (TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po)
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    methods = [
        ("projects/feedback/forms.py", "python"),
        ("projects/feedback/views.py", "python"),
        ("templates/feedback/**.html", "jinja2.ext:babel_extract"),
        ("templates/components/banner.html", "jinja2.ext:babel_extract"),
    ]
    marked = {message for _, _, message, *_ in extract_from_dir(str(ROOT), methods)}
    marked = {m if isinstance(m, str) else m[0] for m in marked}
    assert marked, "nothing extracted"
    assert sorted(marked - translated) == []
