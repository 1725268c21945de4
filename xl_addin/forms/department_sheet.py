"""The 部门整体绩效目标 sheet: layout, reading and building.

The sheet is small and wholly generated, so it is rebuilt from the model rather than
patched; reading still goes by labels so a user's inserted rows do not break it.  It
has the project sheet's seven columns: its last block, the department's own indicator
rows (绩效指标), then sits in the same columns under the same labels as a project's,
with the same dropdowns, and is read by the same code.  Values are found by their
labels' columns, never through merged ranges (xlwings' remote engine reports none);
a workbook made before the block existed reads with no indicator rows.  The layout
is data: ``department_sheet.toml`` beside this module.
"""

from __future__ import annotations

from xl_addin.core.cellvalues import label, text
from xl_addin.core.grid import Grid, a1
from xl_addin.core.model import INDICATOR_FIELDS, Department, Duty, Indicator
from xl_addin.forms import indicator_rows
from xl_addin.forms.form_files import form_file, spans

_FORM = form_file("department_sheet")
SHEET: str = _FORM["sheet"]
TITLE: str = _FORM["title"]
OVERALL_LABEL, DUTIES_LABEL, MEASURES_LABEL, INDICATORS_LABEL = (
    _FORM[f"{part}_label"] for part in ("overall", "duties", "measures", "indicators"))
DUTY_HEADER: tuple[str, str, str] = tuple(_FORM["duty_header"])
#: rows of each block in a new workbook
TEMPLATE_DUTY_ROWS, TEMPLATE_MEASURE_ROWS, TEMPLATE_INDICATOR_ROWS = (
    _FORM[f"template_{part}_rows"] for part in ("duty", "measure", "indicator"))
N_COLS: int = _FORM["columns"]  # as a project sheet
TITLE_ROW, OVERALL_ROW, DUTIES_ROW = (_FORM[f"{part}_row"] for part in ("title", "overall",
                                                                        "duties"))
#: columns (first, last) of the duty table's three columns
DUTY_COLUMNS = spans(_FORM["duty_columns"])
#: columns (first, last) of a measure: its number, its text
MEASURE_COLUMNS = spans(_FORM["measure_columns"])


#: the labels that place the sheet's parts
_PLACES = (OVERALL_LABEL, DUTY_HEADER[1], MEASURES_LABEL, INDICATORS_LABEL,
           INDICATOR_FIELDS["level1"])


def _locate(grid: Grid) -> dict[str, tuple[int, int]]:
    """Each of ``_PLACES`` -> its first cell (row-major), in one pass over the sheet."""
    found: dict[str, tuple[int, int]] = {}
    for r, c, v in grid.cells():
        key = label(v) if isinstance(v, str) else ""
        if key in _PLACES and key not in found:
            found[key] = (r, c)
    return found


def parse(grid: Grid) -> Department:
    """Read the overview; absent labels leave their part empty.  Each part ends where
    the next present one starts (duties at 工作保障措施, measures at the indicator block)."""
    dept = Department(sheet=grid.name)
    at = _locate(grid)
    if OVERALL_LABEL in at:
        r, c = at[OVERALL_LABEL]
        goal_col = grid.merge_end(r, c)[1] + 1
        dept.overall_goal = text(grid.get(r, goal_col))
        dept.cells["overall_goal"] = a1(r, goal_col)
    header = at.get(INDICATOR_FIELDS["level1"])
    block_start = min((at[k][0] for k in (INDICATORS_LABEL, INDICATOR_FIELDS["level1"])
                       if k in at), default=grid.n_rows + 1)
    measures = at.get(MEASURES_LABEL)
    if DUTY_HEADER[1] in at:
        dept.duties, dept.cells["duties"] = _duties(
            grid, at[DUTY_HEADER[1]], measures[0] if measures else block_start)
    if measures is not None:
        dept.measures = [t for r in range(measures[0] + 1, block_start)
                         if (t := text(grid.get(r, MEASURE_COLUMNS[1][0])))]
    if header is not None:
        dept.indicators = _indicators(grid, header[0])
    return dept


def _duties(grid: Grid, header: tuple[int, int], end: int) -> tuple[list[Duty], str]:
    """The duty rows between the 职责 header and ``end``, and the first row's goal cell.
    序号 and 绩效目标 are found by their labels on the header row (else beside 职责, as
    the first layout had them)."""
    hr, hc = header
    on_row = {label(grid.get(hr, c)): c for c in range(grid.n_cols, 0, -1)}
    cols = (on_row.get(DUTY_HEADER[0], hc - 1), hc, on_row.get(DUTY_HEADER[2], hc + 1))
    duties = []
    for r in range(hr + 1, end):
        number, name, goal = (text(grid.get(r, c)) for c in cols)
        if name or goal:
            duties.append(Duty(number=number, name=name, goal=goal, row=r,
                               cells={"name": a1(r, cols[1]), "goal": a1(r, cols[2])}))
    return duties, a1(hr + 1, cols[2])


def _indicators(grid: Grid, header_row: int) -> list[Indicator]:
    return indicator_rows.parse_rows(
        grid, header_row, indicator_rows.header_columns(grid, header_row))


def rows_for(dept: Department) -> tuple[int, int, int]:
    """How many duty, measure and indicator rows the sheet needs (at least the
    template's, so there are always blank rows to type into)."""
    return (
        max(TEMPLATE_DUTY_ROWS, len(dept.duties)),
        max(TEMPLATE_MEASURE_ROWS, len(dept.measures)),
        max(TEMPLATE_INDICATOR_ROWS, len(dept.indicators)),
    )
