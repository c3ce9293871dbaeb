"""The importer's reasons speak German by default (issue 14): the same bad files as tests/test_bad_input.py,
whose exact lines are the English ones (RECON_LANG=en). The line format `FILE:LINE: field 'NAME': reason`
is the contract's and stays; the reason is the catalogue's (recon/i18n, input.reason.*)."""

from __future__ import annotations

import re

import pytest

from recon.importing import import_bytes
from recon.store import Database
from tests.conftest import invoice_csv, invoice_row
from tests.test_bad_input import FULL, REJECTED, ROWS3, _replace_in_row, _rows

# Words of the English reasons; none may be left in a German one (codes, file names and values aside).
ENGLISH = re.compile(r"\b(not|expected|seems|line has|unknown|missing|invalid|receipt|file|field(?! ')|"
                     r"value|amount|rate|decimals|large|header|encoding|binary|should|required|repeats|"
                     r"differs|cut off|ambiguous|such)\b")


def _german(db: Database, name: str, data: bytes, kind: str | None) -> list[str]:
    result = import_bytes(db, name, data, kind=kind)
    assert result.status == "rejected"
    return result.problems


@pytest.mark.parametrize(("name", "data", "kind"), [pytest.param(n, d, k, id=i) for i, n, d, k, _ in REJECTED])
def test_every_rejection_reason_is_german(books: Database, name: str, data: bytes, kind: str | None) -> None:
    for line in _german(books, name, data, kind):
        reason = re.sub(r"^.*?:\d*:? (field '[^']*': )?", "", line)
        reason = re.sub(r"'[^']*'", "''", reason)  # the file's own values and headers may be anything
        reason = reason.split("(BOM): ")[0]  # Python's own words for the bad byte follow
        assert not ENGLISH.search(reason), line


@pytest.mark.parametrize(("data", "expected"), [
    (_rows(_replace_in_row("17,85", "17.85.0")),
     "x.csv:2: field 'Provision netto': kein Betrag: '17.85.0' (erwartet z. B. 1.234,56)"),
    (_rows(_replace_in_row("17,85", "17,855")),
     "x.csv:2: field 'Provision netto': Betrag '17,855' hat mehr als 2 Nachkommastellen"),
    (_rows(_replace_in_row("04.11.2026", "31.02.2026")),
     "x.csv:2: field 'Rechnungsdatum': diesen Kalendertag gibt es nicht: '31.02.2026'"),
    (_rows(_replace_in_row("04.11.2026", "2026-11-04")),
     "x.csv:2: field 'Rechnungsdatum': kein Datum: '2026-11-04' (erwartet TT.MM.JJJJ)"),
    (_rows(_replace_in_row("04.11.2026", "04.11.26")),
     "x.csv:2: field 'Rechnungsdatum': zweistellige Jahreszahl in '04.11.26' ist mehrdeutig (erwartet TT.MM.JJJJ)"),
    (_rows(_replace_in_row(";EUR", ";USD")),
     "x.csv:2: field 'Währung': unbekannter Wert 'USD' (erlaubt: EUR)"),
    (_rows(_replace_in_row(";17,85;", ";;")), "x.csv:2: field 'Provision netto': Wert fehlt"),
    (FULL[:-60], "x.csv:4: die Zeile hat 9 von 18 Feldern: die Datei scheint in dieser Zeile abgeschnitten"),
    (b"", "x.csv:1: leere Datei: keine Kopfzeile"),
    (b"PK\x03\x04rest", "x.csv:1: Binärdatei: das ist eine Excel-Arbeitsmappe (.xlsx) oder ein anderes ZIP-Archiv, "
                        "keine CSV- oder JSON-Textdatei"),
    (invoice_csv([ROWS3[0], invoice_row(number="PR-2026-000999", n=2)]),
     "x.csv:3: field 'Rechnungsnummer': 'PR-2026-000999' weicht von 'PR-2026-000100' in der ersten Datenzeile ab "
     "(eine Datei ist ein Beleg)"),
])
def test_exact_german_reasons(db: Database, data: bytes, expected: str) -> None:
    assert _german(db, "x.csv", data, None) == [expected]


def test_more_than_fifty_problems_end_with_a_german_count(db: Database) -> None:
    rows = [invoice_row(n=n, vat="x") for n in range(1, 53)]
    problems = _german(db, "x.csv", invoice_csv(rows), None)
    assert problems[0] == "x.csv:2: field 'USt': kein Betrag: 'x' (erwartet z. B. 1.234,56)"
    assert problems[-1] == "x.csv: ... und 2 weitere(s) Problem(e)"


def test_english_with_recon_lang_en(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECON_LANG", "en")
    assert _german(db, "x.csv", _rows(_replace_in_row("17,85", "17.85.0")), None) == [
        "x.csv:2: field 'Provision netto': not an amount: '17.85.0' (expected e.g. 1.234,56)"]


def test_already_imported_note_is_german(db: Database) -> None:
    data = _rows(ROWS3[0])
    assert import_bytes(db, "a.csv", data).status == "imported"
    again = import_bytes(db, "b.csv", data)
    assert again.status == "skipped"
    note = again.note or ""
    assert re.fullmatch(r"bereits importiert als 'a\.csv' am \d\d\.\d\d\.20\d\d \d\d:\d\d:\d\d MES?Z", note), note


def test_a_document_imported_before_under_another_name_is_named_in_german(books: Database) -> None:
    from tests.conftest import SAMPLES

    data = (SAMPLES / "invoice_PR-2026-000042.csv").read_bytes().replace(b"\r\n", b"\n")
    (problem,) = _german(books, "Rechnung (1).csv", data, None)
    assert re.fullmatch(r"Rechnung \(1\)\.csv:2: field 'Rechnungsnummer': Provisionsrechnung PR-2026-000042 wurde "
                        r"bereits aus 'invoice_PR-2026-000042\.csv' am \d\d\.\d\d\.20\d\d \d\d:\d\d:\d\d MES?Z "
                        r"importiert; ein Beleg wird nie doppelt gezählt", problem), problem


def test_reconcile_summary_is_german_and_english_with_recon_lang_en(
    tmp_path: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    from recon.cli import main
    from tests.conftest import SAMPLES

    db = str(Path(str(tmp_path)) / "r.duckdb")
    assert main(["import", "--db", db, str(SAMPLES)]) == 0
    capsys.readouterr()
    assert main(["reconcile", "--db", db, "--as-of", "2026-11-24"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Prüfung, Stichtag 24.11.2026 (alle Belege), Gebührentabelle: OTTO-Market-")
    assert [" ".join(line.split()) for line in lines[2:5]] == [
        "Umsatz (Kaufbelege) 423,90 €", "Erstattungen 249,00 €", "Verkaufsprovision berechnet 92,05 €"]
    assert lines[-1] == "Keine Abweichungen."
    monkeypatch.setenv("RECON_LANG", "en")
    assert main(["reconcile", "--db", db, "--as-of", "2026-11-24", "--from", "2026-11-01"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Reconciliation as of 2026-11-24 (2026-11-01 to end), fee table: ")
    assert lines[-1] == "No discrepancies."
