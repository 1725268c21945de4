"""Issue 12: the interpreter reads other forms by the vocabulary (xl_addin/forms).

Blocks are built here as the readers give them (a grid with merged cells repeated, and
where they continue from above), one form at a time; the documents of every format are
read end to end in ``test_import_documents.py``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from xl_addin.cli import cli
from xl_addin.core.errors import UserError
from xl_addin.documents.importers.blocks import Paragraph, Table
from xl_addin.documents.importers.published import interpret_document
from xl_addin.forms.published import load, normalise

IND_HEAD = ["一级指标", "二级指标", "三级指标", "指标值", "指标值确定依据"]


def grid_table(grid: list[list[str]], continued: set[tuple[int, int]] = frozenset(),
               where: str = "") -> Table:
    """A table as a reader that knows spans gives it (rows: each cell once)."""
    rows = [[c for i, c in enumerate(row) if i == 0 or c != row[i - 1]] for row in grid]
    return Table(rows=rows, grid=grid, where=where, continued=set(continued))


def header(*pairs: tuple[str, str]) -> list[list[str]]:
    return [[label, value] for label, value in pairs]


def one_table_project(head: list[list[str]], inds: list[list[str]],
                      ind_head: list[str] = IND_HEAD) -> Table:
    width = max(len(ind_head), *(len(r) for r in head))
    grid = [row + [row[-1]] * (width - len(row)) for row in head]
    grid += [ind_head, *inds]
    return grid_table(grid)


@pytest.mark.parametrize(("text", "expected"), [
    ("项目名称", "项目名称"), ("项目 名称", "项目名称"), ("*项目名称：", "项目名称"),
    ("其中：财政拨款", "财政拨款"), ("二级指标（年度）", "二级指标(年度)"),
])
def test_labels_are_compared_normalised(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(("label", "key"), [
    ("项目支出名称", "name"), ("项目(支出)名称", "name"), ("实施单位", "unit"),
    ("年度资金总额", "budget"), ("其中：财政拨款", "fiscal"), ("本级财政资金", "fiscal"),
    ("该项目支出上级资金", "other"), ("年度绩效目标", "goals"), ("中长期目标", "long_term_goals"),
    ("项目支出实施期", "period"),
])
def test_field_synonyms(label: str, key: str) -> None:
    assert load().field_of(label).key == key


@pytest.mark.parametrize(("label", "key", "qualifier"), [
    ("*指标值", "value", ""), ("目标值", "value", ""), ("年度指标值", "value", ""),
    ("当年预期实现值", "value", ""), ("指标值设定依据", "basis", ""), ("绩效标准", "basis", ""),
    ("指标解释", "description", ""), ("二级指标(年度)", "level2", "annual"),
    ("指标值（中长期）", "long_term_value", ""), ("指标值（年度）", "value", "annual"),
    ("权重", "weight", ""), ("权重（%）", "weight", ""), ("分值", "kept", ""),
    ("计量单位", "measure_unit", ""),
])
def test_column_synonyms(label: str, key: str, qualifier: str) -> None:
    m = load().column_of(label)
    assert (m.key, m.qualifier) == (key, qualifier)


def test_another_provinces_labels_in_one_table() -> None:
    table = one_table_project(
        header(("项目支出名称", "社区养老服务补助"), ("实施单位", "某某区民政局"),
               ("年度资金总额", "120.50"), ("其中：财政拨款", "100.50"), ("其他资金", "20.00"),
               ("年度绩效目标", "1.为辖区老人提供助餐服务\n2.提升养老服务质量")),
        [["产出指标", "数量指标", "助餐服务人次", "≥12000人次", "年度工作计划"],
         ["产出指标", "质量指标", "服务合格率", "≥98%", "行业标准"],
         ["满意度指标", "服务对象满意度指标", "老人满意度", "≥90%", "历史数据"],
         ["满意度指标", "服务对象满意度指标", "", "", ""]],  # a pre-printed blank row
        ["一级指标", "二级指标（年度）", "三级指标", "*指标值", "指标值设定依据"])
    table.continued = {(8, 0), (10, 0)}  # 一级 merged down over its rows
    imported = interpret_document([table], year=2023)
    [p] = imported.model.projects
    assert (p.name, p.unit_line, p.budget, p.fiscal, p.other) == (
        "社区养老服务补助", "某某区民政局", Decimal("120.50"), Decimal("100.50"), Decimal("20.00"))
    assert p.goals == ["1.为辖区老人提供助餐服务", "2.提升养老服务质量"]
    rows = [(i.level1, i.level1_written, i.level2, i.level3, i.value, i.basis)
            for i in p.indicators]
    assert rows == [
        ("产出指标", True, "数量指标", "助餐服务人次", "≥12000人次", "年度工作计划"),
        ("产出指标", False, "质量指标", "服务合格率", "≥98%", "行业标准"),
        ("满意度指标", True, "服务对象满意度指标", "老人满意度", "≥90%", "历史数据")]
    [read] = imported.report.projects
    assert read.fields == ["单位", "项目名称", "预算数", "财政资金", "其他资金", "绩效目标"]
    assert read.rows == 3 and imported.report.unrecognised == []


def test_split_value_columns_and_kept_columns() -> None:
    head = ["一级指标", "二级指标", "三级指标", "指标值", "指标值", "指标值", "权重", "备注"]
    sub = ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重", "备注"]
    grid = [["项目名称", "项目名称", "道路维护", "道路维护", "道路维护", "道路维护", "道路维护",
             "道路维护"], head, sub,
            ["产出指标", "数量指标", "维护里程", "≥", "35", "公里", "20", ""],
            ["产出指标", "质量指标", "验收合格率", "＝", "100", "%", "20", "按月验收"],
            ["效益指标", "社会效益指标", "通行条件", "定性", "明显改善", "", "10", ""]]
    [p] = interpret_document([grid_table(grid, {(4, 0)})], year=2023).model.projects
    assert [i.value for i in p.indicators] == ["≥35公里", "＝100%", "明显改善"]
    read = interpret_document([grid_table(grid, {(4, 0)})], year=2023).report.projects[0]
    assert read.kept == ["“维护里程”的权重：20", "“验收合格率”的权重：20",
                         "“验收合格率”的备注：按月验收", "“通行条件”的权重：10"]
    # issue 14: the weights add up to 50, and the workbook has no place to show it
    assert read.warnings == ["各指标的权重合计为 50，不等于 100（3 行有权重），请调整权重"]


@pytest.mark.parametrize(("weights", "warnings"), [
    (["50", "30", "20"], []),
    (["50%", "30%", "20%"], []),
    (["50", "30", ""], ["1 行指标没有填权重（通行条件）",
                        "各指标的权重合计为 80，不等于 100（2 行有权重），请调整权重"]),
    (["50", "三十", "20"], ["“验收合格率”的权重“三十”不是数字",
                          "各指标的权重合计为 70，不等于 100（2 行有权重），请调整权重"]),
    (["", "", ""], []),  # a 权重 column left empty: nothing said, nothing to add up
])
def test_weights_must_add_up_to_100(weights: list[str], warnings: list[str]) -> None:
    head = ["一级指标", "二级指标", "三级指标", "指标值", "权重"]
    rows = [["产出指标", "数量指标", "维护里程", "≥35公里"],
            ["产出指标", "质量指标", "验收合格率", "＝100%"],
            ["效益指标", "社会效益指标", "通行条件", "达到预期目标"]]
    grid = [["项目名称", "道路维护", "道路维护", "道路维护", "道路维护"], head,
            *[[*row, w] for row, w in zip(rows, weights, strict=True)]]
    [read] = interpret_document([grid_table(grid)], year=2023).report.projects
    assert read.warnings == warnings


def test_money_in_yuan_is_converted_exactly() -> None:
    blocks = [Paragraph("2023年项目支出绩效目标申报表"), Paragraph("单位：元"),
              grid_table(header(("项目名称", "城区绿化养护"), ("资金总额", "3,309,840.00"),
                                ("财政资金", "3,000,000.00"), ("其他资金", "309,840"),
                                ("绩效目标", "完成城区绿化养护")))]
    imported = interpret_document(blocks)
    [p] = imported.model.projects
    assert (p.budget, p.fiscal, p.other) == (Decimal("330.984"), Decimal("300"),
                                             Decimal("30.984"))
    assert p.budget == p.fiscal + p.other
    assert imported.model.settings.year == 2023 and imported.report.year_from == "标题"
    assert imported.report.money_unit == "元"
    assert "预算数 3,309,840.00（元）换算为 330.984 万元" in imported.report.projects[0].notes


@pytest.mark.parametrize(("written", "value", "note"), [
    ("250万", Decimal(250), "250万 读作 250 万元"),
    ("10000万元", Decimal(10000), ""),
    ("0.40", Decimal("0.40"), ""),
    ("待定", None, ""),
])
def test_money_written_with_its_unit(written: str, value: Decimal | None, note: str) -> None:
    table = grid_table(header(("项目名称", "x"), ("预算数", written)))
    imported = interpret_document([table], year=2023)
    [p] = imported.model.projects
    assert p.budget == value
    assert p.written == ({} if value is not None else {"budget": written})
    assert imported.report.projects[0].notes == ([f"预算数 {note}"] if note else [])


def test_the_year_from_a_heading_before_the_codes() -> None:
    code = "43010221P00397010017P"  # year digits 21
    blocks = [Paragraph("某某县教育局项目支出绩效目标表（2020年度）"),
              grid_table(header(("项目编码", code), ("项目名称", "x")))]
    assert interpret_document(blocks).model.settings.year == 2020
    assert interpret_document(blocks[1:]).model.settings.year == 2021


def test_a_header_table_then_an_indicator_table() -> None:
    blocks = [grid_table(header(("项目名称", "乡村道路建设"), ("年度资金总额", "88.00"))),
              grid_table([IND_HEAD, ["产出指标", "数量指标", "新建道路", "≥5公里", "计划标准"]])]
    [p] = interpret_document(blocks, year=2022).model.projects
    assert (p.name, p.budget, [i.level3 for i in p.indicators]) == (
        "乡村道路建设", Decimal("88.00"), ["新建道路"])


def test_one_wide_table_holds_all_projects() -> None:
    head = ["单位名称", "项目名称", "年度资金总额", "年度绩效目标", "一级指标", "二级指标",
            "三级指标", "指标值"]
    rows = [["甲局", "项目一", "10.00", "目标一", "产出指标", "数量指标", "培训人次", "≥200人次"],
            ["甲局", "项目一", "10.00", "目标一", "满意度指标", "服务对象满意度指标", "满意度",
             "≥90%"],
            ["甲局", "项目二", "5.00", "目标二", "产出指标", "时效指标", "完成及时率", "100%"]]
    table = grid_table([head, *rows], {(2, 0), (2, 1), (2, 2), (2, 3), (3, 0)})
    imported = interpret_document([table], year=2023)
    projects = imported.model.projects
    assert [(p.name, p.unit_line, p.budget, p.goals, len(p.indicators)) for p in projects] == [
        ("项目一", "甲局", Decimal("10.00"), ["目标一"], 2),
        ("项目二", "甲局", Decimal("5.00"), ["目标二"], 1)]
    assert imported.model.settings.unit == "甲局"


def test_long_term_beside_annual_take_the_annual_keep_the_other() -> None:
    head = [["项目名称", "人才引进", "人才引进"],
            ["绩效目标", "中长期目标", "年度目标"],
            ["绩效目标", "三年引进博士50名", "本年引进博士15名"],
            ["一级指标", "三级指标", "指标值(中长期)"]]
    grid = [row + [row[-1]] * 2 for row in head]
    grid[3] = ["一级指标", "三级指标", "指标值(中长期)", "指标值(年度)", "确定依据"]
    grid.append(["产出指标", "引进博士人数", "50人", "15人", "计划标准"])
    imported = interpret_document([grid_table(grid, {(2, 0)})], year=2023)
    [p] = imported.model.projects
    assert p.goals == ["本年引进博士15名"]
    assert [(i.level3, i.value) for i in p.indicators] == [("引进博士人数", "15人")]
    read = imported.report.projects[0]
    assert "中长期目标（未并入年度绩效目标，请核对）：三年引进博士50名" in read.notes
    assert read.kept == ["“引进博士人数”的指标值(中长期)：50人"]


def test_satisfaction_under_benefit_moves_to_its_own_level() -> None:
    """The 2013 frame prints 满意度 as a 二级 under 效益; the workbook's frames have it
    as a 一级, so it is placed there, with a note; the row after it keeps its group."""
    table = one_table_project(header(("项目名称", "x")), [
        ["效益指标", "社会效益指标", "惠及人数", "≥500人", "计划标准"],
        ["", "满意度指标", "群众满意度", "≥90%", "历史标准"],
        ["", "可持续影响指标", "长效机制", "建立", "计划标准"]])
    imported = interpret_document([table], year=2023)
    rows = [(i.level1, i.level1_written, i.level2) for i in imported.model.projects[0].indicators]
    assert rows == [("效益指标", True, "社会效益指标"),
                    ("满意度指标", True, "服务对象满意度指标"),
                    ("效益指标", True, "可持续影响指标")]
    assert any("改为 满意度指标/服务对象满意度指标" in n
               for n in imported.report.projects[0].notes)


def test_a_department_table_with_its_own_rows() -> None:
    grid = [["部门名称", "某某街道办事处", "某某街道办事处"],
            ["部门职责", *["1.负责辖区社会事务\n2.负责社区建设"] * 2],
            ["年度总体目标", "全面完成年度各项工作任务", "全面完成年度各项工作任务"],
            ["一级指标", "三级指标", "指标值"],
            ["产出指标", "社区覆盖率", "100%"]]
    blocks = [grid_table(grid), grid_table(header(("项目名称", "社区经费"), ("预算数", "1.00")))]
    imported = interpret_document(blocks, year=2023)
    dept = imported.model.department
    assert dept.overall_goal == "全面完成年度各项工作任务"
    assert [d.name for d in dept.duties] == ["1.负责辖区社会事务", "2.负责社区建设"]
    assert [(i.level1, i.level3, i.value) for i in dept.indicators] == [
        ("产出指标", "社区覆盖率", "100%")]
    assert imported.report.department[0].startswith(
        "第 1 个表格：部门职责、年度总体目标、指标 1 行")


def test_what_is_not_recognised_is_reported_with_where() -> None:
    table = one_table_project(header(("项目名称", "x"), ("自评等级", "优")),
                              [["产出指标", "数量指标", "次数", "≥1次", "计划标准", "10"]],
                              [*IND_HEAD, "自评分"])
    report = interpret_document([table, grid_table([["附件：说明材料"]])], year=2023).report
    assert [(u.where, u.kind, u.text) for u in report.unrecognised] == [
        ("第 1 个表格第 2 行第 1 列", "内容", "自评等级"),
        ("第 1 个表格第 2 行第 2 列", "内容", "优"),
        ("第 1 个表格", "列", "自评分"),
        ("第 2 个表格", "表格", "附件：说明材料（没有项目名称、项目编码或指标列）")]


def test_a_document_with_nothing_recognised_says_what_it_found() -> None:
    blocks = [Paragraph("2023年工作总结"), grid_table([["序号", "事项"], ["1", "完成"]]),
              grid_table([["a", "b"]]), grid_table([["c"]])]
    with pytest.raises(UserError, match="找到 3 个表格，但没有项目名称、项目编码或指标列"):
        interpret_document(blocks)


def test_a_label_synonym_added_through_a_forms_file(tmp_path: Path) -> None:
    """Must show: a document in a new form imports once its labels are added as data."""
    doc = tmp_path / "新表样.txt"
    doc.write_text("\t项目名目\n\t乡镇文化站运行\n\n\t拨付金额\n\t12.00\n\n", encoding="utf-8")
    out = tmp_path / "book.xlsx"
    before = CliRunner().invoke(cli, ["import", str(doc), "-o", str(out), "--year", "2023"])
    assert before.exit_code == 2 and "没有项目名称" in before.stderr.replace("\n", "")
    forms = tmp_path / "我省表样.toml"
    forms.write_text('[fields]\nname = ["项目名目"]\nbudget = ["拨付金额"]\n', encoding="utf-8")
    after = CliRunner().invoke(cli, ["import", str(doc), "-o", str(out), "--year", "2023",
                                     "--forms", str(forms), "--json"])
    assert after.exit_code == 0, after.output
    dump = CliRunner().invoke(cli, ["dump", str(out)])
    assert '"name": "乡镇文化站运行"' in dump.stdout and '"budget": "12.00"' in dump.stdout


@pytest.mark.parametrize(("content", "message"), [
    ("[fields]\nname = \"项目名目\"\n", "应是文字列表"),
    ("[labels]\nx = 1\n", "不是可用的部分"),
    ("not toml ===", "无法读取表样词汇文件"),
])
def test_a_bad_forms_file_is_a_clear_message(tmp_path: Path, content: str, message: str) -> None:
    forms = tmp_path / "f.toml"
    forms.write_text(content, encoding="utf-8")
    with pytest.raises(UserError, match=message):
        load(forms)


def test_an_indicator_table_before_any_project_is_the_departments() -> None:
    """Part 1 of the published layout: the department's own rows after its measures."""
    blocks = [Paragraph("第一部分"), Paragraph("部门整体绩效目标"),
              grid_table([IND_HEAD, ["产出指标", "数量指标", "走访群众", "≥1000户", "计划标准"]]),
              Paragraph("第二部分"),
              grid_table(header(("项目编码", "13030322P00397010017P"), ("项目名称", "x"))),
              grid_table([IND_HEAD, ["产出指标", "数量指标", "出车次数", "≥10次", "计划标准"]])]
    model = interpret_document(blocks).model
    assert [i.level3 for i in model.department.indicators] == ["走访群众"]
    assert [i.level3 for i in model.projects[0].indicators] == ["出车次数"]


def test_header_fields_without_a_place_are_kept_not_lost() -> None:
    table = grid_table(header(("项目名称", "x"), ("项目属性", "延续项目"),
                              ("项目资金（元）", "50000")))
    imported = interpret_document([table], year=2023)
    assert imported.model.projects[0].budget == Decimal(5)  # the label states 元
    assert "项目属性：延续项目" in imported.report.projects[0].notes
    assert imported.report.unrecognised == []
