"""Bad input: every case gets an exact `FILE:LINE: field 'NAME': reason`, and the database stays as it was.

The database under test already holds the sample files, so "unchanged" is checked against real books, by the
canonical hash of every table (which also covers source_files) and by the row counts.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal

import pytest

from recon.importing import import_bytes
from recon.simulate.documents import dumps_receipts
from recon.store import Database
from recon.store.dump import canonical_hash
from tests.conftest import INVOICE_HEADER, SAMPLES, invoice_csv, invoice_row, table_counts

# The reasons here are asserted in English, as the contract writes them; their German default is checked in
# tests/test_german_reasons.py.
pytestmark = pytest.mark.usefixtures("english")

PAYOUT_HEADER = (
    "Auszahlungsnummer;Auszahlungsdatum;Auszahlungsbetrag;Belegart;Belegnummer;Belegdatum;Fälligkeitsdatum;"
    "Auftragsnummer;Betrag;Währung"
)
ROWS3 = [invoice_row(n=n) for n in (1, 2, 3)]
FULL = invoice_csv(ROWS3)  # 4 lines, CRLF, windows-1252
RECEIPTS = (SAMPLES / "receipts_2026-10.json").read_bytes()


def _rows(*rows: str) -> bytes:
    return invoice_csv(list(rows))


def _replace_in_row(old: str, new: str, n: int = 1) -> str:
    row = invoice_row(n=n)
    assert old in row
    return row.replace(old, new, 1)


def _line_bytes(data: bytes, line: int, old: bytes, new: bytes) -> bytes:
    """`data` with `old` replaced by `new` in one physical line only (bytes, so any byte can go in)."""
    lines = data.split(b"\n")
    lines[line - 1] = lines[line - 1].replace(old, new)
    return b"\n".join(lines)


def _receipts_page(mutate: Callable[[list[dict[str, object]]], object]) -> bytes:
    """The sample page, changed by `mutate` (amounts stay exact decimals)."""
    resources = json.loads(RECEIPTS, parse_float=Decimal)["resources"]
    mutate(resources)
    return dumps_receipts(resources).encode("utf-8")


def _set(index: int, key: str, value: object) -> Callable[[list[dict[str, object]]], None]:
    def mutate(resources: list[dict[str, object]]) -> None:
        resources[index][key] = value
    return mutate


NOT_A_CSV = "not a CSV or JSON text file"
UNKNOWN_KIND_TAIL = ("fits none of invoice, correction, payout, statement, receipt_csv (use --kind, or add the column "
                     "names to a --columns file)")

# (id, file name, bytes, forced kind, exact problem lines)
REJECTED: list[tuple[str, str, bytes, str | None, list[str]]] = [
    ("cut-off-mid-line", "cut.csv", FULL[:-60], None,
     ["cut.csv:4: line has 9 of 18 fields: the file seems cut off in this line"]),
    ("cut-off-in-last-field", "cut.csv", FULL[:-3], None,
     ["cut.csv:4: field 'Währung': unknown value 'EU' (expected one of: EUR)",
      "cut.csv:4: the last line has no line break: the file seems cut off"]),
    ("cut-off-in-amount", "cut.csv", FULL[:FULL.rindex(b"21,24") + 3], None,
     ["cut.csv:4: line has 17 of 18 fields: the file seems cut off in this line"]),
    ("cut-off-in-quoted-field", "cut.csv", invoice_csv([ROWS3[0], ROWS3[1].replace("Möbel", '"Möbel;Haus')])[:-30],
     None, ["cut.csv:3: a quoted field opened in this line is never closed: the file seems cut off, "
            "or a '\"' is missing"]),
    ("separator-comma", "comma.csv", FULL.replace(b";", b","), None,
     ["comma.csv:1: the columns are separated by ',', not by ';' as in OTTO's files "
      "(export the file again, or save it as CSV with ';')"]),
    ("separator-tab", "tab.csv", FULL.replace(b";", b"\t"), None,
     ["tab.csv:1: the columns are separated by a tab, not by ';' as in OTTO's files "
      "(export the file again, or save it as CSV with ';')"]),
    ("separator-comma-forced-kind", "comma.csv", FULL.replace(b";", b","), "invoice",
     ["comma.csv:1: the columns are separated by ',', not by ';' as in OTTO's files "
      "(export the file again, or save it as CSV with ';')"]),
    ("separator-in-one-line", "mixed.csv", _rows(ROWS3[0], ROWS3[1].replace(";", ","), ROWS3[2]), None,
     ["mixed.csv:3: line has 1 field, the header 18: is the separator ';'?"]),
    ("missing-column", "missing.csv",
     invoice_csv([r.replace(";3,39;", ";") for r in ROWS3], header=INVOICE_HEADER.replace(";USt;", ";")), None,
     ["missing.csv:1: field 'USt': required column missing (looked for 'USt', 'MwSt', 'USt-Betrag')"]),
    ("renamed-column", "renamed.csv",
     invoice_csv(ROWS3, header=INVOICE_HEADER.replace("Provision netto", "Provisionsbetrag (netto)")), None,
     ["renamed.csv:1: field 'Provision netto': required column missing (looked for 'Provision netto', 'Netto')",
      "renamed.csv:1: the header fits commission invoice (invoice) best, but not every needed column is certain: "
      "commission_net: probably 'Provisionsbetrag (netto)'. Confirm the mapping with 'recon columns FILE --save' "
      "or on the dashboard's upload page (or pass --columns)"]),
    ("repeated-column", "twice.csv",
     invoice_csv([r + ";3,39" for r in ROWS3], header=INVOICE_HEADER + ";MwSt"), None,
     ["twice.csv:1: field 'MwSt': column repeats 'USt' (both mean vat)"]),
    ("two-digit-year-date", "yy.csv", _rows(_replace_in_row("04.11.2026", "04.11.26")), None,
     ["yy.csv:2: field 'Rechnungsdatum': two-digit year in '04.11.26' is ambiguous (expected DD.MM.YYYY)"]),
    ("two-digit-year-datetime", "yy.csv", _rows(_replace_in_row("29.10.2026 10:15:00", "29.10.26 10:15")), None,
     ["yy.csv:2: field 'Versanddatum': two-digit year in '29.10.26 10:15' is ambiguous "
      "(expected DD.MM.YYYY HH:MM:SS)"]),
    ("no-such-day", "day.csv", _rows(_replace_in_row("18.11.2026", "31.11.2026")), None,
     ["day.csv:2: field 'Fälligkeitsdatum': no such calendar day: '31.11.2026'"]),
    ("iso-date", "iso.csv", _rows(_replace_in_row("18.11.2026", "2026-11-18")), None,
     ["iso.csv:2: field 'Fälligkeitsdatum': not a date: '2026-11-18' (expected DD.MM.YYYY)"]),
    ("berlin-clock-gap", "dst.csv", _rows(_replace_in_row("29.10.2026 10:15:00", "29.03.2026 02:30:00")), None,
     ["dst.csv:2: field 'Versanddatum': no such local time in Europe/Berlin (clocks jump forward): "
      "'29.03.2026 02:30:00'"]),
    ("amount-three-decimals", "dec.csv", _rows(invoice_row(net="17,855")), None,
     ["dec.csv:2: field 'Provision netto': amount '17,855' has more than 2 decimals"]),
    ("rate-five-decimals", "dec.csv", _rows(_replace_in_row(";15,00;", ";15,00001;")), None,
     ["dec.csv:2: field 'Provisionssatz': rate '15,00001' has more than 4 decimals"]),
    ("amount-decimal-point", "point.csv", _rows(invoice_row(gross="119.00")), None,
     ["point.csv:2: field 'Bemessungsgrundlage brutto': not an amount: '119.00' (expected e.g. 1.234,56)"]),
    ("amount-two-minus-signs", "minus.csv", _rows(invoice_row(net="-17,85-")), None,
     ["minus.csv:2: field 'Provision netto': not an amount: '-17,85-' (expected e.g. 1.234,56)"]),
    ("amount-bad-thousands", "th.csv", _rows(invoice_row(gross="1.23,00")), None,
     ["th.csv:2: field 'Bemessungsgrundlage brutto': not an amount: '1.23,00' (expected e.g. 1.234,56)"]),
    ("amount-too-large", "big.csv", _rows(invoice_row(gross="12.345.678.901.234.567,00")), None,
     ["big.csv:2: field 'Bemessungsgrundlage brutto': amount '12.345.678.901.234.567,00' is too large"]),
    ("value-missing", "gap.csv", _rows(invoice_row(net="")), None,
     ["gap.csv:2: field 'Provision netto': value missing"]),
    ("unknown-service-type", "type.csv", _rows(_replace_in_row("Verkaufsprovision", "Werbekosten")), None,
     ["type.csv:2: field 'Leistungsart': unknown value 'Werbekosten' (expected one of: Verkaufsprovision, "
      "Versandkostenprovision, Grundgebühr)"]),
    ("unknown-payout-document-type", "pay.csv",
     (PAYOUT_HEADER + "\r\nAZ-1;12.11.2026;10,00;Gutschein;X-1;01.11.2026;;;10,00;EUR\r\n").encode("cp1252"), None,
     ["pay.csv:2: field 'Belegart': unknown value 'Gutschein' (expected one of: Kaufbeleg, Erstattungsbeleg, "
      "Provisionsrechnung, Provisionskorrektur, Grundgebühr)"]),
    ("other-currency", "chf.csv", _rows(invoice_row().replace(";EUR", ";CHF")), None,
     ["chf.csv:2: field 'Währung': unknown value 'CHF' (expected one of: EUR)"]),
    ("two-documents-in-one-file", "two.csv", _rows(ROWS3[0], invoice_row(number="PR-2026-000101", n=2)), None,
     ["two.csv:3: field 'Rechnungsnummer': 'PR-2026-000101' differs from 'PR-2026-000100' on the first data line "
      "(one document per file)"]),
    ("unknown-document-kind", "bank.csv", b"Buchungstag;Betrag;Verwendungszweck\r\n01.11.2026;12,00;x\r\n", None,
     [f"bank.csv:1: unknown file kind: the header ('Buchungstag', 'Betrag', 'Verwendungszweck') {UNKNOWN_KIND_TAIL}"]),
    ("text-file", "notes.txt", "Hallo Frau Müller,\nanbei die Rechnung.\n".encode("cp1252"), None,
     [f"notes.txt:1: unknown file kind: the header ('Hallo Frau Müller,') {UNKNOWN_KIND_TAIL}"]),
    ("empty-file", "empty.csv", b"", None, ["empty.csv:1: empty file: no header line"]),
    ("blank-lines-only", "blank.csv", b"\r\n  \r\n\r\n", None, ["blank.csv:1: empty file: no header line"]),
    ("header-only", "header.csv", invoice_csv([]), None,
     ["header.csv:2: no data rows: a commission invoice file needs at least one line"]),
    ("binary-nul", "data.bin", bytes(range(256)) * 4, None,
     [f"data.bin:1: binary data (control byte 0x00): {NOT_A_CSV}"]),
    ("binary-later-in-file", "late.csv", FULL + b"\x01\x02garbage\r\n", None,
     [f"late.csv:5: binary data (control byte 0x01): {NOT_A_CSV}"]),
    ("excel-workbook", "rechnung.xlsx", b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(40, 120)), None,
     [f"rechnung.xlsx:1: binary file: this is an Excel workbook (.xlsx) or another ZIP archive, {NOT_A_CSV}"]),
    ("old-excel", "rechnung.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), None,
     [f"rechnung.xls:1: binary file: this is an old Excel workbook (.xls) or another Office file, {NOT_A_CSV}"]),
    ("pdf", "rechnung.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", None,
     [f"rechnung.pdf:1: binary file: this is a PDF document, {NOT_A_CSV}"]),
    ("gzip", "rechnung.csv.gz", b"\x1f\x8b\x08\x00" + bytes(20), None,
     [f"rechnung.csv.gz:1: binary file: this is a gzip archive, {NOT_A_CSV}"]),
    ("undefined-windows-1252-byte", "odd.csv", _line_bytes(FULL, 3, b"M\xf6bel", b"M\x81bel"), None,
     ["odd.csv:3: byte 0x81 is not valid windows-1252 nor UTF-8 text"]),
    ("mixed-encodings", "mixed.csv", invoice_csv(ROWS3[:2]) + (ROWS3[2] + "\r\n").encode("utf-8"), None,
     ["mixed.csv:4: mixed encodings: this line has UTF-8 text ('ö' stored as 'Ã¶'), other lines windows-1252; "
      "save the file again in one encoding"]),
    ("mixed-encodings-utf8-first", "mixed.csv", invoice_csv(ROWS3[:2], encoding="utf-8") + (ROWS3[2] + "\r\n").encode(
        "cp1252"), None, ["mixed.csv:4: mixed encodings: byte 0xF6 in this line is not UTF-8, the lines before it are "
                          "UTF-8; save the file again in one encoding"]),
    ("bom-but-not-utf8", "bom.csv", b"\xef\xbb\xbf" + FULL, None,
     ["bom.csv:1: invalid UTF-8 after a UTF-8 BOM: invalid continuation byte"]),
    ("json-other-object", "other.json", b'{"orders": [{"id": 1}]}', None,
     ["other.json:1: JSON is not a Receipts API answer: expected an object with 'resources', a list of receipts, "
      "or JSON Lines with one receipt per line"]),
    ("json-list-of-numbers", "numbers.json", b"[1, 2]", None,
     ["numbers.json:1: not a receipt: expected an object, found a number",
      "numbers.json:2: not a receipt: expected an object, found a number"]),
    ("json-foreign-objects", "orders.json", b'[{"orderId": "A1", "total": 12.5}]', None,
     ["orders.json:1: not a receipt: an object without 'receiptNumber' and 'receiptType' (its keys: 'orderId', "
      "'total')"]),
    ("json-cut-off", "cut.json", RECEIPTS[:2000], None,
     ["cut.json:68: invalid JSON: the file ends in the middle of the data, it seems cut off "
      "(Expecting ',' delimiter, column 3)"]),
    ("json-no-receipts", "none.json", b'{"resources": [], "links": []}', None,
     ["none.json:1: no receipts in the file"]),
    ("json-resources-not-a-list", "res.json", b'{"resources": {"a": 1}}', None,
     ["res.json:1: field 'resources': expected a list of receipts"]),
    ("json-receipt-field-missing", "r.json", _receipts_page(lambda rs: rs[1].pop("orderNumber")), None,
     ["r.json:2: field 'orderNumber': Field required (receipt R-DE-1002-1)"]),
    ("json-float-amount-as-text", "r.json", _receipts_page(_set(0, "amountDue", {"amount": "1x", "currency": "EUR"})),
     None, ["r.json:1: field 'amountDue.amount': Input should be a valid decimal (receipt R-DE-1001-1)"]),
    ("json-unknown-receipt-type", "r.json", _receipts_page(_set(2, "receiptType", "VOUCHER")), None,
     ["r.json:3: field 'receiptType': unknown receipt type 'VOUCHER' (receipt E-DE-1002-1)"]),
    ("json-same-number-twice-other-content", "r.json",
     _receipts_page(lambda rs: rs.append({**rs[0], "orderDate": "2026-10-30T09:15:00.000Z"})), None,
     ["r.json:4: field 'receiptNumber': receipt R-DE-1001-1 appears again with other content (first at position 1)"]),
]


@pytest.mark.parametrize(("name", "data", "kind", "expected"),
                         [pytest.param(*case[1:], id=case[0]) for case in REJECTED])
def test_bad_input_is_rejected_whole_with_file_line_and_field(
    books: Database, name: str, data: bytes, kind: str | None, expected: list[str]
) -> None:
    before, counts = canonical_hash(books), table_counts(books)
    result = import_bytes(books, name, data, kind=kind)
    assert result.status == "rejected"
    assert result.problems == expected
    assert (canonical_hash(books), table_counts(books)) == (before, counts)


# --- against what is stored already -------------------------------------------------------------------------

def test_same_invoice_rows_in_a_file_with_another_name_and_encoding_are_reported_not_counted(books: Database) -> None:
    original = (SAMPLES / "invoice_PR-2026-000042.csv").read_bytes()
    resaved = original.decode("cp1252").replace("\r\n", "\n").encode("utf-8")  # what a mail client may do
    before = canonical_hash(books)
    result = import_bytes(books, "Rechnung (1).csv", resaved)
    assert result.status == "rejected"
    assert result.encoding == "utf-8"
    assert len(result.problems) == 1
    assert result.problems[0].startswith(
        "Rechnung (1).csv:2: field 'Rechnungsnummer': commission invoice PR-2026-000042 was already imported from "
        "'invoice_PR-2026-000042.csv' on "
    )
    assert canonical_hash(books) == before
    total = books.con.execute("SELECT sum(commission_gross) FROM invoice_lines WHERE invoice_number = 'PR-2026-000042'"
                              ).fetchone()
    assert total == (Decimal("93.18"),)


def test_overlapping_payout_with_more_lines_is_rejected(books: Database) -> None:
    text = (SAMPLES / "payout_AZ-2026-000030.csv").read_bytes().decode("cp1252")
    extended = text + "AZ-2026-000030;12.11.2026;423,90;Kaufbeleg;R-DE-9-1;29.10.2026;12.11.2026;ORD-9;0,00;EUR\r\n"
    before = canonical_hash(books)
    result = import_bytes(books, "payout_again.csv", extended.encode("cp1252"))
    assert result.status == "rejected"
    assert result.problems[0].startswith("payout_again.csv:2: field 'Auszahlungsnummer': payout statement "
                                         "AZ-2026-000030 was already imported from 'payout_AZ-2026-000030.csv' on ")
    assert canonical_hash(books) == before


def test_receipt_stored_with_other_content_rejects_the_file_naming_both_sources(books: Database) -> None:
    changed = _receipts_page(_set(1, "orderDate", "2026-10-27T08:00:00.000Z"))
    before = canonical_hash(books)
    result = import_bytes(books, "receipts_week44.json", changed)
    assert result.status == "rejected"
    assert result.problems == [
        "receipts_week44.json:2: field 'receiptNumber': receipt R-DE-1002-1 differs from the one already imported "
        "from 'receipts_2026-10.json' (position 2); receipts are never changed after the fact"
    ]
    assert canonical_hash(books) == before


def test_receipts_page_overlapping_with_identical_receipts_stores_only_the_new_ones(books: Database) -> None:
    def add_new(resources: list[dict[str, object]]) -> None:
        resources[1:] = [dict(resources[0], receiptNumber="R-DE-1003-1", orderNumber="ORD-1003")]

    result = import_bytes(books, "next_page.json", _receipts_page(add_new))
    assert (result.status, result.rows) == ("imported", {"receipts": 1, "receipt_lines": 3})
    assert result.warnings == ["1 receipt(s) already stored with identical content: skipped"]
    assert books.con.execute("SELECT count(*) FROM receipts").fetchone() == (4,)


# --- accepted, with exactly the values the file says -----------------------------------------------------------

def _only(db: Database, name: str, data: bytes) -> list[tuple[object, ...]]:
    result = import_bytes(db, name, data)
    assert result.status == "imported", result.problems
    return db.con.execute(
        "SELECT source_line, base_gross, commission_net, commission_gross, category, extra FROM invoice_lines "
        "ORDER BY source_line"
    ).fetchall()


@pytest.mark.parametrize(("encoding", "bom", "reported"), [
    ("cp1252", b"", "windows-1252"), ("utf-8", b"", "utf-8"), ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
])
def test_windows_1252_and_utf8_with_or_without_bom_import_alike_and_say_which(
    db: Database, encoding: str, bom: bytes, reported: str
) -> None:
    result = import_bytes(db, "x.csv", bom + invoice_csv(ROWS3, encoding=encoding))
    assert (result.status, result.encoding) == ("imported", reported)
    assert db.con.execute("SELECT DISTINCT category FROM invoice_lines").fetchall() == [("Möbel",)]
    assert db.con.execute("SELECT encoding FROM source_files").fetchone() == (reported,)
    assert result.amount_total == Decimal("63.72")


def test_thousands_separators_negatives_in_both_notations_and_currency_suffixes(db: Database) -> None:
    rows = _only(db, "x.csv", _rows(
        invoice_row(n=1, gross="1.234,56", net="-12,30", total="12,30-"),
        invoice_row(n=2, gross="1.234.567,00 €", net="12,30- €", total="-0,01 EUR"),
        invoice_row(n=3, gross="+5,00", net="0", total="7,5"),
    ))
    assert [(r[1], r[2], r[3]) for r in rows] == [
        (Decimal("1234.56"), Decimal("-12.30"), Decimal("-12.30")),
        (Decimal("1234567.00"), Decimal("-12.30"), Decimal("-0.01")),
        (Decimal("5.00"), Decimal("0.00"), Decimal("7.50")),
    ]


def test_blank_lines_are_skipped_and_line_numbers_stay_physical(db: Database) -> None:
    rows = _only(db, "x.csv", _rows(ROWS3[0], "", "   ", ROWS3[1], ";;;", ";" * 17, ROWS3[2], ""))
    assert [r[0] for r in rows] == [2, 5, 8]


def test_extra_columns_are_kept_as_json_and_column_order_does_not_matter(db: Database) -> None:
    header = INVOICE_HEADER.split(";")
    order = list(reversed(range(len(header))))
    cells = [r.split(";") for r in ROWS3]
    shuffled = invoice_csv(
        [";".join([cells[i][j] for j in order] + [f"Notiz {i}", ""]) for i in range(3)],
        header=";".join([header[j] for j in order] + ["Bemerkung", "Kostenstelle"]),
    )
    rows = _only(db, "x.csv", shuffled)
    assert [json.loads(r[5]) for r in rows] == [
        {"Bemerkung": f"Notiz {i}", "Kostenstelle": None} for i in range(3)
    ]
    assert [r[3] for r in rows] == [Decimal("21.24")] * 3


def test_lf_line_ends_and_a_missing_final_line_break_are_fine(db: Database) -> None:
    rows = _only(db, "x.csv", FULL.replace(b"\r\n", b"\n").rstrip(b"\n"))
    assert [r[0] for r in rows] == [2, 3, 4]


def test_identical_rows_in_one_file_are_stored_and_reported(db: Database) -> None:
    result = import_bytes(db, "x.csv", _rows(ROWS3[0], ROWS3[1], ROWS3[0], ROWS3[0]))
    assert (result.status, result.rows) == ("imported", {"invoice_lines": 4})
    assert result.warnings == ["lines 2, 4, 5 are identical (stored; reconcile will report them)"]


def test_many_identical_rows_give_a_short_warning(db: Database) -> None:
    result = import_bytes(db, "x.csv", _rows(*[ROWS3[0]] * 500))
    assert result.warnings == [
        "lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 490 more are identical (stored; reconcile will report them)"
    ]


def test_receipt_amount_with_three_decimals_is_rejected_not_cut(db: Database) -> None:
    page = (SAMPLES / "receipts_2026-10.json").read_text(encoding="utf-8")
    assert page.count('"amount": 119.00') == 2
    first = page.index('"amount": 119.00') + 1  # unitPrice (kept in the raw JSON only); then positionSum
    cut = page[:first] + page[first:].replace('"amount": 119.00', '"amount": 119.005', 1)
    result = import_bytes(db, "receipts.json", cut.encode("utf-8"))
    assert result.problems == [
        "receipts.json:1: field 'positionSum.gross.amount': amount 119.005 has more than 2 decimals "
        "(receipt R-DE-1001-1)"
    ]


def test_receipt_amount_with_trailing_zeros_is_exact_and_accepted(db: Database) -> None:
    page = (SAMPLES / "receipts_2026-10.json").read_text(encoding="utf-8").replace('"amount": 5.95', '"amount": 5.950')
    result = import_bytes(db, "receipts.json", page.encode("utf-8"))
    assert result.status == "imported", result.problems
    assert db.con.execute("SELECT gross_amount FROM receipt_lines WHERE line_type = 'DELIVERY_FEE'").fetchall() == [
        (Decimal("5.95"),)]
