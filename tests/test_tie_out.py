"""The tie-out: per totals category invoiced − expected equals what the findings explain, in the findings'
measure; a difference no finding explains becomes UNEXPLAINED_DIFFERENCE. Hand-made cases, exact cents."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

from recon.engine import ReconResult, checks, reconcile
from recon.engine.output import result_dict, summary_text
from recon.store import Database
from tests.casebook import Case, berlin, case_fees, fee, found

ZERO = D("0.00")


def _tie(result: ReconResult, category: str) -> tuple[D, D, D, D]:
    t = next(t for t in result.tie_out if t.category == category)
    return t.invoiced, t.expected, t.explained, t.unexplained


def _month_end_return(tmp_path: Path) -> Case:
    """Sold 20.10., returned Sat 31.10.2026, the correction booked on Sun 01.11.: the return is October's,
    its correction November's."""
    case = Case(tmp_path)
    shipped = berlin(2026, 10, 20, 9)
    case.sale("ORD-1", "P1", "100.00", shipped)
    case.charge("PR-1", date(2026, 10, 21), "ORD-1", "P1", shipped, "100.00")
    case.refund("ORD-1", "P1", "100.00", berlin(2026, 10, 31, 18))
    case.correction("PK-1", date(2026, 11, 1), "PR-1", "ORD-1", "P1", "100.00")
    return case


def test_a_return_on_the_31st_booked_on_the_1st_is_expected_in_the_month_of_its_correction(
    db: Database, tmp_path: Path
) -> None:
    # The cause of the unexplained corrections gap: expected corrections were dated by the return, the
    # invoiced ones by the correction, so a month-end return split them across two months.
    _month_end_return(tmp_path).run(db, as_of=date(2026, 11, 4))
    october = reconcile(db, as_of=date(2026, 11, 4), date_from=date(2026, 10, 1), date_to=date(2026, 10, 31),
                        fees=case_fees())
    november = reconcile(db, as_of=date(2026, 11, 4), date_from=date(2026, 11, 1), date_to=date(2026, 11, 30),
                         fees=case_fees())
    assert found(october) == [] and found(november) == []
    assert _tie(october, "corrections") == (ZERO, ZERO, ZERO, ZERO)
    assert _tie(november, "corrections") == (D("-15.00"), D("-15.00"), ZERO, ZERO)  # 15 % of 100.00
    assert (november.totals.corrections_gross, november.totals.expected_corrections_gross) == (
        D("-17.85"), D("-17.85"))


def test_a_return_still_within_the_grace_days_is_neither_expected_nor_missing(db: Database, tmp_path: Path) -> None:
    case = Case(tmp_path)
    shipped = berlin(2026, 11, 2, 9)
    case.sale("ORD-1", "P1", "100.00", shipped)
    case.charge("PR-1", date(2026, 11, 4), "ORD-1", "P1", shipped, "100.00")
    case.refund("ORD-1", "P1", "100.00", berlin(2026, 11, 6, 10))
    within = case.run(db, as_of=date(2026, 11, 12))
    assert found(within) == [] and _tie(within, "corrections") == (ZERO, ZERO, ZERO, ZERO)
    late = reconcile(db, as_of=date(2026, 11, 13), fees=case_fees())
    assert found(late) == [("MISSING_CORRECTION", "PR-1", "P1", D("-15.00"), ZERO)]
    assert _tie(late, "corrections") == (ZERO, D("-15.00"), D("15.00"), ZERO)


def test_a_vat_only_error_explains_nothing_of_the_net(db: Database, tmp_path: Path) -> None:
    case = Case(tmp_path)
    shipped = berlin(2026, 11, 2, 9)
    case.sale("ORD-1", "P1", "100.00", shipped)
    net, vat, _ = fee("100.00", "15")
    case.charge("PR-1", date(2026, 11, 4), "ORD-1", "P1", shipped, "100.00",
                amounts=(net, vat + D("0.01"), net + vat + D("0.01")))
    result = case.run(db, as_of=date(2026, 11, 10))
    assert found(result) == [("COMMISSION_MISMATCH", "PR-1", "P1", D("2.85"), D("2.86"))]
    assert _tie(result, "commission") == (D("15.00"), D("15.00"), ZERO, ZERO)


