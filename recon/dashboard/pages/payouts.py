"""Payouts: each Thursday payout with its tie-out, its lines, and the documents still open."""

from __future__ import annotations

import polars as pl
import streamlit as st

from recon.dashboard import state
from recon.dashboard.widgets import database_busy, table
from recon.store.database import DatabaseBusy
from recon.ui import periods
from recon.ui.data import OPEN_ITEMS_SHOWN
from recon.ui.fmt import date_de, eur
from recon.ui.tables import open_items_table, open_summary_table, payout_lines_table, payouts_table


def _lines(number: str) -> None:
    try:
        lines = state.payout_lines(number)
    except DatabaseBusy as exc:
        database_busy(exc)
        return
    total = int(lines["lines_total"][0]) if lines.height else 0
    off = int(lines["lines_off"][0]) if lines.height else 0
    shown = f" (the first {lines.height} shown, mismatches first)" if lines.height < total else ""
    st.caption(f"{total} lines, {off} not matching their document{shown}" if off
               else f"{total} lines, all match{shown}")
    table(payout_lines_table(lines), right=("Amount", "Document says"), key="payout_lines")


def render() -> None:
    st.title("Payouts")
    snap = state.current_snapshot()
    if snap is None:
        return
    st.caption(periods.describe(snap.period))
    payouts = snap.payouts
    if payouts.height == 0:
        st.info("No payouts in this period.")
    else:
        bad = payouts.filter(~pl.col("ties_out")).height
        st.caption(f"{payouts.height} payouts · {bad} do not tie out" if bad
                   else f"{payouts.height} payouts, all tie out")
        table(payouts_table(payouts), right=("Total", "Sum of lines"), key="payouts")
        numbers = payouts["payout_number"].to_list()
        labels = {
            row["payout_number"]: f"{row['payout_number']} · {date_de(row['payout_date'])} · "
                                  f"{eur(row['payout_total'])}{'' if row['ties_out'] else ' · does not tie out'}"
            for row in payouts.iter_rows(named=True)
        }
        number = st.selectbox("Lines of payout", numbers, index=len(numbers) - 1, format_func=labels.__getitem__,
                              key="payout")
        if number:
            _lines(str(number))
    st.subheader("Documents still open")
    if snap.open_count == 0:
        st.success("Every document up to the as-of date is settled.")
        return
    st.caption(f"{snap.open_count} documents, balance {eur(snap.open_amount)} · by settlement day:")
    table(open_summary_table(snap.open_summary), right=("Amount",), key="open_summary")
    with st.expander(f"The documents ({min(snap.open_count, OPEN_ITEMS_SHOWN)} of {snap.open_count})"):
        table(open_items_table(snap.open_items), right=("Amount",), key="open_items")


render()
