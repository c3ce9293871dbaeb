"""Idempotent and traceable: the same files in any order, any number of times, give the same database.

"The same database" is the canonical dump (every table, sorted, without the import time and user): its hash
must not depend on the order or the repetition of the imports. The reconciliation is computed from nothing
but these tables, so equal dumps give equal reconciliations.
"""

from __future__ import annotations

import getpass
import json
import re
import shutil
from datetime import UTC, datetime
from decimal import Decimal
from itertools import permutations
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recon.cli import main
from recon.importing import import_paths
from recon.simulate.documents import ReceiptItem, dumps_receipt_lines, receipt
from recon.store import open_database
from recon.store.dump import canonical_dump, canonical_hash
from tests.conftest import SAMPLES, fuzz_examples, invoice_csv, invoice_row

IDEMPOTENCE_EXAMPLES = 10


@pytest.fixture(scope="module")
def file_set(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The samples, plus an invoice with identical lines, JSON Lines receipts, and one file always rejected.

    Not the Kundenbelege CSV: it holds the JSON's receipts, and which of the two is stored depends on the order
    by design (the first source is kept, the other skipped; tests/test_statements_import.py checks that).
    """
    folder = tmp_path_factory.mktemp("set")
    for sample in sorted(p for p in SAMPLES.iterdir() if "kundenbelege" not in p.name):
        shutil.copy(sample, folder / sample.name)
    rows = [invoice_row(number="PR-2026-000050", n=1), invoice_row(number="PR-2026-000050", n=1),
            invoice_row(number="PR-2026-000050", n=2)]
    (folder / "invoice_PR-2026-000050.csv").write_bytes(invoice_csv(rows, encoding="utf-8"))
    item = ReceiptItem("0c0c0c0c-0000-4000-8000-000000000001", "LAMPE-1", "Lampe", Decimal("79.99"))
    docs = [receipt(receipt_type="PURCHASE", number="R-DE-2001-1", order_number="ORD-2001",
                    sales_order_id="5a0c1d2e-2001-4b00-9000-000000002001",
                    created=datetime(2026, 10, 30, 8, 0, tzinfo=UTC), items=[item], delivery_fee=Decimal("4.95"))]
    (folder / "receipts_2026-10-30.jsonl").write_text(dumps_receipt_lines(docs), encoding="utf-8")
    (folder / "zz_broken.csv").write_bytes(invoice_csv([invoice_row(number="PR-2026-000051", net="x")]))
    return sorted(folder.iterdir())


@pytest.fixture(scope="module")
def reference(file_set: list[Path], tmp_path_factory: pytest.TempPathFactory) -> str:
    db = open_database(tmp_path_factory.mktemp("ref") / "ref.duckdb")
    report = import_paths(db, file_set)
    assert [f.status for f in report.files].count("imported") == len(file_set) - 1
    digest = canonical_hash(db)
    db.close()
    return digest


@settings(max_examples=fuzz_examples(IDEMPOTENCE_EXAMPLES))
@given(data=st.data())
def test_any_order_any_number_of_times_gives_the_same_database(
    file_set: list[Path], reference: str, data: st.DataObject
) -> None:
    order = data.draw(st.permutations(file_set), label="order")
    repeats = data.draw(st.lists(st.sampled_from(file_set), max_size=4), label="imported again")
    db = open_database(":memory:")
    first = import_paths(db, order)
    assert canonical_hash(db) == reference
    again = import_paths(db, [*repeats, *reversed(order)])
    assert canonical_hash(db) == reference
    assert first.count("imported") == len(file_set) - 1
    assert {(Path(f.name).name == "zz_broken.csv", f.status) for f in again.files} <= {
        (True, "rejected"), (False, "skipped")}
    db.close()


def test_every_ordering_of_the_csv_samples_gives_one_hash() -> None:
    csvs = [SAMPLES / "correction_PK-2026-000007.csv", SAMPLES / "invoice_PR-2026-000042.csv",
            SAMPLES / "payout_AZ-2026-000031.csv"]
    hashes = set()
    for order in permutations(csvs):  # all 6 orders (the property test above draws orders of all files)
        db = open_database(":memory:")
        import_paths(db, list(order))
        hashes.add(canonical_hash(db))
        db.close()
    assert len(hashes) == 1


def test_a_folder_imported_three_times_through_the_cli_changes_nothing_after_the_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "cli.duckdb"
    assert main(["import", "--db", str(db_path), str(SAMPLES)]) == 0
    db = open_database(db_path, read_only=True)
    dump = canonical_dump(db)
    db.close()
    for _ in range(2):
        assert main(["import", "--db", str(db_path), str(SAMPLES)]) == 0
        assert capsys.readouterr().out.splitlines()[-1] == ("0 importiert, 9 übersprungen, 0 abgelehnt; "
                                                            "gespeichert: keine Zeilen")
        db = open_database(db_path, read_only=True)
        assert canonical_dump(db) == dump
        db.close()


def test_every_stored_row_keeps_its_file_sha256_and_line(tmp_path: Path) -> None:
    db = open_database(tmp_path / "t.duckdb")
    report = import_paths(db, [SAMPLES])
    sha_of = {Path(f.name).name: f.sha256 for f in report.files}
    rows = db.con.execute(
        "SELECT f.original_name, l.source_line FROM invoice_lines l JOIN source_files f ON f.sha256 = l.source_sha256 "
        "ORDER BY 1, 2"
    ).fetchall()
    assert rows == [("invoice_GG-2026-11.csv", 2)] + [("invoice_PR-2026-000042.csv", n) for n in (2, 3, 4, 5)]
    assert db.con.execute("SELECT DISTINCT source_sha256 FROM payout_lines ORDER BY 1").fetchall() == sorted(
        [(sha_of["payout_AZ-2026-000030.csv"],), (sha_of["payout_AZ-2026-000031.csv"],)])
    assert db.con.execute("SELECT receipt_number, source_line FROM receipts ORDER BY 2").fetchall() == [
        ("R-DE-1001-1", 1), ("R-DE-1002-1", 2), ("E-DE-1002-1", 3)]
    for table in ("invoice_lines", "correction_lines", "payout_lines", "receipts", "receipt_lines"):
        missing = db.con.execute(
            f"SELECT count(*) FROM {table} WHERE source_sha256 IS NULL OR source_line IS NULL "  # noqa: S608
            "OR source_sha256 NOT IN (SELECT sha256 FROM source_files)"
        ).fetchone()
        assert missing == (0,), table
    db.close()


def test_sources_lists_what_was_imported_when_by_whom_with_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "s.duckdb"
    main(["import", "--db", str(db_path), str(SAMPLES)])
    capsys.readouterr()
    assert main(["sources", "--db", str(db_path), "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    user = getpass.getuser()
    assert {r["imported_by"] for r in records} == {user}
    assert sorted((r["file"], r["kind"], r["rows"], r["amount_total"], r["encoding"]) for r in records) == [
        ("correction_PK-2026-000007.csv", "correction", 1, "-60.48", "windows-1252"),
        ("invoice_GG-2026-11.csv", "invoice", 1, "118.88", "utf-8-sig"),
        ("invoice_PR-2026-000042.csv", "invoice", 4, "93.18", "windows-1252"),
        ("payout_AZ-2026-000030.csv", "payout", 2, "423.90", "windows-1252"),
        ("payout_AZ-2026-000031.csv", "payout", 3, "-461.06", "windows-1252"),
        ("receipts_2026-10.json", "receipts", 3, "174.90", "utf-8"),
        ("receipts_2026-10_kundenbelege.csv", "receipt_csv", 0, "0.00", "windows-1252"),
        ("statement_otto-payments_2026-11.csv", "statement", 5, "0.00", "windows-1252"),
        ("statement_ratepay_2026-11.csv", "statement", 4, "0.00", "windows-1252"),
    ]
    assert all(len(r["sha256"]) == 64 and r["imported_at"][:2] == "20" for r in records)
    assert main(["sources", "--db", str(db_path)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["importiert", "am", "von", "Art", "Zeilen", "Summe", "€", "Kodierung", "Datei"]
    assert table[-1] == "9 Datei(en)"
    assert all(re.match(r"\d{2}\.\d{2}\.20\d{2} \d{2}:\d{2}:\d{2} MES?Z ", line) for line in table[1:-1])
    assert all(f" {user[:10]} " in line for line in table[1:-1])
