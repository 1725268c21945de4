"""Issue 15 — 复制上年: next year's workbook from this year's (``xl-addin next-year``)
and a project dropped without a trace (``xl-addin drop-project``).

Every command runs in a real subprocess on a copy of the imported seed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.department import SOUND_ROWS, build, with_department_rows
from xl_addin.actions.next_year import (
    CHOICE_HEADER,
    CHOICE_SHEET,
    DROP,
    KEEP,
    REVIEW_FILL,
    SHEET,
    default_out,
    move_years,
)
from xl_addin.forms.published import load as load_vocabulary

RENAMED = "2021年市级社区干部生活补贴"  # the seed's one project with a year in its name
DROPPED = ("车辆保险费", "13030322P00397010017P")
#: what a clerk types into next year's seed workbook before it can be submitted:
#: 12 projects × (预算数, 财政资金, four plan cells) + 12 项目编码 (README: Next year)
CELLS_TO_TYPE = 84


def xl(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xl_addin", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def made(seed_book_path: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The seed (validated with marks, one finding accepted), next year's book from it,
    and the year after's from that."""
    tmp = tmp_path_factory.mktemp("next")
    src = tmp / "seed.xlsx"
    shutil.copy2(seed_book_path, src)
    assert xl("validate", "--write", str(src), cwd=tmp).returncode == 1
    accepted = xl("accept", str(src), "V405", "车辆保险费!F13", "--reason", "沿用上年写法",
                  cwd=tmp)
    assert accepted.returncode == 0, accepted.stderr
    before = digest(src)
    first = xl("next-year", str(src), "-o", "n2023.xlsx", cwd=tmp)
    assert first.returncode == 0, first.stderr
    assert digest(src) == before  # the source is only read
    second = xl("next-year", "n2023.xlsx", "-o", "n2024.xlsx", cwd=tmp)
    assert second.returncode == 0, second.stderr
    (tmp / "stderr.txt").write_text(first.stderr, encoding="utf-8")
    return {"src": src, "n2023": tmp / "n2023.xlsx", "n2024": tmp / "n2024.xlsx",
            "tmp": tmp, "stderr": tmp / "stderr.txt"}


def dump(path: Path) -> dict:
    proc = xl("dump", str(path), cwd=path.parent)
    return json.loads(proc.stdout)


def findings(path: Path, accepted: bool = False) -> list[dict]:
    """The findings of ``validate --json``; with ``accepted`` the explained ones too."""
    proc = xl("validate", "--json", str(path), cwd=path.parent)
    data = json.loads(proc.stdout)
    return data["findings"] + (data["accepted"] if accepted else [])


# ----------------------------------------------------------------------- years

PATTERNS = load_vocabulary().moved_years


@pytest.mark.parametrize(("before", "after"), [
    ("2022年社区补贴", "2023年社区补贴"),
    ("完成2022年度工作", "完成2023年度工作"),
    ("2021-2022年规划", "2022-2023年规划"),
    ("2021—2022年规划", "2022—2023年规划"),
    ("2021至2022年规划", "2022至2023年规划"),
    ("2021 年至 2022 年", "2022 年至 2023 年"),
    ("投入2022.5万元", "投入2022.5万元"),  # a number, not a year
    ("编码13030322P00397010017P", "编码13030322P00397010017P"),
    ("冀财资[2017]12号", "冀财资[2017]12号"),  # a document number stays as issued
    ("120221年", "120221年"),
    ("无年份", "无年份"),
])
def test_years_written_in_text_move_on(before: str, after: str) -> None:
    assert move_years(before, 1, PATTERNS) == after


def test_the_ribbon_names_the_new_book_by_the_moved_year(tmp_path: Path) -> None:
    moved = default_out(tmp_path / "2022年绩效目标.xlsx", 2023, PATTERNS)
    assert moved.name == "2023年绩效目标.xlsx"
    assert default_out(tmp_path / "seed.xlsx", 2023, PATTERNS).name == "seed_2023.xlsx"


# ----------------------------------------------------------------------- the seed

