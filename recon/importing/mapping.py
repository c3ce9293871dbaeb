"""Which column of an unfamiliar CSV is which field: pure functions over a header and a few sample rows.

A column reaches a field in one of three ways, strongest first:
- `alias`: its header is one of the layout's names (case, spacing, umlaut spelling and punctuation aside);
  the importer takes these by itself;
- `suggested`: its name resembles the field's names and its values have the field's shape;
- nothing: the field stays unmapped.

Values have the last word: a column of dates is never proposed for an amount, a column of ids or words never
for an amount, a column of amounts never for an id or a date. A suggestion that another column fits about as
well is `ambiguous`: shown, preselected in the dashboard, but never written to a mapping file silently.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Literal

from recon import i18n
from recon.importing import fields
from recon.importing.layouts import UMLAUTS, Column, Layout, detect_kind, fold_header, normalize_header

How = Literal["alias", "suggested", "ambiguous", "conflict", "missing"]
Shape = Literal["empty", "amount", "number", "date", "datetime", "uuid", "text"]

SAMPLE_ROWS = 50
SUGGEST_AT = 0.55  # the name must resemble the field at least this much (0..1) for a suggestion
AMBIGUOUS_WITHIN = 0.06  # two columns whose scores differ by less are a choice for a human
FIT_AT = 0.5  # a kind whose needed fields are less than half mapped fits the file not at all

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_AMOUNT = re.compile(fields._NUMBER)
_DATE = re.compile(fields._DATE)
_DATETIME = re.compile(fields._DATETIME)
# Words headers use for the same thing; each maps to the word the layouts' aliases use.
_SYNONYMS = {
    "nr": "nummer", "no": "nummer", "number": "nummer", "num": "nummer", "id": "nummer",
    "mwst": "ust", "vat": "ust", "umsatzsteuer": "ust", "steuer": "ust",
    "gross": "brutto", "net": "netto", "date": "datum", "amount": "betrag", "summe": "betrag",
    "fee": "provision", "gebuehr": "provision", "satz": "satz", "rate": "satz", "prozent": "satz",
    "currency": "waehrung", "order": "auftrag", "bestellung": "auftrag", "bestell": "auftrag",
    "verkaufspreis": "bemessungsgrundlage", "preis": "bemessungsgrundlage", "warenwert": "bemessungsgrundlage",
}
# Words that say little on their own (a date, a number, an amount of *something*), and tails compounds are split at.
_GENERIC = frozenset({"datum", "nummer", "betrag", "satz", "art", "von", "bis", "am", "vom", "der", "die", "des",
                      "in", "eur", "euro", "zum"})
_COMPOUND_TAILS = ("datum", "nummer", "betrag", "satz", "art", "nr", "id")
# Value shapes a field's type accepts; anything else vetoes the column (a date-time in a date column and a
# date in a date-time column are tolerated variations, see fields.py).
_ACCEPTS: dict[str, frozenset[str]] = {
    "amount": frozenset({"empty", "amount", "number"}),
    "rate": frozenset({"empty", "amount", "number"}),
    "date": frozenset({"empty", "date", "datetime"}),
    "datetime": frozenset({"empty", "date", "datetime"}),
    "text": frozenset({"empty", "text", "uuid", "number"}),
    "enum": frozenset({"empty", "text"}),
}


@dataclass(frozen=True)
class Sample:
    """The header and the first rows of a file, as text."""

    headers: list[str]
    rows: list[list[str]]

    def values(self, index: int) -> list[str]:
        return [row[index].strip() for row in self.rows if index < len(row) and row[index].strip()]


@dataclass(frozen=True)
class FieldMatch:
    field: str
    needed: bool  # required, or required for some service/document types
    how: How
    column: int | None = None  # the proposed column (for `ambiguous`: the best of the candidates)
    score: float = 0.0
    why: str = ""  # a catalogue key under columns.why.*
    candidates: tuple[int, ...] = ()  # for `ambiguous`: every column in the running


@dataclass(frozen=True)
class Proposal:
    """One kind's reading of a file: per field its column and why, and the columns nothing uses."""

    kind: str
    headers: list[str]
    matches: tuple[FieldMatch, ...]
    unused: tuple[int, ...] = field(default=())

    def match(self, name: str) -> FieldMatch:
        return next(m for m in self.matches if m.field == name)

    @property
    def missing(self) -> list[str]:
        """Needed fields without any column."""
        return [m.field for m in self.matches if m.needed and m.how == "missing"]

    @property
    def ambiguous(self) -> list[FieldMatch]:
        """Fields with a column a person must confirm: several fit, or the name and the values disagree."""
        return [m for m in self.matches if m.how in ("ambiguous", "conflict")]

    @property
    def complete(self) -> bool:
        """Every needed field has a column nobody has to decide on."""
        return not self.missing and not any(m.needed for m in self.ambiguous)

    @property
    def certain(self) -> bool:
        """Every needed field found by name alone: what the importer accepts without a confirmed mapping."""
        return all(m.how == "alias" for m in self.matches if m.needed)

    @property
    def fit(self) -> float:
        """Share of the needed fields that have a column (ambiguous ones count half)."""
        needed = [m for m in self.matches if m.needed]
        if not needed:
            return 0.0
        got = sum(1.0 if m.how in ("alias", "suggested") else 0.0 if m.how == "missing" else 0.5 for m in needed)
        return got / len(needed)

    @property
    def used_share(self) -> float:
        named = [i for i, h in enumerate(self.headers) if h.strip()]
        used = {m.column for m in self.matches if m.column is not None}
        return len(used) / len(named) if named else 0.0

    def chosen(self) -> dict[str, int]:
        """Field -> column for every field with a column (ambiguous ones at their best candidate)."""
        return {m.field: m.column for m in self.matches if m.column is not None}


