"""Filling default indicator rows into project sheets, on any engine.

Only rows are added: a row the user wrote is never changed, moved out of order or
deleted.  A new row goes where the frame puts it among the written rows (产出 → 效益 →
满意度, inserted rows: the rows below move down with everything they carry), or below
the last written row, into the block's blank formatted rows first and into grown rows
after that; cells still holding a placeholder (N, X) are highlighted with a note asking
for the unit's own number.  An empty 项目类别 gets the category used.  A second run finds
nothing missing and adds nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from xl_addin.actions.marks import record_op
from xl_addin.core.book import Book
from xl_addin.core.cellvalues import label, text
from xl_addin.core.errors import UserError
from xl_addin.core.grid import parse_a1
from xl_addin.core.model import INDICATOR_FIELDS, Indicator, Project
from xl_addin.core.patch import CellState, Patch, StyleCells
from xl_addin.engines.template.build import LIBRARY_HEADER
from xl_addin.forms import project_sheet as proj
from xl_addin.forms.book import project_sheet_names
from xl_addin.forms.names import LIBRARY_SHEET
from xl_addin.library import (
    Library,
    guess_category,
    has_placeholder,
    load_library,
    missing_rows,
    refine,
    source,
)
from xl_addin.library.guess import keyword_table, parents
from xl_addin.rules.profiles import Profile

PLACEHOLDER_FILL = "DDEBF7"
PLACEHOLDER_NOTE = "请填写：把 N / X 换成本单位的数字（如 ＝19人、≤2万元）。"


@dataclass
class FillResult:
    """What filling one sheet did: the category whose rows were used (``typed``: the
    broader one the sheet or ``--category`` named, when it was refined), whether it was
    guessed and why, the rows added — or, in ``error``, why the sheet was left alone."""

    sheet: str
    category: str
    guessed: bool
    reason: str = ""
    added: list[Indicator] = field(default_factory=list)
    typed: str = ""
    error: str = ""
    changed: bool = False  # the sheet was written to (rows, 项目类别 or 推荐类别)


def workbook_library(book: Book) -> Library:
    """The workbook's own 指标库 sheet when it has rows, else the packaged library."""
    if LIBRARY_SHEET not in book.sheet_names():
        return load_library()
    values = book.read(LIBRARY_SHEET).values
    if not values:
        return load_library()
    header = [label(v) for v in values[0]]
    if header[: len(LIBRARY_HEADER)] != LIBRARY_HEADER:
        raise UserError(
            f"“{LIBRARY_SHEET}”表的表头应为：{'、'.join(LIBRARY_HEADER)}。请恢复表头后再填充。"
        )
    rows = [dict(zip(header, row, strict=False)) for row in values[1:]]
    rows = [r for r in rows if any(v not in (None, "") for v in r.values())]
    if not rows or _is_former_packaged(rows):
        return load_library()
    return Library.from_rows(rows)


def require_known(library: Library, category: str | None, hint: str = "") -> None:
    """Refuse a category ``library`` has no rows for (nothing is changed yet), naming
    the known ones; an empty category is left to guessing."""
    if category and category not in library.categories():
        raise UserError(f"未知的项目类别“{category}”。可用类别："
                        f"{'、'.join(library.categories())}。{hint}")


def _is_former_packaged(rows: list[dict[str, object]]) -> bool:
    """The sheet is an earlier template's own, unedited: its rows would bring back what
    the library has since fixed (a heating row in every 补贴类)."""
    content = "\n".join("\t".join(text(row.get(h)) for h in LIBRARY_HEADER) for row in rows)
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
    return digest in source.packaged()["library"].get("former_sheets", [])


def _category(project: Project, named: str, library: Library,
              sheet: str) -> tuple[str, bool, str, str]:
    """(category of the rows, guessed, reason, the broader category named).

    A named category must be the library's; a broad one (补贴类) is refined by the
    project's words.  A guess the workbook's own library lacks (an older 指标库 sheet)
    falls back to its broader category, then to the guess's fallback."""
    known = library.categories()
    if named:
        if named not in known:
            raise UserError(
                f"工作表“{sheet}”的项目类别“{named}”不在指标库中，未填充这个表。"
                f"可用类别：{'、'.join(known)}。请在“项目类别”下拉列表中选择，"
                "或清空该单元格由程序按项目名称识别。"
            )
        chosen, reason = refine(project, named, known)
        return chosen, False, reason, named if chosen != named else ""
    chosen, reason = guess_category(project)
    while chosen not in known and chosen in parents():
        chosen = parents()[chosen]
    if chosen not in known:
        chosen = keyword_table().fallback
    return chosen, True, reason, ""


def _position(profile: Profile, level1: str, level2: str) -> tuple[int, int]:
    """Where a (一级, 二级) comes in the frame; unknown ones after the known."""
    if level1 not in profile.framework:
        return len(profile.level1), 0
    level2s = profile.framework[level1]
    at = level2s.index(level2) if level2 in level2s else len(level2s)
    return profile.level1.index(level1), at


