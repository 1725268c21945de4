"""指标值 rules: values that state no target, non-standard writing, values that do not
fit their indicator, and targets reviewers reject."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from xl_addin.core.cellvalues import percent_text
from xl_addin.core.model import Indicator, Project
from xl_addin.core.valueparse import ASPECTS, ParsedValue
from xl_addin.rules.base import Hit, rule
from xl_addin.rules.context import Context, Row

#: Aspects that change what the value says (or leave it unsaid), not just how it looks.
SERIOUS_ASPECTS = frozenset({"percent-word", "missing-comparator", "missing-unit"})
_RAISING = (None, "≥", "＞", "＝")  # comparators that set a floor (None: written bare)
_HUNDRED = Decimal(100)


def unit_misfit(ctx: Context, row: Row) -> str:
    """Why the value's unit does not fit the indicator ('' when it fits or is not judged):
    'rate-unit' (a rate counted in 人/次…), 'over-100' (a rate above 100%),
    'count-percent' (a count given as %), 'money-percent' (an amount under 数量 as %),
    'outcome-percent' (an outcome phrase that is no rate given as %), 'count-unit' (a
    count in another thing's unit: 人数 in 个), 'quality-count' (an output count as a
    质量 target).  One answer per row, so a row gets one finding for its unit."""
    if row.misfit is None:
        row.misfit = _misfit(ctx, row)
    return row.misfit


def _misfit(ctx: Context, row: Row) -> str:
    v = row.value
    if v.kind != "quantitative" or not v.unit or v.number is None:
        return ""
    t = ctx.tables
    if row.name.is_rate:
        if v.unit not in t.rate_units:
            return "rate-unit"
        if (v.unit == "%" and v.number > _HUNDRED
                and not any(w in row.level3 for w in t.rate_may_exceed)):
            return "over-100"
        return ""
    if v.unit in t.percent_units:
        return _percent_misfit(ctx, row)
    base = v.unit.split("/", 1)[0]
    counted_in = row.name.counted_in
    if counted_in is not None:
        known = base in t.known_units and base not in t.percent_units
        return "count-unit" if known and base not in counted_in.units else ""
    if _is_quality_count(ctx, row, base):
        return "quality-count"
    return ""


def _percent_misfit(ctx: Context, row: Row) -> str:
    """Why a % does not fit a name that does not end like a rate ('' when it may)."""
    t, name = ctx.tables, row.level3
    if row.name.is_count:
        return "count-percent"
    if any(w in name for w in t.rate_name_words):
        return ""  # 资金到位比例, 项目完成进度: a share, however the name ends
    if "quantity" in row.roles and any(w in name for w in t.money_name_words):
        return "money-percent"
    if any(w in name for w in t.outcome_words):
        return "outcome-percent"
    return ""


def _is_quality_count(ctx: Context, row: Row, base: str) -> bool:
    """A 质量 target that is a floor on a count of output (≥1人/年): a quantity, not a
    quality.  Counts of what should not happen (事故, 投诉) are quality targets; names
    that point to another category are V601's."""
    t, v = ctx.tables, row.value
    return ("quality" in row.roles and not row.name.roles and base in t.quality_count_units
            and v.comparator in _RAISING and v.number is not None and v.number > 0
            and not any(w in row.level3 for w in t.quality_count_exceptions))


def _shown(ind: Indicator) -> str:
    return ind.value.strip()


@rule(
    "V401", "yes-no-value", "error", "indicator",
    "指标值不是“是/否”“是否”“是”“否”（这些写法没有写明目标）",
    "{owner}指标“{indicator}”的指标值“{value}”只回答“是/否”，没有写明目标。"
    "请写成可衡量的目标值，如“＝100%”“≥95%”“＝2次”，或结果表述如“达到预期目标”。",
)
def yes_no(ctx: Context, p: Project, ind: Indicator, row: Row) -> Iterator[Hit]:
    if row.value.kind == "yes-no":
        yield Hit(p, ind, "value", {"value": _shown(ind)})


