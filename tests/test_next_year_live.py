"""Issue 15 on xlwings' remote engine: the 复制上年 button gives the workbook the command
line gives, part for part; 删除项目 and 删除未续建 (the projects ticked 否 on 续建项目)
leave the workbook as the file engine does.

The buttons run through ``ribbon.dispatch`` on a remote book built from a workbook as
the VBA and Office.js clients send it (``tests.remote_excel``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl.workbook.workbook import Workbook

from tests.remote_excel import Applier, actions, cached_payload, remote_book, state
from tests.test_next_year import listed
from tests.test_ribbon import FileUi
from tests.xlsx_compare import differing_parts
from xl_addin.addin import ribbon
from xl_addin.engines.file import FileBook
from xl_addin.forms.names import CHOICE_SHEET, SUMMARY_SHEET

CLIENTS = ["VBA", "Office.js"]
SHEET = "车辆保险费"
#: 车辆保险费 and the fourth project marked 否 on 续建项目
TICKED = {"E2": "否", "E5": "否"}


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
    assert SHEET not in live.wb.sheetnames
    assert same(live.wb, on_file.wb, client)


def same(live: Workbook, on_file: Workbook, client: str) -> bool:
    """The two workbooks' states equal, as far as the client can write them."""
    notes = client == "Office.js"  # xlwings' VBA client cannot add notes
    return timeless(state(live, notes), client) == timeless(state(on_file, notes), client)


def timeless(seen: dict, client: str) -> dict:
    """A workbook's state without the 汇总's time (the one value that must differ) and
    its row heights (Excel fits a report's rows itself, as in test_ribbon).  xlwings'
    VBA client cannot add dropdowns either: 续建项目's 是/否 list is left out for it
    (its values are compared, and ``read_ticks`` refuses any other value)."""
    seen[SUMMARY_SHEET].pop("heights")
    values = seen[SUMMARY_SHEET]["values"]
    label = next(c for c, v in values.items() if v == "汇总时间")
    values.pop(f"C{label[1:]}")
    if client == "VBA":
        seen[CHOICE_SHEET].pop("dropdowns")
    return seen


@pytest.mark.parametrize("client", CLIENTS)
def test_drop_unticked_on_the_remote_engine_as_the_file_engine(from_cli, tmp_path,
                                                               client) -> None:
    src = listed(from_cli, tmp_path / "ticked.xlsx", TICKED)
    book = remote_book(cached_payload(src, client, CHOICE_SHEET, constant_names=True))
    message = ribbon.dispatch("drop_unticked", book, reason="删除")
    assert message.startswith("已删除 2 个未续建的项目表：车辆保险费、古城社区居民清洁取暖补贴")
    live = Applier(src).play(actions(book))
    on_file = FileBook(src)  # in memory only
    said = ribbon.HANDLERS["drop_unticked"].run(ribbon.Press(on_file, FileUi(), CHOICE_SHEET,
                                                             reason="删除"))
    assert said == message
    assert {SHEET, "古城社区居民清洁取暖补贴"} & set(live.wb.sheetnames) == set()
    assert same(live.wb, on_file.wb, client)
    dropdowns = state(live.wb)[CHOICE_SHEET]["dropdowns"]
    assert dropdowns == (["E2:E11"] if client == "Office.js" else [])


def test_drop_unticked_needs_the_confirmation_and_takes_no_other(from_cli, tmp_path) -> None:
    src = listed(from_cli, tmp_path / "ticked.xlsx", TICKED)
    book = remote_book(cached_payload(src, "Office.js", CHOICE_SHEET, constant_names=True))
    assert "reason=删除" in ribbon.dispatch("drop_unticked", book)
    book = remote_book(cached_payload(src, "Office.js", CHOICE_SHEET, constant_names=True))
    assert ribbon.dispatch("drop_unticked", book, reason="好的") is None
    assert [a["func"] for a in actions(book)] == []  # cancelled: nothing written


def test_drop_unticked_with_nothing_ticked_says_so(from_cli) -> None:
    book = remote_book(cached_payload(from_cli, "VBA", CHOICE_SHEET, constant_names=True))
    message = ribbon.dispatch("drop_unticked", book, reason="删除")
    assert "没有“续建”选“否”的项目，未作改动" in message
    assert [a["func"] for a in actions(book)] == ["alert"]


def test_drop_project_on_the_remote_engine_needs_the_name(from_cli) -> None:
    book = remote_book(cached_payload(from_cli, "Office.js", SHEET, constant_names=True))
    assert "project_name" in ribbon.dispatch("drop_project", book)
