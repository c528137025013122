"""Exports: Word with real headings, Word numbering, a header and footer, and a captioned QASP
table with a repeating header; a tagged PDF/UA with one tag tree; Markdown; numbered revisions
that never change once written."""

from __future__ import annotations

import hashlib
import io

import pikepdf
import pytest
from docx import Document
from docx.oxml.ns import qn

from projects.contracts.exports import export
from projects.contracts.models import PackageClause, Revision, RevisionFile
from tests.contracts.factories import make_package, officer_project
from tests.pages import filled, url
from tests.pdf_checks import descendants, kids, pdf_text, read_tags

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def exported(app):
    """A package for a discovery project with one edited clause, exported once."""
    officer, project = officer_project(phase="discovery")
    package = make_package(project, officer, handles_pii=True)
    PackageClause.update(text="Our own warranty for {{ project_name }}.").where(
        (PackageClause.package == package) & (PackageClause.clause_id == "clause.warranty")
    ).execute()
    with app.test_request_context():
        revision = export(package, project, officer)
    files = {f.format: bytes(f.content) for f in revision.files}
    return officer, project, package, revision, files


def test_the_docx_has_heading_styles_word_numbering_and_a_qasp_table(exported):
    _officer, project, _package, _revision, files = exported
    document = Document(io.BytesIO(files["docx"]))
    styles = [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]
    assert styles[0] == ("Title", "Contract language")
    assert ("Heading 1", "Description and statement of objectives") in styles
    assert ("Heading 2", "Background and product vision") in styles
    assert ("Heading 2", "Research and prototyping phase") in styles
    assert ("Heading 2", "Warranty and correction of defects") in styles
    # The edited clause exports with its edited text.
    assert f"Our own warranty for {project.name}." in [p.text for p in document.paragraphs]
    # Headings are numbered by Word: the styles carry a multi-level list, 1. and 1.1.
    for level, name in enumerate(("Heading 1", "Heading 2")):
        num_pr = document.styles[name].element.pPr.numPr
        assert num_pr is not None and num_pr.ilvl.val == level
    numbering = document.part.numbering_part.element
    levels = numbering.xpath(".//w:abstractNum/w:lvl/w:lvlText/@w:val")
    assert "Section %1 \N{EN DASH}" in levels and "%1.%2" in levels  # Section C, then C.1
    bullets = [p for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets, "the discovery clause's list stays a list"

    table = document.tables[1]  # after the price schedule
    header = table.rows[0]
    assert [c.text for c in header.cells] == [
        "Performance standard",
        "Acceptable quality level",
        "Method of surveillance",
    ]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert len(table.rows) > 5
    assert document.core_properties.title == "Contract language"
    assert document.core_properties.language == "en-US"


def test_the_pdf_is_tagged_with_language_and_title(exported):
    files = exported[4]
    with pikepdf.open(io.BytesIO(files["pdf"])) as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root
        assert str(root.Lang) == "en"
        assert bool(root.MarkInfo.Marked) is True
        assert str(pdf.docinfo["/Title"]) == "Contract language"
        with pdf.open_metadata() as meta:
            assert meta.get("dc:title") == "Contract language"
        text = b"".join(
            page.obj.Contents.read_bytes() if "/Contents" in page.obj else b"" for page in pdf.pages
        )
        assert len(pdf.pages) > 5 and text


def _fields(paragraph) -> list[str]:
    return [code.strip() for code in paragraph._p.xpath(".//w:instrText/text()")]


def test_the_docx_has_the_title_draft_and_page_numbers_on_every_page(exported):
    document = Document(io.BytesIO(exported[4]["docx"]))
    [section] = document.sections
    [header] = section.header.paragraphs
    # Until the package is marked final, every export says "Draft".
    assert header.text == "Contract language\tDraft"
    assert not section.header.is_linked_to_previous
    [footer] = section.footer.paragraphs
    assert footer.text.startswith("Page ")
    assert _fields(footer) == ["PAGE", "NUMPAGES"]


def test_the_docx_qasp_table_has_a_caption_and_a_description(exported):
    revision = exported[3]
    rows = next(s["qasp"] for s in revision.snapshot["sections"] if s["qasp"])
    document = Document(io.BytesIO(exported[4]["docx"]))
    table = document.tables[1]  # the price schedule is table 1
    caption = table._tbl.getprevious()
    assert caption.tag == f"{W}p"
    [paragraph] = [p for p in document.paragraphs if p._p is caption]
    assert paragraph.style.name == "Caption"
    assert paragraph.text == "Table 2. Performance standards"
    assert _fields(paragraph) == ["SEQ Table \\* ARABIC"]
    assert paragraph.paragraph_format.keep_with_next
    properties = table._tbl.tblPr
    assert properties.find(f"{W}tblCaption").get(f"{W}val") == "Performance standards"
    description = properties.find(f"{W}tblDescription").get(f"{W}val")
    assert f"{len(rows)} performance standards" in description
    assert [child.tag for child in properties][-2:] == [f"{W}tblCaption", f"{W}tblDescription"]


def test_the_pdf_has_one_tag_tree_artifacts_for_furniture_and_the_reports_fonts(exported):
    revision, files = exported[3], exported[4]
    sections = revision.snapshot["sections"]
    rows = next(s["qasp"] for s in sections if s["qasp"])
    tags = read_tags(files["pdf"])
    # PDF/UA-1: the running title and page numbers are Artifacts, the rest is in the tree.
    assert tags.stray() == []
    assert tags.parent_tree_disagrees() == []
    assert all(
        any(a.get("/Subtype") == "/Footer" for a in artifacts) for artifacts in tags.artifacts
    )
    # The contents are one list (not a list per CSS column).
    contents = tags.of_type("/L")[0]
    assert kids(contents, "/L") == []
    assert len(kids(contents, "/LI")) == len(sections)
    # The QASP crosses pages and is still one table, caption first, one header row.
    _schedule, table = tags.of_type("/Table")
    assert [str(k.S) for k in kids(table)] == ["/Caption", "/THead", "/TBody"]
    assert len(descendants(table, "/TH")) == 3
    assert len(kids(kids(table, "/TBody")[0], "/TR")) == len(rows)
    spans = {span.objgen for span in descendants(table, "/Span")}
    assert len({page for (page, _), owner in tags.owners.items() if owner.objgen in spans}) > 1
    # Set in the reports' fonts, and the agency as written (no capitals set by CSS).
    fonts = {
        str(font.BaseFont)
        for page in tags.document.pages
        for _, font in (page.Resources.get("/Font") or {}).items()
    }
    assert fonts and all("Source-Sans-Pro" in name for name in fonts), fonts
    text = pdf_text(files["pdf"], pages="1")
    assert "Department of Fish" in text and "DEPARTMENT OF FISH" not in text


def test_the_markdown_has_numbered_headings_and_the_qasp_table(exported):
    markdown = exported[4]["markdown"].decode()
    assert markdown.startswith("# Contract language\n")
    assert "\n## Section C \N{EN DASH} Description and statement of objectives\n" in markdown
    assert "\n### C.1 Background and product vision\n" in markdown
    assert (
        "| Performance standard | Acceptable quality level | Method of surveillance |" in markdown
    )
    assert "\n- interview and observe current" in markdown


def test_revisions_never_change_after_edits_and_new_agency_versions(client, signed_in, exported):
    officer, project, package, revision, _files = exported
    signed_in(officer)
    stored = {f.format: (bytes(f.content), f.sha256) for f in revision.files}
    for fmt, (content, digest) in stored.items():
        assert hashlib.sha256(content).hexdigest() == digest
        download = client.get(
            url("contracts.download", slug=project.slug, package_id=package.id, number=1, fmt=fmt)
        )
        assert download.status_code == 200
        assert download.data == content
        assert download.headers["X-Content-SHA256"] == digest

    # Change the package and the agency clauses, then export again.
    clause = {
        "name": "remote-work",
        "title": "Remote work",
        "section": "personnel",
        "proposal": "optional",
        "text": "Staff of {{ agency_name }} may work remotely.",
        "topics": ["key-personnel"],
    }
    new_clause = url("contracts.new_clause")
    client.post(new_clause, data=filled(client, new_clause, "name", **clause))
    client.post(
        url("contracts.add", slug=project.slug, package_id=package.id),
        data={"clause_id": "agency.remote-work"},
    )
    entry = PackageClause.get(package=package, clause_id="clause.agile-process")
    edit = url("contracts.edit_clause", slug=project.slug, package_id=package.id, entry_id=entry.id)
    client.post(edit, data=filled(client, edit, "text", text="Changed after revision 1."))
    edit_agency = url("contracts.edit_agency_clause", clause_id="agency.remote-work")
    client.post(edit_agency, data=filled(client, edit_agency, "text", text="Version two words."))
    assert (
        client.post(
            url("contracts.export_package", slug=project.slug, package_id=package.id)
        ).status_code
        == 302
    )

    again = {
        f.format: (bytes(f.content), f.sha256)
        for f in RevisionFile.select().where(RevisionFile.revision == revision.id)
    }
    assert again == stored
    assert Revision.get_by_id(revision.id).snapshot["revision"] == 1
    second = Revision.get(package=package, number=2)
    second_md = RevisionFile.get(revision=second, format="markdown").content
    assert b"Changed after revision 1." in bytes(second_md)
    # The package keeps the agency clause version it added; version 2 is not pulled in.
    assert b"Staff of Department of Fish may work remotely." in bytes(second_md)
    assert b"Changed after revision 1." not in stored["markdown"][0]

    page = client.get(url("contracts.detail", slug=project.slug, package_id=package.id)).text
    assert (
        stored["pdf"][1] in page
        and second.files.where(RevisionFile.format == "pdf").get().sha256 in page
    )
    assert "Uses version 1" not in page  # agency clauses are not "outdated" library clauses
    assert (
        client.get(
            url("contracts.download", slug=project.slug, package_id=package.id, number=3, fmt="pdf")
        ).status_code
        == 404
    )