@rule(
    "V402", "unit-only-value", "error", "indicator",
    "指标值不是只有单位或比较符而没有数值（如“次”“%”“≥”）",
    "{owner}指标“{indicator}”的指标值“{value}”只有单位或比较符，没有目标数值。"
    "请写成“比较符＋数值＋单位”，如“{example}”。",
)
def unit_only(ctx: Context, p: Project, ind: Indicator, row: Row) -> Iterator[Hit]:
    v = row.value
    if v.kind == "unit-only":
        example = f"{v.comparator or '≥'}10{v.unit}" if v.unit and v.unit != "%" else "≥95%"
        yield Hit(p, ind, "value", {"value": _shown(ind), "example": example})


@rule(
    "V403", "vague-value", "warning", "indicator",
    "指标值不是无法衡量的笼统表述（进一步保障、按要求支出、按时、有所提高、不超过预算等，"
    "旁边没有数字；见 values.toml）",
    "{owner}指标“{indicator}”的指标值“{value}”是笼统表述，无法衡量。"
    "请改为具体目标值（如“≥95%”“＝10次”），或定性结果（如“达到预期目标”）。",
)
def vague_value(ctx: Context, p: Project, ind: Indicator, row: Row) -> Iterator[Hit]:
    if row.value.kind == "vague":
        yield Hit(p, ind, "value", {"value": _shown(ind)})


@rule(
    "V404", "placeholder-value", "error", "indicator",
    "指标值中没有未替换的占位符（如默认指标中的“＝N人”“≤X万元”）",
    "{owner}指标“{indicator}”的指标值“{value}”中的占位符尚未替换。"
    "请把 N、X 改为本单位的实际数值。",
)
def placeholder(ctx: Context, p: Project, ind: Indicator, row: Row) -> Iterator[Hit]:
    if row.value.kind == "placeholder":
        yield Hit(p, ind, "value", {"value": _shown(ind)})


def _comparator_for(ctx: Context, row: Row, v: ParsedValue) -> str:
    """The comparator to suggest where none is written."""
    choice = ctx.tables.default_comparator
    if row.is_cost:
        return choice["cost"]
    if row.name.is_rate:
        return choice["rate_full"] if v.number == _HUNDRED else choice["rate"]
    return choice["other"]


def _standard_writing(ctx: Context, row: Row, v: ParsedValue) -> str:
    """The value as it should be written, or '' when the missing unit cannot be guessed."""
    text = v.with_comparator(_comparator_for(ctx, row, v))
    if v.unit:
        return text
    return f"{text}%" if row.name.is_rate else ""


def _aspects_text(v: ParsedValue) -> str:
    return "；".join(ASPECTS[a] for a in v.aspects)


def _nonstandard_hit(ctx: Context, p: Project, ind: Indicator, row: Row) -> Hit | None:
    v = row.value
    if v.kind != "quantitative" or not v.aspects or unit_misfit(ctx, row):
        return None
    standard = _standard_writing(ctx, row, v)
    fix = f"建议写作“{standard}”。" if standard else "请补写计量单位（如“人”“次”“万元”）。"
    return Hit(p, ind, "value", {"value": _shown(ind), "aspects": _aspects_text(v), "fix": fix},
               suggestion=standard)


@rule(
    "V405", "nonstandard-value", "warning", "indicator",
    "定量指标值写全比较符、数值和单位，“百分比”写作“%”",
    "{owner}指标“{indicator}”的指标值“{value}”写法不规范：{aspects}。{fix}",
)
def nonstandard_value(ctx: Context, p: Project, ind: Indicator, row: Row) -> Iterator[Hit]:
    hit = _nonstandard_hit(ctx, p, ind, row)
    if hit is not None and SERIOUS_ASPECTS.intersection(row.value.aspects):
        yield hit


