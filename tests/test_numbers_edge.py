"""Issue 18, numbers at the edge: 1e308, forty digits, three hundred digits as text,
1e999999, inf — in money, plan and target cells, and in a published document's 权重.

Each must become a finding on its cell quoting the text as written (V210 money, V211
plan, V415 target; budget-invalid for inf), be left out of every total, and no command
may end in an exception (exit 3, “内部错误”).  Before, ``consolidate`` ended in
``decimal.InvalidOperation`` or ``Overflow`` on each of them and ``validate`` on a plan
cell of 1e999999.
"""

from __future__ import annotations

import csv
import json
import math
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests.corpus import NUMBER_CASES, ROUND_TWO, SHEET
from xl_addin.actions.summary import planned, row_totals, summary_rows
from xl_addin.cli import cli
from xl_addin.core.cellvalues import (
    money_text,
    number_reading,
    percent_text,
    read_money,
    read_plan,
    to_decimal,
)
from xl_addin.core.numbers import number_limits, read_number
from xl_addin.core.valueparse import parse_value
from xl_addin.engines.calamine import CalamineBook
from xl_addin.engines.file import FileBook
from xl_addin.forms.book import read_model

ROOT = Path(__file__).resolve().parents[1]
OURS = {**NUMBER_CASES, "money_inf.xlsx": ({}, "C5", "inf", "V201")}
#: every command that reads a workbook (review and submit are run on their own)
COMMANDS = [["dump"], ["validate"], ["validate", "--write"], ["validate", "--json"],
            ["fill"], ["add-project", "--name", "新项目"], ["consolidate"],
            ["consolidate", "--csv", "{dir}/out.csv"], ["accept", "--list"],
            ["clear-marks"]]


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _case(seed_book_path: Path, folder: Path, name: str) -> Path:
    path = folder / name
    ROUND_TWO[name].make(seed_book_path, path)
    return path


def _command(command: list[str], path: Path) -> list[str]:
    return [command[0], str(path), *(c.format(dir=path.parent) for c in command[1:])]


# --- the bounded reading -----------------------------------------------------------------


@pytest.mark.parametrize(("value", "why"), [
    (1e308, "绝对值达到或超过10^30"), (10 ** 40, "有41位数字"), ("9" * 300, "有300位数字"),
    ("1e999999", "绝对值达到或超过10^30"), ("1e99999999999999999999", "绝对值达到或超过10^30"),
    (5e-324, "绝对值小于10^-30"), ("1e-31", "绝对值小于10^-30"),
    ("1." + "0" * 40, "有41位数字"),
])
def test_numbers_beyond_the_limits_are_refused_with_the_reason(value: object, why: str) -> None:
    reading = read_number(value)
    assert reading.number is None and why in reading.beyond


@pytest.mark.parametrize(("value", "number"), [
    (0.4, Decimal("0.4")), ("10606.7522", Decimal("10606.7522")), (10 ** 29, Decimal(10 ** 29)),
    (0.1 + 0.2, Decimal("0.30000000000000004")), ("1e-30", Decimal("1e-30")),
])
def test_numbers_within_the_limits_are_read_exactly(value: object, number: Decimal) -> None:
    assert read_number(value).number == number


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan"), "inf", "nan",
                                   "Infinity", "-sNaN", True, "二十五", "", "1e", "e5"])
def test_inf_nan_and_words_are_no_number_and_no_range(value: object) -> None:
    assert read_number(value).number is None and read_number(value).beyond == ""


@pytest.mark.parametrize("value", [-0.0, "-0", "-0.00", "0E-1000000"])
def test_negative_zero_is_zero(value: object) -> None:
    number = read_number(value).number
    assert number is not None and number.is_zero() and not number.is_signed()
    assert len(format(number, "f")) < 10


def test_money_beyond_what_a_budget_holds() -> None:
    limit = number_limits().max_money_wan
    assert read_money(limit).value == limit
    assert read_money(limit + 1).value is None and "10^12万元" in read_money(limit + 1).beyond
    assert read_money("2e12万元").value is None and read_money("2e12万元").beyond == ""
    over = read_money("2,000,000,000,000万元")
    assert over.value is None and not over.with_unit and "10^12万元" in over.beyond
    assert "有40位数字" in read_money("9" * 40 + "元").beyond


