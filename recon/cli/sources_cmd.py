"""`recon sources`: what was imported, when, by whom, with counts and EUR totals per file."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
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
        origins = {sha: origin for sha, *origin in db.con.execute(query("source_origins")).fetchall()}
    finally:
        db.close()
    records = [
        {"file": name, "kind": kind, "encoding": enc, "rows": n, "amount_total": fmt_amount(total),
         "imported_at": berlin(at).isoformat(timespec="seconds"), "imported_by": user, "sha256": sha,
         "size_bytes": size}
        for name, kind, enc, n, total, at, user, sha, size in rows
    ]
    for record in records:
        if record["sha256"] in origins:
            record["origin"] = _origin(*origins[str(record["sha256"])])
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
        if "origin" in r:
            print(f"{'':<24} {_origin_text(r['origin'])}")
    print(i18n.t("cli.sources.count", count=len(records)))
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
