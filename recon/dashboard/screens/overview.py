"""Overview: key figures for the period, the weekly flows, and the findings by kind."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import streamlit as st

from recon import i18n
from recon.dashboard import state
from recon.dashboard.charts import weekly_chart
from recon.dashboard.widgets import table
from recon.engine.model import KindSummary
from recon.ui import periods
from recon.ui.fmt import date_de, eur, percent_de, plural, signed_eur
from recon.ui.kpis import Kpis, kpis
from recon.ui.tables import tie_out_table


def _tiles(k: Kpis) -> None:
    t = i18n.t
    sales, commission, rate = st.columns(3)
    sales.metric(t("ui.overview.sales"), eur(k.sales_gross), border=True,
                 delta=t("ui.overview.refunds", amount=eur(k.refunds_gross)), delta_color="off", delta_arrow="off",
                 help=t("ui.overview.sales_help"))
    commission.metric(
        t("ui.overview.commission"), eur(k.commission_invoiced),
        delta=t("ui.overview.vs_expected", amount=signed_eur(k.commission_difference)),
        delta_color="off" if k.commission_difference == 0 else "inverse",
        delta_arrow="off" if k.commission_difference == 0 else "auto", border=True,
        help=t("ui.overview.commission_help", amount=eur(k.commission_expected)))
    rate.metric(t("ui.overview.rate"), percent_de(k.effective_rate), border=True,
                delta=t("ui.overview.expected", amount=eur(k.commission_expected)), delta_color="off",
                delta_arrow="off", help=t("ui.overview.rate_help"))
    open_, payout, paid = st.columns(3)
    open_.metric(t("ui.overview.open"), eur(k.against_seller), border=True,
                 delta=t("ui.overview.open_delta", findings=plural(k.discrepancies, "finding"),
                         amount=eur(k.for_seller)),
                 delta_color="off", delta_arrow="off", help=t("ui.overview.open_help"))
    if k.next_payout_day is None:
        payout.metric(t("ui.overview.next_payout"), "–", border=True, help=t("ui.overview.no_payout_help"))
    else:
        payout.metric(t("ui.overview.next_payout_on", day=date_de(k.next_payout_day)), eur(k.next_payout_amount),
                      border=True, delta=plural(k.next_payout_documents, "open_document"), delta_color="off",
                      delta_arrow="off", help=t("ui.overview.next_payout_help"))
    paid.metric(t("ui.overview.payouts"), eur(k.payouts_total), border=True,
                delta=plural(k.payouts_count, "payout"), delta_color="off", delta_arrow="off",
                help=t("ui.overview.payouts_help"))


def by_kind(summaries: list[KindSummary]) -> pl.DataFrame:
    """Findings per kind, every kind a row, and a total row (nothing hidden behind a scroll bar)."""
    t = i18n.t
    rows = [(s.kind, s.count, eur(s.against_seller), eur(s.for_seller)) for s in summaries]
    rows.append((t("ui.overview.total"), sum(s.count for s in summaries),
                 eur(sum((s.against_seller for s in summaries), Decimal("0.00"))),
                 eur(sum((s.for_seller for s in summaries), Decimal("0.00")))))
    return pl.DataFrame(rows, orient="row", schema={
        t("ui.overview.col_kind"): pl.String, t("ui.overview.col_findings"): pl.Int64,
        t("ui.overview.col_against"): pl.String, t("ui.overview.col_for"): pl.String})


def render() -> None:
    t = i18n.t
    st.title(t("ui.nav.overview"))
    snap = state.current_snapshot()
    if snap is None:
        return
    st.caption(t("ui.overview.caption", period=periods.describe(snap.period), fees=snap.result.fee_table))
    _tiles(kpis(snap))
    st.subheader(t("ui.overview.weekly"))
    if snap.weekly.height:
        st.altair_chart(weekly_chart(snap.weekly), width="stretch")
    else:
        st.info(t("ui.overview.no_documents"))
    st.subheader(t("tie_out.title"))
    amounts = tuple(t(f"tie_out.{k}") for k in ("invoiced", "expected", "explained", "unexplained"))
    table(tie_out_table(snap.result.tie_out), right=amounts, key="tie_out")
    if not any(tied.unexplained for tied in snap.result.tie_out):
        st.caption(t("tie_out.all_explained"))
    st.subheader(t("ui.overview.by_kind"))
    summaries = snap.result.by_kind()
    if summaries:
        table(by_kind(summaries), right=(t("ui.overview.col_against"), t("ui.overview.col_for")), fit=True,
              key="findings_by_kind")
    else:
        st.success(t("ui.overview.no_discrepancies"))


render()
