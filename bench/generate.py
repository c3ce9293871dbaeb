"""Generate (or reuse) a benchmark data set: the simulator's quarter at a given number of position items.

Data sets are cached in bench/data/items-<N>-seed-<S>/ (gitignored); a finished set has a manifest.json, so an
interrupted generation is redone, never half-used.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import shutil
import time
from pathlib import Path

ITEMS_PER_ORDER = 5 / 3  # the simulator draws 1, 1, 1, 2, 2 or 3 items per order
DATA = Path(__file__).resolve().parent / "data"


def data_dir(items: int, seed: int, root: Path = DATA) -> Path:
    return root / f"items-{items}-seed-{seed}"


def generate(items: int, seed: int = 7, root: Path = DATA) -> tuple[Path, dict[str, object]]:
    """The folder of the data set and its manifest (counts per kind, generation seconds)."""
    folder = data_dir(items, seed, root)
    manifest_path = folder / "manifest.json"
    if manifest_path.exists():
        return folder, json.loads(manifest_path.read_text(encoding="utf-8"))
    from recon.simulate.quarter import simulate
    from recon.simulate.write import write_quarter

    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    # The quarter is millions of small objects that all live until the end: the cyclic collector would walk
    # them over and over and never free one (at 100k, alternating: 5.6 and 6.3 CPU s without it, 6.8 and 8.9
    # with it).
    gc.disable()
    try:
        quarter = simulate(orders=max(300, round(items / ITEMS_PER_ORDER)), seed=seed, corrections="daily")
        files = write_quarter(quarter, folder / "files", pretty=False, receipt_pages="day")
    finally:
        gc.enable()
    manifest: dict[str, object] = {
        "requested_items": items,
        "seed": seed,
        "orders": len(quarter.orders),
        "position_items": sum(len(o.items) for o in quarter.orders),
        "receipts": len(quarter.receipt_records),
        "invoice_lines": sum(len(i.lines) for i in quarter.invoices),
        "correction_lines": sum(len(c.lines) for c in quarter.corrections),
        "payout_lines": sum(len(p.lines) for p in quarter.payouts),
        "files": {kind: sum(1 for f in files if f.parent.name == kind)
                  for kind in ("invoices", "corrections", "payouts", "receipts")},
        "bytes": sum(f.stat().st_size for f in files),
        "as_of": quarter.as_of.isoformat(),
        "expected_discrepancies": len(quarter.expected),
        "generation_seconds": round(time.perf_counter() - started, 1),
    }
    usage = resource.getrusage(resource.RUSAGE_SELF)  # this process did the whole generation
    manifest["generation_cpu_s"] = round(usage.ru_utime + usage.ru_stime, 1)
    manifest["generation_peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)  # Linux reports KiB
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return folder, manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("items", type=int)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--root", type=Path, default=DATA)
    args = parser.parse_args()
    folder, manifest = generate(args.items, args.seed, args.root)
    print(folder)
    print(json.dumps(manifest, indent=2))


if __name__ == "__main__":
    main()
