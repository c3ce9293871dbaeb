"""The registry of checks is the one list of kinds: every check file has an entry and every entry a file,
and the kinds' order, labels and the README's table all come from it."""

from __future__ import annotations

from pathlib import Path

from recon import i18n
from recon.engine import KINDS, checks
from recon.reports.labels import KIND_LABELS

ROOT = Path(__file__).resolve().parents[1]


def test_every_check_file_has_an_entry_and_every_entry_a_file() -> None:
    files = {p.stem for p in (ROOT / "queries" / "engine").glob("check_*.sql")}
    registered = {c.sql for c in checks.CHECKS}
    assert files == registered
    assert all(isinstance(c.sql, str) and c.sql.startswith("check_") for c in checks.CHECKS)


def test_kinds_are_unique_and_in_the_contract_order() -> None:
    assert KINDS == checks.kinds() == (
        "COMMISSION_MISMATCH", "SHIPPING_COMMISSION_MISMATCH", "BASE_FEE_MISMATCH", "DUPLICATE_CHARGE",
        "CHARGE_WITHOUT_SALE", "MISSING_CHARGE", "MISSING_CORRECTION", "CORRECTION_MISMATCH", "DUE_DATE_MISMATCH",
        "PAYOUT_MISMATCH", "SETTLEMENT_MISSING", "SETTLEMENT_UNKNOWN", "RECEIPT_TOTAL_MISMATCH",
        "STATEMENT_BALANCE_BREAK", "PAYMENT_FEE_MISMATCH", "UNEXPLAINED_DIFFERENCE")
    # PAYMENT_FEE_MISMATCH is a fee (a cost: charged more than the rate is against the seller), not a balance.
    assert checks.settlement_kinds() == {"PAYOUT_MISMATCH", "SETTLEMENT_MISSING", "SETTLEMENT_UNKNOWN",
                                         "STATEMENT_BALANCE_BREAK"}
    assert {c.explains for c in checks.CHECKS} == {
        "sales", "commission", "shipping_commission", "base_fee", "corrections", "payouts", "payment_fees", None}


def test_every_kind_has_a_german_and_an_english_label_from_the_catalogue() -> None:
    for check in checks.CHECKS:
        assert i18n.has(f"finding.{check.kind}.label", "de") and i18n.has(f"finding.{check.kind}.label", "en")
    assert checks.by_kind()["DUPLICATE_CHARGE"].label("de") == "Position mehrfach berechnet"
    assert checks.by_kind()["DUPLICATE_CHARGE"].label("en") == "Position item charged more than once"
    assert dict(KIND_LABELS) == checks.kind_labels("de")
    assert KIND_LABELS["SETTLEMENT_UNKNOWN"] == "Auszahlung enthält unbekannten Beleg"


def test_the_readme_table_of_kinds_is_generated_from_the_registry() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert checks.readme_table("en") in readme
    assert readme.count("| `") >= len(checks.CHECKS)
