"""One accessible PDF (PDF/UA-1) from PDFs rendered in parts, one after the other.

A long report is laid out a part at a time so that WeasyPrint's memory stays that of one part
(projects/reports/portfolio_parts.py). `join()` then makes one document of the parts, as if
rendered at once:

- one structure tree: the first part's Document element takes the other parts' elements; the
  report's wrapper is one element, and a section (or list) that a part boundary cut is one
  section again (as projects.pdf_tags does for page breaks);
- one parent tree: each part's page and annotation keys move past the parts before it (MCIDs
  are numbered per page, so they stay); the IDs of table headers were made unique per part
  when each was rendered (projects.pdf_tags.repair's id_prefix);
- one outline, nested by heading level across the parts;
- page numbers: only the whole document knows how many pages it has, so "Page N of M" is drawn
  over each page afterwards, from a small PDF of the numbers alone, as a pagination Artifact.

Language, title, MarkInfo, DisplayDocTitle and the XMP metadata (pdfuaid) are the first
part's, which has them as every part does.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name

from projects.pdf import Bookmark, RenderedDocument
from projects.pdf_tags import _is_element, _kids


@dataclass(frozen=True)
class Part:
    """A rendered part, and whether it begins inside a section the part before began."""

    document: RenderedDocument
    continues: bool = False


# What a part boundary may cut, outermost first: the report's wrapper (always one element),
# then a section that goes on in the next part, then a list in it.
JOINED = ("/Div", "/Sect", "/L")

PageNumbers = Callable[[list[bool]], bytes]  # per page: landscape? -> untagged PDF of numbers


def join(parts: list[Part], page_numbers: PageNumbers) -> bytes:
    """The parts as one PDF, with "Page N of M" drawn by `page_numbers` on every page."""
    with pikepdf.open(io.BytesIO(parts[0].document.pdf)) as first:
        joined = _Joined(first)
        joined.add_bookmarks(parts[0].document.bookmarks, 0)
        for part in parts[1:]:
            # Each part is let go once copied: the memory is the joined PDF's, not twice that.
            with pikepdf.open(io.BytesIO(part.document.pdf)) as source:
                joined.append(source, part.continues, part.document.bookmarks)
        joined.finish()
        with pikepdf.open(io.BytesIO(page_numbers(joined.landscape()))) as numbers:
            joined.draw_page_numbers(numbers)
            out = io.BytesIO()
            first.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _own_streams(pages) -> None:
    """Give the streams these pages use (content, fonts, images) their data now: a stream
    copied from another PDF reads it from there when saved, so the other PDF would have to
    stay open, with all its objects."""
    seen: set[tuple[int, int]] = set()

    def visit(node) -> None:
        if not isinstance(node, pikepdf.Object):
            return  # a number, a name: nothing to own
        if node.is_indirect:
            if node.objgen in seen:
                return
            seen.add(node.objgen)
        if isinstance(node, pikepdf.Stream):
            node.write(
                node.read_raw_bytes(),
                filter=node.get("/Filter"),
                decode_parms=node.get("/DecodeParms"),
            )
        if isinstance(node, Dictionary | pikepdf.Stream):
            for key, value in node.items():
                if key not in ("/Parent", "/P"):  # up the page tree, or to the page
                    visit(value)
        elif isinstance(node, Array):
            for value in node:
                visit(value)

    for page in pages:
        visit(page.obj)


class _Joined:
    def __init__(self, first: pikepdf.Pdf):
        self.pdf = first
        self.root = first.Root.StructTreeRoot
        [self.document] = _kids(self.root)
        self.parent_tree = pikepdf.NumberTree(self.root.ParentTree)
        self.next_key = max((int(k) + 1 for k in self.parent_tree), default=0)
        self.ids = self._id_names(self.root)
        self.bookmarks: list[Bookmark] = []

    @staticmethod
    def _id_names(root) -> list:
        tree = root.get("/IDTree")
        return list(tree.Names) if tree is not None and "/Names" in tree else []

    def add_bookmarks(self, bookmarks: list[Bookmark], first_page: int) -> None:
        self.bookmarks.extend(
            Bookmark(b.level, b.label, b.page + first_page, b.x, b.y) for b in bookmarks
        )

    def append(self, source: pikepdf.Pdf, continues: bool, bookmarks: list[Bookmark]) -> None:
        first_page, offset = len(self.pdf.pages), self.next_key
        self.pdf.pages.extend(source.pages)
        # Copied after its pages, the tree's /Pg references find the pages already copied.
        root = self.pdf.copy_foreign(source.Root.StructTreeRoot)
        _own_streams(self.pdf.pages[first_page:])
        for page in self.pdf.pages[first_page:]:
            page.obj.StructParents = int(page.obj.StructParents) + offset
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        for key, value in pikepdf.NumberTree(root.ParentTree).items():
            self.parent_tree[int(key) + offset] = value
            self.next_key = max(self.next_key, int(key) + offset + 1)
        self.ids.extend(self._id_names(root))
        self.add_bookmarks(bookmarks, first_page)

        [document] = _kids(root)
        kids = _kids(self.document)
        moved = self._take_kids(document, self.document)
        depth = len(JOINED) if continues else 1
        if kids and moved and self._joinable(kids[-1], moved[0], 0, depth):
            self._join(kids[-1], moved.pop(0), 1, depth)
        self.document.K = Array([*kids, *moved])

    def _joinable(self, before, after, level: int, depth: int) -> bool:
        return (
            level < depth
            and _is_element(before)
            and _is_element(after)
            and before.S == after.S == Name(JOINED[level])
        )

    def _join(self, before, after, level: int, depth: int) -> None:
        """Move the kids of `after` to the end of `before`; where the two meet, join the next
        kind of element in JOINED as well."""
        kids = _kids(before)
        moved = self._take_kids(after, before)
        if kids and moved and self._joinable(kids[-1], moved[0], level, depth):
            self._join(kids[-1], moved.pop(0), level + 1, depth)
        before.K = Array([*kids, *moved])

    def _take_kids(self, source, target) -> list:
        """The kids of `source`, re-parented to `target` (as projects.pdf_tags does)."""
        page = source.get("/Pg")
        moved = []
        for kid in _kids(source):
            if isinstance(kid, int):
                self._parents(page)[kid] = target
                kid = Dictionary(Type=Name.MCR, Pg=page, MCID=kid)
            elif _is_element(kid):
                kid.P = target
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
                if "/Pg" not in kid:
                    kid.Pg = page
                self._parents(kid.Pg)[int(kid.MCID)] = target
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR:
                self.parent_tree[int(kid.Obj.StructParent)] = target
            moved.append(kid)
        return moved

    def _parents(self, page) -> Array:
        return self.parent_tree[int(page.StructParents)]

    def finish(self) -> None:
        """One parent tree key count, one ID tree, one outline."""
        self.root.ParentTreeNextKey = self.next_key
        if self.ids:
            pairs = sorted(zip(self.ids[::2], self.ids[1::2], strict=True), key=lambda p: str(p[0]))
            self.root.IDTree = Dictionary(Names=Array([x for pair in pairs for x in pair]))
        if "/Outlines" in self.pdf.Root:
            del self.pdf.Root.Outlines
        with self.pdf.open_outline() as outline:
            stack: list[tuple[int, pikepdf.OutlineItem]] = []
            for bookmark in self.bookmarks:
                item = pikepdf.OutlineItem(
                    bookmark.label,
                    bookmark.page,
                    pikepdf.PageLocation.XYZ,
                    left=bookmark.x,
                    top=bookmark.y,
                    zoom=0,
                )
                while stack and stack[-1][0] >= bookmark.level:
                    stack.pop()
                (stack[-1][1].children if stack else outline.root).append(item)
                stack.append((bookmark.level, item))

    def landscape(self) -> list[bool]:
        return [float(p.mediabox[2]) > float(p.mediabox[3]) for p in self.pdf.pages]

    def draw_page_numbers(self, numbers: pikepdf.Pdf) -> None:
        """Draw each page of `numbers` over the page of the same number, as an Artifact."""
        if len(numbers.pages) != len(self.pdf.pages):
            raise ValueError(f"{len(numbers.pages)} page numbers for {len(self.pdf.pages)} pages")
        for page, number in zip(self.pdf.pages, numbers.pages, strict=True):
            form = self.pdf.copy_foreign(number.as_form_xobject())
            # The parts' pages share one resource dictionary: give each page its own.
            resources = Dictionary(page.obj.Resources)
            resources.XObject = Dictionary(resources.get("/XObject", Dictionary()))
            page.obj.Resources = resources
            name = page.add_resource(form, Name.XObject, prefix="PageNumber")
            page.contents_add(self.pdf.make_stream(b"q\n"), prepend=True)
            page.contents_add(
                self.pdf.make_stream(
                    b"Q\n/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n"
                    + b"q "
                    + name.unparse()
                    + b" Do Q\nEMC\n"
                )
            )
