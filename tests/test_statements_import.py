"""Account statements and the Kundenbelege CSV: exact rows, overlapping downloads, one receipt from two sources."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from recon.importing import import_bytes, import_paths
from recon.importing.layouts import load_layouts
from recon.store import Database, open_database
from recon.store.dump import canonical_hash
from tests.conftest import SAMPLES

OTTO = (SAMPLES / "statement_otto-payments_2026-11.csv").read_bytes()
RATEPAY = (SAMPLES / "statement_ratepay_2026-11.csv").read_bytes()
KUNDENBELEGE = (SAMPLES / "receipts_2026-10_kundenbelege.csv").read_bytes()
RECEIPTS = (SAMPLES / "receipts_2026-10.json").read_bytes()
HEADER = ("Buchungsdatum;Transaktions-ID;Transaktionsart;Auftragsnummer;Belegnummer;Betrag;Saldo;Währung;"
          "Verwendungszweck")


def _statement(*rows: str, header: str = HEADER) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode("cp1252")


def _lines(data: bytes, encoding: str = "cp1252") -> list[str]:
    return data.decode(encoding).splitlines()


def _rejected(books: Database, name: str, data: bytes, kind: str | None = None) -> list[str]:
    """The problems of a file that must be rejected, checking that it stored nothing."""
    before = canonical_hash(books)
    result = import_bytes(books, name, data, kind=kind)
    assert result.status == "rejected"
    assert canonical_hash(books) == before
    return result.problems


def test_both_statements_are_stored_per_account_with_the_meaning_of_each_type(db: Database) -> None:
    report = import_paths(db, [SAMPLES / "statement_otto-payments_2026-11.csv",
                               SAMPLES / "statement_ratepay_2026-11.csv"])
    assert [(f.kind, f.rows, f.status) for f in report.files] == [
        ("statement", {"statement_lines": 5}, "imported"), ("statement", {"statement_lines": 4}, "imported"),
    ]
    rows = db.con.execute(
        "SELECT account, source_line, transaction_id, transaction_type, meaning, document_number, amount, balance "
        "FROM statement_lines ORDER BY account, source_line"
    ).fetchall()
    d = Decimal
    assert rows == [
        ("OTTO Payments", 2, "OP-7000001", "PAY_IN", "receipt", "R-DE-1001-1", d("174.90"), d("174.90")),
        ("OTTO Payments", 3, "OP-7000002", "PARTNER_PAYOUT", "payout", None, d("-174.90"), d("0.00")),
        ("OTTO Payments", 4, "OP-7000003", "PROVISION", "invoice", "PR-2026-000042", d("-93.18"), d("-93.18")),
        ("OTTO Payments", 5, "OP-7000004", "PROVISION", "invoice", "GG-2026-11", d("-118.88"), d("-212.06")),
        ("OTTO Payments", 6, "OP-7000005", "DIRECT_DEBIT", "direct_debit", None, d("212.06"), d("0.00")),
        ("Ratepay", 2, "RP-31000001", "PAY_IN", "receipt", "R-DE-1002-1", d("249.00"), d("249.00")),
        ("Ratepay", 3, "RP-31000002", "PARTNER_PAYOUT", "payout", None, d("-249.00"), d("0.00")),
        ("Ratepay", 4, "RP-31000003", "PAY_IN", "receipt", "E-DE-1002-1", d("-249.00"), d("-249.00")),
        ("Ratepay", 5, "RP-31000004", "DIRECT_DEBIT", "direct_debit", None, d("249.00"), d("0.00")),
    ]


def test_unknown_types_and_unknown_columns_are_kept(db: Database) -> None:
    data = _statement("01.12.2026;OP-9;Ratenaufschlag;ORD-7;;-3,10;-3,10;EUR;Zuschlag;Filiale 12",
                      header=HEADER + ";Kostenstelle")
    result = import_bytes(db, "dez.csv", data)
    assert result.status == "imported", result.problems
    assert db.con.execute("SELECT transaction_type, meaning, amount, extra FROM statement_lines").fetchall() == [
        ("Ratenaufschlag", "other", Decimal("-3.10"), '{"Kostenstelle":"Filiale 12"}'),
    ]


def test_an_overlapping_download_adds_only_the_new_transactions(books: Database) -> None:
    lines = _lines(OTTO)
    overlap = _statement(*lines[4:], "26.11.2026;OP-7000006;PAY_IN;ORD-1003;R-DE-1003-1;10,00;10,00;EUR;Zahlung")
    result = import_bytes(books, "nov_again.csv", overlap)
    assert (result.status, result.rows, result.amount_total) == ("imported", {"statement_lines": 1}, Decimal("10.00"))
    assert result.warnings == [
        "2 Transaktion(en) schon mit gleichem Inhalt gespeichert (überlappender Kontoauszug): übersprungen"
    ]
    assert books.con.execute("SELECT count(*) FROM statement_lines").fetchone() == (10,)


def test_a_transaction_downloaded_again_with_other_content_rejects_the_file_naming_both(books: Database) -> None:
    lines = _lines(OTTO)
    changed = _statement(lines[1], lines[2].replace("-174,90;0,00", "-174,80;0,10"))
    assert _rejected(books, "nov_changed.csv", changed) == [
        "nov_changed.csv:3: field 'Transaktions-ID': Transaktion OP-7000002 wurde schon aus "
        "'statement_otto-payments_2026-11.csv' (Zeile 3) mit anderem Inhalt importiert; eine Buchung wird nie "
        "nachträglich geändert"
    ]


def test_the_same_transaction_id_on_another_account_is_another_transaction(books: Database) -> None:
    ratepay = "booking_date;transaction_id;transaction_type;order_number;document_number;amount;balance;currency"
    data = ("\n".join([ratepay, "26.11.2026;OP-7000001;PAY_IN;ORD-1003;R-DE-1003-1;10,00;10,00;EUR"]) + "\n")
    result = import_bytes(books, "rp.csv", data.encode())
    assert (result.status, result.rows) == ("imported", {"statement_lines": 1})


def test_a_transaction_twice_in_one_file(db: Database) -> None:
    row = "02.12.2026;OP-1;PAY_IN;ORD-1;R-1;5,00;5,00;EUR;x"
    twice = import_bytes(db, "twice.csv", _statement(row, row, "03.12.2026;OP-2;SERVICE;;;1,00;6,00;EUR;"))
    assert (twice.status, twice.rows, twice.warnings) == ("imported", {"statement_lines": 2}, [
        "1 Transaktion(en) schon mit gleichem Inhalt gespeichert (überlappender Kontoauszug): übersprungen"])
    row3 = row.replace("OP-1", "OP-3")
    other = import_bytes(db, "other.csv", _statement(row3, row3.replace("5,00;5,00", "5,00;6,00")))
    assert other.problems == [
        "other.csv:3: field 'Transaktions-ID': Transaktion OP-3 steht schon in Zeile 2 dieser Datei, mit anderem Inhalt"
    ]


BAD_STATEMENTS = [
    ("no-balance", HEADER.replace(";Saldo", ""), "01.12.2026;OP-1;PAY_IN;;R-1;5,00;EUR;",
     ["bad.csv:1: die Kopfzeile passt am besten zu Kontoauszug (statement), aber nicht jede nötige Spalte ist "
      "sicher: balance: keine Spalte. Zuordnung mit 'recon columns DATEI --save' oder auf der Upload-Seite des "
      "Dashboards bestätigen (oder --columns angeben)"]),
    ("bad-amount", HEADER, "01.12.2026;OP-1;PAY_IN;;R-1;5,0O;5,00;EUR;",
     ["bad.csv:2: field 'Betrag': kein Betrag: '5,0O' (erwartet z. B. 1.234,56)"]),
    ("bad-date", HEADER, "31.11.2026;OP-1;PAY_IN;;R-1;5,00;5,00;EUR;",
     ["bad.csv:2: field 'Buchungsdatum': diesen Kalendertag gibt es nicht: '31.11.2026'"]),
    ("no-id", HEADER, "01.12.2026;;PAY_IN;;R-1;5,00;5,00;EUR;",
     ["bad.csv:2: field 'Transaktions-ID': Wert fehlt"]),
    ("dollar", HEADER, "01.12.2026;OP-1;PAY_IN;;R-1;5,00;5,00;USD;",
     ["bad.csv:2: field 'Währung': unbekannter Wert 'USD' (erlaubt: EUR)"]),
]


@pytest.mark.parametrize(("header", "row", "problems"), [c[1:] for c in BAD_STATEMENTS],
                         ids=[c[0] for c in BAD_STATEMENTS])
def test_bad_statement_lines_name_file_line_and_field_and_store_nothing(
    books: Database, header: str, row: str, problems: list[str]
) -> None:
    assert _rejected(books, "bad.csv", _statement(row, header=header)) == problems


def test_a_forced_statement_without_its_balance_column_says_which(books: Database) -> None:
    data = _statement("01.12.2026;OP-1;PAY_IN;;R-1;5,00;EUR;", header=HEADER.replace(";Saldo", ""))
    assert _rejected(books, "bad.csv", data, kind="statement") == [
        "bad.csv:1: field 'Saldo': Pflichtspalte fehlt (gesucht: 'Saldo', 'balance')"]


def test_names_and_meanings_are_configurable(db: Database, tmp_path: Path) -> None:
    extra = tmp_path / "columns.toml"
    extra.write_text('[statement.columns.balance]\naliases = ["Kontostand"]\n\n'
                     '[statement.meaning]\nRatenaufschlag = "payment_fee"\n', encoding="utf-8")
    data = _statement("01.12.2026;OP-9;Ratenaufschlag;ORD-7;;-3,10;-3,10;EUR;",
                      header=HEADER.replace("Saldo", "Kontostand"))
    result = import_bytes(db, "dez.csv", data, layouts=load_layouts(extra))
    assert result.status == "imported", result.problems
    stored = db.con.execute("SELECT meaning, balance FROM statement_lines").fetchall()
    assert stored == [("payment_fee", Decimal("-3.10"))]
    assert load_layouts(extra)["statement"].options["meaning"]["PAY_IN"] == "receipt"  # the others stay


# --- Kundenbelege CSV -----------------------------------------------------------------------------------------

def _engine_view(db: Database) -> list[tuple[object, ...]]:
    """What the engine reads of the receipts, whatever file they came from."""
    return db.con.execute(
        "SELECT r.receipt_number, r.receipt_type, r.order_number, r.created_at, r.shipped_at, r.total_gross, "
        "l.line_type, l.position_item_id, l.gross_amount, l.fee_type FROM receipts r JOIN receipt_lines l "
        "USING (receipt_number) ORDER BY 1, 7, 8"
    ).fetchall()


def test_a_receipt_from_the_csv_and_from_the_api_is_one_receipt_in_either_order(tmp_path: Path) -> None:
    views = []
    for order in ((RECEIPTS, KUNDENBELEGE), (KUNDENBELEGE, RECEIPTS)):
        db = open_database(tmp_path / f"o{len(views)}.duckdb")
        first, second = (import_bytes(db, f"f{n}", data) for n, data in enumerate(order))
        assert first.rows == {"receipts": 3, "receipt_lines": 5}
        assert (second.status, second.rows, second.warnings) == (
            "imported", {"receipts": 0, "receipt_lines": 0},
            ["3 receipt(s) already stored with identical content: skipped"])
        views.append(_engine_view(db))
        db.close()
    assert views[0] == views[1]
    assert len(views[0]) == 5


def test_the_csv_keeps_every_row_in_raw_with_its_line(db: Database) -> None:
    import_bytes(db, "kb.csv", KUNDENBELEGE)
    raw, line = db.con.execute("SELECT raw, source_line FROM receipts WHERE receipt_number = 'R-DE-1001-1'").fetchone()
    rows = json.loads(raw)
    assert line == 2
    assert [(r["source_line"], r["position_item_id"], r["price_gross"], r["shipping_gross"]) for r in rows] == [
        ("2", "3f2a9c1e-0b7d-4c55-9e61-7a1d2b3c4d01", "119.00", "5.95"),
        ("3", "3f2a9c1e-0b7d-4c55-9e61-7a1d2b3c4d02", "49.95", None),
    ]
    assert db.con.execute("SELECT source_line FROM receipt_lines WHERE receipt_number = 'R-DE-1001-1' "
                          "ORDER BY line_no").fetchall() == [(2,), (3,), (2,)]


def test_a_receipt_whose_csv_and_json_differ_rejects_the_file_naming_both(books: Database) -> None:
    changed = KUNDENBELEGE.replace(b";49,95;", b";49,94;")
    assert _rejected(books, "kundenbelege_neu.csv", changed) == [
        "kundenbelege_neu.csv:2: field 'Belegnummer': receipt R-DE-1001-1 differs from the one already imported "
        "from 'receipts_2026-10.json' (position 1); receipts are never changed after the fact"
    ]


RECEIPT_ROW = ("R-9;Kaufbeleg;01.12.2026 10:00:00;01.12.2026 10:00:00;ORD-9;P-1;A-1;S-1;Lampe;20,00;0,00;19,00;"
               "3,19;4,95;;EUR")
RECEIPT_HEADER = _lines(KUNDENBELEGE)[0]
BAD_RECEIPTS = [
    ("shipping-on-second-row", [RECEIPT_ROW, RECEIPT_ROW.replace("P-1", "P-2")],
     ["kb.csv:3: field 'Versandkosten brutto': Versandkosten stehen nur in der ersten Zeile des Belegs R-9"]),
    ("negative", [RECEIPT_ROW.replace(";20,00;", ";-20,00;")],
     ["kb.csv:2: field 'Preis brutto': Beträge stehen ohne Vorzeichen im Kundenbeleg; die Belegart sagt, in welche "
      "Richtung das Geld fließt"]),
    ("purchase-without-shipment", [RECEIPT_ROW.replace("01.12.2026 10:00:00;ORD", ";ORD")],
     ["kb.csv:2: field 'Versanddatum': Wert fehlt"]),
    ("order-differs", [RECEIPT_ROW, RECEIPT_ROW.replace("P-1", "P-2").replace("ORD-9", "ORD-8").replace("4,95", "")],
     ["kb.csv:3: field 'Auftragsnummer': weicht von der ersten Zeile des Belegs R-9 ab (ein Beleg hat eine "
      "Belegart, ein Datum, einen Auftrag)"]),
    ("item-twice", [RECEIPT_ROW, RECEIPT_ROW.replace("4,95", "")],
     ["kb.csv:3: field 'Positions-ID': die Positions-ID steht zweimal im Beleg R-9"]),
    ("unknown-type", [RECEIPT_ROW.replace("Kaufbeleg", "Gutschrift")],
     ["kb.csv:2: field 'Belegart': unbekannter Wert 'Gutschrift' (erlaubt: Kaufbeleg, Erstattungsbeleg, "
      "Teilerstattung)"]),
]


@pytest.mark.parametrize(("rows", "problems"), [c[1:] for c in BAD_RECEIPTS], ids=[c[0] for c in BAD_RECEIPTS])
def test_bad_kundenbelege_lines_name_file_line_and_field_and_store_nothing(
    books: Database, rows: list[str], problems: list[str]
) -> None:
    data = ("\r\n".join([RECEIPT_HEADER, *rows]) + "\r\n").encode("cp1252")
    assert _rejected(books, "kb.csv", data) == problems


def test_a_bad_ratepay_line_names_the_english_field_and_stores_none_of_the_file(books: Database) -> None:
    """The Ratepay statement's own column names in the message; its good lines before the bad one are not
    stored either (a file goes in whole or not at all)."""
    lines = _lines(RATEPAY, "utf-8")
    fields = lines[3].split(";")
    fields[5] = "-249.00,"  # neither German nor plain
    lines[3] = ";".join(fields)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    assert _rejected(books, "ratepay_bad.csv", data) == [
        "ratepay_bad.csv:4: field 'amount': kein Betrag: '-249.00,' (erwartet z. B. 1.234,56)"]
