"""Discrepancies: filter and sort the findings; pick one to see the source lines next to the recomputation."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from recon.dashboard import state
from recon.dashboard.widgets import database_busy, table
from recon.engine import Discrepancy, checks
from recon.store.database import DatabaseBusy
from recon.ui import periods
from recon.ui.discrepancies import (
    SORT_ORDERS,
    SourceBlock,
    against_seller,
    discrepancy_frame,
    display_discrepancies,
    filter_discrepancies,
    recomputation,
    source_blocks,
)
from recon.ui.fmt import eur

SHOWN = 1000
TABLE_KEY = "discrepancy_table"


def _pairs(rows: list[tuple[str, str]], left: str, right: str) -> pl.DataFrame:
    return pl.DataFrame(rows, orient="row", schema={left: pl.String, right: pl.String})


def _selected_row(selection: Any) -> int | None:
    try:
        rows = selection["selection"]["rows"]
    except (KeyError, TypeError):
        return None
    return int(rows[0]) if rows else None


def _source(block: SourceBlock) -> None:
    st.markdown(f"**{block.file}**, line {block.line} · `{block.table}`")
    if len(block.rows) == 1:
        table(block.vertical(), fit=True)
    else:
        table(block.horizontal(), fit=True)
    if block.raw_json:
        with st.expander("Receipt as the API sent it"):
            st.code(block.raw_json, language="json")


def _drill_down(d: Discrepancy) -> None:
    st.subheader(f"{d.kind} · {d.document_number or d.order_number or ''}")
    st.info(d.message, icon=":material/calculate:")
    left, right = st.columns(2)
    with left:
        st.markdown("**Recomputation**")
        table(_pairs(recomputation(d), "Item", "Value"), key="recomputation", fit=True)
    with right:
        st.markdown("**Source lines**")
        try:
            rows = state.evidence_rows(d.evidence)
        except DatabaseBusy as exc:
            database_busy(exc)
            return
        if not rows:
            st.info("This finding names no stored line (it is about something missing).")
        for block in source_blocks(rows, d.position_item_id):
            _source(block)


def render() -> None:
    st.title("Discrepancies")
    snap = state.current_snapshot()
    if snap is None:
        return
    result = snap.result
    frame = discrepancy_frame(result)
    present = [k for k in checks.kinds() if k in set(frame["kind"].to_list())]
    kinds_col, order_col, sort_col = st.columns([3, 2, 2])
    kinds = kinds_col.multiselect("Kind", present, key="filter_kinds", placeholder="all kinds")
    order = order_col.text_input("Order number", key="filter_order", placeholder="e.g. ORD-000017")
    sort = sort_col.selectbox("Sort by", SORT_ORDERS, key="sort")
    shown = filter_discrepancies(frame, kinds=kinds, order_number=order or "", sort=sort)
    st.caption(f"{shown.height} of {frame.height} findings · {eur(against_seller(shown))} against you · "
               f"{periods.describe(snap.period)}")
    if shown.height == 0:
        st.info("No findings match." if frame.height else "No discrepancies in this period.")
        return
    page = shown.head(SHOWN)
    if shown.height > SHOWN:
        st.caption(f"Showing the first {SHOWN}; narrow the filters or download the full list as CSV.")
    selection = table(display_discrepancies(page), right=("Expected", "Actual", "Difference", "At stake"),
                      key=TABLE_KEY, select=True)
    picked = _selected_row(selection)
    if picked is None or picked >= page.height:
        st.caption("Select a row to see the source lines it is based on.")
        return
    _drill_down(result.discrepancies[int(page["id"][picked])])


render()
