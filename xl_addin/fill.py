"""Filling default indicator rows into project sheets, on any engine.

Only rows are added: a row the user wrote is never changed, moved or deleted.  New rows
go below the last written row, into the block's blank formatted rows first and into
grown rows after that; cells still holding a placeholder (N, X) are highlighted with a
note asking for the unit's own number.  A second run finds nothing missing and adds
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .cellvalues import label
from .engines.base import Book
from .errors import UserError
from .layout import project_sheet as proj
from .layout.book import project_sheet_names
from .library import Library, guess_category, has_placeholder, load_library, missing_rows
from .marks import record_op
from .model import INDICATOR_FIELDS, Indicator
from .patch import CellState, Patch, StyleCells
from .profiles import Profile
from .template.build import LIBRARY_HEADER
from .template.names import LIBRARY_SHEET

PLACEHOLDER_FILL = "DDEBF7"
PLACEHOLDER_NOTE = "请填写：把 N / X 换成本单位的数字（如 ＝19人、≤2万元）。"


@dataclass
class FillResult:
    sheet: str
    category: str
    guessed: bool
    reason: str = ""
    added: list[Indicator] = field(default_factory=list)


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
    return Library.from_rows(rows) if rows else load_library()


def fill_sheet(book: Book, sheet: str, profile: Profile, library: Library,
               category: str | None = None) -> tuple[FillResult, Patch]:
    """What filling one project sheet adds, and the patch that adds it."""
    grid = book.read(sheet)
    loc = proj.locate(grid)
    project, problems = proj.parse(grid, loc)
    if problems:
        raise UserError(problems[0].message)
    guessed = not (category or project.category)
    reason = ""
    if guessed:
        category, reason = guess_category(project)
    chosen = category or project.category
    if chosen not in library.categories():
        raise UserError(
            f"未知的项目类别“{chosen}”（工作表“{sheet}”）。可用类别："
            f"{'、'.join(library.categories())}。"
        )
    rows = missing_rows(project, profile, chosen, library)
    result = FillResult(sheet, chosen, guessed, reason, rows)
    patch = Patch()
    header_row, _ = loc.labels["一级指标"]
    cols = {key: loc.labels[lab][1] for key, lab in INDICATOR_FIELDS.items()}
    if guessed and "推荐类别" in loc.labels:
        r, c = loc.labels["推荐类别"]
        patch.set(sheet, {(r, grid.merge_end(r, c)[1] + 1): f"{chosen}（{reason}）"})
    if not rows:
        return result, patch

    last_used = max((i.row or header_row for i in project.indicators), default=header_row)
    first = last_used + 1
    last_needed = first + len(rows) - 1
    patch.grow(sheet, grid.n_rows, grid.n_rows + 1, last_needed - grid.n_rows)
    cells: dict[tuple[int, int], object] = {}
    marks: dict[tuple[int, int], CellState] = {}
    previous = project.indicators[-1].level1 if project.indicators else ""
    for offset, ind in enumerate(rows):
        r = first + offset
        for key, c in cols.items():
            value = getattr(ind, key)
            if key == "level1" and value == previous:
                value = ""  # same as above, as the published tables write it
            cells[(r, c)] = value or None
        previous = ind.level1
        if has_placeholder(ind.value):
            marks[(r, cols["value"])] = CellState(PLACEHOLDER_FILL, PLACEHOLDER_NOTE)
    patch.set(sheet, cells)
    if marks:
        # recorded like validation marks, so the next validation or 清除标记 removes the
        # highlight once the number is typed in
        before = {rc: CellState() for rc in marks}
        patch.ops.append(StyleCells(sheet, marks))
        patch.ops.append(record_op(book, {sheet: before}))
    patch.fit(sheet, list(range(first, last_needed + 1)))
    return result, patch


def fill_book(book: Book, profile: Profile, sheet: str | None = None,
              category: str | None = None) -> list[FillResult]:
    """Fill one sheet or every project sheet; returns what was added per sheet."""
    sheets = project_sheet_names(book)
    if sheet is not None:
        if sheet not in sheets:
            raise UserError(f"工作簿中没有名为“{sheet}”的项目表。")
        sheets = [sheet]
    library = workbook_library(book)
    results = []
    for name in sheets:
        result, patch = fill_sheet(book, name, profile, library, category)
        book.apply(patch)
        results.append(result)
    return results
