"""The release check: every ribbon button pressed on a copy of the seed, judged by what it
did to the workbook, and the add-in itself judged as Excel loaded it.

The add-in has never been run by this project's CI in desktop Excel, so a person with
Excel runs ``xl-addin release-check --excel`` before a release: it starts Excel through
COM, loads the built add-in, opens a copy of the seed workbook, and presses each button
the way the ribbon does — the VBA builds the command line (``CommandLine``, run through
``Application.Run``), and the Python end runs it on the workbook Excel holds — then
writes a pass/fail report.  The judging is engine-blind: ``run_buttons`` takes a driver
(press a button, take a snapshot of the workbook), so the same checks run here on
xlwings' remote engine (the tests) and there on desktop Excel.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from xl_addin.core.book import Book
from xl_addin.forms.book import read_model
from xl_addin.forms.names import CHOICE_SHEET, SUMMARY_SHEET

RESULTS_SHEET = "校验结果"
NEW_PROJECT = "发布检查新项目"


@dataclass(frozen=True)
class Snapshot:
    """What the checks look at: the sheets, and per project sheet its indicator rows."""

    sheets: tuple[str, ...]
    rows: dict[str, int]
    summary_rows: int  # project rows on the 汇总 tab (0 without one)

    @classmethod
    def of(cls, book: Book) -> Snapshot:
        model = read_model(book).model
        rows = {p.sheet: sum(not i.is_blank() for i in p.indicators) for p in model.projects}
        summary = 0
        if SUMMARY_SHEET in book.sheet_names():
            values = book.read(SUMMARY_SHEET).values
            summary = sum(1 for row in values if row and isinstance(row[0], int | float)
                          and not isinstance(row[0], bool))
        return cls(tuple(book.sheet_names()), rows, summary)


class Driver(Protocol):
    """A workbook in an Excel (desktop or a stand-in) with the add-in loaded."""

    def press(self, control_id: str, **inputs: Any) -> str | None:
        """Press a button; returns the message the add-in showed (None when the driver
        cannot see it: the person running the check reads it on the screen)."""

    def snapshot(self) -> Snapshot: ...


@dataclass(frozen=True)
class Outcome:
    check: str  # what was checked, in Chinese
    ok: bool
    detail: str = ""


#: before, after, the message shown (None: not seen by the driver) -> problem or ""
Judge = Callable[[Snapshot, Snapshot, str | None], str]
UNSEEN = "（提示信息由检查人在屏幕上确认）"


def _added_project(before: Snapshot, after: Snapshot, message: str | None) -> str:
    new = set(after.sheets) - set(before.sheets)
    return "" if NEW_PROJECT in new else f"没有新增工作表“{NEW_PROJECT}”（新增：{sorted(new)}）"


def _filled(before: Snapshot, after: Snapshot, message: str | None) -> str:
    grown = [s for s, n in after.rows.items() if n > before.rows.get(s, 0)]
    return "" if grown else "没有一个项目表增加了指标行"


def _validated(before: Snapshot, after: Snapshot, message: str | None) -> str:
    if RESULTS_SHEET not in after.sheets:
        return f"没有“{RESULTS_SHEET}”表"
    if message is None or "校验完成" in message:
        return ""
    return f"提示信息不是校验结果：{message[:60]}"


def _cleared(before: Snapshot, after: Snapshot, message: str | None) -> str:
    if RESULTS_SHEET not in before.sheets:
        return f"按下前没有“{RESULTS_SHEET}”表（“校验全部”没有留下校验结果），无从检查"
    return "" if RESULTS_SHEET not in after.sheets else f"“{RESULTS_SHEET}”表仍在"


def _consolidated(before: Snapshot, after: Snapshot, message: str | None) -> str:
    if after.summary_rows != len(after.rows):
        return f"“汇总”表有 {after.summary_rows} 行项目，工作簿有 {len(after.rows)} 个项目表"
    return ""


def _dropped(before: Snapshot, after: Snapshot, message: str | None) -> str:
    if NEW_PROJECT not in before.sheets:
        return f"按下前没有“{NEW_PROJECT}”表（“新增项目”没有新增），无从检查"
    if NEW_PROJECT in after.sheets:
        return f"“{NEW_PROJECT}”表仍在"
    return _consolidated(before, after, message)


def _no_list(before: Snapshot, after: Snapshot, message: str | None) -> str:
    """删除未续建 on a book 复制上年 did not make: it says why and removes nothing."""
    if list(after.sheets) != list(before.sheets):
        return "工作表被改动（没有“续建项目”表时不应删除任何项目）"
    if message is None:
        return ""  # the person reads the message box (UNSEEN)
    if CHOICE_SHEET in message:
        return ""
    return f"提示信息没有说明缺少“{CHOICE_SHEET}”表：{message[:60]}"


def _answered(before: Snapshot, after: Snapshot, message: str | None) -> str:
    if message is None:
        return ""  # the outcome says the person confirms it (UNSEEN)
    return "" if message.strip() else "没有显示任何信息"


#: (button id, what it must do, its judge, the inputs a dialog would ask for), in the
#: order a clerk uses them; submission and 复制上年 are left out (they write files next
#: to the book); 删除项目 removes the project 新增项目 added; 删除未续建, on a book
#: 复制上年 did not make, must say that it has no 续建项目 and remove nothing
BUTTONS: tuple[tuple[str, str, Judge, dict[str, Any]], ...] = (
    ("add_project", "新增项目：新增一张项目表", _added_project, {"project_name": NEW_PROJECT}),
    ("fill_defaults", "填充默认指标：项目表增加指标行", _filled, {}),
    ("validate_sheet", "校验当前表：有校验结果", _validated, {}),
    ("validate_all", "校验全部：有校验结果", _validated, {}),
    ("clear_marks", "清除标记：校验结果表移除", _cleared, {}),
    ("consolidate", "汇总：每个项目表一行", _consolidated, {}),
    ("drop_project", "删除项目：项目表及其汇总行移除", _dropped, {"project_name": NEW_PROJECT}),
    ("drop_unticked", "删除未续建：没有续建项目表时说明原因，不删除", _no_list, {"reason": "删除"}),
    ("help", "使用说明：显示说明", _answered, {}),
    ("about", "关于：显示版本", _answered, {}),
)


def run_buttons(driver: Driver) -> list[Outcome]:
    """Press every button in turn and judge each by its effect; a button that raises is a
    failed check, and the rest still run."""
    outcomes = []
    for control_id, what, judge, inputs in BUTTONS:
        before = driver.snapshot()
        message: str | None = ""
        try:
            message = driver.press(control_id, **inputs)
            problem = judge(before, driver.snapshot(), message)
        except Exception as exc:  # the check reports it; the next button still runs
            problem = f"{type(exc).__name__}: {exc}"
        outcomes.append(Outcome(what, not problem, problem or (UNSEEN if message is None
                                                                     else "")))
    return outcomes


def write_report(outcomes: list[Outcome], path: Path) -> Path:
    """The report a release is judged by: Markdown for a person, JSON beside it."""
    passed = sum(o.ok for o in outcomes)
    lines = ["# 加载项发布检查", "", f"通过 {passed} / {len(outcomes)} 项。", "",
             "| 检查 | 结果 | 说明 |", "|---|---|---|"]
    lines += [f"| {o.check} | {'通过' if o.ok else '未通过'} | {o.detail} |" for o in outcomes]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.with_suffix(".json").write_text(
        json.dumps([asdict(o) for o in outcomes], ensure_ascii=False, indent=2), encoding="utf-8")
    return path


class DesktopExcel:  # pragma: no cover - needs Windows and desktop Excel
    """Desktop Excel through COM: the add-in loaded, a copy of the seed workbook open.

    ``addin_checks`` judges what only Excel can tell: the add-in opened as an add-in,
    its VBA project compiles and has no MISSING reference (both need 信任中心 → 信任对
    VBA 工程对象模型的访问), the launcher's command line is built by the VBA itself, and
    nothing asks to be saved."""

    def __init__(self, addin: Path, workbook: Path, *, via_vba: bool = False) -> None:
        import xlwings as xw

        self.via_vba = via_vba
        self.app = xw.App(visible=True, add_book=False)
        self.app.display_alerts = False
        self.addin = self.app.api.Workbooks.Open(str(addin.resolve()))
        self.book = self.app.books.open(str(workbook.resolve()))

    def addin_checks(self) -> list[Outcome]:
        out = [Outcome("加载项作为加载项打开", bool(self.addin.IsAddin))]
        try:
            broken = [r.Name for r in self.addin.VBProject.References if r.IsBroken]
            out.append(Outcome("VBA 引用无 MISSING", not broken, "、".join(broken)))
            compile_button = self.app.api.VBE.CommandBars.FindControl(Type=1, Id=578)
            if compile_button is not None and compile_button.Enabled:
                compile_button.Execute()
            out.append(Outcome("VBA 工程可以编译", True))
        except Exception as exc:
            out.append(Outcome("VBA 工程可以检查", False,
                               f"{exc}（请在信任中心勾选“信任对 VBA 工程对象模型的访问”）"))
        line = self.app.api.Run(f"'{self.addin.Name}'!CommandLine", "python", "about",
                                self.book.name, "0")
        out.append(Outcome("VBA 生成的命令行调用 xl_addin.addin.ribbon",
                           "xl_addin.addin.ribbon" in line, line))
        out.append(Outcome("加载项没有未保存的改动", bool(self.addin.Saved)))
        return out

    def press(self, control_id: str, **inputs: Any) -> str | None:
        """In process through the ribbon's dispatcher (messages recorded), or with
        ``via_vba`` the way a click goes: ``RunButton`` in the add-in starts Python and
        waits, and the person running the check answers each message box."""
        from xl_addin.addin import ribbon

        if self.via_vba:
            self.book.activate()
            self.app.api.Run(f"'{self.addin.Name}'!RunButton", control_id)
            return None
        return ribbon.dispatch(control_id, self.book, ui=ribbon.RecordingUi(), **inputs) or ""

    def snapshot(self) -> Snapshot:
        from xl_addin.engines.live import LiveBook

        return Snapshot.of(LiveBook(self.book))

    def close(self) -> None:
        self.book.close()
        self.app.quit()
