"""What a screen reader hears where the screen shows a short form: the heat map's "P1".."P13"
columns and cells, and the finding form's "as a whole" boxes, one per play."""

from __future__ import annotations

import re

import pytest

from playbook.edition import default_edition
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

PLAYS = default_edition().plays
SLUG = "building-permits"


def test_the_heat_map_names_each_play_and_each_cell(page):
    sign_in(page, "leadership@example.gov")
    page.goto("/portfolio")
    heat_map = page.get_by_role("table")
    for play in PLAYS:
        header = heat_map.get_by_role("columnheader", name=f"Play {play.number}: {play.title}")
        assert header.locator("[aria-hidden=true]").inner_text() == f"P{play.number}"
    # The key under the table gives every title on screen too.
    key = page.locator("dl.pt-play-key")
    for play in PLAYS:
        assert f"P{play.number}\n{play.title}" in key.inner_text()
    # A cell's link says which project and play it is about, not just "80%".
    project = heat_map.get_by_role("rowheader").first.get_by_role("link").inner_text()
    play = PLAYS[1]
    title = re.escape(play.title)
    name = re.compile(rf"^(\d+%|n\/a) .+: {re.escape(project)}, play 2, {title}$")
    assert heat_map.get_by_role("link", name=name).count() == 1


def test_each_play_as_a_whole_box_names_its_play(page):
    sign_in(page, "lead@example.gov")
    page.goto(f"/projects/{SLUG}/user-research/new")
    for play in PLAYS:  # in closed <details> until opened: hidden, but named all the same
        # (Chromium reads a space before the visually hidden part: "as a whole : ...".)
        name = re.compile(rf"^Play {play.number} as a whole ?: {re.escape(play.title)}$")
        box = page.get_by_role("checkbox", name=name, include_hidden=True)
        assert box.count() == 1, play.number
