"""Write a simulated quarter as the files OTTO sends: one CSV per document, receipts as weekly JSON pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from recon.simulate.documents import (
    CORRECTION_HEADERS,
    INVOICE_HEADERS,
    PAYOUT_HEADERS,
    de_amount,
    de_date,
    de_datetime,
    de_rate,
    dumps_receipts,
    receipt_page_json,
    write_csv,
)
from recon.simulate.quarter import Correction, Invoice, InvoiceLine, Quarter


class _AmountTexts:
    """The six amount columns of a fee line, formatted once per combination of amount objects: lines share
    their Decimals (the simulator memoises them per fee entry and price), so a million lines have a few
    hundred thousand combinations. Keyed by identity (the objects are kept, so no id is reused); by value
    would merge 0.00 and -0.00, which print differently."""

    def __init__(self) -> None:
        self.known: dict[tuple[int, ...], tuple[object, tuple[str, ...]]] = {}

    def __call__(self, line: InvoiceLine) -> tuple[str, ...]:
        values = (line.base_gross, line.rate, line.net, line.vat, line.gross)
        key = tuple(map(id, values))
        found = self.known.get(key)
        if found is None:
            texts = (de_amount(line.base_gross), de_rate(line.rate), de_amount(line.net), "19,00",
                     de_amount(line.vat), de_amount(line.gross), "EUR")
            found = self.known[key] = (values, texts)
        return found[1]


def _invoice_rows(inv: Invoice, amounts: _AmountTexts) -> list[list[str]]:
    head = [inv.number, de_date(inv.issued), de_date(inv.due), de_date(inv.period_from), de_date(inv.period_to)]
    return [
        [*head, line.service_type, line.order_number, line.position_item_id, de_datetime(line.shipped_at),
         line.sku, line.category, *amounts(line)]
        for line in inv.lines
    ]


def _correction_rows(corr: Correction, amounts: _AmountTexts) -> list[list[str]]:
    head = [corr.number, de_date(corr.issued), de_date(corr.due)]
    return [
        [*head, line.ref_invoice, line.service_type, line.order_number, line.position_item_id,
         de_date(line.returned_on), line.category, *amounts(line)]
        for line in corr.lines
    ]


def write_quarter(q: Quarter, out: Path, *, pretty: bool = True, receipt_pages: str = "week") -> list[Path]:
    """Write every document; receipts go in one JSON page per ISO week (or per day with `receipt_pages="day"`).

    Receipts are written from the simulator's records (documents.receipt_json, one page at a time) unless
    someone asked for `q.receipts`: those dicts may have been changed, so then they are what is written."""
    if receipt_pages not in ("week", "day"):
        raise ValueError(f"receipt_pages must be 'week' or 'day', not {receipt_pages!r}")
    written = []
    amounts = _AmountTexts()
    for inv in q.invoices:
        written.append(write_csv(out / "invoices" / f"{inv.number}.csv", INVOICE_HEADERS,
                                 _invoice_rows(inv, amounts)))
    for corr in q.corrections:
        written.append(write_csv(out / "corrections" / f"{corr.number}.csv", CORRECTION_HEADERS,
                                 _correction_rows(corr, amounts)))
    del amounts
    for payout in q.payouts:
        head = [payout.number, de_date(payout.day), de_amount(payout.total)]  # the total sums every line: once
        rows = [[*head, line.document_type, line.document_number, de_date(line.document_date), de_date(line.due),
                 line.order_number, de_amount(line.amount), "EUR"] for line in payout.lines]
        written.append(write_csv(out / "payouts" / f"{payout.number}.csv", PAYOUT_HEADERS, rows))
    receipts_dir = out / "receipts"
    receipts_dir.mkdir(parents=True, exist_ok=True)
    days = [r.day for r in q.receipt_records]
    if q.documents is not None and len(q.documents) != len(days):
        raise ValueError("q.receipts no longer matches q.receipt_records: change the records, not the list")
    pages: dict[str, list[int]] = {}
    labels: dict[Any, str] = {}
    for n, day in enumerate(days):
        label = labels.get(day)
        if label is None:
            if receipt_pages == "day":
                label = day.isoformat()
            else:
                year, week, _ = day.isocalendar()
                label = f"{year}-W{week:02d}"
            labels[day] = label
        pages.setdefault(label, []).append(n)
    records = q.receipt_records
    for label, numbers in sorted(pages.items()):
        path = receipts_dir / f"receipts_{label}.json"
        if q.documents is not None:
            text = dumps_receipts([q.documents[n] for n in numbers], indent=2 if pretty else None, plain=True)
        elif pretty:
            text = dumps_receipts([records[n].document() for n in numbers], indent=2, plain=True)
        else:
            text = receipt_page_json(records[n].json() for n in numbers)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
