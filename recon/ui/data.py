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

from recon import settings, views
from recon.engine import Prepared, ReconResult, prepare, results
from recon.fees.store import current_fee_table
from recon.period import Period
from recon.store import Database, open_database, query
from recon.store.frames import fetch_frame

READ_WAIT_SECONDS = 10.0
OPEN_ITEMS_SHOWN = 500
PAYOUT_LINES_SHOWN = 2000


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


SNAPSHOT_FRAMES = ("weekly", "payouts", "categories", "open_summary", "open_items")
NEXT_PAYOUT = "next_payout"


def snapshot_parts(models: Prepared) -> dict[str, bytes]:
    """The read-only pages' frames of one run, in their stored form (recon.engine.results keeps them beside
    the run, so the first page after an import reads them instead of building the models again)."""
    con = views.models(models, "open_documents").con
    frames = {
        "weekly": views.weekly(models),
        "payouts": views.payouts(models),
        "categories": views.commission_by_category_month(models),
        "open_summary": fetch_frame(con, query("dashboard/open_items_summary")),
        "open_items": fetch_frame(con, query("dashboard/open_items_page"), {"limit": OPEN_ITEMS_SHOWN}),
    }
    parts = {name: results.frame_bytes(frame) for name, frame in frames.items()}
    nxt = views.next_payout(models)
    parts[NEXT_PAYOUT] = results.encode_value(
        None if nxt is None else [nxt.day, nxt.amount, nxt.documents, nxt.overdue_documents])
    return parts


def refresh_results(db: Database) -> None:
    """After a command changed the data or the fee table (on its writable connection): store the run people
    look at next, all documents as of today (`$RECON_AS_OF`), with the dashboard's first-page frames.

    Never fails the command: the data is committed already, and a run that cannot be computed is computed
    (and its error shown) by the next reconcile, report or page instead."""
    try:
        results.refresh(db, settings.current().today(), extra=snapshot_parts)
    except Exception:  # noqa: BLE001 - a cache that could not be filled is simply not there
        return


def snapshot(path: Path, period: Period) -> Snapshot:
    """The period's snapshot: stored with its run when the key matches (written by the import or fee save
    that changed the data), else computed here (the dashboard opens the file read-only: nothing is stored)."""
    with reading(path) as db:
        fees = current_fee_table(db)
        key = results.key_for(db, fees, period.today(), period.start, period.end)
        parts = results.stored(db, key)
        if results.RUN in parts and all(name in parts for name in (*SNAPSHOT_FRAMES, NEXT_PAYOUT)):
            result = results.load_run(db, key, parts[results.RUN])
        else:
            models, result, parts = results.compute(db, fees, key)
            parts.update(snapshot_parts(models))
    return _snapshot(period, result, parts)


def _snapshot(period: Period, result: ReconResult, parts: dict[str, bytes]) -> Snapshot:
    """The same decoding for a stored and a fresh snapshot, so both show exactly the same."""
    frames = {name: results.frame_from(parts[name]) for name in SNAPSHOT_FRAMES}
    nxt = results.decode_value(parts[NEXT_PAYOUT])
    next_payout = None if nxt is None else views.NextPayout(nxt[0], nxt[1], int(nxt[2]), int(nxt[3]))
    open_summary = frames["open_summary"]
    open_count = int(open_summary["documents"].sum()) if open_summary.height else 0
    open_amount = Decimal(open_summary["amount"].sum()) if open_summary.height else Decimal("0.00")
    return Snapshot(period, result, frames["weekly"], next_payout, frames["payouts"], open_summary,
                    frames["open_items"], open_count, open_amount, frames["categories"])


def payout_lines(path: Path, payout_number: str, limit: int = PAYOUT_LINES_SHOWN) -> pl.DataFrame:
    """The lines of one payout with their match status, mismatches first, at most `limit`; every row carries
    lines_total and lines_off for the whole payout. Builds only the models the status needs (no checks)."""
    with reading(path) as db:
        models = prepare(db, current_fee_table(db), date.today(), models=["payout_line_status"])
        return fetch_frame(models.require("payout_line_status").con, query("dashboard/payout_lines"),
                           {"payout_number": payout_number, "limit": limit})
