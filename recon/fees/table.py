"""The versioned fee table: every fee is a dated entry, never a constant in code.

The shipped reference (`reference.toml`) holds OTTO's published fee model. A seller's own contract goes in
an override file of the same shape: an override entry for the same (kind, category) wins for the dates it
covers, and the reference still applies elsewhere. The engine sees the result as non-overlapping intervals.
"""

from __future__ import annotations

import errno
import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl

from recon import i18n
from recon.fees.tiers import Tier, check_tiers, tiered_commission
from recon.money import percent_of, round_cent
from recon.settings import WEEKDAYS
from recon.settings import ContractSettings as Settings  # the fee table's [settings], declared with the others

KINDS = {"vat": "rate", "shipping_commission": "rate", "base_fee": "net", "commission": "rate",
         "payment_fee": "rate"}
END_OF_TIME = date(9999, 12, 31)


class FeeTableError(ValueError):
    """A fee file that cannot be used; the message names the file and the entry.

    The message comes from the catalogue (`fees.error.*`) in the reader's language: TOML keys (valid_from, rate,
    tiers) stay literal so the reader finds them in the file, a wrong value is quoted as written, and the dates
    of an entry are shown in the reader's format."""


def _error(key: str, /, **params: Any) -> FeeTableError:
    return FeeTableError(i18n.t(f"fees.error.{key}", **params))


@dataclass(frozen=True)
class FeeEntry:
    kind: str
    # The product category of a [[commission]] entry; the delivery-cost type (DELIVERY_FEE_STANDARD, ...) of a
    # [[shipping_commission]] entry that applies to one type only (None: the rate on the sum of all types).
    category: str | None
    value: Decimal | None  # percent for rates, EUR net for the base fee; None for a tiered commission
    valid_from: date
    valid_to: date | None
    source: str = ""
    example: bool = False
    origin: str = "reference"
    tiers: tuple[Tier, ...] = ()  # a tiered commission: each rate on the part of the price inside its tier
    reported: bool = False  # known from trade press or service providers only, not from an OTTO document

    def covers(self, day: date) -> bool:
        return self.valid_from <= day <= (self.valid_to or END_OF_TIME)

    @property
    def rate(self) -> Decimal:
        """The flat value; a tiered entry has none (use `commission_on`)."""
        if self.value is None:
            raise ValueError(f"{self.kind} {self.category} from {self.valid_from} is tiered: it has no single rate")
        return self.value

    def commission_on(self, gross: Decimal) -> Decimal:
        """Net commission on one unit's gross price: the flat rate, or the tiers' marginal sum (rounded once)."""
        return tiered_commission(gross, self.tiers) if self.tiers else percent_of(gross, self.rate)


@dataclass(frozen=True)
class FeeTable:
    name: str
    version: str
    entries: tuple[FeeEntry, ...]  # resolved: no two entries of one (kind, category) overlap
    settings: Settings = field(default_factory=Settings)
    sources: tuple[str, ...] = ()

    def lookup(self, kind: str, on: date, category: str | None = None) -> FeeEntry | None:
        for entry in self.entries:
            if entry.kind == kind and entry.category == category and entry.covers(on):
                return entry
        return None

    def shipping_commission_on(self, parts: dict[str, Decimal], on: date) -> Decimal:
        """Net shipping commission on an order's delivery costs, given per delivery-cost type.

        A type with its own [[shipping_commission]] entry (delivery_cost_type = ...) in force gets that rate,
        every other type the general rate; the exact sum is rounded half-up once, so with no typed entries
        this is the general rate on the sum of all types, as before."""
        general = self.lookup("shipping_commission", on)
        total = Decimal(0)
        for fee_type, gross in parts.items():
            entry = self.lookup("shipping_commission", on, fee_type) or general
            if entry is None:
                raise LookupError(f"no shipping commission rate in force on {on}")
            total += gross * entry.rate / 100
        return round_cent(total)

    def categories(self) -> list[str]:
        return sorted({e.category for e in self.entries if e.kind == "commission" and e.category is not None})

    def schedule(self) -> pl.DataFrame:
        """The table as DuckDB joins it: kind, category, value, valid_from, valid_to (inclusive).

        A tiered commission has value NULL here and its tiers in `tier_schedule()`."""
        return pl.DataFrame(
            {
                "kind": [e.kind for e in self.entries],
                "category": [e.category for e in self.entries],
                "value": [e.value for e in self.entries],
                "valid_from": [e.valid_from for e in self.entries],
                "valid_to": [e.valid_to or END_OF_TIME for e in self.entries],
                "example": [e.example for e in self.entries],
                "origin": [e.origin for e in self.entries],
            },
            schema={"kind": pl.String, "category": pl.String, "value": pl.Decimal(18, 4),
                    "valid_from": pl.Date, "valid_to": pl.Date, "example": pl.Boolean, "origin": pl.String},
        )

    def tier_schedule(self) -> pl.DataFrame:
        """The tiers of every tiered commission, one row per tier: category, validity, tier number (from 1),
        lower bound (exclusive) and upper bound (inclusive, NULL for the open last tier), rate."""
        rows: list[tuple[Any, ...]] = []
        for e in self.entries:
            lower = Decimal("0.00")
            for n, tier in enumerate(e.tiers, start=1):
                rows.append((e.category, e.valid_from, e.valid_to or END_OF_TIME, n, lower, tier.up_to, tier.rate))
                lower = tier.up_to or lower
        return pl.DataFrame(rows, orient="row", schema={
            "category": pl.String, "valid_from": pl.Date, "valid_to": pl.Date, "tier": pl.Int32,
            "lower": pl.Decimal(18, 2), "upper": pl.Decimal(18, 2), "rate": pl.Decimal(18, 4)})


