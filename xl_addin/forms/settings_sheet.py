"""The hidden 参数 sheet: workbook settings and the dropdown lists.

Settings are label/value pairs in columns A:B; the lists sit to the right and are
reached through workbook-level defined names, because openpyxl drops data validations
that point at another sheet directly.
"""

from __future__ import annotations

from xl_addin.core.cellvalues import label, text, to_decimal
from xl_addin.core.grid import Grid
from xl_addin.core.model import Settings

SHEET = "参数"
#: settings field -> (label, row); the value is in column B.
FIELDS: dict[str, tuple[str, int]] = {
    "year": ("预算年度", 2),
    "unit": ("单位名称", 3),
    "frame": ("指标框架", 4),
    "password": ("保护密码", 5),
    "template_version": ("模板版本", 6),
}


def parse(grid: Grid) -> Settings:
    s = Settings()
    labels_in_a = {label(grid.get(r, 1)): r for r in range(1, grid.n_rows + 1)}
    for key, (lab, _row) in FIELDS.items():
        row = labels_in_a.get(lab)
        if row is None:
            continue
        raw = grid.get(row, 2)
        if key == "year":
            d = to_decimal(raw)
            s.year = int(d) if d is not None and d == int(d) else None
        else:
            setattr(s, key, text(raw))
    return s


def cells(settings: Settings) -> dict[tuple[int, int], object]:
    """The settings as cell writes on the 参数 sheet."""
    out: dict[tuple[int, int], object] = {}
    for key, (lab, row) in FIELDS.items():
        out[(row, 1)] = lab
        value = getattr(settings, key)
        out[(row, 2)] = value if value not in ("", None) else None
    return out
