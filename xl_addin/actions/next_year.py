"""复制上年: next year's workbook from this year's.

Most projects go on from one budget year to the next: their names, goals and
indicators change a little, their money and plan are new.  ``next_year_book`` reads a
workbook (any engine) and builds a fresh one from the template (file engine) with the
same 单位, frame and projects, where

* years written in names, goals, 资金用途 and the department overview's goals move on
  (the patterns are data: ``[year] moved`` of ``forms/published.toml``);
* money and the spending plan are emptied, last year's value kept as the cell's note;
* 项目编码 and 指标值 are kept and marked 请核对 (a fill and a note);
* acceptances, validation marks, 汇总 and 校验结果 are not carried over.

Every change is a row of the 上年对照 sheet.  The notes and fills are written as the
clerk's own cell state, so validation marks go over them and clearing the marks gives
them back; 上年对照 is the durable record.  ``drop_project`` removes a project and
everything naming it, for a project that does not continue.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from xl_addin.actions.workbook import build_workbook
from xl_addin.core.book import Book
from xl_addin.core.errors import UserError
from xl_addin.core.grid import parse_a1
from xl_addin.core.model import PLAN_POINTS, PROJECT_FIELDS, Indicator, Project, WorkbookModel
from xl_addin.core.patch import CellState, DeleteSheet, Patch, StyleCells, WriteTable
from xl_addin.engines.file import FileBook
from xl_addin.forms import acceptances as acc
from xl_addin.forms import department_sheet
from xl_addin.forms.book import is_ours, project_sheet_names, read_model
from xl_addin.forms.names import CHOICE_SHEET
from xl_addin.forms.published import load as load_vocabulary

SHEET = "上年对照"
HEADER = ["项目", "字段", "上年", "本年"]
WIDTHS = [24, 16, 50, 50]
#: the fill of a cell kept from last year that the clerk must check (light violet:
#: apart from validation's red and yellow and fill's blue)
REVIEW_FILL = "E4DFEC"
DEPARTMENT = "部门整体"
TO_FILL = "（待填写）"
CODE_NOTE = "请核对：编码含上年年份（第7–8位“{digits}”），请换用{year}年度预算系统中的项目编码。"
VALUE_NOTE = "请核对：指标值沿用上年“{value}”，请按{year}年的目标核对。"
MONEY_FIELDS = ("budget", "fiscal", "other")

#: the list to tick: which projects continue (续建 是/否), dropped in one press
CHOICE_HEADER = ["序号", "工作表", "项目名称", "项目编码", "续建"]
CHOICE_WIDTHS = [6, 32, 36, 26, 8]
SHEET_COLUMN, TICK_COLUMN = 2, 5
KEEP, DROP = "是", "否"
CHOICE_PROMPT = ("不再继续的项目选“否”，再点“删除未续建”"
                 "（命令行：xl-addin drop-project 工作簿 --unticked）。")


@dataclass(frozen=True)
class Change:
    """One row of 上年对照: what changed (or was emptied, or is to be checked) where.
    ``kind`` is "year" (a year moved on), "emptied" or "review"."""

    project: str
    field: str
    before: str
    after: str
    kind: str
    sheet: str = ""
    cell: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"project": self.project, "field": self.field, "before": self.before,
                "after": self.after, "kind": self.kind, "sheet": self.sheet, "cell": self.cell}


@dataclass
class NextYear:
    """What ``next_year_book`` made: the years, the projects kept and left, the changes."""

    from_year: int | None
    year: int
    projects: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    #: the source's sheets that are neither ours nor projects: not carried over
    other_sheets: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"from_year": self.from_year, "year": self.year, "projects": self.projects,
                "dropped": self.dropped, "other_sheets": self.other_sheets,
                "changes": [c.to_dict() for c in self.changes]}

    def lines(self, width: int = 36) -> list[str]:
        """The changes for a terminal: every moved year on a line of its own (long
        texts shortened), then ``counted``."""
        return [f"{c.project}｜{c.field}：{_shorten(c.before, width)} → {_shorten(c.after, width)}"
                for c in self.changes if c.kind == "year"] + self.counted()

    def counted(self) -> list[str]:
        """The emptied and marked cells counted, and what was not carried over."""
        out = []
        emptied = [c for c in self.changes if c.kind == "emptied"]
        codes = [c for c in self.changes if c.kind == "review" and c.field == "项目编码"]
        values = [c for c in self.changes if c.kind == "review" and c.field != "项目编码"]
        if emptied:
            out.append(f"已清空 {len(emptied)} 个预算数、资金与支出计划单元格，"
                       "上年数写在各单元格的批注中。")
        if codes or values:
            out.append(f"请核对（浅紫色底纹）：{len(codes)} 个项目编码、{len(values)} 个指标值。")
        if self.dropped:
            out.append(f"未带入的项目：{'、'.join(self.dropped)}")
        if self.other_sheets:
            out.append(f"未带入的其他工作表（不是项目表）：{'、'.join(self.other_sheets)}")
        return out


def _shorten(text: str, width: int) -> str:
    one = " / ".join(text.splitlines())
    return one if len(one) <= width else one[: width - 1] + "…"


# ----------------------------------------------------------------------- years

def move_years(text: str, delta: int, patterns: Iterable[re.Pattern[str]]) -> str:
    """``text`` with every year the patterns find moved on by ``delta``.  An earlier
    pattern wins where two find the same place (a range before its single years)."""
    spans: list[tuple[int, int]] = []
    taken: list[tuple[int, int]] = []
    for pattern in patterns:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            taken.append(m.span())
            spans += [m.span(g) for g in range(1, (m.lastindex or 0) + 1) if m.start(g) >= 0]
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + str(int(text[start:end]) + delta) + text[end:]
    return text


def _target_year(model: WorkbookModel, year: int | None, where: str) -> int:
    if year is not None:
        return year
    if model.settings.year is None:
        raise UserError(f"“{where}”的“参数”表中没有预算年度，无法推算下一年度。"
                        "请用 --year 指定新工作簿的预算年度，例如 --year 2023。")
    return model.settings.year + 1


# ----------------------------------------------------------------------- choosing

def _split_list(values: Iterable[str]) -> list[str]:
    return [v.strip() for item in values for v in re.split(r"[,，、]", item) if v.strip()]


def choose(projects: list[Project], only: Iterable[str] = (), drop: Iterable[str] = (),
           ) -> tuple[list[Project], list[Project]]:
    """The projects that continue and those left, by name, code or sheet name; a name
    that matches no project is refused with the list of the workbook's projects."""
    wanted, unwanted = _split_list(only), _split_list(drop)

    def matches(p: Project, key: str) -> bool:
        return key in (p.name, p.code, p.sheet)

    unknown = [k for k in wanted + unwanted if not any(matches(p, k) for p in projects)]
    if unknown:
        listed = "、".join(p.name or p.sheet for p in projects) or "（无）"
        raise UserError(f"工作簿中没有名称或编码为“{'、'.join(unknown)}”的项目。"
                        f"工作簿中的项目：{listed}。请按上面的名称或项目编码填写 --only / --drop。")
    kept = [p for p in projects
            if (not wanted or any(matches(p, k) for k in wanted))
            and not any(matches(p, k) for k in unwanted)]
    if not kept:
        raise UserError("按 --only / --drop 选择后没有留下任何项目，未生成工作簿。"
                        "请至少保留一个项目。")
    return kept, [p for p in projects if p not in kept]


