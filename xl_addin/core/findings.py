"""A finding: one thing wrong in a workbook, as data.

The fields follow ``shared/domain/finding-types.md``; tools outside the package rely on
``type``, ``severity``, ``indicator``, ``field``, ``sheet``, ``cell``, ``project_code``
and ``project_name``, so those names never change.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass
class Finding:
    """Not frozen, though nothing changes one: the batch review makes hundreds of
    thousands, and a frozen dataclass costs four times as much to create."""

    type: str
    code: str
    severity: Severity
    message: str
    sheet: str = ""
    cell: str = ""
    project_code: str = ""
    project_name: str = ""
    indicator: str = ""
    field: str = ""
    suggestion: str = ""

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    @property
    def place(self) -> str:
        """Where it is, as printed: 工作表!单元格, else the sheet, else 工作簿."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or "工作簿"


#: What each finding type is called in Chinese, for the 校验结果 sheet and reports.
TYPE_TITLES: dict[str, str] = {
    "missing-field": "必填项为空",
    "missing-category": "缺少指标类别",
    "empty-indicator-cell": "指标行不完整",
    "unknown-category": "指标类别不在框架内",
    "category-mismatch": "指标归类不当",
    "value-unit-mismatch": "指标值与指标不符",
    "yes-no-value": "指标值为是/否",
    "vague-value": "指标值不可衡量",
    "unit-only-value": "指标值缺少数字",
    "nonstandard-value": "指标值写法不规范",
    "vague-indicator": "指标过于笼统",
    "threshold": "目标值不合常规",
    "basis-invalid": "确定依据不规范",
    "budget-sum-mismatch": "预算数不等于资金合计",
    "budget-invalid": "金额无效",
    "cost-exceeds-budget": "成本超出预算",
    "plan-invalid": "支出计划无效",
    "plan-incomplete": "支出计划未到100%",
    "code-format": "项目编码格式错误",
    "code-year-mismatch": "编码年份与预算年度不符",
    "name-year-mismatch": "名称年份与预算年度不符",
    "duplicate-code": "项目编码重复",
    "duplicate-name": "项目名称重复",
    "duplicate-indicator": "三级指标重复",
    "boilerplate": "指标表照搬",
    "satisfaction-population": "满意度调查对象不当",
    "placeholder-value": "待填写的默认值",
    "sheet-structure": "表格结构损坏",
    "steering-sheet": "含有可操纵加载项的工作表",
}