def test_next_year_of_the_seed(made) -> None:
    old, new = dump(made["src"]), dump(made["n2023"])
    assert new["settings"]["year"] == 2023 and new["settings"]["unit"] == old["settings"]["unit"]
    assert new["settings"]["frame"] == old["settings"]["frame"]
    assert len(new["projects"]) == len(old["projects"]) == 12
    names = [p["name"] for p in new["projects"]]
    assert RENAMED not in names and "2022年市级社区干部生活补贴" in names
    for o, n in zip(old["projects"], new["projects"], strict=True):
        assert n["code"] == o["code"]  # kept, marked below
        assert (n["budget"], n["fiscal"], n["other"]) == (None, None, None)
        assert set(n["plan"].values()) == {None}
        assert n["category"] == o["category"]
        strip = [{k: i[k] for k in ("level1", "level2", "level3", "description", "value",
                                    "basis")} for i in n["indicators"]]
        assert strip == [{k: i[k] for k in ("level1", "level2", "level3", "description",
                                            "value", "basis")} for i in o["indicators"]]
    assert new["department"]["duties"] == [
        {**d, "goal": move_years(d["goal"], 1, PATTERNS)} for d in old["department"]["duties"]]


def test_money_is_emptied_with_last_years_value_as_a_note(made) -> None:
    wb = load_workbook(made["n2023"])
    ws = wb["车辆保险费"]
    assert ws["C5"].value is None and ws["C5"].comment.text.endswith("上年：0.40 万元")
    assert ws["B8"].value is None and ws["B8"].comment.text.endswith("上年：25%")
    assert ws["G5"].comment is None  # 其他资金 was empty last year: nothing to recall
    code = ws["B3"]
    assert code.fill.fgColor.rgb.endswith(REVIEW_FILL)
    assert "请核对：编码含上年年份" in code.comment.text
    value = ws["F11"]
    assert value.value == "次" and value.fill.fgColor.rgb.endswith(REVIEW_FILL)
    assert "请核对" in value.comment.text


def test_acceptances_marks_and_results_are_not_carried_over(made) -> None:
    src_sheets = load_workbook(made["src"]).sheetnames
    assert {"已说明", "校验结果", "_xl_addin_marks"} <= set(src_sheets)
    wb = load_workbook(made["n2023"])
    assert not {"已说明", "校验结果", "_xl_addin_marks", "导入说明"} & set(wb.sheetnames)
    marked = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
              if c.comment is not None and "【绩效目标校验】" in c.comment.text]
    assert marked == []
    summary = [str(v) for row in wb["汇总"].iter_rows(values_only=True) for v in row if v]
    assert not any("车辆保险费" in v for v in summary)


def test_the_change_list_sheet_and_the_terminal(made) -> None:
    rows = list(load_workbook(made["n2023"])[SHEET].iter_rows(values_only=True))
    assert list(rows[0]) == ["项目", "字段", "上年", "本年"]
    assert ("2022年市级社区干部生活补贴", "项目名称", RENAMED, "2022年市级社区干部生活补贴") in rows
    fields = Counter(r[1] for r in rows[1:])
    assert fields["预算数"] == fields["财政资金"] == fields["3月底"] == fields["12月底"] == 12
    assert fields["项目编码"] == 12
    said = made["stderr"].read_text(encoding="utf-8")
    assert f"项目名称：{RENAMED} → 2022年市级社区干部生活补贴" in said
    assert "已清空 72 个" in said and "12 个项目编码" in said
    assert len(said.splitlines()) < 10  # folded: the 105 targets are counted, not listed


def test_json_gives_the_changes_as_data(made) -> None:
    proc = xl("next-year", str(made["src"]), "-o", "j.xlsx", "--json", cwd=made["tmp"])
    data = json.loads(proc.stdout)
    assert data["from_year"] == 2022 and data["year"] == 2023 and len(data["projects"]) == 12
    kinds = Counter(c["kind"] for c in data["changes"])
    assert kinds["emptied"] == 72 and kinds["year"] >= 1
    assert {"project", "field", "before", "after", "sheet", "cell"} <= set(data["changes"][0])


def test_validation_lists_exactly_what_the_clerk_still_has_to_fill(made) -> None:
    def keyed(path: Path) -> Counter:
        # last year's explained findings count: their acceptances are not carried over
        return Counter((f["code"], f["project_code"], f["field"])
                       for f in findings(path, accepted=True))

    new_findings = keyed(made["n2023"]) - keyed(made["src"])
    emptied = [r for r in load_workbook(made["n2023"])[SHEET].iter_rows(values_only=True)
               if r[3] == "（待填写）"]
    assert {k for k in new_findings if k[0] == "V101"} == {
        ("V101", code, field) for code, field in
        ((p["code"], f) for p in dump(made["n2023"])["projects"]
         for f in ("预算数", "财政资金", "3月底", "6月底", "10月底", "12月底"))}
    assert {k[0] for k in new_findings} == {"V101", "V103"}  # nothing else new
    assert sum(n for k, n in new_findings.items() if k[0] == "V101") == len(emptied)
    every = findings(made["n2023"])
    to_type = {(f["sheet"], f["cell"]) for f in every if f["code"] in ("V101", "V103")}
    assert len(to_type) == CELLS_TO_TYPE


