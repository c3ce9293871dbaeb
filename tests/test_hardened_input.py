"""Hardened input (issue 15): nothing counted twice, nothing stored wrong, no crash, bounded cost.

Every case is a file a careless or hostile user could hand to `recon import`: rejected ones must name file, line
and field exactly and leave the database as it was (canonical hash and row counts); accepted ones are checked
value by value.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from recon.importing import import_bytes
from recon.importing.numbers import number_key
from recon.simulate.documents import dumps_receipts
from recon.store import Database
from recon.store.dump import canonical_hash
from tests.conftest import SAMPLES, invoice_csv, invoice_row, table_counts

INVOICE_42 = (SAMPLES / "invoice_PR-2026-000042.csv").read_bytes()
RECEIPTS = (SAMPLES / "receipts_2026-10.json").read_bytes()
NUMBER = "PR-2026-000042"


def rejected(db: Database, name: str, data: bytes, kind: str | None = None) -> list[str]:
    """The problem lines of a rejected file, after checking that the database did not change."""
    before, counts = canonical_hash(db), table_counts(db)
    result = import_bytes(db, name, data, kind=kind)
    assert result.status == "rejected", result
    assert (canonical_hash(db), table_counts(db)) == (before, counts)
    return result.problems


def imported(db: Database, name: str, data: bytes) -> dict[str, int]:
    result = import_bytes(db, name, data)
    assert result.status == "imported", result.problems
    return result.rows


class Number(str):
    """A JSON number written exactly as given (`1e30`), where the test writer would quote it."""


def receipts_page(mutate: Callable[[list[dict[str, object]]], object]) -> bytes:
    resources = json.loads(RECEIPTS, parse_float=Decimal)["resources"]
    mutate(resources)
    numbers: list[str] = []

    def mark(value: object) -> object:
        if isinstance(value, Number):
            numbers.append(value)
            return f"@number{len(numbers) - 1}@"
        if isinstance(value, dict):
            return {k: mark(v) for k, v in value.items()}
        return [mark(v) for v in value] if isinstance(value, list) else value

    text = dumps_receipts([mark(r) for r in resources])  # type: ignore[misc]
    for n, number in enumerate(numbers):
        text = text.replace(f'"@number{n}@"', number)
    return text.encode("utf-8")


def _stamp(problems: list[str]) -> list[str]:
    """Problem lines with the import time (which differs per run) replaced by a fixed mark."""
    import re

    return [re.sub(r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}", "<when>", p) for p in problems]


# --- counted twice ---------------------------------------------------------------------------------------------

def test_number_key_normalises_case_width_and_invisible_characters() -> None:
    assert number_key(" pr-2026-000042 ") == "pr-2026-000042"
    assert number_key("ＰＲ－２０２６－００００４２") == "pr-2026-000042"
    assert number_key("PR-2026-\u00ad000042") == "pr-2026-000042"
    assert number_key("PR-2026\u200b-000042") == "pr-2026-000042"
    assert number_key("STRASSE-ß") == "strasse-ss"


@pytest.mark.parametrize(("spelling", "encoding"), [
    ("pr-2026-000042", "cp1252"), ("Pr-2026-000042", "cp1252"), ("ＰＲ-2026-000042", "utf-8"),
])
def test_a_stored_invoice_number_in_another_spelling_is_the_same_document(
    books: Database, spelling: str, encoding: str
) -> None:
    data = INVOICE_42.decode("cp1252").replace(NUMBER, spelling).encode(encoding)
    problems = rejected(books, "again.csv", data)
    assert _stamp(problems) == [
        f"again.csv:2: field 'Rechnungsnummer': commission invoice {spelling} wurde bereits als '{NUMBER}' aus "
        "'invoice_PR-2026-000042.csv' am <when> importiert (dieselbe Nummer, anders geschrieben); ein Beleg wird "
        "nie doppelt gezählt"
    ]


@pytest.mark.parametrize(("char", "named", "encoding"), [
    ("\u00ad", "U+00AD SOFT HYPHEN", "cp1252"),
    ("\u200b", "U+200B ZERO WIDTH SPACE", "utf-8"),
    ("\u2060", "U+2060 WORD JOINER", "utf-8"),
    ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE", "utf-8"),
])
def test_a_number_with_an_invisible_character_is_rejected_naming_it(
    books: Database, char: str, named: str, encoding: str
) -> None:
    spelt = NUMBER[:8] + char + NUMBER[8:]
    data = INVOICE_42.decode("cp1252").replace(NUMBER, spelt).encode(encoding)
    reason = (f"'{NUMBER}' enthält das unsichtbare Zeichen {named} (an Stelle 9); eine Nummer darf nur Zeichen "
              "enthalten, die man sieht")
    assert rejected(books, "hidden.csv", data) == [
        f"hidden.csv:{line}: field 'Rechnungsnummer': {reason}" for line in (2, 3, 4, 5)
    ]


def test_an_invisible_character_in_an_order_number_is_rejected_too(db: Database) -> None:
    data = invoice_csv([invoice_row().replace("ORD-0001", "ORD-\u00ad0001")])
    assert rejected(db, "x.csv", data) == [
        "x.csv:2: field 'Auftragsnummer': 'ORD-0001' enthält das unsichtbare Zeichen U+00AD SOFT HYPHEN (an Stelle 5); "
        "eine Nummer darf nur Zeichen enthalten, die man sieht"
    ]


def test_the_number_is_stored_as_written_and_its_key_beside_it(db: Database) -> None:
    imported(db, "x.csv", invoice_csv([invoice_row(number="Pr-2026-000500")]))
    assert db.con.execute("SELECT DISTINCT invoice_number FROM invoice_lines").fetchall() == [("Pr-2026-000500",)]
    assert db.con.execute("SELECT kind, number_key, number FROM document_keys").fetchall() == [
        ("invoice", "pr-2026-000500", "Pr-2026-000500")]


def test_a_stored_receipt_number_in_another_case_is_the_same_receipt(books: Database) -> None:
    def lower_first(resources: list[dict[str, object]]) -> None:
        resources[:] = [dict(resources[0], receiptNumber="r-de-1001-1")]

    assert rejected(books, "week.json", receipts_page(lower_first)) == [
        "week.json:1: field 'receiptNumber': Beleg r-de-1001-1 wurde bereits als 'R-DE-1001-1' aus "
        "'receipts_2026-10.json' importiert (Position 1; dieselbe Nummer, anders geschrieben); Belege werden "
        "nachträglich nie geändert"
    ]


def test_two_spellings_of_one_receipt_number_in_one_file_are_rejected(db: Database) -> None:
    def twice(resources: list[dict[str, object]]) -> None:
        resources.append(dict(resources[0], receiptNumber="r-de-1001-1"))

    assert rejected(db, "r.json", receipts_page(twice)) == [
        "r.json:4: field 'receiptNumber': receipt r-de-1001-1 appears again with other content (first at position 1)"
    ]


def test_migration_gives_numbers_stored_before_it_their_key(tmp_path: Path) -> None:
    import duckdb

    from recon.store import open_database
    from recon.store.sql import migrations

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                "applied_at TIMESTAMPTZ NOT NULL)")
    for version, name, sql in migrations():
        if version < 5:
            con.execute(sql)
            con.execute("INSERT INTO schema_version VALUES (?, ?, current_timestamp)", [version, name])
    con.execute("INSERT INTO source_files VALUES ('s1', 'a.csv', 'payout', 'utf-8', 1, 1, 0, now(), 'me')")
    con.execute("INSERT INTO payout_lines (source_sha256, source_line, payout_number, payout_date, payout_total, "
                "document_type, document_number, amount, currency) VALUES "
                "('s1', 2, 'AZ-\u00ad7', DATE '2026-11-12', 0, 'Kaufbeleg', 'R-1', 0, 'EUR')")
    con.close()
    db = open_database(path)
    try:
        assert db.con.execute("SELECT kind, number_key, number FROM document_keys").fetchall() == [
            ("payout", "az-7", "AZ-\u00ad7")]
    finally:
        db.close()


# --- receipts stored wrong without a word ------------------------------------------------------------------------

def _item(resources: list[dict[str, object]]) -> dict[str, object]:
    return resources[0]["lineItems"]["itemPositions"][0]  # type: ignore[index]


def _set_item(key: str, value: object) -> Callable[[list[dict[str, object]]], None]:
    def mutate(resources: list[dict[str, object]]) -> None:
        _item(resources)[key] = value
    return mutate


def _set_price(part: str, key: str, value: object) -> Callable[[list[dict[str, object]]], None]:
    def mutate(resources: list[dict[str, object]]) -> None:
        _item(resources)["positionSum"][part][key] = value  # type: ignore[index]
    return mutate


def _set_rate(resources: list[dict[str, object]]) -> None:
    _item(resources)["positionSum"]["taxRate"] = "abc"  # type: ignore[index]


ITEM = "lineItems.itemPositions[0]"
R1 = " (Beleg R-DE-1001-1)"
RECEIPT_CASES = [
    ("other-currency", _set_price("gross", "currency", "CHF"),
     [f"r.json:1: field '{ITEM}.positionSum.gross.currency': Betrag in 'CHF': recon rechnet nur in EUR "
      f"(OTTO Market zahlt in EUR aus){R1}"]),
    ("currency-not-a-string", _set_price("tax", "currency", 978),
     [f"r.json:1: field '{ITEM}.positionSum.tax.currency': Betrag in '978': recon rechnet nur in EUR "
      f"(OTTO Market zahlt in EUR aus){R1}"]),
    ("empty-receipt-number", lambda rs: rs[0].update(receiptNumber=""),
     ["r.json:1: field 'receiptNumber': Wert fehlt (leer)"]),
    ("blank-receipt-number", lambda rs: rs[0].update(receiptNumber="  "),
     ["r.json:1: field 'receiptNumber': Wert fehlt (leer) (Beleg   )"]),
    ("no-position-item-ids", _set_item("positionItemIds", []),
     [f"r.json:1: field '{ITEM}.positionItemIds': keine Positions-IDs: ohne sie fehlt die Position in der "
      f"erwarteten Provision{R1}"]),
    ("empty-position-item-id", _set_item("positionItemIds", [""]),
     [f"r.json:1: field '{ITEM}.positionItemIds[0]': Wert fehlt (leer){R1}"]),
    ("tax-rate-not-a-number", _set_rate,
     [f"r.json:1: field '{ITEM}.positionSum.taxRate': Steuersatz 'abc' ist keine Zahl zwischen 0 und 100{R1}"]),
    ("quantity-more-than-ids", _set_item("quantity", 2),
     [f"r.json:1: field '{ITEM}.quantity': Menge 2, aber 1 Positions-ID(s): es muss eine ID je Stück geben{R1}"]),
    ("quantity-zero", _set_item("quantity", 0),
     [f"r.json:1: field '{ITEM}.quantity': Menge 0 ist nicht größer als 0{R1}"]),
    ("amount-1e30", _set_price("gross", "amount", Number("1e30")),
     [f"r.json:1: field '{ITEM}.positionSum.gross.amount': Betrag 1E+30 ist zu groß (höchstens "
      "9.999.999.999.999.999,99) (receipt R-DE-1001-1)"]),
    ("amount-1e400", _set_price("gross", "amount", Number("1E+400")),
     [f"r.json:1: field '{ITEM}.positionSum.gross.amount': Betrag 1E+400 ist zu groß (höchstens "
      "9.999.999.999.999.999,99) (receipt R-DE-1001-1)"]),
    ("amount-10-to-the-20", _set_price("gross", "amount", 100000000000000000000),
     [f"r.json:1: field '{ITEM}.positionSum.gross.amount': Betrag 100000000000000000000 ist zu groß (höchstens "
      "9.999.999.999.999.999,99) (receipt R-DE-1001-1)"]),
    ("invisible-in-receipt-number", lambda rs: rs[0].update(receiptNumber="R-DE-\u200b1001-1"),
     ["r.json:1: field 'receiptNumber': 'R-DE-1001-1' enthält das unsichtbare Zeichen U+200B ZERO WIDTH SPACE "
      "(an Stelle 6); eine Nummer darf nur Zeichen enthalten, die man sieht (Beleg R-DE-\u200b1001-1)"]),
]


@pytest.mark.parametrize(("mutate", "expected"), [pytest.param(*c[1:], id=c[0]) for c in RECEIPT_CASES])
def test_a_receipt_that_would_be_stored_wrong_is_rejected(
    db: Database, mutate: Callable[[list[dict[str, object]]], object], expected: list[str]
) -> None:
    assert rejected(db, "r.json", receipts_page(mutate)) == expected


@pytest.mark.parametrize(("mutate", "expected"), [pytest.param(*c[1:], id=c[0]) for c in RECEIPT_CASES])
def test_the_fast_lane_never_takes_what_the_careful_path_rejects(
    mutate: Callable[[list[dict[str, object]]], object], expected: list[str]
) -> None:
    from recon.importing import receipts, receipts_fast

    data = receipts_page(mutate)
    assert receipts._parse_fast(data) is None
    halves = receipts_fast.halves(data, 2)  # the big-page lane: each half goes through the fast lane alone
    assert halves is not None
    first, second, offset = halves
    # The byte scans run on the whole file before it is cut in two; what they do not catch, the half catches.
    assert not receipts_fast.safe(data) or receipts._fast_rows(first, 1) is None
    assert receipts._fast_rows(second, offset + 1) is not None  # the other receipts are fine


REPEATED = RECEIPTS.replace(b'"orderNumber": "ORD-1001",', b'"orderNumber": "ORD-1001", "orderNumber": "ORD-9",', 1)


def test_a_receipt_with_a_repeated_key_is_rejected_in_both_lanes(db: Database) -> None:
    from recon.importing import receipts_fast

    assert REPEATED != RECEIPTS
    assert receipts_fast.decode(REPEATED) is None
    assert rejected(db, "r.json", REPEATED) == [
        "r.json:1: field 'orderNumber': der Schlüssel 'orderNumber' steht in diesem Objekt mehrmals: welcher Wert "
        "gilt, ist nicht eindeutig (Beleg R-DE-1001-1)"
    ]


def test_a_repeated_key_deep_inside_or_around_the_receipts_is_rejected(db: Database) -> None:
    deep = RECEIPTS.replace(b'"taxRate": "19.0",', b'"taxRate": "19.0", "taxRate": "7.0",', 1)
    assert rejected(db, "r.json", deep) == [
        f"r.json:1: field '{ITEM}.unitPrice.taxRate': der Schlüssel 'taxRate' steht in diesem Objekt mehrmals: "
        f"welcher Wert gilt, ist nicht eindeutig{R1}"
    ]
    around = b'{"resources": [], ' + RECEIPTS.lstrip()[1:]
    assert rejected(db, "r.json", around) == [
        "r.json:1: field 'resources': der Schlüssel 'resources' steht in diesem Objekt mehrmals: welcher Wert gilt, "
        "ist nicht eindeutig"
    ]


def test_a_repeated_key_in_a_page_big_enough_for_two_processes_goes_the_careful_way() -> None:
    from recon.importing import receipts_fast

    resources = json.loads(RECEIPTS, parse_float=Decimal)["resources"]
    page = dumps_receipts([dict(r, receiptNumber=f"{r['receiptNumber']}-{n}") for n in range(4) for r in resources])
    doubled = page.replace('"links": []', '"links": [], "links": []').encode()
    assert receipts_fast.halves(page.encode(), 2) is not None
    assert receipts_fast.halves(doubled, 2) is None
