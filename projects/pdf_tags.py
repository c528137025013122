"""The tag tree of our PDFs, repaired where WeasyPrint 70 falls short of PDF/UA-1.

WeasyPrint tags each page on its own, so:

- running headers, footers and page numbers are marked content that no structure element
  reaches: neither content nor Artifact (Kozea/WeasyPrint#1836);
- an element that crosses a page break becomes one structure element per page: a long table
  is several Tables with the caption on the first only, a section several Sects (#2903);
- an anonymous box repeats its element's tag inside it: two CSS columns make an L in an L;
- a chart's /Alt is the title of its SVG alone, without the values its description gives.

While WeasyPrint builds the tree, `recording()` notes which HTML element each structure element
comes from and which marked content the page margins hold. `repair()` then rewrites the
finished PDF with pikepdf: margin content becomes pagination Artifacts, the pieces of one
element become one structure element (a table's repeated header rows become Artifacts), and a
chart's /Alt gets its description.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import pikepdf
import pydyf
from pikepdf import Array, Dictionary, Name
from weasyprint.formatting_structure import boxes
from weasyprint.pdf import tags as weasyprint_tags

SVG = "{http://www.w3.org/2000/svg}"


@dataclass
class Recording:
    """What WeasyPrint knew while tagging one PDF and the PDF itself does not say."""

    # structure element's object number -> (HTML element, element tag, structure type)
    sources: dict[int, tuple] = field(default_factory=dict)
    # page index -> {MCID: "Header" or "Footer"} for the text in the page margins
    furniture: defaultdict[int, dict[int, str | None]] = field(
        default_factory=lambda: defaultdict(dict)
    )


_recording: ContextVar[Recording | None] = ContextVar("pdf_tags_recording", default=None)


@contextmanager
def recording() -> Iterator[Recording]:
    """Record what WeasyPrint tags while the block runs (in this thread only)."""
    _install()
    notes = Recording()
    token = _recording.set(notes)
    try:
        yield notes
    finally:
        _recording.reset(token)


def _install() -> None:
    """Wrap WeasyPrint's tree builder once. It calls itself through the module, so the wrapper
    sees every box; without a recording it only passes the elements through."""
    build = weasyprint_tags._build_box_tree
    if getattr(build, "records_sources", False):
        return

    def build_box_tree(box, parent, pdf, page_number, nums, annotations, tags):
        notes = _recording.get()
        if notes is None:
            yield from build(box, parent, pdf, page_number, nums, annotations, tags)
            return
        if isinstance(box, boxes.MarginBox):
            before = {kid["mcid"] for kid in tags.values()}
            yield from build(box, parent, pdf, page_number, nums, annotations, tags)
            margin = before - {kid["mcid"] for kid in tags.values()}
            role = {"@top": "Header", "@bot": "Footer"}.get(box.at_keyword[:4])
            notes.furniture[page_number].update(dict.fromkeys(margin, role))
            return
        for element in build(box, parent, pdf, page_number, nums, annotations, tags):
            # The html, body and page boxes pass their children's elements on: the first
            # wrapper to see an element is the one of the box that made it.
            if element.number not in notes.sources:
                notes.sources[element.number] = (box.element, box.element_tag, element["S"])
                if element["S"] == "/Figure":
                    _describe(element, box.element)
            yield element

    build_box_tree.records_sources = True
    weasyprint_tags._build_box_tree = build_box_tree


def _describe(figure: pydyf.Dictionary, svg) -> None:
    """An SVG chart's /Alt: its title and its description (the values), not the title alone."""
    if svg is None or svg.tag != f"{SVG}svg":
        return
    parts = []
    for name in ("title", "desc"):
        node = svg.find(f"{SVG}{name}")
        if node is not None and (text := " ".join("".join(node.itertext()).split())):
            parts.append(text)
    if parts:
        title = parts[0]
        separator = " " if title.endswith((".", "?", "!", ":")) else ". "
        figure["Alt"] = pydyf.String(separator.join(parts))


