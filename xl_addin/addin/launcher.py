"""The Python end of the add-in's launcher (``vba_bridge/Launcher.bas``).

The launcher starts ``python -B -c "import xl_addin.addin.ribbon as r; r.dispatch('<id>')"
--xl-addin-book=<hex> --xl-addin-hwnd=<n>``: the calling workbook's name as hex codes
(four per UTF-16 code unit, so no character of a name can reach a shell or end a quote)
and the window handle of the Excel that called.  This module reads them back and finds
that workbook through xlwings' public API.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from xl_addin.core.errors import UserError

BOOK_ARG = "--xl-addin-book="
HWND_ARG = "--xl-addin-hwnd="
_HEX = re.compile(r"(?:[0-9A-Fa-f]{4})+")
NOT_FROM_EXCEL = ("没有收到调用的工作簿（缺少 --xl-addin-book 参数）。这个命令由 Excel 的"
                  "“绩效目标”选项卡调用；在命令行中请使用 xl-addin 的各个命令。")


def interpreter_problem(interpreter: str) -> str:
    """Why the launcher would refuse to start ``interpreter`` ("" when it starts it): the
    same rule as ``InterpreterProblem`` in Launcher.bas, so ``xl-addin install`` never
    writes a setting the add-in then refuses."""
    lower = interpreter.lower()
    if '"' in interpreter or "%" in interpreter:
        return "设置中的 Python 路径含有引号或百分号，无法安全启动。"
    if lower not in ("python", "pythonw") and not lower.endswith(("\\python.exe",
                                                                   "\\pythonw.exe")):
        return "设置中的 Python 路径不是 python.exe 或 pythonw.exe。"
    return ""


def caller_args(argv: Sequence[str]) -> tuple[str, int | None]:
    """(workbook name, Excel window handle or None) as the launcher passed them."""
    book = next((a[len(BOOK_ARG):] for a in argv if a.startswith(BOOK_ARG)), None)
    hwnd = next((a[len(HWND_ARG):] for a in argv if a.startswith(HWND_ARG)), "")
    if book is None:
        raise UserError(NOT_FROM_EXCEL)
    if not _HEX.fullmatch(book):
        raise UserError("加载项传来的工作簿名称无法识别。请重新安装加载项（xl-addin install）。")
    name = bytes.fromhex(book).decode("utf-16-be", errors="replace")
    return name, int(hwnd) if hwnd.isdigit() else None


def caller_book(argv: Sequence[str]) -> Any:  # pragma: no cover - needs desktop Excel
    """The calling workbook: in the Excel whose window is ``hwnd`` (any when unknown)."""
    import xlwings as xw

    name, hwnd = caller_args(argv)
    for app in xw.apps:
        if hwnd is not None and app.hwnd != hwnd:
            continue
        for book in app.books:
            if book.name == name:
                return book
    raise UserError(f"在 Excel 中找不到工作簿“{name}”。请确认它已打开，再点一次按钮。")
