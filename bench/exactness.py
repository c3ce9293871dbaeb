"""The bench's exactness check: what a bench database holds and what reconcile found, as one comparable record.

A fingerprint is the reconcile JSON's findings (codes, keys, amounts, evidence lines), its totals, counts by
kind and tie-out, and a content hash of every table of the database (row count, one hash over each row and one
per column, order-independent). `bench/run.py --write-reference` stores it as bench/reference/<size>.json
from the code before the speed work; every later run compares against it, so a faster import or reconcile
that stores or finds anything else fails the check, naming the table, column or finding.

Left out of the hashes (they differ between two imports of the same files, or are the storage form the speed
work is meant to change): see VOLATILE. Runs as its own process (bench/run.py starts it), so the bench's
parent process never loads DuckDB and its children's peak RSS stays their own.

    python bench/exactness.py fingerprint DB.duckdb RECONCILE.json OUT.json
    python bench/exactness.py compare REFERENCE.json FINGERPRINT.json     (prints JSON; exit 1 on a difference)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

# (table, column) pairs outside the content hash: when (and by whom) a file, migration or fee table came in,
# and the receipt's re-encoded raw JSON (the lever: keep the original bytes instead; its facts are in
# the other columns).
VOLATILE = {("source_files", "imported_at"), ("source_files", "imported_by"), ("schema_version", "applied_at"),
            ("fee_table_versions", "created_at"), ("fee_table_versions", "created_by"), ("receipts", "raw")}
# Tables outside the fingerprint: the store's own bookkeeping (which migrations ran) and the stored
# reconciliation runs, a cache derived from the other tables (its findings are compared from the JSON).
NOT_CONTENT = {"schema_version", "reconcile_results"}
FINDING_FIELDS = ("kind", "order_number", "position_item_id", "document_number", "document_date", "expected",
                  "actual", "difference", "in_favour_of")


def findings(reconciled: dict[str, Any]) -> list[dict[str, Any]]:
    """Every finding without its message text (catalogue wording is not exactness), in a stable order."""
    out = []
    for d in reconciled["discrepancies"]:
        row = {k: d.get(k) for k in FINDING_FIELDS}
        row["evidence"] = sorted([e.get("file"), e.get("line")] for e in d.get("evidence") or [])
        out.append(row)
    return sorted(out, key=lambda r: json.dumps(r, sort_keys=True))


def tables(db: Path) -> dict[str, Any]:
    """Per table: rows, a hash over every kept column of each row, and per column; sums of 64-bit hashes, so
    row order does not matter. Time zone fixed to UTC so TIMESTAMPTZ values hash alike on every machine."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary "
            "ORDER BY table_name").fetchall()]
        out: dict[str, Any] = {}
        for name in (n for n in names if n not in NOT_CONTENT):
            cols = [r[0] for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = ? "
                "ORDER BY column_index", [name]).fetchall()]
            kept = [c for c in cols if (name, c) not in VOLATILE]
            quoted = [f'"{c}"' for c in kept]  # names from the catalog, never user input
            parts = ["count(*)"] + [f"sum(hash({q})::HUGEINT)::VARCHAR" for q in quoted]
            if quoted:
                parts.append(f"sum(hash({', '.join(quoted)})::HUGEINT)::VARCHAR")
            row = con.execute(f'SELECT {", ".join(parts)} FROM "{name}"').fetchone()  # noqa: S608
            assert row is not None
            out[name] = {"rows": row[0], "row_hash": row[-1] if quoted else None,
                         "columns": dict(zip(kept, row[1:1 + len(kept)], strict=True)),
                         "left_out": sorted(c for c in cols if (name, c) in VOLATILE)}
        return out
    finally:
        con.close()


def fingerprint(db: Path, reconciled_json: Path) -> dict[str, Any]:
    import duckdb

    reconciled = json.loads(reconciled_json.read_text(encoding="utf-8"))
    return {"duckdb": duckdb.__version__, "as_of": reconciled.get("as_of"), "totals": reconciled.get("totals"),
            "by_kind": reconciled.get("by_kind"), "tie_out": reconciled.get("tie_out"),
            "findings": findings(reconciled), "tables": tables(db)}


def compare(reference: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """`pass` when findings, totals, by kind, tie-out and every reference table's hashes are the same.

    Tables and totals the reference does not have (a new results cache, a total a later feature added) are
    listed, not failed; a DuckDB version
    other than the reference's makes hash differences inconclusive, which the result says."""
    diffs: list[str] = []
    notes: list[str] = []
    for key in ("totals", "by_kind", "tie_out"):
        if reference.get(key) != current.get(key):
            ref, cur = reference.get(key) or {}, current.get(key) or {}
            if isinstance(ref, dict) and isinstance(cur, dict):
                # A total a later feature added (the reference predates it) is named, not failed: every
                # number the reference has must still be there and equal.
                notes += [f"{key}: {k} is new (not in the reference)" for k in sorted(set(cur) - set(ref))]
                changed = sorted(k for k in ref if ref.get(k) != cur.get(k))
                if changed:
                    diffs.append(f"{key}: {', '.join(f'{k} {ref.get(k)} -> {cur.get(k)}' for k in changed[:10])}")
            else:
                diffs.append(f"{key} differ")
    ref_f, cur_f = reference.get("findings", []), current.get("findings", [])
    if ref_f != cur_f:
        gone = [f for f in ref_f if f not in cur_f]
        new = [f for f in cur_f if f not in ref_f]
        diffs.append(f"findings: {len(ref_f)} in the reference, {len(cur_f)} now; "
                     f"missing {[(f['kind'], f['document_number']) for f in gone[:5]]}, "
                     f"new {[(f['kind'], f['document_number']) for f in new[:5]]}")
    ref_t, cur_t = reference.get("tables", {}), current.get("tables", {})
    for name, ref in ref_t.items():
        if name in NOT_CONTENT:  # a reference written before the table left the fingerprint
            continue
        cur = cur_t.get(name)
        if cur is None:
            diffs.append(f"table {name}: missing")
            continue
        if ref["rows"] != cur["rows"]:
            diffs.append(f"table {name}: {ref['rows']} rows in the reference, {cur['rows']} now")
        changed = [c for c, h in ref["columns"].items() if cur["columns"].get(c) != h]
        if changed:
            diffs.append(f"table {name}: content differs in {', '.join(changed)}")
        elif ref["row_hash"] != cur["row_hash"]:
            diffs.append(f"table {name}: rows differ")
    notes += [f"table {name} is new (not in the reference)" for name in sorted(set(cur_t) - set(ref_t))]
    if reference.get("duckdb") != current.get("duckdb"):
        notes.append(f"reference hashed with DuckDB {reference.get('duckdb')}, now {current.get('duckdb')}: "
                     "table hash differences are inconclusive")
    return {"status": "pass" if not diffs else "fail", "differences": diffs, "notes": notes,
            "findings": len(cur_f), "tables": len(ref_t)}


def main(argv: list[str]) -> int:
    if len(argv) == 4 and argv[0] == "fingerprint":
        out = Path(argv[3])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(fingerprint(Path(argv[1]), Path(argv[2])), indent=1) + "\n", encoding="utf-8")
        return 0
    if len(argv) == 3 and argv[0] == "compare":
        result = compare(*(json.loads(Path(p).read_text(encoding="utf-8")) for p in argv[1:]))
        print(json.dumps(result, indent=2))
        return 0 if result["status"] == "pass" else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
