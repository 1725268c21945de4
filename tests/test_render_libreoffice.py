"""Must show 4: LibreOffice opens the imported workbook and renders every project."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest

from xl_addin import libreoffice
from xl_addin.errors import UserError
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


def processes_mentioning(text: str) -> dict[int, str]:
    """The live processes whose command line contains ``text`` (zombies have none)."""
    found = {}
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # the process ended while we looked
            continue
        if text in args:
            found[int(cmdline.parent.name)] = args
    return found


def test_a_timeout_kills_every_libreoffice_process(seed_book_path, tmp_path, monkeypatch
                                                   ) -> None:
    """soffice starts soffice.bin: killing only the first would leave the second running."""
    profiles = tmp_path / "tmp"
    profiles.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(profiles))  # where the profile is made
    monkeypatch.setattr(libreoffice, "TIMEOUT_S", 0.3)
    with pytest.raises(UserError, match=r"LibreOffice 转换“seed.xlsx”超时（0.3 秒）"):
        libreoffice.convert(seed_book_path, "pdf", tmp_path / "out")
    assert processes_mentioning(str(profiles)) == {}
    assert list(profiles.iterdir()) == []  # the profile is gone too
