"""``xl-addin release-check --excel``: the step before a release, run by a person with
Excel on Windows (see ``addin.release_check``)."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import click

from xl_addin.cli.app import _done, cli
from xl_addin.core.errors import EXIT_FINDINGS, EXIT_OK, UserError


@cli.command("release-check")
@click.option("--excel", "excel", is_flag=True, required=True,
              help="在本机的桌面版 Excel 中检查（仅限 Windows）。")
@click.option("--addin", type=click.Path(path_type=Path),
              default=Path("dist") / "xl_addin.xlam", show_default=True,
              help="要检查的加载项（xl-addin build-addin 生成）。")
@click.option("--book", type=click.Path(path_type=Path),
              default=Path("out") / "seed.xlsx", show_default=True,
              help="用作检查的工作簿（默认为主任务导入的样例；检查在它的副本上进行）。")
@click.option("--via-vba", is_flag=True,
              help="像点击按钮一样经加载项的 VBA 启动 Python（每个提示框需检查人点“确定”）；"
                   "默认在本进程中调用同一个按钮处理程序。")
@click.option("-o", "--out", type=click.Path(path_type=Path),
              default=Path("release-check.md"), show_default=True,
              help="检查报告（Markdown，旁边另存一份 JSON）。")
def release_check_cmd(excel: bool, addin: Path, book: Path, via_vba: bool, out: Path) -> int:
    """发布前检查：在桌面版 Excel 中加载加载项，在样例工作簿的副本上逐个按下各按钮，写出检查报告。

    退出码：0 全部通过；1 有未通过的检查；2 无法检查（不是 Windows、没有 Excel、文件不存在）。
    """
    if sys.platform != "win32":
        raise UserError("发布检查需要装有桌面版 Excel 的 Windows 电脑；本机不是 Windows。"
                        "在本机可以运行测试（bash scripts/test.sh），其中用 xlwings 的远程引擎"
                        "做了同样的按钮检查。")
    for path, what in ((addin, "加载项"), (book, "工作簿")):
        if not path.is_file():
            raise UserError(f"找不到{what}“{path}”。请先运行 xl-addin build-addin"
                            "（加载项）或 bash scripts/main-job.sh（样例工作簿）。")
    from xl_addin.addin.release_check import DesktopExcel, run_buttons, write_report

    with tempfile.TemporaryDirectory(prefix="xl-addin-check-") as folder:
        copy = Path(folder) / book.name
        shutil.copy2(book, copy)
        excel_ = DesktopExcel(addin, copy, via_vba=via_vba)
        try:
            outcomes = excel_.addin_checks() + run_buttons(excel_)
        finally:
            excel_.close()
    write_report(outcomes, out)
    failed = [o for o in outcomes if not o.ok]
    _done(f"发布检查完成：{len(outcomes) - len(failed)} / {len(outcomes)} 项通过，报告见 {out}。")
    return EXIT_FINDINGS if failed else EXIT_OK
