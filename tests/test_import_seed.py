"""Must show 2: the seed imports, field by field as the document writes it."""

from __future__ import annotations

import json
from decimal import Decimal

from click.testing import CliRunner

from xl_addin.actions.serialize import contents_dict
from xl_addin.cli import cli
from xl_addin.engines.file import FileBook
from xl_addin.forms.book import read_model

SEED_CODES = [
    "13030322P00397010017P", "13030321P00EGD010004G", "13030322P00410910003J",
    "13030322P00411210001T", "13030322P004135100045", "13030322P00411510004N",
    "13030322P004117100042", "13030321FVX8CQSYXPUNY", "13030322P00412010004H",
    "13030322P004123100056", "13030322P004126100057", "13030322P00412810005J",
]
SEED_BUDGETS = ["0.40", "7.00", "5.71", "135.00", "2.00", "10.00", "188.00", "6.00",
                "30.00", "15.00", "94.00", "8.53"]


def _dump(path) -> dict:
    result = CliRunner().invoke(cli, ["dump", str(path)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_dump_of_imported_seed(seed_book_path) -> None:
    d = _dump(seed_book_path)
    projects = d["projects"]
    assert [p["code"] for p in projects] == SEED_CODES
    assert [p["budget"] for p in projects] == SEED_BUDGETS
    assert sum(Decimal(p["budget"]) for p in projects) == Decimal("501.64")
    assert sum(len(p["indicators"]) for p in projects) == 105
    assert d["settings"]["year"] == 2022
    assert len(d["department"]["duties"]) == 11
    assert len(d["department"]["measures"]) == 3
    assert d["problems"] == []


def test_first_project_as_written(seed_book_path) -> None:
    p = _dump(seed_book_path)["projects"][0]
    assert (p["name"], p["fiscal"], p["other"]) == ("车辆保险费", "0.40", None)
    assert p["unit_line"] == "610001古城街道办事处部门秦皇岛市山海关区古城街道办事处本级"
    assert p["uses"] == ["保障公务用车保险费用", "保障公务用车正常运转"]
    assert p["goals"] == ["1.保障公务用车保险费用", "保障公务用车正常运转"]
    assert p["plan"] == {"mar": "25", "jun": "50", "oct": "75", "dec": "100"}
    rows = [(i["level1"], i["level2"], i["level3"], i["value"], i["basis"])
            for i in p["indicators"]]
    assert rows[0] == ("产出指标", "数量指标", "出车次数", "次", "年度工作计划")
    assert rows[3] == ("效益指标", "可持续影响指标", "长期使用性", "是/否", "年度工作计划")
    assert [i["level1_written"] for i in p["indicators"]] == [True, False, False, True, False, True]


def test_department_as_written(seed_book_path) -> None:
    dept = _dump(seed_book_path)["department"]
    assert dept["overall_goal"].startswith("坚持以习近平新时代中国特色社会主义思想为指导")
    assert dept["duties"][0] == {
        "number": "一", "name": "党建基层组织工作",
        "goal": "促进立法交流与合作，提高立法人员业务水平，促进立法工作的科学化、民主化，"
                "不断提高立法质量和水平。",
    }
    assert dept["duties"][10]["name"] == "人口与计生工作"
    assert dept["measures"][0].startswith("一是保民生：以人为本促和谐。")


def test_workbook_holds_the_document_model(seed_model, seed_book_path) -> None:
    """Every field of every project survives document -> workbook -> model."""
    book = read_model(FileBook(seed_book_path)).model
    assert book.settings.year == seed_model.settings.year
    assert book.settings.unit == seed_model.settings.unit
    assert book.department.overall_goal == seed_model.department.overall_goal
    assert [(d.number, d.name, d.goal) for d in book.department.duties] == [
        (d.number, d.name, d.goal) for d in seed_model.department.duties]
    assert book.department.measures == seed_model.department.measures
    fields = ("unit_line", "code", "name", "category", "budget", "fiscal", "other",
              "uses", "plan", "goals", "written")
    for got, want in zip(book.projects, seed_model.projects, strict=True):
        assert {f: getattr(got, f) for f in fields} == {f: getattr(want, f) for f in fields}
        assert [(i.level1, i.level2, i.level3, i.description, i.value, i.basis,
                 i.level1_written) for i in got.indicators] == [
            (i.level1, i.level2, i.level3, i.description, i.value, i.basis,
             i.level1_written) for i in want.indicators]


def test_cells_point_at_the_values(seed_book_path) -> None:
    contents = read_model(FileBook(seed_book_path))
    p = contents.model.projects[0]
    assert (p.cells["code"], p.cells["budget"], p.cells["dec"]) == ("B3", "C5", "F8")
    assert p.indicators[0].cells["value"] == "F11"
    assert contents_dict(contents)["projects"][0]["cells"]["name"] == "E3"


def test_year_override_and_inference(tmp_path) -> None:
    from tests.conftest import SEED

    out = tmp_path / "y.xlsx"
    result = CliRunner().invoke(cli, ["import", str(SEED), "-o", str(out), "--year", "2023"])
    assert result.exit_code == 0, result.output
    assert read_model(FileBook(out)).model.settings.year == 2023
