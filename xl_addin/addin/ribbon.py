"""The 绩效目标 ribbon tab: one dispatcher for every button.

Each button of ``vba_bridge/customUI14.xml`` calls the VBA callback ``OnAction``, whose
launcher (``vba_bridge/Launcher.bas``) runs ``xl_addin.addin.ribbon.dispatch('<control id>')``
in a new Python with the calling workbook's name (``addin.launcher``).
``dispatch`` wraps the calling workbook in the live engine and hands it to the button's
handler; handlers take a ``Book`` and call the same actions as the command line, so
they are tested on xlwings' remote engine and would run on any engine.

Whatever happens, the user gets one Chinese message box and never a traceback: an
unknown button, a workbook not made from our template, a mistake (``UserError``) or a
bug.  Changes are written only after the handler has finished (``LiveBook.commit``),
so a failing button leaves the workbook as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from xl_addin import __version__
from xl_addin.actions import accepting, next_year
from xl_addin.actions import workbook as actions
from xl_addin.actions.consolidate import consolidate_book
from xl_addin.actions.fill import fill_book
from xl_addin.actions.marks import RESULTS_SHEET, clear_patch, mark_patch
from xl_addin.actions.submit import submit as submit_files
from xl_addin.addin.launcher import caller_book
from xl_addin.core.book import Book
from xl_addin.core.errors import UserError
from xl_addin.core.grid import a1, parse_a1
from xl_addin.core.model import Project
from xl_addin.engines.live import LiveBook
from xl_addin.engines.live_desktop import ask_text
from xl_addin.forms.book import is_ours, project_sheet_names, read_model, read_settings
from xl_addin.forms.department_sheet import SHEET as DEPARTMENT_SHEET
from xl_addin.forms.safety import remove_steering_sheets, removed_message
from xl_addin.rules.profiles import load as load_profile

TITLE = "绩效目标"
LOG_FILE = Path(tempfile.gettempdir()) / "xl-addin-ribbon.log"
NOT_OURS = ("这个工作簿不是由本工具的模板生成的（缺少模板标记），加载项不会改动它。"
            "请用 xl-addin new 新建工作簿，或在命令行中用 xl-addin import 导入。")


class Ui(Protocol):
    """What a handler may ask of the user interface."""

    @property
    def can_ask(self) -> bool: ...

    def ask(self, prompt: str, title: str) -> str | None: ...

    def status(self, text: str | bool) -> None: ...

    def alert(self, message: str, *, error: bool = False) -> None: ...


class XlwingsUi:
    """Message boxes, the status bar and the input box of the calling Excel."""

    def __init__(self, book: Any) -> None:
        self.app = book.app
        self.desktop = book.app.engine.type == "desktop"

    @property
    def can_ask(self) -> bool:
        return self.desktop  # the remote engine cannot wait for an answer

    def ask(self, prompt: str, title: str) -> str | None:
        return ask_text(self.app, prompt, title)

    def status(self, text: str | bool) -> None:
        if self.desktop:
            self.app.status_bar = text

    def alert(self, message: str, *, error: bool = False) -> None:
        self.app.alert(message, title=TITLE, buttons="ok", mode="critical" if error else "info")


class RecordingUi:
    """A user interface that asks nothing and keeps what it was told: for the release
    check, which presses every button in a row and must not stop at a message box."""

    can_ask = False

    def __init__(self) -> None:
        self.alerts: list[str] = []

    def ask(self, prompt: str, title: str) -> str | None:
        return None

    def status(self, text: str | bool) -> None:
        pass

    def alert(self, message: str, *, error: bool = False) -> None:
        self.alerts.append(message)


@dataclass
class Press:
    """One button press: the workbook, the user interface, where the user is, and the
    inputs a remote caller passes instead of answering a dialog."""

    book: Book
    ui: Ui
    sheet: str
    path: Path | None = None  # the saved file (desktop), else None
    save: Callable[[], None] | None = None  # saves the workbook (desktop), else None
    project_name: str | None = None
    outdir: Path | None = None
    cell: str | None = None  # the selected cell (its top-left one), e.g. 'F11'
    reason: str | None = None  # 标记为已说明's reason, when not asked for


@dataclass(frozen=True)
class Button:
    run: Callable[[Press], str | None]  # returns the message to show (None: nothing)
    needs_ours: bool = True


# ----------------------------------------------------------------------- handlers

def _answer(press: Press, given: str | None, what: str, prompt: str, title: str,
            ) -> str | None:
    """What the user types into the input box — or ``given``, which a remote caller
    passes instead (there is no box to show there); None when the user cancels."""
    if given is not None:
        return given
    if not press.ui.can_ask:
        raise UserError(f"无法在此处弹出输入框：请随请求提供{what}。")
    return press.ui.ask(prompt, title)


def add_project(press: Press) -> str | None:
    contents = read_model(press.book)
    name = _answer(press, press.project_name, "项目名称（project_name）", "请输入新项目的名称：",
                   "新增项目")
    if name is None:
        return None  # cancelled
    name = name.strip()
    if not name:
        raise UserError("项目名称不能为空。")
    if any(p.name == name for p in contents.model.projects):
        raise UserError(f"工作簿中已有名为“{name}”的项目，请换一个名称。")
    sheet = actions.add_project(press.book, Project(name=name,
                                                    unit_line=contents.model.settings.unit))
    return f"已新增项目表“{sheet}”。请填写项目编码、项目类别、预算数等内容。"


def fill_defaults(press: Press) -> str:
    press.ui.status("正在填充默认指标…")
    frame = read_settings(press.book).frame or "2015"
    results = fill_book(press.book, load_profile(frame))
    lines = [f"{r.sheet}：新增 {len(r.added)} 行" for r in results if r.added]
    lines += [f"未填充：{r.error}" for r in results if r.error]
    if not lines:
        return "各项目表的默认指标已齐全，无需补充。"
    return ("已补充默认指标：\n" + "\n".join(lines)
            + "\n\n请把蓝色单元格中的 N / X 换成本单位的数字。")


def _validate(press: Press, sheet: str | None) -> str:
    from xl_addin.core.findings import TYPE_TITLES

    press.ui.status("正在校验…")
    report = actions.validate_book(press.book, None, sheet)
    press.book.apply(mark_patch(press.book, report.findings, TYPE_TITLES, scope=sheet,
                                accepted=report.accepted))
    counts = report.stats["by_severity"]
    where = f"“{sheet}”" if sheet else "全部项目表"
    if not report.findings:
        return f"{where}校验通过，未发现问题。"
    return (f"{where}校验完成：错误 {counts['error']} 条，警告 {counts['warning']} 条，"
            f"提示 {counts['info']} 条。\n红色为错误、黄色为警告，鼠标移到单元格上可看批注；"
            "“校验结果”表列出全部问题。")


def validate_sheet(press: Press) -> str:
    """The current project sheet, or the department sheet (its indicator rows)."""
    if press.sheet != DEPARTMENT_SHEET and press.sheet not in project_sheet_names(press.book):
        raise UserError(f"当前工作表“{press.sheet}”不是项目表，也不是“{DEPARTMENT_SHEET}”表。"
                        "请先切换到要校验的工作表，或点“校验全部”。")
    return _validate(press, press.sheet)


def validate_all(press: Press) -> str:
    return _validate(press, None)


def clear_marks(press: Press) -> str:
    patch = clear_patch(press.book)
    if not patch:
        return "没有需要清除的校验标记。"
    press.book.apply(patch)
    return "已清除全部校验标记，单元格原有的底纹和批注已恢复。"


def consolidate(press: Press) -> str:
    press.ui.status("正在汇总…")
    result = consolidate_book(press.book)
    total = result.totals.get("预算数")
    money = f"，预算数合计 {total} 万元" if total is not None else ""
    return f"汇总完成：{len(result.frame)} 个项目{money}。请查看“汇总”表。"


def submit(press: Press) -> str:
    """Submission works on the saved file (LibreOffice renders the PDF from it), so the
    workbook is saved first; its summary must be current, as on the command line."""
    if press.save is None or press.path is None:
        raise UserError("一键提交需要在桌面版 Excel 中、对已保存到本机的工作簿使用。"
                        "请先保存工作簿；或在命令行运行 xl-addin submit。")
    press.save()
    outdir = press.outdir or press.path.parent / "报送"
    press.ui.status("正在生成报送文件（校验、汇总、PDF、Word）…")
    result = submit_files(press.path, outdir, force=False, progress=press.ui.status)
    return "报送文件已生成：\n" + "\n".join(str(p) for p in result.outputs.all())


def accept_finding(press: Press) -> str | None:
    """标记为已说明: the finding of the selected 校验结果 row, or the warnings and infos
    of the selected cell, accepted with the reason the clerk types."""
    rc = parse_a1(press.cell) if press.cell else None
    if rc is None:
        raise UserError("请先选中要标记的单元格（项目表中标黄的单元格），"
                        "或“校验结果”表中该问题所在的行，再点“标记为已说明”。")
    state = accepting.standing(press.book)
    if press.sheet == RESULTS_SHEET:
        targets = accepting.from_results_row(press.book, state, rc[0])
    else:
        targets = accepting.choose(state, press.sheet, a1(*rc))
    listed = "\n".join(f"· {f.code} {f.message}" for f in targets)
    reason = _answer(press, press.reason, "说明理由（reason）",
                     f"把 {targets[0].place} 上的问题标记为已说明：\n{listed}\n\n请输入说明理由：",
                     "标记为已说明")
    if reason is None:
        return None  # cancelled
    new = accepting.accept(press.book, state, targets, reason)
    codes = "、".join(a.code for a in new)
    return (f"已把 {new[0].place} 上的 {codes} 标记为已说明：{new[0].reason}\n"
            "它不再计入问题；单元格内容改动后说明失效，重新校验。")


def carry_over(press: Press) -> str:
    """复制上年: next year's workbook beside this one (or in ``outdir``), with every
    project; the calling workbook is only read.  A project that does not continue is
    dropped in the new workbook with 删除项目."""
    folder = press.outdir or (press.path.parent if press.path is not None else None)
    if folder is None:
        raise UserError("复制上年需要先把工作簿保存到本机（新工作簿写在它旁边）。请先保存，"
                        "或在命令行运行 xl-addin next-year。")
    settings = read_settings(press.book)
    if settings.year is None:
        raise UserError("“参数”表中没有预算年度，无法推算下一年度。请先在“参数”表填写预算年度，"
                        "或在命令行运行 xl-addin next-year --year 年度。")
    year = settings.year + 1
    source = press.path if press.path is not None else folder / "绩效目标.xlsx"
    out = next_year.default_out(folder / source.name, year)
    if out.exists() or out.is_symlink():
        raise UserError(f"“{out}”已存在，为避免覆盖，未生成新工作簿。"
                        "请把它改名或移走后再点“复制上年”。")
    press.ui.status("正在生成新年度工作簿…")
    book, result = next_year.next_year_book(press.book, out, year, where=source.name)
    book.save(backup=False)
    return (f"已生成 {year} 年度工作簿：\n{out}\n共 {len(result.projects)} 个项目，"
            f"改动见其“{next_year.SHEET}”表。\n\n" + "\n".join(result.counted())
            + f"\n\n不再继续的项目：在新工作簿的“{next_year.CHOICE_SHEET}”表中把“续建”选为"
            "“否”，再点“删除未续建”；或切到该项目表，点“删除项目”。")


def drop_project(press: Press) -> str | None:
    """删除项目: the current project sheet (or ``project_name``) and every trace of it."""
    which = press.project_name
    if which is None:
        if press.sheet not in project_sheet_names(press.book):
            raise UserError(f"当前工作表“{press.sheet}”不是项目表。请先切换到要删除的项目表，"
                            "再点“删除项目”。")
        answer = _answer(press, None, "项目名称（project_name）",
                         f"将删除项目表“{press.sheet}”，以及它在“上年对照”“续建项目”"
                         "“汇总”“校验结果”中的内容，不可撤销。\n确认删除请输入：删除", "删除项目")
        if answer is None or answer.strip() != "删除":
            return None  # cancelled
        which = press.sheet
    sheet = next_year.drop_project(press.book, which)
    return f"已删除项目表“{sheet}”及其在“上年对照”“续建项目”“汇总”“校验结果”中的内容。"


def drop_unticked(press: Press) -> str | None:
    """删除未续建: every project marked 否 on 续建项目, and every trace of them, in one
    write after one confirmation (``reason`` stands for the typed 删除 remotely)."""
    sheets = next_year.unticked(press.book)
    if not sheets:
        return (f"“{next_year.CHOICE_SHEET}”表中没有“续建”选“否”的项目，未作改动。"
                "不再继续的项目，请把它的“续建”选为“否”后再点“删除未续建”。")
    listed = "\n".join(f"· {s}" for s in sheets)
    answer = _answer(press, press.reason, "确认（reason=删除）",
                     f"将删除以下 {len(sheets)} 个项目表，以及它们在“上年对照”“续建项目”"
                     f"“汇总”“校验结果”中的内容，不可撤销：\n{listed}\n\n确认删除请输入：删除",
                     "删除未续建")
    if answer is None or answer.strip() != "删除":
        return None  # cancelled
    gone = next_year.drop_projects(press.book, sheets)
    return (f"已删除 {len(gone)} 个未续建的项目表：{'、'.join(gone)}，"
            "及其在“上年对照”“续建项目”“汇总”“校验结果”中的内容。")


HELP_TEXT = """“绩效目标”选项卡各按钮：
· 新增项目：按模板新增一张项目表。
· 填充默认指标：按项目类别补齐缺少的默认指标行（不改动已填写的行）。
· 校验当前表 / 校验全部：问题单元格标红（错误）或标黄（警告）并附批注，“校验结果”表列出全部问题。
· 清除标记：去掉校验标记，恢复单元格原有的底纹与批注。
· 标记为已说明：选中标黄的单元格或“校验结果”中的一行，写明理由；该警告或提示不再计入问题。
· 汇总、一键提交：汇总各项目，校验通过后生成提交文件。
· 复制上年：由本工作簿生成下一年度的工作簿（年份顺延，金额与支出计划清空待填，
  编码与指标值标为请核对）。
