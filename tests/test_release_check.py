"""The release check's Python part on xlwings' remote engine: every button pressed in turn
on a copy of the seed, each judged by its effect; a driver whose buttons do nothing fails
every check; the report; the command refuses politely where there is no Excel."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from tests.remote_excel import Applier, actions, payload, remote_book
from xl_addin.addin import ribbon
from xl_addin.addin.release_check import BUTTONS, Outcome, Snapshot, run_buttons, write_report
from xl_addin.cli import cli
from xl_addin.engines.file import FileBook

SHEET = "车辆保险费"


class RemoteExcel:
    """A workbook in xlwings' remote engine: each press sends the workbook as the VBA
    client does, runs the ribbon's dispatcher and plays the returned actions, as Excel
    would, onto the next copy (a new file a step: recalculation is cached per path)."""

    def __init__(self, start: Path, folder: Path) -> None:
        self.path, self.folder, self.steps = start, folder, 0

    def press(self, control_id: str, **inputs: Any) -> str:
        book = remote_book(payload(self.path, "VBA", SHEET, constant_names=True))
        message = ribbon.dispatch(control_id, book, ui=ribbon.RecordingUi(), **inputs)
        applied = Applier(self.path).play(actions(book))
        self.steps += 1
        self.path = applied.book.save(self.folder / f"step{self.steps}.xlsx", backup=False)
        return message or ""

    def snapshot(self) -> Snapshot:
        return Snapshot.of(FileBook(self.path))


class DeadExcel(RemoteExcel):
    """An add-in whose buttons do nothing at all."""

    def press(self, control_id: str, **inputs: Any) -> str:
        return ""


def test_every_button_passes_on_the_remote_engine(seed_book_path: Path, tmp_path: Path) -> None:
    start = tmp_path / "seed.xlsx"
    shutil.copy2(seed_book_path, start)
    outcomes = run_buttons(RemoteExcel(start, tmp_path))
    assert [(o.check, o.ok, o.detail) for o in outcomes] == [
        (what, True, "") for _, what, _, _ in BUTTONS]
    assert start.read_bytes() == seed_book_path.read_bytes()  # the copy's copies were changed


def test_buttons_that_do_nothing_fail_every_check(seed_book_path: Path, tmp_path: Path) -> None:
    outcomes = run_buttons(DeadExcel(seed_book_path, tmp_path))
    failed = {o.check: o.detail for o in outcomes if not o.ok}
    consolidate = next(what for cid, what, _, _ in BUTTONS if cid == "consolidate")
    # the seed as imported was never consolidated: 0 rows against 12 project sheets
    assert set(failed) == {what for _, what, _, _ in BUTTONS}
    assert failed[consolidate] == "“汇总”表有 0 行项目，工作簿有 12 个项目表"


def test_the_report(tmp_path: Path) -> None:
    report = write_report([Outcome("汇总：每个项目表一行", True),
                           Outcome("VBA 引用无 MISSING", False, "Microsoft Scripting Runtime")],
                          tmp_path / "release-check.md")
    text = report.read_text(encoding="utf-8")
    assert "通过 1 / 2 项" in text and "| VBA 引用无 MISSING | 未通过 | Microsoft Scripting" in text
    assert json.loads(report.with_suffix(".json").read_text(encoding="utf-8"))[1]["ok"] is False


def test_the_command_needs_windows(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["release-check", "--excel", "-o", str(tmp_path / "r.md")])
    assert result.exit_code == 2
    assert "需要装有桌面版 Excel 的 Windows" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "r.md").exists()


class UnseenExcel(RemoteExcel):
    """A driver that cannot see the messages (presses through the add-in's VBA)."""

    def press(self, control_id: str, **inputs: Any) -> str | None:
        super().press(control_id, **inputs)
        return None


def test_unseen_messages_are_left_to_the_person(seed_book_path: Path, tmp_path: Path) -> None:
    start = tmp_path / "seed.xlsx"
    shutil.copy2(seed_book_path, start)
    outcomes = run_buttons(UnseenExcel(start, tmp_path))
    assert all(o.ok for o in outcomes)
    assert {o.detail for o in outcomes} == {"（提示信息由检查人在屏幕上确认）"}
