"""The period picker's choices, relative to 'as of', so 'this month' stays right after the next import."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from recon import i18n
from recon.period import Period, explicit_period, month
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
    """Document dates from..to for a preset, labelled as the command line labels them, carrying `as_of`;
    `custom` is used for CUSTOM (either end may be open)."""
    if name == ALL:
        return _span(None, None, as_of)
    if name == THIS_MONTH:
        return _span(_month_start(as_of), as_of, as_of)
    if name == LAST_MONTH:
        previous = _month_start(as_of) - timedelta(days=1)
        return replace(month(previous.year, previous.month), as_of=as_of)
    if name == LAST_3_MONTHS:
        return _span(_month_start(as_of, 2), as_of, as_of)
    if name == CUSTOM:
        lo, hi = custom
        if lo is not None and hi is not None and hi < lo:
            lo, hi = hi, lo
        return _span(lo, hi, as_of)
    raise ValueError(f"unknown period preset: {name!r}")


def _span(lo: date | None, hi: date | None, as_of: date) -> Period:
    return replace(explicit_period(lo, hi, as_of), as_of=as_of)


def describe(period: Period) -> str:
    """'01.10.2026 – 31.10.2026, Stichtag 02.11.2026' for captions shown to people."""
    if period.start is None and period.end is None:
        span = i18n.t("ui.period.all_documents")
    else:
        lo = date_de(period.start) if period.start else i18n.t("ui.period.start")
        hi = date_de(period.end) if period.end else i18n.t("ui.period.end")
        span = f"{lo} – {hi}"
    return i18n.t("ui.period.describe", span=span, as_of=date_de(period.today()))
