"""Folding repeated findings into one line, and choosing the three to fix first.

A sheet whose eight 指标值 all read “是/否” has eight findings that say the same thing
about eight cells; a clerk reads that once, with the cells listed.  Two findings fold
when they are the same finding at another row of the same sheet:

* the same sheet, rule code, severity and suggestion, and
* the same message once the row's own name is taken out: the finding's ``indicator``
  quoted in its message (“出车次数”), or for a finding about a header field its
  ``field`` (“3月底”: the four plan cells left empty are one thing to do), when the
  message quotes it exactly once.

Anything else that differs — the value written (“是” against “是/否”), the category
suggested, another project — keeps the findings apart, so a folded line never hides a
difference the clerk must see.  Folding is per sheet: a sheet is one project, its
messages name the project, and the clerk fixes a sheet at a time.

Folding works on a list of findings and knows nothing of the report, so a report may
fold any list it holds (the findings it counts, or others it shows apart).
"""

from __future__ import annotations

from dataclasses import dataclass

from xl_addin.core.findings import Finding
from xl_addin.core.grid import a1, parse_a1

#: the severities in the order they are fixed: errors block a submission
RANK = {"error": 0, "warning": 1, "info": 2}
#: how many of a folded line's names its message shows before “等 N 项”
SHOWN_NAMES = 3
#: a run of at least this many consecutive rows of one column is written F11:F18
RUN = 3
_HOLE = "\x00"


@dataclass
class Group:
    """Findings that say the same thing about different cells, in report order."""

    findings: list[Finding]

    @property
    def first(self) -> Finding:
        return self.findings[0]

    @property
    def cells(self) -> list[str]:
        """The distinct cells, in the order of the findings."""
        return list(dict.fromkeys(f.cell for f in self.findings if f.cell))

    @property
    def place(self) -> str:
        """Where, as printed: 工作表!F11、F14、G11:G19, else as ``Finding.place``."""
        cells = cell_list(self.cells)
        if self.first.sheet and cells:
            return f"{self.first.sheet}!{cells}"
        return self.first.place

    @property
    def message(self) -> str:
        """The message, naming every folded row (the first ``SHOWN_NAMES``, then 等 N 项)."""
        if len(self.findings) == 1 or _template(self.first) is None:
            return self.first.message
        names = list(dict.fromkeys(_name(f) for f in self.findings))
        shown = "、".join(f"“{n}”" for n in names[:SHOWN_NAMES])
        if len(names) > SHOWN_NAMES:
            shown += f"等 {len(names)} 项"
        return str(_template(self.first)).replace(_HOLE, shown, 1)


def _name(f: Finding) -> str:
    """What tells this finding from its kin at other cells: the row's 三级指标, or the
    header field when the finding is about no row."""
    return f.indicator or f.field


def _template(f: Finding) -> str | None:
    """The message with its row's (or field's) name taken out, or None when it cannot
    be (no name, or the message does not quote it exactly once)."""
    name = _name(f)
    quoted = f"“{name}”"
    if not name or f.message.count(quoted) != 1:
        return None
    return f.message.replace(quoted, _HOLE)


def fold_key(f: Finding) -> tuple[str, ...]:
    """What two findings must share to be folded (see the module's docstring)."""
    return (f.sheet, f.code, f.severity, f.suggestion, _template(f) or f.message)


def fold(findings: list[Finding]) -> list[Group]:
    """The findings folded, each group where its first finding was."""
    groups: dict[tuple[str, ...], Group] = {}
    for f in findings:
        key = fold_key(f)
        if key in groups:
            groups[key].findings.append(f)
        else:
            groups[key] = Group([f])
    return list(groups.values())


def fix_first(groups: list[Group], n: int = 3) -> list[Group]:
    """The ``n`` lines to fix first, each of another kind (rule and severity) while
    there are kinds enough: the same 是/否 on three sheets is one thing to learn, and
    the clerk who fixes it on one sheet fixes it on all.

    Kinds are ranked errors before warnings before infos (errors block a submission),
    then by the cells they cover in the whole book (one correction, repeated, removes
    the most findings); a kind is shown by its line covering the most cells, then the
    one on the sheet that comes first (the order the clerk works in), then the first on
    that sheet.  With fewer than ``n`` kinds the next lines by that order fill in."""
    sheets: dict[str, int] = {}
    for g in groups:
        sheets.setdefault(g.first.sheet, len(sheets))

    def kind(g: Group) -> tuple[str, str]:
        return g.first.code, g.first.severity

    cells: dict[tuple[str, str], int] = {}
    for g in groups:
        cells[kind(g)] = cells.get(kind(g), 0) + len(g.findings)
    order = sorted(range(len(groups)), key=lambda i: (
        RANK.get(groups[i].first.severity, 9), -cells[kind(groups[i])],
        -len(groups[i].findings), sheets[groups[i].first.sheet], i))
    chosen: list[int] = []
    kinds: set[tuple[str, str]] = set()
    for i in order:
        if kind(groups[i]) not in kinds:
            kinds.add(kind(groups[i]))
            chosen.append(i)
    chosen += [i for i in order if i not in chosen]
    chosen = chosen[:n]
    chosen.sort(key=lambda i: (RANK.get(groups[i].first.severity, 9),
                               -cells[kind(groups[i])], order.index(i)))
    return [groups[i] for i in chosen]


def cell_list(cells: list[str]) -> str:
    """Cells as a clerk writes them: by column, then row; ``RUN`` or more consecutive
    rows of a column as a range (F11:F18), the rest listed with 、.  Text that is not a
    cell address is kept as it is, after the cells."""
    parsed = sorted({rc for rc in map(parse_a1, cells) if rc is not None},
                    key=lambda rc: (rc[1], rc[0]))
    out: list[str] = []
    i = 0
    while i < len(parsed):
        j = i
        while (j + 1 < len(parsed) and parsed[j + 1][1] == parsed[i][1]
               and parsed[j + 1][0] == parsed[j][0] + 1):
            j += 1
        if j - i + 1 >= RUN:
            out.append(f"{a1(*parsed[i])}:{a1(*parsed[j])}")
        else:
            out += [a1(*rc) for rc in parsed[i:j + 1]]
        i = j + 1
    out += [c for c in cells if parse_a1(c) is None]
    return "、".join(out)
