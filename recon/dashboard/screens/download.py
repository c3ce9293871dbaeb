"""Download: the Excel workbook and the discrepancy list (CSV) for the selected period."""

from __future__ import annotations

import streamlit as st

from recon import i18n
from recon.dashboard import state
from recon.dashboard.widgets import database_busy
from recon.store.database import DatabaseBusy
from recon.ui import periods
from recon.ui.downloads import ReportUnavailable, discrepancy_csv, excel_report, file_stem, report_available
from recon.ui.fmt import plural

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXCEL_KEY = "excel_bytes"


def _excel() -> None:
    t = i18n.t
    st.subheader(t("ui.download.excel"))
    if not report_available():
        st.info(t("ui.download.unavailable"), icon=":material/info:")
        return
    period = state.period()
    key = (str(state.db_path()), period)
    ready = st.session_state.get(EXCEL_KEY)
    if st.button(t("ui.download.build"), key="build_excel"):
        try:
            with st.spinner(t("ui.download.writing")):
                st.session_state[EXCEL_KEY] = ready = (key, excel_report(state.db_path(), period))
        except ReportUnavailable as exc:
            st.info(f"{exc}.", icon=":material/info:")
            return
        except DatabaseBusy as exc:
            database_busy(exc)
            return
    if ready and ready[0] == key:
        st.download_button(t("ui.download.get_excel"), ready[1].content, file_name=f"{ready[1].stem}.xlsx", mime=XLSX,
                           type="primary", key="download_excel")


def _csv() -> None:
    t = i18n.t
    st.subheader(t("ui.download.csv"))
    snap = state.current_snapshot()
    if snap is None:
        return
    st.caption(t("ui.download.csv_caption", findings=plural(len(snap.result.discrepancies), "finding")))
    st.download_button(t("ui.download.get_csv"), discrepancy_csv(snap.result),
                       file_name=f"{file_stem(snap.period)}_{t('ui.download.csv_name')}.csv", mime="text/csv",
                       key="download_csv")


def render() -> None:
    st.title(i18n.t("ui.nav.download"))
    if not state.database_ready():
        return
    st.caption(periods.describe(state.period()))
    _excel()
    _csv()


render()
