"""This year against last year (``review DIR --previous LASTDIR``): what each unit changed.

A finance bureau reading this year's targets asks first whether a unit quietly lowered
them, then how its money moved and which projects came and went.  Both folders are
reviewed the same way (``review``); this module only compares the two ``District``s,
from the ``ProjectFacts`` each file's review kept.

- Units are matched by name (the 参数 sheet's 单位名称, as the review names them).
- Projects are matched by 项目编码 with its year digits (7th–8th, see rule V102/V103)
  left out, and failing that by 项目名称 with the years written in it left out
  (“2022年XX” ≈ “2023年XX”); each change says which.
- A target is weaker when, for the same 三级指标 in the matched project, a ≥ target is
  lower or a ≤ target higher (same comparator and same unit only: 95% and 95人 are not
  compared), when it no longer states a number or an outcome (vague, 是/否, a bare
  unit, empty), or when the indicator is gone.  ＝ ＞ ＜ targets are not judged: whether
  more or less is better depends on the indicator, which the text does not say.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from xl_addin.actions.review import STATUS_UNREADABLE, District, FileReview, ProjectFacts
from xl_addin.actions.summary import MONEY_COLUMNS
from xl_addin.core.cellvalues import money_text
from xl_addin.core.numbers import arithmetic
from xl_addin.core.valueparse import parse_value

WEAKER, MONEY, PROJECT, UNIT, UNREADABLE = "weaker", "money", "project", "unit", "unreadable"
#: the order of the comparison's rows: weaker targets first, which reviewers read first
KINDS = (WEAKER, MONEY, PROJECT, UNIT, UNREADABLE)
BY_CODE = "按项目编码对应（不计第7–8位年度）"
BY_NAME = "按项目名称对应（不计名称中的年份）"
UNIT_TOTAL = "（单位合计）"
#: how specific a target is, by the kind ``parse_value`` gives it; a kind not listed
#: (unknown writing, a number beyond the limits) is not judged
_SPECIFIC = {"quantitative": 2, "qualitative": 1, "vague": 0, "yes-no": 0, "unit-only": 0,
             "placeholder": 0, "empty": 0}
_KIND_WORDS = {"qualitative": "定性表述", "vague": "含糊表述", "yes-no": "是/否",
               "unit-only": "只有计量单位", "placeholder": "占位符", "empty": "空白"}
_YEAR = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}\s*年度?")
_SPACE = re.compile(r"\s+")
_PERCENT_STEP = Decimal("0.1")


@dataclass(frozen=True)
class Change:
    """One row of 与上年对照.  ``previous``/``current``/``change`` are ``Decimal`` for
    money, text otherwise; ``percent`` is the money change in % of last year's."""

    kind: str
    unit: str
    project: str
    field: str
    previous: Decimal | str | None
    current: Decimal | str | None
    change: Decimal | str | None
    note: str
    percent: Decimal | None = None
    match: str = ""


