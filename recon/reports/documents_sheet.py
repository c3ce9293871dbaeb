"""Sheet "Belege": every OTTO fee document of the period and the period's input VAT (Vorsteuer).

An accountant files OTTO's commission invoices, base-fee invoices and corrections one by one; this sheet
lists them as the documents state them (net, VAT, gross: sums of their lines), with due date and the day
each was settled (model settlements: payout CSV or account statement). Below the list, the Vorsteuer of
the period: the VAT of every listed document, which is what the DATEV export books on the input-VAT
account (tests compare both to the cent).
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl
from openpyxl import Workbook

from recon import i18n
from recon.reports.frame_sheet import empty_table, frame_table
from recon.reports.labels import CAP_NOTE_ROWS
from recon.reports.xlsx import Column, cell

ZERO = Decimal("0.00")
_KEYS = ("type", "number", "date", "due", "net", "vat", "gross", "lines", "settled_on", "settled_by")
_NAMES = ["document_type", "document_number", "document_date", "due_date", "net", "vat", "gross", "lines",
          "settled_on", "in_payouts", "in_statements"]


def sheet_title() -> str:
    return i18n.t("workbook.documents.sheet")


def columns() -> list[Column]:
    header = {key: i18n.t(f"workbook.documents.{key}") for key in _KEYS}
    return [
        Column(header["type"], "text"), Column(header["number"], "text"), Column(header["date"], "date"),
        Column(header["due"], "date"), Column(header["net"], "eur", 14, total=True),
        Column(header["vat"], "eur", 14, total=True), Column(header["gross"], "eur", 14, total=True),
        Column(header["lines"], "int", total=True), Column(header["settled_on"], "date"),
        Column(header["settled_by"], "text"),
    ]


def settled_by(in_payouts: bool, in_statements: bool) -> str:
    if in_payouts and in_statements:
        return i18n.t("workbook.documents.by_both")
    if in_payouts:
        return i18n.t("workbook.documents.by_payout")
    if in_statements:
        return i18n.t("workbook.documents.by_statement")
    return i18n.t("workbook.documents.open")


def input_vat(frame: pl.DataFrame) -> Decimal:
    """The period's Vorsteuer: the VAT of every fee document in it (corrections count negative)."""
    if frame.is_empty():
        return ZERO
    return sum((Decimal(v) for v in frame["vat"].to_list()), ZERO)


def settled_by_expr() -> pl.Expr:
    """`settled_by` for whole columns (in_payouts, in_statements; null counts as no)."""
    paid, booked = pl.col("in_payouts").fill_null(False), pl.col("in_statements").fill_null(False)
    return (pl.when(paid & booked).then(pl.lit(settled_by(True, True)))
            .when(paid).then(pl.lit(settled_by(True, False)))
            .when(booked).then(pl.lit(settled_by(False, True)))
            .otherwise(pl.lit(settled_by(False, False)))).alias("settled_by")


def table(frame: pl.DataFrame) -> pl.DataFrame:
    """The sheet's columns, in order."""
    if frame.is_empty():
        return empty_table(columns())
    return frame.select(*_NAMES[:-2], settled_by_expr())


def write_documents_sheet(wb: Workbook, frame: pl.DataFrame, max_rows: int | None = None) -> None:
    """The list (with its Summe row; cut at `max_rows` with a note), then the Vorsteuer line (always over
    every document) and what the signs mean."""
    with frame_table(wb, sheet_title(), columns(), table(frame), cap=max_rows, cap_note=CAP_NOTE_ROWS) as sheet:
        ws = sheet.ws
        sheet.append([])
        if frame.is_empty():
            sheet.append([cell(ws, i18n.t("workbook.documents.none"), "text", "note")])
        vat_column = _KEYS.index("vat")
        line: list[object] = [cell(ws, i18n.t("workbook.documents.input_vat"), "text", "bold")]
        line += [None] * (vat_column - 1) + [cell(ws, input_vat(frame), "eur", "bold")]
        sheet.append(line)
        sheet.append([cell(ws, i18n.t("workbook.documents.note"), "text", "note")])
