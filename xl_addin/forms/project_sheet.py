"""The project sheet: its standard layout, and reading/writing a ``Project``.

The standard positions are data (``project_sheet.toml`` beside this module): the
template's master sheet is built from them and a freshly copied one filled by them.
Reading never relies on them: every field is found by its label,
so inserted rows, a moved block, extra indicator rows, blank 一级 cells ("same as
above") and merged cells all parse, and a missing label is reported by name.
"""

from __future__ import annotations

from dataclasses import dataclass

from xl_addin.core.cellvalues import code_text, label, lines, read_money, read_plan, text
from xl_addin.core.findings import Finding
from xl_addin.core.grid import Grid, a1
from xl_addin.core.model import INDICATOR_FIELDS, PLAN_POINTS, Indicator, Project
from xl_addin.core.patch import Patch
from xl_addin.forms import indicator_rows, merges
from xl_addin.forms.form_files import form_file, spans

_FORM = form_file("project_sheet")
N_COLS: int = _FORM["columns"]
TITLE_ROW, UNIT_ROW, FIRST_INDICATOR_ROW = (
    _FORM[key] for key in ("title_row", "unit_row", "first_indicator_row"))
TEMPLATE_INDICATOR_ROWS: int = _FORM["template_indicator_rows"]
UNIT_LABEL: str = _FORM["unit_label"]
#: fill's guess of the category and its reason sit right of this label (not submitted)
SUGGESTION_LABEL: str = _FORM["suggestion_label"]

#: label text -> its cell, and the field keys whose value sits right of a label.
LABELS: dict[str, tuple[int, int]] = {lab: (r, c) for lab, (r, c) in _FORM["labels"].items()}
#: merged ranges of the standard layout (r1, c1, r2, c2)
MERGES: list[tuple[int, int, int, int]] = [(a, b, c, d) for a, b, c, d in _FORM["merges"]]
#: merged ranges inside every indicator row (c1, c2)
INDICATOR_ROW_MERGES: list[tuple[int, int]] = list(spans(_FORM["indicator_row_merges"]))

#: header field -> (label, where the value sits relative to the label)
_RIGHT, _BELOW = "right", "below"
HEADER_FIELDS: dict[str, tuple[str, str]] = {
    key: (lab, where) for key, (lab, where) in _FORM["fields"].items()}
OPTIONAL_LABELS = set(_FORM["optional_labels"])
MONEY_FIELDS = ("budget", "fiscal", "other")

#: labels that mark a sheet as meant to be a project sheet
SIGNATURE_LABELS = tuple(_FORM["signature_labels"])


def _standard_value_cell(key: str) -> tuple[int, int]:
    lab, where = HEADER_FIELDS[key]
    r, c = LABELS[lab]
    if where == _BELOW:
        return r + 1, c
    end = next((m[3] for m in MERGES if m[0] == r and m[1] == c), c)
    return r, end + 1


STANDARD_CELLS: dict[str, tuple[int, int]] = {
    "unit_line": (UNIT_ROW, 1),
    **{key: _standard_value_cell(key) for key in HEADER_FIELDS},
}
SUGGESTED_CATEGORY_CELL: tuple[int, int] = tuple(_FORM["suggested_category_cell"])
INDICATOR_COLUMNS: dict[str, int] = {
    key: LABELS[lab][1] for key, lab in INDICATOR_FIELDS.items()
}


def is_project_sheet(grid: Grid, loc: Located | None = None) -> bool:
    """A sheet meant as a project sheet: it carries at least two of the key labels
    (``loc``: the labels already located, so the sheet is scanned once)."""
    found = (loc or locate(grid)).labels
    return sum(lab in found for lab in SIGNATURE_LABELS) >= 2


@dataclass
class Located:
    """Where the labels of one project sheet are, as found by ``locate``."""

    labels: dict[str, tuple[int, int]]
    missing: list[str]


_WANTED = {label(k): k for k in LABELS}


def locate(grid: Grid) -> Located:
    """Find every label of the layout in ``grid`` (first occurrence, row-major).

    The scan ends once every label is found: the indicator rows below the header, most
    of a sheet, then need no look."""
    found: dict[str, tuple[int, int]] = {}
    for r, row in enumerate(grid.values, start=1):
        for c, v in enumerate(row, start=1):
            if isinstance(v, str):
                key = _WANTED.get(label(v))
                if key is not None and key not in found:
                    found[key] = (r, c)
        if len(found) == len(LABELS):
            break
    missing = [k for k in LABELS if k not in found and k not in OPTIONAL_LABELS]
    return Located(found, missing)


