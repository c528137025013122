"""The package as an editable Word document: real heading styles numbered by Word itself
(1, 1.1, 1.2...), bullet lists, and the QASP as a table whose header row repeats."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

NUMBERING_ID = 71  # any id the default template does not use
QASP_HEADERS = ("Performance standard", "Acceptable quality level", "Method of surveillance")


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
    document.add_paragraph(f"Table {number}. Performance standards", style="Caption")
    table = document.add_table(rows=1, cols=len(QASP_HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
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
