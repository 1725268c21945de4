"""The 校验概要 block at the top of 校验结果: counts by type and by sheet, with links.

It is computed from the sheet's own rows (序号, 工作表, 单元格, 项目, 类型, 级别, 说明, 建议),
not from the findings: a one-sheet validation keeps the other sheets' rows, and the block
must count those too.  Rows whose 级别 is not a severity (a row shown for information,
such as 未发现问题) are not counted.

Layout, in the columns of the list below it (widths 6, 18, 8, 24, 20, 6, 70, 24): a title
row; a header row; then side by side, by type on the left (级别, 类型, 条数, 首条 — the
first such finding's cell, a link) and by sheet on the right (工作表 — a link to it,
条数, 其中 — errors, warnings, infos).  Types come errors first, then by count, ties in
the list's order; sheets in the list's order (the book's).
"""

from __future__ import annotations

from xl_addin.core.grid import parse_a1

TITLE = "校验概要"
HEADER = ["级别", "类型", "条数", "首条", "工作表", "条数", "其中"]
_LABELS = ("错误", "警告", "提示")  # marks.SEVERITY_LABELS, in the order they are fixed
_SHEET_COLUMN, _FIRST_COLUMN = 5, 4

Cell = tuple[int, int]


def _target(sheet: str, cell: str, names: set[str]) -> str | None:
    if sheet not in names:
        return None
    quoted = sheet.replace("'", "''")
    return f"'{quoted}'!{cell if parse_a1(cell) else 'A1'}"


def overview(rows: list[list[object]], names: set[str]) -> tuple[list[list[object]],
                                                                   dict[Cell, str]]:
    """The block's rows (from row 1 of the sheet) and its links, for the list ``rows``;
    no block for a list without a finding.  ``names`` are the book's sheets (a link
    only to a sheet that exists)."""
    counted = [(str(r[1] or ""), str(r[2] or ""), str(r[4] or ""), str(r[5]))
               for r in rows if r[5] in _LABELS]
    if not counted:
        return [], {}
    types: dict[tuple[str, str], list[tuple[str, str]]] = {}
    sheets: dict[str, dict[str, int]] = {}
    for sheet, cell, type_, label in counted:
        types.setdefault((label, type_), []).append((sheet, cell))
        per = sheets.setdefault(sheet, dict.fromkeys(_LABELS, 0))
        per[label] += 1
    order = list(types)
    ranked = sorted(order, key=lambda k: (_LABELS.index(k[0]), -len(types[k]), order.index(k)))
    totals = {label: sum(per[label] for per in sheets.values()) for label in _LABELS}
    title = (f"{TITLE}：共 {len(counted)} 条（" + "，".join(f"{k} {v}" for k, v in totals.items())
             + f"），涉及 {len(sheets)} 张工作表。点击“首条”或工作表名可跳转；逐条清单见下表。")
    block: list[list[object]] = [[title], list(HEADER)]
    links: dict[Cell, str] = {}
    for i in range(max(len(ranked), len(sheets))):
        r = len(block) + 1
        row: list[object] = [None] * len(HEADER)
        if i < len(ranked):
            label, type_ = ranked[i]
            sheet, cell = types[ranked[i]][0]
            row[:4] = [label, type_, len(types[ranked[i]]),
                       f"{sheet}!{cell}" if sheet and cell else sheet or "工作簿"]
            target = _target(sheet, cell, names)
            if target:
                links[(r, _FIRST_COLUMN)] = target
        if i < len(sheets):
            sheet = list(sheets)[i]
            per = sheets[sheet]
            row[4:] = [sheet or "工作簿", sum(per.values()),
                       "，".join(f"{k} {v}" for k, v in per.items())]
            target = _target(sheet, "", names)
            if target:
                links[(r, _SHEET_COLUMN)] = target
        block.append(row)
    return block, links