def _anchors(project: Project, profile: Profile, rows: list[Indicator], header_row: int,
             merged: list[tuple[int, int, int, int]]) -> list[tuple[int, Indicator]]:
    """Each new row with the sheet row it goes right after: the last written row that
    comes before it in the frame (产出 → 效益 → 满意度), so a missing 成本指标 goes under
    the last 产出指标 row.  A row that would split a merged range goes to the end."""
    written = [i for i in project.indicators if i.row is not None]
    last = max((i.row for i in written), default=header_row)
    out = []
    for new in rows:
        where = _position(profile, new.level1, new.level2)
        anchor = max((i.row for i in written
                      if _position(profile, i.level1, i.level2) <= where), default=header_row)
        if any(r1 <= anchor < r2 for r1, _, r2, _ in merged):
            anchor = last
        out.append((anchor, new))
    return out


def _row_cells(ind: Indicator, r: int, cols: dict[str, int], previous: str
               ) -> dict[tuple[int, int], object]:
    cells: dict[tuple[int, int], object] = {}
    for key, c in cols.items():
        value = getattr(ind, key)
        if key == "level1" and value == previous:
            value = ""  # same as above, as the published tables write it
        cells[(r, c)] = value or None
    return cells


def fill_sheet(book: Book, sheet: str, profile: Profile, library: Library,
               category: str | None = None) -> tuple[FillResult, Patch]:
    """What filling one project sheet adds, and the patch that adds it.

    New rows go where the frame puts them among the written rows (inserted rows), or
    below the last written row; written rows keep their content and order.  An empty
    项目类别 gets the category used; a typed one is never changed."""
    grid = book.read(sheet)
    loc = proj.locate(grid)
    project, problems = proj.parse(grid, loc)
    if problems:
        raise UserError(problems[0].message)
    typed = label(project.category)
    chosen, guessed, reason, broad = _category(project, category or typed, library, sheet)
    rows = missing_rows(project, profile, chosen, library)
    result = FillResult(sheet, chosen, guessed, reason, rows, broad)
    patch = Patch()
    header_row, _ = loc.labels["一级指标"]
    cols = {key: loc.labels[lab][1] for key, lab in INDICATOR_FIELDS.items()}
    if guessed and "推荐类别" in loc.labels:
        r, c = loc.labels["推荐类别"]
        patch.set(sheet, {(r, grid.merge_end(r, c)[1] + 1): f"{chosen}（{reason}）"})
    category_cell = parse_a1(project.cells.get("category", ""))
    if not typed and category_cell is not None:
        patch.set(sheet, {category_cell: chosen})
    if not rows:
        return result, patch

    by_row = {i.row: i.level1 for i in project.indicators if i.row is not None}
    last_used = max(by_row, default=header_row)
    placed = _anchors(project, profile, rows, header_row, grid.merged)
    groups: dict[int, list[Indicator]] = {}
    for anchor, ind in placed:
        groups.setdefault(min(anchor, last_used), []).append(ind)
    inserts = sorted(a for a in groups if a < last_used)

    def final(row: int) -> int:
        return row + sum(len(groups[a]) for a in inserts if a < row)

    cells: dict[tuple[int, int], object] = {}
    new_rows: list[tuple[int, Indicator]] = []
    shift = 0
    for anchor in inserts:
        count = len(groups[anchor])
        first = anchor + 1 + shift
        patch.insert(sheet, grid.n_rows + shift + count, first, count)
        new_rows += [(first + k, ind) for k, ind in enumerate(groups[anchor])]
        shift += count
    tail = groups.get(last_used, [])
    n_rows = grid.n_rows + shift
    first_tail = final(last_used) + 1
    patch.grow(sheet, n_rows, n_rows + 1, first_tail + len(tail) - 1 - n_rows)
    new_rows += [(first_tail + k, ind) for k, ind in enumerate(tail)]

    marks: dict[tuple[int, int], CellState] = {}
    new_rows.sort(key=lambda item: item[0])
    level1_at = {final(r): l1 for r, l1 in by_row.items()} | {r: i.level1 for r, i in new_rows}
    for r, ind in new_rows:
        above = max((x for x in level1_at if x < r), default=None)
        cells.update(_row_cells(ind, r, cols, level1_at[above] if above else ""))
        if has_placeholder(ind.value):
            marks[(r, cols["value"])] = CellState(PLACEHOLDER_FILL, PLACEHOLDER_NOTE)
    patch.set(sheet, cells)
    if marks:
        # recorded like validation marks, so the next validation or 清除标记 removes the
        # highlight once the number is typed in
        before = {rc: CellState() for rc in marks}
        patch.ops.append(StyleCells(sheet, marks))
        patch.ops.append(record_op(book, {sheet: before}, {sheet: final} if inserts else None))
    elif inserts:
        patch.ops.append(record_op(book, {}, {sheet: final}))
    patch.fit(sheet, [r for r, _ in new_rows])
    return result, patch


def fill_book(book: Book, profile: Profile, sheet: str | None = None,
              category: str | None = None) -> list[FillResult]:
    """Fill one sheet or every project sheet; returns what was done per sheet.

    A sheet that cannot be filled (an unknown 项目类别, a sheet that cannot be read) is
    left as it is and reported in its result; the others are filled."""
    sheets = project_sheet_names(book)
    if sheet is not None:
        if sheet not in sheets:
            raise UserError(f"工作簿中没有名为“{sheet}”的项目表。")
        sheets = [sheet]
    library = workbook_library(book)
    require_known(library, category)
    results = []
    for name in sheets:
        try:
            result, patch = fill_sheet(book, name, profile, library, category)
        except UserError as exc:
            results.append(FillResult(name, "", False, error=str(exc)))
            continue
        book.apply(patch)
        result.changed = bool(patch)
        results.append(result)
    return results
