"""`recon sources`: what was imported, when, by whom, with counts and EUR totals per file."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import Any

from recon import i18n
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
        origins = {sha: origin for sha, *origin in db.con.execute(query("source_origins")).fetchall()}
    finally:
        db.close()
    records = [
        {"file": name, "kind": kind, "encoding": enc, "rows": n, "amount_total": fmt_amount(total),
         "imported_at": at.isoformat(timespec="seconds"), "imported_by": user, "sha256": sha, "size_bytes": size}
        for name, kind, enc, n, total, at, user, sha, size in rows
    ]
    for record in records:
        if record["sha256"] in origins:
            record["origin"] = _origin(*origins[str(record["sha256"])])
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
        if "origin" in r:
            print(f"{'':<20} {_origin_text(r['origin'])}")
    print(f"{len(records)} file(s)")
    return 0


def _origin(channel: str, url: str | None, mailbox: str | None, key: str | None, message_id: str | None,
            mail_date: datetime | None, sender: str | None, attachment: str | None) -> dict[str, str | None]:
    if channel == "api":
        return {"channel": channel, "url": url}
    return {"channel": channel, "mailbox": mailbox, "message_key": key, "message_id": message_id,
            "mail_date": mail_date.isoformat(timespec="seconds") if mail_date else None, "mail_from": sender,
            "attachment": attachment}


def _origin_text(origin: dict[str, str | None]) -> str:
    if origin["channel"] == "api":
        return i18n.t("fetch.origin", url=origin["url"])
    return i18n.t("mail.origin", message_id=origin["message_id"] or "–", sender=origin["mail_from"] or "–",
                  date=(origin["mail_date"] or "–")[:16].replace("T", " "), mailbox=origin["mailbox"] or "–")
