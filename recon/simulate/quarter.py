"""Simulate a seller's quarter on OTTO Market: the documents OTTO would send, and known faults.

Everything is derived from first principles with the same fee table the engine uses, but in plain Python,
one document at a time: an independent computation the engine's set-based SQL is tested against. With
`faults=True` one fault of every discrepancy kind is injected and recorded with its exact expected values.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from recon.fees.table import FeeEntry, FeeTable, load_fee_table
from recon.fees.tiers import effective_rate
from recon.money import percent_of, round_cent
from recon.simulate.documents import BERLIN, ReceiptItem, UnitText, receipt, receipt_units_json, unit_text

D = Decimal
ZERO = D("0.00")
STANDARD, FREIGHT = "DELIVERY_FEE_STANDARD", "DELIVERY_FEE_FREIGHT_SURCHARGE"
_FREIGHT_TOTAL = D("39.95")


@dataclass(slots=True)
class Product:
    sku: str
    title: str
    category: str
    gross: Decimal
    # (sku, title, gross, their receipt JSON fragments): made on first use, remade if a field was replaced
    json_cache: tuple[str, str, Decimal, UnitText] | None = field(default=None, repr=False, compare=False)

    def unit_text(self) -> UnitText:
        cached = self.json_cache
        if cached is None or cached[0] is not self.sku or cached[1] is not self.title or cached[2] is not self.gross:
            cached = self.json_cache = (self.sku, self.title, self.gross, unit_text(self.sku, self.title, self.gross))
        return cached[3]


@dataclass(slots=True)
class Item:
    pid: str
    order: Order
    product: Product
    shipped_at: datetime | None = None
    purchase_receipt: str = ""
    returned_at: datetime | None = None
    refund_receipt: str = ""
    charge: InvoiceLine | None = None


@dataclass(slots=True)
class Order:
    number: str
    sales_order_id: str
    shipping: dict[str, Decimal]  # the customer's delivery costs by delivery-cost type, gross
    items: list[Item] = field(default_factory=list)
    shipping_charge: InvoiceLine | None = None

    @property
    def shipping_gross(self) -> Decimal:
        return sum(self.shipping.values(), ZERO)


@dataclass(slots=True)
class InvoiceLine:
    service_type: str
    base_gross: Decimal
    rate: Decimal | None
    net: Decimal
    vat: Decimal
    gross: Decimal
    order_number: str = ""
    position_item_id: str = ""
    shipped_at: datetime | None = None
    sku: str = ""
    category: str = ""
    returned_on: date | None = None
    ref_invoice: str = ""


@dataclass(slots=True)
class Invoice:
    number: str
    issued: date
    due: date
    period_from: date
    period_to: date
    lines: list[InvoiceLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.gross for line in self.lines), ZERO)


@dataclass(slots=True)
class Correction(Invoice):
    pass


@dataclass(slots=True)
class PayoutLine:
    document_type: str
    document_number: str
    document_date: date
    due: date
    order_number: str
    amount: Decimal


@dataclass(slots=True)
class Payout:
    number: str
    day: date
    lines: list[PayoutLine] = field(default_factory=list)
    total_override: Decimal | None = None

    @property
    def total(self) -> Decimal:
        if self.total_override is not None:
            return self.total_override
        return sum((line.amount for line in self.lines), ZERO)


@dataclass(frozen=True)
class Expected:
    """One discrepancy the engine must find, in the contract's terms (fee kinds in net EUR)."""

    kind: str
    document_number: str | None
    position_item_id: str | None
    order_number: str | None
    expected: Decimal | date | None
    actual: Decimal | date | None
    fault: str = ""  # which injected fault it is, where a kind has several


@dataclass(slots=True)
class Receipt:
    """One receipt as the simulator made it: its facts, not the API document (a big quarter makes a million,
    and their nested dicts took most of the generator's time and memory). `document()` gives the Receipts
    API dict; the writer encodes the record straight to the same JSON text (documents.receipt_json)."""

    receipt_type: str
    number: str
    order: Order
    created: datetime
    items: list[Item]  # the returned or bought units (PURCHASE, REFUND)
    delivery_fees: dict[str, Decimal] | None = None
    linked: str | None = None
    partial_refunds: list[ReceiptItem] | None = None

    @property
    def day(self) -> date:
        """The creation day in German local time: the day the receipt counts for (pages, payouts)."""
        return self.created.astimezone(BERLIN).date()

    @property
    def total(self) -> Decimal:
        """What the customer pays (or gets back), gross: receipt()'s `amountDue`, the sum of every price."""
        total = Decimal(0)
        for item in self.items:
            total += item.product.gross
        for unit in self.partial_refunds or ():
            total += unit.gross
        for amount in (self.delivery_fees or {}).values():
            total += amount
        return Decimal("0") + total

    def units(self) -> list[tuple[str, str, str, Decimal]]:
        return [(i.pid, i.product.sku, i.product.title, i.product.gross) for i in self.items]

    def document(self) -> dict[str, Any]:
        return receipt(receipt_type=self.receipt_type, number=self.number, order_number=self.order.number,
                       sales_order_id=self.order.sales_order_id, created=self.created,
                       items=[_receipt_item(i) for i in self.items], delivery_fees=self.delivery_fees,
                       linked_receipt=self.linked, partial_refunds=self.partial_refunds or ())

    def json(self) -> str:
        """The document's one-line JSON text (what dumps_receipts(indent=None) writes for it)."""
        order = self.order
        return receipt_units_json(
            self.receipt_type, self.number, order.number, order.sales_order_id, self.created,
            [(i.pid, i.product.gross, i.product.unit_text()) for i in self.items], self.linked,
            [(p.position_item_id, p.gross, unit_text(p.sku, p.title, p.gross)) for p in self.partial_refunds or ()],
            self.delivery_fees)


