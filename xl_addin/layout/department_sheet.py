"""The 部门整体绩效目标 sheet: layout, reading and building.

The sheet is small and wholly generated, so it is rebuilt from the model rather than
patched; reading still goes by labels so a user's inserted rows do not break it.
"""

from __future__ import annotations

from ..cellvalues import label, text
from ..grid import Grid
from ..model import Department, Duty

SHEET = "部门整体绩效目标"
TITLE = "部门整体绩效目标"
OVERALL_LABEL = "总体目标"
DUTIES_LABEL = "分项绩效目标"
DUTY_HEADER = ("序号", "职责", "绩效目标")
MEASURES_LABEL = "工作保障措施"
TEMPLATE_DUTY_ROWS = 11
TEMPLATE_MEASURE_ROWS = 5


def parse(grid: Grid) -> Department:
    """Read the overview; absent labels leave their part empty."""
    dept = Department(sheet=grid.name)
    overall = grid.find(lambda v: isinstance(v, str) and label(v) == OVERALL_LABEL)
    if overall is not None:
        r, c = overall
        dept.overall_goal = text(grid.get(r, grid.merge_end(r, c)[1] + 1))
    header = grid.find(lambda v: isinstance(v, str) and label(v) == DUTY_HEADER[1])
    measures = grid.find(lambda v: isinstance(v, str) and label(v) == MEASURES_LABEL)
    end = measures[0] if measures else grid.n_rows + 1
    if header is not None:
        hr, hc = header
        for r in range(hr + 1, end):
            number, name = text(grid.get(r, hc - 1)), text(grid.get(r, hc))
            goal = text(grid.get(r, hc + 1))
            if name or goal:
                dept.duties.append(Duty(number=number, name=name, goal=goal, row=r))
    if measures is not None:
        for r in range(measures[0] + 1, grid.n_rows + 1):
            t = text(grid.get(r, 2))
            if t:
                dept.measures.append(t)
    return dept


def rows_for(dept: Department) -> tuple[int, int]:
    """How many duty and measure rows the sheet needs (at least the template's)."""
    return (
        max(TEMPLATE_DUTY_ROWS, len(dept.duties)),
        max(TEMPLATE_MEASURE_ROWS, len(dept.measures)),
    )
