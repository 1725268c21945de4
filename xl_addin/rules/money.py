"""Money rules: the three money cells, the spending plan, and cost targets vs the budget."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from xl_addin.core.cellvalues import (
    money_text,
    percent_beyond,
    percent_text,
    read_money,
    to_decimal,
    yuan_amount,
)
from xl_addin.core.model import PLAN_POINTS, PROJECT_FIELDS, Indicator, Project
from xl_addin.core.numbers import limit_text
from xl_addin.rules.base import Hit, rule
from xl_addin.rules.context import Context, Row

_MONEY = ("budget", "fiscal", "other")
_HUNDRED = Decimal(100)
_WAN = Decimal(10000)


#: money is exact to the 元: four decimals of 万元 (real documents write 10606.7522)
_DECIMALS = 4


def _money_problem(p: Project, key: str) -> str:
    written = p.written.get(key)
    if written and read_money(written).beyond:
        return ""  # a number beyond what a budget holds: V210
    if written:
        yuan = yuan_amount(written)
        if yuan is not None:
            return (f"“{written}”以元为单位，本表金额以万元为单位：如确为{money_text(yuan)}元，"
                    f"请填写{money_text(yuan / _WAN)}；如是{money_text(yuan)}万元，"
                    f"请填写{money_text(yuan)}")
        return f"“{written}”不是数字"
    value: Decimal | None = getattr(p, key)
    if value is None:
        return ""
    if value < 0:
        return f"{value}为负数"
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -_DECIMALS:
        return f"{value}超过四位小数（万元的四位小数即精确到元）"
    return ""


@rule(
    "V201", "budget-invalid", "error", "project",
    "预算数、财政资金、其他资金是不小于0、最多四位小数（精确到元）的数字（万元）；"
    "写成“250元”的不换算（是0.025万元还是250万元，由填报人确认）",
    "{owner}的“{field}”{problem}。请填写以万元为单位、最多四位小数的非负数字。",
)
def budget_invalid(ctx: Context, p: Project) -> Iterator[Hit]:
    """A text in 元 is refused rather than converted: on a sheet in 万元 a clerk who
    writes 250元 more often slipped on the unit than meant 0.025 万元, and the two
    readings differ ten thousand times."""
    for key in _MONEY:
        problem = _money_problem(p, key)
        if problem:
            yield Hit(p, at=key, params={"problem": problem})


@rule(
    "V210", "budget-invalid", "error", "project",
    "预算数、财政资金、其他资金在本工具可处理的范围内（不超过 limits.toml 的 max_money_wan，"
    "默认10^12万元；有效数字、数量级见 max_number_digits、max_number_exponent）；"
    "超出的按文字保留，不计入汇总",
    "{owner}的“{field}”填的是“{written}”，{reason}，未按数字读取，也未计入汇总。"
    "请填写以万元为单位的实际金额（不超过{limit}）。",
)
def money_beyond_limits(ctx: Context, p: Project) -> Iterator[Hit]:
    """1e308 or forty digits in a money cell is a slip or an overflow, never a budget:
    read as a number it would end every sum and rounding in an exception."""
    for key in _MONEY:
        written = p.written.get(key)
        reason = read_money(written).beyond if written else ""
        if written and reason:
            yield Hit(p, at=key, params={"written": written, "reason": reason,
                                         "limit": limit_text("money")})


@rule(
    "V207", "nonstandard-value", "info", "project",
    "金额写成带单位的文字（“250万”“250万元”）按其中的数字（万元）读取，提示只填数字",
    "{owner}的“{field}”写成“{written}”，按{value}万元读取。金额单位已是万元，"
    "请只填数字{value}；报送件已按数字写出。",
)
def money_with_unit(ctx: Context, p: Project) -> Iterator[Hit]:
    for key in _MONEY:
        value: Decimal | None = getattr(p, key)
        if key in p.with_unit and value is not None:
            shown = money_text(value)
            yield Hit(p, at=key, params={"written": p.with_unit[key], "value": shown},
                      suggestion=shown)


@rule(
    "V202", "budget-sum-mismatch", "error", "project",
    "预算数＝财政资金＋其他资金（精确到元；财政资金、其他资金有一项未填时不比较：未填的一项"
    "由 V208 或 V101 提示）",
    "{owner}的预算数{budget}万元不等于财政资金{fiscal}与其他资金{other}之和"
    "{total}万元。请核对三项金额，使预算数＝财政资金＋其他资金。",
)
def budget_sum(ctx: Context, p: Project) -> Iterator[Hit]:
    if p.budget is None or any(k in p.written for k in _MONEY):
        return
    if p.fiscal is None or p.other is None:
        return  # a split not given: missing-field (V208, V101), not a sum
    total = p.fiscal + p.other
    if total != p.budget:
        yield Hit(p, at="budget", params={
            "budget": money_text(p.budget),
            "fiscal": money_text(p.fiscal),
            "other": money_text(p.other),
            "total": money_text(total),
        })


@rule(
    "V208", "missing-field", "error", "project",
    "财政资金、其他资金只填了一项且不等于预算数时，未填的一项未填写（不报预算数不等）；"
    "只填的一项等于预算数时，另一项留空即为0",
    "{owner}的“{field}”未填写：预算数{budget}万元，{given_field}{given}万元，"
    "相差{rest}万元。请填写{field}（如为{rest}万元），或核对预算数。",
)
def split_missing(ctx: Context, p: Project) -> Iterator[Hit]:
    """One blank split is 0 when the other carries the whole budget (the published
    tables leave 其他资金 blank so); otherwise the blank cell is what is missing, and
    a 预算数 ≠ sum of one number would point the clerk at the wrong cell."""
    if p.budget is None or any(k in p.written for k in _MONEY):
        return
    if (p.fiscal is None) == (p.other is None):
        return  # both given (V202) or both blank (V101)
    given, blank = ("fiscal", "other") if p.other is None else ("other", "fiscal")
    amount: Decimal = getattr(p, given)
    if amount != p.budget:
        yield Hit(p, at=blank, params={
            "budget": money_text(p.budget),
            "given_field": PROJECT_FIELDS[given],
            "given": money_text(amount),
            "rest": money_text(p.budget - amount),
        }, suggestion=money_text(p.budget - amount))


@rule(
    "V203", "plan-invalid", "error", "project",
    "资金支出计划各月底为0%–100%的百分数，且逐月不减少（累计数）",
    "{owner}的资金支出计划“{field}”{problem}。请填写截至该月底累计支出的百分比"
    "（0%–100%，逐月不减少）。",
)
def plan_invalid(ctx: Context, p: Project) -> Iterator[Hit]:
    previous: tuple[str, Decimal] | None = None
    for key, point in PLAN_POINTS.items():
        value = p.plan.get(key)
        problem = ""
        if key in p.written:  # a number beyond the limits is V211's
            written = p.written[key]
            problem = "" if percent_beyond(written) else _written_plan_problem(written)
        elif value is not None and not 0 <= value <= _HUNDRED:
            problem = f"{percent_text(value)}超出0%–100%"
        elif value is not None and previous is not None and value < previous[1]:
            problem = f"{percent_text(value)}小于{previous[0]}的{percent_text(previous[1])}"
        if problem:
            yield Hit(p, at=key, params={"problem": problem})
        if value is not None:
            previous = (point, value)


@rule(
    "V211", "plan-invalid", "error", "project",
    "资金支出计划各月底的数字在本工具可处理的范围内（有效数字、数量级见 limits.toml 的"
    " max_number_digits、max_number_exponent）；超出的按文字保留，不参与计算",
    "{owner}的资金支出计划“{field}”填的是“{written}”，{reason}，未按数字读取。"
    "请填写截至该月底累计支出的百分比（0%–100%，逐月不减少）。",
)
def plan_beyond_limits(ctx: Context, p: Project) -> Iterator[Hit]:
    for key in PLAN_POINTS:
        written = p.written.get(key)
        reason = percent_beyond(written) if written else ""
        if written and reason:
            yield Hit(p, at=key, params={"written": written, "reason": reason})


def _written_plan_problem(written: str) -> str:
    number = to_decimal(written)
    if number is None:
        return f"“{written}”不是百分数"
    return (f"填的是数字{written}，单元格按百分比显示为{percent_text(number * 100)}，"
            f"无法确定本意是{written}%还是{percent_text(number * 100)}")


@rule(
    "V206", "nonstandard-value", "info", "project",
    "资金支出计划中填成整数的百分数（25、50、75、100，按百分比格式显示为2500%…）按本意读作"
    "25%…，提示改正（各月底都在0–100之间时；否则由 V203 报错）",
    "{owner}的资金支出计划填的是{written}，按{meant}理解；这些单元格是百分比格式，"
    "会显示为{shown}。请改为{meant}（输入“25%”或0.25）；报送件已按{meant}写出。",
)
def plan_scaled(ctx: Context, p: Project) -> Iterator[Hit]:
    keys = [key for key in PLAN_POINTS if key in p.scaled]
    if not keys:
        return
    values = [p.plan[key] for key in keys]
    yield Hit(p, at=keys[0], params={
        "written": "、".join(f"{PLAN_POINTS[k]}{p.scaled[k]}" for k in keys),
        "meant": "、".join(percent_text(v) for v in values),
        "shown": "、".join(percent_text(v * 100) for v in values if v is not None),
    }, suggestion="、".join(percent_text(v) for v in values))


@rule(
    "V204", "plan-incomplete", "error", "project",
    "资金支出计划12月底累计为100%",
    "{owner}的资金支出计划12月底为{value}，年底应累计支出100%。请改为100%。",
)
def plan_incomplete(ctx: Context, p: Project) -> Iterator[Hit]:
    value = p.plan.get("dec")
    if value is not None and value != _HUNDRED and "dec" not in p.written:
        yield Hit(p, at="dec", params={"value": percent_text(value)}, suggestion="100%")


def _amount_in_wan(ctx: Context, row: Row) -> Decimal | None:
    """A cost row's target in 万元 when it is a plain amount (元, 万元, 亿元)."""
    v = row.value
    factor = ctx.tables.money_units.get(v.unit)
    if v.kind != "quantitative" or factor is None or v.number is None:
        return None
    return v.number * factor


