"""The 部门整体绩效目标 sheet: layout, reading and building.

The sheet is small and wholly generated, so it is rebuilt from the model rather than
patched; reading still goes by labels so a user's inserted rows do not break it.  It
has the project sheet's seven columns: its last block, the department's own indicator
rows (绩效指标), then sits in the same columns under the same labels as a project's,
with the same dropdowns, and is read by the same code.  Values are found by their
labels' columns, never through merged ranges (xlwings' remote engine reports none);
a workbook made before the block existed reads with no indicator rows.
"""

from __future__ import annotations

from ..cellvalues import label, text
from ..grid import Grid
from ..model import INDICATOR_FIELDS, Department, Duty, Indicator
from . import indicator_rows

SHEET = "部门整体绩效目标"
TITLE = "部门整体绩效目标"
OVERALL_LABEL = "总体目标"
DUTIES_LABEL = "分项绩效目标"
DUTY_HEADER = ("序号", "职责", "绩效目标")
MEASURES_LABEL = "工作保障措施"
INDICATORS_LABEL = "绩效指标"
TEMPLATE_DUTY_ROWS = 11
TEMPLATE_MEASURE_ROWS = 5
TEMPLATE_INDICATOR_ROWS = 8

N_COLS = 7  # A..G, as a project sheet
TITLE_ROW, OVERALL_ROW, DUTIES_ROW = 1, 3, 4
#: columns (first, last) of the duty table's three columns
DUTY_COLUMNS = ((1, 1), (2, 3), (4, 7))
#: columns (first, last) of a measure: its number, its text
MEASURE_COLUMNS = ((1, 1), (2, 7))


def _is(text_: str):
    return lambda v: isinstance(v, str) and label(v) == text_


def parse(grid: Grid) -> Department:
    """Read the overview; absent labels leave their part empty."""
    dept = Department(sheet=grid.name)
    overall = grid.find(_is(OVERALL_LABEL))
    if overall is not None:
        r, c = overall
        dept.overall_goal = text(grid.get(r, grid.merge_end(r, c)[1] + 1))
    measures = grid.find(_is(MEASURES_LABEL))
    header = grid.find(_is(INDICATOR_FIELDS["level1"]))
    section = grid.find(_is(INDICATORS_LABEL))
    block_start = min((at[0] for at in (section, header) if at is not None),
                      default=grid.n_rows + 1)
    dept.duties = _duties(grid, measures[0] if measures else block_start)
    if measures is not None:
        dept.measures = [t for r in range(measures[0] + 1, block_start)
                         if (t := text(grid.get(r, MEASURE_COLUMNS[1][0])))]
    if header is not None:
        dept.indicators = _indicators(grid, header[0])
    return dept


def _duties(grid: Grid, end: int) -> list[Duty]:
    """The duty rows between the 职责 header and ``end``.  序号 and 绩效目标 are found by
    their labels on the header row (else beside 职责, as the first layout had them)."""
    header = grid.find(_is(DUTY_HEADER[1]))
    if header is None:
        return []
    hr, hc = header
    on_row = {label(grid.get(hr, c)): c for c in range(grid.n_cols, 0, -1)}
    cols = (on_row.get(DUTY_HEADER[0], hc - 1), hc, on_row.get(DUTY_HEADER[2], hc + 1))
    duties = []
    for r in range(hr + 1, end):
        number, name, goal = (text(grid.get(r, c)) for c in cols)
        if name or goal:
            duties.append(Duty(number=number, name=name, goal=goal, row=r))
    return duties


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
