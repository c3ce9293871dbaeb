"""Fee entries in words: a rate, a base fee or a tier schedule, and whether a rate is only reported.

One place for these texts, so `recon fees show`, the dashboard's fee page and the workbook say the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from recon import i18n
from recon.fees.table import FeeEntry
from recon.fees.tiers import Tier, TierPart


def tier_schedule_text(tiers: tuple[Tier, ...], language: str | None = None) -> str:
    """'bis 100,00 €: 22 % · 100,00–200,00 €: 20 % · über 200,00 €: 18 %'."""
    parts = []
    lower: Decimal | None = None
    for tier in tiers:
        rate = i18n.percent(tier.rate, language)
        if tier.up_to is None:
            parts.append(i18n.t("fees.tier_above", language, lower=i18n.money(lower, language), rate=rate))
        elif lower is None:
            parts.append(i18n.t("fees.tier_first", language, upper=i18n.money(tier.up_to, language), rate=rate))
        else:
            parts.append(i18n.t("fees.tier_between", language, lower=i18n.number(lower, 2, language),
                                upper=i18n.money(tier.up_to, language), rate=rate))
        lower = tier.up_to
    return " · ".join(parts)


def value_text(entry: FeeEntry, language: str | None = None) -> str:
    """What an entry charges: '99,90 € netto', '16 %', or its tier schedule."""
    if entry.tiers:
        return i18n.t("fees.tiered", language, schedule=tier_schedule_text(entry.tiers, language))
    if entry.kind == "base_fee":
        return i18n.t("fees.net", language, amount=i18n.money(entry.rate, language))
    return i18n.percent(entry.rate, language)


def status_text(entry: FeeEntry, language: str | None = None) -> str:
    """'gemeldet' for a rate known only from trade press, 'Platzhalter' for one no source gives, else ''."""
    if entry.example:
        return i18n.t("fees.status_example", language)
    if entry.reported:
        return i18n.t("fees.status_reported", language)
    return ""


def tier_sum_text(parts: list[TierPart], net: Decimal, language: str | None = None) -> str:
    """'22 % von 100,00 + 20 % von 50,00 = 32,00 €': how a tiered commission was built."""
    terms = " + ".join(i18n.t("fees.tier_term", language, rate=i18n.percent(p.rate, language),
                              base=i18n.number(p.base, 2, language)) for p in parts)
    return f"{terms} = {i18n.money(net, language)}"


def unconfirmed_note(entries: Iterable[FeeEntry], language: str | None = None) -> str | None:
    """The plain warning shown under a fee table when any rate in it is only reported or a placeholder."""
    shown = list(entries)
    reported = sum(1 for e in shown if e.reported and not e.example)
    example = sum(1 for e in shown if e.example)
    if not reported and not example:
        return None
    return i18n.t("fees.unconfirmed_note", language, reported=reported, example=example)


def entries_between(entries: Iterable[FeeEntry], start: date | None, end: date | None) -> list[FeeEntry]:
    """The entries in force on some day of [start, end] (None: open), kind and category order kept."""
    lo, hi = start or date.min, end or date.max
    return [e for e in entries if e.valid_from <= hi and (e.valid_to or date.max) >= lo]
