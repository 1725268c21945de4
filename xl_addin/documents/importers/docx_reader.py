"""Reading a published document from its Word (.docx) original.

The result is the same list of blocks the text reader gives, so ``published.interpret``
works on either source.  Word's XML is walked directly rather than through python-docx's
``Table.rows[i].cells``: that API repeats a horizontally merged cell once per grid column
and hands a vertically merged continuation cell the text of the cell above, and both
would shift or duplicate values in the label-based interpretation.  Here every ``w:tc``
counts once and a continuation cell reads as empty, which is what the text form shows.

Each table also gets its full grid (``Table.grid``): a cell's grid span gives its
columns, a vertical merge its rows, and the text of the merged cell fills every position.

Tables nested in a cell are not returned as tables of their own: their rows become
lines of the cell's text (cells joined by a tab), because that is how Word's text export
renders them: the tab-padded 资金用途 and 绩效目标 lines of the seed's text form suggest
the originals hold those lines in nested tables, and dropping them would lose the data.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import docx
from docx.oxml.ns import qn
from lxml.etree import _Element

from xl_addin.core.errors import UserError
from xl_addin.documents.importers.blocks import Block, Paragraph, Table
from xl_addin.documents.importers.spans import Placed, to_table

_P = qn("w:p")
_R = qn("w:r")
_TBL = qn("w:tbl")
_TR = qn("w:tr")
_TC = qn("w:tc")
_SDT = qn("w:sdt")
_SDT_CONTENT = qn("w:sdtContent")
_SDT_PR = qn("w:sdtPr")
_CUSTOM_XML = qn("w:customXml")
_VAL = qn("w:val")
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
#: Content that is not (or no longer) part of the visible text.
_SKIPPED_IN_P = {qn("w:del"), qn("w:moveFrom"), qn("w:pPr"), _MC_FALLBACK}


def _unwrap(element: _Element) -> Iterator[_Element]:
    """Children of ``element``, looking through content controls and custom XML
    wrappers (which Word may put around paragraphs, rows or cells), but skipping a
    table of contents: its entries repeat the headings and would be read as content."""
    for child in element:
        if child.tag == _SDT:
            if _is_toc(child):
                continue
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _unwrap(content)
        elif child.tag == _CUSTOM_XML:
            yield from _unwrap(child)
        else:
            yield child


def _is_toc(sdt: _Element) -> bool:
    props = sdt.find(_SDT_PR)
    if props is None:
        return False
    gallery = props.find(f"{qn('w:docPartObj')}/{qn('w:docPartGallery')}")
    return gallery is not None and "contents" in (gallery.get(_VAL) or "").lower()


def _paragraph_text(p: _Element) -> str:
    """The visible text of a paragraph, including hyperlinks, fields' results and
    tracked insertions (python-docx's ``Paragraph.text`` sees only direct runs)."""
    parts: list[str] = []

    def walk(element: _Element) -> None:
        for child in element:
            if child.tag == _R:
                parts.append(child.text or "")
            elif child.tag not in _SKIPPED_IN_P:
                walk(child)

    walk(p)
    return "".join(parts)


def _merge_kind(tc: _Element, tag: str) -> str | None:
    """``"restart"``, ``"continue"`` or None for a cell's vMerge / hMerge property."""
    tc_pr = tc.find(qn("w:tcPr"))
    merge = tc_pr.find(qn(tag)) if tc_pr is not None else None
    if merge is None:
        return None
    return merge.get(_VAL) or "continue"


def _cell_lines(container: _Element) -> list[str]:
    lines: list[str] = []
    for child in _unwrap(container):
        if child.tag == _P:
            lines.extend(_paragraph_text(child).split("\n"))
        elif child.tag == _TBL:
            for row in _rows(child):
                lines.append("\t".join(row))
    return lines


def _cell_text(tc: _Element) -> str:
    lines = [line.rstrip() for line in _cell_lines(tc)]
    return "\n".join(line for line in lines if line.strip())


def _rows(tbl: _Element) -> list[list[str]]:
    rows: list[list[str]] = []
    for tr in _unwrap(tbl):
        if tr.tag != _TR:
            continue
        row: list[str] = []
        for tc in _unwrap(tr):
            if tc.tag != _TC or _merge_kind(tc, "w:hMerge") == "continue":
                continue  # a legacy horizontal merge: the first cell holds the text
            row.append("" if _merge_kind(tc, "w:vMerge") == "continue" else _cell_text(tc))
        rows.append(row)
    return rows


def _int_val(parent: _Element | None, tag: str) -> int:
    """A property's whole ``w:val`` (a grid span, columns skipped); 0 when the property
    is absent or its value is not a number (a damaged file still reads)."""
    prop = parent.find(qn(tag)) if parent is not None else None
    try:
        return max(int(prop.get(_VAL) or ""), 0) if prop is not None else 0
    except ValueError:
        return 0


def _placed(tbl: _Element) -> list[Placed]:
    """The table's cells on its grid: ``w:gridBefore`` skips columns, ``w:gridSpan``
    widens a cell, a ``w:vMerge`` continuation lengthens the cell above it."""
    cells: list[Placed] = []
    above: dict[int, Placed] = {}  # grid column → the last cell that starts there
    r = -1
    for tr in _unwrap(tbl):
        if tr.tag != _TR:
            continue
        r += 1
        col = _int_val(tr.find(qn("w:trPr")), "w:gridBefore")
        for tc in _unwrap(tr):
            if tc.tag != _TC:
                continue
            span = _int_val(tc.find(qn("w:tcPr")), "w:gridSpan") or 1
            top = above.get(col)
            if _merge_kind(tc, "w:hMerge") == "continue" and cells and cells[-1].row == r:
                cells[-1].colspan += span
            elif (_merge_kind(tc, "w:vMerge") == "continue" and top is not None
                  and top.row + top.rowspan == r):
                top.rowspan += 1
            else:
                above[col] = Placed(r, col, _cell_text(tc), colspan=span)
                cells.append(above[col])
            col += span
    return cells


def read_docx(path: str | os.PathLike[str]) -> list[Block]:
    """The document body as paragraphs and tables, in order.

    Raises ``UserError`` for a missing file or one that is not a readable .docx, so the
    command line can tell the user what to do instead of showing a traceback.
    """
    name = Path(path).name
    if not Path(path).is_file():
        raise UserError(f"找不到 Word 文档 {name}，请检查文件路径。")
    try:
        body = docx.Document(os.fspath(path)).element.body
        blocks: list[Block] = []
        tables = 0
        for child in _unwrap(body):
            if child.tag == _P:
                text = _paragraph_text(child).strip()
                if text:
                    blocks.append(Paragraph(text))
            elif child.tag == _TBL:
                tables += 1
                spans = to_table(_placed(child))
                blocks.append(Table(_rows(child), grid=spans.grid, where=f"第 {tables} 个表格",
                                    continued=spans.continued))
    except Exception as exc:  # any failure here means the file itself is unusable
        raise UserError(
            f"无法读取 Word 文档 {name}：文件已损坏或不是 .docx 格式。"
            "旧版 .doc 文件请先在 Word 中“另存为” .docx 后再导入。"
        ) from exc
    return blocks
