"""The DATEV EXTF Buchungsstapel, checked field by field against DATEV's documented layout
(developer.datev.de, DATEV-Format: header line of 31 fields, 125 columns of format version 13)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from recon.cli import main
from recon.engine import reconcile
from recon.export.datev import COLUMNS, TEXT_POSITIONS, Booking, DatevIdsMissing, write_datev
from recon.export.datev_settings import DatevSettings, SettingsError, load_settings
from recon.fees.table import load_fee_table
from recon.importing import import_paths
from recon.period import explicit_period, parse_period
from recon.simulate.quarter import simulate
from recon.simulate.statements import quarter_transactions, write_finance_files
from recon.simulate.write import write_quarter
from recon.store import Database, open_database
from tests.conftest import INVOICE_HEADER, SAMPLES

AS_OF = date(2026, 11, 24)
CREATED = datetime(2026, 11, 24, 8, 30, 15, 123000)
# Berater and Mandant numbers of DATEV's own sample books; payouts booked so every kind of line is covered.
SETTINGS = DatevSettings(consultant_number=29098, client_number=55003, book_payouts=True)

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
    write_datev(db, path, parse_period(period, AS_OF), AS_OF, settings or SETTINGS, CREATED)
    return path


def raw_fields(path: Path) -> list[list[str]]:
    """Every line's fields with their quotes kept, to see "" where a text field is empty."""
    text = path.read_bytes().decode("windows-1252")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";", quoting=csv.QUOTE_NONE))


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
    assert raw.startswith(b'"EXTF";700;21;"Buchungsstapel";13;20261124083015123;;"RC";"recon";"";29098;55003;'
                          b'20260101;4;20261101;20261130;"OTTO Market 2026-11";"";1;0;0;"EUR";;"";;;"03";;;"";""\r\n')
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
        assert filled <= set(PATTERNS) | {"Festschreibung"}
        assert row["Festschreibung"] == "0"  # column 114, explicit in every row

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
    assert not any(r["Konto"] == "1800" for r in rows)  # payouts are not booked unless book_payouts = true
    settings = load_settings(accounts.parent / _with(accounts, "book_payouts = true\n"))
    header, _, rows, _ = parse(export(db, tmp_path / "skr04.csv", settings=settings))
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
    ("consultant_number = 999\n", "consultant_number (Beraternummer) = 999: erlaubt sind 1001 bis 9999999"),
    ("consultant_number = 10000000\n", "Beraternummer) = 10000000: erlaubt sind 1001 bis 9999999"),
    ("client_number = 100000\n", "client_number (Mandantennummer) = 100000: erlaubt sind 1 bis 99999"),
    ("client_number = -1\n", "client_number (Mandantennummer) = -1"),
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
        result = write_datev(db, tmp_path / "sep.csv", period, quarter.as_of, SETTINGS, CREATED)
        totals = reconcile(db, as_of=quarter.as_of, date_from=period.start, date_to=period.end).totals
    finally:
        db.close()
    s = SETTINGS
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


def _with(path: Path, extra: str) -> str:
    """A copy of an accounts file with `extra` lines added; returns the copy's name beside it."""
    copy = path.with_name("more_" + path.name)
    copy.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return copy.name


def test_cli_defaults_to_last_month_and_logs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "recon.duckdb"
    db = open_database(db_path)
    assert import_paths(db, [SAMPLES]).exit_code == 0
    db.close()
    out = tmp_path / "EXTF_{period}.csv"
    assert main(["export", "datev", str(out), "--db", str(db_path), "--as-of", "2026-12-03", "--berater", "29098",
                 "--mandant", "55003"]) == 0
    captured = capsys.readouterr()
    assert re.fullmatch(r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2} (MEZ|MESZ) recon export datev: .*\n", captured.out)
    assert f"{tmp_path / 'EXTF_2026-11.csv'} geschrieben (01.11.2026 – 30.11.2026 (2026-11), 7 Buchungen, " \
           "Gebühren 151,58 €, Auszahlungen nicht gebucht)" in captured.out
    assert captured.err == ""
    header, _, rows, _ = parse(tmp_path / "EXTF_2026-11.csv")
    assert (header[10], header[11]) == ("29098", "55003") and len(rows) == 7
    code = main(["export", "datev", str(tmp_path / "EXTF_x.csv"), "--db", str(db_path), "--from", "2026-12-01",
                 "--to", "2027-01-31", "--berater", "29098", "--mandant", "55003"])
    assert code == 2 and "umfasst zwei Wirtschaftsjahre" in capsys.readouterr().err
    ids = ["--berater", "29098", "--mandant", "55003"]
    bad = tmp_path / "bad.toml"
    bad.write_text("bank = 0\n", encoding="utf-8")
    assert main(["export", "datev", str(tmp_path / "EXTF_y.csv"), "--db", str(db_path), "--accounts", str(bad),
                 *ids]) == 2
    assert main(["export", "datev", str(tmp_path / "EXTF_z.csv"), "--db", str(tmp_path / "none.duckdb"), *ids]) == 1


