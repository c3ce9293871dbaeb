"""The fast lane for receipts gives exactly the rows of the careful (pydantic) path, or steps aside."""

from __future__ import annotations

import json
from datetime import UTC
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from recon.importing import receipts, receipts_fast
from recon.importing.problems import Rejected
from recon.importing.receipts import Staged
from recon.simulate.documents import dumps_receipt_lines, dumps_receipts
from recon.simulate.quarter import simulate
from tests.conftest import SAMPLES


def careful(data: bytes) -> Staged:
    return receipts._parse_careful(data, None)


def receipt_texts(staged: Staged) -> list[bytes]:
    """Each receipt's JSON as the store keeps it from the fast lane: its slice of the file's text."""
    page = staged.page
    assert page is not None and staged.receipts["raw"].null_count() == staged.receipts.height
    return [page.text[page.starts[n - 1]:page.ends[n - 1]] for n in staged.receipts["source_line"]]


def same(a: Staged, b: Staged) -> None:
    """The same rows. `b` from the careful path: its raw JSON (the canonical dump) is the same JSON value as each
    receipt's slice of the file that the fast lane `a` keeps; `b` from the fast lane too: the same slices."""
    assert a.receipts.schema == b.receipts.schema and a.lines.schema == b.lines.schema
    assert a.receipts.drop("raw").equals(b.receipts.drop("raw")) and a.lines.equals(b.lines)
    if b.page is None:
        assert [json.loads(t, parse_float=Decimal) for t in receipt_texts(a)] == [
            json.loads(raw, parse_float=Decimal) for raw in b.receipts["raw"]]
    else:
        assert receipt_texts(a) == receipt_texts(b)


@pytest.fixture(scope="module")
def generated() -> list[dict[str, object]]:
    return simulate(orders=120, seed=11).receipts


@pytest.mark.parametrize("shape", ["page-pretty", "page-compact", "list", "one"])
def test_fast_lane_rows_equal_the_careful_rows(generated: list[dict[str, object]], shape: str) -> None:
    text = {
        "page-pretty": lambda: dumps_receipts(generated, indent=2),
        "page-compact": lambda: dumps_receipts(generated, indent=None),
        "list": lambda: dumps_receipts(generated, as_page=False, indent=None),
        "one": lambda: dumps_receipts(generated[:1], as_page=False, indent=None)[1:-1],
    }[shape]()
    data = text.encode("utf-8")
    fast = receipts._parse_fast(data)
    assert fast is not None
    same(fast, careful(data))


def test_the_hand_written_samples_take_the_fast_lane_with_the_same_rows() -> None:
    for path in SAMPLES.glob("*.json"):
        data = path.read_bytes()
        fast = receipts._parse_fast(data)
        assert fast is not None, path
        same(fast, careful(data))


def test_raw_json_is_byte_for_byte_the_careful_dump(generated: list[dict[str, object]]) -> None:
    doc = json.loads(dumps_receipts(generated[:3], as_page=False, indent=None), parse_float=Decimal)
    doc[0]["lineItems"]["itemPositions"][0]["productTitle"] = "ä€\u2028 tab\there \"quoted\" \\"
    doc[0]["lineItems"]["itemPositions"][0]["unitPrice"]["gross"]["amount"] = Decimal("100.50")
    doc[0]["totals"][0]["gross"]["amount"] = 7  # an integer amount: a Decimal in the typed receipt, 7 as sent
    data = receipts._dump(doc).encode("utf-8")
    decoded = receipts_fast.decode(data)
    assert decoded is not None
    assert [raw.decode("utf-8") for raw in decoded[1]] == [receipts._dump(obj) for obj in doc]
    assert '"unitPrice":{"gross":{"amount":100.50,' in decoded[1][0].decode("utf-8")


