"""The .xlam package, assembled as a zip from its parts.

openpyxl cannot open or save an .xlam and drops the Excel-2010 ribbon relationship, so
the add-in is written part by part: the workbook (with the ``codeName`` LibreOffice's
VBA export leaves out, and the add-in content type), the ``xl_addin.conf`` settings
sheet that xlwings' VBA reads, ``xl/vbaProject.bin``, and ``customUI/customUI14.xml``
with its package relationship.  Every part is written here in a fixed order, with fixed
zip timestamps and attributes, and ``xl/vbaProject.bin`` comes normalised
(``reproducible.normalise``), so the package is the same bytes for the same inputs
(with the same zlib: another zlib version may compress differently).
"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from xl_addin.core.errors import UserError

PROJECT_NAME = "xl_addin"
CONF_SHEET = f"{PROJECT_NAME}.conf"
#: the code names Excel gives a new workbook and its first sheet; the VBA project has a
#: document module of each name (``uno_session``), and the XML names them the same way
WORKBOOK_CODE_NAME = "ThisWorkbook"
SHEET_CODE_NAME = "Sheet1"
ADDIN_MAIN = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
RIBBON_PART = "customUI/customUI14.xml"
RIBBON_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
OFFICE_DOC_REL = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                  "officeDocument")
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DATE = (2024, 1, 1, 0, 0, 0)
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = f"""{_XML}<Types xmlns="{_CT}">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>
<Override PartName="/xl/workbook.xml" ContentType="{ADDIN_MAIN}"/>
<Override PartName="/xl/worksheets/sheet1.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>
"""

PACKAGE_RELS = f"""{_XML}<Relationships xmlns="{_PKG_REL}">
<Relationship Id="rId1" Type="{OFFICE_DOC_REL}" Target="xl/workbook.xml"/>
</Relationships>
"""

WORKBOOK = f"""{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">
<workbookPr codeName="{WORKBOOK_CODE_NAME}"/>
<bookViews><workbookView/></bookViews>
<sheets><sheet name="{CONF_SHEET}" sheetId="1" r:id="rId1"/></sheets>
</workbook>
"""

WORKBOOK_RELS = f"""{_XML}<Relationships xmlns="{_PKG_REL}">
<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>
<Relationship Id="rId3" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" \
Target="vbaProject.bin"/>
</Relationships>
"""

STYLES = f"""{_XML}<styleSheet xmlns="{_MAIN}">
<fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>
</styleSheet>
"""


def conf_sheet(settings: dict[str, str], code_name: str = SHEET_CODE_NAME) -> str:
    """The settings sheet as xlwings reads it: keys in column A from A1 down, values in
    B (texts, so a path is never taken for a number); ``code_name`` names the sheet's
    document module in the VBA project."""
    rows = []
    for r, (key, value) in enumerate(settings.items(), start=1):
        cells = "".join(
            f'<c r="{col}{r}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'
            for col, text in (("A", key), ("B", value)))
        rows.append(f'<row r="{r}">{cells}</row>')
    return (f'{_XML}<worksheet xmlns="{_MAIN}"><sheetPr codeName="{escape(code_name)}"/>'
            f'<cols><col min="1" max="1" width="34" '
            f'customWidth="1"/><col min="2" max="2" width="60" customWidth="1"/></cols>'
            f'<sheetData>{"".join(rows)}</sheetData></worksheet>\n')


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            # the same entry on every system (ZipInfo's defaults follow the platform)
            info.create_system, info.external_attr = 0, 0
            z.writestr(info, data)
    return out.getvalue()


def _unzip(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        return {name: z.read(name) for name in z.namelist()}


def add_ribbon(package: bytes, custom_ui: bytes) -> bytes:
    """``package`` with ``customUI/customUI14.xml`` and its package relationship (the
    Excel 2010 ribbon type); its content type is the ``xml`` default, which is
    ``application/xml`` as the part requires.  Works on our own package and on one
    saved by Excel (``--via-excel``)."""
    parts = _unzip(package)
    rels = parts["_rels/.rels"].decode("utf-8")
    if RIBBON_REL not in rels:
        rel = f'<Relationship Id="rIdRibbon14" Type="{RIBBON_REL}" Target="{RIBBON_PART}"/>'
        rels = rels.replace("</Relationships>", rel + "</Relationships>")
    types = parts["[Content_Types].xml"].decode("utf-8")
    if 'Extension="xml"' not in types:
        types = types.replace(
            "</Types>", '<Default Extension="xml" ContentType="application/xml"/></Types>')
    parts.update({"_rels/.rels": rels.encode("utf-8"), "[Content_Types].xml":
                  types.encode("utf-8"), RIBBON_PART: custom_ui})
    return _zip(parts)


def _conf_part(parts: dict[str, bytes]) -> str:
    """Where the settings sheet is, found by name (Excel may number sheets otherwise)."""
    sheets = ElementTree.fromstring(parts["xl/workbook.xml"]).iter(f"{{{_MAIN}}}sheet")
    rid = next((s.get(f"{{{_REL}}}id") for s in sheets if s.get("name") == CONF_SHEET), None)
    rels = ElementTree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    target = next((r.get("Target") for r in rels if rid and r.get("Id") == rid), None)
    if target is None:
        raise UserError(f"加载项中没有“{CONF_SHEET}”设置表，"
                        "请重新生成加载项（xl-addin build-addin）。")
    return target[1:] if target.startswith("/") else f"xl/{target}"


def read_conf(package: bytes) -> dict[str, str]:
    """The settings sheet of ``package`` as the launcher reads it: column A → column B."""
    files = _unzip(package)
    sheet = ElementTree.fromstring(files[_conf_part(files)])
    settings = {}
    for row in sheet.iter(f"{{{_MAIN}}}row"):
        texts = {c.get("r", "")[:1]: "".join(t.text or "" for t in c.iter(f"{{{_MAIN}}}t"))
                 for c in row.iter(f"{{{_MAIN}}}c")}
        if texts.get("A"):
            settings[texts["A"]] = texts.get("B", "")
    return settings


def with_conf(package: bytes, settings: dict[str, str]) -> bytes:
    """``package`` with its settings sheet rewritten (what ``xl-addin install`` does).
    The sheet keeps its code name: a localized Excel (``--via-excel``) may have named
    the sheet's document module otherwise than ``Sheet1``."""
    parts = _unzip(package)
    part = _conf_part(parts)
    pr = ElementTree.fromstring(parts[part]).find(f"{{{_MAIN}}}sheetPr")
    code_name = pr.get("codeName") if pr is not None else None
    parts[part] = conf_sheet(settings, code_name or SHEET_CODE_NAME).encode("utf-8")
    return _zip(parts)


def assemble(vba_project: bytes, settings: dict[str, str], custom_ui: bytes) -> bytes:
    """The whole add-in package."""
    base = _zip({
        "[Content_Types].xml": CONTENT_TYPES.encode("utf-8"),
        "_rels/.rels": PACKAGE_RELS.encode("utf-8"),
        "xl/workbook.xml": WORKBOOK.encode("utf-8"),
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.encode("utf-8"),
        "xl/styles.xml": STYLES.encode("utf-8"),
        "xl/worksheets/sheet1.xml": conf_sheet(settings).encode("utf-8"),
        "xl/vbaProject.bin": vba_project,
    })
    return add_ribbon(base, custom_ui)
