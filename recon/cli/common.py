"""Options every command shares."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from recon import i18n
from recon.store.database import Database, default_db_path, open_database

if TYPE_CHECKING:  # the fee table needs polars: loaded only by the commands that read one
    from recon.fees.table import FeeTable


def add_db_option(parser: argparse.ArgumentParser, *, nested: bool = False) -> None:
    """`--db PATH`. `nested` for the second level of a command with actions (`recon fees show --db X`): its
    default must not overwrite a --db given before the action, so it is left out of the namespace."""
    parser.add_argument(
        "--db", type=Path, default=argparse.SUPPRESS if nested else None,
        help=i18n.t("cli.opt.db", default=default_db_path().name),
    )


def db_path(args: argparse.Namespace) -> Path:
    path: Path | None = getattr(args, "db", None)
    return path if path is not None else default_db_path()


def iso_date(text: str) -> date:
    """argparse type for YYYY-MM-DD; a bad value is a usage error (exit 2)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(i18n.t("cli.not_a_date", value=repr(text))) from None


def add_period_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="date_from", type=iso_date, metavar="DATE", help=i18n.t("cli.opt.from"))
    parser.add_argument("--to", dest="date_to", type=iso_date, metavar="DATE", help=i18n.t("cli.opt.to"))
    parser.add_argument("--as-of", dest="as_of", type=iso_date, metavar="DATE", help=i18n.t("cli.opt.as_of"))
    parser.add_argument("--fees", type=Path, metavar="TOML", help=i18n.t("cli.opt.fees"))


def check_range(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """A reversed --from/--to would select nothing and print zeros: a usage error instead (exit 2)."""
    if args.date_from and args.date_to and args.date_from > args.date_to:
        parser.error(i18n.t("cli.reversed_range", date_from=i18n.day(args.date_from), date_to=i18n.day(args.date_to)))


def load_fees(args: argparse.Namespace) -> FeeTable | None:
    """The --fees file over the reference table, or None to use what the database holds."""
    path: Path | None = args.fees
    if path is None:
        return None
    from recon.fees.table import load_fee_file

    return load_fee_file(path)


def existing_db_path(args: argparse.Namespace, command: str) -> Path | None:
    """The database path when the file exists; else None once stderr has said so.

    Only `import`, `fetch` and `demo` create a database: any other command on a mistyped path would
    otherwise create an empty one and report "no discrepancies" about nothing.
    """
    path = db_path(args)
    if path.is_file():
        return path
    print(i18n.t("cli.no_database", command=command, path=path), file=sys.stderr)
    return None


def open_existing(args: argparse.Namespace, command: str) -> Database | None:
    """The database for reading, or None once stderr says there is none (those commands exit 1)."""
    path = existing_db_path(args, command)
    return None if path is None else open_database(path, read_only=True)
