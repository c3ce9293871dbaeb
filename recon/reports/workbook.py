"""The accountants' workbook: `write_workbook(db, path, as_of=...)` writes it with openpyxl.

Sheets (names and headers in German, as the accountant files them): Übersicht, Abweichungen, Provisionen,
Auszahlungen, Auszahlungszeilen, Offene Posten, Belege (OTTO's fee documents and the Vorsteuer,
recon/reports/documents_sheet.py), Kontoauszug (recon/reports/statement_sheet.py), Quellen. Amounts are
numbers in `#,##0.00 €`, dates are Excel dates, every table has a frozen header row and an autofilter, and
each "Summe" row is a SUBTOTAL(109, …) formula over the column (it follows the filter) whose value equals the
reconciliation engine's total to the cent (the numbers are the engine's Decimals, written exactly).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
from openpyxl import Workbook

from recon import i18n
from recon.engine import Discrepancy, tie_out
from recon.fees.describe import status_text, unconfirmed_note, value_text
from recon.fees.table import FeeTable
from recon.period import Period, explicit_period
from recon.reports.atomic import replace_atomically
from recon.reports.content import ReportData, collect
from recon.reports.documents_sheet import write_documents_sheet
from recon.reports.frame_sheet import evidence, write_frame_table
from recon.reports.labels import (
    CAP_NOTE_FINDINGS,
    CAP_NOTE_ROWS,
    FAVOUR_LABELS,
    KIND_LABELS,
    SOURCE_KIND_LABELS,
    TOTAL_ROWS,
)
from recon.reports.statement_sheet import write_statement_sheet
from recon.reports.xlsx import Column, cell, de_int, print_setup, set_widths, write_table
from recon.store import Database

# Rows per list sheet; the rest is counted in the "Summe" row and named in a note. 50 000 keeps the file quick to
# open (writing it is ~1 s: recon/reports/frame_sheet.py); the database and the dashboard hold every row.
MAX_ROWS = 50_000
SHEETS = ("Übersicht", "Abweichungen", "Provisionen", "Auszahlungen", "Auszahlungszeilen", "Offene Posten",
          "Belege", "Kontoauszug", "Quellen")
ZERO = Decimal("0.00")


def write_workbook(db: Database, path: Path | str, *, as_of: date, date_from: date | None = None,
                   date_to: date | None = None, period: Period | None = None, fees: FeeTable | None = None,
                   max_rows: int = MAX_ROWS) -> Path:
    """Reconcile the period and write the workbook to `path` (atomically: a failed run leaves no file)."""
    report_workbook(db, Path(path), as_of=as_of, period=period or explicit_period(date_from, date_to, as_of),
                    fees=fees, max_rows=max_rows)
    return Path(path)


def report_workbook(db: Database, path: Path, *, as_of: date, period: Period, fees: FeeTable | None = None,
                    max_rows: int = MAX_ROWS) -> ReportData:
    """Write the workbook and return what it shows: its period carries the days the data covers, which
    names a download of an open period (the dashboard's)."""
    data = collect(db, period, as_of, fees)
    render_workbook(data, path, max_rows=max_rows)
    return data


def render_workbook(data: ReportData, path: Path, *, max_rows: int = MAX_ROWS) -> Path:
    return replace_atomically(path, lambda tmp: build_workbook(data, max_rows).save(tmp))


def build_workbook(data: ReportData, max_rows: int = MAX_ROWS) -> Workbook:
    """The workbook in memory (write-only: the sheets are streamed to temporary files until saved)."""
    wb = Workbook(write_only=True)
    wb.properties.creator = "recon"
    wb.properties.title = f"OTTO Market – Abgleich {data.period.label}"
    wb.calculation.fullCalcOnLoad = True  # the "Summe" rows are SUBTOTAL formulas: computed on opening
    _overview(wb, data, max_rows)
    _findings(wb, data.result.discrepancies, max_rows)
    _commission(wb, data.commission)
    _payouts(wb, data.payouts)
    _payout_lines(wb, data.payout_lines, max_rows)
    _open_items(wb, data.open_items, max_rows)
    write_documents_sheet(wb, data.fee_documents, max_rows)
    write_statement_sheet(wb, data.statement_lines, data.result.discrepancies, max_rows)
    _sources(wb, data)
    return wb


# --- Übersicht -------------------------------------------------------------------------------------------

def _overview(wb: Workbook, data: ReportData, max_rows: int) -> None:
    ws = wb.create_sheet(SHEETS[0])
    ws.freeze_panes = "A2"
    set_widths(ws, [44, 24, 24, 24, 16, 58])
    print_setup(ws, landscape=False, repeat_header=False)
    result, totals = data.result, data.result.totals

    def row(*values: Any) -> None:
        ws.append([v if v is None or not isinstance(v, tuple) else cell(ws, *v) for v in values])

    period = data.period
    row(("OTTO Market – Abgleich der Gebühren und Auszahlungen", "text", "title"))
    row()
    row(("Zeitraum", "text", "bold"), (period.shown_start or i18n.t("ui.period.start"), "auto"),
        (period.shown_end or i18n.t("ui.period.end"), "auto"), (period.label, "text"))
    row(("Stichtag (Fälligkeiten und Auszahlungen bis)", "text", "bold"), (data.as_of, "date"))
    row(("Erstellt am", "text", "bold"), (data.created_at, "datetime"))
    row(("Gebührentabelle", "text", "bold"), (result.fee_table, "text"))
    row()
    row(("Summen (brutto)", "text", "header"), ("laut Belegen", "text", "header_right"),
        ("erwartet", "text", "header_right"), ("Differenz", "text", "header_right"))
    for label, actual_key, expected_key in TOTAL_ROWS:
        actual = totals[actual_key]
        if expected_key is None:
            row((label, "text"), (actual, "eur"))
        else:
            expected = totals[expected_key]
            assert isinstance(actual, Decimal) and isinstance(expected, Decimal)
            row((label, "text"), (actual, "eur"), (expected, "eur"), (actual - expected, "eur"))
    row((i18n.t("workbook.overview.corrections_dated"), "text", "note"))
    row((i18n.t("workbook.overview.subtotal_note"), "text", "note"))
    row()
    _tie_out_rows(row, result)
    row()
    row(("Abweichungen nach Art", "text", "header"), ("Anzahl", "text", "header_right"),
        ("zu Lasten des Verkäufers", "text", "header_right"), ("zugunsten des Verkäufers", "text", "header_right"),
        ("ohne Betrag", "text", "header_right"), ("Bedeutung", "text", "header"))
    for s in result.by_kind():
        row((s.kind, "text"), (s.count, "int"), (s.against_seller, "eur"), (s.for_seller, "eur"),
            (s.unquantified, "int"), (KIND_LABELS.get(s.kind, ""), "text", "indent"))
    row(("Summe", "text", "bold"), (len(result.discrepancies), "int", "bold"),
        (result.against_seller, "eur", "bold"), (result.for_seller, "eur", "bold"))
    if not result.discrepancies:
        row(("Keine Abweichungen im Zeitraum.", "text"))
    if len(result.discrepancies) > max_rows:
        found = len(result.discrepancies)
        row((CAP_NOTE_FINDINGS.format(shown=de_int(max_rows), total=de_int(found), left=de_int(found - max_rows)),
             "text", "note"))
    row()
    _fee_rows(row, data)
    row()
    row(("Nächste Auszahlung (erwartet)", "text", "header"), ("Datum", "text", "header_right"),
        ("Betrag", "text", "header_right"), ("Belege", "text", "header_right"),
        ("davon überfällig", "text", "header_right"))
    nxt = data.next_payout
    if nxt is None:
        row(("keine offenen Belege", "text"))
    else:
        row(("nächster Auszahlungstag", "text"), (nxt.day, "date"), (nxt.amount, "eur"),
            (nxt.documents, "int"), (nxt.overdue_documents, "int"))
    row()
    row(("Datenquellen", "text", "header"), ("Dateien", "text", "header_right"), ("Zeilen", "text", "header_right"),
        ("zuletzt importiert", "text", "header_right"))
    for kind, files, rows, last in data.sources_by_kind:
        row((SOURCE_KIND_LABELS.get(kind, kind), "text"), (files, "int"), (rows, "int"), (last, "datetime"))
    if not data.sources:
        row(("noch keine Dateien importiert", "text"))
    row(("Jede Datei mit Importzeit und SHA-256: Blatt „Quellen“", "text"))


def _fee_rows(row: Any, data: ReportData) -> None:
    """The fee table's entries in force in the period, tier schedules spelled out, unconfirmed ones marked."""
    row(("Gebührensätze im Zeitraum", "text", "header"), ("Kategorie / Versandart", "text", "header"),
        ("Satz", "text", "header"), ("gültig ab", "text", "header_right"), ("gültig bis", "text", "header_right"),
        ("Quelle", "text", "header"))
    for e in data.fee_entries:
        status = status_text(e, "de")
        source = f"{status}: {e.source}" if status else e.source
        row((e.kind, "text"), (e.category or "", "text"), (value_text(e, "de"), "text"), (e.valid_from, "date"),
            (e.valid_to, "date") if e.valid_to else ("offen", "text"), (source, "text"))
    note = unconfirmed_note(data.fee_entries, "de")
    if note:
        row((note, "text", "note"))


def _tie_out_rows(row: Any, result: Any) -> None:
    """The tie-out: per category invoiced − expected against what the findings explain (net; payouts as paid)."""
    keys = ("title", "invoiced", "expected", "explained", "unexplained")
    title, *heads = (i18n.t(f"tie_out.{k}") for k in keys)
    row((title, "text", "header"), *((h, "text", "header_right") for h in heads))
    for t in result.tie_out:
        style = "bold" if t.unexplained else None
        unexplained = (t.unexplained, "eur", style) if style else (t.unexplained, "eur")
        row((tie_out.label(t.category), "text"), (t.invoiced, "eur"), (t.expected, "eur"), (t.explained, "eur"),
            unexplained)
    if result.tie_out and not any(t.unexplained for t in result.tie_out):
        row((i18n.t("tie_out.all_explained"), "text"))


# --- Lists -----------------------------------------------------------------------------------------------

FINDING_COLUMNS = [
    Column("Art", "text"), Column("Auftragsnummer", "text"), Column("Positions-ID", "text"),
    Column("Belegnummer", "text"), Column("Belegdatum", "date"), Column("Erwartet", "auto", 14),
    Column("Tatsächlich", "auto", 14), Column("Differenz", "eur", 14), Column("Zugunsten von", "text", 14),
    Column("zu Lasten des Verkäufers", "eur", 14, total=True),
    Column("zugunsten des Verkäufers", "eur", 14, total=True),
    Column("Nachweis (Datei:Zeile)", "text", 34, wrap=True), Column("Meldung", "text", 60, wrap=True),
]


def finding_row(d: Discrepancy) -> tuple[object, ...]:
    evidence = ", ".join(f"{e.file}:{e.line}" for e in d.evidence)
    favour = FAVOUR_LABELS.get(d.in_favour_of or "")
    against = d.at_stake if d.in_favour_of == "OTTO" else None
    in_favour = d.at_stake if d.in_favour_of == "seller" else None
    return (d.kind, d.order_number, d.position_item_id, d.document_number, d.document_date, d.expected, d.actual,
            d.difference, favour, against, in_favour, evidence, d.message)


def _findings(wb: Workbook, found: Sequence[Discrepancy], max_rows: int) -> None:
    rows: Iterator[tuple[object, ...]] = (finding_row(d) for d in found)
    write_table(wb, SHEETS[1], FINDING_COLUMNS, rows, cap=max_rows, cap_note=CAP_NOTE_FINDINGS)


COMMISSION_COLUMNS = [
    Column("Kategorie", "text"), Column("Monat", "month", 10), Column("Provisionszeilen", "int", total=True),
    Column("Verkaufte Artikel", "int", total=True), Column("Umsatz brutto", "eur", total=True),
    Column("Provision netto berechnet", "eur", total=True), Column("Provision netto erwartet", "eur", total=True),
    Column("Provision brutto berechnet", "eur", total=True), Column("Provision brutto erwartet", "eur", total=True),
    Column("Differenz brutto", "eur", total=True),
]


def _commission(wb: Workbook, frame: pl.DataFrame) -> None:
    names = ["category", "month", "invoiced_lines", "sold_items", "sold_gross", "invoiced_net", "expected_net",
             "invoiced_gross", "expected_gross", "difference_gross"]
    write_frame_table(wb, SHEETS[2], COMMISSION_COLUMNS, frame.select(names))


PAYOUT_COLUMNS = [
    Column("Auszahlungsnummer", "text"), Column("Auszahlungsdatum", "date"),
    Column("Auszahlungsbetrag", "eur", total=True), Column("Summe der Zeilen", "eur", total=True),
    Column("Differenz", "eur", total=True), Column("Zeilen", "int", total=True),
    Column("davon abweichend", "int", total=True), Column("Stimmt", "text", 9), Column("Datei", "text"),
]


def _payouts(wb: Workbook, frame: pl.DataFrame) -> None:
    difference = pl.col("payout_total") - pl.col("line_sum")  # null where the payout has no lines
    table = frame.select("payout_number", "payout_date", "payout_total", "line_sum", difference.alias("difference"),
                         "lines", "lines_off", "ties_out", "file")
    write_frame_table(wb, SHEETS[3], PAYOUT_COLUMNS, table)


PAYOUT_LINE_COLUMNS = [
    Column("Auszahlungsnummer", "text"), Column("Auszahlungsdatum", "date"), Column("Belegart", "text"),
    Column("Belegnummer", "text"), Column("Belegdatum", "date"), Column("Fällig am", "date"),
    Column("Auftragsnummer", "text"), Column("Betrag", "eur", total=True), Column("Betrag laut Beleg", "eur"),
    Column("Status", "text", 11), Column("Nachweis (Datei:Zeile)", "text"),
]


def _payout_lines(wb: Workbook, frame: pl.DataFrame, max_rows: int) -> None:
    table = frame.select("payout_number", "payout_date", "document_type", "document_number", "document_date",
                         "due_date", "order_number", "amount", "document_amount", "status", evidence())
    write_frame_table(wb, SHEETS[4], PAYOUT_LINE_COLUMNS, table, cap=max_rows, cap_note=CAP_NOTE_ROWS)


OPEN_ITEM_COLUMNS = [
    Column("Belegart", "text"), Column("Belegnummer", "text"), Column("Belegdatum", "date"),
    Column("Fällig am", "date"), Column("Auszahlungstag", "date"), Column("Auftragsnummer", "text"),
    Column("Betrag", "eur", total=True), Column("Überfällig", "text", 11),
]


def _open_items(wb: Workbook, frame: pl.DataFrame, max_rows: int) -> None:
    names = ["document_type", "document_number", "document_date", "due_date", "settlement_day", "order_number",
             "amount", "overdue"]
    write_frame_table(wb, SHEETS[5], OPEN_ITEM_COLUMNS, frame.select(names), cap=max_rows, cap_note=CAP_NOTE_ROWS)


SOURCE_COLUMNS = [
    Column("Datei", "text"), Column("Art", "text"), Column("Kodierung", "text"), Column("Zeilen", "int", total=True),
    Column("Summe", "eur"), Column("Importiert am", "datetime", 17), Column("Importiert von", "text"),
    Column("SHA-256", "text", 66),
]


def _sources(wb: Workbook, data: ReportData) -> None:
    rows = ((s.name, SOURCE_KIND_LABELS.get(s.kind, s.kind), s.encoding, s.rows, s.amount_total, s.imported_at,
             s.imported_by, s.sha256) for s in data.sources)
    write_table(wb, SHEETS[-1], SOURCE_COLUMNS, rows)
