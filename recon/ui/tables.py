"""Frames from the views turned into the tables the pages show (column names for people, from the catalogue)."""

from __future__ import annotations

from typing import Any

import polars as pl

from recon import i18n
from recon.engine import TieOut
from recon.engine import tie_out as tie_out_model
from recon.ui.fmt import display_frame, eur


def col(name: str) -> str:
    """A column heading: ui.col.NAME in the reader's language."""
    return i18n.t(f"ui.col.{name}")


def _named(frame: pl.DataFrame, names: list[str]) -> pl.DataFrame:
    """Select `names` (view columns, in order) and head them with their catalogue labels."""
    return frame.select([(pl.col(n).fill_null("") if frame.schema[n] == pl.String else pl.col(n)).alias(col(n))
                         for n in names])


def tie_out(row: dict[str, Any]) -> str:
    """What is wrong with a payout, not just that something is: its total against its lines, or lines
    against their documents (equal totals can still hide a line that settles the wrong amount)."""
    if row["ties_out"]:
        return i18n.t("ui.payouts.ties_out")
    if row["payout_total"] != row["line_sum"]:
        return i18n.t("ui.payouts.total_differs")
    return i18n.t("ui.payouts.lines_differ", count=row["lines_off"])


def payouts_table(payouts: pl.DataFrame) -> pl.DataFrame:
    out = payouts.with_columns(pl.Series("tie_out", [tie_out(r) for r in payouts.iter_rows(named=True)],
                                         dtype=pl.String))
    out = display_frame(out, money=("payout_total", "line_sum"), dates=("payout_date",))
    return _named(out, ["payout_date", "payout_number", "payout_total", "line_sum", "lines", "lines_off", "tie_out",
                        "file"])


def _status(frame: pl.DataFrame) -> pl.Series:
    return pl.Series("status", [i18n.t(f"ui.status.{s}") if i18n.has(f"ui.status.{s}") else s
                                for s in frame["status"].to_list()], dtype=pl.String)


def payout_lines_table(lines: pl.DataFrame) -> pl.DataFrame:
    out = display_frame(lines.with_columns(_status(lines)), money=("amount", "document_amount"),
                        dates=("document_date", "due_date"))
    return _named(out, ["line", "document_type", "document_number", "document_date", "due_date", "order_number",
                        "amount", "document_amount", "status"])


def _overdue(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.when(pl.col("overdue")).then(pl.lit(i18n.t("ui.payouts.overdue")))
                              .otherwise(pl.lit("")).alias("overdue"))


def open_summary_table(summary: pl.DataFrame) -> pl.DataFrame:
    out = display_frame(_overdue(summary), money=("amount",), dates=("settlement_day",))
    return _named(out, ["settlement_day", "document_type", "documents", "amount", "overdue"])


def open_items_table(items: pl.DataFrame) -> pl.DataFrame:
    out = display_frame(_overdue(items), money=("amount",), dates=("document_date", "due_date", "settlement_day"))
    return _named(out, ["settlement_day", "document_type", "document_number", "document_date", "due_date",
                        "order_number", "amount", "overdue"])


def month_de(frame: pl.DataFrame, column: str) -> pl.Series:
    fmt = "%m.%Y" if i18n.lang() == "de" else "%Y-%m"
    return pl.Series(column, [d.strftime(fmt) if d else "" for d in frame[column].to_list()], dtype=pl.String)


def categories_table(categories: pl.DataFrame) -> pl.DataFrame:
    out = display_frame(categories.with_columns(month_de(categories, "month")),
                        money=("sold_gross", "invoiced_gross", "expected_gross"), signed=("difference_gross",))
    return _named(out, ["month", "category", "sold_items", "sold_gross", "invoiced_lines", "invoiced_gross",
                        "expected_gross", "difference_gross"])


def category_totals(categories: pl.DataFrame) -> pl.DataFrame:
    """Per category over the whole period (summed in DuckDB's Decimal type, here in polars Decimal)."""
    totals = (categories.group_by("category")
              .agg(pl.col("sold_items").sum(), pl.col("sold_gross").sum(), pl.col("invoiced_gross").sum(),
                   pl.col("expected_gross").sum(), pl.col("difference_gross").sum())
              .sort("category"))
    out = display_frame(totals, money=("sold_gross", "invoiced_gross", "expected_gross"), signed=("difference_gross",))
    return _named(out, ["category", "sold_items", "sold_gross", "invoiced_gross", "expected_gross",
                        "difference_gross"])


def tie_out_table(tied: tuple[TieOut, ...]) -> pl.DataFrame:
    """The tie-out for the overview: per category invoiced, expected, explained by findings, unexplained."""
    heads = [i18n.t(f"tie_out.{k}") for k in ("category", "invoiced", "expected", "explained", "unexplained")]
    rows = [(tie_out_model.label(t.category), eur(t.invoiced), eur(t.expected), eur(t.explained),
             eur(t.unexplained)) for t in tied]
    return pl.DataFrame(rows, orient="row", schema=dict.fromkeys(heads, pl.String))
