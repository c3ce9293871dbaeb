"""`--period` beside --from/--to/--as-of, for commands that run on a schedule (report, export)."""

from __future__ import annotations

import argparse
from datetime import date

from recon import i18n
from recon.cli.common import check_range
from recon.period import PERIOD_HELP, Period, PeriodError, explicit_period, parse_period


def add_period_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--period", metavar="P", help=i18n.t("cli.opt.period", forms=PERIOD_HELP))


def resolve_period(parser: argparse.ArgumentParser, args: argparse.Namespace) -> tuple[Period, date]:
    """(period, as_of) from the options; a bad or contradictory choice is a usage error (exit 2)."""
    as_of: date = args.as_of or date.today()
    if args.period is None:
        check_range(parser, args)
        return explicit_period(args.date_from, args.date_to, as_of), as_of
    if args.date_from or args.date_to:
        parser.error(i18n.t("cli.period_and_dates"))
    try:
        return parse_period(args.period, as_of), as_of
    except PeriodError as exc:
        parser.error(str(exc))
