"""The package as an editable Word document: real heading styles numbered by Word itself
(1, 1.1, 1.2...), bullet lists, the QASP as a captioned and described table whose header row
repeats, and on every page the package's title, "Draft" and the page number."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

NUMBERING_ID = 71  # any id the default template does not use
QASP_HEADERS = ("Performance standard", "Acceptable quality level", "Method of surveillance")
QASP_CAPTION = "Performance standards"
# Nothing marks a package final: every export is a revision of a working draft, for legal
# review and the solicitation to take over. So every page says so.
DRAFT = "Draft"


def render_docx(data: dict) -> bytes:
    document = Document()
    _setup(document, data)
    document.add_heading(data["title"], level=0)
    document.add_paragraph(
        f"{data['agency']} · {data['project']} · Revision {data['revision']}, "
        f"{data['created_at'][:10]}"
    )
    tables = 0
    for section in data["sections"]:
        document.add_heading(section["title"], level=1)
        for clause in section["clauses"]:
            document.add_heading(clause["title"], level=2)
            for block in clause["blocks"]:
                if "items" in block:
                    for item in block["items"]:
                        document.add_paragraph(item, style="List Bullet")
                else:
                    document.add_paragraph(block["text"])
        if section["qasp"]:
            tables += 1
            _qasp_table(document, section["qasp"], tables)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _setup(document, data: dict) -> None:
    properties = document.core_properties
    properties.title = data["title"]
    properties.subject = f"Contract language for {data['project']}"
    properties.author = data["created_by"]
    properties.language = "en-US"
    properties.revision = data["revision"]
    document.styles["Normal"].font.size = Pt(11)
    _number_headings(document)
    _header_and_footer(document.sections[0], data)


def _header_and_footer(section, data: dict) -> None:
    """The title and "Draft" at the top of every page, "Page N of M" at the foot (Word fields,
    so the numbers stay right after edits)."""
    width = section.page_width - section.left_margin - section.right_margin
    header = section.header.paragraphs[0]
    stops = header.style.paragraph_format.tab_stops
    stops.clear_all()  # the template's center stop would catch "Draft" halfway
    stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    header.add_run(f"{data['title']}\t")
    header.add_run(DRAFT).bold = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("Page ")
    _field(footer, "PAGE", "1")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES", "1")


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES, SEQ Table) that Word computes; `shown` until it does."""
    _field_char(paragraph, "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    _field_char(paragraph, "separate")
    paragraph.add_run(shown)
    _field_char(paragraph, "end")


def _field_char(paragraph, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(char)


def _number_headings(document) -> None:
    """One multi-level list tied to Heading 1 and Heading 2, so Word renumbers after edits."""
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{NUMBERING_ID}">'
        '<w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:pStyle w:val="Heading1"/><w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="567" w:hanging="567"/></w:pPr></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:pStyle w:val="Heading2"/><w:lvlText w:val="%1.%2"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="709" w:hanging="709"/></w:pPr></w:lvl>'
        "</w:abstractNum>"
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{NUMBERING_ID}">'
            f'<w:abstractNumId w:val="{NUMBERING_ID}"/></w:num>'
        )
    )
    for level, name in enumerate(("Heading 1", "Heading 2")):
        num_pr = document.styles[name].element.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = level
        num_pr.get_or_add_numId().val = NUMBERING_ID


def _qasp_table(document, rows: list[dict], number: int) -> None:
    """A Word caption ("Table 1. Performance standards", numbered by a SEQ field) kept with the
    table, and the table's own title and description (its alternative text)."""
    caption = document.add_paragraph("Table ", style="Caption")
    caption.paragraph_format.keep_with_next = True
    _field(caption, "SEQ Table \\* ARABIC", str(number))
    caption.add_run(f". {QASP_CAPTION}")
    table = document.add_table(rows=1, cols=len(QASP_HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    properties = table._tbl.tblPr
    for tag, text in (("w:tblCaption", QASP_CAPTION), ("w:tblDescription", _describe(rows))):
        element = OxmlElement(tag)
        element.set(qn("w:val"), text)
        properties.append(element)  # the last children of tblPr, in this order
    header = table.rows[0]
    header_props = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # repeat the header row on every page
    repeat.set(qn("w:val"), "true")
    header_props.append(repeat)
    for cell, text in zip(header.cells, QASP_HEADERS, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, key in zip(cells, ("standard", "quality_level", "surveillance"), strict=True):
            cell.text = row[key]


def _describe(rows: list[dict]) -> str:
    count = f"{len(rows)} performance standard{'s' if len(rows) != 1 else ''}"
    return (
        f"The quality assurance surveillance plan: {count}, each with its acceptable quality "
        "level and the Government's method of surveillance."
    )
