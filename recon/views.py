"""Analytic views for reports and the dashboard: aggregates in SQL (queries/views), polars frames out.

Each function expects `recon.engine.prepare` to have run on the connection (it sets the period and builds
the working tables), so a report or a page asks DuckDB for aggregates and never pulls every row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

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


@dataclass(frozen=True)
class NextPayout:
    """The next settlement day after as_of and what it should pay (negative: OTTO collects by direct debit)."""

    day: date
    amount: Decimal
    documents: int
    overdue_documents: int  # already past their settlement day: reconcile reports them as SETTLEMENT_MISSING


def next_payout(db: Database) -> NextPayout | None:
    """Every open document due by the next settlement day after as_of, summed in SQL."""
    row = db.con.execute(query("views/next_payout")).fetchall()
    if not row:
        return None
    day, amount, documents, overdue = row[0]
    return NextPayout(day, Decimal(amount), int(documents), int(overdue))
