"""Batch review for a finance bureau: every unit's workbook in a folder, checked and summed.

A district bureau receives one workbook from each unit and must check them all and add
them up.  The shape of this module follows from that:

- Files come from strangers, so each is read through ``CalamineBook`` (values only: no
  macros run, no styles parsed, nothing written) behind the same archive guards as every
  command, and a file that cannot be read becomes a status row with the reason; it never
  ends the run.
- The work is spread over processes by any ``concurrent.futures.Executor``: a process
  pool by default, a dask.distributed cluster's executor for bureaus that outgrow one
  machine.  The per-file worker ``review_file`` runs a few files to a task
  (``review_batch``, a top-level function, so it pickles).
- Results stream back one ``FileReview`` per file, in file order, with at most
  ``window`` files in flight, so the findings in memory are bounded by the window, not
  by the folder.  ``District`` keeps only what the output needs once all files are in:
  each file's summary rows and status, a few kilobytes; findings go straight to the
  output as they arrive.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal, localcontext
from itertools import islice
from operator import attrgetter
from pathlib import Path
from typing import Any

from xl_addin.actions.summary import (
    CODE_COLUMN,
    LINK_COLUMN,
    MONEY_COLUMNS,
    NAME_COLUMN,
    SHEET_COLUMN,
    counts_from_findings,
    row_totals,
    summary_rows,
)
from xl_addin.core.errors import UserError, os_cause
from xl_addin.core.findings import TYPE_TITLES, Finding
from xl_addin.core.model import WorkbookModel
from xl_addin.core.numbers import arithmetic
from xl_addin.engines.calamine import CalamineBook
from xl_addin.engines.guards import SUFFIXES
from xl_addin.files.atomic import STAGING_PREFIX
from xl_addin.forms.acceptances import Accepted, errors_allowed, split
from xl_addin.forms.book import read_model
from xl_addin.rules import validate
from xl_addin.rules.profiles import Profile
from xl_addin.rules.profiles import load as load_profile

STATUS_OK, STATUS_ERRORS, STATUS_UNREADABLE = "ok", "有错误", "无法读取"
STATUSES = (STATUS_OK, STATUS_ERRORS, STATUS_UNREADABLE)
UNIT, FILE = "单位", "文件"
#: the sheets of the review workbook itself (``actions.review_book``)
REVIEW_SHEETS = ["全区汇总", "问题清单", "已说明", "单位状态"]
#: the sheets of a review workbook written before 已说明 was listed
OLD_REVIEW_SHEETS = ["全区汇总", "问题清单", "单位状态"]
#: the sheet ``review --previous`` adds at the end
PREVIOUS_SHEET = "与上年对照"
_RESULT_SHEETS = (REVIEW_SHEETS, OLD_REVIEW_SHEETS, [*REVIEW_SHEETS, PREVIOUS_SHEET])

Sums = dict[str, Decimal | int]


@dataclass
class FileReview:
    """What one workbook contributes to the review: small enough to send between processes.

    ``rows`` are the workbook's summary rows (consolidate's columns, money as exact
    ``Decimal``), ``totals`` their column sums, ``findings`` in report order.
    """

    file: str  # relative to the reviewed folder, with forward slashes
    unit: str
    status: str
    reason: str = ""
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    rows: list[dict[str, object]] = field(default_factory=list)
    totals: Sums = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    modified: float = 0.0  # the file's modification time: the newest of two copies counts
    #: findings the unit explained (已说明): listed with the reason, not counted
    accepted: list[Accepted] = field(default_factory=list)
    #: each project's money and targets, for the comparison with last year
    #: (``review --previous``); empty unless asked for, so a plain review sends no more
    facts: list[ProjectFacts] = field(default_factory=list)

    def __getstate__(self) -> dict[str, Any]:
        """Findings travel between processes as plain tuples: unpickling two hundred
        objects a file took the parent process a third of a millisecond, and it shares
        the CPUs with the workers."""
        state = dict(self.__dict__)
        state["findings"] = [_finding_fields(f) for f in self.findings]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state["findings"] = [Finding(*values) for values in state["findings"]]
        self.__dict__.update(state)


@dataclass(frozen=True)
class ProjectFacts:
    """What the comparison with last year reads of one project (``previous``): small,
    plain values that pickle cheaply.  ``targets`` are (三级指标, 指标值) in sheet order."""

    sheet: str
    code: str
    name: str
    money: dict[str, Decimal | None]
    targets: tuple[tuple[str, str], ...]


def project_facts(model: WorkbookModel) -> list[ProjectFacts]:
    """The facts of every project of ``model``, in sheet order."""
    return [ProjectFacts(p.sheet, p.code.strip(), p.name.strip(),
                         {col: getattr(p, key) for key, col in MONEY_COLUMNS.items()},
                         tuple((i.level3.strip(), i.value) for i in p.indicators
                               if i.level3.strip()))
            for p in model.projects]


_finding_fields = attrgetter(*(f.name for f in fields(Finding)))


# --- which files ----------------------------------------------------------------------


def is_candidate(path: Path) -> bool:
    """A workbook to review: .xlsx/.xlsm, and not a file Office, LibreOffice or this tool
    leaves beside one (``~$book.xlsx`` owner files, ``.~lock.book.xlsx#`` locks, our
    ``.~book.xlsx.*.tmp`` temporaries and write locks; ``*.bak`` backups end otherwise)."""
    return not path.name.startswith(("~$", ".~")) and path.suffix.lower() in SUFFIXES


def _walk(folder: Path, unread: list[OSError] | None = None) -> Iterator[Path]:
    """Every file under ``folder`` (symlinked folders not followed), leaving out the
    staging folders ``submit`` works in: their copies are not a unit's workbooks.  A
    folder named like a workbook (``x.xlsx``) is listed too, so that the review reports
    it as unreadable rather than passing over what a unit may have meant to send.  A
    sub-folder that cannot be read goes into ``unread`` (os.walk would pass over it in
    silence, and its workbooks would be missing from the district's sums unsaid)."""
    for dirpath, dirs, names in os.walk(folder, onerror=None if unread is None
                                        else unread.append):
        dirs[:] = [d for d in dirs if not d.startswith(STAGING_PREFIX)]
        yield from (Path(dirpath) / name for name in names)
        yield from (Path(dirpath) / name for name in dirs if is_candidate(Path(name)))


def find_workbooks(folder: Path, exclude: Collection[Path] = (),
                   unread: list[OSError] | None = None) -> list[Path]:
    """Every candidate workbook under ``folder`` (recursively), sorted by relative path
    so every run and every executor agree; the folders that could not be read are added
    to ``unread`` when it is given."""
    if not folder.exists():
        raise UserError(f"找不到文件夹“{folder}”。请检查路径是否正确。")
    if not folder.is_dir():
        raise UserError(f"“{folder}”不是文件夹。review 审核的是一个文件夹中的全部工作簿。")
    skip = {p.resolve() for p in exclude}
    found = [path for path in _walk(folder, unread)
             if is_candidate(path) and path.resolve() not in skip]
    if not found:
        raise UserError(f"文件夹“{folder}”（含子文件夹）中没有 .xlsx 或 .xlsm 工作簿。")
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def _relative(path: str | Path, root: str | Path) -> str:
    """A file as the review names it: relative to the folder, with forward slashes."""
    return Path(os.path.relpath(path, root)).as_posix()


# --- one file (runs in a worker process) ------------------------------------------------


def unit_name(model: WorkbookModel, path: Path) -> str:
    """The unit a workbook belongs to: its 参数 sheet's 单位名称, else the 单位 line most
    of its project sheets carry, else the file name."""
    if model.settings.unit.strip():
        return model.settings.unit.strip()
    lines = Counter(p.unit_line.strip() for p in model.projects if p.unit_line.strip())
    return lines.most_common(1)[0][0] if lines else path.stem


def _error_digest(findings: list[Finding]) -> str:
    """The most frequent kinds of error, for the status sheet's 原因 column."""
    kinds = Counter(TYPE_TITLES.get(f.type, f.type) for f in findings if f.severity == "error")
    shown = "，".join(f"{kind} {n}" for kind, n in kinds.most_common(3))
    return shown + ("等" if len(kinds) > 3 else "")


def unread_folder(exc: OSError, root: Path) -> FileReview:
    """A status row for a sub-folder the walk could not read: its workbooks are missing
    from the sums, and the finance bureau must see that in review.xlsx too."""
    folder = Path(os.fsdecode(exc.filename))
    return _unreadable(_relative(folder, root) + "/", folder.name,
                       f"文件夹“{folder}”无法读取：{os_cause(exc)}；其中的工作簿未审核。")


def _unreadable(rel: str, unit: str, reason: str) -> FileReview:
    return FileReview(rel, unit, STATUS_UNREADABLE, reason)


def review_file(path: str, root: str, profile: Profile | None = None, *,
                reuse: bool = True, facts: bool = False) -> FileReview:
    """Read, validate and summarise one workbook; never raises for a bad file.

    ``reuse``: see ``rules.validate`` (verdicts on rows this process judged before; off
    only to measure what that saves).  ``facts``: keep each project's money and targets
    too (``FileReview.facts``), for ``review --previous``.

    Top-level so every executor can pickle it.  The model is read once and both
    validated and summarised from that one reading (``actions.workbook.validate_book`` would
    read the workbook again).  A bug is reported on the file's status row too, so one
    odd workbook cannot end a review of hundreds; its reason says it is the tool's fault.
    """
    file = Path(path)
    rel = _relative(file, root)
    try:
        book = CalamineBook(file)
        if book.sheet_names() in _RESULT_SHEETS:  # a review's result left there
            return _unreadable(rel, file.stem, f"“{file.name}”是 xl-addin review 生成的审核结果，"
                               "不是单位报送的工作簿。请把它移出要审核的文件夹。")
        contents = read_model(book)  # the overview too: its indicator rows are judged
        model = contents.model
        unit = unit_name(model, file)
        if not model.projects:
            return _unreadable(rel, unit, f"文件“{file.name}”中没有项目绩效目标表，"
                               "可能不是本工具的工作簿，或项目表已被删除。")
        chosen = profile or load_profile(model.settings.frame or "2015")
        report = validate(model, chosen, reuse=reuse)
        found = split(contents.problems + report.findings, contents.acceptances,
                      contents.grids, errors_allowed(chosen.raw))
        findings = found.findings
        summary = summary_rows(model, counts_from_findings(findings))
        rows = [{k: v for k, v in r.items() if k != LINK_COLUMN} for r in summary]
        sums = row_totals(summary, model.settings.frame)
    except UserError as exc:
        return _unreadable(rel, file.stem, exc.message)
    except Exception as exc:  # a bug: reported on the row, the review goes on
        return _unreadable(rel, file.stem, f"内部错误（{type(exc).__name__}: {exc}），"
                           "这是本工具的缺陷，请把该文件反馈给开发者。")
    by = Counter(f.severity for f in findings)
    return FileReview(
        rel, unit, STATUS_ERRORS if by["error"] else STATUS_OK,
        _error_digest(findings), by["error"], by["warning"], by["info"], rows, sums, findings,
        file.stat().st_mtime, found.accepted, project_facts(model) if facts else [],
    )


# --- many files -------------------------------------------------------------------------


@contextmanager
def process_pool(jobs: int | None = None) -> Iterator[tuple[Executor, int]]:
    """A process pool and how many files to keep in flight (two batches per process, so
    a worker finds its next task waiting).

    Processes are spawned, not forked, on every platform: Windows (where bureaus run
    this) can only spawn, and forking next to the progress bar's thread is unsafe.
    """
    workers = jobs or os.cpu_count() or 1
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        yield pool, 2 * BATCH * workers
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def dask_executor(address: str) -> Iterator[tuple[Executor, int]]:
    """The executor of a running dask.distributed cluster, and how many files to keep in
    flight (two batches per worker thread).  Workers need this package installed and the folder
    at the same path (a shared drive)."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise UserError("使用 --scheduler 需要安装 dask.distributed："
                        "pip install \"xl-addin[cluster]\"。") from exc
    try:
        client = Client(address, timeout=10)
    except (OSError, TimeoutError, ValueError) as exc:
        raise UserError(f"无法连接 dask 调度器“{address}”（{exc}）。"
                        "请检查地址（如 tcp://10.0.0.5:8786）、网络和调度器是否在运行。") from exc
    try:
        threads = sum(client.nthreads().values()) or 1
        yield client.get_executor(pure=False), 2 * BATCH * threads
    finally:
        client.close()


#: files one task reviews: a process pool spends ~0.4 ms of the parent's CPU on every
#: task (threads handing work and results over), which on a small machine is taken from
#: the workers; four files a task cut that by three quarters, and a cluster's per-task
#: cost (milliseconds) even more
BATCH = 4


def review_batch(paths: list[str], root: str, profile: Profile | None = None,
                 reuse: bool = True, *, facts: bool = False) -> list[FileReview]:
    """``review_file`` for each of ``paths``: one executor task.  Top-level, so it pickles
    (and so does ``functools.partial(review_batch, facts=True)``)."""
    return [review_file(path, root, profile, reuse=reuse, facts=facts) for path in paths]


class PoolBroken(UserError):
    """A worker of a process pool died (a crash in the reading library, the system's
    memory killer) while ``files`` were in flight: one of them is the likely cause."""

    def __init__(self, files: list[Path], root: Path, reason: str) -> None:
        self.files = files
        named = "、".join(f"“{_relative(p, root)}”" for p in files)
        super().__init__(f"审核{named}时工作进程意外退出（{reason}），审核未完成。"
                         "其中某个文件可能使读取库崩溃：请把它们逐个移出文件夹后重试，"
                         "并把出问题的文件反馈给开发者。")


def _outcomes(paths: list[Path], root: Path, future: Future) -> list[FileReview]:
    """The task's results; status rows when it failed outside the worker (a lost cluster
    worker, a result that would not pickle).  A broken process pool is the caller's to
    handle (``BrokenProcessPool`` passes through)."""
    try:
        return future.result()
    except BrokenProcessPool:
        raise
    except Exception as exc:
        return [_unreadable(_relative(p, root), p.stem,
                            f"处理该文件时出错（{type(exc).__name__}: {exc}）。") for p in paths]


Task = Callable[..., list[FileReview]]


def review_paths(paths: Iterable[Path], root: Path, executor: Executor, *,
                 profile: Profile | None = None, window: int = 8,
                 batch: int = BATCH, reuse: bool = True,
                 task: Task = review_batch) -> Iterator[FileReview]:
    """Review ``paths`` on ``executor``, yielding results in the order of ``paths``.

    Files go to the executor ``batch`` at a time (``task``: ``review_batch``, or a
    stand-in in tests); at most ``window`` files (rounded up to whole batches) are in
    flight, and the next batch is submitted before a result is handed over, so workers
    keep busy while the caller writes it out.  A broken process pool raises
    ``PoolBroken`` naming the files that were in flight (``review_on_pools`` goes on).
    """
    todo = iter(paths)
    queue: deque[tuple[list[Path], Future]] = deque()
    group: list[Path] = []  # the batch being waited for, out of the queue

    def submit() -> None:
        batch_paths = list(islice(todo, max(1, batch)))
        if batch_paths:
            queue.append((batch_paths, executor.submit(task, [str(p) for p in batch_paths],
                                                       str(root), profile, reuse)))

    try:
        for _ in range(max(1, -(-window // max(1, batch)))):
            submit()
        while queue:
            group, future = queue.popleft()
            submit()
            results = _outcomes(group, root, future)
            group = []
            yield from results
    except BrokenProcessPool as exc:
        in_flight = [*group, *(p for g, _ in queue for p in g)]
        raise PoolBroken(in_flight, root, str(exc)) from exc
    finally:  # the caller stopped early (Ctrl+C): drop what has not started
        for _, future in queue:
            future.cancel()


def review_on_pools(paths: list[Path], root: Path, jobs: int | None = None, *,
                    profile: Profile | None = None, reuse: bool = True,
                    task: Task = review_batch) -> Iterator[FileReview]:
    """Review ``paths`` on process pools of ``jobs``; a file that kills its worker
    becomes a status row and the review goes on.

    When a pool breaks, every task in flight fails with it, so which file is to blame
    is not known: those files are reviewed again one at a time, each alone in a fresh
    pool of one process, and the one that breaks it again is reported as unreadable.
    The rest of the folder then continues at full speed in a fresh pool.  Three files
    in a row that each break a pool of their own say the workers cannot run at all (a
    broken installation, no memory): the review stops with ``PoolBroken``.
    """
    done = 0  # files reviewed, in order
    suspects = 0  # of the next files, how many to review one at a time
    crashes = 0  # files in a row that broke a pool of their own
    while done < len(paths):
        alone = suspects > 0
        try:
            with process_pool(1 if alone else jobs) as (pool, slots):
                todo = paths[done:done + suspects] if alone else paths[done:]
                for result in review_paths(todo, root, pool, profile=profile, reuse=reuse,
                                           task=task, window=1 if alone else slots,
                                           batch=1 if alone else BATCH):
                    yield result
                    done += 1
                    suspects -= alone
                    crashes = 0
        except PoolBroken as broken:
            if not alone:
                if not broken.files:  # nothing was in flight: nothing to blame
                    raise
                suspects = len(broken.files)
                continue
            crashes += 1
            if crashes == 3:
                raise
            culprit = paths[done]  # alone in flight: the file to blame
            yield _unreadable(_relative(culprit, root), culprit.stem,
                              "读取该文件时工作进程意外退出，可能是文件使读取库崩溃或占用内存过多。"
                              "请在 Excel 中打开并另存为 .xlsx 后重新报送，"
                              "并把原文件反馈给开发者。")
            done += 1
            suspects -= 1


def review_folder(folder: Path, executor: Executor | None = None, *, jobs: int | None = None,
                  profile: Profile | None = None, exclude: Collection[Path] = (),
                  window: int | None = None, reuse: bool = True) -> Iterator[FileReview]:
    """Review every workbook under ``folder``; see the module docstring.

    Without ``executor`` process pools of ``jobs`` processes (default: one per CPU) are
    started and shut down here (``review_on_pools``).  ``profile`` overrides each
    workbook's own frame.  A missing folder, or one without workbooks, raises
    ``UserError`` at the first iteration, before any file is read (callers wanting the
    count first use ``find_workbooks`` and then ``review_on_pools`` or ``review_paths``,
    as the command does).
    """
    paths = find_workbooks(folder, exclude)
    if executor is not None:
        yield from review_paths(paths, folder, executor, profile=profile, window=window or 8,
                                reuse=reuse)
        return
    yield from review_on_pools(paths, folder, jobs, profile=profile, reuse=reuse)


# --- the district -----------------------------------------------------------------------


def _add_sums(into: Sums, more: Sums) -> Sums:
    """Column-wise sum; a column missing on one side counts as zero (frames differ in
    their indicator-count columns)."""
    with localcontext(arithmetic()):  # exact for bounded amounts, and never a trap
        for key, value in more.items():
            into[key] = into.get(key, 0) + value
    return into


def _merge_columns(into: list[str], columns: list[str]) -> None:
    """Add new columns after their predecessor, so the 2015 and 2021 frames' count
    columns interleave in frame order (产出, 成本, 效益, 满意度)."""
    for i, col in enumerate(columns):
        if col not in into:
            at = into.index(columns[i - 1]) + 1 if i else 0
            into.insert(at, col)


#: the finding on a project counted in another file of the review
DUPLICATE_CODE = "R701"
DUPLICATE_MESSAGE = (
    "项目编码“{code}”（项目“{name}”）在“{kept}”中也有，两个文件报的是同一个项目"
    "（常见于工作簿和它的报送件放在同一文件夹）。汇总只计一次，按较新的文件“{kept}”计，"
    "本文件中的这一行未计入合计。请只保留一份，或核对项目编码。"
)


def _minus(into: Sums, row: dict[str, object]) -> Sums:
    """``into`` less one summary row's numbers (a row not to be counted)."""
    with localcontext(arithmetic()):
        for key in into:
            value = row.get(key)
            if isinstance(value, Decimal | int) and not isinstance(value, bool):
                into[key] -= value
    return into


