"""指标值确定依据 rules: allowed standards, mapping free text onto them."""

from __future__ import annotations

import pytest
from test_rules_support import change_row, changed, report_of

CASES = [
    # (row, basis, expected [code, severity, suggestion])
    (0, "年度工作计划", [["V501", "info", "计划标准"]]),
    (0, "冀财资[2017]674号", [["V501", "info", "其他标准"]]),
    (0, "冀财预〔2021〕12 号", [["V501", "info", "其他标准"]]),
    (0, "GB 3095-2012", [["V501", "info", "行业标准"]]),
    (0, "上年完成情况", [["V501", "info", "历史标准"]]),
    (0, "领导要求", [["V502", "warning", ""]]),
    (0, "预算支出标准", [["V503", "warning", ""]]),
    (0, "计划标准（年度工作计划）", []),
    (0, " 历史标准 ", []),
    (3, "预算支出标准", []),
]


@pytest.mark.parametrize(("row", "basis", "expected"), CASES,
                         ids=[f"{row}-{basis}" for row, basis, _ in CASES])
def test_basis_rule(row: int, basis: str, expected: list[list[str]]) -> None:
    report = report_of(changed(change_row(row, basis=basis)))
    assert report.flatten(["code", "severity", "suggestion"]) == expected
    assert all(f.cell == f"G{11 + row}" and f.type == "basis-invalid" for f in report.findings)


def test_a_document_number_is_kept_as_a_note() -> None:
    [finding] = report_of(changed(change_row(0, basis="冀财资[2017]674号"))).findings
    assert "请改为“其他标准”。文件文号可写入绩效指标描述。" in finding.message
