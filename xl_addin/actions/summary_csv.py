"""The summary as CSV for Excel users: UTF-8 with a BOM, safe against formula injection.

Excel reads a CSV without a BOM in the machine's ANSI code page (GBK on Chinese
Windows), which garbles UTF-8 Chinese, so the file starts with a BOM.  A text cell
starting with = + - @ (or a tab or carriage return, which Excel strips before looking)
would run as a formula when the file is opened: such text gets a leading apostrophe,
which Excel shows as a plain text marker.  Numbers are written as numbers.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from xl_addin.actions.summary import LINK_COLUMN, is_missing
from xl_addin.core.cellvalues import money_text
from xl_addin.files.atomic import replace_file

if TYPE_CHECKING:
    import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """One value as CSV text; text that a spreadsheet would take for a formula is escaped."""
    if is_missing(value):
        return ""
    if isinstance(value, Decimal):
        return money_text(value)
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return str(value)


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write the summary (without the in-workbook link column) to ``path``, atomically."""
    columns = [c for c in frame.columns if c != LINK_COLUMN]

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow([csv_cell(c) for c in columns])
            for record in frame[columns].itertuples(index=False):
                writer.writerow([csv_cell(v) for v in record])

    return replace_file(path, write, what="CSV 文件")
