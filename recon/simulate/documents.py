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

import msgspec

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


# Formatting caches: a big quarter formats the same few hundred dates and the same prices millions of times.
# Keys are exact (a Decimal zero is never cached: -0.00 and 0.00 are equal keys but print differently).
_AMOUNTS: dict[Decimal, str] = {}
_DATES: dict[date, str] = {}


def de_amount(value: Decimal | None) -> str:
    """German notation with thousands dots: 1.234,56 (what OTTO's CSVs carry)."""
    if value is None:
        return ""
    if value:
        cached = _AMOUNTS.get(value)
        if cached is not None and len(_AMOUNTS) < 1_000_000:
            return cached
    text = f"{round_cent(value):,.2f}"
    text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    if value and len(_AMOUNTS) < 1_000_000:
        _AMOUNTS[value] = text
    return text


_RATES: dict[Decimal, str] = {}


def de_rate(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = _RATES.get(value)  # by value: equal rates print alike with two places (never a sign on a rate)
    if text is None:
        text = f"{value:.2f}".replace(".", ",")
        if value > 0 and len(_RATES) < 100_000:
            _RATES[value] = text
    return text


def de_date(value: date | None) -> str:
    if value is None:
        return ""
    text = _DATES.get(value)
    if text is None:
        # f-string, not strftime: the same text (dd.mm.yyyy), a tenth of the cost; only 4-digit years occur.
        text = f"{value.day:02d}.{value.month:02d}.{value.year:04d}"
        if len(_DATES) < 100_000:
            _DATES[value] = text
    return text


_DATETIMES: dict[datetime, str] = {}


def de_datetime(value: datetime | None) -> str:
    """Shown in German local time, as the files are. Cached: an aware datetime's hash and equality are its
    instant (or, in one zone, its wall time), and equal instants show the same German wall time."""
    if value is None:
        return ""
    text = _DATETIMES.get(value)
    if text is None:
        v = value.astimezone(BERLIN)
        text = f"{v.day:02d}.{v.month:02d}.{v.year:04d} {v.hour:02d}:{v.minute:02d}:{v.second:02d}"
        if len(_DATETIMES) < 1_000_000:
            _DATETIMES[value] = text
    return text


def _field(value: str) -> str:
    if any(ch in value for ch in ';"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _line(row: Sequence[str]) -> str:
    """One CSV line; quoting is needed so rarely that the joined line is checked once, in C."""
    line = ";".join(row)
    if '"' in line or "\r" in line or "\n" in line or line.count(";") != len(row) - 1:
        return ";".join(_field(v) for v in row)
    return line


def write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[str]],
              *, encoding: str = "cp1252", newline: str = "\r\n") -> Path:
    """A `;` file in windows-1252 with CRLF, as OTTO's mails carry it."""
    lines = [_line(headers)]
    lines += [_line(row) for row in rows]
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


_SPLITS: dict[tuple[Decimal, Decimal], tuple[str, Decimal, Decimal]] = {}


def _split(gross: Decimal, vat_rate: Decimal) -> tuple[str, Decimal, Decimal]:
    """(taxRate text, net, tax) of a VAT-inclusive price, memoised: a catalogue has few distinct prices."""
    key = (gross, vat_rate)
    found = _SPLITS.get(key)
    # Only when the Decimals print alike (5.95 and 5.950 are equal keys but are different JSON numbers).
    if found is not None and str(gross) == str(found[1] + found[2]) and len(_SPLITS) < 1_000_000:
        return found
    tax = round_cent(gross * vat_rate / (100 + vat_rate))
    found = (f"{vat_rate:.1f}", gross - tax, tax)
    if len(_SPLITS) < 1_000_000:
        _SPLITS[key] = found
    return found


def price(gross: Decimal, vat_rate: Decimal) -> dict[str, Any]:
    """A Price object: gross, and net/tax split the way a VAT-inclusive price splits (tax rounded half-up)."""
    rate, net, tax = _split(gross, vat_rate)
    return {"taxType": "VAT", "taxRate": rate, "gross": {"amount": gross, "currency": "EUR"},
            "net": {"amount": net, "currency": "EUR"}, "tax": {"amount": tax, "currency": "EUR"}}


_UTC = ZoneInfo("UTC")


def _utc(value: datetime) -> str:
    """%Y-%m-%dT%H:%M:%S.000Z by f-string (strftime costs ten times as much; years have four digits)."""
    v = value.astimezone(_UTC)
    return f"{v.year:04d}-{v.month:02d}-{v.day:02d}T{v.hour:02d}:{v.minute:02d}:{v.second:02d}.000Z"


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


# --- receipts straight to JSON text ---------------------------------------------------------------------
# A big quarter makes a million receipts; building each as nested dicts of Decimals and then encoding the
# dicts took most of the generator's time and memory. `receipt_json` writes the text of `receipt()` dumped in
# the one-line form (dumps_receipts(indent=None)) directly, from fragments cached per product and price. It
# knows the simulator's receipts only: one unit per position, every price at 19 % VAT.

