"""`recon reconcile [--from] [--to] [--json OUT] [--as-of] [--fees]`: recompute and list discrepancies."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from recon.cli.common import add_db_option, add_period_options, db_path, load_fees
from recon.engine import reconcile
from recon.engine.output import summary_text, write_json
from recon.fees.table import FeeTableError
from recon.store import open_database


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "reconcile", help="recompute fees and settlements and list the discrepancies",
        description="Recompute every commission, fee, correction, due date and payout from the stored "
                    "documents and the fee table, and list every discrepancy with its proof.",
    )
    add_db_option(parser)
    add_period_options(parser)
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the result as JSON (contract format)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        fees = load_fees(args)
    except FeeTableError as exc:
        print(f"recon reconcile: {exc}", file=sys.stderr)
        return 2
    db = open_database(db_path(args))
    try:
        result = reconcile(db, as_of=args.as_of or date.today(), date_from=args.date_from,
                           date_to=args.date_to, fees=fees)
    finally:
        db.close()
    print(summary_text(result))
    if args.json:
        write_json(result, args.json)
        print(f"\nwrote {args.json}")
    return 0
