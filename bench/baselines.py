"""The two baselines `make bench` times recon's import against, each run as its own process.

- ``floor``: the least work any importer of these files must do, done as cheaply as Python allows: every CSV
  decoded from windows-1252 and parsed by polars (all columns as text: splitting lines is the floor, typing is
  the importer's job), every receipts page decoded by msgspec into typed Structs that hold only the fields
  recon needs (amounts as Decimal from their text). No validation, no database.
- ``duckdb``: what a user who scripts DuckDB directly would write: transcode each CSV to UTF-8, load it with
  ``read_csv`` and typed casts (German amounts and dates), and load each receipts page with ``read_json`` and
  ``unnest`` into one row per position item, all into one fresh DuckDB file. No validation beyond the casts,
  no idempotence, no line numbers, no atomicity per file.

Both print the number of position-item rows they read, so the bench can check they did the whole job.

    python bench/baselines.py floor FILES_DIR
    python bench/baselines.py duckdb FILES_DIR OUT.duckdb
"""

from __future__ import annotations

import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import msgspec

# German amount columns of the reference layouts, and the date and date-time columns.
AMOUNTS = {
    "Bemessungsgrundlage brutto", "Provisionssatz", "Provision netto", "USt-Satz", "USt", "Provision brutto",
    "Auszahlungsbetrag", "Betrag",
}
DATES = {
    "Rechnungsdatum", "Fälligkeitsdatum", "Leistungszeitraum von", "Leistungszeitraum bis", "Korrekturdatum",
    "Retourendatum", "Auszahlungsdatum", "Belegdatum",
}
DATETIMES = {"Versanddatum"}


class Money(msgspec.Struct):
    amount: Decimal
    currency: str


class Price(msgspec.Struct):
    gross: Money
    taxRate: str | None = None  # noqa: N815 (the API's name)


class Position(msgspec.Struct):
    positionItemIds: list[str]  # noqa: N815
    quantity: int
    unitPrice: Price  # noqa: N815
    sku: str | None = None


class LineItems(msgspec.Struct):
    itemPositions: list[Position]  # noqa: N815


class Receipt(msgspec.Struct):
    receiptType: str  # noqa: N815
    receiptNumber: str  # noqa: N815
    creationDate: str  # noqa: N815
    orderNumber: str  # noqa: N815
    lineItems: LineItems  # noqa: N815


class Page(msgspec.Struct):
    resources: list[Receipt]


def floor(files: Path) -> int:
    import polars as pl

    decoder = msgspec.json.Decoder(Page, float_hook=Decimal)
    items = 0
    for path in sorted(files.rglob("*")):
        if path.suffix == ".csv":
            text = path.read_bytes().decode("cp1252").encode("utf-8")
            pl.read_csv(text, separator=";", infer_schema=False)
        elif path.suffix == ".json":
            page = decoder.decode(path.read_bytes())
            items += sum(len(p.positionItemIds) for r in page.resources if r.receiptType == "PURCHASE"
                         for p in r.lineItems.itemPositions)
    return items


def _cast(name: str) -> str:
    """The SELECT expression that types one column the way a DuckDB user would write it."""
    quoted = '"' + name.replace('"', '""') + '"'
    if name in AMOUNTS:
        return f"CAST(replace(replace({quoted}, '.', ''), ',', '.') AS DECIMAL(18, 2)) AS {quoted}"
    if name in DATES:
        return f"CAST(strptime({quoted}, '%d.%m.%Y') AS DATE) AS {quoted}"
    if name in DATETIMES:
        return f"strptime({quoted}, '%d.%m.%Y %H:%M:%S') AS {quoted}"
    return quoted


# One row per position item from the receipts pages; the nested types are declared so amounts are DECIMAL.
RECEIPTS_SQL = """
CREATE TABLE receipt_items AS
WITH r AS (
    SELECT unnest(resources) AS r
    FROM read_json(?, format = 'auto', maximum_object_size = 1073741824, columns = {resources: 'STRUCT(
        receiptType VARCHAR, receiptNumber VARCHAR, creationDate TIMESTAMPTZ, orderNumber VARCHAR,
        lineItems STRUCT(itemPositions STRUCT(sku VARCHAR, positionItemIds VARCHAR[], quantity INTEGER,
            unitPrice STRUCT(taxRate VARCHAR, gross STRUCT(amount DECIMAL(18, 2), currency VARCHAR)))[]))[]'})
), p AS (
    SELECT r.receiptType AS receipt_type, r.receiptNumber AS receipt_number, r.creationDate AS created,
           r.orderNumber AS order_number, unnest(r.lineItems.itemPositions) AS p
    FROM r
)
SELECT receipt_type, receipt_number, created, order_number, p.sku AS sku,
       unnest(p.positionItemIds) AS position_item_id, p.unitPrice.gross.amount AS unit_gross,
       p.unitPrice.taxRate AS tax_rate
FROM p
"""


def duckdb_direct(files: Path, out: Path) -> int:
    import duckdb

    con = duckdb.connect(str(out))
    con.execute("SET preserve_insertion_order = false")
    tables: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="recon-duckdb-baseline-") as tmp:
        for n, path in enumerate(sorted(files.rglob("*.csv"))):
            utf8 = Path(tmp) / f"{n}.csv"
            utf8.write_bytes(path.read_bytes().decode("cp1252").encode("utf-8"))
            header = utf8.read_text(encoding="utf-8").split("\n", 1)[0].strip().split(";")
            table = path.parent.name
            select = ", ".join(_cast(name) for name in header)
            source = f"read_csv('{utf8}', delim=';', header=true, all_varchar=true, quote='\"')"
            if table in tables:
                con.execute(f"INSERT INTO {table} BY NAME SELECT {select} FROM {source}")  # noqa: S608 (bench)
            else:
                con.execute(f"CREATE TABLE {table} AS SELECT {select} FROM {source}")  # noqa: S608 (bench)
                tables.add(table)
        pages = sorted(str(p) for p in files.rglob("*.json"))
        if pages:
            con.execute(RECEIPTS_SQL, [pages])
    row = con.execute("SELECT count(*) FROM receipt_items WHERE receipt_type = 'PURCHASE'").fetchone()
    con.close()
    return int(row[0]) if row else 0


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "floor":
        print(floor(Path(argv[1])))
        return 0
    if len(argv) >= 3 and argv[0] == "duckdb":
        print(duckdb_direct(Path(argv[1]), Path(argv[2])))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
