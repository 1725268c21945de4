"""Guessing a project's category: the seed's 12 projects as a finance officer files them,
and the cases that need more than one keyword (保险 of a car, 补贴 of staff, 资金用途)."""

from __future__ import annotations

import pytest

from xl_addin.core.model import Project, WorkbookModel
from xl_addin.library import guess_category
from xl_addin.library.guess import keyword_table
from xl_addin.library.source import packaged

#: The seed's projects by name, with the category a finance officer would pick.
SEED_CATEGORIES = {
    "车辆保险费": "车辆保险",
    "2021年市级社区干部生活补贴": "人员类",
    "办事处、社区工作经费": "公用经费",
    "古城社区居民清洁取暖补贴": "取暖补贴",
    "基层武装部建设经费": "专项-武装",
    "街道、社区综合事务经费": "公用经费",
    "街道工作专项补助": "人员类",
    "社区党组服务群众经费": "专项-党建服务群众",
    "社区党组织服务群众专项经费": "专项-党建服务群众",
    "社区工作经费": "公用经费",
    "社区工作专项补助": "人员类",
    "社区老居委会生活补贴": "人员类",
}


def test_seed_projects_are_all_listed(seed_model: WorkbookModel) -> None:
    assert [p.name for p in seed_model.projects] == list(SEED_CATEGORIES)


@pytest.mark.parametrize("name", SEED_CATEGORIES)
def test_seed_project_category(seed_model: WorkbookModel, name: str) -> None:
    project = next(p for p in seed_model.projects if p.name == name)
    category, reason = guess_category(project)
    assert category == SEED_CATEGORIES[name], reason
    assert "含“" in reason


@pytest.mark.parametrize(
    ("name", "uses", "goals", "expected", "reason_has"),
    [
        ("车辆保险费", [], [], "车辆保险", "项目名称含“车辆保险”"),
        ("公务用车运行维护费", [], [], "车辆运行", "项目名称含“公务用车”"),
        ("车 辆 保险费", [], [], "车辆保险", "车辆"),
        ("社区干部生活补贴", [], [], "人员类", "干部"),
        ("居民清洁取暖补贴", [], [], "取暖补贴", "取暖"),
        ("高龄老人生活补贴", [], [], "个人补贴", "高龄"),
        ("办公设备购置", [], [], "设备购置", "购置"),
        ("困难群众慰问金", [], [], "个人补贴", "困难群众"),
        ("民兵训练经费", [], [], "专项-武装", "民兵"),
        ("征兵工作经费", [], [], "专项-武装", "征兵"),
        # the name decides when it is clear, whatever the 资金用途 mentions
        ("社区工作经费", ["预算外人员工资"], [], "公用经费", "工作经费"),
        # equal weight in the name: the specific category wins over the generic one
        ("社区党组织工作经费", [], [], "专项-党建服务群众", "党组"),
        # a vague name: 资金用途 decides, then 绩效目标
        ("专项补助", ["事业自收自支人员经费"], [], "人员类", "资金用途含“人员经费”"),
        ("专项经费", [], ["1.保障公务用车正常运转"], "车辆运行", "绩效目标含“公务用车”"),
        # only weak evidence: still better than nothing
        ("专项补助", [], [], "补贴类", "项目名称含“补助”"),
        ("文化活动经费", [], [], "其他", "没有"),
        ("", [], [], "其他", "没有"),
    ],
)
def test_guess_edge_cases(name: str, uses: list[str], goals: list[str], expected: str,
                          reason_has: str) -> None:
    category, reason = guess_category(Project(name=name, uses=uses, goals=goals))
    assert category == expected, reason
    assert reason_has in reason


def test_guess_ignores_the_category_already_chosen() -> None:
    project = Project(name="车辆保险费", category="其他")
    assert guess_category(project)[0] == "车辆保险"


def test_keyword_table_names_only_dropdown_categories() -> None:
    names = packaged()["names"]
    table = keyword_table()
    assert {k.category for k in table.keywords} <= set(names)
    assert table.fallback in names
    assert all(k.weight > 0 and k.word for k in table.keywords)