def read_sample(text: str, rows: int = SAMPLE_ROWS) -> Sample:
    """Header and first rows of decoded CSV text (`;`-separated, quotes as OTTO writes them)."""
    # Twice the rows asked for: blank lines and quoted line breaks still leave enough records.
    records = list(csv.reader(text.splitlines()[: rows * 2 + 1], delimiter=";", quotechar='"'))
    if not records:
        return Sample([], [])
    body = [r for r in records[1:] if any(v.strip() for v in r)][:rows]
    return Sample([h.replace("\ufeff", "").strip() for h in records[0]], body)


def shape(values: Sequence[str]) -> Shape:
    """What a column's values all look like (the most specific shape every value has)."""
    if not values:
        return "empty"
    if all(_DATETIME.match(v) for v in values):
        return "datetime"
    if all(_DATE.match(v) or _DATETIME.match(v) for v in values):
        return "date"
    if all(_UUID.match(v) for v in values):
        return "uuid"
    numbers = [_AMOUNT.match(v) for v in values]
    if all(numbers):
        # An amount has a decimal comma somewhere in the column; digits alone are ids as often as amounts.
        with_comma = any(m is not None and m.group("frac") is not None for m in numbers)
        return "amount" if with_comma else "number"
    return "text"


def _accepts(col: Column, found: Shape, values: Sequence[str]) -> bool:
    """Whether the values can be this field at all (the veto)."""
    if found not in _ACCEPTS[col.type]:
        return False
    if col.type in ("amount", "rate") and found == "number":
        return False  # plain integers: an id as likely as an amount, never guessed
    if col.type == "rate":
        return all(_rate_like(v) for v in values)
    if col.type == "enum":
        allowed = {v.casefold() for v in col.values} | ({"€"} if "EUR" in col.values else set())
        return all(v.casefold() in allowed for v in values)
    return True


def _rate_like(value: str) -> bool:
    m = _AMOUNT.match(value)
    return m is not None and len(m.group("int").replace(".", "")) <= 3


def _words(name: str) -> list[str]:
    """A header's words: folded, compounds split at a generic tail, stemmed, synonyms replaced.

    `Rechnungs-Nr.` -> rechnung, nummer; `Auszahlungsbetrag` -> auszahlung, betrag; `MwSt-Satz` -> ust, satz.
    """
    text = normalize_header(name).translate(UMLAUTS)
    words: list[str] = []
    for raw in re.findall(r"[0-9a-z]+", text):
        word = _SYNONYMS.get(raw, raw)
        tail = next((g for g in _COMPOUND_TAILS if word.endswith(g) and len(word) > len(g) + 2), None)
        parts = [word[: -len(tail)], tail] if tail else [word]
        words += [_SYNONYMS.get(_stem(p), _stem(p)) for p in parts]
    return words


