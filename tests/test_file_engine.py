"""The file engine: atomic saves, backups, and keeping what the tool does not own."""

from __future__ import annotations

import errno
import os
import stat

import pytest
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook

from xl_addin.actions.workbook import add_project
from xl_addin.core.errors import UserError
from xl_addin.core.model import Project
from xl_addin.engines.file import FileBook
from xl_addin.files.atomic import backup_path


def test_failed_save_leaves_original_byte_identical(seed_copy, monkeypatch) -> None:
    original = seed_copy.read_bytes()
    book = FileBook(seed_copy)
    add_project(book, Project(name="半途失败"))

    def half_write(self, filename):
        with open(filename, "wb") as f:
            f.write(original[: len(original) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Workbook, "save", half_write)
    with pytest.raises(UserError, match="原文件未被改动"):
        book.save()
    assert seed_copy.read_bytes() == original
    assert sorted(p.name for p in seed_copy.parent.iterdir()) == ["book.xlsx", "book.xlsx.bak"]
    assert backup_path(seed_copy).read_bytes() == original  # no temporary file left


def test_save_keeps_backup_and_permissions(seed_copy) -> None:
    os.chmod(seed_copy, 0o640)
    original = seed_copy.read_bytes()
    book = FileBook(seed_copy)
    add_project(book, Project(name="新项目"))
    book.save()
    assert backup_path(seed_copy).read_bytes() == original
    assert stat.S_IMODE(seed_copy.stat().st_mode) == 0o640
    assert "新项目" in load_workbook(seed_copy).sheetnames


def test_keeps_what_it_does_not_own(seed_copy) -> None:
    wb = load_workbook(seed_copy)
    notes = wb.create_sheet("备注")
    notes["A1"] = "自己的笔记"
    notes["A1"].comment = Comment("别删", "张三")
    wb["车辆保险费"]["C5"].comment = Comment("核对过", "李四")
    wb.defined_names["MY_NAME"] = DefinedName("MY_NAME", attr_text="'备注'!$A$1")
    wb.save(seed_copy)

    book = FileBook(seed_copy)
    add_project(book, Project(name="新增"))
    book.save()
    wb = load_workbook(seed_copy)
    assert wb["备注"]["A1"].value == "自己的笔记"
    assert wb["备注"]["A1"].comment.text == "别删"
    assert wb["车辆保险费"]["C5"].comment.text == "核对过"
    assert wb.defined_names["MY_NAME"].attr_text == "'备注'!$A$1"
    assert wb.sheetnames.index("新增") == wb.sheetnames.index("项目模板") - 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.xlsx", b"not a zip at all", "已损坏或不是有效的 .xlsx"),
        ("b.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "已加密"),
        ("c.xls", b"\xd0\xcf\x11\xe0", "请在 Excel 中“另存为”.xlsx"),
        ("d.csv", b"a,b", "不是 Excel 工作簿"),
    ],
)
def test_unreadable_files_get_a_clear_message(tmp_path, name, content, message) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UserError, match=message) as info:
        FileBook(path)
    assert name in info.value.message or str(path) in info.value.message


def test_truncated_workbook(seed_copy) -> None:
    data = seed_copy.read_bytes()
    seed_copy.write_bytes(data[: len(data) // 2])
    with pytest.raises(UserError, match="已损坏"):
        FileBook(seed_copy)


def _as_xlsm(xlsx, xlsm, vba: bytes) -> None:
    """The workbook with a VBA project part, as Excel would store an .xlsm."""
    import zipfile

    with zipfile.ZipFile(xlsx) as src, zipfile.ZipFile(xlsm, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                ).replace(b"</Types>", b'<Default Extension="bin" ContentType='
                          b'"application/vnd.ms-office.vbaProject"/></Types>')
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdVba" Type='
                                    b'"http://schemas.microsoft.com/office/2006/relationships/'
                                    b'vbaProject" Target="vbaProject.bin"/></Relationships>')
            dst.writestr(item, data)
        dst.writestr("xl/vbaProject.bin", vba)


def test_vba_of_xlsm_is_kept(seed_copy, tmp_path) -> None:
    import zipfile

    vba = bytes(range(256)) * 8
    xlsm = tmp_path / "book.xlsm"
    _as_xlsm(seed_copy, xlsm, vba)
    book = FileBook(xlsm)
    add_project(book, Project(name="宏工作簿中的新项目"))
    book.save()
    with zipfile.ZipFile(xlsm) as z:
        assert z.read("xl/vbaProject.bin") == vba
        assert b"macroEnabled" in z.read("[Content_Types].xml")
