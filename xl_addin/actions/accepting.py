"""What ``xl-addin accept`` and the 标记为已说明 button do, on any engine.

Both validate the workbook as it is, take the findings the clerk points at (a rule code
on a cell, every finding on a selected cell, or a 校验结果 row), refuse what may not be
accepted, and store the acceptances (``acceptances``) in one patch.  A workbook that
carries validation marks has them renewed at once, as ``consolidate`` does: an accepted
cell loses its colour and 校验结果 lists it under 已说明, so nothing shows stale.
Acceptances that explain nothing any more (已失效) are kept until withdrawn: “nothing”
may mean only another profile (a strict one raises infos the default does not; a
bureau's forbids accepting errors), and a reason a clerk wrote is not thrown away by a
command run with other settings.  A stale acceptance explains nothing, so keeping it
hides nothing; when the cell reads again what was accepted, it holds again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from xl_addin.actions.marks import RESULTS_HEADER, RESULTS_SHEET, SEVERITY_LABELS, mark_patch
from xl_addin.core.book import Book
from xl_addin.core.errors import UserError
from xl_addin.core.findings import TYPE_TITLES, Finding
from xl_addin.forms import acceptances as acc
from xl_addin.forms.book import read_model
from xl_addin.rules import validate
from xl_addin.rules.profiles import load as load_profile

#: a link to a cell as the live engine writes it: =HYPERLINK("#'Sheet'!F11","F11")
_LINK = re.compile(r'^=HYPERLINK\("#.*","([A-Z]{1,3}[0-9]{1,7})"\)$')


@dataclass
class Standing:
    """The workbook's findings now, and what its stored acceptances explain of them."""

    findings: list[Finding]  # everything the rules say, explained or not
    split: acc.Split
    allow_errors: bool
    present: bool  # the workbook has the acceptance sheet

    def at(self, sheet: str, cell: str) -> list[Finding]:
        return [f for f in self.findings if f.sheet == sheet and f.cell == cell]


def standing(book: Book, profile: str | Path | None = None) -> Standing:
    """Validate ``book`` (its own 指标框架 unless ``profile``) and apply its acceptances."""
    contents = read_model(book)
    chosen = load_profile(profile or contents.model.settings.frame or "2015")
    findings = contents.problems + list(validate(contents.model, chosen).findings)
    allow = acc.errors_allowed(chosen.raw)
    return Standing(findings, acc.split(findings, contents.acceptances, contents.grids, allow),
                    allow, acc.SHEET in book.sheet_names())


def _listed(findings: list[Finding]) -> str:
    return "；".join(f"{f.code}（{TYPE_TITLES.get(f.type, f.type)}，"
                    f"{SEVERITY_LABELS[f.severity]}）" for f in findings)


def choose(state: Standing, sheet: str, cell: str, code: str | None = None) -> list[Finding]:
    """The findings to accept on ``sheet!cell``: the one of rule ``code``, or (without a
    code) every finding there.  Refuses a cell without such a finding, naming what is
    there, and an error the profile does not let be accepted."""
    there = state.at(sheet, cell)
    chosen = [f for f in there if code is None or f.code == code.strip().upper()]
    if code is None and not state.allow_errors:  # a selected cell: what may be accepted
        chosen = [f for f in chosen if f.severity != "error"] or chosen
    place = f"{sheet}!{cell}"
    if not chosen:
        if not there:
            raise UserError(f"“{place}”上没有校验发现的问题，无需标记为已说明。"
                            "请先校验（xl-addin validate），再按列出的位置和代码标记。")
        raise UserError(f"“{place}”上没有规则 {code} 的问题。该单元格上的问题：{_listed(there)}。"
                        "请用其中的代码。")
    errors = [f for f in chosen if f.severity == "error"]
    if errors and not state.allow_errors:
        raise UserError(f"“{place}”的{_listed(errors)}是错误，错误不能标记为已说明，请改正它"
                        "（财政局在规则文件的 acceptance 一节写 errors = true 时才可以）。")
    return chosen


def from_results_row(book: Book, state: Standing, row: int) -> list[Finding]:
    """The finding a 校验结果 row lists (the row the clerk selected)."""
    grid = book.read(RESULTS_SHEET)
    width = len(RESULTS_HEADER)
    header = next((i for i, r in enumerate(grid.values, start=1)
                   if list(r[:width]) == RESULTS_HEADER), 1)
    # the 校验概要 block and the header above the list are not findings
    values = ([grid.get(row, c) for c in range(1, width + 1)] if row > header
              else [None] * width)
    sheet, cell, message = (str(values[i] or "").strip() for i in (1, 2, 6))
    linked = _LINK.match(cell)  # the live engine writes the link as a formula
    cell = linked[1] if linked else cell
    if not sheet or not cell:
        raise UserError(f"“{RESULTS_SHEET}”表第 {row} 行不是一条问题。"
                        "请选中要标记为已说明的问题所在的行，或选中项目表中的单元格。")
    first = message.split("\n", 1)[0]
    listed = [f for f in state.at(sheet, cell) if f.message == first]
    if not listed:
        raise UserError(f"“{RESULTS_SHEET}”表第 {row} 行的问题（{sheet}!{cell}）已不存在"
                        "或已改动，请重新校验后再标记。")
    return choose(state, sheet, cell, listed[0].code)


def _same(a: acc.Acceptance, f: Finding) -> bool:
    return (a.code, a.sheet, a.cell) == (f.code, f.sheet, f.cell)


def _store(book: Book, state: Standing, stored: list[acc.Acceptance]) -> None:
    """Write ``stored`` and renew the marks when the workbook carries them."""
    book.apply(acc.write_op(stored, state.present))
    if RESULTS_SHEET in book.sheet_names():
        grids = acc.grids_for(book, stored)
        now = acc.split(state.findings, stored, grids, state.allow_errors)
        book.apply(mark_patch(book, now.findings, TYPE_TITLES, accepted=now.accepted))


def accept(book: Book, state: Standing, targets: list[Finding], reason: str,
           by: str | None = None) -> list[acc.Acceptance]:
    """Store an acceptance of each of ``targets`` with ``reason`` (replacing an earlier
    one of the same finding); returns the new acceptances."""
    grids = {f.sheet: book.read(f.sheet) for f in targets}
    new = [acc.accept(f, grids, reason, by) for f in targets]
    kept = [a for a in acc.current(state.split.accepted) + state.split.stale
            if not any(_same(a, f) for f in targets)]
    _store(book, state, kept + new)
    return new


def withdraw(book: Book, state: Standing, code: str, sheet: str, cell: str) -> acc.Acceptance:
    """Remove the acceptance of rule ``code`` on ``sheet!cell`` (where its finding is now,
    or where a stale one was stored)."""
    code = code.strip().upper()
    current = acc.current(state.split.accepted)
    hit = next((a for a in current + state.split.stale
                if (a.code, a.sheet, a.cell) == (code, sheet, cell)), None)
    if hit is None:
        raise UserError(f"“{sheet}!{cell}”上没有规则 {code} 的已说明记录，未作改动。"
                        "可用 xl-addin accept BOOK --list 查看全部已说明。")
    _store(book, state, [a for a in current + state.split.stale if a is not hit])
    return hit
