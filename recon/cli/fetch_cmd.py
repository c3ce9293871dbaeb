"""`recon fetch receipts [--from DATE] [--to DATE] [--api-url URL | --sandbox]`: the Receipts API into the store.

Progress (one line per page, retries) goes to stderr, the summary to stdout. Exit status as `recon import`:
0 every page stored or already there, 1 a page was rejected or the fetch stopped early, 2 usage error
(including missing credentials).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from recon import i18n
from recon.cli.common import add_db_option, db_path, iso_date
from recon.fetch import DEFAULT_API_URL, SANDBOX_API_URL
from recon.fetch.credentials import CredentialsError, load_credentials
from recon.store import open_database

if TYPE_CHECKING:
    from recon.fetch.receipts import FetchReport, PageOutcome

BERLIN = ZoneInfo("Europe/Berlin")  # OTTO's and the seller's calendar day


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "fetch", help=i18n.t("cli.fetch.help"), description=i18n.t("cli.fetch.description"),
    )
    what = parser.add_subparsers(dest="what", metavar="WHAT", required=True)
    receipts = what.add_parser(
        "receipts", help=i18n.t("cli.fetch.receipts_help"), description=i18n.t("cli.fetch.receipts_description"),
    )
    add_db_option(receipts)
    receipts.add_argument("--from", dest="date_from", type=iso_date, metavar="DATE",
                          help=i18n.t("cli.fetch.opt_from"))
    receipts.add_argument("--to", dest="date_to", type=iso_date, metavar="DATE", help=i18n.t("cli.fetch.opt_to"))
    host = receipts.add_mutually_exclusive_group()
    host.add_argument("--api-url", default=None, metavar="URL",
                      help=i18n.t("cli.fetch.opt_api_url", url=DEFAULT_API_URL))
    host.add_argument("--sandbox", action="store_true", help=i18n.t("cli.fetch.opt_sandbox", url=SANDBOX_API_URL))
    receipts.set_defaults(run=run)


def _usage(text: str) -> int:
    print(f"recon fetch: {text}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    api_url: str = SANDBOX_API_URL if args.sandbox else (args.api_url or DEFAULT_API_URL)
    if not api_url.startswith(("http://", "https://")):
        return _usage(i18n.t("fetch.bad_api_url", url=api_url))
    if args.date_from and args.date_to and args.date_from > args.date_to:
        return _usage(i18n.t("fetch.dates", start=i18n.day(args.date_from), end=i18n.day(args.date_to)))
    try:
        credentials, warnings = load_credentials()
    except CredentialsError as exc:
        return _usage(str(exc))
    for warning in warnings:
        print(f"recon fetch: {warning}", file=sys.stderr)
    # The HTTP client is imported only here: the other commands start without it.
    from recon.fetch.client import ReceiptsApi
    from recon.fetch.receipts import fetch_receipts, resume_start
    from recon.ui.data import refresh_results

    end = datetime.combine(args.date_to + timedelta(days=1), time(), BERLIN) if args.date_to else None
    db = open_database(db_path(args))
    try:
        if args.date_from:
            start: datetime | None = datetime.combine(args.date_from, time(), BERLIN)
            _progress(i18n.t("fetch.from_start", start=i18n.day(args.date_from)))
        else:
            start = resume_start(db)
            _progress(i18n.t("fetch.resume", start=i18n.day(start.astimezone(BERLIN).replace(tzinfo=None)))
                      if start else i18n.t("fetch.everything"))
        with ReceiptsApi(api_url, credentials, notice=_progress) as api:
            report = fetch_receipts(db, api, start=start, end=end, on_page=_show_page)
        refresh_results(db)  # the run people look at next (see recon import)
    finally:
        db.close()
    _summary(report)
    return report.exit_code


def _progress(text: str) -> None:
    print(f"recon fetch: {text}", file=sys.stderr, flush=True)


def _show_page(page: PageOutcome) -> None:
    for line in page.result.problems:
        print(line, file=sys.stderr)
    if page.result.status == "rejected":
        _progress(i18n.t("fetch.page_rejected", page=page.number, url=page.url))
    else:
        _progress(i18n.t("fetch.page", page=page.number, receipts=page.receipts, new=page.new, known=page.known))


def _summary(report: FetchReport) -> None:
    if report.error:
        print(f"recon fetch: {report.error}", file=sys.stderr)
        print(f"recon fetch: {i18n.t('fetch.stopped')}", file=sys.stderr)
    print(i18n.t("fetch.summary", pages=len(report.pages), receipts=report.total("receipts"),
                 new=report.total("new"), known=report.total("known"), rejected=report.rejected))
