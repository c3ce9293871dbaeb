"""The period picker's choices, relative to 'as of', so 'this month' stays right after the next import."""

from __future__ import annotations

from datetime import date, timedelta

from recon import i18n
from recon.ui.data import Period
from recon.ui.fmt import date_de

# Stable keys; people read label(key) in their language.
ALL = "all"
THIS_MONTH = "this_month"
LAST_MONTH = "last_month"
LAST_3_MONTHS = "last_3_months"
CUSTOM = "custom"
PRESETS = (ALL, THIS_MONTH, LAST_MONTH, LAST_3_MONTHS, CUSTOM)


def label(preset: str) -> str:
    """'Alle Daten', 'Dieser Monat', ... for the period picker."""
    return i18n.t(f"ui.period.{preset}")


def _month_start(day: date, back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def preset_period(name: str, as_of: date, custom: tuple[date | None, date | None] = (None, None)) -> Period:
    """Document dates from..to for a preset; `custom` is used for CUSTOM (either end may be open)."""
    if name == ALL:
        return Period(as_of)
    if name == THIS_MONTH:
        return Period(as_of, _month_start(as_of), as_of)
    if name == LAST_MONTH:
        return Period(as_of, _month_start(as_of, 1), _month_start(as_of) - timedelta(days=1))
    if name == LAST_3_MONTHS:
        return Period(as_of, _month_start(as_of, 2), as_of)
    if name == CUSTOM:
        lo, hi = custom
        if lo is not None and hi is not None and hi < lo:
            lo, hi = hi, lo
        return Period(as_of, lo, hi)
    raise ValueError(f"unknown period preset: {name!r}")


def describe(period: Period) -> str:
    """'01.10.2026 – 31.10.2026, Stichtag 02.11.2026' for captions shown to people."""
    if period.date_from is None and period.date_to is None:
        span = i18n.t("ui.period.all_documents")
    else:
        lo = date_de(period.date_from) if period.date_from else i18n.t("ui.period.start")
        hi = date_de(period.date_to) if period.date_to else i18n.t("ui.period.end")
        span = f"{lo} – {hi}"
    return i18n.t("ui.period.describe", span=span, as_of=date_de(period.as_of))
