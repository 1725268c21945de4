"""The bad-input corpus, made by code from the imported seed (no hand-edited blobs).

``make_corpus(seed_xlsx, folder)`` writes one file per case and returns {case: path}.
``python -m tests.corpus OUT_DIR`` writes them for a look by hand.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
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


# --- round two: big books
def indicator_rows(seed: Path, out: Path, n: int) -> None:
    """The seed with ``n`` indicator rows on 车辆保险费 (its six cycled, each row's D:E
    merged as the template does), written as sheet XML: openpyxl takes ~40 s to save it."""
    part = "xl/worksheets/sheet5.xml"
    with zipfile.ZipFile(seed) as z:
        xml = z.read(part).decode()
    rows = {int(m[1]): m[0] for m in re.finditer(r'<row r="(\d+)".*?</row>', xml)}
    last = 10 + n

    def numbered(r: int) -> str:
        return re.sub(r'r="([A-G]?)\d+"', lambda m: f'r="{m[1]}{r}"', rows[11 + (r - 11) % 6])

    new_rows = "".join(numbered(r) for r in range(17, last + 1))
    xml = xml.replace("".join(rows[r] for r in range(17, 23)), new_rows)
    merges = "".join(f'<mergeCell ref="D{r}:E{r}"/>' for r in range(23, last + 1))
    xml = re.sub(r'<mergeCells count="(\d+)">',
                 lambda m: f'<mergeCells count="{int(m[1]) + last - 22}">{merges}', xml)
    xml = xml.replace('<dimension ref="A1:G22"/>', f'<dimension ref="A1:G{last}"/>')
    _rewrite_zip(seed, out, lambda name, data: xml.encode() if name == part else data)


def rows_5000(seed: Path, out: Path) -> None:
    """A project sheet of 5,000 indicator rows: refused before parsing (max_rows_per_sheet)."""
    indicator_rows(seed, out, 5000)


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


# --- round two: numbers
# Numbers no budget can hold, in money, plan and target cells: each must become a finding
# on its cell with the text as written (V210, V211, V415), never a Decimal trap.


def _set_cells(cells: dict[str, object]) -> Callable[[Path, Path], None]:
    """A case that writes ``cells`` (A1 -> value) on the 车辆保险费 sheet."""
    def make(seed: Path, out: Path) -> None:
        def edit(wb) -> None:
            for at, value in cells.items():
                wb[SHEET][at] = value

        _edit(seed, out, edit)

    return make


def money_inf(seed: Path, out: Path) -> None:
    """预算数 ``<v>1e999</v>`` and 财政资金 ``<v>-1e999</v>``, which both engines read as
    floats inf and -inf: openpyxl cannot write them, a script or another program can.
    (``<v>NaN</v>``, also a valid xsd:double, is not a case: openpyxl refuses the whole
    file as damaged while calamine reads nan.)"""
    tmp = out.with_suffix(".tmp.xlsx")
    _set_cells({"C5": 123456.0, "E5": 654321.0})(seed, tmp)
    with zipfile.ZipFile(tmp) as z:
        part = next(n for n in z.namelist() if n.startswith("xl/worksheets/")
                    and b"<v>123456</v>" in z.read(n))
    inf = _replace_in(part, b"<v>123456</v>", b"<v>1e999</v>")
    minus = _replace_in(part, b"<v>654321</v>", b"<v>-1e999</v>")
    _rewrite_zip(tmp, out, lambda name, data: minus(name, inf(name, data)))
    tmp.unlink()


#: case -> (the cell, the text as the finding quotes it, the rule)
NUMBER_CASES: dict[str, tuple[dict[str, object], str, str, str]] = {
    "money_1e308.xlsx": ({"C5": 1e308}, "C5", "1e+308", "V210"),
    "money_40_digits.xlsx": ({"E5": int("1234567890" * 4)}, "E5", "1.234567890123457e+39",
                             "V210"),  # openpyxl writes an int this long as a float
    "money_text_300_digits.xlsx": ({"G5": "9" * 300}, "G5", "9" * 300, "V210"),
    "money_text_1e999999.xlsx": ({"C5": "1e999999"}, "C5", "1e999999", "V210"),
    "money_over_limit.xlsx": ({"C5": 2e12}, "C5", "2000000000000", "V210"),
    "money_subnormal.xlsx": ({"C5": 5e-324}, "C5", "5e-324", "V210"),
    "plan_huge.xlsx": ({"B8": "1e999999%", "D8": 1e308}, "B8", "1e999999%", "V211"),
    "target_huge.xlsx": ({"F12": "≥1e999999%", "F11": "≥" + "9" * 300 + "次"}, "F12",
                         "≥1e999999%", "V415"),
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


# --- round two: merges


def _add_merges(seed: Path, out: Path, *refs: str) -> None:
    """Merged ranges added to 车辆保险费's ``<mergeCells>`` as they are, values and the
    ranges there untouched (openpyxl would empty the cells and Excel refuse overlaps)."""
    added = "".join(f'<mergeCell ref="{ref}"/>' for ref in refs).encode()
    _rewrite_zip(seed, out, _replace_in("xl/worksheets/sheet5.xml", b'<mergeCells count="28">',
                                        b'<mergeCells count="28">' + added))


def merges_overlap_body(seed: Path, out: Path) -> None:
    """Two merges that overlap each other (and the 描述 merges) in the indicator body."""
    _add_merges(seed, out, "B12:D14", "C13:E15")


def merges_overlap_header(seed: Path, out: Path) -> None:
    """A merge over the 项目编码 label and its value, overlapping the value's merge."""
    _add_merges(seed, out, "A3:B4")


