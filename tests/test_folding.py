"""Folding repeated findings into one line, the 先改这三处 ranking and the summary's order."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from xl_addin.core.findings import Finding
from xl_addin.rules.folding import cell_list, fix_first, fold
from xl_addin.rules.report import Report, by_type


def yes_no(indicator: str, cell: str, *, sheet: str = "甲", value: str = "是/否",
           severity: str = "error", code: str = "V401", suggestion: str = "") -> Finding:
    return Finding("yes-no-value", code, severity,  # type: ignore[arg-type]
                   f"项目“{sheet}”指标“{indicator}”的指标值“{value}”只回答“是/否”。",
                   sheet, cell, project_name=sheet, indicator=indicator, suggestion=suggestion)


# (what differs, the second finding, folded with the first?)
CASES = [
    ("the row only", yes_no("足额率", "F12"), True),
    ("the value written", yes_no("足额率", "F12", value="是"), False),
    ("the sheet", yes_no("足额率", "F12", sheet="乙"), False),
    ("the severity", yes_no("足额率", "F12", severity="warning"), False),
    ("the rule", yes_no("足额率", "F12", code="V499"), False),
    ("the suggestion", yes_no("足额率", "F12", suggestion="＝100%"), False),
]


@pytest.mark.parametrize(("what", "second", "folded"), CASES, ids=[c[0] for c in CASES])
def test_findings_fold_when_only_the_row_differs(what, second, folded) -> None:
    groups = fold([yes_no("及时率", "F11"), second])
    assert len(groups) == (1 if folded else 2)
    if folded:
        assert groups[0].place == "甲!F11、F12"
        assert groups[0].message == "项目“甲”指标“及时率”、“足额率”的指标值“是/否”只回答“是/否”。"


def test_a_message_quoting_its_indicator_twice_folds_only_when_identical() -> None:
    def twice(indicator: str, cell: str) -> Finding:
        return Finding("duplicate-indicator", "V305", "warning",
                       f"三级指标“{indicator}”与上一行的“{indicator}”重复。", "甲", cell,
                       indicator=indicator)

    assert len(fold([twice("及时率", "C11"), twice("足额率", "C12")])) == 2
    [same] = fold([twice("及时率", "C11"), twice("及时率", "C12")])
    assert same.message == "三级指标“及时率”与上一行的“及时率”重复。"
    assert same.cells == ["C11", "C12"]


def test_empty_header_fields_fold_by_their_field_when_the_advice_is_the_same() -> None:
    """The four plan cells of an imported form without a plan: one thing to do."""
    def empty(field: str, cell: str, advice: str = "请填写截至该月底累计支出的百分比。") -> Finding:
        return Finding("missing-field", "V101", "error",
                       f"项目“甲”的“{field}”未填写。{advice}", "甲", cell, field=field)

    plan = [empty(m, c) for m, c in (("3月底", "B8"), ("6月底", "D8"), ("10月底", "E8"))]
    [group] = fold(plan)
    assert group.place == "甲!B8、D8、E8"
    assert group.message == ("项目“甲”的“3月底”、“6月底”、“10月底”未填写。"
                             "请填写截至该月底累计支出的百分比。")
    # another field with other advice stays apart
    assert len(fold([*plan, empty("资金用途", "C6", "请写明资金用途。")])) == 2


def test_findings_without_a_cell_fold_when_identical() -> None:
    sheet_level = Finding("missing-category", "V304", "error", "项目“甲”缺少成本指标。", "甲")
    [group] = fold([sheet_level, Finding(**sheet_level.to_dict())])
    assert group.place == "甲" and len(group.findings) == 2


def test_a_folded_message_names_three_rows_then_how_many() -> None:
    names = ["及时率", "足额率", "准确率", "覆盖率", "满意度"]
    [group] = fold([yes_no(n, f"F{11 + i}") for i, n in enumerate(names)])
    assert group.message.startswith(
        "项目“甲”指标“及时率”、“足额率”、“准确率”等 5 项的指标值“是/否”")
    assert group.place == "甲!F11:F15"


def test_groups_stand_where_their_first_finding_stood() -> None:
    findings = [yes_no("及时率", "F11"), yes_no("足额率", "F12", value="是"),
                yes_no("准确率", "F13")]
    assert [g.cells for g in fold(findings)] == [["F11", "F13"], ["F12"]]


@pytest.mark.parametrize(("cells", "shown"), [
    (["F11"], "F11"),
    (["F11", "F12"], "F11、F12"),  # two in a row: listed
    (["F11", "F12", "F13", "F15"], "F11:F13、F15"),  # three or more in a row: a range
    (["G12", "F14", "G11", "F11", "G13"], "F11、F14、G11:G13"),  # by column, then row
    (["F11", "F11"], "F11"),
    (["AA9", "AA10", "AA11"], "AA9:AA11"),
])
def test_cells_are_listed_as_a_clerk_writes_them(cells, shown) -> None:
    assert cell_list(cells) == shown


def test_fix_first_errors_then_more_cells_then_sheet_order() -> None:
    findings = [
        yes_no("a", "F11", sheet="甲", severity="warning"),  # a warning over four cells
        yes_no("b", "F12", sheet="甲", severity="warning"),
        yes_no("c", "F13", sheet="甲", severity="warning"),
        yes_no("d", "F14", sheet="甲", severity="warning"),
        yes_no("a", "F11", sheet="乙"),  # an error in one cell, on the second sheet
        yes_no("a", "F11", sheet="丙"),  # errors in two cells, on the third sheet
        yes_no("b", "F12", sheet="丙"),
        yes_no("a", "C11", sheet="甲", code="V402"),  # an error in one cell, first sheet
        yes_no("a", "G11", sheet="甲", severity="info", code="V501"),
    ]
    first = fix_first(fold(findings))
    # three kinds: the 是/否 error once (by its line with most cells), not on each sheet
    assert [(g.first.sheet, g.first.code, g.first.severity, len(g.findings))
            for g in first] == [("丙", "V401", "error", 2), ("甲", "V402", "error", 1),
                                ("甲", "V401", "warning", 4)]
    every = fix_first(fold(findings), n=9)  # fewer kinds than lines: the rest fill in
    assert [(g.first.sheet, g.first.code, g.first.severity) for g in every] == [
        ("丙", "V401", "error"), ("乙", "V401", "error"), ("甲", "V402", "error"),
        ("甲", "V401", "warning"), ("甲", "V501", "info")]


def test_fix_first_ranks_kinds_by_the_cells_they_cover_in_the_book() -> None:
    """The seed's case: 是/否 on many sheets, one sheet with the most of them; then
    other kinds of error — the three lines are three different corrections."""
    findings = [yes_no(n, f"F{11 + i}", sheet=sheet)
                for sheet, k in (("甲", 2), ("乙", 3), ("丙", 1))
                for i, n in enumerate("abc"[:k])]
    findings += [yes_no("a", "F11", sheet="丙", code="V407"),
                 yes_no("b", "F12", sheet="丁", code="V407"),
                 yes_no("a", "B3", sheet="甲", code="V103")]
    assert [(g.first.sheet, g.first.code, len(g.findings))
            for g in fix_first(fold(findings))] == [
        ("乙", "V401", 3), ("丙", "V407", 1), ("甲", "V103", 1)]


def test_the_summary_counts_by_severity_errors_first_and_types_by_count() -> None:
    findings = [
        yes_no("a", "G11", severity="info", code="V501"),
        Finding("vague-indicator", "V602", "warning", "笼统。", "甲", "C11"),
        Finding("yes-no-value", "V401", "error", "是/否 1", "甲", "F11"),
        Finding("code-format", "V102", "error", "编码 1", "甲", "B3"),
        Finding("yes-no-value", "V401", "error", "是/否 2", "乙", "F11"),
        Finding("vague-value", "V802", "warning", "笼统 1", "部门", "D9"),
        Finding("vague-value", "V403", "warning", "笼统 2", "甲", "F12"),
    ]
    assert by_type(findings) == [
        ("error", [("yes-no-value", 2, ["V401"]), ("code-format", 1, ["V102"])]),
        ("warning", [("vague-value", 2, ["V403", "V802"]), ("vague-indicator", 1, ["V602"])]),
        ("info", [("yes-no-value", 1, ["V501"])]),
    ]
    lines = [text for text, _, _ in Report(findings).overview()]
    assert lines[:4] == ["校验概要：共 7 条，归并为 7 行（错误 3，警告 3，提示 1）", "错误 3 条",
                         "指标值为是/否 2 条 · V401", "项目编码格式错误 1 条 · V102"]
    assert lines[lines.index("先改这三处：") + 1].startswith("1. 甲!F11 · 错误 · 指标值为是/否")


def test_the_terminal_shows_a_folded_line_once_and_the_records_stay_one_a_finding() -> None:
    findings = [yes_no(n, f"F{11 + i}") for i, n in enumerate(["及时率", "足额率", "准确率"])]
    out = Console(file=io.StringIO(), force_terminal=True, width=100, record=True)
    Report(findings).print(out)
    shown = out.export_text().splitlines()
    assert shown.count("甲!F11:F13 · 错误 · 指标值为是/否 · V401 · 3 处") == 1
    assert "先改这一处：" in shown
    assert len(Report(findings).records()) == 3  # a pipe keeps one line per finding
    assert [r.split("\t")[0] for r in Report(findings).records()] == ["甲!F11", "甲!F12", "甲!F13"]
