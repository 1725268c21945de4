"""The limits file (``data/limits.toml``), read once per process.

Its keys serve two layers: the guards of every file read (sizes, rows, merges, time
limits: ``engines.guards.limits``) and the bounded reading of numbers in cells
(``numbers.number_limits``); each takes its own keys from this one reading.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def limits_file() -> dict[str, Any]:
    """The file's keys and values, as written."""
    text = resources.files("xl_addin").joinpath("data/limits.toml").read_text("utf-8")
    return tomllib.loads(text)