class District:
    """Every file's result without its findings: what the summary and status need.

    Units appear in the order of their first file; a unit that handed in two files has
    both under one subtotal.  A project code met in two files (a workbook and its 报送
    copy side by side, or a file handed in twice) is counted once, from the newest file
    (by modification time; the first of equals): ``finish`` finds them, and the other
    rows stay listed, marked, with a ``duplicate-code`` finding each.
    """

    def __init__(self) -> None:
        self.files: list[FileReview] = []
        self.columns: list[str] = []
        #: (file, code) of the rows not counted, and the findings that say so
        self.uncounted: set[tuple[str, str]] = set()
        self.duplicates: list[tuple[FileReview, Finding]] = []

    def add(self, review: FileReview) -> None:
        self.files.append(replace(review, findings=[], accepted=[]))
        if review.rows:
            _merge_columns(self.columns, list(review.rows[0]))

    def finish(self) -> None:
        """Find the project codes met in more than one file, once all files are in."""
        where: dict[str, list[tuple[int, dict[str, object]]]] = {}
        for n, f in enumerate(self.files):
            for row in f.rows:
                code = str(row.get(CODE_COLUMN) or "").strip()
                if code:
                    where.setdefault(code, []).append((n, row))
        extra: Counter[int] = Counter()
        for code, places in where.items():
            files = {n for n, _ in places}
            if len(files) < 2:
                continue  # twice in one workbook: the workbook's own V701 says so
            kept = max(files, key=lambda n: (self.files[n].modified, -n))
            for n, row in places:
                if n == kept:
                    continue
                f = self.files[n]
                self.uncounted.add((f.file, code))
                extra[n] += 1
                self.duplicates.append((f, Finding(
                    type="duplicate-code", code=DUPLICATE_CODE, severity="warning",
                    message=DUPLICATE_MESSAGE.format(code=code, name=row.get(NAME_COLUMN, ""),
                                                     kept=self.files[kept].file),
                    sheet=str(row.get(SHEET_COLUMN) or ""), project_code=code,
                    project_name=str(row.get(NAME_COLUMN) or ""), field="项目编码",
                    suggestion=self.files[kept].file)))
        for n, count in extra.items():
            f = self.files[n]
            note = f"{count} 个项目与其他文件重复，未计入合计"
            self.files[n] = replace(f, warnings=f.warnings + count,
                                    reason=f"{f.reason}；{note}" if f.reason else note)

    def counted(self, f: FileReview, row: dict[str, object]) -> bool:
        return (f.file, str(row.get(CODE_COLUMN) or "").strip()) not in self.uncounted

    def units(self) -> list[str]:
        return list(dict.fromkeys(f.unit for f in self.files if f.rows))

    def unit_files(self, unit: str) -> list[FileReview]:
        return [f for f in self.files if f.unit == unit and f.rows]

    def unit_totals(self, unit: str) -> Sums:
        out: Sums = {}
        for f in self.unit_files(unit):
            sums = dict(f.totals)
            for row in f.rows:
                if not self.counted(f, row):
                    _minus(sums, row)
            _add_sums(out, sums)
        return out

    def total(self) -> Sums:
        """The district total: the sum of the units' totals."""
        out: Sums = {}
        for unit in self.units():
            _add_sums(out, self.unit_totals(unit))
        return out

    def counts(self) -> dict[str, int]:
        """Files per status, every status present."""
        by = Counter(f.status for f in self.files)
        return {s: by[s] for s in STATUSES}

    @property
    def all_ok(self) -> bool:
        return all(f.status == STATUS_OK for f in self.files)