def merge_whole_sheet(seed: Path, out: Path) -> None:
    """The whole sheet merged into one cell: A1:XFD1048576 (17 billion cells)."""
    _add_merges(seed, out, "A1:XFD1048576")


def merge_huge_body(seed: Path, out: Path) -> None:
    """A merge from just below the indicator block down to row 1,000,000."""
    _add_merges(seed, out, "A23:Z1000000")


def merges_many(seed: Path, out: Path) -> None:
    """100 merges of one column and 500 rows each below the table: none too large alone,
    50,000 cells together (openpyxl would make a ``MergedCell`` of each, slowly: it
    copies the border to each cell through a list search)."""
    from openpyxl.utils import get_column_letter

    _add_merges(seed, out, *(f"{get_column_letter(c)}23:{get_column_letter(c)}522"
                             for c in range(1, 101)))


#: round two's cases by file name; each part adds its own (grouped by a comment)
ROUND_TWO: dict[str, RoundTwo] = {
    # --- round two: numbers
    **{name: RoundTwo(_set_cells(cells), refused=False, says=code)
       for name, (cells, _at, _text, code) in NUMBER_CASES.items()},
    "money_inf.xlsx": RoundTwo(money_inf, refused=False, says="budget-invalid"),
    # --- round two: big books
    "rows_5000.xlsx": RoundTwo(rows_5000, refused=True, says="max_rows_per_sheet"),
    # --- round two: merges
    "merges_overlap_body.xlsx": RoundTwo(merges_overlap_body, refused=False, says="S002"),
    "merges_overlap_header.xlsx": RoundTwo(merges_overlap_header, refused=False, says="S002"),
    "merge_whole_sheet.xlsx": RoundTwo(merge_whole_sheet, refused=False, says="S003"),
    "merge_huge_body.xlsx": RoundTwo(merge_huge_body, refused=False, says="S003"),
    "merges_many.xlsx": RoundTwo(merges_many, refused=False, says="S003"),
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
        from xl_addin.actions.workbook import import_document

        target.mkdir(parents=True, exist_ok=True)
        import_document(Path(__file__).resolve().parents[1] / "examples" / "seed.txt",
                        src).save(backup=False)
    for case, path in make_corpus(src, target).items():
        print(case, path.stat().st_size)
    shutil.rmtree(target / "__pycache__", ignore_errors=True)
