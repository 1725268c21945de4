"""Issue 7 (a) and (c): the batch review against a naive loop and against the floor.

``python -m benchmarks.review_speed [--units 500] [--dir DIR] [--jobs 2]`` generates the
unit workbooks (``benchmarks.units``; kept in DIR when given, so a second run skips
that), then times in one run, on the same files:

- the naive loop: ``pandas.read_excel(engine="openpyxl", sheet_name=None)`` per file,
  then the same checks (read the model, validate, summarise) — one process, as such a
  script would be written;
- the floor: every sheet of every file read into Python by calamine and nothing else,
  in this process, and as its own program on a process pool of ``--jobs``
  (``benchmarks.run_pool floor``, a fresh process: start-up included);
- the review: ``review_file`` per file in this process; ``review_folder`` on the pool as
  its own program (``benchmarks.run_pool review``, started exactly like the floor); and
  the whole ``xl-addin review DIR -o review.xlsx`` command, also in a fresh process;
- where the review's time goes: each stage of ``review_file`` timed alone, one process;
- scaling: the review program on the first 100, 200 and 400 workbooks, with the cost
  of each further workbook;
- (c) memory: the peak RSS of ``xl-addin review`` run as users run it (the main process
  and its workers, sampled every 10 ms), on 100 and on all workbooks, and the main
  process's Python heap peak (tracemalloc, in this process) for the same two.
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import psutil
from click.testing import CliRunner

from benchmarks.run_pool import bare_read
from benchmarks.units import write_units
from xl_addin.actions.consolidate import summary_frame, totals
from xl_addin.actions.review import find_workbooks, review_file
from xl_addin.actions.summary import counts_from_findings, row_totals, summary_rows
from xl_addin.cli.app import cli
from xl_addin.core.grid import Grid
from xl_addin.engines.calamine import CalamineBook
from xl_addin.engines.guards import check_readable
from xl_addin.forms.book import read_model
from xl_addin.forms.department_sheet import SHEET as DEPARTMENT_SHEET
from xl_addin.forms.names import RESERVED_SHEETS
from xl_addin.forms.settings_sheet import SHEET as SETTINGS_SHEET
from xl_addin.rules import forget_verdicts, validate
from xl_addin.rules.profiles import load as load_profile

#: the tool's sheets the review reads besides the projects: settings, and the overview
#: (its own indicator rows are judged)
READ_TOO = (SETTINGS_SHEET, DEPARTMENT_SHEET)


class _Grids:
    """Grids already read, as a read-only ``Book`` (``MemoryBook`` would deep-copy each
    sheet on every read, a cost neither the review nor a naive script has)."""

    def __init__(self, grids: list[Grid]) -> None:
        self.grids = {g.name: g for g in grids}

    def sheet_names(self) -> list[str]:
        return list(self.grids)

    def is_hidden(self, sheet: str) -> bool:
        return False

    def read(self, sheet: str) -> Grid:
        return self.grids[sheet]

    def defined_name(self, name: str) -> str | None:
        return None


def naive_check(path: Path) -> dict:
    """The review's checks as a script without this package's engines would do them:
    pandas reads every sheet through openpyxl, the frames become grids, then the same
    model reading, validation and summary."""
    sheets = pd.read_excel(path, sheet_name=None, header=None, engine="openpyxl")
    grids = [Grid(name, [[None if pd.isna(v) else v for v in row]
                         for row in frame.itertuples(index=False, name=None)])
             for name, frame in sheets.items()]
    contents = read_model(_Grids(grids))
    model = contents.model
    report = validate(model, load_profile(model.settings.frame or "2015"))
    findings = contents.problems + report.findings
    return totals(summary_frame(model, counts_from_findings(findings)))


def _timed(fn: Callable[[], object], repeat: int = 1) -> tuple[float, object]:
    """The best of ``repeat`` runs (the machine may be shared: load only adds time)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def _program(args: list[str], repeat: int, ok: tuple[int, ...] = (0,)) -> float:
    """Best wall time of ``python -m ARGS`` in a fresh process (start-up included)."""
    def once() -> None:
        run = subprocess.run([sys.executable, "-m", *args], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True, check=False)
        if run.returncode not in ok:
            raise RuntimeError(f"python -m {' '.join(args)}: exit {run.returncode}\n{run.stderr}")
    return _timed(once, repeat)[0]


def _pool(what: str, folder: Path, jobs: int, repeat: int, *extra: str) -> float:
    return _program(["benchmarks.run_pool", what, str(folder), "--jobs", str(jobs), *extra],
                    repeat)


