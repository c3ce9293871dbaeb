"""`make bench`: time recon at a big seller's scale against two baselines, each stage as its own process.

For every size (position items) it generates (or reuses, see bench/generate.py) a simulated quarter, then runs
`--repeat` rounds (default 3) of

- floor      the least work any importer must do (bench/baselines.py: CSV parse + typed msgspec decode);
- duckdb     what a user scripting DuckDB directly would do (bench/baselines.py: transcode, typed read_csv,
             read_json + unnest into a fresh DuckDB file);
- import     `recon import` of every file into a fresh database;

in an order that rotates each round (so a slow moment of the shared machine does not always hit the same
stage), then `recon reconcile --json` and `recon report --excel` on the last database, `--repeat` times each,
and the start-up of `recon --help` and `recon sources`. Every stage reports the MEDIAN of its runs (all runs
are kept in the JSON), and import is printed as a ratio to both baselines, computed from the medians.

Each stage is a child process: wall seconds from the parent, peak RSS from the kernel (wait4's rusage of that
child alone). It prints a table and writes the same as JSON (default bench/results.json), with the machine's
load average before and after, so a run on a busy machine says so.

    .venv/bin/python bench/run.py                       # 10k, 100k and 1M position items
    .venv/bin/python bench/run.py --sizes 1000 --out /tmp/r.json --data /tmp/bench-data
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import DATA, data_dir  # noqa: E402

HERE = Path(__file__).resolve().parent
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
NOT_YET = 2  # exit status of a command whose issue has not landed ("not yet implemented")
TARGETS_1M = {"import_over_floor": 3.0, "import_over_duckdb": 1.0, "reconcile_s": 5.0, "report_s": 10.0,
              "startup_s": 0.3, "peak_rss_mb": 1024.0}
BASELINES = HERE / "baselines.py"


@dataclass
class Stage:
    size: int
    stage: str
    status: str  # "ok", "not available", "failed"
    rows: int
    seconds: float | None  # the median of the runs
    rows_per_s: float | None
    peak_rss_mb: float | None  # the largest of the runs
    cpu_s: float | None = None  # median user + system time: steadier than wall time on a busy machine
    note: str = ""
    runs: list[float] = field(default_factory=list)  # wall seconds of every run, in the order they ran


def run_stage(size: int, name: str, rows: int, argv: list[str], env: dict[str, str]) -> tuple[Stage, str]:
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    # wait4 gives the rusage of this child (and its own children) alone: per-stage peak RSS.
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    out = proc.stdout.read() if proc.stdout else ""
    err = proc.stderr.read() if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    peak = round(usage.ru_maxrss / 1024, 1)  # Linux reports KiB
    cpu = round(usage.ru_utime + usage.ru_stime, 2)
    if code == NOT_YET and "not yet implemented" in err:
        return Stage(size, name, "not available", rows, None, None, None, None, err.strip().splitlines()[-1]), out
    if code != 0:
        tail = (err.strip() or out.strip()).splitlines()[-1:] or [""]
        note = f"exit {code}: {tail[0][:200]}"
        return Stage(size, name, "failed", rows, round(seconds, 2), None, peak, cpu, note, [seconds]), out
    return Stage(size, name, "ok", rows, round(seconds, 3), round(rows / seconds) if seconds else None, peak, cpu,
                 runs=[round(seconds, 3)]), out


def combine(runs: list[Stage]) -> Stage:
    """One stage from several runs of it: median wall and CPU seconds, the largest peak RSS, every run kept."""
    failed = [r for r in runs if r.status != "ok"]
    if failed:
        return failed[0]
    seconds = statistics.median(r.seconds for r in runs if r.seconds is not None)
    cpu = statistics.median(r.cpu_s for r in runs if r.cpu_s is not None)
    first = runs[0]
    return Stage(first.size, first.stage, "ok", first.rows, round(seconds, 3),
                 round(first.rows / seconds) if seconds else None, max(r.peak_rss_mb or 0 for r in runs),
                 round(cpu, 2), first.note, [x for r in runs for x in r.runs])


def available(recon: list[str], command: str) -> str | None:
    """None if the command is there; else its own words. A stub answers `--help` with "not yet implemented"."""
    proc = subprocess.run([*recon, command, "--help"], capture_output=True, text=True, check=False)
    text = proc.stdout + proc.stderr
    if proc.returncode != 0 or "not yet implemented" in text.lower():
        return f"recon {command}: not yet implemented"
    return None


def fresh(db: Path) -> Path:
    for leftover in (db, db.with_suffix(".duckdb.wal")):
        leftover.unlink(missing_ok=True)
    return db


def bench_size(
    size: int, seed: int, data_root: Path, work: Path, recon: list[str], repeat: int
) -> tuple[dict[str, object], list[Stage]]:
    folder = data_dir(size, seed, data_root)
    if not (folder / "manifest.json").exists():
        # In a process of its own: a forked child's peak RSS starts at its parent's, so the parent stays small.
        print(f"   generating {size:,} position items into {folder} (cached)", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(size), "--seed", str(seed),
                        "--root", str(data_root)], check=True, stdout=subprocess.DEVNULL)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    files = folder / "files"
    items = int(manifest["position_items"])  # type: ignore[call-overload]
    db = work / f"bench-{size}.duckdb"
    as_of = str(manifest["as_of"])
    # RECON_AS_OF: the import stores the run of the data set's as-of day (recon.engine.results), the one the
    # dashboard opens with and `reconcile` below asks for.
    env = {**os.environ, "RECON_DB": str(db), "PYTHONHASHSEED": "0", "RECON_AS_OF": as_of}
    commands = {
        "floor": lambda: [sys.executable, str(BASELINES), "floor", str(files)],
        "duckdb": lambda: [sys.executable, str(BASELINES), "duckdb", str(files), str(fresh(work / "direct.duckdb"))],
        "import": lambda: [*recon, "import", "--db", str(fresh(db)), str(files)],
    }
    runs: dict[str, list[Stage]] = {name: [] for name in commands}
    import_note = ""
    for round_ in range(repeat):
        names = list(commands)
        order = names[round_ % len(names):] + names[:round_ % len(names)]  # rotate: alternate who goes first
        for name in order:
            stage, out = run_stage(size, name, items, commands[name](), env)
            if name == "import":
                import_note = stage.note or (out.strip().splitlines()[-1] if out.strip() else "")
            runs[name].append(stage)
            print(f"   {name:<10} run {round_ + 1}/{repeat}: {stage.status} {stage.seconds} s", file=sys.stderr,
                  flush=True)
    stages = [combine(runs[name]) for name in commands]
    stages[-1].note = import_note
    # The last run of the loop may not have been the import: import once more so the database is recon's.
    if order[-1] != "import" or stages[-1].status != "ok":
        run_stage(size, "import", items, commands["import"](), env)
    if stages[-1].status == "ok":
        found = work / f"recon-{size}.json"
        stages.append(combine([run_stage(size, "reconcile", items, [
            *recon, "reconcile", "--db", str(db), "--as-of", as_of, "--json", str(found)], env)[0]
            for _ in range(repeat)]))
        # The same reconciliation computed afresh every run: a --from before every document is another key,
        # so nothing stored is reused (and each run stores its own).
        stages.append(combine([run_stage(size, "reconcile fresh", items, [
            *recon, "reconcile", "--db", str(db), "--as-of", as_of, "--from", f"2000-01-0{n + 1}",
            "--json", str(work / f"recon-{size}-fresh.json")], env)[0] for n in range(repeat)]))
        stages[-1].note = "nothing stored reused"
        missing = available(recon, "report")
        if missing:
            stages.append(Stage(size, "report", "not available", items, None, None, None, None, missing))
        else:
            stages.append(combine([run_stage(size, "report", items, [
                *recon, "report", "--db", str(db), "--as-of", as_of, "--excel", str(work / f"report-{size}.xlsx")],
                env)[0] for _ in range(repeat)]))
        if found.exists():
            manifest["discrepancies_found"] = len(json.loads(found.read_text(encoding="utf-8"))["discrepancies"])
    manifest["db_bytes"] = db.stat().st_size if db.exists() else None
    return manifest, stages


def startup(recon: list[str], db: Path, repeat: int) -> list[Stage]:
    """Seconds until `recon --help` and `recon sources` (on a small database) are done: start-up cost."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    out = []
    for name, argv in (("help", [*recon, "--help"]), ("sources", [*recon, "sources", "--db", str(db)])):
        runs = [run_stage(0, f"startup {name}", 1, argv, env)[0] for _ in range(max(5, repeat))]
        stage = combine(runs)
        stage.rows_per_s = None
        out.append(stage)
    return out


