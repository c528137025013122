"""The demo portfolio reads like real teams wrote it: answers that fit their questions, findings
about each project's own service, never the same text in two places."""

from __future__ import annotations

from collections import Counter

import pytest

from playbook.edition import default_edition
from projects.checklists.models import QuestionAnswer
from projects.demo import NOT_APPLICABLE_ITEMS, PROJECTS
from projects.demo_answers import ANSWERS
from projects.projects.models import Project
from projects.research.demo import FINDINGS
from projects.research.models import Finding

SLUGS = [p[0] for p in PROJECTS]
EDITION = default_edition()


def test_every_demo_project_has_answers_and_they_point_at_real_questions():
    assert set(ANSWERS) == set(SLUGS)
    for slug, answers in ANSWERS.items():
        assert len(answers) >= 6, slug
        assert set(answers) <= set(EDITION.questions), slug


def test_no_answer_is_written_twice():
    texts = Counter(text for answers in ANSWERS.values() for text in answers.values())
    assert [t for t, n in texts.items() if n > 1] == []


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("p03.q3", ("English", "Spanish")),  # which languages
        ("p04.q3", ("week",)),  # how long is a sprint
        ("p01.q5", ("interview",)),  # which research methods
    ],
)
def test_answers_fit_their_question(question, words):
    for slug, answers in ANSWERS.items():
        if question in answers:
            text = answers[question].lower()
            assert any(w.lower() in text for w in words), (slug, answers[question])


def test_findings_are_each_projects_own():
    titles = Counter(f.title for findings in FINDINGS.values() for f in findings)
    assert [t for t, n in titles.items() if n > 1] == []
    assert set(FINDINGS) <= set(SLUGS)
    for findings in FINDINGS.values():
        for finding in findings:
            assert finding.items and set(finding.items) <= set(EDITION.items), finding.title
            assert finding.status != "wont_address" or finding.status_reason, finding.title


def test_not_applicable_items_exist_and_say_why():
    for slug, items in NOT_APPLICABLE_ITEMS.items():
        assert slug in SLUGS
        assert set(items) <= set(EDITION.items)
        assert all(len(reason) > 20 for reason in items.values())


def test_the_seeded_demo_holds_what_was_written(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    permits = Project.get(Project.slug == "building-permits")
    answer = QuestionAnswer.get(project=permits, question_id="p03.q3").answer
    assert answer == ANSWERS["building-permits"]["p03.q3"]
    assert Finding.select().count() == sum(len(f) for f in FINDINGS.values())
