"""A district's worth of unit workbooks, for the batch review (benchmarks and tests).

``python -m benchmarks.units OUT_DIR --units 500`` writes one workbook per unit, each with
8–20 projects drawn from the seed's.  The seed's own errors (是/否 targets, a bare 次,
codes of year 21, a missing cost row) are repaired first, so that a unit is clean unless
a defect is injected on purpose: about a third of the units stay clean, the others get
one to three of the defects a bureau meets (money that does not add up, a plan short of
100%, a 是/否 target, a code of the wrong year, no cost row, an empty 确定依据, a bare
unit, an unreplaced placeholder).  Names, codes, money, plans and target values vary per
unit, and about one unit in ten uses the 2021 frame.  The same ``seed`` gives the same
files.
"""

from __future__ import annotations

import argparse
import copy
import random
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from benchmarks.generate import seed_model
from xl_addin.actions.workbook import build_workbook
from xl_addin.core.model import Indicator, Project, WorkbookModel

DISTRICT = "秦皇岛市山海关区"
_FIRST = "东西南北新古青金龙凤石河山海桥湖林园安宁"
_SECOND = "城关山河庄营桥湖港岭园塘坊门湾"
_YES_NO = {"是/否", "是否", "是", "否"}
_PLANS = [(25, 50, 75, 100), (10, 40, 80, 100), (30, 60, 90, 100), (20, 50, 70, 100),
          (0, 30, 70, 100)]
CENT = Decimal("0.01")

#: Project names a 街道 or county unit publishes that the seed lacks: what the default-row
#: library must serve without borrowing another project's subject (tests/test_fill_fit.py).
HELD_OUT_NAMES = (
    "高龄老人生活补贴", "公务用车运行维护费", "办公设备购置", "干部教育培训经费", "办公楼维修改造",
    "社区网格员补贴", "困难群众临时救助", "退役军人优抚", "城市环境卫生保洁", "疫情防控经费",
    "安全生产检查经费", "老旧小区改造", "信访维稳经费", "法律顾问服务费", "食品安全抽检",
    "残疾人两项补贴", "城乡低保资金", "公益性岗位补贴", "民兵训练经费", "征兵工作经费",
    "机关党建工作经费", "物业管理费", "办公楼水电费", "垃圾清运费", "消防安全检查经费",
    "人民调解工作经费", "新时代文明实践站活动经费", "防汛抗旱经费", "公共厕所维护费",
    "电子政务系统运行维护费", "机关食堂运行经费", "离退休人员慰问经费", "重大活动安保经费",
    "第三方审计服务费", "环境空气质量监测经费",
)