def slope(points: list[tuple[int, float]]) -> dict[str, object] | None:
    """Least-squares fit seconds = a + b * items (b per million items); the marginal cost between neighbouring
    sizes (the same b throughout = linear); and the log-log exponent (below 1 while fixed costs weigh in)."""
    if len(points) < 2:
        return None
    import math

    points = sorted(points)
    marginal = [
        {"from": a[0], "to": b[0], "seconds_per_million_items": round((b[1] - a[1]) / ((b[0] - a[0]) / 1e6), 2)}
        for a, b in zip(points, points[1:], strict=False) if b[0] > a[0]
    ]

    n = len(points)
    xs, ys = [p[0] / 1e6 for p in points], [p[1] for p in points]
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0.0
    lx, ly = [math.log(p[0]) for p in points], [math.log(max(p[1], 1e-3)) for p in points]
    mlx, mly = sum(lx) / n, sum(ly) / n
    slx = sum((x - mlx) ** 2 for x in lx)
    exponent = sum((x - mlx) * (y - mly) for x, y in zip(lx, ly, strict=True)) / slx if slx else 0.0
    return {"seconds_per_million_items": round(b, 2), "intercept_s": round(my - b * mx, 2),
            "marginal": marginal, "loglog_exponent": round(exponent, 2)}


