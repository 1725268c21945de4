"""Issue 7 (b): validate + fill + consolidate + save of one workbook against a bare
openpyxl load + save of it.

``python -m benchmarks.workbook_speed [--projects 200] [--repeat 3]`` builds the
workbook (``benchmarks.generate``: the seed's projects repeated), then times in one run,
best of ``--repeat`` and interleaved so both sides see the same machine:

- bare: ``openpyxl.load_workbook`` and ``Workbook.save``;
- ours: ``FileBook`` (the same load behind the archive guards), ``validate_book``,
  ``fill_book``, ``consolidate_book`` with the validation's findings, ``FileBook.save``
  (atomic, to a new file).

Each run of ours starts from a fresh copy, since fill and consolidate change the
workbook.  A scaling table (50, 100, 200 projects) shows time per project.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

from benchmarks.generate import write
from xl_addin.actions.consolidate import consolidate_book
from xl_addin.actions.fill import fill_book
from xl_addin.actions.workbook import validate_book
from xl_addin.engines.file import FileBook
from xl_addin.forms import settings_sheet
from xl_addin.rules.profiles import load as load_profile

STEPS = ("加载", "校验", "填充", "汇总", "保存")


def bare(src: Path, out: Path) -> float:
    start = time.perf_counter()
    load_workbook(src).save(out)
    return time.perf_counter() - start


def ours(src: Path, work: Path, out: Path) -> list[float]:
    """The times of each step, on a fresh copy of ``src``."""
    shutil.copy2(src, work)
    marks = [time.perf_counter()]
    book = FileBook(work)
    marks.append(time.perf_counter())
    report = validate_book(book)
    marks.append(time.perf_counter())
    frame = settings_sheet.parse(book.read(settings_sheet.SHEET)).frame
    fill_book(book, load_profile(frame or "2015"))
    marks.append(time.perf_counter())
    consolidate_book(book, report.findings)
    marks.append(time.perf_counter())
    book.save(out, backup=False)
    marks.append(time.perf_counter())
    return [b - a for a, b in itertools.pairwise(marks)]


def measure(n_projects: int, repeat: int, tmp: Path) -> tuple[float, list[float], float]:
    """Best bare time, the steps of the best run of ours, and the median of the paired
    ratios (each run of ours over the bare run just before it: robust to a machine
    whose load drifts during the measurement)."""
    src = write(tmp / f"p{n_projects}.xlsx", n_projects)
    best_bare, best_ours, ratios = float("inf"), [float("inf")], []
    for _ in range(repeat):
        t_bare = bare(src, tmp / "bare.xlsx")
        steps = ours(src, tmp / "work.xlsx", tmp / "ours.xlsx")
        best_bare = min(best_bare, t_bare)
        ratios.append(sum(steps) / t_bare)
        if sum(steps) < sum(best_ours):
            best_ours = steps
    return best_bare, best_ours, statistics.median(ratios)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        t_bare, steps, paired = measure(args.projects, args.repeat, tmp)
        total = sum(steps)
        print(f"(b) {args.projects} 个项目的工作簿，{args.repeat} 次取最快：")
        print(f"    openpyxl 裸加载 + 保存                {t_bare:6.2f} s")
        detail = "，".join(f"{name} {t:.2f}" for name, t in zip(STEPS, steps, strict=True))
        print(f"    校验 + 填充 + 汇总 + 保存（含加载）   {total:6.2f} s（{detail}）")
        print(f"    比值 {total / t_bare:.2f}（最快对最快），逐次配对的中位数 {paired:.2f}"
              "（目标 ≤ 1.5）")
        print("\n    规模：项目数   裸加载+保存   本工具    比值   本工具 ms/项目")
        for n in (50, 100, 200):
            t_b, s, _ = measure(n, args.repeat, tmp)
            print(f"    {n:10d} {t_b:11.2f} s {sum(s):7.2f} s {sum(s) / t_b:7.2f} "
                  f"{sum(s) / n * 1000:10.1f}")


if __name__ == "__main__":
    main()