def reference_text() -> str:
    return (resources.files("recon.fees") / "reference.toml").read_text(encoding="utf-8")


def _date(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _error("not_iso_date", where=where, value=repr(value)) from None


def _decimal(value: Any, where: str) -> Decimal:
    if isinstance(value, float):
        raise _error("as_strings", where=where)
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise _error("not_number", where=where, value=repr(value)) from None


def _entries(doc: dict[str, Any], origin: str) -> list[FeeEntry]:
    found = []
    for kind, value_key in KINDS.items():
        for n, raw in enumerate(doc.get(kind, []), start=1):
            where = i18n.t("fees.error.entry", origin=origin_label(origin), kind=kind, n=n)
            has_tiers = kind == "commission" and "tiers" in raw
            if (value_key not in raw and not has_tiers) or "valid_from" not in raw:
                if kind == "commission":
                    raise _error("needs_rate_or_tiers", where=where)
                raise _error("needs_value", where=where, key=value_key)
            category = _entry_category(kind, raw, where)
            valid_from = _date(raw["valid_from"], where)
            valid_to = _date(raw["valid_to"], where) if raw.get("valid_to") else None
            if valid_to is not None and valid_to < valid_from:
                raise _error("valid_to_before", where=where, valid_to=i18n.day(valid_to),
                             valid_from=i18n.day(valid_from))
            if has_tiers:
                value, tiers = None, _tiers(raw, i18n.t("fees.error.entry_tiered", where=where, category=category,
                                                        valid_from=i18n.day(valid_from)))
            else:
                value, tiers = _decimal(raw[value_key], where), ()
            found.append(FeeEntry(kind, category, value, valid_from, valid_to,
                                  str(raw.get("source", "")), bool(raw.get("example", False)), origin,
                                  tiers, bool(raw.get("reported", False))))
    return found


def _entry_category(kind: str, raw: dict[str, Any], where: str) -> str | None:
    """The key an entry is resolved under besides its kind: a product category, or a delivery-cost type."""
    if kind == "commission":
        if not raw.get("category"):
            raise _error("needs_category", where=where)
        return str(raw["category"])
    if kind == "shipping_commission" and raw.get("delivery_cost_type"):
        return str(raw["delivery_cost_type"])
    return None


def _tiers(raw: dict[str, Any], where: str) -> tuple[Tier, ...]:
    """A tier list as written, validated: ascending bounds as strings, rates as strings, the last tier open."""
    if "rate" in raw:
        raise _error("rate_and_tiers", where=where)
    listed = raw["tiers"]
    if not isinstance(listed, list) or not all(isinstance(t, dict) for t in listed):
        raise _error("tiers_not_list", where=where)
    tiers = []
    for n, tier in enumerate(listed, start=1):
        at = i18n.t("fees.error.tier", where=where, n=n)
        unknown = set(tier) - {"up_to", "rate"}
        if unknown:
            raise _error("tier_unknown_keys", where=at, keys=", ".join(sorted(unknown)))
        if "rate" not in tier:
            raise _error("tier_needs_rate", where=at)
        up_to = _decimal(tier["up_to"], f"{at}: up_to") if "up_to" in tier else None
        tiers.append(Tier(up_to, _decimal(tier["rate"], f"{at}: rate")))
    wrong = check_tiers(tuple(tiers))
    if wrong is not None:
        raise _error("tier_problem", where=where, problem=wrong)
    return tuple(tiers)


def _check_no_overlap(entries: list[FeeEntry], origin: str) -> None:
    by_key: dict[tuple[str, str | None], list[FeeEntry]] = {}
    for e in entries:
        by_key.setdefault((e.kind, e.category), []).append(e)
    for (kind, category), group in by_key.items():
        group.sort(key=lambda e: e.valid_from)
        for a, b in zip(group, group[1:], strict=False):
            if (a.valid_to or END_OF_TIME) >= b.valid_from:
                label = f"{kind} {category}" if category else kind
                raise _error("overlap", origin=origin, label=label, first=i18n.day(a.valid_from),
                             second=i18n.day(b.valid_from))


def _resolve(reference: list[FeeEntry], override: list[FeeEntry]) -> list[FeeEntry]:
    """Reference entries, cut back wherever an override entry of the same key covers the dates."""
    result = list(override)
    for ref in reference:
        pieces = [ref]
        for ov in override:
            if (ov.kind, ov.category) != (ref.kind, ref.category):
                continue
            next_pieces = []
            for piece in pieces:
                start, end = piece.valid_from, piece.valid_to or END_OF_TIME
                ov_end = ov.valid_to or END_OF_TIME
                if ov_end < start or ov.valid_from > end:
                    next_pieces.append(piece)
                    continue
                if piece.valid_from < ov.valid_from:
                    next_pieces.append(replace(piece, valid_to=ov.valid_from - timedelta(days=1)))
                if ov_end < end:
                    next_pieces.append(replace(piece, valid_from=ov_end + timedelta(days=1)))
            pieces = next_pieces
        result += pieces
    return sorted(result, key=lambda e: (e.kind, e.category or "", e.valid_from))


def _settings(docs: list[dict[str, Any]]) -> Settings:
    merged: dict[str, Any] = {}
    for doc in docs:
        merged.update(doc.get("settings", {}))
    known = set(Settings.__dataclass_fields__)
    unknown = set(merged) - known
    if unknown:
        raise _error("unknown_settings", names=", ".join(sorted(unknown)))
    for key in ("settlement_weekday", "invoice_weekday"):
        if key in merged and str(merged[key]).lower() not in WEEKDAYS:
            raise _error("not_weekday", key=key, value=repr(merged[key]))
        if key in merged:
            merged[key] = str(merged[key]).lower()
    if merged.get("payment_account_live"):
        merged["payment_account_live"] = _date(merged["payment_account_live"],
                                               i18n.t("fees.error.setting", key="payment_account_live"))
    return Settings(**merged)


_TOML_AT = re.compile(r"(?P<detail>.*) \(at line (?P<line>\d+), column (?P<column>\d+)\)", re.DOTALL)
_TOML_END = re.compile(r"(?P<detail>.*) \(at end of document\)", re.DOTALL)


def origin_label(origin: str) -> str:
    """How an entry's origin reads: the shipped table by name, an override by its file name or version."""
    return i18n.t("fees.error.origin_reference") if origin == "reference" else origin


def parse_toml(text: str, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(origin, str(exc)) from None


def _toml_error(origin: str, message: str) -> FeeTableError:
    """tomllib's message split into its own words and the place (Python 3.11 gives no line/column attributes)."""
    at = _TOML_AT.fullmatch(message)
    if at:
        return _error("not_toml_at", origin=origin, detail=at["detail"], line=at["line"], column=at["column"])
    end = _TOML_END.fullmatch(message)
    if end:
        return _error("not_toml_end", origin=origin, detail=end["detail"])
    return _error("not_toml", origin=origin, detail=message)


def load_fee_table(override_text: str | None = None, override_name: str = "override") -> FeeTable:
    """The reference table, with a seller's override (the text of a TOML file) on top."""
    ref_doc = parse_toml(reference_text(), "reference.toml")
    reference = _entries(ref_doc, "reference")
    _check_no_overlap(reference, "reference.toml")
    docs = [ref_doc]
    override: list[FeeEntry] = []
    meta = ref_doc.get("meta", {})
    if override_text is not None:
        ov_doc = parse_toml(override_text, override_name)
        override = _entries(ov_doc, override_name)
        _check_no_overlap(override, override_name)
        docs.append(ov_doc)
        meta = {**meta, **ov_doc.get("meta", {})}
    return FeeTable(
        name=str(meta.get("name", "Gebührentabelle")),
        version=str(meta.get("version", "")),
        entries=tuple(_resolve(reference, override)),
        settings=_settings(docs),
        sources=tuple(str(s) for s in meta.get("sources", [])),
    )


def read_failure(exc: OSError) -> str:
    """Why a fee file cannot be read, in the reader's language for the usual reasons, else the system's words."""
    name = errno.errorcode.get(exc.errno or 0, "")
    key = f"fees.error.os.{name}"
    return i18n.t(key) if name and i18n.has(key) else str(exc.strerror or exc)


def load_fee_file(path: Path) -> FeeTable:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise _error("cannot_read", path=path, reason=read_failure(exc)) from None
    return load_fee_table(text, path.name)
