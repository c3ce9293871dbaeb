"""`recon report --excel OUT.xlsx [--html OUT.html] [--text OUT.txt|-] [--period P | --from --to] [--as-of]`.

Made to run unattended from cron or a systemd timer: it never asks anything, writes each file atomically,
prints one log line per file written, and its exit status says whether everything was written
(0 yes, 1 no database or a file could not be written, 2 usage error).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from recon.cli.common import add_db_option, add_period_options, load_fees, open_existing
from recon.cli.period_args import add_period_option, resolve_period
from recon.fees.table import FeeTableError
from recon.money import fmt_eur_de
from recon.period import expand_name
from recon.reports.atomic import write_text_atomically
from recon.reports.content import ReportData, collect
from recon.reports.summary import render_html, render_text
from recon.reports.workbook import MAX_ROWS, render_workbook


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "report", help="write the accountants' Excel workbook and an HTML / text summary",
        description="Reconcile a period and write the reports: the Excel workbook for the accountant "
                    "(--excel), a short HTML page or mail body (--html) and the same as plain text (--text). "
                    "Runs unattended (cron, systemd timers): one log line per file, exit status 0 only "
                    "when every file was written.",
    )
    add_db_option(parser)
    add_period_options(parser)
    add_period_option(parser)
    parser.add_argument("--excel", metavar="OUT.xlsx", help="write the workbook here ({period} allowed)")
    parser.add_argument("--max-rows", type=int, default=MAX_ROWS, metavar="N",
                        help=f"rows per list sheet before it is cut with a note (default {MAX_ROWS:,})")
    parser.add_argument("--html", metavar="OUT.html", help="write the HTML summary here ({period} allowed)")
    parser.add_argument("--text", metavar="OUT.txt",
                        help="write the plain-text summary here ({period} allowed); '-' prints it")
    parser.set_defaults(run=lambda args: run(parser, args))


def run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if not (args.excel or args.html or args.text):
        parser.error("nothing to write: give --excel, --html and/or --text")
    period, as_of = resolve_period(parser, args)
    try:
        fees = load_fees(args)
    except FeeTableError as exc:
        print(f"recon report: {exc}", file=sys.stderr)
        return 2
    db = open_existing(args, "report")
    if db is None:
        return 1
    try:
        data = collect(db, period, as_of, fees)
    finally:
        db.close()
    log = sys.stderr if args.text == "-" else sys.stdout  # stdout may be the mail body
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
        print(f"recon report: cannot write {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0


def _log(stream: Any, path: Path, data: ReportData) -> None:
    result = data.result
    stamp = datetime.now().isoformat(sep=" ", timespec="seconds")
    print(f"{stamp} recon report: wrote {path} ({data.period.describe()}, as of {data.as_of}, "
          f"{len(result.discrepancies)} discrepancies, {fmt_eur_de(result.against_seller)} against the seller)",
          file=stream, flush=True)
