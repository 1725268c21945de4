"""Validation of a 200-project workbook beyond loading it.

``python -m benchmarks.validate_speed [--projects 200] [--repeat 5]`` builds the workbook,
then times, in one run, a bare load (FileBook + reading every sheet) and the same load
followed by validation; it prints both and their ratio.  The target is "well under a
second beyond loading".
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.generate import write
from xl_addin.actions.workbook import validate_book
from xl_addin.engines.file import FileBook
from xl_addin.forms.book import read_model


def _best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp) / "big.xlsx", args.projects)
        load = _best(lambda: read_model(FileBook(path)), args.repeat)
        both = _best(lambda: validate_book(FileBook(path)), args.repeat)
        book = FileBook(path)
        contents = read_model(book)
        from xl_addin.rules import validate
        from xl_addin.rules.profiles import load as load_profile

        profile = load_profile("2015")
        rules_only = _best(lambda: validate(contents.model, profile), args.repeat)
    print(f"{args.projects} 个项目：")
    print(f"  读取（openpyxl 加载 + 解析）      最快 {load[0]:.3f} s，中位 {load[1]:.3f} s")
    print(f"  读取 + 校验                      最快 {both[0]:.3f} s，中位 {both[1]:.3f} s")
    print(f"  仅校验（模型已在内存）           最快 {rules_only[0]:.3f} s")
    print(f"  校验比单纯读取多用 {both[0] - load[0]:.3f} s，比值 {both[0] / load[0]:.2f}")


if __name__ == "__main__":
    main()
