"""A published document as a sequence of blocks: paragraphs and tables.

Both readers (the text form and .docx) produce this; ``published.interpret`` turns it
into a ``WorkbookModel``.  Keeping the two steps apart means a new source format needs
only a reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Paragraph:
    text: str


@dataclass
class Table:
    """Rows of cell texts, each cell's lines stripped of trailing blanks."""

    rows: list[list[str]] = field(default_factory=list)


Block = Paragraph | Table