@pytest.mark.parametrize(("amount", "written"), [("1E+2", "1E+2"), ("-0", "0"), ("12345678901234567", None)])
def test_an_amount_the_typed_decode_could_write_otherwise_takes_the_careful_path(
    generated: list[dict[str, object]], amount: str, written: str | None
) -> None:
    """An exponent (its size unknown to the byte scan), an integer minus zero (the careful dump writes 0) and 16 or
    more digits before the point (maybe beyond the store's largest amount: pydantic refuses it anywhere)."""
    text = dumps_receipts(generated[:3], as_page=False, indent=None)
    first = text.index('"amount": ', text.index('"unitPrice"')) + len('"amount": ')
    data = (text[:first] + amount + text[text.index(",", first):]).encode("utf-8")
    assert receipts_fast.decode(data) is None and receipts._parse_fast(data) is None
    if written is None:
        with pytest.raises(Rejected) as exc:
            receipts.parse(data)
        assert [(p.line, p.field) for p in exc.value.problems] == [
            (1, "lineItems.itemPositions[0].unitPrice.gross.amount")]
    else:
        raw = receipts.parse(data).receipts["raw"][0]
        unit = json.loads(raw, parse_float=Decimal)["lineItems"]["itemPositions"][0]["unitPrice"]
        assert f'"amount":{written},' in receipts._dump(unit)


def test_fields_the_models_do_not_know_take_the_careful_path_which_keeps_them(
    generated: list[dict[str, object]]
) -> None:
    doc = json.loads(dumps_receipts(generated[:3], as_page=False, indent=None), parse_float=Decimal)
    doc[0]["zExtra"] = {"b": [1, Decimal("2.50"), "ä€\u2028"], "a": None}
    data = receipts._dump(doc).encode("utf-8")
    assert receipts_fast.decode(data) is None
    staged = receipts.parse(data)
    assert json.loads(staged.receipts["raw"][0], parse_float=Decimal)["zExtra"] == doc[0]["zExtra"]


@pytest.mark.parametrize("text", [
    '"amount": "12.30"',  # an amount as a string (pydantic's Decimal also takes "NaN" there)
    '"amo\\u0075nt": 12.30',  # an escaped letter
    '"creationDate": "2026-08-03T10:00:00.1234567Z"',  # sub-microseconds: pydantic truncates, msgspec rounds
])
def test_what_the_fast_lane_could_read_differently_goes_the_careful_way(text: str) -> None:
    assert not receipts_fast.safe(("{" + text + "}").encode())


def test_json_lines_and_invalid_receipts_step_aside(generated: list[dict[str, object]]) -> None:
    assert receipts._parse_fast(dumps_receipt_lines(generated[:5]).encode()) is None
    broken = json.loads(dumps_receipts(generated[:2], indent=None), parse_float=Decimal)
    del broken["resources"][1]["orderNumber"]
    assert receipts._parse_fast(receipts._dump(broken).encode()) is None
    repeated = dumps_receipts([generated[0], generated[0]], indent=None).encode()
    assert receipts._parse_fast(repeated) is None


