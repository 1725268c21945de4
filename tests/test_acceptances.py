"""Issue 14, part 4: accepted findings (已说明).

An acceptance survives save, reopen, fill, consolidate and the submission copy, and
disappears when the cell changes; errors cannot be accepted unless the profile allows
it; validate, consolidate and review show acceptances apart and do not count them.
Everything runs on real workbooks (the imported seed) through the file engine and the
command line.  On the seed's 车辆保险费 (rows 11–16) the default profile finds an error
at F11 (V402), a warning at F13 (V405) and the vague indicators 长期使用性 at C14 and
提高工作效率 at C15 (V602, warnings, each beside a V401 error in F); the infos
(V501, 确定依据) are reported only under ``--profile 2015-strict``, once per project.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from xl_addin.actions.marks import ACCEPTED_HEADING, RESULTS_HEADER, RESULTS_SHEET
from xl_addin.actions.workbook import validate_book
from xl_addin.cli import cli
from xl_addin.core.findings import Finding
from xl_addin.core.grid import Grid
from xl_addin.engines.file import FileBook
from xl_addin.forms import acceptances as acc
from xl_addin.rules import profiles

SHEET = "车辆保险费"
REASON = "经财政局同意，保留该指标"


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _finding(code: str = "V501", cell: str = "G11", severity: str = "info",
             indicator: str = "出车次数") -> Finding:
    return Finding(type="basis-invalid", code=code, severity=severity, message="m",
                   sheet=SHEET, cell=cell, indicator=indicator, field="指标值确定依据")


def _grid(values: dict[tuple[int, int], object]) -> dict[str, Grid]:
    rows = max(r for r, _ in values)
    grid = [[None] * 8 for _ in range(rows)]
    for (r, c), v in values.items():
        grid[r - 1][c - 1] = v
    return {SHEET: Grid(SHEET, grid)}


# --- the key --------------------------------------------------------------------------


def test_the_fingerprint_is_what_the_rule_judged() -> None:
    f = _finding()
    assert acc.fingerprint(f, 7) == acc.fingerprint(f, 7.0) == acc.fingerprint(f, "7 ")
    assert acc.fingerprint(f, "年度工作计划") != acc.fingerprint(f, "计划标准")
    moved = _finding(indicator="公车正常运行率")  # another row's 三级指标
    assert acc.fingerprint(f, "x") != acc.fingerprint(moved, "x")


def test_an_acceptance_follows_its_row_and_lapses_when_the_cell_changes() -> None:
    grids = _grid({(11, 7): "年度工作计划", (13, 7): "年度工作计划"})
    stored = acc.accept(_finding(cell="G11"), grids, REASON, by="张三")
    # the row moved down two rows (rows inserted above it): the acceptance follows
    moved = _grid({(13, 7): "年度工作计划"})
    out = acc.split([_finding(cell="G13")], [stored], moved)
    assert [a.finding.cell for a in out.accepted] == ["G13"] and not out.findings
    assert acc.current(out.accepted)[0].cell == "G13"
    # the cell now says something else: judged again, the acceptance is stale
    changed = _grid({(11, 7): "上年标准"})
    out = acc.split([_finding(cell="G11")], [stored], changed)
    assert out.findings and not out.accepted and out.stale == [stored]


def test_of_two_equal_rows_the_stored_cell_wins() -> None:
    grids = _grid({(11, 7): "年度工作计划", (12, 7): "年度工作计划"})
    stored = acc.accept(_finding(cell="G12"), grids, REASON)
    out = acc.split([_finding(cell="G11"), _finding(cell="G12")], [stored], grids)
    assert [f.cell for f in out.findings] == ["G11"]
    assert [a.finding.cell for a in out.accepted] == ["G12"]


def test_errors_are_explained_only_when_the_profile_allows() -> None:
    grids = _grid({(11, 6): "次"})
    error = _finding(code="V402", cell="F11", severity="error")
    stored = acc.accept(error, grids, REASON)
    assert acc.split([error], [stored], grids).findings == [error]
    assert acc.split([error], [stored], grids, allow_errors=True).accepted[0].finding is error
    assert acc.errors_allowed({}) is False
    assert acc.errors_allowed({"acceptance": {"errors": True}}) is True
    with pytest.raises(Exception, match="true 或 false"):
        acc.errors_allowed({"acceptance": {"errors": "yes"}})


def test_rows_that_are_not_acceptances_are_left_out() -> None:
    grid = Grid(acc.SHEET, [acc.HEADER, ["V501", SHEET, "G11", "ab", "r", "", ""],
                            ["V501", SHEET, "not a cell", "ab", "r", "", ""],
                            ["", SHEET, "G12", "ab", "r", "", ""], ["V501", SHEET, "G13"]])
    assert [a.cell for a in acc.parse(grid)] == ["G11"]


def test_an_empty_reason_is_refused() -> None:
    with pytest.raises(Exception, match="说明理由"):
        acc.accept(_finding(), _grid({(11, 7): "x"}), "   ")


# --- the command line -----------------------------------------------------------------

#: the accepted finding of most tests: V602 (a warning) on 提高工作效率, alone in C15
CODE, CELL = "V602", "C15"


@pytest.fixture
def accepted(seed_copy: Path) -> Path:
    r = run("accept", seed_copy, CODE, f"{SHEET}!{CELL}", "--reason", REASON, "--by", "张三")
    assert r.exit_code == 0, r.output
    assert "已把 车辆保险费!C15 上的 V602 标记为已说明" in r.output
    return seed_copy


def _json(book: Path, *options: object) -> dict:
    return json.loads(run("validate", book, "--json", *options).stdout)


def _accepted_cells(book: Path) -> list[tuple[str, str, str]]:
    return [(a["sheet"], a["cell"], a["reason"]) for a in _json(book)["accepted"]]


def _has(data: dict, cell: str, code: str) -> bool:
    """Whether ``data`` (validate --json) counts a finding of ``code`` on 车辆保险费!cell."""
    return any((f["sheet"], f["cell"], f["code"]) == (SHEET, cell, code)
               for f in data["findings"])


def test_accept_list_and_remove(seed_book_path: Path, accepted: Path) -> None:
    before = _json(seed_book_path)
    after = _json(accepted)
    assert (after["stats"]["by_severity"]["warning"]
            == before["stats"]["by_severity"]["warning"] - 1)
    assert after["stats"]["total"] == before["stats"]["total"] - 1
    (one,) = after["accepted"]
    assert (one["code"], one["cell"], one["reason"], one["by"]) == (CODE, CELL, REASON, "张三")
    assert _has(before, CELL, CODE) and not _has(after, CELL, CODE)
    assert _has(after, "F15", "V401")  # the error in the same row is still counted
    listed = run("accept", accepted, "--list")
    assert listed.exit_code == 0
    assert listed.stdout.startswith(f"{SHEET}!C15\tV602\t已说明（警告）\t{REASON}\t张三\t")
    # the hidden sheet is the tool's: not a project, not a steering sheet
    wb = load_workbook(accepted)
    assert wb[acc.SHEET].sheet_state == "veryHidden"
    dumped = json.loads(run("dump", accepted).stdout)
    assert acc.SHEET not in dumped["other_sheets"]
    assert acc.SHEET not in [p["sheet"] for p in dumped["projects"]]
    removed = run("accept", accepted, CODE, CELL, "--sheet", SHEET, "--remove")
    assert removed.exit_code == 0 and "已撤销 车辆保险费!C15 上 V602 的已说明" in removed.output
    assert _json(accepted)["stats"] == before["stats"]
    assert acc.SHEET not in load_workbook(accepted).sheetnames  # nothing left to store


def test_an_info_is_accepted_under_the_profile_that_reports_it(seed_book_path: Path,
                                                               seed_copy: Path) -> None:
    """The infos (V501) come only under ``2015-strict``: accept judges under the profile
    it is given, as validate does."""
    strict = ("--profile", "2015-strict")
    r = run("accept", seed_copy, "V501", f"{SHEET}!G11", "--reason", REASON)
    assert r.exit_code == 2 and "没有校验发现的问题" in r.output  # not under the default
    r = run("accept", seed_copy, "V501", f"{SHEET}!G11", "--reason", REASON, "--by", "张三",
            *strict)
    assert r.exit_code == 0, r.output
    assert "已把 车辆保险费!G11 上的 V501 标记为已说明" in r.output
    before, after = _json(seed_book_path, *strict), _json(seed_copy, *strict)
    assert before["stats"]["by_severity"]["info"] > 0
    assert after["stats"]["by_severity"]["info"] == before["stats"]["by_severity"]["info"] - 1
    assert after["stats"]["total"] == before["stats"]["total"] - 1
    assert _has(before, "G11", "V501") and not _has(after, "G11", "V501")
    assert [(a["code"], a["cell"], a["severity"]) for a in after["accepted"]] == [
        ("V501", "G11", "info")]
    listed = run("accept", seed_copy, "--list", *strict)
    assert listed.stdout.startswith(f"{SHEET}!G11\tV501\t已说明（提示）\t{REASON}\t张三\t")


def test_an_error_cannot_be_accepted(seed_copy: Path, tmp_path: Path) -> None:
    before = seed_copy.read_bytes()
    r = run("accept", seed_copy, "V402", f"{SHEET}!F11", "--reason", REASON)
    assert r.exit_code == 2 and "错误不能标记为已说明" in r.output and "Traceback" not in r.output
    assert seed_copy.read_bytes() == before
    # a bureau's profile that allows it
    profile = tmp_path / "bureau.toml"
    builtin = Path(profiles.__file__).with_name("frame2015.toml")
    profile.write_text(builtin.read_text("utf-8").replace("errors = false", "errors = true"),
                       encoding="utf-8")
    r = run("accept", seed_copy, "V402", f"{SHEET}!F11", "--reason", REASON,
            "--profile", profile)
    assert r.exit_code == 0, r.output
    # under the built-in profile the stored acceptance does not lift the error
    assert not _accepted_cells(seed_copy)
    data = json.loads(run("validate", seed_copy, "--json", "--profile", profile).stdout)
    assert [(a["code"], a["cell"]) for a in data["accepted"]] == [("V402", "F11")]


def test_a_finding_that_is_not_there_is_refused(seed_copy: Path) -> None:
    before = seed_copy.read_bytes()
    r = run("accept", seed_copy, "V405", f"{SHEET}!C15", "--reason", REASON)
    assert r.exit_code == 2
    assert "没有规则 V405 的问题" in r.output and "V602（指标过于笼统，警告）" in r.output
    r = run("accept", seed_copy, CODE, f"{SHEET}!A1", "--reason", REASON)
    assert r.exit_code == 2 and "没有校验发现的问题" in r.output
    r = run("accept", seed_copy, CODE, CELL, "--reason", REASON)
    assert r.exit_code == 2 and "请指明工作表" in r.output
    r = run("accept", seed_copy, CODE, f"{SHEET}!{CELL}")
    assert r.exit_code == 2 and "--reason" in r.output
    r = run("accept", seed_copy, CODE, f"{SHEET}!{CELL}", "--remove")
    assert r.exit_code == 2 and "没有规则 V602 的已说明记录" in r.output
    r = run("accept", seed_copy, CODE, CELL, "--sheet", "别的表", "--reason", REASON)
    assert r.exit_code == 2 and "没有名为“别的表”的工作表" in r.output
    assert seed_copy.read_bytes() == before


# --- it survives, and it lapses -------------------------------------------------------


def test_survives_fill_which_moves_its_row(seed_copy: Path) -> None:
    """Fill inserts 单车保费 (成本指标) as row 14 of 车辆保险费: the acceptance on C15
    (提高工作效率) follows its row to C16, and C15 — now 长期使用性, moved down from
    C14 and as vague — is judged as before."""
    assert run("accept", seed_copy, CODE, f"{SHEET}!{CELL}", "--reason", REASON).exit_code == 0
    assert run("fill", seed_copy, "--sheet", SHEET).exit_code == 0
    assert load_workbook(seed_copy)[SHEET]["C14"].value == "单车保费"
    data = _json(seed_copy)
    assert [(a["cell"], a["indicator"]) for a in data["accepted"]] == [("C16", "提高工作效率")]
    assert not _has(data, "C16", CODE)
    assert [f["indicator"] for f in data["findings"]
            if (f["sheet"], f["cell"], f["code"]) == (SHEET, "C15", CODE)] == ["长期使用性"]
    # the next write stores the new cell
    assert run("accept", seed_copy, CODE, f"{SHEET}!C15", "--reason", REASON).exit_code == 0
    assert sorted(a.cell for a in acc.read(FileBook(seed_copy))) == ["C15", "C16"]


def test_survives_consolidate_and_is_not_counted(accepted: Path) -> None:
    assert run("validate", accepted, "--write").exit_code == 1
    assert run("consolidate", accepted).exit_code == 0
    assert _accepted_cells(accepted) == [(SHEET, CELL, REASON)]
    # the 校验结果 renewed by consolidate still lists it under 已说明
    rows = [list(r) for r in load_workbook(accepted)[RESULTS_SHEET].iter_rows(values_only=True)]
    assert [r[0] for r in rows].count(ACCEPTED_HEADING) == 1
    listed = [r for r in rows if r[1] == SHEET and r[2] == CELL]
    assert any(str(r[5]) == "已说明（警告）" and REASON in str(r[6]) for r in listed)
    assert run("clear-marks", accepted).exit_code == 0  # marks go, acceptances stay
    assert _accepted_cells(accepted) == [(SHEET, CELL, REASON)]


def test_the_mark_and_the_results_sheet(accepted: Path) -> None:
    """The cells are not marked; 校验结果 lists them below the findings, with the reason,
    and its 校验概要 does not count them."""
    assert run("accept", accepted, "V405", f"{SHEET}!F13", "--reason", "按计划").exit_code == 0
    assert run("validate", accepted, "--write").exit_code == 1
    wb = load_workbook(accepted)
    ws = wb[SHEET]
    for cell in ("F13", CELL):  # both were yellow
        assert ws[cell].fill.fill_type is None and ws[cell].comment is None
    assert ws["F11"].fill.fgColor.rgb.endswith("FFC7CE")  # the errors stay red
    assert ws["F15"].fill.fgColor.rgb.endswith("FFC7CE")
    rows = [list(r) for r in wb[RESULTS_SHEET].iter_rows(values_only=True)]
    header = rows.index(list(RESULTS_HEADER))
    heading = [r[0] for r in rows].index(ACCEPTED_HEADING)
    block = rows[heading + 1:]
    # in the order of the findings (row 13 before row 15), not of the acceptances
    assert [(r[1], r[2], r[5]) for r in block] == [(SHEET, "F13", "已说明（警告）"),
                                                   (SHEET, CELL, "已说明（警告）")]
    assert "说明：按计划" in block[0][6] and REASON in block[1][6]
    assert rows[heading - 1] == [None] * 8
    numbers = [r[0] for r in rows[header + 1:heading - 1]] + [r[0] for r in block]
    assert numbers == list(range(1, len(numbers) + 1))
    total = _json(accepted)["stats"]["total"]
    assert heading - header - 2 == total  # one row per counted finding above the block
    assert header > 0 and str(rows[0][0]).startswith(f"校验概要：共 {total} 条")
    # a one-sheet validation keeps the other sheets' rows and this sheet's acceptances
    assert run("validate", accepted, "--write", "--sheet", SHEET).exit_code == 1
    again = [list(r) for r in load_workbook(accepted)[RESULTS_SHEET].iter_rows(values_only=True)]
    assert again == rows


def test_validate_into_a_pipe_keeps_stdout_to_the_counted(accepted: Path) -> None:
    r = CliRunner().invoke(cli, ["validate", str(accepted)])
    records = r.stdout.splitlines()
    assert len(records) == _json(accepted)["stats"]["total"]
    assert any(line.startswith(f"{SHEET}!C14\t警告") for line in records)  # the other V602
    assert not any(line.startswith(f"{SHEET}!C15\t") for line in records)
    assert f"{SHEET}!C15\t已说明（警告）\t指标过于笼统\tV602\t" in r.stderr
    assert "另有已说明 1 条，不计入。" in r.stderr


def test_survives_reopen_and_disappears_when_the_cell_changes(accepted: Path) -> None:
    wb = load_workbook(accepted)
    wb[SHEET][CELL] = "大幅提高工作效率"  # still vague: V602 again
    wb.save(accepted)
    data = _json(accepted)
    assert data["accepted"] == []
    assert _has(data, CELL, CODE)
    listed = run("accept", accepted, "--list")
    assert "已失效" in listed.stdout and "已失效 1 条" in listed.stderr
    # the next write keeps it (it explains nothing, and may be another profile's)
    r = run("accept", accepted, CODE, f"{SHEET}!C14", "--reason", REASON)
    assert r.exit_code == 0
    assert sorted(a.cell for a in acc.read(FileBook(accepted))) == ["C14", CELL]
    # changed back: what was accepted is there again, and so is its acceptance
    wb = load_workbook(accepted)
    wb[SHEET][CELL] = "提高工作效率"
    wb.save(accepted)
    report = validate_book(FileBook(accepted))
    assert sorted(a.finding.cell for a in report.accepted) == ["C14", CELL]
    assert not any((f.sheet, f.cell, f.code) == (SHEET, CELL, CODE) for f in report.findings)
    # withdrawn while stale: gone for good
    wb = load_workbook(accepted)
    wb[SHEET][CELL] = "大幅提高工作效率"
    wb.save(accepted)
    assert run("accept", accepted, CODE, f"{SHEET}!{CELL}", "--remove").exit_code == 0
    assert [a.cell for a in acc.read(FileBook(accepted))] == ["C14"]


def test_an_acceptance_made_under_another_profile_is_kept(seed_copy: Path) -> None:
    """A strict profile's info accepted, then an accept under the default profile (which
    does not raise that info): the first acceptance is not thrown away."""
    strict = ["--profile", "2015-strict"]
    assert run("accept", seed_copy, "V501", f"{SHEET}!G11", "--reason", REASON,
               *strict).exit_code == 0
    assert run("accept", seed_copy, CODE, f"{SHEET}!{CELL}", "--reason", REASON).exit_code == 0
    assert sorted((a.code, a.cell) for a in acc.read(FileBook(seed_copy))) == [
        ("V501", "G11"), (CODE, CELL)]
    listed = run("accept", seed_copy, "--list", *strict)
    assert f"{SHEET}!G11\tV501\t已说明（提示）" in listed.stdout


def test_review_lists_acceptances_per_unit(accepted: Path, tmp_path: Path) -> None:
    folder = tmp_path / "units"
    folder.mkdir()
    shutil.copy2(accepted, folder / "古城.xlsx")
    out = tmp_path / "review.xlsx"
    r = run("review", folder, "-o", out, "--jobs", "1")
    assert r.exit_code == 1, r.output
    wb = load_workbook(out, read_only=True)
    rows = [list(row) for row in wb["已说明"].iter_rows(values_only=True)]
    assert rows[0][:4] == ["单位", "文件", "工作表", "单元格"]
    assert [(row[1], row[2], row[3], row[6], row[8], row[9]) for row in rows[1:]] == [
        ("古城.xlsx", SHEET, CELL, CODE, REASON, "张三")]
    findings = [list(row) for row in wb["问题清单"].iter_rows(values_only=True)][1:]
    assert not any(row[2] == SHEET and row[3] == CELL for row in findings)
    assert any(row[2] == SHEET and row[3] == "C14" for row in findings)  # the other V602
    assert len(findings) == _json(accepted)["stats"]["total"]


def test_the_submission_copy_keeps_them(accepted: Path, tmp_path: Path) -> None:
    """The bureau reviews the copy: its acceptances go with it and the review lists them."""
    outdir = tmp_path / "报送"
    r = run("submit", accepted, "-o", outdir, "--force")
    assert r.exit_code == 0, r.output
    assert "另有已说明 1 条，不计入问题" in r.output
    copy = outdir / "book-报送.xlsx"
    assert load_workbook(copy)[acc.SHEET].sheet_state == "veryHidden"
    data = json.loads(run("review", outdir, "--json", "--jobs", "1").stdout)
    assert [(a["file"], a["cell"], a["reason"]) for a in data["accepted"]] == [
        ("book-报送.xlsx", CELL, REASON)]


def test_the_terminal_shows_a_block_of_their_own(accepted: Path) -> None:
    from rich.console import Console

    report = validate_book(FileBook(accepted))
    console = Console(file=io.StringIO(), force_terminal=True, width=80, color_system=None)
    report.print(console)
    counted = console.file.getvalue()
    report.print_accepted(console)
    shown = console.file.getvalue()[len(counted):]
    assert "车辆保险费!C14 · 警告" in counted  # the other V602 is counted
    assert "车辆保险费!C15 · 警告" not in counted
    assert shown.startswith("已说明（1 条，不计入问题）：\n"
                            "车辆保险费!C15 · 已说明（警告） · 指标过于笼统 · V602")
    assert f"说明：{REASON}（张三，" in shown.replace("\n", "")
    assert all(len(line) <= 80 for line in shown.splitlines())
    assert report.summary().endswith("另有已说明 1 条，不计入。")


def test_a_reason_is_stored_as_text_never_as_a_formula(seed_copy: Path) -> None:
    reason = "=cmd|'/c calc'!A1"
    assert run("accept", seed_copy, CODE, f"{SHEET}!{CELL}", "--reason", reason).exit_code == 0
    ws = load_workbook(seed_copy)[acc.SHEET]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == reason)
    assert cell.data_type == "s"
    assert _accepted_cells(seed_copy) == [(SHEET, CELL, reason)]
