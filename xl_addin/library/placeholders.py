"""Placeholders in default 指标值: the N / X a unit replaces with its own number.

A library row such as ``=N人`` or ``≤X万元`` is only a template until the user writes
the number; validation reports rows that still hold one (``placeholder-value``).  The
letters are data (``[library] placeholders``); a letter counts only where it stands
alone in place of a number, so ``NOx``, ``N95`` or ``PM2.5`` are not placeholders.
"""

from __future__ import annotations

import re
from functools import cache

from xl_addin.library import source


@cache
def _pattern() -> re.Pattern[str]:
    letters = "|".join(re.escape(p) for p in source.packaged()["library"]["placeholders"])
    return re.compile(rf"(?<![A-Za-z0-9])(?:{letters})(?![A-Za-z0-9])")


def has_placeholder(value: str) -> bool:
    """True when the value still holds a placeholder for the unit's number."""
    return bool(_pattern().search(value))
