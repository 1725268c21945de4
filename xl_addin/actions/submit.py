"""One-click submission: what goes to the finance bureau, made from one workbook.

Submission validates the workbook, makes sure its 汇总 still describes the project
sheets, and writes three files into one folder:

- ``<name>-报送.xlsx``: a copy with values only (every formula replaced by the value
  LibreOffice computes for it, so the bureau sees what was printed even in a viewer
  that does not calculate), every sheet and the workbook structure protected, no
  validation marks, the hidden helper sheets still hidden (a project sheet the user hid
  is shown: the 汇总 counts it), the 汇总 rebuilt with the errors and warnings of the
  validation just run;
- ``<name>-报送.pdf``: that copy printed by LibreOffice: the 部门整体绩效目标, the 汇总
  and one A4 page per project (说明 and 指标库 are tool sheets, left out);
- ``<name>-报送.docx``: the published layout (Part 1 部门整体绩效目标, Part 2 a header
  and an indicator table per project), read from the copy.

The copy holds no formula at all (text that looks like one, such as a project named
``=HYPERLINK(…)``, is written as text), no link out of the workbook but http(s) and
mailto hyperlinks, and no sheet but ours and the projects (``scrub``); what was dropped
is reported.  Nothing is written unless all three were made: they are built in a private
staging folder outside the target folder and moved into place together at the end
(``staging``); the plaintext protection password never reaches a file.  The user's
workbook is only changed by ``reconsolidate`` (as ``xl-addin consolidate`` would,
backup kept).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.workbook.protection import WorkbookProtection

from xl_addin.actions.consolidate import check_summary, consolidate_book
from xl_addin.actions.marks import clear_patch
from xl_addin.actions.scrub import drop_external_links, drop_foreign_sheets, drop_unsafe_hyperlinks
from xl_addin.actions.workbook import validate_book
from xl_addin.core.cellvalues import label
from xl_addin.core.errors import EXIT_FINDINGS, UserError, cannot_write
from xl_addin.documents.exporters.docx_writer import write_docx
from xl_addin.documents.importers.report import SHEET as IMPORT_SHEET
from xl_addin.documents.libreoffice import convert
from xl_addin.engines.file import FileBook
from xl_addin.files.staging import publish, staging_folder
from xl_addin.files.writable import check_output, check_output_folder
from xl_addin.forms import merges, settings_sheet
from xl_addin.forms import project_sheet as proj
from xl_addin.forms.book import project_sheet_names, read_model, read_settings
from xl_addin.forms.names import CHOICE_SHEET, HELP_SHEET, LIBRARY_SHEET, SUMMARY_SHEET
from xl_addin.forms.safety import remove_steering_sheets
from xl_addin.rules.report import Report

SUFFIX = "-报送"
#: sheets that explain or feed the tool, not what the bureau reviews: not printed
NOT_PRINTED = (HELP_SHEET, LIBRARY_SHEET, IMPORT_SHEET, CHOICE_SHEET)
STALE_MESSAGE = (
    "“{summary}”表已过期：上次汇总之后，项目表的内容有改动，汇总表与项目表不一致，未提交。"
    "请先重新汇总（xl-addin consolidate {book}），或在提交时加 --reconsolidate。"
)


class NotValid(UserError):
    """The workbook has errors and submission was not forced (exit code 1)."""

    def __init__(self, report: Report) -> None:
        n = report.stats["by_severity"]["error"]
        super().__init__(
            f"工作簿有 {n} 个错误，未提交。请改正后再提交；如确需带错提交，请加 --force。",
            EXIT_FINDINGS,
        )
        self.report = report


@dataclass(frozen=True)
class Outputs:
    xlsx: Path
    pdf: Path
    docx: Path

    def all(self) -> list[Path]:
        return [self.xlsx, self.pdf, self.docx]


@dataclass
class SubmitResult:
    outputs: Outputs
    report: Report
    was_consolidated: bool  # the workbook had a 汇总 before submission
    reconsolidated: bool  # the workbook's own 汇总 was rebuilt (--reconsolidate)
    #: what the copy leaves out of the workbook (unsafe links, foreign sheets), in Chinese
    removed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Built:
    """The three files made in the staging folder, and what was left out of them."""

    outputs: Outputs
    removed: list[str]


def outputs_for(book_path: Path, outdir: Path) -> Outputs:
    stem = f"{book_path.stem}{SUFFIX}"
    return Outputs(outdir / f"{stem}.xlsx", outdir / f"{stem}.pdf", outdir / f"{stem}.docx")


def _check_outputs(book_path: Path, outputs: Outputs, force: bool) -> None:
    if outputs.xlsx.resolve() == book_path.resolve():
        raise UserError(f"报送件会覆盖工作簿本身“{book_path}”，请换一个输出文件夹（-o）。")
    check_output_folder(outputs.xlsx.parent)
    for path in outputs.all():  # each name fits the file system
        check_output(path)
    existing = [p for p in outputs.all() if p.exists()]
    if existing and not force:
        names = "、".join(p.name for p in existing)
        raise UserError(f"输出文件夹中已有 {names}。为避免覆盖，未提交；如确需覆盖，请加 --force。")


def check_ready(book: FileBook, *, force: bool, reconsolidate: bool) -> tuple[Report, bool]:
    """Validate, then check the 汇总 fingerprint; returns the report and whether the
    workbook was ever consolidated.  Raises ``NotValid`` or a stale-summary error."""
    report = validate_book(book)
    tangled = next((f for f in report.findings if f.code in merges.CODES), None)
    if tangled is not None:  # even with --force: LibreOffice rewrites such merges
        raise UserError(f"{tangled.message}这样的合并区域无法生成报送件（LibreOffice 计算时会改写"
                        "或丢弃它们），即使加 --force 也未提交。")
    if not report.valid and not force:
        raise NotValid(report)
    check = check_summary(book)
    if check.stale and not reconsolidate:
        raise UserError(STALE_MESSAGE.format(summary=SUMMARY_SHEET, book=book.path),
                        EXIT_FINDINGS)
    return report, check.consolidated


def _put_value(cell: Cell, value: object) -> None:
    """Write a computed value as a value: openpyxl takes any text starting with "=" for
    a formula, so a project named ``=HYPERLINK("http://…")&`` would come back to life in
    the copy (its title is the name plus 绩效目标表).  Error values (#N/A…) stay errors."""
    cell.value = value
    if cell.data_type == "f":
        cell.data_type = "s"


def _replace_formulas(book: FileBook, calculated: Path) -> None:
    """Every formula cell takes the value LibreOffice computed for it.

    The computed workbook is read as values only, streamed, each sheet once down to its
    last formula: loaded whole, openpyxl would lay out every merged range again (~3 ms
    each, a minute on a long project sheet)."""
    values = load_workbook(calculated, data_only=True, read_only=True)
    try:
        for name in book.sheet_names():
            formulas = [cell for row in book.worksheet(name).iter_rows() for cell in row
                        if cell.data_type == "f"]
            if not formulas:
                continue
            computed = _values_down_to(values[name], max(cell.row for cell in formulas))
            for cell in formulas:
                row = computed[cell.row - 1] if cell.row <= len(computed) else ()
                _put_value(cell, row[cell.column - 1] if cell.column <= len(row) else None)
    finally:
        values.close()


def _values_down_to(ws: object, last_row: int) -> list[tuple[object, ...]]:
    """The values of a streamed sheet's rows 1..``last_row``, a tuple a row."""
    return list(ws.iter_rows(min_row=1, max_row=last_row, values_only=True))  # type: ignore[attr-defined]


def _protect_all(book: FileBook, password: str) -> None:
    for ws in book.wb.worksheets:
        ws.protection.sheet = True
        if password:
            ws.protection.password = password
    book.wb.security = WorkbookProtection(lockStructure=True)
    if password:
        book.wb.security.workbookPassword = password


def _one_page_per_project(book: FileBook) -> None:
    """Every project sheet shows and prints on exactly one A4 page (scaled when long).
    A project sheet the user hid is still counted in the 汇总, so it is shown too."""
    for name in project_sheet_names(book):
        ws = book.worksheet(name)
        ws.sheet_state = "visible"
        ws.page_setup.fitToHeight = 1
        ws.sheet_properties.pageSetUpPr.fitToPage = True


def _drop_password_setting(book: FileBook) -> None:
    """The protection password stays with the unit: the copy keeps only its hash, and
    no file made on the way holds it.  Found by its label, as ``read_settings`` does."""
    if settings_sheet.SHEET not in book.sheet_names():
        return
    grid = book.read(settings_sheet.SHEET)
    wanted = settings_sheet.FIELDS["password"][0]
    ws = book.worksheet(settings_sheet.SHEET)
    for r in range(1, grid.n_rows + 1):
        if label(grid.get(r, 1)) == wanted:
            ws.cell(row=r, column=2).value = None


def _as_the_bureau_reads(book: FileBook) -> None:
    """Project sheets as the unit means them and without the tool's working notes.

    A plan number the validation read as a percentage (25 meant 25%, ``scaled``) is
    written as the fraction a percent cell holds, so the xlsx, its PDF, the docx and the
    汇总 all show 25%; a money text with its unit written in (“250万”, ``with_unit``)
    as the number it was read as; the 推荐类别 label and the guess with its reasoning (fill's note
    to the clerk, who has 项目类别 for the category) are blanked."""
    for project in read_model(book).model.projects:
        ws = book.worksheet(project.sheet)
        for key in project.scaled:
            value = project.plan.get(key)
            if value is not None and key in project.cells:
                ws[project.cells[key]].value = float(value / 100)
        for key in project.with_unit:
            amount = getattr(project, key)
            if amount is not None and key in project.cells:
                ws[project.cells[key]].value = float(amount)
        grid = book.read(project.sheet)
        at = proj.locate(grid).labels.get(proj.SUGGESTION_LABEL)
        if at is not None:
            r, c = at
            ws.cell(row=r, column=c).value = None
            ws.cell(row=r, column=grid.merge_end(r, c)[1] + 1).value = None


def _show_a_visible_sheet(book: FileBook) -> None:
    """Open on a visible sheet: the one the workbook opened on may have been dropped or
    hidden."""
    wb = book.wb
    if wb._active_sheet_index >= len(wb._sheets) or wb.active.sheet_state != "visible":
        wb.active = next(i for i, ws in enumerate(wb.worksheets) if ws.sheet_state == "visible")


def _print_source(book: FileBook, staging: Path) -> Path:
    """The copy with the tool's own sheets hidden, for LibreOffice to print."""
    for name in NOT_PRINTED:
        if name in book.wb.sheetnames:
            book.wb[name].sheet_state = "hidden"
    _show_a_visible_sheet(book)
    return book.save(staging / "print.xlsx", backup=False)


def _build(book: FileBook, report: Report, staging: Path, progress: Callable[[str], None]
           ) -> Built:
    """Make the three files in ``staging`` from ``book`` (changed in memory only).

    Links out go before the first save, so LibreOffice never follows one; foreign sheets
    after the formulas are computed, so no value that reads them changes."""
    progress("正在制作报送件……")
    password = read_settings(book).password
    _drop_password_setting(book)
    removed = drop_unsafe_hyperlinks(book.wb) + drop_external_links(book.wb)
    book.wb.vba_archive = None  # submissions are macro-free .xlsx, even from an .xlsm
    book.apply(clear_patch(book))
    _as_the_bureau_reads(book)
    consolidate_book(book, findings=report.findings, submission=True)
    _one_page_per_project(book)
    prepared = book.save(staging / "prepared.xlsx", backup=False)
    _replace_formulas(book, convert(prepared, "xlsx", staging / "calc", what="计算公式"))
    removed += drop_foreign_sheets(book)
    _show_a_visible_sheet(book)
    _protect_all(book, password)
    xlsx = book.save(staging / "copy.xlsx", backup=False)
    docx = staging / "copy.docx"
    write_docx(read_model(book).model, docx)
    pdf = convert(_print_source(book, staging), "pdf", staging, what="生成 PDF")
    return Built(Outputs(xlsx, pdf, docx), removed)


def submit(book_path: Path, outdir: Path, *, force: bool = False, reconsolidate: bool = False,
           progress: Callable[[str], None] = lambda _message: None) -> SubmitResult:
    """Check ``book_path`` and write its submission files into ``outdir``.

    ``force`` submits despite errors and replaces existing output files;
    ``reconsolidate`` rebuilds the workbook's own 汇总 first (saved in place).
    """
    outputs = outputs_for(book_path, outdir)
    _check_outputs(book_path, outputs, force)
    opener = FileBook.for_update(book_path) if reconsolidate else nullcontext(FileBook(book_path))
    with opener as book:
        progress("正在校验……")
        report, consolidated = check_ready(book, force=force, reconsolidate=reconsolidate)
        if reconsolidate:
            consolidate_book(book, findings=report.findings, accepted=report.accepted)
            remove_steering_sheets(book)
            book.save()
    try:
        with staging_folder() as (staging, signals):
            built = _build(book, report, staging, progress)
            publish(list(zip(built.outputs.all(), outputs.all(), strict=True)), signals)
    except OSError as exc:
        where = exc.filename or outdir
        raise cannot_write(where, exc, f"输出文件夹“{outdir}”未改动；"
                           "请检查磁盘空间和文件夹的写入权限。") from exc
    return SubmitResult(outputs, report, consolidated, reconsolidate, built.removed)
