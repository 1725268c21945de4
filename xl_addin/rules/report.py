"""The result of a validation: findings as data, with the views callers need.

A workbook with findings is not an exception; the report is data that the CLI prints,
the add-in marks on the sheets, and tests assert on in one line with ``flatten``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from xl_addin.core.findings import TYPE_TITLES, Finding
from xl_addin.rules.folding import RANK, Group, fix_first, fold

if TYPE_CHECKING:
    from rich.console import Console

    from xl_addin.forms.acceptances import Accepted

SEVERITIES = ("error", "warning", "info")
_SEVERITY_LABELS = {
    "error": ("错误", "red"), "warning": ("警告", "yellow"), "info": ("提示", "cyan"),
}
_FINDING_FIELDS = tuple(f.name for f in fields(Finding))


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    #: findings the unit has explained (已说明): shown with their reason, never counted
    accepted: list[Accepted] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """No error: warnings and infos do not block a submission."""
        return not any(f.severity == "error" for f in self.findings)

    @property
    def stats(self) -> dict[str, Any]:
        """Counts: total, by severity (every severity present, zero or not), by type."""
        by_severity = Counter(f.severity for f in self.findings)
        return {
            "total": len(self.findings),
            "by_severity": {s: by_severity[s] for s in SEVERITIES},
            "by_type": dict(sorted(Counter(f.type for f in self.findings).items())),
        }

    def flatten(self, names: list[str]) -> list[list[str]]:
        """Each finding as the list of the named fields, e.g. ``["code", "indicator"]``."""
        unknown = [n for n in names if n not in _FINDING_FIELDS]
        if unknown:
            raise ValueError(f"unknown finding field(s) {unknown}; known: {_FINDING_FIELDS}")
        return [[getattr(f, n) for n in names] for f in self.findings]

    def to_dict(self) -> dict[str, Any]:
        """``findings`` one entry per finding (tools rely on it); ``groups`` the folded
        lines the terminal shows, each with the indexes of its findings; ``fix_first``
        the indexes of the groups to fix first."""
        index = {id(f): i for i, f in enumerate(self.findings)}
        groups = fold(self.findings)
        at = {id(g): i for i, g in enumerate(groups)}
        return {
            "valid": self.valid,
            "stats": self.stats,
            "findings": [f.to_dict() for f in self.findings],
            "groups": [{
                "place": g.place, "sheet": g.first.sheet, "cells": g.cells, "code": g.first.code,
                "type": g.first.type, "severity": g.first.severity, "count": len(g.findings),
                "message": g.message, "findings": [index[id(f)] for f in g.findings],
            } for g in groups],
            "fix_first": [at[id(g)] for g in fix_first(groups)],
            "accepted": [a.to_dict() for a in self.accepted],
        }

    def summary(self) -> str:
        """One line: how many findings of each severity, or that there are none."""
        if not self.findings:
            return "未发现问题。" + self.accepted_summary()
        counts = self.stats["by_severity"]
        return (f"共 {len(self.findings)} 条：错误 {counts['error']}，警告 {counts['warning']}，"
                f"提示 {counts['info']}。" + self.accepted_summary())

    def accepted_summary(self) -> str:
        """The explained findings, not counted above ('' when there are none)."""
        return f"另有已说明 {len(self.accepted)} 条，不计入。" if self.accepted else ""

    def print(self, console: Console) -> None:
        """The findings on ``console``.  In a terminal: the ``overview`` first, then the
        folded lines (``folding.fold``) as blocks wrapped to its width.  Into a file or a
        pipe: one-line records (``records``), one per finding, never folded — a cell is
        found by grep there, and ``wc -l`` counts the findings.

        A table squeezes the message into what the other columns leave (12 columns of
        80); a block gives it the full width, and a record is never broken at all.
        """
        if not console.is_terminal:
            for line in self.records():
                console.file.write(line + "\n")
            console.file.flush()
            return
        # rich is loaded here, not with the module: the batch review's workers make
        # reports by the hundred and print none
        from rich.text import Text

        from xl_addin.core.wrap import wrap

        def say(text: str, style: str = "", indent: str = "") -> None:
            for i, line in enumerate(wrap(text, console.width - len(indent))):
                # user text goes in as Text so brackets such as 冀财资[2017] are never markup
                console.print(Text(indent + line, style=style if i == 0 else style and "bold"),
                              soft_wrap=True)

        groups = fold(self.findings)
        if self.findings:
            for text, style, indent in self.overview(groups):
                say(text, style, indent)
            console.print()
        for g in groups:
            say(_head(g), f"bold {_SEVERITY_LABELS[g.first.severity][1]}")
            say(_text(g.first, g.message))

    def overview(self, groups: list[Group] | None = None) -> list[tuple[str, str, str]]:
        """What the terminal shows first, as (text, rich style, indent) lines: the count
        before and after folding; by severity, each type with its count and codes (most
        first); then 先改这三处 (``folding.fix_first``)."""
        groups = fold(self.findings) if groups is None else groups
        counts = self.stats["by_severity"]
        total = (f"校验概要：共 {len(self.findings)} 条，归并为 {len(groups)} 行（错误 "
                 f"{counts['error']}，警告 {counts['warning']}，提示 {counts['info']}）")
        lines = [(total, "bold", "")]
        for severity, types in by_type(self.findings):
            label, colour = _SEVERITY_LABELS[severity]
            lines.append((f"{label} {counts[severity]} 条", f"bold {colour}", ""))
            lines += [(f"{TYPE_TITLES.get(t, t)} {n} 条 · {'、'.join(codes)}", "", "  ")
                      for t, n, codes in types]
        first = fix_first(groups)
        if first:
            lines.append((f"先改这{_COUNT_WORDS.get(len(first), len(first))}处：", "bold", ""))
            lines += [(f"{i}. {_head(g)}", "", "  ") for i, g in enumerate(first, start=1)]
        return lines

    def print_accepted(self, console: Console) -> None:
        """The 已说明 block: each explained finding with its reason, after the findings
        (in a terminal as blocks; into a file or a pipe one record a line, with 级别
        已说明 and the reason as 建议, for the caller to put where the records are not)."""
        if not self.accepted:
            return
        from xl_addin.forms.acceptances import described

        if not console.is_terminal:
            for line in self.accepted_records():
                console.file.write(line + "\n")
            console.file.flush()
            return
        from rich.text import Text

        from xl_addin.core.wrap import wrap

        console.print(Text(f"已说明（{len(self.accepted)} 条，不计入问题）：", style="bold green"))
        for a in self.accepted:
            f = a.finding
            label = _SEVERITY_LABELS[f.severity][0]
            head = " · ".join([f.place, f"已说明（{label}）",
                               TYPE_TITLES.get(f.type, f.type), f.code])
            for i, line in enumerate(wrap(head, console.width)):
                console.print(Text(line, style="bold green" if i == 0 else "bold"),
                              soft_wrap=True)
            for line in wrap(f"{f.message}\n{described(a)}", console.width):
                console.print(Text(line), soft_wrap=True)

    def accepted_records(self) -> list[str]:
        """The explained findings as records: 位置, 已说明（级别）, 类型, 代码, 说明, 理由."""
        from xl_addin.forms.acceptances import described

        return ["\t".join(_flat(v) for v in (
            a.finding.place, f"已说明（{_SEVERITY_LABELS[a.finding.severity][0]}）",
            TYPE_TITLES.get(a.finding.type, a.finding.type), a.finding.code,
            a.finding.message, described(a),
        )) for a in self.accepted]

    def records(self) -> list[str]:
        """One line per finding, tab-separated and never wrapped: 位置 (工作表!单元格),
        级别, 类型, 代码, 说明, 建议 (empty where the message quotes it already)."""
        return ["\t".join(_flat(v) for v in (
            f.place, _SEVERITY_LABELS[f.severity][0], TYPE_TITLES.get(f.type, f.type),
            f.code, f.message, "" if _quoted(f) else f.suggestion,
        )) for f in self.findings]


_COUNT_WORDS = {1: "一", 2: "两", 3: "三"}


def by_type(findings: list[Finding]) -> list[tuple[str, list[tuple[str, int, list[str]]]]]:
    """Per severity present (errors first), its types as (type, count, codes): the
    most frequent first, ties in the order they were found."""
    out: dict[str, dict[str, tuple[int, list[str]]]] = {}
    for f in findings:
        n, codes = out.setdefault(f.severity, {}).get(f.type, (0, []))
        out[f.severity][f.type] = (n + 1, codes if f.code in codes else [*codes, f.code])
    return [(s, sorted(((t, n, sorted(c)) for t, (n, c) in out[s].items()), key=lambda x: -x[1]))
            for s in sorted(out, key=lambda s: RANK.get(s, 9))]


def _head(g: Group) -> str:
    """A folded line's head: where, 级别, 类型, 代码, and how many cells when more than one."""
    f = g.first
    parts = [g.place, _SEVERITY_LABELS[f.severity][0], TYPE_TITLES.get(f.type, f.type), f.code]
    return " · ".join(parts + ([f"{len(g.findings)} 处"] if len(g.findings) > 1 else []))


def _quoted(f: Finding, message: str | None = None) -> bool:
    """Most messages quote their suggestion already: it is repeated only where not."""
    return not f.suggestion or f.suggestion in (f.message if message is None else message)


def _text(f: Finding, message: str | None = None) -> str:
    message = f.message if message is None else message
    return message if _quoted(f, message) else f"{message}\n建议：{f.suggestion}"


def _flat(value: str) -> str:
    """A field of a one-line record: no tab or line break inside it."""
    return " ".join(value.split())
