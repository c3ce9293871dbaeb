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
    write_csv,
)
from recon.simulate.quarter import Correction, Invoice, Quarter


def _invoice_rows(inv: Invoice) -> list[list[str]]:
    return [
        [inv.number, de_date(inv.issued), de_date(inv.due), de_date(inv.period_from), de_date(inv.period_to),
         line.service_type, line.order_number, line.position_item_id, de_datetime(line.shipped_at), line.sku,
         line.category, de_amount(line.base_gross), de_rate(line.rate), de_amount(line.net), "19,00",
         de_amount(line.vat), de_amount(line.gross), "EUR"]
        for line in inv.lines
    ]


def _correction_rows(corr: Correction) -> list[list[str]]:
    return [
        [corr.number, de_date(corr.issued), de_date(corr.due), line.ref_invoice, line.service_type,
         line.order_number, line.position_item_id, de_date(line.returned_on), line.category,
         de_amount(line.base_gross), de_rate(line.rate), de_amount(line.net), "19,00", de_amount(line.vat),
         de_amount(line.gross), "EUR"]
        for line in corr.lines
    ]


def write_quarter(q: Quarter, out: Path, *, pretty: bool = True, receipt_pages: str = "week") -> list[Path]:
    """Write every document; receipts go in one JSON page per ISO week (or per day with `receipt_pages="day"`)."""
    if receipt_pages not in ("week", "day"):
        raise ValueError(f"receipt_pages must be 'week' or 'day', not {receipt_pages!r}")
    written = []
    for inv in q.invoices:
        written.append(write_csv(out / "invoices" / f"{inv.number}.csv", INVOICE_HEADERS, _invoice_rows(inv)))
    for corr in q.corrections:
        written.append(write_csv(out / "corrections" / f"{corr.number}.csv", CORRECTION_HEADERS,
                                 _correction_rows(corr)))
    for payout in q.payouts:
        total = de_amount(payout.total)  # once per payout: the property sums every line
        rows = [[payout.number, de_date(payout.day), total, line.document_type,
                 line.document_number, de_date(line.document_date), de_date(line.due), line.order_number,
                 de_amount(line.amount), "EUR"] for line in payout.lines]
        written.append(write_csv(out / "payouts" / f"{payout.number}.csv", PAYOUT_HEADERS, rows))
    weeks: dict[str, list[dict[str, Any]]] = {}
    for doc in q.receipts:
        day = q.receipt_dates[doc["receiptNumber"]]
        if receipt_pages == "day":
            label = day.isoformat()
        else:
            year, week, _ = day.isocalendar()
            label = f"{year}-W{week:02d}"
        weeks.setdefault(label, []).append(doc)
    receipts_dir = out / "receipts"
    receipts_dir.mkdir(parents=True, exist_ok=True)
    for label, docs in sorted(weeks.items()):
        path = receipts_dir / f"receipts_{label}.json"
        path.write_text(dumps_receipts(docs, indent=2 if pretty else None, plain=True), encoding="utf-8")
        written.append(path)
    return written
