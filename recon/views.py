"""Analytic views for reports and the dashboard: aggregates in SQL (queries/views), polars frames out.

Each function takes the `Prepared` models (from `recon.engine.prepare` or `prepared` below) and names the
models it reads, so a report or a page asks DuckDB for aggregates and never pulls every row. A Database
is accepted too and stands for the models last prepared on it; none prepared is a clear error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import polars as pl

from recon.engine.run import NotPrepared, Prepared, prepare
from recon.fees.store import current_fee_table
from recon.fees.table import FeeTable
from recon.store import Database, query
from recon.store.frames import fetch_frame

Source = Prepared | Database


def prepared(db: Database, as_of: date, date_from: date | None = None, date_to: date | None = None,
             fees: FeeTable | None = None) -> Prepared:
    """Build the models once; then pass the result to the view functions below."""
    return prepare(db, fees or current_fee_table(db), as_of, date_from, date_to)


def models(source: Source, *names: str) -> Prepared:
    """The prepared models `names` are read from; an error when they were not built."""
    found = source if isinstance(source, Prepared) else source.prepared
    if not isinstance(found, Prepared):
        raise NotPrepared("no models on this connection: call recon.engine.prepare() (or views.prepared) first")
    return found.require(*names)


def _frame(source: Source, name: str, *needs: str) -> pl.DataFrame:
    return fetch_frame(models(source, *needs).con, query(f"views/{name}"))


def commission_by_category_month(source: Source) -> pl.DataFrame:
    return _frame(source, "commission_by_category_month", "charges", "expected_item_fees")


def payouts(source: Source) -> pl.DataFrame:
    return _frame(source, "payouts", "payout_line_status")


def payout_lines(source: Source) -> pl.DataFrame:
    return _frame(source, "payout_lines", "payout_line_status")


def open_items(source: Source) -> pl.DataFrame:
    return _frame(source, "open_items", "open_documents")


def data_span(source: Source) -> tuple[date | None, date | None]:
    """(first day, last day) of the period's documents, payouts and statement transactions up to as-of."""
    con = models(source, "documents", "payout_totals", "statement_chain").con
    first, last = con.execute(query("views/data_span")).fetchone() or (None, None)
    return first, last


def fee_documents(source: Source) -> pl.DataFrame:
    """The period's OTTO invoices, base-fee invoices and corrections with net, VAT, gross and settled-on."""
    return _frame(source, "fee_documents", "documents", "settlements")


def statement_lines(source: Source) -> pl.DataFrame:
    """The period's account statement transactions with the recomputed running balance and their match."""
    return _frame(source, "statement_lines", "statement_chain", "statement_matches")


def payment_fees(source: Source) -> pl.DataFrame:
    """Per order: payment fees charged and refunded on the statements, and what the rate expects."""
    return _frame(source, "payment_fees", "payment_fees")


def weekly(source: Source) -> pl.DataFrame:
    return _frame(source, "weekly")


@dataclass(frozen=True)
class NextPayout:
    """The next settlement day after as_of and what it should pay (negative: OTTO collects by direct debit)."""

    day: date
    amount: Decimal
    documents: int
    overdue_documents: int  # already past their settlement day: reconcile reports them as SETTLEMENT_MISSING


def next_payout(source: Source) -> NextPayout | None:
    """Every open document due by the next settlement day after as_of, summed in SQL."""
    row = models(source, "open_documents").con.execute(query("views/next_payout")).fetchall()
    if not row:
        return None
    day, amount, documents, overdue = row[0]
    return NextPayout(day, Decimal(amount), int(documents), int(overdue))