def unit_short_name(index: int) -> str:
    """A distinct two- or three-character place name per index (20 × 15 × 20 of them)."""
    name = _FIRST[index % 20] + _SECOND[(index // 20) % 15]
    return name + (_FIRST[(index // 300) % 20] if index >= 300 else "")


def _repaired(p: Project) -> Project:
    """The seed project without the seed's errors (warnings and infos stay: they are
    what real workbooks carry)."""
    p = copy.deepcopy(p)
    p.code = p.code[:6] + "22" + p.code[8:]
    p.name = p.name.replace("2021年", "2022年")
    for ind in p.indicators:
        if ind.value in _YES_NO:
            ind.value = "≥90%"
        elif ind.value == "次":
            ind.value = "≥100次"
        elif ind.value.endswith("人") and ind.level3.endswith("率"):
            ind.value = "＝100%"
    if not any(i.level2 == "成本指标" for i in p.indicators):
        at = max(n for n, i in enumerate(p.indicators) if i.level1 == "产出指标") + 1
        p.indicators.insert(at, Indicator("产出指标", "成本指标", "项目成本", "项目支出不超过预算",
                                          f"≤{p.budget}万元", "预算支出标准"))
    return p


def _to_2021(p: Project) -> None:
    """Recast a 2015 project into the 2021 frame (成本指标 becomes a 一级)."""
    for ind in p.indicators:
        if ind.level2 == "成本指标":
            ind.level1, ind.level2, ind.level1_written = "成本指标", "经济成本指标", True
        elif ind.level2 == "可持续影响指标":
            ind.level2 = "社会效益指标"
    p.indicators.sort(key=lambda i: ["产出指标", "成本指标", "效益指标", "满意度指标"].index(
        i.level1))


def _vary(p: Project, rng: random.Random, short: str, unit: str, code: str) -> None:
    """Make the project the unit's own: its name, code, money, plan and target values."""
    p.name = p.name.replace("古城", short)
    p.unit_line, p.code, p.category = unit, code, ""
    budget = Decimal(rng.randint(50, 30000)) / 100
    p.budget, p.fiscal, p.other = budget, budget, None
    if rng.random() < 0.2:
        p.fiscal = (budget * Decimal(rng.randint(60, 95)) / 100).quantize(CENT)
        p.other = budget - p.fiscal
    p.plan = dict(zip(p.plan, map(Decimal, rng.choice(_PLANS)), strict=True))
    for ind in p.indicators:
        if ind.value.startswith("≥") and ind.value.endswith("%") and "满意" not in ind.level3:
            ind.value = f"≥{rng.randint(85, 99)}%"
        elif ind.value.endswith("次"):
            ind.value = f"≥{rng.randint(20, 400)}次"
        elif ind.value.startswith("≤") and ind.value.endswith("万元"):
            ind.value = f"≤{budget}万元"
        elif ind.level3.endswith("满意度"):
            ind.value = f"≥{rng.randint(85, 98)}%"


def _pick(p: Project, rng: random.Random, test: Callable[[Indicator], bool]) -> Indicator | None:
    rows = [i for i in p.indicators if test(i)]
    return rng.choice(rows) if rows else None


def _defect_money(p: Project, rng: random.Random) -> None:
    p.fiscal = (p.budget or Decimal(0)) + Decimal(rng.randint(1, 50))


def _defect_plan(p: Project, rng: random.Random) -> None:
    p.plan["dec"] = Decimal(rng.choice([90, 95, 98]))  # short of 100, never below 10月底


def _defect_yes_no(p: Project, rng: random.Random) -> None:
    ind = _pick(p, rng, lambda i: i.level1 != "满意度指标")
    if ind is not None:
        ind.value = rng.choice(["是", "是/否"])


def _defect_code_year(p: Project, rng: random.Random) -> None:
    p.code = p.code[:6] + "21" + p.code[8:]


def _defect_no_cost(p: Project, rng: random.Random) -> None:
    p.indicators = [i for i in p.indicators if "成本" not in i.level2]


def _defect_empty_basis(p: Project, rng: random.Random) -> None:
    ind = _pick(p, rng, lambda i: True)
    if ind is not None:
        ind.basis = ""


def _defect_bare_unit(p: Project, rng: random.Random) -> None:
    ind = _pick(p, rng, lambda i: i.level2 == "数量指标")
    if ind is not None:
        ind.value = "次"


def _defect_placeholder(p: Project, rng: random.Random) -> None:
    ind = _pick(p, rng, lambda i: i.level2 == "数量指标")
    if ind is not None:
        ind.value = "＝N人"


DEFECTS: dict[str, Callable[[Project, random.Random], None]] = {
    "budget-sum-mismatch": _defect_money,
    "plan-incomplete": _defect_plan,
    "yes-no-value": _defect_yes_no,
    "code-year-mismatch": _defect_code_year,
    "missing-category": _defect_no_cost,
    "empty-indicator-cell": _defect_empty_basis,
    "unit-only-value": _defect_bare_unit,
    "placeholder-value": _defect_placeholder,
}


@dataclass(frozen=True)
class UnitSpec:
    """What was generated for one unit: its name, project count and injected defects."""

    index: int
    unit: str
    projects: int
    frame: str
    defects: tuple[str, ...]


def unit_model(index: int, seed: int = 7, base: WorkbookModel | None = None,
               ) -> tuple[WorkbookModel, UnitSpec]:
    """The workbook model of unit ``index``, and what it was given."""
    rng = random.Random(f"{seed}/{index}")
    base = base or seed_model()
    short = unit_short_name(index)
    unit = f"{DISTRICT}{short}街道办事处"
    model = WorkbookModel(settings=copy.deepcopy(base.settings),
                          department=copy.deepcopy(base.department))
    model.settings.unit = unit
    model.settings.frame = "2021" if rng.random() < 0.1 else "2015"
    seen: dict[str, int] = {}
    for k in range(rng.randint(8, 20)):
        p = _repaired(rng.choice(base.projects))
        _vary(p, rng, short, unit, f"13030322P{index:05d}{k:06d}P")
        seen[p.name] = seen.get(p.name, 0) + 1
        if seen[p.name] > 1:
            p.name = f"{p.name}（{seen[p.name]}）"
        if model.settings.frame == "2021":
            _to_2021(p)
        model.projects.append(p)
    defects: tuple[str, ...] = ()
    if rng.random() >= 1 / 3:
        defects = tuple(rng.sample(sorted(DEFECTS), rng.randint(1, 3)))
        for name in defects:
            DEFECTS[name](rng.choice(model.projects), rng)
    spec = UnitSpec(index, unit, len(model.projects), model.settings.frame, defects)
    return model, spec


def write_unit(folder: Path, index: int, seed: int = 7) -> tuple[Path, UnitSpec]:
    model, spec = unit_model(index, seed)
    path = folder / f"{index + 1:03d}-{unit_short_name(index)}.xlsx"
    build_workbook(path, model).save(backup=False)
    return path, spec


def write_units(folder: Path, n_units: int, seed: int = 7,
                jobs: int = 1) -> list[tuple[Path, UnitSpec]]:
    """Write ``n_units`` unit workbooks into ``folder`` (``jobs`` processes)."""
    folder.mkdir(parents=True, exist_ok=True)
    if jobs <= 1:
        return [write_unit(folder, i, seed) for i in range(n_units)]
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(write_unit, [folder] * n_units, range(n_units), [seed] * n_units,
                             chunksize=8))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    written = write_units(args.out, args.units, args.seed, args.jobs)
    defective = sum(1 for _, spec in written if spec.defects)
    projects = sum(spec.projects for _, spec in written)
    print(f"{len(written)} 个单位、{projects} 个项目写入 {args.out}；"
          f"{defective} 个单位注入了缺陷。")