def _stem(word: str) -> str:
    """German compound joints and plural endings aside: rechnungs -> rechnung, retouren -> retour."""
    for end in ("en", "s", "e", "n"):
        if len(word) > 5 and word.endswith(end):
            return word[: -len(end)]
    return word


def _weight(word: str) -> float:
    return 0.3 if word in _GENERIC else 1.0


def _matches(a: str, b: str) -> bool:
    """One word is the other, or a compound holding it (`nettobetrag` holds `netto`)."""
    return a == b or (len(a) >= 4 and len(b) >= 4 and (a in b or b in a))


def name_score(header: str, col: Column) -> float:
    """How much a header resembles a field's names (0..1).

    Mostly shared words, weighted: `Datum`, `Nummer`, `Betrag` say little, `Auszahlung`, `Netto`, `Beleg` much.
    A near-identical spelling (a typo) counts too. An exact name is an alias, not a suggestion (1.0).
    """
    target = fold_header(header)
    if not target:
        return 0.0
    head = _words(header)
    best = 0.0
    for alias in (*col.aliases, col.name.replace("_", " ")):
        folded = fold_header(alias)
        if not folded:
            continue
        if folded == target:
            return 1.0
        typo = SequenceMatcher(None, target, folded).ratio()
        if typo >= 0.88:
            best = max(best, typo)
        names = _words(alias)
        shared = sum(_weight(a) for a in set(names) if any(_matches(h, a) for h in head))
        if shared:
            share = shared / max(sum(_weight(w) for w in set(head)), sum(_weight(w) for w in set(names)))
            best = max(best, 0.35 + 0.6 * min(share, 1.0))
    return min(best, 0.95)


def _value_bonus(col: Column, found: Shape, values: Sequence[str], known_orders: frozenset[str]) -> tuple[float, str]:
    """Evidence from the values alone: ids shaped like ids, order numbers that stored receipts know."""
    if col.name.endswith("item_id") and found == "uuid":
        return 0.35, "uuid"
    if col.name == "order_number" and values and known_orders and all(v in known_orders for v in values):
        return 0.45, "known_orders"
    if col.type in ("amount", "rate") and found == "amount":
        return 0.05, "amount"
    if col.type in ("date", "datetime") and found in ("date", "datetime"):
        return 0.05 + (0.03 if found == col.type else 0.0), found
    if col.type == "enum" and values:
        return 0.3, "enum"
    return 0.0, ""


def _contested(scored: list[tuple[float, str, int, str]], name: str, column: int, score: float,
               assigned: dict[int, float], done: set[str]) -> bool:
    """Whether a human must decide: another column fits this field about as well (unless another field took
    it with a clearly better score), or a field still without a column fits this column about as well."""
    for other_score, other_name, other_column, _ in scored:
        if other_score <= score - AMBIGUOUS_WITHIN:
            continue
        if other_name == name and other_column != column:
            owner = assigned.get(other_column)
            if owner is None or owner - other_score < AMBIGUOUS_WITHIN:
                return True
        if other_column == column and other_name != name and other_name not in done:
            return True
    return False


def _needed(col: Column) -> bool:
    return col.required or bool(col.required_when)