def machine() -> dict[str, object]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "os": platform.platform(),
            "python": platform.python_version(), "load_at_start": os.getloadavg()[0]}


def ratio(stages: list[Stage], size: int, baseline: str) -> float | None:
    """Median import seconds over the baseline's median seconds, for one size."""
    by_name = {s.stage: s for s in stages if s.size == size}
    imported, base = by_name.get("import"), by_name.get(baseline)
    if imported and base and imported.seconds and base.seconds and imported.status == base.status == "ok":
        return round(imported.seconds / base.seconds, 2)
    return None


def table(stages: list[Stage]) -> str:
    head = (f"{'items':>9} {'stage':<16} {'median s':>8} {'cpu s':>7} {'rows/s':>10} {'peak RSS MB':>11} "
            f"{'x floor':>8} {'x duckdb':>8}  runs / note")
    lines = [head, "-" * len(head)]
    for s in stages:
        x_floor = x_duck = ""
        if s.stage == "import":
            x_floor = f"{ratio(stages, s.size, 'floor') or 0:.2f}"
            x_duck = f"{ratio(stages, s.size, 'duckdb') or 0:.2f}"
        sec = f"{s.seconds:.2f}" if s.seconds is not None else "-"
        rps = f"{s.rows_per_s:,.0f}" if s.rows_per_s else "-"
        rss = f"{s.peak_rss_mb:,.0f}" if s.peak_rss_mb is not None else "-"
        cpu = f"{s.cpu_s:.1f}" if s.cpu_s is not None else "-"
        runs = " ".join(f"{r:.2f}" for r in s.runs)
        note = s.note if s.status == "ok" else f"{s.status} {s.note}".strip()
        lines.append(f"{s.size:>9,} {s.stage:<16} {sec:>8} {cpu:>7} {rps:>10} {rss:>11} {x_floor:>8} {x_duck:>8}  "
                     f"[{runs}] {note[:80]}")
    return "\n".join(lines)


