"""The whole workbook: which sheet is what, and reading the model from a ``Book``."""

from __future__ import annotations

from dataclasses import dataclass, field

from xl_addin.core.book import Book
from xl_addin.core.findings import Finding
from xl_addin.core.grid import Grid
from xl_addin.core.model import Settings, WorkbookModel
from xl_addin.forms import acceptances as acc
from xl_addin.forms import department_sheet, merges, project_sheet, settings_sheet
from xl_addin.forms.names import MARKER_CELL_NAME, MARKER_NAME, RESERVED_SHEETS
from xl_addin.forms.safety import steering_findings, steering_sheets


@dataclass
class BookContents:
    """What a workbook holds: the model, and sheets that could not be read as projects."""

    model: WorkbookModel
    problems: list[Finding] = field(default_factory=list)
    other_sheets: list[str] = field(default_factory=list)
    #: the accepted findings stored in the workbook (``acceptances``), and the sheets
    #: they are on as read, for the fingerprints of what the rules judge there
    acceptances: list[acc.Acceptance] = field(default_factory=list)
    grids: dict[str, Grid] = field(default_factory=dict)


def is_ours(book: Book) -> bool:
    """A workbook made from our template carries the marker name (as a constant, and as
    a range name for clients that see range names only)."""
    return any(book.defined_name(n) is not None for n in (MARKER_NAME, MARKER_CELL_NAME))


def project_sheet_names(book: Book) -> list[str]:
    """Non-reserved sheets that look like project sheets, in order.  A project sheet a
    user hid is still a project: its money must not vanish from the summary."""
    return [
        name for name in book.sheet_names()
        if name not in RESERVED_SHEETS and project_sheet.is_project_sheet(book.read(name))
    ]


def read_settings(book: Book) -> Settings:
    """The 参数 sheet's settings (defaults when the sheet is gone), without reading the
    project sheets."""
    if settings_sheet.SHEET not in book.sheet_names():
        return Settings()
    return settings_sheet.parse(book.read(settings_sheet.SHEET))


def read_model(book: Book, only: str | None = None) -> BookContents:
    """Read settings, the department overview and every project sheet (or just the
    sheet ``only``: a project sheet, or the overview with its indicator rows)."""
    names = book.sheet_names()
    contents = BookContents(WorkbookModel())
    contents.model.settings = read_settings(book)
    if department_sheet.SHEET in names and only in (None, department_sheet.SHEET):
        overview = book.read(department_sheet.SHEET)
        contents.model.department = department_sheet.parse(overview)
        contents.problems.extend(merges.findings(overview))
    for name in names:
        if name in RESERVED_SHEETS or (only and name != only):
            continue
        grid = book.read(name)
        loc = project_sheet.locate(grid)
        if not project_sheet.is_project_sheet(grid, loc):
            contents.other_sheets.append(name)
            contents.problems.extend(merges.findings(grid))  # a project's come with it
            continue
        project, problems = project_sheet.parse(grid, loc)
        contents.model.projects.append(project)
        contents.problems.extend(problems)
    steering = steering_sheets(names)
    projects = {n for n in steering if project_sheet.is_project_sheet(book.read(n))}
    contents.problems[:0] = steering_findings(steering, projects)
    contents.acceptances = acc.read(book)
    contents.grids = acc.grids_for(book, [a for a in contents.acceptances
                                          if only in (None, a.sheet)])
    return contents
