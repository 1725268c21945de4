"""The template: regenerated equal to the committed file; protection, dropdowns, print."""

from __future__ import annotations

from openpyxl import load_workbook

from tests.xlsx_compare import differing_parts
from xl_addin.engines.file import FileBook
from xl_addin.engines.template.build import build_template, template_path
from xl_addin.forms import project_sheet as proj
from xl_addin.forms.names import MARKER_NAME, MARKER_VALUE, MASTER_SHEET


def test_committed_template_is_regenerated_identically(tmp_path) -> None:
    fresh = tmp_path / "t.xlsx"
    FileBook(fresh, build_template()).save(backup=False)
    assert differing_parts(fresh, template_path()) == []


def _dv_map(ws) -> dict[str, str]:
    """cell range -> formula of its list/decimal validation."""
    return {str(dv.sqref): (dv.type, dv.formula1) for dv in ws.data_validations.dataValidation}


def test_sheets_names_and_marker() -> None:
    wb = load_workbook(template_path())
    assert wb.sheetnames == ["说明", "部门整体绩效目标", "汇总", "指标库", MASTER_SHEET, "参数"]
    assert [wb[s].sheet_state for s in wb.sheetnames] == ["visible"] * 4 + ["hidden"] * 2
    assert wb["指标库"].protection.sheet
    assert wb.defined_names[MARKER_NAME].attr_text == f'"{MARKER_VALUE}"'
    assert wb.defined_names["L1_LIST"].attr_text == "'参数'!$D$2:$D$4"
    assert wb.defined_names["BASIS_LIST"].attr_text == "'参数'!$M$2:$M$6"


def test_project_sheet_protection_and_input_cells(seed_book_path) -> None:
    wb = load_workbook(seed_book_path)
    ws = wb["车辆保险费"]
    assert ws.protection.sheet and not ws.protection.password
    assert not ws.protection.insertRows  # users may insert extra indicator rows
    for key, (r, c) in proj.STANDARD_CELLS.items():
        assert ws.cell(r, c).protection.locked is False, key
    for text, (r, c) in proj.LABELS.items():
        assert ws.cell(r, c).protection.locked is True, text
        assert ws.cell(r, c).value == text
    for c in range(1, 8):
        assert ws.cell(proj.FIRST_INDICATOR_ROW, c).protection.locked is False


def test_project_sheet_dropdowns(seed_book_path) -> None:
    ws = load_workbook(seed_book_path)["车辆保险费"]
    dvs = _dv_map(ws)
    assert dvs["A11:A22"] == ("list", "L1_LIST")
    assert dvs["G11:G22"] == ("list", "BASIS_LIST")
    assert dvs["B4"] == ("list", "CATEGORY_LIST")
    kind, formula = dvs["B11:B22"]
    assert kind == "list" and "L2_TABLE" in formula and "$A11" in formula
    assert dvs["C5 E5 G5"] == ("decimal", "0")
    assert dvs["B8 D8 E8 F8"] == ("decimal", "0")


def test_print_setup(seed_book_path) -> None:
    ws = load_workbook(seed_book_path)["车辆保险费"]
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$3"
    assert ws["A3"].font.name == "宋体"
    assert ws["A11"].border.left.style == "thin"


def test_password_is_configurable(tmp_path) -> None:
    from xl_addin.core.model import Settings

    out = tmp_path / "p.xlsx"
    FileBook(out, build_template(Settings(year=2022, password="s3cret"))).save()
    wb = load_workbook(out)
    assert wb[MASTER_SHEET].protection.password  # stored as a hash
    assert wb["参数"]["B2"].value == 2022