def _sample_db(tmp_path: Path) -> Path:
    db_path = tmp_path / "recon.duckdb"
    db = open_database(db_path)
    assert import_paths(db, [SAMPLES]).exit_code == 0
    db.close()
    return db_path


def test_without_berater_and_mandant_the_export_is_refused_or_loudly_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = _sample_db(tmp_path)
    out = tmp_path / "EXTF_nov.csv"
    args = ["export", "datev", str(out), "--db", str(db_path), "--period", "2026-11", "--as-of", "2026-12-03"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("recon export datev: consultant_number, client_number fehlt: DATEV lehnt einen Stapel ohne "
                          "Berater- und Mandantennummer ab.")
    assert not out.exists()
    assert main([*args, "--berater", "29098"]) == 2
    assert "client_number fehlt" in capsys.readouterr().err and not out.exists()
    assert main([*args, "--berater", "1000", "--mandant", "1"]) == 2
    assert "--berater/--mandant: consultant_number (Beraternummer) = 1000: erlaubt sind 1001 bis 9999999" in \
        capsys.readouterr().err
    assert main([*args, "--allow-empty-ids"]) == 0
    assert capsys.readouterr().err == ("recon export datev: WARNUNG: consultant_number, client_number leer geschrieben "
                                       "(--allow-empty-ids). DATEV importiert diese Datei erst, wenn Berater- und "
                                       "Mandantennummer im Kopf eingetragen sind.\n")
    header, _, _, _ = parse(out)
    assert (header[10], header[11]) == ("", "")
    db = open_database(db_path, read_only=True)
    try:
        with pytest.raises(DatevIdsMissing):
            write_datev(db, tmp_path / "EXTF_lib.csv", parse_period("2026-11", AS_OF), AS_OF, DatevSettings())
    finally:
        db.close()


def test_default_file_name_follows_datev_and_other_names_get_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path = _sample_db(tmp_path)
    monkeypatch.chdir(tmp_path)
    ids = ["--berater", "29098", "--mandant", "55003", "--db", str(db_path), "--as-of", "2026-12-03"]
    assert main(["export", "datev", *ids]) == 0
    assert (tmp_path / "EXTF_Buchungsstapel_2026-11.csv").is_file()
    assert capsys.readouterr().err == ""
    assert main(["export", "datev", "buchungen.csv", *ids]) == 0
    assert capsys.readouterr().err == ("recon export datev: Hinweis: buchungen.csv beginnt nicht mit EXTF_ und endet "
                                       "nicht auf .csv; DATEV erwartet Dateinamen der Form "
                                       "EXTF_Buchungsstapel_....csv\n")
    assert (tmp_path / "buchungen.csv").is_file()


def test_empty_text_fields_keep_their_quotes_and_festschreibung_follows_the_lock(db: Database, tmp_path: Path) -> None:
    assert import_paths(db, [SAMPLES]).exit_code == 0
    path = export(db, tmp_path / "EXTF_locked.csv", settings=DatevSettings(consultant_number=29098,
                                                                           client_number=55003, lock=True))
    header, _columns, *lines = raw_fields(path)
    assert header[20] == "1"
    assert len(lines) == 7
    for fields in lines:
        assert len(fields) == 125
        for position, value in enumerate(fields, start=1):
            if position in TEXT_POSITIONS:
                assert value.startswith('"') and value.endswith('"') and len(value) >= 2, (position, value)
            else:
                assert '"' not in value, (position, value)
        assert fields[113] == "1"  # Festschreibung
        assert fields[8] == '""' and fields[11] == '""' and fields[19] == '""'  # BU-Schlüssel, Belegfeld 2, Beleglink
        assert fields[3] == "" and fields[4] == "" and fields[12] == ""  # Kurs, Basis-Umsatz, Skonto: no quotes


# DATEV's field table (Buchungsstapel, format version 13) for the fields recon fills, by 1-based position:
# type and the rule the value must meet (quotes removed). Text fields: at most the documented length, no
# control characters, no unbalanced quotes (the CSV reader would fail).
DATEV_FIELD_RULES: dict[int, tuple[str, str]] = {
    1: ("Betrag", r"\d{1,10},\d{2}"),  # positive, decimal comma, no thousands separator
    2: ("Text", r"[SH]"),
    3: ("Text", r"EUR"),
    7: ("Konto", r"\d{4,9}"),
    8: ("Konto", r"\d{4,9}"),
    9: ("Text", r"\d{0,4}"),
    10: ("Datum", r"(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])"),  # TTMM
    11: ("Text", r"[A-Za-z0-9$%&*+\-/]{0,36}"),  # Belegfeld 1: DATEV's allowed characters, at most 36
    14: ("Text", r"[^\x00-\x1f]{0,60}"),
    21: ("Text", r"[^\x00-\x1f]{0,20}"),
    22: ("Text", r"[^\x00-\x1f]{0,210}"),
    114: ("Zahl", r"[01]"),
}


def test_every_row_meets_datev_field_rules_on_a_simulated_month(tmp_path: Path) -> None:
    quarter = simulate(orders=150, seed=5)
    write_quarter(quarter, tmp_path / "data")
    db = open_database(tmp_path / "q.duckdb")
    try:
        assert import_paths(db, [tmp_path / "data"]).exit_code == 0
        path = tmp_path / "EXTF_sep.csv"
        write_datev(db, path, parse_period("2026-09", quarter.as_of), quarter.as_of, SETTINGS, CREATED)
    finally:
        db.close()
    header, _, rows, raw = parse(path)
    assert len(rows) > 20
    assert re.fullmatch(r"\d{17}", header[5]) and re.fullmatch(r"\d{4,7}", header[10])  # Erzeugt am, Berater
    assert 1001 <= int(header[10]) <= 9_999_999 and 1 <= int(header[11]) <= 99_999
    assert len(header[16]) <= 30 and len(header[17]) <= 2  # Bezeichnung, Diktatkürzel
    for row in rows:
        values = list(row.values())
        for position, (_kind, pattern) in DATEV_FIELD_RULES.items():
            assert re.fullmatch(pattern, values[position - 1]), (position, values[position - 1])
    raw.decode("windows-1252").encode("windows-1252")  # every character representable


def test_an_independent_extf_reader_reads_the_batch(tmp_path: Path) -> None:
    """Second opinion from mloda-community-german-ledger's DATEV EXTF 700 reader (a dev dependency)."""
    try:
        from mloda.community.feature_groups.experimental.german_ledger.datev import (  # noqa: PLC0415
            read_batch,
        )
    except ImportError as exc:
        pytest.skip(f"mloda-community-german-ledger is not installed ({exc}); pip install it for this check")
    quarter = simulate(orders=150, seed=5)
    write_quarter(quarter, tmp_path / "data")
    db = open_database(tmp_path / "q.duckdb")
    try:
        assert import_paths(db, [tmp_path / "data"]).exit_code == 0
        path = tmp_path / "EXTF_Buchungsstapel_2026-09.csv"
        export = write_datev(db, path, parse_period("2026-09", quarter.as_of), quarter.as_of,
                             DatevSettings(consultant_number=29098, client_number=55003, lock=True), CREATED)
    finally:
        db.close()
    head, legs = read_batch(str(path))
    assert (head.berater, head.mandant, head.festschreibung, head.skr) == ("29098", "55003", True, "03")
    assert (head.datum_von, head.datum_bis, head.sachkontenlaenge) == (date(2026, 9, 1), date(2026, 9, 30), 4)
    assert len(legs["Konto"]) == 2 * len(export.bookings)
    assert set(legs["Festschreibung"]) == {True}
    by_account: dict[str, Decimal] = {}
    for account, amount in zip(legs["Konto"], legs["Betrag"], strict=True):
        by_account[account] = by_account.get(account, Decimal("0.00")) + amount
    ours: dict[str, Decimal] = {}
    for b in export.bookings:
        ours[str(b.account)] = ours.get(str(b.account), Decimal("0.00")) + b.signed
        ours[str(b.contra)] = ours.get(str(b.contra), Decimal("0.00")) - b.signed
    assert by_account == ours
    assert sum(by_account.values()) == 0
    assert [d.month for d in legs["Buchungsdatum"]] == [9] * len(legs["Konto"])


STATEMENT_SETTINGS = replace(SETTINGS, book_statement=True)


def clearing_balance(bookings: list[Booking], clearing: int) -> Decimal:
    """What the bookings leave on the clearing account (Soll positive)."""
    return (sum((b.signed for b in bookings if b.account == clearing), Decimal("0.00"))
            - sum((b.signed for b in bookings if b.contra == clearing), Decimal("0.00")))


def test_book_statement_books_the_samples_statements_on_the_clearing_account(db: Database, tmp_path: Path) -> None:
    """Customer money against 1410, payouts from the statements (not the payout CSVs); the fee documents as
    before. What stays on 1360 is exactly the one document no statement settled yet: correction PK-7."""
    assert import_paths(db, [SAMPLES]).exit_code == 0
    path = export(db, tmp_path / "EXTF_Buchungsstapel.csv", settings=STATEMENT_SETTINGS)
    _, _, rows, _ = parse(path)
    for row in rows:
        assert len(row) == 125 and row["Festschreibung"] == "0"
        for name, pattern in PATTERNS.items():
            assert re.fullmatch(pattern, row[name]), (name, row[name])
    got = [(r["Umsatz (ohne Soll/Haben-Kz)"], r["Soll/Haben-Kennzeichen"], r["Konto"],
            r["Gegenkonto (ohne BU-Schlüssel)"], r["Belegdatum"], r["Belegfeld 1"], r["Buchungstext"],
            r["Beleginfo - Inhalt 1"]) for r in rows if r["Belegfeld 1"][:2] in ("KA", "OP", "RP")]
    otto, ratepay = "statement_otto-payments_2026-11.csv", "statement_ratepay_2026-11.csv"
    assert got == [
        ("174,90", "S", "1360", "1410", "1211", "KA-20261112", "OTTO Payments Kundenzahlungen 12.11.2026", otto),
        ("174,90", "S", "1200", "1360", "1211", "OP-7000002", "OTTO Payments Auszahlung OP-7000002", otto),
        ("249,00", "S", "1360", "1410", "1211", "KA-20261112", "Ratepay Kundenzahlungen 12.11.2026", ratepay),
        ("249,00", "S", "1200", "1360", "1211", "RP-31000002", "Ratepay Auszahlung RP-31000002", ratepay),
        ("212,06", "H", "1200", "1360", "1911", "OP-7000005", "OTTO Payments Lastschrift OP-7000005", otto),
        ("249,00", "H", "1360", "1410", "1911", "KA-20261119", "Ratepay Kundenzahlungen 19.11.2026", ratepay),
        ("249,00", "H", "1200", "1360", "1911", "RP-31000004", "Ratepay Lastschrift RP-31000004", ratepay),
    ]
    assert not any(r["Belegfeld 1"].startswith("AZ-") for r in rows)  # the payout CSVs are not booked twice
    bookings = write_datev(db, tmp_path / "b.csv", parse_period("2026-11", AS_OF), AS_OF, STATEMENT_SETTINGS,
                           CREATED).bookings
    assert clearing_balance(bookings, 1360) == Decimal("60.48")  # PK-2026-000007: -60,48 gross, still open
    # Without book_payouts the bank feed books the payouts: only customer money and fees are exported.
    unpaid = write_datev(db, tmp_path / "c.csv", parse_period("2026-11", AS_OF), AS_OF,
                         replace(STATEMENT_SETTINGS, book_payouts=False), CREATED).bookings
    assert {b.account for b in unpaid} == {4900, 4760, 1576, 1360}
    # ... and 1360 keeps the payouts' money until the adviser books the bank statement (Bank an 1360).
    assert clearing_balance(unpaid, 1360) == Decimal("60.48") + Decimal("174.90") + Decimal("249.00") \
        - Decimal("212.06") - Decimal("249.00")


def test_the_clearing_account_nets_to_zero_over_a_simulated_quarter(tmp_path: Path) -> None:
    """Fees, customer money, payment fees and payouts of a generated quarter booked on 1360 leave exactly the
    fee documents no statement settled yet (issued in the last days); without those, exactly 0,00."""
    fees = load_fee_table('[[payment_fee]]\nrate = "1.20"\nvalid_from = "2026-01-01"\n')
    q = simulate(orders=150, seed=5, faults=False, fees=fees)
    write_quarter(q, tmp_path / "docs")
    write_finance_files(q, tmp_path / "finance")
    settled = {line.document_number for p in q.payouts for line in p.lines}
    open_docs = [d for d in [*q.invoices, *q.corrections] if d.number not in settled]
    assert open_docs and all(d.issued > q.as_of - timedelta(days=21) for d in open_docs)
    period = explicit_period(date(2026, 8, 1), q.as_of, q.as_of)
    accounts = replace(STATEMENT_SETTINGS, receivables=1411, statement_other=4909)
    sources = [tmp_path / "docs" / sub for sub in ("invoices", "corrections", "receipts")]
    sources.append(tmp_path / "finance" / "statements")
    results = {}
    for name, drop in (("all", set()), ("settled", {d.number for d in open_docs})):
        for doc in drop:
            for sub in ("invoices", "corrections"):
                (tmp_path / "docs" / sub / f"{doc}.csv").unlink(missing_ok=True)
        db = open_database(tmp_path / f"{name}.duckdb")
        try:
            assert import_paths(db, sources).exit_code == 0
            results[name] = write_datev(db, tmp_path / f"EXTF_{name}.csv", period, q.as_of, accounts, CREATED)
        finally:
            db.close()
    bookings = results["all"].bookings
    assert clearing_balance(bookings, 1360) == -sum((d.total for d in open_docs), Decimal("0.00"))
    assert clearing_balance(results["settled"].bookings, 1360) == Decimal("0.00")
    statements = [t for ts in quarter_transactions(q).values() for t in ts]
    kinds = {t.transaction_type for t in statements}
    assert {"PAYMENTFEE", "PAYMENTFEE_REFUND", "DIRECT_DEBIT"} <= kinds
    bank = sum((b.signed for b in bookings if b.account == 1200), Decimal("0.00"))
    assert bank == -sum((t.amount for t in statements if t.transaction_type in ("PARTNER_PAYOUT", "DIRECT_DEBIT")),
                        Decimal("0.00"))
    fee = sum((b.signed for b in bookings if b.account == 4970), Decimal("0.00"))
    assert fee == -sum((t.amount for t in statements if t.transaction_type.startswith("PAYMENTFEE")),
                       Decimal("0.00"))
    customer = sum((b.signed for b in bookings if b.contra == 1411), Decimal("0.00"))
    assert customer == sum((t.amount for t in statements if t.transaction_type == "PAY_IN"), Decimal("0.00"))
    # One booking per account, day and type: far fewer lines than transactions.
    pay_ins = [t for t in statements if t.transaction_type == "PAY_IN"]
    assert len([b for b in bookings if b.contra == 1411]) < len(pay_ins)
    _, _, rows, raw = parse(tmp_path / "EXTF_all.csv")
    assert len(rows) == len(bookings)
    for row in rows:
        values = list(row.values())
        for position, (_kind, pattern) in DATEV_FIELD_RULES.items():
            assert re.fullmatch(pattern, values[position - 1]), (position, values[position - 1])
    raw.decode("windows-1252").encode("windows-1252")


@pytest.mark.parametrize(("content", "message"), [
    ("book_statement = 1\n", "book_statement must be bool"),
    ("receivables = 0\n", "receivables = 0 is not an account number"),
    ("payment_fee_expense = \"4970\"\n", "payment_fee_expense must be int"),
])
def test_bad_statement_keys_are_refused(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "datev.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SettingsError, match=message):
        load_settings(path)
