"""Issue 15, the bureau's side: ``review DIR --previous LASTDIR`` against last year.

Last year's folder is the imported seed (2022) as a unit handed it in, a unit that is
gone this year and a file that cannot be read; this year's is the seed turned into 2023
(codes' year digits and years in names changed) with a few known changes, and a new
unit.  The tests assert exactly those changes, in order, and nothing else.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from distributed import LocalCluster
from openpyxl import load_workbook

from tests import pdf_layout as lay
from xl_addin.actions.previous import (
    BY_CODE,
    BY_NAME,
    code_key,
    compare,
    match_projects,
    name_key,
    weakening,
)
from xl_addin.actions.review import STATUS_OK, District, FileReview, ProjectFacts
from xl_addin.cli import cli
from xl_addin.documents.libreoffice import convert_all

SEED_UNIT = "610001古城街道办事处部门秦皇岛市山海关区古城街道办事处本级"
NEW_UNIT, GONE_UNIT = "新设单位", "撤并单位"
CAR, SUBSIDY, HEATING = "车辆保险费", "2021年市级社区干部生活补贴", "古城社区居民清洁取暖补贴"
ARMS, AFFAIRS, PARTY = "基层武装部建设经费", "街道、社区综合事务经费", "社区党组服务群众经费"
OLD_COMMITTEE, WORK = "社区老居委会生活补贴", "社区工作经费"
ADDED = "2023年社区安全检查经费"


def _edit(src: Path, dst: Path, edit) -> None:
    wb = load_workbook(src)
    edit(wb)
    wb.save(dst)


def _project_sheets(wb) -> list[str]:
    return [n for n in wb.sheetnames if wb[n]["B3"].value and n not in ("参数", "说明")
            and str(wb[n]["A3"].value or "").startswith("项目编码")]


def _last_year(wb) -> None:
    """The seed as last year's: a ≤ target to loosen, and a name with the year in it."""
    wb[ARMS]["F12"] = "≤2万元"
    wb[PARTY]["E3"] = "2022年社区党组服务群众经费"


def _this_year(wb) -> None:
    """Last year's workbook turned into this year's, with the changes the tests expect."""
    wb["参数"]["B2"] = 2023
    for name in _project_sheets(wb):
        code = str(wb[name]["B3"].value)
        if code[6:8] == "22":
            wb[name]["B3"] = code[:6] + "23" + code[8:]
    wb[SUBSIDY]["B3"] = "13030322P00EGD010004G"  # its year digits 21 -> 22
    wb[SUBSIDY]["E3"] = "2022年市级社区干部生活补贴"
    wb[PARTY]["B3"] = "13030323Q00000000009X"  # a new code: matched by its name
    wb[PARTY]["E3"] = "2023年社区党组服务群众经费"
    wb[PARTY]["C5"] = wb[PARTY]["E5"] = 7
    wb[CAR]["F12"] = "≥90%"  # weaker: ≥95% -> ≥90%
    wb[CAR]["C5"] = wb[CAR]["E5"] = 0.5  # money: 0.4 -> 0.5
    wb[SUBSIDY]["F19"] = "≥80%"  # weaker, in the project matched by code
    wb[HEATING]["F11"] = "进一步提高"  # was ≥95%: vague now
    wb[ARMS]["F12"] = "≤3万元"  # weaker: ≤2万元 -> ≤3万元
    wb[ARMS]["F11"] = "≥1场"  # was ≥2次: another unit, not compared
    wb[WORK]["F13"] = "≥98%"  # stronger: not reported
    wb[SUBSIDY]["F13"] = "＝90%"  # was ≥95%: another comparator, not compared
    for col in "BCDFG":  # 按项目计划完成工作 dropped (D13:E13 is merged)
        wb[AFFAIRS][f"{col}13"] = None
    del wb[OLD_COMMITTEE]  # a project dropped


def _other_unit(unit: str, code: str):
    def edit(wb) -> None:
        wb["参数"]["B3"] = unit
        for name in _project_sheets(wb):
            if name != CAR:
                del wb[name]
        wb[CAR]["B3"] = code

    return edit


