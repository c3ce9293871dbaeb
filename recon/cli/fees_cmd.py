"""`recon fees show|versions|save`: the fee table in force, its saved versions, and saving a new one."""

from __future__ import annotations

import argparse
import sys
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

from recon import i18n
from recon.cli.common import add_db_option, existing_db_path, iso_date, open_existing
from recon.clock import stamp
from recon.fees.describe import status_text, tier_schedule_text, unconfirmed_note, value_text
from recon.fees.store import current_fee_table, save_fee_table
from recon.fees.table import FeeEntry, FeeTableError, load_fee_file, origin_label, read_failure
from recon.store import open_database, query
from recon.ui.data import refresh_results


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "fees", help=i18n.t("cli.fees.help"), description=i18n.t("cli.fees.description"),
    )
    add_db_option(parser)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = actions.add_parser("show", help=i18n.t("cli.fees.show_help"))
    show.add_argument("--on", type=iso_date, metavar="DATE", help=i18n.t("cli.fees.opt_on"))
    show.add_argument("--fees", type=Path, metavar="TOML", help=i18n.t("cli.fees.opt_fees"))
    versions = actions.add_parser("versions", help=i18n.t("cli.fees.versions_help"))
    save = actions.add_parser("save", help=i18n.t("cli.fees.save_help"))
    save.add_argument("file", type=Path, metavar="TOML")
    save.add_argument("--label", help=i18n.t("cli.fees.opt_label"))
    for action in (show, versions, save):
        add_db_option(action, nested=True)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        if args.action == "save":
            return _save(args)
        db = open_existing(args, "fees")
        if db is None:
            return 1
        try:
            if args.action == "versions":
                rows = db.con.execute(query("fees/versions")).fetchall()
                for version, label, created_at, created_by in rows:
                    print(f"{version:>4}  {stamp(created_at)}  {created_by:<12} {label}")
                if not rows:
                    print(i18n.t("cli.fees.no_versions"))
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
        until = i18n.day(e.valid_to) if e.valid_to else i18n.t("cli.fees.open_end")
        status = status_text(e)
        flag = f"  ({status})" if status else ""
        value = i18n.t("fees.tiered_short") if e.tiers else value_text(e)
        print(f"  {e.kind:<20} {e.category or '':<40} {value:>14} {i18n.day(e.valid_from)} .. {until}"
              f"  [{origin_label(e.origin)}]{flag}")
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
        print(i18n.t("cli.fees.cannot_read", path=path, reason=read_failure(exc)), file=sys.stderr)
        return 2
    db_file = existing_db_path(args, "fees save")
    if db_file is None:
        return 1
    db = open_database(db_file)
    try:
        version = save_fee_table(db, text, args.label or path.name)
        refresh_results(db)
    finally:
        db.close()
    print(i18n.t("cli.fees.saved", path=path, version=version))
    return 0
