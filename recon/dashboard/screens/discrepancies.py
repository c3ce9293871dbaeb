"""Discrepancies: filter and sort the findings; pick one to see the source lines next to the recomputation."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from recon import i18n
from recon.dashboard import state
from recon.dashboard.widgets import database_busy, table
from recon.engine import Discrepancy, checks
from recon.store.database import DatabaseBusy
from recon.ui import periods
from recon.ui.discrepancies import (
    SORT_ORDERS,
    SourceBlock,
    against_seller,
    column_label,
    discrepancy_frame,
    display_discrepancies,
    document_label,
    filter_discrepancies,
    recomputation,
    sort_label,
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
    st.markdown(i18n.t("ui.disc.source_heading", file=block.file, line=block.line, table=block.table))
    if len(block.rows) == 1:
        table(block.vertical(), fit=True)
    else:
        table(block.horizontal(), fit=True)
    if block.raw_json:
        with st.expander(i18n.t("ui.disc.raw_receipt")):
            st.code(block.raw_json, language="json")


def _drill_down(d: Discrepancy) -> None:
    st.subheader(f"{d.kind} · {document_label(d) or d.order_number or ''}")
    st.info(d.message, icon=":material/calculate:")
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{i18n.t('ui.disc.recomputation')}**")
        table(_pairs(recomputation(d), i18n.t("ui.disc.col_item"), i18n.t("ui.disc.col_value")),
              key="recomputation", fit=True)
    with right:
        st.markdown(f"**{i18n.t('ui.disc.source_lines')}**")
        try:
            rows = state.evidence_rows(d.evidence)
        except DatabaseBusy as exc:
            database_busy(exc)
            return
        if not rows:
            st.info(i18n.t("ui.disc.no_source"))
        for block in source_blocks(rows, d.position_item_id):
            _source(block)


def render() -> None:
    t = i18n.t
    st.title(t("ui.nav.discrepancies"))
    snap = state.current_snapshot()
    if snap is None:
        return
    result = snap.result
    frame = discrepancy_frame(result)
    present = [k for k in checks.kinds() if k in set(frame["kind"].to_list())]
    kinds_col, order_col, sort_col = st.columns([3, 2, 2])
    kinds = kinds_col.multiselect(t("ui.disc.kind"), present, key="filter_kinds", placeholder=t("ui.disc.all_kinds"))
    order = order_col.text_input(t("ui.disc.order"), key="filter_order", placeholder=t("ui.disc.order_example"))
    sort = sort_col.selectbox(t("ui.disc.sort"), SORT_ORDERS, key="sort", format_func=sort_label)
    shown = filter_discrepancies(frame, kinds=kinds, order_number=order or "", sort=sort)
    st.caption(t("ui.disc.caption", shown=shown.height, total=frame.height, amount=eur(against_seller(shown)),
                 period=periods.describe(snap.period)))
    if shown.height == 0:
        st.info(t("ui.disc.none_match") if frame.height else t("ui.disc.none"))
        return
    page = shown.head(SHOWN)
    if shown.height > SHOWN:
        st.caption(t("ui.disc.first_n", count=SHOWN))
    amounts = [column_label(c) for c in ("expected", "actual", "difference", "at_stake")]
    selection = table(display_discrepancies(page), right=amounts, key=TABLE_KEY, select=True,
                      wide=(column_label("message"),))
    picked = _selected_row(selection)
    if picked is None or picked >= page.height:
        st.caption(t("ui.disc.select_row"))
        return
    _drill_down(result.discrepancies[int(page["id"][picked])])


render()
