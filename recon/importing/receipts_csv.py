"""The Kundenbelege CSV (one row per position item and receipt) to the rows the Receipts API JSON gives.

Both land in `receipts` / `receipt_lines`, so the engine reads one set of receipts whatever the source, and
a receipt that comes both ways is one receipt: `overlap_receipts.sql` compares the facts, not the bytes.
`raw` keeps every row of the CSV (typed fields and unknown columns) so nothing the file said is lost.
"""

from __future__ import annotations

import hashlib

import polars as pl

from recon import i18n
from recon.importing.csv_kinds import EXTRA_COL
from recon.importing.layouts import Layout
from recon.importing.problems import Problem, Rejected
from recon.importing.receipts import LINE_SCHEMA, RECEIPT_SCHEMA, Staged

# Facts a receipt states once; every row of the receipt must repeat them.
HEAD = ("receipt_type", "created_at", "shipped_at", "order_number", "currency")
AMOUNTS = ("price_gross", "discount_gross", "vat", "shipping_gross", "freight_gross")
# Shipping columns and the API's delivery cost type each becomes.
FEES = (("shipping_gross", "DELIVERY_FEE_STANDARD"), ("freight_gross", "DELIVERY_FEE_FREIGHT_SURCHARGE"))


def stage(typed: pl.DataFrame, layout: Layout, headers: dict[str, str]) -> Staged:
    """Receipts and their lines; `headers` names each field as the file does (for messages)."""
    types = {str(k): str(v) for k, v in layout.options.get("receipt_types", {}).items()}
    rows = typed.with_columns(pl.col("receipt_type").replace_strict(types, default=None, return_dtype=pl.String))
    _check(rows, headers)
    first = pl.col("source_line").rank("ordinal").over("receipt_number") == 1
    rows = rows.sort("source_line").with_columns(first.alias("__first"))
    raw_rows = typed.sort("source_line").select(
        "receipt_number", pl.struct(pl.all().exclude(EXTRA_COL).cast(pl.String), pl.col(EXTRA_COL)).struct
        .json_encode().alias("raw_row"),
    )
    raws = raw_rows.group_by("receipt_number", maintain_order=True).agg(
        (pl.lit("[") + pl.col("raw_row").str.join(",") + pl.lit("]")).first().alias("raw")
    )
    heads = (
        rows.group_by("receipt_number", maintain_order=True)
        .agg(
            pl.col("source_line").min(), *[pl.col(c).first() for c in HEAD],
            (pl.col("price_gross").sum() + pl.col("shipping_gross").fill_null(0).sum()
             + pl.col("freight_gross").fill_null(0).sum()).alias("total_gross"),
        )
        .join(raws, on="receipt_number")
    )
    heads = heads.with_columns(
        pl.Series("content_sha256", [hashlib.sha256(r.encode("utf-8")).hexdigest() for r in heads["raw"]]),
        pl.lit(None, pl.String).alias("sales_order_id"), pl.lit(None, pl.String).alias("linked_receipt_number"),
    ).select([pl.col(c).cast(t) for c, t in RECEIPT_SCHEMA.items()])
    return Staged(heads, _lines(rows))


def _lines(rows: pl.DataFrame) -> pl.DataFrame:
    common = [pl.col("source_line"), pl.col("receipt_number"), pl.col("currency")]
    items = rows.select(
        *common, pl.lit("ITEM").alias("line_type"), "position_item_id", "sku", "article_number", "title",
        pl.lit(None, pl.String).alias("fee_type"), pl.col("price_gross").alias("gross_amount"), "discount_gross",
        "vat_rate", pl.col("vat").alias("vat_amount"), pl.lit(0).alias("__order"),
    )
    fees = [
        rows.filter(pl.col(column).is_not_null() & (pl.col(column) != 0) & pl.col("__first")).select(
            *common, pl.lit("DELIVERY_FEE").alias("line_type"), pl.lit(None, pl.String).alias("position_item_id"),
            pl.lit(None, pl.String).alias("sku"), pl.lit(None, pl.String).alias("article_number"),
            pl.lit(None, pl.String).alias("title"), pl.lit(fee_type).alias("fee_type"),
            pl.col(column).alias("gross_amount"), pl.lit(None, LINE_SCHEMA["discount_gross"]).alias("discount_gross"),
            pl.lit(None, LINE_SCHEMA["vat_rate"]).alias("vat_rate"),
            pl.lit(None, LINE_SCHEMA["vat_amount"]).alias("vat_amount"), pl.lit(n).alias("__order"),
        )
        for n, (column, fee_type) in enumerate(FEES, start=1)
    ]
    lines = pl.concat([items, *fees], how="vertical_relaxed").sort("receipt_number", "__order", "source_line")
    numbered = lines.with_columns(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int32).over("receipt_number").alias("line_no"),
        pl.lit(None, pl.String).alias("category"),
    )
    return numbered.select([pl.col(c).cast(t) for c, t in LINE_SCHEMA.items()])


def _check(rows: pl.DataFrame, headers: dict[str, str]) -> None:
    """A receipt is one receipt on every row; amounts are magnitudes; shipping stands on its first row."""
    problems: list[Problem] = []
    ordered = rows.sort("source_line")
    for name in HEAD:
        first = pl.col(name).first().over("receipt_number")
        bad = ordered.filter(~pl.col(name).eq_missing(first)).head(50)
        problems += [
            Problem(int(line), headers[name], i18n.t("receipt_csv.differs_within_receipt", receipt=number))
            for line, number in bad.select("source_line", "receipt_number").iter_rows()
        ]
    for name in AMOUNTS:
        negative = ordered.filter(pl.col(name) < 0).head(50)
        problems += [
            Problem(int(line), headers[name], i18n.t("receipt_csv.negative_amount"))
            for (line,) in negative.select("source_line").iter_rows()
        ]
    later = pl.col("source_line") != pl.col("source_line").min().over("receipt_number")
    for name, _fee_type in FEES:
        misplaced = ordered.filter(later & pl.col(name).is_not_null() & (pl.col(name) != 0)).head(50)
        problems += [
            Problem(int(line), headers[name], i18n.t("receipt_csv.shipping_not_first", receipt=number))
            for line, number in misplaced.select("source_line", "receipt_number").iter_rows()
        ]
    pair = ("receipt_number", "position_item_id")
    twice = ordered.filter(pl.col("source_line") != pl.col("source_line").min().over(*pair)).head(50)
    problems += [
        Problem(int(line), headers["position_item_id"], i18n.t("receipt_csv.item_twice", receipt=number))
        for line, number in twice.select("source_line", "receipt_number").iter_rows()
    ]
    if problems:
        raise Rejected(problems)
