"""A simulated quarter: reconcile finds exactly the injected faults, and a clean one reconciles to zero."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from recon.engine import reconcile
from recon.importing import import_paths
from recon.simulate.quarter import Quarter, simulate
from recon.simulate.write import write_quarter
from recon.store import Database

ZERO = Decimal("0.00")


def _load(db: Database, quarter: Quarter, folder: Path) -> None:
    write_quarter(quarter, folder)
    report = import_paths(db, [folder])
    assert report.exit_code == 0, [p for f in report.files for p in f.problems][:5]


@pytest.mark.parametrize("seed", [7, 2024])
def test_finds_exactly_the_injected_faults(db: Database, tmp_path: Path, seed: int) -> None:
    quarter = simulate(orders=300, seed=seed)
    _load(db, quarter, tmp_path / "data")
    result = reconcile(db, as_of=quarter.as_of)
    found = sorted(
        (d.kind, d.document_number, d.position_item_id, d.order_number, d.expected, d.actual)
        for d in result.discrepancies
    )
    injected = sorted(
        (e.kind, e.document_number, e.position_item_id, e.order_number, e.expected, e.actual)
        for e in quarter.expected
    )
    assert found == injected
    assert {e.kind for e in quarter.expected} >= {
        "COMMISSION_MISMATCH", "SHIPPING_COMMISSION_MISMATCH", "BASE_FEE_MISMATCH", "DUPLICATE_CHARGE",
        "CHARGE_WITHOUT_SALE", "MISSING_CHARGE", "MISSING_CORRECTION", "CORRECTION_MISMATCH",
        "DUE_DATE_MISMATCH", "PAYOUT_MISMATCH", "SETTLEMENT_MISSING", "SETTLEMENT_UNKNOWN",
    }


def test_every_finding_points_at_real_source_lines(db: Database, tmp_path: Path) -> None:
    quarter = simulate(orders=300, seed=7)
    _load(db, quarter, tmp_path / "data")
    result = reconcile(db, as_of=quarter.as_of)
    for d in result.discrepancies:
        assert d.evidence or d.kind == "BASE_FEE_MISMATCH", d
        for e in d.evidence:
            stored = db.con.execute(
                "SELECT count(*) FROM (SELECT source_sha256, source_line FROM invoice_lines UNION ALL "
                "SELECT source_sha256, source_line FROM correction_lines UNION ALL "
                "SELECT source_sha256, source_line FROM payout_lines UNION ALL "
                "SELECT source_sha256, source_line FROM receipt_lines UNION ALL "
                "SELECT source_sha256, source_line FROM receipts) WHERE source_sha256 = ? AND source_line = ?",
                [e.sha256, e.line],
            ).fetchone()[0]
            assert stored >= 1, (d.kind, e)
            assert (tmp_path / "data").rglob(e.file)


def test_clean_quarter_has_no_discrepancies_and_totals_agree_with_an_independent_sum(
    db: Database, tmp_path: Path
) -> None:
    quarter = simulate(orders=400, seed=99, faults=False)
    _load(db, quarter, tmp_path / "data")
    result = reconcile(db, as_of=quarter.as_of)
    assert result.discrepancies == []

    def receipts_total(kinds: set[str]) -> Decimal:
        return sum((sum((t["gross"]["amount"] for t in r["totals"]), ZERO)
                    for r in quarter.receipts if r["receiptType"] in kinds), ZERO)

    weekly = [inv for inv in quarter.invoices if inv.number.startswith("PR-")]
    fees = [inv for inv in quarter.invoices if inv.number.startswith("GG-")]
    product = sum((line.gross for inv in weekly for line in inv.lines
                   if line.service_type == "Verkaufsprovision"), ZERO)
    shipping = sum((line.gross for inv in weekly for line in inv.lines
                    if line.service_type == "Versandkostenprovision"), ZERO)
    t = result.totals
    assert t["sales_gross"] == receipts_total({"PURCHASE"})
    assert t["refunds_gross"] == receipts_total({"REFUND", "PARTIAL_REFUND"})
    assert t["invoiced_commission_gross"] == t["expected_commission_gross"] == product
    assert t["invoiced_shipping_commission_gross"] == t["expected_shipping_commission_gross"] == shipping
    assert t["invoiced_base_fee_gross"] == t["expected_base_fee_gross"] == sum((f.total for f in fees), ZERO)
    assert t["corrections_gross"] == sum((c.total for c in quarter.corrections), ZERO)
    assert t["payouts_total"] == sum((p.total for p in quarter.payouts), ZERO)
    assert t["invoiced_net_to_seller"] == (
        t["sales_gross"] - t["refunds_gross"] - product - shipping - t["invoiced_base_fee_gross"]
        - t["corrections_gross"]
    )
