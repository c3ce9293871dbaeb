"""`--period` beside --from/--to/--as-of, for commands that run on a schedule (report, export)."""

from __future__ import annotations

import argparse
from datetime import date

from recon.period import PERIOD_HELP, Period, PeriodError, explicit_period, parse_period


def add_period_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--period", metavar="P",
                        help=f"instead of --from/--to: {PERIOD_HELP}; last-* count back from --as-of (default: "
                             "today). Output names may contain {period}, which becomes the label (2026-W47).")


def resolve_period(parser: argparse.ArgumentParser, args: argparse.Namespace) -> tuple[Period, date]:
    """(period, as_of) from the options; a bad or contradictory choice is a usage error (exit 2)."""
    as_of: date = args.as_of or date.today()
    if args.period is None:
        if args.date_from and args.date_to and args.date_from > args.date_to:
            parser.error(f"--from {args.date_from} is after --to {args.date_to}")
        return explicit_period(args.date_from, args.date_to, as_of), as_of
    if args.date_from or args.date_to:
        parser.error("--period cannot be combined with --from/--to")
    try:
        return parse_period(args.period, as_of), as_of
    except PeriodError as exc:
        parser.error(str(exc))
