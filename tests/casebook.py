"""Build tiny hand-made cases as real files (the same writers and importer as production), then reconcile."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from recon.engine import ReconResult, reconcile
from recon.fees.table import FeeTable, load_fee_table
from recon.importing import import_paths
from recon.money import percent_of
from recon.simulate.documents import (
    BERLIN,
    CORRECTION_HEADERS,
    INVOICE_HEADERS,
    PAYOUT_HEADERS,
    ReceiptItem,
    de_amount,
    de_date,
    de_datetime,
    de_rate,
    dumps_receipts,
    receipt,
    write_csv,
)
from recon.store import Database

D = Decimal


# The hand-made cases check the engine's mechanics (weeks, rounding, settlement) in the onboarding guide's
# fee model: Möbel 15 %, Drogerie 10 %, base fee 39.90 EUR net, for every date. The fee changes since 2024
# are tested on their own (tests/test_fee_tiers.py, tests/test_fee_world.py).
GUIDE_BASE_FEE = """
[[base_fee]]
net = "39.90"
valid_from = "2019-01-01"
"""
GUIDE_MOEBEL = """
[[commission]]
category = "Möbel"
rate = "15.00"
valid_from = "2019-01-01"
"""


def case_fees(extra: str = "", name: str = "casebook.toml", moebel: str = GUIDE_MOEBEL) -> FeeTable:
    """The casebook's fee model, with a case's own settings (`extra`, TOML) or Möbel entries (`moebel`)."""
    return load_fee_table(GUIDE_BASE_FEE + moebel + extra, name)


def berlin(y: int, mo: int, d: int, h: int = 12, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=BERLIN)


def fee(gross: str, rate: str) -> tuple[Decimal, Decimal, Decimal]:
    """(net, VAT, gross) of a commission as the documents compute it."""
    net = percent_of(D(gross), D(rate))
    vat = percent_of(net, D("19"))
    return net, vat, net + vat


@dataclass
class Case:
    folder: Path
    receipts: list[dict[str, Any]] = field(default_factory=list)
    invoices: dict[str, list[list[str]]] = field(default_factory=dict)
    corrections: dict[str, list[list[str]]] = field(default_factory=dict)
    payouts: dict[str, list[list[str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.folder = self.folder / "files"  # beside the test's database, never mixed with it

    def sale(self, order: str, pid: str, gross: str, shipped: datetime, *, number: str | None = None,
             delivery_fee: str | None = None, sku: str = "SKU-1", more: list[tuple[str, str]] = ()) -> str:
        number = number or f"R-{order}-{len(self.receipts) + 1}"
        items = [ReceiptItem(pid, sku, "Artikel", D(gross))] + [ReceiptItem(p, sku, "Artikel", D(g)) for p, g in more]
        self.receipts.append(receipt(receipt_type="PURCHASE", number=number, order_number=order,
                                     sales_order_id=f"so-{order}", created=shipped, items=items,
                                     delivery_fee=D(delivery_fee) if delivery_fee else None))
        return number

    def refund(self, order: str, pid: str, gross: str, when: datetime, *, kind: str = "REFUND",
               linked: str = "", delivery_fee: str | None = None) -> str:
        number = f"E-{order}-{len(self.receipts) + 1}"
        item = ReceiptItem(pid, "SKU-1", "Artikel", D(gross))
        self.receipts.append(receipt(
            receipt_type=kind, number=number, order_number=order, sales_order_id=f"so-{order}", created=when,
            linked_receipt=linked, items=[item] if kind == "REFUND" else [],
            partial_refunds=[item] if kind == "PARTIAL_REFUND" else [],
            delivery_fee=D(delivery_fee) if delivery_fee else None))
        return number

    def charge(self, invoice: str, issued: date, order: str, pid: str, shipped: datetime, gross: str,
               *, category: str = "Möbel", rate: str = "15", amounts: tuple[Decimal, Decimal, Decimal] | None = None,
               service: str = "Verkaufsprovision", due: date | None = None) -> None:
        net, vat, total = amounts or fee(gross, rate)
        self.invoices.setdefault(invoice, []).append([
            invoice, de_date(issued), de_date(due or issued + timedelta(days=14)),
            de_date(issued - timedelta(days=7)), de_date(issued - timedelta(days=1)), service, order,
            pid if service == "Verkaufsprovision" else "", de_datetime(shipped), "SKU-1",
            category if service == "Verkaufsprovision" else "", de_amount(D(gross)), de_rate(D(rate)),
            de_amount(net), "19,00", de_amount(vat), de_amount(total), "EUR"])

    def base_fee(self, invoice: str, month: date, net: str = "39.90") -> None:
        vat = percent_of(D(net), D("19"))
        last = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        self.invoices.setdefault(invoice, []).append([
            invoice, de_date(month), de_date(month + timedelta(days=14)), de_date(month), de_date(last),
            "Grundgebühr", "", "", "", "", "", de_amount(D(net)), "", de_amount(D(net)), "19,00", de_amount(vat),
            de_amount(D(net) + vat), "EUR"])

    def correction(self, number: str, booked: date, ref: str, order: str, pid: str, gross: str, *,
                   rate: str = "15", amounts: tuple[Decimal, Decimal, Decimal] | None = None,
                   service: str = "Verkaufsprovision") -> None:
        net, vat, total = amounts or fee(gross, rate)
        self.corrections.setdefault(number, []).append([
            number, de_date(booked), de_date(booked + timedelta(days=14)), ref, service, order,
            pid if service == "Verkaufsprovision" else "", de_date(booked - timedelta(days=1)), "Möbel",
            de_amount(D(gross)), de_rate(D(rate)), de_amount(-net), "19,00", de_amount(-vat), de_amount(-total),
            "EUR"])

    def payout(self, number: str, day: date, lines: list[tuple[str, str, date, date, str, str]],
               total: str | None = None) -> None:
        amount_sum = sum((D(line[5]) for line in lines), D("0.00"))
        shown = de_amount(D(total) if total is not None else amount_sum)
        self.payouts[number] = [[number, de_date(day), shown, kind, doc, de_date(doc_day), de_date(due), order,
                                 de_amount(D(amount)), "EUR"] for kind, doc, doc_day, due, order, amount in lines]

    def run(self, db: Database, as_of: date, fees: FeeTable | None = None) -> ReconResult:
        for number, rows in self.invoices.items():
            write_csv(self.folder / f"{number}.csv", INVOICE_HEADERS, rows)
        for number, rows in self.corrections.items():
            write_csv(self.folder / f"{number}.csv", CORRECTION_HEADERS, rows)
        for number, rows in self.payouts.items():
            write_csv(self.folder / f"{number}.csv", PAYOUT_HEADERS, rows)
        if self.receipts:
            (self.folder / "receipts.json").write_text(dumps_receipts(self.receipts), encoding="utf-8")
        report = import_paths(db, [self.folder])
        assert report.exit_code == 0, [p for f in report.files for p in f.problems]
        return reconcile(db, as_of=as_of, fees=fees or case_fees())


def found(result: ReconResult) -> list[tuple[Any, ...]]:
    """The discrepancies as (kind, document, position, expected, actual), in the engine's order."""
    return [(d.kind, d.document_number, d.position_item_id, d.expected, d.actual) for d in result.discrepancies]