def _over_budget(ctx: Context, p: Project, row: Row) -> Decimal | None:
    """A cost row's amount in 万元 when it exceeds the project's budget."""
    if p.budget is None or not row.is_cost:
        return None
    amount = _amount_in_wan(ctx, row)
    return amount if amount is not None and amount > p.budget else None


def _slipped(ctx: Context, p: Project, amount: Decimal) -> bool:
    """So far over the budget that the unit must be wrong (元 written as 万元)."""
    return p.budget is not None and p.budget > 0 and amount > ctx.tables.cost_slip_factor * p.budget


@rule(
    "V205", "cost-exceeds-budget", "warning", "indicator",
    "成本指标的金额目标（元、万元、亿元）不超过项目预算数",
    "{owner}的成本指标“{indicator}”目标为{value}（合{amount}万元），超过项目预算数"
    "{budget}万元。请核对成本目标，使其不超过预算数。",
    uses_project=True,
)
def cost_exceeds_budget(ctx: Context, p: Project, ind: Indicator, row: Row) -> Iterator[Hit]:
    amount = _over_budget(ctx, p, row)
    if amount is not None and not _slipped(ctx, p, amount):
        yield Hit(p, ind, "value", {
            "value": ind.value.strip(),
            "amount": money_text(amount),
            "budget": money_text(p.budget),
        })


