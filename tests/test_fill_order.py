"""Where fill puts rows and what else it writes: a missing row goes where the frame puts
it among the written rows (inserted, the rows below moved down unchanged), an empty
项目类别 gets the category, an unknown category refuses one sheet, not the workbook, and
add-project refuses it outright."""

from __future__ import annotations

from click.testing import CliRunner
from openpyxl import load_workbook

from xl_addin.actions.marks import read_record
from xl_addin.cli import cli
from xl_addin.engines.file import FileBook
from xl_addin.forms.book import read_model

SHEET = "车辆保险费"


def _levels(path, sheet=SHEET) -> list[tuple[str, str, str]]:
    [p] = [p for p in read_model(FileBook(path)).model.projects if p.sheet == sheet]
    return [(i.level1, i.level2, i.level3) for i in p.indicators]


def test_missing_cost_row_goes_under_the_last_output_row(seed_copy) -> None:
    before = _levels(seed_copy)
    r = CliRunner().invoke(cli, ["validate", str(seed_copy), "--write"])
    marked = read_record(FileBook(seed_copy))[SHEET]
    wb = load_workbook(seed_copy)
    below = {rc: wb[SHEET].cell(*rc).value for rc in marked if rc[0] > 13}
    r = CliRunner().invoke(cli, ["fill", str(seed_copy), "--sheet", SHEET])
    assert r.exit_code == 0, r.output
    after = _levels(seed_copy)
    assert after[3] == ("产出指标", "成本指标", "单车保费")
    assert after[:3] + after[4:] == before  # the user's rows: same content, same order
    level1s = [level1 for level1, _, _ in after]
    assert level1s == sorted(level1s, key=["产出指标", "效益指标", "满意度指标"].index)
    ws = load_workbook(seed_copy)[SHEET]
    assert ws["A14"].value is None  # 产出指标 "same as above"
    # the marks' record follows its cells down; clearing restores them there
    moved = read_record(FileBook(seed_copy))[SHEET]
    assert {(r + 1, c) for r, c in below} <= set(moved)
    assert all(ws.cell(r + 1, c).value == v for (r, c), v in below.items())
    assert any("A11:A" in str(dv.sqref) and "L1_LIST" in dv.formula1
               and max(x.max_row for x in dv.sqref.ranges) >= 23
               for dv in ws.data_validations.dataValidation)


def test_empty_category_cell_gets_the_category_typed_one_stays(seed_copy) -> None:
    wb = load_workbook(seed_copy)
    wb["社区工作经费"]["B4"] = "其他"
    wb.save(seed_copy)
    CliRunner().invoke(cli, ["fill", str(seed_copy)])
    projects = {p.sheet: p for p in read_model(FileBook(seed_copy)).model.projects}
    assert projects[SHEET].category == "车辆保险"
    assert projects["古城社区居民清洁取暖补贴"].category == "取暖补贴"
    assert projects["社区工作经费"].category == "其他"


def test_unknown_category_refuses_one_sheet_not_the_workbook(seed_copy) -> None:
    wb = load_workbook(seed_copy)
    wb["社区工作经费"]["B4"] = "不存在的类别"
    wb.save(seed_copy)
    r = CliRunner().invoke(cli, ["fill", str(seed_copy)])
    assert r.exit_code == 1
    assert "社区工作经费" in r.stderr and "不存在的类别" in r.stderr and "可用类别" in r.stderr
    assert "Traceback" not in r.output
    projects = {p.sheet: p for p in read_model(FileBook(seed_copy)).model.projects}
    assert any(i.level2 == "成本指标" for i in projects[SHEET].indicators)  # others filled


def test_add_project_refuses_unknown_category(tmp_path) -> None:
    path = tmp_path / "b.xlsx"
    CliRunner().invoke(cli, ["new", str(path), "--year", "2022", "--unit", "X"])
    before = path.read_bytes()
    r = CliRunner().invoke(cli, ["add-project", str(path), "--name", "项目", "--category",
                                 "不存在的类别"])
    assert r.exit_code == 2 and "未知的项目类别“不存在的类别”" in r.stderr
    assert "个人补贴" in r.stderr and path.read_bytes() == before
    r = CliRunner().invoke(cli, ["add-project", str(path), "--name", "项目",
                                 "--category", "个人补贴"])
    assert r.exit_code == 0, r.output