· 删除项目：删除当前项目表及其在上年对照、续建项目、汇总、校验结果中的内容。
· 删除未续建：在“续建项目”表中把不再继续的项目选为“否”，一次删除它们。

WPS 或 LibreOffice 用户请使用命令行 xl-addin（validate / fill / …）。"""


def show_help(press: Press) -> str:
    return HELP_TEXT


def about(press: Press) -> str:
    import xlwings

    return (f"预算项目绩效目标表 加载项\nxl-addin {__version__}，xlwings {xlwings.__version__}，"
            f"Python {sys.version.split()[0]}")


#: every control id of customUI14.xml and its handler
HANDLERS: dict[str, Button] = {
    "add_project": Button(add_project),
    "fill_defaults": Button(fill_defaults),
    "validate_sheet": Button(validate_sheet),
    "validate_all": Button(validate_all),
    "clear_marks": Button(clear_marks),
    "accept_finding": Button(accept_finding),
    "consolidate": Button(consolidate),
    "submit": Button(submit),
    "carry_over": Button(carry_over),
    "drop_project": Button(drop_project),
    "drop_unticked": Button(drop_unticked),
    "help": Button(show_help, needs_ours=False),
    "about": Button(about, needs_ours=False),
}


# ----------------------------------------------------------------------- dispatch

def _path(book: Any) -> Path | None:
    """The file of a saved workbook (None for an unsaved or a remote one)."""
    try:
        path = Path(book.fullname)
    except (NotImplementedError, TypeError, ValueError):
        return None
    return path if path.is_absolute() else None


def _log(exc: BaseException) -> None:
    """The traceback for the maintainers; a log that cannot be written must not turn the
    message box into a traceback."""
    with contextlib.suppress(OSError), LOG_FILE.open("a", encoding="utf-8") as log:
        log.write(f"--- {dt.datetime.now().isoformat(timespec='seconds')} xl-addin {__version__}\n")
        log.write("".join(traceback.format_exception(exc)))


def _check_ours(live: LiveBook) -> None:
    """Refuse foreign workbooks; take the sheet protection password from ours."""
    if not is_ours(live):
        raise UserError(NOT_OURS)
    live.password = read_settings(live).password


def _selected(book: Any) -> str | None:
    """The top-left cell of the selection ('F11'), None when no cells are selected."""
    try:
        selection = book.selection
        return None if selection is None else a1(selection.row, selection.column)
    except Exception:  # a chart or shape selected, an engine without a selection
        return None


def dispatch(control_id: str, book: Any = None, *, project_name: str | None = None,
             outdir: Path | None = None, ui: Ui | None = None, cell: str | None = None,
             reason: str | None = None) -> str | None:
    """Run the button ``control_id`` on ``book`` (the calling workbook when None) and
    show the outcome in a message box (or tell ``ui``); returns the message shown.
    ``cell`` stands for the selection and ``reason`` for the input box (remote callers)."""
    if book is None:
        try:
            book = caller_book(sys.argv)
        except UserError as exc:  # no Excel to show it in: the launcher shows the exit code
            _log(exc)
            print(exc.message, file=sys.stderr)
            raise SystemExit(2) from None
    ui = ui or XlwingsUi(book)
    live: LiveBook | None = None
    error = True
    try:
        button = HANDLERS.get(control_id)
        if button is None:
            raise UserError(f"未知的按钮“{control_id}”。加载项与 Python 包的版本可能不一致，"
                            "请重新安装加载项（xl-addin install）。")
        live = LiveBook(book, progress=ui.status)
        if button.needs_ours:
            _check_ours(live)
        path = _path(book)
        press = Press(live, ui, book.sheets.active.name, path,
                      save=book.save if path is not None else None,
                      project_name=project_name, outdir=outdir,
                      cell=cell or _selected(book), reason=reason)
        message = button.run(press)
        if button.needs_ours:  # the buttons that write: no steering sheet survives them
            removed = remove_steering_sheets(live)
            if removed:
                message = "\n".join(filter(None, [message, removed_message(removed)]))
        live.commit()
        error = False
    except UserError as exc:
        message = exc.message
    except Exception as exc:  # a bug: the user gets a message, the log the traceback
        _log(exc)
        state = ("写入中途出错，工作簿可能只改动了一部分，请检查后重试。"
                 if live is not None and live.wrote else "工作簿未被改动。")
        message = (f"内部错误：{type(exc).__name__}: {exc}\n{state}"
                   f"详细信息已记入 {LOG_FILE}，请把该文件发给维护人员。")
    finally:
        ui.status(False)
    if message:
        ui.alert(message, error=error)
    return message
