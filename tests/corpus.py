"""The bad-input corpus, made by code from the imported seed (no hand-edited blobs).

``make_corpus(seed_xlsx, folder)`` writes one file per case and returns {case: path}.
``python -m tests.corpus OUT_DIR`` writes them for a look by hand.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import socket
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

SHEET = "车辆保险费"


def _rewrite_zip(src: Path, dst: Path, change: Callable[[str, bytes], bytes | None],
                 extra: dict[str, bytes] | None = None,
                 methods: dict[str, int] | None = None) -> None:
    """Copy a workbook's archive, changing parts; ``methods`` compresses some parts
    otherwise than by deflate (the reader inflates parts' heads by hand)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = change(item.filename, zin.read(item.filename))
            if data is not None:
                method = (methods or {}).get(item.filename, zipfile.ZIP_DEFLATED)
                zout.writestr(item.filename, data, compress_type=method)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)


def _edit(src: Path, dst: Path, edit: Callable) -> None:
    wb = load_workbook(src)
    edit(wb)
    wb.save(dst)


def not_a_zip(seed: Path, out: Path) -> None:
    out.write_text("这不是工作簿，只是一段文字。", encoding="utf-8")


def truncated(seed: Path, out: Path) -> None:
    data = seed.read_bytes()
    out.write_bytes(data[: len(data) * 2 // 3])


def encrypted(seed: Path, out: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO(seed.read_bytes())
    with out.open("wb") as f:
        OOXMLFile(plain).encrypt("密码123", f)


def legacy_xls(seed: Path, out: Path) -> None:
    out.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)


def zip_bomb(seed: Path, out: Path) -> None:
    """A part that inflates to 64 MB of zeros from a few kilobytes."""
    zeros = b"0" * (64 * 1024 * 1024)
    _rewrite_zip(seed, out, lambda n, d: d, {"xl/media/bomb.bin": zeros})


def entity_bomb(seed: Path, out: Path, method: int = zipfile.ZIP_DEFLATED) -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')

    def change(name: str, data: bytes) -> bytes:
        if name == "xl/workbook.xml":
            body = data.split(b"?>", 1)[-1]
            return bomb + body.replace(b"<sheets>", b"<sheets>&lol3;", 1)
        return data

    _rewrite_zip(seed, out, change, methods={"xl/workbook.xml": method})


def stored_entity_bomb(seed: Path, out: Path) -> None:
    """The same bomb in a part stored without compression."""
    entity_bomb(seed, out, zipfile.ZIP_STORED)


def bzip2_part(seed: Path, out: Path) -> None:
    """A sheet compressed with bzip2, a method no Office program writes."""
    _rewrite_zip(seed, out, lambda n, d: d, methods={"xl/worksheets/sheet3.xml":
                                                     zipfile.ZIP_BZIP2})


def zip_slip(seed: Path, out: Path) -> None:
    _rewrite_zip(seed, out, lambda n, d: d, {"../../evil.txt": b"x"})


def million_rows(seed: Path, out: Path) -> None:
    """A sheet of a million rows, written as XML directly (openpyxl would take minutes)."""
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 1000001))
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns='
             '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             f"{rows}</sheetData></worksheet>").encode()

    def change(name: str, data: bytes) -> bytes:
        return sheet if name == "xl/worksheets/sheet3.xml" else data

    _rewrite_zip(seed, out, change)


def merged_indicator_block(seed: Path, out: Path) -> None:
    _edit(seed, out, lambda wb: wb[SHEET].merge_cells("A11:G14"))


def formulas_and_errors(seed: Path, out: Path) -> None:
    def edit(wb) -> None:
        ws = wb[SHEET]
        ws["C5"] = "=1/0"
        ws["E5"] = "#REF!"
        ws["E5"].data_type = "e"
        ws["F12"] = "#DIV/0!"
        ws["F12"].data_type = "e"

    _edit(seed, out, edit)


def odd_values(seed: Path, out: Path) -> None:
    def edit(wb) -> None:
        ws = wb[SHEET]
        ws["C5"] = "0.40"  # number stored as text
        ws["E5"] = dt.datetime(2022, 1, 1)  # a date in a money cell
        ws["G5"] = "０．５"  # full-width digits
        ws["B8"] = "二十五"  # words in a plan cell

    _edit(seed, out, edit)


def hidden_sheets(seed: Path, out: Path) -> None:
    def edit(wb) -> None:
        wb[SHEET].sheet_state = "hidden"
        wb["社区工作经费"].sheet_state = "veryHidden"

    _edit(seed, out, edit)


def template_sheets_changed(seed: Path, out: Path) -> None:
    def edit(wb) -> None:
        del wb["项目模板"]
        del wb["参数"]
        wb["部门整体绩效目标"].title = "部门目标（改名）"
        copy = wb.copy_worksheet(wb[SHEET])
        copy.title = "车辆保险费(副本)"

    _edit(seed, out, edit)