def _cold(fn: Callable[[], object]) -> Callable[[], object]:
    """``fn`` with validation's kept verdicts dropped first, as in a fresh process."""
    def run() -> object:
        forget_verdicts()
        return fn()
    return run


def _command(folder: Path, out: Path, jobs: int) -> int:
    result = CliRunner().invoke(cli, ["review", str(folder), "-o", str(out), "--force",
                                      "--jobs", str(jobs)])
    if result.exit_code not in (0, 1):
        raise RuntimeError(result.output)
    return result.exit_code


def _subset(folder: Path, paths: list[Path], n: int, into: Path) -> Path:
    """The first ``n`` workbooks, hard-linked into their own folder."""
    target = into / f"first{n}"
    target.mkdir(exist_ok=True)
    for p in paths[:n]:
        link = target / p.name
        if not link.exists():
            os.link(p, link)
    return target


def _stages(paths: list[Path]) -> list[tuple[str, float]]:
    """Seconds per stage of ``review_file`` over ``paths``, each stage timed alone; then
    the archive guard and calamine itself, both inside the first stage."""
    spent = dict.fromkeys(["读取（CalamineBook）", "按标签解析成模型（layout）", "校验（rules）",
                           "汇总行（consolidate + 转换）", "  其中读取里的档案检查",
                           "  其中读取里的 calamine 本身（下限）"], 0.0)
    names = list(spent)
    for path in paths:
        marks = [time.perf_counter()]
        book = CalamineBook(path)
        grids = [book.read(name) for name in book.sheet_names()
                 if name not in RESERVED_SHEETS or name in READ_TOO]  # as read_model
        marks.append(time.perf_counter())
        contents = read_model(_Grids(grids))
        marks.append(time.perf_counter())
        model = contents.model
        report = validate(model, load_profile(model.settings.frame or "2015"))
        marks.append(time.perf_counter())
        row_totals(summary_rows(model, counts_from_findings(contents.problems + report.findings)),
                   model.settings.frame)
        marks.append(time.perf_counter())
        check_readable(path)
        marks.append(time.perf_counter())
        bare_read(str(path))
        marks.append(time.perf_counter())
        for name, a, b in zip(names, marks, marks[1:], strict=False):
            spent[name] += b - a
    return list(spent.items())


def _command_rss(folder: Path, out: Path, jobs: int) -> tuple[int, int, int]:
    """Peak RSS of ``xl-addin review`` in its own process: (all processes together, the
    main process, the largest worker), sampled every 10 ms."""
    args = [sys.executable, "-m", "xl_addin", "review", str(folder), "-o", str(out),
            "--force", "--jobs", str(jobs)]
    proc = psutil.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    total = parent = child = 0
    while proc.poll() is None:
        try:
            main_rss = proc.memory_info().rss
            workers = [c.memory_info().rss for c in proc.children(recursive=True)]
            parent, child = max(parent, main_rss), max([child, *workers])
            total = max(total, main_rss + sum(workers))
        except psutil.Error:  # a worker ended between listing and measuring it
            pass
        time.sleep(0.01)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"xl-addin review exited with {proc.returncode}")
    return total, parent, child


def _mb(n: float) -> str:
    return f"{n / 1048576:.0f} MB"


def _heap_peak(folder: Path, out: Path, jobs: int) -> int:
    tracemalloc.start()
    try:
        _command(folder, out, jobs)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--dir", type=Path, default=None,
                        help="where the unit workbooks are kept (default: a temporary folder)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3,
                        help="best of how many runs for the quick measurements (the one-process"
                             " runs of review and of the naive loop run once)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        folder = args.dir or tmp / "units"
        if len(list(folder.glob("*.xlsx"))) < args.units:
            print(f"生成 {args.units} 个单位的工作簿到 {folder} …", flush=True)
            write_units(folder, args.units, jobs=args.jobs)
        paths = find_workbooks(folder)[: args.units]
        if len(paths) < len(find_workbooks(folder)):
            folder = _subset(folder, paths, args.units, tmp)
        run(folder, paths, args.jobs, tmp, args.repeat)