def test_review_marks_survive_validation_and_clearing(made, tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    shutil.copy2(made["n2023"], book)
    assert xl("validate", "--write", str(book), cwd=tmp_path).returncode == 1
    assert xl("clear-marks", str(book), cwd=tmp_path).returncode == 0
    ws = load_workbook(book)["车辆保险费"]
    assert ws["B3"].fill.fgColor.rgb.endswith(REVIEW_FILL)
    assert ws["B3"].comment.text.startswith("请核对：编码含上年年份")
    assert ws["C5"].comment.text == "上年：0.40 万元"


def test_a_second_run_moves_on_again(made) -> None:
    new = dump(made["n2024"])
    assert new["settings"]["year"] == 2024 and len(new["projects"]) == 12
    assert "2023年市级社区干部生活补贴" in [p["name"] for p in new["projects"]]
    rows = list(load_workbook(made["n2024"])[SHEET].iter_rows(values_only=True))
    assert not [r for r in rows if r[3] == "（待填写）"]  # nothing was filled in 2023


# ----------------------------------------------------------------------- choosing

def test_only_and_drop_choose_the_projects(made) -> None:
    tmp = made["tmp"]
    proc = xl("next-year", str(made["src"]), "-o", "only.xlsx", "--only",
              "车辆保险费,13030322P004135100045", cwd=tmp)
    assert proc.returncode == 0, proc.stderr
    kept = [p["name"] for p in dump(tmp / "only.xlsx")["projects"]]
    assert kept == ["车辆保险费", "基层武装部建设经费"]
    proc = xl("next-year", str(made["src"]), "-o", "drop.xlsx", "--drop", "车辆保险费",
              "--drop", RENAMED, cwd=tmp)
    assert proc.returncode == 0, proc.stderr
    names = [p["name"] for p in dump(tmp / "drop.xlsx")["projects"]]
    assert len(names) == 10 and "车辆保险费" not in names
    assert "未带入的项目：车辆保险费、2021年市级社区干部生活补贴" in proc.stderr


@pytest.mark.parametrize(("args", "said"), [
    (["--only", "没有这个项目"], "没有名称或编码为“没有这个项目”的项目"),
    (["--drop", "车辆保险费", "--only", "车辆保险费"], "没有留下任何项目"),
])
def test_a_wrong_choice_is_refused_in_chinese(made, args, said) -> None:
    tmp = made["tmp"]
    before = digest(made["src"])
    proc = xl("next-year", str(made["src"]), "-o", "bad.xlsx", *args, cwd=tmp)
    assert proc.returncode == 2 and said in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp / "bad.xlsx").exists() and digest(made["src"]) == before


