"""Hardened input (issue 15): nothing counted twice, nothing stored wrong, no crash, bounded cost.

Every case is a file a careless or hostile user could hand to `recon import`: rejected ones must name file, line
and field exactly and leave the database as it was (canonical hash and row counts); accepted ones are checked
value by value.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from recon.importing import import_bytes
from recon.importing.numbers import number_key
from recon.simulate.documents import dumps_receipts
from recon.store import Database
from recon.store.dump import canonical_hash
from tests.conftest import INVOICE_HEADER, SAMPLES, invoice_csv, invoice_row, table_counts

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
        f"again.csv:2: field 'Rechnungsnummer': Provisionsrechnung {spelling} wurde bereits als '{NUMBER}' aus "
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
        "r.json:4: field 'receiptNumber': Beleg r-de-1001-1 kommt noch einmal mit anderem Inhalt vor "
        "(zuerst an Position 1)"
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
      "9.999.999.999.999.999,99) (Beleg R-DE-1001-1)"]),
    ("amount-1e400", _set_price("gross", "amount", Number("1E+400")),
     [f"r.json:1: field '{ITEM}.positionSum.gross.amount': Betrag 1E+400 ist zu groß (höchstens "
      "9.999.999.999.999.999,99) (Beleg R-DE-1001-1)"]),
    ("amount-10-to-the-20", _set_price("gross", "amount", 100000000000000000000),
     [f"r.json:1: field '{ITEM}.positionSum.gross.amount': Betrag 100000000000000000000 ist zu groß (höchstens "
      "9.999.999.999.999.999,99) (Beleg R-DE-1001-1)"]),
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
    first, second, offset, _ = halves
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


# --- CSV: a line whose fields do not fit the header is rejected, never truncated or shifted -----------------------

STRAY = ("'{value}' (Feld {column}) enthält ein '\"', ohne damit zu beginnen; ein ';' im Text geht nur, wenn das "
         "ganze Feld in '\"' steht (\"A\"\"B;C\")")


def _reversed(rows: list[str]) -> bytes:
    """The rows under a header in reversed column order (what a re-exported spreadsheet may do)."""
    header = INVOICE_HEADER.split(";")
    order = list(reversed(range(len(header))))
    return invoice_csv([";".join(row.split(";")[j] for j in order) for row in rows],
                       header=";".join(header[j] for j in order))


def test_a_stray_quote_under_a_reordered_header_is_rejected_at_its_line_naming_the_field(db: Database) -> None:
    stray = _reversed([invoice_row(n=1), invoice_row(n=2)]).replace(b"ORD-0002", b'ORD"9;1"X')
    assert rejected(db, "x.csv", stray) == [
        "x.csv:3: field 'Auftragsnummer': die Zeile hat 19 Felder, die Kopfzeile 18: "
        + STRAY.format(value='ORD"9', column=12)
    ]


@pytest.mark.parametrize(("row", "field", "found", "value", "column"), [
    (invoice_row().replace("SKU-1", 'A"B;C"D'), "field 'Artikelnummer': ", 19, 'A"B', 10),
    (invoice_row() + ';5"x;7"y', "", 20, '5"x', 19),
])
def test_a_quote_inside_a_field_with_a_separator_after_it_names_that_field(
    db: Database, row: str, field: str, found: int, value: str, column: int
) -> None:
    assert rejected(db, "x.csv", invoice_csv([row])) == [
        f"x.csv:2: {field}die Zeile hat {found} Felder, die Kopfzeile 18: " + STRAY.format(value=value, column=column)
    ]


def test_extra_fields_beyond_the_header_are_rejected_not_dropped(db: Database) -> None:
    assert rejected(db, "x.csv", invoice_csv([invoice_row(), invoice_row(n=2) + ";x"])) == [
        "x.csv:3: die Zeile hat 19 Felder, die Kopfzeile 18"]
    assert rejected(db, "x.csv", invoice_csv([invoice_row() + ";;x"])) == [
        "x.csv:2: die Zeile hat 20 Felder, die Kopfzeile 18"]
    # Blank fields beyond the header are a spreadsheet's trailing empty columns, not data (issue 13): accepted.
    assert imported(db, "x.csv", invoice_csv([invoice_row() + ";;"])) == {"invoice_lines": 1}


def test_inch_marks_inside_fields_are_plain_text(db: Database) -> None:
    row = invoice_row().replace("SKU-1", 'TV-55"').replace("Möbel", '55" Bildschirm')
    imported(db, "x.csv", invoice_csv([row, invoice_row(n=2)]))
    assert db.con.execute("SELECT source_line, sku, category, commission_gross FROM invoice_lines ORDER BY 1"
                          ).fetchall() == [(2, 'TV-55"', '55" Bildschirm', Decimal("21.24")),
                                           (3, "SKU-2", "Möbel", Decimal("21.24"))]


def test_quoted_fields_with_separators_and_doubled_quotes_keep_their_text(db: Database) -> None:
    row = invoice_row().replace("SKU-1", '"A""B;C""D"')
    imported(db, "x.csv", invoice_csv([row]))
    assert db.con.execute("SELECT sku FROM invoice_lines").fetchall() == [('A"B;C"D',)]


def test_old_mac_line_endings_import_with_their_line_numbers(db: Database) -> None:
    data = invoice_csv([invoice_row(n=1), invoice_row(n=2), invoice_row(n=3)]).replace(b"\r\n", b"\r")
    assert imported(db, "mac.csv", data) == {"invoice_lines": 3}
    assert db.con.execute("SELECT source_line, order_number FROM invoice_lines ORDER BY 1").fetchall() == [
        (2, "ORD-0001"), (3, "ORD-0002"), (4, "ORD-0003")]


def test_two_unknown_columns_of_one_name_are_both_kept(db: Database) -> None:
    header = INVOICE_HEADER + ";Bemerkung;Bemerkung"
    imported(db, "x.csv", invoice_csv([invoice_row() + ";eins;zwei"], header=header))
    assert [json.loads(e) for (e,) in db.con.execute("SELECT extra FROM invoice_lines").fetchall()] == [
        {"Bemerkung": "eins", "Bemerkung (2)": "zwei"}]


def test_amounts_that_each_fit_but_whose_sum_does_not_are_rejected_where_it_overflows(db: Database) -> None:
    big = "9.999.999.999.999.999,99"
    data = invoice_csv([invoice_row(n=1, total=big), invoice_row(n=2, total="1,00"), invoice_row(n=3, total="1,00")])
    assert rejected(db, "x.csv", data) == [
        "x.csv:3: field 'Provision brutto': die Beträge der Datei ergeben bis zu dieser Zeile mehr als "
        "9.999.999.999.999.999,99: zu groß für eine Summe"]


def test_utf16_with_a_byte_order_mark_is_read_and_without_one_named(db: Database) -> None:
    text = invoice_csv([invoice_row()]).decode("cp1252")
    result = import_bytes(db, "u16.csv", text.encode("utf-16"))
    assert (result.status, result.encoding, result.rows) == ("imported", "utf-16", {"invoice_lines": 1})
    assert db.con.execute("SELECT category FROM invoice_lines").fetchall() == [("Möbel",)]
    assert rejected(db, "u16le.csv", text.encode("utf-16-le")) == [
        "u16le.csv:1: die Datei ist UTF-16-Text ohne Byte-Order-Mark: bitte als CSV (UTF-8 oder windows-1252) "
        "speichern"]


# --- caps ------------------------------------------------------------------------------------------------------

def test_a_million_columns_are_refused_before_they_are_read(db: Database) -> None:
    data = (";".join(f"c{n}" for n in range(1_000_000)) + "\r\n").encode()
    assert len(data) > 6_000_000
    assert rejected(db, "wide.csv", data) == [
        "wide.csv:1: die Kopfzeile hat 1.000.000 Spalten, höchstens 500 sind erlaubt: das ist keine Datei von "
        "OTTO Market"]


def test_a_line_longer_than_the_cap_is_refused_at_its_line(db: Database) -> None:
    long_field = "x" * 200_000  # more than the csv module's own field limit (131,072), which used to crash
    data = invoice_csv([invoice_row(n=1), invoice_row(n=2).replace("SKU-2", long_field)])
    assert rejected(db, "long.csv", data) == [
        "long.csv:3: diese Zeile ist länger als 65.536 Bytes (oder die Datei hat keine Zeilenumbrüche): das ist "
        "keine Datei von OTTO Market"]
    assert rejected(db, "one.csv", b"a" * 3_000_000) == [
        "one.csv:1: diese Zeile ist länger als 65.536 Bytes (oder die Datei hat keine Zeilenumbrüche): das ist "
        "keine Datei von OTTO Market"]


def test_a_quoted_field_spanning_lines_beyond_the_field_cap_is_refused_naming_it(db: Database) -> None:
    title = "\r\n".join(["y" * 100] * 400)  # 40 kB in short lines
    data = invoice_csv([invoice_row(n=1), invoice_row(n=2).replace("SKU-2", f'"{title}"')])
    assert rejected(db, "x.csv", data) == [
        "x.csv:3: field 'Artikelnummer': dieses Feld ist länger als 32.768 Bytes: das ist kein Wert aus einer Datei "
        "von OTTO Market"]


def test_a_file_above_the_size_cap_is_refused_first(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECON_MAX_FILE_MB", "0.001")
    assert rejected(db, "x.csv", invoice_csv([invoice_row(n=n) for n in range(1, 20)])) == [
        "x.csv:1: die Datei ist 0,0 MB groß, höchstens 0,0 MB werden eingelesen (RECON_MAX_FILE_MB erlaubt mehr; ein "
        "Import braucht etwa das Neunfache der Dateigröße an Arbeitsspeicher)"]


def test_json_nested_100000_levels_is_one_line_not_a_crash(db: Database) -> None:
    data = b'{"resources": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert rejected(db, "deep.json", data) == [
        "deep.json:1: JSON ist tiefer als 32 Ebenen verschachtelt: so sieht keine Antwort der Receipts API aus"]


def test_json_deeper_than_the_cap_inside_a_receipt_names_where(db: Database) -> None:
    nested: object = "x"
    for _ in range(40):
        nested = {"n": nested}
    assert rejected(db, "r.json", receipts_page(lambda rs: rs[0].update(note=nested))) == [
        "r.json:1: field 'note.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n.n': JSON ist tiefer als 32 "
        "Ebenen verschachtelt: so sieht keine Antwort der Receipts API aus (Beleg R-DE-1001-1)"]


def test_more_receipts_than_the_cap_are_refused_in_both_lanes(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    from recon.importing import receipts

    monkeypatch.setattr(receipts, "MAX_RECEIPTS_PER_FILE", 2)
    assert rejected(db, "r.json", RECEIPTS) == [
        "r.json:1: 3 Belege in einer Datei, höchstens 2 sind erlaubt: bitte die Datei teilen"]


# --- crashes: one line naming the file, and the next file is imported ------------------------------------------------

def test_an_unexpected_error_in_one_file_rejects_that_file_alone_and_the_summary_follows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from recon.cli import main
    from recon.importing import pipeline

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_bad.csv").write_bytes(invoice_csv([invoice_row(number="PR-2026-000601")]))
    (folder / "b_good.csv").write_bytes(invoice_csv([invoice_row(number="PR-2026-000602")]))
    real = pipeline.validate

    def explode(table: object, layout: object) -> object:
        if "000601" in str(table):
            raise RuntimeError("disk on fire\nsecond line")
        return real(table, layout)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "validate", explode)
    monkeypatch.delenv("RECON_DEBUG", raising=False)
    assert main(["import", "--db", str(tmp_path / "x.duckdb"), str(folder)]) == 1
    out = capsys.readouterr()
    assert out.err.splitlines() == [
        f"{folder / 'a_bad.csv'}:1: konnte nicht importiert werden (RuntimeError: disk on fire); nichts aus dieser "
        "Datei wurde gespeichert, die anderen Dateien werden weiter importiert (RECON_DEBUG=1 zeigt die Einzelheiten)"]
    assert out.out.splitlines()[-1] == "1 importiert, 0 übersprungen, 1 abgelehnt; gespeichert: 1 Rechnungszeile"
    monkeypatch.setenv("RECON_DEBUG", "1")
    with pytest.raises(RuntimeError, match="disk on fire"):
        main(["import", "--db", str(tmp_path / "y.duckdb"), str(folder)])


def _sqlite_file(path: Path) -> Path:
    import sqlite3

    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (a)")
    con.commit()
    con.close()
    return path


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "die Datei ist leer, keine DuckDB-Datenbank (löschen, dann legt recon eine neue an)"),
    (b"Hallo, das ist Text\n", "das ist keine DuckDB-Datenbank (eine andere Datei unter diesem Namen?)"),
    (bytes(range(256)) * 20, "das ist keine DuckDB-Datenbank (eine andere Datei unter diesem Namen?)"),
    (None, "das ist eine SQLite-Datenbank, keine DuckDB-Datenbank von recon"),
])
def test_a_database_file_that_is_not_duckdb_gives_one_line_and_downloads_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, expected: str
) -> None:
    from recon.cli import main

    path = tmp_path / "books.duckdb"
    if content is None:
        _sqlite_file(path)
    else:
        path.write_bytes(content)
    before = path.read_bytes()
    csv_file = tmp_path / "x.csv"
    csv_file.write_bytes(invoice_csv([invoice_row()]))
    assert main(["import", "--db", str(path), str(csv_file)]) == 1
    assert capsys.readouterr().err.splitlines() == [f"recon: {path}: {expected}"]
    assert path.read_bytes() == before


def test_duckdb_never_loads_an_extension_for_a_foreign_file(tmp_path: Path) -> None:
    import duckdb

    from recon.store.database import NO_EXTENSIONS

    path = _sqlite_file(tmp_path / "lite.db")
    with pytest.raises(duckdb.IOException, match="not found|Install it first"):
        duckdb.connect(str(path), config=NO_EXTENSIONS)  # what recon's own check stands in front of
    con = duckdb.connect(":memory:", config=NO_EXTENSIONS)
    assert con.execute("SELECT current_setting('autoinstall_known_extensions'), "
                       "current_setting('autoload_known_extensions')").fetchone() == (False, False)


def test_a_database_of_a_newer_schema_is_never_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from recon.cli import main
    from recon.store import open_database
    from recon.store.sql import migrations

    path = tmp_path / "books.duckdb"
    db = open_database(path)
    db.con.execute("INSERT INTO schema_version VALUES (99, 'future', current_timestamp)")
    known = max(v for v, _, _ in migrations())
    before = canonical_hash(db)
    db.close()
    csv_file = tmp_path / "x.csv"
    csv_file.write_bytes(invoice_csv([invoice_row()]))
    assert main(["import", "--db", str(path), str(csv_file)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"recon: {path}: die Datenbank stammt von einem neueren recon (Schema 99, dieses recon kennt {known}); bitte "
        "recon aktualisieren, nichts wurde geschrieben"]
    db = open_database(path, read_only=True)
    assert canonical_hash(db) == before
    db.close()


@pytest.fixture
def request_cleanup() -> Iterator[list[Callable[[], object]]]:
    jobs: list[Callable[[], object]] = []
    yield jobs
    for job in jobs:
        job()


def test_a_read_only_database_file_gives_one_line(request_cleanup: list[Callable[[], object]]) -> None:
    import os
    import shutil
    import subprocess
    import sys
    import tempfile

    from recon.store import open_database

    folder = Path(tempfile.mkdtemp(prefix="recon-ro-"))  # under /tmp: pytest's own folders are closed to others
    request_cleanup.append(lambda: shutil.rmtree(folder, ignore_errors=True))
    path = folder / "books.duckdb"
    open_database(path).close()
    csv_file = folder / "x.csv"
    csv_file.write_bytes(invoice_csv([invoice_row()]))
    path.chmod(0o444)
    csv_file.chmod(0o644)
    root = Path(__file__).resolve().parents[1]
    as_user: dict[str, int] = {}
    if os.geteuid() == 0:  # root may write anywhere: run as an unprivileged user, as a seller would
        folder.chmod(0o755)
        interpreter = Path(os.path.realpath(sys.executable))
        for parent in [*folder.parents, *interpreter.parents, *root.parents, root]:
            if parent.stat().st_mode & 0o001 == 0:
                pytest.skip(f"{parent} is closed to other users (as root, the test runs recon as 'nobody')")
        as_user = {"user": 65534, "group": 65534}
    proc = subprocess.run(
        [sys.executable, "-m", "recon", "import", "--db", str(path), str(csv_file)], cwd=root, capture_output=True,
        env={**os.environ, "PYTHONPATH": str(root), "HOME": str(folder)}, timeout=120, **as_user)  # type: ignore[call-overload]
    assert (proc.returncode, proc.stderr.decode().splitlines()) == (1, [
        f"recon: {path}: die Datenbank ist schreibgeschützt; recon import braucht Schreibrechte auf Datei und Ordner"])


def test_a_receipt_larger_than_the_cap_is_refused_in_both_lanes(db: Database) -> None:
    from recon.importing import receipts

    huge = receipts_page(lambda rs: _item(rs).update(productTitle="x" * 1_200_000))
    assert receipts._parse_fast(huge) is None
    assert rejected(db, "r.json", huge) == [
        "r.json:1: der Beleg ist als JSON größer als 1000000 Bytes: so groß ist kein Beleg der Receipts API "
        "(Beleg R-DE-1001-1)"]


# --- memory: hostile files cost little --------------------------------------------------------------------------

MAX_RSS_HOSTILE_KB = 700 * 1024  # measured about 310 MB (the interpreter with polars and DuckDB is ~200 MB)


def test_hostile_files_are_refused_in_one_import_with_bounded_memory(tmp_path: Path) -> None:
    """Before the caps, the wide file alone took more than 10 GiB; each file here is refused, the next imported."""
    import os
    import subprocess
    import sys

    from tests.test_faults import RSS_WRAPPER

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "1_wide.csv").write_bytes((";".join(f"c{n}" for n in range(1_000_000)) + "\r\n").encode())
    (folder / "2_one_line.csv").write_bytes(b"Rechnungsnummer;" + b"x" * 40_000_000)
    (folder / "3_deep.json").write_bytes(b"[" * 100_000 + b"]" * 100_000)
    huge_title = receipts_page(lambda rs: _item(rs).update(productTitle="y" * 30_000_000))
    (folder / "4_huge_title.json").write_bytes(huge_title)
    (folder / "5_good.csv").write_bytes(invoice_csv([invoice_row(number="PR-2026-000700")]))
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, "-c", RSS_WRAPPER, "import", "--db", str(tmp_path / "x.duckdb"),
                           str(folder)], cwd=root, env={**os.environ, "PYTHONPATH": str(root)}, capture_output=True,
                          timeout=300)
    err = proc.stderr.decode()
    assert proc.returncode == 1
    assert [line.split(": ", 1)[0].rsplit("/", 1)[1] for line in err.splitlines()[:-1]] == [
        "1_wide.csv:1", "2_one_line.csv:1", "3_deep.json:1", "4_huge_title.json:1"]
    assert proc.stdout.decode().splitlines()[-1] == (
        "1 importiert, 0 übersprungen, 4 abgelehnt; gespeichert: 1 Rechnungszeile")
    rss_kb = int(err.rsplit("maxrss_kb=", 1)[1])
    assert rss_kb < MAX_RSS_HOSTILE_KB, f"peak memory {rss_kb // 1024} MB"


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # openpyxl's abandoned row writer
def test_a_full_disk_while_writing_the_report_names_the_report(
    books_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import errno
    import zipfile

    from recon.cli import main

    def full(self: zipfile.ZipFile, *args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")  # as a zip writer raises it: no file name

    monkeypatch.setattr(zipfile.ZipFile, "writestr", full)
    out = tmp_path / "reports" / "recon.xlsx"
    out.parent.mkdir()  # the folder must exist: recon refuses to create one a typo named
    assert main(["report", "--db", str(books_template), "--period", "2026-11", "--excel", str(out)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"recon report: {out} kann nicht geschrieben werden: No space left on device"]
    assert list(out.parent.iterdir()) == []  # no half-written file, not even the temporary one


