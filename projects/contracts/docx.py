"""The package as an editable Word document: real heading styles numbered by Word itself
in the package's layout (Section C with C.1, C.2..., or 1. with 1.1, 1.2...), bullet lists,
the price schedule and the QASP as captioned and described tables whose header rows repeat,
and on every page the package's title, "Draft" (until the package is final) and the page
number."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

from playbook.contracts.layouts import DASH

NUMBERING_ID = 71  # any id the default template does not use
QASP_HEADERS = ("Performance standard", "Acceptable quality level", "Method of surveillance")
QASP_CAPTION = "Performance standards"
SCHEDULE_CAPTION = "Price schedule"
# Every revision of a package that is not final says so on every page.
DRAFT = "Draft"


def render_docx(data: dict) -> bytes:
    from projects.contracts.documents import SCHEDULE_HEADERS, SCHEDULE_KEYS, status_line

    document = Document()
    _setup(document, data)
    document.add_heading(data["title"], level=0)
    document.add_paragraph(f"{data['agency']} · {data['project']} · {data.get('layout_label', '')}")
    document.add_paragraph(status_line(data))
    tables = 0
    for section in data["sections"]:
        document.add_heading(section["title"], level=1)
        if section.get("empty"):
            document.add_paragraph(section["empty"])
        if section.get("findings"):
            document.add_heading("What research found", level=2)
            for f in section["findings"]:
                document.add_paragraph(
                    f"{f['title']} ({f['method']}, {f['date']}): {f['insight']}",
                    style="List Bullet",
                )
        if section.get("schedule"):
            tables += 1
            rows = [[line[k] for k in SCHEDULE_KEYS] for line in section["schedule"]]
            periods = [line["period"] for line in section["schedule"]]
            _table(
                document,
                SCHEDULE_CAPTION,
                SCHEDULE_HEADERS,
                rows,
                tables,
                periods=periods,
                description=f"The price schedule: {len(rows)} line items with blank prices.",
            )
            document.add_paragraph(section["schedule_note"])
        for clause in section["clauses"]:
            document.add_heading(clause["title"], level=2)
            for block in clause["blocks"]:
                if "items" in block:
                    for item in block["items"]:
                        document.add_paragraph(item, style="List Bullet")
                else:
                    document.add_paragraph(block["text"])
        if section.get("references"):
            document.add_heading("Clauses incorporated by reference", level=2)
            for ref in section["references"]:
                document.add_paragraph(f"{ref['number']}, {ref['title']}")
        for attachment in section.get("attachments", []):
            document.add_paragraph(attachment, style="Heading 3")
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
    _number_headings(document, data.get("layout", "ucf"))
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
    if not data.get("final"):
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


def _number_headings(document, layout: str) -> None:
    """One multi-level list tied to Heading 1 and Heading 2, so Word renumbers after edits:
    "Section B" to "Section M" (and a dash) with C.1, C.2 in the uniform contract format (every
    section is present, so the letters stay right), "1." with 1.1 in the quotation layout."""
    ucf = layout == "ucf"
    first, fmt = ("2", "upperLetter") if ucf else ("1", "decimal")
    text, indent = (f"Section %1 {DASH}", "1701") if ucf else ("%1.", "567")
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{NUMBERING_ID}">'
        '<w:multiLevelType w:val="multilevel"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="{first}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:pStyle w:val="Heading1"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{indent}" w:hanging="{indent}"/></w:pPr></w:lvl>'
        f'<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
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
    cells = [[row[k] for k in ("standard", "quality_level", "surveillance")] for row in rows]
    _table(document, QASP_CAPTION, QASP_HEADERS, cells, number, description=_describe(rows))


def _table(document, title, headers, rows, number, *, description, periods=None) -> None:
    """A Word caption ("Table 1. Performance standards", numbered by a SEQ field) kept with the
    table, the table's own title and description (its alternative text), and a header row
    that repeats on every page; `periods` adds a row naming each period before its lines."""
    caption = document.add_paragraph("Table ", style="Caption")
    caption.paragraph_format.keep_with_next = True
    _field(caption, "SEQ Table \\* ARABIC", str(number))
    caption.add_run(f". {title}")
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    properties = table._tbl.tblPr
    for tag, text in (("w:tblCaption", title), ("w:tblDescription", description)):
        element = OxmlElement(tag)
        element.set(qn("w:val"), text)
        properties.append(element)  # the last children of tblPr, in this order
    header = table.rows[0]
    header_props = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # repeat the header row on every page
    repeat.set(qn("w:val"), "true")
    header_props.append(repeat)
    for cell, text in zip(header.cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    current = None
    for index, row in enumerate(rows):
        if periods and periods[index] != current:
            current = periods[index]
            merged = table.add_row().cells
            merged[0].merge(merged[-1])
            merged[0].text = ""
            merged[0].paragraphs[0].add_run(current).bold = True
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = str(text)


def _describe(rows: list[dict]) -> str:
    count = f"{len(rows)} performance standard{'s' if len(rows) != 1 else ''}"
    return (
        f"The quality assurance surveillance plan: {count}, each with its acceptable quality "
        "level and the Government's method of surveillance."
    )
