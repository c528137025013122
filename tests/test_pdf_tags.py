"""The tag tree of our PDFs (projects.pdf_tags): page furniture is Artifacts, an element that
page breaks cut is one structure element, and a chart's /Alt carries its values."""

from __future__ import annotations

import io

import pikepdf
import pytest

from projects.pdf import render_document, render_pdf
from tests.pdf_checks import descendants, kids, pdf_text, read_tags

ROWS = 60
PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Cut by pages</title>
<style>
  @page {{ size: A6; margin: 18mm 10mm;
    @top-left {{ content: "Running head" }}
    @bottom-right {{ content: "Page " counter(page) " of " counter(pages) }} }}
  .two {{ columns: 2 }}
</style></head>
<body>
  <h1>Cut by pages</h1>
  <ol class="two">{"".join(f"<li>Entry {n}</li>" for n in range(1, 7))}</ol>
  <svg xmlns="http://www.w3.org/2000/svg" role="img" width="100" height="20">
    <title>Projects by phase</title><desc>Alpha: 2 projects; beta: 1 project.</desc>
    <rect width="60" height="10" fill="#005ea2"/>
  </svg>
  <p>{"A sentence that goes on. " * 60}</p>
  <table>
    <caption>Performance standards</caption>
    <thead><tr><th scope="col">Standard</th><th scope="col">Level</th></tr></thead>
    <tbody>{"".join(f"<tr><td>Row {n}</td><td>{n}%</td></tr>" for n in range(ROWS))}</tbody>
  </table>
</body></html>"""


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_pdf(PAGE, strict=True)


@pytest.fixture(scope="module")
def tags(pdf):
    return read_tags(pdf)


def test_every_marked_content_is_an_artifact_or_reachable_from_the_structure_root(pdf, tags):
    assert len(tags.marked) > 3
    assert tags.stray() == []
    assert tags.parent_tree_disagrees() == []


def test_running_heads_and_page_numbers_are_pagination_artifacts(pdf, tags):
    for page, artifacts in enumerate(tags.artifacts):
        pagination = {str(a.get("/Subtype")) for a in artifacts if a.get("/Type") == "/Pagination"}
        assert {"/Header", "/Footer"} <= pagination, page
    # Still printed on every page: Artifacts are left out of reading, not out of sight.
    assert pdf_text(pdf, pages="2").count("Running head") == 1
    assert f"Page 2 of {len(tags.marked)}" in pdf_text(pdf, pages="2")


def test_a_table_across_pages_is_one_table_with_its_caption_and_one_header(tags):
    [table] = tags.of_type("/Table")
    assert [str(k.S) for k in kids(table)] == ["/Caption", "/THead", "/TBody"]
    rows_by_page = {
        page
        for (page, _mcid), owner in tags.owners.items()
        if any(owner.objgen == cell.objgen for cell in descendants(table, "/Span"))
    }
    assert len(rows_by_page) >= 3, "the table should cross two page breaks"
    [body] = kids(table, "/TBody")
    assert len(kids(body, "/TR")) == ROWS
    # The header row printed again on each page is an Artifact; the cells name the one header.
    headers = {str(th.ID) for th in descendants(table, "/TH")}
    assert len(headers) == 2
    for cell in descendants(table, "/TD"):
        assert {str(h) for h in cell.A.Headers} <= headers


def test_header_ids_resolve_through_the_id_tree(pdf, tags):
    with pikepdf.open(io.BytesIO(pdf)) as document:
        names = list(document.Root.StructTreeRoot.IDTree.Names)
        id_tree = {str(names[i]): str(names[i + 1].S) for i in range(0, len(names), 2)}
    assert sorted(id_tree.values()) == ["/TH", "/TH"]
    assert set(id_tree) == {str(th.ID) for th in tags.of_type("/TH")}


def test_a_list_in_two_columns_is_one_list(tags):
    [contents] = tags.of_type("/L")
    assert kids(contents, "/L") == []
    assert len(kids(contents, "/LI")) == 6


def test_a_paragraph_across_a_page_break_is_one_paragraph(tags):
    [paragraph] = tags.of_type("/P")
    lines = {line.objgen for line in kids(paragraph)}
    pages = {page for (page, _), owner in tags.owners.items() if owner.objgen in lines}
    assert len(pages) >= 2
    assert len(tags.of_type("/Part") + tags.of_type("/H1")) == 1


def test_a_charts_alternative_text_is_its_title_and_its_description(tags):
    [figure] = tags.of_type("/Figure")
    assert str(figure.Alt) == "Projects by phase. Alpha: 2 projects; beta: 1 project."


def test_an_id_prefix_keeps_the_header_ids_of_pdfs_joined_later_apart():
    """WeasyPrint numbers /IDs after PDF objects, so two PDFs have the same ones; with a prefix,
    each PDF's IDs, its ID tree and the cells that name them carry it."""
    pdf = render_document(PAGE, strict=True, id_prefix="part2-").pdf
    tags = read_tags(pdf)
    ids = {str(th.ID) for th in tags.of_type("/TH")}
    assert len(ids) == 2 and all(i.startswith("part2-") for i in ids)
    for cell in tags.of_type("/TD"):
        assert {str(h) for h in cell.A.Headers} <= ids
    names = list(tags.document.Root.StructTreeRoot.IDTree.Names)
    assert {str(names[i]) for i in range(0, len(names), 2)} == ids
