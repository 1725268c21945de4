"""Indicator-frame profiles as data files (one TOML per frame).

A finance bureau changes rules by editing a copy of a profile file, never code.
``load`` takes a built-in name ('2015', '2021', or a strict variant such as
'2015-strict') or a path to such a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from xl_addin.core.errors import UserError
from xl_addin.files.atomic import read_regular

BUILTIN = ("2015", "2021")
#: built-in profile files besides the frames: a frame's file with stricter rule settings
#: (its ``name`` is the frame's, so every frame-keyed table applies to it)
VARIANTS = ("2015-strict", "2021-strict")


@dataclass(frozen=True)
class Requirement:
    """At least one indicator row with this 一级 (and one of these 二级, if any)."""

    label: str
    level1: str
    level2_any: tuple[str, ...]

    def met_by(self, level1: str, level2: str) -> bool:
        return level1 == self.level1 and (not self.level2_any or level2 in self.level2_any)


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    framework: dict[str, list[str]]  # 一级 -> its 二级, in order
    bases: list[str]
    requirements: list[Requirement] = field(default_factory=list)
    raw: dict = field(default_factory=dict, compare=False, repr=False)
    #: a hash of the profile's content: what validation may cache its verdicts under
    digest: str = field(default="", compare=False, repr=False)

    @property
    def level1(self) -> list[str]:
        return list(self.framework)

    @property
    def all_level2(self) -> list[str]:
        return [l2 for l2s in self.framework.values() for l2 in l2s]


def _from_data(data: dict, source: str) -> Profile:
    try:
        framework = {item["name"]: list(item["level2"]) for item in data["level1"]}
        return Profile(
            name=str(data["name"]),
            title=str(data.get("title", "")),
            framework=framework,
            bases=list(data["basis"]["allowed"]),
            requirements=[
                Requirement(r["label"], r["level1"], tuple(r.get("level2_any", ())))
                for r in data.get("require", [])
            ],
            raw=data,
            digest=hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False,
                                             default=str).encode()).hexdigest(),
        )
    except (KeyError, TypeError) as exc:
        raise UserError(
            f"规则文件 {source} 缺少必要的项 {exc}，请对照内置的 frame2015.toml 修改。"
        ) from exc


@cache
def _builtin(key: str) -> Profile:
    """A built-in profile, parsed once per process: the batch review asks for one per
    workbook, and parsing the TOML cost more than validating a small workbook.
    Profiles are read-only, so one shared object is safe."""
    text = resources.files(__package__).joinpath(f"frame{key}.toml").read_text("utf-8")
    return _from_data(tomllib.loads(text), f"frame{key}.toml")


def load(name_or_path: str | Path = "2015") -> Profile:
    """A built-in profile by name, or a profile file by path."""
    key = str(name_or_path)
    if key in BUILTIN or key in VARIANTS:
        return _builtin(key)
    path = Path(key)
    if not os.path.lexists(path):
        raise UserError(
            f"找不到规则文件“{key}”。可用的内置框架：2015、2021"
            f"（严格版 2015-strict、2021-strict），或给出 .toml 文件的路径。"
        )
    try:
        data = tomllib.loads(read_regular(path, "规则文件").decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UserError(
            f"规则文件“{key}”格式有误：{exc}。请检查 TOML 语法（UTF-8 编码）。"
        ) from exc
    return _from_data(data, key)
