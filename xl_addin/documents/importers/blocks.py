"""A published document as a sequence of blocks: paragraphs and tables.

Every reader (text form, .docx, HTML, PDF, .xlsx/.xls) produces this; the interpreter
turns it into a ``WorkbookModel``.  Keeping the two steps apart means a new source
format needs only a reader, and only the interpreter knows the forms' vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Paragraph:
    text: str


@dataclass
class Table:
    """A table as two views of its cells, each cell's lines stripped of trailing blanks.

    ``rows``: what the text form shows: each source cell once, in reading order, and a
    cell that continues a vertically merged cell above as "" (so a label is followed by
    its value, whatever the spans).  ``grid``: when the source knows its cells' spans
    (Word, HTML, PDF, Excel), the full rectangular grid, a merged cell's text in every
    position it covers (so a column can be read down, and a 一级指标 or 项目名称 spanning
    rows reaches each of them; grid columns or rows that no cell edge separates count
    as one, as the page shows them); None when the spans are unknown (the text form).
    ``continued``: the ``grid`` positions that continue a vertically merged cell from the
    row above (so a 一级指标 merged down can be told from one written again on purpose).
    ``where`` says where the table is, for the import report (“第 2 页”, “工作表“Sheet1””).
    """

    rows: list[list[str]] = field(default_factory=list)
    grid: list[list[str]] | None = None
    where: str = ""
    continued: set[tuple[int, int]] = field(default_factory=set)


Block = Paragraph | Table
