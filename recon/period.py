"""Report periods: `last-week`, `last-month`, `YYYY-MM`, `YYYY-Www`, or explicit dates, each with a label.

Scheduled jobs run the same command line every week; the period is relative to "today" (or --as-of) and
its label goes into the output file name (`recon_{period}.xlsx` -> `recon_2026-W47.xlsx`), so one cron line
keeps a folder of dated reports without any shell date arithmetic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from recon import i18n

PERIOD_HELP = "last-week, last-month, YYYY-MM, YYYY-Www"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$", re.IGNORECASE)


class PeriodError(ValueError):
    """A period text that is none of the accepted forms."""


@dataclass(frozen=True)
class Period:
    """A reporting period, the one type of the command line, the reports and the dashboard.

    start/end None means open (from the first / up to the last document). `as_of` is the day due dates are
    judged against when the period carries it (the dashboard's "as of"); None means today.
    """

    label: str
    start: date | None
    end: date | None
    as_of: date | None = None
    # The first / last day the data of an open period covers (`with_data_span`): shown instead of
    # "Beginn" / "Ende", so "everything" reads as the real dates it spans.
    first_day: date | None = None
    last_day: date | None = None

    @property
    def shown_start(self) -> date | None:
        """The start, or for an open start the first day of the data (None when there is no data)."""
        return self.start or self.first_day

    @property
    def shown_end(self) -> date | None:
        """The end, or for an open end the last day of the data up to as-of (None when there is no data)."""
        return self.end or self.last_day

    def today(self) -> date:
        """The as-of day, else the real date."""
        return self.as_of or date.today()

    def describe(self) -> str:
        """Display form in the reader's language, e.g. '16.11.2026 – 22.11.2026 (2026-W47)'."""
        start = i18n.day(self.shown_start) if self.shown_start else i18n.t("summary.start")
        end = i18n.day(self.shown_end) if self.shown_end else i18n.t("summary.end")
        return f"{start} – {end} ({self.label})"


def iso_week(year: int, week: int) -> Period:
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise PeriodError(i18n.t("cli.period.not_a_week", week=f"{year}-W{week:02d}")) from None
    return Period(f"{year}-W{week:02d}", monday, monday + timedelta(days=6))


def month(year: int, number: int) -> Period:
    if not 1 <= number <= 12:
        raise PeriodError(i18n.t("cli.period.not_a_month", month=f"{year}-{number:02d}"))
    first = date(year, number, 1)
    following = date(year + number // 12, number % 12 + 1, 1)
    return Period(f"{year}-{number:02d}", first, following - timedelta(days=1))


def parse_period(text: str, today: date) -> Period:
    """The period a --period value names; `last-*` counts back from `today` (the as-of day)."""
    value = text.strip()
    if value == "last-week":
        year, week, _ = (today - timedelta(days=7)).isocalendar()
        return iso_week(year, week)
    if value == "last-month":
        previous = today.replace(day=1) - timedelta(days=1)
        return month(previous.year, previous.month)
    if m := _WEEK.match(value):
        return iso_week(int(m[1]), int(m[2]))
    if m := _MONTH.match(value):
        return month(int(m[1]), int(m[2]))
    raise PeriodError(i18n.t("cli.period.not_a_period", value=repr(text), forms=PERIOD_HELP))


def explicit_period(date_from: date | None, date_to: date | None, as_of: date) -> Period:
    """The period of --from/--to; its label names the dates (an open end is shown as the as-of day)."""
    if date_from is None and date_to is None:
        return Period(f"bis_{as_of.isoformat()}", None, None)
    if date_from is None:
        assert date_to is not None
        return Period(f"bis_{date_to.isoformat()}", None, date_to)
    end_label = (date_to or as_of).isoformat()
    return Period(f"{date_from.isoformat()}_{end_label}", date_from, date_to)


def with_data_span(period: Period, first_day: date | None, last_day: date | None) -> Period:
    """The period with the days its data covers; an open period is relabelled with them
    (`2026-07-01_bis_2026-09-30`), so `recon_{period}.xlsx` names the real span. A period with both ends
    keeps its label (a scheduled `2026-W47` stays that), and without data nothing changes."""
    if first_day is None or last_day is None:
        return period
    spanned = replace(period, first_day=first_day, last_day=last_day)
    if period.start is not None and period.end is not None:
        return spanned
    start, end = spanned.shown_start, spanned.shown_end
    assert start is not None and end is not None
    return replace(spanned, label=f"{start.isoformat()}_bis_{end.isoformat()}")


def expand_name(template: str, period: Period) -> str:
    """Put the period label where a file name says `{period}`; other text stays as it is."""
    return template.replace("{period}", period.label)