def repair(pdf: bytes, notes: Recording, id_prefix: str = "") -> bytes:
    """The PDF with its tag tree repaired (see the module's docstring). `id_prefix` goes before
    every structure element's /ID, so that PDFs joined into one (projects.pdf_parts) keep them
    apart: WeasyPrint numbers them after objects, which every PDF numbers from 1."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        _TagTree(document, notes, id_prefix).repair()
        out = io.BytesIO()
        document.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _is_element(kid) -> bool:
    return isinstance(kid, Dictionary) and "/S" in kid


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


class _TagTree:
    def __init__(self, document: pikepdf.Pdf, notes: Recording, id_prefix: str = ""):
        self.document = document
        self.id_prefix = id_prefix
        self.cells: list[Dictionary] = []  # elements that name header cells by /ID
        self.root = document.Root.StructTreeRoot
        self.parent_tree = pikepdf.NumberTree(self.root.ParentTree)
        self.sources = notes.sources
        self.furniture = notes.furniture
        # page object -> {MCID: artifact subtype} for marked content to turn into Artifacts
        self.artifacts: defaultdict[tuple, dict[int, str | None]] = defaultdict(dict)
        self.last_page: dict[tuple, tuple] = {}  # merged element -> page of its last piece
        self.ids: dict[str, Dictionary] = {}

    def repair(self) -> None:
        for top in _kids(self.root):
            self._tidy(top)
        for index, margin in self.furniture.items():
            self.artifacts[self.document.pages[index].obj.objgen].update(margin)
        for page in self.document.pages:
            if page.obj.objgen in self.artifacts:
                self._mark_artifacts(page, self.artifacts[page.obj.objgen])
        if self.ids and self.id_prefix:
            self._prefix_ids()
        if self.ids:  # table cells name their header cells by /ID
            names = Array()
            for key in sorted(self.ids):
                names.extend([pikepdf.String(key), self.ids[key]])
            self.root.IDTree = Dictionary(Names=names)

    def _prefix_ids(self) -> None:
        renamed = {old: self.id_prefix + old for old in self.ids}
        for old, element in list(self.ids.items()):
            element.ID = pikepdf.String(renamed[old])
            self.ids[renamed[old]] = self.ids.pop(old)
        for cell in self.cells:
            _rename_headers(cell, renamed, deep=False)

    def _key(self, element):
        return self.sources.get(element.objgen[0]) if element.is_indirect else None

    def _tidy(self, element) -> None:
        """Lift same-element children into `element`, join the pieces of each child that a
        page break cut, then tidy the children."""
        key = self._key(element)
        pending, kids = _kids(element)[::-1], []  # a stack: the next kid is last
        changed = False
        while pending:
            kid = pending.pop()
            if key is not None and _is_element(kid) and self._key(kid) == key:
                # an anonymous box of this element (a CSS column, say): its kids are ours
                pending.extend(reversed(self._take_kids(kid, element)))
                changed = True
            elif (
                kids
                and _is_element(kid)
                and _is_element(kids[-1])
                and self._continues(kids[-1], kid)
            ):
                self._absorb(kids[-1], kid)
                changed = True
            else:
                kids.append(kid)
        if changed:
            element.K = Array(kids)
        if "/ID" in element:
            self.ids[str(element.ID)] = element
        attributes = element.get("/A")
        if isinstance(attributes, Dictionary) and "/Headers" in attributes:
            self.cells.append(element)
        for kid in kids:
            if _is_element(kid):
                self._tidy(kid)

    def _continues(self, previous, kid) -> bool:
        key = self._key(previous)
        if key is None or key != self._key(kid) or "/Pg" not in kid:
            return False
        return kid.Pg.objgen != self.last_page.get(previous.objgen, previous.Pg.objgen)

    def _absorb(self, target, piece) -> None:
        """Move the kids of `piece`, the same element on a later page, into `target`."""
        if target.S == "/Table":
            self._drop_repeated_header(target, piece)
        moved = self._take_kids(piece, target)
        target.K = Array([*_kids(target), *moved])
        self.last_page[target.objgen] = piece.Pg.objgen

    def _take_kids(self, source, target) -> list:
        """The kids of `source`, re-parented to `target`: content on another page than
        `target`'s is referred to with its page, and the parent tree points at `target`."""
        page = source.get("/Pg")
        moved = []
        for kid in _kids(source):
            if isinstance(kid, int):
                self._parent_array(page)[kid] = target
                if page is not None and page.objgen != target.Pg.objgen:
                    kid = Dictionary(Type=Name.MCR, Pg=page, MCID=kid)
            elif _is_element(kid):
                kid.P = target
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
                if "/Pg" not in kid:
                    kid.Pg = page
                self._parent_array(kid.Pg)[int(kid.MCID)] = target
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR:
                self.parent_tree[int(kid.Obj.StructParent)] = target
            moved.append(kid)
        return moved

    def _parent_array(self, page) -> Array:
        return self.parent_tree[int(page.StructParents)]

    def _drop_repeated_header(self, table, piece) -> None:
        """A table's header rows, repeated on each page, are pagination Artifacts after the
        first; the cells below them name the first header cells instead."""
        first = next((k for k in _kids(table) if _is_element(k) and k.S == "/THead"), None)
        kept, renamed = [], {}
        for kid in _kids(piece):
            if _is_element(kid) and kid.S == "/THead" and first is not None:
                renamed.update(zip(_header_ids(kid), _header_ids(first), strict=False))
                self._make_artifact(kid)
            else:
                kept.append(kid)
        piece.K = Array(kept)
        if renamed:
            for kid in kept:
                _rename_headers(kid, renamed)

    def _make_artifact(self, element) -> None:
        page = element.get("/Pg")
        for kid in _kids(element):
            if isinstance(kid, int) and page is not None:
                self.artifacts[page.objgen][kid] = None
            elif _is_element(kid):
                self._make_artifact(kid)
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
                self.artifacts[(kid.get("/Pg") or page).objgen][int(kid.MCID)] = None

    def _mark_artifacts(self, page: pikepdf.Page, artifacts: dict[int, str | None]) -> None:
        """Turn the marked content with these MCIDs into pagination Artifacts, and take them
        out of the parent tree."""
        instructions = []
        for instruction in pikepdf.parse_content_stream(page):
            operands = getattr(instruction, "operands", ())
            if (
                str(instruction.operator) == "BDC"
                and isinstance(operands[1], Dictionary)
                and int(operands[1].get("/MCID", -1)) in artifacts
            ):
                properties = Dictionary(Type=Name.Pagination)
                if subtype := artifacts[int(operands[1].MCID)]:
                    properties.Subtype = Name("/" + subtype)
                instruction = pikepdf.ContentStreamInstruction(
                    [Name.Artifact, properties], pikepdf.Operator("BDC")
                )
            instructions.append(instruction)
        page.obj.Contents = self.document.make_stream(pikepdf.unparse_content_stream(instructions))
        parents = self._parent_array(page.obj)
        for mcid in artifacts:
            if mcid < len(parents):
                parents[mcid] = None
        while len(parents) and parents[len(parents) - 1] is None:
            del parents[len(parents) - 1]


def _header_ids(head) -> list[str]:
    ids = []
    for kid in _kids(head):
        if _is_element(kid):
            if kid.S == "/TH" and "/ID" in kid:
                ids.append(str(kid.ID))
            else:
                ids.extend(_header_ids(kid))
    return ids


def _rename_headers(element, renamed: dict[str, str], deep: bool = True) -> None:
    if not _is_element(element):
        return
    attributes = element.get("/A")
    if isinstance(attributes, Dictionary) and "/Headers" in attributes:
        attributes.Headers = Array(
            [pikepdf.String(renamed.get(str(h), str(h))) for h in attributes.Headers]
        )
    if deep:
        for kid in _kids(element):
            _rename_headers(kid, renamed)
