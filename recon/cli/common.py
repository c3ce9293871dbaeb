"""Options every command shares."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from recon.store.database import default_db_path


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