# --- property: no numeric text raises anywhere ----------------------------------------------

_DIGITS = st.text("0123456789", min_size=1, max_size=400)
_FULL = str.maketrans("0123456789.", "０１２３４５６７８９．")
_NUMERIC_TEXT = st.one_of(
    _DIGITS,
    st.builds(lambda a, b: f"{a}.{b}", _DIGITS, _DIGITS),
    st.builds(lambda a, e: f"{a}e{e}", _DIGITS, st.integers(-10 ** 25, 10 ** 25)),
    st.builds(lambda s: s.translate(_FULL), _DIGITS),
    st.builds(lambda s, u: s + u, _DIGITS, st.sampled_from(["万", "万元", "元", "%", "％"])),
    st.builds(lambda c, s, u: f"{c}{s}{u}", st.sampled_from(["≥", "≤", "＝", ">=", "不低于"]),
              _DIGITS, st.sampled_from(["%", "人", "万元", "元", "次", ""])),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["inf", "-inf", "nan", "Infinity", "-0", "1e999999", "≥1e999999%",
                     "1e-999999", "0e-999999", "sNaN", "1,000,000,000,000,000"]),
)
_NUMBERS = st.one_of(
    _NUMERIC_TEXT,
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e-300, max_value=1e-300),  # subnormals among them
    st.integers(-10 ** 400, 10 ** 400),
)
#: besides, any text at all (a cell may hold anything)
_CELL_VALUE = st.one_of(_NUMBERS, st.text(max_size=40))


def _used(d: Decimal) -> None:
    """What the tool does with a number: text for the user, sums, the plan's amounts,
    a float for a cell — in the default context, whose traps are set."""
    assert abs(d.adjusted()) <= number_limits().max_exponent or d.is_zero()
    money_text(d), percent_text(d), format(d.normalize(), "f"), float(d)
    planned(d, d), planned(number_limits().max_money_wan, d)
    sum([d, d, d], Decimal(0)), d * 10000, d / 10000, d * 100


@settings(max_examples=600, deadline=None, derandomize=True)
@given(_CELL_VALUE)
def test_any_cell_value_reads_without_raising(value: object) -> None:
    for reading in (number_reading(value), read_number(value)):
        assert (reading.number is None) or reading.beyond == ""
        if reading.number is not None:
            _used(reading.number)
    money = read_money(value)
    if money.value is not None:
        _used(money.value)
        assert abs(money.value) <= number_limits().max_money_wan
    plan = read_plan({"mar": value, "jun": value, "oct": value, "dec": value})
    for number in plan.values.values():
        if number is not None:
            _used(number)
    if isinstance(value, str):
        parsed = parse_value(value)
        if parsed.number is not None:
            _used(parsed.number)
        assert (parsed.kind == "out-of-range") == bool(parsed.beyond)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_floats_read_as_their_shortest_decimal(value: float) -> None:
    number = to_decimal(value)
    if number is None:
        assert not math.isfinite(value) or read_number(value).beyond
    else:
        assert float(number) == value or (value == 0 and number == 0)


# --- the cases: a finding on the cell with the text as written --------------------------------


@pytest.mark.parametrize("case", sorted(OURS))
def test_each_case_is_a_finding_on_its_cell(seed_book_path, tmp_path, case) -> None:
    path = _case(seed_book_path, tmp_path, case)
    result = run("validate", "--json", path)
    assert result.exit_code == 1, result.output
    _cells, at, written, code = OURS[case]
    found = [f for f in json.loads(result.stdout)["findings"]
             if f["sheet"] == SHEET and f["cell"] == at and f["code"] == code]
    assert len(found) == 1, [f for f in json.loads(result.stdout)["findings"]
                             if f["sheet"] == SHEET][:5]
    assert f"“{written}”" in found[0]["message"]
    assert ROUND_TWO[case].says in (code, found[0]["type"])
    consolidated = run("consolidate", path, "--csv", tmp_path / "out.csv")
    assert consolidated.exit_code == 0, consolidated.output  # was InvalidOperation, Overflow


