"""Overview: key figures for the period, the weekly flows, and the findings by kind."""

from __future__ import annotations

import polars as pl
import streamlit as st

from recon import i18n
from recon.dashboard import state
from recon.dashboard.charts import weekly_chart
from recon.dashboard.widgets import table
from recon.ui import periods
from recon.ui.fmt import date_de, eur, percent_de, plural, signed_eur
from recon.ui.kpis import Kpis, kpis
from recon.ui.tables import tie_out_table


def _tiles(k: Kpis) -> None:
    sales, commission, rate = st.columns(3)
    sales.metric("Sales (gross)", eur(k.sales_gross), border=True,
                 delta=f"refunds {eur(k.refunds_gross)}", delta_color="off", delta_arrow="off",
                 help="Purchase receipts in the period, and refund receipts.")
    commission.metric(
        "Commission charged", eur(k.commission_invoiced), delta=f"{signed_eur(k.commission_difference)} vs expected",
        delta_color="off" if k.commission_difference == 0 else "inverse",
        delta_arrow="off" if k.commission_difference == 0 else "auto", border=True,
        help=f"Product and shipping commission as invoiced (gross). Expected from the fee table: "
             f"{eur(k.commission_expected)}.")
    rate.metric("Effective commission rate", percent_de(k.effective_rate), border=True,
                delta=f"expected {eur(k.commission_expected)}", delta_color="off", delta_arrow="off",
                help="Commission net of VAT (product + shipping, after corrections) per EUR of sales after refunds.")
    open_, payout, paid = st.columns(3)
    open_.metric("Open discrepancies", eur(k.against_seller), border=True,
                 delta=f"{plural(k.discrepancies, 'finding')} · {eur(k.for_seller)} in your favour", delta_color="off",
                 delta_arrow="off", help="EUR you lost according to the findings (Discrepancies page).")
    if k.next_payout_day is None:
        payout.metric("Next payout", "–", border=True, help="No open documents are due for a payout.")
    else:
        payout.metric(f"Next payout {date_de(k.next_payout_day)}", eur(k.next_payout_amount), border=True,
                      delta=f"{plural(k.next_payout_documents, 'open document')}", delta_color="off", delta_arrow="off",
                      help="The balance of every open document due by that Thursday (overdue ones included).")
    paid.metric("Payouts received", eur(k.payouts_total), border=True,
                delta=plural(k.payouts_count, "payout"), delta_color="off", delta_arrow="off",
                help="Payout totals dated in the period.")


def _by_kind(snap_kinds: list[tuple[str, int, str, str]]) -> pl.DataFrame:
    return pl.DataFrame(snap_kinds, orient="row", schema={
        "Kind": pl.String, "Findings": pl.Int64, "Against you": pl.String, "In your favour": pl.String})


def render() -> None:
    st.title("Overview")
    snap = state.current_snapshot()
    if snap is None:
        return
    st.caption(f"{periods.describe(snap.period)} · fee table: {snap.result.fee_table}")
    _tiles(kpis(snap))
    st.subheader("Week by week")
    if snap.weekly.height:
        st.altair_chart(weekly_chart(snap.weekly), width="stretch")
    else:
        st.info("No documents in this period.")
    st.subheader(i18n.t("tie_out.title"))
    amounts = tuple(i18n.t(f"tie_out.{k}") for k in ("invoiced", "expected", "explained", "unexplained"))
    table(tie_out_table(snap.result.tie_out), right=amounts, key="tie_out")
    if not any(t.unexplained for t in snap.result.tie_out):
        st.caption(i18n.t("tie_out.all_explained"))
    st.subheader("Findings by kind")
    summaries = snap.result.by_kind()
    if summaries:
        table(_by_kind([(s.kind, s.count, eur(s.against_seller), eur(s.for_seller)) for s in summaries]),
              right=("Against you", "In your favour"))
    else:
        st.success("No discrepancies in this period.")


render()
