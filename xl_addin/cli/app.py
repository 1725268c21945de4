"""The ``xl-addin`` group: loading each command when it runs, and what every command
shares — its errors as Chinese messages and exit codes, saving, refusing to overwrite.

The commands live in the modules beside this one (``book``, ``submit``, ``review``,
``accept``, ``next_year``, ``addin``, ``release``); ``_COMMANDS`` says which.

Exit codes: 0 fine, 1 the workbook has errors, 2 the input could not be used (one clear
Chinese message on stderr), 3 an internal error (a bug: ``--debug`` shows the traceback).
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.text import Text

from xl_addin import __version__
from xl_addin.cli import click_zh
from xl_addin.core.errors import (
    ENVIRONMENT_ERRNOS,
    EXIT_OK,
    EXIT_UNUSABLE,
    UserError,
    cannot_access,
    os_cause,
)
from xl_addin.files.interrupt import signals_unwind

click_zh.install()  # before the commands are declared: their help is formatted in Chinese

if TYPE_CHECKING:
    from xl_addin.engines.file import FileBook

EXIT_BUG = 3


class PlainWhenPiped(Console):
    """A console that wraps only in a terminal: into a file or a pipe every message is
    written whole, on one line (a log or ``grep`` then sees it as it was said, not cut at
    rich's default 80 columns in mid-phrase)."""

    def print(self, *objects: Any, soft_wrap: bool | None = None, **kwargs: Any) -> None:
        if soft_wrap is None:
            soft_wrap = self.soft_wrap or not self.is_terminal
        super().print(*objects, soft_wrap=soft_wrap, **kwargs)


err = PlainWhenPiped(stderr=True, highlight=False)


def _refuse_overwrite(path: Path, force: bool) -> None:
    """Refuse, before any work, an output that cannot be written or that exists (the
    user's file, replaced only with ``--force``)."""
    from xl_addin.files.writable import check_output

    check_output(path)
    if (path.exists() or path.is_symlink()) and not force:
        raise UserError(f"“{path}”已存在。为避免覆盖您的内容，未写入；如确需覆盖，请加 --force。")


def _refuse_other_out(book: Path, out: Path | None, force: bool) -> None:
    """``-o OUT`` may name the workbook itself (written in place, with its .bak), but an
    existing other file is the user's and is replaced only with ``--force``.  What may
    never be written (a symlink, a device, a file open in Excel) is said first: --force
    would not help there."""
    from xl_addin.engines.guards import check_write_target, same_file
    from xl_addin.files.writable import check_output

    if out is not None and not same_file(book, out):
        check_output(out)
        check_write_target(out)
        _refuse_overwrite(out, force)
    else:  # in place: the .bak, the temporary file and the lock go beside it
        check_output(book)


def _interrupted_message(saved: list[Path]) -> str:
    """What an interrupted command leaves: its files as they were, or, when it was
    stopped after putting some in place, which ones."""
    if not saved:
        return "已中断，未作改动：文件与运行前相同，锁文件和临时文件已清除。"
    names = "、".join(str(p) for p in dict.fromkeys(saved))
    return f"已中断。中断前已保存：{names}（已完整写入）；其余未作改动，锁文件和临时文件已清除。"


def _done(message: str) -> None:
    err.print(f"[green]✓[/green] {message}")


def _save(book: FileBook) -> None:
    """How every command saves a workbook it changed (opened by ``FileBook.for_update``):
    the sheets xlwings would obey go first, and the user is told (issue 19)."""
    from xl_addin.forms.safety import remove_steering_sheets, removed_message

    removed = remove_steering_sheets(book)
    book.save()
    if removed:
        err.print(f"[yellow]![/yellow] {removed_message(removed)}")


#: each command and the module that defines it, imported only when the command runs
#: (or ``--help`` lists them all): a command loads what it needs and nothing more
_COMMANDS = {
    "new": "book", "import": "book", "add-project": "book", "dump": "book",
    "fill": "book", "validate": "book", "clear-marks": "book",
    "categories": "book", "consolidate": "submit", "submit": "submit",
    "review": "review", "build-addin": "addin", "install": "addin",
    "release-check": "release", "accept": "accept",
    "next-year": "next_year", "drop-project": "next_year",
}


class _Command(click.Command):
    """A command whose usage line reads ``xl-addin validate [选项] BOOK``; an
    operating-system error on one of the paths it was given is the user's to fix."""

    context_class = click_zh.Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OSError as exc:
            failed = _users_path_error(exc, [v for v in ctx.params.values()
                                             if isinstance(v, Path)])
            if failed is None:
                raise
            raise failed from exc


def _users_path_error(exc: OSError, given: list[Path]) -> UserError | None:
    """``exc`` as the user's error when it is one: an error of the machine (a full disk,
    a read-only mount) on whatever file, or any error on a path the command was given or
    one beside or inside it (its temporary file, backup or lock, a file in a folder
    given).  None for anything else: that is a bug and must stay one."""
    if exc.filename is None:
        return None  # no file to name: the top-level handler decides
    failed = Path(os.fsdecode(exc.filename)).absolute()
    for path in given:
        mine = path.absolute()
        if exc.errno in ENVIRONMENT_ERRNOS or failed.parent == mine.parent \
                or mine in (failed, *failed.parents):
            return cannot_access(exc.filename, exc)
    return None


class _Cli(click.Group):
    """Turns a user's mistake into one Chinese message and exit code 2, a bug into exit 3
    (traceback with --debug), and a command's returned number into the exit code; loads
    each command's module when the command is asked for."""

    command_class = _Command
    context_class = click_zh.Context

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in _COMMANDS:
            importlib.import_module(f"{__package__}.{_COMMANDS[cmd_name]}")
        return self.commands.get(cmd_name)

    def invoke(self, ctx: click.Context) -> object:
        debug = "--debug" in sys.argv or bool(ctx.params.get("debug"))
        signals = None
        try:
            with signals_unwind() as signals:  # SIGTERM unwinds as Ctrl-C does
                code = super().invoke(ctx)
        except UserError as exc:
            if debug:
                traceback.print_exc()
            err.print(f"[red]错误：[/red]{exc.message}")
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except BrokenPipeError:  # `| head` stopped reading: not a bug, nothing lost
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            err.print("输出已截断：读取输出的程序已提前结束。")
            ctx.exit(EXIT_UNUSABLE)
        except KeyboardInterrupt:
            err.print(_interrupted_message(signals.saved if signals else []), markup=False)
            ctx.exit(EXIT_UNUSABLE)
        except Exception as exc:  # a bug, not the user's mistake
            if isinstance(exc, OSError) and exc.errno in ENVIRONMENT_ERRNOS:
                # a full disk under a redirected stdout (or the lock file): the machine's
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                err.print(f"[red]错误：[/red]无法完成：{os_cause(exc)}（写入屏幕输出的重定向文件或锁文件时）。"
                          "工作簿只会是原样或已完整写好，不会写了一半；请腾出空间后再试。")
                ctx.exit(EXIT_UNUSABLE)
            if debug:
                traceback.print_exc()
            err.print(f"[red]内部错误：[/red]{type(exc).__name__}: {exc}。这是本工具的缺陷，"
                      "请加 --debug 重试并把输出反馈给开发者。")
            ctx.exit(EXIT_BUG)
        if isinstance(code, int) and code:
            ctx.exit(code)
        return code


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]},
             options_metavar="[选项]", subcommand_metavar="命令 [参数]...")
@click.version_option(__version__, prog_name="xl-addin")
@click.option("--debug", is_flag=True, help="出错时显示完整的调用栈（供开发者排查）。")
def cli(debug: bool) -> None:
    """预算项目绩效目标表：新建、导入、校验、填充、汇总与提交。"""


def _full_stop(message: str) -> str:
    """Click ends a few messages with its own ASCII full stop ("缺少选项 '--year'.")."""
    return message[:-1] + "。" if message.endswith(".") else message


def main(argv: list[str] | None = None) -> None:
    """Entry point: usage mistakes get a Chinese lead-in and exit code 2."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        code = cli.main(args=args, prog_name="xl-addin", standalone_mode=False)
    except click.exceptions.Abort:
        err.print("已取消。")
        sys.exit(EXIT_UNUSABLE)
    except click.ClickException as exc:
        # click's message quotes what was typed: text, never markup ([2015|2021])
        err.print(Text("命令用法有误：", style="red"), Text(_full_stop(exc.format_message())),
                  "（用 -h 查看帮助）", sep="")
        sys.exit(EXIT_UNUSABLE)
    sys.exit(code if isinstance(code, int) else EXIT_OK)
