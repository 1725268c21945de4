"""Commands on one workbook: new, import, add-project, dump, fill, validate, clear-marks,
categories.

Loaded by ``cli`` only when one of them runs (see ``cli._COMMANDS``), so that a command
that needs none of this — the batch review above all — starts without openpyxl.
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from pathlib import Path

import click
from rich.console import Console

from xl_addin.actions import workbook as actions
from xl_addin.actions.fill import fill_book, require_known, workbook_library
from xl_addin.actions.marks import clear_patch, mark_patch
from xl_addin.actions.serialize import contents_dict
from xl_addin.cli.app import _done, _refuse_other_out, _refuse_overwrite, _save, cli, err
from xl_addin.core.errors import EXIT_FINDINGS, EXIT_OK, UserError
from xl_addin.core.findings import TYPE_TITLES
from xl_addin.core.model import Project, Settings
from xl_addin.engines.file import FileBook
from xl_addin.forms.book import read_model, read_settings
from xl_addin.library import load_library
from xl_addin.rules.profiles import Profile
from xl_addin.rules.profiles import load as load_profile


@cli.command("new")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--year", type=int, required=True, help="预算年度，如 2022。")
@click.option("--unit", required=True, help="单位名称（各项目表的“单位”行）。")
@click.option("--frame", type=click.Choice(["2015", "2021"]), default="2015", show_default=True,
              help="指标框架。")
@click.option("--password", default="", help="工作表保护密码（默认无密码）。")
@click.option("--force", is_flag=True, help="覆盖已存在的文件。")
def new_cmd(out: Path, year: int, unit: str, frame: str, password: str, force: bool) -> int:
    """新建空白工作簿 OUT（由模板生成，尚无项目）。"""
    _refuse_overwrite(out, force)
    settings = Settings(year=year, unit=unit, frame=frame, password=password)
    actions.new_workbook(out, settings).save(backup=False)
    _done(f"已新建 {out}（{year} 年度，{unit}）。用 xl-addin add-project 添加项目。")
    return EXIT_OK


@cli.command("import")
@click.argument("src", type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), required=True,
              help="生成的工作簿（.xlsx）。")
@click.option("--year", type=int, default=None,
              help="预算年度（默认取文档标题所写，或项目编码中的年份）。")
@click.option("--forms", "forms", type=click.Path(path_type=Path), default=None,
              help="表样词汇文件（TOML）：补充文档所用的标签，"
                   "格式同 xl_addin/forms/published.toml。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出导入说明。")
@click.option("--force", is_flag=True, help="覆盖已存在的输出文件。")
def import_cmd(src: Path, out: Path, year: int | None, forms: Path | None, as_json: bool,
               force: bool) -> int:
    """把公开的绩效目标文档（文本、Word、网页、PDF 或 Excel）导入为工作簿。"""
    from xl_addin.engines.guards import same_file

    if same_file(src, out):  # --force would replace the document being imported
        raise UserError(f"输出文件“{out}”就是要导入的文档本身，未作改动。"
                        "请用 -o 另指定一个文件名。")
    _refuse_overwrite(out, force)
    book, report = actions.import_with_report(src, out, year, forms)
    book.save(backup=False)
    if as_json:
        click.echo(json.dumps({"out": str(out), "report": report.to_dict()},
                              ensure_ascii=False, indent=2))
    else:
        for line in report.lines():
            click.echo(line, err=True)  # whole lines: a console would wrap mid-phrase
    _done(f"已导入 {len(report.projects)} 个项目到 {out}，导入说明见工作簿的“导入说明”表。")
    return EXIT_OK


@cli.command("add-project")
@click.argument("book_path", metavar="BOOK", type=click.Path(path_type=Path))
@click.option("--name", required=True, help="项目名称。")
@click.option("--code", default="", help="项目编码（21 位）。")
@click.option("--category", default="", help="项目类别。")
def add_project_cmd(book_path: Path, name: str, code: str, category: str) -> int:
    """在工作簿 BOOK 中新增一个项目表（原文件备份为 .bak）。"""
    with FileBook.for_update(book_path) as book:
        contents = read_model(book)
        project = Project(name=name.strip(), code=code.strip(), category=category.strip(),
                          unit_line=contents.model.settings.unit)
        if not project.name:
            raise UserError("项目名称不能为空，请用 --name 指定。")
        if any(p.name == project.name for p in contents.model.projects):
            raise UserError(f"工作簿中已有名为“{project.name}”的项目，请换一个名称。")
        require_known(workbook_library(book), project.category,
                      "请从中选一个，或不指定 --category（填充默认指标时按项目名称识别）。")
        sheet = actions.add_project(book, project)
        _save(book)
    _done(f"已新增项目表“{sheet}”。")
    return EXIT_OK


@cli.command("dump")
@click.argument("book_path", metavar="BOOK", type=click.Path(path_type=Path))
@click.option("--sheet", default=None, help="只输出这个项目表。")
def dump_cmd(book_path: Path, sheet: str | None) -> int:
    """以 JSON 输出工作簿的内容（设置、部门整体目标、各项目及其指标）。"""
    book = FileBook(book_path)
    if sheet is not None and sheet not in book.sheet_names():
        raise UserError(f"工作簿中没有名为“{sheet}”的工作表。")
    contents = read_model(book, only=sheet)
    click.echo(json.dumps(contents_dict(contents), ensure_ascii=False, indent=2))
    for problem in contents.problems:
        err.print(f"[red]✗[/red] {problem.message}")
    errors = any(p.severity == "error" for p in contents.problems)
    return EXIT_FINDINGS if errors else EXIT_OK


def _profile_for(book: FileBook, name: str | None) -> Profile:
    return load_profile(name or read_settings(book).frame or "2015")


@cli.command("fill")
@click.argument("book_path", metavar="BOOK", type=click.Path(path_type=Path))
@click.option("--sheet", default=None, help="只填充这个项目表。")
@click.option("--all", "all_sheets", is_flag=True, help="填充全部项目表（默认）。")
@click.option("--category", default=None,
              help="按这个类别填充（默认用表中的项目类别，未填则自动识别）。")
@click.option("--profile", "profile_name", default=None,
              help="指标框架 2015/2021（严格版 2015-strict/2021-strict）或规则文件路径。")
@click.option("-o", "--out", type=click.Path(path_type=Path), default=None,
              help="另存为（默认就地修改，原文件备份为 .bak）。")
@click.option("--force", is_flag=True, help="-o 所指的文件已存在时覆盖它。")
def fill_cmd(book_path: Path, sheet: str | None, all_sheets: bool, category: str | None,
             profile_name: str | None, out: Path | None, force: bool) -> int:
    """为项目表补齐缺少的默认指标行（不改动已填写的行）。"""
    if sheet and all_sheets:
        raise UserError("--sheet 与 --all 只能选一个。")
    _refuse_other_out(book_path, out, force)
    with FileBook.for_update(book_path, out) as book:
        results = fill_book(book, _profile_for(book, profile_name), sheet, category)
        added = sum(len(r.added) for r in results)
        if any(r.changed for r in results) or out is not None:
            _save(book)
    for r in results:
        if r.error:
            err.print(f"[red]✗[/red] {r.error}")
            continue
        if r.guessed:
            how = f"自动识别为“{r.category}”：{r.reason}"
        elif r.typed:
            how = f"类别“{r.typed}”，按{r.reason}选用“{r.category}”的指标"
        else:
            how = f"类别“{r.category}”"
        rows = "、".join(i.level3 for i in r.added) or "无需补充"
        err.print(f"{r.sheet}（{how}）：新增 {len(r.added)} 行 {rows}")
    hint = "请把蓝色单元格中的 N / X 换成本单位的数字。" if added else ""
    failed = [r.sheet for r in results if r.error]
    if failed:
        err.print(f"共新增 {added} 行指标。{hint}以下项目表未填充：{'、'.join(failed)}"
                  "（原因见上）。")
        return EXIT_FINDINGS
    _done(f"共新增 {added} 行指标。{hint}")
    return EXIT_OK


@cli.command("validate")
@click.argument("book_path", metavar="BOOK", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出 {valid, stats, findings}。")
@click.option("--write", is_flag=True,
              help="在工作簿中标记问题（红色错误、黄色警告、批注、校验结果表）。")
@click.option("-o", "--out", type=click.Path(path_type=Path), default=None,
              help="与 --write 一起用：标记后另存为（默认就地修改，原文件备份为 .bak）。")
@click.option("--profile", "profile_name", default=None,
              help="指标框架 2015/2021（严格版 2015-strict/2021-strict）或规则文件路径"
                   "（默认用工作簿“参数”表的设置）。")
@click.option("--sheet", default=None, help="只校验这个项目表。")
@click.option("--force", is_flag=True, help="-o 所指的文件已存在时覆盖它。")
def validate_cmd(book_path: Path, as_json: bool, write: bool, out: Path | None,
                 profile_name: str | None, sheet: str | None, force: bool) -> int:
    """校验工作簿：退出码 0 无错误，1 有错误，2 无法读取。"""
    if out is not None and not write:
        raise UserError("-o 只能与 --write 一起使用。")
    _refuse_other_out(book_path, out, force)
    opener = FileBook.for_update(book_path, out) if write else nullcontext(FileBook(book_path))
    with opener as book:
        if sheet is not None and sheet not in book.sheet_names():
            raise UserError(f"工作簿中没有名为“{sheet}”的工作表。")
        report = actions.validate_book(book, profile_name, sheet)
        if write:
            book.apply(mark_patch(book, report.findings, TYPE_TITLES, scope=sheet,
                                  accepted=report.accepted))
            _save(book)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        out_console = Console(highlight=False)
        report.print(out_console)
        # explained findings: a block of their own; into a file or a pipe on stderr, so
        # stdout holds the counted findings alone
        report.print_accepted(out_console if out_console.is_terminal else err)
        # into a file or a pipe, stdout holds the records alone; the count is for the eye
        if report.findings or not write:  # a clean --write says so below
            (out_console if out_console.is_terminal else err).print(report.summary())
    if write and report.findings:
        _done(f"已在 {out or book_path} 中标记问题，详见“校验结果”表。")
    elif write:
        scope = f"“{sheet}”表" if sheet else "工作簿中"
        _done(f"未发现问题，{scope}没有需要标记的单元格（“校验结果”表记下了本次校验的时间）。")
    return EXIT_OK if report.valid else EXIT_FINDINGS


@cli.command("clear-marks")
@click.argument("book_path", metavar="BOOK", type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), default=None,
              help="另存为（默认就地修改，原文件备份为 .bak）。")
@click.option("--force", is_flag=True, help="-o 所指的文件已存在时覆盖它。")
def clear_marks_cmd(book_path: Path, out: Path | None, force: bool) -> int:
    """清除校验标记（恢复单元格原有的底色与批注，删除“校验结果”表）。"""
    _refuse_other_out(book_path, out, force)
    with FileBook.for_update(book_path, out) as book:
        patch = clear_patch(book)
        if patch or out is not None:
            book.apply(patch)
            _save(book)
    _done("已清除校验标记。" if patch else "没有需要清除的校验标记。")
    return EXIT_OK


@cli.command("categories")
def categories_cmd() -> int:
    """列出项目类别及其默认指标行。"""
    library = load_library()
    for frame in ("2015", "2021"):
        click.echo(f"== 指标框架 {frame} ==")
        for name in library.categories():
            click.echo(f"【{name}】")
            for i in library.rows(name, frame):
                click.echo(f"  {i.level1} / {i.level2} / {i.level3}：{i.value}（{i.basis}）")
    return EXIT_OK
