"""What a clerk sees: findings as blocks in a terminal (run for real in a pseudo-terminal
of 80 columns), one-line records into a file or a pipe, messages never cut there."""

from __future__ import annotations

import fcntl
import io
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import unicodedata

import pytest
from click.testing import CliRunner
from rich.console import Console

from xl_addin.cli import cli
from xl_addin.core.findings import Finding
from xl_addin.core.wrap import wrap
from xl_addin.rules.report import Report

SHEET = "社区党组服务群众经费"  # the seed's sheet with the most findings (12 alone)


def findings_of(book) -> list[dict]:
    result = CliRunner().invoke(cli, ["validate", str(book), "--sheet", SHEET, "--json"])
    return json.loads(result.stdout)["findings"]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def columns(line: str) -> int:
    """Display width: a wide (Chinese) character takes two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def in_terminal(args: list[str], width: int = 80) -> tuple[int, list[str]]:
    """Run the command line in a pseudo-terminal of ``width`` columns: its lines."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, width, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    proc = subprocess.Popen([sys.executable, "-m", "xl_addin", *args], stdin=slave,
                            stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    text = ANSI.sub("", b"".join(chunks).decode("utf-8"))
    return proc.wait(), text.replace("\r\n", "\n").splitlines()


def report_of(book) -> dict:
    result = CliRunner().invoke(cli, ["validate", str(book), "--sheet", SHEET, "--json"])
    return json.loads(result.stdout)


def test_findings_in_an_80_column_terminal_are_blocks(seed_copy) -> None:
    """The 校验概要 first (counts, by type, 先改这三处), then one block per folded line."""
    d = report_of(seed_copy)
    n, groups = len(d["findings"]), d["groups"]
    code, lines = in_terminal(["validate", str(seed_copy), "--sheet", SHEET])
    assert code == 1
    heads = [line for line in lines if line.startswith(f"{SHEET}!")]
    assert len(heads) == len(groups) < n == 12
    assert max(columns(line) for line in lines) <= 80
    # the summary, then per folded line its head and the message wrapped at 80 columns;
    # a table squeezed the message to 12 columns: over 15 lines a finding
    assert len(lines) <= n * 4
    assert lines[0].startswith(f"校验概要：共 {n} 条，归并为 {len(groups)} 行（错误 ")
    fix = lines.index("先改这三处：")
    assert lines.index(heads[0]) > fix + 3  # the summary comes before the lines
    assert [line.split(" · ")[0] for line in lines[fix + 1:fix + 4]] == [
        f"  {i}. {groups[g]['place']}" for i, g in enumerate(d["fix_first"], start=1)]
    assert "  编码年份与预算年度不符 1 条 · V103" in lines[1:fix]
    assert "编码年份与预算年度不符 · V103" in heads[0] and "错误" in heads[0]
    message = "".join(lines[lines.index(heads[0]) + 1:lines.index(heads[1])])
    assert "与预算年度2022年不一致。请改用2022年度预算系统中的项目编码。" in message
    folded = next(g for g in groups if g["code"] == "V401")
    assert folded["count"] == 6  # six 是/否 targets on the sheet
    assert f"{SHEET}!{folded['place'].split('!')[1]} · 错误 · 指标值为是/否 · V401 · " \
           f"{folded['count']} 处" in heads


def test_findings_into_a_file_are_one_line_each(seed_copy) -> None:
    n = len(findings_of(seed_copy))
    result = CliRunner().invoke(cli, ["validate", str(seed_copy), "--sheet", SHEET])
    records = result.stdout.splitlines()
    assert len(records) == n == 12
    fields = [r.split("\t") for r in records]
    assert {len(f) for f in fields} == {6}
    assert fields[0][:4] == [f"{SHEET}!B3", "错误", "编码年份与预算年度不符", "V103"]
    assert fields[0][4].endswith("请改用2022年度预算系统中的项目编码。")
    assert f"共 {n} 条" in result.stderr


def test_a_record_has_no_line_break_and_keeps_a_suggestion_not_quoted() -> None:
    f = Finding("basis-invalid", "V501", "info", "确定依据“冀财资[2017]674号”\n不规范。",
                sheet="项目乙", cell="G11", suggestion="其他标准")
    assert Report([f]).records() == [
        "项目乙!G11\t提示\t确定依据不规范\tV501\t确定依据“冀财资[2017]674号” 不规范。\t其他标准"]
    out = Console(file=io.StringIO(), force_terminal=True, width=40, record=True)
    Report([f]).print(out)
    shown = out.export_text()
    assert "建议：其他标准" in shown
    assert "冀财资[2017]674号" in shown  # brackets are text, not markup


def test_the_error_console_never_wraps_into_a_file() -> None:
    from xl_addin.cli.app import PlainWhenPiped

    long = "这是一条很长的提示，" * 20
    piped = PlainWhenPiped(file=io.StringIO(), width=80)
    piped.print(long)
    assert piped.file.getvalue() == long + "\n"
    terminal = PlainWhenPiped(file=io.StringIO(), width=80, force_terminal=True)
    terminal.print(long)
    assert len(terminal.file.getvalue().splitlines()) > 1


def test_plain_messages_are_not_wrapped_into_a_file(seed_copy) -> None:
    """The fill's line per sheet is long: into a file it stays one line."""
    proc = subprocess.run([sys.executable, "-m", "xl_addin", "fill", str(seed_copy)],
                          capture_output=True, text=True, check=True,
                          env={**os.environ, "COLUMNS": "80"})
    lines = proc.stderr.splitlines()
    assert max(columns(line) for line in lines) > 80
    assert len(lines) == 12 + 1  # one per project sheet and the total


@pytest.mark.parametrize(("text", "width", "lines"), [
    # never before closing punctuation: the 。 goes with the character before it
    ("一二三四。五六", 8, ["一二三", "四。五六"]),
    # never after opening punctuation, never inside a code or a number
    ("甲乙“ABC123”丙", 8, ["甲乙", "“ABC123”", "丙"]),
    ("目标值≥95%为好", 9, ["目标值", "≥95%为好"]),
    ("one two three", 8, ["one two", "three"]),
    ("x" * 12, 5, ["xxxxx", "xxxxx", "xx"]),  # longer than a line: cut, as a last resort
])
def test_wrap_breaks_where_a_reader_accepts(text, width, lines) -> None:
    assert wrap(text, width) == lines
    assert all(columns(line) <= width for line in wrap(text, width))


def test_a_reader_that_stops_early_is_not_a_bug(seed_copy) -> None:
    """``validate BOOK | head -1``: the pipe closes early, which is no internal error."""
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)  # far less than the seed's findings
    proc = subprocess.Popen([sys.executable, "-m", "xl_addin", "validate", str(seed_copy)],
                            stdout=write_end, stderr=subprocess.PIPE)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        first = reader.readline()
    _, stderr = proc.communicate()
    assert proc.returncode == 2 and first.count(b"\t") == 5
    text = stderr.decode("utf-8")
    assert "内部错误" not in text and "输出已截断" in text
