"""Reading a published document kept as a workbook (.xlsx, .xlsm, .xls).

Units that fill the forms in Excel publish the workbook itself: each table a block of
bordered cells with merged ranges, titles (“2023年项目支出绩效目标申报表”, “单位：元”)
as rows of one merged cell above it.  python-calamine reads the values and the merged
ranges of both the XML and the binary format.

Every visible worksheet is read, top to bottom.  Blank rows separate blocks; in a block
the leading rows that hold a single text are paragraphs and the rest is a table, cut to
the columns it uses (two tables of different widths on one sheet keep their own).
Numbers are written as a user reads them: 3309840.0 as “3309840”, 330.984 as “330.984”
(a number's display format, e.g. a percentage, is not in the values calamine gives).
"""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from xl_addin.core.errors import UserError
from xl_addin.core.grid import a1
from xl_addin.documents.importers.blocks import Block, Paragraph
from xl_addin.documents.importers.spans import Placed, to_table
from xl_addin.engines.guards import limits

Value = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None


def cell_text(value: Value) -> str:
    """A cell's value as the sheet shows it by default: whole numbers without “.0”,
    others with the 15 significant digits Excel keeps, dates as 2023-01-31."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15g}"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    lines = [line.rstrip() for line in str(value).splitlines()]
    return "\n".join(line for line in lines if line.strip())


@dataclass
class _Merge:
    top: int
    left: int
    bottom: int
    right: int


class _Sheet:
    """A sheet's texts and merged ranges, with which range covers each position."""

    def __init__(self, texts: list[list[str]], merges: list[_Merge]) -> None:
        # calamine's values end at the last cell with a value; merged ranges may go on
        height = max([len(texts)] + [m.bottom + 1 for m in merges])
        self.texts = texts + [[] for _ in range(height - len(texts))]
        self.merges = merges
        self.cover: dict[tuple[int, int], int] = {}
        for k, m in enumerate(merges):
            for r in range(m.top, m.bottom + 1):
                for c in range(m.left, m.right + 1):
                    self.cover.setdefault((r, c), k)

    def text(self, r: int, c: int) -> str:
        row = self.texts[r]
        return row[c] if c < len(row) else ""

    def blank(self, r: int) -> bool:
        """No text, and not inside a range merged down (a blank pre-printed row)."""
        if any(self.texts[r]):
            return False
        return not any(m.top < r <= m.bottom for m in self.merges)

    def single_text(self, r: int) -> str | None:
        """The row's text when the row holds exactly one, in no range merged down."""
        found: list[tuple[int, str]] = []
        for c, text in enumerate(self.texts[r]):
            k = self.cover.get((r, c))
            if k is not None and self.merges[k].bottom > self.merges[k].top:
                return None
            if text:
                found.append((c, text))
        return found[0][1] if len(found) == 1 else None

    def table_cells(self, top: int, bottom: int) -> list[Placed]:
        """The cells of rows ``top``…``bottom``, cut to the columns they use."""
        used = [c for r in range(top, bottom + 1) for c, t in enumerate(self.texts[r]) if t]
        used += [c for (r, c) in self.cover if top <= r <= bottom]
        left, right = min(used), max(used)
        cells: list[Placed] = []
        done: set[int] = set()
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                k = self.cover.get((r, c))
                if k is None:
                    cells.append(Placed(r - top, c - left, self.text(r, c)))
                elif k not in done:
                    done.add(k)
                    m = self.merges[k]
                    row, col = max(m.top, top), max(m.left, left)
                    cells.append(Placed(row - top, col - left, self.text(m.top, m.left),
                                        rowspan=min(m.bottom, bottom) - row + 1,
                                        colspan=min(m.right, right) - col + 1))
        return cells


def _sheet_blocks(name: str, sheet: _Sheet) -> list[Block]:
    blocks: list[Block] = []
    r = 0
    height = len(sheet.texts)
    while r < height:
        if sheet.blank(r):
            r += 1
            continue
        end = r
        while end + 1 < height and not sheet.blank(end + 1):
            end += 1
        while r <= end and (text := sheet.single_text(r)) is not None:
            blocks.append(Paragraph(text))
            r += 1
        if r <= end:
            blocks.append(to_table(sheet.table_cells(r, end), where=f"工作表“{name}”"))
        r = end + 1
    return blocks


def _check_merges(book: str, sheet: str, merges: list[_Merge]) -> None:
    """Refuse a merge of absurd size (a whole sheet: 17 billion cells), which ``_Sheet``
    would index cell by cell: no form to import has one."""
    cap = limits().max_merge_cells
    for m in merges:
        cells = (m.bottom - m.top + 1) * (m.right - m.left + 1)
        if cells > cap:
            ref = f"{a1(m.top + 1, m.left + 1)}:{a1(m.bottom + 1, m.right + 1)}"
            raise UserError(f"工作簿“{book}”的工作表“{sheet}”中合并区域 {ref} 覆盖 {cells} 个"
                            f"单元格，超过每个合并区域 {cap} 个单元格的上限，未导入。"
                            "请在 Excel 中取消该合并，只合并需要合并的单元格后再导入。")


def read_sheets(path: str | os.PathLike[str]) -> list[Block]:
    """Every visible worksheet's paragraphs and tables, sheet by sheet.

    The format is told by the content (an .xls that is really an .xlsx still reads);
    ``UserError`` for a file that is not a readable workbook or is encrypted."""
    name = Path(path).name
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise UserError(f"无法读取工作簿“{name}”：{exc.strerror}。请检查文件路径。") from exc
    blocks: list[Block] = []
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        for meta in book.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet or meta.visible != SheetVisibleEnum.Visible:
                continue  # charts, and the hidden lists a form's dropdowns use
            found = book.get_sheet_by_name(meta.name)
            texts = [[cell_text(v) for v in row]
                     for row in found.to_python(skip_empty_area=False)]
            merges = [_Merge(t, lft, b, rgt)
                      for (t, lft), (b, rgt) in found.merged_cell_ranges or []]
            _check_merges(name, meta.name, merges)
            blocks.extend(_sheet_blocks(meta.name, _Sheet(texts, merges)))
    except UserError:
        raise
    except Exception as exc:  # calamine's errors: not a workbook, damaged, encrypted
        raise UserError(
            f"无法读取工作簿“{name}”：文件已损坏、已加密，或不是 Excel 工作簿。"
            "请在 Excel 中打开确认（加密的请先取消密码）后另存为 .xlsx 再导入。"
        ) from exc
    return blocks
