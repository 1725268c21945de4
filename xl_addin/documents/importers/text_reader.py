"""Reading the text form of a published document (Word saved as plain text).

In that form a table cell starts with a tab at the beginning of a line, a cell's
further lines follow without a tab, and a blank line ends a table row.  Word's export
is not always tidy: a blank line may fall inside a cell (a multi-paragraph goal), and a
row may be cut in two.  The reader repairs a cut row when its two halves add up to the
table's width, and treats any non-tab line as the continuation of the last cell.
A line of only spaces, or a ``[bookmark: …]`` line, ends a table.
"""

from __future__ import annotations

from xl_addin.documents.importers.blocks import Block, Paragraph, Table

_BOOKMARK = "[bookmark:"


def _clean(cell: str) -> str:
    lines = [line.rstrip() for line in cell.split("\n")]
    return "\n".join(line for line in lines if line.strip()).strip("\n")


def _repair_rows(rows: list[list[str]]) -> list[list[str]]:
    """Join a row cut in two by a stray blank line (halves summing to the table width)."""
    if not rows:
        return rows
    width = len(rows[0])
    out: list[list[str]] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        if (
            len(row) < width
            and i + 1 < len(rows)
            and len(row) + len(rows[i + 1]) == width
        ):
            out.append(row + rows[i + 1])
            i += 2
            continue
        out.append(row)
        i += 1
    return out


def read_text(source: str) -> list[Block]:
    """Split the text form into paragraphs and tables."""
    blocks: list[Block] = []
    rows: list[list[str]] | None = None  # the table being read, if any
    row: list[str] = []

    def end_row() -> None:
        nonlocal row
        if rows is not None and row:
            rows.append(row)
        row = []

    def end_table() -> None:
        nonlocal rows
        end_row()
        if rows is not None:
            cleaned = [[_clean(c) for c in r] for r in rows]
            blocks.append(Table(_repair_rows(cleaned)))
        rows = None

    for raw in source.replace("\r\n", "\n").split("\n"):
        if raw.startswith("\t"):
            if rows is None:
                rows = []
            row.append(raw[1:])
        elif rows is not None and raw == "":
            end_row()
        elif rows is not None and raw.strip() and not raw.startswith(_BOOKMARK):
            # continuation of the last cell, even across a blank line
            if row:
                row[-1] += "\n" + raw
            elif rows and rows[-1]:
                rows[-1][-1] += "\n" + raw
            else:
                row.append(raw)
        else:
            end_table()
            if raw.strip():
                blocks.append(Paragraph(raw.strip()))
    end_table()
    return blocks
