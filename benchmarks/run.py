"""Time iro-stats on large generated extracts against plain pandas, DuckDB and openpyxl.

    python benchmarks/run.py                  # two 1,000,000-row CSVs, 100,000-row xlsx, 5 runs
    python benchmarks/run.py --runs 3 --excel-limit   # also a workbook of 1,048,576 rows

The data are made with a fixed seed into benchmarks/data/ (gitignored) the first time and
reused after. Every command is a whole process (`python ...`, `iro-stats ...`) started
afresh, as an analyst would run it, so interpreter start-up and imports are counted.
Each is run once to warm the file cache, then --runs times, the commands taking turns so
that a slow minute of the machine falls on all of them alike; the median wall time and
the median peak resident memory (from wait4's rusage of that process) are printed, with
the ratios the issue sets as targets, measured in this same run. The report's figures
are checked against what the generator knows is in the file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SAMPLES = HERE.parent / "sample_data"
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

PERIOD = ("2020-04-01", "2021-03-31")  # financial year 2020-21
FY = "2020"
CUTOVER = "01/04/2020"
EXCEL_MAX_ROWS = 1_048_576
EXCEL_BANNER_ROWS = 6  # banner, run-on line, blank, header; blank and footer at the end


@dataclass
class Timed:
    name: str
    argv: list[str]
    walls: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)  # user + system seconds
    failed: str = ""
    last_out: str = ""

    @property
    def wall(self) -> float:
        return statistics.median(self.walls) if self.walls else float("nan")

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus) if self.cpus else float("nan")

    @property
    def rss_mb(self) -> float:
        return statistics.median(self.rss_kb) / 1024 if self.rss_kb else float("nan")


def measure(cmds: list[Timed], runs: int) -> None:
    for cmd in cmds:  # warm the file cache and the .pyc files; not counted
        run_once(cmd)
        cmd.walls.clear()
        cmd.rss_kb.clear()
        cmd.cpus.clear()
    for i in range(runs):
        for cmd in cmds:
            if not cmd.failed:
                run_once(cmd)
        print(f"  run {i + 1}/{runs} done", file=sys.stderr)


def run_once(cmd: Timed) -> None:
    """Run one whole process, recording its wall time and its own peak memory."""
    # fork/exec and wait4 rather than subprocess, which reaps the child itself and so
    # loses its rusage; RUSAGE_CHILDREN would give the largest of all children instead.
    import selectors

    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # child
        try:
            os.dup2(out_w, 1)
            os.dup2(err_w, 2)
            for fd in (out_r, out_w, err_r, err_w):
                os.close(fd)
            os.execvp(cmd.argv[0], cmd.argv)
        finally:
            os._exit(127)
    os.close(out_w)
    os.close(err_w)
    chunks = {out_r: [], err_r: []}
    sel = selectors.DefaultSelector()
    for fd in chunks:
        sel.register(fd, selectors.EVENT_READ)
    open_fds = set(chunks)
    while open_fds:
        for key, _ in sel.select():
            data = os.read(key.fd, 1 << 16)
            if data:
                chunks[key.fd].append(data)
            else:
                sel.unregister(key.fd)
                os.close(key.fd)
                open_fds.discard(key.fd)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    out = b"".join(chunks[out_r]).decode(errors="replace")
    err = b"".join(chunks[err_r]).decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        cmd.failed = (err.strip().splitlines() or ["exit status "
                      f"{os.waitstatus_to_exitcode(status)}"])[-1][:200]
        return
    cmd.walls.append(wall)
    cmd.rss_kb.append(usage.ru_maxrss)  # kilobytes on Linux
    cmd.cpus.append(usage.ru_utime + usage.ru_stime)
    cmd.last_out = out


# --- data ---------------------------------------------------------------------------

def ensure(path: Path, rows: int, kind: str) -> generate.Truth:
    """Make the file (and its truth) unless this seed and size made it already."""
    stamp_path = path.with_name(path.name + ".stamp.json")
    truth_path = path.with_name(path.name + ".truth.json")
    stamp = {"rows": rows, "seed": generate.SEED, "kind": kind,
             "generator": hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest()}
    if not (path.exists() and truth_path.exists() and stamp_path.exists()
            and json.loads(stamp_path.read_text()) == stamp):
        print(f"generating {path.name} ({rows:,} rows)...", file=sys.stderr, flush=True)
        start = time.perf_counter()
        # In a process of its own: numpy and pandas never load into this one, whose
        # memory every timed command starts from (fork) and so must stay small.
        subprocess.run([sys.executable, str(HERE / "generate.py"), kind, str(path),
                        str(rows)], check=True)
        stamp_path.write_text(json.dumps(stamp))
        print(f"  {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return generate.Truth(**json.loads(truth_path.read_text()))


def ensure_reviews(folder: Path, periods: int) -> dict:
    """Make the review extracts (and their truth) unless this size made them already."""
    stamp_path = folder / "stamp.json"
    stamp = {"periods": periods, "generator": hashlib.sha256(
        (HERE / "generate_reviews.py").read_bytes()).hexdigest()}
    if not (stamp_path.exists() and json.loads(stamp_path.read_text()) == stamp):
        print(f"generating review extracts ({periods:,} periods)...", file=sys.stderr,
              flush=True)
        subprocess.run([sys.executable, str(HERE / "generate_reviews.py"), str(folder),
                        str(periods)], check=True)
        stamp_path.write_text(json.dumps(stamp))
    return json.loads((folder / "truth.json").read_text())


# --- checks -------------------------------------------------------------------------

def check_report(cmd: Timed, truth: generate.Truth) -> list[str]:
    """Return the differences between report's JSON and what the file is known to hold."""
    if cmd.failed or not cmd.last_out:
        return [f"{cmd.name}: {cmd.failed or 'no output'}"]
    got = json.loads(cmd.last_out)
    want = truth.years[FY]
    problems = []
    if got["totals"]["escalations"] != want["escalations"]:
        problems.append(f"escalations {got['totals']['escalations']} != {want['escalations']}")
    if got["totals"]["children"] != want["children"]:
        problems.append(f"children {got['totals']['children']} != {want['children']}")
    reasons = {line["reason"]: line["count"] for line in got["reasons"]}
    if reasons != want["reasons"]:
        problems.append(f"reasons {reasons} != {want['reasons']}")
    rows = got["rows"]
    expect_rows = {"read": truth.rows, "used": want["used_rows"], "rejected": truth.rejected,
                   "duplicates": truth.duplicates,
                   "outside_period": truth.rows - truth.rejected - truth.duplicates
                   - want["used_rows"]}
    if rows != expect_rows:
        problems.append(f"rows {rows} != {expect_rows}")
    return [f"{cmd.name}: {p}" for p in problems]


