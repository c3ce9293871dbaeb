"""`make bench`: time recon at a big seller's scale against the raw parse, each stage as its own process.

For every size (position items) it generates (or reuses, see bench/generate.py) a simulated quarter, then runs:

- floor      the least any importer must do: windows-1252 decoding and polars' read_csv for every CSV, and
             polars' read_json for every receipts page (same files as the import);
- import     `recon import` of every file into a fresh database;
- reconcile  `recon reconcile --json` on it;
- report     `recon report --excel` (skipped with "not available" while the command says "not yet implemented").

Each stage is a child process: wall seconds from the parent, peak RSS from the kernel (wait4's rusage of that
child alone). It prints a table and writes the same as JSON (default bench/results.json).

    .venv/bin/python bench/run.py                       # 10k, 100k and 1M position items
    .venv/bin/python bench/run.py --sizes 1000 --out /tmp/r.json --data /tmp/bench-data
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import DATA, data_dir  # noqa: E402

HERE = Path(__file__).resolve().parent
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
NOT_YET = 2  # exit status of a command whose issue has not landed ("not yet implemented")
TARGETS_1M = {"import_over_floor": 3.0, "reconcile_s": 10.0, "report_s": 30.0, "peak_rss_mb": 2048.0}

FLOOR_SCRIPT = r"""
import sys
from pathlib import Path
import polars as pl

rows = 0
for path in sorted(Path(sys.argv[1]).rglob("*")):
    if path.suffix == ".csv":
        text = path.read_bytes().decode("cp1252").encode("utf-8")
        rows += pl.read_csv(text, separator=";", infer_schema=False).height
    elif path.suffix == ".json":
        frame = pl.read_json(path.read_bytes())
        rows += frame.select(pl.col("resources").list.len().sum()).item()
