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


def receipts_page(mutate: Callable[[list[dict[str, object]]], object]) -> bytes:
    resources = json.loads(RECEIPTS, parse_float=Decimal)["resources"]
    mutate(resources)
    return dumps_receipts(resources).encode("utf-8")


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