def check_reviews(cmd: Timed, truth: dict) -> list[str]:
    """Return the differences between reviews' JSON and what the files are known to hold."""
    if cmd.failed or not cmd.last_out:
        return [f"{cmd.name}: {cmd.failed or 'no output'}"]
    got = json.loads(cmd.last_out)
    found = {"held": got["actual"]["held"], "on_time": got["actual"]["on_time"]}
    want = {"held": truth["held"], "on_time": truth["on_time"]}
    return [] if found == want else [f"{cmd.name}: {found} != {want}"]


# --- main ---------------------------------------------------------------------------

def has_command(name: str) -> bool:
    done = subprocess.run([iro_stats(), name, "--help"], capture_output=True)
    return done.returncode == 0


def iro_stats() -> str:
    here = Path(sys.executable).parent / "iro-stats"
    return str(here) if here.exists() else (shutil.which("iro-stats") or "iro-stats")


def has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def compile_package() -> None:
    """Compile iro_stats' modules, as pip does when it installs a package: in an
    environment with PYTHONDONTWRITEBYTECODE set, an editable install would otherwise
    compile every module afresh on every run (0.05 to 0.1 s of each), which an analyst's
    installed copy never does. The baselines' libraries are compiled already."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("iro_stats")
    if spec is not None and spec.origin:
        compileall.compile_dir(str(Path(spec.origin).parent), quiet=1)


def machine() -> str:
    """Return the machine and the versions that the figures depend on."""
    from importlib import metadata

    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
        mem = f", {kb / 1024 ** 2:.0f} GiB memory"
    except (OSError, ValueError, IndexError):
        pass
    versions = []
    for name in ("pandas", "numpy", "pyarrow", "duckdb", "openpyxl", "python-calamine"):
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} not installed")
    return (f"{os.cpu_count()} cores{mem}; {platform.platform()}; Python "
            f"{platform.python_version()}; {', '.join(versions)}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="CSV data rows")
    parser.add_argument("--xlsx-rows", type=int, default=100_000, help="workbook data rows")
    parser.add_argument("--legacy-rows", type=int, default=100_000,
                        help="rows of the legacy log that reconcile pairs with the CSV")
    parser.add_argument("--review-periods", type=int, default=20_000,
                        help="periods of care of the reviews benchmark (about five 903 "
                        "review rows each)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each command")
    parser.add_argument("--excel-limit", action="store_true",
                        help=f"also read a workbook of {EXCEL_MAX_ROWS:,} rows, Excel's "
                        "limit (generating it takes a few minutes; run once)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--data", type=Path, default=DATA,
                        help="folder for the generated files (default benchmarks/data)")
    args = parser.parse_args(argv)

    data = args.data
    data.mkdir(parents=True, exist_ok=True)
    csv_path = data / f"mosaic_{args.rows}.csv"
    single_path = data / f"mosaic_single_{args.rows}.csv"
    xlsx_path = data / f"mosaic_{args.xlsx_rows}.xlsx"
    legacy_path = data / f"legacy_{args.legacy_rows}.csv"
    csv_truth = ensure(csv_path, args.rows, "csv")
    single_truth = ensure(single_path, args.rows, "csv-single")
    xlsx_truth = ensure(xlsx_path, args.xlsx_rows, "xlsx")
    py, tool = sys.executable, iro_stats()
    first, last = PERIOD
    fy = ["--financial-year", "2020-21"]

    cmds = {
        "report csv": Timed("iro-stats report (CSV)",
                            [tool, "report", str(csv_path), *fy, "--format", "json"]),
        "pandas": Timed("plain pandas script (CSV)",
                        [py, str(HERE / "baseline_pandas.py"), str(csv_path), first, last]),
        "report single": Timed("iro-stats report (single-stage CSV)",
                               [tool, "report", str(single_path), *fy, "--format", "json"]),
        "pandas single": Timed("plain pandas script (single-stage CSV)",
                               [py, str(HERE / "baseline_pandas.py"), str(single_path),
                                first, last]),
    }
    if has_module("duckdb"):
        cmds["duckdb"] = Timed("DuckDB SQL (CSV)", [py, str(HERE / "baseline_duckdb.py"),
                                                    str(csv_path), first, last])
        cmds["duckdb single"] = Timed("DuckDB SQL (single-stage CSV)",
                                      [py, str(HERE / "baseline_duckdb.py"),
                                       str(single_path), first, last])
        # Not a target: what report's checks cost in a compiled engine (see its docstring).
        cmds["duckdb checks"] = Timed("DuckDB SQL with report's checks (CSV)",
                                      [py, str(HERE / "baseline_duckdb_checks.py"),
                                       str(csv_path), first, last])
    unavailable = [] if has_module("duckdb") else ["DuckDB SQL (duckdb not installed)"]
    if has_command("stages"):
        cmds["stages"] = Timed("iro-stats stages (CSV)",
                               [tool, "stages", str(csv_path), *fy, "--format", "json"])
    else:
        unavailable.append("iro-stats stages (not available)")
    if has_command("reconcile"):
        ensure(legacy_path, args.legacy_rows, "legacy")
        cmds["reconcile"] = Timed("iro-stats reconcile (CSV + legacy CSV)",
                                  [tool, "reconcile", str(legacy_path), str(csv_path),
                                   "--cutover", CUTOVER, "--format", "json"])
    else:
        unavailable.append("iro-stats reconcile (not available)")
    cmds["report xlsx"] = Timed("iro-stats report (xlsx)",
                                [tool, "report", str(xlsx_path), *fy, "--format", "json"])
    cmds["openpyxl"] = Timed("pandas.read_excel(engine='openpyxl') (xlsx)",
                             [py, str(HERE / "baseline_openpyxl.py"), str(xlsx_path)])
    reviews = None
    if has_command("reviews"):
        reviews = data / f"reviews_{args.review_periods}"
        reviews_truth = ensure_reviews(reviews, args.review_periods)
        periods_csv, reviews_csv = reviews / "periods_of_care.csv", reviews / "reviews.csv"
        cmds["reviews"] = Timed("iro-stats reviews (periods + 903 reviews CSV)",
                                [tool, "reviews", str(periods_csv), str(reviews_csv),
                                 *fy, "--format", "json"])
        cmds["reviews pandas"] = Timed("plain pandas due-date chain (same CSVs)",
                                       [py, str(HERE / "baseline_reviews_pandas.py"),
                                        str(periods_csv), str(reviews_csv), first, last])
        # Not a target: the periods of care made from the 903 episodes instead.
        cmds["reviews 903"] = Timed("iro-stats reviews (903 episodes + reviews CSV)",
                                    [tool, "reviews", str(reviews / "episodes.csv"),
                                     str(reviews_csv), *fy, "--format", "json"])
    else:
        unavailable.append("iro-stats reviews (not available)")
    # The files an analyst's own extracts are like: a few hundred rows, where start-up and
    # imports are most of the time.
    samples = [str(SAMPLES / "legacy_escalations.csv"), str(SAMPLES / "mosaic_escalations.xlsx")]
    cmds["report samples"] = Timed("iro-stats report (the two sample extracts)",
                                   [tool, "report", *samples, "--financial-year", "2018-19",
                                    "--format", "json"])
    cmds["pandas samples"] = Timed("plain pandas script (the two sample extracts)",
                                   [py, str(HERE / "baseline_pandas_samples.py"), *samples,
                                    "2018-04-01", "2019-03-31"])
    cmds["help"] = Timed("iro-stats --help", [tool, "--help"])
    cmds["click"] = Timed("python -c 'import click'", [py, "-c", "import click"])

    compile_package()
    print(f"machine: {machine()}", file=sys.stderr)
    print(f"timing {len(cmds)} commands, {args.runs} runs each...", file=sys.stderr)
    measure(list(cmds.values()), args.runs)

    limit = None
    if args.excel_limit:
        limit_rows = EXCEL_MAX_ROWS - EXCEL_BANNER_ROWS
        limit_path = data / f"mosaic_{limit_rows}.xlsx"
        limit_truth = ensure(limit_path, limit_rows, "xlsx")
        limit = Timed(f"iro-stats report (xlsx of {EXCEL_MAX_ROWS:,} rows, 1 run)",
                      [tool, "report", str(limit_path), *fy, "--format", "json"])
        run_once(limit)

    problems = check_report(cmds["report csv"], csv_truth) + \
        check_report(cmds["report single"], single_truth) + \
        check_report(cmds["report xlsx"], xlsx_truth)
    if "duckdb checks" in cmds:
        problems += check_report(cmds["duckdb checks"], csv_truth)
    if limit is not None:
        problems += check_report(limit, limit_truth)
    if reviews is not None:
        problems += check_reviews(cmds["reviews"], reviews_truth) + \
            check_reviews(cmds["reviews 903"], reviews_truth)

    rows = [(c.name, c.wall, c.rss_mb, c.failed) for c in cmds.values()]
    if limit is not None:
        rows.append((limit.name, limit.wall, limit.rss_mb, limit.failed))
    print(f"\nMachine: {machine()}")
    print(f"Data: {args.rows:,}-row Mosaic CSV ({csv_path.stat().st_size / 1e6:.0f} MB), "
          f"the same rows with most escalations a single stage ("
          f"{single_path.stat().st_size / 1e6:.0f} MB), "
          f"{args.xlsx_rows:,}-row xlsx ({xlsx_path.stat().st_size / 1e6:.0f} MB); "
          f"median of {args.runs} runs\n")
    print(f"| {'command':<48} | {'wall s':>7} | {'peak MB':>8} |")
    print(f"|{'-' * 50}|{'-' * 9}:|{'-' * 10}:|")
    for name, wall, rss, failed in rows:
        if failed:
            print(f"| {name:<48} | failed: {failed}")
        else:
            print(f"| {name:<48} | {wall:7.2f} | {rss:8.0f} |")
    for name in unavailable:
        print(f"| {name:<48} | {'-':>7} | {'-':>8} |")

    def ratio(a, b):
        if a not in cmds or b not in cmds or cmds[a].failed or cmds[b].failed:
            return None
        return cmds[a].wall / cmds[b].wall

    def memory(a, b):
        if cmds[a].failed or cmds[b].failed:
            return None
        return cmds[a].rss_mb / cmds[b].rss_mb

    targets = [
        ("report / plain pandas, time (CSV)", ratio("report csv", "pandas"), "<=", 1.0),
        ("report / DuckDB, time (CSV)", ratio("report csv", "duckdb"), "<=", 2.5),
        ("report / plain pandas, peak memory (CSV)", memory("report csv", "pandas"), "<=",
         2.0),
        ("report / plain pandas, time (single-stage)", ratio("report single", "pandas single"),
         "<=", 1.0),
        ("report / DuckDB, time (single-stage)", ratio("report single", "duckdb single"),
         "<=", 2.5),
        ("report / plain pandas, peak memory (single-stage)",
         memory("report single", "pandas single"), "<=", 2.0),
        ("report / plain pandas, time (sample extracts)",
         ratio("report samples", "pandas samples"), "<=", 1.0),
        ("openpyxl read / report, time (xlsx)", ratio("openpyxl", "report xlsx"), ">=", 5.0),
        ("iro-stats --help / import click, time", ratio("help", "click"), "<=", 1.5),
        ("reviews, seconds (100k reviews, 20k periods)",
         None if "reviews" not in cmds or cmds["reviews"].failed else cmds["reviews"].wall,
         "<=", 2.0),
    ]
    print(f"\n| {'target':<49} | {'ratio':>6} | {'target':>7} | met |")
    print(f"|{'-' * 51}|{'-' * 7}:|{'-' * 9}:|-----|")
    all_met = True
    for name, value, op, bound in targets:
        if value is None:
            print(f"| {name:<49} | {'-':>6} | {op} {bound:<4} | n/a |")
            continue
        met = value <= bound if op == "<=" else value >= bound
        all_met &= met
        print(f"| {name:<49} | {value:6.2f} | {op} {bound:<4} | {'yes' if met else 'NO'} |")
    compared = ratio("report csv", "duckdb checks")
    if compared is not None:
        print(f"\nFor comparison, no target: report / DuckDB with report's checks, time "
              f"(CSV): {compared:.2f}")
    chain = ratio("reviews", "reviews pandas")
    if chain is not None:
        print(f"For comparison, no target: reviews / plain pandas due-date chain, time: "
              f"{chain:.2f}")
    print("\nReport figures checked against the generator: "
          + ("all correct" if not problems else "WRONG:\n  " + "\n  ".join(problems)))
    if args.json:
        if limit is not None:
            cmds["excel limit"] = limit
        args.json.write_text(json.dumps({
            "machine": machine(), "runs": args.runs,
            "commands": {k: {"name": c.name, "wall_s": c.wall, "peak_mb": c.rss_mb,
                             "failed": c.failed} for k, c in cmds.items()},
            "targets": {n: v for n, v, _, _ in targets},
            "comparisons": {"report / DuckDB with report's checks, time (CSV)": compared,
                            "reviews / plain pandas due-date chain, time": chain},
            "problems": problems}, indent=1))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
