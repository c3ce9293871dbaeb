"""Upload: OTTO's weekly files, several at once, through the same importer as `recon import`."""

from __future__ import annotations

import streamlit as st

from recon.dashboard import mapping_dialog, state
from recon.dashboard.widgets import database_busy, table
from recon.importing import FileResult
from recon.store.database import DatabaseBusy
from recon.ui.upload import Upload, import_uploads, problems_frame, summary_frame

RESULTS_KEY = "upload_results"
UPLOADER_ROUND_KEY = "upload_round"


def _import(files: list[Upload]) -> list[FileResult] | None:
    bar = st.progress(0.0, text=f"Importing {len(files)} file(s)…")

    def progress(index: int, name: str, stage: str, fraction: float) -> None:
        overall = min(1.0, (index + fraction) / len(files))
        bar.progress(overall, text=f"{name} ({index + 1} of {len(files)}): {stage}")

    try:
        results = import_uploads(state.db_path(), files, progress)
    except DatabaseBusy as exc:
        bar.empty()
        database_busy(exc)
        return None
    bar.empty()
    state.data_changed()
    return results


def _show(results: list[FileResult]) -> None:
    imported = sum(1 for r in results if r.status == "imported")
    skipped = sum(1 for r in results if r.status == "skipped")
    rejected = sum(1 for r in results if r.status == "rejected")
    counts = f"{imported} imported, {skipped} already imported, {rejected} rejected"
    if rejected:
        st.error(f"{counts}. A rejected file changes nothing: fix it and upload it again.",
                 icon=":material/error:")
    else:
        st.success(f"{counts}.", icon=":material/check_circle:")
    table(summary_frame(results), key="upload_summary")
    problems = problems_frame(results)
    if problems.height:
        st.subheader("Problems")
        table(problems, key="upload_problems")


def render() -> None:
    st.title("Upload")
    if not state.is_accountant():
        st.info("Uploading needs the accountant password (sign in in the sidebar).", icon=":material/lock:")
        return
    st.write("Drop OTTO's invoice, correction and payout CSVs and the receipts JSON here, several at once. "
             "Each file is checked and stored whole or not at all; a file imported before is skipped.")
    round_ = int(st.session_state.get(UPLOADER_ROUND_KEY, 0))
    files = st.file_uploader("OTTO files (CSV, JSON)", type=["csv", "json"], accept_multiple_files=True,
                             key=f"uploader_{round_}")
    chosen = [Upload(f.name, f.getvalue()) for f in files or []]
    if st.button(f"Import {len(chosen)} file(s)" if chosen else "Import", type="primary", disabled=not chosen,
                 key="import"):
        results = _import(chosen)
        if results is not None:
            mapping_dialog.remember(chosen, results)
            st.session_state[RESULTS_KEY] = results
            st.session_state[UPLOADER_ROUND_KEY] = round_ + 1  # a fresh, empty uploader for the next batch
            st.rerun()
    results = st.session_state.get(RESULTS_KEY)
    if results:
        _show(results)
    mapped = mapping_dialog.render()
    if mapped is not None:
        st.session_state[RESULTS_KEY] = mapped
        st.rerun()


render()
