"""`recon export datev [OUT.csv] [--period P | --from --to] [--as-of] [--accounts FILE] [--berater N --mandant N]`.

Like `recon report` it runs unattended: no prompts, one log line, exit 0 only when the file was written
(1: no database or the file could not be written; 2: usage error, a bad accounts file or period, or no
Beraternummer/Mandantennummer without --allow-empty-ids).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from recon import i18n
from recon.cli.common import add_db_option, iso_date, open_existing
from recon.cli.period_args import add_period_option, resolve_period
from recon.clock import now, stamp
from recon.export.datev import (
    DEFAULT_NAME,
    DatevIdsMissing,
    DatevPeriodError,
    follows_name_convention,
    write_datev,
)
from recon.export.datev_settings import DatevSettings, SettingsError, load_settings, validate
from recon.period import expand_name


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "export", help=i18n.t("cli.export.help"), description=i18n.t("cli.export.description"),
    )
    formats = parser.add_subparsers(dest="format", metavar="FORMAT", required=True)
    datev: argparse.ArgumentParser = formats.add_parser(
        "datev", help=i18n.t("cli.export.datev_help"), description=i18n.t("cli.export.datev_description"),
    )
    add_db_option(datev)
    datev.add_argument("out", metavar="OUT.csv", nargs="?", default=DEFAULT_NAME,
                       help=i18n.t("cli.export.opt_out", default=DEFAULT_NAME))
    datev.add_argument("--from", dest="date_from", type=iso_date, metavar="DATE", help=i18n.t("cli.opt.from"))
    datev.add_argument("--to", dest="date_to", type=iso_date, metavar="DATE", help=i18n.t("cli.opt.to"))
    datev.add_argument("--as-of", dest="as_of", type=iso_date, metavar="DATE", help=i18n.t("cli.export.opt_as_of"))
    add_period_option(datev)
    datev.add_argument("--accounts", type=Path, metavar="TOML", help=i18n.t("cli.export.opt_accounts"))
    datev.add_argument("--berater", type=int, metavar="N", help=i18n.t("cli.export.opt_berater"))
    datev.add_argument("--mandant", type=int, metavar="N", help=i18n.t("cli.export.opt_mandant"))
    datev.add_argument("--allow-empty-ids", action="store_true", help=i18n.t("cli.export.opt_allow_empty_ids"))
    datev.set_defaults(run=lambda args: run_datev(datev, args))


def _settings(args: argparse.Namespace) -> DatevSettings:
    """The accounts file, with --berater / --mandant over it (checked like the file's values)."""
    settings = load_settings(args.accounts)
    ids = {key: value for key, value in (("consultant_number", args.berater), ("client_number", args.mandant))
           if value is not None}
    return validate(replace(settings, **ids), "--berater/--mandant") if ids else settings


def run_datev(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.period is None and args.date_from is None and args.date_to is None:
        args.period = "last-month"
    period, as_of = resolve_period(parser, args)
    try:
        settings = _settings(args)
    except SettingsError as exc:
        print(f"recon export datev: {exc}", file=sys.stderr)
        return 2
    missing = settings.missing_ids()
    if missing and not args.allow_empty_ids:
        print(i18n.t("cli.export.ids_missing", keys=", ".join(missing)), file=sys.stderr)
        return 2
    out = Path(expand_name(args.out, period))
    db = open_existing(args, "export datev")
    if db is None:
        return 1
    try:
        export = write_datev(db, out, period, as_of, settings, allow_empty_ids=args.allow_empty_ids)
    except (DatevPeriodError, DatevIdsMissing) as exc:
        print(f"recon export datev: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(i18n.t("cli.cannot_write", command="export datev", path=exc.filename or out,
                     reason=exc.strerror or exc), file=sys.stderr)
        return 1
    finally:
        db.close()
    if missing:
        print(i18n.t("cli.export.ids_empty_warning", keys=", ".join(missing)), file=sys.stderr)
    if not follows_name_convention(out):
        print(i18n.t("cli.export.name_warning", name=out.name), file=sys.stderr)
    fees = sum((b.signed for b in export.bookings if b.account != settings.bank), Decimal("0.00"))
    payouts = sum((b.signed for b in export.bookings if b.account == settings.bank), Decimal("0.00"))
    print(stamp(now()) + " " + i18n.t("cli.export.wrote", path=out, period=period.describe(),
                                       bookings=len(export.bookings), fees=i18n.money(fees),
                                       payouts=i18n.money(payouts) if settings.book_payouts
                                       else i18n.t("cli.export.payouts_off")), flush=True)
    return 0
