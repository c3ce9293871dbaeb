"""The one text catalogue: every sentence a person reads comes from `de.toml` (default) or `en.toml`.

Keys are stable dotted names (`finding.COMMISSION_MISMATCH.label`); placeholders use `str.format` syntax
and receive values already formatted for the language (`money`, `day`, `percent` below), so a message
never shows `1306.89` or `2026-09-05` to a German reader. The language is `RECON_LANG` (`de` or `en`),
German when unset. A missing key is a programming error and raises, so a typo cannot ship silently.
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources
from typing import Any

from recon import settings

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"


def lang() -> str:
    """The language people read, from RECON_LANG; anything unknown falls back to German."""
    return settings.current().lang


@cache
def catalogue(language: str) -> dict[str, str]:
    """All texts of one language as a flat {dotted key: text} mapping."""
    raw = tomllib.loads(resources.files("recon.i18n").joinpath(f"{language}.toml").read_text("utf-8"))
    flat: dict[str, str] = {}

    def walk(prefix: str, node: dict[str, Any]) -> None:
        for name, value in node.items():
            key = f"{prefix}.{name}" if prefix else name
            if isinstance(value, dict):
                walk(key, value)
            else:
                flat[key] = str(value)

    walk("", raw)
    return flat


def t(key: str, /, language: str | None = None, **params: Any) -> str:
    """The text for `key` in the current language, with `params` filled in."""
    text = catalogue(language or lang())[key]
    return text.format(**params) if params else text


def counted(noun: str, count: int, /, language: str | None = None, **params: Any) -> str:
    """'1 Abweichung', '2 Abweichungen': `noun` names a pair NOUN.one / NOUN.many, filled in with `count`."""
    return t(f"{noun}.{'one' if count == 1 else 'many'}", language, count=count, **params)


def has(key: str, language: str | None = None) -> bool:
    return key in catalogue(language or lang())


def _grouped(value: Decimal, places: int, thousands: str, decimal_mark: str) -> str:
    quantum = Decimal(1).scaleb(-places)
    text = f"{Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"
    return text.replace(",", "\0").replace(".", decimal_mark).replace("\0", thousands)


def number(value: Decimal | None, places: int = 2, language: str | None = None) -> str:
    """1.234,56 (de) / 1,234.56 (en); empty for no value."""
    if value is None:
        return ""
    if (language or lang()) == "de":
        return _grouped(value, places, ".", ",")
    return _grouped(value, places, ",", ".")


def money(value: Decimal | None, language: str | None = None) -> str:
    """1.234,56 € (de) / EUR 1,234.56 (en); a dash for no amount."""
    if value is None:
        return "–"
    if (language or lang()) == "de":
        return number(value, 2, "de") + " €"
    text = number(abs(value), 2, "en")
    return ("-" if value < 0 else "") + "EUR " + text


def percent(value: Decimal | None, language: str | None = None) -> str:
    """15 % or 14,5 % (de) / 15% or 14.5% (en): as many decimals as the rate has, at most four."""
    if value is None:
        return "–"
    exponent = Decimal(value).normalize().as_tuple().exponent
    places = max(0, min(4, -exponent)) if isinstance(exponent, int) else 2
    if (language or lang()) == "de":
        return number(value, places, "de") + " %"
    return number(value, places, "en") + "%"


def day(value: date | datetime | None, language: str | None = None) -> str:
    """05.09.2026 (de) / 2026-09-05 (en); a date-time keeps its time of day."""
    if value is None:
        return "–"
    german = (language or lang()) == "de"
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M" if german else "%Y-%m-%d %H:%M")
    return value.strftime("%d.%m.%Y" if german else "%Y-%m-%d")
