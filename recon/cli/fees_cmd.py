"""`recon fees show|versions|save`: the fee table in force, its saved versions, and saving a new one."""

from __future__ import annotations

import argparse
import sys
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

from recon import i18n
from recon.cli.common import add_db_option, db_path, iso_date
from recon.fees.describe import status_text, tier_schedule_text, unconfirmed_note, value_text
from recon.fees.store import current_fee_table, save_fee_table
from recon.fees.table import FeeEntry, FeeTableError, load_fee_file
from recon.store import open_database, query


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "fees", help="show the fee table in force, list saved versions, save a new version",
        description="The fee table the engine uses: the reference table plus the newest saved override.",
    )
    add_db_option(parser)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = actions.add_parser("show", help="the entries in force (or of --fees FILE)")
    show.add_argument("--on", type=iso_date, metavar="DATE", help="only the entries valid on this day")
    show.add_argument("--fees", type=Path, metavar="TOML", help="show this override file over the reference")
    actions.add_parser("versions", help="the saved versions, newest first")
    save = actions.add_parser("save", help="save an override file as the new version (never overwrites)")
    save.add_argument("file", type=Path, metavar="TOML")
    save.add_argument("--label", help="what this version is (default: the file name)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        if args.action == "save":
            return _save(args)
        db = open_database(db_path(args))
        try:
            if args.action == "versions":
                rows = db.con.execute(query("fees/versions")).fetchall()
                for version, label, created_at, created_by in rows:
                    print(f"{version:>4}  {created_at:%Y-%m-%d %H:%M}  {created_by:<12} {label}")
                if not rows:
                    print("no saved versions: the reference table is in force")
                return 0
            table = load_fee_file(args.fees) if args.fees else current_fee_table(db)
        finally:
            db.close()
    except FeeTableError as exc:
        print(f"recon fees: {exc}", file=sys.stderr)
        return 2
    _show(table.entries, args.on, f"{table.name} {table.version}".strip())
    return 0


def _show(entries: tuple[FeeEntry, ...], on: date | None, title: str) -> None:
    """One line per entry (a tier schedule on its own line); a plain warning when any is only reported."""
    print(title)
    shown = [e for e in entries if on is None or e.covers(on)]
    for e in shown:
        until = e.valid_to.isoformat() if e.valid_to else "open"
        status = status_text(e)
        flag = f"  ({status})" if status else ""
        value = i18n.t("fees.tiered_short") if e.tiers else value_text(e)
        print(f"  {e.kind:<20} {e.category or '':<40} {value:>14} {e.valid_from} .. {until}  [{e.origin}]{flag}")
        if e.tiers:
            print(f"  {'':<20} {'':<40} {tier_schedule_text(e.tiers)}")
    note = unconfirmed_note(shown)
    if note:
        print()
        print(textwrap.fill(note, width=110))


def _save(args: argparse.Namespace) -> int:
    path: Path = args.file
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        print(f"recon fees: {path}: cannot read: {exc.strerror}", file=sys.stderr)
        return 2
    db = open_database(db_path(args))
    try:
        version = save_fee_table(db, text, args.label or path.name)
    finally:
        db.close()
    print(f"saved {path} as fee table version {version}")
    return 0
