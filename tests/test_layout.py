"""A project sheet is read by its labels: edits a user makes must not break it."""

from __future__ import annotations

import copy

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from xl_addin.actions.workbook import add_project
from xl_addin.cli import cli
from xl_addin.core.model import INDICATOR_FIELDS, Indicator
from xl_addin.engines.file import FileBook
from xl_addin.forms import project_sheet as proj
from xl_addin.forms.book import read_model

SHEET = "车辆保险费"
FIELDS = ("code", "name", "budget", "fiscal", "other", "uses", "plan", "goals")


def _rows(project) -> list[tuple]:
    return [(i.level1, i.level2, i.level3, i.description, i.value, i.basis)
            for i in project.indicators]


def _insert_rows(ws, idx: int, amount: int) -> None:
    """Insert rows as Excel does: merged ranges below move down too."""
    ws.insert_rows(idx, amount)
    for m in ws.merged_cells.ranges:
        if m.min_row >= idx:
            m.shift(row_shift=amount)


def _project(path, sheet=SHEET):
    contents = read_model(FileBook(path))
    return next(p for p in contents.model.projects if p.sheet == sheet), contents.problems


@pytest.mark.parametrize("where", [3, 6, 9, 12, 17])
def test_inserted_blank_rows(seed_copy, where) -> None:
    before, _ = _project(seed_copy)
    wb = load_workbook(seed_copy)
    _insert_rows(wb[SHEET], where, 2)
    wb.save(seed_copy)
    after, problems = _project(seed_copy)
    assert problems == []
    assert {f: getattr(after, f) for f in FIELDS} == {f: getattr(before, f) for f in FIELDS}
    assert _rows(after) == _rows(before)


def test_rows_typed_below_the_block_and_merged_level1(seed_copy) -> None:
    wb = load_workbook(seed_copy)
    ws = wb[SHEET]
    ws.merge_cells("A11:A13")  # 一级 merged over its group, as in Word tables
    row = ["", "数量指标", "投保车辆数", "投保车辆数量", None, "=2辆", "计划标准"]
    for c, v in enumerate(row, 1):
        if c != 5:
            ws.cell(30, c, v or None).data_type = "s"
    wb.save(seed_copy)
    p, problems = _project(seed_copy)
    assert problems == []
    assert [i.level1 for i in p.indicators[:3]] == ["产出指标"] * 3
    assert [i.level1_written for i in p.indicators[:3]] == [True, False, False]
    assert _rows(p)[-1] == (
        "满意度指标", "数量指标", "投保车辆数", "投保车辆数量", "=2辆", "计划标准")
    assert p.indicators[-1].cells["value"] == "F30"


def test_extra_indicator_rows_grow_the_block(seed_book) -> None:
    project, _ = _project(seed_book.path)
    project = copy.deepcopy(project)
    project.name = "扩展项目"
    project.indicators += [
        Indicator("效益指标", "社会效益指标", f"指标{i}", "描述", f"≥{i}次", "计划标准")
        for i in range(1, 12)
    ] + [Indicator("产出指标", "数量指标", "保障人数", "保障人数", "=19人", "计划标准")]
    assert len(project.indicators) > proj.TEMPLATE_INDICATOR_ROWS
    sheet = add_project(seed_book, project)
    seed_book.save()
    got, problems = _project(seed_book.path, sheet)
    assert problems == []
    assert _rows(got) == _rows(project)
    ws = load_workbook(seed_book.path)[sheet]
    last = proj.FIRST_INDICATOR_ROW + len(project.indicators) - 1
    assert (ws.cell(last, 6).value, ws.cell(last, 6).data_type) == ("=19人", "s")  # not a formula
    assert ws.cell(last, 1).border.left.style == "thin"
    assert ws.cell(last, 3).protection.locked is False
    assert f"D{last}:E{last}" in {str(m) for m in ws.merged_cells.ranges}
    a_dv = next(dv for dv in ws.data_validations.dataValidation if dv.formula1 == "L1_LIST")
    assert f"A{last}" in a_dv.sqref


@pytest.mark.parametrize("label", ["项目编码", "一级指标", "12月底", "绩效目标"])
def test_deleted_label_is_named(seed_copy, label) -> None:
    wb = load_workbook(seed_copy)
    ws = wb[SHEET]
    r, c = proj.LABELS[label]
    ws.cell(r, c).value = None
    wb.save(seed_copy)
    _, problems = _project(seed_copy)
    assert [(f.type, f.sheet, f.field) for f in problems] == [("sheet-structure", SHEET, label)]
    assert label in problems[0].message
    result = CliRunner().invoke(cli, ["dump", str(seed_copy)])
    assert result.exit_code == 1 and label in result.stderr


def test_non_project_sheet_is_left_alone(seed_copy) -> None:
    wb = load_workbook(seed_copy)
    wb.create_sheet("备注")["A1"] = "内部备注"
    wb.save(seed_copy)
    contents = read_model(FileBook(seed_copy))
    assert contents.other_sheets == ["备注"] and len(contents.model.projects) == 12


@pytest.mark.parametrize("key", [k for k in INDICATOR_FIELDS if k != "level1"])
def test_any_cell_but_level1_makes_a_row_used(key) -> None:
    assert not Indicator(**{key: "x"}).is_blank() and Indicator(level1="产出指标").is_blank()
