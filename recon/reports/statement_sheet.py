"""Sheet "Kontoauszug": the account statements' transactions (OTTO Payments, Ratepay) with the balance.

One row per transaction in the account's booking order (model statement_chain): the file's own columns,
the balance recomputed from the account's opening balance plus every amount since (so a break in the
statement shows beside the row), the document it settles and how that matched (model statement_matches),
and the findings that cite the row. Without an imported statement the sheet says so instead of being blank.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from openpyxl import Workbook

from recon import i18n
from recon.engine import Discrepancy
from recon.reports.frame_sheet import empty_table, evidence, frame_table
from recon.reports.labels import CAP_NOTE_ROWS
from recon.reports.xlsx import Column, cell

_NAMES = ["account", "booking_date", "transaction_id", "transaction_type", "order_number", "document_number",
          "amount", "balance", "running_balance", "matched_number", "match_status", "sha", "line", "file"]
BALANCE_BREAK = "STATEMENT_BALANCE_BREAK"


def sheet_title() -> str:
    return i18n.t("workbook.statement.sheet")


def columns() -> list[Column]:
    def h(key: str) -> str:
        return i18n.t(f"workbook.statement.{key}")

    return [
        Column(h("account"), "text"), Column(h("booking_date"), "date"), Column(h("transaction_id"), "text"),
        Column(h("type"), "text"), Column(h("order"), "text"), Column(h("document"), "text"),
        Column(h("amount"), "eur", 14, total=True), Column(h("balance"), "eur", 14),
        Column(h("running"), "eur", 14), Column(h("balance_difference"), "eur", 14), Column(h("matched"), "text"),
        Column(h("match"), "text"), Column(h("findings"), "text"), Column(h("evidence"), "text"),
    ]


def findings_by_line(found: Sequence[Discrepancy]) -> dict[tuple[str, int], list[str]]:
    """The kinds of the findings citing each (file hash, line). A balance break cites the line before it
    too (where the chain was still whole); it is shown on its own transaction only."""
    cited: dict[tuple[str, int], list[str]] = {}
    for d in found:
        evidence = d.evidence[-1:] if d.kind == BALANCE_BREAK else d.evidence
        for e in evidence:
            kinds = cited.setdefault((e.sha256, e.line), [])
            if d.kind not in kinds:
                kinds.append(d.kind)
    return cited


def table(frame: pl.DataFrame, found: Sequence[Discrepancy]) -> pl.DataFrame:
    """The sheet's columns, in order: the status in words, the balance difference, the findings citing each
    row (a small frame of the cited lines, joined on file hash and line) and the row's file:line."""
    if frame.is_empty():
        return empty_table(columns())
    cited = findings_by_line(found)
    citing = pl.DataFrame({"sha": [sha for sha, _line in cited], "line": [line for _sha, line in cited],
                           "findings": [", ".join(kinds) for kinds in cited.values()]},
                          schema={"sha": pl.String, "line": frame.schema["line"], "findings": pl.String})
    statuses = [s for s in frame.get_column("match_status").unique().to_list() if s]
    status_text = pl.col("match_status").replace_strict(
        {s: i18n.t(f"workbook.statement.status.{s}") for s in statuses}, default=None, return_dtype=pl.String)
    return frame.join(citing, on=["sha", "line"], how="left", maintain_order="left").select(
        "account", "booking_date", "transaction_id", "transaction_type", "order_number", "document_number",
        "amount", "balance", "running_balance", (pl.col("balance") - pl.col("running_balance")).alias("difference"),
        "matched_number", status_text.alias("status"), pl.col("findings").replace("", None), evidence())


def write_statement_sheet(wb: Workbook, frame: pl.DataFrame, found: Sequence[Discrepancy],
                          max_rows: int | None = None) -> None:
    """The list (one row per transaction, cut at `max_rows` with a note), then what the balance columns mean."""
    with frame_table(wb, sheet_title(), columns(), table(frame, found), cap=max_rows, cap_note=CAP_NOTE_ROWS) as sheet:
        sheet.append([])
        key = "workbook.statement.none" if frame.is_empty() else "workbook.statement.note"
        sheet.append([cell(sheet.ws, i18n.t(key), "text", "note")])