@dataclass
class Comparison:
    """The comparison's result: its rows in order, and last year's unreadable files."""

    folder: str
    files: int
    unreadable: list[FileReview] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Rows per kind, every kind present."""
        return {kind: sum(c.kind == kind for c in self.changes) for kind in KINDS}


def code_key(code: str) -> str:
    """The project code without its year digits (7th–8th), which change every year."""
    code = code.strip()
    return code[:6] + code[8:] if len(code) >= 8 and code[6:8].isdigit() else code


def name_key(name: str) -> str:
    """The project name without the years written in it, nor spaces."""
    return _SPACE.sub("", _YEAR.sub("", name))


def match_projects(before: list[ProjectFacts], after: list[ProjectFacts],
                   ) -> tuple[list[tuple[ProjectFacts, ProjectFacts, str]],
                              list[ProjectFacts], list[ProjectFacts]]:
    """(matched pairs in this year's order with how each was matched, dropped, new)."""
    partner: dict[int, tuple[int, str]] = {}  # index in after -> (index in before, how)
    for key, how in ((lambda p: code_key(p.code), BY_CODE), (lambda p: name_key(p.name), BY_NAME)):
        taken = {b for b, _ in partner.values()}
        free: dict[str, int] = {}
        for i, p in enumerate(before):
            if i not in taken and key(p):
                free.setdefault(key(p), i)
        for j, p in enumerate(after):
            if j not in partner and key(p) in free:
                partner[j] = (free.pop(key(p)), how)
    pairs = [(before[partner[j][0]], p, partner[j][1]) for j, p in enumerate(after)
             if j in partner]
    used = {b for b, _ in partner.values()}
    return (pairs, [p for i, p in enumerate(before) if i not in used],
            [p for j, p in enumerate(after) if j not in partner])


def weakening(previous: str, current: str) -> tuple[str, str] | None:
    """(change, explanation) when ``current`` states less than ``previous``, else None."""
    a, b = parse_value(previous), parse_value(current)
    if a.kind == b.kind == "quantitative":
        if (a.comparator != b.comparator or a.comparator not in ("≥", "≤") or a.unit != b.unit
                or a.number is None or b.number is None):
            return None  # not like with like: not compared
        with localcontext(arithmetic()):
            step = b.number - a.number
        was, now = f"{format(a.number, 'f')}{a.unit}", f"{format(b.number, 'f')}{b.unit}"
        if a.comparator == "≥" and step < 0:
            return f"{format(step, 'f')}{a.unit}", f"≥ 目标降低：由 {was} 降为 {now}"
        if a.comparator == "≤" and step > 0:
            return f"+{format(step, 'f')}{a.unit}", f"≤ 目标放宽：由 {was} 升为 {now}"
        return None
    was, now = _SPECIFIC.get(a.kind), _SPECIFIC.get(b.kind)
    if was is None or now is None or now >= was:
        return None
    before = "定量目标" if a.kind == "quantitative" else "定性目标"
    return "变含糊", f"目标变含糊：由{before}改为{_KIND_WORDS[b.kind]}"


def _target_changes(unit: str, before: ProjectFacts, after: ProjectFacts,
                    how: str) -> Iterator[Change]:
    """The weaker targets of one matched project, in last year's indicator order."""
    current: dict[str, list[str]] = {}
    for name, value in after.targets:
        current.setdefault(name, []).append(value)
    for name, value in before.targets:
        left = current.get(name)
        if not left:
            yield Change(WEAKER, unit, after.name, name, value, "", "删除",
                         f"指标删除：本年项目中没有三级指标“{name}”；{how}", match=how)
            continue
        now = left.pop(0)
        weaker = weakening(value, now)
        if weaker is not None:
            yield Change(WEAKER, unit, after.name, name, value, now, weaker[0],
                         f"{weaker[1]}；{how}", match=how)


def _percent(before: Decimal, step: Decimal) -> Decimal | None:
    if before == 0:
        return None
    with localcontext(arithmetic()):
        return (step * 100 / before).quantize(_PERCENT_STEP)


def _money_change(unit: str, project: str, column: str, before: Decimal | None,
                  after: Decimal | None, how: str) -> Change | None:
    if before == after:
        return None
    tail = f"；{how}" if how else ""
    if before is None or after is None:
        missing = "上年未填" if before is None else "本年未填"
        return Change(MONEY, unit, project, column, before, after, None, missing + tail,
                      match=how)
    with localcontext(arithmetic()):
        step = after - before
    percent = _percent(before, step)
    word = "增加" if step > 0 else "减少"
    share = f"{word} {abs(percent)}%" if percent is not None else "上年为 0"
    return Change(MONEY, unit, project, column, before, after, step, share + tail,
                  percent, how)


def _unit_total(facts: list[ProjectFacts], column: str) -> Decimal | None:
    amounts = [p.money.get(column) for p in facts]
    present = [a for a in amounts if a is not None]
    if not present:
        return None
    with localcontext(arithmetic()):
        return sum(present, Decimal(0))


def unit_facts(district: District) -> dict[str, list[ProjectFacts]]:
    """Each unit's projects, in file and sheet order; a project the district does not
    count (the same code in another, newer file) is left out here too."""
    out: dict[str, list[ProjectFacts]] = {}
    for unit in district.units():
        out[unit] = [p for f in district.unit_files(unit) for p in f.facts
                     if (f.file, p.code) not in district.uncounted]
    return out


def _budget(p: ProjectFacts) -> str:
    amount = p.money.get(MONEY_COLUMNS["budget"])
    return f"预算数 {money_text(amount)} 万元" if amount is not None else "预算数未填"


def compare(before: District, after: District, folder: str) -> Comparison:
    """Every change from ``before`` (last year) to ``after`` (this year), weaker
    targets first; see the module docstring."""
    old, new = unit_facts(before), unit_facts(after)
    rows: list[Change] = []
    for unit, projects in new.items():
        if unit not in old:
            rows.append(Change(UNIT, unit, "", "单位", "", f"{len(projects)} 个项目", "新增",
                               "上年文件夹中没有该单位可读取的工作簿"))
            continue
        pairs, dropped, added = match_projects(old[unit], projects)
        for b, a, how in pairs:
            rows += _target_changes(unit, b, a, how)
        for column in MONEY_COLUMNS.values():
            total = _money_change(unit, UNIT_TOTAL, column, _unit_total(old[unit], column),
                                  _unit_total(projects, column), "")
            rows += [total] if total else []
        for b, a, how in pairs:
            for column in MONEY_COLUMNS.values():
                change = _money_change(unit, a.name, column, b.money.get(column),
                                       a.money.get(column), how)
                rows += [change] if change else []
        rows += [Change(PROJECT, unit, p.name, "项目", p.name, "", "减少",
                        f"上年有、本年没有的项目（编码 {p.code or '未填'}，{_budget(p)}）")
                 for p in dropped]
        rows += [Change(PROJECT, unit, p.name, "项目", "", p.name, "新增",
                        f"本年新增的项目（编码 {p.code or '未填'}，{_budget(p)}）")
                 for p in added]
    rows += [Change(UNIT, unit, "", "单位", f"{len(projects)} 个项目", "", "减少",
                    "本年文件夹中没有该单位可读取的工作簿")
             for unit, projects in old.items() if unit not in new]
    unreadable = [f for f in before.files if f.status == STATUS_UNREADABLE]
    rows += [Change(UNREADABLE, f.unit, "", "上年文件", f.file, "", "",
                    f"上年的这个文件无法读取，其中的单位和项目未参与对照：{f.reason}")
             for f in unreadable]
    rows.sort(key=lambda c: KINDS.index(c.kind))  # stable: each kind keeps its order
    return Comparison(folder, len(before.files), unreadable, rows)


def _json_value(value: object, money: bool = False) -> object:
    """Money as the review's JSON writes it (``money_text``), other numbers exactly."""
    if isinstance(value, Decimal):
        return money_text(value) if money else format(value, "f")
    return value


def comparison_dict(comparison: Comparison) -> dict[str, object]:
    """The comparison as JSON-ready data (money and percentages as exact strings)."""
    return {
        "folder": comparison.folder,
        "files": comparison.files,
        "counts": comparison.counts(),
        "unreadable": [{"file": f.file, "reason": f.reason} for f in comparison.unreadable],
        "changes": [{"kind": c.kind, "unit": c.unit, "project": c.project, "field": c.field,
                     "previous": _json_value(c.previous, c.kind == MONEY),
                     "current": _json_value(c.current, c.kind == MONEY),
                     "change": _json_value(c.change, c.kind == MONEY),
                     "percent": _json_value(c.percent),
                     "match": c.match, "note": c.note} for c in comparison.changes],
    }
