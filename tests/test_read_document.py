"""``read_document``: the reader chosen by what a file is, and every unusable file a
``UserError`` (exit code 2) whose Chinese message names it — never a traceback."""

from __future__ import annotations

import io
import random
import re
import shutil
import zipfile
from collections.abc import Callable
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pypdf
import pytest
from PIL import Image
from pypdf.constants import UserAccessPermissions

from tests.documents import DOCUMENTS, html_page
from xl_addin.core.errors import EXIT_UNUSABLE, UserError
from xl_addin.documents.importers.blocks import Table
from xl_addin.documents.importers.readers import SUPPORTED, read_document
from xl_addin.documents.libreoffice import convert


def _grids(path: Path) -> list[list[list[str]]]:
    return [[[re.sub(r"\s+", "", c) for c in row] for row in t.grid or []]
            for t in read_document(path) if isinstance(t, Table)]


def _expected(key: str) -> list[list[list[str]]]:
    return [[[re.sub(r"\s+", "", c) for c in row] for row in t.grid()]
            for t in DOCUMENTS[key].tables]


def _mht(html: str) -> bytes:
    """A web archive as a browser saves it: the page as a quoted-printable GB2312 part."""
    archive = MIMEMultipart("related", type="text/html")
    archive.attach(MIMEText(html, "html", "gb18030"))
    return archive.as_bytes()


def _renamed(sample_documents, tmp_path: Path, fmt: str, name: str) -> Path:
    dst = tmp_path / name
    shutil.copy(sample_documents["A"][fmt], dst)
    return dst


@pytest.mark.parametrize(("fmt", "name"), [
    ("html", "绩效目标.txt"),  # a saved page named .txt
    ("html", "绩效目标.xls"),  # an “Excel export” that is an HTML table
    ("docx", "绩效目标.doc"),  # a .docx renamed .doc
    ("xlsx", "绩效目标.xls"),  # an .xlsx renamed .xls
])
def test_the_content_decides_the_reader(sample_documents, tmp_path: Path, fmt: str,
                                        name: str) -> None:
    assert _grids(_renamed(sample_documents, tmp_path, fmt, name)) == _expected("A")


def test_a_web_archive_reads_as_its_page(tmp_path: Path) -> None:
    path = tmp_path / "绩效目标.mht"
    path.write_bytes(_mht(html_page(DOCUMENTS["B"])))
    assert _grids(path) == _expected("B")


def test_a_pdf_with_only_an_owner_password_reads(sample_documents, tmp_path: Path) -> None:
    """Copy protection (no password to open) is common and keeps the text readable."""
    writer = pypdf.PdfWriter(clone_from=sample_documents["A"]["pdf"])
    writer.encrypt(user_password="", owner_password="主管部门",
                   permissions_flag=UserAccessPermissions.PRINT)
    path = tmp_path / "受保护.pdf"
    writer.write(path)
    assert _grids(path) == _expected("A")


# --- unusable input ------------------------------------------------------------------

Maker = Callable[[Path, dict], Path]


def _bytes(name: str, data: bytes) -> Maker:
    def make(folder: Path, samples: dict) -> Path:
        (folder / name).write_bytes(data)
        return folder / name
    return make


def _cut(name: str, fmt: str) -> Maker:
    """The first half of a real sample file."""
    def make(folder: Path, samples: dict) -> Path:
        data = samples["A"][fmt].read_bytes()
        (folder / name).write_bytes(data[: len(data) // 2])
        return folder / name
    return make


def _encrypted_pdf(folder: Path, samples: dict) -> Path:
    writer = pypdf.PdfWriter(clone_from=samples["A"]["pdf"])
    writer.encrypt(user_password="123456", owner_password="654321")
    writer.write(folder / "加密.pdf")
    return folder / "加密.pdf"


def _scan(folder: Path, samples: dict) -> Path:
    """An image of a page saved as PDF: no text layer."""
    Image.new("L", (595, 842), 255).save(folder / "扫描件.pdf")
    return folder / "扫描件.pdf"


def _encrypted_xlsx(folder: Path, samples: dict) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    with (folder / "加密.xlsx").open("wb") as out:
        OOXMLFile(io.BytesIO(samples["A"]["xlsx"].read_bytes())).encrypt("密码123", out)
    return folder / "加密.xlsx"


def _old_doc(folder: Path, samples: dict) -> Path:
    """A Word 97–2003 file, as LibreOffice saves one."""
    return convert(samples["A"]["docx"], "doc", folder)


def _odt_like(folder: Path, samples: dict) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    (folder / "绩效目标.odt").write_bytes(buf.getvalue())
    return folder / "绩效目标.odt"


def _zipped(folder: Path, samples: dict) -> Path:
    with zipfile.ZipFile(folder / "材料.zip", "w") as z:
        z.writestr("说明.txt", "绩效目标材料")
    return folder / "材料.zip"


def _png(folder: Path, samples: dict) -> Path:
    Image.new("RGB", (20, 20)).save(folder / "截图.png")
    return folder / "截图.png"


NOISE = random.Random(12).randbytes(4096)
BAD: dict[str, tuple[Maker, str]] = {
    "missing": (lambda folder, samples: folder / "不存在.docx", "找不到文件"),
    "empty pdf": (_bytes("空.pdf", b""), "空文件"),
    "empty docx": (_bytes("空.docx", b""), "空文件"),
    "empty xlsx": (_bytes("空.xlsx", b""), "空文件"),
    "blank text": (_bytes("空白.txt", b" \r\n\t\n"), "空文件"),
    "noise pdf": (_bytes("乱码.pdf", NOISE), "无法读取 PDF 文件"),
    "damaged pdf": (_bytes("损坏.pdf", b"%PDF-1.7\n" + NOISE), "无法读取 PDF 文件"),
    "cut pdf": (_cut("截断.pdf", "pdf"), "无法读取 PDF 文件"),
    "encrypted pdf": (_encrypted_pdf, "已加密"),
    "scanned pdf": (_scan, "没有文字层（可能是扫描件）"),
    "noise docx": (_bytes("乱码.docx", NOISE), "Word 文档"),
    "cut docx": (_cut("截断.docx", "docx"), "Word 文档"),
    "cut xlsx": (_cut("截断.xlsx", "xlsx"), "无法读取工作簿"),
    "noise xls": (_bytes("乱码.xls", NOISE), "无法读取工作簿"),
    "encrypted xlsx": (_encrypted_xlsx, "密码"),
    "old doc": (_old_doc, "另存为 .docx"),
    "opendocument": (_odt_like, "OpenDocument"),
    "plain zip": (_zipped, "压缩包"),
    "image": (_png, "不支持这种文件格式"),
    "rtf": (_bytes("绩效目标.rtf", rb"{\rtf1\ansi 2023}"), "RTF"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_unusable_input_is_a_user_error(sample_documents, tmp_path: Path, case: str) -> None:
    make, fragment = BAD[case]
    path = make(tmp_path, sample_documents)
    with pytest.raises(UserError) as caught:
        read_document(path)
    assert caught.value.exit_code == EXIT_UNUSABLE
    assert path.name in caught.value.message
    assert fragment in caught.value.message


def test_an_unsupported_format_names_the_supported_ones(tmp_path: Path) -> None:
    path = tmp_path / "说明.md"
    path.write_text("# 绩效目标", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        read_document(path)
    assert SUPPORTED in caught.value.message
    for suffix in (".txt", ".docx", ".html", ".pdf", ".xlsx", ".xls"):
        assert suffix in SUPPORTED