def test_a_source_without_a_year_needs_year(seed_book_path: Path, tmp_path: Path) -> None:
    src = tmp_path / "noyear.xlsx"
    wb = load_workbook(seed_book_path)
    wb["参数"]["B2"] = None
    wb.save(src)
    proc = xl("next-year", str(src), "-o", "out.xlsx", cwd=tmp_path)
    assert proc.returncode == 2 and "--year" in proc.stderr and "没有预算年度" in proc.stderr
    assert not (tmp_path / "out.xlsx").exists()
    proc = xl("next-year", str(src), "-o", "out.xlsx", "--year", "2030", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert dump(tmp_path / "out.xlsx")["settings"]["year"] == 2030


def test_an_existing_output_is_kept_without_force(made) -> None:
    out = made["n2024"]
    before = digest(out)
    proc = xl("next-year", str(made["src"]), "-o", str(out), cwd=made["tmp"])
    assert proc.returncode == 2 and "--force" in proc.stderr and digest(out) == before
    proc = xl("next-year", str(made["src"]), "-o", str(made["src"]), "--force", cwd=made["tmp"])
    assert proc.returncode == 2 and "上年的工作簿本身" in proc.stderr


# ----------------------------------------------------------------------- dropping

def _package_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def test_a_dropped_project_leaves_no_trace(made, tmp_path: Path) -> None:
    book = tmp_path / "d.xlsx"
    shutil.copy2(made["n2023"], book)
    assert xl("validate", "--write", str(book), cwd=tmp_path).returncode == 1
    assert xl("consolidate", str(book), cwd=tmp_path).returncode in (0, 1)
    assert xl("accept", str(book), "V405", "车辆保险费!F13", "--reason", "理由",
              cwd=tmp_path).returncode == 0
    text = _package_text(book)
    assert all(s in text for s in DROPPED)
    proc = xl("drop-project", str(book), "车辆保险费", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    text = _package_text(book)
    assert not [s for s in DROPPED if s in text]
    left = dump(book)["projects"]
    assert len(left) == 11
    summary = list(load_workbook(book)["汇总"].iter_rows(values_only=True))
    assert sum(1 for r in summary if r[2] in {p["name"] for p in left}) == 11
    kept = load_workbook(book)[SHEET]
    row = next(r for r in kept.iter_rows()
               if (r[0].value, r[1].value) == ("社区工作经费", "预算数"))
    link = row[0].hyperlink
    assert link is not None and "'社区工作经费'!C5" in (link.location or link.target or "")


def test_dropping_an_unknown_project_is_refused(made, tmp_path: Path) -> None:
    book = tmp_path / "d.xlsx"
    shutil.copy2(made["n2023"], book)
    before = digest(book)
    proc = xl("drop-project", str(book), "没有这个项目", cwd=tmp_path)
    assert proc.returncode == 2 and "没有名称、编码或表名为“没有这个项目”的项目" in proc.stderr
    assert digest(book) == before


def test_a_sheet_of_the_clerks_own_is_named_as_not_carried_over(seed_book_path: Path,
                                                                tmp_path: Path) -> None:
    src = tmp_path / "own.xlsx"
    wb = load_workbook(seed_book_path)
    wb.create_sheet("备忘")["A1"] = "自己的备忘"
    wb.save(src)
    proc = xl("next-year", str(src), "-o", "out.xlsx", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "未带入的其他工作表（不是项目表）：备忘" in proc.stderr
    assert "备忘" not in load_workbook(tmp_path / "out.xlsx").sheetnames


# ----------------------------------------------------------------------- the list to tick

def listed(src: Path, out: Path, cells: dict[str, object] | None) -> Path:
    """``src`` copied to ``out`` with these cells of 续建项目 set (None: without the
    sheet at all)."""
    wb = load_workbook(src)
    if cells is None:
        del wb[CHOICE_SHEET]
    for cell, value in (cells or {}).items():
        wb[CHOICE_SHEET][cell] = value
    wb.save(out)
    return out


def test_the_list_to_tick_names_every_project_with_a_dropdown(made) -> None:
    wb = load_workbook(made["n2023"])
    ws = wb[CHOICE_SHEET]
    rows = list(ws.iter_rows(values_only=True))
    projects = dump(made["n2023"])["projects"]
    assert rows[0] == tuple(CHOICE_HEADER)
    assert rows[1:] == [(i, p["sheet"], p["name"], p["code"], KEEP)
                        for i, p in enumerate(projects, start=1)]
    link = ws["B2"].hyperlink
    assert link is not None and f"'{projects[0]['sheet']}'!A1" in (link.location or "")
    (dv,) = ws.data_validations.dataValidation
    assert (str(dv.sqref), dv.type, dv.formula1, dv.errorStyle) == (
        f"E2:E{len(projects) + 1}", "list", f'"{KEEP},{DROP}"', "stop")
    assert "删除未续建" in dv.prompt and len(dv.prompt) <= 255


def test_projects_ticked_no_go_in_one_command_without_a_trace(made, tmp_path: Path) -> None:
    book = tmp_path / "t.xlsx"
    shutil.copy2(made["n2023"], book)
    assert xl("validate", "--write", str(book), cwd=tmp_path).returncode == 1
    assert xl("consolidate", str(book), cwd=tmp_path).returncode in (0, 1)
    assert xl("accept", str(book), "V405", "车辆保险费!F13", "--reason", "理由",
              cwd=tmp_path).returncode == 0
    projects = dump(book)["projects"]
    dropped = [projects[0], projects[3]]  # 车辆保险费 and 古城社区居民清洁取暖补贴
    listed(book, book, {"E2": DROP, "E5": DROP})
    proc = xl("drop-project", str(book), "--unticked", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert all(p["sheet"] in proc.stderr for p in dropped)
    text = _package_text(book)
    assert [s for p in dropped for s in (p["name"], p["code"]) if s in text] == []
    left = dump(book)["projects"]
    assert [p["sheet"] for p in left] == [p["sheet"] for p in projects if p not in dropped]
    ws = load_workbook(book)[CHOICE_SHEET]
    assert [r[1] for r in ws.iter_rows(min_row=2, values_only=True)] == [p["sheet"] for p in left]
    assert {r[4] for r in ws.iter_rows(min_row=2, values_only=True)} == {KEEP}
    assert str(ws.data_validations.dataValidation[0].sqref) == f"E2:E{len(left) + 1}"
    summary = list(load_workbook(book)["汇总"].iter_rows(values_only=True))
    assert sum(1 for r in summary if r[2] in {p["name"] for p in left}) == len(left)
    again = xl("drop-project", str(book), "--unticked", cwd=tmp_path)
    assert again.returncode == 0 and "没有“续建”为“否”的项目" in again.stderr


def test_several_projects_go_by_name_and_code(made, tmp_path: Path) -> None:
    book = tmp_path / "n.xlsx"
    shutil.copy2(made["n2023"], book)
    proc = xl("drop-project", str(book), DROPPED[0], "13030322P004123100056", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    names = [p["name"] for p in dump(book)["projects"]]
    assert len(names) == 10 and DROPPED[0] not in names and "社区工作经费" not in names


@pytest.mark.parametrize(("cells", "said"), [
    ({"E3": "也许", "E5": None}, "E3、E5 的“续建”不是“是”或“否”"),
    ({f"E{r}": DROP for r in range(2, 14)}, "全部的项目表"),
    ({"E1": "是否续建", "E2": DROP}, "表头已被改动"),
    ({"B2": "改过名的表", "E2": DROP}, "第2行的“改过名的表”不是工作簿中的项目表"),
    (None, "工作簿中没有“续建项目”表"),
], ids=["not-yes-or-no", "all-dropped", "header", "renamed-sheet", "no-list"])
def test_a_list_that_cannot_be_read_is_refused_and_nothing_changes(made, tmp_path: Path,
                                                                    cells, said) -> None:
    book = listed(made["n2023"], tmp_path / "r.xlsx", cells)
    before = digest(book)
    proc = xl("drop-project", str(book), "--unticked", cwd=tmp_path)
    assert proc.returncode == 2 and said in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and digest(book) == before


def test_drop_project_needs_a_project_or_unticked(made, tmp_path: Path) -> None:
    proc = xl("drop-project", str(made["n2023"]), cwd=tmp_path)
    assert proc.returncode == 2 and "--unticked" in proc.stderr


def test_the_list_is_not_printed_with_a_submission() -> None:
    from xl_addin.actions.submit import NOT_PRINTED

    assert CHOICE_SHEET in NOT_PRINTED


# ----------------------------------------------------------------------- the department

def test_the_departments_targets_are_marked_for_review(seed_model, tmp_path: Path) -> None:
    src = build(with_department_rows(seed_model, SOUND_ROWS), tmp_path / "d.xlsx")
    proc = xl("next-year", str(src), "-o", "n.xlsx", "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    changes = json.loads(proc.stdout)["changes"]
    rows = [c for c in changes if c["project"] == "部门整体" and c["kind"] == "review"]
    assert [c["before"] for c in rows] == [i.value for i in SOUND_ROWS]
    ws = load_workbook(tmp_path / "n.xlsx")["部门整体绩效目标"]
    for c in rows:
        cell = ws[c["cell"]]
        assert cell.value == c["before"] and cell.fill.fgColor.rgb.endswith(REVIEW_FILL)
        assert cell.comment is not None and "请核对" in cell.comment.text
    assert sum(c["kind"] == "review" and c["field"] != "项目编码" for c in changes) == 105 + 5
    dropped = xl("drop-project", "n.xlsx", DROPPED[0], cwd=tmp_path)
    assert dropped.returncode == 0, dropped.stderr
    ws = load_workbook(tmp_path / "n.xlsx")[SHEET]
    links = {(r[1].value, r[2].value): r[0].hyperlink for r in ws.iter_rows(min_row=2)
             if r[0].value == "部门整体"}
    for c in rows:  # the department's rows keep their links when a project goes
        link = links[(c["field"], c["before"])]
        assert link is not None and f"'部门整体绩效目标'!{c['cell']}" in (link.location or "")
