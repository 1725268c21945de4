"""Validation marks in the workbook: coloured cells with notes, and the 校验结果 sheet.

Marking replaces a cell's fill and note, so what it replaced is recorded on a very
hidden sheet; marking again first restores the recorded cells and clearing restores
them all.  A user's own fills and notes therefore survive any number of validations,
and marking twice gives the same workbook as marking once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from xl_addin.actions.results_overview import overview
from xl_addin.core.book import Book
from xl_addin.core.findings import Finding
from xl_addin.core.grid import Grid, a1, parse_a1
from xl_addin.core.patch import CellState, DeleteSheet, Patch, StyleCells, WriteTable

RESULTS_SHEET = "校验结果"
RECORD_SHEET = "_xl_addin_marks"
SUMMARY_SHEET = "汇总"
FILLS = {"error": "FFC7CE", "warning": "FFEB9C"}
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
_RANK = {"error": 0, "warning": 1, "info": 2}
NOTE_HEAD = "【绩效目标校验】"
RESULTS_HEADER = ["序号", "工作表", "单元格", "项目", "类型", "级别", "说明", "建议"]
RESULTS_WIDTHS = [6, 18, 8, 24, 20, 6, 70, 24]
RECORD_HEADER = ["sheet", "cell", "fill", "note"]

Cell = tuple[int, int]

if TYPE_CHECKING:
    from xl_addin.forms.acceptances import Accepted

#: the 级别 of an explained finding's row, and the heading of their block on 校验结果
ACCEPTED_LEVEL = "已说明"
ACCEPTED_HEADING = "已说明（不计入问题）"


def read_record(book: Book) -> dict[str, dict[Cell, CellState]]:
    """What the previous marking replaced: sheet -> cell -> the user's own state."""
    if RECORD_SHEET not in book.sheet_names():
        return {}
    out: dict[str, dict[Cell, CellState]] = defaultdict(dict)
    for row in book.read(RECORD_SHEET).values[1:]:
        sheet, cell, fill, note = (list(row) + [None] * 4)[:4]
        rc = parse_a1(str(cell or ""))
        if sheet and rc:
            out[str(sheet)][rc] = CellState(str(fill or ""), str(note or ""))
    return dict(out)


def _record_rows(record: dict[str, dict[Cell, CellState]]) -> list[list[object]]:
    return [[sheet, a1(*rc), s.fill, s.note]
            for sheet in sorted(record) for rc, s in sorted(record[sheet].items())]


def record_op(book: Book, extra: dict[str, dict[Cell, CellState]],
              moved: Mapping[str, Callable[[int], int]] | None = None) -> WriteTable:
    """The record with ``extra`` cells added (their state before another tool's
    highlight), keeping what is recorded already; ``moved`` maps a sheet to where its
    rows went (rows inserted above recorded cells), so the record follows its cells."""
    record = read_record(book)
    for sheet, where in (moved or {}).items():
        if sheet in record:
            record[sheet] = {(where(r), c): s for (r, c), s in record[sheet].items()}
    for sheet, states in extra.items():
        for rc, state in states.items():
            record.setdefault(sheet, {}).setdefault(rc, state)
    return WriteTable(RECORD_SHEET, RECORD_HEADER, _record_rows(record), hidden=True)


def clear_patch(book: Book) -> Patch:
    """Remove every mark: restore recorded cells, drop the results and record sheets."""
    patch = Patch()
    names = book.sheet_names()
    for sheet, states in read_record(book).items():
        if sheet in names:
            patch.ops.append(StyleCells(sheet, dict(states)))
    for sheet in (RESULTS_SHEET, RECORD_SHEET):
        if sheet in names:
            patch.ops.append(DeleteSheet(sheet))
    return patch


def _worst(findings: list[Finding]) -> str:
    return min((f.severity for f in findings), key=lambda s: _RANK.get(s, 9))


def results_rows(values: list[list[object]]) -> list[list[object]]:
    """The list of a 校验结果 sheet's values: the rows under its header row (row 1, or
    under the 校验概要 block), each as long as the header; none without a header."""
    width = len(RESULTS_HEADER)
    for i, row in enumerate(values):
        if list(row[:width]) == RESULTS_HEADER:
            return [(list(r) + [None] * width)[:width] for r in values[i + 1:]]
    return []


def _kept_results(book: Book, scope: str) -> list[list[object]]:
    """The 校验结果 rows of sheets other than ``scope`` (a one-sheet validation keeps
    what the last validation said about the others)."""
    if RESULTS_SHEET not in book.sheet_names():
        return []
    rows = results_rows(book.read(RESULTS_SHEET).values)
    return [r for r in rows if r[1] not in (None, "", scope)]


def _accepted_rows(accepted: Sequence[Accepted], titles: dict[str, str]) -> list[list[object]]:
    """The 已说明 block's rows: the finding as listed, 级别 已说明（警告）, and its
    message followed by the reason."""
    from xl_addin.forms.acceptances import described

    return [[None, f.sheet, f.cell, f.project_name or f.project_code, titles.get(f.type, f.type),
             f"{ACCEPTED_LEVEL}（{SEVERITY_LABELS.get(f.severity, f.severity)}）",
             f"{f.message}\n{described(a)}", f.suggestion]
            for a in accepted for f in (a.finding,)]


def _is_accepted_row(row: list[object]) -> bool:
    return str(row[5] or "").startswith(ACCEPTED_LEVEL)


