"""Run the reconciliation: the models (queries/model) and checks (queries/engine) do the work in SQL on
the stored tables; this orchestrates and reads their results by column name."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import duckdb
import polars as pl

from recon import i18n
from recon.engine import checks, graph
from recon.engine.model import Discrepancy, Evidence, ReconResult, TieOut, Totals
from recon.engine.tie_out import tie_out
from recon.fees.describe import tier_sum_text
from recon.fees.store import current_fee_table
from recon.fees.table import FeeTable
from recon.fees.tiers import TierPart
from recon.store import Database, query

EARLIEST = date(1900, 1, 1)
LATEST = date(9999, 12, 31)
FINDING_COLUMNS = ("kind", "order_number", "position_item_id", "document_number", "document_date", "expected",
                   "actual", "expected_date", "actual_date", "evidence", "message_key", "params")
# Columns a check may add: for the tie-out (explained, explains) and for a tiered expectation's message
# (tier_parts).
OPTIONAL_COLUMNS = ("explained", "explains", "tier_parts")


class NotPrepared(RuntimeError):
    """A view or page asked for models that prepare() did not build on this connection."""


@dataclass(frozen=True)
class Prepared:
    """The models built on one connection for one period and as-of day: what views, reports and pages read.

    Pass this object on instead of relying on temporary tables a previous call happened to leave behind;
    `require` names the models a reader needs, so a missing one is a clear error.
    """

    db: Database
    fees: FeeTable
    as_of: date
    date_from: date | None
    date_to: date | None
    models: tuple[str, ...]

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        return self.db.con

    def require(self, *names: str) -> Prepared:
        missing = [name for name in names if name not in self.models]
        if missing:
            raise NotPrepared(f"models {missing} were not built by prepare(); built: {list(self.models)}")
        latest: object = self.db.prepared
        if latest is not self:
            raise NotPrepared("the connection was prepared again since: use the newer Prepared object")
        return self


def _variables(fees: FeeTable, as_of: date, date_from: date | None, date_to: date | None) -> dict[str, Any]:
    s = fees.settings
    return {
        "as_of": as_of, "date_from": date_from or EARLIEST, "date_to": date_to or LATEST,
        "invoice_isodow": s.isodow(s.invoice_weekday), "settlement_isodow": s.isodow(s.settlement_weekday),
        "invoice_due_days": s.invoice_due_days, "correction_due_days": s.correction_due_days,
        "receipt_due_days": s.receipt_due_days, "correction_grace_days": s.correction_grace_days,
        "payment_account_live": s.payment_account_live, "payment_fee_in_commission": s.payment_fee_in_commission,
    }


def prepare(db: Database, fees: FeeTable, as_of: date, date_from: date | None = None,
            date_to: date | None = None, models: Iterable[str] | None = None) -> Prepared:
    """Set the parameters and build the models (all, or `models` and what they need) on this connection."""
    con = db.con
    values = _variables(fees, as_of, date_from, date_to)
    for statement in _statements(query("engine/variables")):
        name = statement.split("$", 1)[1].split("::", 1)[0]
        con.execute(statement, {name: values[name]})
    con.register("fee_schedule", fees.schedule().to_arrow())
    con.register("fee_tiers", fees.tier_schedule().to_arrow())
    con.execute(query("engine/macros"))
    built = graph.build(con, models)
    prepared = Prepared(db, fees, as_of, date_from, date_to, tuple(built))
    db.prepared = prepared
    return prepared


def _statements(sql: str) -> list[str]:
    """The statements of a SQL file (comment lines dropped), one per `;`."""
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return [part.strip() for part in body.split(";") if part.strip()]


def reconcile(db: Database, *, as_of: date, date_from: date | None = None, date_to: date | None = None,
              fees: FeeTable | None = None) -> ReconResult:
    return run_checks(prepare(db, fees or current_fee_table(db), as_of, date_from, date_to))


@dataclass(frozen=True)
class RawRun:
    """What the SQL of one reconciliation returned, before Python turns it into findings: the check rows (by
    column name), the totals row, and the rows of the checks that read the tie-out. Free of language and file
    names, so it can be stored (recon.engine.results) and turned into the same ReconResult later."""

    rows: tuple[dict[str, Any], ...]
    totals: dict[str, Any]
    tie_out_rows: tuple[dict[str, Any], ...]


def run_checks(prepared: Prepared) -> ReconResult:
    """Every registered check on the prepared models, findings in the registry's kind order."""
    return run_raw(prepared)[1]


