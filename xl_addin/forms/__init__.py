"""The forms as data — what our sheets and the published documents look like — and the
one reader of a workbook by them.

``published`` (with ``published.toml``) is the vocabulary of published documents;
``project_sheet`` and ``department_sheet`` read and lay out our template's sheets from
``project_sheet.toml`` and ``department_sheet.toml``, ``settings_sheet`` the 参数 sheet,
``indicator_rows`` the indicator block both share; ``names`` names the
sheets, ``book`` reads a whole workbook into the model, ``acceptances`` is the 已说明
sheet, ``safety`` the sheets a crafted workbook may not use to steer the add-in, and
``merges``/``row_heights`` the shape of cells.
"""

from __future__ import annotations

from xl_addin.moved import forward

__getattr__ = forward(__name__)
