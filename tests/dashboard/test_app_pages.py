"""Every dashboard page through Streamlit's AppTest: the right numbers for fixture databases, uploads that
behave like `recon import`, filters that change the tables, the drill-down, fee versions, and the password."""

from __future__ import annotations

import re
import sys
import types
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from recon.engine import reconcile
from recon.period import Period
from recon.store import open_database
from recon.ui.auth import ENV_VAR, hash_password
from recon.ui.fmt import date_de, eur
from tests.conftest import invoice_csv, invoice_row, table_counts
from tests.dashboard.conftest import ROOT, SAMPLES, SAMPLES_AS_OF, SimDb, copy_db

APP = ROOT / "dashboards" / "app.py"
PAGES = "../recon/dashboard/screens"
TIMEOUT = 60


@pytest.fixture(autouse=True)
def _fresh_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(ENV_VAR, raising=False)
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def start(monkeypatch: pytest.MonkeyPatch, db: Path, as_of: object, page: str | None = None) -> AppTest:
    monkeypatch.setenv("RECON_DB", str(db))
    monkeypatch.setenv("RECON_AS_OF", str(as_of))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    if page is not None:
        at.switch_page(f"{PAGES}/{page}.py").run()
    assert_clean(at)
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page that has this column."""
    for frame in at.dataframe:
        value: pd.DataFrame = frame.value
        if column in value.columns:
            return value
    raise AssertionError(f"no table with a column {column!r}: {[list(f.value.columns) for f in at.dataframe]}")


def counts(path: Path) -> dict[str, int]:
    db = open_database(path, read_only=True)
    try:
        return table_counts(db)
    finally:
        db.close()


# ---------------------------------------------------------------- overview

def test_overview_samples_exact_figures(monkeypatch: pytest.MonkeyPatch, samples_db: Path) -> None:
    at = start(monkeypatch, samples_db, SAMPLES_AS_OF)
    assert at.title[0].value == "Übersicht"
    assert metrics(at) == {
        "Umsatz (brutto)": "423,90 €",
        "Berechnete Provision": "93,18 €",
        "Effektiver Provisionssatz": "15,71 %",
        "Offene Abweichungen": "0,00 €",
        "Nächste Auszahlung 26.11.2026": "60,48 €",
        "Erhaltene Auszahlungen": "-37,16 €",
    }
    tie = table_with(at, "unerklärt")
    assert tie.values.tolist()[0] == ["Verkaufsprovision (netto)", "77,35 €", "77,35 €", "0,00 €", "0,00 €"]
    assert set(tie["unerklärt"]) == {"0,00 €"} and len(tie) == 5
    assert "Ohne Passwortschutz" in at.sidebar.warning[0].value
    assert at.success[0].value == "Keine Abweichungen in diesem Zeitraum."


def test_overview_matches_the_engine_on_a_simulated_quarter(monkeypatch: pytest.MonkeyPatch, sim_db: SimDb) -> None:
    as_of = sim_db.quarter.as_of
    at = start(monkeypatch, sim_db.path, as_of)
    db = open_database(sim_db.path, read_only=True)
    try:
        result = reconcile(db, as_of=as_of)
    finally:
        db.close()
    shown = metrics(at)
    assert shown["Umsatz (brutto)"] == eur(Decimal(result.totals["sales_gross"]))
    assert shown["Offene Abweichungen"] == eur(result.against_seller)
    assert result.against_seller > 0
    by_kind = table_with(at, "Anzahl")  # every kind a row, then the total: nothing hidden, nothing left out
    assert by_kind["Anzahl"].tolist()[-1] == by_kind["Anzahl"][:-1].sum() == len(sim_db.quarter.expected)
    assert by_kind["Art"].tolist()[-1] == "Summe"
    assert set(by_kind["Art"][:-1]) == {e.kind for e in sim_db.quarter.expected}
    assert by_kind["Zu Ihren Lasten"].tolist()[-1] == eur(result.against_seller)


def test_period_picker_changes_the_figures(monkeypatch: pytest.MonkeyPatch, samples_db: Path) -> None:
    at = start(monkeypatch, samples_db, SAMPLES_AS_OF)
    at.sidebar.selectbox(key="period_preset").set_value("last_month").run()
    assert_clean(at)
    # October 2026: the purchases of 28./29.10. were sold, nothing was invoiced or paid out yet
    shown = metrics(at)
    assert shown["Umsatz (brutto)"] == "423,90 €"
    assert shown["Berechnete Provision"] == "0,00 €"
    assert shown["Erhaltene Auszahlungen"] == "0,00 €"
    assert at.sidebar.caption[0].value == "01.10.2026 – 31.10.2026, Stichtag 24.11.2026"


ALL_PAGES = ("overview", "upload", "discrepancies", "payouts", "categories", "download")


def test_missing_database_says_what_to_do(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No database yet: every page says so in German and points the accountant to the upload page; nothing
    is created until a file is uploaded (then exactly as `recon import` would)."""
    missing = tmp_path / "nothing.duckdb"
    at = start(monkeypatch, missing, SAMPLES_AS_OF)
    for page in ALL_PAGES:
        at.switch_page(f"{PAGES}/{page}.py").run()
        assert_clean(at)
        if page == "upload":
            assert len(at.file_uploader) == 1
            continue
        assert at.info[0].value.startswith(f"Noch keine Datenbank unter `{missing}`. Laden Sie OTTOs Dateien")
        links = at.get("page_link")
        assert [link.proto.label for link in links] == ["Zur Seite Hochladen: OTTOs Dateien importieren"]
        assert links[0].proto.page.endswith("upload")
    assert not missing.exists() and list(tmp_path.iterdir()) == []
    at.switch_page(f"{PAGES}/upload.py").run()
    at.file_uploader[0].set_value([("invoice_PR-2026-000100.csv", invoice_csv([invoice_row()]), "text/csv")]).run()
    at.button(key="import").click().run()
    assert_clean(at)
    assert at.success[0].value.startswith("1 importiert, 0 bereits importiert, 0 abgelehnt.")
    assert counts(missing)["invoice_lines"] == 1