_VAT19 = Decimal("19")
_JSON = msgspec.json.Encoder()
_PRICES: dict[str, tuple[str, Decimal, Decimal]] = {}
_UNITS: dict[tuple[str, str, str], tuple[str, str, str, Decimal, Decimal]] = {}


def _price_json(gross: Decimal) -> tuple[str, Decimal, Decimal]:
    """The Price object's text at 19 %, and its net and tax (keyed by the text: 24.2 and 24.20 differ)."""
    key = str(gross)
    found = _PRICES.get(key)
    if found is None:
        rate, net, tax = _split(gross, _VAT19)
        found = (f'{{"taxType": "VAT", "taxRate": "{rate}", "gross": {{"amount": {key}, "currency": "EUR"}}, '
                 f'"net": {{"amount": {net}, "currency": "EUR"}}, "tax": {{"amount": {tax}, "currency": "EUR"}}}}',
                 net, tax)
        if len(_PRICES) < 1_000_000:
            _PRICES[key] = found
    return found


def _unit_json(sku: str, title: str, gross: Decimal) -> tuple[str, str, str, Decimal, Decimal]:
    """(`"sku": ..., "positionItemIds": ["` text, the unit's price text, the JSON-quoted sku+title part,
    net, tax) of one product at one price."""
    key = (sku, title, str(gross))
    found = _UNITS.get(key)
    if found is None:
        price_text, net, tax = _price_json(gross)
        sku_text = _JSON.encode(sku).decode("utf-8")
        names = f'"sku": {sku_text}, "articleNumber": {sku_text}, "productTitle": {_JSON.encode(title).decode("utf-8")}'
        found = (f'{names}, "positionItemIds": [', price_text, names, net, tax)
        if len(_UNITS) < 1_000_000:
            _UNITS[key] = found
    return found


def _money_json(amount: Decimal) -> str:
    return f'{{"amount": {amount}, "currency": "EUR"}}'


def _quoted(text: str) -> str:
    """A JSON string as msgspec writes it: printable text without quotes or backslashes goes as it is
    (checked for every character of the Basic Multilingual Plane), anything else through msgspec."""
    if text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    return _JSON.encode(text).decode("utf-8")


_UTC_TEXTS: dict[datetime, str] = {}


def _utc_quoted(value: datetime) -> str:
    """_utc(value) as a JSON string, cached (equal aware datetimes are the same instant)."""
    text = _UTC_TEXTS.get(value)
    if text is None:
        text = f'"{_utc(value)}"'
        if len(_UTC_TEXTS) < 1_000_000:
            _UTC_TEXTS[value] = text
    return text


UnitText = tuple[str, str, str, Decimal, Decimal]  # what _unit_json gives: texts, net, tax


def unit_text(sku: str, title: str, gross: Decimal) -> UnitText:
    """The cached JSON fragments of one product at one price (for receipt_units_json)."""
    return _unit_json(sku, title, gross)


def receipt_json(
    *, receipt_type: str, number: str, order_number: str, sales_order_id: str, created: datetime,
    items: Sequence[tuple[str, str, str, Decimal]] = (), linked_receipt: str | None = None,
    partial_refunds: Sequence[tuple[str, str, str, Decimal]] = (),
    delivery_fees: Mapping[str, Decimal] | None = None,
) -> str:
    """`receipt(...)` as the one-line JSON text dumps_receipts writes for it, without building the dict.

    Items and partial refunds are (position item id, sku, title, gross) at 19 % VAT. Byte for byte the same
    text (tests/test_simulate_fast.py compares whole quarters)."""
    return receipt_units_json(
        receipt_type, number, order_number, sales_order_id, created,
        [(pid, gross, _unit_json(sku, title, gross)) for pid, sku, title, gross in items], linked_receipt,
        [(pid, gross, _unit_json(sku, title, gross)) for pid, sku, title, gross in partial_refunds], delivery_fees)