def run(folder: Path, paths: list[Path], jobs: int, tmp: Path, repeat: int) -> None:
    n = len(paths)
    out = tmp / "review.xlsx"
    t_floor1, _ = _timed(lambda: [bare_read(str(p)) for p in paths], repeat)
    t_floorp = _pool("floor", folder, jobs, repeat)
    t_ours1, ours = _timed(_cold(lambda: [review_file(str(p), str(folder)) for p in paths]))
    t_fresh1, _ = _timed(lambda: [review_file(str(p), str(folder), reuse=False)
                                  for p in paths])
    t_oursp = _pool("review", folder, jobs, repeat)
    t_freshp = _pool("review", folder, jobs, repeat, "--no-reuse")
    t_cmd = _program(["xl_addin", "review", str(folder), "-o", str(out), "--force",
                      "--jobs", str(jobs)], repeat, ok=(0, 1))  # 1: some unit has errors
    t_naive, naive = _timed(_cold(lambda: [naive_check(p) for p in paths]))
    same = [r.totals for r in ours] == naive
    projects = sum(len(r.rows) for r in ours)
    findings = sum(len(r.findings) for r in ours)

    print(f"\n(a) {n} 个工作簿，{projects} 个项目，{findings} 条问题；{jobs} 个进程"
          f"（本机 {os.cpu_count()} 核）")
    print(f"    朴素循环与 review 的汇总结果一致：{'是' if same else '否（比较无效！）'}")
    rows = [
        ("朴素循环：pandas.read_excel(openpyxl) + 同样的检查，1 进程", t_naive),
        ("下限：calamine 裸读，1 进程", t_floor1),
        (f"下限：calamine 裸读，独立程序，{jobs} 进程（含启动）", t_floorp),
        ("review：review_file 逐个，1 进程", t_ours1),
        ("  同上，每行重新校验（不复用行结论）", t_fresh1),
        (f"review：review_folder，独立程序，{jobs} 进程（含启动）", t_oursp),
        ("  同上，每行重新校验（不复用行结论）", t_freshp),
        (f"xl-addin review -o review.xlsx 全程，{jobs} 进程（含启动）", t_cmd),
    ]
    for label, t in rows:
        print(f"    {label:<52}{t:8.2f} s {t / n * 1000:8.1f} ms/个")
    print(f"    比朴素循环快：review {t_naive / t_oursp:.1f} 倍（目标 ≥ 5），"
          f"整个命令 {t_naive / t_cmd:.1f} 倍；同为 1 进程 {t_naive / t_ours1:.1f} 倍")
    print(f"    相对下限：review {t_oursp / t_floorp:.2f} 倍（目标 ≤ 2），"
          f"整个命令 {t_cmd / t_floorp:.2f} 倍；同为 1 进程 {t_ours1 / t_floor1:.2f} 倍")
    print(f"    不复用行结论时相对下限：review {t_freshp / t_floorp:.2f} 倍，"
          f"同为 1 进程 {t_fresh1 / t_floor1:.2f} 倍")
    print(f"    写 review.xlsx 约占 {t_cmd - t_oursp:.2f} s")
    del ours, naive
    gc.collect()

    print("\n    review_file 的时间花在哪里（1 进程，各阶段单独计时）：")
    stages = _cold(lambda: _stages(paths))()
    spent = sum(t for _, t in stages[:4])
    for label, t in stages:
        print(f"    {label:<36}{t:7.2f} s {t / n * 1000:6.1f} ms/个 {t / spent:6.1%}")

    print("\n    规模（review 独立程序，同一批文件的前 N 个）：")
    previous: tuple[int, float] | None = None
    for size in (100, 200, 400):
        if size > n:
            continue
        subset = _subset(folder, paths, size, tmp)
        t = _pool("review", subset, jobs, repeat)
        step = ""
        if previous is not None:
            step = f"，多出的每个 {(t - previous[1]) / (size - previous[0]) * 1000:.1f} ms"
        print(f"    {size:5d} 个  {t:7.2f} s  {t / size * 1000:6.1f} ms/个{step}")
        previous = (size, t)

    small = _subset(folder, paths, min(100, n), tmp)
    print("\n(c) 内存（xl-addin review -o review.xlsx，独立进程）：")
    for label, where in ((f"{min(100, n)} 个", small), (f"{n} 个", folder)):
        total, parent, child = _command_rss(where, tmp / "rss.xlsx", jobs)
        heap = _heap_peak(where, tmp / "heap.xlsx", jobs)
        print(f"    {label:>6}：驻留内存峰值合计 {_mb(total)}（主进程 {_mb(parent)}，"
              f"最大的工作进程 {_mb(child)}）；主进程 Python 堆峰值 {_mb(heap)}")


if __name__ == "__main__":
    main()