# ----------------------------------------------------------------------- carrying

def _money(value: Decimal) -> str:
    return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else f"{value}"


def _carry(model: WorkbookModel, year: int, delta: int, patterns: tuple[re.Pattern[str], ...],
           ) -> tuple[WorkbookModel, list[tuple[int | None, Change]]]:
    """The model of next year (years moved, money and plan emptied) and the year
    changes, each with the index of its project (None: the department overview)."""
    new = copy.deepcopy(model)
    new.settings.year = year
    changes: list[tuple[int | None, Change]] = []

    def moved(index: int | None, project: str, label: str, text: str) -> str:
        after = move_years(text, delta, patterns)
        if after != text:
            changes.append((index, Change(project, label, text, after, "year")))
        return after

    dept = new.department
    dept.overall_goal = moved(None, DEPARTMENT, "部门整体绩效目标", dept.overall_goal)
    for duty in dept.duties:
        duty.goal = moved(None, DEPARTMENT, f"职责{duty.number}绩效目标", duty.goal)
    for i, p in enumerate(new.projects):
        name = move_years(p.name, delta, patterns)  # each row names the project as it is now
        p.name = moved(i, name, PROJECT_FIELDS["name"], p.name)
        p.uses = moved(i, name, PROJECT_FIELDS["uses"], "\n".join(p.uses)).splitlines()
        p.goals = moved(i, name, PROJECT_FIELDS["goals"], "\n".join(p.goals)).splitlines()
        p.budget = p.fiscal = p.other = None
        p.plan = dict.fromkeys(PLAN_POINTS, None)
        p.written, p.scaled, p.with_unit = {}, {}, {}
    return new, changes


