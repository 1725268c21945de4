"""Cells with row and column spans, placed on a grid, turned into a ``Table``.

The HTML, PDF and spreadsheet readers all end up knowing each cell's position and
spans; this is the one place that turns that into the two views of ``Table``, so the
views mean the same whatever the source.
"""

from __future__ import annotations

from dataclasses import dataclass

from xl_addin.documents.importers.blocks import Table


@dataclass
class Placed:
    """A source cell at grid position (``row``, ``col``), covering ``rowspan`` ×
    ``colspan`` positions."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


def _visible(owner: dict[tuple[int, int], int], height: int,
             width: int) -> tuple[list[int], list[int]]:
    """The grid's rows and columns but those whose edge with the one before lies inside
    a cell in every column (row)."""
    cols = [c for c in range(width) if c == 0 or any(
        owner.get((r, c)) is None or owner.get((r, c)) != owner.get((r, c - 1))
        for r in range(height))]
    rows = [r for r in range(height) if r == 0 or any(
        owner.get((r, c)) is None or owner.get((r, c)) != owner.get((r - 1, c))
        for c in range(width))]
    return rows, cols


def to_table(cells: list[Placed], where: str = "") -> Table:
    """The table the cells make.

    ``rows``: per grid row, each cell that starts in it with its text and each cell
    that continues from above as "", left to right (what Word's text form shows).
    ``grid``: every position, a merged cell's text in each position it covers, and
    ``continued`` the positions a cell covers below its first row.  Where
    cells overlap (a malformed source), the first one placed keeps the position.  Grid
    columns (rows) that no cell edge separates are one: Word's grids often hold such
    split columns, which the page does not show, so a PDF of the document could not
    have them; without them every source of one document has the same grid.
    """
    height = max((c.row + c.rowspan for c in cells), default=0)
    width = max((c.col + c.colspan for c in cells), default=0)
    grid = [[""] * width for _ in range(height)]
    owner: dict[tuple[int, int], int] = {}
    for k, cell in enumerate(cells):
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                if (r, c) not in owner:
                    owner[r, c] = k
                    grid[r][c] = cell.text
    kept_rows, kept_cols = _visible(owner, height, width)
    visible = [[grid[r][c] for c in kept_cols] for r in kept_rows]
    continued = {(i, j) for i, r in enumerate(kept_rows) for j, c in enumerate(kept_cols)
                 if (r, c) in owner and cells[owner[r, c]].row < r}
    rows: list[list[str]] = []
    for r in range(height):
        seen: list[tuple[int, str]] = []
        for k in dict.fromkeys(owner[r, c] for c in range(width) if (r, c) in owner):
            cell = cells[k]
            seen.append((cell.col, cell.text if cell.row == r else ""))
        rows.append([text for _, text in sorted(seen)])
    return Table(rows=rows, grid=visible, where=where, continued=continued)
