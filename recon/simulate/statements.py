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

from recon.money import percent_of
from recon.simulate.documents import de_amount, de_date, de_datetime, write_csv
from recon.simulate.quarter import Quarter

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


# --- a simulated quarter's statements --------------------------------------------------------------------

TYPES = {"Kaufbeleg": "PAY_IN", "Erstattungsbeleg": "PAY_IN", "Provisionsrechnung": "PROVISION",
         "Grundgebühr": "PROVISION", "Provisionskorrektur": "PROVISION_CORRECTION"}
PREFIX = {"OTTO Payments": "OP", "Ratepay": "RP"}


def account_of(order_number: str) -> str:
    """Every fifth order is bought on account (Ratepay); the rest, and all fees, run over OTTO Payments."""
    digits = "".join(ch for ch in order_number if ch.isdigit())
    return "Ratepay" if digits and int(digits) % 5 == 0 else "OTTO Payments"


def quarter_transactions(q: Quarter) -> dict[str, list[Transaction]]:
    """Each payout day books its documents (and, with a payment fee rate, the fees) on the accounts and then
    pays out (or collects) each account's balance: both statements together settle exactly the payout CSV."""
    booked: dict[str, list[Transaction]] = {account: [] for account in ACCOUNTS}
    balance = {account: Decimal("0.00") for account in ACCOUNTS}
    counter = dict.fromkeys(ACCOUNTS, 0)

    def book(account: str, day: date, kind: str, amount: Decimal, order: str = "", number: str = "",
             text: str = "") -> None:
        counter[account] += 1
        booked[account].append(Transaction(day, f"{PREFIX[account]}-{counter[account]:08d}", kind, amount, order,
                                           number, text))
        balance[account] += amount

    for payout in q.payouts:
        for line in payout.lines:
            account = account_of(line.order_number) if line.order_number else "OTTO Payments"
            book(account, payout.day, TYPES[line.document_type], line.amount, line.order_number,
                 line.document_number, f"{line.document_type} {line.document_number}")
            fee = payment_fee(q, line.document_type, line.amount, line.document_date)
            if fee:
                book(account, payout.day, "PAYMENTFEE" if fee < 0 else "PAYMENTFEE_REFUND", fee,
                     line.order_number, line.document_number, f"Payment-Gebühr {line.document_number}")
        for account in ACCOUNTS:
            if balance[account]:
                kind = "PARTNER_PAYOUT" if balance[account] > 0 else "DIRECT_DEBIT"
                book(account, payout.day, kind, -balance[account], text=f"{kind} {payout.number}")
    return booked


def payment_fee(q: Quarter, document_type: str, amount: Decimal, on: date) -> Decimal:
    """The payment fee a receipt costs (negative) or gives back (positive), when the fee table has a rate."""
    entry = q.fees.lookup("payment_fee", on)
    rate = entry.value if entry is not None else None
    if rate is None or document_type not in ("Kaufbeleg", "Erstattungsbeleg"):
        return Decimal("0.00")
    return -percent_of(amount, rate) if amount >= 0 else percent_of(-amount, rate)


def write_finance_files(q: Quarter, out: Path) -> list[Path]:
    """The quarter's two monthly statements per account and the Kundenbelege CSV of all its receipts."""
    written = [write_receipt_csv(out / "kundenbelege" / "kundenbelege.csv", q.receipts)]
    for account, transactions in quarter_transactions(q).items():
        opening = Decimal("0.00")
        months: dict[tuple[int, int], list[Transaction]] = {}
        for t in transactions:
            months.setdefault((t.booking_date.year, t.booking_date.month), []).append(t)
        slug = account.lower().replace(" ", "-")
        for (year, month), rows in sorted(months.items()):
            path = out / "statements" / f"statement_{slug}_{year}-{month:02d}.csv"
            written.append(write_statement(path, account, rows, opening))
            opening += sum((t.amount for t in rows), Decimal("0.00"))
    return written
