"""The declarative column layouts (`layouts.toml`): header matching and kind detection."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

FieldType = Literal["text", "enum", "date", "datetime", "amount", "rate"]
CSV_KINDS = ("invoice", "correction", "payout")
USER_ALIASES = "_user_aliases"  # merged spec only: the aliases a user's file added, matched before the rest


@dataclass(frozen=True)
class Column:
    name: str
    type: FieldType
    aliases: tuple[str, ...]
    required: bool = False
    required_when: tuple[str, ...] = ()
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Layout:
    kind: str
    label: str
    table: str
    columns: tuple[Column, ...]
    detect_all: tuple[str, ...]
    detect_none: tuple[str, ...]
    document_number: str
    same_in_file: tuple[str, ...]
    amount_total: str
    switch: str
    _by_alias: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    ignored: frozenset[str] = frozenset()  # folded headers a mapping keeps as extra columns, whatever they say

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def field_for_header(self, header: str) -> str | None:
        key = fold_header(header)
        return None if key in self.ignored else self._by_alias.get(key)


def normalize_header(header: str) -> str:
    """Headers match case- and white-space-insensitively (a BOM or quotes left over do not count)."""
    text = header.replace("\ufeff", "").strip().strip('"').strip()
    return re.sub(r"\s+", " ", text).casefold()


UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def fold_header(header: str) -> str:
    """The key a header is matched by: also blind to umlaut spelling and punctuation.

    `Fälligkeitsdatum`, `Faelligkeitsdatum` and `FAELLIGKEITS-DATUM` are one name; so are `Rechnungs-Nr.`
    and `Rechnungsnr`. Only letters and digits count, so no alias of one field can hide behind another's.
    """
    return re.sub(r"[^0-9a-z]+", "", normalize_header(header).translate(UMLAUTS))


def _layout(kind: str, spec: dict[str, Any]) -> Layout:
    columns = tuple(
        Column(
            name=name,
            type=col["type"],
            aliases=tuple(col.get("aliases", [])),
            required=bool(col.get("required", False)),
            required_when=tuple(col.get("required_when", [])),
            values=tuple(col.get("values", [])),
        )
        for name, col in spec["columns"].items()
    )
    by_alias: dict[str, str] = {}
    # A user's own names (a --columns file, a saved mapping) decide first, so a header they assign to one
    # field is never taken by a reference alias of another.
    for name, col in spec["columns"].items():
        for alias in col.get(USER_ALIASES, []):
            by_alias.setdefault(fold_header(alias), name)
    for col in columns:
        for alias in (col.name, *col.aliases):
            by_alias.setdefault(fold_header(alias), col.name)
    return Layout(
        kind=kind,
        label=spec["label"],
        table=spec["table"],
        columns=columns,
        detect_all=tuple(spec["detect_all"]),
        detect_none=tuple(spec.get("detect_none", [])),
        document_number=spec["document_number"],
        same_in_file=tuple(spec.get("same_in_file", [])),
        amount_total=spec["amount_total"],
        switch=spec["switch"],
        _by_alias=by_alias,
        ignored=frozenset(fold_header(h) for h in spec.get("ignore_headers", [])),
    )


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """A user's layout file adds aliases (first) and may change any other setting of a column."""
    merged = {kind: {**spec, "columns": {k: dict(v) for k, v in spec["columns"].items()}}
              for kind, spec in base.items()}
    for kind, spec in extra.items():
        if kind not in merged:
            raise ValueError(f"unknown file kind {kind!r} in column layout file")
        for key, value in spec.items():
            if key != "columns":
                merged[kind][key] = value
        for name, col in spec.get("columns", {}).items():
            if name not in merged[kind]["columns"]:
                raise ValueError(f"unknown field {kind}.{name} in column layout file")
            target = merged[kind]["columns"][name]
            for key, value in col.items():
                if key == "aliases":
                    target["aliases"] = list(value) + list(target.get("aliases", []))
                    target[USER_ALIASES] = list(value) + list(target.get(USER_ALIASES, []))
                else:
                    target[key] = value
    return merged


@cache
def _reference() -> dict[str, Any]:
    text = (resources.files("recon.importing") / "layouts.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def load_layouts(extra_file: Path | None = None, *extra_texts: str) -> dict[str, Layout]:
    """The reference layouts, plus a user's alias file where given, plus mapping texts (saved mappings)."""
    spec = _reference()
    if extra_file is not None:
        with extra_file.open("rb") as handle:
            spec = _merge(spec, tomllib.load(handle))
    for text in extra_texts:
        spec = _merge(spec, tomllib.loads(text))
    return {kind: _layout(kind, spec[kind]) for kind in CSV_KINDS}


def detect_kind(headers: list[str], layouts: dict[str, Layout]) -> str | None:
    """The kind whose identifying columns the header carries (correction before invoice, as formats.md says)."""
    for kind in ("correction", "payout", "invoice"):
        layout = layouts[kind]
        present = {layout.field_for_header(h) for h in headers} - {None}
        if all(f in present for f in layout.detect_all) and not any(
            _header_names(layouts, f, headers) for f in layout.detect_none
        ):
            return kind
    return None


def _header_names(layouts: dict[str, Layout], field_name: str, headers: list[str]) -> list[str]:
    """Headers that any layout maps to `field_name` (detect_none may name another kind's field)."""
    return [h for h in headers for lay in layouts.values() if lay.field_for_header(h) == field_name]
