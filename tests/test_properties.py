"""Property-based tests: whatever grid or text comes in, readers never raise."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xl_addin.core.errors import UserError
from xl_addin.core.grid import Grid
from xl_addin.documents.importers.published import interpret
from xl_addin.documents.importers.text_reader import read_text
from xl_addin.forms import department_sheet, project_sheet, settings_sheet
from xl_addin.forms.project_sheet import LABELS

BUDGET = settings(max_examples=200, deadline=None, derandomize=True,
                  suppress_health_check=[HealthCheck.too_slow])

cell = st.one_of(
    st.none(), st.text(max_size=12), st.sampled_from(list(LABELS)),
    st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.datetimes(min_value=dt.datetime(1900, 1, 1)),
    st.sampled_from(["#REF!", "#DIV/0!", "=SUM(A1:A2)", "≥95%", "是/否", "０．５"]),
)
grids = st.integers(0, 25).flatmap(
    lambda rows: st.lists(st.lists(cell, max_size=9), min_size=rows, max_size=rows))
merges = st.lists(st.tuples(st.integers(1, 25), st.integers(1, 9), st.integers(0, 3),
                            st.integers(0, 3)).map(lambda t: (t[0], t[1], t[0] + t[2],
                                                              t[1] + t[3])), max_size=5)


@BUDGET
@given(values=grids, merged=merges)
def test_sheet_parsers_never_raise(values, merged) -> None:
    grid = Grid("随机", values, merged)
    project, problems = project_sheet.parse(grid)
    assert all(f.type == "sheet-structure" for f in problems)
    assert all(i.level1 or not i.level1_written for i in project.indicators)
    department_sheet.parse(grid)
    settings_sheet.parse(grid)
    project_sheet.is_project_sheet(grid)


doc_line = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["第二部分", "\t项目编码", "\t一级指标", "\t3月底", "\t25%", "", " ",
                     "\t预算数", "\t0.40", "[bookmark: x]1.标题", "总体目标：", "一、某职责"]),
).map(lambda s: s.replace("\r", ""))


@BUDGET
@given(lines=st.lists(doc_line, max_size=60))
def test_document_importer_never_raises_unexpectedly(lines) -> None:
    blocks = read_text("\n".join(lines))
    try:
        interpret(blocks)
    except UserError as exc:  # a document without projects: a clear message
        assert "没有找到项目绩效目标表" in exc.message
