"""The package document in every export format: Markdown, accessible PDF and Word."""

from __future__ import annotations

from flask import render_template

from projects.contracts.docx import QASP_HEADERS, render_docx
from projects.pdf import render_pdf


def package_markdown(data: dict) -> str:
    """The exported package data as a Markdown document (the other way from
    projects.markdown, which turns Markdown into safe HTML)."""
    lines = [
        f"# {data['title']}",
        "",
        f"{data['agency']} · {data['project']} · Revision {data['revision']}, "
        f"exported {data['created_at'][:10]} by {data['created_by']}",
    ]
    for section in data["sections"]:
        lines += ["", f"## {section['number']}. {section['title']}"]
        for clause in section["clauses"]:
            lines += ["", f"### {clause['number']} {clause['title']}"]
            for block in clause["blocks"]:
                lines.append("")
                if "items" in block:
                    lines += [f"- {item}" for item in block["items"]]
                else:
                    lines.append(block["text"])
        if section["qasp"]:
            lines += ["", "#### Performance standards", ""]
            lines.append("| " + " | ".join(QASP_HEADERS) + " |")
            lines.append("|" + " --- |" * len(QASP_HEADERS))
            for row in section["qasp"]:
                cells = (row["standard"], row["quality_level"], row["surveillance"])
                lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render_print_html(data: dict) -> str:
    return render_template("contracts/print.html", doc=data, qasp_headers=QASP_HEADERS)


def render_all(data: dict, *, strict: bool = False) -> dict[str, bytes]:
    return {
        "docx": render_docx(data),
        "pdf": render_pdf(render_print_html(data), strict=strict),
        "markdown": package_markdown(data).encode("utf-8"),
    }
