"""Analytic views for reports and the dashboard: aggregates in SQL (queries/views), polars frames out.

Each function expects `recon.engine.prepare` to have run on the connection (it sets the period and builds
the working tables), so a report or a page asks DuckDB for aggregates and never pulls every row.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from recon.engine.run import prepare
from recon.fees.store import current_fee_table
from recon.fees.table import FeeTable
from recon.store import Database, query
from recon.store.frames import fetch_frame


def prepared(db: Database, as_of: date, date_from: date | None = None, date_to: date | None = None,
             fees: FeeTable | None = None) -> Database:
    """Set up the working tables once; then call the view functions below."""
    prepare(db, fees or current_fee_table(db), as_of, date_from, date_to)
    return db


def _frame(db: Database, name: str) -> pl.DataFrame:
    return fetch_frame(db.con, query(f"views/{name}"))


def commission_by_category_month(db: Database) -> pl.DataFrame:
    return _frame(db, "commission_by_category_month")


def payouts(db: Database) -> pl.DataFrame:
    return _frame(db, "payouts")


def payout_lines(db: Database) -> pl.DataFrame:
    return _frame(db, "payout_lines")


def open_items(db: Database) -> pl.DataFrame:
    return _frame(db, "open_items")


def weekly(db: Database) -> pl.DataFrame:
    return _frame(db, "weekly")


def next_payout(db: Database, as_of: date) -> tuple[date, pl.DataFrame] | None:
    """The next settlement day after as_of and the open documents expected in it (overdue ones included)."""
    items = open_items(db)
    if items.height == 0:
        return None
    upcoming = items.filter(pl.col("settlement_day") > as_of)
    if upcoming.height == 0:
        return None
    day: date = upcoming["settlement_day"].min()  # type: ignore[assignment]
    return day, items.filter(pl.col("settlement_day") <= day)
