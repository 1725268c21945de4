"""The indicator part of a published table: its header rows, its columns, its rows.

Forms differ in what they call each column (指标值, 目标值, 年度指标值 …), in how many
header rows they print (指标值 over 指标性质 | 指标值 | 度量单位), in columns this model
has no place for (权重, 评(扣)分标准), and in long-term values printed beside the year's.
The vocabulary (``xl_addin.forms``) names them all; this module only applies it to a
grid, so a new form is a few labels in a TOML file, not code.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from xl_addin.core.cellvalues import label
from xl_addin.core.model import INDICATOR_FIELDS, Indicator
from xl_addin.forms.published import Vocabulary, normalise

_LEVELS = {"level1", "level2", "level3"}
#: what a row must have, besides its levels, to be more than a pre-printed blank row
_CONTENT = ("level3", "description", "value", "basis")


@dataclass
class Column:
    key: str  # a column key of the vocabulary, "long_term_value", "kept" or "unknown"
    title: str  # the header as printed (for kept and unknown columns)


@dataclass
class IndicatorRows:
    """The indicator rows of one table part, and what the report should say of them."""

    rows: list[Indicator] = field(default_factory=list)
    kept: list[tuple[int, str, str]] = field(default_factory=list)  # (row index, title, text)
    unknown_columns: list[str] = field(default_factory=list)
    #: (row index, 权重 as written) of each row the form gives a weight (none: no 权重
    #: column, or one left empty — nothing to add up)
    weights: list[tuple[int, str]] = field(default_factory=list)


def header_row(grid: list[list[str]], vocab: Vocabulary, start: int = 0) -> int | None:
    """The first row from ``start`` that heads an indicator table: two of 一级/二级/三级
    指标, or 三级指标 and a value column."""
    for r in range(start, len(grid)):
        keys = {m.key for cell in grid[r] if (m := vocab.column_of(cell)) is not None}
        if len(keys & _LEVELS) >= 2 or {"level3", "value"} <= keys:
            return r
    return None


def _is_header_cell(text: str, above: str | None, vocab: Vocabulary) -> bool:
    s = normalise(text)
    return (not s or vocab.column_of(text) is not None or s in vocab.qualifiers
            or (above is not None and text == above))


def _columns(grid: list[list[str]], first: int, vocab: Vocabulary) -> tuple[list[Column], int]:
    """Each column's meaning, from the header row ``first`` and the sub-header rows under
    it (a merged 指标值 over 指标性质 | 指标值 | 度量单位, or over 中长期 | 年度); returns
    them with the first data row."""
    last = first
    while last + 1 < len(grid) and any(grid[last + 1]) and all(
            _is_header_cell(cell, grid[last][c] if c < len(grid[last]) else None, vocab)
            for c, cell in enumerate(grid[last + 1])):
        last += 1
    width = max(len(row) for row in grid[first:last + 1])
    columns = []
    for c in range(width):
        key, qualifier, title = "", "", ""
        for r in range(first, last + 1):
            cell = grid[r][c] if c < len(grid[r]) else ""
            if not cell.strip():
                continue
            m = vocab.column_of(cell)
            if m is not None:
                key, qualifier, title = m.key, m.qualifier, label(cell)
            elif normalise(cell) in vocab.qualifiers and key:
                qualifier, title = vocab.qualifiers[normalise(cell)], f"{title}({label(cell)})"
            elif not key:
                key, title = "unknown", label(cell)
        if key == "value" and qualifier == "long_term":
            key = "long_term_value"
        elif qualifier == "long_term" and key in INDICATOR_FIELDS:
            key = "kept"
        columns.append(Column(key or "", title))
    return columns, last + 1


def _join_value(parts: dict[str, str], vocab: Vocabulary) -> str:
    """指标性质 + 指标值 + 度量单位 as one target ("≥", "95", "%" -> "≥95%")."""
    value = parts.get("value", "")
    comparator = parts.get("comparator", "")
    unit = parts.get("measure_unit", "")
    if comparator:
        sign = vocab.comparator(comparator)
        sign = comparator if sign is None else sign
        if sign and not value.startswith(sign):
            value = sign + value
    if unit and value and not value.endswith(unit):
        value += unit
    return value


def read_rows(grid: list[list[str]], first: int, vocab: Vocabulary,
              continued: Collection[tuple[int, int]] = (),
              rows: Sequence[int] | None = None) -> IndicatorRows:
    """The indicator rows under the header row ``first`` (only ``rows`` when given).

    A 一级 printed once over its rows (merged down: the grid repeats it, ``continued``
    says where) is written on the first row only, as published tables mean it;
    pre-printed rows with nothing but their levels are skipped; a repeated header row
    (a page break) is skipped."""
    columns, data = _columns(grid, first, vocab)
    out = IndicatorRows(unknown_columns=[c.title for c in columns if c.key == "unknown"])
    header = [label(cell) for cell in grid[first]]
    level1_col = next((c for c, col in enumerate(columns) if col.key == "level1"), None)
    for r in range(data, len(grid)) if rows is None else rows:
        row = grid[r]
        if [label(cell) for cell in row] == header or not any(c.strip() for c in row):
            continue
        parts: dict[str, str] = {}
        extra: list[tuple[str, str]] = []
        weight = ""
        for col, cell in zip(columns, row, strict=False):
            text = cell.strip()
            if col.key == "group":
                continue  # the label printed down the whole part
            if col.key == "weight" and text and not weight:
                weight = text  # kept with the row too, as the form printed it
            if col.key in ("kept", "unknown", "long_term_value", "weight"):
                if text and (col.title, text) not in extra:
                    extra.append((col.title or "指标值(中长期)", text))
            elif col.key and text and not parts.get(col.key):
                parts[col.key] = text
        if not any(parts.get(k) for k in (*_CONTENT, "comparator")):
            continue
        level1 = "" if (r, level1_col) in continued else parts.get("level1", "")
        ind = Indicator(level1=level1, level2=parts.get("level2", ""),
                        level3=parts.get("level3", ""),
                        description=parts.get("description", ""),
                        value=_join_value(parts, vocab), basis=parts.get("basis", ""))
        out.kept += [(len(out.rows), title, text) for title, text in extra]
        if weight:
            out.weights.append((len(out.rows), weight))
        out.rows.append(ind)
    return out


def recast(rows: list[Indicator], vocab: Vocabulary) -> list[str]:
    """Put categories of another frame where the workbook's frame has them (满意度 as a
    二级 under 效益, as the 2013 frame prints it); returns what was moved.  Runs on rows
    whose 一级 is filled in (``same_as_above``): a moved row starts a group of its own,
    and so does the row after it."""
    moved = []
    for ind in rows:
        target = vocab.recast.get((normalise(ind.level1), normalise(ind.level2)))
        if target is not None:
            moved.append(f"“{ind.level3 or ind.value}”：{ind.level1}/{ind.level2} 改为 "
                         f"{target[0]}/{target[1]}（按工作簿的指标框架，满意度是一级指标）")
            ind.level1, ind.level2 = target
    previous = None
    for ind in rows:
        if ind.level1 != previous:
            ind.level1_written = True
        previous = ind.level1
    return moved
