"""Issue 15 on xlwings' remote engine: the 复制上年 button gives the workbook the command
line gives, part for part; 删除项目 leaves the workbook as the file engine does.

The buttons run through ``ribbon.dispatch`` on a remote book built from a workbook as
the VBA and Office.js clients send it (``tests.remote_excel``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.remote_excel import Applier, actions, cached_payload, remote_book, state
from tests.test_ribbon import FileUi
from tests.xlsx_compare import differing_parts
from xl_addin import ribbon
from xl_addin.engines.file import FileBook
from xl_addin.template.names import SUMMARY_SHEET

CLIENTS = ["VBA", "Office.js"]
SHEET = "车辆保险费"


def cli_next_year(src: Path, out: Path) -> Path:
    proc = subprocess.run([sys.executable, "-m", "xl_addin", "next-year", str(src), "-o", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def from_cli(seed_book_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return cli_next_year(seed_book_path, tmp_path_factory.mktemp("cli") / "next.xlsx")


@pytest.mark.parametrize("client", CLIENTS)
def test_carry_over_on_the_remote_engine_gives_the_clis_workbook(seed_book_path, from_cli,
                                                                 tmp_path, client) -> None:
    book = remote_book(cached_payload(seed_book_path, client, SHEET, constant_names=True))
    message = ribbon.dispatch("carry_over", book, outdir=tmp_path)
    out = tmp_path / "绩效目标_2023.xlsx"
    assert message.startswith("已生成 2023 年度工作簿") and str(out) in message, message
    assert [a["func"] for a in actions(book)] == ["alert"]  # the calling workbook: only read
    assert differing_parts(out, from_cli) == []


def test_carry_over_refuses_to_overwrite(seed_book_path, tmp_path) -> None:
    out = tmp_path / "绩效目标_2023.xlsx"
    out.write_bytes(b"the clerk's own file")
    book = remote_book(cached_payload(seed_book_path, "Office.js", SHEET, constant_names=True))
    message = ribbon.dispatch("carry_over", book, outdir=tmp_path)
    assert "已存在" in message and out.read_bytes() == b"the clerk's own file"


def test_carry_over_needs_a_saved_workbook(seed_book_path) -> None:
    book = remote_book(cached_payload(seed_book_path, "Office.js", SHEET, constant_names=True))
    assert "请先保存" in ribbon.dispatch("carry_over", book)


@pytest.mark.parametrize("client", CLIENTS)
def test_drop_project_on_the_remote_engine_as_the_file_engine(from_cli, client) -> None:
    book = remote_book(cached_payload(from_cli, client, SHEET, constant_names=True))
    message = ribbon.dispatch("drop_project", book, project_name=SHEET)
    assert message.startswith(f"已删除项目表“{SHEET}”"), message
    live = Applier(from_cli).play(actions(book))
    on_file = FileBook(from_cli)  # in memory only
    ribbon.HANDLERS["drop_project"].run(ribbon.Press(on_file, FileUi(), SHEET,
                                                     project_name=SHEET))
    with_notes = client == "Office.js"  # xlwings' VBA client cannot add notes
    assert SHEET not in live.wb.sheetnames
    assert timeless(state(live.wb, with_notes)) == timeless(state(on_file.wb, with_notes))


def timeless(seen: dict) -> dict:
    """A workbook's state without the 汇总's time (the one value that must differ) and
    its row heights (Excel fits a report's rows itself, as in test_ribbon)."""
    seen[SUMMARY_SHEET].pop("heights")
    values = seen[SUMMARY_SHEET]["values"]
    label = next(c for c, v in values.items() if v == "汇总时间")
    values.pop(f"C{label[1:]}")
    return seen


def test_drop_project_on_the_remote_engine_needs_the_name(from_cli) -> None:
    book = remote_book(cached_payload(from_cli, "Office.js", SHEET, constant_names=True))
    assert "project_name" in ribbon.dispatch("drop_project", book)
