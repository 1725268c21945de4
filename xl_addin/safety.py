"""What a workbook must not carry into what the tool writes: sheets that steer programs.

xlwings' VBA reads its settings (which program to start, which folders go on Python's
path) from a sheet named ``<project>.conf`` in the *active* workbook before its own, and
runs the code of sheets named ``*.py``.  Our add-in never reads them any more (its own
launcher reads only the add-in's settings), but a workbook that carries such a sheet
would still steer the ribbon of anyone whose Excel runs the stock xlwings add-in, so the
tool removes them from every workbook it writes and says so.
"""

from __future__ import annotations

from collections.abc import Iterable

#: sheet-name endings xlwings gives meaning to: settings and embedded Python code
STEERING_SUFFIXES = (".conf", ".py")


def steering_sheets(names: Iterable[str]) -> list[str]:
    """The sheets, in order, whose names xlwings would read as settings or code."""
    return [n for n in names if n.strip().lower().endswith(STEERING_SUFFIXES)]