def _last_year_text(p: Project, key: str) -> str:
    """A money or plan cell of last year as the clerk read it ('' when empty)."""
    value = p.plan.get(key) if key in PLAN_POINTS else getattr(p, key)
    if value is None:
        return p.with_unit.get(key) or p.written.get(key, "")
    return f"{_money(value)} 万元" if key in MONEY_FIELDS else f"{value.normalize():f}%"


def _marks(old: Project, new: Project, year: int,
           ) -> tuple[list[Change], dict[tuple[int, int], CellState]]:
    """The emptied and to-be-checked cells of one new project sheet: rows of 上年对照
    and the notes (and fills) that say it on the cells."""
    changes: list[Change] = []
    states: dict[tuple[int, int], CellState] = {}
    who = new.name

    def put(cell: str, state: CellState) -> None:
        rc = parse_a1(cell)
        if rc is not None:
            states[rc] = state

    for key in (*MONEY_FIELDS, *PLAN_POINTS):
        before = _last_year_text(old, key)
        if before and key in new.cells:
            changes.append(Change(who, PROJECT_FIELDS[key], before, TO_FILL, "emptied",
                                  new.sheet, new.cells[key]))
            put(new.cells[key], CellState("", f"上年：{before}"))
    digits = new.code[6:8]
    if digits.isdigit() and int(digits) != year % 100 and "code" in new.cells:
        changes.append(Change(who, PROJECT_FIELDS["code"], old.code, f"请核对：{new.code}",
                              "review", new.sheet, new.cells["code"]))
        put(new.cells["code"], CellState(REVIEW_FILL, CODE_NOTE.format(digits=digits, year=year)))
    values, value_states = _value_marks(who, new.sheet, new.indicators, year)
    return changes + values, {**states, **value_states}


def _value_marks(who: str, sheet: str, indicators: list[Indicator], year: int,
                 ) -> tuple[list[Change], dict[tuple[int, int], CellState]]:
    """The 指标值 kept from last year, marked 请核对 (a project's or the department's)."""
    changes: list[Change] = []
    states: dict[tuple[int, int], CellState] = {}
    for ind in indicators:
        cell = ind.cells.get("value")
        rc = parse_a1(cell) if cell else None
        if ind.value and rc is not None:
            changes.append(Change(who, _value_field(ind), ind.value, f"请核对：{ind.value}",
                                  "review", sheet, cell or ""))
            states[rc] = CellState(REVIEW_FILL, VALUE_NOTE.format(value=ind.value, year=year))
    return changes, states


def _value_field(ind: Indicator) -> str:
    """The 字段 of a 指标值's row of 上年对照."""
    return f"指标值（{ind.level3 or ind.description}）"


