"""Typed parsing of CSV fields as polars expressions: each gives a value and, per row, a reason or null.

Everything stays vectorised, so a million lines are validated without one Python object per row.
Amounts go from German text (`1.234,56`, `-12,30`, `12,30-`, `12,30 €`) straight to `pl.Decimal`: never float.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl

from recon import i18n
from recon.importing.layouts import Column
from recon.importing.numbers import INVISIBLE_PATTERN, is_identifier

AMOUNT_DTYPE = pl.Decimal(18, 2)
RATE_DTYPE = pl.Decimal(9, 4)
AMOUNT_DECIMALS = 2
RATE_DECIMALS = 4
MAX_AMOUNT = Decimal("9999999999999999.99")  # the largest DECIMAL(18,2): amounts and a file's total
# A reason that starts with this (NUL never survives decoding) carries the raw value of a number with an invisible
# character; `csv_kinds` turns it into the message, naming the character (polars has no Unicode names).
INVISIBLE_MARK = "\x00invisible:"

# optional leading currency, sign, digits with optional thousands dots, decimal comma, trailing minus, optional
# currency: `-1.234,56`, `12,30-`, `12,30 €`, `12,30 EUR`, `EUR 12,30`, `€ -5,00`
_NUMBER = (
    r"^\s*(?:(?:€|(?i:eur))\s*)?(?P<sign>[+-]?)(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<frac>\d+))?"
    r"\s*(?P<trail>-?)\s*(?:€|(?i:eur))?\s*$"
)
_DATE = r"^\d{1,2}\.\d{1,2}\.\d{4}$"
_DATE_2Y = r"^\d{1,2}\.\d{1,2}\.\d{2}(?:\s|$)"
_DATETIME = r"^\d{1,2}\.\d{1,2}\.\d{4} \d{1,2}:\d{2}(?::\d{2})?$"
_TIME_OF_DAY = r"\s+\d{1,2}:\d{2}(?::\d{2})?$"


@dataclass(frozen=True)
class Parsed:
    value: pl.Expr
    error: pl.Expr  # a reason string, or null where the value is fine (or legitimately empty)
    stage: tuple[pl.Expr, ...] = ()  # columns to compute first (value and error refer to them by name)


def _quoted(raw: pl.Expr) -> pl.Expr:
    return pl.lit("'") + raw + pl.lit("'")


def _say(key: str, value: pl.Expr, **params: Any) -> pl.Expr:
    """The catalogue's reason `input.reason.<key>` around a per-row `{value}` (polars builds the text)."""
    before, _, after = i18n.t(f"input.reason.{key}", value="\0", **params).partition("\0")
    return pl.lit(before) + value + pl.lit(after)


def text(raw: pl.Expr) -> Parsed:
    value = raw.str.strip_chars()
    return Parsed(pl.when(value == "").then(None).otherwise(value), pl.lit(None, pl.String))


def identifier(raw: pl.Expr) -> Parsed:
    """A document, order or position number: text, but never with a control or invisible character in it."""
    plain = text(raw)
    hidden = plain.value.str.contains(INVISIBLE_PATTERN).fill_null(False)
    return Parsed(
        pl.when(hidden).then(None).otherwise(plain.value),
        pl.when(hidden).then(pl.lit(INVISIBLE_MARK) + plain.value).otherwise(None),
    )


def enum(raw: pl.Expr, col: Column) -> Parsed:
    """Known values only; matched case-insensitively and stored in their canonical spelling."""
    cleaned = raw.str.strip_chars()
    mapping = {v.casefold(): v for v in col.values}
    if "EUR" in col.values:
        mapping["€"] = "EUR"  # the sign for the code: a variation, not an error
    value = cleaned.str.to_lowercase().replace_strict(mapping, default=None, return_dtype=pl.String)
    allowed = ", ".join(col.values)
    error = (
        pl.when(cleaned.is_not_null() & (cleaned != "") & value.is_null())
        .then(_say("unknown_value", _quoted(cleaned), allowed=allowed))
        .otherwise(None)
    )
    return Parsed(value, error)


def _number(raw: pl.Expr, decimals: int, dtype: pl.Decimal, what: str, tmp: str) -> Parsed:
    """One regex pass per column (staged into `tmp`); the value and the reason read its groups."""
    parts = pl.col(tmp)
    sign, digits, frac, trail = (parts.struct.field(g) for g in ("sign", "int", "frac", "trail"))
    shown = _quoted(raw.str.strip_chars())
    present = raw.str.strip_chars().fill_null("") != ""
    well_formed = (digits.is_not_null() & ((sign == "") | (trail == ""))).fill_null(False)
    fraction_len = frac.str.len_chars().fill_null(0)
    ok = present & well_formed & (fraction_len <= decimals)
    plain = digits.str.replace_all(".", "", literal=True) + pl.lit(".") + frac.fill_null("0")
    signed = pl.when((sign == "-") | (trail == "-")).then(pl.lit("-") + plain).otherwise(plain)
    value = pl.when(ok).then(signed).otherwise(None).cast(dtype, strict=False)
    error = (
        pl.when(present & ~well_formed)
        .then(_say(f"not_{what}", shown))
        .when(present & (fraction_len > decimals))
        .then(_say(f"{what}_decimals", shown, decimals=decimals))
        .when(ok & value.is_null())
        .then(_say(f"{what}_too_large", shown))
        .otherwise(None)
    )
    return Parsed(value, error, (raw.str.extract_groups(_NUMBER).alias(tmp),))