@pytest.fixture(scope="module")
def years(seed_book_path: Path, corpus: dict[str, Path], tmp_path_factory) -> tuple[Path, Path]:
    """(last year's folder, this year's folder)."""
    root = tmp_path_factory.mktemp("years")
    last, this = root / "2022", root / "2023"
    last.mkdir()
    this.mkdir()
    _edit(seed_book_path, last / "古城.xlsx", _last_year)
    _edit(seed_book_path, last / "撤并.xlsx", _other_unit(GONE_UNIT, "13030322P99999999999A"))
    shutil.copy2(corpus["truncated.xlsx"], last / "损坏.xlsx")
    work = root / "work.xlsx"
    _edit(last / "古城.xlsx", work, _this_year)
    result = CliRunner().invoke(cli, ["add-project", str(work), "--name", ADDED,
                                      "--code", "13030323P00000000001A"])
    assert result.exit_code == 0, result.output
    shutil.copy2(work, this / "古城.xlsx")
    _edit(seed_book_path, this / "新设.xlsx", _other_unit(NEW_UNIT, "13030323P88888888888A"))
    return last, this


@pytest.fixture(scope="module")
def reviewed(years, tmp_path_factory) -> tuple[Path, dict, str]:
    """review.xlsx, the JSON and the terminal's text of the review with --previous."""
    last, this = years
    out = tmp_path_factory.mktemp("out") / "review.xlsx"
    result = CliRunner().invoke(cli, ["review", str(this), "--previous", str(last), "-o",
                                      str(out), "--json", "--jobs", "1"],
                                catch_exceptions=False)
    assert result.exit_code == 1, result.output  # the seed has errors
    return out, json.loads(result.stdout), result.stderr


P22 = "2023年社区党组服务群众经费"
S22 = "2022年市级社区干部生活补贴"
#: (kind, unit, project, field, previous, current, change) in the order expected
EXPECTED = [
    ("weaker", SEED_UNIT, CAR, "公车正常运行率", "≥95%", "≥90%", "-5%"),
    ("weaker", SEED_UNIT, S22, "职工满意度", "≥95%", "≥80%", "-15%"),
    ("weaker", SEED_UNIT, HEATING, "补贴发放准确率", "≥95%", "进一步提高", "变含糊"),
    ("weaker", SEED_UNIT, ARMS, "项目控制预算数", "≤2万元", "≤3万元", "+1万元"),
    ("weaker", SEED_UNIT, AFFAIRS, "按项目计划完成工作", "≥95%", "", "删除"),
    ("money", SEED_UNIT, "（单位合计）", "预算数", "501.64", "494.21", "-7.43"),
    ("money", SEED_UNIT, "（单位合计）", "财政资金", "501.64", "494.21", "-7.43"),
    ("money", SEED_UNIT, CAR, "预算数", "0.40", "0.50", "0.10"),
    ("money", SEED_UNIT, CAR, "财政资金", "0.40", "0.50", "0.10"),
    ("money", SEED_UNIT, P22, "预算数", "6.00", "7.00", "1.00"),
    ("money", SEED_UNIT, P22, "财政资金", "6.00", "7.00", "1.00"),
    ("project", SEED_UNIT, OLD_COMMITTEE, "项目", OLD_COMMITTEE, "", "减少"),
    ("project", SEED_UNIT, ADDED, "项目", "", ADDED, "新增"),
    ("unit", NEW_UNIT, "", "单位", "", "1 个项目", "新增"),
    ("unit", GONE_UNIT, "", "单位", "1 个项目", "", "减少"),
    ("unreadable", "损坏", "", "上年文件", "损坏.xlsx", "", ""),
]


def _plain(value: object) -> str:
    return "" if value is None else str(value)


def test_json_lists_exactly_the_changes_weaker_targets_first(reviewed) -> None:
    _, data, _ = reviewed
    previous = data["previous"]
    got = [(c["kind"], c["unit"], c["project"], c["field"], _plain(c["previous"]),
            _plain(c["current"]), _plain(c["change"])) for c in previous["changes"]]
    assert got == EXPECTED
    assert previous["counts"] == {"weaker": 5, "money": 6, "project": 2, "unit": 2,
                                  "unreadable": 1}
    assert previous["files"] == 3 and previous["unreadable"][0]["file"] == "损坏.xlsx"