@dataclass
class Quarter:
    start: date
    as_of: date
    fees: FeeTable
    receipt_records: list[Receipt] = field(default_factory=list)
    invoices: list[Invoice] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    payouts: list[Payout] = field(default_factory=list)
    expected: list[Expected] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    documents: list[dict[str, Any]] | None = field(default=None, repr=False, compare=False)

    @property
    def receipts(self) -> list[dict[str, Any]]:
        """The receipts as Receipts API dicts, built on first use and kept (a caller may change them: the
        writer then writes these dicts instead of the records)."""
        if self.documents is None:
            self.documents = [r.document() for r in self.receipt_records]
        return self.documents

    @property
    def receipt_dates(self) -> dict[str, date]:
        return {r.number: r.day for r in self.receipt_records}


def _uuid(value: int) -> str:
    """str(uuid.UUID(int=value)) without building the UUID object (a big quarter makes millions)."""
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class _Lookups:
    """FeeTable.lookup memoised per (kind, day, category): the simulation asks the same few hundred questions
    hundreds of thousands of times. The table is frozen, so the answers never change."""

    def __init__(self, fees: FeeTable) -> None:
        self.fees = fees
        self.memo: dict[tuple[str, date, str | None], FeeEntry | None] = {}
        # (service, gross, day, category, shipping parts) -> (rate, net, vat, gross) of commission_line
        self.amounts: dict[tuple[Any, ...], tuple[Decimal | None, Decimal, Decimal, Decimal]] = {}

    def __call__(self, kind: str, on: date, category: str | None = None) -> FeeEntry | None:
        key = (kind, on, category)
        try:
            return self.memo[key]
        except KeyError:
            found = self.memo[key] = self.fees.lookup(kind, on, category)
            return found


_LOOKUPS: dict[int, _Lookups] = {}


def _lookups(fees: FeeTable) -> _Lookups:
    found = _LOOKUPS.get(id(fees))
    if found is None or found.fees is not fees:
        if len(_LOOKUPS) > 64:
            _LOOKUPS.clear()
        found = _LOOKUPS[id(fees)] = _Lookups(fees)
    return found


def next_weekday(day: date, isodow: int, *, strictly_after: bool) -> date:
    delta = (isodow - day.isoweekday()) % 7
    if delta == 0 and strictly_after:
        delta = 7
    return day + timedelta(days=delta)


def commission_line(fees: FeeTable, service: str, gross: Decimal, on: date, category: str | None,
                    shipping: dict[str, Decimal] | None = None) -> InvoiceLine:
    """What OTTO should invoice for one position: the rate (or the tiers' marginal sum) on the gross price,
    rounded half-up once, VAT on that net half-up. Shipping goes by delivery-cost type (`shipping`).

    `Provisionssatz` shows the rate; on a tiered line the effective rate or nothing (the engine never
    relies on it), here alternating by the price's last cent."""
    rate, net, vat, total = _commission_amounts(_lookups(fees), service, gross, on, category, shipping)
    return InvoiceLine(service, gross, rate, net, vat, total, category=category or "")


def _commission_amounts(lookup: _Lookups, service: str, gross: Decimal, on: date, category: str | None,
                        shipping: dict[str, Decimal] | None = None
                        ) -> tuple[Decimal | None, Decimal, Decimal, Decimal]:
    """(rate, net, vat, gross) of commission_line, memoised per (fee entry, VAT entry, price): a quarter
    charges each product on many days under one entry. Every amount is rounded to the cent and the rate is a
    table value or quantized, so equal prices give equal texts (24.2 and 24.20 alike)."""
    vat_entry = lookup("vat", on)
    assert vat_entry is not None, on
    rate: Decimal | None
    if service == "Verkaufsprovision":
        entry = lookup("commission", on, category)
        assert entry is not None, (category, on)
        # by the entries in force, not the day: a price is charged alike on every day of one table entry
        key: tuple[Any, ...] = (id(entry), id(vat_entry), gross)
        found = lookup.amounts.get(key)
        if found is not None:
            return found
        net = entry.commission_on(gross)
        rate = entry.value if not entry.tiers else (effective_rate(net, gross) if int(gross * 100) % 2 else None)
    else:
        key = (service, gross, on, tuple(shipping.items()) if shipping else None)
        found = lookup.amounts.get(key)
        if found is not None:
            return found
        fees = lookup.fees
        parts = shipping or {STANDARD: gross}
        net = fees.shipping_commission_on(parts, on)
        general = lookup("shipping_commission", on)
        assert general is not None, on
        rate = general.rate if net == percent_of(gross, general.rate) else effective_rate(net, gross)
    vat = percent_of(net, vat_entry.rate)
    found = lookup.amounts[key] = (rate, net, vat, net + vat)
    return found


