"""What an import read, as data: printed, written to the 导入说明 sheet, given as JSON.

An import that keeps quiet about what it skipped loses money without a word (a header
the form calls by another name, a column the model has no place for), so every import
says, per project, which fields and how many indicator rows it read, what it converted
(元 to 万元), what it moved (满意度 under 效益 in the 2013 frame), what it kept aside
(权重, 中长期指标值), and every label, column or table it did not recognise, with where.
What the document itself gets wrong that the workbook cannot show once imported — 权重
that do not add up to 100 — is a warning of its project, for the clerk to put right.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class ProjectRead:
    """One project as read: where, which fields (their Chinese labels), how many rows."""

    name: str
    where: str
    fields: list[str] = field(default_factory=list)
    rows: int = 0
    notes: list[str] = field(default_factory=list)  # conversions, moves, kept goals
    kept: list[str] = field(default_factory=list)  # values of columns without a place
    warnings: list[str] = field(default_factory=list)  # the document's own defects (权重)


@dataclass
class Unrecognised:
    """A label, column or table the vocabulary does not know: where, and its text."""

    where: str
    kind: str  # 标签 / 列 / 表格 / 段落
    text: str


@dataclass
class ImportReport:
    source: str = ""
    tables: int = 0
    money_unit: str = ""  # the unit the document states ("" when it says none)
    year: int | None = None
    year_from: str = ""  # 标题 / 项目编码 / --year
    projects: list[ProjectRead] = field(default_factory=list)
    department: list[str] = field(default_factory=list)  # what the department part held
    department_warnings: list[str] = field(default_factory=list)  # its rows' 权重 …
    unrecognised: list[Unrecognised] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    def lines(self) -> list[str]:
        """The report as the command line prints it, in Chinese."""
        out = [f"读取“{self.source}”：{self.tables} 个表格，{len(self.projects)} 个项目；"
               f"预算年度 {self.year if self.year is not None else '未知'}"
               f"{f'（取自{self.year_from}）' if self.year_from else ''}；"
               f"金额单位 {self.money_unit or '未注明（按万元）'}。"]
        if self.department:
            out.append(f"部门整体：{'、'.join(self.department)}。")
        out += [f"    请核对：{w}" for w in self.department_warnings]
        for p in self.projects:
            fields = "、".join(p.fields) or "无"
            out.append(f"· {p.name or '（无名称）'}（{p.where}）：{fields}；指标 {p.rows} 行。")
            out += [f"    {note}" for note in p.notes]
            out += [f"    请核对：{w}" for w in p.warnings]
            if p.kept:
                out.append(f"    另有 {len(p.kept)} 项本表没有位置的内容（如权重、评分标准），"
                           f"已保留在“{SHEET}”表中。")
        out += self.notes
        if self.unrecognised:
            out.append(f"未识别的内容 {len(self.unrecognised)} 处（未导入，请核对；"
                       "如是同一内容的别称，可写入表样词汇文件后用 --forms 重新导入）：")
            out += [f"    {u.where} 的{u.kind}“{u.text}”" for u in self.unrecognised]
        return out

    def sheet_rows(self) -> list[list[str]]:
        """Rows of the 导入说明 sheet: 类别, 位置, 项目, 内容."""
        rows = [["来源", "", "", self.source],
                ["预算年度", self.year_from, "", str(self.year or "")],
                ["金额单位", "", "", self.money_unit or "未注明（按万元）"]]
        rows += [["部门整体", "", "", text] for text in self.department]
        rows += [["请核对", "", "部门整体", w] for w in self.department_warnings]
        for p in self.projects:
            rows.append(["项目", p.where, p.name,
                         f"已读取：{'、'.join(p.fields) or '无'}；指标 {p.rows} 行"])
            rows += [["说明", p.where, p.name, note] for note in p.notes]
            rows += [["请核对", p.where, p.name, w] for w in p.warnings]
            rows += [["保留", p.where, p.name, kept] for kept in p.kept]
        rows += [["说明", "", "", note] for note in self.notes]
        rows += [[f"未识别的{u.kind}", u.where, "", u.text] for u in self.unrecognised]
        return rows


SHEET = "导入说明"
HEADER = ["类别", "位置", "项目", "内容"]
WIDTHS = [14.0, 22.0, 26.0, 80.0]
