"""One time zone for every timestamp a person reads: German local time (Europe/Berlin), labelled.

The database stores instants (TIMESTAMPTZ); log lines, `recon sources`, the summary and the workbook all
show them through `stamp`, so a log prefix and an import time can be compared without guessing the zone.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from recon import i18n

BERLIN = ZoneInfo("Europe/Berlin")
_GERMAN_ZONE_NAMES = {"CET": "MEZ", "CEST": "MESZ"}


def now() -> datetime:
    """The current instant in German local time (aware)."""
    return datetime.now(BERLIN)


def berlin(moment: datetime) -> datetime:
    """An instant in German local time; a naive value is taken as German local time already."""
    return moment.replace(tzinfo=BERLIN) if moment.tzinfo is None else moment.astimezone(BERLIN)


def zone_name(moment: datetime, language: str | None = None) -> str:
    """MEZ / MESZ (de) or CET / CEST (en) for that instant."""
    name = berlin(moment).tzname() or "CET"
    return _GERMAN_ZONE_NAMES.get(name, name) if (language or i18n.lang()) == "de" else name


def stamp(moment: datetime, language: str | None = None) -> str:
    """'01.12.2026 23:10:05 MEZ' (de) / '2026-12-01 23:10:05 CET' (en)."""
    local = berlin(moment)
    german = (language or i18n.lang()) == "de"
    text = local.strftime("%d.%m.%Y %H:%M:%S" if german else "%Y-%m-%d %H:%M:%S")
    return f"{text} {zone_name(local, language)}"
