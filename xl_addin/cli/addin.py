"""Commands for the Excel add-in: ``build-addin`` and ``install`` (registered on ``cli``)."""

from __future__ import annotations

from pathlib import Path

import click

from xl_addin.cli.app import _done, cli, err
from xl_addin.core.errors import EXIT_OK

#: what ``build-addin`` says about the add-in it made: its settings name plain ``python``
NOT_INSTALLED = ("请用 xl-addin install 安装它：该命令把本机 Python 的完整路径写入加载项设置。"
                 "直接使用生成的文件时，按钮启动的是 PATH 中排在最前的 python——"
                 "只有它正是装有 xl-addin 的 Python 时才能工作；若 PATH 中没有 Python，"
                 "Windows 的“应用执行别名”会打开 Microsoft Store，按钮没有任何效果。")


@cli.command("build-addin")
@click.option("-o", "--outdir", type=click.Path(path_type=Path), default=Path("dist"),
              show_default=True, help="输出文件夹（生成 xl_addin.xlam）。")
@click.option("--via-excel", is_flag=True,
              help="由 Excel 导入 VBA 模块生成（仅限装有 Excel 的 Windows）；默认用 LibreOffice。")
def build_addin_cmd(outdir: Path, via_excel: bool) -> int:
    """生成 Excel 加载项 xl_addin.xlam（“绩效目标”选项卡）。"""
    from xl_addin.addin.build import build_addin, build_via_excel
    from xl_addin.files.writable import check_output_folder

    check_output_folder(outdir)
    target = build_via_excel(outdir) if via_excel else build_addin(outdir)
    _done(f"已生成加载项 {target}。")
    err.print(NOT_INSTALLED)
    return EXIT_OK


@cli.command("install")
@click.argument("addin", required=False, type=click.Path(path_type=Path),
                default=Path("dist") / "xl_addin.xlam")
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path),
              help="安装到这个文件夹（默认：Excel 启动文件夹 %APPDATA%\\Microsoft\\Excel\\XLSTART，"
                   "仅限 Windows）。")
@click.option("--python", "python",
              help="写入加载项设置的 Python（默认：运行本命令的 Python，有 pythonw.exe 时用它）。")
def install_cmd(addin: Path, folder: Path | None, python: str | None) -> int:
    """安装加载项 ADDIN（默认 dist/xl_addin.xlam），写入本机 Python 的完整路径。

    复制到 Excel 启动文件夹，并把运行本命令的 Python 写入加载项设置（INTERPRETER_WIN）。
    """
    from xl_addin.addin.build import install

    target = install(addin, folder, python)
    _done(f"已安装到 {target}，加载项将启动 {installed_interpreter(target)}。"
          "请重新启动 Excel，功能区中会出现“绩效目标”选项卡。")
    return EXIT_OK


def installed_interpreter(addin: Path) -> str:
    """The interpreter the installed add-in's settings name (read back, not assumed)."""
    from xl_addin.addin.parts import read_conf

    return read_conf(addin.read_bytes()).get("INTERPRETER_WIN", "")
