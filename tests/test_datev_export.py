"""The DATEV EXTF Buchungsstapel, checked field by field against DATEV's documented layout
(developer.datev.de, DATEV-Format: header line of 31 fields, 125 columns of format version 13)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from recon.cli import main
from recon.engine import reconcile
from recon.export.datev import COLUMNS, write_datev
from recon.export.datev_settings import DatevSettings, SettingsError, load_settings
from recon.importing import import_paths
from recon.period import parse_period
from recon.simulate.quarter import simulate
from recon.simulate.write import write_quarter
from recon.store import Database, open_database
from tests.conftest import INVOICE_HEADER, SAMPLES

AS_OF = date(2026, 11, 24)
CREATED = datetime(2026, 11, 24, 8, 30, 15, 123000)

# Field patterns as DATEV documents them for the fields this export fills (quotes removed by the CSV reader).
PATTERNS = {
    "Umsatz (ohne Soll/Haben-Kz)": r"\d{1,10},\d{2}",
    "Soll/Haben-Kennzeichen": r"[SH]",
    "WKZ Umsatz": r"[A-Z]{3}",
    "Konto": r"\d{1,9}",
    "Gegenkonto (ohne BU-Schlüssel)": r"\d{1,9}",
    "BU-Schlüssel": r"\d{0,4}",
    "Belegdatum": r"\d{4}",
    "Belegfeld 1": r"[\w$%\-/]{0,36}",
    "Buchungstext": r".{0,60}",
    "Beleginfo - Art 1": r".{0,20}",
    "Beleginfo - Inhalt 1": r".{0,210}",
}


def parse(path: Path) -> tuple[list[str], list[str], list[dict[str, str]], bytes]:
    raw = path.read_bytes()
    text = raw.decode("windows-1252")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"'))
    header, columns, *data = rows
    return header, columns, [dict(zip(columns, r, strict=True)) for r in data], raw


def export(db: Database, path: Path, period: str = "2026-11", settings: DatevSettings | None = None) -> Path:
    write_datev(db, path, parse_period(period, AS_OF), AS_OF, settings or DatevSettings(), CREATED)
    return path


def test_the_125_documented_columns_in_order() -> None:
    assert len(COLUMNS) == 125 and len(set(COLUMNS)) == 125
    assert COLUMNS[:14] == (
        "Umsatz (ohne Soll/Haben-Kz)", "Soll/Haben-Kennzeichen", "WKZ Umsatz", "Kurs", "Basis-Umsatz",
        "WKZ Basis-Umsatz", "Konto", "Gegenkonto (ohne BU-Schlüssel)", "BU-Schlüssel", "Belegdatum", "Belegfeld 1",
        "Belegfeld 2", "Skonto", "Buchungstext")
    # positions as numbered in the format description (1-based)
    assert COLUMNS[36] == "KOST1 - Kostenstelle"
    assert COLUMNS[47] == "Zusatzinformation - Art 1" and COLUMNS[86] == "Zusatzinformation- Inhalt 20"
    assert COLUMNS[87] == "Stück" and COLUMNS[113] == "Festschreibung" and COLUMNS[124] == "Abw. Skontokonto"


def test_samples_november_field_by_field(db: Database, tmp_path: Path) -> None:
    assert import_paths(db, [SAMPLES]).exit_code == 0
    header, columns, rows, raw = parse(export(db, tmp_path / "EXTF_Buchungsstapel.csv"))

    # the file: windows-1252, CRLF, semicolons, one header line, one column line
    assert raw.count(b"\r\n") == raw.count(b"\n") == 2 + len(rows)
    assert b"Grundgeb\xfchr" in raw and "Grundgebühr".encode() not in raw
    assert raw.startswith(b'"EXTF";700;21;"Buchungsstapel";13;20261124083015123;;"RC";"recon";"";;;20260101;4;'
                          b'20261101;20261130;"OTTO Market 2026-11";"";1;0;0;"EUR";;"";;;"03";;;"";""\r\n')
    assert len(header) == 31
    assert (header[0], header[1], header[2], header[3], header[4]) == ("EXTF", "700", "21", "Buchungsstapel", "13")
    assert header[12:16] == ["20260101", "4", "20261101", "20261130"]  # WJ-Beginn, Sachkontenlänge, vom, bis
    assert (header[18], header[20], header[21], header[26]) == ("1", "0", "EUR", "03")
    assert columns == list(COLUMNS)

    for row in rows:
        assert len(row) == 125
        for name, pattern in PATTERNS.items():
            assert re.fullmatch(pattern, row[name]), (name, row[name])
        filled = {name for name, value in row.items() if value}
        assert filled <= set(PATTERNS)

    got = [(r["Umsatz (ohne Soll/Haben-Kz)"], r["Soll/Haben-Kennzeichen"], r["Konto"],
            r["Gegenkonto (ohne BU-Schlüssel)"], r["BU-Schlüssel"], r["Belegdatum"], r["Belegfeld 1"],
            r["Buchungstext"], r["Beleginfo - Inhalt 1"]) for r in rows]
    assert got == [
        ("99,90", "S", "4900", "1360", "", "0111", "GG-2026-11", "OTTO Grundgebühr GG-2026-11",
         "invoice_GG-2026-11.csv"),
        ("18,98", "S", "1576", "1360", "", "0111", "GG-2026-11", "OTTO Vorsteuer GG-2026-11", "invoice_GG-2026-11.csv"),
        ("77,35", "S", "4760", "1360", "", "0411", "PR-2026-000042", "OTTO Verkaufsprovision PR-2026-000042",
         "invoice_PR-2026-000042.csv"),
        ("0,95", "S", "4760", "1360", "", "0411", "PR-2026-000042", "OTTO Versandkostenprovision PR-2026-000042",
         "invoice_PR-2026-000042.csv"),
        ("14,88", "S", "1576", "1360", "", "0411", "PR-2026-000042", "OTTO Vorsteuer PR-2026-000042",
         "invoice_PR-2026-000042.csv"),
        ("50,82", "H", "4760", "1360", "", "0611", "PK-2026-000007", "OTTO Korrektur Verkaufsprovision PK-2026-000007",
         "correction_PK-2026-000007.csv"),
        ("9,66", "H", "1576", "1360", "", "0611", "PK-2026-000007", "OTTO Korrektur Vorsteuer PK-2026-000007",
         "correction_PK-2026-000007.csv"),
        ("423,90", "S", "1200", "1360", "", "1211", "AZ-2026-000030", "OTTO Auszahlung AZ-2026-000030",
         "payout_AZ-2026-000030.csv"),
        ("461,06", "H", "1200", "1360", "", "1911", "AZ-2026-000031", "OTTO Lastschrift AZ-2026-000031",
         "payout_AZ-2026-000031.csv"),
    ]
    assert {r["WKZ Umsatz"] for r in rows} == {"EUR"} and {r["Beleginfo - Art 1"] for r in rows} == {"Quelldatei"}


def test_accounts_file_and_tax_key_mode(db: Database, tmp_path: Path) -> None:
    assert import_paths(db, [SAMPLES]).exit_code == 0
    accounts = tmp_path / "accounts.toml"
    accounts.write_text('commission_expense = 6770\nshipping_commission_expense = 6770\nbase_fee_expense = 6300\n'
                        'input_vat = 1406\nclearing = 1461\nbank = 1800\nchart = "04"\ntax_key = "9"\n'
                        "consultant_number = 29098\nclient_number = 55003\ninitials = \"WD\"\n", encoding="utf-8")
    settings = load_settings(accounts)
    header, _, rows, _ = parse(export(db, tmp_path / "skr04.csv", settings=settings))
    assert (header[10], header[11], header[17], header[26]) == ("29098", "55003", "WD", "04")
    got = [(r["Umsatz (ohne Soll/Haben-Kz)"], r["Soll/Haben-Kennzeichen"], r["Konto"],
            r["Gegenkonto (ohne BU-Schlüssel)"], r["BU-Schlüssel"]) for r in rows]
    assert got == [
        ("118,88", "S", "6300", "1461", "9"),  # gross with BU-Schlüssel 9: DATEV takes out the VAT
        ("92,05", "S", "6770", "1461", "9"),
        ("1,13", "S", "6770", "1461", "9"),
        ("60,48", "H", "6770", "1461", "9"),
        ("423,90", "S", "1800", "1461", ""),
        ("461,06", "H", "1800", "1461", ""),
    ]


@pytest.mark.parametrize(("content", "message"), [
    ("commision_expense = 4760\n", "unknown key(s) commision_expense"),
    ('bank = "1200"\n', "bank must be int"),
    ("clearing = 0\n", "clearing = 0 is not an account number"),
    ('tax_key = "V19"\n', "tax_key must be up to 4 digits"),
    ('chart = "05"\n', 'chart must be "03" or "04"'),
])
def test_bad_accounts_files_are_refused(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "a.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SettingsError, match=re.escape(message)):
        load_settings(path)


def test_bookings_sum_to_the_engine_totals_of_the_period(tmp_path: Path) -> None:
    """Fees, corrections and payouts of a simulated month add up to the engine's totals to the cent."""
    quarter = simulate(orders=200, seed=11)
    write_quarter(quarter, tmp_path / "data")
    db = open_database(tmp_path / "q.duckdb")
    try:
        assert import_paths(db, [tmp_path / "data"]).exit_code == 0
        period = parse_period("2026-09", quarter.as_of)
        result = write_datev(db, tmp_path / "sep.csv", period, quarter.as_of, DatevSettings(), CREATED)
        totals = reconcile(db, as_of=quarter.as_of, date_from=period.start, date_to=period.end).totals
    finally:
        db.close()
    s = DatevSettings()
    fees = sum((b.signed for b in result.bookings if b.account != s.bank), Decimal("0.00"))
    payouts = sum((b.signed for b in result.bookings if b.account == s.bank), Decimal("0.00"))
    assert fees == (totals["invoiced_commission_gross"] + totals["invoiced_shipping_commission_gross"]  # type: ignore[operator]
                    + totals["invoiced_base_fee_gross"] + totals["corrections_gross"])
    assert payouts == totals["payouts_total"]
    vat = sum((b.signed for b in result.bookings if b.account == s.input_vat), Decimal("0.00"))
    assert vat > 0 and all(b.contra == s.clearing for b in result.bookings)
    _, _, rows, _ = parse(tmp_path / "sep.csv")
    assert len(rows) == len(result.bookings) > 20
    assert all(r["Belegdatum"].endswith("09") for r in rows)  # every booking in September


