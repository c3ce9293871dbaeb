"""Run the reconciliation: the SQL in queries/engine does the work on the stored tables; this orchestrates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from recon.engine.model import KINDS, Discrepancy, Evidence, ReconResult
from recon.fees.store import current_fee_table
from recon.fees.table import FeeTable
from recon.store import Database, query

CHECKS = (
    "check_commission", "check_shipping", "check_base_fee", "check_duplicate_charge", "check_charge_without_sale",
    "check_missing_charge", "check_missing_correction", "check_correction", "check_due_dates", "check_payouts",
    "check_receipt_totals",
)
EARLIEST = date(1900, 1, 1)
LATEST = date(9999, 12, 31)


def _variables(fees: FeeTable, as_of: date, date_from: date | None, date_to: date | None) -> dict[str, Any]:
    s = fees.settings
    first_fee_month = None
    if s.payment_account_live is not None:
        live = s.payment_account_live
        first_fee_month = date(live.year + live.month // 12, live.month % 12 + 1, 1)
    return {
        "as_of": as_of, "date_from": date_from or EARLIEST, "date_to": date_to or LATEST,
        "invoice_isodow": s.isodow(s.invoice_weekday), "settlement_isodow": s.isodow(s.settlement_weekday),
        "invoice_due_days": s.invoice_due_days, "correction_due_days": s.correction_due_days,
        "receipt_due_days": s.receipt_due_days, "correction_grace_days": s.correction_grace_days,
        "first_fee_month": first_fee_month,
    }


def prepare(db: Database, fees: FeeTable, as_of: date, date_from: date | None = None,
            date_to: date | None = None) -> None:
    """Set the parameters and build the working tables the checks (and the dashboard) read."""
    con = db.con
    values = _variables(fees, as_of, date_from, date_to)
    for statement in _statements(query("engine/variables")):
        name = statement.split("$", 1)[1].split("::", 1)[0]
        con.execute(statement, {name: values[name]})
    con.register("fee_schedule", fees.schedule().to_arrow())
    con.execute(query("engine/prepare"))


def _statements(sql: str) -> list[str]:
    """The statements of a SQL file (comment lines dropped), one per `;`."""
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return [part.strip() for part in body.split(";") if part.strip()]


def reconcile(db: Database, *, as_of: date, date_from: date | None = None, date_to: date | None = None,
              fees: FeeTable | None = None) -> ReconResult:
    fees = fees or current_fee_table(db)
    prepare(db, fees, as_of, date_from, date_to)
    files = dict(db.con.execute("SELECT sha256, original_name FROM source_files").fetchall())
    found: list[Discrepancy] = []
    for check in CHECKS:
        for row in db.con.execute(query(f"engine/{check}")).fetchall():
            found.append(_discrepancy(row, files))
    lo, hi = date_from or EARLIEST, date_to or LATEST
    in_range = [d for d in found if d.document_date is None or lo <= d.document_date <= hi]
    order = {kind: n for n, kind in enumerate(KINDS)}
    in_range.sort(key=lambda d: (order[d.kind], d.document_date or EARLIEST, d.document_number or "",
                                 d.order_number or "", d.position_item_id or ""))
    totals = _totals(db)
    label = f"{fees.name} {fees.version}".strip()
    return ReconResult(as_of, date_from, date_to, label, totals, in_range)


def _discrepancy(row: tuple[Any, ...], files: dict[str, str]) -> Discrepancy:
    (kind, order_number, position_item_id, document_number, document_date, expected, actual,
     expected_date, actual_date, evidence, message) = row
    proof = tuple(
        Evidence(files.get(e["sha"], e["sha"]), int(e["line"]), e["sha"]) for e in (evidence or []) if e
    )
    return Discrepancy(
        kind=kind, order_number=order_number, position_item_id=position_item_id,
        document_number=document_number, document_date=document_date,
        expected=expected_date if expected_date is not None else expected,
        actual=actual_date if actual_date is not None else actual,
        evidence=proof, message=message,
    )


def _totals(db: Database) -> dict[str, Decimal | int]:
    cursor = db.con.execute(query("engine/totals"))
    names = [d[0] for d in cursor.description]
    row = cursor.fetchone()
    assert row is not None
    totals: dict[str, Decimal | int] = dict(zip(names, row, strict=True))

    def money(key: str) -> Decimal:
        return Decimal(totals[key])

    totals["expected_net_to_seller"] = (
        money("sales_gross") - money("refunds_gross") - money("expected_commission_gross")
        - money("expected_shipping_commission_gross") - money("expected_base_fee_gross")
        - money("expected_corrections_gross")
    )
    totals["invoiced_net_to_seller"] = (
        money("sales_gross") - money("refunds_gross") - money("invoiced_commission_gross")
        - money("invoiced_shipping_commission_gross") - money("invoiced_base_fee_gross")
        - money("corrections_gross")
    )
    return totals
