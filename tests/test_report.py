"""The report: validity, counts, one-line assertions, JSON form, its printed forms."""

from __future__ import annotations

import json

import pytest
from rich.console import Console

from xl_addin.core.findings import Finding
from xl_addin.rules.report import Report

WARNING = Finding("vague-value", "V403", "warning", "指标值“进一步保障”是笼统表述。",
                  sheet="项目甲", cell="F15", indicator="保障工作完成", field="指标值")
ERROR = Finding("yes-no-value", "V401", "error", "指标值“是/否”没有写明目标。",
                sheet="项目甲", cell="F14", indicator="长期使用性", field="指标值")
INFO = Finding("basis-invalid", "V501", "info", "确定依据“冀财资[2017]674号”不是规定的标准名称。",
               sheet="项目乙", cell="G11", indicator="及时率", field="指标值确定依据",
               suggestion="其他标准")


def test_valid_means_no_error() -> None:
    assert Report([]).valid
    assert Report([WARNING, INFO]).valid
    assert not Report([WARNING, ERROR]).valid


def test_stats_count_by_severity_and_type() -> None:
    assert Report([WARNING, ERROR, INFO, ERROR]).stats == {
        "total": 4,
        "by_severity": {"error": 2, "warning": 1, "info": 1},
        "by_type": {"basis-invalid": 1, "vague-value": 1, "yes-no-value": 2},
    }


def test_flatten_for_one_line_assertions() -> None:
    report = Report([ERROR, INFO])
    assert report.flatten(["code", "cell", "suggestion"]) == [
        ["V401", "F14", ""], ["V501", "G11", "其他标准"],
    ]
    with pytest.raises(ValueError, match="colour"):
        report.flatten(["colour"])


def test_to_dict_is_json_ready() -> None:
    data = Report([INFO]).to_dict()
    assert data["valid"] is True
    assert data["findings"] == [INFO.to_dict()]
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_print_in_a_terminal() -> None:
    console = Console(record=True, width=200, force_terminal=True)
    Report([ERROR, INFO]).print(console)
    text = console.export_text()
    assert "项目甲!F14 · 错误 · 指标值为是/否 · V401" in text  # the type as users read it
    assert "冀财资[2017]674号" in text  # brackets are text, not markup
    assert "建议：其他标准" in text
    assert Report([ERROR, INFO]).summary() == "共 2 条：错误 1，警告 0，提示 1。"


def test_a_suggestion_the_message_quotes_is_not_repeated() -> None:
    quoted = Finding("nonstandard-value", "V405", "warning", "建议写作“≥95%”。", suggestion="≥95%")
    console = Console(record=True, width=120, force_terminal=True)
    Report([quoted]).print(console)
    assert "建议：" not in console.export_text()
    assert Report([quoted]).records()[0].endswith("\t")


def test_empty_report() -> None:
    assert Report([]).summary() == "未发现问题。"
    assert Report([]).records() == []
