"""Merged ranges no table should have: ranges that overlap, and ranges of absurd size.

Excel never saves overlapping merges (it "repairs" such a file by dropping them), and a
merge of a whole sheet or of a million rows is a slip of the mouse, not a layout: what it
covers shows nothing.  Either way the sheet cannot be trusted to read as it looks, so
each is reported once when the sheet is read, as a ``sheet-structure`` finding naming
the ranges and saying how to fix them.  The check is linear in the number of ranges (a
sweep down the rows), never in the cells they cover.
"""

from __future__ import annotations

from xl_addin.core.findings import Finding
from xl_addin.core.grid import Grid, a1
from xl_addin.core.limits import limits

Rect = tuple[int, int, int, int]

#: the codes of this module's findings (``submit`` refuses them even when forced)
CODES = ("S002", "S003")
#: overlapping pairs named in one finding at most (a damaged file can hold thousands)
MAX_PAIRS = 3


def ref(m: Rect) -> str:
    """(r1, c1, r2, c2) -> 'B12:D14'."""
    return f"{a1(m[0], m[1])}:{a1(m[2], m[3])}"


def size(m: Rect) -> int:
    """How many cells the range covers."""
    return (m[2] - m[0] + 1) * (m[3] - m[1] + 1)


def overlaps(merged: list[Rect], most: int = MAX_PAIRS) -> list[tuple[Rect, Rect]]:
    """Up to ``most`` pairs of ranges that share a cell, in the order of the rows.

    Ranges are taken by their first row; those still open (ending at or below it) are
    the only ones a new range can meet, so a sheet of one-row merges costs one sort."""
    pairs: list[tuple[Rect, Rect]] = []
    open_: list[Rect] = []
    for m in sorted(merged):
        open_ = [o for o in open_ if o[2] >= m[0]]
        pairs += [(o, m) for o in open_ if o[1] <= m[3] and m[1] <= o[3]][:most - len(pairs)]
        if len(pairs) >= most:
            break
        open_.append(m)
    return pairs


def findings(grid: Grid) -> list[Finding]:
    """The sheet's overlapping and oversized merged ranges, as ``sheet-structure``
    findings on the first cell of the first range named."""
    out: list[Finding] = []
    pairs = overlaps(grid.merged)
    if pairs:
        named = "、".join(f"{ref(a)} 与 {ref(b)}" for a, b in pairs)
        out.append(Finding(
            type="sheet-structure", code="S002", severity="error", sheet=grid.name,
            cell=a1(pairs[0][0][0], pairs[0][0][1]),
            message=(f"工作表“{grid.name}”中合并区域 {named} 重叠（Excel 不允许重叠的合并，"
                     "打开时会提示修复并丢弃合并），表格内容可能读错、标注写不到。"
                     "请在 Excel 中取消这些区域的合并后重新合并。")))
    cap = limits().max_merge_cells
    huge = [m for m in grid.merged if size(m) > cap]
    total = sum(map(size, grid.merged))
    if not huge and total > cap:
        out.append(Finding(
            type="sheet-structure", code="S003", severity="error", sheet=grid.name,
            cell=a1(grid.merged[0][0], grid.merged[0][1]),
            message=(f"工作表“{grid.name}”中 {len(grid.merged)} 个合并区域共覆盖 {total} 个"
                     f"单元格，超过每表 {cap} 个单元格的上限，远超表格内容。"
                     "请在 Excel 中取消多余的合并，只合并需要合并的单元格。")))
    if huge:
        named = "、".join(f"{ref(m)}（{size(m)} 个单元格）" for m in huge[:MAX_PAIRS])
        more = f"等 {len(huge)} 处" if len(huge) > MAX_PAIRS else ""
        out.append(Finding(
            type="sheet-structure", code="S003", severity="error", sheet=grid.name,
            cell=a1(huge[0][0], huge[0][1]),
            message=(f"工作表“{grid.name}”中合并区域 {named}{more}超过每个合并区域 {cap} 个"
                     "单元格的上限，远超表格内容，被覆盖的单元格都不会显示。"
                     "请在 Excel 中取消该合并，只合并需要合并的单元格。")))
    return out
