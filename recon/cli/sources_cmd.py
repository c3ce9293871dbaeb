"""`recon sources`: what was imported, when, by whom, with counts and EUR totals per file."""

from __future__ import annotations

import argparse
import json
from typing import Any

from recon import i18n
from recon.cli.common import add_db_option, open_existing
from recon.clock import berlin, stamp
from recon.money import fmt_amount
from recon.store import query


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "sources", help=i18n.t("cli.sources.help"), description=i18n.t("cli.sources.description"),
    )
    add_db_option(parser)
    parser.add_argument("--json", action="store_true", help=i18n.t("cli.sources.opt_json"))
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
         "imported_at": berlin(at).isoformat(timespec="seconds"), "imported_by": user, "sha256": sha,
         "size_bytes": size}
        for name, kind, enc, n, total, at, user, sha, size in rows
    ]
    if args.json:
        print(json.dumps(records, indent=2, ensure_ascii=False))
        return 0
    if not records:
        print(i18n.t("cli.sources.none"))
        return 0
    head = [i18n.t(f"cli.sources.col_{name}") for name in ("imported_at", "by", "kind", "rows", "total", "encoding",
                                                           "file")]
    print(f"{head[0]:<24} {head[1]:<10} {head[2]:<10} {head[3]:>8} {head[4]:>14}  {head[5]:<12} {head[6]}")
    for (_name, _kind, _enc, _n, total, at, *_rest), r in zip(rows, records, strict=True):
        amount = i18n.number(total) if total is not None else ""
        print(f"{stamp(at):<24} {r['imported_by'][:10]:<10} {r['kind']:<10} {r['rows']:>8} "
              f"{amount:>14}  {r['encoding']:<12} {r['file']}")
    print(i18n.t("cli.sources.count", count=len(records)))
    return 0
