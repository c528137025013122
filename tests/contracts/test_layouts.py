"""Exports in the officer's chosen solicitation layout: the uniform contract format's
Sections B to M (a price schedule in B, the clauses incorporated by reference in I, the QASP
as attachment J-1) or the shorter request-for-quotation layout; and final revisions without
the draft marking."""

from __future__ import annotations

import io
import os

import pytest
from docx import Document

from projects.contracts.exports import export
from projects.contracts.models import ContractPackage
from tests.contracts.factories import make_package, officer_project
from tests.pdf_checks import pdf_text, read_tags

OUT = os.environ.get("CONTRACT_EXPORTS_TO")  # a folder to keep the files in, to look at them


def _export(app, layout="ucf", final=False, **answers):
    officer, project = officer_project(phase="beta")
    package = make_package(project, officer, **answers)
    ContractPackage.update(layout=layout).where(ContractPackage.id == package.id).execute()
    package = ContractPackage.get_by_id(package.id)
    with app.test_request_context():
        revision = export(package, project, officer, final=final)
    files = {f.format: bytes(f.content) for f in revision.files}
    if OUT:
        for fmt, content in files.items():
            with open(
                os.path.join(OUT, f"{layout}-{'final' if final else 'draft'}.{fmt}"), "wb"
            ) as f:
                f.write(content)
    return revision, files


def test_the_uniform_contract_format_has_sections_b_to_m(app):
    revision, files = _export(app, contract_type="hybrid", travel="reimbursed")
    headings = [s["heading"] for s in revision.snapshot["sections"]]
    assert [h.split(" ")[1] for h in headings] == list("BCDEFGHIJKLM")
    sections = {s["number"]: s for s in revision.snapshot["sections"]}
    assert sections["B"]["schedule"][0]["number"] == "0001"
    assert any(line["number"].startswith("2") for line in sections["B"]["schedule"])
    assert {line["pricing"] for line in sections["B"]["schedule"]} >= {
        "Firm-fixed-price",
        "Labor-hour",
        "Cost, not to exceed",
    }
    numbers = [r["number"] for r in sections["I"]["references"]]
    assert numbers[0] == "FAR 52.252-2"
    assert "FAR 52.204-25" in numbers and "FAR 52.237-3" in numbers  # a beta project
    assert numbers.index("FAR 52.204-9") < numbers.index("FAR 52.204-25")
    assert sections["J"]["qasp"] and "J-1" in sections["J"]["attachments"][0]
    assert sections["C"]["clauses"][0]["number"] == "C.1"
    assert sections["D"]["empty"]
    markdown = files["markdown"].decode()
    assert "## Section B \N{EN DASH} Supplies or services and prices" in markdown
    assert "| 0001 |" in markdown
    assert "Draft · Revision 1" in markdown

    text = pdf_text(files["pdf"])
    for wanted in ("Section B", "Section I", "52.252-2", "0001", "Section M", "Draft"):
        assert wanted in text
    tags = read_tags(files["pdf"])
    assert tags.stray() == [] and tags.parent_tree_disagrees() == []
    assert len(tags.of_type("/Table")) == 2  # the price schedule and the QASP

    document = Document(io.BytesIO(files["docx"]))
    assert document.sections[0].header.paragraphs[0].text.endswith("\tDraft")
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == ["Table 1. Price schedule", "Table 2. Performance standards"]
    schedule = document.tables[0]
    assert [c.text for c in schedule.rows[0].cells][:2] == ["Line item", "Description"]
    assert schedule.rows[1].cells[0].text.startswith("Base period")


def test_the_quotation_layout_is_shorter_and_numbered(app):
    revision, files = _export(app, layout="rfq")
    headings = [s["heading"] for s in revision.snapshot["sections"]]
    assert headings[0] == "1. Background and requirement"
    assert len(headings) == 8
    assert "## 5. Clauses incorporated by reference" in files["markdown"].decode()
    sections = {s["number"]: s for s in revision.snapshot["sections"]}
    assert sections["1"]["clauses"][0]["number"] == "1.1"
    assert "Attachment 1" in sections["6"]["attachments"][0]


def test_a_final_revision_drops_the_draft_marking(app):
    revision, files = _export(app, final=True)
    assert revision.snapshot["final"] is True
    assert ContractPackage.get_by_id(revision.package_id).status == "final"
    document = Document(io.BytesIO(files["docx"]))
    assert document.sections[0].header.paragraphs[0].text == "Contract language\t"
    assert "Draft" not in pdf_text(files["pdf"])
    assert "Final · Revision 1" in files["markdown"].decode()


@pytest.mark.parametrize("kind", ["firm-fixed-price", "time-and-materials", "labor-hour"])
def test_the_price_schedule_follows_the_contract_type(app, kind):
    from playbook.contracts.schedule import price_schedule

    lines = price_schedule({"contract_type": kind, "option_periods": 1}, [])
    units = {line.unit for line in lines}
    assert units == ({"Iteration"} if kind == "firm-fixed-price" else {"Hour"})
    assert [line.number for line in lines] == ["0001", "1001"]
    assert all(line.unit_price == "$________" for line in lines)
