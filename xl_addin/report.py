"""The result of a validation: findings as data, with the views callers need.

A workbook with findings is not an exception; the report is data that the CLI prints,
the add-in marks on the sheets, and tests assert on in one line with ``flatten``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from .findings import TYPE_TITLES, Finding

if TYPE_CHECKING:
    from rich.console import Console

SEVERITIES = ("error", "warning", "info")
_SEVERITY_LABELS = {
    "error": ("错误", "red"), "warning": ("警告", "yellow"), "info": ("提示", "cyan"),
}
_FINDING_FIELDS = tuple(f.name for f in fields(Finding))


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)

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
        return {
            "valid": self.valid,
            "stats": self.stats,
            "findings": [f.to_dict() for f in self.findings],
        }

    def render_table(self, console: Console) -> None:
        """Print the findings as a terminal table (工作表, 单元格, 类型, 级别, 说明)."""
        # rich is loaded here, not with the module: the batch review's workers make
        # reports by the hundred and print none
        from rich.table import Table
        from rich.text import Text

        if not self.findings:
            console.print("[green]未发现问题。[/]")
            return
        table = Table(show_lines=True)
        for title in ("工作表", "单元格", "类型", "级别"):
            table.add_column(title, no_wrap=True)
        table.add_column("说明", overflow="fold")
        for f in self.findings:
            # most messages already quote their suggestion; repeat it only where not
            shown = not f.suggestion or f.suggestion in f.message
            text = f.message if shown else f"{f.message}\n建议：{f.suggestion}"
            # user text goes in as Text so brackets such as 冀财资[2017] are never markup
            table.add_row(
                Text(f.sheet), Text(f.cell), Text(TYPE_TITLES.get(f.type, f.type)),
                Text(*_SEVERITY_LABELS[f.severity]), Text(text),
            )
        console.print(table)
        counts = self.stats["by_severity"]
        console.print(
            f"共 {len(self.findings)} 条：错误 {counts['error']}，警告 {counts['warning']}，"
            f"提示 {counts['info']}。"
        )
