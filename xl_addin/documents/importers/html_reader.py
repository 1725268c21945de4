"""Reading a published document saved from a web page (.htm/.html, also the HTML part
of an .mht archive).

Government sites publish the tables as HTML ``<table>`` with rowspan/colspan, often in
GBK.  Cells are placed by the HTML table algorithm (a cell skips the positions that a
rowspan from above holds), so the grid is what a browser draws.  Text outside tables
becomes paragraphs, one per block element or ``<br>`` line; ``<script>`` and
``<style>`` are not content.  As in the Word reader, a table nested in a cell becomes
lines of that cell (cells joined by a tab) — except a table that only lays the page out
(it holds a real table of its own): its content is read as if it were not there.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator
from pathlib import Path

import lxml.html
from lxml.etree import ParserError, _Element

from xl_addin.core.errors import UserError
from xl_addin.documents.importers.blocks import Block, Paragraph, Table
from xl_addin.documents.importers.spans import Placed, to_table

_SKIPPED = {"script", "style", "noscript", "template", "head", "title", "select", "object"}
_BLOCKS = {
    "address", "article", "aside", "blockquote", "center", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "ul", "caption",
}
_CJK = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t\f]*[\r\n][ \t\r\n\f]*(?=[{_CJK}])")
_SPACES = re.compile(r"[ \t\r\n\f]+")
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
#: GB2312 and GBK pages often hold characters only GB18030 (their superset) names
_GB = {"gb2312", "gbk", "x-gbk", "gb_2312-80", "cp936", "csgb2312", "euc-cn", "hz-gb-2312"}
_MAX_COLSPAN = 1000
#: a nested table at least this big is a real table, so its container lays out the page
_REAL_TABLE = (3, 3)


def decode_html(raw: bytes) -> str:
    """The page's text: its byte-order mark, else its ``<meta charset>``, else UTF-8 if
    it decodes, else GB18030 (what Chinese pages without a declaration use)."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            return raw.decode(encoding, "replace").lstrip("\ufeff")
    declared = _META_CHARSET.search(raw[:8192])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        name = "gb18030" if name in _GB else name
        try:
            return raw.decode(codecs.lookup(name).name, "replace")
        except LookupError:
            pass  # an unknown name: guess as below
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", "replace")


def _tag(element: _Element) -> str:
    """The lower-case tag, "" for comments and processing instructions."""
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _clean(text: str) -> str:
    """Whitespace as a browser shows it; a line break between two CJK characters is no
    space at all (the source was merely wrapped)."""
    text = _CJK_BREAK.sub("", text.replace("\xa0", " "))
    return _SPACES.sub(" ", text).strip()


class _Lines:
    """Text split into lines at ``<br>`` and block boundaries."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._parts: list[str] = []

    def add(self, text: str | None) -> None:
        if text:
            self._parts.append(text)

    def end_line(self) -> None:
        line = _clean("".join(self._parts))
        self._parts = []
        if line:
            self.lines.append(line)


class _Flow(_Lines):
    """The document's blocks: each finished line a paragraph, tables in between."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[Block] = []

    def end_line(self) -> None:
        super().end_line()
        self.blocks.extend(Paragraph(line) for line in self.lines)
        self.lines = []

    def table(self, table: Table) -> None:
        self.end_line()
        self.blocks.append(table)


def _own_rows(table: _Element) -> list[_Element]:
    rows: list[_Element] = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in child if _tag(r) == "tr")
    return rows


def _own_cells(row: _Element) -> Iterator[_Element]:
    return (c for c in row if _tag(c) in ("td", "th"))


def _span(value: str | None, default: int) -> int:
    """A span by HTML's rules for non-negative integers (leading digits count)."""
    m = re.match(r"\s*\+?(\d+)", value or "")
    return int(m.group(1)) if m else default


def _placed(table: _Element) -> list[Placed]:
    """The table's cells where a browser puts them.  ``rowspan="0"`` and a rowspan past
    the last row reach the last row; an overlap (a malformed page) is left to
    ``to_table``, where the first cell keeps the position."""
    rows = _own_rows(table)
    cells: list[Placed] = []
    taken: set[tuple[int, int]] = set()
    for r, tr in enumerate(rows):
        col = 0
        for td in _own_cells(tr):
            while (r, col) in taken:
                col += 1
            colspan = min(_span(td.get("colspan"), 1) or 1, _MAX_COLSPAN)
            rowspan = _span(td.get("rowspan"), 1)
            rowspan = len(rows) - r if rowspan == 0 else min(rowspan, len(rows) - r)
            cells.append(Placed(r, col, _cell_text(td), rowspan=rowspan, colspan=colspan))
            taken.update((r + i, col + j) for i in range(rowspan) for j in range(colspan))
            col += colspan
    return cells


def _cell_text(td: _Element) -> str:
    lines = _Lines()
    _content(td, lines)
    lines.end_line()
    return "\n".join(lines.lines)


def _is_layout(table: _Element) -> bool:
    """A table that holds a real table (not just lines set out in a small one)."""
    min_rows, min_cols = _REAL_TABLE
    for inner in table.iterdescendants("table"):
        rows = _own_rows(inner)
        if len(rows) >= min_rows and max(len(list(_own_cells(r))) for r in rows) >= min_cols:
            return True
    return False


def _content(element: _Element, out: _Lines) -> None:
    out.add(element.text)
    for child in element:
        _element(child, out)
        out.add(child.tail)


def _element(element: _Element, out: _Lines) -> None:
    tag = _tag(element)
    if not tag or tag in _SKIPPED:
        return
    if tag == "br":
        out.end_line()
    elif tag == "table" and isinstance(out, _Flow) and _is_layout(element):
        out.end_line()
        for tr in _own_rows(element):
            for td in _own_cells(tr):
                _content(td, out)
                out.end_line()
    elif tag == "table" and isinstance(out, _Flow):
        for child in element:
            if _tag(child) == "caption":
                _element(child, out)
        out.table(to_table(_placed(element), where=f"第 {_count_table(out)} 个表格"))
    elif tag == "table":  # nested in a cell: its rows are lines of the cell
        out.end_line()
        out.lines.extend("\t".join(row) for row in to_table(_placed(element)).rows
                         if any(row))
    else:
        block = tag in _BLOCKS
        if block:
            out.end_line()
        _content(element, out)
        if block:
            out.end_line()


def _count_table(flow: _Flow) -> int:
    return 1 + sum(isinstance(b, Table) for b in flow.blocks)


def html_blocks(text: str, name: str) -> list[Block]:
    """The blocks of an HTML page given as text (``name``: the file, for messages)."""
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses str with a declaration
    try:
        root = lxml.html.document_fromstring(text)
    except (ParserError, ValueError) as exc:
        raise UserError(f"“{name}”不是可读的网页文件（HTML），请在浏览器中打开确认后重新保存。"
                        ) from exc
    flow = _Flow()
    body = root.find("body")
    _content(body if body is not None else root, flow)
    flow.end_line()
    return flow.blocks


def read_html(path: str | os.PathLike[str]) -> list[Block]:
    """The page's paragraphs and tables, in order; ``UserError`` if it cannot be read."""
    name = Path(path).name
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise UserError(f"无法读取网页文件“{name}”：{exc.strerror}。请检查文件路径。") from exc
    return html_blocks(decode_html(raw), name)
