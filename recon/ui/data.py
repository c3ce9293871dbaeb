"""What the dashboard pages read, as plain functions on a database path (no Streamlit here).

Every function opens the DuckDB file read-only, asks for aggregates (queries/views, queries/dashboard),
and closes it again before returning: DuckDB lets one process write a file or many read it, never both,
so a connection held open by the dashboard would make `recon import` from cron wait and fail.
The pages cache the results keyed by `version_token`, which changes whenever the file does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl

from recon import views
from recon.engine import ReconResult, prepare, run_checks
from recon.fees.store import current_fee_table
from recon.store import Database, open_database, query
from recon.store.frames import fetch_frame

READ_WAIT_SECONDS = 10.0
OPEN_ITEMS_SHOWN = 500
PAYOUT_LINES_SHOWN = 2000


@dataclass(frozen=True)
class Period:
    """The period picked in the sidebar: document dates from..to, and 'today' for due-date checks."""

    as_of: date
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class DataRange:
    first_day: date | None
    last_day: date | None
    files: int


@dataclass
class Snapshot:
    """Everything the read-only pages show for one period, computed with one engine run."""

    period: Period
    result: ReconResult
    weekly: pl.DataFrame
    next_payout: views.NextPayout | None
    payouts: pl.DataFrame
    open_summary: pl.DataFrame
    open_items: pl.DataFrame  # the first OPEN_ITEMS_SHOWN open documents
    open_count: int
    open_amount: Decimal
    categories: pl.DataFrame


def version_token(path: Path) -> tuple[int, ...]:
    """Changes whenever the database (or its write-ahead log) changes: part of every cache key."""
    token: list[int] = []
    for file in (path, path.with_name(path.name + ".wal")):
        try:
            stat = file.stat()
        except FileNotFoundError:
            token += [0, 0]
        else:
            token += [stat.st_mtime_ns, stat.st_size]
    return tuple(token)


@contextmanager
def reading(path: Path) -> Iterator[Database]:
    """A read-only connection for one question, closed right after."""
    db = open_database(path, read_only=True, wait_seconds=READ_WAIT_SECONDS)
    try:
        yield db
    finally:
        db.close()


def data_range(path: Path) -> DataRange:
    with reading(path) as db:
        row = db.con.execute(query("dashboard/data_range")).fetchone()
    assert row is not None
    return DataRange(row[0], row[1], int(row[2]))


def snapshot(path: Path, period: Period) -> Snapshot:
    with reading(path) as db:
        models = prepare(db, current_fee_table(db), period.as_of, period.date_from, period.date_to)
        result = run_checks(models)
        weekly = views.weekly(models)
        payouts = views.payouts(models)
        categories = views.commission_by_category_month(models)
        next_payout = views.next_payout(models)
        con = views.models(models, "open_documents").con
        open_summary = fetch_frame(con, query("dashboard/open_items_summary"))
        open_items = fetch_frame(con, query("dashboard/open_items_page"), {"limit": OPEN_ITEMS_SHOWN})
    open_count = int(open_summary["documents"].sum()) if open_summary.height else 0
    open_amount = Decimal(open_summary["amount"].sum()) if open_summary.height else Decimal("0.00")
    return Snapshot(period, result, weekly, next_payout, payouts, open_summary, open_items, open_count,
                    open_amount, categories)


def payout_lines(path: Path, payout_number: str, limit: int = PAYOUT_LINES_SHOWN) -> pl.DataFrame:
    """The lines of one payout with their match status, mismatches first, at most `limit`; every row carries
    lines_total and lines_off for the whole payout. Builds only the models the status needs (no checks)."""
    with reading(path) as db:
        models = prepare(db, current_fee_table(db), date.today(), models=["payout_line_status"])
        return fetch_frame(models.require("payout_line_status").con, query("dashboard/payout_lines"),
                           {"payout_number": payout_number, "limit": limit})
