"""`xl-addin validate` and `clear-marks`: exit codes, JSON, marks written and removed."""

from __future__ import annotations

import json

from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from tests.xlsx_compare import differing_parts
from xl_addin.actions.marks import RESULTS_SHEET, results_rows
from xl_addin.cli import cli
from xl_addin.core.findings import TYPE_TITLES


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_json_report_on_the_seed(seed_copy) -> None:
    before = seed_copy.read_bytes()
    r = run("validate", seed_copy, "--json")
    assert r.exit_code == 1  # the seed has errors
    d = json.loads(r.stdout)
    assert d["valid"] is False
    assert set(d) == {"valid", "stats", "findings", "groups", "fix_first", "accepted"}
    assert d["stats"]["by_severity"]["error"] == sum(
        f["severity"] == "error" for f in d["findings"])
    assert {"yes-no-value", "vague-value", "code-year-mismatch"} <= set(d["stats"]["by_type"])
    first = d["findings"][0]
    assert {"type", "code", "severity", "message", "sheet", "cell", "project_code",
            "project_name", "indicator", "field", "suggestion"} <= set(first)
    assert seed_copy.read_bytes() == before  # validating alone writes nothing
    folded = sorted(i for g in d["groups"] for i in g["findings"])
    assert folded == list(range(len(d["findings"])))  # each finding in exactly one line
    assert len(d["groups"]) < len(d["findings"]) and len(d["fix_first"]) == 3
    for g in d["groups"]:
        assert g["count"] == len(g["findings"])
        assert {d["findings"][i]["code"] for i in g["findings"]} == {g["code"]}
        assert [d["findings"][i]["cell"] for i in g["findings"] if d["findings"][i]["cell"]] \
            == g["cells"]


def test_the_strict_profile_by_name(seed_copy) -> None:
    """--profile 2015-strict asks for the standard names, once a project; the default
    accepts 年度工作计划; an unknown name is refused, naming the strict ones."""
    def basis(*args: str) -> list[list[str]]:
        d = json.loads(run("validate", seed_copy, "--json", "--sheet", "车辆保险费", *args).stdout)
        return [[f["code"], f["cell"], f["suggestion"]] for f in d["findings"]
                if f["type"] == "basis-invalid"]

    assert basis() == []
    assert basis("--profile", "2015-strict") == [["V501", "G11", "计划标准"]]
    r = run("validate", seed_copy, "--profile", "2015-strenge")
    assert r.exit_code == 2 and "2015-strict" in r.output and "Traceback" not in r.output


def test_one_sheet_only(seed_copy) -> None:
    d = json.loads(run("validate", seed_copy, "--json", "--sheet", "车辆保险费").stdout)
    assert {f["sheet"] for f in d["findings"]} == {"车辆保险费"}
    assert run("validate", seed_copy, "--sheet", "没有这张表").exit_code == 2
    assert run("validate", seed_copy, "-o", "x.xlsx").exit_code == 2


def test_write_twice_equals_once_and_keeps_user_formatting(seed_copy, tmp_path) -> None:
    wb = load_workbook(seed_copy)
    ws = wb["车辆保险费"]
    ws["F14"].comment = Comment("用户自己的批注", "用户")  # a cell that will be marked
    ws["B11"].fill = PatternFill("solid", fgColor="CCE5FF")  # a cell that will not
    wb.save(seed_copy)
    assert run("validate", seed_copy, "--write").exit_code == 1
    once = tmp_path / "once.xlsx"
    once.write_bytes(seed_copy.read_bytes())
    assert run("validate", seed_copy, "--write").exit_code == 1
    assert differing_parts(once, seed_copy) == []
    wb = load_workbook(seed_copy)
    ws = wb["车辆保险费"]
    assert ws["F14"].fill.fgColor.rgb.endswith("FFC7CE")  # 是/否: an error, red
    assert ws["F14"].comment.text.startswith("用户自己的批注")
    assert ws["B11"].fill.fgColor.rgb.endswith("CCE5FF")
    listed = results_rows([[c.value for c in r] for r in wb[RESULTS_SHEET].iter_rows()])
    assert listed[0][4] in TYPE_TITLES.values()
    assert run("clear-marks", seed_copy).exit_code == 0
    wb = load_workbook(seed_copy)
    assert RESULTS_SHEET not in wb.sheetnames
    assert wb["车辆保险费"]["F14"].comment.text == "用户自己的批注"
    assert wb["车辆保险费"]["F14"].fill.fill_type is None
    assert wb["车辆保险费"]["B11"].fill.fgColor.rgb.endswith("CCE5FF")


def test_write_to_another_file(seed_copy, tmp_path) -> None:
    before = seed_copy.read_bytes()
    out = tmp_path / "marked.xlsx"
    assert run("validate", seed_copy, "--write", "-o", out).exit_code == 1
    assert seed_copy.read_bytes() == before
    assert RESULTS_SHEET in load_workbook(out).sheetnames


def test_every_type_has_a_chinese_title() -> None:
    from xl_addin.rules import FINDING_TYPES

    assert set(TYPE_TITLES) == set(FINDING_TYPES)


def test_readme_rule_catalogue_is_current() -> None:
    from pathlib import Path

    from xl_addin.rules import catalogue_markdown

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- rule-catalogue:start -->\n")[1].split("<!-- rule-catalogue:end")[0]
    assert table == catalogue_markdown()


def test_write_on_a_clean_book_says_there_is_nothing_to_mark(tmp_path) -> None:
    book = tmp_path / "new.xlsx"
    runner = CliRunner()
    assert runner.invoke(cli, ["new", str(book), "--year", "2022", "--unit", "X"]).exit_code == 0
    wb = load_workbook(book)  # the overview written, as a clean book has it (V801)
    ws = wb["部门整体绩效目标"]
    ws["B3"], ws["B6"] = "全年开展法制宣传活动12场，排查矛盾纠纷并及时调解。", "综合治理工作"
    ws["D6"] = "开展法制宣传活动12场，排查矛盾纠纷并及时调解。"
    wb.save(book)
    r = runner.invoke(cli, ["validate", str(book), "--write"])
    assert r.exit_code == 0, r.output
    assert "未发现问题，工作簿中没有需要标记的单元格" in r.stderr and "已标记" not in r.output
    rows = list(load_workbook(book)["校验结果"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and rows[0][6].startswith("未发现问题")


def test_a_blank_project_lists_every_missing_header_field(tmp_path) -> None:
    """财政资金 is asked for before 预算数 is typed, with the other fields."""
    book = tmp_path / "b.xlsx"
    runner = CliRunner()
    made = runner.invoke(cli, ["new", str(book), "--year", "2023", "--unit", "某街道"])
    assert made.exit_code == 0
    assert runner.invoke(cli, ["add-project", str(book), "--name", "办公设备购置"]).exit_code == 0
    found = json.loads(runner.invoke(cli, ["validate", str(book), "--json"]).stdout)["findings"]
    missing = [f["field"] for f in found if f["code"] == "V101" and f["sheet"] == "办公设备购置"]
    assert missing == ["项目编码", "预算数", "财政资金", "资金用途", "绩效目标", "3月底", "6月底",
                       "10月底", "12月底"]
