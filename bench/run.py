"""`make bench`: time recon at a big seller's scale against two baselines, each stage as its own process.

For every size (position items) it generates (or reuses, see bench/generate.py; timed as the stage `generate`)
a simulated quarter, then runs `--repeat` rounds (default 3) of

- floor      the least work any importer must do (bench/baselines.py: CSV parse + typed msgspec decode);
- duckdb     what a user scripting DuckDB directly would do (bench/baselines.py: transcode, typed read_csv,
             read_json + unnest into a fresh DuckDB file);
- import     `recon import` of every file into a fresh database;

in an order that rotates each round (so a slow moment of the shared machine does not always hit the same
stage), then on the last database the dashboard's first overview right after that import
(bench/dashboard_timing.py), `recon reconcile --json` and `recon report --excel`, `--repeat` times each, and
the start-up of `recon --help` and `recon sources`. Every stage reports the MEDIAN of its runs (all runs are
kept in the JSON), and import is printed as a ratio to both baselines, computed from the medians.

Each stage is a child process: wall seconds from the parent, CPU seconds and peak RSS from the kernel (wait4's
rusage of that child and the children it waited for). The load average is noted before every run. It prints
a table and writes the same as JSON (default bench/results.json) with the issue-16 targets, pass or fail each,
and the exactness check: the findings, totals and table hashes of the database against bench/reference/
<size>.json (written by `--write-reference`, from the code before the speed work; see bench/exactness.py).
`--readme bench/README.md` rewrites that file's results section from the JSON (bench/readme.py).

    .venv/bin/python bench/run.py                       # 10k, 100k and 1M position items
    .venv/bin/python bench/run.py --sizes 1000 --out /tmp/r.json --data /tmp/bench-data
    .venv/bin/python bench/run.py --sizes 1000000 --repeat 1 --write-reference   # before the speed work
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
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
TARGET_SIZE = 1_000_000
# Issue 16's targets at 1M position items (upper limits; "import_over_duckdb" below 1 = faster than DuckDB
# direct). generate_over_import is this harness's reading of "a small fraction of the import time".
TARGETS_1M = {"import_over_floor": 3.0, "import_over_duckdb": 1.0, "reconcile_s": 5.0, "report_s": 10.0,
              "startup_s": 0.3, "peak_rss_mb": 1024.0, "dashboard_first_overview_s": 2.0,
              "generate_over_import": 0.5, "scale_10m_over_1m": 10.0}
RECON_STAGES = ("import", "dashboard", "reconcile fresh", "reconcile", "report", "startup help",
                "startup sources")
BASELINES = HERE / "baselines.py"
REFERENCE = HERE / "reference"


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
    cpu_runs: list[float] = field(default_factory=list)
    load: list[float] = field(default_factory=list)  # 1-minute load average when each run started
    extra: dict[str, float] = field(default_factory=dict)  # stage-specific medians (dashboard: first render)


def run_stage(size: int, name: str, rows: int, argv: list[str], env: dict[str, str]) -> tuple[Stage, str]:
    load = round(os.getloadavg()[0], 2)
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
        return Stage(size, name, "failed", rows, round(seconds, 2), None, peak, cpu, note, [seconds], [cpu],
                     [load]), out
    return Stage(size, name, "ok", rows, round(seconds, 3), round(rows / seconds) if seconds else None, peak, cpu,
                 runs=[round(seconds, 3)], cpu_runs=[cpu], load=[load]), out


def combine(runs: list[Stage]) -> Stage:
    """One stage from several runs of it: median wall and CPU seconds, the largest peak RSS, every run kept."""
    failed = [r for r in runs if r.status != "ok"]
    if failed:
        return failed[0]
    seconds = statistics.median(r.seconds for r in runs if r.seconds is not None)
    cpu = statistics.median(r.cpu_s for r in runs if r.cpu_s is not None)
    first = runs[0]
    extra = {key: round(statistics.median(r.extra[key] for r in runs if key in r.extra), 3)
             for key in first.extra}
    return Stage(first.size, first.stage, "ok", first.rows, round(seconds, 3),
                 round(first.rows / seconds) if seconds else None, max(r.peak_rss_mb or 0 for r in runs),
                 round(cpu, 2), first.note, [x for r in runs for x in r.runs], [x for r in runs for x in r.cpu_runs],
                 [x for r in runs for x in r.load], extra)


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


def generate_stage(size: int, seed: int, data_root: Path, regenerate: bool) -> tuple[dict[str, object], Stage]:
    """The data set and the stage `generate`: timed now when the set is (re)generated, else the rusage its
    generation recorded in the manifest (note "cached")."""
    folder = data_dir(size, seed, data_root)
    if regenerate:
        shutil.rmtree(folder, ignore_errors=True)
    stage = None
    if not (folder / "manifest.json").exists():
        # In a process of its own: a forked child's peak RSS starts at its parent's, so the parent stays small.
        print(f"   generating {size:,} position items into {folder} (kept there for later runs)", file=sys.stderr,
              flush=True)
        stage, _ = run_stage(size, "generate", size, [sys.executable, str(HERE / "generate.py"), str(size),
                                                      "--seed", str(seed), "--root", str(data_root)],
                             {**os.environ, "PYTHONHASHSEED": "0"})
        if stage.status != "ok":
            raise SystemExit(f"generating {size:,} position items failed: {stage.note}")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    items = int(manifest["position_items"])
    if stage is None:
        gen_s = manifest.get("generation_seconds")
        stage = Stage(size, "generate", "ok", items, gen_s, round(items / gen_s) if gen_s else None,
                      manifest.get("generation_peak_rss_mb"), manifest.get("generation_cpu_s"),
                      "cached: measured when the set was generated (--regenerate times it again)",
                      [gen_s] if gen_s else [])
    stage.rows = items
    stage.rows_per_s = round(items / stage.seconds) if stage.seconds else None
    return manifest, stage


def dashboard_run(size: int, rows: int, db: Path, as_of: str, env: dict[str, str]) -> Stage:
    """One dashboard process (a fresh Streamlit AppTest): its wall/CPU/RSS, the first overview's seconds inside
    it (what a user waits for after a server start) as extra["first_overview_s"], and the first overview in
    that running dashboard after `recon import` changed (a copy of) the data as extra["after_import_overview_s"]."""
    stage, out = run_stage(size, "dashboard", rows, [sys.executable, str(HERE / "dashboard_timing.py"), str(db),
                                                     as_of], env)
    if stage.status == "ok":
        try:
            timing = json.loads(out[out.index("{"):])
            stage.extra = {"first_overview_s": float(timing["first_render_s"]),
                           "next_overview_s": float(timing["next_render_s"]),
                           "after_import_overview_s": float(timing["after_import_render_s"])}
        except (ValueError, KeyError) as exc:
            stage.status, stage.note = "failed", f"no timing in the output: {exc}"
    return stage


def forget_runs(db: Path) -> None:
    """Drop every stored reconciliation run of the database, so the next reconcile computes from scratch."""
    import duckdb

    con = duckdb.connect(str(db))
    try:
        con.execute("DELETE FROM reconcile_results")
    finally:
        con.close()


def exactness(size: int, db: Path, found: Path, work: Path, write_reference: bool,
              reference_dir: Path) -> dict[str, object]:
    """Fingerprint the database and findings (in a child process) and compare with the stored reference."""
    current = work / f"fingerprint-{size}.json"
    reference = reference_dir / f"{size}.json"
    proc = subprocess.run([sys.executable, str(HERE / "exactness.py"), "fingerprint", str(db), str(found),
                           str(current)], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return {"status": "failed", "differences": [proc.stderr.strip()[-300:]], "reference": str(reference)}
    if write_reference:
        reference.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(current, reference)
        return {"status": "reference written", "reference": str(reference), "differences": []}
    if not reference.exists():
        return {"status": "no reference", "reference": str(reference), "differences": [],
                "notes": ["write one with `bench/run.py --sizes N --write-reference` on the code to compare with"]}
    proc = subprocess.run([sys.executable, str(HERE / "exactness.py"), "compare", str(reference), str(current)],
                          capture_output=True, text=True, check=False)
    try:
        result: dict[str, object] = json.loads(proc.stdout)
    except ValueError:
        return {"status": "failed", "differences": [proc.stderr.strip()[-300:]], "reference": str(reference)}
    result["reference"] = str(reference)
    return result


def bench_size(
    size: int, seed: int, data_root: Path, work: Path, recon: list[str], repeat: int, *,
    regenerate: bool = False, write_reference: bool = False, reference_dir: Path = REFERENCE,
) -> tuple[dict[str, object], list[Stage]]:
    manifest, generated = generate_stage(size, seed, data_root, regenerate)
    folder = data_dir(size, seed, data_root)
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
    stages = [generated] + [combine(runs[name]) for name in commands]
    stages[-1].note = import_note
    # The last run of the loop may not have been the import: import once more so the database is recon's.
    if order[-1] != "import" or stages[-1].status != "ok":
        run_stage(size, "import", items, commands["import"](), env)
    if stages[-1].status == "ok":
        # Right after the import, before reconcile: the first overview must not rely on a reconcile run.
        stages.append(combine([dashboard_run(size, items, db, as_of, env) for _ in range(repeat)]))
        found = work / f"recon-{size}.json"
        # A fresh reconciliation: the stored runs are dropped before each run (outside its timing), so it
        # computes everything, as the import that stores the run does; it stores the run again.
        fresh_runs = []
        for _ in range(repeat):
            forget_runs(db)
            fresh_runs.append(run_stage(size, "reconcile fresh", items, [
                *recon, "reconcile", "--db", str(db), "--as-of", as_of, "--json", str(found)], env)[0])
        stages.append(combine(fresh_runs))
        stages.append(combine([run_stage(size, "reconcile", items, [
            *recon, "reconcile", "--db", str(db), "--as-of", as_of, "--json", str(found)], env)[0]
            for _ in range(repeat)]))
        missing = available(recon, "report")
        if missing:
            stages.append(Stage(size, "report", "not available", items, None, None, None, None, missing))
        else:
            stages.append(combine([run_stage(size, "report", items, [
                *recon, "report", "--db", str(db), "--as-of", as_of, "--excel", str(work / f"report-{size}.xlsx")],
                env)[0] for _ in range(repeat)]))
        if found.exists():
            manifest["discrepancies_found"] = len(json.loads(found.read_text(encoding="utf-8"))["discrepancies"])
            manifest["exactness"] = exactness(size, db, found, work, write_reference, reference_dir)
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


def _median_of(stages: list[dict[str, object]], size: int, name: str) -> dict[str, object] | None:
    for s in stages:
        if s["size"] == size and s["stage"] == name and s["status"] == "ok":
            return s
    return None


def scaling(result: dict[str, object], previous: dict[str, object] | None) -> dict[str, object] | None:
    """10M over 1M medians for import and reconcile (the issue: within 10x, linear). The 1M numbers come from
    this run, or else from the previous results file (`make bench SIZES=10000000` after a 1M run), said so."""
    stages: list[dict[str, object]] = result["stages"]  # type: ignore[assignment]
    if not any(s["size"] == 10_000_000 for s in stages):
        return None
    base, source = stages, "this run"
    if not any(s["size"] == TARGET_SIZE for s in stages) and previous:
        base = previous.get("stages", [])  # type: ignore[assignment]
        source = f"1M from the previous run ({previous.get('finished', 'date unknown')})"
    out: dict[str, object] = {"source_of_1m": source}
    for name in ("generate", "import", "reconcile fresh", "report"):
        big, small = _median_of(stages, 10_000_000, name), _median_of(base, TARGET_SIZE, name)
        if big and small and big["seconds"] and small["seconds"]:
            out[name] = {"seconds_1m": small["seconds"], "seconds_10m": big["seconds"],
                         "ratio": round(float(big["seconds"]) / float(small["seconds"]), 2),  # type: ignore[arg-type]
                         "cpu_ratio": round(float(big["cpu_s"] or 0) / float(small["cpu_s"] or 1), 2)}  # type: ignore[arg-type]
    return out


def targets(result: dict[str, object]) -> list[dict[str, object]]:
    """Every issue-16 target at 1M position items with its measured value and pass / fail ("not measured"
    when the run had no 1M set or the stage did not run)."""
    stages: list[dict[str, object]] = result["stages"]  # type: ignore[assignment]
    at = TARGET_SIZE

    def stage(name: str, size: int = at) -> dict[str, object] | None:
        return _median_of(stages, size, name)

    def seconds(name: str) -> float | None:
        found = stage(name, 0 if name.startswith("startup") else at)
        return float(found["seconds"]) if found and found["seconds"] is not None else None  # type: ignore[arg-type]

    rows: list[tuple[str, str, float, float | None]] = []
    floor = result["import_over_floor"].get(str(at))  # type: ignore[attr-defined]
    duck = result["import_over_duckdb"].get(str(at))  # type: ignore[attr-defined]
    rows.append(("import_over_floor", "import / least-work floor (median s) <=", TARGETS_1M["import_over_floor"],
                 floor))
    rows.append(("import_over_duckdb", "import / DuckDB direct (median s) <", TARGETS_1M["import_over_duckdb"],
                 duck))
    rows.append(("reconcile_s", "reconcile seconds (computed, no stored run) <", TARGETS_1M["reconcile_s"],
                 seconds("reconcile fresh")))
    rows.append(("reconcile_stored_s", "reconcile seconds (the run the import stored) <", TARGETS_1M["reconcile_s"],
                 seconds("reconcile")))
    rows.append(("report_s", "report --excel seconds <", TARGETS_1M["report_s"], seconds("report")))
    rows.append(("startup_help_s", "recon --help seconds <", TARGETS_1M["startup_s"], seconds("startup help")))
    rows.append(("startup_sources_s", "recon sources seconds <", TARGETS_1M["startup_s"], seconds("startup sources")))
    dash = stage("dashboard")
    rows.append(("dashboard_first_overview_s", "dashboard first overview after an import (running dashboard), s <",
                 TARGETS_1M["dashboard_first_overview_s"],
                 dash["extra"].get("after_import_overview_s") if dash else None))  # type: ignore[attr-defined]
    rows.append(("dashboard_cold_overview_s", "dashboard first overview in a new dashboard process, s <",
                 TARGETS_1M["dashboard_first_overview_s"],
                 dash["extra"].get("first_overview_s") if dash else None))  # type: ignore[attr-defined]
    for name in RECON_STAGES:
        found = stage(name, 0 if name.startswith("startup") else at)
        rows.append((f"peak_rss_mb {name}", f"peak RSS of {name}, MB <", TARGETS_1M["peak_rss_mb"],
                     float(found["peak_rss_mb"]) if found and found["peak_rss_mb"] else None))  # type: ignore[arg-type]
    gen, imp = seconds("generate"), seconds("import")
    rows.append(("generate_over_import", "generating the set / import (median s) <=",
                 TARGETS_1M["generate_over_import"], round(gen / imp, 2) if gen and imp else None))
    scale: dict[str, object] = result.get("scaling_10m") or {}  # type: ignore[assignment]
    for name in ("import", "reconcile fresh"):
        entry: dict[str, object] = scale.get(name) or {}  # type: ignore[assignment]
        rows.append((f"scale_10m_over_1m {name}", f"{name} at 10M / at 1M <=", TARGETS_1M["scale_10m_over_1m"],
                     entry.get("ratio")))  # type: ignore[arg-type]
    out = []
    for key, text, limit, value in rows:
        strict = "<=" not in text
        status = "not measured" if value is None else \
            ("pass" if (value < limit if strict else value <= limit) else "fail")
        out.append({"target": key, "what": text.rstrip(" <="), "limit": limit,
                    "comparison": "<" if strict else "<=", "value": value, "status": status})
    sets: dict[str, dict[str, object]] = result["datasets"]  # type: ignore[assignment]
    exact: dict[str, object] = (sets.get(str(at)) or {}).get("exactness") or {}  # type: ignore[assignment]
    out.append({"target": "exactness", "what": "findings, totals and table hashes equal the reference",
                "limit": None, "comparison": "==", "value": exact.get("status"),
                "status": {"pass": "pass", "fail": "fail"}.get(str(exact.get("status")), "not measured")})
    return out


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
        if s.extra:
            note = " ".join(f"{k} {v:.2f}" for k, v in s.extra.items()) + (f"; {note}" if note else "")
        lines.append(f"{s.size:>9,} {s.stage:<16} {sec:>8} {cpu:>7} {rps:>10} {rss:>11} {x_floor:>8} {x_duck:>8}  "
                     f"[{runs}] {note[:80]}")
    return "\n".join(lines)


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
    parser.add_argument("--readme", type=Path, help="rewrite this README's results section from the results")
    parser.add_argument("--regenerate", action="store_true", help="generate the data sets again (times it)")
    parser.add_argument("--write-reference", action="store_true",
                        help="store the exactness fingerprint as the reference (bench/reference/<size>.json)")
    parser.add_argument("--reference-dir", type=Path, default=REFERENCE)
    args = parser.parse_args(argv)
    from readme import markdown, update_readme

    if args.markdown:
        print(markdown(json.loads(args.markdown.read_text(encoding="utf-8"))))
        return 0
    previous = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else None
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
            manifest, found = bench_size(size, args.seed, args.data, work, recon, repeat,
                                         regenerate=args.regenerate, write_reference=args.write_reference,
                                         reference_dir=args.reference_dir)
            manifests[str(size)] = manifest
            stages += found
        stages += startup(recon, work / f"bench-{sizes[0]}.duckdb", repeat)
    ratios = {str(size): r for size in sizes if (r := ratio(stages, size, "floor")) is not None}
    ratios_duck = {str(size): r for size in sizes if (r := ratio(stages, size, "duckdb")) is not None}
    slopes = {name: slope([(int(manifests[str(s.size)]["position_items"]), s.seconds)  # type: ignore[index]
                           for s in stages if s.stage == name and s.status == "ok" and s.seconds is not None])
              for name in ("generate", "floor", "duckdb", "import", "reconcile fresh", "reconcile", "report")}
    result: dict[str, object] = {
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
        "finished": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    result["scaling_10m"] = scaling(result, previous)
    result["targets"] = targets(result)
    print(table(stages))
    print("\nslope: seconds per million position items (least squares, then between neighbouring sizes)")
    for name, fit in slopes.items():
        if fit:
            steps = ", ".join(f"{m['from']:,}->{m['to']:,}: {m['seconds_per_million_items']}"
                              for m in fit["marginal"])  # type: ignore[attr-defined]
            print(f"  {name:<10} {fit['seconds_per_million_items']:>7.2f} + {fit['intercept_s']} s fixed   ({steps})")
    print(f"\nload average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f} (2 cores: above ~1 the "
          "machine was shared and wall times are inflated; CPU seconds are steadier)")
    for size in sizes:
        exact: dict[str, object] = manifests[str(size)].get("exactness") or {}  # type: ignore[attr-defined]
        print(f"exactness {size:,}: {exact.get('status', 'not run')} "
              f"{'; '.join(map(str, exact.get('differences') or []))[:300]}")  # type: ignore[arg-type]
    print("\ntargets at 1M position items:")
    for t in result["targets"]:  # type: ignore[attr-defined]
        limit = "" if t["limit"] is None else f" {t['comparison']} {t['limit']:g}"
        print(f"  {t['status']:<12} {t['what']}{limit}: {t['value']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")
    if args.readme:
        update_readme(args.readme, result)
        print(f"rewrote the results section of {args.readme}")
    exact_failed = any((m.get("exactness") or {}).get("status") in ("fail", "failed")  # type: ignore[attr-defined]
                       for m in manifests.values())
    return 0 if all(s.status != "failed" for s in stages) and not exact_failed else 1


if __name__ == "__main__":
    raise SystemExit(main())
