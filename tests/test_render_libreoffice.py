"""Must show 4: LibreOffice opens the imported workbook and renders every project."""

from __future__ import annotations

import subprocess

from xl_addin.libreoffice import convert


def test_pdf_holds_every_project(seed_model, seed_book_path, tmp_path) -> None:
    pdf = convert(seed_book_path, "pdf", tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = "".join(text.split())
    for p in seed_model.projects:
        assert p.code in flat, p.code
        assert f"{p.name}绩效目标表" in flat, p.name  # the title formula was calculated
    assert "部门整体绩效目标" in flat
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                           check=True).stdout
    n_pages = int(next(line.split()[-1] for line in pages.splitlines()
                       if line.startswith("Pages:")))
    assert n_pages >= 12 + 1  # one A4 page per project, plus the overview