@rule(
    "V406", "nonstandard-value", "info", "indicator",
    "定量指标值使用规范的比较符（≥ ＞ ＝ ＜ ≤，半角 = > < 视同；不写 >= <=）、半角数字，"
    "不含多余空格",
    "{owner}指标“{indicator}”的指标值“{value}”写法不规范：{aspects}。{fix}",
)
def nonstandard_writing(ctx: Context, p: Project, ind: Indicator, row: Row) -> Iterator[Hit]:
    hit = _nonstandard_hit(ctx, p, ind, row)
    if hit is not None and not SERIOUS_ASPECTS.intersection(row.value.aspects):
        yield hit


@rule(
    "V407", "value-unit-mismatch", "error", "indicator",
    "比率类指标（名称以“率”“满意度”等结尾）的指标值以 % 计，而不是人、次、元等",
    "{owner}指标“{indicator}”是比率，指标值“{value}”却以“{unit}”计。"
    "请改为百分比目标（如“＝100%”）；该数量如需考核，请另设数量指标。",
)
def rate_unit(ctx: Context, p: Project, ind: Indicator, row: Row) -> Iterator[Hit]:
    if unit_misfit(ctx, row) == "rate-unit":
        yield Hit(p, ind, "value", {"value": _shown(ind), "unit": row.value.unit})


@rule(
    "V408", "value-unit-mismatch", "warning", "indicator",
    "计数类指标（名称以“数”“数量”“人次”等结尾）的指标值不以 % 计",
    "{owner}指标“{indicator}”是计数，指标值“{value}”却是百分比。"
    "请写成数量（如“≥10次”“＝19人”），或把指标改为比率（如“覆盖率”）。",
)
def count_percent(ctx: Context, p: Project, ind: Indicator, row: Row) -> Iterator[Hit]:
    if unit_misfit(ctx, row) == "count-percent":
        yield Hit(p, ind, "value", {"value": _shown(ind)})


@rule(
    "V409", "value-unit-mismatch", "error", "indicator",
    "比率类指标的目标不超过100%（增长率等除外）",
    "{owner}指标“{indicator}”是比率，指标值“{value}”超过了100%。请核对目标值。",
)
def over_hundred(ctx: Context, p: Project, ind: Indicator, row: Row) -> Iterator[Hit]:
    if unit_misfit(ctx, row) == "over-100":
        yield Hit(p, ind, "value", {"value": _shown(ind)})


@rule(
    "V411", "value-unit-mismatch", "warning", "indicator",
    "不是比率的效果类指标（如“促进…发展”“维护社会稳定”“长期使用性”，词表见 values.toml"
    " [fit.outcome_percent]）的指标值不以 % 计",
    "{owner}指标“{indicator}”不是比率，指标值“{value}”却是百分比，说不清是什么的百分之几。"
    "请把指标改为可计算的比率（如“…完成率”“…覆盖率”），或写成定性目标（如“达到预期目标”）"
    "或具体数量。",
)
def outcome_percent(ctx: Context, p: Project, ind: Indicator, row: Row) -> Iterator[Hit]:
    if unit_misfit(ctx, row) == "outcome-percent":
        yield Hit(p, ind, "value", {"value": _shown(ind)})


@rule(
    "V412", "value-unit-mismatch", "warning", "indicator",
    "数量指标中的金额类指标（名称含“资金”“金额”“经费”等且不是比率）不以 % 计",
    "{owner}数量指标“{indicator}”是金额，指标值“{value}”却是百分比，既不是数量也不是金额。"
    "请写成产出数量（如“＝120户”），金额请写在成本指标中（如“≤135万元”）；"
    "如考核比例，请改为比率指标（如“资金到位率”）。",
)
def money_percent(ctx: Context, p: Project, ind: Indicator, row: Row) -> Iterator[Hit]:
    if unit_misfit(ctx, row) == "money-percent":
        yield Hit(p, ind, "value", {"value": _shown(ind)})


