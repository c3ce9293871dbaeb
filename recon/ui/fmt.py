"""Display forms for the dashboard in the reader's language: 1.234,56 €, 14,87 %, 12.11.2026 (German, the
default) or EUR 1,234.56, 14.87%, 2026-11-12 (RECON_LANG=en), all through recon.i18n.

Numbers are formatted here, in Python from Decimal, and handed to the browser as text, so what the
accountant reads never went through a float and never depends on the browser's locale.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import polars as pl

from recon import i18n
from recon.money import round_cent

DASH = "–"


def eur(value: Decimal | None) -> str:
    """1.234,56 € (a dash for no amount)."""
    return DASH if value is None else i18n.money(Decimal(value))


def signed_eur(value: Decimal | None) -> str:
    """+1.234,56 € / -1.234,56 € / 0,00 €: differences, where the sign is the message."""
    if value is None:
        return DASH
    text = i18n.money(Decimal(value))
    return "+" + text if round_cent(Decimal(value)) > 0 else text


def number_de(value: Decimal | None) -> str:
    """1.234,56 without the currency sign: how amounts appear in OTTO's CSV files."""
    if value is None:
        return ""
    return i18n.number(Decimal(value))


def percent_de(value: Decimal | None, places: int = 2) -> str:
    """14,87 %."""
    if value is None:
        return DASH
    return i18n.number(Decimal(value), places) + (" %" if i18n.lang() == "de" else "%")


def date_de(value: date | datetime | None) -> str:
    return i18n.day(value)


def plural(count: int, noun: str) -> str:
    """'1 Abweichung', '2 Abweichungen': `noun` names a pair ui.count.NOUN.one / .many in the catalogue."""
    return i18n.counted(f"ui.count.{noun}", count)


def raw_de(value: Any) -> str:
    """A stored value as the source file would show it: decimal comma, German dates, empty for null."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return i18n.t("common.yes") if value else i18n.t("common.no")
    if isinstance(value, Decimal):
        return number_de(value) if value == round_cent(value) else str(value).replace(".", ",")
    if isinstance(value, date | datetime):
        return date_de(value)
    return str(value)


def display_frame(frame: pl.DataFrame, *, money: Iterable[str] = (), signed: Iterable[str] = (),
                  dates: Iterable[str] = (), percent: Iterable[str] = (),
                  rename: dict[str, str] | None = None) -> pl.DataFrame:
    """The frame with its money, date and percent columns turned into German text, ready to show.

    Only for frames that are already small (aggregates, one page of rows): it runs per value.
    """
    out = frame
    for name, fn in ([(c, eur) for c in money] + [(c, signed_eur) for c in signed]
                     + [(c, date_de) for c in dates] + [(c, percent_de) for c in percent]):
        if name in out.columns:
            out = out.with_columns(pl.Series(name, [fn(v) for v in out[name].to_list()], dtype=pl.String))
    return out.rename(rename) if rename else out
