"""Default rows fit their project: filling a seed project or a held-out one (a name a unit
really publishes, not in the seed) adds no row about a subject the project never
mentions — no heating or PM2.5 in an allowance for the elderly, no insurance in a car's
running costs, no 社区 in an equipment purchase.  The subjects are the validation's own
table (``rules/data/subjects.toml``), so the library and V604 judge alike."""

from __future__ import annotations

import pytest

from benchmarks.units import HELD_OUT_NAMES
from xl_addin.core.model import Project, WorkbookModel
from xl_addin.library import guess_category, load_library, missing_rows, refine
from xl_addin.rules.fit import absent_subjects, project_text
from xl_addin.rules.profiles import load as load_profile

LIBRARY = load_library()


def _added(project: Project, frame: str) -> list:
    category, _ = guess_category(project)
    return missing_rows(project, load_profile(frame), category, LIBRARY)


def _misfits(project: Project, frame: str) -> list[tuple[str, str, str]]:
    about = project_text(project.name, project.uses, project.goals)
    return [(row.level3, subject.name, word)
            for row in _added(project, frame)
            for subject, word in absent_subjects(row.level3 + row.description, about)]


def test_held_out_names_are_not_the_seeds(seed_model: WorkbookModel) -> None:
    assert len(set(HELD_OUT_NAMES)) == len(HELD_OUT_NAMES) >= 25
    assert not set(HELD_OUT_NAMES) & {p.name for p in seed_model.projects}


@pytest.mark.parametrize("frame", ["2015", "2021"])
@pytest.mark.parametrize("name", HELD_OUT_NAMES)
def test_held_out_project_gets_no_foreign_subject(name: str, frame: str) -> None:
    project = Project(name=name)
    assert _added(project, frame), name  # a blank project gets rows
    assert _misfits(project, frame) == []


@pytest.mark.parametrize("frame", ["2015", "2021"])
def test_seed_projects_get_no_foreign_subject(seed_model: WorkbookModel, frame: str) -> None:
    for project in seed_model.projects:
        blank = Project(name=project.name, uses=project.uses, goals=project.goals)
        assert _misfits(blank, frame) == [], project.name


@pytest.mark.parametrize(
    ("name", "absent"),
    [("高龄老人生活补贴", {"取暖", "空气质量", "住户"}), ("公务用车运行维护费", {"保险"}),
     ("办公设备购置", {"社区"})],
)
def test_the_issues_examples(name: str, absent: set[str]) -> None:
    """The rows the old library gave these projects named exactly these subjects."""
    rows = [r.level3 + r.description for r in _added(Project(name=name), "2015")]
    about = project_text(name, [], [])
    assert rows and not {s.name for r in rows for s, _ in absent_subjects(r, about)} & absent


@pytest.mark.parametrize(
    ("name", "broad", "finer"),
    [("高龄老人生活补贴", "补贴类", "个人补贴"), ("古城社区居民清洁取暖补贴", "补贴类", "取暖补贴"),
     ("车辆保险费", "车辆运行", "车辆保险"), ("办公设备购置", "公用经费", "设备购置"),
     ("居民生活补贴", "补贴类", "补贴类"), ("社区工作经费", "公用经费", "公用经费")],
)
def test_a_broad_category_is_refined_by_the_name(name: str, broad: str, finer: str) -> None:
    """Workbooks typed before the library was refined keep their 补贴类: its rows are
    the finer category's the name points to, else the broad one's generic rows."""
    assert refine(Project(name=name), broad, LIBRARY.categories())[0] == finer