def test_missing_database_for_a_viewer_creates_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_VAR, hash_password("x", n=2**10))
    missing = tmp_path / "nothing.duckdb"
    at = start(monkeypatch, missing, SAMPLES_AS_OF)
    for page in ALL_PAGES:
        at.switch_page(f"{PAGES}/{page}.py").run()
        assert_clean(at)
        assert not at.file_uploader and not at.get("page_link")
        if page != "upload":
            assert any(c.value.startswith("Hochladen darf die Buchhaltung") for c in at.caption)
    assert list(tmp_path.iterdir()) == []


def test_an_unreadable_database_is_a_german_message_not_a_traceback(monkeypatch: pytest.MonkeyPatch,
                                                                    tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.duckdb"
    foreign.write_text("kein DuckDB", encoding="utf-8")
    monkeypatch.setenv("RECON_DB", str(foreign))
    monkeypatch.setenv("RECON_AS_OF", str(SAMPLES_AS_OF))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    for page in ALL_PAGES:
        at.switch_page(f"{PAGES}/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        if page != "upload":
            assert [e.value for e in at.error] == [
                f"Die Datenbank lässt sich nicht lesen: {foreign}: das ist keine DuckDB-Datenbank (eine andere "
                "Datei unter diesem Namen?). Nichts wurde geändert; bitte RECON_DB bzw. `recon dashboard --db` prüfen."]
    assert foreign.read_text(encoding="utf-8") == "kein DuckDB"


# ---------------------------------------------------------------- upload

def test_upload_good_and_bad_files(monkeypatch: pytest.MonkeyPatch, samples_db: Path, tmp_path: Path) -> None:
    db = copy_db(samples_db, tmp_path / "upload.duckdb")
    before = counts(db)
    at = start(monkeypatch, db, SAMPLES_AS_OF, "upload")
    good = invoice_csv([invoice_row(number="PR-2026-000100", n=1), invoice_row(number="PR-2026-000100", n=2)])
    bad = invoice_csv([invoice_row(number="PR-2026-000101", n=3), invoice_row(number="PR-2026-000101", n=4,
                                                                              vat="drei")])
    at.file_uploader[0].set_value([("invoice_PR-2026-000100.csv", good, "text/csv"),
                                   ("invoice_PR-2026-000101.csv", bad, "text/csv")]).run()
    at.button(key="import").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("1 importiert, 0 bereits importiert, 1 abgelehnt.")
    summary = table_with(at, "Ergebnis")
    assert summary[["Datei", "Ergebnis", "Gespeicherte Zeilen"]].values.tolist() == [
        ["invoice_PR-2026-000100.csv", "importiert", 2], ["invoice_PR-2026-000101.csv", "abgelehnt", 0]]
    problems = table_with(at, "Grund")
    assert problems[["Datei", "Zeile", "Feld"]].values.tolist() == [["invoice_PR-2026-000101.csv", 3, "USt"]]
    assert "invoice_PR-2026-000101.csv:3: field 'USt'" in at.code[0].value  # every reason in full
    after = counts(db)
    assert after["invoice_lines"] == before["invoice_lines"] + 2  # the rejected file added nothing
    assert after["source_files"] == before["source_files"] + 1

    # the same good file again: already imported, nothing changes; the overview shows the new invoice
    at.file_uploader[0].set_value(("copy.csv", good, "text/csv")).run()
    at.button(key="import").click().run()
    assert at.success[0].value.startswith("0 importiert, 1 bereits importiert, 0 abgelehnt.")
    assert counts(db) == after
    at.switch_page(f"{PAGES}/overview.py").run()
    assert metrics(at)["Berechnete Provision"] == "135,66 €"  # 93,18 + 2 x 21,24: the cache was cleared


def test_upload_needs_the_password_when_one_is_set(monkeypatch: pytest.MonkeyPatch, samples_db: Path) -> None:
    monkeypatch.setenv(ENV_VAR, hash_password("Bilanz2026", n=2**10))
    at = start(monkeypatch, samples_db, SAMPLES_AS_OF, "upload")
    assert not at.file_uploader
    assert at.info[0].value == "Hochladen braucht das Passwort der Buchhaltung (in der Seitenleiste anmelden)."
    assert not at.sidebar.warning  # not unprotected
    at.sidebar.text_input(key="password").input("wrong")
    at.sidebar.button[0].click().run()
    assert "Falsches Passwort." in [e.value for e in at.sidebar.error]
    assert not at.file_uploader
    at.sidebar.text_input(key="password").input("Bilanz2026")
    at.sidebar.button[0].click().run()
    assert_clean(at)
    assert at.sidebar.success[0].value == "Als Buchhaltung angemeldet"
    assert any("nach dem Neuladen der Seite (F5)" in c.value for c in at.sidebar.caption)
    assert len(at.file_uploader) == 1
    at.sidebar.button(key="sign_out").click().run()
    assert not at.file_uploader


def test_misconfigured_hash_locks_changes(monkeypatch: pytest.MonkeyPatch, samples_db: Path) -> None:
    monkeypatch.setenv(ENV_VAR, "plaintext-password")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    monkeypatch.setenv("RECON_DB", str(samples_db))
    at.run()
    assert at.sidebar.error[0].value.startswith("Der Passwort-Hash des Dashboards ist fehlerhaft eingerichtet")
    # the reason as code, never as Markdown: '$N$r$p$' would render as LaTeX
    assert at.sidebar.code[0].value == "erwartet 'scrypt$N$r$p$salt$hash' (von recon dashboard --hash-password)"
    assert not any("$" in e.value for e in at.sidebar.error)
    at.switch_page(f"{PAGES}/upload.py").run()
    assert not at.file_uploader


def test_password_from_streamlit_secrets(monkeypatch: pytest.MonkeyPatch, samples_db: Path) -> None:
    monkeypatch.setenv("RECON_DB", str(samples_db))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets[ENV_VAR] = hash_password("geheim", n=2**10)
    at.run()
    assert not at.sidebar.warning
    assert at.sidebar.text_input(key="password") is not None


# ---------------------------------------------------------------- discrepancies

def test_discrepancies_filters_and_drill_down(monkeypatch: pytest.MonkeyPatch, sim_db: SimDb) -> None:
    at = start(monkeypatch, sim_db.path, sim_db.quarter.as_of, "discrepancies")
    everything = table_with(at, "Betrag")
    assert len(everything) == len(sim_db.quarter.expected)
    stakes = [Decimal(v.removesuffix(" €").replace(".", "").replace(",", ".")) for v in everything["Betrag"] if v]
    assert stakes == sorted(stakes, reverse=True)

    at.multiselect(key="filter_kinds").set_value(["PAYOUT_MISMATCH"]).run()
    payouts_only = table_with(at, "Betrag")
    assert set(payouts_only["Art"]) == {"PAYOUT_MISMATCH"}
    assert len(payouts_only) == sum(1 for e in sim_db.quarter.expected if e.kind == "PAYOUT_MISMATCH")

    at.multiselect(key="filter_kinds").set_value([]).run()
    fault = next(e for e in sim_db.quarter.expected if e.kind == "COMMISSION_MISMATCH"
                 and isinstance(e.expected, Decimal))
    assert fault.order_number is not None
    at.text_input(key="filter_order").input(fault.order_number).run()
    one_order = table_with(at, "Betrag")
    assert set(one_order["Auftrag"]) == {fault.order_number}
    row = one_order.index[one_order["Art"] == "COMMISSION_MISMATCH"][0]
    assert one_order.loc[row, "Erwartet"] == eur(fault.expected)  # type: ignore[arg-type]
    assert one_order.loc[row, "Tatsächlich"] == eur(fault.actual)  # type: ignore[arg-type]
    assert one_order.loc[row, "Zugunsten von"] in ("OTTO", "Händler")
    assert re.fullmatch(r"\d\d\.\d\d\.2026", one_order.loc[row, "Belegdatum"])

    at.session_state["discrepancy_table"] = {"selection": {"rows": [int(row)], "columns": [], "cells": []}}
    at.run()
    assert_clean(at)
    recomputed = table_with(at, "Wert")
    values = dict(zip(recomputed.iloc[:, 0], recomputed["Wert"], strict=True))
    assert values["Erwartet (nachgerechnet)"] == eur(fault.expected)  # type: ignore[arg-type]
    assert values["Tatsächlich (laut Beleg)"] == eur(fault.actual)  # type: ignore[arg-type]
    stored = table_with(at, "Gespeicherter Wert")
    fields = dict(zip(stored["Feld"], stored["Gespeicherter Wert"], strict=True))  # by OTTO's column headers
    assert fields["Rechnungsnummer"] == fault.document_number
    assert fields["Provision netto"] == eur(fault.actual).removesuffix(" €")  # type: ignore[arg-type]
    assert fields["Versanddatum"][:10].count(".") == 2  # 29.10.2026 …, not ISO
    headings = [m.value for m in at.markdown]
    assert any(f"**{fault.document_number}.csv**, Zeile " in h for h in headings)
    assert any(".json**" in h and "`receipt_lines`" in h for h in headings)
    lines = table_with(at, "diese Abweichung")
    marked = lines[lines["diese Abweichung"] == "◀"]
    assert marked["Positions-ID (positionItemId)"].tolist() == [fault.position_item_id]


def test_discrepancies_empty(monkeypatch: pytest.MonkeyPatch, samples_db: Path) -> None:
    at = start(monkeypatch, samples_db, SAMPLES_AS_OF, "discrepancies")
    assert at.info[0].value == "Keine Abweichungen in diesem Zeitraum."


# ---------------------------------------------------------------- payouts

def test_payouts_page(monkeypatch: pytest.MonkeyPatch, samples_db: Path) -> None:
    at = start(monkeypatch, samples_db, SAMPLES_AS_OF, "payouts")
    payouts = table_with(at, "Abstimmung")
    assert payouts[["Datum", "Auszahlung", "Auszahlungsbetrag", "Abstimmung"]].values.tolist() == [
        ["12.11.2026", "AZ-2026-000030", "423,90 €", "✓ stimmt"],
        ["19.11.2026", "AZ-2026-000031", "-461,06 €", "✓ stimmt"],
    ]
    lines = table_with(at, "Laut Beleg")
    assert lines["Beleg"].tolist() == ["PR-2026-000042", "GG-2026-11", "E-DE-1002-1"]  # the latest payout
    at.selectbox(key="payout").set_value("AZ-2026-000030").run()
    lines = table_with(at, "Laut Beleg")
    assert lines[["Beleg", "Betrag", "Status"]].values.tolist() == [
        ["R-DE-1001-1", "174,90 €", "ok"], ["R-DE-1002-1", "249,00 €", "ok"]]
    open_docs = table_with(at, "Auszahlungstag")
    assert open_docs[["Auszahlungstag", "Belegart", "Belege", "Betrag"]].values.tolist() == [
        ["26.11.2026", "Provisionskorrektur", 1, "60,48 €"]]


def test_payouts_flag_what_does_not_tie_out(monkeypatch: pytest.MonkeyPatch, sim_db: SimDb) -> None:
    at = start(monkeypatch, sim_db.path, sim_db.quarter.as_of, "payouts")
    payouts = table_with(at, "Abstimmung")
    mismatched = {e.document_number for e in sim_db.quarter.expected if e.kind == "PAYOUT_MISMATCH"}
    monkeypatch.setenv("RECON_LANG", "en")  # the checks below read the English finding messages
    db = open_database(sim_db.path, read_only=True)
    try:
        unknown = [d.message for d in reconcile(db, as_of=sim_db.quarter.as_of).discrepancies
                   if d.kind == "SETTLEMENT_UNKNOWN"]
    finally:
        db.close()
    flagged = set(payouts.loc[payouts["Abstimmung"].str.startswith("✗ "), "Auszahlung"])
    # each says what is wrong: the total against its lines, or lines against their documents
    for _, row in payouts[payouts["Abstimmung"].str.startswith("✗ ")].iterrows():
        if row["Auszahlungsbetrag"] == row["Summe der Zeilen"]:
            assert row["Abstimmung"] == f"✗ {row['Abweichende Zeilen']} Zeile(n) weichen von ihrem Beleg ab"
        else:
            assert row["Abstimmung"] == "✗ Auszahlungsbetrag ≠ Summe der Zeilen"
    assert mismatched <= flagged
    # the others settle a document that was never imported
    assert all(any(f"payout {number} " in m for m in unknown) for number in flagged - mismatched)
    assert len(payouts) - len(flagged) > 0


# ---------------------------------------------------------------- categories and fees

def test_categories_page_and_fee_versions(monkeypatch: pytest.MonkeyPatch, samples_db: Path, tmp_path: Path) -> None:
    db = copy_db(samples_db, tmp_path / "fees.duckdb")
    at = start(monkeypatch, db, SAMPLES_AS_OF, "categories")
    totals = table_with(at, "Verkaufte Artikel")
    assert totals[["Kategorie", "Provision berechnet", "Provision erwartet", "Differenz"]].values.tolist() == [
        ["Heimtextilien", "8,91 €", "8,91 €", "0,00 €"], ["Möbel", "22,66 €", "22,66 €", "0,00 €"],
        ["Schmuck", "60,48 €", "60,48 €", "0,00 €"]]
    fees = table_with(at, "Gültig ab")
    assert fees.loc[fees["Gebühr"] == "Grundgebühr", "Wert"].tolist() == ["39,90 € netto", "99,90 € netto"]
    schmuck = fees.loc[(fees["Kategorie"] == "Schmuck") & (fees["Gültig ab"] == "01.10.2024")]
    assert schmuck["Wert"].tolist() == ["bis 100,00 €: 22 % · 100,00–200,00 €: 20 % · über 200,00 €: 18 %"]
    assert schmuck["Nur gemeldet (Rechnungen prüfen)"].tolist() == ["ja"]
    assert at.warning[0].value.startswith("Nicht von OTTO bestätigt:")
    at.text_area(key="fee_toml").input('[[base_fee]]\nnet = "109.90"\nvalid_from = "2026-11-01"\n')
    at.text_input(key="fee_label").input("Grundgebühr laut Vertrag")
    at.button[0].click().run()
    assert_clean(at)
    assert at.success[0].value.startswith("Als Version 1 gespeichert")
    fees = table_with(at, "Gültig ab")
    assert "109,90 € netto" in fees["Wert"].tolist() and "99,90 € netto" in fees["Wert"].tolist()
    versions = table_with(at, "Gespeichert von")
    assert versions[["Version", "Bezeichnung"]].values.tolist() == [[1, "Grundgebühr laut Vertrag"]]
    assert re.fullmatch(r"\d\d\.\d\d\.20\d\d \d\d:\d\d", versions["Gespeichert am"][0])
    # a broken file is refused and no version is added
    at.text_area(key="fee_toml").input('[[base_fee]]\nnet = 49.9\nvalid_from = "2026-11-01"\n')
    at.button[0].click().run()
    assert at.error[0].value == ("Nicht gespeichert: Grundgebühr laut Vertrag: [[base_fee]] Eintrag 1: Beträge und "
                                 'Sätze in Anführungszeichen schreiben ("15.00"), nicht als TOML-Kommazahl')
    assert table_with(at, "Gespeichert von")["Version"].tolist() == [1]
    # the overview now expects 109,90 net: the November base fee invoice (99,90) is 10 EUR net short
    at.switch_page(f"{PAGES}/overview.py").run()
    assert metrics(at)["Offene Abweichungen"] == "0,00 €"
    assert "BASE_FEE_MISMATCH" in table_with(at, "Anzahl")["Art"].tolist()


def test_viewers_cannot_edit_fees(monkeypatch: pytest.MonkeyPatch, samples_db: Path) -> None:
    monkeypatch.setenv(ENV_VAR, hash_password("x", n=2**10))
    at = start(monkeypatch, samples_db, SAMPLES_AS_OF, "categories")
    assert not at.text_area
    assert any("nach dem Anmelden" in c.value for c in at.caption)


# ---------------------------------------------------------------- download

def _download_data(at: AppTest, key: str) -> Any:
    button = next(b for b in at.get("download_button") if b.proto.id.endswith(key))
    return button


def test_download_page_without_excel_module(monkeypatch: pytest.MonkeyPatch, samples_db: Path) -> None:
    monkeypatch.setitem(sys.modules, "recon.reports.workbook", None)
    at = start(monkeypatch, samples_db, SAMPLES_AS_OF, "download")
    assert at.info[0].value.startswith("Der Excel-Bericht ist in dieser Installation nicht verfügbar")
    assert any(c.value.startswith("0 Abweichungen · Semikolon-getrennt") for c in at.caption)
    assert len(at.get("download_button")) == 1


def test_download_page_with_excel_module(monkeypatch: pytest.MonkeyPatch, sim_db: SimDb) -> None:
    calls: list[dict[str, object]] = []

    def report_workbook(db: object, path: Path, **kwargs: object) -> object:
        calls.append(kwargs)
        path.write_bytes(b"PK workbook")
        return types.SimpleNamespace(period=kwargs["period"])

    fake = types.ModuleType("recon.reports.workbook")
    fake.report_workbook = report_workbook  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "recon.reports", types.ModuleType("recon.reports"))
    monkeypatch.setitem(sys.modules, "recon.reports.workbook", fake)
    at = start(monkeypatch, sim_db.path, sim_db.quarter.as_of, "download")
    assert any(f"{len(sim_db.quarter.expected)} Abweichungen" in c.value for c in at.caption)
    at.button(key="build_excel").click().run()
    assert_clean(at)
    assert calls == [{"as_of": sim_db.quarter.as_of,
                      "period": Period(f"bis_{sim_db.quarter.as_of.isoformat()}", None, None)}]
    assert len(at.get("download_button")) == 2
    assert date_de(sim_db.quarter.as_of) in at.caption[0].value


def test_samples_folder_is_what_the_fixture_imported() -> None:
    assert sorted(p.name for p in SAMPLES.iterdir())[0] == "correction_PK-2026-000007.csv"


def test_cron_import_while_the_dashboard_runs(monkeypatch: pytest.MonkeyPatch, samples_db: Path,
                                              tmp_path: Path) -> None:
    """The dashboard holds no connection between interactions: `recon import` in another process gets the
    write lock at once, and the next interaction shows the new data (the cache key follows the file)."""
    import subprocess

    db = copy_db(samples_db, tmp_path / "cron.duckdb")
    at = start(monkeypatch, db, SAMPLES_AS_OF)
    assert metrics(at)["Berechnete Provision"] == "93,18 €"
    new = tmp_path / "invoice_PR-2026-000100.csv"
    new.write_bytes(invoice_csv([invoice_row(number="PR-2026-000100", n=1)]))
    done = subprocess.run([sys.executable, "-m", "recon", "import", "--db", str(db), str(new)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    at.run()
    assert_clean(at)
    assert metrics(at)["Berechnete Provision"] == "114,42 €"


# ---------------------------------------------------------------- column mapping dialog

RENAMED = {"Rechnungsnummer": "Rechnungs-Nr.", "Positions-ID": "Positionsnummer",
           "Bemessungsgrundlage brutto": "Verkaufspreis brutto", "Provision netto": "Nettobetrag",
           "Provision brutto": "Provision gesamt"}


def renamed_invoice(number: str, n: int) -> tuple[bytes, list[str]]:
    from tests.conftest import INVOICE_HEADER

    header = [RENAMED.get(h, h) for h in INVOICE_HEADER.split(";")]
    return invoice_csv([invoice_row(number=number, n=n)], header=";".join(header)), header


def test_upload_maps_the_columns_of_a_renamed_invoice_and_the_cli_then_needs_no_flag(
    monkeypatch: pytest.MonkeyPatch, samples_db: Path, tmp_path: Path
) -> None:
    from recon.cli import main

    db = copy_db(samples_db, tmp_path / "mapping.duckdb")
    before = counts(db)
    at = start(monkeypatch, db, SAMPLES_AS_OF, "upload")
    data, header = renamed_invoice("PR-2026-000300", 1)
    at.file_uploader[0].set_value([("renamed.csv", data, "text/csv")]).run()
    at.button(key="import").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("0 importiert, 0 bereits importiert, 1 abgelehnt")
    assert at.selectbox(key="map_0_kind").value == "invoice"
    picked = {f: header[at.selectbox(key=f"map_0_invoice_{f}").value]
              for f in ("invoice_number", "position_item_id", "base_gross", "commission_net", "commission_gross")}
    assert picked == {"invoice_number": "Rechnungs-Nr.", "position_item_id": "Positionsnummer",
                      "base_gross": "Verkaufspreis brutto", "commission_net": "Nettobetrag",
                      "commission_gross": "Provision gesamt"}
    # the accountant changes one: the article number is not needed here
    at.selectbox(key="map_0_invoice_sku").set_value(-1).run()
    assert "Die ersten Zeilen lassen sich mit dieser Zuordnung lesen." in [s.value for s in at.success]
    preview = table_with(at, "commission_gross")
    assert preview[["invoice_number", "base_gross", "commission_net", "commission_gross", "sku"]].values.tolist() == [
        ["PR-2026-000300", "119,00", "17,85", "21,24", ""]]
    at.button(key="map_0_save").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("1 importiert, 0 bereits importiert, 0 abgelehnt")
    assert counts(db)["invoice_lines"] == before["invoice_lines"] + 1
    # a later file with the same header, imported on the command line: no --columns, no --kind
    later, _ = renamed_invoice("PR-2026-000301", 2)
    (tmp_path / "later.csv").write_bytes(later)
    assert main(["import", "--db", str(db), str(tmp_path / "later.csv")]) == 0
    con = open_database(db, read_only=True)
    try:
        rows = con.con.execute("SELECT invoice_number, position_item_id, base_gross, commission_net, "
                               "commission_gross, sku FROM invoice_lines WHERE invoice_number LIKE 'PR-2026-0003%' "
                               "ORDER BY 1").fetchall()
        versions = con.con.execute("SELECT version, kind, created_by, label FROM column_mappings").fetchall()
    finally:
        con.close()
    assert rows == [("PR-2026-000300", "POS-0001", Decimal("119.00"), Decimal("17.85"), Decimal("21.24"), None),
                    ("PR-2026-000301", "POS-0002", Decimal("119.00"), Decimal("17.85"), Decimal("21.24"), None)]
    assert versions == [(1, "invoice", "dashboard", "renamed.csv")]


# ---------------------------------------------------------------- language

def test_every_page_speaks_english_with_recon_lang_en(monkeypatch: pytest.MonkeyPatch, samples_db: Path) -> None:
    monkeypatch.setenv("RECON_LANG", "en")
    at = start(monkeypatch, samples_db, SAMPLES_AS_OF)
    assert at.title[0].value == "Overview"
    assert metrics(at) == {
        "Sales (gross)": "EUR 423.90", "Commission charged": "EUR 93.18", "Effective commission rate": "15.71%",
        "Open discrepancies": "EUR 0.00", "Next payout 2026-11-26": "EUR 60.48", "Payouts received": "-EUR 37.16",
    }
    assert at.sidebar.caption[0].value == "all documents, as of 2026-11-24"
    at.switch_page(f"{PAGES}/payouts.py").run()
    assert_clean(at)
    assert table_with(at, "Tie-out")[["Date", "Total", "Tie-out"]].values.tolist() == [
        ["2026-11-12", "EUR 423.90", "✓ ties out"], ["2026-11-19", "-EUR 461.06", "✓ ties out"]]
    at.switch_page(f"{PAGES}/categories.py").run()
    assert table_with(at, "Valid from").loc[lambda f: f["Fee"] == "base fee", "Value"].tolist() == [
        "EUR 39.90 net", "EUR 99.90 net"]
    at.switch_page(f"{PAGES}/download.py").run()
    assert at.title[0].value == "Download" and at.subheader[0].value == "Excel report"
    at.switch_page(f"{PAGES}/upload.py").run()
    assert at.button(key="import").label == "Import"


def test_every_page_has_a_german_title_and_german_sidebar(monkeypatch: pytest.MonkeyPatch, samples_db: Path) -> None:
    at = start(monkeypatch, samples_db, SAMPLES_AS_OF)
    titles = {}
    for page in ("overview", "upload", "discrepancies", "payouts", "categories", "download"):
        at.switch_page(f"{PAGES}/{page}.py").run()
        assert_clean(at)
        titles[page] = at.title[0].value
        assert at.sidebar.subheader[0].value == "Zeitraum"
        assert at.sidebar.caption[0].value == "alle Belege, Stichtag 24.11.2026"
    assert titles == {"overview": "Übersicht", "upload": "Hochladen", "discrepancies": "Abweichungen",
                      "payouts": "Auszahlungen", "categories": "Kategorien & Gebühren", "download": "Download"}


def test_messages_and_reasons_get_wide_columns(monkeypatch: pytest.MonkeyPatch, sim_db: SimDb, tmp_path: Path) -> None:
    """The discrepancies' message and an upload problem's reason are not cut after a few words (issue 14)."""
    import json

    def widths(at: AppTest, column: str) -> str:
        frame = next(f for f in at.dataframe if column in f.value.columns)
        return str(json.loads(frame.proto.columns)[column].get("width"))

    at = start(monkeypatch, sim_db.path, sim_db.quarter.as_of, "discrepancies")
    assert widths(at, "Meldung") == "large"
    message = table_with(at, "Meldung")["Meldung"]
    assert message.str.len().max() > 80 and not message.str.endswith("…").any()  # whole sentences
    db = copy_db(sim_db.path, tmp_path / "upload.duckdb")
    monkeypatch.setenv("RECON_DB", str(db))
    at.switch_page(f"{PAGES}/upload.py").run()
    bad = invoice_csv([invoice_row(number="PR-2026-000901", n=1, vat="drei")])
    at.file_uploader[0].set_value([("bad.csv", bad, "text/csv")]).run()
    at.button(key="import").click().run()
    assert widths(at, "Grund") == "large"
    assert table_with(at, "Grund")["Grund"].tolist() == ["kein Betrag: 'drei' (erwartet z. B. 1.234,56)"]
