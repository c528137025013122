"""Reading a PDF's tag tree back, for the PDF/UA tests of every PDF we make."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass, field

import pikepdf
import pytest
from pikepdf import Array, Dictionary


@dataclass
class TagTree:
    """The structure elements of a PDF in reading order and what each page's content is."""

    document: pikepdf.Pdf  # open while the elements below are in use
    elements: list[Dictionary] = field(default_factory=list)
    # (page index, MCID) -> the structure element whose content it is
    owners: dict[tuple[int, int], Dictionary] = field(default_factory=dict)
    # per page: (tag, MCID or None, inside an Artifact) for every marked-content sequence
    marked: list[list[tuple[str, int | None, bool]]] = field(default_factory=list)
    # per page: the properties of each Artifact sequence
    artifacts: list[list[Dictionary]] = field(default_factory=list)
    # (page index, MCID) -> the element the parent tree names for it
    parent_tree: dict[tuple[int, int], Dictionary] = field(default_factory=dict)

    def of_type(self, structure_type: str) -> list[Dictionary]:
        return [e for e in self.elements if str(e.S) == structure_type]

    def stray(self) -> list[tuple[int, str, int | None]]:
        """Marked content that is neither an Artifact nor reachable from StructTreeRoot."""
        return [
            (page, tag, mcid)
            for page, sequences in enumerate(self.marked)
            for tag, mcid, in_artifact in sequences
            if not (tag == "/Artifact" or in_artifact or (page, mcid) in self.owners)
        ]

    def parent_tree_disagrees(self) -> list[tuple[int, int]]:
        """Content whose parent-tree entry does not name the element that holds it."""
        return [
            at
            for at, owner in self.owners.items()
            if self.parent_tree.get(at) is None or self.parent_tree[at].objgen != owner.objgen
        ]


def read_tags(pdf: bytes) -> TagTree:
    document = pikepdf.open(io.BytesIO(pdf))
    tree = TagTree(document)
    pages = {page.obj.objgen: index for index, page in enumerate(document.pages)}
    _walk(document.Root.StructTreeRoot.K, None, None, pages, tree)
    numbers = pikepdf.NumberTree(document.Root.StructTreeRoot.ParentTree)
    for index, page in enumerate(document.pages):
        parents = numbers[int(page.obj.StructParents)]
        for mcid, parent in enumerate(parents):
            if parent is not None:
                tree.parent_tree[(index, mcid)] = parent
        tree.marked.append([])
        tree.artifacts.append([])
        stack: list[str] = []
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) in ("BDC", "BMC"):
                tag = str(operands[0])
                properties = operands[1] if str(operator) == "BDC" else Dictionary()
                if not isinstance(properties, Dictionary):
                    properties = Dictionary()
                mcid = int(properties.MCID) if "/MCID" in properties else None
                tree.marked[index].append((tag, mcid, "/Artifact" in stack))
                if tag == "/Artifact":
                    tree.artifacts[index].append(properties)
                stack.append(tag)
            elif str(operator) == "EMC":
                stack.pop()
    return tree


def _walk(node, element, page, pages, tree: TagTree) -> None:
    if isinstance(node, int):
        tree.owners[(page, node)] = element
    elif isinstance(node, Array):
        for kid in node:
            _walk(kid, element, page, pages, tree)
    elif isinstance(node, Dictionary):
        if node.get("/Type") == "/MCR":
            on = pages[node.Pg.objgen] if "/Pg" in node else page
            tree.owners[(on, int(node.MCID))] = element
        elif "/S" in node:
            tree.elements.append(node)
            on = pages[node.Pg.objgen] if "/Pg" in node else page
            _walk(node.get("/K"), node, on, pages, tree)


def kids(element: Dictionary, structure_type: str | None = None) -> list[Dictionary]:
    """The child structure elements of `element`, of one type if given."""
    found = element.get("/K")
    found = [] if found is None else (list(found) if isinstance(found, Array) else [found])
    return [
        k
        for k in found
        if isinstance(k, Dictionary)
        and "/S" in k
        and (structure_type is None or str(k.S) == structure_type)
    ]


def descendants(element: Dictionary, structure_type: str) -> list[Dictionary]:
    found = []
    for kid in kids(element):
        if str(kid.S) == structure_type:
            found.append(kid)
        found.extend(descendants(kid, structure_type))
    return found


def pdf_text(pdf: bytes, *, pages: str = "") -> str:
    """The PDF's text as pdftotext (poppler-utils) extracts it; skips without pdftotext."""
    command = shutil.which("pdftotext")
    if command is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    first_last = []
    if pages:
        first, _, last = pages.partition("-")
        first_last = ["-f", first, "-l", last or first]
    done = subprocess.run(  # noqa: S603 - a fixed command on our own PDF
        [command, *first_last, "-", "-"], input=pdf, capture_output=True, check=True
    )
    return done.stdout.decode()


def without_artifacts(pdf: bytes) -> bytes:
    """The PDF with its Artifacts (running heads, page numbers) taken out of every page, so
    that pdf_text reads only the content the tag tree holds."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            kept, depth = [], 0  # depth: how deep inside Artifact sequences we are
            for instruction in pikepdf.parse_content_stream(page):
                operator = str(instruction.operator)
                if operator in ("BDC", "BMC"):
                    if depth or str(instruction.operands[0]) == "/Artifact":
                        depth += 1
                        continue
                elif operator == "EMC" and depth:
                    depth -= 1
                    continue
                if not depth:
                    kept.append(instruction)
            page.obj.Contents = document.make_stream(pikepdf.unparse_content_stream(kept))
        out = io.BytesIO()
        document.save(out)
    return out.getvalue()
