"""Frames from the views turned into the German-text tables the pages show (column names for people)."""

from __future__ import annotations

import polars as pl

from recon import i18n
from recon.engine import TieOut, tie_out
from recon.ui.fmt import display_frame, eur


def payouts_table(payouts: pl.DataFrame) -> pl.DataFrame:
    out = payouts.with_columns(
        pl.when(pl.col("ties_out")).then(pl.lit("✓ ties out")).otherwise(pl.lit("✗ does not tie out")).alias("ties_out")
    )
    out = display_frame(out, money=("payout_total", "line_sum"), dates=("payout_date",))
    return out.select(
        pl.col("payout_date").alias("Date"), pl.col("payout_number").alias("Payout"),
        pl.col("payout_total").alias("Total"), pl.col("line_sum").alias("Sum of lines"),
        pl.col("lines").alias("Lines"), pl.col("lines_off").alias("Lines off"),
        pl.col("ties_out").alias("Tie-out"), pl.col("file").alias("File"),
    )


def payout_lines_table(lines: pl.DataFrame) -> pl.DataFrame:
    out = display_frame(lines, money=("amount", "document_amount"), dates=("document_date", "due_date"))
    return out.select(
        pl.col("line").alias("Line"), pl.col("document_type").alias("Document type"),
        pl.col("document_number").alias("Document"), pl.col("document_date").alias("Dated"),
        pl.col("due_date").alias("Due"), pl.col("order_number").alias("Order"), pl.col("amount").alias("Amount"),
        pl.col("document_amount").alias("Document says"), pl.col("status").alias("Status"),
    )


def open_summary_table(summary: pl.DataFrame) -> pl.DataFrame:
    out = display_frame(summary, money=("amount",), dates=("settlement_day",))
    return out.select(
        pl.col("settlement_day").alias("Settlement day"), pl.col("document_type").alias("Document type"),
        pl.col("documents").alias("Documents"), pl.col("amount").alias("Amount"),
        pl.when(pl.col("overdue")).then(pl.lit("overdue")).otherwise(pl.lit("")).alias("Overdue"),
    )


def open_items_table(items: pl.DataFrame) -> pl.DataFrame:
    out = display_frame(items, money=("amount",), dates=("document_date", "due_date", "settlement_day"))
    return out.select(
        pl.col("settlement_day").alias("Settlement day"), pl.col("document_type").alias("Document type"),
        pl.col("document_number").alias("Document"), pl.col("document_date").alias("Dated"),
        pl.col("due_date").alias("Due"), pl.col("order_number").alias("Order"), pl.col("amount").alias("Amount"),
        pl.when(pl.col("overdue")).then(pl.lit("overdue")).otherwise(pl.lit("")).alias("Overdue"),
    )


def month_de(frame: pl.DataFrame, column: str) -> pl.Series:
    return pl.Series(column, [d.strftime("%m.%Y") if d else "" for d in frame[column].to_list()], dtype=pl.String)


def categories_table(categories: pl.DataFrame) -> pl.DataFrame:
    out = display_frame(categories.with_columns(month_de(categories, "month")),
                        money=("sold_gross", "invoiced_gross", "expected_gross"), signed=("difference_gross",))
    return out.select(
        pl.col("month").alias("Month"), pl.col("category").alias("Category"),
        pl.col("sold_items").alias("Items sold"), pl.col("sold_gross").alias("Sold (gross)"),
        pl.col("invoiced_lines").alias("Lines invoiced"),
        pl.col("invoiced_gross").alias("Commission invoiced"), pl.col("expected_gross").alias("Commission expected"),
        pl.col("difference_gross").alias("Difference"),
    )


def category_totals(categories: pl.DataFrame) -> pl.DataFrame:
    """Per category over the whole period (summed in DuckDB's Decimal type, here in polars Decimal)."""
    totals = (categories.group_by("category")
              .agg(pl.col("sold_items").sum(), pl.col("sold_gross").sum(), pl.col("invoiced_gross").sum(),
                   pl.col("expected_gross").sum(), pl.col("difference_gross").sum())
              .sort("category"))
    out = display_frame(totals, money=("sold_gross", "invoiced_gross", "expected_gross"), signed=("difference_gross",))
    return out.select(
        pl.col("category").alias("Category"), pl.col("sold_items").alias("Items sold"),
        pl.col("sold_gross").alias("Sold (gross)"), pl.col("invoiced_gross").alias("Commission invoiced"),
        pl.col("expected_gross").alias("Commission expected"), pl.col("difference_gross").alias("Difference"),
    )



def tie_out_table(tied: tuple[TieOut, ...]) -> pl.DataFrame:
    """The tie-out for the overview: per category invoiced, expected, explained by findings, unexplained."""
    heads = [i18n.t(f"tie_out.{k}") for k in ("category", "invoiced", "expected", "explained", "unexplained")]
    rows = [(tie_out.label(t.category), eur(t.invoiced), eur(t.expected), eur(t.explained), eur(t.unexplained))
            for t in tied]
    return pl.DataFrame(rows, orient="row", schema=dict.fromkeys(heads, pl.String))
