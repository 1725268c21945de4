"""The limits file (``data/limits.toml``), read once per process.

Its keys serve two kinds of reader: the guards of every file read and the time limits
of the programs we run (``limits()``: sizes, rows, merges, timeouts — used by
``engines.guards``, ``forms.merges``, the importers, LibreOffice runs) and the bounded
reading of numbers in cells (``numbers.number_limits``); each takes its own keys from
this one reading.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from typing import Any


@cache
def limits_file() -> dict[str, Any]:
    """The file's keys and values, as written."""
    text = resources.files("xl_addin").joinpath("data/limits.toml").read_text("utf-8")
    return tomllib.loads(text)


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int
    max_part_bytes: int
    max_total_bytes: int
    max_ratio: int
    max_cells_per_sheet: int
    lock_wait_seconds: float
    max_rows_per_sheet: int
    libreoffice_timeout_seconds: float
    vba_export_timeout_seconds: float
    uno_connect_timeout_seconds: float
    max_merge_cells: int


@cache
def limits() -> Limits:
    """The file's limits on input and on time, read once per process (every file read
    checks against them)."""
    data = limits_file()  # the file holds other limits too (numbers.py takes its own)
    return Limits(**{f.name: data[f.name] for f in fields(Limits)})
