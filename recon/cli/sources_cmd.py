"""`recon sources`: what was imported, when, by whom, with counts and EUR totals per file."""

from __future__ import annotations

import argparse
import json
from typing import Any

from recon.cli.common import add_db_option, open_existing
from recon.money import fmt_amount
from recon.store import query


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "sources", help="list imported files with counts and totals",
        description="List every imported file: kind, encoding, rows, EUR total, when and by whom.",
    )
    add_db_option(parser)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    db = open_existing(args, "sources")
    if db is None:
        return 1
    try:
        rows = db.con.execute(query("sources")).fetchall()
    finally:
        db.close()
    records = [
        {"file": name, "kind": kind, "encoding": enc, "rows": n, "amount_total": fmt_amount(total),
         "imported_at": at.isoformat(timespec="seconds"), "imported_by": user, "sha256": sha, "size_bytes": size}
        for name, kind, enc, n, total, at, user, sha, size in rows
    ]
    if args.json:
        print(json.dumps(records, indent=2, ensure_ascii=False))
        return 0
    if not records:
        print("no files imported yet")
        return 0
    header = f"{'imported at':<20} {'by':<10} {'kind':<10} {'rows':>8} {'EUR total':>14}  {'encoding':<12} file"
    print(header)
    for r in records:
        print(f"{r['imported_at'][:19]:<20} {r['imported_by'][:10]:<10} {r['kind']:<10} {r['rows']:>8} "
              f"{r['amount_total'] or '':>14}  {r['encoding']:<12} {r['file']}")
    print(f"{len(records)} file(s)")
    return 0