def propose(sample: Sample, layout: Layout, known_orders: Iterable[str] = ()) -> Proposal:
    """The mapping recon proposes for one kind: aliases first, then the best-scoring suggestions."""
    orders = frozenset(known_orders)
    headers = sample.headers
    shapes = {i: shape(sample.values(i)) for i in range(len(headers))}
    taken: dict[int, str] = {}
    result: dict[str, FieldMatch] = {}
    for i, header in enumerate(headers):
        name = layout.field_for_header(header)
        if name is not None and name not in result:
            col = layout.column(name)
            exact = normalize_header(header) in {normalize_header(a) for a in (col.name, *col.aliases)}
            if shapes[i] not in _ACCEPTS[col.type]:  # the name says one field, the values another: a human decides
                result[name] = FieldMatch(name, _needed(col), "conflict", i, 0.0, f"values_{shapes[i]}", (i,))
            else:
                result[name] = FieldMatch(name, _needed(col), "alias", i, 1.0, "alias" if exact else "folded")
            taken[i] = name
    scored: list[tuple[float, str, int, str]] = []
    for col in layout.columns:
        if col.name in result:
            continue
        for i, header in enumerate(headers):
            if i in taken or not fold_header(header):
                continue
            values = sample.values(i)
            if not _accepts(col, shapes[i], values):
                continue
            by_name = name_score(header, col)
            bonus, evidence = _value_bonus(col, shapes[i], values, orders)
            if by_name < SUGGEST_AT and evidence not in ("uuid", "known_orders", "enum"):
                continue
            if by_name < 0.3 and evidence == "enum" and col.name != layout.switch:
                continue
            score = min(by_name, 0.95) + bonus
            why = evidence if evidence in ("uuid", "known_orders", "enum") else "name_" + (evidence or "text")
            scored.append((score, col.name, i, why))
    scored.sort(key=lambda s: (-s[0], s[2]))
    assigned: dict[int, float] = {}  # column -> score of the suggestion that took it
    for score, name, i, why in scored:
        if name in result or i in taken:
            continue
        how: How = "ambiguous" if _contested(scored, name, i, score, assigned, set(result)) else "suggested"
        rivals = sorted({i} | {
            j for s, n, j, _ in scored
            if n == name and score - s < AMBIGUOUS_WITHIN and (j not in assigned or assigned[j] - s < AMBIGUOUS_WITHIN)
        }) if how == "ambiguous" else [i]
        result[name] = FieldMatch(name, _needed(layout.column(name)), how, i, round(score, 3), why, tuple(rivals))
        taken[i] = name
        assigned[i] = score
    matches = tuple(
        result.get(col.name) or FieldMatch(col.name, _needed(col), "missing") for col in layout.columns
    )
    unused = tuple(i for i, h in enumerate(headers) if fold_header(h) and i not in taken)
    return Proposal(layout.kind, headers, matches, unused)


@dataclass(frozen=True)
class Detection:
    """Which kind a header is: the best proposal, and any other kind that fits exactly as well."""

    best: Proposal | None
    tied: tuple[str, ...] = ()
    ranked: tuple[Proposal, ...] = ()


def detect(sample: Sample, layouts: dict[str, Layout], known_orders: Iterable[str] = ()) -> Detection:
    """The kind by its marker columns when they are there, else by the best-fitting layout."""
    orders = frozenset(known_orders)
    ranked = tuple(sorted(
        (propose(sample, layout, orders) for layout in layouts.values()),
        key=lambda p: (-p.fit, -p.used_share, p.kind),
    ))
    marked = detect_kind(sample.headers, layouts)
    if marked is not None:
        return Detection(next(p for p in ranked if p.kind == marked), (), ranked)
    if not ranked or ranked[0].fit < FIT_AT:
        return Detection(None, (), ranked)
    top = ranked[0]
    tied = tuple(p.kind for p in ranked[1:] if p.fit == top.fit and p.used_share == top.used_share)
    return Detection(top, tied, ranked)


def unknown_kind_message(headers: Sequence[str], layouts: dict[str, Layout]) -> str:
    """The importer's words for a header no layout fits (the kinds come from layouts.toml)."""
    shown = ", ".join(f"'{h.strip()}'" for h in headers[:8]) or i18n.t("input.reason.nothing")
    return i18n.t("input.reason.unknown_kind", shown=shown, kinds=", ".join(layouts))


def kind_label(layout: Layout) -> str:
    """`Provisionsrechnung (invoice)`: the catalogue's name where it has one, else the layout's label."""
    key = f"columns.kind.{layout.kind}"
    return f"{i18n.t(key) if i18n.has(key) else layout.label} ({layout.kind})"


def incomplete_message(best: Proposal, layout: Layout) -> str:
    """The importer's words for a header that fits a kind, but not every needed field for certain."""
    hints = []
    for m in best.matches:
        if not m.needed or m.how == "alias":
            continue
        if m.how == "missing":
            hints.append(i18n.t("columns.detect.no_column", field=m.field))
        else:
            shown = " / ".join(f"'{best.headers[i].strip()}'" for i in (m.candidates or (m.column,)) if i is not None)
            hints.append(i18n.t("columns.detect.maybe", field=m.field, columns=shown))
    return i18n.t("columns.detect.incomplete", kind=kind_label(layout), fields="; ".join(hints))
