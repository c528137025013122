"""The report preview's charts: they keep their size in em (zoomed, they grow with the text
instead of shrinking to fit, and scroll in a labeled region on a narrow screen), and in forced
colors their text and bars take the system colors instead of vanishing."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

PREVIEW = "/projects/building-permits/report"
CHART_IN_EM = """() => {
    const chart = document.querySelector("main svg.rp-chart");
    const em = parseFloat(getComputedStyle(chart).fontSize);
    return chart.getBoundingClientRect().width / em;
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_a_chart_keeps_its_size_in_em_and_scrolls_in_its_region(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "lead@example.gov")
    page.goto(PREVIEW)
    region = page.get_by_role("region", name="Readiness of").first
    assert region.get_attribute("tabindex") == "0"
    assert page.evaluate(CHART_IN_EM) == pytest.approx(42.5)
    # A larger text size (browser setting, or zoom) grows the chart with the text.
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    assert page.evaluate(CHART_IN_EM) == pytest.approx(42.5)
    right = region.evaluate("el => el.getBoundingClientRect().right")
    assert right <= width, "the chart's region is wider than the screen"
    if width == 390:
        assert region.evaluate("el => el.scrollWidth > el.clientWidth"), "it should scroll"


def test_in_forced_colors_the_chart_uses_system_colors(page):
    sign_in(page, "lead@example.gov")
    page.emulate_media(forced_colors="active")
    page.goto(PREVIEW)
    colors = page.evaluate("""() => {
        const chart = document.querySelector("main svg.rp-chart");
        const probe = document.createElement("span");
        probe.style.color = "Highlight";
        document.body.append(probe);
        const style = (selector) => getComputedStyle(chart.querySelector(selector));
        return {
            text: style("text").fill,
            textColor: style("text").color,
            bar: style(".rp-chart__bar").fill,
            highlight: getComputedStyle(probe).color,
            track: style(".rp-chart__track").stroke,
        };
    }""")
    assert colors["text"] == colors["textColor"], colors  # the forced text color
    assert colors["bar"] == colors["highlight"], colors
    assert colors["track"] == colors["textColor"], colors
