"""A small streaming .xlsx writer for large tables of plain values.

The batch review writes a hundred thousand finding rows; openpyxl's write-only mode
spends ~4.5 µs a cell on them (five seconds for a district), more than reviewing the
workbooks.  Rows here become SpreadsheetML text directly: strings inline (so nothing is
kept in memory per distinct string, and text is never read as a formula), numbers as
numbers, a handful of styles.  Each sheet's rows go to a temporary file as they come;
``save`` zips the parts into the target atomically.

Only what the review workbook needs is supported: column widths, a frozen header row,
an autofilter, the styles of ``Style`` (text wraps), rows as tall as their wrapped text
(``forms.row_heights``), and the print setup of every other sheet the tool writes: A4,
fitted to one page wide, the header row repeated, page numbers in the footer.
"""

from __future__ import annotations

import math
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from decimal import Decimal
from enum import IntEnum
from pathlib import Path
from xml.sax.saxutils import escape

from xl_addin.core.grid import column_letter
from xl_addin.engines.template.formats import FOOTER, PRINT_MARGINS
from xl_addin.files.atomic import replace_file
from xl_addin.forms.row_heights import height_for, line_count

#: characters the file format cannot hold (XML 1.0 forbids them): dropped, not fatal
_CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff"
_ILLEGAL = re.compile(f"[{_CONTROL}]")

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_ROWS_PER_WRITE = 2000
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


class Style(IntEnum):
    """Cell styles (their index in styles.xml's cellXfs)."""

    PLAIN = 0
    HEADER = 1  # bold on grey
    MONEY = 2  # the money format (two to four decimals)
    BOLD = 3
    BOLD_MONEY = 4


def _styles_xml(font: str, size: int, money_format: str) -> str:
    fonts = (f'<font><sz val="{size}"/><name val="{escape(font)}"/></font>'
             f'<font><b/><sz val="{size}"/><name val="{escape(font)}"/></font>')
    fills = ('<fill><patternFill patternType="none"/></fill>'
             '<fill><patternFill patternType="gray125"/></fill>'
             '<fill><patternFill patternType="solid"><fgColor rgb="FFD9D9D9"/>'
             '<bgColor indexed="64"/></patternFill></fill>')
    xf = ('<xf numFmtId="{n}" fontId="{f}" fillId="{fill}" borderId="0" xfId="0"{apply} '
          'applyAlignment="1"><alignment {align} wrapText="1"/></xf>')
    top, centre = 'vertical="top"', 'horizontal="center" vertical="center"'
    cell_xfs = [xf.format(n=0, f=0, fill=0, apply="", align=top),
                xf.format(n=0, f=1, fill=2, apply=' applyFont="1" applyFill="1"', align=centre),
                xf.format(n=164, f=0, fill=0, apply=' applyNumberFormat="1"', align=top),
                xf.format(n=0, f=1, fill=0, apply=' applyFont="1"', align=top),
                xf.format(n=164, f=1, fill=0, apply=' applyNumberFormat="1" applyFont="1"',
                          align=top)]
    return (f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
            f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{escape(money_format)}"/>'
            f'</numFmts><fonts count="2">{fonts}</fonts><fills count="3">{fills}</fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
            f'borderId="0"/></cellStyleXfs><cellXfs count="{len(cell_xfs)}">'
            f'{"".join(cell_xfs)}</cellXfs><cellStyles count="1"><cellStyle name="Normal" '
            'xfId="0" builtinId="0"/></cellStyles></styleSheet>')


_NEEDS_CARE = re.compile(f"[&<>{_CONTROL}]")  # escaped or dropped


def _text(value: str) -> str:
    """Text as XML character data: most text needs nothing, so one search decides."""
    if _NEEDS_CARE.search(value) is None:
        return value
    return escape(_ILLEGAL.sub("", value))


def _cell(ref: str, value: object, style: int) -> str:
    s = f' s="{style}"' if style else ""
    if type(value) is str and value:  # most cells: checked first
        return (f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">'
                f"{_text(value)}</t></is></c>")
    if value is None or value == "":  # an empty text is a blank cell
        return f'<c r="{ref}"{s}/>' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    if isinstance(value, float) and math.isfinite(value):
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    if isinstance(value, Decimal) and value.is_finite():
        return f'<c r="{ref}"{s}><v>{format(value, "f")}</v></c>'
    return _cell(ref, str(value), style)