def test_each_change_says_how_its_project_was_matched(reviewed) -> None:
    _, data, _ = reviewed
    by = {(c["project"], c["field"]): c for c in data["previous"]["changes"]}
    assert by[(CAR, "公车正常运行率")]["match"] == BY_CODE
    assert by[(S22, "职工满意度")]["match"] == BY_CODE  # code 21 -> 22, name 2021年 -> 2022年
    assert by[(P22, "预算数")]["match"] == BY_NAME  # a new code, the name's year changed
    assert BY_NAME in by[(P22, "预算数")]["note"]
    assert by[(CAR, "预算数")]["percent"] == "25.0" and "增加 25.0%" in by[(CAR, "预算数")]["note"]
    assert by[("（单位合计）", "预算数")]["percent"] == "-1.5"
    assert "≥ 目标降低：由 95% 降为 90%" in by[(CAR, "公车正常运行率")]["note"]
    assert "≤ 目标放宽" in by[(ARMS, "项目控制预算数")]["note"]
    assert "已损坏" in data["previous"]["unreadable"][0]["reason"]


def test_the_review_workbook_gains_the_comparison_sheet(reviewed) -> None:
    out, _, _ = reviewed
    wb = load_workbook(out, read_only=True)
    assert wb.sheetnames == ["全区汇总", "问题清单", "已说明", "单位状态", "与上年对照"]
    rows = [tuple(r) for r in wb["与上年对照"].iter_rows(values_only=True)]
    assert rows[0] == ("单位", "项目", "指标/字段", "上年", "本年", "变化", "说明")
    assert [tuple(_plain(v) for v in r[:3]) for r in rows[1:]] == [e[1:4] for e in EXPECTED]
    assert rows[1][3:6] == ("≥95%", "≥90%", "-5%")
    assert rows[8][3:6] == (0.4, 0.5, 0.1)  # money as numbers
    assert all(r[6] for r in rows[1:])  # every row says what it is


def test_the_terminal_counts_weaker_targets_and_money_changes(reviewed) -> None:
    _, _, stderr = reviewed
    assert "目标弱化 5 项（标准降低 3 项、变含糊 1 项、指标删除 1 项），资金变化 6 项" in stderr
    assert "新增项目 1 个、减少项目 1 个" in stderr
    assert "上年 损坏.xlsx" in stderr


def test_a_review_result_with_the_comparison_is_not_taken_for_a_unit(reviewed, tmp_path) -> None:
    out, _, _ = reviewed
    shutil.copy2(out, tmp_path / "review.xlsx")
    result = CliRunner().invoke(cli, ["review", str(tmp_path), "--json", "--jobs", "1"])
    assert result.exit_code == 1
    status = json.loads(result.stdout)["status"]
    assert "审核结果" in status[0]["原因"]


def test_without_previous_nothing_changes(years) -> None:
    _, this = years
    result = CliRunner().invoke(cli, ["review", str(this), "--json", "--jobs", "1"])
    data = json.loads(result.stdout)
    assert "previous" not in data and "与上年对照" not in result.stderr


@pytest.mark.parametrize("which", ["same", "missing", "empty"])
def test_a_bad_previous_folder_is_refused_before_anything_is_written(years, tmp_path,
                                                                      which) -> None:
    _, this = years
    folder = {"same": this, "missing": tmp_path / "无", "empty": tmp_path}[which]
    out = tmp_path / "review.xlsx"
    result = CliRunner().invoke(cli, ["review", str(this), "--previous", str(folder),
                                      "-o", str(out)])
    assert result.exit_code == 2 and not out.exists()
    said = "本年要审核的文件夹" if which == "same" else "上年文件夹（--previous）"
    assert said in result.output
    assert "Traceback" not in result.output


# --- the pieces ---------------------------------------------------------------------


def test_keys_leave_out_the_year() -> None:
    assert code_key("13030322P00397010017P") == code_key("13030323P00397010017P")
    assert code_key("13030322P00397010017P") != code_key("13030322P00397010018P")
    assert name_key("2022年 XX经费") == name_key("2023年度XX经费") == "XX经费"


