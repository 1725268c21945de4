"""The indicator library: default indicator rows per project category, as data.

Rows are written once, in the terms of a base frame (2015); another frame gets them
through declared recasts (2015's 产出/成本指标 is 2021's 一级 成本/经济成本指标), so the
two frames never drift apart.  A category may still carry rows written for a frame of
its own, which then replace the recast ones.  The packaged rows can be replaced by a
finance bureau's file or by the rows of a workbook's 指标库 sheet (``Library.from_rows``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xl_addin.core.cellvalues import label, text
from xl_addin.core.errors import UserError
from xl_addin.core.model import INDICATOR_FIELDS, PROJECT_FIELDS, Indicator
from xl_addin.library import source

#: Header labels a sheet uses for a row's keys, accepted besides the ASCII keys.
FRAME_LABEL = "指标框架"
_KEYS_BY_LABEL = {
    **{lbl: key for key, lbl in INDICATOR_FIELDS.items()},
    PROJECT_FIELDS["category"]: "category",
    FRAME_LABEL: "frame",
}
_REQUIRED = ("category", "level1", "level2", "level3")
_LABELS = {**INDICATOR_FIELDS, "category": PROJECT_FIELDS["category"]}


@dataclass(frozen=True)
class Recast:
    """How a base-frame (一级, 二级) is written in ``frame``."""

    frame: str
    source: tuple[str, str]
    target: tuple[str, str]


@dataclass(frozen=True)
class Entry:
    """One library row: a category's default indicator in one frame's terms."""

    category: str
    frame: str
    level1: str
    level2: str
    level3: str
    description: str
    value: str
    basis: str

    def indicator(self, levels: tuple[str, str] | None = None) -> Indicator:
        """A fresh row for a project, its 一级/二级 optionally recast."""
        level1, level2 = levels or (self.level1, self.level2)
        return Indicator(level1=level1, level2=level2, level3=self.level3,
                         description=self.description, value=self.value, basis=self.basis)


@dataclass(frozen=True)
class Library:
    """Default indicator rows by category, for any frame."""

    entries: tuple[Entry, ...]
    base_frame: str
    recasts: tuple[Recast, ...] = ()

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, Any]], base_frame: str | None = None,
                  recasts: Iterable[Recast] | None = None) -> Library:
        """A library from plain row dicts (a bureau's file, a 指标库 sheet).

        Keys are the ASCII names (category, frame, level1 … basis) or the header labels
        users see (项目类别, 指标框架, 一级指标 … 指标值确定依据).  A row without a frame
        is written in ``base_frame``; base frame and recasts default to the packaged
        ones, so a sheet of 2015 rows still serves a 2021 workbook.  Blank rows are skipped.
        """
        base = base_frame or _packaged_base_frame()
        entries: list[Entry] = []
        for number, row in enumerate(rows, start=1):
            fields = {_KEYS_BY_LABEL.get(label(k), label(k)): text(v) for k, v in row.items()}
            if not any(fields.values()):
                continue
            missing = [_LABELS[k] for k in _REQUIRED if not fields.get(k)]
            if missing:
                raise UserError(f"指标库第{number}行缺少“{'、'.join(missing)}”，请补全后再使用。")
            entries.append(Entry(
                category=fields["category"], frame=fields.get("frame") or base,
                **{k: fields.get(k, "") for k in INDICATOR_FIELDS},
            ))
        if not entries:
            raise UserError("指标库中没有任何指标行，请至少为一个类别填写默认指标。")
        chosen = _packaged_recasts() if recasts is None else tuple(recasts)
        return cls(entries=tuple(entries), base_frame=base, recasts=chosen)

    def categories(self) -> list[str]:
        """The categories that have rows, in the order they first appear."""
        return list(dict.fromkeys(e.category for e in self.entries))

    def rows(self, category: str, frame: str) -> list[Indicator]:
        """Fresh default rows of ``category`` written in ``frame``'s terms.

        Rows written for ``frame`` itself win; otherwise the base-frame rows are recast
        by the rules declared for ``frame`` (a frame without rules takes them unchanged).
        """
        own = [e for e in self.entries if e.category == category]
        if not own:
            raise UserError(
                f"指标库中没有类别“{category}”。可选类别：{'、'.join(self.categories())}。"
            )
        written = [e for e in own if e.frame == frame]
        if written or frame == self.base_frame:
            return [e.indicator() for e in written]
        rules = {r.source: r.target for r in self.recasts if r.frame == frame}
        return [e.indicator(rules.get((e.level1, e.level2)))
                for e in own if e.frame == self.base_frame]


def load_library(path: str | Path | None = None) -> Library:
    """The packaged library, or a bureau's file of the same shape (its ``[[row]]``
    tables; ``[library]`` base_frame and recast may be left out)."""
    data = source.packaged() if path is None else source.read(path)
    settings = data.get("library", {})
    recasts = _recasts(settings["recast"]) if "recast" in settings else None
    return Library.from_rows(data.get("row", []), settings.get("base_frame"), recasts)


def _recasts(items: Iterable[Mapping[str, Any]]) -> tuple[Recast, ...]:
    try:
        return tuple(Recast(str(r["frame"]), _pair(r["from"]), _pair(r["to"])) for r in items)
    except (KeyError, TypeError, ValueError) as exc:
        raise UserError(
            f"指标库的框架改写规则（library.recast）有误：{exc}。"
            "每条需有 frame、from = [一级, 二级]、to = [一级, 二级]。"
        ) from exc


def _pair(value: Any) -> tuple[str, str]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ValueError(f"{value!r} 不是 [一级, 二级]")
    return str(value[0]), str(value[1])


def _packaged_base_frame() -> str:
    return str(source.packaged()["library"]["base_frame"])


def _packaged_recasts() -> tuple[Recast, ...]:
    return _recasts(source.packaged()["library"]["recast"])
