"""Import rules: idempotent, atomic, overlap-safe, and errors that name file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from recon.importing import import_bytes, import_paths
from recon.store import Database
from tests.conftest import INVOICE_HEADER, SAMPLES, invoice_csv, invoice_row, table_counts

# The reasons here are asserted in English, as the contract writes them; their German default is checked in
# tests/test_german_reasons.py.
pytestmark = pytest.mark.usefixtures("english")


def test_same_bytes_twice_are_skipped_and_change_nothing(db: Database) -> None:
    import_paths(db, [SAMPLES])
    before = table_counts(db)
    again = import_paths(db, [SAMPLES])
    assert [f.status for f in again.files] == ["skipped"] * 9
    assert again.exit_code == 0
    assert again.files[0].note.startswith("already imported as 'correction_PK-2026-000007.csv' on ")
    assert table_counts(db) == before


def test_other_file_with_stored_invoice_number_is_rejected_naming_the_earlier_file(db: Database) -> None:
    import_paths(db, [SAMPLES / "invoice_PR-2026-000042.csv"])
    before = table_counts(db)
    copy = (SAMPLES / "invoice_PR-2026-000042.csv").read_bytes().replace(b"Bemerkung", b"Notiz")
    result = import_bytes(db, "mail_attachment.csv", copy)
    assert result.status == "rejected"
    assert len(result.problems) == 1
    assert result.problems[0].startswith(
        "mail_attachment.csv:2: field 'Rechnungsnummer': commission invoice PR-2026-000042 was already imported "
        "from 'invoice_PR-2026-000042.csv' on "
    )
    assert result.problems[0].endswith("; a document is never counted twice")
    assert table_counts(db) == before


def test_one_bad_amount_on_line_7_rejects_the_file_with_that_line_and_field(db: Database) -> None:
    rows = [invoice_row(n=n) for n in range(1, 9)]
    rows[5] = invoice_row(n=6, net="17,8x")  # data row 6 = physical line 7
    before = table_counts(db)
    result = import_bytes(db, "invoice.csv", invoice_csv(rows))
    assert result.status == "rejected"
    assert result.problems == [
        "invoice.csv:7: field 'Provision netto': not an amount: '17,8x' (expected e.g. 1.234,56)"
    ]
    assert table_counts(db) == before


def test_every_problem_is_listed_up_to_fifty_with_a_count_of_the_rest(db: Database) -> None:
    rows = [invoice_row(n=n, vat="x") for n in range(1, 61)]
    result = import_bytes(db, "bad.csv", invoice_csv(rows))
    assert len(result.problems) == 51
    assert result.problems[0] == "bad.csv:2: field 'USt': not an amount: 'x' (expected e.g. 1.234,56)"
    assert result.problems[49] == "bad.csv:51: field 'USt': not an amount: 'x' (expected e.g. 1.234,56)"
    assert result.problems[50] == "bad.csv: ... and 10 more problem(s)"


def test_unknown_kind_is_rejected(db: Database) -> None:
    result = import_bytes(db, "bank.csv", b"Buchungstag;Betrag;Verwendungszweck\r\n01.11.2026;12,00;x\r\n")
    assert result.problems == [
        "bank.csv:1: unknown file kind: the header ('Buchungstag', 'Betrag', 'Verwendungszweck') fits none of "
        "invoice, correction, payout, statement, receipt_csv (use --kind, or add the column names to a --columns file)"
    ]


def test_missing_required_column_is_named(db: Database) -> None:
    header = INVOICE_HEADER.replace(";USt;", ";")
    row = invoice_row().replace(";3,39;", ";")
    result = import_bytes(db, "nousts.csv", invoice_csv([row], header=header))
    assert result.problems == [
        "nousts.csv:1: field 'USt': required column missing (looked for 'USt', 'MwSt', 'USt-Betrag')"
    ]


def test_empty_file_is_rejected(db: Database) -> None:
    result = import_bytes(db, "empty.csv", b"")
    assert result.problems == ["empty.csv:1: empty file: no header line"]
    header_only = import_bytes(db, "header.csv", invoice_csv([]))
    assert header_only.problems == ["header.csv:2: no data rows: a commission invoice file needs at least one line"]
    assert table_counts(db)["source_files"] == 0


def test_forced_kind_overrides_detection(db: Database) -> None:
    result = import_bytes(db, "x.csv", (SAMPLES / "payout_AZ-2026-000030.csv").read_bytes(), kind="invoice")
    assert result.status == "rejected"
    assert result.problems[0] == (
        "x.csv:1: field 'Rechnungsnummer': required column missing (looked for 'Rechnungsnummer', "
        "'Rechnungs-Nr.', 'Rechnungsnr')"
    )


def test_a_rejected_file_does_not_stop_the_others(db: Database, tmp_path: Path) -> None:
    bad = tmp_path / "a_bad.csv"
    bad.write_bytes(b"nonsense\n")
    report = import_paths(db, [bad, SAMPLES / "payout_AZ-2026-000030.csv"])
    assert [f.status for f in report.files] == ["rejected", "imported"]
    assert report.exit_code == 1


def test_headers_match_case_and_space_insensitively_and_aliases_file_adds_names(db: Database, tmp_path: Path) -> None:
    header = INVOICE_HEADER.replace("Rechnungsnummer", "  RECHNUNGSNUMMER ").replace("Provision brutto", "Gesamt")
    result = import_bytes(db, "odd.csv", invoice_csv([invoice_row()], header=header))
    assert result.problems[0].startswith("odd.csv:1: field 'Provision brutto': required column missing")
    aliases = tmp_path / "columns.toml"
    aliases.write_text('[invoice.columns.commission_gross]\naliases = ["Gesamt"]\n', encoding="utf-8")
    from recon.importing.layouts import load_layouts

    ok = import_bytes(db, "odd.csv", invoice_csv([invoice_row()], header=header), layouts=load_layouts(aliases))
    assert (ok.status, ok.rows) == ("imported", {"invoice_lines": 1})
