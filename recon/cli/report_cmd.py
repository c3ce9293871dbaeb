"""`recon report --excel OUT.xlsx [--html OUT.html] [--text OUT.txt|-] [--period P | --from --to] [--as-of]`.

Made to run unattended from cron or a systemd timer: it never asks anything, writes each file atomically,
prints one log line per file written, and its exit status says whether everything was written
(0 yes, 1 no database or a file could not be written, 2 usage error).
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from recon import i18n
from recon.cli.common import add_db_option, add_period_options, load_fees, open_existing
from recon.cli.period_args import add_period_option, resolve_period
from recon.clock import now, stamp
from recon.fees.table import FeeTableError
from recon.period import expand_name
from recon.reports.atomic import check_target, write_text_atomically
from recon.reports.content import ReportData, gather
from recon.reports.summary import render_html, render_text
from recon.reports.workbook import MAX_ROWS, render_workbook


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "report", help=i18n.t("cli.report.help"), description=i18n.t("cli.report.description"),
    )
    add_db_option(parser)
    add_period_options(parser)
    add_period_option(parser)
    parser.add_argument("--excel", metavar="OUT.xlsx", help=i18n.t("cli.report.opt_excel"))
    parser.add_argument("--max-rows", type=int, default=MAX_ROWS, metavar="N",
                        help=i18n.t("cli.report.opt_max_rows", rows=i18n.number(Decimal(MAX_ROWS), 0)))
    parser.add_argument("--html", metavar="OUT.html", help=i18n.t("cli.report.opt_html"))
    parser.add_argument("--text", metavar="OUT.txt", help=i18n.t("cli.report.opt_text"))
    parser.set_defaults(run=lambda args: run(parser, args))


def run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if not (args.excel or args.html or args.text):
        parser.error(i18n.t("cli.report.nothing_to_write"))
    period, as_of = resolve_period(parser, args)
    targets = [Path(expand_name(name, period)) for name in (args.excel, args.html, args.text) if name and name != "-"]
    try:
        for target in targets:  # before the work: a typo in one name must not leave the others half done
            check_target(target)
    except OSError as exc:
        print(i18n.t("cli.cannot_write", command="report", path=exc.filename, reason=exc.strerror), file=sys.stderr)
        return 1
    try:
        fees = load_fees(args)
    except FeeTableError as exc:
        print(f"recon report: {exc}", file=sys.stderr)
        return 2
    db = open_existing(args, "report")
    if db is None:
        return 1
    try:
        data, outcome = gather(db, period, as_of, fees)
    finally:
        db.close()
    outcome.save(db.path)
    log = sys.stderr if args.text == "-" else sys.stdout  # stdout may be the mail body
    period = data.period  # an open period now carries the days of its data: recon_{period}.xlsx names them
    excel = Path(expand_name(args.excel, period)) if args.excel else None
    try:
        if excel is not None:
            render_workbook(data, excel, max_rows=args.max_rows)
            _log(log, excel, data)
        if args.html:
            html = Path(expand_name(args.html, period))
            write_text_atomically(html, render_html(data, excel.name if excel else None))
            _log(log, html, data)
        if args.text == "-":
            sys.stdout.write(render_text(data, excel.name if excel else None))
        elif args.text:
            text = Path(expand_name(args.text, period))
            write_text_atomically(text, render_text(data, excel.name if excel else None))
            _log(log, text, data)
    except OSError as exc:
        print(i18n.t("cli.cannot_write", command="report", path=exc.filename or "", reason=exc.strerror or exc),
              file=sys.stderr)
        return 1
    return 0


def _log(stream: Any, path: Path, data: ReportData) -> None:
    result = data.result
    print(stamp(now()) + " " + i18n.t("cli.report.wrote", path=path, period=data.period.describe(),
                                       as_of=i18n.day(data.as_of), count=len(result.discrepancies),
                                       against=i18n.money(result.against_seller)),
          file=stream, flush=True)