@rule(
    "V413", "value-unit-mismatch", "warning", "indicator",
    "计数类指标的单位与所计之物相符：人数以人计、户数以户计、次数以次计……"
    "（对应表见 values.toml [[fit.count_units]]）",
    "{owner}指标“{indicator}”是{what}，指标值“{value}”却以“{unit}”计。"
    "请改用“{units}”等单位，或核对指标名称与所计的对象。",
)
def count_unit(ctx: Context, p: Project, ind: Indicator, row: Row) -> Iterator[Hit]:
    counted_in = row.name.counted_in
    if unit_misfit(ctx, row) == "count-unit" and counted_in is not None:
        yield Hit(p, ind, "value", {
            "value": _shown(ind), "what": counted_in.what,
            "unit": row.value.unit.split("/", 1)[0], "units": "”“".join(counted_in.units[:3]),
        })


@rule(
    "V414", "value-unit-mismatch", "warning", "indicator",
    "质量指标的目标不是产出数量（如“≥1人/年”“≥5个”；事故、投诉等“越少越好”的计数除外）",
    "{owner}质量指标“{indicator}”的指标值“{value}”是数量（以“{unit}”计），不是质量要求。"
    "请改写为质量目标（如合格率、达标率“≥95%”），或把该数量移到数量指标。",
)
def quality_count(ctx: Context, p: Project, ind: Indicator, row: Row) -> Iterator[Hit]:
    if unit_misfit(ctx, row) == "quality-count":
        yield Hit(p, ind, "value", {"value": _shown(ind), "unit": row.value.unit})


@rule(
    "V415", "value-unit-mismatch", "error", "indicator",
    "指标值中的数字在本工具可处理的范围内（有效数字、数量级见 limits.toml 的"
    " max_number_digits、max_number_exponent；如“≥1e999999%”、数百位数字）",
    "{owner}指标“{indicator}”的指标值“{value}”中的数字{reason}，不是可考核的目标。"
    "请写成实际的目标值，如“≥95%”“＝10次”。",
)
def value_beyond_limits(ctx: Context, p: Project, ind: Indicator, row: Row) -> Iterator[Hit]:
    if row.value.kind == "out-of-range":
        yield Hit(p, ind, "value", {"value": _shown(ind), "reason": row.value.beyond})


def _threshold_problem(ctx: Context, row: Row, v: ParsedValue) -> tuple[str, str]:
    """(what reviewers object to, the suggested target) for a percentage target."""
    s, t = ctx.settings, ctx.tables
    name = row.level3
    number = v.number
    if number is None or v.comparator not in _RAISING:
        return "", ""
    if any(w in name for w in t.satisfaction_words):
        if number < s.satisfaction_min:
            return (f"低于{percent_text(s.satisfaction_min)}，评审一般不予认可"
                    f"（满意度目标通常为≥85%–90%）"), ""
        if s.satisfaction_warn_full and number == _HUNDRED:
            return "为100%，调查结果难以全部满意，目标不切实际（通常为≥85%–90%）", ""
        return "", ""
    is_money_rate = any(w in name for w in t.rate_words) and any(w in name for w in t.money_words)
    if is_money_rate and number < s.money_rate_min:
        target = f"＝{percent_text(s.money_rate_min)}"
        return f"低于{percent_text(s.money_rate_min)}，资金应准确、足额发放", target
    return "", ""


@rule(
    "V410", "threshold", "warning", "indicator",
    "目标值在评审认可的范围内：满意度不低于80%且不为100%，资金发放准确率/发放率为100%"
    "（门槛见规则文件 [thresholds]）",
    "{owner}指标“{indicator}”的目标“{value}”{problem}。{fix}",
)
def threshold(ctx: Context, p: Project, ind: Indicator, row: Row) -> Iterator[Hit]:
    v = row.value
    if v.kind != "quantitative" or v.unit != "%":
        return
    problem, target = _threshold_problem(ctx, row, v)
    if problem:
        fix = f"建议改为“{target}”。" if target else "请调整为切实可行的目标。"
        yield Hit(p, ind, "value", {"value": _shown(ind), "problem": problem, "fix": fix},
                  suggestion=target)


RULES = (
    yes_no, unit_only, vague_value, placeholder, nonstandard_value, nonstandard_writing,
    rate_unit, count_percent, over_hundred, threshold, outcome_percent, money_percent,
    count_unit, quality_count, value_beyond_limits,
)
