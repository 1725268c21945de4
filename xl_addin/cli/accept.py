"""Command ``accept``: mark a warning or info as explained (已说明), list and withdraw.

Registered on the ``cli`` group when ``cli`` loads this module, the first time the
command runs (``cli._COMMANDS``).
"""

from __future__ import annotations

from pathlib import Path

import click

from xl_addin.actions import accepting
from xl_addin.actions.marks import SEVERITY_LABELS
from xl_addin.cli.app import _done, _save, cli, err
from xl_addin.core.errors import EXIT_OK, UserError
from xl_addin.core.grid import a1, parse_a1
from xl_addin.engines.file import FileBook
from xl_addin.forms.book import is_ours


def _place(cell: str | None, sheet: str | None) -> tuple[str, str]:
    """``工作表!F11`` or ``F11`` with ``--sheet`` -> (sheet, 'F11')."""
    if not cell:
        raise UserError("请给出单元格，如 车辆保险费!G11（或 G11 加 --sheet 车辆保险费）。")
    if "!" in cell:
        named, cell = cell.rsplit("!", 1)
        named = named.strip().strip("'").replace("''", "'")
        if sheet is not None and sheet != named:
            raise UserError(f"单元格写的是工作表“{named}”，--sheet 却是“{sheet}”，请只写一个。")
        sheet = named
    rc = parse_a1(cell)
    if rc is None:
        raise UserError(f"“{cell}”不是单元格地址，请写成 G11 这样的形式。")
    if not sheet:
        raise UserError("请指明工作表：写成 车辆保险费!G11，或加 --sheet 车辆保险费。")
    return sheet, a1(*rc)


def _list(state: accepting.Standing) -> None:
    for a in state.split.accepted:
        f, s = a.finding, a.acceptance
        click.echo("\t".join([f.place, f.code, f"已说明（{SEVERITY_LABELS[f.severity]}）",
                              s.reason, s.by, s.when]))
    for s in state.split.stale:
        click.echo("\t".join([s.place, s.code, "已失效（单元格已改动或问题已不存在）",
                              s.reason, s.by, s.when]))
    n, stale = len(state.split.accepted), len(state.split.stale)
    if not n and not stale:
        err.print("工作簿中没有已说明的问题。")
    else:
        gone = (f"，已失效 {stale} 条（不再起作用；单元格改回原样时恢复，"
                f"不需要的可用 --remove 撤销）") if stale else ""
        err.print(f"已说明 {n} 条{gone}。")


@cli.command("accept")
@click.argument("book_path", metavar="BOOK", type=click.Path(path_type=Path))
@click.argument("code", required=False)
@click.argument("cell", required=False)
@click.option("--reason", default=None, help="说明理由（必填，标记时）。")
@click.option("--by", "by", default=None, help="说明人（默认为当前登录用户名）。")
@click.option("--sheet", default=None, help="单元格所在的工作表（CELL 未写“工作表!”时）。")
@click.option("--list", "as_list", is_flag=True, help="列出已说明的问题（及已失效的说明）。")
@click.option("--remove", is_flag=True, help="撤销 CODE 在 CELL 上的已说明。")
@click.option("--profile", "profile_name", default=None,
              help="指标框架 2015/2021 或规则文件路径（默认用工作簿“参数”表的设置）。")
def accept_cmd(book_path: Path, code: str | None, cell: str | None, reason: str | None,
               by: str | None, sheet: str | None, as_list: bool, remove: bool,
               profile_name: str | None) -> int:
    """把单元格 CELL 上规则 CODE 的警告或提示标记为已说明（写明理由），不再计入问题。

    CELL 写成 工作表!G11。单元格内容改动后说明失效，重新校验。
    """
    if as_list:
        if code or cell or remove or reason:
            raise UserError("--list 只列出已说明，"
                            "不能同时给出代码、单元格、--reason 或 --remove。")
        _list(accepting.standing(FileBook(book_path), profile_name))
        return EXIT_OK
    if not code:
        raise UserError("请给出规则代码和单元格，如 xl-addin accept BOOK V501 车辆保险费!G11 "
                        "--reason 理由；或用 --list 查看已说明。")
    where = _place(cell, sheet)
    if remove and reason:
        raise UserError("--remove 撤销已说明，不需要 --reason。")
    if not remove and (reason is None or not reason.strip()):
        raise UserError("请用 --reason 写明说明理由，"
                        "例如 --reason \"经财政局同意，沿用上年标准\"。")
    with FileBook.for_update(book_path) as book:
        if not is_ours(book):
            raise UserError("这个工作簿不是由本工具的模板生成的（缺少模板标记），未作改动。"
                            "请用 xl-addin new 新建工作簿，或用 xl-addin import 导入。")
        if where[0] not in book.sheet_names():
            raise UserError(f"工作簿中没有名为“{where[0]}”的工作表。")
        state = accepting.standing(book, profile_name)
        if remove:
            gone = accepting.withdraw(book, state, code, *where)
        else:
            new = accepting.accept(book, state, accepting.choose(state, *where, code),
                                   reason or "", by)
        _save(book)
    if remove:
        _done(f"已撤销 {gone.place} 上 {gone.code} 的已说明；重新校验时它将再计入问题。")
    else:
        a = new[0]
        _done(f"已把 {a.place} 上的 {a.code} 标记为已说明：{a.reason}。")
    return EXIT_OK
