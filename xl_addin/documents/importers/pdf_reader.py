"""Reading a published document from a PDF with a text layer.

Published PDFs are Word or WPS documents printed to PDF: the tables are ruled, so
pdfplumber finds them from their lines, and each cell is a box.  The boxes' edges give
the grid (a merged cell is a box over several columns or rows); a character belongs to
the box that holds its centre.

A cell's text is laid out in lines that the PDF does not mark as wrapped or broken.
Lines are joined without a space (with one between two English words only), so a label
wrapped inside a narrow column (“指标值设定” / “依据”) reads as one label and a number
wrapped inside its cell as one number; a line is kept apart when the line before it
ends a sentence (。；：…), when it starts a numbered item (“2.”, “（二）”), or when it
would have fitted, with room to spare, on the line before (so that line was ended on
purpose).  Text outside the tables becomes paragraphs in the same way.

A table cut by a page break is joined again when the next page begins with a table of
the same columns: a repeated header row is dropped, and an empty cell at the top of the
continuation under a label cut by the page break (Word and Writer print a merged cell's
text on its first page only) continues that label.  What it cannot know: a row that
itself was split over two pages reads as two rows, and a table drawn without ruling
lines is read as paragraphs.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pdfplumber

from xl_addin.core.errors import UserError
from xl_addin.documents.importers.blocks import Block, Paragraph
from xl_addin.documents.importers.spans import Placed, to_table

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f（）【】“”‘’、]")
_FINAL = tuple("。；;：:！!？?")
_ITEM = re.compile(r"^(\d+[.、．)）]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)"
                   )
_PAGE_NUMBER = re.compile(r"^[-—–\s]*(第\s*)?\d+\s*页?\s*([/／共]\s*\d+\s*页?)?[-—–\s]*$")
#: points: edges closer than this are the same grid line
_SNAP = 1.5
#: points: the most a cell's inner padding is taken to be
_MAX_PAD = 8.0


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    size: float


def _lines(chars: list[dict]) -> list[_Line]:
    """Characters grouped into lines (by their tops), each line left to right."""
    groups: list[list[dict]] = []
    for ch in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if groups and abs(ch["top"] - groups[-1][0]["top"]) <= 0.5 * max(ch["size"], 1.0):
            groups[-1].append(ch)
        else:
            groups.append([ch])
    lines: list[_Line] = []
    for group in groups:
        group.sort(key=lambda c: c["x0"])
        parts = [group[0]["text"]]
        for a, b in pairwise(group):
            latin = not (_CJK.match(a["text"]) or _CJK.match(b["text"]))
            if latin and b["x0"] - a["x1"] > 0.25 * b["size"] and a["text"] != " ":
                parts.append(" ")
            parts.append(b["text"])
        text = re.sub(r"\s+", " ", "".join(parts)).strip()
        if text:
            lines.append(_Line(text, group[0]["x0"], group[-1]["x1"], group[0]["top"],
                               max(c["size"] for c in group)))
    return lines


def _joined(lines: list[_Line], right: float) -> str:
    """Lines as text: wrapped lines joined, lines ended on purpose kept apart.
    ``right`` is where the text could reach."""
    if not lines:
        return ""
    out = [lines[0].text]
    for prev, line in pairwise(lines):
        # with room to spare: Writer and Word space CJK from Latin by a few points
        fits = line.x1 - line.x0 + 0.5 * line.size <= right - prev.x1
        if fits or prev.text.endswith(_FINAL) or _ITEM.match(line.text):
            out.append("\n")
        elif prev.text[-1].isascii() and prev.text[-1].isalpha() and line.text[0].isascii() \
                and line.text[0].isalpha():
            out.append(" ")  # English words wrap at a space; numbers wrap anywhere
        out.append(line.text)
    return "".join(out)


def _cell_text(chars: list[dict], box: tuple[float, float, float, float]) -> str:
    lines = _lines(chars)
    if not lines:
        return ""
    pad = min(max(min(line.x0 for line in lines) - box[0], 0.0), _MAX_PAD)
    return _joined(lines, box[2] - pad)


def _snap(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _SNAP:
            out.append(v)
    return out


def _at(bounds: list[float], v: float) -> int:
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - v))


def _near(a: float, b: float) -> bool:
    return abs(a - b) <= 2 * _SNAP


@dataclass
class _Box:
    """A cell's box (in the table's own vertical coordinate) and its text."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str