def _placed(changes: list[tuple[int | None, Change]], model: WorkbookModel) -> list[Change]:
    """The year changes with the sheet and cell they are in, in the new book."""
    keys = {label: key for key, label in PROJECT_FIELDS.items()}
    goals = _department_cells(model)
    out = []
    for index, c in changes:
        if index is None:
            sheet, cell = department_sheet.SHEET, goals.get(c.field, "")
        else:
            p = model.projects[index]
            sheet, cell = p.sheet, p.cells.get(keys[c.field], "")
        out.append(Change(c.project, c.field, c.before, c.after, c.kind, sheet, cell))
    return out


def _department_cells(model: WorkbookModel) -> dict[str, str]:
    """The 字段 of the overview's rows of 上年对照 -> the cell they are in."""
    dept = model.department
    goals = {f"职责{d.number}绩效目标": d.cells.get("goal", "") for d in dept.duties}
    goals["部门整体绩效目标"] = dept.cells.get("overall_goal", "")
    return goals


def table_op(changes: list[Change]) -> WriteTable:
    """The 上年对照 sheet: one row per change, 项目 linking to the cell."""
    rows: list[list[object]] = [[c.project, c.field, c.before, c.after] for c in changes]
    links = {}
    for i, c in enumerate(changes, start=2):
        if c.sheet and c.cell:
            quoted = c.sheet.replace("'", "''")
            links[(i, 1)] = f"'{quoted}'!{c.cell}"
    return WriteTable(SHEET, HEADER, rows, links, WIDTHS)


def next_year_book(source: Book, out: Path, year: int | None = None,
                   only: Iterable[str] = (), drop: Iterable[str] = (),
                   where: str = "") -> tuple[FileBook, NextYear]:
    """Next year's workbook at ``out`` (not yet saved) from ``source``, which is only
    read; ``where`` names the source in messages."""
    if not is_ours(source):
        raise UserError(f"“{where}”不是由本工具的模板生成的工作簿（缺少模板标记），无法复制上年。"
                        "请先用 xl-addin import 导入，或用 xl-addin new 新建。")
    contents = read_model(source)
    model = contents.model
    target = _target_year(model, year, where)
    delta = target - model.settings.year if model.settings.year is not None else 1
    kept, left = choose(model.projects, only, drop)
    model.projects = kept
    new_model, year_changes = _carry(model, target, delta, load_vocabulary().moved_years)
    book = build_workbook(out, new_model)
    built = read_model(book).model
    changes = _placed(year_changes, built)
    patch = Patch()
    for old, new in zip(kept, built.projects, strict=True):
        rows, states = _marks(old, new, target)
        changes += rows
        if states:
            patch.ops.append(StyleCells(new.sheet, states))
    rows, states = _value_marks(DEPARTMENT, department_sheet.SHEET,
                                built.department.indicators, target)
    changes += rows
    if states:
        patch.ops.append(StyleCells(department_sheet.SHEET, states))
    patch.ops += [table_op(changes), choice_op(built.projects)]
    book.apply(patch)
    result = NextYear(model.settings.year, target, [p.name for p in built.projects],
                      [p.name for p in left], changes, list(contents.other_sheets))
    return book, result


def default_out(path: Path, year: int, patterns: Iterable[re.Pattern[str]] | None = None) -> Path:
    """Where the ribbon writes next year's book: beside the source, its name's years
    moved on ("2022年项目.xlsx" → "2023年项目.xlsx"), else the year appended."""
    patterns = tuple(patterns if patterns is not None else load_vocabulary().moved_years)
    stem = path.stem
    moved = move_years(stem, 1, patterns)
    return path.with_name(f"{moved if moved != stem else f'{stem}_{year}'}{path.suffix or '.xlsx'}")


# ----------------------------------------------------------------------- the list to tick

