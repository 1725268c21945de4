"""Must show 4: LibreOffice opens the imported workbook and renders every project."""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest

from xl_addin.core.errors import UserError
from xl_addin.documents import libreoffice
from xl_addin.documents.libreoffice import convert
from xl_addin.engines.guards import limits


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
    short = replace(limits(), libreoffice_timeout_seconds=0.3)
    monkeypatch.setattr(libreoffice, "limits", lambda: short)
    with pytest.raises(UserError, match=r"LibreOffice 转换“seed.xlsx”超时（0.3 秒）"):
        libreoffice.convert(seed_book_path, "pdf", tmp_path / "out")
    assert processes_mentioning(str(profiles)) == {}
    assert list(profiles.iterdir()) == []  # the profile is gone too


def test_department_sheet_with_indicator_rows_prints_on_a4(seed_model, tmp_path) -> None:
    """The overview with its indicator block: one A4 page wide, every cell's text
    printed whole (the last column and a description that wraps included)."""
    from openpyxl import load_workbook

    from tests.department import SOUND_ROWS, build, with_department_rows

    path = build(with_department_rows(seed_model, SOUND_ROWS), tmp_path / "dept.xlsx")
    wb = load_workbook(path)
    for name in wb.sheetnames:
        if name != "部门整体绩效目标":
            del wb[name]
    wb.save(path)
    pdf = convert(path, "pdf", tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    assert "pts (A4)" in info and "Pages:           1" in info, info
    flat = "".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                                  text=True, check=True).stdout.split())
    for label in ("绩效指标", "一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值确定依据"):
        assert label in flat, label
    for ind in SOUND_ROWS:
        for text in (ind.level2, ind.level3, ind.description, ind.basis):
            assert _in_order(text, flat), text
    assert _in_order(seed_model.department.measures[0], flat)


def _in_order(text: str, printed: str) -> bool:
    """Every character of ``text`` printed, in order: a cell's wrapped lines come out
    of pdftotext between the neighbouring cells' lines, but none is cut off."""
    rest = iter(printed)
    return all(ch in rest for ch in text)