def test_a_money_cell_beyond_the_limit_is_reported_once() -> None:
    """V201 (不是数字) stays silent where V210 speaks, V203 where V211 does."""
    from tests.test_rules_support import model_of, sound_project
    from xl_addin.rules import validate
    from xl_addin.rules.profiles import load

    p = sound_project()
    p.budget = None
    p.written["budget"] = "1e+308"
    p.plan["mar"] = None
    p.written["mar"] = "9" * 300 + "%"
    codes = validate(model_of(p), load("2015")).flatten(["code", "field"])
    assert ["V210", "预算数"] in codes and ["V211", "3月底"] in codes
    assert not [c for c in codes if c[0] in ("V201", "V203", "V202", "V208")]


def test_the_target_rows_are_out_of_range_not_read() -> None:
    v = parse_value("≥1e999999%")
    assert (v.kind, v.number, v.comparator) == ("out-of-range", None, "≥")
    long = parse_value("≥" + "9" * 300 + "次")
    assert long.kind == "out-of-range" and "有300位数字" in long.beyond
    assert parse_value("≥1e5人").kind == "unknown"  # in range: as before
    assert parse_value("≥95%").number == Decimal(95)


@pytest.mark.parametrize("case", ["money_1e308.xlsx", "money_text_300_digits.xlsx",
                                  "plan_huge.xlsx"])
def test_the_summary_leaves_the_cell_out(seed_book_path, tmp_path, case) -> None:
    """The sums are those of the seed without the cell: as for any money not a number."""
    path = _case(seed_book_path, tmp_path, case)
    seed = read_model(FileBook(seed_book_path)).model
    model = read_model(FileBook(path)).model
    frame = seed.settings.frame
    ours = row_totals(summary_rows(model), frame)
    before = row_totals(summary_rows(seed), frame)
    cells = NUMBER_CASES[case][0]
    column = {"C": "预算数", "E": "财政资金", "G": "其他资金"}
    p = next(p for p in seed.projects if p.sheet == SHEET)
    for at in cells:
        if at[0] in column and at[1:] == "5":
            key = {"C": "budget", "E": "fiscal", "G": "other"}[at[0]]
            assert ours[column[at[0]]] == before[column[at[0]]] - (getattr(p, key) or 0)
    assert row_totals(summary_rows(read_model(CalamineBook(path)).model), frame) == ours
    out = tmp_path / "sum.csv"
    assert run("consolidate", path, "--csv", out).exit_code == 0
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert all(len(cell) < 40 for row in rows for cell in row if cell[:1].isdigit())


#: every case's cells at once (inf aside: openpyxl cannot write it back)
WORST: dict[str, object] = {"C5": "1e999999", "E5": 1e308, "G5": "9" * 300,
                            "B8": "1e999999%", "D8": 1e308, "F12": "≥1e999999%",
                            "F11": "≥" + "9" * 300 + "次"}


def _worst(seed_book_path: Path, path: Path) -> Path:
    wb = load_workbook(seed_book_path)
    for at, value in WORST.items():
        wb[SHEET][at] = value
    wb.save(path)
    return path


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("case", ["worst.xlsx", "money_inf.xlsx"])
def test_every_command_reads_the_cases(seed_book_path, tmp_path, case, command) -> None:
    """Each case alone goes through validate and consolidate --csv above; here every
    command, on one workbook holding them all and on the inf case."""
    path = (_worst(seed_book_path, tmp_path / case) if case == "worst.xlsx"
            else _case(seed_book_path, tmp_path, case))
    result = run(*_command(command, path))
    assert result.exit_code in (0, 1, 2), result.output
    assert "内部错误" not in result.output and "Traceback" not in result.output
    if command[0] == "dump":
        assert len(result.stdout) < 2 * len(run("dump", seed_book_path).stdout)


def test_review_reads_every_case(seed_book_path, tmp_path) -> None:
    folder = tmp_path / "district"
    folder.mkdir()
    for case in OURS:
        _case(seed_book_path, folder, case)
    result = run("review", folder, "-o", tmp_path / "review.xlsx", "--json", "--jobs", "1")
    assert result.exit_code == 1, result.output
    assert "内部错误" not in result.output
    data = json.loads(result.stdout)
    codes = {(f["file"], f["code"]) for f in data["findings"]}
    assert {(case, OURS[case][3]) for case in OURS} <= codes
    load_workbook(tmp_path / "review.xlsx")


# --- property: random numbers through the commands ------------------------------------------