class StreamSheet:
    """One sheet: rows are appended as text to a temporary file."""

    def __init__(self, name: str, widths: list[float], header: list[str], *,
                 autofilter: bool = False) -> None:
        self.name = name
        self.autofilter = autofilter  # asked for; written once the sheet has rows
        self.width = len(header)
        self.rows = 0
        self.widths = list(widths)
        self._letters = [column_letter(i) for i in range(1, self.width + 1)]
        # closed by close(): the sheet outlives this call
        self._body = tempfile.TemporaryFile()  # noqa: SIM115
        self._pending: list[str] = []
        cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                       for i, w in enumerate(widths, start=1))
        self._pending.append(
            f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetPr><pageSetUpPr '
            'fitToPage="1"/></sheetPr><sheetViews>'
            '<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/>'
            '</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
            f'{"<cols>" + cols + "</cols>" if cols else ""}<sheetData>')
        self.append(header, [Style.HEADER] * len(header))

    def append(self, values: Iterable[object], styles: list[int] | None = None) -> None:
        """One row; ``styles`` (one per value) defaults to plain."""
        self.rows += 1
        r = self.rows
        letters = self._letters
        cells = "".join(
            _cell(f"{letters[i]}{r}", v, styles[i] if styles else 0)
            for i, v in enumerate(values))
        self._pending.append(f'<row r="{r}"{self._height(values)}>{cells}</row>')
        if len(self._pending) >= _ROWS_PER_WRITE:
            self._flush()

    def _height(self, values: Iterable[object]) -> str:
        """The row's height attributes when its text wraps to more than one line."""
        lines = 1
        for value, width in zip(values, self.widths, strict=False):
            # most cells are short: twice their length fits the column, no need to count
            if type(value) is str and 2 * len(value) > width - 2:
                lines = max(lines, line_count(value, width))
        return f' ht="{height_for(lines)}" customHeight="1"' if lines > 1 else ""

    def _flush(self) -> None:
        self._body.write("".join(self._pending).encode("utf-8"))
        self._pending.clear()

    @property
    def filtered(self) -> bool:
        """An autofilter over the table: asked for, and rows below the header."""
        return self.autofilter and self.rows > 1

    def write_to(self, z: zipfile.ZipFile, arcname: str) -> None:
        """Close the sheet's XML and copy it into the archive."""
        tail = "</sheetData>"
        if self.filtered:
            tail += f'<autoFilter ref="{self.filter_ref}"/>'
        self._pending.append(tail + _print_setup() + "</worksheet>")
        self._flush()
        self._body.seek(0)
        with z.open(arcname, "w") as out:
            shutil.copyfileobj(self._body, out, 1 << 20)

    @property
    def filter_ref(self) -> str:
        return f"A1:{self._letters[max(self.width, 1) - 1]}{self.rows}"

    def close(self) -> None:
        self._body.close()


class StreamBook:
    """Sheets in order; ``save`` writes the .xlsx (temporary file, then replace)."""

    def __init__(self, font: str, size: int, money_format: str) -> None:
        self.sheets: list[StreamSheet] = []
        self._styles = _styles_xml(font, size, money_format)

    def add_sheet(self, name: str, widths: list[float], header: list[str], *,
                  autofilter: bool = False, at: int | None = None) -> StreamSheet:
        """A new sheet, last or at position ``at`` (a sheet whose header is known only
        at the end can still come first)."""
        sheet = StreamSheet(name, widths, header, autofilter=autofilter)
        self.sheets.insert(len(self.sheets) if at is None else at, sheet)
        return sheet

    def _write(self, tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            z.writestr("[Content_Types].xml", self._content_types())
            z.writestr("_rels/.rels", f'{_HEAD}<Relationships xmlns="{_PKG_REL}">'
                       f'<Relationship Id="rId1" Type="{_REL}/officeDocument" '
                       'Target="xl/workbook.xml"/></Relationships>')
            z.writestr("xl/workbook.xml", self._workbook())
            z.writestr("xl/_rels/workbook.xml.rels", self._workbook_rels())
            z.writestr("xl/styles.xml", self._styles)
            for i, sheet in enumerate(self.sheets, start=1):
                sheet.write_to(z, f"xl/worksheets/sheet{i}.xml")

    def save(self, path: Path, what: str) -> Path:
        try:
            return replace_file(path, self._write, what=what)
        finally:
            for sheet in self.sheets:
                sheet.close()

    def _content_types(self) -> str:
        sheets = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(self.sheets) + 1))
        return (f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                'content-types"><Default Extension="rels" ContentType="application/'
                'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
                'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
                'sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType='
                '"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                f'{sheets}</Types>')

    def _workbook(self) -> str:
        sheets = "".join(f'<sheet name="{escape(s.name, {chr(34): "&quot;"})}" '
                         f'sheetId="{i}" r:id="rId{i}"/>'
                         for i, s in enumerate(self.sheets, start=1))
        names = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
            f"{escape(_quoted(s.name))}!{_absolute(s.filter_ref)}</definedName>"
            for i, s in enumerate(self.sheets) if s.filtered)
        names += "".join(  # the header row on every printed page
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
            f"{escape(_quoted(s.name))}!$1:$1</definedName>" for i, s in enumerate(self.sheets))
        return (f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews>'
                f'<workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets>'
                f'{"<definedNames>" + names + "</definedNames>" if names else ""}</workbook>')

    def _workbook_rels(self) -> str:
        rels = "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" '
                       f'Target="worksheets/sheet{i}.xml"/>'
                       for i in range(1, len(self.sheets) + 1))
        styles_id = len(self.sheets) + 1
        return (f'{_HEAD}<Relationships xmlns="{_PKG_REL}">{rels}<Relationship '
                f'Id="rId{styles_id}" Type="{_REL}/styles" Target="styles.xml"/>'
                "</Relationships>")


def _print_setup() -> str:
    """A4 landscape, one page wide, centred, the footer's page numbers in its margin."""
    m = PRINT_MARGINS
    return ('<printOptions horizontalCentered="1"/>'
            f'<pageMargins left="0.4" right="0.4" top="{m["top"]}" bottom="{m["bottom"]}" '
            f'header="{m["header"]}" footer="{m["footer"]}"/>'
            '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
            f'<headerFooter><oddFooter>{escape("&C" + FOOTER)}</oddFooter></headerFooter>')


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _absolute(ref: str) -> str:
    """A1:H9 -> $A$1:$H$9."""
    return ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", part) for part in ref.split(":"))