def _facts(code: str, name: str) -> ProjectFacts:
    return ProjectFacts(name, code, name, {}, ())


def test_a_code_match_comes_before_a_name_match() -> None:
    before = [_facts("11111122AAAA", "2022年甲"), _facts("22222222BBBB", "乙")]
    after = [_facts("22222223BBBB", "2023年甲"), _facts("33333323CCCC", "丙")]
    pairs, dropped, added = match_projects(before, after)
    assert [(b.name, a.name, how) for b, a, how in pairs] == [("乙", "2023年甲", BY_CODE)]
    assert [p.name for p in dropped] == ["2022年甲"] and [p.name for p in added] == ["丙"]


@pytest.mark.parametrize(("before", "after", "weaker"), [
    ("≥95%", "≥90%", True), ("≥95%", "≥95%", False), ("≥95%", "≥98%", False),
    ("≤2", "≤3", True), ("≤3", "≤2", False),
    ("≥95%", "≥90人", False),  # units differ: not compared
    ("≥95%", "＝90%", False), ("＝100%", "＝90%", False), ("100%", "90%", False),
    ("≥95%", "是/否", True), ("≥95%", "", True), ("达到预期目标", "进一步提高", True),
    ("≥95%", "达到预期目标", True), ("是/否", "进一步提高", False),
])
def test_which_targets_are_weaker(before: str, after: str, weaker: bool) -> None:
    assert (weakening(before, after) is not None) is weaker


def test_the_comparison_sheet_prints_on_a4_width_with_its_header(reviewed, tmp_path) -> None:
    """Rendered by LibreOffice: fitted to the width of A4, nothing off the page or over
    other text, the header on every page (checked from the PDF, ``tests/pdf_layout``)."""
    out, _, _ = reviewed
    wb = load_workbook(out)
    for name in wb.sheetnames:
        if name != "与上年对照":
            del wb[name]
    alone = tmp_path / "previous.xlsx"
    wb.save(alone)
    m = wb["与上年对照"].page_margins
    pdf, = convert_all([alone], "pdf", tmp_path / "pdf")
    header = ("单位", "项目", "指标/字段", "上年", "本年", "变化", "说明")
    assert lay.page_problems(pdf, margins=(m.bottom, m.footer), header=header) == []
    assert "按项目计划完成工作" in "".join(lay.pages_text(pdf))


def _district(*projects: ProjectFacts) -> District:
    district = District()
    district.add(FileReview("a.xlsx", "甲单位", STATUS_OK, rows=[{"项目编码": p.code}
                                                               for p in projects],
                            facts=list(projects)))
    district.finish()
    return district


def _money(code: str, budget: str | None, other: str | None) -> ProjectFacts:
    amounts = {"预算数": budget, "财政资金": budget, "其他资金": other}
    return ProjectFacts(code, code, code, {k: None if v is None else Decimal(v)
                                           for k, v in amounts.items()}, ())


def test_money_from_nothing_or_from_zero_says_so() -> None:
    before = _district(_money("11111122A", "0", None))
    after = _district(_money("11111123A", "5", "2"))
    rows = [(c.project, c.field, c.change, c.percent, c.note.split("；")[0])
            for c in compare(before, after, "上年").changes]
    assert rows == [
        ("（单位合计）", "预算数", Decimal(5), None, "上年为 0"),
        ("（单位合计）", "财政资金", Decimal(5), None, "上年为 0"),
        ("（单位合计）", "其他资金", None, None, "上年未填"),
        ("11111123A", "预算数", Decimal(5), None, "上年为 0"),
        ("11111123A", "财政资金", Decimal(5), None, "上年为 0"),
        ("11111123A", "其他资金", None, None, "上年未填"),
    ]


def test_on_a_dask_cluster_the_comparison_is_the_same(years, reviewed) -> None:
    last, this = years
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                      dashboard_address=None) as cluster:
        result = CliRunner().invoke(cli, ["review", str(this), "--previous", str(last),
                                          "--json", "--scheduler", cluster.scheduler_address])
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["previous"] == reviewed[1]["previous"]
