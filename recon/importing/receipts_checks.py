"""What a receipt must be beyond its JSON shape, checked alike for the fast lane and the careful path.

The pydantic models (and the msgspec types made from them) say which fields exist and their types; these
checks say what recon needs to store a receipt *right*: EUR amounts the store can hold, a receipt number, one
position item id per unit (an item without one would silently drop out of the expected commission), tax rates
that are numbers, and no number with an invisible character. Each finding is (JSON path, reason).

The raw checks (`raw_problems`) walk the decoded JSON once, without recursion: duplicate keys, nesting depth and
currencies. The fast lane never needs them: its byte scans (`receipts_fast.safe`, the key count) send any file
that could fail them (or hold an amount too large) down the careful path. It asks the other rules as yes or no
(`ids_ok`, `rate_ok`, `receipts._FastRows`); on no, the careful path finds the problems again and words them.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from recon import i18n
from recon.importing.fields import MAX_AMOUNT
from recon.importing.numbers import invisible_problem
from recon.importing.receipts_model import MonetaryAmount, Price, Receipt

MAX_JSON_DEPTH = 32  # a receipt page is 12 levels deep at most
MAX_RATE = Decimal(100)
Finding = tuple[str, str]


class Pairs(dict[str, Any]):
    """A JSON object that remembers the keys it was given more than once (json.loads would keep the last)."""

    repeated: tuple[str, ...] = ()


def object_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """`object_pairs_hook` for json.loads: a plain dict, or `Pairs` naming the repeated keys."""
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    seen: set[str] = set()
    repeated = [k for k, _ in pairs if k in seen or seen.add(k)]  # type: ignore[func-returns-value]
    marked = Pairs(obj)
    marked.repeated = tuple(dict.fromkeys(repeated))
    return marked


def _walk(obj: Any, path: str) -> Iterator[tuple[str, int, Any]]:
    """(path, depth, value) of every JSON value below `obj`, depth-first, without recursion."""
    stack = [(path, 1, obj)]
    while stack:
        here, depth, value = stack.pop()
        yield here, depth, value
        if isinstance(value, dict):
            stack.extend((f"{here}.{k}" if here else k, depth + 1, v) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((f"{here}[{i}]", depth + 1, v) for i, v in reversed(list(enumerate(value))))


def raw_problems(obj: Any, base_depth: int) -> list[Finding]:
    """Duplicate keys, nesting beyond MAX_JSON_DEPTH and amounts in another currency than EUR."""
    found: list[Finding] = []
    for path, depth, value in _walk(obj, ""):
        if depth + base_depth > MAX_JSON_DEPTH:
            found.append((path, i18n.t("input.json_too_deep", limit=MAX_JSON_DEPTH)))
            break
        if isinstance(value, Pairs):
            for key in value.repeated:
                found.append((f"{path}.{key}" if path else key, i18n.t("input.duplicate_key", key=key)))
        if isinstance(value, dict) and "currency" in value and value["currency"] != "EUR":
            currency = value["currency"]
            shown = currency if isinstance(currency, str) else repr(currency)
            found.append((f"{path}.currency" if path else "currency", i18n.t("input.not_eur", currency=shown)))
    return found


def _amount(found: list[Finding], path: str, money: MonetaryAmount | None) -> None:
    if money is None:
        return
    amount = money.amount
    try:
        too_large = not amount.is_finite() or abs(amount) > MAX_AMOUNT
    except InvalidOperation:
        too_large = True
    if too_large:
        found.append((f"{path}.amount", i18n.t("input.amount_too_large", amount=str(amount),
                                               limit=i18n.number(MAX_AMOUNT))))


def _price(found: list[Finding], path: str, price: Price | None) -> None:
    if price is None:
        return
    for part in ("gross", "net", "tax"):
        _amount(found, f"{path}.{part}", getattr(price, part))
    rate = price.tax_rate
    try:
        value = Decimal(rate)
        ok = value.is_finite() and 0 <= value <= MAX_RATE
    except (InvalidOperation, TypeError, ValueError):
        ok = False
    if not ok:
        found.append((f"{path}.taxRate", i18n.t("input.bad_tax_rate", rate=rate)))


def _ids(found: list[Finding], path: str, ids: list[str] | None, quantity: int | None, key: str) -> None:
    ids = ids or []
    if not ids:
        found.append((f"{path}.{key}", i18n.t("input.no_position_ids")))
    for n, pid in enumerate(ids):
        if not pid.strip():
            found.append((f"{path}.{key}[{n}]", i18n.t("input.empty_value")))
        elif hidden := invisible_problem(pid):
            found.append((f"{path}.{key}[{n}]", hidden))
    if quantity is None:
        return
    if quantity <= 0:
        found.append((f"{path}.quantity", i18n.t("input.quantity_not_positive", quantity=quantity)))
    elif ids and quantity != len(ids):
        found.append((f"{path}.quantity", i18n.t("input.quantity_vs_ids", quantity=quantity, ids=len(ids))))


def receipt_problems(r: Receipt) -> list[Finding]:
    """Everything that would store this (schema-valid) receipt wrong; the same for both lanes."""
    found: list[Finding] = []
    if not r.receipt_number.strip():
        found.append(("receiptNumber", i18n.t("input.empty_value")))
    for path, text in (("receiptNumber", r.receipt_number), ("orderNumber", r.order_number),
                       ("salesOrderId", r.sales_order_id), ("linkedReceiptNumber", r.linked_receipt_number)):
        if text and (hidden := invisible_problem(text)):
            found.append((path, hidden))
    items = r.line_items
    base = "lineItems"
    for i, item in enumerate(items.item_positions):
        path = f"{base}.itemPositions[{i}]"
        _ids(found, path, item.position_item_ids, item.quantity, "positionItemIds")
        _price(found, f"{path}.positionSum", item.position_sum)
        for j, mod in enumerate(item.price_modifications):
            _price(found, f"{path}.priceModifications[{j}].priceModificationAmount", mod.price_modification_amount)
    for i, part in enumerate(items.item_partial_refund_positions):
        path = f"{base}.itemPartialRefundPositions[{i}]"
        _ids(found, path, part.position_item_ids, None, "positionItemIds")
        _price(found, f"{path}.partialRefundAmount", part.partial_refund_amount)
    for i, fee in enumerate(items.delivery_costs):
        path = f"{base}.deliveryCosts[{i}]"
        _price(found, f"{path}.positionSum", fee.position_sum)
        for j, mod in enumerate(fee.price_modifications):
            _price(found, f"{path}.priceModifications[{j}].priceModificationAmount", mod.price_modification_amount)
    for i, service in enumerate(items.service_positions):
        path = f"{base}.servicePositions[{i}]"
        _ids(found, path, service.service_position_item_ids, service.quantity, "servicePositionItemIds")
        _price(found, f"{path}.positionSum", service.position_sum)
    for i, service_part in enumerate(items.service_partial_refund_positions):
        _price(found, f"{base}.servicePartialRefundPositions[{i}].partialRefundAmount",
               service_part.partial_refund_amount)
    for i, total in enumerate(r.totals):
        _price(found, f"totals[{i}]", total)
    return found


@cache
def rate_ok(rate: str) -> bool:
    """A tax rate the store can hold: a number from 0 to 100 (the rule of `_price`, for the fast lane)."""
    try:
        value = Decimal(rate)
        return bool(value.is_finite() and 0 <= value <= MAX_RATE)
    except (InvalidOperation, TypeError, ValueError):
        return False


def ids_ok(ids: list[str] | None, quantity: int | None) -> bool:
    """The rule of `_ids` as yes or no (the fast lane only needs that; on no, the careful path words it)."""
    if not ids:
        return False
    for pid in ids:
        if not pid.strip() or (not (pid.isascii() and pid.isprintable()) and invisible_problem(pid)):
            return False
    return quantity is None or 0 < quantity == len(ids)
