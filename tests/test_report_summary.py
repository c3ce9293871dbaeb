"""The HTML and plain-text summary: the engine's numbers in German form, escaped imported text."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from recon.importing import import_paths
from recon.period import parse_period
from recon.reports.content import collect
from recon.reports.summary import render_html, render_text
from recon.store import Database
from tests.conftest import INVOICE_HEADER, SAMPLES

AS_OF = date(2026, 11, 24)
CREATED = datetime(2026, 11, 26, 8, 0)


def test_text_summary_of_the_samples_in_november(db: Database) -> None:
    assert import_paths(db, [SAMPLES]).exit_code == 0
    data = collect(db, parse_period("2026-11", AS_OF), AS_OF, created_at=CREATED)
    text = render_text(data, "recon_2026-11.xlsx")
    lines = text.splitlines()
    assert lines[0] == "OTTO Market – Abgleich 2026-11"
    assert lines[1] == ("Zeitraum 01.11.2026 – 30.11.2026 (2026-11), Stichtag 24.11.2026, "
                        "erstellt 26.11.2026 08:00")
    assert "Keine Abweichungen im Zeitraum." in lines

    def row(label: str, *amounts: str) -> str:
        return f"{label:<36} " + "".join(f"{a:>16}" for a in amounts)

    assert row("Verkaufsprovision", "92,05 €", "92,05 €", "0,00 €") in lines
    assert row("Grundgebühren", "118,88 €", "118,88 €", "0,00 €") in lines
    assert row("Provisionskorrekturen (Gutschriften)", "-60,48 €", "-60,48 €", "0,00 €") in lines
    assert row("Auszahlungen", "-37,16 €") in lines
    assert row("Netto an den Verkäufer", "-400,58 €", "-400,58 €", "0,00 €") in lines
    assert "Nächste Auszahlung: 26.11.2026, 60,48 € (1 Beleg)" in lines
    # the tie-out: net, per category; 19.04 + 7.49 + 50.82 product commission, the ring refunded
    assert f"{'Verkaufsprovision (netto)':<36} {'77,35 €':>16}{'77,35 €':>16}{'0,00 €':>28}{'0,00 €':>12}" in lines
    assert f"{'Korrekturen (netto)':<36} {'-50,82 €':>16}{'-50,82 €':>16}{'0,00 €':>28}{'0,00 €':>12}" in lines
    assert "Jeder Cent Differenz ist durch eine Abweichung erklärt." in lines
    assert lines[-1] == "Alle Einzelheiten: recon_2026-11.xlsx"
    assert all(line == line.rstrip() for line in lines)


def test_html_summary_escapes_imported_text_and_shows_findings(db: Database, tmp_path: Path) -> None:
    row = ("PR-2026-000100;04.11.2026;18.11.2026;28.10.2026;03.11.2026;Verkaufsprovision;"
           "ORD-X;<script>alert(1)</script>;29.10.2026 10:15:00;SKU-1;Möbel;119,00;15,00;17,85;19,00;3,39;"
           "21,24;EUR")
    (tmp_path / "evil.csv").write_bytes((INVOICE_HEADER + "\r\n" + row + "\r\n").encode("cp1252"))
    assert import_paths(db, [SAMPLES, tmp_path / "evil.csv"]).exit_code == 0
    data = collect(db, parse_period("2026-11", AS_OF), AS_OF, created_at=CREATED)
    html = render_html(data)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="de">' in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    kinds = {d.kind for d in data.result.discrepancies}
    assert "CHARGE_WITHOUT_SALE" in kinds
    assert "Provision ohne Verkauf" in html  # the German label of CHARGE_WITHOUT_SALE
    against = f"{data.result.against_seller:.2f}".replace(".", ",") + " €"
    assert f'<strong style="color:#9c0006;">{against}</strong> zu Lasten des Verkäufers' in html
    assert "<style" not in html and "<link" not in html  # mail clients: inline styles only


def test_text_summary_in_english_comes_from_the_catalogue(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECON_LANG", "en")
    assert import_paths(db, [SAMPLES]).exit_code == 0
    data = collect(db, parse_period("2026-11", AS_OF), AS_OF, created_at=CREATED)
    lines = render_text(data, "recon_2026-11.xlsx").splitlines()
    assert lines[0] == "OTTO Market – reconciliation 2026-11"
    assert lines[1] == "Period 2026-11-01 – 2026-11-30 (2026-11), as of 2026-11-24, created 2026-11-26 08:00"
    assert "No discrepancies in the period." in lines
    assert f"{'Sales commission':<36} {'EUR 92.05':>16}{'EUR 92.05':>16}{'EUR 0.00':>16}" in lines
    assert f"{'Totals (gross)':<36} {'as invoiced':>16}{'expected':>16}{'difference':>16}" in lines
    assert "Next payout: 2026-11-26, EUR 60.48 (1 document)" in lines
    assert lines[-2].startswith("9 imported files, last imported ")
    assert lines[-1] == "All details: recon_2026-11.xlsx"


def test_html_summary_in_english_names_its_language(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECON_LANG", "en")
    assert import_paths(db, [SAMPLES]).exit_code == 0
    html = render_html(collect(db, parse_period("2026-11", AS_OF), AS_OF, created_at=CREATED))
    assert '<html lang="en">' in html and "<title>OTTO Market – reconciliation 2026-11</title>" in html
    assert "<p>2026-11-26: <strong>EUR 60.48</strong> (1 document).</p>" in html
    assert "Abgleich" not in html and "Belege" not in html
