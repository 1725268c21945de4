"""Interpreting a published document (as blocks) into a ``WorkbookModel``.

Units publish their tables in many forms: the seed's (Part 1 部门整体绩效目标 as
paragraphs, Part 2 one header table and one indicator table per project), a header
table and an indicator table per project, one wide table holding all projects, a
department-level table with its own indicator rows, labels of their own province, money
in 元.  Everything is found by its label (the vocabulary in ``xl_addin.forms``), never by
position, and values are kept exactly as written (judging them is the validator's job),
except money, which becomes 万元 exactly when the document states 元.

``interpret_document`` also returns an ``ImportReport``: what was read per project and
everything that was not recognised, with where, so that nothing is lost silently.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from xl_addin.core.cellvalues import label, lines, number_reading, to_decimal, to_percent
from xl_addin.core.errors import UserError
from xl_addin.core.model import (
    PLAN_POINTS,
    PROJECT_FIELDS,
    Department,
    Duty,
    Project,
    Settings,
    WorkbookModel,
    same_as_above,
)
from xl_addin.core.numbers import arithmetic, money_beyond
from xl_addin.documents.importers.blocks import Block, Paragraph, Table
from xl_addin.documents.importers.indicators import IndicatorRows, header_row, read_rows, recast
from xl_addin.documents.importers.report import ImportReport, ProjectRead, Unrecognised
from xl_addin.forms.published import Match, Vocabulary
from xl_addin.forms.published import load as load_vocabulary

_BOOKMARK = re.compile(r"^\[bookmark:[^\]]*\]\s*")
_NUMBERED = re.compile(r"^([一二三四五六七八九十百]+)、\s*(.+)$")
_SECTION_WORDS = ("总体绩效目标", "分项绩效目标", "工作保障措施")
_MONEY_UNIT = re.compile(r"(?:金额|资金)?单位\s*[:：]\s*(亿元|万元|千元|元)(?![\u4e00-\u9fff])")
_INLINE = re.compile(r"^([^:：]{1,16})[:：]\s*(.+)$", re.S)
_AMOUNT = re.compile(r"^([-+]?[\d,，.．]+)\s*(亿元|万元|千元|元|万)?$")
_PLAN_KEYS = {f"plan_{k}": k for k in PLAN_POINTS}
_MONEY_KEYS = ("budget", "fiscal", "other")
_DEPARTMENT_KEYS = {"department_duties", "department_goal"}
_FIELD_TITLES = {key: PROJECT_FIELDS[key] for key in _MONEY_KEYS}


@dataclass
class Imported:
    model: WorkbookModel
    report: ImportReport


@dataclass
class _Reading:
    """State while walking the blocks."""

    vocab: Vocabulary
    report: ImportReport
    unit: str = ""  # the money unit last stated ("" = the default)
    projects: list[Project] = field(default_factory=list)
    department: Department = field(default_factory=Department)
    department_unit: str = ""
    pending: tuple[Project, ProjectRead] | None = None  # a header still awaiting rows
    table_no: int = 0


# --- Part 1 as paragraphs (the seed's form) -----------------------------------------------


def _paragraph_texts(blocks: list[Block]) -> list[str]:
    return [_BOOKMARK.sub("", b.text).strip() for b in blocks if isinstance(b, Paragraph)]


def _split_parts(blocks: list[Block]) -> tuple[list[Block], list[Block]]:
    for i, b in enumerate(blocks):
        if isinstance(b, Paragraph) and label(_BOOKMARK.sub("", b.text)) == "第二部分":
            return blocks[:i], blocks[i + 1 :]
    first_table = next((i for i, b in enumerate(blocks) if isinstance(b, Table)), len(blocks))
    return blocks[:first_table], blocks[first_table:]


def _is_heading(text: str) -> bool:
    return any(w in text for w in _SECTION_WORDS) and len(text) < 20


def _department(paragraphs: list[str]) -> Department:
    dept = Department()
    section = ""
    pending: Duty | None = None
    overall: list[str] = []
    for p in paragraphs:
        key = label(p)
        if not key or key in ("第一部分", "部门整体绩效目标"):
            continue
        if key.startswith("总体目标"):
            section = "overall"
            rest = p.split("：", 1)[1].strip() if "：" in p else ""
            if rest:
                overall.append(rest)
            continue
        if key.startswith("职责分类") or (_is_heading(p) and "分项" in p):
            section = "duties"
            continue
        if _is_heading(p) and "保障措施" in p:
            section = "measures"
            continue
        if _is_heading(p):
            continue
        if section == "overall":
            overall.append(p)
        elif section == "duties":
            m = _NUMBERED.match(p)
            if m and not key.startswith("绩效目标"):
                pending = Duty(number=m.group(1), name=m.group(2).strip(), goal="")
                dept.duties.append(pending)
            elif pending is not None:
                goal = p.split("：", 1)[1] if key.startswith("绩效目标") and "：" in p else p
                pending.goal = f"{pending.goal}\n{goal}".strip() if pending.goal else goal.strip()
        elif section == "measures":
            dept.measures.append(p)
    dept.overall_goal = "\n".join(overall)
    return dept


# --- a table's header part: labels and their values --------------------------------------


def _grid(table: Table) -> list[list[str]]:
    """The table's grid: the reader's, or its rows padded (the text form knows no spans)."""
    if table.grid is not None:
        return [list(row) for row in table.grid]
    width = max((len(r) for r in table.rows), default=0)
    return [list(row) + [""] * (width - len(row)) for row in table.rows]


def _money_unit(text: str) -> str:
    m = _MONEY_UNIT.search(text.replace(" ", ""))
    return m[1] if m else ""


@dataclass
class _Head:
    """A header part read: field key -> value text (and its lines), what was used."""

    values: dict[str, str] = field(default_factory=dict)
    lines: dict[str, list[str]] = field(default_factory=dict)
    used: set[tuple[int, int]] = field(default_factory=set)
    unit_line: str = ""
    money_unit: str = ""
    unknown: list[tuple[int, int, str]] = field(default_factory=list)
    kept: list[tuple[str, str]] = field(default_factory=list)  # (label, value) kept aside

    def has(self, keys: set[str]) -> bool:
        return bool(keys & (set(self.values) | set(self.lines)))


class _HeadReader:
    """Reads the label cells of ``grid[first:end]`` and the values they name.

    A value stands right of its label (the next cell that is not the label merged on),
    or, when the label has another label or nothing to its right, under it; the plan's
    points (3月底 …) have theirs under them.  Where 资金用途 or 绩效目标 spans the rows
    below it (the seed), the text of those rows is theirs."""

    def __init__(self, grid: list[list[str]], first: int, end: int, vocab: Vocabulary, *,
                 spans: bool = True):
        self.grid, self.first, self.end, self.vocab = grid, first, end, vocab
        self.spans = spans  # whether the grid repeats merged cells (the text form's does not)
        self.head = _Head()
        self.labels: dict[tuple[int, int], Match] = {}
        for r in range(first, end):
            for c, cell in enumerate(grid[r]):
                if not cell.strip() or self._continues(r, c):
                    continue
                m = vocab.field_of(cell)
                if m is not None:
                    self.labels[(r, c)] = m

    def _cell(self, r: int, c: int) -> str:
        return self.grid[r][c] if self.first <= r < self.end and c < len(self.grid[r]) else ""

    def _continues(self, r: int, c: int) -> bool:
        """Whether (r, c) repeats a merged cell to its left or above."""
        here = self.grid[r][c]
        return self.spans and bool(here) and ((c > 0 and self.grid[r][c - 1] == here)
                               or (r > self.first and c < len(self.grid[r - 1])
                                   and self.grid[r - 1][c] == here))

    def _is_label(self, r: int, c: int) -> bool:
        return (r, c) in self.labels or self.vocab.field_of(self._cell(r, c)) is not None

    def _right(self, r: int, c: int) -> tuple[int, int] | None:
        here = self.grid[r][c]
        for cc in range(c + 1, len(self.grid[r])):
            if self.grid[r][cc] != here:
                return (r, cc)
        return None

    def _value_at(self, r: int, c: int) -> tuple[int, int] | None:
        right = self._right(r, c)
        if right is not None and not self._is_label(*right):
            return right
        below = (r + 1, c)
        if (r + 1 < self.end and self._cell(*below) and self._cell(*below) != self.grid[r][c]
                and not self._is_label(*below)):
            return below
        return None

    def _take(self, key: str, at: tuple[int, int] | None) -> None:
        if at is None:
            self.head.values.setdefault(key, "")
            return
        self.head.used.add(at)
        self.head.values[key] = self._cell(*at).strip()

    def _block_lines(self, r: int, c: int, stop_rows: set[int], *, same_row: bool = True
                     ) -> list[str]:
        """The text right of (r, c) (unless ``same_row`` is False: the seed's 资金用途
        label shares its row with the money) and in the rows below it, up to a row with
        a label."""
        at = [(r, cc) for cc in range(c + 1, len(self.grid[r]))] if same_row else []
        for rr in range(r + 1, self.end):
            if rr in stop_rows:
                break
            at += [(rr, cc) for cc in range(len(self.grid[rr]))]
        cells = []
        for rr, cc in at:
            cell = self.grid[rr][cc]
            if cell and not self._is_label(rr, cc) and cell != self.grid[r][c]:
                self.head.used.add((rr, cc))
                if not self._continues(rr, cc):
                    cells.append(cell)
        return [line for cell in cells for line in lines(cell)]

    def read(self) -> _Head:
        label_rows = {r for r, _c in self.labels}
        self._inline()
        plan_row = next((r for (r, _c), m in self.labels.items() if m.key in _PLAN_KEYS), None)
        side_by_side = self._side_by_side()
        for (r, c), m in sorted(self.labels.items()):
            self.head.used.add((r, c))
            key = m.key
            if key in _PLAN_KEYS:
                self._take(key, (r + 1, c) if self._cell(r + 1, c) else None)
            elif key in ("goals", "long_term_goals") and (r, c) in side_by_side:
                at = (r + 1, c)
                self.head.used.add(at)
                self.head.lines[key] = lines(self._cell(*at))
            elif key == "uses" and self._money_row(r):
                stop = {plan_row} if plan_row is not None else set()
                stop |= {rr for rr in label_rows if rr > r + 1}
                self.head.lines[key] = self._block_lines(r, c, stop, same_row=False)
            elif key in ("goals", "long_term_goals", "uses"):
                stop = {rr for rr in label_rows if rr > r}
                self.head.lines[key] = self._block_lines(r, c, stop)
            elif key == "plan":
                continue  # the plan's group label: its points are read above
            elif key == "kept":
                at = self._value_at(r, c)
                if at is not None:
                    self.head.used.add(at)
                    self.head.kept.append((label(self.grid[r][c]), self._cell(*at).strip()))
            else:
                if key in _MONEY_KEYS and m.qualifier_text in self.vocab.money_units:
                    self.head.money_unit = self.head.money_unit or m.qualifier_text
                self._take(key, self._value_at(r, c))
        self._first_cell()
        self._leftovers()
        return self.head

    def _money_row(self, r: int) -> bool:
        """Whether row ``r`` also holds money labels (the seed's 预算规模及资金用途 row)."""
        return any(m.key in _MONEY_KEYS for (rr, _c), m in self.labels.items() if rr == r)

    def _side_by_side(self) -> set[tuple[int, int]]:
        """Goal labels printed side by side (中长期目标 | 年度目标), values under them."""
        by_row: dict[int, list[tuple[int, int]]] = {}
        for (r, c), m in self.labels.items():
            if m.key in ("goals", "long_term_goals"):
                by_row.setdefault(r, []).append((r, c))
        out: set[tuple[int, int]] = set()
        for cells in by_row.values():
            keys = {self.labels[at].key for at in cells}
            if keys == {"goals", "long_term_goals"}:
                out.update(cells)
        return out

    def _inline(self) -> None:
        """Cells holding their label and value at once (“单位：元”, “项目名称：…”)."""
        for r in range(self.first, self.end):
            for c, cell in enumerate(self.grid[r]):
                if (r, c) in self.labels or not cell.strip() or self._continues(r, c):
                    continue
                unit = _money_unit(cell)
                if unit:
                    self.head.money_unit = self.head.money_unit or unit
                    self.head.used.add((r, c))
                    continue
                m = _INLINE.match(cell.strip())
                found = self.vocab.field_of(m[1]) if m else None
                if m and found is not None and found.key not in self.head.values:
                    self.head.values[found.key] = m[2].strip()
                    self.head.used.add((r, c))

    def _first_cell(self) -> None:
        """The seed's unit line: the first cell of the table, when it is not a label."""
        if self.first != 0 or not self.grid:
            return
        c = next((c for c, cell in enumerate(self.grid[0]) if cell.strip()), None)
        if c is not None and (0, c) not in self.head.used and not self._is_label(0, c):
            self.head.unit_line = self.grid[0][c].strip()
            self.head.used.add((0, c))

    def _leftovers(self) -> None:
        for r in range(self.first, self.end):
            for c, cell in enumerate(self.grid[r]):
                if (cell.strip() and (r, c) not in self.head.used and not self._continues(r, c)
                        and (r, c) not in self.labels):
                    self.head.unknown.append((r, c, cell.strip()))


# --- money ---------------------------------------------------------------------------------


def _amount(raw: str, unit: str, vocab: Vocabulary) -> tuple[Decimal | None, str]:
    """A money text in 万元, exactly, and what was done to it ("" when nothing): the
    cell's own unit (“250万”, “10000万元”) wins over the document's (“单位：元”)."""
    s = raw.strip()
    m = _AMOUNT.match(s.replace(" ", ""))
    if not m:
        return None, ""
    number = to_decimal(m[1].replace("，", ",").replace("．", "."))
    if number is None:
        return None, ""
    own = {"万": "万元"}.get(m[2] or "", m[2] or "")
    stated = own or unit or vocab.default_unit
    factor = vocab.money_units.get(stated)
    if factor is None:
        return None, ""
    wan = vocab.money_units.get("万元", Decimal(10000))
    if factor != wan:  # exact: 3,309,840.00 元 is 330.984 万元
        with localcontext(arithmetic()):
            value = number * factor / wan
        if money_beyond(value):
            return None, ""  # kept as written: validation tells the range (V210)
        return value, f"{s}（{stated}）换算为 {value} 万元"
    value = number
    if money_beyond(value):
        return None, ""
    if m[2] == "万":
        return value, f"{s} 读作 {value} 万元"
    return value, ""


# --- projects ------------------------------------------------------------------------------


def _where(table: Table, number: int) -> str:
    return table.where or f"第 {number} 个表格"


def _project_from_head(head: _Head, reading: _Reading, where: str, unit: str
                       ) -> tuple[Project, ProjectRead]:
    p = Project(unit_line=head.values.get("unit", "") or head.unit_line,
                code=head.values.get("code", ""), name=head.values.get("name", ""),
                category=head.values.get("category", ""))
    read = ProjectRead(name=p.name, where=where)
    for key in _MONEY_KEYS:
        raw = head.values.get(key, "")
        value, note = _amount(raw, unit, reading.vocab)
        setattr(p, key, value)
        if raw and value is None:
            p.written[key] = raw
        if note:
            read.notes.append(f"{_FIELD_TITLES[key]} {note}")
    for key, point in _PLAN_KEYS.items():
        raw = head.values.get(key, "")
        p.plan[point] = to_percent(raw) if raw else None
        if raw and p.plan[point] is None:
            p.written[point] = raw
    p.uses = head.lines.get("uses", [])
    p.goals = head.lines.get("goals", [])
    if "goals" not in head.lines and head.values.get("goals"):
        p.goals = lines(head.values["goals"])
    read.notes += [f"{title}：{text}" for title, text in head.kept]
    for key, title in (("long_term_goals", "中长期目标"), ("period", "实施期")):
        kept = head.lines.get(key) or lines(head.values.get(key, ""))
        if kept:
            joined = "；".join(line.rstrip("；;") for line in kept)
            read.notes.append(f"{title}（未并入年度绩效目标，请核对）：{joined}")
    read.fields = _fields_read(p)
    return p, read


def _fields_read(p: Project) -> list[str]:
    """The labels of the header fields ``p`` has a value for (as written or parsed)."""
    def has(key: str) -> bool:
        value = p.plan[key] if key in PLAN_POINTS else getattr(p, key)
        return bool(value) or (value is not None and not isinstance(value, str | list)) \
            or key in p.written
    return [title for key, title in PROJECT_FIELDS.items() if has(key)]


def _add_rows(p: Project | Department, read: ProjectRead | None, found: IndicatorRows,
              reading: _Reading, where: str) -> None:
    p.indicators = same_as_above(found.rows)
    moved = recast(p.indicators, reading.vocab)
    kept = [f"“{p.indicators[i].level3 or p.indicators[i].value}”的{title}：{text}"
            for i, title, text in found.kept if i < len(p.indicators)]
    warnings = _weight_problems(found, reading.vocab.weight_total)
    if read is not None:
        read.rows = len(p.indicators)
        read.notes += moved
        read.kept += kept
        read.warnings += warnings
    else:
        reading.report.department += moved + kept
        reading.report.department_warnings += warnings
    for title in found.unknown_columns:
        reading.report.unrecognised.append(Unrecognised(where, "列", title))


def _weight_problems(found: IndicatorRows, total: Decimal) -> list[str]:
    """What is wrong with the rows' 权重, when the form prints them: a weight that is no
    number, rows without one, a sum other than ``total`` (the workbook has no 权重, so
    once imported nobody would see it)."""
    if not found.weights:
        return []
    rows = found.rows
    numbers: list[Decimal] = []
    problems: list[str] = []
    for i, text in found.weights:
        written = text.removesuffix("%").removesuffix("％").removesuffix("分")
        number = to_decimal(written)
        if number is None:
            why = number_reading(written).beyond or "不是数字"
            problems.append(f"“{rows[i].level3 or rows[i].value}”的权重“{text}”{why}")
        else:
            numbers.append(number)
    weighed = {i for i, _ in found.weights}
    unweighed = [ind.level3 or ind.value for n, ind in enumerate(rows)
                 if n not in weighed and not ind.is_blank()]
    if unweighed:
        problems.append(f"{len(unweighed)} 行指标没有填权重（{'、'.join(unweighed[:3])}"
                        f"{'等' if len(unweighed) > 3 else ''}）")
    with localcontext(arithmetic()):
        added = sum(numbers, Decimal(0))
    if added != total:
        shown = format(added.normalize(), "f")
        problems.append(f"各指标的权重合计为 {shown}，不等于 {format(total.normalize(), 'f')}"
                        f"（{len(numbers)} 行有权重），请调整权重")
    return problems


def _report_unknown(head: _Head, reading: _Reading, where: str) -> None:
    for r, c, text in head.unknown:
        short = text if len(text) <= 40 else text[:40] + "…"
        reading.report.unrecognised.append(
            Unrecognised(f"{where}第 {r + 1} 行第 {c + 1} 列", "内容", short))


def _flush(reading: _Reading) -> None:
    if reading.pending is not None:
        p, read = reading.pending
        reading.projects.append(p)
        reading.report.projects.append(read)
        reading.pending = None


def _wide(grid: list[list[str]], h: int, reading: _Reading, where: str, unit: str,
          continued: set[tuple[int, int]]) -> None:
    """One table holding all projects: 项目名称 (merged down over its rows) groups them."""
    vocab = reading.vocab
    cols = {m.key: c for c, cell in enumerate(grid[h]) if (m := vocab.column_of(cell))}
    name_col = cols["project_name"]
    groups: list[tuple[str, int, int]] = []
    for r in range(h + 1, len(grid)):
        name = grid[r][name_col].strip() if name_col < len(grid[r]) else ""
        if name and (not groups or groups[-1][0] != name):
            groups.append((name, r, r + 1))
        elif groups:
            groups[-1] = (groups[-1][0], groups[-1][1], r + 1)
    for name, start, end in groups:
        row = grid[start]

        def cell(key: str, row: list[str] = row) -> str:
            c = cols.get(key)
            return row[c].strip() if c is not None and c < len(row) else ""

        head = _Head(values={"name": name, "unit": cell("project_unit"),
                             "budget": cell("project_budget")})
        if cell("project_goals"):
            head.lines["goals"] = lines(cell("project_goals"))
        p, read = _project_from_head(head, reading, f"{where}第 {start + 1} 行起", unit)
        found = read_rows(grid, h, vocab, continued, range(start, end))
        _add_rows(p, read, found, reading, where)
        reading.projects.append(p)
        reading.report.projects.append(read)


def _department_table(table: Table, grid: list[list[str]], h: int | None,
                      reading: _Reading, where: str) -> None:
    head = _HeadReader(grid, 0, h if h is not None else len(grid), reading.vocab,
                       spans=table.grid is not None).read()
    dept = reading.department
    duties = head.lines.get("department_duties") or lines(head.values.get("department_duties",
                                                                         ""))
    goal = head.values.get("department_goal", "")
    if duties:
        dept.duties += [Duty(number=str(len(dept.duties) + i), name=d, goal="")
                        for i, d in enumerate(duties, start=1)]
    if goal:
        dept.overall_goal = f"{dept.overall_goal}\n{goal}".strip()
    reading.department_unit = head.values.get("unit", "") or reading.department_unit
    said = [x for x, ok in (("部门职责", duties), ("年度总体目标", goal)) if ok]
    if h is not None:
        found = read_rows(grid, h, reading.vocab, table.continued)
        _add_rows(dept, None, found, reading, where)
        said.append(f"指标 {len(dept.indicators)} 行")
    reading.report.department.insert(0, f"{where}：{'、'.join(said) or '无可读内容'}")
    _report_unknown(head, reading, where)


def _table(table: Table, reading: _Reading) -> None:
    reading.table_no += 1
    where = _where(table, reading.table_no)
    grid = _grid(table)
    if not grid:
        return
    vocab = reading.vocab
    h = header_row(grid, vocab)
    header_keys = {m.key for cell in grid[h] if (m := vocab.column_of(cell))} if h is not None \
        else set()
    head = _HeadReader(grid, 0, h if h is not None else len(grid), vocab,
                       spans=table.grid is not None).read()
    unit = head.money_unit or reading.unit
    if head.money_unit:
        reading.unit = head.money_unit
    if h is not None and "project_name" in header_keys:
        _flush(reading)
        _wide(grid, h, reading, where, unit, table.continued)
    elif head.has(_DEPARTMENT_KEYS):
        _department_table(table, grid, h, reading, where)
    elif head.has({"name", "code"}):
        _flush(reading)
        p, read = _project_from_head(head, reading, where, unit)
        _report_unknown(head, reading, where)
        if h is not None:
            _add_rows(p, read, read_rows(grid, h, vocab, table.continued), reading, where)
            reading.projects.append(p)
            reading.report.projects.append(read)
        else:
            reading.pending = (p, read)
    elif h is not None and reading.pending is not None:
        p, read = reading.pending
        _add_rows(p, read, read_rows(grid, h, vocab, table.continued), reading, where)
        _flush(reading)
    elif h is not None and not reading.projects and not reading.department.indicators:
        # before any project: the department's own rows (Part 1, as the docx writer puts
        # them after 工作保障措施)
        _department_table(table, grid, h, reading, where)
    else:
        first = next((c for row in grid for c in row if c.strip()), "")
        reading.report.unrecognised.append(Unrecognised(
            where, "表格", (first[:30] + "…" if len(first) > 30 else first)
            + ("（有指标列，但前面没有项目名称或编码）" if h is not None
               else "（没有项目名称、项目编码或指标列）")))


# --- the year ------------------------------------------------------------------------------


def _year(paragraphs: list[str], projects: list[Project], vocab: Vocabulary
          ) -> tuple[int | None, str]:
    for p in paragraphs:
        for pattern in vocab.year_patterns:
            m = pattern.search(p)
            if m:
                return int(m.group(1)), "标题"
    digits = Counter(
        p.code[6:8] for p in projects if len(p.code) >= 8 and p.code[6:8].isdigit()
    )
    if not digits:
        return None, ""
    return 2000 + int(digits.most_common(1)[0][0]), "项目编码"


def _nothing_found(blocks: list[Block], report: ImportReport) -> UserError:
    tables = sum(isinstance(b, Table) for b in blocks)
    if not tables:
        found = f"只找到 {len(blocks)} 段文字，没有表格"
    else:
        found = f"找到 {tables} 个表格，但没有项目名称、项目编码或指标列"
    examples = "；".join(f"{u.where}：{u.text.split('（')[0]}" for u in report.unrecognised[:3])
    return UserError(
        f"文档中没有找到项目绩效目标表：{found}。" + (f"（{examples}）" if examples else "")
        + "请确认这是预算项目绩效目标的公开文档；如果它的表格用了别的标签，"
        "可以把这些标签写进表样词汇文件，再用 --forms 文件 导入。")


def interpret_document(blocks: list[Block], year: int | None = None,
                       vocabulary: Vocabulary | None = None, source: str = "") -> Imported:
    """The model of a published document and the report of what was read."""
    vocab = vocabulary or load_vocabulary()
    report = ImportReport(source=source)
    reading = _Reading(vocab, report)
    part1, _part2 = _split_parts(blocks)
    paragraphs = _paragraph_texts(blocks)
    for block in blocks:
        if isinstance(block, Paragraph):
            unit = _money_unit(block.text)
            reading.unit = unit or reading.unit
            report.money_unit = report.money_unit or unit
        else:
            _table(block, reading)
    _flush(reading)
    report.tables = reading.table_no
    report.money_unit = report.money_unit or reading.unit
    if not reading.projects and not reading.department.indicators:
        raise _nothing_found(blocks, report)
    dept = _department(_paragraph_texts(part1))
    table_dept = reading.department
    dept.duties += table_dept.duties
    dept.overall_goal = "\n".join(x for x in (dept.overall_goal, table_dept.overall_goal) if x)
    dept.indicators = table_dept.indicators
    units = Counter(p.unit_line for p in reading.projects if p.unit_line)
    found_year, year_from = _year(paragraphs, reading.projects, vocab)
    settings = Settings(
        year=year if year is not None else found_year,
        unit=units.most_common(1)[0][0] if units else reading.department_unit,
    )
    report.year, report.year_from = settings.year, "--year" if year is not None else year_from
    model = WorkbookModel(settings=settings, department=dept, projects=reading.projects)
    return Imported(model, report)


def interpret(blocks: list[Block], year: int | None = None,
              vocabulary: Vocabulary | None = None) -> WorkbookModel:
    """Build the model of a published document; ``year`` overrides what it says."""
    return interpret_document(blocks, year, vocabulary).model


__all__ = ["Imported", "interpret", "interpret_document"]
