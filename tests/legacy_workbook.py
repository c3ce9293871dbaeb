"""The workbook as it was written before the frame sheets (recon/reports/frame_sheet.py): every list sheet cell by
cell through openpyxl (`xlsx.write_table`), with the row generators of that code, kept verbatim as the reference
that tests/test_report_frames.py compares the fast path against."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import polars as pl
from openpyxl import Workbook

from recon import i18n
from recon.engine import Discrepancy
from recon.reports import documents_sheet, statement_sheet
from recon.reports.content import ReportData
from recon.reports.labels import CAP_NOTE_ROWS
from recon.reports.workbook import (
    COMMISSION_COLUMNS,
    MAX_ROWS,
    OPEN_ITEM_COLUMNS,
    PAYOUT_COLUMNS,
    PAYOUT_LINE_COLUMNS,
    SHEETS,
    _findings,
    _overview,
    _sources,
)
from recon.reports.xlsx import cell, write_table


def build_legacy_workbook(data: ReportData, max_rows: int = MAX_ROWS) -> Workbook:
    wb = Workbook(write_only=True)
    wb.properties.creator = "recon"
    wb.properties.title = f"OTTO Market – Abgleich {data.period.label}"
    wb.calculation.fullCalcOnLoad = True
    _overview(wb, data, max_rows)
    _findings(wb, data.result.discrepancies, max_rows)
    _commission(wb, data.commission)
    _payouts(wb, data.payouts)
    _payout_lines(wb, data.payout_lines, max_rows)
    _open_items(wb, data.open_items, max_rows)
    _documents(wb, data.fee_documents, max_rows)
    _statement(wb, data.statement_lines, data.result.discrepancies, max_rows)
    _sources(wb, data)
    return wb


def _commission(wb: Workbook, frame: pl.DataFrame) -> None:
    names = ["category", "month", "invoiced_lines", "sold_items", "sold_gross", "invoiced_net", "expected_net",
             "invoiced_gross", "expected_gross", "difference_gross"]
    write_table(wb, SHEETS[2], COMMISSION_COLUMNS, frame.select(names).iter_rows())


def _payouts(wb: Workbook, frame: pl.DataFrame) -> None:
    rows = (
        (number, day, total, line_sum, (total - line_sum) if line_sum is not None else None, lines, off, ties, file)
        for number, day, total, line_sum, lines, off, ties, file in frame.select(
            ["payout_number", "payout_date", "payout_total", "line_sum", "lines", "lines_off", "ties_out", "file"]
        ).iter_rows()
    )
    write_table(wb, SHEETS[3], PAYOUT_COLUMNS, rows)


def _payout_lines(wb: Workbook, frame: pl.DataFrame, max_rows: int) -> None:
    rows = (
        (number, day, doc_type, doc, doc_date, due, order, amount, doc_amount, status, f"{file}:{line}")
        for number, day, doc_type, doc, doc_date, due, order, amount, doc_amount, status, file, line
        in frame.select(["payout_number", "payout_date", "document_type", "document_number", "document_date",
                         "due_date", "order_number", "amount", "document_amount", "status", "file", "line"]
                        ).iter_rows()
    )
    write_table(wb, SHEETS[4], PAYOUT_LINE_COLUMNS, rows, cap=max_rows, cap_note=CAP_NOTE_ROWS)


def _open_items(wb: Workbook, frame: pl.DataFrame, max_rows: int) -> None:
    names = ["document_type", "document_number", "document_date", "due_date", "settlement_day", "order_number",
             "amount", "overdue"]
    write_table(wb, SHEETS[5], OPEN_ITEM_COLUMNS, frame.select(names).iter_rows(), cap=max_rows,
                cap_note=CAP_NOTE_ROWS)


def _document_rows(frame: pl.DataFrame) -> Iterator[tuple[object, ...]]:
    if frame.is_empty():
        return
    names = ["document_type", "document_number", "document_date", "due_date", "net", "vat", "gross", "lines",
             "settled_on", "in_payouts", "in_statements"]
    for kind, number, day, due, net, vat, gross, lines, settled_on, paid, booked in frame.select(names).iter_rows():
        yield (kind, number, day, due, net, vat, gross, lines, settled_on,
               documents_sheet.settled_by(bool(paid), bool(booked)))


def _documents(wb: Workbook, frame: pl.DataFrame, max_rows: int | None) -> None:
    title = documents_sheet.sheet_title()
    write_table(wb, title, documents_sheet.columns(), _document_rows(frame), cap=max_rows, cap_note=CAP_NOTE_ROWS)
    ws = wb[title]
    ws.append([])
    if frame.is_empty():
        ws.append([cell(ws, i18n.t("workbook.documents.none"), "text", "note")])
    line: list[object] = [cell(ws, i18n.t("workbook.documents.input_vat"), "text", "bold")]
    line += [None] * (5 - 1) + [cell(ws, documents_sheet.input_vat(frame), "eur", "bold")]
    ws.append(line)
    ws.append([cell(ws, i18n.t("workbook.documents.note"), "text", "note")])


def _statement_rows(frame: pl.DataFrame, found: Sequence[Discrepancy]) -> Iterator[tuple[object, ...]]:
    if frame.is_empty():
        return
    cited = statement_sheet.findings_by_line(found)
    names = ["account", "booking_date", "transaction_id", "transaction_type", "order_number", "document_number",
             "amount", "balance", "running_balance", "matched_number", "match_status", "sha", "line", "file"]
    for (account, day, tx, kind, order, document, amount, balance, running, matched, status, sha, line,
         file) in frame.select(names).iter_rows():
        status_text = i18n.t(f"workbook.statement.status.{status}") if status else None
        yield (account, day, tx, kind, order, document, amount, balance, running, balance - running, matched,
               status_text, ", ".join(cited.get((sha, line), [])) or None, f"{file}:{line}")


def _statement(wb: Workbook, frame: pl.DataFrame, found: Sequence[Discrepancy], max_rows: int | None) -> None:
    title = statement_sheet.sheet_title()
    write_table(wb, title, statement_sheet.columns(), _statement_rows(frame, found), cap=max_rows,
                cap_note=CAP_NOTE_ROWS)
    ws = wb[title]
    ws.append([])
    key = "workbook.statement.none" if frame.is_empty() else "workbook.statement.note"
    ws.append([cell(ws, i18n.t(key), "text", "note")])
