"""bench/README.md's results section, written from a results.json, so no number in it is typed by hand.

The section sits between the two marker lines below; everything else in the README is left as it is.

    .venv/bin/python bench/readme.py [bench/results.json] [bench/README.md]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

BEGIN = "<!-- results:begin (written by bench/readme.py from bench/results.json; do not edit by hand) -->"
END = "<!-- results:end -->"
HERE = Path(__file__).resolve().parent


def _num(value: Any, digits: int = 2) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def stage_table(result: dict[str, Any]) -> list[str]:
    datasets: dict[str, dict[str, Any]] = result["datasets"]
    floor: dict[str, float] = result.get("import_over_floor", {})
    duck: dict[str, float] = result.get("import_over_duckdb", {})
    rows = ["| position items | stage | median s | CPU s | rows/s | peak RSS MB | x floor | x duckdb | runs (s) | "
            "load | note |",
            "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |"]
    for s in result["stages"]:
        size = str(s["size"])
        items = f"{datasets[size]['position_items']:,}" if size in datasets else "–"
        if s["status"] != "ok":
            rows.append(f"| {items} | {s['stage']} | – | – | – | – | | | | | {s['status']} {s.get('note', '')} |")
            continue
        is_import = s["stage"] == "import"
        x_floor = _num(floor.get(size)) if is_import else ""
        x_duck = _num(duck.get(size)) if is_import else ""
        runs = " ".join(f"{r:.2f}" for r in s.get("runs", []))
        loads = s.get("load") or []
        load = f"{sorted(loads)[len(loads) // 2]:.1f}" if loads else ""
        extra = ", ".join(f"{k.replace('_', ' ')} {v:.2f}" for k, v in (s.get("extra") or {}).items())
        note = "; ".join(x for x in (extra, s.get("note", "")[:60] if s["stage"] == "generate" else "") if x)
        rows.append(f"| {items} | {s['stage']} | {_num(s['seconds'])} | {_num(s.get('cpu_s'), 1)} | "
                    f"{_num(s.get('rows_per_s'), 0) if s.get('rows_per_s') else ''} | {_num(s['peak_rss_mb'], 0)} | "
                    f"{x_floor} | {x_duck} | {runs} | {load} | {note} |")
    return rows


def target_table(result: dict[str, Any]) -> list[str]:
    rows = ["| target (1M position items) | limit | measured | result |", "| --- | ---: | ---: | --- |"]
    for t in result.get("targets", []):
        limit = "" if t["limit"] is None else f"{t['comparison']} {t['limit']:g}"
        value = t["value"]
        shown = "–" if value is None else (f"{value:,.2f}" if isinstance(value, float | int) else str(value))
        rows.append(f"| {t['what']} | {limit} | {shown} | **{t['status']}** |")
    return rows


def exactness_lines(result: dict[str, Any]) -> list[str]:
    out = []
    for size, data in result["datasets"].items():
        exact = data.get("exactness") or {}
        status = exact.get("status", "not run")
        diffs = "; ".join(exact.get("differences") or [])
        notes = "; ".join(exact.get("notes") or [])
        tail = f": {diffs}" if diffs else ""
        tail += f" ({notes})" if notes else ""
        out.append(f"- {int(size):,} position items: **{status}**, {data.get('discrepancies_found', '–')} findings "
                   f"({data.get('expected_discrepancies', '–')} planted){tail}")
    return out


def linearity_lines(result: dict[str, Any]) -> list[str]:
    out = []
    scale = result.get("scaling_10m")
    if scale:
        out.append(f"10M over 1M ({scale.get('source_of_1m')}):")
        out.append("")
        out.append("| stage | 1M s | 10M s | ratio (wall) | ratio (CPU) |")
        out.append("| --- | ---: | ---: | ---: | ---: |")
        for name in ("generate", "import", "reconcile fresh", "report"):
            if name in scale:
                e = scale[name]
                out.append(f"| {name} | {e['seconds_1m']:.2f} | {e['seconds_10m']:.2f} | {e['ratio']:.2f} | "
                           f"{e['cpu_ratio']:.2f} |")
        out.append("")
    else:
        out.append("10M position items have not been run yet: `make bench SIZES=10000000` (after a 1M run, whose "
                   "numbers it takes for the ratio) or `make bench SIZES=1000000,10000000`.")
        out.append("")
    slopes = result.get("slopes") or {}
    fits = [(n, f) for n, f in slopes.items() if f]
    if fits:
        out.append("Seconds per million position items (least squares over this run's sizes; then between "
                   "neighbouring sizes; the same number throughout means linear):")
        out.append("")
        for name, fit in fits:
            steps = ", ".join(f"{m['from']:,}→{m['to']:,}: {m['seconds_per_million_items']}" for m in fit["marginal"])
            out.append(f"- {name}: {fit['seconds_per_million_items']} s/M + {fit['intercept_s']} s fixed ({steps}); "
                       f"log-log exponent {fit['loglog_exponent']}")
    return out


def markdown(result: dict[str, Any]) -> str:
    m = result["machine"]
    lines = [
        f"One run of `bench/run.py` ({result.get('finished', 'date unknown')}, {result.get('repeat')} runs per "
        f"stage, medians): {m.get('cores')} cores ({m.get('cpu')}), {m.get('memory')}, Python {m.get('python')}. "
        f"Load average before {m['load_before'][0]:.2f}, after {m['load_after'][0]:.2f} (above ~1 on 2 cores "
        "the machine was shared: wall times inflated, CPU seconds steadier; each run's load is in results.json).",
        "",
        *stage_table(result),
        "",
        "### Targets",
        "",
        *target_table(result),
        "",
        "### Exactness (findings, totals, table hashes against bench/reference/<size>.json)",
        "",
        *exactness_lines(result),
        "",
        "### Linearity",
        "",
        *linearity_lines(result),
    ]
    return "\n".join(lines)


def update_readme(readme: Path, result: dict[str, Any]) -> None:
    text = readme.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{readme}: no results markers ({BEGIN} ... {END})")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{BEGIN}\n{markdown(result)}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str]) -> int:
    results = Path(argv[0]) if argv else HERE / "results.json"
    readme = Path(argv[1]) if len(argv) > 1 else HERE / "README.md"
    update_readme(readme, json.loads(results.read_text(encoding="utf-8")))
    print(f"rewrote the results section of {readme} from {results}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
