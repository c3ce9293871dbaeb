"""Price-tiered commissions ("Staffelprovisionen"): each rate applies to the part of the price inside its tier.

OTTO's words to sellers (2024-08): "verschiedene Provisionssätze auf einzelne Teile des Bruttoverkaufspreises",
so a tier schedule works like tax brackets, not like a single rate picked by price. The parts are summed
exactly and the sum is rounded half-up to the cent once; VAT is then computed on that net, half-up, as on
every other commission line. This module is the Python statement of that rule: the simulator builds invoices
with it and the engine's SQL model is tested against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from recon import i18n
from recon.money import ZERO, percent_of, round_cent

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Tier:
    """One bracket: `rate` percent on the part of the price up to `up_to` (None: open, the last tier)."""

    up_to: Decimal | None
    rate: Decimal


@dataclass(frozen=True)
class TierPart:
    """The share of a price that falls into one tier, and the rate applied to it."""

    rate: Decimal
    base: Decimal


def tier_parts(gross: Decimal, tiers: tuple[Tier, ...]) -> list[TierPart]:
    """The price cut at the tier bounds: the parts that are not empty, lowest tier first."""
    if gross < 0:
        raise ValueError(f"a tiered commission needs a price of at least 0, not {gross}")
    parts = []
    lower = ZERO
    for tier in tiers:
        upper = gross if tier.up_to is None else min(gross, tier.up_to)
        if upper > lower:
            parts.append(TierPart(tier.rate, upper - lower))
        if tier.up_to is None or gross <= tier.up_to:
            break
        lower = tier.up_to
    return parts


def tiered_commission(gross: Decimal, tiers: tuple[Tier, ...]) -> Decimal:
    """Net commission on one unit's gross price (after the partner's discount): exact parts, rounded once."""
    return round_cent(sum((p.base * p.rate / HUNDRED for p in tier_parts(gross, tiers)), ZERO))


def commission_with_vat(net: Decimal, vat_rate: Decimal) -> tuple[Decimal, Decimal]:
    """VAT on the rounded net, half-up: the (vat, gross) an invoice line carries."""
    vat = percent_of(net, vat_rate)
    return vat, net + vat


def effective_rate(net: Decimal, gross: Decimal) -> Decimal | None:
    """The rate a tiered line may show as `Provisionssatz` (two places); None for a price of 0."""
    if gross == 0:
        return None
    return (net * HUNDRED / gross).quantize(Decimal("0.01"))


def check_tiers(tiers: tuple[Tier, ...]) -> str | None:
    """What is wrong with a tier list, in a phrase for the error message (the reader's language, the values as
    written in the file); None when it is usable."""
    if not tiers:
        return i18n.t("fees.error.tiers_empty")
    for n, tier in enumerate(tiers, start=1):
        if tier.rate < 0 or tier.rate > HUNDRED:
            return i18n.t("fees.error.tier_rate_range", n=n, rate=tier.rate)
        last = n == len(tiers)
        if tier.up_to is None and not last:
            return i18n.t("fees.error.tier_open_not_last", n=n)
        if tier.up_to is not None and last:
            return i18n.t("fees.error.tier_last_closed", n=n)
        if tier.up_to is not None and tier.up_to <= 0:
            return i18n.t("fees.error.tier_up_to_positive", n=n, up_to=tier.up_to)
        if tier.up_to is not None and tier.up_to != round_cent(tier.up_to):
            return i18n.t("fees.error.tier_up_to_cent", n=n, up_to=tier.up_to)
        if n > 1 and tier.up_to is not None:
            previous = tiers[n - 2].up_to
            assert previous is not None
            if tier.up_to <= previous:
                return i18n.t("fees.error.tier_not_ascending", n=n, up_to=tier.up_to, previous_n=n - 1,
                              previous=previous)
    return None
