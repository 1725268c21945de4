"""The seed with indicator rows of its own for the department (部门整体绩效目标表), as
the importer fills ``Department.indicators`` from documents that carry them."""

from __future__ import annotations

import copy
from pathlib import Path

from xl_addin.actions.workbook import build_workbook
from xl_addin.core.model import Indicator, WorkbookModel

#: sound rows: no rule has anything to say about them
SOUND_ROWS = [
    Indicator("产出指标", "数量指标", "服务社区数", "街道辖区内社区全覆盖", "＝8个", "计划标准"),
    Indicator("", "质量指标", "重点工作完成率", "年度重点工作按计划完成", "≥95%", "计划标准"),
    Indicator("", "时效指标", "预算执行率", "年底前完成预算支出", "≥95%", "历史标准"),
    Indicator("效益指标", "社会效益指标", "群众诉求办结率", "12345热线诉求按期办结", "≥95%",
              "历史标准"),
    Indicator("满意度指标", "服务对象满意度指标", "辖区居民满意度",
              "问卷调查辖区居民对街道工作的满意程度，调查覆盖全部社区", "≥90%", "历史标准"),
]


def with_department_rows(model: WorkbookModel, rows: list[Indicator]) -> WorkbookModel:
    """A copy of ``model`` whose department holds ``rows`` (a blank 一级: same as above,
    as the importer's ``same_as_above`` leaves it)."""
    out = copy.deepcopy(model)
    level1 = ""
    for ind in copy.deepcopy(rows):
        if ind.level1:
            level1 = ind.level1
        else:
            ind.level1, ind.level1_written = level1, False
        out.department.indicators.append(ind)
    return out


def build(model: WorkbookModel, path: Path) -> Path:
    build_workbook(path, model).save(backup=False)
    return path
