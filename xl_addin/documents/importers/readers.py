"""One entry point for every published form: ``read_document(path) -> list[Block]``.

The reader is chosen by what the file *is*, not only by its name: units rename files
freely (a Word “save as web page” kept as .doc, an .xls that is an HTML table or an
.xlsx, a .txt that is a saved page), so the first bytes decide, and the suffix only
where the bytes cannot (a damaged archive is read as what its name says, so the
message says what is wrong with *that* kind of file).

Contract: the blocks of the document in order, as ``blocks.py`` describes them
(``Paragraph`` for text outside tables; ``Table`` with ``rows``, ``grid`` — None for the
text form only — and ``where``).  Any input that cannot be read ends in a ``UserError``
(exit code 2) whose Chinese message names the file and says what to do; never a
traceback.
"""

from __future__ import annotations

import email
import email.policy
import io
import os
import zipfile
from pathlib import Path

from xl_addin.core.errors import UserError
from xl_addin.documents.importers.blocks import Block
from xl_addin.files.atomic import read_regular

SUPPORTED = ("文本（.txt）、Word（.docx）、网页（.htm、.html、.mht）、PDF（.pdf）、"
             "Excel（.xlsx、.xlsm、.xls）")
_TEXT_SUFFIXES = {".txt", ".text"}
_HTML_SUFFIXES = {".htm", ".html", ".xhtml"}
_MHT_SUFFIXES = {".mht", ".mhtml"}
_SHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _zip_kind(raw: bytes, suffix: str, name: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            names = set(z.namelist())
    except zipfile.BadZipFile:
        # a damaged archive: let the reader its name promises explain what is wrong
        if suffix in _SHEET_SUFFIXES:
            return "sheet"
        return "docx"
    if "word/document.xml" in names:
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "sheet"
    if "content.xml" in names:
        raise UserError(f"“{name}”是 OpenDocument（WPS/LibreOffice）格式，请另存为 .docx 或"
                        f" .xlsx 后再导入。支持的格式：{SUPPORTED}。")
    raise UserError(f"“{name}”是压缩包，里面没有 Word 或 Excel 文档，无法导入。"
                    f"支持的格式：{SUPPORTED}。")


def _ole_kind(raw: bytes, name: str) -> str:
    """An OLE compound file: an encrypted Office file, an old .doc, or an .xls."""
    if _utf16("EncryptedPackage") in raw:
        raise UserError(f"“{name}”已设置打开密码，无法读取。请在 Office 中取消密码后另存，"
                        "再导入。")
    if _utf16("WordDocument") in raw:
        raise UserError(f"“{name}”是旧版 Word（.doc）格式，请在 Word 中另存为 .docx 后再导入。")
    return "sheet"


def _looks_like_html(head: str) -> bool:
    head = head.lstrip("\ufeff \t\r\n").lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or any(
        tag in head for tag in ("<html", "<table", "<body"))


def _kind(raw: bytes, suffix: str, name: str) -> str:
    """What the file is: "pdf", "docx", "sheet", "html", "mht" or "text"."""
    if b"%PDF-" in raw[:1024]:
        return "pdf"
    if raw.startswith(b"PK\x03\x04"):
        return _zip_kind(raw, suffix, name)
    if raw.startswith(_OLE):
        return _ole_kind(raw, name)
    if raw.startswith(b"{\\rtf"):
        raise UserError(f"“{name}”是 RTF 格式，请在 Word 中另存为 .docx 后再导入。")
    head = raw[:4096].decode("latin-1")
    if suffix in _MHT_SUFFIXES or (head.lstrip().lower().startswith(("mime-version", "from:"))
                                   and "multipart/related" in head.lower()):
        return "mht"
    if suffix in _HTML_SUFFIXES or _looks_like_html(head):
        return "html"
    if suffix in _TEXT_SUFFIXES and b"\x00" not in raw[:4096]:
        return "text"
    # not what its name says: that reader explains the damage in its own terms
    if suffix == ".pdf":
        return "pdf"
    if suffix in (".docx", ".docm"):
        return "docx"
    if suffix in _SHEET_SUFFIXES:
        return "sheet"
    raise UserError(f"无法导入“{name}”：不支持这种文件格式。支持的格式：{SUPPORTED}。")


def _mht_html(raw: bytes, name: str) -> str:
    """The page inside a web archive (.mht): its first text/html part."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            try:
                return part.get_content()
            except (LookupError, ValueError) as exc:
                raise UserError(f"无法读取网页存档“{name}”中的网页：编码无法识别。"
                                "请在浏览器中打开后另存为 .html 再导入。") from exc
    raise UserError(f"网页存档“{name}”中没有网页内容（text/html），无法导入。"
                    "请在浏览器中打开后另存为 .html 再导入。")


def _text(raw: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UserError(f"无法识别“{name}”的文字编码，请另存为 UTF-8 文本后再导入。")


def read_document(path: str | os.PathLike[str]) -> list[Block]:
    """The blocks of a published document in any supported format (see module doc)."""
    src = Path(path)
    name = src.name
    raw = read_regular(src, "文档")
    if not raw.strip():
        raise UserError(f"“{name}”是空文件，没有可导入的内容。请检查是否选对了文件。")
    kind = _kind(raw, src.suffix.lower(), name)
    # each reader is imported when needed: pdfplumber and lxml.html take a while to load
    if kind == "pdf":
        from xl_addin.documents.importers.pdf_reader import read_pdf

        return read_pdf(src)
    if kind == "docx":
        from xl_addin.documents.importers.docx_reader import read_docx

        return read_docx(src)
    if kind == "sheet":
        from xl_addin.documents.importers.sheet_reader import read_sheets

        return read_sheets(src)
    if kind in ("html", "mht"):
        from xl_addin.documents.importers.html_reader import decode_html, html_blocks

        return html_blocks(_mht_html(raw, name) if kind == "mht" else decode_html(raw), name)
    from xl_addin.documents.importers.text_reader import read_text

    return read_text(_text(raw, name))
