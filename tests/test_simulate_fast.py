"""The simulator's lean paths write exactly what the dict path wrote: receipts straight to JSON text, cached
formatting, slim receipt records (issue 16: the 1M benchmark set in a fraction of the time and memory)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import msgspec
import pytest

from recon.simulate.documents import (
    BERLIN,
    ReceiptItem,
    _quoted,
    de_datetime,
    dumps_receipts,
    receipt,
    receipt_json,
)
from recon.simulate.quarter import FREIGHT, simulate
from recon.simulate.write import write_quarter


def _dumped(doc: dict[str, object]) -> str:
    return dumps_receipts([doc], as_page=False, indent=None)[1:-1]


@pytest.mark.parametrize("seed", [7, 2024])
def test_every_record_encodes_to_the_dumped_document(seed: int) -> None:
    quarter = simulate(orders=400, seed=seed, corrections="daily")
    records = quarter.receipt_records
    assert {r.receipt_type for r in records} == {"PURCHASE", "REFUND", "PARTIAL_REFUND"}
    assert any(r.delivery_fees and FREIGHT in r.delivery_fees for r in records)
    assert [r.json() for r in records] == [_dumped(r.document()) for r in records]


def test_odd_texts_and_prices_encode_as_the_dict_path_does() -> None:
    created = datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN)
    units = [("pid-1", "SKU-\"1\"", "Tisch \\ groß\t€\u2028😀", Decimal("10")),
             ("pid-2", "SKU-2", "Stuhl", Decimal("24.2")), ("pid-3", "SKU-3", "Lampe", Decimal("0.05"))]
    fees = {"DELIVERY_FEE_STANDARD": Decimal("5.95"), "DELIVERY_FEE_FREIGHT_SURCHARGE": Decimal("34.00")}
    text = receipt_json(receipt_type="REFUND", number="E-DE-1-1", order_number="ORD-1", sales_order_id="s\u0001",
                        created=created, items=units, linked_receipt="R-DE-1-1", delivery_fees=fees)
    doc = receipt(receipt_type="REFUND", number="E-DE-1-1", order_number="ORD-1", sales_order_id="s\u0001",
                  created=created, items=[ReceiptItem(*u) for u in units], linked_receipt="R-DE-1-1",
                  delivery_fees=fees)
    assert text == _dumped(doc)
    assert '"amountDue": {"amount": 74.20, "currency": "EUR"}' in text
    partial = receipt_json(receipt_type="PARTIAL_REFUND", number="T-DE-1-1", order_number="ORD-1",
                           sales_order_id="s", created=created, partial_refunds=units[1:2], linked_receipt="R-DE-1-1")
    assert partial == _dumped(receipt(receipt_type="PARTIAL_REFUND", number="T-DE-1-1", order_number="ORD-1",
                                      sales_order_id="s", created=created, linked_receipt="R-DE-1-1",
                                      partial_refunds=[ReceiptItem(*units[1])]))
    empty = receipt_json(receipt_type="PURCHASE", number="R", order_number="O", sales_order_id="s", created=created)
    assert empty == _dumped(receipt(receipt_type="PURCHASE", number="R", order_number="O", sales_order_id="s",
                                    created=created))


@pytest.mark.parametrize("text", ['plain-123', 'quote"d', "back\\slash", "tab\tnew\nline", "\x7f", "ä€\u2028😀", ""])
def test_quoted_strings_are_msgspecs(text: str) -> None:
    assert _quoted(text) == msgspec.json.encode(text).decode("utf-8")


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("pretty", "pages"), [(False, "day"), (True, "week")])
def test_records_and_dicts_write_the_same_files(tmp_path: Path, pretty: bool, pages: str) -> None:
    lean = simulate(orders=300, seed=11, corrections="daily")
    write_quarter(lean, tmp_path / "lean", pretty=pretty, receipt_pages=pages)
    assert lean.documents is None  # written from the records: no dict was built
    dicts = simulate(orders=300, seed=11, corrections="daily")
    assert len(dicts.receipts) == len(dicts.receipt_records)  # builds the dicts: the writer dumps those
    write_quarter(dicts, tmp_path / "dicts", pretty=pretty, receipt_pages=pages)
    lean_files, dict_files = _files(tmp_path / "lean"), _files(tmp_path / "dicts")
    assert len(lean_files) > 20 and lean_files == dict_files


def test_changed_receipt_dicts_are_what_is_written(tmp_path: Path) -> None:
    quarter = simulate(orders=300, seed=11)
    first = quarter.receipts[0]
    first["receiptNumber"] = "R-DE-CHANGED-1"
    write_quarter(quarter, tmp_path / "data", pretty=False)
    day = quarter.receipt_records[0].day
    year, week, _ = day.isocalendar()
    page = (tmp_path / "data" / "receipts" / f"receipts_{year}-W{week:02d}.json").read_text(encoding="utf-8")
    assert '"receiptNumber": "R-DE-CHANGED-1"' in page
    assert f'"receiptNumber": "{quarter.receipt_records[0].number}"' not in page


def test_a_replaced_price_is_encoded_anew() -> None:
    quarter = simulate(orders=300, seed=11)
    record = next(r for r in quarter.receipt_records if r.receipt_type == "PURCHASE" and len(r.items) == 1)
    before = record.json()
    record.items[0].product.gross = Decimal("12.30")
    after = record.json()
    assert after != before and after == _dumped(record.document())
    assert '"gross": {"amount": 12.30, "currency": "EUR"}, "net": {"amount": 10.34, "currency": "EUR"}' in after


def test_one_instant_shows_one_german_time_whatever_its_zone() -> None:
    berlin = datetime(2026, 8, 3, 2, 40, tzinfo=BERLIN)
    utc = datetime(2026, 8, 3, 0, 40, tzinfo=UTC)
    assert de_datetime(berlin) == de_datetime(utc) == "03.08.2026 02:40:00"
    assert de_datetime(berlin + timedelta(hours=1)) == "03.08.2026 03:40:00"


def test_the_same_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    for run in ("a", "b"):
        write_quarter(simulate(orders=300, seed=3, corrections="daily"), tmp_path / run, pretty=False,
                      receipt_pages="day")
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
