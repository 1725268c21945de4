"""Commands for the Excel add-in: ``build-addin`` and ``install`` (registered on ``cli``)."""

from __future__ import annotations

from pathlib import Path

import click

from .cli import _done, cli
from .errors import EXIT_OK


@cli.command("build-addin")
@click.option("-o", "--outdir", type=click.Path(path_type=Path), default=Path("dist"),
              show_default=True, help="输出文件夹（生成 xl_addin.xlam）。")
@click.option("--via-excel", is_flag=True,
              help="由 Excel 导入 VBA 模块生成（仅限装有 Excel 的 Windows）；默认用 LibreOffice。")
def build_addin_cmd(outdir: Path, via_excel: bool) -> int:
    """生成 Excel 加载项 xl_addin.xlam（“绩效目标”选项卡）。"""
    from .addin.build import build_addin, build_via_excel

    target = build_via_excel(outdir) if via_excel else build_addin(outdir)
    _done(f"已生成加载项 {target}。")
    return EXIT_OK


@cli.command("install")
@click.argument("addin", required=False, type=click.Path(path_type=Path),
                default=Path("dist") / "xl_addin.xlam")
def install_cmd(addin: Path) -> int:
    """把加载项 ADDIN（默认 dist/xl_addin.xlam）安装到 Excel 启动文件夹（仅限 Windows）。"""
    from .addin.build import install

    target = install(addin)
    _done(f"已安装到 {target}。请重新启动 Excel，功能区中会出现“绩效目标”选项卡。")
    return EXIT_OK
