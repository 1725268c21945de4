"""Workbooks made, imported and validated: new, build, import (with its report), add a
project, validate.

Each action takes a ``Book`` (file, live or memory) and returns what it did; the CLI and
the ribbon are thin layers over these functions.  Creating files from nothing
(``new_workbook``, ``build_workbook``) is file-engine work by nature.
"""

from __future__ import annotations

import re
from pathlib import Path

from xl_addin.core.book import Book
from xl_addin.core.errors import UserError
from xl_addin.core.findings import Finding
from xl_addin.core.model import Project, Settings, WorkbookModel
from xl_addin.core.patch import Patch, WriteTable
from xl_addin.documents.importers import report as import_report
from xl_addin.documents.importers.blocks import Block
from xl_addin.documents.importers.published import interpret_document
from xl_addin.documents.importers.report import ImportReport
from xl_addin.engines.file import FileBook
from xl_addin.engines.template.build import build_department_sheet, build_template
from xl_addin.forms import department_sheet, project_sheet
from xl_addin.forms.acceptances import Split, errors_allowed, split
from xl_addin.forms.book import BookContents, is_ours, read_model
from xl_addin.forms.names import MASTER_SHEET, RESERVED_SHEETS
from xl_addin.forms.published import load as load_vocabulary
from xl_addin.rules.profiles import Profile

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_name_for(name: str, taken: list[str]) -> str:
    """A valid, unique sheet name for a project (Excel: ≤31 chars, no []:*?/\\)."""
    base = _BAD_SHEET_CHARS.sub("", name).strip().strip("'")[:31] or "项目"
    lowered = {t.lower() for t in taken} | {r.lower() for r in RESERVED_SHEETS}
    candidate, n = base, 2
    while candidate.lower() in lowered:
        suffix = f"({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    return candidate


def add_project(book: Book, project: Project) -> str:
    """Add a project sheet copied from the hidden master, filled with ``project``.

    The sheet goes after the last project sheet (before the master); returns its name.
    """
    if not is_ours(book) or MASTER_SHEET not in book.sheet_names():
        raise UserError(
            "这个工作簿不是由本工具的模板生成的（缺少“项目模板”表），无法新增项目。"
            "请用 xl-addin new 新建工作簿，或把项目复制到新工作簿中。"
        )
    name = sheet_name_for(project.name or "新项目", book.sheet_names())
    book.copy_sheet(MASTER_SHEET, name, before=MASTER_SHEET)
    book.apply(project_sheet.render(project, name))
    return name


def new_workbook(path: Path, settings: Settings) -> FileBook:
    """A blank workbook from the template, with the given settings (not yet saved)."""
    return FileBook(path, build_template(settings))


def build_workbook(path: Path, model: WorkbookModel) -> FileBook:
    """A workbook holding ``model``: settings, the overview and one sheet per project."""
    book = new_workbook(path, model.settings)
    index = book.wb.sheetnames.index(department_sheet.SHEET)
    del book.wb[department_sheet.SHEET]
    ws = book.wb.create_sheet(department_sheet.SHEET, index)
    build_department_sheet(ws, model.department, model.settings.password)
    for project in model.projects:
        project.sheet = add_project(book, project)
    return book


def read_document(src: Path) -> list[Block]:
    """The blocks of a published document in any supported format (text, Word, web page,
    PDF, Excel): ``documents.importers.readers`` chooses the reader by content."""
    from xl_addin.documents.importers.readers import read_document as read_any

    return read_any(src)


def import_document(src: Path, out: Path, year: int | None = None) -> FileBook:
    """Import a published document into a new workbook at ``out`` (not yet saved)."""
    return import_with_report(src, out, year)[0]


def import_with_report(src: Path, out: Path, year: int | None = None,
                       forms: Path | None = None) -> tuple[FileBook, ImportReport]:
    """Import a published document into a new workbook at ``out`` (not yet saved), with
    the labels of ``forms`` added to the built-in vocabulary; the workbook carries the
    report of what was read on its 导入说明 sheet."""
    vocabulary = load_vocabulary(forms)
    imported = interpret_document(read_document(src), year, vocabulary, source=src.name)
    model, report = imported.model, imported.report
    if model.settings.year is None:
        raise UserError(
            f"无法从“{src.name}”确定预算年度（文中未写明，项目编码中也没有年份）。"
            "请用 --year 指定，例如 --year 2022。"
        )
    book = build_workbook(out, model)
    # last, so the template's sheets keep their places
    book.apply(Patch([WriteTable(import_report.SHEET, import_report.HEADER, report.sheet_rows(),
                                 widths=import_report.WIDTHS)]))
    return book, report


__all__ = [
    "add_project", "build_workbook", "import_document", "import_with_report", "new_workbook",
    "read_document",
    "read_model", "sheet_name_for", "validate_book", "validate_contents",
]


def validate_book(book: Book, profile: str | Path | None = None, sheet: str | None = None):
    """Validate the workbook (or one sheet): the sheet parser's findings plus every rule's.

    Returns a ``xl_addin.rules.report.Report``.  ``profile`` is a built-in frame ('2015',
    '2021') or a profile file; by default the workbook's own 指标框架 setting.
    """
    return validate_contents(read_model(book, only=sheet), profile)


def validate_contents(contents: BookContents, profile: str | Path | None = None):
    """Validate a workbook already read (``read_model``): its problems and every rule's
    findings, as a ``xl_addin.rules.report.Report``."""
    from xl_addin.rules import validate
    from xl_addin.rules.profiles import load as load_profile
    from xl_addin.rules.report import Report

    chosen = load_profile(profile or contents.model.settings.frame or "2015")
    report = validate(contents.model, chosen)
    found = explain(contents, contents.problems + list(report.findings), chosen)
    return Report(found.findings, found.accepted)


def explain(contents: BookContents, findings: list[Finding], profile: Profile) -> Split:
    """The findings the workbook's acceptances explain (已说明) set apart; errors only
    when ``profile`` allows it (see ``acceptances``)."""
    return split(findings, contents.acceptances, contents.grids, errors_allowed(profile.raw))
