"""What a report shows, gathered once: the reconciliation, the analytic views and the data sources.

The workbook, the HTML page and the plain-text mail all render this one object, so they cannot disagree
with each other or with `recon reconcile` for the same period and as-of day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import polars as pl

from recon import views
from recon.engine import ReconResult, prepare, results
from recon.fees.describe import entries_between
from recon.fees.store import current_fee_table
from recon.fees.table import FeeEntry, FeeTable
from recon.period import Period, with_data_span
from recon.store import Database, query

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class SourceFile:
    name: str
    kind: str
    encoding: str
    rows: int
    amount_total: Decimal | None
    imported_at: datetime  # Berlin local time, naive (spreadsheets have no time zones)
    imported_by: str
    sha256: str



@dataclass(frozen=True)
class ReportData:
    period: Period
    as_of: date
    created_at: datetime
    result: ReconResult
    sources: list[SourceFile]
    commission: pl.DataFrame  # views.commission_by_category_month
    payouts: pl.DataFrame  # views.payouts, payout date up to as-of
    payout_lines: pl.DataFrame  # views.payout_lines, payout date up to as-of
    open_items: pl.DataFrame  # views.open_items
    next_payout: views.NextPayout | None
    fee_entries: tuple[FeeEntry, ...] = ()  # the fee table's entries in force on some day of the period
    fee_documents: pl.DataFrame = field(default_factory=pl.DataFrame)  # views.fee_documents (sheet Belege)
    statement_lines: pl.DataFrame = field(default_factory=pl.DataFrame)  # views.statement_lines (Kontoauszug)

    @property
    def sources_by_kind(self) -> list[tuple[str, int, int, datetime]]:
        """(kind, files, rows, last import) per kind of file, in a fixed order."""
        order = ["invoice", "correction", "payout", "receipts"]
        kinds = sorted({s.kind for s in self.sources}, key=lambda k: (order.index(k) if k in order else 99, k))
        summary = []
        for kind in kinds:
            files = [s for s in self.sources if s.kind == kind]
            summary.append((kind, len(files), sum(s.rows for s in files), max(s.imported_at for s in files)))
        return summary


def _berlin_naive(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(BERLIN).replace(tzinfo=None, microsecond=0)


def load_sources(db: Database) -> list[SourceFile]:
    rows = db.con.execute(query("sources")).fetchall()
    return [
        SourceFile(name, kind, enc, int(n), total, _berlin_naive(at), user, sha)
        for name, kind, enc, n, total, at, user, sha, _size in rows
    ]


# The models the report's views read (a stored run needs only these built).
VIEW_MODELS = ("charges", "expected_item_fees", "payout_line_status", "open_documents", "documents", "payout_totals",
               "statement_chain", "settlements", "statement_matches")


def collect(db: Database, period: Period, as_of: date, fees: FeeTable | None = None,
            created_at: datetime | None = None) -> ReportData:
    """Reconcile the period and read every view the reports show."""
    return gather(db, period, as_of, fees, created_at)[0]


def gather(db: Database, period: Period, as_of: date, fees: FeeTable | None = None,
           created_at: datetime | None = None) -> tuple[ReportData, results.Outcome]:
    """`collect`, and how the run came about (a fresh one can be stored once the connection is closed)."""
    fees = fees or current_fee_table(db)
    outcome = results.reconcile(db, fees, as_of, period.start, period.end)
    models = outcome.prepared or prepare(db, fees, as_of, period.start, period.end, models=VIEW_MODELS)
    result = outcome.result
    up_to_as_of = pl.col("payout_date") <= as_of
    data = ReportData(
        period=with_data_span(period, *views.data_span(models)),
        as_of=as_of,
        created_at=created_at or datetime.now(BERLIN).replace(tzinfo=None, microsecond=0),
        result=result,
        sources=load_sources(db),
        commission=views.commission_by_category_month(models),
        payouts=views.payouts(models).filter(up_to_as_of),
        payout_lines=views.payout_lines(models).filter(up_to_as_of),
        open_items=views.open_items(models),
        next_payout=views.next_payout(models),
        fee_entries=tuple(entries_between(models.fees.entries, period.start, min(period.end or as_of, as_of))),
        fee_documents=views.fee_documents(models),
        statement_lines=views.statement_lines(models),
    )
    return data, outcome
