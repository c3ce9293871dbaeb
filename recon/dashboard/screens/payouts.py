"""Payouts: each Thursday payout with its tie-out, its lines, and the documents still open."""

from __future__ import annotations

import polars as pl
import streamlit as st

from recon import i18n
from recon.dashboard import state
from recon.dashboard.widgets import database_busy, table
from recon.store.database import DatabaseBusy
from recon.ui import periods
from recon.ui.data import OPEN_ITEMS_SHOWN
from recon.ui.fmt import date_de, eur
from recon.ui.tables import col, open_items_table, open_summary_table, payout_lines_table, payouts_table, tie_out


def _lines(number: str) -> None:
    try:
        lines = state.payout_lines(number)
    except DatabaseBusy as exc:
        database_busy(exc)
        return
    total = int(lines["lines_total"][0]) if lines.height else 0
    off = int(lines["lines_off"][0]) if lines.height else 0
    shown = i18n.t("ui.payouts.first_shown", count=lines.height) if lines.height < total else ""
    st.caption(i18n.t("ui.payouts.lines_off", total=total, off=off, shown=shown) if off
               else i18n.t("ui.payouts.lines_ok", total=total, shown=shown))
    table(payout_lines_table(lines), right=(col("amount"), col("document_amount")), key="payout_lines")


def render() -> None:
    t = i18n.t
    st.title(t("ui.nav.payouts"))
    snap = state.current_snapshot()
    if snap is None:
        return
    st.caption(periods.describe(snap.period))
    payouts = snap.payouts
    if payouts.height == 0:
        st.info(t("ui.payouts.none"))
    else:
        bad = payouts.filter(~pl.col("ties_out")).height
        st.caption(t("ui.payouts.some_off", count=payouts.height, bad=bad) if bad
                   else t("ui.payouts.all_ok", count=payouts.height))
        table(payouts_table(payouts), right=(col("payout_total"), col("line_sum")), key="payouts",
              wide=(col("tie_out"),))
        numbers = payouts["payout_number"].to_list()
        labels = {
            row["payout_number"]: f"{row['payout_number']} · {date_de(row['payout_date'])} · "
                                  f"{eur(row['payout_total'])}{'' if row['ties_out'] else ' · ' + tie_out(row)}"
            for row in payouts.iter_rows(named=True)
        }
        number = st.selectbox(t("ui.payouts.lines_of"), numbers, index=len(numbers) - 1,
                              format_func=labels.__getitem__, key="payout")
        if number:
            _lines(str(number))
    st.subheader(t("ui.payouts.open"))
    if snap.open_count == 0:
        st.success(t("ui.payouts.all_settled"))
        return
    st.caption(t("ui.payouts.open_caption", count=snap.open_count, amount=eur(snap.open_amount)))
    table(open_summary_table(snap.open_summary), right=(col("amount"),), key="open_summary")
    with st.expander(t("ui.payouts.the_documents", shown=min(snap.open_count, OPEN_ITEMS_SHOWN),
                       count=snap.open_count)):
        table(open_items_table(snap.open_items), right=(col("amount"),), key="open_items")


render()
