"""Click's own words in Chinese: help headings, the help option, [必填]/[默认：…] and the
usage errors, for every command and group.

Click looks up each of its messages through the name ``_`` (and ``ngettext``) that each
of its modules imports from the standard ``gettext`` at import; a catalogue for the
stdlib's gettext would be found only under a Chinese locale, which a clerk's Windows
does not announce.  ``install`` therefore puts a lookup in this catalogue in those
names' place: every message click formats from then on is Chinese, whatever the
locale.  A message missing here stays English — the help test lists every command's
help and fails on it.  Type names (TEXT, INTEGER) are click's metavars and appear in
its "not a valid integer" message: they are named in Chinese too.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

import click
from rich.cells import cell_len

from xl_addin.core.wrap import wrap

#: click's message → ours; placeholders ({name}, %(prog)s) kept as click fills them
CATALOGUE: dict[str, str] = {
    "Usage:": "用法：",  # as a prefix: HelpFormatter.write_usage writes it without click's space
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "required": "必填",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "deprecated": "已弃用",
    "(dynamic)": "（动态）",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "用“{command} {option}”查看帮助。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有这个命令 {name!r}。",
    "No such option {name!r}.": "没有这个选项 {name!r}。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带取值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值无效：{message}",
    "Invalid value: {message}": "取值无效：{message}",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不在可选值 {choices} 中。",
    "Choose from:\n\t{choices}": "可选值：{choices}",
    "Did you mean {possibility}?": "您是不是想用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（您是不是想用其中之一：{possibilities}？）",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "Aborted!": "已取消。",
    "unknown error": "未知错误",
}

#: click's type names, its metavars in help (--year INTEGER) and in its messages
TYPE_NAMES: dict[type[click.ParamType], str] = {
    click.types.StringParamType: "文本",
    click.types.IntParamType: "整数",
    click.types.IntRange: "整数",
    click.types.FloatParamType: "数字",
    click.types.FloatRange: "数字",
}

#: click's modules that import ``gettext`` / ``ngettext`` under these names
_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui",
            "utils")


def gettext(message: str) -> str:
    return CATALOGUE.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def install() -> None:
    """Make click speak Chinese from now on (before our commands are declared: the
    version option formats its message when it is declared)."""
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
    for cls, title in TYPE_NAMES.items():
        cls.name = title


class HelpFormatter(click.HelpFormatter):
    """Click's help layout measured in display columns: its own counts characters, so a
    Chinese help text runs twice as wide as the terminal and the columns slip."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        self.write(f"{'':>{self.current_indent}}{prefix or '用法：'}{prog} {args}\n")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        paragraphs = [" ".join(p.split("\n")) for p in text.split("\n\n")]
        for i, paragraph in enumerate(paragraphs):
            if i:
                self.write("\n")
            for line in wrap(paragraph, self.width - self.current_indent):
                self.write(f"{indent}{line}\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30,
                 col_spacing: int = 2) -> None:
        rows = list(rows)
        first = min(max((cell_len(term) for term, _ in rows), default=0), col_max)
        lead = self.current_indent + first + col_spacing
        for term, definition in rows:
            self.write(f"{'':>{self.current_indent}}{term}")
            if not definition:
                self.write("\n")
                continue
            if cell_len(term) <= first:
                self.write(" " * (first - cell_len(term) + col_spacing))
            else:
                self.write("\n" + " " * lead)
            lines = wrap(definition, max(self.width - lead, 10))
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(" " * lead + line + "\n")


class Context(click.Context):
    formatter_class = HelpFormatter
