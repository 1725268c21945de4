"""The sheets a workbook declares, checked against what its archive holds.

openpyxl skips a sheet whose part cannot be found without a word (and a save then writes
the workbook without it); calamine, given two sheets of one name, reads the first twice.
Either way money vanishes from a summary.  So before any engine reads a workbook, every
``<sheet>`` of ``xl/workbook.xml`` must name a part of a kind both engines read and keep
(a worksheet or a chart sheet) that is in the archive, and no two sheets may share a
name (Excel compares names without regard to case).  The engines then compare the sheets
they loaded with this list.

Only the two small parts that say so are parsed, by expat without namespace processing
(prefixes are matched by name: ``r:id``) and with a DTD refused outright (the archive
guard refuses DTDs in every part's head already; one after a long comment would escape
that).  It is cheap on purpose: the batch review runs it on every file.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from pathlib import Path
from xml.parsers import expat

from xl_addin.core.errors import UserError

WORKBOOK_PART = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_WORKBOOK_FOLDER = posixpath.dirname(WORKBOOK_PART)
#: the last segment of a sheet relationship's type: what both engines read and save again
SHEET_KINDS = ("worksheet", "chartsheet")
#: kinds openpyxl would lose or turn into something else on save, named for the user
OTHER_KINDS = {"xlMacrosheet": "Excel 4.0 宏表", "xlIntlMacrosheet": "Excel 4.0 国际宏表",
               "dialogsheet": "Excel 5.0 对话框表"}


class _NoDtd(Exception):
    """Raised from expat's handler: a DTD in a part we parse."""


def _no_dtd(*_args: object) -> None:
    raise _NoDtd


def _elements(data: bytes, local: str) -> list[dict[str, str]]:
    """The attributes of every element named ``local`` (with or without a prefix)."""
    found: list[dict[str, str]] = []
    suffix = ":" + local

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == local or name.endswith(suffix):
            found.append(attrs)

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = _no_dtd
    parser.EntityDeclHandler = _no_dtd
    parser.Parse(data, True)
    return found


def _relationships(data: bytes) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type's last segment, part name in the archive); targets
    outside the package resolve to "" (no part)."""
    rels = {}
    for attrs in _elements(data, "Relationship"):
        target = attrs.get("Target", "")
        if attrs.get("TargetMode") == "External":
            part = ""
        elif target.startswith("/"):
            part = target[1:]
        elif "/." in "/" + target or "//" in target:  # ./ ../ or // to normalise
            part = posixpath.normpath(posixpath.join(_WORKBOOK_FOLDER, target))
        else:  # the usual "worksheets/sheet1.xml": relative to the workbook's folder
            part = f"{_WORKBOOK_FOLDER}/{target}"
        rels[attrs.get("Id", "")] = (attrs.get("Type", "").rpartition("/")[2], part)
    return rels


def _sheet(attrs: dict[str, str]) -> tuple[str, str]:
    """A ``<sheet>``'s name and relationship id (the prefixed ``id``: ``r:id``)."""
    return attrs.get("name", ""), next((v for k, v in attrs.items() if k.endswith(":id")), "")


def declared_sheets(path: Path, names: set[str], read: Callable[[str], bytes],
                    check_part: Callable[[str, str], None] = lambda _sheet, _part: None
                    ) -> list[str]:
    """The sheet names ``xl/workbook.xml`` declares, in order, once each is known to
    resolve to a part in the archive (``names``; ``read`` inflates a part);
    ``check_part(sheet, part)`` checks each sheet's part further (its declared size).

    Raises ``UserError`` naming the first sheet that would be lost or misread.
    """
    if WORKBOOK_PART not in names:
        raise UserError(f"文件“{path.name}”中没有工作簿部件“{WORKBOOK_PART}”，"
                        "已损坏或不是有效的 .xlsx 文件，无法读取。")
    try:
        sheets = [_sheet(attrs) for attrs in _elements(read(WORKBOOK_PART), "sheet")]
        rels = _relationships(read(WORKBOOK_RELS)) if WORKBOOK_RELS in names else {}
    except _NoDtd:
        raise UserError(f"文件“{path.name}”的工作簿部件含有 DTD/实体定义（可用于 XML 炸弹），"
                        "已拒绝读取。Excel 保存的工作簿不会含有这种内容。") from None
    except expat.ExpatError as exc:
        raise UserError(f"文件“{path.name}”的工作簿部件不是有效的 XML"
                        f"（{expat.ErrorString(exc.code)}），已损坏，无法读取。") from exc
    declared: list[str] = []
    seen: dict[str, str] = {}
    for name, rid in sheets:
        kind, part = rels.get(rid, ("", ""))
        _check_sheet(path, name, kind, part, names)
        check_part(name, part)
        if name.lower() in seen:
            _duplicate(path, seen[name.lower()], name)
        seen[name.lower()] = name
        declared.append(name)
    return declared


def _duplicate(path: Path, first: str, second: str) -> None:
    """Two sheets of one name: calamine would read the first twice, openpyxl rename one."""
    both = (f"两张工作表都叫“{first}”" if first == second else
            f"两张工作表“{first}”与“{second}”，Excel 不区分大小写，视为同名")
    raise UserError(f"文件“{path.name}”中有{both}。为避免读错或丢失数据，未读取该文件。"
                    "请在 Excel 中把其中一张改名后再试。")


def _check_sheet(path: Path, name: str, kind: str, part: str, names: set[str]) -> None:
    """One declared sheet: a part that is there, of a kind the engines keep."""
    if part not in names:
        where = f"指向的部件“{part}”" if part else "的部件"
        raise UserError(
            f"文件“{path.name}”中的工作表“{name}”{where}在文件中找不到（工作簿已损坏）。"
            "为避免丢失数据，未读取该文件。请在 Excel 中打开并另存为后再试。")
    if kind not in SHEET_KINDS:
        what = OTHER_KINDS.get(kind, f"本工具无法识别的类型（{kind or '无类型'}）")
        raise UserError(
            f"文件“{path.name}”中的工作表“{name}”是{what}，本工具无法读取和保留这种工作表。"
            "为避免丢失数据，未读取该文件。请在 Excel 中删除它或另存为副本后再试。")


def check_loaded(path: Path, declared: list[str], loaded: list[str]) -> None:
    """An engine's loaded sheets must be the declared ones: a sheet it dropped or
    renamed would be missing from every summary and from the saved file."""
    if loaded == declared:
        return
    missing = ([n for n in declared if n not in loaded] or [n for n in loaded if n not in declared]
               or declared)
    raise UserError(
        f"文件“{path.name}”中的工作表“{missing[0]}”未能读取（读到的工作表与工作簿声明的不一致）。"
        "为避免丢失数据，未读取该文件。请在 Excel 中打开并另存为后再试。")