def receipt_units_json(
    receipt_type: str, number: str, order_number: str, sales_order_id: str, created: datetime,
    items: Sequence[tuple[str, Decimal, UnitText]], linked_receipt: str | None,
    partial_refunds: Sequence[tuple[str, Decimal, UnitText]], delivery_fees: Mapping[str, Decimal] | None,
) -> str:
    """receipt_json with each unit as (position item id, gross, unit_text(...)): the simulator keeps a
    product's unit_text with the product."""
    gross_sum = net_sum = tax_sum = Decimal(0)
    prices = 0
    positions = []
    for n, (pid, gross, (head, price_text, _, net, tax)) in enumerate(items, start=1):
        positions.append(f'{{"lineNumber": {n}, {head}{_quoted(pid)}], "quantity": 1, '
                         f'"unitPrice": {price_text}, "positionSum": {price_text}, "priceModifications": []}}')
        gross_sum += gross
        net_sum += net
        tax_sum += tax
        prices += 1
    partials = []
    for n, (pid, gross, (_, price_text, names, net, tax)) in enumerate(partial_refunds, start=1):
        partials.append(f'{{"lineNumber": {n}, {names}, "positionItemIds": [{_quoted(pid)}], '
                        f'"partialRefundAmount": {price_text}}}')
        gross_sum += gross
        net_sum += net
        tax_sum += tax
        prices += 1
    fees = ""
    if delivery_fees:
        texts: list[str] = []
        for fee_type, amount in delivery_fees.items():
            price_text, net, tax = _price_json(amount)
            texts.append(f'{{"lineNumber": {len(positions) + len(texts) + 1}, '
                         f'"deliveryCostType": {_quoted(fee_type)}, "unitPrice": {price_text}, '
                         f'"positionSum": {price_text}, "priceModifications": []}}')
            # (receipt() sums the delivery costs after the positions; Decimal sums do not depend on the order)
            gross_sum += amount
            net_sum += net
            tax_sum += tax
            prices += 1
        fees = ", ".join(texts)
    if prices:
        due = _money_json(Decimal("0") + gross_sum)
        totals = (f'[{{"taxType": "VAT", "taxRate": "19.0", "gross": {_money_json(gross_sum)}, '
                  f'"net": {_money_json(net_sum)}, "tax": {_money_json(tax_sum)}}}]')
    else:
        due, totals = _money_json(Decimal("0")), "[]"
    when = _utc_quoted(created)
    text = (f'{{"receiptType": {_quoted(receipt_type)}, "isRealReceipt": true, '
            f'"isDeemedSupplierModel": false, "receiptNumber": {_quoted(number)}, '
            f'"creationDate": {when}, "salesOrderId": {_quoted(sales_order_id)}, '
            f'"orderNumber": {_quoted(order_number)}, "orderDate": {when}, '
            '"payment": {"paymentProvider": "OTTOPAYMENTS", "paymentMethod": "INVOICE_SINGLE"}, '
            f'"lineItems": {{"itemPositions": [{", ".join(positions)}], '
            f'"itemPartialRefundPositions": [{", ".join(partials)}], "servicePositions": [], '
            f'"servicePartialRefundPositions": [], "deliveryCosts": [{fees}], '
            f'"deliveryFeePartialRefundPositions": []}}, "totals": {totals}, "amountDue": {due}')
    if receipt_type == "PURCHASE":
        text += f', "shipmentDate": {when}, "totalsGrossAmount": {due}'
    if linked_receipt:
        text += f', "linkedReceiptNumber": {_quoted(linked_receipt)}'
    if receipt_type == "REFUND":
        text += ', "refundType": "RETURN"'
    return text + "}"


def receipt_page_json(texts: Iterable[str]) -> str:
    """A Receipts API page of receipt_json texts, as dumps_receipts(indent=None) writes the page."""
    return '{"resources": [' + ", ".join(texts) + '], "links": []}'


def _refuse(value: object) -> object:
    raise TypeError(type(value).__name__)


# Amounts as JSON numbers from the Decimal's own text; any other non-JSON type is refused (the slow path below
# then writes it as json.dumps(default=str) would).
_ENCODER = msgspec.json.Encoder(decimal_format="number", enc_hook=_refuse)
_PLAIN = (str, int, bool, Decimal, type(None))


def dumps_receipts(receipts: Sequence[dict[str, Any]], *, as_page: bool = True, indent: int | None = 2,
                   plain: bool = False) -> str:
    """JSON text with amounts as exact decimal numbers (never via binary float).

    msgspec encodes and formats in C: `format(indent=0)` gives exactly json.dumps' one-line form (", ", ": "),
    `indent=2` its indented form. It writes dates, UUIDs, floats, ... its own way, so it is used when every
    value is a str, int, bool, None or Decimal: checked here, or promised by the caller with `plain=True`
    (receipts made by `receipt()`). Otherwise the pure-Python encoder writes the text."""
    payload: object = {"resources": list(receipts), "links": []} if as_page else list(receipts)
    if indent in (None, 2) and (plain or _only_plain(payload)):
        try:
            return msgspec.json.format(_ENCODER.encode(payload), indent=indent or 0).decode("utf-8")
        except (TypeError, OverflowError, msgspec.EncodeError):
            pass
    text = json.dumps(payload, ensure_ascii=False, indent=indent,
                      default=lambda v: f"{_MARK}{v}" if isinstance(v, Decimal) else str(v))
    return _MARKED.sub(r"\1", text)


def _only_plain(value: object) -> bool:
    """True if the value is dicts (str keys) and lists of str, int, bool, None and Decimal only."""
    stack = [value]
    while stack:
        v = stack.pop()
        if type(v) is dict:
            if any(type(k) is not str for k in v):
                return False
            items: Iterable[object] = v.values()
        elif type(v) is list:
            items = v
        else:
            return False
        for x in items:
            if type(x) in (dict, list):
                stack.append(x)
            elif type(x) not in _PLAIN:
                return False
    return True


def dumps_receipt_lines(receipts: Sequence[dict[str, Any]]) -> str:
    """JSON Lines: one receipt per line."""
    return "\n".join(dumps_receipts([r], as_page=False, indent=None)[1:-1] for r in receipts) + "\n"