def choice_op(projects: list[Project], ticks: dict[str, str] | None = None) -> WriteTable:
    """续建项目: one row per project (工作表 linking to it), 续建 a 是/否 dropdown —
    ``ticks`` by sheet as the clerk left them, else 是."""
    ticks = ticks or {}
    rows: list[list[object]] = [[i, p.sheet, p.name, p.code, ticks.get(p.sheet, KEEP)]
                                for i, p in enumerate(projects, start=1)]
    links = {(i, SHEET_COLUMN): f"'{p.sheet.replace(chr(39), chr(39) * 2)}'!A1"
             for i, p in enumerate(projects, start=2)}
    return WriteTable(CHOICE_SHEET, CHOICE_HEADER, rows, links, CHOICE_WIDTHS,
                      landscape=False, choices={TICK_COLUMN: (KEEP, DROP)},
                      prompt=CHOICE_PROMPT)


def read_ticks(book: Book) -> dict[str, str]:
    """The 续建 of each sheet listed on 续建项目 (是 or 否).  Any other value, a
    changed header, or a 否 on a sheet that is not a project is refused, naming the
    cells: the clerk's choice is not guessed at."""
    if CHOICE_SHEET not in book.sheet_names():
        raise UserError(f"工作簿中没有“{CHOICE_SHEET}”表（它由“复制上年”生成）。"
                        "要删除单个项目，请切到该项目表点“删除项目”，"
                        "或运行 xl-addin drop-project 工作簿 项目名称。")
    values = book.read(CHOICE_SHEET).values
    header = [str(v).strip() if v is not None else "" for v in (values[0] if values else [])]
    if header[: len(CHOICE_HEADER)] != CHOICE_HEADER:
        raise UserError(f"“{CHOICE_SHEET}”表的表头已被改动（应为：{'、'.join(CHOICE_HEADER)}），"
                        "无法判断哪些项目续建，未作改动。请把表头改回，或用 drop-project "
                        "逐个删除项目。")
    projects = set(project_sheet_names(book))
    ticks: dict[str, str] = {}
    bad, missing = [], []
    for r, row in enumerate(values[1:], start=2):
        row = [*row, *[None] * (TICK_COLUMN - len(row))]
        sheet = str(row[SHEET_COLUMN - 1] or "").strip()
        tick = str(row[TICK_COLUMN - 1] or "").strip()
        if not sheet and not tick:
            continue
        if tick not in (KEEP, DROP):
            bad.append(f"E{r}")
        elif tick == DROP and sheet not in projects:
            missing.append(f"第{r}行的“{sheet}”")
        ticks[sheet] = tick
    if bad:
        raise UserError(f"“{CHOICE_SHEET}”表 {'、'.join(bad)} 的“续建”不是“{KEEP}”或“{DROP}”，"
                        f"未作改动。请从下拉列表中选择“{KEEP}”或“{DROP}”后再删除未续建项目。")
    if missing:
        raise UserError(f"“{CHOICE_SHEET}”表{'、'.join(missing)}不是工作簿中的项目表"
                        "（已改名或已删除），未作改动。请改正该行的工作表名，"
                        f"或把它的“续建”改回“{KEEP}”。")
    return ticks


def unticked(book: Book) -> list[str]:
    """The project sheets marked 否 on 续建项目, in the list's order."""
    return [sheet for sheet, tick in read_ticks(book).items() if tick == DROP]


# ----------------------------------------------------------------------- dropping

def drop_project(book: Book, which: str) -> str:
    """Remove the project ``which`` (name, code or sheet); see ``drop_projects``."""
    return drop_projects(book, [which])[0]


