"""Click's help and usage errors in Chinese, for every command and the group."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from xl_addin.cli import cli

#: click's own English words: none may remain in any help or usage error
ENGLISH = re.compile(r"Usage|Options|Show this message|Show the version|required|default|"
                     r"Commands|Arguments|Error|Try |TEXT|INTEGER|PATH|Missing|Invalid")


def commands() -> list[str]:
    ctx = cli.make_context("xl-addin", ["--help"], resilient_parsing=True)
    return cli.list_commands(ctx)


def test_every_command_is_listed() -> None:
    assert {"validate", "fill", "consolidate", "review", "submit"} <= set(commands())


@pytest.mark.parametrize("name", [None, *commands()])
def test_help_is_chinese(name: str | None) -> None:
    args = [name, "--help"] if name else ["--help"]
    result = CliRunner().invoke(cli, args, terminal_width=80, prog_name="xl-addin")
    assert result.exit_code == 0, result.output
    assert ENGLISH.findall(result.output) == []
    command = cli.get_command(None, name) if name else cli  # type: ignore[arg-type]
    assert result.output.startswith(f"用法：xl-addin {name + ' ' if name else ''}[选项]")
    assert "选项：" in result.output and "显示本帮助并退出。" in result.output
    first_line = (command.help or "").split("\n")[0]
    assert first_line[:20] in result.output
    if name is None:
        assert "命令：" in result.output


def test_required_and_default_are_chinese() -> None:
    output = CliRunner().invoke(cli, ["new", "--help"], terminal_width=80).output
    assert "[必填]" in output and "[默认：2015]" in output
    assert "--year 整数" in output and "--unit 文本" in output


@pytest.mark.parametrize(("args", "message"), [
    (["new", "x.xlsx", "--unit", "u"], "缺少选项 '--year'。"),
    (["new", "x.xlsx", "--year", "2022", "--unit", "u", "--frame", "1999"],
     "'--frame' 的取值无效：'1999' 不在可选值 '2015', '2021' 中。"),
    (["validate", "b.xlsx", "--nosuch"], "没有这个选项 '--nosuch'。"),
    (["nosuch"], "没有这个命令 'nosuch'。"),
    (["dump", "a.xlsx", "b.xlsx"], "多余的参数（b.xlsx）"),
])
def test_usage_errors_are_chinese(tmp_path, args, message) -> None:
    proc = subprocess.run([sys.executable, "-m", "xl_addin", *args], cwd=tmp_path,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert "命令用法有误：" in proc.stderr and message in proc.stderr
    assert ENGLISH.findall(proc.stderr) == []
    # click's own report (standalone, as CliRunner runs it) is Chinese too
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "错误：" in result.stderr
    assert ENGLISH.findall(result.stderr) == [], result.stderr
