"""Time `report` on the million-row CSV with each of main()'s process tricks turned off in
turn, beside the plain pandas script: what each trick earns (docs/performance.md).

Every variant runs main() from `python -c`, the shipped one too, so they differ only by
the trick. Run benchmarks/run.py first (it makes the data). Usage:
python benchmarks/tricks.py [--runs N] [--rows N]
"""

from __future__ import annotations

import argparse
import os
import sys

from run import DATA, HERE, PERIOD, Timed, compile_package, measure

VARIANTS = {  # name -> Python run before main()
    "report as shipped": "",
    "without mallopt (allocator.keep_freed_memory)":
        "import iro_stats.allocator as a\na.keep_freed_memory = lambda: False\n",
    "without os._exit (the interpreter's teardown runs)":
        "import os\nos._exit = sys.exit\n",
    "without OPENBLAS_NUM_THREADS=1 (a thread per core)":
        f"import os\nos.environ['OPENBLAS_NUM_THREADS'] = '{os.cpu_count()}'\n",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    path = str(DATA / f"mosaic_{args.rows}.csv")
    argv = ["iro-stats", "report", path, "--financial-year", "2020-21", "--format", "json"]
    cmds = [Timed(name, [sys.executable, "-c", f"import sys\n{code}sys.argv = {argv!r}\n"
                         "from iro_stats.cli import main\nmain()"])
            for name, code in VARIANTS.items()]
    cmds.append(Timed("plain pandas script", [sys.executable, str(HERE / "baseline_pandas.py"),
                                              path, *PERIOD]))
    compile_package()
    measure(cmds, args.runs)
    print(f"| variant | wall median | best | processor time | peak memory |")
    print("|---|---:|---:|---:|---:|")
    for c in cmds:
        if c.failed:
            print(f"| {c.name} | failed: {c.failed} |")
        else:
            print(f"| {c.name} | {c.wall:.2f} s | {min(c.walls):.2f} s | {c.cpu:.2f} s | "
                  f"{c.rss_mb:.0f} MB |")


if __name__ == "__main__":
    main()
