"""xlwings' remote engine as a stand-in for Excel: request payloads in, JSON actions out.

``payload`` builds the request an xlwings client would send for a workbook, the way the
VBA client (``RunRemotePython``) and the Office.js client build it: values from A1 to
the end of the used range, as Excel calculated them (formulas are recalculated by
LibreOffice first), empty cells null (VBA) or "" (Office.js), dates ISO, whole numbers
as integers, and a text of 16 or more digits as a JSON number (VBA: its JSON writer does
that).  The VBA client sends range names only; ``constant_names`` adds constants such as
our template marker the way desktop Excel's COM sees every name.

``Applier`` plays the returned actions on an openpyxl copy of the same workbook, doing
for each action what Excel does (a value with a leading apostrophe is text, one starting
with '=' a formula; copying whole rows copies styles, merges, heights and dropdowns ...),
and counts the write actions per sheet.  Comparing its result with the file engine's is
how the tests show that a button leaves the workbook as the command line would.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from xl_addin.documents.libreoffice import convert
from xl_addin.engines.file import NOTE_AUTHOR, FileBook, fit_rows, grow_rows, shift_down

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # tests only: xlwings PRO

_RANGE_NAME = re.compile(
    r"^'?(?P<sheet>[^'!]+)'?!\$?(?P<a>[A-Z]+\$?\d+)(?::\$?(?P<b>[A-Z]+\$?\d+))?$")
#: actions that change nothing in the workbook
NOT_WRITES = {"alert", "activateSheet"}


def _json_value(value: object, client: str) -> object:
    if value is None or value == "":
        return None if client == "VBA" else ""
    if isinstance(value, dt.datetime | dt.date):
        d = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month,
                                                                      value.day)
        return d.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if client == "VBA" and isinstance(value, str) and value.isdigit() and len(value) >= 16:
        return int(value)
    return value


@functools.cache
def cached_payload(original: Path, client: str, active: str,
                   constant_names: bool = False) -> str:
    """``payload`` as JSON text, built once: each remote book needs its own copy."""
    return json.dumps(payload(original, client, active, constant_names))


@functools.cache
def calculated(original: Path) -> Path:
    """``original`` recalculated by LibreOffice (cached values, as Excel would show them);
    once per workbook and test session."""
    return convert(original, "xlsx", Path(tempfile.mkdtemp(prefix="xl-addin-calc-")))


def payload(original: Path, client: str, active: str,
            constant_names: bool = False) -> dict[str, Any]:
    """The request for ``original``, its cell values as Excel shows them."""
    import xlwings

    book = load_workbook(original)
    values = load_workbook(calculated(original), data_only=True)
    names = []
    for name, dn in book.defined_names.items():
        m = _RANGE_NAME.match(dn.attr_text)
        if m is None and (client == "VBA" and not constant_names):
            continue  # the VBA client sends range names only
        entry: dict[str, Any] = {"name": name, "book_scope": True, "scope_sheet_name": None,
                                 "scope_sheet_index": None, "sheet_index": None, "address": None}
        if m is not None:
            entry["sheet_index"] = book.sheetnames.index(m["sheet"])
            entry["address"] = ":".join(p.replace("$", "") for p in (m["a"], m["b"]) if p)
        if client == "Office.js" or m is None:
            entry["refers_to"] = "=" + dn.attr_text
        names.append(entry)
    sheets = []
    for ws in book.worksheets:
        calc = values[ws.title]
        rows = [[_json_value(calc.cell(r, c).value, client) for c in range(1, ws.max_column + 1)]
                for r in range(1, ws.max_row + 1)]
        sheet: dict[str, Any] = {"name": ws.title, "values": rows, "pictures": [], "tables": []}
        if client == "Office.js":
            state = {"visible": "Visible", "hidden": "Hidden"}.get(ws.sheet_state, "VeryHidden")
            sheet |= {"visibility": state, "shapes": [], "charts": [], "print_area": None,
                      "notes": [{"address": c.coordinate} for row in ws.iter_rows() for c in row
                                if c.comment is not None]}
        sheets.append(sheet)
    return {
        "client": client,
        "version": xlwings.__version__,
        "book": {"name": original.name, "active_sheet_index": book.sheetnames.index(active),
                 "selection": "A1"},
        "names": names,
        "sheets": sheets,
    }


def remote_book(request: dict[str, Any] | str) -> Any:
    """``xw.Book(json=request)`` on the remote engine, whatever the import order."""
    import xlwings as xw
    from xlwings.pro import _xlremote

    request = json.loads(request) if isinstance(request, str) else request
    impl = _xlremote.App(_xlremote.Apps(), add_book=False).books.open(request)
    return xw.Book(impl=impl)


def actions(book: Any) -> list[dict[str, Any]]:
    return book.impl.json()["actions"]


class Applier:
    """Plays remote-engine actions on an openpyxl workbook as Excel would."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.book = FileBook(path)
        self.wb: Workbook = self.book.wb
        self.writes: Counter[str] = Counter()
        self.notes: Counter[str] = Counter()  # of the writes, those setting one note
        self.alerts: list[str] = []

    def play(self, todo: list[dict[str, Any]]) -> Applier:
        for action in todo:
            func = action["func"]
            if func == "alert":
                self.alerts.append(action["args"][0])
            if func in NOT_WRITES:
                continue
            getattr(self, f"_{func}")(action)
        return self

    # -- helpers ---------------------------------------------------------------------
    def _ws(self, action: dict[str, Any]) -> Any:
        ws = self.wb.worksheets[action["sheet_position"]]
        self.writes[ws.title] += 1
        return ws

    @staticmethod
    def _cells(action: dict[str, Any]) -> list[tuple[int, int]]:
        r0, c0 = action["start_row"] + 1, action["start_column"] + 1
        return [(r, c) for r in range(r0, r0 + action["row_count"])
                for c in range(c0, c0 + action["column_count"])]

    # -- actions ---------------------------------------------------------------------
    def _setValues(self, action: dict[str, Any]) -> None:
        ws = self._ws(action)
        r0, c0 = action["start_row"] + 1, action["start_column"] + 1
        for i, row in enumerate(action["values"]):
            for j, v in enumerate(row):
                cell = ws.cell(r0 + i, c0 + j)
                if isinstance(cell, MergedCell):
                    assert v in (None, ""), f"value into merged cell {cell.coordinate}"
                    continue
                if isinstance(v, str) and v.startswith("'"):
                    cell.value = v[1:]
                    cell.data_type = "s"
                else:
                    cell.value = None if v == "" else v

    def _copyRange(self, action: dict[str, Any]) -> None:
        ws = self._ws(action)
        target = self.wb.worksheets[action["args"][0]]
        assert target is ws and action["column_count"] == 16384, "whole rows, same sheet"
        _, r1, _, r2 = range_boundaries(action["args"][1].replace("$", ""))
        source = action["start_row"] + 1
        grow_rows(ws, source, r1, r2 - r1 + 1)
        for r in range(r1, r2 + 1):
            for c in range(1, ws.max_column + 1):
                if not isinstance(ws.cell(r, c), MergedCell):
                    ws.cell(r, c).value = ws.cell(source, c).value

    def _rangeInsert(self, action: dict[str, Any]) -> None:
        assert action["args"][0] == "down" and action["column_count"] == 16384, "whole rows"
        shift_down(self._ws(action), action["start_row"] + 1, action["row_count"])

    def _rangeClearContents(self, action: dict[str, Any]) -> None:
        ws = self._ws(action)
        r0 = action["start_row"] + 1
        for r in range(r0, r0 + action["row_count"]):
            for c in range(1, min(ws.max_column, action["column_count"]) + 1):
                if not isinstance(ws.cell(r, c), MergedCell):
                    ws.cell(r, c).value = None

    def _setAutofit(self, action: dict[str, Any]) -> None:
        """Excel fits a row to what its cells show: a HYPERLINK formula by its text
        (``fit_rows`` skips formulas, whose text is not what they show)."""
        assert action["args"] == ["rows"]
        ws = self._ws(action)
        rows = list(range(action["start_row"] + 1, action["start_row"] + 1 + action["row_count"]))
        links = {}
        for r in rows:
            for cell in ws[r]:
                m = _LINK.match(cell.value) if isinstance(cell.value, str) else None
                if m is not None:
                    links[cell] = cell.value
                    cell.value = m["shown"].replace('""', '"')
        fit_rows(ws, rows)
        for cell, formula in links.items():
            cell.value = formula

    def _setRangeColors(self, action: dict[str, Any]) -> None:
        ws = self._ws(action)
        r0, c0 = action["start_row"] + 1, action["start_column"] + 1
        for i, row in enumerate(action["args"][0]):
            for j, color in enumerate(row):
                if color != "keep":
                    ws.cell(r0 + i, c0 + j).fill = (
                        PatternFill("solid", fgColor=color[1:].upper()) if color else PatternFill())

    def _setRangeColor(self, action: dict[str, Any]) -> None:
        ws = self._ws(action)
        color = action["args"][0]
        for r, c in self._cells(action):
            ws.cell(r, c).fill = PatternFill("solid", fgColor=color[1:].upper())

    def _note(self, action: dict[str, Any], text: str) -> None:
        ws = self._ws(action)
        self.notes[ws.title] += 1
        ws[action["args"][0].replace("$", "")].comment = Comment(text, NOTE_AUTHOR)

    def _addNote(self, action: dict[str, Any]) -> None:
        self._note(action, action["args"][1])

    def _setNoteText(self, action: dict[str, Any]) -> None:
        self._note(action, action["args"][1])

    def _deleteNote(self, action: dict[str, Any]) -> None:
        ws = self._ws(action)
        self.notes[ws.title] += 1
        ws[action["args"][0].replace("$", "")].comment = None

    def _copySheet(self, action: dict[str, Any]) -> None:
        position, target, name = action["args"]
        source = self.wb.worksheets[action["sheet_position"]]
        at = target if position == "Before" else target + 1
        before = self.wb.worksheets[at].title if at < len(self.wb.worksheets) else None
        self.book.copy_sheet(source.title, name, before=before)
        self.wb[name].sheet_state = source.sheet_state  # Excel keeps the source's state
        self.writes[name] += 1

    def _setSheetName(self, action: dict[str, Any]) -> None:
        ws = self._ws(action)
        self.writes[action["args"][0]] += self.writes.pop(ws.title)
        ws.title = action["args"][0]

    def _setSheetVisibility(self, action: dict[str, Any]) -> None:
        self._ws(action).sheet_state = action["args"][0].lower()

    def _addSheet(self, action: dict[str, Any]) -> None:
        index, name = action["args"]
        self.wb.create_sheet(name, index)
        self.writes[name] += 1

    def _sheetClear(self, action: dict[str, Any]) -> None:
        ws = self._ws(action)
        index, title, state = self.wb.worksheets.index(ws), ws.title, ws.sheet_state
        del self.wb[title]
        self.wb.create_sheet(title, index).sheet_state = state

    def _sheetDelete(self, action: dict[str, Any]) -> None:
        del self.wb[self._ws(action).title]

    def _setFontProperty(self, action: dict[str, Any]) -> None:
        ws = self._ws(action)
        assert action["args"] == ["bold", True]
        for r, c in self._cells(action):
            ws.cell(r, c).font = Font(name="宋体", size=10, bold=True)

    def _rangeMerge(self, action: dict[str, Any]) -> None:
        ws = self._ws(action)
        cells = self._cells(action)
        (r1, c1), (r2, c2) = cells[0], cells[-1]
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)

    def _setNumberFormat(self, action: dict[str, Any]) -> None:
        ws = self._ws(action)
        for r, c in self._cells(action):
            ws.cell(r, c).number_format = action["args"][0]

    def _setWrapText(self, action: dict[str, Any]) -> None:
        self._ws(action)  # wrapping is layout only: counted, not compared

    def _setColumnWidth(self, action: dict[str, Any]) -> None:
        """Widths are not compared, but autofit reads them: points back to characters."""
        ws = self._ws(action)
        chars = (action["args"][0] / 0.75 - 5) / 7
        c0 = action["start_column"] + 1
        for c in range(c0, c0 + action["column_count"]):
            ws.column_dimensions[get_column_letter(c)].width = chars


    def _setDataValidationList(self, action: dict[str, Any]) -> None:
        """A dropdown of literal values on the range (Office.js's list validation)."""
        ws = self._ws(action)
        source, _dropdown = action["args"]
        assert source["type"] == "literal", "only literal lists are written"
        cells = self._cells(action)
        (r1, c1), (r2, c2) = cells[0], cells[-1]
        dv = DataValidation(type="list", formula1='"' + ",".join(source["values"]) + '"')
        dv.add(f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}")
        ws.add_data_validation(dv)


