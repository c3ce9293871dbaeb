"""A new check is one SQL file and one registry entry, nothing else: the JSON, the Excel workbook and the
dashboard show its findings (with its label) without any other change."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from openpyxl import load_workbook

from recon.engine import checks, reconcile
from recon.engine.checks import Check
from recon.engine.output import result_dict
from recon.reports.workbook import write_workbook
from recon.store import open_database
from tests.dashboard.conftest import SAMPLES_AS_OF
from tests.dashboard.test_app_pages import start, table_with

KIND = "THROWAWAY_CHECK"
SQL = """-- THROWAWAY_CHECK: every payout, flagged one cent short (a test's check).
SELECT 'THROWAWAY_CHECK' AS kind, NULL AS order_number, NULL AS position_item_id,
       payout_number AS document_number, payout_date AS document_date, payout_total AS expected,
       payout_total - 0.01 AS actual, NULL::DATE AS expected_date, NULL::DATE AS actual_date,
       [evidence] AS evidence, 'flag' AS message_key, MAP {'document_number': payout_number} AS params
FROM payout_totals
"""


@pytest.fixture
def throwaway(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Check:
    path = tmp_path / "check_throwaway.sql"
    path.write_text(SQL, encoding="utf-8")
    entry = Check(KIND, path, texts={
        "de": {"label": "Wegwerfprüfung", "message.flag": "Wegwerf-Befund für {document_number}"},
        "en": {"label": "Throw-away check", "message.flag": "throw-away finding for {document_number}"}})
    monkeypatch.setattr(checks, "CHECKS", [*checks.CHECKS, entry])
    return entry


def test_a_throwaway_check_reaches_json_excel_and_dashboard(
        throwaway: Check, monkeypatch: pytest.MonkeyPatch, samples_db: Path, tmp_path: Path) -> None:
    db = open_database(samples_db, read_only=True)
    try:
        found = result_dict(reconcile(db, as_of=SAMPLES_AS_OF))
        workbook = write_workbook(db, tmp_path / "report.xlsx", as_of=SAMPLES_AS_OF)
    finally:
        db.close()
    mine = [d for d in found["discrepancies"] if d["kind"] == KIND]
    assert [(d["document_number"], d["expected"], d["actual"], d["difference"], d["in_favour_of"], d["message"])
            for d in mine] == [
        ("AZ-2026-000030", "423.90", "423.89", "-0.01", "seller", "Wegwerf-Befund für AZ-2026-000030"),
        ("AZ-2026-000031", "-461.06", "-461.07", "-0.01", "seller", "Wegwerf-Befund für AZ-2026-000031"),
    ]
    assert [e["file"] for d in mine for e in d["evidence"]] == [
        "payout_AZ-2026-000030.csv", "payout_AZ-2026-000031.csv"]
    assert {"kind": KIND, "count": 2, "against_seller": "0.00", "for_seller": "0.02", "unquantified": 0} in found[
        "by_kind"]

    wb = load_workbook(workbook)
    rows = [[c.value for c in row] for row in wb["Abweichungen"].iter_rows(min_row=2)]
    assert [(r[0], r[3], r[12]) for r in rows if r[0] == KIND] == [
        (KIND, "AZ-2026-000030", "Wegwerf-Befund für AZ-2026-000030"),
        (KIND, "AZ-2026-000031", "Wegwerf-Befund für AZ-2026-000031")]
    overview = [[c.value for c in row] for row in wb["Übersicht"].iter_rows()]
    assert any(KIND in row and "Wegwerfprüfung" in row for row in overview)

    st.cache_data.clear()  # a test before this one in the same worker may have cached the samples without it
    at = start(monkeypatch, samples_db, SAMPLES_AS_OF, "discrepancies")
    shown = table_with(at, "Betrag")
    assert shown["Art"].tolist() == [KIND, KIND]
    assert sorted(shown["Beleg"].tolist()) == ["AZ-2026-000030", "AZ-2026-000031"]