def _placed(boxes: list[_Box]) -> tuple[list[Placed], list[float]]:
    """Cells on the grid the boxes' edges make, and the row edges."""
    xs = _snap([b.x0 for b in boxes] + [b.x1 for b in boxes])
    ys = _snap([b.top for b in boxes] + [b.bottom for b in boxes])
    cells = []  # in the order of the boxes
    for b in boxes:
        row, col = _at(ys, b.top), _at(xs, b.x0)
        cells.append(Placed(row, col, b.text, rowspan=max(_at(ys, b.bottom) - row, 1),
                            colspan=max(_at(xs, b.x1) - col, 1)))
    return cells, ys


@dataclass
class _Table:
    """A table being read: its cells' boxes, the pages it is on."""

    boxes: list[_Box]
    pages: list[int]
    top: float  # on its first page

    @property
    def left(self) -> float:
        return min(b.x0 for b in self.boxes)

    @property
    def right(self) -> float:
        return max(b.x1 for b in self.boxes)

    @property
    def bottom(self) -> float:
        return max(b.bottom for b in self.boxes)

    def grid(self) -> list[list[str]]:
        return to_table(_placed(self.boxes)[0]).grid

    def continues_with(self, other: _Table) -> bool:
        """Same outer edges, and each column edge of one is an edge of the other (a
        part's first rows may merge columns the other part shows apart)."""
        if not (_near(self.left, other.left) and _near(self.right, other.right)):
            return False
        mine = _snap([x for b in self.boxes for x in (b.x0, b.x1)])
        theirs = _snap([x for b in other.boxes for x in (b.x0, b.x1)])
        small, big = sorted((mine, theirs), key=len)
        return all(any(_near(x, y) for y in big) for x in small)

    def _merged_down(self, x0: float, x1: float) -> bool:
        """Whether a cell between these column edges spans rows somewhere in the table."""
        cells, _ = _placed(self.boxes)
        return any(c.rowspan > 1 for c, b in zip(cells, self.boxes, strict=True)
                   if _near(b.x0, x0) and _near(b.x1, x1))

    def join(self, other: _Table) -> None:
        """Append ``other``, the same table's part on the next page.

        A repeated header is dropped.  An empty cell on top, under a cell that reaches
        the page's end, continues that cell when it is a label cut by the page break:
        its column is merged down elsewhere (一级指标), or the cell left of it continues
        too (a 二级指标 inside a cut 一级指标); a 备注 left empty is no such cell."""
        mine, theirs = self.grid(), other.grid()
        header = next((k for k in (3, 2, 1) if k < len(theirs) and theirs[:k] == mine[:k]), 0)
        _, ys = _placed(other.boxes)
        cut = ys[header]
        shift = self.bottom - cut
        ends = [b for b in self.boxes if _near(b.bottom, self.bottom)]
        continued: list[_Box] = []  # boxes on top of ``other`` that continue one above
        for b in sorted(other.boxes, key=lambda b: (b.top, b.x0)):
            if b.top < cut - _SNAP:
                continue  # the repeated header
            above = next((a for a in ends if _near(a.x0, b.x0) and _near(a.x1, b.x1)), None)
            label = (self._merged_down(b.x0, b.x1) or other._merged_down(b.x0, b.x1)
                     or any(_near(c.x1, b.x0) for c in continued))
            if _near(b.top, cut) and not b.text and above is not None and above.text and label:
                above.bottom = b.bottom + shift
                continued.append(b)
                continue
            self.boxes.append(_Box(b.x0, b.top + shift, b.x1, b.bottom + shift, b.text))
        self.pages.extend(other.pages)

    def block(self) -> Block:
        first, last = self.pages[0], self.pages[-1]
        where = f"第 {first} 页" if first == last else f"第 {first}–{last} 页"
        return to_table(_placed(self.boxes)[0], where=where)


