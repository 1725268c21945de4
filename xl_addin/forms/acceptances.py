"""Accepted findings (已说明): a warning or info a clerk has explained, with the reason.

A rule that judges a cell cannot know that the unit has a good reason (a 确定依据 the
bureau agreed to, an indicator the project really needs).  The clerk accepts such a
finding with a reason; validation then shows it as 已说明 with that reason, outside the
counts, the marks and the submission's checks.

**Where.**  The acceptances are data in the workbook itself, on the very hidden sheet
``已说明`` (one row each: code, sheet, cell, fingerprint, reason, by, when), written
through a ``WriteTable`` on any engine and read in one block.  They travel with the
workbook: save and reopen, fill, consolidate, the submission copy (the bureau reviews
the acceptances with the copy) and the batch review.  The sheet only ever hides
findings of this workbook's own rules: nothing on it is a setting or a command, and
errors are hidden only when the profile in use allows it (``[acceptance] errors``), so
a crafted sheet cannot hide an error from a bureau whose profile forbids it.

**The key.**  An acceptance names the rule (its code), the sheet, and a fingerprint of
what the rule judged there: the finding's field, the row's 三级指标 (its ``indicator``,
empty for a header field) and the text of the judged cell.  It holds for a finding of
that code on that sheet with that fingerprint, *wherever the row now is*: rows move (fill
inserts default rows between the clerk's, a clerk inserts rows in Excel), and an address
alone would then point at another row.  The stored cell only decides between two equal
rows.  When the judged cell (or the row's 三级指标) changes, the fingerprint no longer
matches: the finding is judged again and shown as before, and the acceptance is stale
(已失效): listed by ``xl-addin accept --list``, kept until withdrawn (``--remove``), and
in force again when the cell reads again what was accepted.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from xl_addin.core.book import Book
from xl_addin.core.cellvalues import text
from xl_addin.core.errors import UserError
from xl_addin.core.findings import Finding
from xl_addin.core.grid import Grid, parse_a1
from xl_addin.core.patch import DeleteSheet, Patch, WriteTable

SHEET = "已说明"
HEADER = ["code", "sheet", "cell", "fingerprint", "reason", "by", "when"]
#: bumped when the fingerprinted form changes, so old acceptances read as stale
FINGERPRINT_VERSION = "xl-addin/acceptance/1"
#: characters of a reason kept (a reason is a sentence, not a document)
MAX_REASON = 500
STATUS_ACCEPTED = "已说明"


@dataclass(frozen=True)
class Acceptance:
    """One explained finding, as stored."""

    code: str
    sheet: str
    cell: str
    fingerprint: str
    reason: str
    by: str = ""
    when: str = ""

    @property
    def place(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet


@dataclass
class Accepted:
    """A current finding and the acceptance that explains it."""

    finding: Finding
    acceptance: Acceptance

    def to_dict(self) -> dict[str, str]:
        a = self.acceptance
        return {**self.finding.to_dict(), "reason": a.reason, "by": a.by, "when": a.when}


@dataclass
class Split:
    """Findings after the acceptances: still counted, explained, and acceptances that
    no longer explain anything (the cell changed, the finding is gone, or an error the
    profile does not let be accepted)."""

    findings: list[Finding] = field(default_factory=list)
    accepted: list[Accepted] = field(default_factory=list)
    stale: list[Acceptance] = field(default_factory=list)


def fingerprint(finding: Finding, value: object) -> str:
    """What the rule judged: the field, the row's 三级指标 and the judged cell's text
    (as the user reads it: 7 and 7.0 are the same, trailing blanks are not content)."""
    data = "\x1f".join([FINGERPRINT_VERSION, finding.field, finding.indicator, text(value)])
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:32]


def cell_value(grids: Mapping[str, Grid], finding: Finding) -> object:
    """The value of the finding's cell in the sheets as read (None where it has none)."""
    rc = parse_a1(finding.cell) if finding.cell else None
    grid = grids.get(finding.sheet)
    return grid.get(*rc) if grid is not None and rc is not None else None


def fingerprint_of(grids: Mapping[str, Grid], finding: Finding) -> str:
    return fingerprint(finding, cell_value(grids, finding))


def errors_allowed(raw_profile: Mapping[str, object]) -> bool:
    """The profile's ``[acceptance] errors``: whether an error may be accepted (default
    no: an error blocks a submission, and a bureau decides whether a reason may lift it)."""
    section = raw_profile.get("acceptance", {})
    value = section.get("errors", False) if isinstance(section, Mapping) else None
    if not isinstance(value, bool):
        raise UserError("规则文件的 [acceptance] errors 只能写 true 或 false。")
    return value


