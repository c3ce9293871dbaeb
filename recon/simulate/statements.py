"""Writers for OTTO's finance files: account statements (OTTO Payments, Ratepay) and the Kundenbelege CSV.

The Kundenbelege rows are derived from a receipt in the Receipts API shape, so a CSV and a JSON written
from the same receipt always state the same facts (what the importer's overlap check relies on).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from recon.simulate.documents import de_amount, de_date, de_datetime, write_csv

STATEMENT_HEADERS = [
    "Buchungsdatum", "Transaktions-ID", "Transaktionsart", "Auftragsnummer", "Belegnummer", "Betrag", "Saldo",
    "Währung", "Verwendungszweck",
]
RATEPAY_HEADERS = [
    "booking_date", "transaction_id", "transaction_type", "order_number", "document_number", "amount", "balance",
    "currency", "description",
]
RECEIPT_CSV_HEADERS = [
    "Belegnummer", "Belegart", "Belegdatum", "Versanddatum", "Auftragsnummer", "Positions-ID", "Artikelnummer",
    "SKU", "Artikelbezeichnung", "Preis brutto", "Rabatt brutto", "USt-Satz", "USt", "Versandkosten brutto",
    "Speditionszuschlag brutto", "Währung",
]
BELEGART = {"PURCHASE": "Kaufbeleg", "REFUND": "Erstattungsbeleg", "PARTIAL_REFUND": "Teilerstattung"}
ACCOUNTS = ("OTTO Payments", "Ratepay")


@dataclass(frozen=True)
class Transaction:
    booking_date: date
    transaction_id: str
    transaction_type: str
    amount: Decimal  # signed effect on the balance
    order_number: str = ""
    document_number: str = ""
    description: str = ""


def statement_rows(transactions: Iterable[Transaction], opening: Decimal = Decimal("0.00")) -> list[list[str]]:
    """Rows with the running balance after each transaction, oldest first (as the portal lists them)."""
    balance = opening
    rows = []
    for t in transactions:
        balance += t.amount
        rows.append([de_date(t.booking_date), t.transaction_id, t.transaction_type, t.order_number,
                     t.document_number, de_amount(t.amount), de_amount(balance), "EUR", t.description])
    return rows


def write_statement(path: Path, account: str, transactions: Iterable[Transaction],
                    opening: Decimal = Decimal("0.00")) -> Path:
    """OTTO Payments in German column names and windows-1252; Ratepay in English names and UTF-8."""
    if account == "Ratepay":
        return write_csv(path, RATEPAY_HEADERS, statement_rows(transactions, opening), encoding="utf-8",
                         newline="\n")
    return write_csv(path, STATEMENT_HEADERS, statement_rows(transactions, opening))


def _utc(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00"))


def _rate(text: str) -> str:
    return f"{Decimal(text):.2f}".replace(".", ",")


def receipt_csv_rows(doc: dict[str, Any]) -> list[list[str]]:
    """One row per position item of an API receipt; shipping on the first row only."""
    kind = BELEGART[doc["receiptType"]]
    created, shipped = de_datetime(_utc(doc["creationDate"])), de_datetime(_utc(doc.get("shipmentDate")))
    items = doc["lineItems"]
    units: list[tuple[dict[str, Any], dict[str, Any]]] = [
        (p, p["positionSum"]) for p in items["itemPositions"]
    ] + [(p, p["partialRefundAmount"]) for p in items["itemPartialRefundPositions"]]
    fees = {"DELIVERY_FEE_STANDARD": Decimal("0"), "DELIVERY_FEE_FREIGHT_SURCHARGE": Decimal("0")}
    for fee in items["deliveryCosts"]:
        fees[fee["deliveryCostType"]] += fee["positionSum"]["gross"]["amount"]
    rows = []
    for n, (position, price) in enumerate(units):
        if len(position["positionItemIds"]) != 1:
            raise ValueError("the writer knows receipts of one unit per line only")
        first = n == 0
        rows.append([
            doc["receiptNumber"], kind, created, shipped, doc["orderNumber"], position["positionItemIds"][0],
            position["articleNumber"], position["sku"], position["productTitle"],
            de_amount(price["gross"]["amount"]), "0,00", _rate(price["taxRate"]), de_amount(price["tax"]["amount"]),
            de_amount(fees["DELIVERY_FEE_STANDARD"]) if first and fees["DELIVERY_FEE_STANDARD"] else "",
            de_amount(fees["DELIVERY_FEE_FREIGHT_SURCHARGE"])
            if first and fees["DELIVERY_FEE_FREIGHT_SURCHARGE"] else "",
            "EUR",
        ])
    return rows


def write_receipt_csv(path: Path, receipts: Sequence[dict[str, Any]]) -> Path:
    """The Kundenbelege export of these receipts, in windows-1252 like OTTO's other CSVs."""
    return write_csv(path, RECEIPT_CSV_HEADERS, [row for doc in receipts for row in receipt_csv_rows(doc)])
