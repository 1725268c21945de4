"""The forms: what our workbooks and the published documents look like, and the one
reader of a workbook by them.

``published`` (with ``published.toml``) is the vocabulary of published documents; the
sheets of our template each have their layout and parser — ``project_sheet``,
``department_sheet``, ``settings_sheet``, ``indicator_rows`` — ``names`` names the
sheets, ``book`` reads a whole workbook into the model, ``acceptances`` is the 已说明
sheet, ``safety`` the sheets a crafted workbook may not use to steer the add-in, and
``merges``/``row_heights`` the shape of cells.
"""

from __future__ import annotations

from xl_addin.moved import forward

__getattr__ = forward(__name__)