def amount(raw: pl.Expr, tmp: str = "__amount") -> Parsed:
    return _number(raw, AMOUNT_DECIMALS, AMOUNT_DTYPE, "amount", tmp)


def rate(raw: pl.Expr, tmp: str = "__rate") -> Parsed:
    return _number(raw, RATE_DECIMALS, RATE_DTYPE, "rate", tmp)


def date(raw: pl.Expr) -> Parsed:
    """DD.MM.YYYY; a date-time is a tolerated variation: its (German local) date is kept, the time dropped."""
    stripped = raw.str.strip_chars()
    cleaned = (pl.when(stripped.str.contains(_DATETIME)).then(stripped.str.replace(_TIME_OF_DAY, ""))
               .otherwise(stripped))
    present = cleaned.is_not_null() & (cleaned != "")
    shaped = cleaned.str.contains(_DATE)
    value = pl.when(shaped).then(cleaned).otherwise(None).str.strptime(pl.Date, "%d.%m.%Y", strict=False)
    error = (
        pl.when(present & cleaned.str.contains(_DATE_2Y))
        .then(_say("two_digit_year", _quoted(cleaned)))
        .when(present & ~shaped)
        .then(_say("not_date", _quoted(cleaned)))
        .when(present & value.is_null())
        .then(_say("no_such_day", _quoted(cleaned)))
        .otherwise(None)
    )
    return Parsed(value, error)


def datetime_berlin(raw: pl.Expr) -> Parsed:
    """German local time (Europe/Berlin) to an instant in UTC; seconds are optional, a date alone is 00:00."""
    stripped = raw.str.strip_chars()
    cleaned = pl.when(stripped.str.contains(_DATE)).then(stripped + pl.lit(" 00:00:00")).otherwise(stripped)
    present = cleaned.is_not_null() & (cleaned != "")
    shaped = cleaned.str.contains(_DATETIME)
    with_seconds = pl.when(cleaned.str.count_matches(":") == 1).then(cleaned + pl.lit(":00")).otherwise(cleaned)
    local = (
        pl.when(shaped).then(with_seconds).otherwise(None)
        .str.strptime(pl.Datetime("us"), "%d.%m.%Y %H:%M:%S", strict=False)
    )
    value = local.dt.replace_time_zone(
        "Europe/Berlin", ambiguous="earliest", non_existent="null"
    ).dt.convert_time_zone("UTC")
    error = (
        pl.when(present & cleaned.str.contains(_DATE_2Y))
        .then(_say("two_digit_year_time", _quoted(cleaned)))
        .when(present & ~shaped)
        .then(_say("not_datetime", _quoted(cleaned)))
        .when(present & local.is_null())
        .then(_say("no_such_datetime", _quoted(cleaned)))
        .when(present & value.is_null())
        .then(_say("no_such_local_time", _quoted(cleaned)))
        .otherwise(None)
    )
    return Parsed(value, error)


def parse(raw: pl.Expr, col: Column, tmp: str) -> Parsed:
    """Parser for a column's type; `tmp` names the helper column its stage may compute."""
    if col.type == "text":
        return identifier(raw) if is_identifier(col.name) else text(raw)
    if col.type == "enum":
        return enum(raw, col)
    if col.type == "amount":
        return amount(raw, tmp)
    if col.type == "rate":
        return rate(raw, tmp)
    if col.type == "date":
        return date(raw)
    if col.type == "datetime":
        return datetime_berlin(raw)
    raise ValueError(f"unknown field type {col.type!r} for {col.name}")


def plain_pattern(col: Column) -> str | None:
    """For an amount or rate column: the shape of its usual values (`-1.234,56`, `12,30`: a sign only in front,
    no currency, no blanks around). A column whose every value has it is read by `plain_value`, without the
    regex groups and reasons of the general parser; None for other types."""
    dtype = {"amount": AMOUNT_DTYPE, "rate": RATE_DTYPE}.get(col.type)
    if dtype is None:
        return None
    return rf"^(?:-?(?:\d{{1,3}}(?:\.\d{{3}})+|\d+),\d{{1,{dtype.scale}}})?$"


def plain_value(raw: pl.Expr, col: Column) -> pl.Expr:
    """The value `parse` gives a text of `plain_pattern`'s shape (null for a blank one, or one too large: then
    the row is looked at again by `parse`, which names the reason)."""
    dtype = AMOUNT_DTYPE if col.type == "amount" else RATE_DTYPE
    text = raw.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True)
    return pl.when(raw.str.len_bytes() > 0).then(text).otherwise(None).cast(dtype, strict=False)