def _cell(value: object) -> str:
    return "" if value is None else str(value).strip()


def parse(grid: Grid) -> list[Acceptance]:
    """The acceptances on the sheet; rows without a code, sheet, cell or fingerprint
    (typed over, half deleted) are not acceptances and are left out."""
    out = []
    for row in grid.values[1:]:
        values = [_cell(v) for v in (list(row) + [None] * len(HEADER))[:len(HEADER)]]
        code, sheet, cell, fp, reason, by, when = values
        if code and sheet and parse_a1(cell) and fp:
            out.append(Acceptance(code, sheet, cell.upper(), fp, reason[:MAX_REASON], by, when))
    return out


def read(book: Book) -> list[Acceptance]:
    """The workbook's acceptances (none without the sheet)."""
    return parse(book.read(SHEET)) if SHEET in book.sheet_names() else []


def grids_for(book: Book, acceptances: Iterable[Acceptance]) -> dict[str, Grid]:
    """The sheets the acceptances are on, as read (engines cache their reads)."""
    names = set(book.sheet_names())
    return {s: book.read(s) for s in {a.sheet for a in acceptances} if s in names}


def split(findings: Iterable[Finding], acceptances: list[Acceptance],
          grids: Mapping[str, Grid], allow_errors: bool = False) -> Split:
    """Which findings the acceptances explain (see the module docstring).

    Each acceptance explains at most one finding: one at its stored cell first, then
    the first unexplained finding of the same code, sheet and fingerprint (its row has
    moved)."""
    out = Split()
    findings = list(findings)
    if not acceptances:
        out.findings = findings
        return out
    wanted = {(a.code, a.sheet) for a in acceptances}
    keyed: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i, f in enumerate(findings):
        if (f.code, f.sheet) in wanted and f.cell and (allow_errors or f.severity != "error"):
            keyed[(f.code, f.sheet, fingerprint_of(grids, f))].append(i)
    taken: dict[int, Acceptance] = {}
    pending: list[Acceptance] = []
    for a in acceptances:  # first pass: the finding is where it was accepted
        hit = next((i for i in keyed.get((a.code, a.sheet, a.fingerprint), ())
                    if i not in taken and findings[i].cell == a.cell), None)
        if hit is None:
            pending.append(a)
        else:
            taken[hit] = a
    for a in pending:  # second pass: its row moved
        hit = next((i for i in keyed.get((a.code, a.sheet, a.fingerprint), ())
                    if i not in taken), None)
        if hit is None:
            out.stale.append(a)
        else:
            taken[hit] = a
    for i, f in enumerate(findings):
        if i in taken:
            out.accepted.append(Accepted(f, taken[i]))
        else:
            out.findings.append(f)
    return out


def current(accepted: Iterable[Accepted]) -> list[Acceptance]:
    """The acceptances in force, each at its finding's cell now (rows may have moved)."""
    return [replace(a.acceptance, cell=a.finding.cell) for a in accepted]


def accept(finding: Finding, grids: Mapping[str, Grid], reason: str, by: str | None = None,
           now: dt.datetime | None = None) -> Acceptance:
    """A new acceptance of ``finding`` (a finding with a cell) with ``reason``."""
    reason = " ".join(reason.split())
    if not reason:
        raise UserError("请写明说明理由（--reason），例如“经财政局同意，沿用上年标准”。")
    if len(reason) > MAX_REASON:
        raise UserError(f"说明理由有 {len(reason)} 个字，超过 {MAX_REASON} 字，请写得简短些。")
    when = (now or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    return Acceptance(finding.code, finding.sheet, finding.cell, fingerprint_of(grids, finding),
                      reason, (by if by is not None else _user()).strip(), when)


def _user() -> str:
    """Who accepts, when not said: the account's name (none where it cannot be known)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no such account in a container, no login name
        return ""


def write_op(acceptances: list[Acceptance], present: bool) -> Patch:
    """The patch that stores ``acceptances`` (the sheet dropped when none is left)."""
    if not acceptances:
        return Patch([DeleteSheet(SHEET)]) if present else Patch()
    rows = [[a.code, a.sheet, a.cell, a.fingerprint, a.reason, a.by, a.when]
            for a in acceptances]
    return Patch([WriteTable(SHEET, HEADER, rows, hidden=True)])


def described(a: Accepted) -> str:
    """The reason as shown next to a finding: 说明：… （by，when）."""
    who = "，".join(x for x in (a.acceptance.by, a.acceptance.when) if x)
    return f"说明：{a.acceptance.reason}" + (f"（{who}）" if who else "")
