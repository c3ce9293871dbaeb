"""Issue 14's workbook and issue 11's Kontoauszug sheet: the period of "all data" by its real days, the
Belege sheet against the engine's documents and its Vorsteuer against the DATEV file (read back as an EXTF
CSV, independently of recon's writer), corrections attributed by one date in monthly workbooks, Summe rows
that follow the filter, and the statement lines with their recomputed balance, to the cent."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from recon.cli import main
from recon.engine import prepare
from recon.export.datev import write_datev
from recon.export.datev_settings import DatevSettings
from recon.fees.store import current_fee_table
from recon.importing import import_paths
from recon.period import Period, expand_name, explicit_period, month, with_data_span
from recon.reports.content import collect
from recon.reports.workbook import SHEETS, render_workbook, write_workbook
from recon.simulate.quarter import simulate
from recon.simulate.write import write_quarter
from recon.store import Database, open_database
from tests.casebook import Case, berlin, case_fees
from tests.conftest import SAMPLES
from tests.test_report_workbook import money, overview_rows, subtotal, summe, table

ZERO = Decimal("0.00")
AS_OF = date(2026, 11, 24)
QUARTER = explicit_period(date(2026, 8, 1), date(2026, 10, 31), date(2026, 11, 30))


def at(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())


# --- the period of all data --------------------------------------------------------------------------------

def test_an_open_period_takes_the_days_of_its_data() -> None:
    everything = explicit_period(None, None, AS_OF)
    spanned = with_data_span(everything, date(2026, 10, 28), date(2026, 11, 19))
    assert (spanned.label, spanned.start, spanned.end) == ("2026-10-28_bis_2026-11-19", None, None)
    assert (spanned.shown_start, spanned.shown_end) == (date(2026, 10, 28), date(2026, 11, 19))
    assert spanned.describe() == "28.10.2026 – 19.11.2026 (2026-10-28_bis_2026-11-19)"
    assert expand_name("recon_{period}.xlsx", spanned) == "recon_2026-10-28_bis_2026-11-19.xlsx"
    since = with_data_span(explicit_period(date(2026, 11, 1), None, AS_OF), date(2026, 11, 1), date(2026, 11, 19))
    assert since.label == "2026-11-01_bis_2026-11-19"
    # a period with both ends keeps its label (scheduled names stay), and no data changes nothing
    assert with_data_span(month(2026, 11), date(2026, 11, 2), date(2026, 11, 19)).label == "2026-11"
    assert with_data_span(everything, None, None) == everything


def test_the_all_data_workbook_shows_the_first_and_last_day_and_is_named_by_them(tmp_path: Path) -> None:
    db_path = tmp_path / "recon.duckdb"
    db = open_database(db_path)
    assert import_paths(db, [SAMPLES]).exit_code == 0
    db.close()
    out = tmp_path / "out"
    out.mkdir()
    assert main(["report", "--db", str(db_path), "--as-of", AS_OF.isoformat(),
                 "--excel", str(out / "recon_{period}.xlsx")]) == 0
    assert [p.name for p in out.iterdir()] == ["recon_2026-10-28_bis_2026-11-19.xlsx"]
    rows = overview_rows(load_workbook(out / "recon_2026-10-28_bis_2026-11-19.xlsx")["Übersicht"])
    # the first receipt (28.10.) to the last payout and statement day (19.11.), not "Beginn | Ende | bis_…"
    assert rows["Zeitraum"][1:4] == (datetime(2026, 10, 28), datetime(2026, 11, 19), "2026-10-28_bis_2026-11-19")


# --- Belege and the Vorsteuer ----------------------------------------------------------------------------

@dataclass
class Books:
    db: Database
    workbook: Path
    datev: Path
    settings: DatevSettings


@pytest.fixture(scope="module")
def quarter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Books]:
    """The simulated quarter (faults included), its workbook and DATEV batch for August to October."""
    folder = tmp_path_factory.mktemp("sheets")
    simulated = simulate(orders=300, seed=7)
    write_quarter(simulated, folder / "data")
    db = open_database(folder / "recon.duckdb")
    assert import_paths(db, [folder / "data"]).exit_code == 0
    as_of = simulated.as_of
    workbook = write_workbook(db, folder / "quarter.xlsx", as_of=as_of, period=QUARTER)
    settings = DatevSettings(consultant_number=1001, client_number=1)
    datev = write_datev(db, folder / "EXTF_Buchungsstapel.csv", QUARTER, as_of, settings).path
    yield Books(db, workbook, datev, settings)
    db.close()


def extf_rows(path: Path) -> list[dict[str, str]]:
    """The booking rows of an EXTF file, read as DATEV does: windows-1252, `;`, line 2 names the columns."""
    text = path.read_bytes().decode("windows-1252")
    lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert lines[0][:4] == ["EXTF", "700", "21", "Buchungsstapel"]
    return [dict(zip(lines[1], line, strict=True)) for line in lines[2:]]


def vorsteuer_from_datev(path: Path, account: int) -> Decimal:
    """Soll minus Haben on the input-VAT account, from the file alone."""
    total = ZERO
    for row in extf_rows(path):
        if row["Konto"] == str(account):
            amount = Decimal(row["Umsatz (ohne Soll/Haben-Kz)"].replace(",", "."))
            total += amount if row["Soll/Haben-Kennzeichen"] == "S" else -amount
    return total


def vorsteuer_row(ws: Worksheet) -> tuple[Any, ...]:
    return next(r for r in ws.iter_rows(values_only=True) if str(r[0]).startswith("Vorsteuer im Zeitraum"))


def test_the_vorsteuer_of_the_belege_sheet_is_what_the_datev_file_books(quarter: Books) -> None:
    ws = load_workbook(quarter.workbook)["Belege"]
    from_datev = vorsteuer_from_datev(quarter.datev, quarter.settings.input_vat)
    assert from_datev > Decimal("100.00")  # a quarter of commission VAT, corrections netted
    assert money(vorsteuer_row(ws)[5]) == from_datev
    assert money(summe(ws)["USt (Vorsteuer)"]) == from_datev  # the Summe row (SUBTOTAL) agrees unfiltered
    # and per document: each DATEV Vorsteuer booking is the VAT of its Beleg
    _, rows = table(ws)
    vat_by_number = {r[1].value: money(r[5].value) for r in rows}
    for row in extf_rows(quarter.datev):
        if row["Konto"] == str(quarter.settings.input_vat):
            amount = Decimal(row["Umsatz (ohne Soll/Haben-Kz)"].replace(",", "."))
            assert vat_by_number[row["Belegfeld 1"]] == (amount if row["Soll/Haben-Kennzeichen"] == "S" else -amount)


def test_the_belege_sheet_lists_every_fee_document_of_the_engine_to_the_cent(quarter: Books) -> None:
    wb = load_workbook(quarter.workbook)
    ws = wb["Belege"]
    assert wb.sheetnames == list(SHEETS)
    head, rows = table(ws)
    assert head == ["Belegart", "Belegnummer", "Belegdatum", "Fällig am", "Netto", "USt (Vorsteuer)", "Brutto",
                    "Positionen", "Ausgeglichen am", "Ausgeglichen durch"]
    models = prepare(quarter.db, current_fee_table(quarter.db), date(2026, 11, 30), QUARTER.start, QUARTER.end)
    con = models.con
    documents = {number: (kind, day, due, amount) for number, kind, day, due, amount in con.execute(
        "SELECT number, document_type, document_date, due_date, amount FROM documents "
        "WHERE document_type <> 'Kaufbeleg' AND document_type <> 'Erstattungsbeleg' "
        "AND document_date BETWEEN DATE '2026-08-01' AND DATE '2026-10-31'").fetchall()}
    settled = dict(con.execute("SELECT number, settled_on FROM settlements").fetchall())
    lines = {number: (net, vat, gross, n) for number, net, vat, gross, n in con.execute(
        "SELECT invoice_number, sum(commission_net), sum(vat), sum(commission_gross), count(*) FROM invoice_lines "
        "GROUP BY ALL UNION ALL SELECT correction_number, sum(commission_net), sum(vat), sum(commission_gross), "
        "count(*) FROM correction_lines GROUP BY ALL").fetchall()}
    assert len(rows) == len(documents) > 50
    assert {r[0].value for r in rows} == {"Provisionsrechnung", "Grundgebühr", "Provisionskorrektur"}
    for r in rows:
        kind, day, due, amount = documents[r[1].value]
        net, vat, gross, n = lines[r[1].value]
        assert (r[0].value, r[2].value, r[3].value) == (kind, at(day), at(due))
        assert (money(r[4].value), money(r[5].value), money(r[6].value), r[7].value) == (net, vat, gross, n)
        assert money(r[6].value) == -amount  # the document's gross is what it takes from the seller
        when = settled[r[1].value]
        assert r[8].value == (at(when) if when else None)
        assert (r[9].value == "offen") == (when is None)
        assert r[2].number_format == "DD.MM.YYYY" and r[4].number_format == "#,##0.00 €"
        assert r[8].number_format == ("DD.MM.YYYY" if when else "General")
    total = summe(ws)
    assert money(total["Brutto"]) == sum((-a for *_, a in documents.values()), ZERO)


def test_the_samples_belege_to_the_cent(tmp_path: Path, db: Database) -> None:
    assert import_paths(db, [SAMPLES]).exit_code == 0
    ws = load_workbook(write_workbook(db, tmp_path / "w.xlsx", as_of=AS_OF))["Belege"]
    _, rows = table(ws)
    assert [tuple(c.value for c in r) for r in rows] == [
        ("Grundgebühr", "GG-2026-11", datetime(2026, 11, 1), datetime(2026, 11, 15), 99.9, 18.98, 118.88, 1,
         datetime(2026, 11, 19), "Auszahlung und Kontoauszug"),
        ("Provisionsrechnung", "PR-2026-000042", datetime(2026, 11, 4), datetime(2026, 11, 18), 78.3, 14.88, 93.18, 4,
         datetime(2026, 11, 19), "Auszahlung und Kontoauszug"),
        ("Provisionskorrektur", "PK-2026-000007", datetime(2026, 11, 6), datetime(2026, 11, 20), -50.82, -9.66,
         -60.48, 1, None, "offen"),
    ]
    assert money(vorsteuer_row(ws)[5]) == Decimal("24.20")  # 18.98 + 14.88 − 9.66


# --- corrections in monthly workbooks --------------------------------------------------------------------

def test_a_september_correction_of_an_august_return_is_no_difference_in_either_month(
    db: Database, tmp_path: Path
) -> None:
    """Sold and returned in August, the correction (−99,34 € gross) booked on 3 September: the August
    workbook expects no correction yet, the September one expects and finds it. Both sides by one date."""
    case = Case(tmp_path)
    shipped = berlin(2026, 8, 10, 9)
    case.sale("ORD-9", "P9", "556.53", shipped)
    case.charge("PR-9", date(2026, 8, 11), "ORD-9", "P9", shipped, "556.53")
    case.refund("ORD-9", "P9", "556.53", berlin(2026, 8, 28, 15))
    case.correction("PK-9", date(2026, 9, 3), "PR-9", "ORD-9", "P9", "556.53")
    case.run(db, as_of=date(2026, 10, 15))
    label = "Provisionskorrekturen (Gutschriften)"
    seen = {}
    for period in (month(2026, 8), month(2026, 9)):
        path = write_workbook(db, tmp_path / f"{period.label}.xlsx", as_of=date(2026, 10, 15), period=period,
                              fees=case_fees())
        wb = load_workbook(path)
        rows = overview_rows(wb["Übersicht"])
        seen[period.label] = tuple(money(v) for v in rows[label][1:4])
        assert rows["Korrekturen (netto)"][4] == 0  # nothing unexplained in the tie-out
        kinds = {r[0].value for r in table(wb["Abweichungen"])[1]}
        assert kinds == {"SETTLEMENT_MISSING"}  # no payouts in this case; nothing about the correction
        assert any(str(k).startswith("Korrekturen: erwartet und gebucht nach demselben Tag") for k in rows)
    assert seen == {"2026-08": (ZERO, ZERO, ZERO),
                    "2026-09": (Decimal("-99.34"), Decimal("-99.34"), ZERO)}


def test_monthly_workbooks_of_a_clean_quarter_show_no_correction_difference(tmp_path: Path) -> None:
    simulated = simulate(orders=150, seed=3, faults=False)
    write_quarter(simulated, tmp_path / "data")
    db = open_database(tmp_path / "recon.duckdb")
    assert import_paths(db, [tmp_path / "data"]).exit_code == 0
    corrections = []
    for number in (8, 9, 10):
        path = write_workbook(db, tmp_path / f"{number}.xlsx", as_of=simulated.as_of, period=month(2026, number))
        row = overview_rows(load_workbook(path)["Übersicht"])["Provisionskorrekturen (Gutschriften)"]
        corrections.append(money(row[1]))
        assert money(row[3]) == ZERO, number
    db.close()
    assert sum(corrections) < ZERO  # there were corrections, in more than one month
    assert sum(1 for c in corrections if c) >= 2


# --- Summe rows follow the filter ------------------------------------------------------------------------

def test_summe_rows_are_subtotal_formulas_over_the_visible_rows(quarter: Books) -> None:
    wb = load_workbook(quarter.workbook)
    ws = wb["Belege"]
    _, rows = table(ws)
    last = len(rows) + 1
    summe_row = next(r for r in ws.iter_rows() if r[0].value == "Summe")
    assert [c.value for c in summe_row[4:8]] == [f"=SUBTOTAL(109,{c}2:{c}{last})" for c in "EFGH"]
    assert all(c.data_type == "f" and c.font.b for c in summe_row[4:8])
    assert summe_row[6].number_format == "#,##0.00 €" and summe_row[7].number_format == "#,##0"
    # filtered to the corrections (the other rows hidden), the sum is the corrections' only
    hidden = frozenset(r[0].row for r in rows if r[0].value != "Provisionskorrektur")
    corrections = sum((money(r[6].value) for r in rows if r[0].value == "Provisionskorrektur"), ZERO)
    assert corrections < ZERO
    assert money(subtotal(ws, summe_row[6].value, hidden)) == corrections
    for title in ("Abweichungen", "Provisionen", "Auszahlungen", "Auszahlungszeilen", "Offene Posten",
                  "Quellen"):
        total = next(r for r in wb[title].iter_rows() if r[0].value == "Summe")
        assert any(isinstance(c.value, str) and c.value.startswith("=SUBTOTAL(109,") for c in total), title
    # the workbook asks Excel and LibreOffice to compute the formulas when it is opened
    assert wb.calculation.fullCalcOnLoad


# --- Kontoauszug -----------------------------------------------------------------------------------------

def test_the_kontoauszug_sheet_shows_the_sample_statements_to_the_cent(tmp_path: Path, db: Database) -> None:
    assert import_paths(db, [SAMPLES]).exit_code == 0
    ws = load_workbook(write_workbook(db, tmp_path / "w.xlsx", as_of=AS_OF))["Kontoauszug"]
    head, rows = table(ws)
    assert head == ["Konto", "Buchungsdatum", "Transaktions-ID", "Transaktionsart", "Auftragsnummer", "Belegnummer",
                    "Betrag", "Saldo", "Saldo berechnet", "Differenz Saldo", "Zugeordneter Beleg", "Zuordnung",
                    "Abweichungen", "Nachweis (Datei:Zeile)"]
    op, rp = "statement_otto-payments_2026-11.csv", "statement_ratepay_2026-11.csv"
    d12, d19 = datetime(2026, 11, 12), datetime(2026, 11, 19)
    assert [tuple(c.value for c in r) for r in rows] == [
        ("OTTO Payments", d12, "OP-7000001", "PAY_IN", "ORD-1001", "R-DE-1001-1", 174.9, 174.9, 174.9, 0,
         "R-DE-1001-1", "stimmt", None, f"{op}:2"),
        ("OTTO Payments", d12, "OP-7000002", "PARTNER_PAYOUT", None, None, -174.9, 0, 0, 0, None, None, None,
         f"{op}:3"),
        ("OTTO Payments", d19, "OP-7000003", "PROVISION", None, "PR-2026-000042", -93.18, -93.18, -93.18, 0,
         "PR-2026-000042", "stimmt", None, f"{op}:4"),
        ("OTTO Payments", d19, "OP-7000004", "PROVISION", None, "GG-2026-11", -118.88, -212.06, -212.06, 0,
         "GG-2026-11", "stimmt", None, f"{op}:5"),
        ("OTTO Payments", d19, "OP-7000005", "DIRECT_DEBIT", None, None, 212.06, 0, 0, 0, None, None, None, f"{op}:6"),
        ("Ratepay", d12, "RP-31000001", "PAY_IN", "ORD-1002", "R-DE-1002-1", 249, 249, 249, 0, "R-DE-1002-1",
         "stimmt", None, f"{rp}:2"),
        ("Ratepay", d12, "RP-31000002", "PARTNER_PAYOUT", None, None, -249, 0, 0, 0, None, None, None, f"{rp}:3"),
        ("Ratepay", d19, "RP-31000003", "PAY_IN", "ORD-1002", "E-DE-1002-1", -249, -249, -249, 0, "E-DE-1002-1",
         "stimmt", None, f"{rp}:4"),
        ("Ratepay", d19, "RP-31000004", "DIRECT_DEBIT", None, None, 249, 0, 0, 0, None, None, None, f"{rp}:5"),
    ]
    assert all(r[1].number_format == "DD.MM.YYYY" and r[6].number_format == "#,##0.00 €" for r in rows)
    assert money(summe(ws)["Betrag"]) == ZERO  # every payout emptied its account


def test_a_balance_break_shows_beside_its_transaction(tmp_path: Path, db: Database) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    for sample in SAMPLES.iterdir():
        if not sample.name.startswith("statement_ratepay"):
            (folder / sample.name).write_bytes(sample.read_bytes())
    text = (SAMPLES / "statement_ratepay_2026-11.csv").read_bytes().decode("utf-8")
    broken = text.replace("RP-31000003;PAY_IN;ORD-1002;E-DE-1002-1;-249,00;-249,00",
                          "RP-31000003;PAY_IN;ORD-1002;E-DE-1002-1;-249,00;-248,99")
    broken = broken.replace("RP-31000004;DIRECT_DEBIT;;;249,00;0,00", "RP-31000004;DIRECT_DEBIT;;;249,00;0,01")
    assert broken.count("-248,99") == 1 and broken.count(";0,01;") == 1
    (folder / "statement_ratepay_2026-11.csv").write_bytes(broken.encode("utf-8"))
    assert import_paths(db, [folder]).exit_code == 0
    ws = load_workbook(write_workbook(db, tmp_path / "w.xlsx", as_of=AS_OF))["Kontoauszug"]
    _, rows = table(ws)
    by_id = {r[2].value: r for r in rows}
    third, fourth = by_id["RP-31000003"], by_id["RP-31000004"]
    assert (money(third[7].value), money(third[8].value), money(third[9].value)) == (
        Decimal("-248.99"), Decimal("-249.00"), Decimal("0.01"))
    assert "STATEMENT_BALANCE_BREAK" in third[12].value
    assert money(fourth[9].value) == Decimal("0.01")  # recomputed from the opening balance, the cent stays
    assert by_id["RP-31000002"][12].value is None  # the line before the break is not blamed


def test_long_belege_and_statement_lists_are_capped_and_the_vorsteuer_still_covers_all(
    tmp_path: Path, db: Database
) -> None:
    assert import_paths(db, [SAMPLES]).exit_code == 0
    data = collect(db, explicit_period(None, None, AS_OF), AS_OF)
    wb = load_workbook(render_workbook(data, tmp_path / "capped.xlsx", max_rows=2))
    belege, konto = wb["Belege"], wb["Kontoauszug"]
    assert len(table(belege)[1]) == 2 and len(table(konto)[1]) == 2
    assert money(vorsteuer_row(belege)[5]) == Decimal("24.20")  # all three documents, not the two shown
    assert money(summe(belege)["USt (Vorsteuer)"]) == Decimal("24.20")
    assert summe(konto)["Konto"] == "Summe (alle 9 Zeilen)" and money(summe(konto)["Betrag"]) == ZERO
    notes = [r[0] for r in konto.iter_rows(values_only=True) if r[0]]
    assert any(str(n).startswith("Nur die ersten 2 von 9 Zeilen") for n in notes)
    assert "Die Summe umfasst alle Zeilen, auch die nicht aufgeführten; sie folgt dem Filter nicht." in notes


def test_without_a_statement_the_kontoauszug_sheet_says_so(tmp_path: Path, db: Database) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    for sample in SAMPLES.iterdir():
        if not sample.name.startswith("statement_"):
            (folder / sample.name).write_bytes(sample.read_bytes())
    assert import_paths(db, [folder]).exit_code == 0
    ws = load_workbook(write_workbook(db, tmp_path / "w.xlsx", as_of=AS_OF,
                                      period=Period("2026-11", date(2026, 11, 1), date(2026, 11, 30))))["Kontoauszug"]
    values = [r[0] for r in ws.iter_rows(values_only=True) if r[0]]
    assert values[0] == "Konto" and table(ws)[1] == []
    assert values[-1].startswith("Kein Kontoauszug für den Zeitraum importiert")


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed, so the SUBTOTAL formulas are "
                                             "checked by their text and cells only (test above); "
                                             "apt-get install libreoffice-calc to recalculate them here")
def test_libreoffice_computes_the_summe_rows(db: Database, tmp_path: Path) -> None:
    """LibreOffice opens the workbook, computes every SUBTOTAL and saves it with the values, which openpyxl
    then reads as numbers (data_only): the same cents as the rows."""
    assert SOFFICE is not None
    assert import_paths(db, [SAMPLES]).exit_code == 0
    xlsx = write_workbook(db, tmp_path / "report.xlsx", as_of=AS_OF)
    out = tmp_path / "recalculated"
    profile = tmp_path / "lo-profile"
    done = subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(xlsx)],
        capture_output=True, text=True, timeout=180, check=False,
    )
    assert done.returncode == 0 and (out / "report.xlsx").exists(), done.stderr
    wb = load_workbook(out / "report.xlsx", data_only=True)
    belege = next(r for r in wb["Belege"].iter_rows(values_only=True) if r[0] == "Summe")
    assert [money(v) for v in belege[4:7]] == [Decimal("127.38"), Decimal("24.20"), Decimal("151.58")]
    konto = next(r for r in wb["Kontoauszug"].iter_rows(values_only=True) if r[0] == "Summe")
    assert money(konto[6]) == ZERO