def _page_tables(page, number: int) -> tuple[list[_Table], list[dict]]:
    """The page's ruled tables and the characters outside them."""
    found = [t for t in page.find_tables() if len(t.cells) > 1]
    boxes = [[tuple(c) for c in t.cells] for t in found]
    per_cell: list[list[list[dict]]] = [[[] for _ in b] for b in boxes]
    outside: list[dict] = []
    for ch in page.chars:
        x, y = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        spot = next(((t, k) for t, cells in enumerate(boxes) for k, (x0, top, x1, bottom)
                     in enumerate(cells) if x0 <= x <= x1 and top <= y <= bottom), None)
        if spot is None:
            if not any(t.bbox[0] <= x <= t.bbox[2] and t.bbox[1] <= y <= t.bbox[3]
                       for t in found):
                outside.append(ch)
        else:
            per_cell[spot[0]][spot[1]].append(ch)
    tables = [
        _Table([_Box(*box, _cell_text(chars, box)) for box, chars in zip(cells, texts,
                                                                         strict=True)],
               [number], top=found[t].bbox[1])
        for t, (cells, texts) in enumerate(zip(boxes, per_cell, strict=True))
    ]
    return tables, outside


def _paragraphs(chars: list[dict], frame: tuple[float, float]) -> list[tuple[float, Paragraph]]:
    """Text outside tables as paragraphs (with their tops), page numbers left out.
    A line that fills the text column (``frame``: its left and right, the tables'
    edges included) goes on in the next line of its size that starts at the left or is
    centred (a wrapped title)."""
    lines = [line for line in _lines(chars) if not _PAGE_NUMBER.match(line.text)]
    if not lines:
        return []
    left = min([line.x0 for line in lines] + [frame[0]])
    right = max([line.x1 for line in lines] + [frame[1]])
    out: list[tuple[float, list[_Line]]] = []
    for line in lines:
        if out:
            prev = out[-1][1][-1]
            centred = abs(line.x0 + line.x1 - left - right) < 2 * line.size
            wrapped = (prev.x1 >= right - 1.5 * prev.size and abs(prev.x0 - left) < prev.size
                       and (abs(line.x0 - left) < line.size or centred)
                       and abs(line.size - prev.size) < 0.5
                       and line.top - prev.top < 2 * prev.size)
            if wrapped and _joined([prev, line], right).count("\n") == 0:
                out[-1][1].append(line)
                continue
        out.append((line.top, [line]))
    return [(top, Paragraph(_joined(group, right))) for top, group in out]


def _open_error(name: str, exc: Exception) -> UserError:
    chain = f"{type(exc).__name__} {exc!r} {exc.__cause__!r}"
    if "Password" in chain or "Encrypt" in chain:
        return UserError(f"PDF 文件“{name}”已加密，无法读取。请提供未加密的版本，"
                         "或用 Word / 网页版本导入。")
    return UserError(f"无法读取 PDF 文件“{name}”：文件已损坏或不是 PDF。"
                     "请用 Word 或网页版本导入。")


def read_pdf(path: str | os.PathLike[str]) -> list[Block]:
    """The PDF's paragraphs and tables in reading order, tables cut by page breaks
    joined.  ``UserError`` for a damaged or encrypted file and for a scan."""
    name = Path(path).name
    if not Path(path).is_file():
        raise UserError(f"找不到 PDF 文件“{name}”，请检查文件路径。")
    blocks: list[Block] = []
    pending: _Table | None = None  # the last table read, while it may go on
    any_text = False
    try:
        with pdfplumber.open(os.fspath(path)) as pdf:
            for number, page in enumerate(pdf.pages, 1):
                tables, outside = _page_tables(page, number)
                any_text = any_text or bool(page.chars)
                edges = [x for t in tables for x in (t.left, t.right)]
                frame = (min(edges), max(edges)) if edges else (float(page.width), 0.0)
                items: list[tuple[float, Paragraph | _Table]] = [
                    *_paragraphs(outside, frame), *((t.top, t) for t in tables)]
                items.sort(key=lambda item: item[0])
                for k, (_, item) in enumerate(items):
                    if isinstance(item, Paragraph):
                        if pending is not None:
                            blocks.append(pending.block())
                            pending = None
                        blocks.append(item)
                    elif k == 0 and pending is not None and pending.continues_with(item):
                        pending.join(item)
                    else:
                        if pending is not None:
                            blocks.append(pending.block())
                        pending = item
    except Exception as exc:  # pdfminer's errors: damaged, encrypted, not a PDF
        raise _open_error(name, exc) from exc
    if pending is not None:
        blocks.append(pending.block())
    if not any_text:
        raise UserError(f"这个 PDF 没有文字层（可能是扫描件）：“{name}”中读不到任何文字。"
                        "请用 Word 或网页版本导入，或先用 OCR 软件转成可选中文字的 PDF。")
    return blocks
