"""Commands ``consolidate`` and ``submit``: thin layers over ``consolidate`` and ``submit``.

Registered on the ``cli`` group when ``cli`` loads this module, the first time one of its
commands runs (``cli._COMMANDS``).
"""

from __future__ import annotations

from pathlib import Path

import click

from xl_addin.actions.consolidate import consolidate_book
from xl_addin.actions.submit import NotValid, submit
from xl_addin.actions.summary import summary_columns
from xl_addin.actions.summary_csv import write_csv
from xl_addin.cli.app import _done, _refuse_other_out, _refuse_overwrite, _save, cli, err
from xl_addin.core.cellvalues import money_text
from xl_addin.core.errors import EXIT_OK, UserError
from xl_addin.engines.file import FileBook
from xl_addin.files.writable import check_output_folder
from xl_addin.rules.report import Report

#: how every summary CSV begins: the BOM and the summary's first three columns
EXPORT_HEAD = ("\ufeff" + ",".join(summary_columns("2015")[:3]) + ",").encode()


def _an_earlier_export(path: Path) -> bool:
    """Whether ``path`` is a summary CSV written before (it begins with the summary's
    own header): re-consolidating replaces its own export without ``--force``, but not
    another file that happens to have the name."""
    try:
        with path.open("rb") as f:
            head = f.read(64)
    except OSError:
        return False
    return head.startswith(EXPORT_HEAD)


@cli.command("consolidate")
@click.argument("book_path", metavar="BOOK", type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), default=None,
              help="另存为（默认就地修改，原文件备份为 .bak）。")
@click.option("--csv", "csv_path", type=click.Path(path_type=Path), default=None,
              help="同时把汇总表导出为 CSV（UTF-8，Excel 可直接打开）。")
@click.option("--force", is_flag=True, help="-o 或 --csv 所指的文件已存在时覆盖它。")
def consolidate_cmd(book_path: Path, out: Path | None, csv_path: Path | None,
                    force: bool) -> int:
    """重建“汇总”表：每个项目一行，合计行为公式，并记录汇总时间与内容指纹。"""
    target = out or book_path
    if csv_path is not None and csv_path.resolve() in {book_path.resolve(), target.resolve()}:
        raise UserError("--csv 的文件不能是工作簿本身，请换一个文件名（如 汇总.csv）。")
    _refuse_other_out(book_path, out, force)
    if csv_path is not None and not _an_earlier_export(csv_path):
        _refuse_overwrite(csv_path, force)
    with FileBook.for_update(book_path, out) as book:
        result = consolidate_book(book)
        _save(book)
    if csv_path is not None:
        write_csv(result.frame, csv_path)
        _done(f"已导出 {csv_path}。")
    sums = result.totals
    _done(f"已汇总 {len(result.frame)} 个项目到 {target} 的“汇总”表：预算数合计 "
          f"{money_text(sums['预算数'])} 万元，财政资金 {money_text(sums['财政资金'])} 万元，"
          f"其他资金 {money_text(sums['其他资金'])} 万元。")
    if result.remarked:
        _done("工作簿中的校验标记和“校验结果”表已按当前内容更新（已改正的单元格不再标记）。")
    return EXIT_OK


def _list_errors(report: Report) -> None:
    """One line per error, never wrapped: readable in any terminal width and in logs."""
    for f in report.findings:
        if f.severity == "error":
            err.print(f"  ✗ {f.place}：{f.message}", markup=False, soft_wrap=True)


@cli.command("submit")
@click.argument("book_path", metavar="BOOK", type=click.Path(path_type=Path))
@click.option("-o", "--out", "outdir", type=click.Path(path_type=Path), required=True,
              help="报送件输出的文件夹。")
@click.option("--force", is_flag=True, help="有错误也提交，并覆盖文件夹中已有的报送件。")
@click.option("--reconsolidate", is_flag=True,
              help="先重新汇总（就地更新工作簿的“汇总”表，原文件备份为 .bak）。")
def submit_cmd(book_path: Path, outdir: Path, force: bool, reconsolidate: bool) -> int:
    """一键提交：校验、核对汇总，生成报送用的 .xlsx（只含数值、全部保护）、PDF 和 Word 文档。"""
    check_output_folder(outdir)
    try:
        result = submit(book_path, outdir, force=force, reconsolidate=reconsolidate,
                        progress=lambda message: err.print(message, markup=False))
    except NotValid as exc:
        _list_errors(exc.report)
        raise
    if result.reconsolidated:
        _done(f"已重新汇总 {book_path}（原文件备份为 .bak）。")
    errors = result.report.stats["by_severity"]["error"]
    if errors:
        err.print(f"[yellow]注意：[/yellow]工作簿仍有 {errors} 个错误，已按 --force 提交。")
    if result.report.accepted:
        err.print(f"另有已说明 {len(result.report.accepted)} 条，不计入问题"
                  "（说明随报送件一起报送，财政局审核时可见）。", markup=False)
    if not result.was_consolidated:
        err.print("提示：工作簿此前未汇总，报送件中的“汇总”表为本次生成。")
    if result.removed:
        err.print(f"已从报送件中移除 {len(result.removed)} 项（原工作簿未改动）：", markup=False)
        for what in result.removed:
            err.print(f"  - {what}", markup=False, soft_wrap=True)
    for path in result.outputs.all():
        err.print(f"  {path}", markup=False)
    _done(f"已生成报送件（{len(result.outputs.all())} 个文件）到 {outdir}。")
    return EXIT_OK
