"""The 标记为已说明 button on xlwings' remote engine: from a selected cell and from a
selected 校验结果 row, it leaves the workbook as the same handler on the file engine;
an error, a cell without findings, a missing reason and a row that is not a finding (a
blank one, one of the 校验概要 block above the list) change nothing.  On the seed's
车辆保险费, C15 (提高工作效率) holds one warning, V602, and F13 one, V405."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.remote_excel import Applier, actions, cached_payload, remote_book, state
from xl_addin.actions import workbook as xl_actions
from xl_addin.actions.marks import (
    ACCEPTED_HEADING,
    FILLS,
    RESULTS_HEADER,
    RESULTS_SHEET,
    mark_patch,
)
from xl_addin.addin import ribbon
from xl_addin.core.findings import TYPE_TITLES
from xl_addin.engines.file import FileBook
from xl_addin.forms import acceptances as acc

SHEET = "车辆保险费"
REASON = "经财政局同意，保留该指标"
CLIENTS = ["VBA", "Office.js"]


class FileUi:
    can_ask = False

    def ask(self, prompt: str, title: str) -> str | None:
        raise AssertionError("the file engine never asks")

    def status(self, text: str | bool) -> None:
        pass

    def alert(self, message: str, *, error: bool = False) -> None:
        pass


@pytest.fixture(scope="module")
def marked(seed_book_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("accept") / "marked.xlsx"
    shutil.copy2(seed_book_path, out)
    book = FileBook(out)
    report = xl_actions.validate_book(book)
    book.apply(mark_patch(book, report.findings, TYPE_TITLES))
    book.save(backup=False)
    return out


def press_live(start: Path, client: str, sheet: str, **inputs: Any) -> tuple[str, Applier]:
    book = remote_book(cached_payload(start, client, sheet, constant_names=True))
    message = ribbon.dispatch("accept_finding", book, **inputs)
    return message, Applier(start).play(actions(book))


def press_file(start: Path, sheet: str, **inputs: Any) -> FileBook:
    book = FileBook(start)  # in memory only
    ribbon.accept_finding(ribbon.Press(book, FileUi(), sheet, **inputs))
    return book


def _without_times(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The state with the acceptances' times blanked (the one value that may differ)."""
    values = snapshot.get(acc.SHEET, {}).get("values", {})
    for key in [k for k in values if k.startswith("G") and k != "G1"]:
        values[key] = "…"
    return snapshot


def _header_row(path: Path) -> int:
    """The row of the list's header on 校验结果 (under the 校验概要 block)."""
    ws = FileBook(path).wb[RESULTS_SHEET]
    width = len(RESULTS_HEADER)
    return next(r for r in range(1, ws.max_row + 1)
                if [ws.cell(r, c).value for c in range(1, width + 1)] == RESULTS_HEADER)


def _results_row(path: Path, cell: str) -> int:
    """The 校验结果 row listing the finding on 车辆保险费!cell, found in the list."""
    ws = FileBook(path).wb[RESULTS_SHEET]
    return next(r for r in range(_header_row(path) + 1, ws.max_row + 1)
                if (ws.cell(r, 2).value, ws.cell(r, 3).value) == (SHEET, cell))


@pytest.mark.parametrize("client", CLIENTS)
def test_from_the_selected_cell(seed_book_path: Path, client: str) -> None:
    message, live = press_live(seed_book_path, client, SHEET, cell="C15", reason=REASON)
    assert live.alerts == [message] and "已把 车辆保险费!C15 上的 V602 标记为已说明" in message
    with_notes = client == "Office.js"
    want = state(press_file(seed_book_path, SHEET, cell="C15", reason=REASON).wb, with_notes)
    assert _without_times(state(live.wb, with_notes)) == _without_times(want)
    stored = acc.read(live.book)
    assert [(a.code, a.sheet, a.cell, a.reason) for a in stored] == [
        ("V602", SHEET, "C15", REASON)]
    assert live.wb[acc.SHEET].sheet_state != "visible"  # hidden (xlwings: not very hidden)


@pytest.mark.parametrize("client", CLIENTS)
def test_from_a_results_row_the_mark_goes(marked: Path, client: str) -> None:
    row = _results_row(marked, "F13")  # V405, a warning: the cell is yellow
    assert row > _header_row(marked) > 1  # the 校验概要 block stands above the list
    assert FileBook(marked).wb[SHEET]["F13"].fill.fgColor.rgb.endswith(FILLS["warning"])
    message, live = press_live(marked, client, RESULTS_SHEET, cell=f"B{row}", reason=REASON)
    assert "车辆保险费!F13 上的 V405 标记为已说明" in message
    ws = live.wb[SHEET]
    assert ws["F13"].fill.fill_type is None
    assert ws["F11"].fill.fgColor.rgb.endswith(FILLS["error"])  # others keep their marks
    results = [[c.value for c in r] for r in live.wb[RESULTS_SHEET].iter_rows()]
    heading = [r[0] for r in results].index(ACCEPTED_HEADING)
    shown = [(r[1], re.sub(r'^=HYPERLINK\(".*","(.*)"\)$', r"\1", r[2]))
             for r in results[heading + 1:]]  # the live engine links by formula
    assert shown == [(SHEET, "F13")]
    with_notes = client == "Office.js"
    want = state(press_file(marked, RESULTS_SHEET, cell=f"B{row}", reason=REASON).wb, with_notes)
    assert _without_times(state(live.wb, with_notes)) == _without_times(want)


def _nothing_changed(book: Any) -> None:
    assert [a["func"] for a in actions(book)] == ["alert"]


@pytest.mark.parametrize(("cell", "inputs", "said"), [
    ("F11", {"reason": REASON}, "错误不能标记为已说明"),  # V402 only: an error
    (None, {"reason": REASON}, "没有校验发现的问题"),  # the selection the client sent: A1
    ("C15", {}, "请随请求提供说明理由"),  # the remote engine cannot ask
])
def test_what_is_refused_changes_nothing(seed_book_path: Path, cell, inputs, said) -> None:
    book = remote_book(cached_payload(seed_book_path, "Office.js", SHEET, constant_names=True))
    message = ribbon.dispatch("accept_finding", book, cell=cell, **inputs)
    assert said in message
    _nothing_changed(book)


def test_a_blank_results_row_is_refused(marked: Path) -> None:
    book = remote_book(cached_payload(marked, "Office.js", RESULTS_SHEET, constant_names=True))
    message = ribbon.dispatch("accept_finding", book, cell="A1", reason=REASON)
    assert "不是一条问题" in message
    _nothing_changed(book)


def test_a_row_of_the_overview_is_refused(marked: Path) -> None:
    """A 校验概要 row has text in 工作表 and 单元格's columns (a type, a count): it is
    not a finding, however it reads."""
    header = _header_row(marked)
    ws = FileBook(marked).wb[RESULTS_SHEET]
    row = next(r for r in range(1, header) if ws.cell(r, 2).value and ws.cell(r, 3).value
               and ws.cell(r, 5).value == SHEET)
    book = remote_book(cached_payload(marked, "Office.js", RESULTS_SHEET, constant_names=True))
    message = ribbon.dispatch("accept_finding", book, cell=f"B{row}", reason=REASON)
    assert "不是一条问题" in message and f"第 {row} 行" in message
    _nothing_changed(book)
