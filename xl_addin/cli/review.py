"""Command ``review``: a folder of units' workbooks checked and summed for a finance bureau.

Registered on the ``cli`` group when ``cli`` loads this module, the first time one of its
commands runs (``cli._COMMANDS``).
Exit codes: 0 every file is ok (warnings allowed); 1 some file has errors or could not
be read; 2 the input is unusable (no such folder, no workbook in it, a bad profile, an
output that already exists, a ``--previous`` folder that is DIR, missing or empty).
``--previous`` reviews last year's folder first and compares (``previous``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from xl_addin.actions.previous import MONEY, PROJECT, UNIT, UNREADABLE, WEAKER, Comparison, compare
from xl_addin.actions.previous import comparison_dict as previous_dict
from xl_addin.actions.review import (
    STATUS_ERRORS,
    STATUS_OK,
    STATUS_UNREADABLE,
    District,
    FileReview,
    Task,
    dask_executor,
    find_workbooks,
    review_batch,
    review_on_pools,
    review_paths,
    unread_folder,
)
from xl_addin.actions.review_book import ReviewBook, table_dicts
from xl_addin.cli.app import _done, _refuse_overwrite, cli, err
from xl_addin.core.cellvalues import money_text
from xl_addin.core.errors import EXIT_FINDINGS, EXIT_OK, UserError
from xl_addin.rules.profiles import Profile
from xl_addin.rules.profiles import load as load_profile


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

    def finish(self, district: District, previous: Comparison | None = None) -> None:
        for review, f in district.duplicates:
            self.add(replace(review, findings=[f]))
        more = {"previous": previous_dict(previous)} if previous is not None else {}
        rest = json.dumps({"accepted": self.accepted, **table_dicts(district), **more},
                          ensure_ascii=False, indent=2)
        click.echo("\n],\n" + rest[1:].lstrip("\n"))


def _reviews(paths: list[Path], folder: Path, scheduler: str | None, jobs: int | None,
             profile: Profile | None, task: Task = review_batch) -> Iterator[FileReview]:
    """The files' reviews in order: on local process pools (a file that crashes a worker
    becomes a status row), or on a dask cluster."""
    if scheduler is None:
        yield from review_on_pools(paths, folder, jobs, profile=profile, task=task)
        return
    if jobs is not None:
        raise UserError("--jobs 与 --scheduler 只能选一个："
                        "使用集群时，并行数由集群的工作进程决定。")
    with dask_executor(scheduler) as (executor, window):
        yield from review_paths(paths, folder, executor, profile=profile, window=window,
                                task=task)


def _progress() -> Progress:
    """A progress bar on stderr that leaves stdout (the JSON) alone."""
    return Progress(TextColumn("{task.fields[what]}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TextColumn("{task.description}"),
                    console=err, redirect_stdout=False, redirect_stderr=False)


def _previous_paths(previous: Path, folder: Path, out: Path | None,
                    unread: list[OSError]) -> list[Path]:
    """Last year's workbooks (its sub-folders that cannot be read go to ``unread``); a
    folder that is this year's own, missing or empty is the user's mistake, said before
    anything is reviewed."""
    if previous.resolve() == folder.resolve():
        raise UserError(f"--previous 指定的上年文件夹“{previous}”就是本年要审核的文件夹。"
                        "请指定上一年度各单位报送的工作簿所在的文件夹。")
    try:
        return find_workbooks(previous, exclude=[out] if out is not None else [],
                              unread=unread)
    except UserError as exc:
        raise UserError(f"上年文件夹（--previous）：{exc.message}") from exc


def _review_previous(paths: list[Path], unread: list[OSError], previous: Path,
                     scheduler: str | None, jobs: int | None, profile: Profile | None,
                     progress: Progress) -> District:
    """Last year's folder reviewed as this year's is; only what the comparison needs is
    kept (``District`` drops the findings)."""
    district = District()
    task = progress.add_task("", total=len(paths), what="审核上年工作簿")
    for review in _reviews(paths, previous, scheduler, jobs, profile,
                           partial(review_batch, facts=True)):
        district.add(review)
        progress.update(task, advance=1, description=review.file)
    for exc in unread:
        district.add(unread_folder(exc, previous))
    district.finish()
    return district


def _report_previous(comparison: Comparison) -> None:
    """A few lines on the terminal; the rows are in 与上年对照 and under ``previous``."""
    counts = comparison.counts()
    for f in comparison.unreadable:
        err.print(f"  ✗ 上年 {f.file}：{f.reason}", markup=False, soft_wrap=True)
    weaker = [c for c in comparison.changes if c.kind == WEAKER]
    dropped = sum(c.change == "删除" for c in weaker)
    vague = sum(c.change == "变含糊" for c in weaker)
    projects = [c for c in comparison.changes if c.kind == PROJECT]
    added = sum(c.change == "新增" for c in projects)
    err.print(f"与上年对照（{comparison.folder}，{comparison.files} 个文件）："
              f"目标弱化 {len(weaker)} 项（标准降低 {len(weaker) - dropped - vague} 项、"
              f"变含糊 {vague} 项、指标删除 {dropped} 项），资金变化 {counts[MONEY]} 项，"
              f"新增项目 {added} 个、减少项目 {len(projects) - added} 个，"
              f"单位增减 {counts[UNIT]} 个，上年无法读取的文件 {counts[UNREADABLE]} 个"
              "（标准降低只比较同一计量单位的 ≥、≤ 目标）。",
              markup=False, soft_wrap=True)


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
              help="审核结果工作簿（.xlsx）：全区汇总、问题清单、已说明、单位状态"
                   "（加 --previous 时另有与上年对照）。")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="并行的进程数（默认为 CPU 核数）。")
@click.option("--json", "as_json", is_flag=True,
              help="同时以 JSON 输出到屏幕（findings、summary、units、total、status；"
                   "加 --previous 时另有 previous）。")
@click.option("--profile", "profile_name", default=None,
              help="指标框架 2015/2021（严格版 2015-strict/2021-strict）或规则文件路径"
                   "（默认用各工作簿“参数”表的设置）。")
@click.option("--scheduler", default=None,
              help="dask.distributed 调度器地址（如 tcp://10.0.0.5:8786），在集群上审核。")
@click.option("--previous", type=click.Path(path_type=Path), default=None,
              help="上年各单位工作簿所在的文件夹：同样审核后与本年对照（目标弱化、资金变化、"
                   "项目增减），写入“与上年对照”表和 JSON 的 previous。")
@click.option("--force", is_flag=True, help="覆盖已存在的输出文件。")
def review_cmd(folder: Path, out: Path | None, jobs: int | None, as_json: bool,
               profile_name: str | None, scheduler: str | None, previous: Path | None,
               force: bool) -> int:
    """审核文件夹 DIR 中（含子文件夹）各单位的工作簿：校验、汇总，并列出无法读取的文件。

    加 --previous 上年文件夹 时，同样审核上年的工作簿并与本年对照：目标弱化（排在最前）、
    资金变化、项目和单位的增减。

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
    last_unread: list[OSError] = []
    last_paths = ([] if previous is None
                  else _previous_paths(previous, folder, out, last_unread))
    district = District()
    with _progress() as progress:
        # last year's first: nothing is on stdout yet if its review cannot finish
        last_year = (None if previous is None else
                     _review_previous(last_paths, last_unread, previous, scheduler, jobs,
                                      profile, progress))
        book = ReviewBook(out) if out is not None else None
        json_out = _JsonOut() if as_json else None
        work = review_batch if previous is None else partial(review_batch, facts=True)
        task = progress.add_task("", total=len(paths), what="审核工作簿")
        for review in _reviews(paths, folder, scheduler, jobs, profile, work):
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
    comparison = None if last_year is None else compare(last_year, district, str(previous))
    if json_out is not None:
        json_out.finish(district, comparison)
    if book is not None:
        book.save(district, comparison)
    if comparison is not None:
        _report_previous(comparison)
    _report(district, out)
    return EXIT_OK if district.all_ok else EXIT_FINDINGS
