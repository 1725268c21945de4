"""The forms' own TOML files beside these modules, each read once per process."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def form_file(name: str) -> dict[str, Any]:
    """``xl_addin/forms/<name>.toml`` as data (packaged with the code, never a user's)."""
    text = resources.files("xl_addin.forms").joinpath(f"{name}.toml").read_text("utf-8")
    return tomllib.loads(text)


def spans(pairs: list[list[int]]) -> tuple[tuple[int, int], ...]:
    """``[[first, last], …]`` of a form as tuples."""
    return tuple((first, last) for first, last in pairs)