_LINK = re.compile(r'^=HYPERLINK\("#(?P<target>(?:[^"]|"")*)","(?P<shown>(?:[^"]|"")*)"\)$')


def _shown(cell: Any) -> object:
    """A cell as the user sees it: a link is (text, target) whichever way it was made."""
    m = _LINK.match(cell.value) if isinstance(cell.value, str) else None
    if m is not None:
        return (m["shown"].replace('""', '"'), m["target"].replace('""', '"'))
    if cell.hyperlink is not None:
        return (cell.value, cell.hyperlink.location)
    return cell.value


def state(book: Path | Workbook, notes: bool = True) -> dict[str, Any]:
    """What a user could tell apart: sheets (order, shown or not), values and links,
    fills, notes, merged cells, dropdown ranges and row heights."""
    wb = book if isinstance(book, Workbook) else load_workbook(book)
    out: dict[str, Any] = {"sheets": [(ws.title, ws.sheet_state == "visible") for ws in wb]}
    for ws in wb:
        cells = [c for row in ws.iter_rows() for c in row if not isinstance(c, MergedCell)]
        out[ws.title] = {
            "values": {c.coordinate: _shown(c) for c in cells if c.value not in (None, "")},
            "fills": {c.coordinate: c.fill.fgColor.rgb[-6:] for c in cells
                      if c.fill is not None and c.fill.fill_type == "solid"},
            "notes": {c.coordinate: c.comment.text for c in cells
                      if notes and c.comment is not None},
            "merged": sorted(str(m) for m in ws.merged_cells.ranges),
            "dropdowns": sorted(" ".join(sorted(str(r) for r in dv.sqref.ranges))
                               for dv in ws.data_validations.dataValidation),
            "heights": {r: d.height for r, d in ws.row_dimensions.items() if d.height},
        }
    return out
