"""Interpreting a published document (as blocks) into a ``WorkbookModel``.

The published layout is the one of the seed: Part 1 (第一部分, 部门整体绩效目标) as
paragraphs, Part 2 (第二部分) as one header table and one indicator table per project.
Everything is found by its label, never by position, so a document whose tables have
an extra or a merged column still reads.  Values are kept exactly as written: judging
them is the validator's job.
"""

from __future__ import annotations

import re
from collections import Counter

from ..cellvalues import label, lines, to_decimal, to_percent
from ..errors import UserError
from ..model import (
    INDICATOR_FIELDS,
    PLAN_POINTS,
    Department,
    Duty,
    Indicator,
    Project,
    Settings,
    WorkbookModel,
    same_as_above,
)
from .blocks import Block, Paragraph, Table

_BOOKMARK = re.compile(r"^\[bookmark:[^\]]*\]\s*")
_NUMBERED = re.compile(r"^([一二三四五六七八九十百]+)、\s*(.+)$")
_YEAR_IN_TEXT = re.compile(r"(20\d{2})\s*年度?\s*(?:部门|单位)?\s*(?:预算|绩效)")
_SECTION_WORDS = ("总体绩效目标", "分项绩效目标", "工作保障措施")


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


def _find(rows: list[list[str]], predicate) -> tuple[int, int] | None:
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if predicate(label(cell)):
                return r, c
    return None


def _after(rows: list[list[str]], at: tuple[int, int] | None) -> str:
    if at is None:
        return ""
    r, c = at
    return rows[r][c + 1].strip() if c + 1 < len(rows[r]) else ""


_HEADER_LABELS = {"预算规模及资金用途", "资金用途", "资金支出计划（%）", "资金支出计划(%)"}


def _project(head: list[list[str]], indicators: list[list[str]]) -> Project:
    p = Project()
    first = next((c for c in head[0] if c.strip()), "") if head else ""
    if label(first) not in ("项目编码", "单位：万元"):
        p.unit_line = first.strip()
    p.code = _after(head, _find(head, lambda s: s == "项目编码"))
    p.name = _after(head, _find(head, lambda s: s == "项目名称"))
    p.category = _after(head, _find(head, lambda s: s == "项目类别"))
    money_at = {
        "budget": _find(head, lambda s: s == "预算数"),
        "fiscal": _find(head, lambda s: s.startswith("其中") and "财政" in s),
        "other": _find(head, lambda s: s == "其他资金"),
    }
    for key, at in money_at.items():
        raw = _after(head, at)
        setattr(p, key, to_decimal(raw))
        if raw and to_decimal(raw) is None:
            p.written[key] = raw

    plan_at = _find(head, lambda s: s == "3月底")
    money_row = next((at[0] for at in money_at.values() if at is not None), None)
    if plan_at is not None:
        label_row = head[plan_at[0]]
        value_row = head[plan_at[0] + 1] if plan_at[0] + 1 < len(head) else []
        for key, text in PLAN_POINTS.items():
            col = next((c for c, cell in enumerate(label_row) if label(cell) == text), None)
            raw = value_row[col].strip() if col is not None and col < len(value_row) else ""
            p.plan[key] = to_percent(raw) if raw else None
            if raw and p.plan[key] is None:
                p.written[key] = raw
        if money_row is not None:
            p.uses = [
                line
                for row in head[money_row + 1 : plan_at[0]]
                for cell in row
                if cell.strip() and label(cell) not in _HEADER_LABELS
                for line in lines(cell)
            ]
    goals_at = _find(head, lambda s: s == "绩效目标")
    if goals_at is not None:
        r, c = goals_at
        cells = head[r][c + 1 :] + [cell for row in head[r + 1 :] for cell in row]
        p.goals = [line for cell in cells for line in lines(cell)]

    p.indicators = _indicator_rows(indicators)
    return p


def _indicator_rows(rows: list[list[str]]) -> list[Indicator]:
    if not rows:
        return []
    header = [label(c) for c in rows[0]]
    cols = {key: header.index(text) for key, text in INDICATOR_FIELDS.items() if text in header}
    return same_as_above([
        Indicator(**{k: (row[c].strip() if c < len(row) else "") for k, c in cols.items()})
        for row in rows[1:]
    ])


def _projects(blocks: list[Block]) -> list[Project]:
    tables = [b for b in blocks if isinstance(b, Table) and b.rows]
    projects: list[Project] = []
    i = 0
    while i < len(tables):
        rows = tables[i].rows
        if _find(rows, lambda s: s == "项目编码") is None:
            i += 1
            continue
        split = _find(rows, lambda s: s == "一级指标")
        if split is not None:  # header and indicators in one table
            head, inds = rows[: split[0]], rows[split[0] :]
            i += 1
        else:
            head = rows
            nxt = tables[i + 1].rows if i + 1 < len(tables) else []
            has_inds = bool(nxt) and _find(nxt[:1], lambda s: s == "一级指标") is not None
            inds = nxt if has_inds else []
            i += 2 if has_inds else 1
        projects.append(_project(head, inds))
    return projects


def _year(paragraphs: list[str], projects: list[Project]) -> int | None:
    for p in paragraphs:
        m = _YEAR_IN_TEXT.search(p)
        if m:
            return int(m.group(1))
    digits = Counter(
        p.code[6:8] for p in projects if len(p.code) >= 8 and p.code[6:8].isdigit()
    )
    if not digits:
        return None
    return 2000 + int(digits.most_common(1)[0][0])


def interpret(blocks: list[Block], year: int | None = None) -> WorkbookModel:
    """Build the model of a published document; ``year`` overrides what it says."""
    part1, part2 = _split_parts(blocks)
    paragraphs = _paragraph_texts(part1)
    projects = _projects(part2)
    if not projects:
        raise UserError(
            "文档中没有找到项目绩效目标表（没有含“项目编码”的表格）。"
            "请确认这是预算项目绩效目标的公开文档。"
        )
    units = Counter(p.unit_line for p in projects if p.unit_line)
    settings = Settings(
        year=year if year is not None else _year(paragraphs, projects),
        unit=units.most_common(1)[0][0] if units else "",
    )
    return WorkbookModel(settings=settings, department=_department(paragraphs), projects=projects)
