"""Categories & fees: commission per category and month (invoiced vs expected), and the fee table in force.

Accountants may edit the fee table; a save always adds a new version, the old ones stay and are listed.
"""

from __future__ import annotations

import streamlit as st

from recon.dashboard import state
from recon.dashboard.widgets import database_busy, table
from recon.fees.table import FeeTableError
from recon.store.database import DatabaseBusy
from recon.ui import periods
from recon.ui.fees import FeeState, entries_frame, save_override, unconfirmed_in_force
from recon.ui.fmt import display_frame
from recon.ui.tables import categories_table, category_totals

AMOUNTS = ("Sold (gross)", "Commission invoiced", "Commission expected", "Difference")
SAVED_KEY = "fee_saved_version"


def _commission() -> None:
    snap = state.current_snapshot()
    if snap is None:
        return
    st.caption(periods.describe(snap.period))
    cats = snap.categories
    if cats.height == 0:
        st.info("No commission in this period.")
        return
    st.subheader("By category")
    table(category_totals(cats), right=AMOUNTS, key="category_totals")
    st.subheader("By category and month")
    table(categories_table(cats), right=AMOUNTS, key="category_months")


def _editor(fees: FeeState) -> None:
    if not state.is_accountant():
        st.caption("Accountants can edit the fee table after signing in (sidebar).")
        return
    with st.expander("Edit the fee table (saved as a new version)", icon=":material/edit:"):
        st.caption("An override file over the shipped reference table (same shape as reference.toml). "
                   "Saving keeps every earlier version.")
        with st.form("fee_editor"):
            text = st.text_area("Override (TOML)", value=fees.override_toml, height=320, key="fee_toml")
            label = st.text_input("What changed", key="fee_label", placeholder="e.g. new contract from 01.01.2027")
            submitted = st.form_submit_button("Save as new version", type="primary")
        if submitted:
            try:
                version = save_override(state.db_path(), text or "", label or "")
            except FeeTableError as exc:
                st.error(f"Not saved: {exc}")
                return
            except DatabaseBusy as exc:
                database_busy(exc)
                return
            state.data_changed()
            st.session_state[SAVED_KEY] = version
            st.rerun()


def _fee_table() -> None:
    st.subheader("Fee table in force")
    try:
        fees = state.fees()
    except DatabaseBusy as exc:
        database_busy(exc)
        return
    saved = st.session_state.pop(SAVED_KEY, None)
    if saved is not None:
        st.success(f"Saved as version {saved}; the figures now use it.")
    st.caption(fees.label)
    note = unconfirmed_in_force(fees.table, state.default_as_of())
    if note:
        st.warning(note)
    table(entries_frame(fees.table), right=("Value",), key="fee_entries")
    _editor(fees)
    if fees.versions.height:
        st.markdown("**Saved versions**")
        table(display_frame(fees.versions).rename({"version": "Version", "label": "Label", "created_at": "Saved at",
                                                   "created_by": "Saved by"}), key="fee_versions")


def render() -> None:
    st.title("Categories & fees")
    if not state.database_ready():
        return
    _commission()
    _fee_table()


render()
