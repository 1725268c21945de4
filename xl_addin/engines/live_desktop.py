"""What only desktop Excel (COM through ``sheet.api`` / ``app.api``) can do.

xlwings' public API covers values, colours, notes, sheets and autofit on every engine;
protection, screen updating, calculation, the status bar, very hidden sheets, input
boxes, multi-area ranges and finding merged areas need Excel's own object model.  The
live engine calls these only when it runs on desktop Excel, so the same code runs on
xlwings' remote engine (where tests run).  None of this can run off Windows/macOS
Excel: it is the part of the add-in checked by reading, not by tests.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils.cell import range_boundaries

from xl_addin.engines.template.formats import FOOTER, PRINT_MARGINS
from xl_addin.engines.xlvalues import Rect

XL_SHEET_VERY_HIDDEN = 2
XL_FORMULAS = -4123
XL_PART = 2
XL_BY_ROWS = 1
XL_NEXT = 1
MAX_ADDRESS = 250  # Excel's Range() takes at most 255 characters of address

#: the Allow* flags of Worksheet.Protection, restored when the sheet is protected again
_ALLOW_FLAGS = (
    "AllowFormattingCells", "AllowFormattingColumns", "AllowFormattingRows",
    "AllowInsertingColumns", "AllowInsertingRows", "AllowInsertingHyperlinks",
    "AllowDeletingColumns", "AllowDeletingRows", "AllowSorting", "AllowFiltering",
    "AllowUsingPivotTables",
)


@contextlib.contextmanager
def quiet(app: Any) -> Iterator[None]:
    """Screen updating and automatic calculation off while writing; both restored (and
    the status bar handed back to Excel) even when the write fails."""
    updating, calculation = app.screen_updating, app.calculation
    app.screen_updating = False
    app.calculation = "manual"
    try:
        yield
    finally:
        app.calculation = calculation
        app.screen_updating = updating
        app.status_bar = False


@dataclass
class Protection:
    """A sheet's protection as found, to put back exactly after writing."""

    contents: bool
    drawing_objects: bool = False
    scenarios: bool = False
    allow: dict[str, bool] = field(default_factory=dict)

    @classmethod
    def of(cls, sheet_api: Any) -> Protection:
        if not sheet_api.ProtectContents:
            return cls(False)
        p = sheet_api.Protection
        return cls(True, bool(sheet_api.ProtectDrawingObjects), bool(sheet_api.ProtectScenarios),
                   {flag: bool(getattr(p, flag)) for flag in _ALLOW_FLAGS})

    def restore(self, sheet_api: Any, password: str) -> None:
        if not self.contents:
            return
        options: dict[str, Any] = {"DrawingObjects": self.drawing_objects, "Contents": True,
                                   "Scenarios": self.scenarios, **self.allow}
        if password:
            options["Password"] = password
        sheet_api.Protect(**options)


def merged_areas(sheet_api: Any, last_row: int, last_col: int) -> list[Rect]:
    """The merged areas within A1:(last_row, last_col), found with Excel's Find by
    format: a few calls per merged area (and row of it) instead of one per cell.  One
    call answers "no merged cells at all"."""
    used = sheet_api.Range(sheet_api.Cells(1, 1), sheet_api.Cells(last_row, last_col))
    if used.MergeCells is False:
        return []
    app = sheet_api.Application
    app.FindFormat.Clear()
    app.FindFormat.MergeCells = True
    areas: list[Rect] = []
    first = None
    try:
        after = sheet_api.Cells(last_row, last_col)  # the search starts after it: at A1
        for _ in range(last_row * last_col):  # a bound, never reached: Find wraps round
            found = used.Find(What="", After=after, LookIn=XL_FORMULAS, LookAt=XL_PART,
                              SearchOrder=XL_BY_ROWS, SearchDirection=XL_NEXT,
                              MatchCase=False, SearchFormat=True)
            if found is None:
                break
            cell = found.Address
            if cell == first:
                break  # wrapped round
            first = first or cell
            c1, r1, c2, r2 = range_boundaries(found.MergeArea.Address.replace("$", ""))
            if (r1, c1, r2, c2) not in areas:
                areas.append((r1, c1, r2, c2))
            row = range_boundaries(cell.replace("$", ""))[1]
            after = sheet_api.Cells(row, c2)  # skip the rest of this area in this row
    finally:
        app.FindFormat.Clear()
    return sorted(areas)


def address_chunks(addresses: list[str]) -> list[str]:
    """Comma-joined multi-area addresses, each short enough for ``Range()``."""
    chunks: list[str] = []
    for a in addresses:
        if chunks and len(chunks[-1]) + 1 + len(a) <= MAX_ADDRESS:
            chunks[-1] += "," + a
        else:
            chunks.append(a)
    return chunks


def ask_text(app: Any, prompt: str, title: str) -> str | None:
    """Excel's InputBox for a text; None when the user cancels."""
    answer = app.api.InputBox(prompt, title, "", Type=2)
    return answer if isinstance(answer, str) else None


XL_VALIDATE_LIST, XL_VALID_ALERT_STOP, XL_BETWEEN = 3, 1, 1


def list_validation(range_api: Any, values: tuple[str, ...], title: str, prompt: str,
                    error: str) -> None:
    """A dropdown of ``values`` on the range, as the file engine writes it: any other
    value stopped, the prompt shown on select."""
    validation = range_api.Validation
    validation.Delete()
    validation.Add(XL_VALIDATE_LIST, XL_VALID_ALERT_STOP, XL_BETWEEN, ",".join(values))
    validation.IgnoreBlank = False
    validation.InCellDropdown = True
    validation.ErrorTitle = title
    validation.ErrorMessage = error
    validation.InputTitle = title
    validation.InputMessage = prompt
    validation.ShowInput = bool(prompt)
    validation.ShowError = True


XL_PAPER_A4 = 9
XL_PORTRAIT, XL_LANDSCAPE = 1, 2


def print_a4(sheet_api: Any, header_row: int, *, landscape: bool, first_row: int = 1) -> None:
    """The print setup ``engines.template.styles.print_a4`` gives files, through COM: rows
    ``first_row`` to ``header_row`` repeated on every page."""
    setup = sheet_api.PageSetup
    setup.PaperSize = XL_PAPER_A4
    setup.Orientation = XL_LANDSCAPE if landscape else XL_PORTRAIT
    setup.Zoom = False
    setup.FitToPagesWide = 1
    setup.FitToPagesTall = False
    setup.CenterHorizontally = True
    setup.PrintTitleRows = f"${first_row}:${header_row}"
    setup.CenterFooter = FOOTER
    for side in ("Top", "Bottom", "Header", "Footer"):  # inches, as a file gets them
        setattr(setup, f"{side}Margin", PRINT_MARGINS[side.lower()] * 72)
