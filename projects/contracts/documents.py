"""The package document in every export format: Markdown, accessible PDF and Word."""

from __future__ import annotations

import re

from flask import render_template

from projects.contracts.docx import QASP_HEADERS, render_docx
from projects.pdf import render_pdf

SCHEDULE_HEADERS = (
    "Line item",
    "Description",
    "Pricing",
    "Quantity",
    "Unit",
    "Unit price",
    "Amount",
)
SCHEDULE_KEYS = ("number", "description", "pricing", "quantity", "unit", "unit_price", "amount")


def status_line(data: dict) -> str:
    """What every format says of the revision: final, or a draft."""
    state = "Final" if data.get("final") else "Draft"
    return (
        f"{state} · Revision {data['revision']}, exported {data['created_at'][:10]} "
        f"by {data['created_by']}"
    )


def package_markdown(data: dict) -> str:
    """The exported package data as a Markdown document (the other way from
    projects.markdown, which turns Markdown into safe HTML). Every text from people is inert
    (see `_inert`), as it is in the Word and PDF exports."""
    lines = [
        f"# {_inert(data['title'])}",
        "",
        f"{_inert(data['agency'])} · {_inert(data['project'])} · {_inert(status_line(data))}",
        "",
        f"Layout: {_inert(data.get('layout_label', ''))}",
    ]
    for section in data["sections"]:
        lines += ["", f"## {_inert(section.get('heading') or section['title'])}"]
        if section.get("empty"):
            lines += ["", _inert(section["empty"])]
        if section.get("findings"):
            lines += ["", "### What research found", ""]
            lines += [
                f"- {_inert(f['title'])} ({_inert(f['method'])}, {_inert(f['date'])}): "
                f"{_inert(f['insight'])}"
                for f in section["findings"]
            ]
        if section.get("schedule"):
            lines += ["", "| " + " | ".join(SCHEDULE_HEADERS) + " |"]
            lines.append("|" + " --- |" * len(SCHEDULE_HEADERS))
            period = None
            for line in section["schedule"]:
                if line["period"] != period:
                    period = line["period"]
                    lines.append(f"| **{_cell(period)}** |" + " |" * (len(SCHEDULE_HEADERS) - 1))
                lines.append("| " + " | ".join(_cell(line[k]) for k in SCHEDULE_KEYS) + " |")
            lines += ["", _inert(section["schedule_note"])]
        for clause in section["clauses"]:
            lines += ["", f"### {clause['number']} {_inert(clause['title'])}"]
            for block in clause["blocks"]:
                lines.append("")
                if "items" in block:
                    lines += [f"- {_inert(item)}" for item in block["items"]]
                else:
                    lines.append(_inert(block["text"]))
        if section.get("references"):
            lines += ["", "### Clauses incorporated by reference", ""]
            lines += [
                f"- {_inert(r['number'])}, {_inert(r['title'])}" for r in section["references"]
            ]
        for attachment in section.get("attachments", []):
            lines += ["", f"### {_inert(attachment)}"]
        if section["qasp"]:
            lines += ["", "#### Performance standards", ""]
            lines.append("| " + " | ".join(QASP_HEADERS) + " |")
            lines.append("|" + " --- |" * len(QASP_HEADERS))
            for row in section["qasp"]:
                cells = (row["standard"], row["quality_level"], row["surveillance"])
                lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


# A link or image target (`](target`) or a link reference definition (`[name]: target`) whose
# target is not an http(s) address: `javascript:`, `data:`, `vbscript:` and the like.
_UNSAFE_TARGET = re.compile(r"\](\(\s*+|:[ \t]*+)(?!https?://)", re.IGNORECASE)


def _inert(text: object) -> str:
    """Text a Markdown viewer shows as written and never runs: HTML tags and entities are
    escaped (`&`, `<`, `>`, and `\\` so nothing can undo an escape), and a link or image to
    anything but an http(s) address loses the `]` that makes it one."""
    text = str(text).replace("\\", "\\\\")  # so a `\]` written by someone stays escaped
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _UNSAFE_TARGET.sub(lambda m: "\\]" + m.group(1), text)


def _cell(text: object) -> str:
    return _inert(" ".join(str(text).split())).replace("|", "\\|")


def render_print_html(data: dict) -> str:
    return render_template(
        "contracts/print.html",
        doc=data,
        qasp_headers=QASP_HEADERS,
        schedule_headers=SCHEDULE_HEADERS,
        schedule_keys=SCHEDULE_KEYS,
        status=status_line(data),
    )


def render_all(data: dict, *, strict: bool = False) -> dict[str, bytes]:
    return {
        "docx": render_docx(data),
        "pdf": render_pdf(render_print_html(data), strict=strict),
        "markdown": package_markdown(data).encode("utf-8"),
    }