def run_raw(prepared: Prepared) -> tuple[RawRun, ReconResult]:
    """The checks' raw rows and the result built from them (by `assemble`, as a stored run is)."""
    con = prepared.require(*graph.models()).con
    files = source_names(con)
    lo, hi = prepared.date_from or EARLIEST, prepared.date_to or LATEST
    rows = _rows([c for c in checks.files() if not c.reads_tie_out], con)
    totals = _totals_row(con)
    # The tie-out needs every other finding; the checks that read it (UNEXPLAINED_DIFFERENCE) run last.
    tied = tie_out(Totals.from_columns(totals), _findings(rows, files, lo, hi))
    con.register("tie_out", _tie_out_frame(tied).to_arrow())
    raw = RawRun(tuple(rows), totals, tuple(_rows([c for c in checks.files() if c.reads_tie_out], con)))
    return raw, assemble(raw, files, prepared.as_of, prepared.date_from, prepared.date_to,
                         fee_label(prepared.fees))


def fee_label(fees: FeeTable) -> str:
    """How a result names its fee table ('Standard 2026-01')."""
    return f"{fees.name} {fees.version}".strip()


def stream_raw(prepared: Prepared, keep: Callable[[dict[str, Any]], None]) -> RawRun:
    """The same run as `run_raw` without building its result: every check row is handed to `keep` (which
    stores it) as it is fetched, and the tie-out sums the findings without keeping them. Memory stays bounded
    however many findings there are; the RawRun returned carries no rows (they went to `keep`), only the totals
    and the tie-out check's rows."""
    con = prepared.require(*graph.models()).con
    files = source_names(con)
    lo, hi = prepared.date_from or EARLIEST, prepared.date_to or LATEST
    totals = _totals_row(con)

    def kept(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for row in rows:
            keep(row)
            yield row

    rows = iter_rows([c for c in checks.files() if not c.reads_tie_out], con)
    tied = tie_out(Totals.from_columns(totals), iter_findings(kept(rows), files, lo, hi, worded=False))
    con.register("tie_out", _tie_out_frame(tied).to_arrow())
    return RawRun((), totals, tuple(_rows([c for c in checks.files() if c.reads_tie_out], con)))


def source_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """{sha256: original file name}: how evidence names its files."""
    return dict(con.execute("SELECT sha256, original_name FROM source_files").fetchall())


def assemble(raw: RawRun, files: dict[str, str], as_of: date, date_from: date | None, date_to: date | None,
             fee_label: str) -> ReconResult:
    """The result of a run from its raw rows: findings in the period, the totals, the tie-out."""
    lo, hi = date_from or EARLIEST, date_to or LATEST
    totals = Totals.from_columns(raw.totals)
    in_range = _findings(list(raw.rows), files, lo, hi)
    tied = tie_out(totals, in_range)
    in_range += _findings(list(raw.tie_out_rows), files, lo, hi)
    order = {kind: n for n, kind in enumerate(checks.by_kind())}
    in_range.sort(key=lambda d: (order[d.kind], d.document_date or EARLIEST, d.document_number or "",
                                 d.order_number or "", d.position_item_id or ""))
    return ReconResult(as_of, date_from, date_to, fee_label, totals, in_range, tied)


def _rows(entries: list[checks.Check], con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The rows of these checks, by column name, each of a kind its check is registered for."""
    return list(iter_rows(entries, con))


BATCH = 10_000  # rows fetched from DuckDB at a time while streaming a run (bounded memory for any count)


def iter_rows(entries: list[checks.Check], con: duckdb.DuckDBPyConnection) -> Iterator[dict[str, Any]]:
    """The rows of these checks one at a time, fetched in batches: a run with millions of findings never
    holds them all as Python objects. Nothing else may run on `con` until the iterator is exhausted."""
    for check in entries:
        sql = check.sql
        allowed = {c.kind for c in checks.CHECKS if c.sql == sql}
        cursor = con.execute(check.text())
        names = [d[0] for d in cursor.description]
        if not set(FINDING_COLUMNS) <= set(names) or set(names) - set(FINDING_COLUMNS) - set(OPTIONAL_COLUMNS):
            raise ValueError(f"check {sql}: columns {names}, expected {list(FINDING_COLUMNS)} "
                             f"(and optionally {list(OPTIONAL_COLUMNS)})")
        while batch := cursor.fetchmany(BATCH):
            for row in batch:
                finding = dict(zip(names, row, strict=True))
                if finding["kind"] not in allowed:
                    raise ValueError(
                        f"check {sql} returned kind {finding['kind']!r}, registered for {sorted(allowed)}")
                yield finding


def _findings(rows: Iterable[dict[str, Any]], files: dict[str, str], lo: date, hi: date) -> list[Discrepancy]:
    """The findings of these rows with a document date in [lo, hi] (or none)."""
    return list(iter_findings(rows, files, lo, hi))


def iter_findings(rows: Iterable[dict[str, Any]], files: dict[str, str], lo: date, hi: date,
                  *, worded: bool = True) -> Iterator[Discrepancy]:
    """`_findings` one at a time (the tie-out of a streamed run sums them without keeping them, and without
    evidence and message: `worded` False). The language is looked up once: a run is worded in one language,
    and reading the settings per finding cost 12 CPU s for 140,000 findings."""
    kinds = checks.by_kind()
    language = i18n.lang()
    for row in rows:
        found = _discrepancy(row, files, kinds[row["kind"]] if worded else None, language)
        if found.document_date is None or lo <= found.document_date <= hi:
            yield found


def _tie_out_frame(tied: tuple[TieOut, ...]) -> pl.DataFrame:
    money = pl.Decimal(18, 2)
    return pl.DataFrame(
        [(t.category, t.invoiced, t.expected, t.explained, t.unexplained) for t in tied], orient="row",
        schema={"category": pl.String, "invoiced": money, "expected": money, "explained": money,
                "unexplained": money})


def _discrepancy(row: dict[str, Any], files: dict[str, str], check: checks.Check | None,
                 language: str | None = None) -> Discrepancy:
    """The finding of one check row. Without `check` only its amounts (no evidence, no message): what the
    tie-out of a streamed run sums, without wording millions of sentences nobody reads there."""
    proof = () if check is None else tuple(
        Evidence(files.get(e["sha"], e["sha"]), int(e["line"]), e["sha"]) for e in (row["evidence"] or []) if e
    )
    return Discrepancy(
        kind=row["kind"], order_number=row["order_number"], position_item_id=row["position_item_id"],
        document_number=row["document_number"], document_date=row["document_date"],
        expected=row["expected_date"] if row["expected_date"] is not None else row["expected"],
        actual=row["actual_date"] if row["actual_date"] is not None else row["actual"],
        evidence=proof,
        message="" if check is None else check.message(row["message_key"], _params(row, language), language),
        explained=row.get("explained"), explains=row.get("explains"),
    )


def _params(row: dict[str, Any], language: str | None = None) -> dict[str, str | None]:
    """The message parameters; a tiered expectation adds how it was built, worded for the reader's language."""
    params: dict[str, str | None] = dict(row["params"] or {})
    parts = row.get("tier_parts")
    if parts and isinstance(row["expected"], Decimal):
        params["calculation"] = tier_sum_text([TierPart(p["rate"], p["base"]) for p in parts], row["expected"],
                                           language)
    return params


def _totals_row(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    cursor = con.execute(query("engine/totals"))
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()  # all of them: the connection runs the tie-out check next
    assert len(rows) == 1
    return dict(zip(names, rows[0], strict=True))