def _times(ratio: Decimal) -> str:
    """How many times the budget, as a message says it: 100.1, 5,000."""
    if ratio < 1000:
        return f"{ratio:.1f}".removesuffix(".0")
    return f"{ratio:,.0f}"


def _smaller_unit(ctx: Context, p: Project, row: Row) -> tuple[str, str]:
    """(the value in the largest smaller money unit that keeps it within the budget,
    that unit): ≤500000万元 → (≤500000元, 元); ('', '') when none does."""
    v, units = row.value, ctx.tables.money_units
    if v.number is None or p.budget is None:
        return "", ""
    written = units[v.unit]
    digits = v.normalised.removeprefix(v.comparator or "").removesuffix(v.unit)
    comparator = v.comparator or ctx.tables.default_comparator["cost"]
    for unit, factor in sorted(units.items(), key=lambda uf: -uf[1]):
        if factor < written and v.number * factor <= p.budget:
            return f"{comparator}{digits}{unit}", unit
    return "", ""


@rule(
    "V209", "cost-exceeds-budget", "warning", "indicator",
    "成本指标的金额目标不远超项目预算数（超过 values.toml [fit.cost] 的倍数，默认100倍，"
    "多半是把“元”写成了“万元”；不到这一倍数的超预算由 V205 提示）",
    "{owner}的成本指标“{indicator}”目标为{value}（合{amount}万元），是项目预算数"
    "{budget}万元的{times}倍，{cause}。{fix}",
    uses_project=True,
)
def cost_unit_slip(ctx: Context, p: Project, ind: Indicator, row: Row) -> Iterator[Hit]:
    amount = _over_budget(ctx, p, row)
    if amount is None or p.budget is None or not _slipped(ctx, p, amount):
        return
    meant, unit = _smaller_unit(ctx, p, row)
    if meant:
        cause = f"多半把“{unit}”写成了“{row.value.unit}”"
        fix = f"如本意是“{meant}”，请改正单位。"
    else:
        cause = "金额或单位多半写错"
        fix = "请核对金额和单位。"
    yield Hit(p, ind, "value", {
        "value": ind.value.strip(), "amount": money_text(amount),
        "budget": money_text(p.budget), "times": _times(amount / p.budget),
        "cause": cause, "fix": fix,
    }, suggestion=meant)


RULES = (budget_invalid, budget_sum, plan_invalid, plan_incomplete, cost_exceeds_budget,
         plan_scaled, money_with_unit, split_missing, cost_unit_slip, money_beyond_limits,
         plan_beyond_limits)
