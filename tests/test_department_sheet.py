"""The department's own indicator rows on the 部门整体绩效目标 sheet: written by the
template and ``build_workbook``, read back by label (inserted rows, a blank 一级),
dumped like a project's rows; a workbook made before the block existed still reads."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.department import SOUND_ROWS, build, with_department_rows
from tests.remote_excel import cached_payload, remote_book
from tests.test_layout import _insert_rows as insert_rows
from xl_addin.actions.serialize import contents_dict
from xl_addin.cli import cli
from xl_addin.core.model import INDICATOR_FIELDS, Indicator, WorkbookModel
from xl_addin.engines.calamine import CalamineBook
from xl_addin.engines.file import FileBook
from xl_addin.engines.live import LiveBook
from xl_addin.engines.memory import MemoryBook
from xl_addin.engines.template.build import template_path
from xl_addin.forms import department_sheet
from xl_addin.forms.book import read_model

SHEET = department_sheet.SHEET
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: the seed imported by the template before the block existed (two of its projects)
OLD_BOOK = FIXTURES / "seed-template1.xlsx"
LABELS = list(INDICATOR_FIELDS.values())
COLUMNS = "ABCDFG"  # the project sheet's: 描述 spans D:E


def _header_row(ws) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "一级指标")


@pytest.fixture(scope="module")
def dept_book(seed_model, tmp_path_factory) -> Path:
    model = with_department_rows(seed_model, SOUND_ROWS)
    return build(model, tmp_path_factory.mktemp("dept") / "dept.xlsx")


def _dump(path: Path, *args: str) -> dict:
    result = CliRunner().invoke(cli, ["dump", str(path), *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_dump_gives_the_rows_back_field_by_field(dept_book) -> None:
    ws = load_workbook(dept_book)[SHEET]
    first = _header_row(ws) + 1
    got = _dump(dept_book)["department"]["indicators"]
    expected = with_department_rows(WorkbookModel(), SOUND_ROWS).department.indicators
    assert [(i["level1"], i["level2"], i["level3"], i["description"], i["value"], i["basis"],
             i["level1_written"]) for i in got] == [
        (e.level1, e.level2, e.level3, e.description, e.value, e.basis, e.level1_written)
        for e in expected]
    assert [i["row"] for i in got] == list(range(first, first + len(SOUND_ROWS)))
    assert set(got[0]) == set(_dump(dept_book)["projects"][0]["indicators"][0])  # same shape


def test_one_sheet_dump_of_a_project_leaves_the_department_out(dept_book) -> None:
    assert _dump(dept_book, "--sheet", SHEET)["department"]["indicators"]
    assert _dump(dept_book, "--sheet", "车辆保险费")["department"]["indicators"] == []


def test_the_block_has_the_project_sheet_labels_unlocked_rows_and_dropdowns(dept_book) -> None:
    for path, n_rows in ((template_path(), department_sheet.TEMPLATE_INDICATOR_ROWS),
                         (dept_book, department_sheet.TEMPLATE_INDICATOR_ROWS)):
        ws = load_workbook(path)[SHEET]
        header = _header_row(ws)
        assert ws.cell(header - 1, 1).value == department_sheet.INDICATORS_LABEL
        assert [ws[f"{c}{header}"].value for c in COLUMNS] == LABELS
        assert all(ws[f"{c}{header}"].protection.locked for c in COLUMNS)
        first, last = header + 1, header + n_rows
        assert ws.max_row == last  # the block is the sheet's last
        for r in (first, last):
            assert all(ws[f"{c}{r}"].protection.locked is False for c in "ABCDEFG"), r
        dvs = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
        assert dvs[f"A{first}:A{last}"] == "L1_LIST"
        assert dvs[f"G{first}:G{last}"] == "BASIS_LIST"
        assert "L2_TABLE" in dvs[f"B{first}:B{last}"] and f"$A{first}" in dvs[f"B{first}:B{last}"]
        assert ws.protection.sheet and not ws.protection.insertRows


def test_the_block_grows_with_the_model(seed_model, tmp_path) -> None:
    rows = [Indicator("产出指标", "数量指标", f"指标{i}", "描述", f"={i}个", "计划标准")
            for i in range(department_sheet.TEMPLATE_INDICATOR_ROWS + 7)]
    path = build(with_department_rows(seed_model, rows), tmp_path / "many.xlsx")
    ws = load_workbook(path)[SHEET]
    header = _header_row(ws)
    assert ws.max_row == header + len(rows)
    dvs = {str(dv.sqref) for dv in ws.data_validations.dataValidation}
    assert f"A{header + 1}:A{header + len(rows)}" in dvs
    got = read_model(FileBook(path)).model.department.indicators
    assert [i.level3 for i in got] == [i.level3 for i in rows]
    assert [i.value for i in got] == [f"={i}个" for i in range(len(rows))]  # text, no formula


def test_inserted_rows_and_blank_level1_read(dept_book, tmp_path) -> None:
    path = tmp_path / "edited.xlsx"
    shutil.copy2(dept_book, path)
    wb = load_workbook(path)
    ws = wb[SHEET]
    insert_rows(ws, 8, 1)  # a duty row: everything below moves down one
    header = _header_row(ws)
    first = header + 1
    insert_rows(ws, first + 1, 1)  # a row inside the block, typed with 一级 blank
    for c, value in zip(COLUMNS, ["", "数量指标", "培训人次", "业务培训", "≥200人次",
                                  "计划标准"], strict=True):
        ws[f"{c}{first + 1}"] = value or None
    below = header + department_sheet.TEMPLATE_INDICATOR_ROWS + 2  # below the block
    for c, value in zip(COLUMNS, ["满意度指标", "服务对象满意度指标", "企业满意度", "问卷",
                                  "≥85%", "历史标准"], strict=True):
        ws[f"{c}{below}"] = value
    wb.save(path)

    dept = read_model(FileBook(path)).model.department
    assert len(dept.duties) == 11 and len(dept.measures) == 3  # measures stop at the block
    rows = dept.indicators
    assert [i.level3 for i in rows] == ["服务社区数", "培训人次", "重点工作完成率", "预算执行率",
                                        "群众诉求办结率", "辖区居民满意度", "企业满意度"]
    inserted = rows[1]
    assert (inserted.level1, inserted.level1_written, inserted.row) == ("产出指标", False,
                                                                         first + 1)
    assert inserted.cells == {key: f"{c}{first + 1}"
                              for key, c in zip(INDICATOR_FIELDS, COLUMNS, strict=True)}
    assert (rows[-1].row, rows[-1].cells["value"]) == (below, f"F{below}")


def test_a_workbook_of_the_previous_template_reads_without_rows(seed_model) -> None:
    contents = read_model(FileBook(OLD_BOOK))
    dept = contents.model.department
    assert load_workbook(OLD_BOOK)[SHEET].max_column == 3  # the old three-column sheet
    assert dept.indicators == [] and contents.problems == []
    assert dept.overall_goal == seed_model.department.overall_goal
    assert [(d.number, d.name, d.goal) for d in dept.duties] == [
        (d.number, d.name, d.goal) for d in seed_model.department.duties]
    assert dept.measures == seed_model.department.measures
    assert _dump(OLD_BOOK)["department"]["indicators"] == []
    result = CliRunner().invoke(cli, ["validate", str(OLD_BOOK), "--json"])
    assert result.exit_code == 1, result.output  # the seed's own errors, nothing broken
    findings = json.loads(result.stdout)["findings"]
    # no row finding (there are no rows); the goal texts are judged (V802, V803)
    assert findings and {f["code"] for f in findings if f["sheet"] == SHEET} == {"V802", "V803"}


def test_the_new_layout_reads_the_overview_as_before(seed_model, dept_book) -> None:
    """Duties now span 职责 B:C and 绩效目标 D:G; they are found by their header labels."""
    dept = read_model(FileBook(dept_book)).model.department
    assert [(d.number, d.name, d.goal) for d in dept.duties] == [
        (d.number, d.name, d.goal) for d in seed_model.department.duties]
    assert dept.measures == seed_model.department.measures
    assert dept.overall_goal == seed_model.department.overall_goal


@pytest.mark.parametrize("client", ["VBA", "Office.js"])
def test_every_engine_reads_the_rows_alike(dept_book, client) -> None:
    """xlwings' remote engine reports no merged ranges: the overview is read by labels."""
    file_book = FileBook(dept_book)
    expected = contents_dict(read_model(file_book))
    assert expected["department"]["indicators"] and len(expected["department"]["duties"]) == 11
    live = LiveBook(remote_book(cached_payload(dept_book, client, SHEET)))
    for book in (CalamineBook(dept_book), MemoryBook.from_book(file_book), live):
        assert contents_dict(read_model(book))["department"] == expected["department"]
