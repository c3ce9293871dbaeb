"""Cases that first showed up in the 1M-item benchmark, kept small."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from recon.engine import reconcile
from recon.importing import import_paths
from recon.simulate.quarter import simulate
from recon.simulate.write import write_quarter
from recon.store import Database


def test_a_shipping_commission_refunded_twice_is_reported_with_evidence_not_a_crash(
    db: Database, tmp_path: Path
) -> None:
    quarter = simulate(orders=300, seed=7, faults=False)
    corr = next(c for c in quarter.corrections if any(x.service_type == "Versandkostenprovision" for x in c.lines))
    shipping = next(x for x in corr.lines if x.service_type == "Versandkostenprovision")
    corr.lines.append(replace(shipping))
    write_quarter(quarter, tmp_path / "data")
    assert import_paths(db, [tmp_path / "data"]).exit_code == 0
    result = reconcile(db, as_of=quarter.as_of)  # used to raise TypeError on the evidence of the shipping line
    # (the payout that settles the correction no longer matches it either: PAYOUT_MISMATCH, not looked at here)
    found = [d for d in result.discrepancies if d.kind == "CORRECTION_MISMATCH"]
    assert [(d.document_number, d.order_number) for d in found] == [(corr.number, shipping.order_number)]
    assert len(found[0].evidence) == 2 and all(e.line > 1 for e in found[0].evidence)


def test_daily_corrections_and_daily_receipt_pages_find_exactly_the_injected_faults(
    db: Database, tmp_path: Path
) -> None:
    quarter = simulate(orders=300, seed=2024, corrections="daily")
    write_quarter(quarter, tmp_path / "data", pretty=False, receipt_pages="day")
    assert import_paths(db, [tmp_path / "data"]).exit_code == 0
    found = sorted((d.kind, d.document_number, d.position_item_id, d.order_number, d.expected, d.actual)
                   for d in reconcile(db, as_of=quarter.as_of).discrepancies)
    assert found == sorted((e.kind, e.document_number, e.position_item_id, e.order_number, e.expected, e.actual)
                           for e in quarter.expected)
    assert len(quarter.corrections) < 60  # one per booking day, not one per refund
