"""A folder holding a unit's workbook and its 报送 copy: the same project codes in two
files are summed once (the newer file counts), each other row listed with a finding."""

from __future__ import annotations

import json
import os
import shutil
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from xl_addin.actions.review_book import UNCOUNTED
from xl_addin.cli import cli


def test_a_workbook_and_its_copy_are_summed_once(seed_book_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "报送"
    folder.mkdir()
    alone = tmp_path / "一份"
    alone.mkdir()
    shutil.copy2(seed_book_path, alone / "seed.xlsx")
    shutil.copy2(seed_book_path, folder / "seed.xlsx")
    shutil.copy2(seed_book_path, folder / "seed-报送.xlsx")
    os.utime(folder / "seed.xlsx", (1_700_000_000, 1_700_000_000))  # the older file
    runner = CliRunner()
    once = json.loads(runner.invoke(cli, ["review", str(alone), "--json"]).stdout)
    result = runner.invoke(cli, ["review", str(folder), "--json", "-o", str(tmp_path / "r.xlsx")])
    twice = json.loads(result.stdout)

    assert twice["total"]["预算数"] == once["total"]["预算数"] == "501.64"
    assert Decimal(twice["units"][0]["预算数"]) == Decimal("501.64")
    dup = [f for f in twice["findings"] if f["type"] == "duplicate-code"]
    assert len(dup) == 12 and {f["file"] for f in dup} == {"seed.xlsx"}
    assert all(f["severity"] == "warning" and f["suggestion"] == "seed-报送.xlsx" for f in dup)
    assert "只计一次" in dup[0]["message"] and dup[0]["project_code"] in dup[0]["message"]
    listed = [r for r in twice["summary"] if r["项目名称"].endswith(UNCOUNTED)]
    assert len(listed) == 12 and {r["文件"] for r in listed} == {"seed.xlsx"}
    status = {s["文件"]: s for s in twice["status"]}
    assert "12 个项目与其他文件重复" in status["seed.xlsx"]["原因"]
    assert "重复" not in status["seed-报送.xlsx"]["原因"]

    wb = load_workbook(tmp_path / "r.xlsx")
    assert sum("只计一次" in str(row[6]) for row in wb["问题清单"].iter_rows(
        min_row=2, values_only=True)) == 12
    assert "12 个项目的编码在两个文件中都有" in result.stderr


def test_one_file_alone_has_no_duplicates(seed_book_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "d"
    (folder / "a").mkdir(parents=True)
    shutil.copy2(seed_book_path, folder / "a" / "seed.xlsx")
    out = json.loads(CliRunner().invoke(cli, ["review", str(folder), "--json"]).stdout)
    assert not [f for f in out["findings"] if f["type"] == "duplicate-code"]
    assert out["total"]["预算数"] == "501.64"