def _value_cell(grid: Grid, at: tuple[int, int], where: str) -> tuple[int, int]:
    r, c = at
    if where == _BELOW:
        return grid.merge_end(r, c)[0] + 1, c
    return r, grid.merge_end(r, c)[1] + 1


def parse(grid: Grid, loc: Located | None = None) -> tuple[Project, list[Finding]]:
    """Read a project sheet.  Missing labels give ``sheet-structure`` findings and the
    fields behind them stay empty; everything else is still read."""
    loc = loc or locate(grid)
    p = Project(sheet=grid.name)
    problems = [
        Finding(
            type="sheet-structure",
            code="S001",
            severity="error",
            message=(
                f"工作表“{grid.name}”缺少标签“{lab}”，无法按项目表读取相关内容。"
                f"请恢复该标签（可从“新增项目”生成的表中复制）。"
            ),
            sheet=grid.name,
            field=lab,
        )
        for lab in loc.missing
    ] + merges.findings(grid)

    plan_raws: dict[str, object] = {}
    for key, (lab, where) in HEADER_FIELDS.items():
        at = loc.labels.get(lab)
        if at is None:
            continue
        r, c = _value_cell(grid, at, where)
        raw = grid.get(r, c)
        p.cells[key] = a1(r, c)
        if key in MONEY_FIELDS:
            money = read_money(raw)
            setattr(p, key, money.value)
            if money.with_unit:
                p.with_unit[key] = text(raw)
            elif raw not in (None, "") and money.value is None:
                p.written[key] = text(raw)
        elif key in PLAN_POINTS:
            plan_raws[key] = raw
        elif key in ("uses", "goals"):
            setattr(p, key, lines(raw))
        elif key == "code":
            p.code = code_text(raw)
        else:
            setattr(p, key, text(raw))

    if plan_raws:
        plan = read_plan(plan_raws)
        p.plan.update(plan.values)
        p.written.update(plan.written)
        p.scaled = plan.scaled

    unit_at = loc.labels.get(UNIT_LABEL)
    code_at = loc.labels.get("项目编码")
    if unit_at is not None or code_at is not None:
        row = unit_at[0] if unit_at else code_at[0] - 1  # type: ignore[index]
        first_col = code_at[1] if code_at else 1
        p.cells["unit_line"] = a1(row, first_col)
        p.unit_line = text(grid.get(row, first_col))

    header_at = loc.labels.get("一级指标")
    if header_at is not None:
        p.indicators = _parse_indicators(grid, header_at[0], loc)
    return p, problems


def _parse_indicators(grid: Grid, header_row: int, loc: Located) -> list[Indicator]:
    cols = {
        key: loc.labels[lab][1]
        for key, lab in INDICATOR_FIELDS.items()
        if lab in loc.labels and loc.labels[lab][0] == header_row
    }
    return indicator_rows.parse_rows(grid, header_row, cols)


def render(project: Project, sheet: str) -> Patch:
    """The patch that writes ``project`` into a sheet freshly copied from the master.

    The indicator block is the last block of the sheet, so it grows by adding rows at
    its end; 一级 is written on the first row of each group only, as published tables do.
    """
    cells: dict[tuple[int, int], object] = {STANDARD_CELLS["unit_line"]: project.unit_line}
    cells[STANDARD_CELLS["code"]] = project.code
    cells[STANDARD_CELLS["name"]] = project.name
    cells[STANDARD_CELLS["category"]] = project.category or None
    for key in MONEY_FIELDS:
        value = getattr(project, key)
        cells[STANDARD_CELLS[key]] = float(value) if value is not None else project.written.get(key)
    for key in PLAN_POINTS:
        value = project.plan.get(key)
        cells[STANDARD_CELLS[key]] = (
            float(value / 100) if value is not None else project.written.get(key)
        )
    cells[STANDARD_CELLS["uses"]] = "\n".join(project.uses) or None
    cells[STANDARD_CELLS["goals"]] = "\n".join(project.goals) or None

    patch = Patch()
    extra = len(project.indicators) - TEMPLATE_INDICATOR_ROWS
    last = FIRST_INDICATOR_ROW + TEMPLATE_INDICATOR_ROWS - 1
    patch.grow(sheet, last, last + 1, extra)
    for i, row in enumerate(indicator_rows.written_rows(project.indicators)):
        for key, c in INDICATOR_COLUMNS.items():
            cells[(FIRST_INDICATOR_ROW + i, c)] = row[key] or None
    patch.set(sheet, cells)
    patch.fit(sheet, [
        STANDARD_CELLS["uses"][0], STANDARD_CELLS["goals"][0],
        *range(FIRST_INDICATOR_ROW, FIRST_INDICATOR_ROW + len(project.indicators)),
    ])
    return patch