def drop_projects(book: Book, which: Iterable[str]) -> list[str]:
    """Remove the projects ``which`` (names, codes or sheets) and everything naming
    them, in one write: their sheets, their rows of 上年对照 and 续建项目, their
    acceptances and marks; 汇总 and 校验结果 are rebuilt without them when the workbook
    has them.  Returns the sheets removed.  Not every project may go."""
    from xl_addin.actions.consolidate import consolidate_book
    from xl_addin.actions.marks import RESULTS_SHEET, SUMMARY_SHEET

    contents = read_model(book)
    projects = contents.model.projects
    keys = [w.strip() for w in which if w.strip()]
    targets = [p for p in projects if any(k in (p.name, p.code, p.sheet) for k in keys)]
    unknown = [k for k in keys if not any(k in (p.name, p.code, p.sheet) for p in targets)]
    if unknown or not targets:
        listed = "、".join(p.name or p.sheet for p in projects) or "（无）"
        raise UserError(f"工作簿中没有名称、编码或表名为“{'、'.join(unknown or keys)}”的项目。"
                        f"工作簿中的项目：{listed}。")
    gone = {p.sheet for p in targets}
    if not set(project_sheet_names(book)) - gone:
        what = "唯一的项目表" if len(gone) == 1 else "全部的项目表"
        raise UserError(f"“{'、'.join(sorted(gone))}”是工作簿中{what}，"
                        "不能全部删除，未作改动。至少保留一个项目；"
                        "如要重新开始，请用 xl-addin new 新建工作簿。")
    names = book.sheet_names()
    ticks = read_ticks(book) if CHOICE_SHEET in names else {}
    patch = Patch([DeleteSheet(p.sheet) for p in targets])
    if SHEET in names:
        rows = [list(r) for r in book.read(SHEET).values[1:]]
        dropped_names = {p.name for p in targets}
        kept = [c for c in _table_changes(rows) if c.project not in dropped_names]
        patch.ops.append(_relinked(kept, contents.model, gone))
    if CHOICE_SHEET in names:
        patch.ops.append(choice_op([p for p in projects if p.sheet not in gone], ticks))
    stored = acc.read(book)
    if any(a.sheet in gone for a in stored):
        patch.ops += acc.write_op([a for a in stored if a.sheet not in gone], True).ops
    book.apply(patch)
    if SUMMARY_SHEET in names:
        consolidate_book(book)  # renews 校验结果 too when the book has it
    elif RESULTS_SHEET in names:
        from xl_addin.actions.marks import mark_patch
        from xl_addin.actions.workbook import validate_book
        from xl_addin.core.findings import TYPE_TITLES

        report = validate_book(book)
        book.apply(mark_patch(book, report.findings, TYPE_TITLES, accepted=report.accepted))
    return [p.sheet for p in targets]


def _table_changes(rows: list[list[object]]) -> list[Change]:
    """The rows of a 上年对照 sheet as read (their kind is not on the sheet)."""
    return [Change(*(str(v) if v is not None else "" for v in (list(r) + [None] * 4)[:4]), "")
            for r in rows if any(v not in (None, "") for v in r)]


def _relinked(changes: list[Change], model: WorkbookModel, gone: set[str]) -> WriteTable:
    """上年对照 without the dropped projects' rows; the others keep their links (the
    sheet read gives values only, so the cells are found again by project and field)."""
    goals = _department_cells(model)
    placed = []
    for c in changes:
        if c.project == DEPARTMENT:
            sheet = department_sheet.SHEET
            cell = goals.get(c.field) or _value_cell(model.department.indicators, c.field)
        else:
            p = next((q for q in model.projects if q.name == c.project and q.sheet not in gone),
                     None)
            sheet, cell = (p.sheet, _cell_of(p, c.field)) if p else ("", "")
        placed.append(Change(c.project, c.field, c.before, c.after, c.kind, sheet, cell))
    return table_op(placed)


def _cell_of(p: Project, label: str) -> str:
    keys = {lab: key for key, lab in PROJECT_FIELDS.items()}
    if label in keys:
        return p.cells.get(keys[label], "")
    return _value_cell(p.indicators, label)


def _value_cell(indicators: list[Indicator], label: str) -> str:
    return next((i.cells.get("value", "") for i in indicators if label == _value_field(i)), "")
