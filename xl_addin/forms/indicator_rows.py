"""Indicator rows: the block a project sheet and the department sheet share.

Both sheets carry the same six columns under the same labels (``INDICATOR_FIELDS``),
so one reader and one writer serve both: rows are read from the header row down to the
end of the sheet (the block is the last of either sheet), a blank 一级 means "same as
above", and each row remembers its row number and cells so findings can point at them.
"""

from __future__ import annotations

from xl_addin.core.cellvalues import label, text
from xl_addin.core.grid import Grid, column_letter
from xl_addin.core.model import INDICATOR_FIELDS, Indicator, same_as_above

_KEYS = {lab: key for key, lab in INDICATOR_FIELDS.items()}


def header_columns(grid: Grid, header_row: int) -> dict[str, int]:
    """field key -> the column of its label on ``header_row`` (first occurrence)."""
    cols: dict[str, int] = {}
    row = grid.values[header_row - 1] if 1 <= header_row <= grid.n_rows else []
    for c, v in enumerate(row, start=1):
        key = _KEYS.get(label(v)) if isinstance(v, str) else None
        if key is not None and key not in cols:
            cols[key] = c
    return cols


def parse_rows(grid: Grid, header_row: int, cols: dict[str, int]) -> list[Indicator]:
    """The used rows below ``header_row``, 一级 filled from above where left blank."""
    letters = {key: column_letter(c) for key, c in cols.items()}
    covered = grid.covered()
    rows: list[Indicator] = []
    for r, values in enumerate(grid.values[header_row:], start=header_row + 1):
        ind = Indicator(row=r)
        for key, c in cols.items():
            # a vertically merged 一级 cell reads as "same as above", not as a copy
            raw = values[c - 1] if c <= len(values) and (r, c) not in covered else None
            setattr(ind, key, text(raw))
            ind.cells[key] = f"{letters[key]}{r}"
        rows.append(ind)
    return same_as_above(rows)


def written_rows(indicators: list[Indicator]) -> list[dict[str, str]]:
    """Each row's cells as they are to be written: 一级 only on the first row of its
    group, as published tables do (a level the model marks as written stays written)."""
    out: list[dict[str, str]] = []
    previous: str | None = None
    for ind in indicators:
        cells = {key: getattr(ind, key) for key in INDICATOR_FIELDS}
        if not ind.level1_written and ind.level1 == previous:
            cells["level1"] = ""
        previous = ind.level1
        out.append(cells)
    return out