def _catalog(rng: random.Random, fees: FeeTable, size: int) -> list[Product]:
    categories = [c for c in fees.categories() if fees.lookup("commission", date(2026, 1, 1), c)]
    products = []
    for n in range(size):
        category = rng.choice(categories)
        cents = rng.choice([rng.randint(499, 4999), rng.randint(1999, 19999), rng.randint(9999, 89999)])
        # A few prices that land a commission exactly on half a cent test the rounding.
        gross = D(cents) / 100 if n % 17 else D("10.03")
        products.append(Product(f"SKU-{n:05d}", f"Artikel {n} {category}", category, gross))
    return products


def simulate(orders: int = 300, seed: int = 7, start: date = date(2026, 8, 3), weeks: int = 13,
             faults: bool = True, fees: FeeTable | None = None, corrections: str = "per_refund") -> Quarter:
    """A quarter of `orders` orders. `corrections="daily"` bundles the returns booked on one day into one
    correction document (a big seller's volume; the default issues one correction per refund receipt)."""
    if corrections not in ("per_refund", "daily"):
        raise ValueError(f"corrections must be 'per_refund' or 'daily', not {corrections!r}")
    rng = random.Random(seed)
    fees = fees or load_fee_table()
    settings = fees.settings
    end = start + timedelta(weeks=weeks)
    q = Quarter(start=start, as_of=end, fees=fees)
    live = settings.payment_account_live or date(start.year, start.month, 1) - timedelta(days=20)
    catalog = _catalog(rng, fees, max(20, orders // 5))
    last_ship = end - timedelta(days=12)
    span_minutes = int((datetime.combine(last_ship, time()) - datetime.combine(start, time())).total_seconds() // 60)

    # Constants hoisted out of the loop, the draws exactly as before (the same files for the same seed).
    choices = [D("4.95"), D("5.95"), D("0.00"), D("5.95")]
    freight_choices = [D("4.95"), D("5.95"), D("0.00"), _FREIGHT_TOTAL]  # every 40th order may be a freight one
    # The shipping dicts are shared by the orders that have them: read, never changed.
    freight: dict[str, Decimal] = {STANDARD: D("5.95"), FREIGHT: D("34.00")}
    no_shipping: dict[str, Decimal] = {}
    standard_only: dict[Decimal, dict[str, Decimal]] = {}
    counts = [1, 1, 1, 2, 2, 3]
    opening = datetime.combine(start, time(), BERLIN)
    choice, bits, randrange, randint, random_ = rng.choice, rng.getrandbits, rng.randrange, rng.randint, rng.random
    records, orders_out = q.receipt_records, q.orders
    for n in range(orders):
        standard = choice(freight_choices if n % 40 == 0 else choices)
        # 39.95 is a freight order: standard shipping plus a freight surcharge ("Speditionszuschlag").
        if standard == _FREIGHT_TOTAL:
            shipping = freight
        elif standard:
            shipping = standard_only.get(standard) or standard_only.setdefault(standard, {STANDARD: standard})
        else:
            shipping = no_shipping
        number = f"ORD-{n + 1:06d}"
        order = Order(number, _uuid(bits(128)), shipping)
        first = opening + timedelta(minutes=randrange(span_minutes))
        items = order.items
        for _ in range(choice(counts)):
            items.append(Item(_uuid(bits(128)), order, choice(catalog)))
        shipments = [items] if len(items) == 1 or random_() < 0.7 else [items[:1], items[1:]]
        for k, group in enumerate(shipments):
            shipped = first + timedelta(hours=k * randint(20, 60))
            receipt_number = f"R-DE-{number}-{k + 1}"
            for item in group:
                item.shipped_at, item.purchase_receipt = shipped, receipt_number
            records.append(Receipt("PURCHASE", receipt_number, order, shipped, group,
                                   shipping if k == 0 and shipping else None))
        orders_out.append(order)

    _returns(q, rng)
    _weekly_invoices(q)
    if settings.payment_fee_in_commission:
        _payment_fee_out_of_commission(q)
    _base_fees(q, live)
    _corrections(q)
    if faults:
        _document_faults(q, rng)
    if corrections == "daily":
        _bundle_corrections_daily(q)
    _payouts(q)
    if faults:
        _payout_faults(q, rng)
    return q


def _receipt_item(item: Item) -> ReceiptItem:
    return ReceiptItem(item.pid, item.product.sku, item.product.title, item.product.gross)


def _returns(q: Quarter, rng: random.Random) -> None:
    """About one item in eight comes back, 9 to 25 days after shipping; a few get a goodwill partial refund."""
    random_, randint, records = rng.random, rng.randint, q.receipt_records
    last_day = q.as_of - timedelta(days=2)
    three_hours = timedelta(hours=3)
    for order in q.orders:
        returned = [item for item in order.items if random_() < 0.12]  # one draw per item, in order
        if returned:
            by_receipt: dict[str, list[Item]] = {}
            for item in returned:
                by_receipt.setdefault(item.purchase_receipt, []).append(item)
            returned_so_far = 0
            for n, (purchase, items) in enumerate(sorted(by_receipt.items()), start=1):
                when = max(i.shipped_at for i in items if i.shipped_at) + timedelta(days=randint(9, 25)) \
                    + three_hours
                if when.date() > last_day:
                    continue  # would come back after the period ends: not yet a return
                returned_so_far += len(items)
                whole_order = returned_so_far == len(order.items)
                number = f"E-DE-{order.number}-{n}"
                for item in items:
                    item.returned_at, item.refund_receipt = when, number
                records.append(Receipt("REFUND", number, order, when, items,
                                       order.shipping if whole_order and order.shipping else None, purchase))
            kept = [i for i in order.items if i.returned_at is None]
        else:
            kept = order.items
        if kept and random_() < 0.03:
            item = kept[0]
            assert item.shipped_at is not None
            when = item.shipped_at + timedelta(days=6)
            amount = round_cent(item.product.gross * D("0.2"))
            records.append(Receipt(
                "PARTIAL_REFUND", f"T-DE-{order.number}-1", order, when, [], None, item.purchase_receipt,
                [ReceiptItem(item.pid, item.product.sku, item.product.title, amount)]))


def _weekly_invoices(q: Quarter) -> None:
    settings = q.fees.settings
    weekday = settings.isodow(settings.invoice_weekday)
    weeks: dict[date, Invoice] = {}
    lookup = _lookups(q.fees)
    items = sorted((i for o in q.orders for i in o.items), key=lambda i: (i.shipped_at, i.pid))
    invoice_of: dict[date, Invoice] = {}  # shipping day -> the week's invoice
    bases: dict[int, tuple[dict[str, Decimal], Decimal]] = {}  # the shared shipping dicts' sums
    for item in items:
        shipped = item.shipped_at
        assert shipped is not None
        day = shipped.astimezone(BERLIN).date()
        invoice = invoice_of.get(day)
        if invoice is None:
            issued = next_weekday(day, weekday, strictly_after=True)
            invoice = weeks.get(issued)
            if invoice is None:
                invoice = Invoice("", issued, issued + timedelta(days=settings.invoice_due_days),
                                  issued - timedelta(days=7), issued - timedelta(days=1))
                weeks[issued] = invoice
            invoice_of[day] = invoice
        product, order = item.product, item.order
        rate, net, vat, gross = _commission_amounts(lookup, "Verkaufsprovision", product.gross, day, product.category)
        line = InvoiceLine("Verkaufsprovision", product.gross, rate, net, vat, gross, order.number, item.pid,
                           shipped, product.sku, product.category or "")
        invoice.lines.append(line)
        item.charge = line
        if order.shipping_charge is None and order.shipping:
            known = bases.get(id(order.shipping))
            if known is None or known[0] is not order.shipping:
                known = bases[id(order.shipping)] = (order.shipping, order.shipping_gross)
            base = known[1]
            if not base:
                continue
            rate, net, vat, gross = _commission_amounts(lookup, "Versandkostenprovision", base, day, None,
                                                        order.shipping)
            ship = InvoiceLine("Versandkostenprovision", base, rate, net, vat, gross, order.number, "", shipped)
            invoice.lines.append(ship)
            order.shipping_charge = ship
    for n, issued in enumerate(sorted(weeks), start=1):
        weeks[issued].number = f"PR-{issued.year}-{n:06d}"
        q.invoices.append(weeks[issued])
    for invoice in q.invoices:
        for line in invoice.lines:
            line.ref_invoice = invoice.number


def _payment_fee_out_of_commission(q: Quarter) -> None:
    """payment_fee_in_commission: the order's first commission line carries the category commission minus
    the payment fee of all its purchase receipts (the statements settle the fee apart)."""
    fees: dict[str, Decimal] = {}
    lookup = _lookups(q.fees)
    for doc in q.receipt_records:
        entry = lookup("payment_fee", doc.day)
        if doc.receipt_type == "PURCHASE" and entry is not None and entry.value is not None:
            number = doc.order.number
            fees[number] = fees.get(number, ZERO) + percent_of(doc.total, entry.value)
    for order in q.orders:
        first, fee = order.items[0], fees.get(order.number, ZERO)
        if first.charge is None or first.shipped_at is None or not fee:
            continue
        vat = q.fees.lookup("vat", first.shipped_at.astimezone(BERLIN).date())
        assert vat is not None
        line = first.charge
        line.net -= fee
        line.vat = percent_of(line.net, vat.rate)
        line.gross = line.net + line.vat


def _base_fees(q: Quarter, live: date) -> None:
    first = (live.replace(day=1) + timedelta(days=32)).replace(day=1)
    month = first
    while month <= q.as_of:
        fee = q.fees.lookup("base_fee", month)
        assert fee is not None
        if month >= q.start - timedelta(days=31):
            last = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            q.invoices.append(Invoice(f"GG-{month:%Y-%m}", month,
                                      month + timedelta(days=q.fees.settings.invoice_due_days), month, last,
                                      [_base_fee_line(q, fee.rate, month)]))
        month = (month + timedelta(days=32)).replace(day=1)


def _base_fee_line(q: Quarter, net: Decimal, month: date) -> InvoiceLine:
    vat = q.fees.lookup("vat", month)
    assert vat is not None
    tax = percent_of(net, vat.rate)
    return InvoiceLine("Grundgebühr", net, None, net, tax, net + tax)


def _corrections(q: Quarter) -> None:
    """One correction per refund receipt, booked the day after the return; shipping only on a full return."""
    refunds: dict[str, list[Item]] = {}
    for order in q.orders:
        for item in order.items:
            if item.returned_at is not None:
                refunds.setdefault(item.refund_receipt, []).append(item)
    ordered = sorted(refunds.items(), key=lambda kv: (kv[1][0].returned_at, kv[0]))
    # The shipping commission goes back once, with the refund that completes the return of the whole order
    # (two refunds of one order can carry the same time; the later receipt number is the completing one).
    completing: dict[str, str] = {}
    for number, items in ordered:
        order = items[0].order
        if all(i.returned_at for i in order.items):
            completing[order.number] = number
    for n, (number, items) in enumerate(ordered, start=1):
        returned_at = items[0].returned_at
        assert returned_at is not None
        booked = returned_at.astimezone(BERLIN).date() + timedelta(days=1)
        corr = Correction(f"PK-{booked.year}-{n:06d}", booked,
                          booked + timedelta(days=q.fees.settings.correction_due_days), booked, booked)
        for item in items:
            assert item.charge is not None
            corr.lines.append(_negated(item.charge, returned_at.astimezone(BERLIN).date()))
        order = items[0].order
        if completing.get(order.number) == number and order.shipping_charge is not None:
            corr.lines.append(_negated(order.shipping_charge, returned_at.astimezone(BERLIN).date()))
        q.corrections.append(corr)


def _negated(line: InvoiceLine, returned_on: date) -> InvoiceLine:
    return InvoiceLine(line.service_type, line.base_gross, line.rate, -line.net, -line.vat, -line.gross,
                       line.order_number, line.position_item_id, None, line.sku, line.category, returned_on,
                       line.ref_invoice)


# --- settlement ----------------------------------------------------------------------------------------

def _settlement_day(q: Quarter, due: date) -> date:
    return next_weekday(due, q.fees.settings.isodow(q.fees.settings.settlement_weekday), strictly_after=False)


def _payouts(q: Quarter) -> None:
    due_days = q.fees.settings.receipt_due_days
    lines: list[PayoutLine] = []
    due_after = timedelta(days=due_days)
    dates: dict[date, tuple[date, date]] = {}  # one (day, due) pair of objects per day, shared by its lines
    amounts: dict[Decimal, Decimal] = {}
    for doc in q.receipt_records:
        day = doc.day
        found = dates.get(day)
        if found is None:
            found = dates[day] = (day, day + due_after)
        day, due = found
        total = doc.total if doc.receipt_type == "PURCHASE" else -doc.total
        # One Decimal per amount, not per line (a million lines, a few hundred thousand amounts). Payouts
        # print and sum values only; zeros are left alone (0.00 and -0.00 are equal but print differently).
        if total:
            total = amounts.setdefault(total, total)
        kind = "Kaufbeleg" if doc.receipt_type == "PURCHASE" else "Erstattungsbeleg"
        lines.append(PayoutLine(kind, doc.number, day, due, doc.order.number, total))
    for inv in q.invoices:
        kind = "Grundgebühr" if inv.number.startswith("GG-") else "Provisionsrechnung"
        lines.append(PayoutLine(kind, inv.number, inv.issued, inv.due, "", -inv.total))
    for corr in q.corrections:
        lines.append(PayoutLine("Provisionskorrektur", corr.number, corr.issued, corr.due, "", -corr.total))
    by_day: dict[date, list[PayoutLine]] = {}
    settles: dict[date, date] = {}
    for line in lines:
        day = settles.get(line.due) or settles.setdefault(line.due, _settlement_day(q, line.due))
        if day <= q.as_of:
            by_day.setdefault(day, []).append(line)
    for n, day in enumerate(sorted(by_day), start=1):
        q.payouts.append(Payout(f"AZ-{day.year}-{n:06d}", day, by_day[day]))


# --- faults --------------------------------------------------------------------------------------------

def _clean_items(q: Quarter) -> list[Item]:
    """Kept items of orders without returns: faults on them have no knock-on effects."""
    return [i for o in q.orders if all(x.returned_at is None for x in o.items) for i in o.items
            if i.charge is not None]


def _invoice_of(q: Quarter, line: InvoiceLine) -> Invoice:
    """The invoice that holds the line (by identity): the one its `ref_invoice` names, which every weekly
    line and every line the faults add carries, else any. No index: at 10M lines it would cost a gigabyte."""
    named = [inv for inv in q.invoices if inv.number == line.ref_invoice]
    for inv in named + [inv for inv in q.invoices if inv.number != line.ref_invoice]:
        for x in inv.lines:
            if x is line:
                return inv
    raise LookupError(f"no invoice holds the line of {line.position_item_id or line.order_number}")


def _bundle_corrections_daily(q: Quarter) -> None:
    """One correction document per booking day, lines in the order of the per-refund corrections."""
    by_day: dict[date, list[Correction]] = {}
    for corr in q.corrections:
        by_day.setdefault(corr.issued, []).append(corr)
    renamed: dict[str, str] = {}
    bundled: list[Correction] = []
    for n, day in enumerate(sorted(by_day), start=1):
        first = by_day[day][0]
        merged = Correction(f"PK-{day.year}-{n:06d}", day, first.due, first.period_from, first.period_to,
                            [line for corr in by_day[day] for line in corr.lines])
        renamed.update({corr.number: merged.number for corr in by_day[day]})
        bundled.append(merged)
    q.corrections = bundled
    q.expected = [
        replace(e, document_number=renamed[e.document_number])
        if e.kind == "CORRECTION_MISMATCH" and e.document_number in renamed else e
        for e in q.expected
    ]


def _document_faults(q: Quarter, rng: random.Random) -> None:
    clean = _clean_items(q)
    rng.shuffle(clean)
    used_orders: set[str] = set()

    def take(pred: Any = lambda i: True) -> Item:
        item = take_if(pred)
        if item is None:
            raise RuntimeError("not enough orders to inject faults; simulate more orders")
        return item

    def take_if(pred: Any) -> Item | None:
        for item in clean:
            if item.order.number not in used_orders and pred(item):
                used_orders.add(item.order.number)
                return item
        return None

    weekly = [inv for inv in q.invoices if inv.number.startswith("PR-")]

    # COMMISSION_MISMATCH: three points too much.
    item = take(lambda i: _flat(q, i))
    assert item.charge is not None
    right = item.charge.net
    wrong = _recharged(q, item.charge, (item.charge.rate or D(0)) + 3)
    q.expected.append(Expected("COMMISSION_MISMATCH", _invoice_of(q, item.charge).number, item.pid,
                               item.order.number, right, wrong))

    # COMMISSION_MISMATCH: a category the fee table does not know.
    item = take()
    assert item.charge is not None
    item.charge.category = "Sonderposten"
    q.expected.append(Expected("COMMISSION_MISMATCH", _invoice_of(q, item.charge).number, item.pid,
                               item.order.number, None, item.charge.net))

    # SHIPPING_COMMISSION_MISMATCH: 20 % instead of 16 %.
    item = take(lambda i: i.order.shipping_charge is not None)
    ship = item.order.shipping_charge
    assert ship is not None
    right = ship.net
    wrong = _recharged(q, ship, D("20.00"))
    ship.rate = D("16.00")
    q.expected.append(Expected("SHIPPING_COMMISSION_MISMATCH", _invoice_of(q, ship).number, None,
                               item.order.number, right, wrong))

    # SHIPPING_COMMISSION_MISMATCH: charged again a week later.
    item = take(lambda i: i.order.shipping_charge is not None and _invoice_of(q, i.order.shipping_charge) != weekly[-1])
    ship = item.order.shipping_charge
    assert ship is not None
    later = weekly[weekly.index(_invoice_of(q, ship)) + 1]
    again = replace(ship, ref_invoice=later.number)
    later.lines.append(again)
    q.expected.append(Expected("SHIPPING_COMMISSION_MISMATCH", later.number, None, item.order.number,
                               ZERO, again.net))

    # DUPLICATE_CHARGE: the same position item charged again the next week.
    item = take(lambda i: i.charge is not None and _invoice_of(q, i.charge) != weekly[-1])
    assert item.charge is not None
    later = weekly[weekly.index(_invoice_of(q, item.charge)) + 1]
    dup = replace(item.charge, ref_invoice=later.number)
    later.lines.append(dup)
    q.expected.append(Expected("DUPLICATE_CHARGE", later.number, item.pid, item.order.number, ZERO, dup.net))

    # CHARGE_WITHOUT_SALE: a position item no receipt knows.
    host = weekly[len(weekly) // 2]
    ghost = commission_line(q.fees, "Verkaufsprovision", D("79.90"), host.issued - timedelta(days=3), "Möbel")
    ghost.order_number, ghost.position_item_id = "ORD-999999", _uuid(rng.getrandbits(128))
    ghost.shipped_at = datetime.combine(host.issued - timedelta(days=3), time(11), BERLIN)
    ghost.sku, ghost.ref_invoice = "SKU-GHOST", host.number
    host.lines.append(ghost)
    q.expected.append(Expected("CHARGE_WITHOUT_SALE", host.number, ghost.position_item_id, "ORD-999999",
                               ZERO, ghost.net))

    # MISSING_CHARGE: a shipped item left out of its invoice (its SKU is charged elsewhere, so the
    # engine knows the category).
    skus: dict[str, int] = {}
    for inv in weekly:
        for line in inv.lines:
            skus[line.sku] = skus.get(line.sku, 0) + 1
    item = take(lambda i: skus.get(i.product.sku, 0) > 1)
    assert item.charge is not None
    invoice = _invoice_of(q, item.charge)
    invoice.lines.remove(item.charge)
    q.expected.append(Expected("MISSING_CHARGE", invoice.number, item.pid, item.order.number,
                               item.charge.net, ZERO))

    # MISSING_CORRECTION and CORRECTION_MISMATCH: on returned items of orders that are not fully returned.
    partial = [c for c in q.corrections if all(line.position_item_id for line in c.lines)]
    rng.shuffle(partial)
    missing = partial[0]
    wrong_corr = next(c for c in partial[1:] if c.lines[0].rate is not None and _flat_line(q, c.lines[0]))
    gone = missing.lines.pop()
    if not missing.lines:
        q.corrections.remove(missing)
    q.expected.append(Expected("MISSING_CORRECTION", gone.ref_invoice, gone.position_item_id, gone.order_number,
                               gone.net, ZERO))
    line = wrong_corr.lines[0]
    right = line.net
    net = -percent_of(line.base_gross, (line.rate or D(0)) - 2)
    vat_rate = q.fees.lookup("vat", wrong_corr.issued)
    assert vat_rate is not None
    line.net, line.vat = net, -percent_of(-net, vat_rate.rate)
    line.gross = line.net + line.vat
    q.expected.append(Expected("CORRECTION_MISMATCH", wrong_corr.number, line.position_item_id, line.order_number,
                               right, line.net))

    # BASE_FEE_MISMATCH: one month charged twice.
    fee_invoices = [inv for inv in q.invoices if inv.number.startswith("GG-")]
    twice = fee_invoices[len(fee_invoices) // 2]
    extra = Invoice(twice.number + "-2", twice.issued, twice.due, twice.period_from, twice.period_to,
                    [replace(twice.lines[0])])
    q.invoices.append(extra)
    q.expected.append(Expected("BASE_FEE_MISMATCH", extra.number, None, None, ZERO, extra.lines[0].net))

    # (not on the day of the other correction faults: bundled daily, one document would hold two findings)
    _fee_world_faults(q, take_if, [c for c in partial if c.issued not in (missing.issued, wrong_corr.issued)])

    # DUE_DATE_MISMATCH: one weekly invoice due a day late.
    late = weekly[2]
    q.expected.append(Expected("DUE_DATE_MISMATCH", late.number, None, None, late.due, late.due + timedelta(days=1)))
    late.due += timedelta(days=1)


def _entry_on(q: Quarter, item: Item) -> FeeEntry:
    assert item.shipped_at is not None
    entry = _lookups(q.fees)("commission", item.shipped_at.astimezone(BERLIN).date(), item.product.category)
    assert entry is not None
    return entry


def _flat(q: Quarter, item: Item) -> bool:
    return not _entry_on(q, item).tiers


def _flat_line(q: Quarter, line: InvoiceLine) -> bool:
    return all(_flat(q, i) for o in q.orders if o.number == line.order_number for i in o.items
               if i.pid == line.position_item_id)


def _fee_world_faults(q: Quarter, take_if: Any, corrections: list[Correction]) -> None:
    """Faults of today's fee world, each injected where the simulated period allows it."""
    # COMMISSION_MISMATCH: a tiered item charged with its first tier's rate on the whole price.
    def crosses(i: Item) -> bool:
        tiers = _entry_on(q, i).tiers
        return bool(tiers) and tiers[0].up_to is not None and i.product.gross > tiers[0].up_to
    item = take_if(crosses)
    if item is not None:
        assert item.charge is not None
        right = item.charge.net
        wrong = _recharged(q, item.charge, _entry_on(q, item).tiers[0].rate)
        q.expected.append(Expected("COMMISSION_MISMATCH", _invoice_of(q, item.charge).number, item.pid,
                                   item.order.number, right, wrong, "tiered item charged flat"))

    # COMMISSION_MISMATCH: tiers applied before they began (the schedule that starts later, used early).
    schedules: dict[tuple[str, date], list[FeeEntry]] = {}

    def early(i: Item) -> FeeEntry | None:
        assert i.shipped_at is not None
        shipped = i.shipped_at.astimezone(BERLIN).date()
        key = (i.product.category, shipped)
        if key not in schedules:  # the same few hundred (category, day) pairs for every candidate item
            schedules[key] = [e for e in q.fees.entries if e.kind == "commission"
                              and e.category == i.product.category and e.tiers and e.valid_from > shipped]
        later = schedules[key]
        if not later or not _flat(q, i):
            return None
        tiered = min(later, key=lambda e: e.valid_from)
        return tiered if tiered.commission_on(i.product.gross) != _entry_on(q, i).commission_on(i.product.gross) \
            else None
    item = take_if(lambda i: early(i) is not None)
    if item is not None:
        assert item.charge is not None
        schedule = early(item)
        assert schedule is not None
        right = item.charge.net
        _set_net(q, item.charge, schedule.commission_on(item.product.gross), None)
        q.expected.append(Expected("COMMISSION_MISMATCH", _invoice_of(q, item.charge).number, item.pid,
                                   item.order.number, right, item.charge.net, "tiers applied before they began"))

    # BASE_FEE_MISMATCH: the first month of a new base fee charged at the fee of the period before.
    fee_invoices = sorted((inv for inv in q.invoices if inv.number.startswith("GG-")), key=lambda i: i.issued)
    for before, changed in zip(fee_invoices, fee_invoices[1:], strict=False):
        old, new = before.lines[0].net, changed.lines[0].net
        if old != new:
            changed.lines[0] = _base_fee_line(q, old, changed.issued)
            q.expected.append(Expected("BASE_FEE_MISMATCH", changed.number, None, None, new, old,
                                       "base fee of the previous period"))
            break

    # CORRECTION_MISMATCH: shipping commission refunded on a partial return (an item of the order is kept).
    for corr in corrections:
        order = next(o for o in q.orders if o.number == corr.lines[0].order_number)
        if order.shipping_charge is not None and any(i.returned_at is None for i in order.items):
            refund = _negated(order.shipping_charge, corr.lines[0].returned_on or corr.issued)
            corr.lines.append(refund)
            q.expected.append(Expected("CORRECTION_MISMATCH", corr.number, None, order.number, ZERO, refund.net,
                                       "shipping commission refunded on a partial return"))
            break


def _set_net(q: Quarter, line: InvoiceLine, net: Decimal, rate: Decimal | None) -> None:
    assert line.shipped_at is not None
    vat = q.fees.lookup("vat", line.shipped_at.astimezone(BERLIN).date())
    assert vat is not None
    line.rate, line.net = rate, net
    line.vat = percent_of(net, vat.rate)
    line.gross = net + line.vat


def _recharged(q: Quarter, line: InvoiceLine, rate: Decimal) -> Decimal:
    assert line.shipped_at is not None
    vat = q.fees.lookup("vat", line.shipped_at.astimezone(BERLIN).date())
    assert vat is not None
    line.rate = rate
    line.net = percent_of(line.base_gross, rate)
    line.vat = percent_of(line.net, vat.rate)
    line.gross = line.net + line.vat
    return line.net


def _payout_faults(q: Quarter, rng: random.Random) -> None:
    busy = [p for p in q.payouts if sum(1 for x in p.lines if x.document_type == "Kaufbeleg") >= 3]
    first, second, third, fourth = busy[1], busy[2], busy[3], busy[4]

    line = next(x for x in first.lines if x.document_type == "Kaufbeleg")
    q.expected.append(Expected("PAYOUT_MISMATCH", first.number, None, line.order_number, line.amount,
                               line.amount - D("5.00")))
    line.amount -= D("5.00")

    q.expected.append(Expected("PAYOUT_MISMATCH", second.number, None, None, second.total,
                               second.total + D("10.00")))
    second.total_override = second.total + D("10.00")

    dropped = next(x for x in third.lines if x.document_type == "Kaufbeleg")
    third.lines.remove(dropped)
    q.expected.append(Expected("SETTLEMENT_MISSING", dropped.document_number, None, dropped.order_number,
                               dropped.amount, ZERO))

    unknown = PayoutLine("Kaufbeleg", "R-DE-ORD-424242-1", fourth.day - timedelta(days=15),
                         fourth.day - timedelta(days=1), "ORD-424242", D("12.34"))
    fourth.lines.append(unknown)
    q.expected.append(Expected("SETTLEMENT_UNKNOWN", unknown.document_number, None, "ORD-424242", None,
                               unknown.amount))
