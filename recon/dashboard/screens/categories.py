"""Categories & fees: commission per category and month (invoiced vs expected), and the fee table in force.

Accountants may edit the fee table; a save always adds a new version, the old ones stay and are listed.
"""

from __future__ import annotations

import streamlit as st

from recon import i18n
from recon.dashboard import state
from recon.dashboard.widgets import database_busy, table
from recon.fees.table import FeeTableError
from recon.store.database import DatabaseBusy
from recon.ui import periods
from recon.ui.fees import FeeState, entries_frame, save_override, unconfirmed_in_force
from recon.ui.fmt import display_frame
from recon.ui.tables import categories_table, category_totals, col

SAVED_KEY = "fee_saved_version"


def _commission() -> None:
    snap = state.current_snapshot()
    if snap is None:
        return
    st.caption(periods.describe(snap.period))
    cats = snap.categories
    if cats.height == 0:
        st.info(i18n.t("ui.cat.none"))
        return
    amounts = [col(c) for c in ("sold_gross", "invoiced_gross", "expected_gross", "difference_gross")]
    st.subheader(i18n.t("ui.cat.by_category"))
    table(category_totals(cats), right=amounts, key="category_totals")
    st.subheader(i18n.t("ui.cat.by_month"))
    table(categories_table(cats), right=amounts, key="category_months")


def _editor(fees: FeeState) -> None:
    if not state.is_accountant():
        st.caption(i18n.t("ui.cat.sign_in_to_edit"))
        return
    t = i18n.t
    with st.expander(t("ui.cat.edit"), icon=":material/edit:"):
        st.caption(t("ui.cat.edit_note"))
        with st.form("fee_editor"):
            text = st.text_area(t("ui.cat.override"), value=fees.override_toml, height=320, key="fee_toml")
            label = st.text_input(t("ui.cat.what_changed"), key="fee_label", placeholder=t("ui.cat.what_example"))
            submitted = st.form_submit_button(t("ui.cat.save"), type="primary")
        if submitted:
            try:
                version = save_override(state.db_path(), text or "", label or "")
            except FeeTableError as exc:
                st.error(t("ui.cat.not_saved", reason=exc))
                return
            except DatabaseBusy as exc:
                database_busy(exc)
                return
            state.data_changed()
            st.session_state[SAVED_KEY] = version
            st.rerun()


def _fee_table() -> None:
    t = i18n.t
    st.subheader(t("ui.cat.in_force"))
    try:
        fees = state.fees()
    except DatabaseBusy as exc:
        database_busy(exc)
        return
    saved = st.session_state.pop(SAVED_KEY, None)
    if saved is not None:
        st.success(t("ui.cat.saved", version=saved))
    st.caption(fees.label)
    note = unconfirmed_in_force(fees.table, state.default_as_of())
    if note:
        st.warning(note)
    table(entries_frame(fees.table), right=(t("ui.fees.col_value"),), key="fee_entries")
    _editor(fees)
    if fees.versions.height:
        st.markdown(f"**{t('ui.cat.versions')}**")
        versions = display_frame(fees.versions, dates=("created_at",))
        table(versions.rename({name: t(f"ui.cat.col_{name}") for name in ("version", "label", "created_at",
                                                                          "created_by")}), key="fee_versions")


def render() -> None:
    st.title(i18n.t("ui.nav.categories"))
    if not state.database_ready():
        return
    _commission()
    _fee_table()


render()
