"""Compare two recon databases table by table (e.g. main against a speed branch on the same files).

Prints one line per table (rows and the SHA-256 of its sorted rows, without the columns that say when and by
whom) and whether both databases agree; `--findings A.json B.json` also compares two `recon reconcile --json`
outputs. Exit status 1 on any difference.

    python bench/compare_dbs.py OLD.duckdb NEW.duckdb [--findings OLD.json NEW.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import duckdb
import polars as pl

VOLATILE = {"imported_at", "imported_by", "applied_at"}
# Bookkeeping of the store itself, not business content (which migrations ran, when).
NOT_BUSINESS = {"schema_migrations"}


def table_hashes(path: Path) -> dict[str, tuple[int, str]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [n for (n,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1"
        ).fetchall()]
        found: dict[str, tuple[int, str]] = {}
        for name in names:
            if name in NOT_BUSINESS:
                continue
            frame: pl.DataFrame = con.table(name).pl()
            frame = frame.select([c for c in frame.columns if c not in VOLATILE])
            frame = frame.sort(frame.columns, nulls_last=True) if frame.width else frame
            text = frame.write_csv(separator=";", null_value="<null>")
            found[name] = (frame.height, hashlib.sha256(text.encode("utf-8")).hexdigest())
        return found
    finally:
        con.close()


def findings_of(path: Path) -> str:
    data = json.loads(path.read_text(encoding="utf-8"))
    for key in ("generated_at", "created_at", "database", "db"):
        if isinstance(data, dict):
            data.pop(key, None)
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--findings", type=Path, nargs=2, metavar=("OLD_JSON", "NEW_JSON"))
    args = parser.parse_args(argv)
    old, new = table_hashes(args.old), table_hashes(args.new)
    same = True
    for name in sorted(set(old) | set(new)):
        a, b = old.get(name), new.get(name)
        ok = a == b
        same &= ok
        shown = f"{a[0]} rows {a[1][:16]}" if a else "missing"
        print(f"{'same' if ok else 'DIFFERENT':9} {name:28} {shown}" + ("" if ok else f"  vs  {b}"))
    if args.findings:
        ok = findings_of(args.findings[0]) == findings_of(args.findings[1])
        same &= ok
        print(f"{'same' if ok else 'DIFFERENT':9} findings (reconcile --json)")
    print("EXACT" if same else "NOT EXACT")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