def test_a_refund_no_finding_explains_becomes_an_unexplained_difference(db: Database, tmp_path: Path) -> None:
    # A correction refunds the commission of an item no receipt shows as returned: every line matches what
    # was charged, so no check objects, but the corrections do not tie out.
    case = Case(tmp_path)
    shipped = berlin(2026, 11, 2, 9)
    case.sale("ORD-1", "P1", "100.00", shipped)
    case.charge("PR-1", date(2026, 11, 4), "ORD-1", "P1", shipped, "100.00")
    case.correction("PK-1", date(2026, 11, 6), "PR-1", "ORD-1", "P1", "100.00")
    result = case.run(db, as_of=date(2026, 11, 10))
    assert found(result) == [("UNEXPLAINED_DIFFERENCE", "corrections", None, ZERO, D("-15.00"))]
    d = result.discrepancies[0]
    assert d.in_favour_of == "seller" and d.at_stake == D("15.00") and d.document_date is None
    assert d.message == ("Korrekturen (netto): laut Belegen -15,00 €, erwartet 0,00 €, durch Abweichungen erklärt "
                         "0,00 €: -15,00 € unerklärt")
    assert checks.by_kind()[d.kind].message("unexplained", {
        "totals_category": "corrections", "invoiced": "-15.00", "expected": "0.00", "explained": "0.00",
        "unexplained": "-15.00"}, "en") == (
        "corrections (net): invoiced -15.00, expected 0.00, the findings explain 0.00: -15.00 unexplained")
    assert _tie(result, "corrections") == (D("-15.00"), ZERO, ZERO, D("-15.00"))
    assert result_dict(result)["tie_out"]["corrections"] == {
        "invoiced": "-15.00", "expected": "0.00", "explained": "0.00", "unexplained": "-15.00"}


def test_shipping_refunded_on_a_partial_return_is_a_correction_mismatch_in_the_sellers_favour(
    db: Database, tmp_path: Path
) -> None:
    case = Case(tmp_path)
    shipped = berlin(2026, 11, 2, 9)
    case.sale("ORD-1", "A", "50.00", shipped, delivery_fee="5.95", more=[("B", "30.00")])
    case.charge("PR-1", date(2026, 11, 4), "ORD-1", "A", shipped, "50.00")
    case.charge("PR-1", date(2026, 11, 4), "ORD-1", "B", shipped, "30.00")
    case.charge("PR-1", date(2026, 11, 4), "ORD-1", "", shipped, "5.95", service="Versandkostenprovision", rate="16")
    case.refund("ORD-1", "A", "50.00", berlin(2026, 11, 6, 10))  # B is kept
    case.correction("PK-1", date(2026, 11, 7), "PR-1", "ORD-1", "A", "50.00")
    case.correction("PK-1", date(2026, 11, 7), "PR-1", "ORD-1", "", "5.95", rate="16",
                    service="Versandkostenprovision")
    result = case.run(db, as_of=date(2026, 11, 18))
    assert found(result) == [("CORRECTION_MISMATCH", "PK-1", None, ZERO, D("-0.95"))]
    d = result.discrepancies[0]
    assert d.in_favour_of == "seller"
    assert d.message == ("erstattet die Versandkostenprovision des Auftrags ORD-1 (0,95 € netto), obwohl bis "
                         "07.11.2026 nicht jeder Artikel des Auftrags zurückkam: Versandkosten werden nur bei "
                         "vollständiger Retoure erstattet")
    assert _tie(result, "corrections") == (D("-8.45"), D("-7.50"), D("-0.95"), ZERO)  # 15 % of 50 + 0.95


def test_the_json_and_the_text_summary_carry_the_tie_out(db: Database, tmp_path: Path) -> None:
    result = _month_end_return(tmp_path).run(db, as_of=date(2026, 11, 4))
    tie = result_dict(result)["tie_out"]
    assert list(tie) == ["commission", "shipping_commission", "base_fee", "corrections", "payouts"]
    assert tie["commission"] == {"invoiced": "15.00", "expected": "15.00", "explained": "0.00",
                                 "unexplained": "0.00"}
    text = summary_text(result)
    assert "Abstimmung der Summen" in text and "Jeder Cent Differenz ist durch eine Abweichung erklärt." in text
