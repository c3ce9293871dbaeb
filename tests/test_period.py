"""Report periods: ISO weeks, months, last-week / last-month relative to the as-of day, and file names."""

from __future__ import annotations

from datetime import date

import pytest

from recon.period import Period, PeriodError, expand_name, explicit_period, parse_period


@pytest.mark.parametrize(("text", "label", "start", "end"), [
    ("2026-W47", "2026-W47", date(2026, 11, 16), date(2026, 11, 22)),
    ("2026-w01", "2026-W01", date(2025, 12, 29), date(2026, 1, 4)),  # ISO week 1 starts in the old year
    ("2026-W53", "2026-W53", date(2026, 12, 28), date(2027, 1, 3)),  # 2026 has 53 ISO weeks
    ("2026-11", "2026-11", date(2026, 11, 1), date(2026, 11, 30)),
    ("2024-02", "2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2026-12", "2026-12", date(2026, 12, 1), date(2026, 12, 31)),
])
def test_named_periods(text: str, label: str, start: date, end: date) -> None:
    assert parse_period(text, today=date(2026, 11, 26)) == Period(label, start, end)


@pytest.mark.parametrize(("today", "label", "start"), [
    (date(2026, 11, 26), "2026-W47", date(2026, 11, 16)),  # Thursday: the week before this one
    (date(2026, 11, 23), "2026-W47", date(2026, 11, 16)),  # Monday
    (date(2026, 11, 22), "2026-W46", date(2026, 11, 9)),  # Sunday still belongs to W47
    (date(2027, 1, 4), "2026-W53", date(2026, 12, 28)),  # across the year
    (date(2026, 1, 1), "2025-W52", date(2025, 12, 22)),  # 1 Jan 2026 is in 2026-W01
])
def test_last_week_is_the_iso_week_before_the_as_of_week(today: date, label: str, start: date) -> None:
    period = parse_period("last-week", today)
    assert (period.label, period.start) == (label, start)
    assert period.end is not None and period.start is not None and (period.end - period.start).days == 6
    assert period.start.isoweekday() == 1


@pytest.mark.parametrize(("today", "label", "end"), [
    (date(2026, 11, 24), "2026-10", date(2026, 10, 31)),
    (date(2026, 1, 15), "2025-12", date(2025, 12, 31)),
    (date(2026, 3, 31), "2026-02", date(2026, 2, 28)),
    (date(2026, 3, 1), "2026-02", date(2026, 2, 28)),
])
def test_last_month(today: date, label: str, end: date) -> None:
    period = parse_period("last-month", today)
    assert (period.label, period.end) == (label, end)
    assert period.start == end.replace(day=1)


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-W54", "2026-W00", "2025-W53", "last-year", "W47",
                                  "2026-11-01", ""])
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(text, date(2026, 11, 26))


def test_explicit_dates_get_a_label_for_file_names() -> None:
    as_of = date(2026, 11, 26)
    assert explicit_period(date(2026, 11, 1), date(2026, 11, 15), as_of) == Period(
        "2026-11-01_2026-11-15", date(2026, 11, 1), date(2026, 11, 15))
    assert explicit_period(date(2026, 11, 1), None, as_of) == Period("2026-11-01_2026-11-26", date(2026, 11, 1), None)
    assert explicit_period(None, date(2026, 11, 15), as_of) == Period("bis_2026-11-15", None, date(2026, 11, 15))
    assert explicit_period(None, None, as_of) == Period("bis_2026-11-26", None, None)


def test_period_placeholder_in_file_names() -> None:
    period = parse_period("2026-W47", date(2026, 11, 26))
    assert expand_name("/srv/reports/recon_{period}.xlsx", period) == "/srv/reports/recon_2026-W47.xlsx"
    assert expand_name("report.xlsx", period) == "report.xlsx"
    assert period.describe() == "16.11.2026 – 22.11.2026 (2026-W47)"
