"""A finding's message, rendered from the catalogue: the checks return a key and typed parameters, never text.

The SQL hands every parameter over as text (`txt()` in queries/engine/macros.sql); its name says what it
is (an amount, a rate, a day, a month, plain text), so German readers get `119,00 €`, `15 %` and
`05.09.2026`, English ones the contract's plain `119.00`, `15` and `2026-09-05` inside the English sentence.
An unknown parameter name is an error, so a new check cannot show a raw number by accident.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from recon import i18n

AMOUNTS = frozenset({"base", "expected", "actual", "net", "vat", "gross", "charged", "refund", "total", "line_sum",
                     "amount", "document_amount", "balance", "balance_before", "previous_balance", "paid",
                     "documents", "other", "invoiced", "explained", "unexplained", "commission",
                     "payment_fee"})
RATES = frozenset({"rate", "invoiced_rate", "vat_rate"})
DAYS = frozenset({"day", "shipped_on", "invoice_day", "returned_on", "issued", "due", "expected_due", "first_date",
                  "settlement_day"})
MONTHS = frozenset({"month", "first_month"})
TEXTS = frozenset({"category", "order_number", "first_invoice", "position_item_id", "invoice_number", "document_type",
                   "document_number", "payout_number", "days", "account", "transaction_id", "transaction_type",
                   "calculation"})  # calculation: a tiered expectation, already worded for the language
TOTALS_CATEGORIES = frozenset({"totals_category"})  # a tie-out category code, shown by its catalogue name
CENT = Decimal("0.01")


def _plain_rate(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _formatter(name: str, language: str) -> Callable[[str], str]:
    german = language == "de"
    if name in AMOUNTS:
        return (lambda v: i18n.money(Decimal(v), "de")) if german else (
            lambda v: str(Decimal(v).quantize(CENT, ROUND_HALF_UP)))
    if name in RATES:
        return (lambda v: i18n.percent(Decimal(v), "de")) if german else (lambda v: _plain_rate(Decimal(v)))
    if name in DAYS:
        return (lambda v: i18n.day(date.fromisoformat(v), "de")) if german else str
    if name in MONTHS:
        return (lambda v: date.fromisoformat(v).strftime("%m.%Y")) if german else (lambda v: v[:7])
    if name in TEXTS:
        return str
    if name in TOTALS_CATEGORIES:
        return lambda v: i18n.t(f"tie_out.{v}", language)
    raise KeyError(f"message parameter {name!r} has no type in recon.engine.messages")


def render(template: str, params: Mapping[str, str | None], language: str) -> str:
    """The template with each parameter formatted for the language (a missing value shows as empty)."""
    values = {name: "" if value is None else _formatter(name, language)(value) for name, value in params.items()}
    return template.format(**values)
