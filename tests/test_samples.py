"""The hand-made samples import with exact counts, sums, text and line numbers."""

from __future__ import annotations

import json
from decimal import Decimal

from recon.importing import import_paths
from recon.store import Database
from recon.store.receipt_json import receipt_json
from tests.conftest import SAMPLES


def _import_all(db: Database) -> dict[str, object]:
    report = import_paths(db, [SAMPLES])
    assert report.exit_code == 0, [f.problems for f in report.files]
    return {r.name.split("/")[-1]: r for r in report.files}


def test_every_sample_imports_with_its_kind_encoding_and_rows(db: Database) -> None:
    results = _import_all(db)
    summary = {name: (r.kind, r.encoding, r.rows, r.status) for name, r in results.items()}  # type: ignore[attr-defined]
    assert summary == {
        "correction_PK-2026-000007.csv": ("correction", "windows-1252", {"correction_lines": 1}, "imported"),
        "invoice_GG-2026-11.csv": ("invoice", "utf-8-sig", {"invoice_lines": 1}, "imported"),
        "invoice_PR-2026-000042.csv": ("invoice", "windows-1252", {"invoice_lines": 4}, "imported"),
        "payout_AZ-2026-000030.csv": ("payout", "windows-1252", {"payout_lines": 2}, "imported"),
        "payout_AZ-2026-000031.csv": ("payout", "windows-1252", {"payout_lines": 3}, "imported"),
        "receipts_2026-10.json": ("receipts", "utf-8", {"receipts": 3, "receipt_lines": 5}, "imported"),
        # The same three receipts as the portal's CSV: one receipt each, so nothing new.
        "receipts_2026-10_kundenbelege.csv": ("receipt_csv", "windows-1252", {"receipts": 0, "receipt_lines": 0},
                                              "imported"),
        "statement_otto-payments_2026-11.csv": ("statement", "windows-1252", {"statement_lines": 5}, "imported"),
        "statement_ratepay_2026-11.csv": ("statement", "windows-1252", {"statement_lines": 4}, "imported"),
    }


def test_sums_per_file_are_exact_decimals(db: Database) -> None:
    _import_all(db)
    rows = db.con.execute(
        "SELECT original_name, amount_total FROM source_files ORDER BY original_name"
    ).fetchall()
    assert rows == [
        ("correction_PK-2026-000007.csv", Decimal("-60.48")),
        ("invoice_GG-2026-11.csv", Decimal("118.88")),
        ("invoice_PR-2026-000042.csv", Decimal("93.18")),
        ("payout_AZ-2026-000030.csv", Decimal("423.90")),
        ("payout_AZ-2026-000031.csv", Decimal("-461.06")),
        ("receipts_2026-10.json", Decimal("174.90")),
        ("receipts_2026-10_kundenbelege.csv", Decimal("0.00")),
        ("statement_otto-payments_2026-11.csv", Decimal("0.00")),
        ("statement_ratepay_2026-11.csv", Decimal("0.00")),
    ]
    net, vat, gross, base = db.con.execute(
        "SELECT sum(commission_net), sum(vat), sum(commission_gross), sum(base_gross) FROM invoice_lines "
        "WHERE invoice_number = 'PR-2026-000042'"
    ).fetchone()
    assert (net, vat, gross, base) == (Decimal("78.30"), Decimal("14.88"), Decimal("93.18"), Decimal("423.90"))
    assert db.con.execute("SELECT typeof(commission_net), typeof(commission_rate) FROM invoice_lines LIMIT 1"
                          ).fetchone() == ("DECIMAL(18,2)", "DECIMAL(9,4)")


def test_windows_1252_text_and_line_numbers_survive(db: Database) -> None:
    _import_all(db)
    rows = db.con.execute(
        "SELECT source_line, sku, category, base_gross, extra FROM invoice_lines "
        "WHERE invoice_number = 'PR-2026-000042' ORDER BY source_line"
    ).fetchall()
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        (2, "SCHRANK-EICHE-Ä1", "Möbel", Decimal("119.00")),
        (3, "KISSEN-GRÜN-ß", "Heimtextilien", Decimal("49.95")),
        (4, None, None, Decimal("5.95")),
        (5, "RING-750-GOLD", "Schmuck", Decimal("249.00")),
    ]
    assert json.loads(rows[0][4]) == {"Bemerkung": "Größe: ü ö ä ß €"}
    assert json.loads(rows[1][4]) == {"Bemerkung": None}


def test_shipping_time_is_read_as_berlin_local_time(db: Database) -> None:
    _import_all(db)
    utc = db.con.execute(
        "SELECT strftime(shipped_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M') FROM invoice_lines WHERE source_line = 2 "
        "AND invoice_number = 'PR-2026-000042'"
    ).fetchone()[0]
    assert utc == "2026-10-29 09:15"  # 10:15 CET (winter time since 25.10.2026)


def test_receipts_are_flattened_per_position_item_with_raw_json_kept(db: Database) -> None:
    _import_all(db)
    lines = db.con.execute(
        "SELECT receipt_number, line_type, position_item_id, sku, gross_amount, vat_amount, source_line "
        "FROM receipt_lines ORDER BY receipt_number, line_no"
    ).fetchall()
    assert lines == [
        ("E-DE-1002-1", "ITEM", "8b1c2d3e-4f50-4a61-8b72-9c8d7e6f5a03", "RING-750-GOLD", Decimal("249.00"),
         Decimal("39.76"), 3),
        ("R-DE-1001-1", "ITEM", "3f2a9c1e-0b7d-4c55-9e61-7a1d2b3c4d01", "SCHRANK-EICHE-Ä1", Decimal("119.00"),
         Decimal("19.00"), 1),
        ("R-DE-1001-1", "ITEM", "3f2a9c1e-0b7d-4c55-9e61-7a1d2b3c4d02", "KISSEN-GRÜN-ß", Decimal("49.95"),
         Decimal("7.98"), 1),
        ("R-DE-1001-1", "DELIVERY_FEE", None, None, Decimal("5.95"), Decimal("0.95"), 1),
        ("R-DE-1002-1", "ITEM", "8b1c2d3e-4f50-4a61-8b72-9c8d7e6f5a03", "RING-750-GOLD", Decimal("249.00"),
         Decimal("39.76"), 2),
    ]
    # The receipt's JSON is kept as the file held it: its slice of the file's stored text (`raw` stays empty).
    sha, line, stored_raw = db.con.execute(
        "SELECT source_sha256, source_line, raw FROM receipts WHERE receipt_number = 'R-DE-1001-1'").fetchone()
    text = receipt_json(db.con, [(sha, line)])[(sha, line)]
    assert stored_raw is None and (sha, line) == (sha, 1)
    file_text = (SAMPLES / "receipts_2026-10.json").read_text(encoding="utf-8")
    assert text.startswith('{\n      "receiptType": "PURCHASE",') and text.endswith("}") and text in file_text
    raw = json.loads(text)
    assert raw["receiptNumber"] == "R-DE-1001-1"
    assert raw["lineItems"]["deliveryCosts"][0]["positionSum"]["gross"]["amount"] == 5.95
    assert '"amount": 119.00' in text
    assert json.loads(text, parse_float=Decimal) == json.loads(file_text, parse_float=Decimal)["resources"][0]


def test_api_example_in_the_published_shape_imports(db: Database) -> None:
    report = import_paths(db, [SAMPLES.parent / "api" / "receipts_api_example.json"])
    assert [(f.status, f.rows) for f in report.files] == [("imported", {"receipts": 3, "receipt_lines": 5})]