_CELLS = ["C5", "E5", "G5", "B8", "D8", "E8", "F8", "F12"]


@settings(max_examples=5, deadline=None, derandomize=True, phases=[Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(_CELLS), _NUMBERS.filter(
    lambda v: not isinstance(v, float) or math.isfinite(v)), min_size=1, max_size=4))
def test_random_numbers_through_the_commands(seed_book_path, tmp_path_factory, cells) -> None:
    folder = tmp_path_factory.mktemp("random")
    path = folder / "book.xlsx"
    wb = load_workbook(seed_book_path)
    for at, value in cells.items():
        big = isinstance(value, int) and abs(value) >= 10 ** 300  # beyond a float: as text
        wb[SHEET][at] = str(value) if big else value
    wb.save(path)
    for command in (["validate", "--write"], ["consolidate", "--csv", "{dir}/out.csv"],
                    ["dump"], ["fill"]):
        result = run(*_command(command, path))
        assert result.exit_code in (0, 1, 2), (command, cells, result.output[-2000:])
        assert "内部错误" not in result.output
    result = run("review", folder, "--jobs", "1")
    assert result.exit_code in (0, 1, 2) and "内部错误" not in result.output, result.output


# --- the worst cases through submit (LibreOffice: slow, so once, all cells at once) -----------


def test_submit_with_every_case_at_once(seed_book_path, tmp_path) -> None:
    path = _worst(seed_book_path, tmp_path / "worst.xlsx")
    out = tmp_path / "报送"
    proc = subprocess.run(
        [sys.executable, "-m", "xl_addin", "submit", str(path), "-o", str(out), "--force",
         "--reconsolidate"], capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr  # --force: errors and all
    ws = load_workbook(next(out.glob("*.xlsx")))[SHEET]  # the cells as the user wrote them
    assert [ws[at].value for at in WORST] == list(WORST.values())
    from docx import Document

    cells = {c.text for t in Document(next(out.glob("*.docx"))).tables
             for r in t.rows for c in r.cells}
    assert {"1e999999", "1e999999%", "9" * 300} <= cells


# --- a published document's 权重 and money ---------------------------------------------------


def test_import_of_a_document_with_huge_weights_and_money(tmp_path) -> None:
    import dataclasses

    from tests.documents import DOCUMENTS, document_b, write_html

    says = DOCUMENTS["B"].says
    first = says.projects[0]
    rows = (dataclasses.replace(first.indicators[0], weight="1e999999", value="≥1e999999%"),
            dataclasses.replace(first.indicators[1], weight="9" * 300), *first.indicators[2:])
    huge = dataclasses.replace(first, indicators=rows,
                               money=dataclasses.replace(first.money, total="9" * 300))
    says = dataclasses.replace(says, projects=(huge, *says.projects[1:]))
    source = write_html(document_b(says, "huge"), tmp_path / "huge.html")
    book = tmp_path / "book.xlsx"
    result = run("import", source, "-o", book)
    assert result.exit_code == 0, result.output
    said = result.output.replace("\n", "")
    assert "权重“1e999999”绝对值达到或超过10^30" in said
    assert f"权重“{'9' * 300}”有300位数字" in said
    found = json.loads(run("validate", "--json", book).stdout)["findings"]
    ours = {(f["code"], f["indicator"] or f["field"]) for f in found
            if f["project_name"] == first.name}
    assert {("V210", "预算数"), ("V415", "保障城乡低保对象人数")} <= ours


@pytest.mark.parametrize("case", sorted(OURS))
def test_both_engines_read_the_cases_alike(seed_book_path, tmp_path, case) -> None:
    """The review (calamine) and every other command (openpyxl) keep the same text and
    the same money: one file must not sum differently in the two."""
    from xl_addin.actions.serialize import contents_dict

    path = _case(seed_book_path, tmp_path, case)
    file_, calamine = (contents_dict(read_model(b(path))) for b in (FileBook, CalamineBook))
    ours = [next(p for p in d["projects"] if p["sheet"] == SHEET) for d in (file_, calamine)]
    keys = ("budget", "fiscal", "other", "written", "indicators")
    by_openpyxl, by_calamine = ({k: p[k] for k in keys} for p in ours)
    assert by_openpyxl == by_calamine
