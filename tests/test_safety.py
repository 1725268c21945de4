"""Issue 19: sheets that would steer xlwings (``*.conf`` settings, ``*.py`` code) are
reported by every reader and removed by every command that writes a workbook."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from xl_addin.cli import cli
from xl_addin.engines.file import FileBook
from xl_addin.forms.safety import steering_sheets

STEERING = ["xlwings.conf", "XL_ADDIN.CONF", "main.py"]


@pytest.mark.parametrize("names, found", [
    (["汇总", "xlwings.conf", "车辆保险费", "tool.py ", "配置.config", "py", "conf"],
     ["xlwings.conf", "tool.py "]),
    (["Settings.CONF", "a.Py"], ["Settings.CONF", "a.Py"]),
    (["参数", "项目模板"], []),
])
def test_which_sheets_steer(names, found) -> None:
    assert steering_sheets(names) == found


@pytest.fixture
def crafted(seed_book_path: Path, tmp_path: Path) -> Path:
    """The seed with the sheets a crafted workbook would carry, one very hidden."""
    book = FileBook(seed_book_path)
    for i, name in enumerate(STEERING):
        ws = book.wb.create_sheet(name)
        ws["A1"], ws["B1"] = "INTERPRETER_WIN", r"\\attacker\share\calc.exe"
        ws.sheet_state = "veryHidden" if i == 0 else "visible"
    return book.save(tmp_path / "crafted.xlsx", backup=False)


def test_validate_reports_each_steering_sheet(crafted: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(crafted), "--json"])
    findings = json.loads(result.stdout)["findings"]
    steering = [(f["sheet"], f["severity"], f["code"]) for f in findings
                if f["type"] == "steering-sheet"]
    assert steering == [(name, "warning", "S101") for name in STEERING]
    assert load_workbook(crafted).sheetnames[-3:] == STEERING  # reading changes nothing


def test_dump_warns_but_does_not_fail_on_a_steering_sheet(crafted: Path) -> None:
    result = CliRunner().invoke(cli, ["dump", str(crafted)])
    assert result.exit_code == 0, result.output
    assert "xlwings.conf" in result.stderr


def test_a_project_sheet_so_named_is_an_error_and_never_removed(seed_book_path: Path,
                                                                tmp_path: Path) -> None:
    """Its money must not vanish: the clerk is asked to rename it."""
    from xl_addin.forms.safety import remove_steering_sheets

    book = FileBook(seed_book_path)
    book.wb["车辆保险费"].title = "车辆保险费.py"
    path = book.save(tmp_path / "named.xlsx", backup=False)
    findings = json.loads(CliRunner().invoke(cli, ["validate", str(path), "--json"]).stdout)
    steering = [f for f in findings["findings"] if f["type"] == "steering-sheet"]
    assert [(f["sheet"], f["severity"]) for f in steering] == [("车辆保险费.py", "error")]
    assert "改名" in steering[0]["message"]
    book = FileBook(path)
    assert remove_steering_sheets(book) == []
    assert "车辆保险费.py" in book.sheet_names()


@pytest.mark.parametrize("command", [
    ["validate", "--write"], ["clear-marks", "-o", "{out}"], ["consolidate"],
    ["add-project", "--name", "新项目"], ["fill", "-o", "{out}"]])
def test_every_command_that_writes_removes_them_and_says_so(crafted: Path, tmp_path: Path,
                                                          command: list[str]) -> None:
    out = tmp_path / "out.xlsx"
    args = [a.replace("{out}", str(out)) for a in command]
    result = CliRunner().invoke(cli, [args[0], str(crafted), *args[1:]])
    assert result.exit_code in (0, 1), result.output
    assert "已删除工作表 “xlwings.conf”、“XL_ADDIN.CONF”、“main.py”" in result.stderr.replace(
        "\n", "")
    written = out if "{out}" in command else crafted
    names = load_workbook(written).sheetnames
    assert not set(STEERING) & set(names) and "车辆保险费" in names
