"""What a workbook must not carry into what the tool writes: sheets that steer programs.

xlwings' VBA reads its settings (which program to start, which folders go on Python's
path) from a sheet named ``<project>.conf`` in the *active* workbook before its own, and
runs the code of sheets named ``*.py``.  Our add-in never reads them any more (its own
launcher reads only the add-in's settings), but a workbook that carries such a sheet
would still steer the ribbon of anyone whose Excel runs the stock xlwings add-in, so the
tool removes them from every workbook it writes and says so.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from xl_addin.core.book import Book
from xl_addin.core.findings import Finding
from xl_addin.core.patch import DeleteSheet, Patch
from xl_addin.forms.project_sheet import is_project_sheet

#: sheet-name endings xlwings gives meaning to: settings and embedded Python code
STEERING_SUFFIXES = (".conf", ".py")


def steering_sheets(names: Iterable[str]) -> list[str]:
    """The sheets, in order, whose names xlwings would read as settings or code."""
    return [n for n in names if n.strip().lower().endswith(STEERING_SUFFIXES)]


def steering_findings(names: Iterable[str], projects: Collection[str] = ()) -> list[Finding]:
    """One ``steering-sheet`` finding per such sheet, for validation and the review: a
    warning for a sheet the tool removes, an error for a project sheet so named (its
    money must not vanish, so it is never removed: the clerk renames it)."""
    out = []
    for name in steering_sheets(names):
        project = name in projects
        what = ("这是一张项目表，本工具不会删除它，但报送前请给它改名（名称不以 .conf 或 .py 结尾）"
                if project else
                "它不是绩效目标表的内容，本工具写入工作簿或生成报送件时会删除它；"
                "如是本单位有意建立的表，请改名")
        out.append(Finding(
            type="steering-sheet", code="S101", severity="error" if project else "warning",
            message=(f"工作簿中有工作表“{name}”：xlwings 会把这样命名的表当作设置或代码"
                     f"（可指定 Excel 按钮运行哪个程序）。{what}。"),
            sheet=name,
        ))
    return out


def removable_steering_sheets(book: Book) -> list[str]:
    """The steering sheets that are not project sheets, in order."""
    return [n for n in steering_sheets(book.sheet_names())
            if not is_project_sheet(book.read(n))]


def remove_steering_sheets(book: Book) -> list[str]:
    """Delete every removable steering sheet from ``book`` (any engine); returns their
    names.  Every command that writes a workbook calls this before it saves."""
    names = removable_steering_sheets(book)
    if names:
        book.apply(Patch([DeleteSheet(name) for name in names]))
    return names


def removed_message(names: list[str]) -> str:
    """What the user is told when ``remove_steering_sheets`` removed something."""
    listed = "、".join(f"“{n}”" for n in names)
    return (f"已删除工作表 {listed}：xlwings 会把这样命名的表当作设置或代码，"
            "可用来指定 Excel 按钮运行的程序。")