def test_a_big_page_read_in_two_processes_gives_the_rows_of_one(
    generated: list[dict[str, object]], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = dumps_receipts(generated, indent=None).encode()
    monkeypatch.setenv("RECON_IMPORT_HELPER", "0")
    alone = receipts._parse_fast(data)
    monkeypatch.setenv("RECON_IMPORT_HELPER", "1")
    monkeypatch.setattr(receipts, "PARALLEL_MIN_RECEIPTS", 10)
    split = receipts._parse_fast(data)
    assert alone is not None and split is not None
    same(split, alone)
    assert split.receipts["source_line"].to_list() == list(range(1, len(generated) + 1))
    assert pl.concat([split.lines]).height == alone.lines.height


def test_the_fast_types_follow_the_models() -> None:
    from recon.importing.receipts_model import Receipt

    fast = receipts_fast.struct_for(Receipt)
    assert set(fast.__struct_fields__) == set(Receipt.model_fields)
    assert fast.__struct_encode_fields__[fast.__struct_fields__.index("receipt_number")] == "receiptNumber"


def test_parse_keeps_the_garbage_collector_as_it_found_it() -> None:
    import gc

    assert gc.isenabled()
    receipts.parse((Path(SAMPLES) / "receipts_2026-10.json").read_bytes())
    assert gc.isenabled()


BROKEN = {
    "blank number": lambda r: r.update(receiptNumber="  "),
    "invisible order number": lambda r: r.update(orderNumber="ORD-1\u00ad"),
    "amount too large": lambda r: r["totals"][0]["gross"].update(amount=Decimal("1E+17")),
    "net too large": lambda r: r["lineItems"]["itemPositions"][0]["positionSum"]["net"].update(
        amount=Decimal("10000000000000000")),
    "tax rate no number": lambda r: r["lineItems"]["itemPositions"][0]["positionSum"].update(taxRate="NONE"),
    "tax rate above 100": lambda r: r["totals"][0].update(taxRate="101"),
    "no position ids": lambda r: r["lineItems"]["itemPositions"][0].update(positionItemIds=[]),
    "blank position id": lambda r: r["lineItems"]["itemPositions"][0].update(positionItemIds=[" "]),
    "invisible position id": lambda r: r["lineItems"]["itemPositions"][0].update(positionItemIds=["a\u200bb"]),
    "quantity vs ids": lambda r: r["lineItems"]["itemPositions"][0].update(quantity=3),
    "quantity zero": lambda r: r["lineItems"]["itemPositions"][0].update(quantity=0),
    # Amounts not stored, still refused by pydantic (the fast lane took them before it scanned every amount):
    "unit price too large": lambda r: r["lineItems"]["itemPositions"][0]["unitPrice"]["gross"].update(
        amount=10**25),
    "amount due too large": lambda r: r["amountDue"].update(amount=Decimal("10000000000000000.00")),
    # Date-times, which the fast lane reads as text and parses apart:
    "empty shipment date": lambda r: r.update(shipmentDate=""),
    "order date in month 13": lambda r: r.update(orderDate="2026-13-01T10:00:00Z"),
    "creation date no date": lambda r: r.update(creationDate="gestern"),
}


@pytest.mark.parametrize("fault", [None, *BROKEN])
def test_the_fast_lanes_yes_or_no_is_the_careful_paths_verdict(
    generated: list[dict[str, object]], fault: str | None
) -> None:
    """The fast lane takes a receipt exactly when the careful path stores it (and the same rows then)."""
    doc = json.loads(dumps_receipts(generated[:1], as_page=False, indent=None), parse_float=Decimal)[0]
    if fault is not None:
        BROKEN[fault](doc)
    data = receipts._dump([doc]).encode("utf-8")
    fast = receipts._parse_fast(data)
    if fault is None:
        assert fast is not None
        same(fast, careful(data))
    else:
        assert fast is None
        with pytest.raises(Rejected):
            careful(data)


@pytest.mark.parametrize("texts", [
    ["2026-10-10T10:47:00.000Z", "2026-10-10T10:47:00.123456+02:00", None, "2026-03-29T01:59:59-11:30",
     "2026-12-31T23:59:59.5+14:00", "2026-10-25T02:30:00-00:00"],  # the usual form: polars parses the column
    ["2026-10-10T10:47:00Z", "2026-10-10 10:47:00Z", "2026-10-10t10:47:00z", "2026-10-10T10:47:00+23:00"],
])
def test_date_time_columns_hold_the_instants_msgspec_reads(texts: list[str | None]) -> None:
    read = receipts_fast.check_times([t for t in texts if t is not None])
    assert read is not None
    column = receipts._times("created_at", texts)
    assert column is not None and column.dtype == pl.Datetime("us", "UTC")
    at = iter(read)
    assert [None if t is None else next(at).astimezone(UTC) for t in texts] == [
        None if v is None else v.astimezone(UTC) for v in column.to_list()]
    assert receipts._times("created_at", [*texts, "2026-02-30T10:00:00Z"]) is None


def test_a_wrong_date_time_inside_a_discount_takes_the_careful_path(generated: list[dict[str, object]]) -> None:
    doc = json.loads(dumps_receipts(generated[:1], as_page=False, indent=None), parse_float=Decimal)[0]
    item = doc["lineItems"]["itemPositions"][0]
    discount = {"priceModificationType": "PARTNER_DISCOUNT", "details": {"description": "1 € Rabatt"},
                "priceModificationAmount": {"taxType": "VAT", "taxRate": "19.0",
                                            "gross": {"amount": Decimal("1.00"), "currency": "EUR"}}}
    item["priceModifications"] = [discount]
    good = receipts._parse_fast(receipts._dump([doc]).encode("utf-8"))
    assert good is not None and good.lines["discount_gross"][0] == Decimal("1.00")
    discount["details"]["linkedReceiptCreationDate"] = "2026-13-01T10:00:00Z"
    data = receipts._dump([doc]).encode("utf-8")
    assert receipts._parse_fast(data) is None
    with pytest.raises(Rejected) as exc:
        careful(data)
    assert [p.field for p in exc.value.problems] == [
        "lineItems.itemPositions[0].priceModifications[0].details.linkedReceiptCreationDate"]
