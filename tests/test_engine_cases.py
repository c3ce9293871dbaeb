"""Hand-made edge cases for the engine, each with the exact discrepancy list it must produce."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from recon.engine import reconcile
from recon.fees.table import load_fee_table
from recon.store import Database
from tests.casebook import Case, berlin, fee, found

# These cases assert the contract's English messages; tests/test_finding_messages.py has the German ones.
pytestmark = pytest.mark.usefixtures("english")

D = Decimal
ZERO = D("0.00")


def test_contract_example_commission_18_instead_of_15_percent(db: Database, tmp_path: Path) -> None:
    case = Case(tmp_path)
    case.sale("ORD-1", "P1", "119.00", berlin(2026, 10, 29, 10, 15))
    case.charge("PR-2026-000042", date(2026, 11, 4), "ORD-1", "P1", berlin(2026, 10, 29, 10, 15), "119.00",
                rate="18")
    result = case.run(db, as_of=date(2026, 11, 10))
    assert found(result) == [("COMMISSION_MISMATCH", "PR-2026-000042", "P1", D("17.85"), D("21.42"))]
    d = result.discrepancies[0]
    assert d.difference == D("3.57")
    assert d.in_favour_of == "OTTO"
    assert d.message == "commission 15% of 119.00 EUR expected 17.85, invoiced 21.42 (at 18%)"
    assert [(e.file, e.line) for e in d.evidence] == [("PR-2026-000042.csv", 2), ("receipts.json", 1)]


def test_rounding_half_up_at_half_a_cent_for_net_and_vat(db: Database, tmp_path: Path) -> None:
    case = Case(tmp_path)
    shipped = berlin(2026, 11, 2, 9)
    for pid, gross in [("A", "15.25"), ("B", "15.25"), ("C", "15.00"), ("E", "15.00")]:
        case.sale(f"ORD-{pid}", pid, gross, shipped)
    assert fee("15.25", "10") == (D("1.53"), D("0.29"), D("1.82"))  # 1.525 -> 1.53
    assert fee("15.00", "10") == (D("1.50"), D("0.29"), D("1.79"))  # VAT 0.285 -> 0.29
    inv = ("PR-1", date(2026, 11, 4))
    case.charge(*inv, "ORD-A", "A", shipped, "15.25", category="Drogerie", rate="10")
    case.charge(*inv, "ORD-B", "B", shipped, "15.25", category="Drogerie", rate="10",
                amounts=(D("1.52"), D("0.29"), D("1.81")))  # rounded half-to-even: wrong
    case.charge(*inv, "ORD-C", "C", shipped, "15.00", category="Drogerie", rate="10",
                amounts=(D("1.50"), D("0.28"), D("1.78")))  # VAT half-to-even: wrong
    case.charge(*inv, "ORD-E", "E", shipped, "15.00", category="Drogerie", rate="10")
    result = case.run(db, as_of=date(2026, 11, 10))
    assert found(result) == [
        ("COMMISSION_MISMATCH", "PR-1", "B", D("1.53"), D("1.52")),
        ("COMMISSION_MISMATCH", "PR-1", "C", D("0.29"), D("0.28")),
    ]
    assert result.discrepancies[1].message == "VAT 19% on commission 1.50 expected 0.29, invoiced 0.28"


def test_shipment_tuesday_2359_belongs_to_the_next_day_invoice_wednesday_0000_to_the_week_after(
    db: Database, tmp_path: Path
) -> None:
    case = Case(tmp_path)
    case.sale("ORD-0", "C", "100.00", berlin(2026, 10, 27, 10))
    case.charge("PR-0", date(2026, 10, 28), "ORD-0", "C", berlin(2026, 10, 27, 10), "100.00")  # teaches the SKU
    case.sale("ORD-A", "A", "100.00", berlin(2026, 11, 3, 23, 59, 59))
    case.sale("ORD-B", "B", "100.00", berlin(2026, 11, 4, 0, 0, 0))
    result = case.run(db, as_of=date(2026, 11, 4))
    assert found(result) == [("MISSING_CHARGE", None, "A", D("15.00"), ZERO)]
    assert result.discrepancies[0].in_favour_of == "seller"
    later = reconcile(db, as_of=date(2026, 11, 11))
    assert found(later) == [("MISSING_CHARGE", None, "A", D("15.00"), ZERO),
                            ("MISSING_CHARGE", None, "B", D("15.00"), ZERO)]


def test_the_invoice_week_is_decided_in_berlin_time_not_utc(db: Database, tmp_path: Path) -> None:
    case = Case(tmp_path)
    shipped = berlin(2026, 10, 21, 0, 30)  # Wednesday 00:30 CEST is Tuesday 22:30 UTC
    case.sale("ORD-D", "D", "50.00", shipped)
    case.charge("PR-0", date(2026, 10, 28), "ORD-D", "D", shipped, "50.00")
    assert found(case.run(db, as_of=date(2026, 10, 27))) == []
    assert found(reconcile(db, as_of=date(2026, 10, 28))) == []


def _thursday_case(tmp_path: Path, settle_first: bool) -> Case:
    case = Case(tmp_path)
    due_thursday = case.sale("ORD-1", "P1", "80.00", berlin(2026, 11, 5, 9))  # due Thu 19.11.
    case.sale("ORD-2", "P2", "60.00", berlin(2026, 11, 6, 9))  # due Fri 20.11. -> settled Thu 26.11.
    for order, pid, gross, day in [("ORD-1", "P1", "80.00", 5), ("ORD-2", "P2", "60.00", 6)]:
        case.charge("PR-9", date(2026, 11, 11), order, pid, berlin(2026, 11, day, 9), gross)
    lines = [("Kaufbeleg", due_thursday, date(2026, 11, 5), date(2026, 11, 19), "ORD-1", "80.00")]
    case.payout("AZ-1", date(2026, 11, 19), lines if settle_first else [
        ("Kaufbeleg", "R-ORD-9-9", date(2026, 11, 5), date(2026, 11, 19), "ORD-9", "1.00")])
    return case


def test_a_document_due_on_a_thursday_is_settled_that_same_thursday(db: Database, tmp_path: Path) -> None:
    result = _thursday_case(tmp_path, settle_first=True).run(db, as_of=date(2026, 11, 25))
    assert found(result) == []


def test_a_document_due_on_a_thursday_missing_from_that_payout_is_reported(db: Database, tmp_path: Path) -> None:
    result = _thursday_case(tmp_path, settle_first=False).run(db, as_of=date(2026, 11, 19))
    assert found(result) == [
        ("SETTLEMENT_MISSING", "R-ORD-1-1", None, D("80.00"), ZERO),
        ("SETTLEMENT_UNKNOWN", "R-ORD-9-9", None, None, D("1.00")),
    ]
    assert result.discrepancies[0].message == (
        "Kaufbeleg R-ORD-1-1 (80.00) was due on 2026-11-19 and should have been settled on 2026-11-19, "
        "but is in no payout")


def test_partial_refund_needs_no_correction_but_a_full_refund_does(db: Database, tmp_path: Path) -> None:
    case = Case(tmp_path)
    shipped = berlin(2026, 11, 2, 9)
    first = case.sale("ORD-1", "P1", "100.00", shipped)
    case.sale("ORD-2", "P2", "40.00", shipped)
    case.charge("PR-1", date(2026, 11, 4), "ORD-1", "P1", shipped, "100.00")
    case.charge("PR-1", date(2026, 11, 4), "ORD-2", "P2", shipped, "40.00")
    case.refund("ORD-1", "P1", "20.00", berlin(2026, 11, 6, 10), kind="PARTIAL_REFUND", linked=first)
    case.refund("ORD-2", "P2", "40.00", berlin(2026, 11, 6, 10))
    assert found(case.run(db, as_of=date(2026, 11, 12))) == []  # within the grace period
    assert found(reconcile(db, as_of=date(2026, 11, 13))) == [
        ("MISSING_CORRECTION", "PR-1", "P2", D("-6.00"), ZERO)]


def test_correction_must_refund_what_was_charged(db: Database, tmp_path: Path) -> None:
    case = Case(tmp_path)
    shipped = berlin(2026, 11, 2, 9)
    for pid in ("P1", "P2"):
        case.sale(f"ORD-{pid}", pid, "100.00", shipped)
        case.charge("PR-1", date(2026, 11, 4), f"ORD-{pid}", pid, shipped, "100.00")
        case.refund(f"ORD-{pid}", pid, "100.00", berlin(2026, 11, 6, 10))
    case.correction("PK-1", date(2026, 11, 7), "PR-1", "ORD-P1", "P1", "100.00")
    case.correction("PK-1", date(2026, 11, 7), "PR-1", "ORD-P2", "P2", "100.00", rate="12")
    assert found(case.run(db, as_of=date(2026, 11, 18))) == [
        ("CORRECTION_MISMATCH", "PK-1", "P2", D("-15.00"), D("-12.00"))]


def _two_shipments(tmp_path: Path, charge_twice: bool) -> Case:
    case = Case(tmp_path)
    first, second = berlin(2026, 11, 2, 9), berlin(2026, 11, 5, 9)
    case.sale("ORD-1", "A", "50.00", first, delivery_fee="5.95")
    case.sale("ORD-1", "B", "30.00", second)
    case.charge("PR-1", date(2026, 11, 4), "ORD-1", "A", first, "50.00")
    case.charge("PR-1", date(2026, 11, 4), "ORD-1", "", first, "5.95", service="Versandkostenprovision", rate="16")
    case.charge("PR-2", date(2026, 11, 11), "ORD-1", "B", second, "30.00")
    if charge_twice:
        case.charge("PR-2", date(2026, 11, 11), "ORD-1", "", second, "5.95", service="Versandkostenprovision",
                    rate="16")
    return case


def test_order_with_several_shipments_pays_shipping_commission_once(db: Database, tmp_path: Path) -> None:
    assert found(_two_shipments(tmp_path, charge_twice=False).run(db, as_of=date(2026, 11, 12))) == []


def test_shipping_commission_charged_for_the_second_shipment_too(db: Database, tmp_path: Path) -> None:
    result = _two_shipments(tmp_path, charge_twice=True).run(db, as_of=date(2026, 11, 12))
    assert found(result) == [("SHIPPING_COMMISSION_MISMATCH", "PR-2", None, ZERO, D("0.95"))]
    assert result.discrepancies[0].message == (
        "shipping of order ORD-1 charged again (0.95 net); first charged in PR-1")


def test_a_month_with_two_base_fee_charges_and_a_month_without(db: Database, tmp_path: Path) -> None:
    case = Case(tmp_path)
    case.base_fee("GG-2026-09", date(2026, 9, 1))
    case.base_fee("GG-2026-10", date(2026, 10, 1))
    case.base_fee("GG-2026-10-B", date(2026, 10, 1))
    case.payout("AZ-1", date(2026, 9, 17), [("Grundgebühr", "GG-2026-09", date(2026, 9, 1), date(2026, 9, 15),
                                             "", "-47.48")])
    case.payout("AZ-2", date(2026, 10, 15), [
        ("Grundgebühr", "GG-2026-10", date(2026, 10, 1), date(2026, 10, 15), "", "-47.48"),
        ("Grundgebühr", "GG-2026-10-B", date(2026, 10, 1), date(2026, 10, 15), "", "-47.48")])
    result = case.run(db, as_of=date(2026, 11, 2))
    assert found(result) == [
        ("BASE_FEE_MISMATCH", "GG-2026-10-B", None, ZERO, D("39.90")),
        ("BASE_FEE_MISMATCH", None, None, D("39.90"), ZERO),
    ]
    assert [d.message for d in result.discrepancies] == [
        "base fee for 2026-10 charged again (39.90 net)", "no base fee invoice for 2026-11 (expected 39.90 net)"]
    early = load_fee_table('[settings]\npayment_account_live = "2026-09-10"\n', "seller.toml")
    assert found(reconcile(db, as_of=date(2026, 10, 31), fees=early)) == [
        ("BASE_FEE_MISMATCH", "GG-2026-09", None, ZERO, D("39.90")),
        ("BASE_FEE_MISMATCH", "GG-2026-10-B", None, ZERO, D("39.90")),
    ]


def test_a_rate_change_in_the_middle_of_the_period(db: Database, tmp_path: Path) -> None:
    new_rate = load_fee_table('[[commission]]\ncategory = "Möbel"\nrate = "16.00"\nvalid_from = "2026-11-01"\n',
                              "contract.toml")
    case = Case(tmp_path)
    before, after = berlin(2026, 10, 31, 23, 30), berlin(2026, 11, 1, 0, 10)
    case.sale("ORD-1", "A", "200.00", before)
    case.sale("ORD-2", "B", "200.00", after)
    case.sale("ORD-3", "C", "200.00", after)
    case.charge("PR-1", date(2026, 11, 4), "ORD-1", "A", before, "200.00", rate="15")
    case.charge("PR-1", date(2026, 11, 4), "ORD-2", "B", after, "200.00", rate="16")
    case.charge("PR-1", date(2026, 11, 4), "ORD-3", "C", after, "200.00", rate="15")
    result = case.run(db, as_of=date(2026, 11, 10), fees=new_rate)
    assert found(result) == [("COMMISSION_MISMATCH", "PR-1", "C", D("32.00"), D("30.00"))]


def test_due_date_of_a_correction(db: Database, tmp_path: Path) -> None:
    case = Case(tmp_path)
    shipped = berlin(2026, 11, 2, 9)
    case.sale("ORD-1", "P1", "100.00", shipped)
    case.charge("PR-1", date(2026, 11, 4), "ORD-1", "P1", shipped, "100.00", due=date(2026, 11, 18))
    case.refund("ORD-1", "P1", "100.00", berlin(2026, 11, 6, 10))
    case.correction("PK-1", date(2026, 11, 7), "PR-1", "ORD-1", "P1", "100.00")
    case.corrections["PK-1"][0][2] = "20.11.2026"
    result = case.run(db, as_of=date(2026, 11, 12))
    assert found(result) == [("DUE_DATE_MISMATCH", "PK-1", None, date(2026, 11, 21), date(2026, 11, 20))]
    assert result.discrepancies[0].difference is None