def _replace_in(part: str, old: bytes, new: bytes) -> Callable[[str, bytes], bytes]:
    """A ``_rewrite_zip`` change: one replacement in one part (which must hold ``old``)."""
    def change(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        assert old in data, f"{old!r} not in {part}"
        return data.replace(old, new, 1)

    return change


def broken_sheet_target(seed: Path, out: Path) -> None:
    """车辆保险费's relationship points at a part the archive does not hold (openpyxl
    skipped the sheet without a word, and a save wrote the workbook without it)."""
    _rewrite_zip(seed, out, _replace_in("xl/_rels/workbook.xml.rels",
                                        b"/xl/worksheets/sheet5.xml", b"/xl/worksheets/gone.xml"))


def duplicate_sheet_names(seed: Path, out: Path) -> None:
    """Two sheets called 车辆保险费 (calamine read the first twice)."""
    _rewrite_zip(seed, out, _replace_in("xl/workbook.xml", 'name="社区工作经费"'.encode(),
                                        f'name="{SHEET}"'.encode()))


def duplicate_sheet_names_case(seed: Path, out: Path) -> None:
    """Two sheets whose names differ only in case (one name to Excel; openpyxl would not
    even let them be given)."""
    first = _replace_in("xl/workbook.xml", f'name="{SHEET}"'.encode(), b'name="Budget A"')
    second = _replace_in("xl/workbook.xml", 'name="社区工作经费"'.encode(), b'name="budget a"')
    _rewrite_zip(seed, out, lambda name, data: second(name, first(name, data)))


def macro_sheet(seed: Path, out: Path) -> None:
    """The 参数 sheet declared as an Excel 4.0 macro sheet (openpyxl would save it as a
    worksheet)."""
    rels = _replace_in("xl/_rels/workbook.xml.rels",
                       b'relationships/worksheet" Target="/xl/worksheets/sheet18.xml"',
                       b'relationships/xlMacrosheet" Target="/xl/worksheets/sheet18.xml"')
    types = _replace_in("[Content_Types].xml", b'"/xl/worksheets/sheet18.xml" ContentType='
                        b'"application/vnd.openxmlformats-officedocument.spreadsheetml.'
                        b'worksheet+xml"', b'"/xl/worksheets/sheet18.xml" ContentType='
                        b'"application/vnd.ms-excel.macrosheet+xml"')
    _rewrite_zip(seed, out, lambda name, data: types(name, rels(name, data)))


CASES: dict[str, Callable[[Path, Path], None]] = {
    "not_a_zip.xlsx": not_a_zip,
    "truncated.xlsx": truncated,
    "encrypted.xlsx": encrypted,
    "legacy.xls": legacy_xls,
    "zip_bomb.xlsx": zip_bomb,
    "entity_bomb.xlsx": entity_bomb,
    "stored_entity_bomb.xlsx": stored_entity_bomb,
    "bzip2_part.xlsx": bzip2_part,
    "zip_slip.xlsx": zip_slip,
    "million_rows.xlsx": million_rows,
    "merged_indicator_block.xlsx": merged_indicator_block,
    "formulas_and_errors.xlsx": formulas_and_errors,
    "odd_values.xlsx": odd_values,
    "hidden_sheets.xlsx": hidden_sheets,
    "template_sheets_changed.xlsx": template_sheets_changed,
    "broken_sheet_target.xlsx": broken_sheet_target,
    "duplicate_sheet_names.xlsx": duplicate_sheet_names,
    "duplicate_sheet_names_case.xlsx": duplicate_sheet_names_case,
    "macro_sheet.xlsx": macro_sheet,
}


# --- round two: special files


def fifo(seed: Path, out: Path) -> None:
    """A FIFO named like a workbook: opening it to read would wait for a writer forever."""
    os.mkfifo(out)


def dev_zero(seed: Path, out: Path) -> None:
    """A symlink to /dev/zero: read whole, it fills the memory."""
    out.symlink_to("/dev/zero")


def folder(seed: Path, out: Path) -> None:
    """A folder named like a workbook (with a workbook inside, as a unit might send)."""
    out.mkdir()
    shutil.copy2(seed, out / "inside.xlsx")


def unix_socket(seed: Path, out: Path) -> None:
    """A bound unix socket (its file stays when the socket is closed).  Bound by a
    relative name from its folder: a socket's path may hold only ~108 bytes."""
    here = os.getcwd()
    os.chdir(out.parent)
    try:
        with socket.socket(socket.AF_UNIX) as s:
            s.bind(out.name)
    finally:
        os.chdir(here)


@dataclass(frozen=True)
class RoundTwo:
    """A case of the second round (numbers at the edge, merge tangles, special files, big
    books): made fresh in each test's folder (a FIFO or a device cannot be copied), and run
    through every command by ``tests/test_corpus_every_command.py``.

    ``refused`` cases must end in exit 2 with ``says`` in the message; the others must be
    read, and ``validate --json`` must report a finding whose code or type is ``says`` (when
    given)."""

    make: Callable[[Path, Path], None]
    refused: bool
    says: str = ""


#: round two's cases by file name; each part adds its own (grouped by a comment)
ROUND_TWO: dict[str, RoundTwo] = {
    # --- round two: special files
    "fifo.xlsx": RoundTwo(fifo, refused=True, says="不是普通文件"),
    "dev_zero.xlsx": RoundTwo(dev_zero, refused=True, says="不是普通文件"),
    "folder.xlsx": RoundTwo(folder, refused=True, says="文件夹"),
    "socket.xlsx": RoundTwo(unix_socket, refused=True, says="不是普通文件"),
}

def make_corpus(seed: Path, folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, make in CASES.items():
        path = folder / name
        make(seed, path)
        out[name] = path
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1])
    src = target / "seed.xlsx"
    if not src.exists():
        from xl_addin.actions import import_document

        target.mkdir(parents=True, exist_ok=True)
        import_document(Path(__file__).resolve().parents[1] / "examples" / "seed.txt",
                        src).save(backup=False)
    for case, path in make_corpus(src, target).items():
        print(case, path.stat().st_size)
    shutil.rmtree(target / "__pycache__", ignore_errors=True)
