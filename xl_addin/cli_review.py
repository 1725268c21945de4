"""Command ``review``: a folder of units' workbooks checked and summed for a finance bureau.

Registered on the ``cli`` group when ``cli`` loads this module, the first time one of its
commands runs (``cli._COMMANDS``).
Exit codes: 0 every file is ok (warnings allowed); 1 some file has errors or could not
be read; 2 the input is unusable (no such folder, no workbook in it, a bad profile, an
output that already exists).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .cellvalues import money_text
from .cli import _done, _refuse_overwrite, cli, err
from .errors import EXIT_FINDINGS, EXIT_OK, UserError
from .exporters.review_book import ReviewBook, table_dicts
from .profiles import Profile
from .profiles import load as load_profile
from .review import (
    STATUS_ERRORS,
    STATUS_OK,
    STATUS_UNREADABLE,
    District,
    FileReview,
    dask_executor,
    find_workbooks,
    review_on_pools,
    review_paths,
    unread_folder,
)


class _JsonOut:
    """The review as one JSON object on stdout, findings first and as they arrive, so
    the findings of hundreds of workbooks are never all in memory."""

    def __init__(self) -> None:
        self.first = True
        self.accepted: list[dict[str, str]] = []
        click.echo('{"findings": [', nl=False)

    def add(self, review: FileReview) -> None:
        for f in review.findings:
            item = {"unit": review.unit, "file": review.file, **f.to_dict()}
            lead = "\n  " if self.first else ",\n  "
            click.echo(lead + json.dumps(item, ensure_ascii=False), nl=False)
            self.first = False
        # explained findings are few: kept for their own key at the end
        self.accepted += [{"unit": review.unit, "file": review.file, **a.to_dict()}
                          for a in review.accepted]

    def finish(self, district: District) -> None:
        for review, f in district.duplicates:
            self.add(replace(review, findings=[f]))
        rest = json.dumps({"accepted": self.accepted, **table_dicts(district)},
                          ensure_ascii=False, indent=2)
        click.echo("\n],\n" + rest[1:].lstrip("\n"))


def _reviews(paths: list[Path], folder: Path, scheduler: str | None, jobs: int | None,
             profile: Profile | None) -> Iterator[FileReview]:
    """The files' reviews in order: on local process pools (a file that crashes a worker
    becomes a status row), or on a dask cluster."""
    if scheduler is None:
        yield from review_on_pools(paths, folder, jobs, profile=profile)
        return
    if jobs is not None:
        raise UserError("--jobs 与 --scheduler 只能选一个："
                        "使用集群时，并行数由集群的工作进程决定。")
    with dask_executor(scheduler) as (executor, window):
        yield from review_paths(paths, folder, executor, profile=profile, window=window)


def _progress() -> Progress:
    """A progress bar on stderr that leaves stdout (the JSON) alone."""
    return Progress(TextColumn("审核工作簿"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TextColumn("{task.description}"),
                    console=err, redirect_stdout=False, redirect_stderr=False)


def _report(district: District, out: Path | None) -> None:
    counts = district.counts()
    total = district.total()
    projects = sum(len(f.rows) for f in district.files) - len(district.uncounted)
    for f in district.files:
        if f.status == STATUS_UNREADABLE:
            err.print(f"  ✗ {f.file}：{f.reason}", markup=False, soft_wrap=True)
    if district.duplicates:
        files = "、".join(dict.fromkeys(f"“{r.file}”" for r, _ in district.duplicates))
        err.print(f"  ! {len(district.duplicates)} 个项目的编码在两个文件中都有，已只计一次"
                  f"（按较新的文件计）；未计入的在 {files} 中，见问题清单。",
                  markup=False, soft_wrap=True)
    where = f"结果已写入 {out}。" if out is not None else ""
    budget = f"，预算数合计 {money_text(total['预算数'])} 万元" if "预算数" in total else ""
    _done(f"已审核 {len(district.files)} 个文件：{STATUS_OK} {counts[STATUS_OK]} 个，"
          f"{STATUS_ERRORS} {counts[STATUS_ERRORS]} 个，{STATUS_UNREADABLE} "
          f"{counts[STATUS_UNREADABLE]} 个；{len(district.units())} 个单位、{projects} 个项目"
          f"{budget}。{where}")


@cli.command("review")
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), default=None,
              help="审核结果工作簿（.xlsx）：全区汇总、问题清单、单位状态。")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="并行的进程数（默认为 CPU 核数）。")
@click.option("--json", "as_json", is_flag=True,
              help="同时以 JSON 输出到屏幕（findings、summary、units、total、status）。")
@click.option("--profile", "profile_name", default=None,
              help="指标框架 2015/2021（严格版 2015-strict/2021-strict）或规则文件路径"
                   "（默认用各工作簿“参数”表的设置）。")
@click.option("--scheduler", default=None,
              help="dask.distributed 调度器地址（如 tcp://10.0.0.5:8786），在集群上审核。")
@click.option("--force", is_flag=True, help="覆盖已存在的输出文件。")
def review_cmd(folder: Path, out: Path | None, jobs: int | None, as_json: bool,
               profile_name: str | None, scheduler: str | None, force: bool) -> int:
    """审核文件夹 DIR 中（含子文件夹）各单位的工作簿：校验、汇总，并列出无法读取的文件。

    退出码：0 全部通过；1 有文件有错误或无法读取；2 输入无法使用。
    """
    if out is None and not as_json:
        raise UserError("请用 -o 指定审核结果工作簿（如 -o review.xlsx），或加 --json 输出到屏幕。")
    if out is not None:
        if out.suffix.lower() != ".xlsx":
            raise UserError(f"审核结果只能保存为 .xlsx 文件，“{out.name}”不是。")
        _refuse_overwrite(out, force)
    profile = load_profile(profile_name) if profile_name else None
    unread: list[OSError] = []
    paths = find_workbooks(folder, exclude=[out] if out is not None else [], unread=unread)
    district = District()
    book = ReviewBook(out) if out is not None else None
    json_out = _JsonOut() if as_json else None
    with _progress() as progress:
        task = progress.add_task("", total=len(paths))
        for review in _reviews(paths, folder, scheduler, jobs, profile):
            district.add(review)
            if book is not None:
                book.add(review)
            if json_out is not None:
                json_out.add(review)
            progress.update(task, advance=1, description=review.file)
    for review in (unread_folder(exc, folder) for exc in unread):
        district.add(review)
        if book is not None:
            book.add(review)
        if json_out is not None:
            json_out.add(review)
    district.finish()
    if json_out is not None:
        json_out.finish(district)
    if book is not None:
        book.save(district)
    _report(district, out)
    return EXIT_OK if district.all_ok else EXIT_FINDINGS