def test_imported_text_is_cleaned_for_datev_and_spreadsheets(db: Database, tmp_path: Path) -> None:
    row = ("PR 2026/100;04.11.2026;18.11.2026;28.10.2026;03.11.2026;Verkaufsprovision;ORD-1;POS-1;"
           "29.10.2026 10:15:00;SKU-1;Möbel;119,00;15,00;17,85;19,00;3,39;21,24;EUR")
    (tmp_path / "=cmd.csv").write_bytes((INVOICE_HEADER + "\r\n" + row + "\r\n").encode("cp1252"))
    assert import_paths(db, [tmp_path / "=cmd.csv"]).exit_code == 0
    _, _, rows, _ = parse(export(db, tmp_path / "out.csv"))
    assert {r["Belegfeld 1"] for r in rows} == {"PR-2026/100"}  # a space is not allowed in Belegfeld 1
    assert {r["Beleginfo - Inhalt 1"] for r in rows} == {"'=cmd.csv"}  # OWASP: leading apostrophe


def test_cli_defaults_to_last_month_and_logs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "recon.duckdb"
    db = open_database(db_path)
    assert import_paths(db, [SAMPLES]).exit_code == 0
    db.close()
    out = tmp_path / "EXTF_{period}.csv"
    assert main(["export", "datev", str(out), "--db", str(db_path), "--as-of", "2026-12-03"]) == 0
    log = capsys.readouterr().out
    assert "recon export datev: wrote" in log and "EXTF_2026-11.csv" in log
    assert "9 bookings, fees 151,58 €, payouts -37,16 €" in log
    assert (tmp_path / "EXTF_2026-11.csv").exists()
    code = main(["export", "datev", str(tmp_path / "x.csv"), "--db", str(db_path), "--from", "2026-12-01",
                 "--to", "2027-01-31"])
    assert code == 2 and "spans two fiscal years" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text("bank = 0\n", encoding="utf-8")
    assert main(["export", "datev", str(tmp_path / "y.csv"), "--db", str(db_path), "--accounts", str(bad)]) == 2
    assert main(["export", "datev", str(tmp_path / "z.csv"), "--db", str(tmp_path / "none.duckdb")]) == 1
