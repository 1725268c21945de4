"""A read-only, values-only engine on python-calamine, for batch review.

Reading a workbook this way is many times faster than openpyxl (no styles are parsed),
which is what a finance bureau checking hundreds of workbooks needs.  Writing is not
possible here: ``apply`` and ``copy_sheet`` raise NotImplementedError, as xlwings' engines
do for what they lack.  Error cells read as empty, and whole numbers come back as floats
(``cellvalues.text`` prints 7.0 as '7').
"""

from __future__ import annotations

from pathlib import Path

from python_calamine import CalamineWorkbook, SheetVisibleEnum

from xl_addin.core.errors import UserError
from xl_addin.core.grid import Grid, blank_covered
from xl_addin.core.patch import CellState, Patch
from xl_addin.engines.guards import check_readable
from xl_addin.engines.package import check_loaded


class CalamineBook:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        declared = check_readable(self.path)
        try:
            self.wb = CalamineWorkbook.from_path(str(self.path))
            self._meta = {m.name: m for m in self.wb.sheets_metadata}
        except Exception as exc:  # any parser failure means a damaged file
            raise UserError(
                f"文件“{self.path.name}”已损坏或不是有效的 Excel 工作簿，无法读取"
                f"（{type(exc).__name__}）。"
            ) from exc
        check_loaded(self.path, declared, self.wb.sheet_names)

    def sheet_names(self) -> list[str]:
        return list(self.wb.sheet_names)

    def is_hidden(self, sheet: str) -> bool:
        return self._meta[sheet].visible != SheetVisibleEnum.Visible

    def read(self, sheet: str) -> Grid:
        try:
            ws = self.wb.get_sheet_by_name(sheet)
            rows = ws.to_python(skip_empty_area=False)
            merged = ws.merged_cell_ranges or []
        except Exception as exc:
            raise UserError(
                f"文件“{self.path.name}”的工作表“{sheet}”无法读取（{type(exc).__name__}）。"
            ) from exc
        values = [[None if v == "" else v for v in row] for row in rows]
        spans = [(r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in merged]
        blank_covered(values, spans)
        return Grid(sheet, values, spans)

    def defined_name(self, name: str) -> str | None:
        return None  # calamine does not expose defined names

    def cell_states(self, sheet: str, cells: list[tuple[int, int]]) -> dict:
        return {rc: CellState() for rc in cells}

    def apply(self, patch: Patch) -> None:
        raise NotImplementedError("the calamine engine is read-only")

    def copy_sheet(self, source: str, new_name: str, before: str | None = None) -> None:
        raise NotImplementedError("the calamine engine is read-only")