def markdown(result: dict[str, object]) -> str:
    """The table of a results file as Markdown (for bench/README.md and the README's Performance section)."""
    datasets: dict[str, dict[str, object]] = result["datasets"]  # type: ignore[assignment]
    floor: dict[str, float] = result["import_over_floor"]  # type: ignore[assignment]
    duck: dict[str, float] = result.get("import_over_duckdb", {})  # type: ignore[assignment]
    rows = ["| position items | stage | median s | CPU s | rows/s | peak RSS MB | import / floor | import / duckdb |",
            "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for s in result["stages"]:  # type: ignore[attr-defined]
        size = str(s["size"])
        items = f"{datasets[size]['position_items']:,}" if size in datasets else "–"
        if s["status"] != "ok":
            rows.append(f"| {items} | {s['stage']} | – | – | – | – | {s['status']} | |")
            continue
        x_floor = f"{floor[size]:.2f}" if s["stage"] == "import" and size in floor else ""
        x_duck = f"{duck[size]:.2f}" if s["stage"] == "import" and size in duck else ""
        rps = f"{s['rows_per_s']:,}" if s.get("rows_per_s") else ""
        rows.append(f"| {items} | {s['stage']} | {s['seconds']:.2f} | {s['cpu_s']:.1f} | {rps} | "
                    f"{s['peak_rss_mb']:,.0f} | {x_floor} | {x_duck} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES),
                        help="position items per data set, comma-separated (default: 10000,100000,1000000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="runs of every stage; the median counts (default 3)")
    parser.add_argument("--data", type=Path, default=DATA, help="cache of generated data sets (default: bench/data)")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument("--work", type=Path, default=None, help="where databases and outputs go (default: a temp dir)")
    parser.add_argument("--markdown", type=Path, metavar="RESULTS", help="only print a results.json as Markdown")
    args = parser.parse_args(argv)
    if args.markdown:
        print(markdown(json.loads(args.markdown.read_text(encoding="utf-8"))))
        return 0
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    repeat = max(1, args.repeat)
    recon = [sys.executable, "-m", "recon"]
    stages: list[Stage] = []
    manifests: dict[str, object] = {}
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="recon-bench-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            print(f"== {size:,} position items, {repeat} runs per stage", file=sys.stderr, flush=True)
            manifest, found = bench_size(size, args.seed, args.data, work, recon, repeat)
            manifests[str(size)] = manifest
            stages += found
        stages += startup(recon, work / f"bench-{sizes[0]}.duckdb", repeat)
    ratios = {str(size): r for size in sizes if (r := ratio(stages, size, "floor")) is not None}
    ratios_duck = {str(size): r for size in sizes if (r := ratio(stages, size, "duckdb")) is not None}
    slopes = {name: slope([(int(manifests[str(s.size)]["position_items"]), s.seconds)  # type: ignore[index]
                           for s in stages if s.stage == name and s.status == "ok" and s.seconds is not None])
              for name in ("floor", "duckdb", "import", "reconcile", "reconcile fresh", "report")}
    result = {
        "machine": {**machine(), "load_before": [round(x, 2) for x in load_before],
                    "load_after": [round(x, 2) for x in os.getloadavg()]},
        "sizes": sizes,
        "repeat": repeat,
        "datasets": manifests,
        "stages": [asdict(s) for s in stages],
        "import_over_floor": ratios,
        "import_over_duckdb": ratios_duck,
        "slopes": slopes,
        "targets_1m": TARGETS_1M,
    }
    print(table(stages))
    print("\nslope: seconds per million position items (least squares, then between neighbouring sizes)")
    for name, fit in slopes.items():
        if fit:
            steps = ", ".join(f"{m['from']:,}->{m['to']:,}: {m['seconds_per_million_items']}"
                              for m in fit["marginal"])  # type: ignore[attr-defined]
            print(f"  {name:<10} {fit['seconds_per_million_items']:>7.2f} + {fit['intercept_s']} s fixed   ({steps})")
    print(f"\nload average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f} (2 cores: above ~1 the "
          "machine was shared and wall times are inflated; CPU seconds are steadier)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")
    return 0 if all(s.status != "failed" for s in stages) else 1


if __name__ == "__main__":
    raise SystemExit(main())
