"""The README's pictures, rendered by LibreOffice from the seed so they stay current.

    .venv/bin/python -m scripts.screenshots [OUTDIR]      # default: docs/img

Imports ``examples/seed.txt``, validates it with marks and consolidates it (as
``scripts/main-job.sh`` does), renders one project sheet, the 校验结果 and 汇总 tabs and
the submitted .docx to PDF with LibreOffice (``xl_addin.documents.libreoffice``), turns each
first page (the docx: its Part 2's first page) into a PNG with poppler's pdftoppm and
crops the blank paper around it.  Nothing is drawn by hand: a change to the layout
shows in the pictures the next time this runs.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pdfplumber
from openpyxl import load_workbook
from PIL import Image, ImageOps

from xl_addin.documents.exporters.docx_writer import write_docx
from xl_addin.documents.libreoffice import convert_all
from xl_addin.engines.file import FileBook
from xl_addin.forms.book import read_model

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "seed.txt"
DPI = 90
MARGIN_PX = 12  # white kept around the cropped content

#: picture -> the sheet it shows ("" : the project sheet with the most lines of 资金用途)
SHEET_PICTURES = {"project-sheet.png": "", "validation-results.png": "校验结果",
                  "summary-sheet.png": "汇总"}
DOCX_PICTURE = "docx-page.png"


def _cli(*args: str) -> int:
    """Run the command line as a user would (exit 1 is findings: the seed has errors)."""
    done = subprocess.run([sys.executable, "-m", "xl_addin", *args], capture_output=True,
                          text=True)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"xl-addin {' '.join(args)}: {done.stderr.strip()}")
    return done.returncode


def _only(book: Path, sheet: str, dst: Path) -> Path:
    """A copy of ``book`` holding ``sheet`` alone, so its PDF starts with that sheet."""
    wb = load_workbook(book)
    for name in wb.sheetnames:
        if name != sheet:
            del wb[name]
    wb.save(dst)
    return dst


def _png(pdf: Path, page: int, out: Path) -> Path:
    """Page ``page`` of ``pdf`` as a PNG, cropped to what is printed on it."""
    stem = out.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(DPI), "-f", str(page), "-l", str(page), "-png",
                    "-singlefile", str(pdf), str(stem)], check=True, capture_output=True)
    with Image.open(out) as img:
        rgb = img.convert("RGB")
    box = ImageOps.invert(rgb.convert("L")).getbbox()
    if box is not None:
        left, top, right, bottom = box
        rgb = rgb.crop((max(0, left - MARGIN_PX), max(0, top - MARGIN_PX),
                        min(rgb.width, right + MARGIN_PX), min(rgb.height, bottom + MARGIN_PX)))
    rgb.save(out, optimize=True)
    return out


def _part_two_page(pdf: Path) -> int:
    """The first page of the docx's Part 2 (a project's two tables)."""
    with pdfplumber.open(pdf) as doc:
        for n, page in enumerate(doc.pages, start=1):
            if "第二部分" in "".join((page.extract_text() or "").split()):
                return n
    return 1


def make(outdir: Path) -> list[Path]:
    """Render the pictures into ``outdir``; returns their paths."""
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xl-addin-shots-") as scratch:
        tmp = Path(scratch)
        book = tmp / "seed.xlsx"
        _cli("import", str(SEED), "-o", str(book), "--force")
        _cli("validate", str(book), "--write")
        _cli("consolidate", str(book))
        model = read_model(FileBook(book)).model
        project = max(model.projects, key=lambda p: len(p.uses))
        sources = [_only(book, sheet or project.sheet, tmp / f"shot-{i}.xlsx")
                   for i, sheet in enumerate(SHEET_PICTURES.values())]
        docx = tmp / "seed-报送.docx"
        write_docx(model, docx)
        pdfs = convert_all([*sources, docx], "pdf", tmp / "pdf")
        out = [_png(pdf, 1, outdir / name)
               for pdf, name in zip(pdfs, SHEET_PICTURES, strict=False)]
        out.append(_png(pdfs[-1], _part_two_page(pdfs[-1]), outdir / DOCX_PICTURE))
    return out


def main(argv: list[str]) -> int:
    outdir = Path(argv[0]) if argv else ROOT / "docs" / "img"
    for path in make(outdir):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
