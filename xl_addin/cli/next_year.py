"""Commands of 复制上年: next-year (next year's workbook from this year's) and
drop-project (projects that do not continue, named or ticked 否 on 续建项目,
removed without a trace).

Loaded by ``cli`` only when one of them runs (see ``cli._COMMANDS``).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from xl_addin.actions.next_year import SHEET, drop_projects, next_year_book
from xl_addin.actions.next_year import unticked as unticked_sheets
from xl_addin.cli.app import _done, _refuse_overwrite, _save, cli
from xl_addin.core.errors import EXIT_OK, UserError
from xl_addin.engines.file import FileBook
from xl_addin.engines.guards import same_file
from xl_addin.forms.names import CHOICE_SHEET


@cli.command("next-year")
@click.argument("book_path", metavar="BOOK", type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), required=True,
              help="新年度的工作簿（.xlsx）。")
@click.option("--year", type=int, default=None,
              help="新工作簿的预算年度（默认为 BOOK 的预算年度加 1）。")
@click.option("--only", "only", multiple=True,
              help="只带入这些项目（名称或项目编码，用逗号分隔，可重复）。")
@click.option("--drop", "drop", multiple=True,
              help="不带入这些项目（名称或项目编码，用逗号分隔，可重复）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出上年对照。")
@click.option("--force", is_flag=True, help="覆盖已存在的输出文件。")
def next_year_cmd(book_path: Path, out: Path, year: int | None, only: tuple[str, ...],
                  drop: tuple[str, ...], as_json: bool, force: bool) -> int:
    """复制上年：由 BOOK 生成新年度的工作簿（BOOK 不会被改动）。"""
    if same_file(book_path, out):
        raise UserError(f"输出文件“{out}”就是上年的工作簿本身，未作改动。"
                        "请用 -o 另指定一个文件名。")
    _refuse_overwrite(out, force)
    book, result = next_year_book(FileBook(book_path), out, year, only, drop, str(book_path))
    book.save(backup=False)
    if as_json:
        click.echo(json.dumps({"out": str(out), **result.to_dict()}, ensure_ascii=False, indent=2))
    else:
        for line in result.lines():
            click.echo(line, err=True)
    _done(f"已生成 {result.year} 年度工作簿 {out}（{len(result.projects)} 个项目），"
          f"改动见“{SHEET}”表。请填写预算数与资金支出计划，核对浅紫色单元格，再校验。")
    return EXIT_OK


@cli.command("drop-project")
@click.argument("book_path", metavar="BOOK", type=click.Path(path_type=Path))
@click.argument("projects", metavar="[PROJECT]...", nargs=-1)
@click.option("--unticked", is_flag=True,
              help=f"删除“{CHOICE_SHEET}”表中“续建”为“否”的全部项目。")
def drop_project_cmd(book_path: Path, projects: tuple[str, ...], unticked: bool) -> int:
    """删除项目 PROJECT（名称、项目编码或表名，可写多个；或 --unticked：续建项目表中
    选“否”的项目）及其在上年对照、续建项目、汇总、校验结果中的内容（原文件备份为 .bak）。"""
    if not projects and not unticked:
        raise UserError("请写出要删除的项目（名称、项目编码或表名），"
                        f"或加 --unticked 删除“{CHOICE_SHEET}”表中“续建”为“否”的项目。")
    with FileBook.for_update(book_path) as book:
        which = [*projects, *(unticked_sheets(book) if unticked else [])]
        if not which:
            _done(f"“{CHOICE_SHEET}”表中没有“续建”为“否”的项目，{book_path} 未作改动。")
            return EXIT_OK
        sheets = drop_projects(book, which)
        _save(book)
    _done(f"已从 {book_path} 中删除项目表“{'”“'.join(sheets)}”及其在上年对照、续建项目、"
          "汇总、校验结果中的内容（原文件备份为 .bak）。")
    return EXIT_OK
