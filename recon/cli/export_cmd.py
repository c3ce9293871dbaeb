"""`recon export datev OUT.csv [--period P | --from --to] [--as-of] [--accounts FILE]`: the tax advisor's batch.

Like `recon report` it runs unattended: no prompts, one log line, exit 0 only when the file was written
(1: no database or the file could not be written; 2: usage error, a bad accounts file or period).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from recon.cli.common import add_db_option, iso_date, open_existing
from recon.cli.period_args import add_period_option, resolve_period
from recon.export.datev import DatevPeriodError, write_datev
from recon.export.datev_settings import SettingsError, load_settings
from recon.money import fmt_eur_de
from recon.period import expand_name


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "export", help="export bookings for accounting software (DATEV)",
        description="Export the stored documents for other programs.",
    )
    formats = parser.add_subparsers(dest="format", metavar="FORMAT", required=True)
    datev: argparse.ArgumentParser = formats.add_parser(
        "datev", help="DATEV Buchungsstapel (EXTF) of the period's fees, corrections and payouts",
        description="Write the period's OTTO fee invoices, corrections and payouts as a DATEV booking batch "
                    "(EXTF Buchungsstapel, format version 13, windows-1252). Accounts default to SKR03 "
                    "(commission 4760, base fee 4900, input VAT 1576, OTTO clearing 1360, bank 1200); "
                    "--accounts FILE overrides them. Without --period/--from/--to: last month.",
    )
    add_db_option(datev)
    datev.add_argument("out", metavar="OUT.csv", help="where to write the batch ({period} allowed)")
    datev.add_argument("--from", dest="date_from", type=iso_date, metavar="DATE", help="first document date")
    datev.add_argument("--to", dest="date_to", type=iso_date, metavar="DATE", help="last document date")
    datev.add_argument("--as-of", dest="as_of", type=iso_date, metavar="DATE",
                       help="'today': documents after it are left out, last-* count back from it")
    add_period_option(datev)
    datev.add_argument("--accounts", type=Path, metavar="TOML",
                       help="account numbers and DATEV header data (see docs/datev.md)")
    datev.set_defaults(run=lambda args: run_datev(datev, args))


def run_datev(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.period is None and args.date_from is None and args.date_to is None:
        args.period = "last-month"
    period, as_of = resolve_period(parser, args)
    try:
        settings = load_settings(args.accounts)
    except SettingsError as exc:
        print(f"recon export datev: {exc}", file=sys.stderr)
        return 2
    db = open_existing(args, "export datev")
    if db is None:
        return 1
    out = Path(expand_name(args.out, period))
    try:
        export = write_datev(db, out, period, as_of, settings)
    except DatevPeriodError as exc:
        print(f"recon export datev: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"recon export datev: cannot write {exc.filename or out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    finally:
        db.close()
    fees = sum((b.signed for b in export.bookings if b.account != settings.bank), Decimal("0.00"))
    payouts = sum((b.signed for b in export.bookings if b.account == settings.bank), Decimal("0.00"))
    stamp = datetime.now().isoformat(sep=" ", timespec="seconds")
    print(f"{stamp} recon export datev: wrote {out} ({period.describe()}, {len(export.bookings)} bookings, "
          f"fees {fmt_eur_de(fees)}, payouts {fmt_eur_de(payouts)})", flush=True)
    return 0
