"""What a submission copy must not carry: links out of the workbook and sheets not ours.

The copy and its PDF go to the finance bureau, whose staff open them in Excel, WPS or a
PDF viewer and click on them.  So they keep only links a person may follow safely
(http, https, mailto); a ``javascript:``, ``file:`` or UNC link (``\\\\server\\…`` makes
Windows send the user's credentials to that server) is dropped, and so are the links to
other workbooks (``xl/externalLinks``, defined names like ``[1]Sheet1!A1``), which a
viewer would offer to update from wherever they point.  Sheets nobody sees that are
neither the tool's nor projects, and sheets xlwings would read as settings or code
(``forms.safety.steering_sheets``), are dropped too.

Each function changes the workbook in memory and returns what it dropped, one Chinese
description each, so that ``submit`` can tell the user.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from openpyxl.workbook.defined_name import DefinedNameDict
from openpyxl.workbook.workbook import Workbook

from xl_addin.core.patch import DeleteSheet, Patch
from xl_addin.engines.file import FileBook
from xl_addin.forms.book import project_sheet_names
from xl_addin.forms.names import RESERVED_SHEETS
from xl_addin.forms.safety import removable_steering_sheets

#: the link targets a reader may follow: a web page or a mail to write
_SAFE_TARGET = re.compile(r"(?:https?://|mailto:)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: a string constant in a formula; what is inside it refers to nothing
_STRING = re.compile(r'"(?:[^"]|"")*"')
#: another workbook: ``[1]Sheet1!``, ``'C:\\dir\\[book.xlsx]Sheet1'!``, ``[1]!Name`` (a
#: table column such as ``Table1[Col]`` follows a name, so it is not matched), or a DDE
#: call to another program (``cmd|'/c calc'!A1``)
_OUTSIDE = re.compile(r"(?<![\w\].])\[[^\[\]]+\][^!\[\],()]*!|\w\|")
_SHOWN = 80  # characters of a target shown in a message


def _shown(target: str) -> str:
    target = _CONTROL.sub("", target.strip())
    return target if len(target) <= _SHOWN else f"{target[:_SHOWN]}…"


def is_safe_target(target: str) -> bool:
    """A hyperlink target a reader may follow: http(s) or mailto, no hidden characters
    (`` javascript:`` with a leading space or ``java\\tscript:`` still run in some viewers)."""
    return _SAFE_TARGET.match(target) is not None and _CONTROL.search(target) is None


def drop_unsafe_hyperlinks(wb: Workbook) -> list[str]:
    """Remove every cell hyperlink whose target is not safe; the cell's text stays.
    Links inside the workbook (``location``, as the 汇总 writes them) have no target."""
    removed = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                link = cell.hyperlink
                if link is not None and link.target and not is_safe_target(link.target):
                    cell.hyperlink = None
                    removed.append(f"{ws.title}!{cell.coordinate} 的超链接"
                                   f"（指向“{_shown(link.target)}”）")
    return removed


def refers_outside(formula: str) -> bool:
    """Whether a defined name's formula reads another workbook or another program."""
    return _OUTSIDE.search(_STRING.sub('""', formula)) is not None


def _names(wb: Workbook) -> list[tuple[str, DefinedNameDict]]:
    """Every defined-name table: the workbook's and each sheet's, with its scope."""
    return [("工作簿", wb.defined_names),
            *((f"工作表“{ws.title}”", ws.defined_names) for ws in wb.worksheets)]


def _drop_names(wb: Workbook, unwanted: Callable[[str], bool], why: str) -> list[str]:
    removed = []
    for scope, names in _names(wb):
        for name in [n for n, dn in names.items() if unwanted(dn.attr_text or "")]:
            removed.append(f"{scope}的名称“{name}”（{why}：{_shown(names[name].attr_text)}）")
            del names[name]
    return removed


def drop_external_links(wb: Workbook) -> list[str]:
    """Remove the links to other workbooks and the defined names that use them."""
    removed = []
    for link in wb._external_links:
        target = link.file_link.Target if link.file_link is not None else "未知位置"
        removed.append(f"指向其他工作簿“{_shown(target)}”的外部链接")
    wb._external_links = []
    return removed + _drop_names(wb, refers_outside, "引用其他工作簿或程序")


def _foreign(book: FileBook) -> dict[str, str]:
    """Sheet -> why it does not belong in the copy."""
    keep = RESERVED_SHEETS | set(project_sheet_names(book))
    steering = set(removable_steering_sheets(book))
    out = {}
    for name in book.sheet_names():
        if name in steering:
            out[name] = "xlwings 会把它当作设置或代码读取"
        elif book.is_hidden(name) and name not in keep:
            out[name] = "隐藏的工作表，既不是项目表也不属于本工具"
    return out


def _mentions(sheet: str) -> Callable[[str], bool]:
    """A test of a formula for a reference to ``sheet`` (quoted or bare)."""
    quoted = "'" + sheet.replace("'", "''") + "'!"
    bare = re.compile(rf"(?<![\w.]){re.escape(sheet)}!")
    return lambda formula: (quoted in (text := _STRING.sub('""', formula))
                            or bare.search(text) is not None)


def drop_foreign_sheets(book: FileBook) -> list[str]:
    """Remove the sheets that are not ours (see the module's docstring) and the defined
    names that point into them, which would otherwise point at nothing."""
    foreign = _foreign(book)
    removed = [f"工作表“{name}”（{why}）" for name, why in foreign.items()]
    book.apply(Patch([DeleteSheet(name) for name in foreign]))
    for name in foreign:
        removed += _drop_names(book.wb, _mentions(name), f"引用已移除的工作表“{name}”")
    return removed