print(rows)
"""


@dataclass
class Stage:
    size: int
    stage: str
    status: str  # "ok", "not available", "failed"
    rows: int
    seconds: float | None
    rows_per_s: float | None
    peak_rss_mb: float | None
    cpu_s: float | None = None  # user + system time of the stage: steadier than wall time on a busy machine
    note: str = ""


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
        return Stage(size, name, "failed", rows, round(seconds, 2), None, peak, cpu, note), out
    return Stage(size, name, "ok", rows, round(seconds, 2), round(rows / seconds) if seconds else None, peak, cpu), out


def available(recon: list[str], command: str) -> str | None:
    """None if the command is there; else its own words. A stub answers `--help` with "not yet implemented"."""
    proc = subprocess.run([*recon, command, "--help"], capture_output=True, text=True, check=False)
    text = proc.stdout + proc.stderr
    if proc.returncode != 0 or "not yet implemented" in text.lower():
        return f"recon {command}: not yet implemented"
    return None


def bench_size(
    size: int, seed: int, data_root: Path, work: Path, recon: list[str]
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
    for leftover in (db, db.with_suffix(".duckdb.wal")):
        leftover.unlink(missing_ok=True)
    env = {**os.environ, "RECON_DB": str(db), "PYTHONHASHSEED": "0"}
    as_of = str(manifest["as_of"])
    stages = []
    floor, _ = run_stage(size, "floor", items, [sys.executable, "-c", FLOOR_SCRIPT, str(files)], env)
    stages.append(floor)
    imported, out = run_stage(size, "import", items, [*recon, "import", "--db", str(db), str(files)], env)
    imported.note = imported.note or (out.strip().splitlines()[-1] if out.strip() else "")
    stages.append(imported)
    if imported.status == "ok":
        stages.append(run_stage(size, "reconcile", items, [*recon, "reconcile", "--db", str(db), "--as-of", as_of,
                                                           "--json", str(work / f"recon-{size}.json")], env)[0])
        missing = available(recon, "report")
        if missing:
            stages.append(Stage(size, "report", "not available", items, None, None, None, None, missing))
        else:
            stages.append(run_stage(size, "report", items, [*recon, "report", "--db", str(db), "--as-of", as_of,
                                                            "--excel", str(work / f"report-{size}.xlsx")], env)[0])
        found = work / f"recon-{size}.json"
        if found.exists():
            manifest["discrepancies_found"] = len(json.loads(found.read_text(encoding="utf-8"))["discrepancies"])
    manifest["db_bytes"] = db.stat().st_size if db.exists() else None
    return manifest, stages


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


def table(stages: list[Stage], floors: dict[int, float]) -> str:
    head = (f"{'items':>9} {'stage':<10} {'seconds':>8} {'cpu s':>7} {'rows/s':>10} {'peak RSS MB':>11} "
            f"{'x floor':>8}  note")
    lines = [head, "-" * len(head)]
    for s in stages:
        ratio = ""
        if s.stage == "import" and s.seconds and floors.get(s.size):
            ratio = f"{s.seconds / floors[s.size]:.2f}"
        sec = f"{s.seconds:.2f}" if s.seconds is not None else "-"
        rps = f"{s.rows_per_s:,.0f}" if s.rows_per_s else "-"
        rss = f"{s.peak_rss_mb:,.0f}" if s.peak_rss_mb is not None else "-"
        note = s.status if s.status != "ok" else ""
        note = f"{note} {s.note}".strip() if s.stage != "import" or s.status != "ok" else s.note
        cpu = f"{s.cpu_s:.1f}" if s.cpu_s is not None else "-"
        lines.append(f"{s.size:>9,} {s.stage:<10} {sec:>8} {cpu:>7} {rps:>10} {rss:>11} {ratio:>8}  {note[:90]}")
    return "\n".join(lines)


def markdown(result: dict[str, object]) -> str:
    """The table of a results file as Markdown (for the README's Performance section)."""
    datasets: dict[str, dict[str, object]] = result["datasets"]  # type: ignore[assignment]
    ratios: dict[str, float] = result["import_over_floor"]  # type: ignore[assignment]
    rows = ["| position items | stage | seconds | CPU s | rows/s | peak RSS MB | import / floor |",
            "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
    for s in result["stages"]:  # type: ignore[attr-defined]
        items = f"{datasets[str(s['size'])]['position_items']:,}"
        if s["status"] != "ok":
            rows.append(f"| {items} | {s['stage']} | – | – | – | – | {s['status']} |")
            continue
        ratio = f"{ratios[str(s['size'])]:.2f}" if s["stage"] == "import" and str(s["size"]) in ratios else ""
        rows.append(f"| {items} | {s['stage']} | {s['seconds']:.2f} | {s['cpu_s']:.1f} | {s['rows_per_s']:,} | "
                    f"{s['peak_rss_mb']:,.0f} | {ratio} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES),
                        help="position items per data set, comma-separated (default: 10000,100000,1000000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data", type=Path, default=DATA, help="cache of generated data sets (default: bench/data)")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument("--work", type=Path, default=None, help="where databases and outputs go (default: a temp dir)")
    parser.add_argument("--markdown", type=Path, metavar="RESULTS", help="only print a results.json as Markdown")
    args = parser.parse_args(argv)
    if args.markdown:
        print(markdown(json.loads(args.markdown.read_text(encoding="utf-8"))))
        return 0
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    recon = [sys.executable, "-c", "import sys; from recon.cli import main; sys.exit(main())"]
    stages: list[Stage] = []
    manifests: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="recon-bench-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            print(f"== {size:,} position items", file=sys.stderr, flush=True)
            manifest, found = bench_size(size, args.seed, args.data, work, recon)
            manifests[str(size)] = manifest
            stages += found
            for s in found:
                shown = "-" if s.seconds is None else f"{s.seconds} s"
                print(f"   {s.stage:<10} {s.status:<13} {shown}", file=sys.stderr, flush=True)
    floors = {s.size: s.seconds for s in stages if s.stage == "floor" and s.seconds}
    ratios = {str(s.size): round(s.seconds / floors[s.size], 2)
              for s in stages if s.stage == "import" and s.seconds and floors.get(s.size)}
    slopes = {name: slope([(int(manifests[str(s.size)]["position_items"]), s.seconds)  # type: ignore[index]
                           for s in stages if s.stage == name and s.status == "ok" and s.seconds is not None])
              for name in ("floor", "import", "reconcile", "report")}
    result = {
        "machine": machine(),
        "sizes": sizes,
        "datasets": manifests,
        "stages": [asdict(s) for s in stages],
        "import_over_floor": ratios,
        "slopes": slopes,
        "targets_1m": TARGETS_1M,
    }
    print(table(stages, floors))
    print("\nslope: seconds per million position items (least squares, then between neighbouring sizes)")
    for name, fit in slopes.items():
        if fit:
            steps = ", ".join(f"{m['from']:,}->{m['to']:,}: {m['seconds_per_million_items']}"
                              for m in fit["marginal"])  # type: ignore[attr-defined]
            print(f"  {name:<10} {fit['seconds_per_million_items']:>7.2f} + {fit['intercept_s']} s fixed   ({steps})")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")
    return 0 if all(s.status != "failed" for s in stages) else 1


if __name__ == "__main__":
    raise SystemExit(main())
