"""Property tests for hardened input (issue 15): quoting, Unicode in document numbers, JSON structure and value
types. Most run below the database (the reader or parser alone), so they are cheap enough for many examples;
the two that import check the database too.

Examples per test in CI are in EXAMPLES (profile "ci", see tests/conftest.py); with test_fuzz.py the suite runs
more than 1,000.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import unicodedata
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from recon.importing import import_bytes, receipts, receipts_fast
from recon.importing.csv_table import read_table
from recon.importing.numbers import INVISIBLE_CATEGORIES, number_key
from recon.importing.problems import Rejected
from recon.simulate.documents import dumps_receipts
from recon.store import Database, open_database
from recon.store.dump import canonical_hash
from tests.conftest import SAMPLES, fuzz_examples, invoice_csv, invoice_row, table_counts

EXAMPLES = {"number_key": 250, "csv_quoting": 200, "csv_stray_quotes": 150, "numbers_import": 40,
            "json_values": 300, "json_repeated_keys": 100}
SAMPLE = json.loads((SAMPLES / "receipts_2026-10.json").read_bytes(), parse_float=Decimal)["resources"]
_serial = itertools.count(1)


@pytest.fixture(scope="module")
def store() -> Any:
    db = open_database(":memory:")
    yield db
    db.close()


# --- Unicode in document numbers ----------------------------------------------------------------------------------

VISIBLE = st.characters(exclude_categories=("Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp"))
INVISIBLE = st.sampled_from(["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u202e"])


@settings(max_examples=fuzz_examples(EXAMPLES["number_key"]))
@given(text=st.text(VISIBLE, min_size=1, max_size=20), hidden=st.lists(st.tuples(st.integers(0, 20), INVISIBLE),
                                                                        max_size=3))
def test_number_keys_ignore_case_width_and_invisible_characters(text: str, hidden: list[tuple[int, str]]) -> None:
    key = number_key(text)
    assert number_key(key) == key  # a key is its own key
    assert number_key(text.upper()) == number_key(text.lower()) == number_key(text.casefold()) or not text.isascii()
    assert number_key(unicodedata.normalize("NFKC", text)) == key
    spiked = text
    for at, char in hidden:
        spiked = spiked[:at] + char + spiked[at:]
    assert number_key(spiked) == key
    assert not any(unicodedata.category(c) in INVISIBLE_CATEGORIES for c in key)


# --- CSV quoting ----------------------------------------------------------------------------------------------------

CELL = st.lists(st.characters(codec="cp1252", exclude_categories=("Cc", "Cs"), exclude_characters="ÃÂâ")
                | st.sampled_from(['"', ";", "\n", "\r\n", '""', ' "', '" ']), max_size=6).map("".join)


def _quoted_csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", quotechar='"', lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@settings(max_examples=fuzz_examples(EXAMPLES["csv_quoting"]))
@given(width=st.integers(2, 6), data=st.data())
def test_quoted_fields_read_back_exactly_as_written(width: int, data: st.DataObject) -> None:
    header = [f"h{i}" for i in range(width)]
    rows = data.draw(st.lists(st.lists(CELL, min_size=width, max_size=width).filter(
        lambda r: any(c.strip(" ;\r\n") for c in r)), min_size=1, max_size=6))
    table = read_table(_quoted_csv(header, rows))
    got = [[v or "" for v in row] for row in table.frame.drop("__line").rows()]
    kept = [[c.replace("\r\n", "\n") if "\r\n" in c else c for c in r] for r in rows]
    assert [[v.replace("\r\n", "\n") for v in r] for r in got] == kept
    event("multi-line field" if any("\n" in c for r in rows for c in r) else "one line per record")


PLAIN = st.text(st.characters(codec="ascii", categories=("L", "N")), min_size=1, max_size=6)


@settings(max_examples=fuzz_examples(EXAMPLES["csv_stray_quotes"]))
@given(cells=st.lists(PLAIN, min_size=3, max_size=6), data=st.data())
def test_a_quote_inside_an_unquoted_field_is_text_or_the_line_is_rejected_never_shifted(
    cells: list[str], data: st.DataObject
) -> None:
    width = len(cells)
    at = data.draw(st.integers(0, width - 1))
    stray = data.draw(st.sampled_from(['{}"', '{}"x', '{}";x', '{}";"x', 'x"{};"y', '{}"";x"']))
    line = list(cells)
    line[at] = stray.format(cells[at])
    text = ";".join(f"h{i}" for i in range(width)) + "\r\n" + ";".join(cells) + "\r\n" + ";".join(line) + "\r\n"
    try:
        table = read_table(text.encode())
    except Rejected as exc:
        event("rejected")
        assert [p.line for p in exc.problems] == [3]
        return
    event("read")
    rows = table.frame.drop("__line").rows()
    assert list(rows[0]) == cells
    assert list(rows[1]) == line  # exactly the fields written, none shifted or dropped


def _invoice_with_number(number: str) -> bytes:
    return invoice_csv([invoice_row(number=number, n=1), invoice_row(number=number, n=2)], encoding="utf-8")


@settings(max_examples=fuzz_examples(EXAMPLES["numbers_import"]))
@given(stem=st.text(VISIBLE, min_size=1, max_size=8).filter(lambda s: s.strip() and ";" not in s and '"' not in s),
       respell=st.sampled_from(["upper", "lower", "nfkc-wide", "soft hyphen"]))
def test_a_document_number_in_any_spelling_is_stored_once(store: Database, stem: str, respell: str) -> None:
    number = f"PR-{next(_serial):06d}-{stem.strip()}"
    first = import_bytes(store, "a.csv", _invoice_with_number(number))
    assert first.status == "imported", first.problems
    assert store.con.execute("SELECT DISTINCT invoice_number FROM invoice_lines WHERE source_sha256 = ?",
                             [first.sha256]).fetchall() == [(number.strip(),)]
    other = {"upper": number.upper(), "lower": number.lower(),
             "nfkc-wide": number.replace("PR", "ＰＲ"), "soft hyphen": number.replace("-", "-\u00ad", 1)}[respell]
    before, counts = canonical_hash(store), table_counts(store)
    again = import_bytes(store, "b.csv", _invoice_with_number(other))
    if other == number:
        assert again.status == "skipped"
        return
    assert again.status == "rejected", (number, other)
    assert all(p.startswith(("b.csv:2: field 'Rechnungsnummer'", "b.csv:3: field 'Rechnungsnummer'"))
               for p in again.problems)
    assert (canonical_hash(store), table_counts(store)) == (before, counts)


# --- JSON structure and value types ----------------------------------------------------------------------------------

JSON_LEAVES = (
    st.none() | st.booleans() | st.integers(-(10**25), 10**25) | st.text(max_size=8)
    | st.decimals(allow_nan=False, allow_infinity=False, places=3).map(lambda d: d.normalize())
    | st.sampled_from(["", " ", "abc", "19.0", "NaN", "1e30", "EUR", "CHF", "\u00ad", "2026-10-29T09:15:00Z"])
)
JSON_VALUES = JSON_LEAVES | JSON_LEAVES | st.recursive(  # leaves twice as often: most fields hold one
    JSON_LEAVES, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


def _paths(obj: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    if isinstance(obj, dict):
        for k, v in obj.items():
            found += _paths(v, (*path, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            found += _paths(v, (*path, i))
    return found


def _set(obj: Any, path: tuple[Any, ...], value: Any) -> None:
    for step in path[:-1]:
        obj = obj[step]
    obj[path[-1]] = value


def _outcome(data: bytes) -> tuple[str, Any]:
    try:
        staged = receipts._parse_careful(data, None)
    except Rejected as exc:
        return "rejected", [(p.line, p.field) for p in exc.problems]
    return "parsed", (staged.receipts.drop("raw").rows(), staged.lines.rows())


@settings(max_examples=fuzz_examples(EXAMPLES["json_values"]))
@given(data=st.data(), value=JSON_VALUES)
def test_any_value_anywhere_in_a_receipt_is_parsed_or_rejected_and_both_lanes_agree(
    data: st.DataObject, value: Any
) -> None:
    docs = json.loads(json.dumps(SAMPLE, default=str), parse_float=Decimal)
    paths = _paths(docs)
    path = data.draw(st.sampled_from(paths), label="path")
    _set(docs, path, value)
    text = dumps_receipts(docs).encode("utf-8")
    outcome, detail = _outcome(text)  # never any exception but Rejected
    event(f"{outcome} ({type(value).__name__})")
    fast = receipts._parse_fast(text)
    if fast is not None:  # the fast lane took it: then the careful path parses it to the same rows
        assert outcome == "parsed", (path, value, detail)
        assert (fast.receipts.drop("raw").rows(), fast.lines.rows()) == detail
    if outcome == "rejected":
        assert all(line in (1, 2, 3) for line, _ in detail)


@settings(max_examples=fuzz_examples(EXAMPLES["json_repeated_keys"]))
@given(data=st.data(), value=JSON_VALUES)
def test_a_repeated_key_anywhere_is_rejected_in_both_lanes(data: st.DataObject, value: Any) -> None:
    text = dumps_receipts(SAMPLE, indent=None)
    keys = [m for m in range(len(text)) if text.startswith('":', m)]
    end = data.draw(st.sampled_from(keys), label="key end")
    start = text.rindex('"', 0, end)
    key = text[start:end + 1]
    extra = json.dumps(value, default=str, ensure_ascii=False)
    doubled = text[:start] + f"{key}: {extra}, " + text[start:]
    assert json.loads(doubled, parse_float=Decimal) is not None  # still valid JSON
    assert receipts._parse_fast(doubled.encode()) is None
    assert receipts_fast.decode(doubled.encode()) is None
    outcome, detail = _outcome(doubled.encode())
    assert outcome == "rejected", (key, detail)
