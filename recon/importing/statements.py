"""Account statements (Kontoauszug of OTTO Payments or Ratepay): typed rows to stored transactions.

A statement is not one document but a window on an account, and OTTO's monthly downloads overlap. So the
key is the transaction, not the file: a transaction already stored with the same content is skipped, the
same Transaktions-ID with other content rejects the file (naming both sources), like receipts.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from recon import i18n
from recon.importing.layouts import Layout, normalize_header
from recon.importing.problems import Problem, Rejected
from recon.store import query

# The columns that make up a transaction's content (what a second download must repeat exactly).
CONTENT = ("booking_date", "transaction_type", "order_number", "document_number", "amount",
           "balance", "currency", "description")
KEY = ("account", "transaction_id")
OTHER = "other"


@dataclass(frozen=True)
class Staged:
    rows: pl.DataFrame  # what is new, ready for statement_lines
    skipped: int  # transactions already stored (or repeated in this file) with identical content


def account_of(headers: list[str], layout: Layout) -> str:
    """OTTO Payments and Ratepay are two accounts with two balances; the header's language tells which."""
    by_header = {normalize_header(h): account for h, account in layout.options.get("account_by_header", {}).items()}
    for header in headers:
        if (account := by_header.get(normalize_header(header))) is not None:
            return str(account)
    return str(layout.options.get("default_account", "OTTO Payments"))


def with_meaning(typed: pl.DataFrame, layout: Layout, account: str) -> pl.DataFrame:
    """The account and what each transaction type means (the configurable table; unknown types: other)."""
    meanings = {str(k): str(v) for k, v in layout.options.get("meaning", {}).items()}
    meaning = pl.col("transaction_type").replace_strict(meanings, default=OTHER, return_dtype=pl.String)
    return typed.with_columns(pl.lit(account).alias("account"), meaning.alias("meaning"))


def header_of(headers: list[str], layout: Layout, name: str) -> str:
    """The file's own header for a field (messages name the column as the file does)."""
    found = next((h.strip() for h in headers if layout.field_for_header(h) == name), None)
    return found or layout.column(name).aliases[0]


def _same_content(a: pl.Expr | str, b: pl.Expr | str) -> pl.Expr:
    left, right = pl.col(a) if isinstance(a, str) else a, pl.col(b) if isinstance(b, str) else b
    return left.eq_missing(right)


def within_file(rows: pl.DataFrame, id_header: str) -> tuple[pl.DataFrame, int]:
    """A transaction twice in one file: once if identical, else the file is rejected naming both lines."""
    repeated = rows.filter(pl.col("transaction_id").is_duplicated())
    if repeated.height == 0:
        return rows, 0
    first = repeated.sort("source_line").unique(list(KEY), keep="first", maintain_order=True)
    pairs = repeated.join(first, on=list(KEY), suffix="_first").filter(
        pl.col("source_line") != pl.col("source_line_first")
    )
    same = pl.all_horizontal([_same_content(c, f"{c}_first") for c in CONTENT])
    differing = pairs.filter(~same)
    if differing.height:
        raise Rejected([
            Problem(int(line), id_header, i18n.t("statement.repeated_in_file", id=tid, line=int(first_line)))
            for tid, line, first_line in differing.select("transaction_id", "source_line", "source_line_first")
            .iter_rows()
        ])
    duplicates = pairs["source_line"].implode()
    return rows.filter(~pl.col("source_line").is_in(duplicates)), pairs.height


def against_store(tx: duckdb.DuckDBPyConnection, rows: pl.DataFrame, id_header: str) -> Staged:
    """Drop transactions stored before with the same content; reject the file if one differs."""
    rows, skipped = within_file(rows, id_header)
    tx.register("staged_transactions", rows.select("source_line", *KEY, *CONTENT).to_arrow())
    try:
        stored = tx.execute(query("importing/overlap_statement")).fetchall()
    finally:
        tx.unregister("staged_transactions")
    conflicts = [
        Problem(int(line), id_header, i18n.t("statement.differs_from_stored", id=tid, file=earlier,
                                             line=int(earlier_line)))
        for tid, line, identical, earlier, earlier_line in stored if not identical
    ]
    if conflicts:
        raise Rejected(conflicts)
    known = pl.Series([line for _tid, line, *_ in stored], dtype=pl.Int32)
    return Staged(rows.filter(~pl.col("source_line").is_in(known.implode())), skipped + len(stored))

