"""Download: the Excel workbook and the discrepancy list (CSV) for the selected period."""

from __future__ import annotations

import streamlit as st

from recon.dashboard import state
from recon.dashboard.widgets import database_busy
from recon.store.database import DatabaseBusy
from recon.ui import periods
from recon.ui.downloads import ReportUnavailable, discrepancy_csv, excel_report, file_stem, report_available

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXCEL_KEY = "excel_bytes"


def _excel() -> None:
    st.subheader("Excel report")
    if not report_available():
        st.info("Excel report not available in this installation (the recon.reports module is missing).",
                icon=":material/info:")
        return
    period = state.period()
    key = (str(state.db_path()), period)
    ready = st.session_state.get(EXCEL_KEY)
    if st.button("Build the Excel report", key="build_excel"):
        try:
            with st.spinner("Writing the workbook…"):
                st.session_state[EXCEL_KEY] = ready = (key, excel_report(state.db_path(), period))
        except ReportUnavailable as exc:
            st.info(f"{exc}.", icon=":material/info:")
            return
        except DatabaseBusy as exc:
            database_busy(exc)
            return
    if ready and ready[0] == key:
        st.download_button("Download the Excel report", ready[1], file_name=f"{file_stem(period)}.xlsx", mime=XLSX,
                           type="primary", key="download_excel")


def _csv() -> None:
    st.subheader("Discrepancy list (CSV)")
    snap = state.current_snapshot()
    if snap is None:
        return
    st.caption(f"{len(snap.result.discrepancies)} findings · semicolon-separated, decimal comma (opens directly "
               "in German Excel)")
    st.download_button("Download the discrepancies", discrepancy_csv(snap.result),
                       file_name=f"{file_stem(snap.period)}_discrepancies.csv", mime="text/csv",
                       key="download_csv")


def render() -> None:
    st.title("Download")
    if not state.database_ready():
        return
    st.caption(periods.describe(state.period()))
    _excel()
    _csv()


render()
