"""Writers for the four input kinds, in the reference layouts of shared/formats.md and the Receipts API."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from recon.money import round_cent

BERLIN = ZoneInfo("Europe/Berlin")
_MARK = "\u0000dec:"
_MARKED = re.compile(r'"\\u0000dec:([-0-9.]+)"')

INVOICE_HEADERS = [
    "Rechnungsnummer", "Rechnungsdatum", "Fälligkeitsdatum", "Leistungszeitraum von", "Leistungszeitraum bis",
    "Leistungsart", "Auftragsnummer", "Positions-ID", "Versanddatum", "Artikelnummer", "Produktkategorie",
    "Bemessungsgrundlage brutto", "Provisionssatz", "Provision netto", "USt-Satz", "USt", "Provision brutto",
    "Währung",
]
CORRECTION_HEADERS = [
    "Korrekturnummer", "Korrekturdatum", "Fälligkeitsdatum", "Bezug Rechnungsnummer", "Leistungsart",
    "Auftragsnummer", "Positions-ID", "Retourendatum", "Produktkategorie", "Bemessungsgrundlage brutto",
    "Provisionssatz", "Provision netto", "USt-Satz", "USt", "Provision brutto", "Währung",
]
PAYOUT_HEADERS = [
    "Auszahlungsnummer", "Auszahlungsdatum", "Auszahlungsbetrag", "Belegart", "Belegnummer", "Belegdatum",
    "Fälligkeitsdatum", "Auftragsnummer", "Betrag", "Währung",
]


def de_amount(value: Decimal | None) -> str:
    """German notation with thousands dots: 1.234,56 (what OTTO's CSVs carry)."""
    if value is None:
        return ""
    text = f"{round_cent(value):,.2f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def de_rate(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def de_date(value: date | None) -> str:
    return "" if value is None else value.strftime("%d.%m.%Y")


def de_datetime(value: datetime | None) -> str:
    """Shown in German local time, as the files are."""
    return "" if value is None else value.astimezone(BERLIN).strftime("%d.%m.%Y %H:%M:%S")


def _field(value: str) -> str:
    if any(ch in value for ch in ';"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[str]],
              *, encoding: str = "cp1252", newline: str = "\r\n") -> Path:
    """A `;` file in windows-1252 with CRLF, as OTTO's mails carry it."""
    lines = [";".join(_field(h) for h in headers)]
    lines += [";".join(_field(v) for v in row) for row in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


# --- Receipts API v3 ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReceiptItem:
    position_item_id: str
    sku: str
    title: str
    gross: Decimal  # what the customer pays for the unit, VAT included
    vat_rate: Decimal = Decimal("19")


def _money(amount: Decimal) -> dict[str, Any]:
    return {"amount": amount, "currency": "EUR"}


def price(gross: Decimal, vat_rate: Decimal) -> dict[str, Any]:
    """A Price object: gross, and net/tax split the way a VAT-inclusive price splits (tax rounded half-up)."""
    tax = round_cent(gross * vat_rate / (100 + vat_rate))
    return {"taxType": "VAT", "taxRate": f"{vat_rate:.1f}", "gross": _money(gross),
            "net": _money(gross - tax), "tax": _money(tax)}


def _utc(value: datetime) -> str:
    return value.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _item_position(n: int, item: ReceiptItem) -> dict[str, Any]:
    return {"lineNumber": n, "sku": item.sku, "articleNumber": item.sku, "productTitle": item.title,
            "positionItemIds": [item.position_item_id], "quantity": 1,
            "unitPrice": price(item.gross, item.vat_rate), "positionSum": price(item.gross, item.vat_rate),
            "priceModifications": []}


def _totals(prices: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_rate: dict[str, dict[str, Decimal]] = {}
    for p in prices:
        t = by_rate.setdefault(p["taxRate"], {"gross": Decimal(0), "net": Decimal(0), "tax": Decimal(0)})
        for key in t:
            t[key] += p[key]["amount"]
    return [{"taxType": "VAT", "taxRate": rate, "gross": _money(t["gross"]), "net": _money(t["net"]),
             "tax": _money(t["tax"])} for rate, t in sorted(by_rate.items())]


def receipt(
    *, receipt_type: str, number: str, order_number: str, sales_order_id: str, created: datetime,
    items: Sequence[ReceiptItem] = (), delivery_fee: Decimal | None = None,
    linked_receipt: str | None = None, partial_refunds: Sequence[ReceiptItem] = (),
    delivery_fees: Mapping[str, Decimal] | None = None,
) -> dict[str, Any]:
    """One receipt in the Receipts API v3 shape (the fields recon reads, plus the usual required ones).

    `delivery_fee` is a standard delivery fee; `delivery_fees` gives them by delivery-cost type
    (DELIVERY_FEE_STANDARD, DELIVERY_FEE_FREIGHT_SURCHARGE), one deliveryCosts line each."""
    positions = [_item_position(n, item) for n, item in enumerate(items, start=1)]
    partials = [
        {"lineNumber": n, "sku": p.sku, "articleNumber": p.sku, "productTitle": p.title,
         "positionItemIds": [p.position_item_id], "partialRefundAmount": price(p.gross, p.vat_rate)}
        for n, p in enumerate(partial_refunds, start=1)
    ]
    by_type = dict(delivery_fees or {})
    if delivery_fee is not None:
        by_type["DELIVERY_FEE_STANDARD"] = delivery_fee
    fees: list[dict[str, Any]] = []
    for fee_type, amount in by_type.items():
        fee_price = price(amount, Decimal("19"))
        fees.append({"lineNumber": len(positions) + len(fees) + 1, "deliveryCostType": fee_type,
                     "unitPrice": fee_price, "positionSum": fee_price, "priceModifications": []})
    sums = [p["positionSum"] for p in positions] + [p["partialRefundAmount"] for p in partials]
    sums += [f["positionSum"] for f in fees]
    totals = _totals(sums)
    total_gross = sum((t["gross"]["amount"] for t in totals), Decimal("0"))
    doc: dict[str, Any] = {
        "receiptType": receipt_type, "isRealReceipt": True, "isDeemedSupplierModel": False,
        "receiptNumber": number, "creationDate": _utc(created), "salesOrderId": sales_order_id,
        "orderNumber": order_number, "orderDate": _utc(created),
        "payment": {"paymentProvider": "OTTOPAYMENTS", "paymentMethod": "INVOICE_SINGLE"},
        "lineItems": {"itemPositions": positions, "itemPartialRefundPositions": partials,
                      "servicePositions": [], "servicePartialRefundPositions": [],
                      "deliveryCosts": fees, "deliveryFeePartialRefundPositions": []},
        "totals": totals, "amountDue": _money(total_gross),
    }
    if receipt_type == "PURCHASE":
        doc["shipmentDate"] = _utc(created)
        doc["totalsGrossAmount"] = _money(total_gross)
    if linked_receipt:
        doc["linkedReceiptNumber"] = linked_receipt
    if receipt_type == "REFUND":
        doc["refundType"] = "RETURN"
    return doc


def dumps_receipts(receipts: Sequence[dict[str, Any]], *, as_page: bool = True, indent: int | None = 2) -> str:
    """JSON text with amounts as exact decimal numbers (never via binary float)."""
    payload: object = {"resources": list(receipts), "links": []} if as_page else list(receipts)
    text = json.dumps(payload, ensure_ascii=False, indent=indent,
                      default=lambda v: f"{_MARK}{v}" if isinstance(v, Decimal) else str(v))
    return _MARKED.sub(r"\1", text)


def dumps_receipt_lines(receipts: Sequence[dict[str, Any]]) -> str:
    """JSON Lines: one receipt per line."""
    return "\n".join(dumps_receipts([r], as_page=False, indent=None)[1:-1] for r in receipts) + "\n"
