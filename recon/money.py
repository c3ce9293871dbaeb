"""Money helpers. Amounts are Decimal end to end; rounding is half-up to the cent, as the documents round."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def round_cent(value: Decimal) -> Decimal:
    """Round half-up to the cent: OTTO's reference layouts round every line this way."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def percent_of(base: Decimal, rate_percent: Decimal) -> Decimal:
    """A rate given in percent (15.00 means 15 %) applied to a base, rounded to the cent."""
    return round_cent(base * rate_percent / Decimal(100))


def fmt_amount(value: Decimal | None) -> str | None:
    """Two decimals as a string, the contract's JSON form; None stays None."""
    if value is None:
        return None
    return f"{round_cent(value):.2f}"


def fmt_eur_de(value: Decimal) -> str:
    """German display form: 1.234,56 €."""
    text = f"{round_cent(value):,.2f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".") + " €"