def _shown_cells(book: Book) -> Callable[[str, Cell], Cell]:
    """sheet, cell -> the cell that shows it: a finding on a cell a merged range hides
    (an empty 三级指标 under a merged row) is marked on the range's top-left cell, where
    the user sees it and where a note can go.  Each sheet is read once."""
    grids: dict[str, Grid] = {}

    def shown(sheet: str, rc: Cell) -> Cell:
        if sheet not in grids:
            grids[sheet] = book.read(sheet)
        return grids[sheet].anchor(*rc)

    return shown


def mark_patch(book: Book, findings: list[Finding],
               type_titles: dict[str, str] | None = None, scope: str | None = None,
               accepted: Sequence[Accepted] = ()) -> Patch:
    """Marks for ``findings``: errors red, warnings yellow, each with a note; the list on
    the 校验结果 sheet; the record of what was covered.  Previous marks are undone first —
    only on sheet ``scope`` when the findings are of that one sheet.  Without findings
    the 校验结果 sheet holds one row, 未发现问题 and the time, so a reader of the sheet
    sees the book was validated and found clean, not an empty list.  Above a list of
    findings stands the 校验概要 (``results_overview``), counted from the list's rows.
    ``accepted`` findings (已说明) are not marked and not counted; they follow the
    findings on 校验结果 in a block of their own, under the heading 已说明, each with
    its reason."""
    titles = type_titles or {}
    names = set(book.sheet_names())
    record = read_record(book)
    kept_rows: list[list[object]] = []
    kept_accepted: list[list[object]] = []
    if scope is not None:
        kept_rows = _kept_results(book, scope)
        kept_accepted = [r for r in kept_rows if _is_accepted_row(r)]
        kept_rows = [r for r in kept_rows if not _is_accepted_row(r)]
        findings = [f for f in findings if f.sheet == scope]
        accepted = [a for a in accepted if a.finding.sheet == scope]
    targets: dict[str, dict[Cell, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    shown = _shown_cells(book)
    for f in findings:
        rc = parse_a1(f.cell) if f.cell else None
        if f.sheet in names and rc is not None and f.severity in FILLS:
            targets[f.sheet][shown(f.sheet, rc)].append(f)

    patch = Patch()
    new_record: list[list[object]] = []
    for sheet in sorted(set(record) | set(targets)):
        if sheet not in names:
            continue
        if scope is not None and sheet != scope:  # another sheet's marks stay as they are
            new_record += [[sheet, a1(*rc), s.fill, s.note]
                           for rc, s in sorted(record[sheet].items())]
            continue
        old = record.get(sheet, {})
        marked = targets.get(sheet, {})
        unrecorded = [rc for rc in marked if rc not in old]
        current = book.cell_states(sheet, unrecorded) if unrecorded else {}
        states: dict[Cell, CellState] = {rc: s for rc, s in old.items() if rc not in marked}
        for rc in sorted(marked):
            own = old.get(rc) or current.get(rc, CellState())
            text = "\n".join(f"· {f.message}" for f in marked[rc])
            note = f"{own.note}\n\n{NOTE_HEAD}\n{text}" if own.note else f"{NOTE_HEAD}\n{text}"
            states[rc] = CellState(FILLS[_worst(marked[rc])], note)
            new_record.append([sheet, a1(*rc), own.fill, own.note])
        if states:
            patch.ops.append(StyleCells(sheet, states))

    rows = kept_rows + [
        [None, f.sheet, f.cell, f.project_name or f.project_code, titles.get(f.type, f.type),
         SEVERITY_LABELS.get(f.severity, f.severity), f.message, f.suggestion]
        for f in findings
    ]
    order = {name: i for i, name in enumerate(book.sheet_names())}
    rows.sort(key=lambda r: order.get(str(r[1]), len(order)))  # stable: sheets in book order
    explained = kept_accepted + _accepted_rows(accepted, titles)
    explained.sort(key=lambda r: order.get(str(r[1]), len(order)))
    top, links = overview(rows, names)  # counts the findings' rows, not the 已说明 ones
    listed = list(rows)
    if not rows:  # a clean book: the sheet says so, and when (the 汇总 reads 0 errors)
        rows = [[None] * 6 + [f"未发现问题（校验时间 {dt.datetime.now():%Y-%m-%d %H:%M}）", None]]
    positions = list(range(1, len(listed) + 1))
    if explained:  # a blank row, the heading (in 序号, so it reads from the left), the block
        positions += range(len(rows) + 3, len(rows) + 3 + len(explained))
        rows += [[None] * 8, [ACCEPTED_HEADING] + [None] * 7, *explained]
    table = WriteTable(RESULTS_SHEET, RESULTS_HEADER, rows, links, RESULTS_WIDTHS,
                       after=SUMMARY_SHEET if SUMMARY_SHEET in names else None, top=top)
    for i, (row, at) in enumerate(zip(listed + explained, positions, strict=True), start=1):
        row[0] = i
        sheet, cell = row[1], row[2]
        if sheet in names and cell:
            quoted = str(sheet).replace("'", "''")
            links[(table.header_row + at, 3)] = f"'{quoted}'!{cell}"
    patch.ops.append(table)
    patch.ops.append(WriteTable(RECORD_SHEET, RECORD_HEADER, new_record, hidden=True))
    return patch
