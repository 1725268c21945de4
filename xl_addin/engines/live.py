"""The live engine: an open workbook through xlwings (desktop Excel, or xlwings' remote
engine, where the tests run).

Every xlwings call costs a round trip (a COM call of milliseconds in Excel, a JSON action
on the remote engine), so this engine

- reads each sheet once, in one block (``used_range`` from A1, ``ndim=2``), and keeps
  what it read for the rest of the button press;
- queues every change and writes it only in ``commit``: one rectangle per contiguous
  block of cells, colours grouped per sheet, whole rows copied at once.  A button whose
  Python fails half way therefore leaves the workbook untouched;
- keeps its own copy of the sheets up to date with what it queued, so an action that
  reads after it wrote (fill, add project) sees its own changes, as with the file engine;
  the remote engine could not show them anyway: its snapshot does not change on writes.

Desktop-only calls (protection, screen updating, calculation, status bar, very hidden
sheets, merged areas, multi-area ranges) live in ``live_desktop`` and run only on
desktop Excel.  What the remote engine cannot do, and what the engine does instead:

- merged areas are not in the request payload: ``Grid.merged`` stays empty (the layouts
  find values by their labels, which are not merged, so parsing is unaffected);
- a cell's fill and note text cannot be read synchronously: ``cell_states`` reports
  cells this engine has not styled as plain (a user's own fill under a mark is not kept);
- notes can be written by the Office.js client only: with the VBA client the marks keep
  their colours and the 校验结果 sheet still lists every message;
- sheets are not protected there, and "very hidden" becomes "hidden".
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from xl_addin.core.errors import UserError
from xl_addin.core.grid import Grid, a1
from xl_addin.core.patch import (
    CellState,
    DeleteSheet,
    FitRows,
    Formula,
    GrowRows,
    InsertRows,
    Op,
    Patch,
    SetCells,
    StyleCells,
    WriteReport,
    WriteTable,
)
from xl_addin.engines import live_desktop
from xl_addin.engines.xlvalues import from_excel, rectangles, row_runs, to_excel

Cell = tuple[int, int]
HEADER_FILL = (0xD9, 0xD9, 0xD9)
MAX_COLOR_CELLS = 10_000  # xlwings' limit for one set_colors call


@dataclass
class CopySheet:
    """A queued ``copy_sheet``."""

    source: str
    new_name: str
    before: str | None


@dataclass
class Grow:
    """A queued ``GrowRows``: Excel copies whole rows (formats, merges, heights,
    dropdowns) with their values, so the values the grown rows hold at that point of the
    queue are kept to be written back (GrowRows changes formatting only)."""

    op: GrowRows
    keep: dict[tuple[int, int], object]


def _hex(rgb: tuple[int, int, int] | None) -> str:
    return "" if rgb is None else "".join(f"{v:02X}" for v in rgb)


def _rgb(fill: str) -> tuple[int, int, int] | None:
    return (int(fill[0:2], 16), int(fill[2:4], 16), int(fill[4:6], 16)) if fill else None


class LiveBook:
    """A ``Book`` over an ``xlwings.Book``; changes are written by ``commit``."""

    def __init__(self, book: Any, *, password: str = "",
                 progress: Callable[[str], None] | None = None) -> None:
        self.xw = book
        self.desktop = book.app.engine.type == "desktop"
        self.client = "Excel" if self.desktop else book.impl.api.get("client", "")
        self.password = password
        self._progress = progress or (lambda _message: None)
        sheets = list(book.sheets)
        self._order = [s.name for s in sheets]
        self._hidden = {s.name for s in sheets if not self._visible(s)}
        self._grids: dict[str, Grid] = {}
        self._states: dict[str, dict[Cell, CellState]] = {}
        self._pending: list[Op | CopySheet | Grow] = []
        self.wrote = False  # set once commit has started writing into the workbook

    @staticmethod
    def _visible(sheet: Any) -> bool:
        try:
            return bool(sheet.visible)
        except KeyError:  # xlwings' VBA client does not send sheet visibility
            return True

    @property
    def notes_supported(self) -> bool:
        return self.desktop or self.client == "Office.js"

    # -- reading ---------------------------------------------------------------------
    def sheet_names(self) -> list[str]:
        return list(self._order)

    def is_hidden(self, sheet: str) -> bool:
        return sheet in self._hidden

    def read(self, sheet: str) -> Grid:
        return copy.deepcopy(self._grid(sheet))

    def _grid(self, sheet: str) -> Grid:
        if sheet not in self._grids:
            self._progress(f"正在读取“{sheet}”…")
            self._grids[sheet] = self._load(sheet)
        return self._grids[sheet]

    def _load(self, sheet: str) -> Grid:
        """One block read from A1 to the end of the used range."""
        ws = self.xw.sheets[sheet]
        last = ws.used_range.last_cell
        block = ws.range((1, 1), (last.row, last.column)).options(ndim=2).value
        values = [[from_excel(v) for v in row] for row in block]
        merged = (live_desktop.merged_areas(ws.api, last.row, last.column)
                  if self.desktop else [])
        return Grid(sheet, values, merged)

    def defined_name(self, name: str) -> str | None:
        names = self.xw.names
        if not names.contains(name):
            return None  # xlwings' VBA client sends range names only
        refers_to = names(name).refers_to or ""
        return refers_to[1:] if refers_to.startswith("=") else refers_to

    def cell_states(self, sheet: str, cells: list[Cell]) -> dict[Cell, CellState]:
        known = self._states.get(sheet, {})
        out: dict[Cell, CellState] = {}
        for rc in cells:
            if rc in known:
                out[rc] = known[rc]
            elif self.desktop:  # only cells about to be marked: a few per sheet
                rng = self.xw.sheets[sheet].range(rc)
                note = rng.note
                out[rc] = CellState(_hex(rng.color), note.text if note is not None else "")
            else:
                out[rc] = CellState()
        return out

    # -- queuing changes -------------------------------------------------------------
    def apply(self, patch: Patch) -> None:
        for op in patch.ops:
            if isinstance(op, DeleteSheet) and op.sheet not in self._order:
                continue
            if isinstance(op, GrowRows):
                grid = self._grid(op.sheet)
                rows = range(op.first_row, op.first_row + op.count)
                self._pending.append(Grow(op, {(r, c): v for r, c, v in grid.cells() if r in rows}))
            else:
                self._pending.append(op)
            self._mirror(op)

    def copy_sheet(self, source: str, new_name: str, before: str | None = None) -> None:
        grid = copy.deepcopy(self._grid(source))
        grid.name = new_name
        self._grids[new_name] = grid
        self._order.insert(self._order.index(before) if before else len(self._order), new_name)
        self._pending.append(CopySheet(source, new_name, before))

    def _mirror(self, op: Op) -> None:
        """Keep the sheets as read in step with a queued change."""
        if isinstance(op, WriteTable | WriteReport):
            if op.sheet not in self._order:
                at = (self._order.index(op.after) + 1 if op.after in self._order
                      else len(self._order))
                self._order.insert(at, op.sheet)
            if isinstance(op, WriteReport):
                block, _ = _report_block(op)
                self._grids[op.sheet] = Grid(op.sheet, [
                    [v.text if isinstance(v, Formula) else v for v in row] for row in block])
                self._hidden.discard(op.sheet)
            else:
                self._grids[op.sheet] = Grid(op.sheet, op.grid_values())
                (self._hidden.add if op.hidden else self._hidden.discard)(op.sheet)
        elif isinstance(op, DeleteSheet):
            self._order.remove(op.sheet)
            self._hidden.discard(op.sheet)
            self._grids.pop(op.sheet, None)
            self._states.pop(op.sheet, None)
        elif isinstance(op, StyleCells):
            self._states.setdefault(op.sheet, {}).update(op.states)
        elif isinstance(op, SetCells):
            grid = self._grid(op.sheet)
            for (r, c), v in op.values.items():
                while len(grid.values) < r:
                    grid.values.append([])
                row = grid.values[r - 1]
                row.extend([None] * (c - len(row)))
                row[c - 1] = v.text if isinstance(v, Formula) else v
        elif isinstance(op, InsertRows):
            grid = self._grid(op.sheet)
            grid.insert_rows(op.first_row, op.count)
            states = self._states.get(op.sheet, {})
            self._states[op.sheet] = {(op.moved(r), c): s for (r, c), s in states.items()}
            self._mirror(GrowRows(op.sheet, op.template_row, op.first_row, op.count))
        elif isinstance(op, GrowRows):
            grid = self._grid(op.sheet)
            row_merges = [m for m in grid.merged if m[0] == m[2] == op.template_row]
            for r in range(op.first_row, op.first_row + op.count):
                grid.merged.extend((r, m[1], r, m[3]) for m in row_merges)

    # -- writing ---------------------------------------------------------------------
    def commit(self) -> None:
        """Write everything queued, in order; a no-op when nothing is queued."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        self.wrote = True
        protected: dict[str, live_desktop.Protection] = {}
        active = self.xw.sheets.active.name if self.desktop else None
        with contextlib.ExitStack() as stack:
            if self.desktop:
                stack.enter_context(live_desktop.quiet(self.xw.app))
            stack.callback(self._reprotect, protected)
            for op in pending:
                name = (op.new_name if isinstance(op, CopySheet)
                        else op.op.sheet if isinstance(op, Grow) else op.sheet)
                self._progress(f"正在写入“{name}”…")
                self._write(op, protected)
            if active in self._order and any(isinstance(op, WriteTable | WriteReport)
                                             for op in pending):
                self.xw.sheets[active].activate()  # adding a sheet activated it

    def _write(self, op: Op | CopySheet | Grow,
               protected: dict[str, live_desktop.Protection]) -> None:
        if isinstance(op, InsertRows):
            ws = self._writable(op.sheet, protected)
            last = op.first_row + op.count - 1
            ws.range(f"{op.first_row}:{last}").insert("down", "format_from_left_or_above")
            self._write(Grow(GrowRows(op.sheet, op.template_row, op.first_row, op.count), {}),
                        protected)
        elif isinstance(op, Grow):
            ws = self._writable(op.op.sheet, protected)
            template, first = op.op.template_row, op.op.first_row
            last = first + op.op.count - 1
            ws.range(f"{template}:{template}").copy(ws.range(f"{first}:{last}"))
            ws.range(f"{first}:{last}").clear_contents()
            if op.keep:
                self._write_cells(ws, op.keep)
        elif isinstance(op, CopySheet):
            self._write_copy(op)
        elif isinstance(op, WriteTable):
            self._write_table(op)
        elif isinstance(op, WriteReport):
            self._write_report(op)
        elif isinstance(op, DeleteSheet):
            self.xw.sheets[op.sheet].delete()
        else:
            ws = self._writable(op.sheet, protected)
            if isinstance(op, SetCells):
                self._write_cells(ws, op.values)
            elif isinstance(op, FitRows):
                for first, last in row_runs(op.rows):
                    ws.range(f"{first}:{last}").rows.autofit()
            elif isinstance(op, StyleCells):
                self._write_fills(ws, op.states)
                if self.notes_supported:
                    self._write_notes(ws, op.states)

    def _writable(self, sheet: str, protected: dict[str, live_desktop.Protection]) -> Any:
        """The sheet, unprotected on desktop (its protection recorded to put back)."""
        ws = self.xw.sheets[sheet]
        if self.desktop and sheet not in protected:
            protection = live_desktop.Protection.of(ws.api)
            if protection.contents:
                try:
                    ws.api.Unprotect(self.password)
                except Exception as exc:  # pywintypes.com_error: a wrong password
                    raise UserError(
                        f"无法解除工作表“{sheet}”的保护：保护密码与“参数”表中的不一致。"
                        "请在“参数”表中填写正确的保护密码后重试。") from exc
            protected[sheet] = protection
        return ws

    def _reprotect(self, protected: dict[str, live_desktop.Protection]) -> None:
        existing = {s.name for s in self.xw.sheets}
        for sheet, protection in protected.items():
            if sheet in existing:
                protection.restore(self.xw.sheets[sheet].api, self.password)

    def _write_cells(self, ws: Any, values: dict[Cell, object]) -> None:
        for r1, c1, r2, c2 in rectangles(values):
            ws.range((r1, c1), (r2, c2)).value = [
                [to_excel(values[(r, c)]) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)
            ]

    def _write_copy(self, op: CopySheet) -> None:
        source = self.xw.sheets[op.source]
        if op.before is not None:
            new = source.copy(before=self.xw.sheets[op.before], name=op.new_name)
        else:
            new = source.copy(after=self.xw.sheets[-1], name=op.new_name)
        new.visible = True  # the master is hidden; its copy is a project sheet

    def _write_fills(self, ws: Any, states: dict[Cell, CellState]) -> None:
        """Desktop: one multi-area range per colour.  Remote: one colour matrix over the
        marked rows (``...`` keeps a cell as it is)."""
        if self.desktop:
            by_fill: dict[str, list[str]] = {}
            for rc, state in sorted(states.items()):
                by_fill.setdefault(state.fill, []).append(a1(*rc))
            for fill, cells in by_fill.items():
                for chunk in live_desktop.address_chunks(cells):
                    ws.range(chunk).color = _rgb(fill)
            return
        rows = [r for r, _ in states]
        cols = [c for _, c in states]
        c1, c2 = min(cols), max(cols)
        band = max(1, MAX_COLOR_CELLS // (c2 - c1 + 1))
        for top in range(min(rows), max(rows) + 1, band):
            bottom = min(top + band - 1, max(rows))
            ws.range((top, c1), (bottom, c2)).set_colors([
                [_rgb(states[(r, c)].fill) if (r, c) in states else ...
                 for c in range(c1, c2 + 1)]
                for r in range(top, bottom + 1)
            ])

    @staticmethod
    def _write_notes(ws: Any, states: dict[Cell, CellState]) -> None:
        """One call per noted cell: Excel has no way to set many notes at once."""
        for rc, state in sorted(states.items()):
            rng = ws.range(rc)
            note = rng.note
            if state.note and note is None:
                rng.add_note(state.note)
            elif state.note:
                note.text = state.note
            elif note is not None:
                note.delete()

    def _fresh_sheet(self, name: str, after: str | None) -> Any:
        """The sheet cleared, or added after ``after`` (else at the end)."""
        sheets = self.xw.sheets
        names = {s.name for s in sheets}
        if name in names:
            ws = sheets[name]
            if self.desktop:  # our report sheets are protected; clear() reports a failure
                with contextlib.suppress(Exception):
                    ws.api.Unprotect(self.password)
            ws.clear()
            return ws
        return sheets.add(name=name, after=sheets[after] if after in names else sheets[-1])

    def _write_report(self, op: WriteReport) -> None:
        """The report as one block of values (links as HYPERLINK formulas), then its
        merges, number formats, header colour and widths; print setup and protection on
        desktop only (the remote engine has no calls for them)."""
        ws = self._fresh_sheet(op.sheet, op.after)
        block, merges = _report_block(op)
        width = len(op.header)
        for (r, c), target in op.links.items():
            block[r - 1][c - 1] = self._link(block[r - 1][c - 1], target)
        ws.range((1, 1), (len(block), width)).value = [[to_excel(v) for v in row]
                                                      for row in block]
        for r1, c1, r2, c2 in merges:
            ws.range((r1, c1), (r2, c2)).merge(False)
        header = ws.range((op.HEADER_ROW, 1), (op.HEADER_ROW, width))
        header.color = HEADER_FILL
        header.font.bold = True
        last = op.FIRST_ROW + len(op.rows) + len(op.totals) - 1
        if last >= op.FIRST_ROW:
            for c1, c2, fmt in _runs(op.formats):
                ws.range((op.FIRST_ROW, c1), (last, c2)).number_format = fmt
        widths = dict(enumerate(op.widths, start=1))
        for c1, c2, chars in _runs(widths):
            width = chars if self.desktop else (chars * 7 + 5) * 0.75
            ws.range((1, c1), (1, c2)).column_width = width
        if self.desktop:
            live_desktop.print_a4(ws.api, op.HEADER_ROW, landscape=op.landscape)
            ws.api.Protect(op.password or self.password)

    def _write_table(self, op: WriteTable) -> None:
        """The table as one block (links as HYPERLINK formulas in that block), then the
        header colours, wrapping, and column widths; laid out as ``WriteTable.cells``."""
        ws = self._fresh_sheet(op.sheet, op.after)
        width = op.width
        block = [[self._link(v, op.links.get((r, c))) for c, v in enumerate(row, 1)]
                 for r, row in enumerate(op.cells(), start=1)]
        ws.range((1, 1), (len(block), width)).value = [[to_excel(v) for v in r] for r in block]
        head = op.header_row
        for r in ([2, head] if op.top else [head]):
            ws.range((r, 1), (r, width)).color = HEADER_FILL
        if op.top:  # the block's title and header in one call
            ws.range((1, 1), (2, width)).font.bold = True
        ws.range((head, 1), (head, width)).font.bold = True
        if len(block) > 1:
            ws.range((2, 1), (len(block), width)).wrap_text = True
        for c, chars in enumerate(op.widths, start=1):
            # desktop Excel counts characters, the remote (Office.js) host points
            ws.range((1, c)).column_width = chars if self.desktop else (chars * 7 + 5) * 0.75
        if len(block) > head:
            self._write_choices(ws, op, head + 1, len(block))
        if op.hidden and self.desktop:
            ws.api.Visible = live_desktop.XL_SHEET_VERY_HIDDEN
        elif op.hidden:
            ws.visible = False
        else:  # printed as the file engine prints it (the remote host has no print calls)
            if len(block) > 1:
                ws.range((2, 1), (len(block), width)).rows.autofit()
            if self.desktop:
                live_desktop.print_a4(ws.api, head, landscape=op.landscape, first_row=head)

    def _write_choices(self, ws: Any, op: WriteTable, first: int, last: int) -> None:
        """The body's dropdowns: through COM on desktop, ``data_validation`` on the
        Office.js client; xlwings' VBA client has no call for them (the values are
        written, and the action that reads them refuses any other)."""
        for col, values in op.choices.items():
            rng = ws.range((first, col), (last, col))
            if self.desktop:
                live_desktop.list_validation(rng.api, values, op.header[col - 1], op.prompt,
                                             op.choice_error(col))
            elif self.client == "Office.js":
                rng.data_validation.set_list(list(values))

    @staticmethod
    def _link(value: object, target: str | None) -> object:
        if target is None:
            return value
        shown = "" if value is None else str(value)
        return Formula(f'=HYPERLINK("#{target.replace(chr(34), chr(34) * 2)}",'
                       f'"{shown.replace(chr(34), chr(34) * 2)}")')


def _report_block(op: WriteReport) -> tuple[list[list[object]], list[tuple[int, int, int, int]]]:
    """The report's cells as one rectangle from A1, and its merged ranges, laid out as
    ``WriteReport`` documents (the file engine writes the same positions)."""
    width = len(op.header)

    def padded(row: list[object]) -> list[object]:
        return [*row, *[None] * (width - len(row))][:width]

    block: list[list[object]] = [padded([op.title]), padded([op.subtitle]), padded(op.header)]
    block += [padded(list(r)) for r in op.rows] + [padded(list(r)) for r in op.totals]
    merges = [(1, 1, 1, width), (2, 1, 2, width)]
    if op.notes:
        block.append(padded([]))
    for i, (label_, value) in enumerate(op.notes):
        r = op.note_row(i)
        block.append(padded([label_, None, value]))
        merges += [(r, 1, r, 2), (r, 3, r, width)]
    return block, merges


def _runs(by_column: dict[int, object]) -> list[tuple[int, int, object]]:
    """Adjacent columns with the same setting as (first, last, setting): one call each."""
    out: list[tuple[int, int, object]] = []
    for c in sorted(by_column):
        value = by_column[c]
        if out and out[-1][1] == c - 1 and out[-1][2] == value:
            out[-1] = (out[-1][0], c, value)
        else:
            out.append((c, c, value))
    return out
