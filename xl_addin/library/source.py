"""The packaged category data (``xl_addin/data/categories.toml``), read once.

Category names, the keyword table for guessing and the default indicator rows live in
one data file so that a finance bureau edits a single place; every module of this
package reads it through here instead of opening the file itself.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from xl_addin.core.errors import UserError

PACKAGED = "data/categories.toml"


@cache
def packaged() -> dict[str, Any]:
    """The packaged file as parsed TOML (shared: callers must not modify it)."""
    text = resources.files("xl_addin").joinpath(PACKAGED).read_text("utf-8")
    return tomllib.loads(text)


def read(path: str | Path) -> dict[str, Any]:
    """A bureau's own copy of the file, with errors the user can act on."""
    file = Path(path)
    if not file.is_file():
        raise UserError(
            f"找不到指标库文件“{file}”。请给出 .toml 文件的路径，或不指定以使用内置指标库。"
        )
    try:
        return tomllib.loads(file.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UserError(
            f"指标库文件“{file}”格式有误：{exc}。请检查 TOML 语法（UTF-8 编码）。"
        ) from exc
