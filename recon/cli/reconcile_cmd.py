"""`recon reconcile [--from] [--to] [--json OUT] [--as-of] [--fees]`: list discrepancies.

The run stored for the same data, fee table, period and as-of day is reused (recon.engine.results); any
other is recomputed and stored for next time."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from recon import i18n
from recon.cli.common import add_db_option, add_period_options, check_range, load_fees, open_existing
from recon.engine import results
from recon.engine.output import summary_text, write_json
from recon.fees.store import current_fee_table
from recon.fees.table import FeeTableError


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "reconcile", help=i18n.t("cli.reconcile.help"), description=i18n.t("cli.reconcile.description"),
    )
    add_db_option(parser)
    add_period_options(parser)
    parser.add_argument("--json", type=Path, metavar="OUT", help=i18n.t("cli.reconcile.opt_json"))
    parser.set_defaults(run=lambda args: run(parser, args))


def run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    check_range(parser, args)
    try:
        fees = load_fees(args)
    except FeeTableError as exc:
        print(f"recon reconcile: {exc}", file=sys.stderr)
        return 2
    db = open_existing(args, "reconcile")
    if db is None:
        return 1
    try:
        outcome = results.reconcile(db, fees or current_fee_table(db), args.as_of or date.today(),
                                    args.date_from, args.date_to)
    finally:
        db.close()
    outcome.save(db.path)
    result = outcome.result
    print(summary_text(result))
    if args.json:
        write_json(result, args.json)
        print("\n" + i18n.t("cli.wrote", path=args.json))
    return 0
