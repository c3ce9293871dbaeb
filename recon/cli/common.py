"""Options every command shares."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from recon.fees.table import FeeTable, load_fee_file
from recon.store.database import Database, default_db_path, open_database


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", type=Path, default=None,
        help=f"the DuckDB file (default: $RECON_DB, else ./{default_db_path().name})",
    )


def db_path(args: argparse.Namespace) -> Path:
    path: Path | None = args.db
    return path if path is not None else default_db_path()


def iso_date(text: str) -> date:
    """argparse type for YYYY-MM-DD; a bad value is a usage error (exit 2)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (expected YYYY-MM-DD)") from None


def add_period_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="date_from", type=iso_date, metavar="DATE", help="first document date")
    parser.add_argument("--to", dest="date_to", type=iso_date, metavar="DATE", help="last document date")
    parser.add_argument("--as-of", dest="as_of", type=iso_date, metavar="DATE",
                        help="'today' for due-date and settlement checks (default: today)")
    parser.add_argument("--fees", type=Path, metavar="TOML",
                        help="your contract's fee file, applied over the reference table "
                             "(default: the newest version saved in the database)")


def load_fees(args: argparse.Namespace) -> FeeTable | None:
    """The --fees file over the reference table, or None to use what the database holds."""
    path: Path | None = args.fees
    return load_fee_file(path) if path is not None else None


def open_existing(args: argparse.Namespace, command: str) -> Database | None:
    """The database for reading, or None once stderr says there is none (commands that only read exit 1)."""
    try:
        return open_database(db_path(args), read_only=True)
    except FileNotFoundError as exc:
        print(f"recon {command}: {exc}", file=sys.stderr)
        return None
