"""The department's indicator rows are judged like a project's: the row rules and
三级指标 written twice; findings point at the 部门整体绩效目标 sheet's cells, marks land
there, and the batch review reports them.  Project-only rules stay off the department."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.department import SOUND_ROWS, build, with_department_rows
from xl_addin.actions.marks import RESULTS_HEADER, RESULTS_SHEET, results_rows
from xl_addin.actions.review import review_file
from xl_addin.addin import ribbon
from xl_addin.cli import cli
from xl_addin.core.model import Indicator, WorkbookModel
from xl_addin.engines.file import FileBook
from xl_addin.forms.department_sheet import SHEET
from xl_addin.rules import RULES, validate
from xl_addin.rules.base import DEPARTMENT_OWNER
from xl_addin.rules.profiles import load as load_profile

#: SOUND_ROWS, then: 是/否 as a target, an unknown 二级, the first row's name again
BAD_ROWS = [
    Indicator("产出指标", "质量指标", "制度执行情况", "各项制度得到执行", "是/否", "计划标准"),
    Indicator("", "数量质量指标", "会议召开次数", "召开工作会议", "≥12次", "计划标准"),
    Indicator("", "数量指标", "服务社区数", "重复的一行", "＝8个", "计划标准"),
]


def _is_row_finding(f) -> bool:
    """A finding on the department's indicator rows, not on its goal texts (V801–V803,
    judged in test_rules_department_goals)."""
    return f.sheet == SHEET and not f.code.startswith("V8")


def _department_findings(model: WorkbookModel) -> list:
    return [f for f in validate(model, load_profile("2015")).findings if _is_row_finding(f)]


@pytest.fixture(scope="module")
def bad_book(seed_model, tmp_path_factory) -> Path:
    model = with_department_rows(seed_model, SOUND_ROWS + BAD_ROWS)
    return build(model, tmp_path_factory.mktemp("bad") / "bad.xlsx")


def _first_row(path: Path) -> int:
    ws = load_workbook(path)[SHEET]
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "一级指标") + 1


def _read(path: Path) -> WorkbookModel:
    from xl_addin.forms.book import read_model

    return read_model(FileBook(path)).model


def test_sound_rows_give_no_finding(seed_model, tmp_path) -> None:
    path = build(with_department_rows(seed_model, SOUND_ROWS), tmp_path / "sound.xlsx")
    model = _read(path)
    assert len(model.department.indicators) == len(SOUND_ROWS)
    assert _department_findings(model) == []


def test_bad_rows_give_findings_on_the_department_cells(bad_book) -> None:
    first = _first_row(bad_book)
    yes_no, unknown, twice = (first + len(SOUND_ROWS) + i for i in range(3))
    got = {(f.type, f.cell, f.indicator) for f in _department_findings(_read(bad_book))}
    assert got == {
        ("yes-no-value", f"F{yes_no}", "制度执行情况"),
        ("unknown-category", f"B{unknown}", "会议召开次数"),
        ("duplicate-indicator", f"C{twice}", "服务社区数"),
    }
    for f in _department_findings(_read(bad_book)):
        assert (f.project_code, f.project_name) == ("", "")
        assert f.message.startswith(DEPARTMENT_OWNER) and "项目“" not in f.message


def test_department_findings_come_first_and_projects_are_judged_as_before(
        seed_model, bad_book) -> None:
    findings = validate(_read(bad_book), load_profile("2015")).findings
    department = [f for f in findings if f.sheet == SHEET]
    assert findings[:len(department)] == department  # its sheet comes first
    seed_only = validate(seed_model, load_profile("2015")).findings
    assert [(f.code, f.indicator) for f in findings[len(department):]] == [
        (f.code, f.indicator) for f in seed_only if not f.code.startswith("V8")]


def test_project_only_rules_stay_off_the_department(seed_model) -> None:
    """No 成本/效益/满意度 rows (missing-category would say so for a project), a cost
    far above anything (cost-exceeds-budget needs a 预算数), staff asked (residents'
    money needs the project's uses): nothing but what the row itself says."""
    rows = [Indicator("产出指标", "成本指标", "经费总额", "全年经费", "≤900000万元",
                      "预算支出标准"),
            Indicator("满意度指标", "服务对象满意度指标", "职工满意度", "本单位职工", "≥90%",
                      "历史标准")]
    model = with_department_rows(seed_model, rows)
    model.department.sheet = SHEET
    assert _department_findings(model) == []
    applied = {r.code for r in RULES if r.on_department}
    assert {"V205", "V603", "V304", "V703", "V101"}.isdisjoint(applied)
    assert {"V301", "V302", "V303", "V401", "V410", "V501", "V601", "V305"} <= applied


def test_an_empty_department_block_gives_no_finding(seed_book_path) -> None:
    assert not [f for f in validate(_read(seed_book_path), load_profile("2015")).findings
                if _is_row_finding(f)]


def _validate(*args: str):
    return CliRunner().invoke(cli, ["validate", *args])


def test_validate_write_marks_the_department_cell(bad_book, tmp_path) -> None:
    out = tmp_path / "marked.xlsx"
    assert _validate(str(bad_book), "--write", "-o", str(out)).exit_code == 1
    wb = load_workbook(out)
    cell = f"F{_first_row(bad_book) + len(SOUND_ROWS)}"
    ws = wb[SHEET]
    assert ws[cell].fill.fgColor.rgb.endswith("FFC7CE")  # an error: red
    assert "部门整体指标“制度执行情况”" in ws[cell].comment.text
    values = [[c.value for c in r] for r in wb[RESULTS_SHEET].iter_rows()]
    every = results_rows(values)
    first = values.index(RESULTS_HEADER) + 2  # the list's first row, under the 校验概要
    rows = [r for r in every if r[1] == SHEET and not str(r[2]).startswith("D")]
    assert every[:len(rows) + 5] == sorted(every[:len(rows) + 5], key=lambda r: r[1] != SHEET)
    assert [r[1:3] for r in rows[:3]] == [[SHEET, c] for c in sorted(
        {cell, f"B{_first_row(bad_book) + len(SOUND_ROWS) + 1}",
         f"C{_first_row(bad_book) + len(SOUND_ROWS) + 2}"}, key=lambda a: int(a[1:]))]
    assert wb[RESULTS_SHEET][f"C{first}"].hyperlink.location == f"'{SHEET}'!{every[0][2]}"


def test_validating_one_sheet_judges_that_sheet_only(bad_book) -> None:
    def sheets(*args: str) -> set[str]:
        result = _validate(str(bad_book), "--json", *args)
        return {f["sheet"] for f in json.loads(result.stdout)["findings"]}

    assert sheets("--sheet", SHEET) == {SHEET}
    assert SHEET not in sheets("--sheet", "车辆保险费")
    assert SHEET in sheets()


def test_the_ribbon_validates_the_department_sheet(bad_book, tmp_path) -> None:
    class Ui:
        can_ask = False

        def status(self, text) -> None:
            pass

    book = FileBook(bad_book)
    message = ribbon.HANDLERS["validate_sheet"].run(ribbon.Press(book, Ui(), SHEET))
    # the rows' 2 errors and 1 warning, and the seed overview's five goal warnings
    assert message.startswith(f"“{SHEET}”校验完成：错误 2 条，警告 6 条")
    out = tmp_path / "pressed.xlsx"
    book.save(out)
    cell = f"F{_first_row(bad_book) + len(SOUND_ROWS)}"
    assert load_workbook(out)[SHEET][cell].fill.fgColor.rgb.endswith("FFC7CE")


def test_the_batch_review_reports_the_department_rows(bad_book) -> None:
    review = review_file(str(bad_book), str(bad_book.parent))
    department = [f for f in review.findings if _is_row_finding(f)]
    assert {f.type for f in department} == {"yes-no-value", "unknown-category",
                                            "duplicate-indicator"}
