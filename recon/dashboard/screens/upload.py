"""Upload: OTTO's weekly files, several at once, through the same importer as `recon import`."""

from __future__ import annotations

import streamlit as st

from recon import i18n
from recon.dashboard import mapping_dialog, state
from recon.dashboard.widgets import database_busy, table, uploader_texts
from recon.importing import FileResult
from recon.store.database import DatabaseBusy
from recon.ui.upload import Upload, import_uploads, problems_frame, summary_frame

RESULTS_KEY = "upload_results"
UPLOADER_ROUND_KEY = "upload_round"


def _import(files: list[Upload]) -> list[FileResult] | None:
    bar = st.progress(0.0, text=i18n.t("ui.upload.importing", count=len(files)))

    def progress(index: int, name: str, stage: str, fraction: float) -> None:
        overall = min(1.0, (index + fraction) / len(files))
        bar.progress(overall, text=i18n.t("ui.upload.progress", name=name, index=index + 1, count=len(files),
                                          stage=stage))

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
    t = i18n.t
    imported = sum(1 for r in results if r.status == "imported")
    skipped = sum(1 for r in results if r.status == "skipped")
    rejected = sum(1 for r in results if r.status == "rejected")
    counts = t("ui.upload.counts", imported=imported, skipped=skipped, rejected=rejected)
    if rejected:
        st.error(t("ui.upload.rejected_note", counts=counts), icon=":material/error:")
    else:
        st.success(f"{counts}.", icon=":material/check_circle:")
    table(summary_frame(results), key="upload_summary", fit=True, wide=(t("ui.upload.col_note"),))
    problems = problems_frame(results)
    if problems.height:
        st.subheader(t("ui.upload.problems"))
        table(problems, key="upload_problems", fit=problems.height <= 20, wide=(t("ui.upload.col_reason"),))
        # the reasons in full, as text (a table cell cuts long ones)
        with st.expander(t("ui.upload.problems_text")):
            st.code("\n".join(p for r in results for p in r.problems), language=None)


def render() -> None:
    t = i18n.t
    st.title(t("ui.nav.upload"))
    if not state.is_accountant():
        st.info(t("ui.upload.needs_password"), icon=":material/lock:")
        return
    st.write(t("ui.upload.intro"))
    uploader_texts()
    round_ = int(st.session_state.get(UPLOADER_ROUND_KEY, 0))
    files = st.file_uploader(t("ui.upload.files"), type=["csv", "json"], accept_multiple_files=True,
                             key=f"uploader_{round_}")
    chosen = [Upload(f.name, f.getvalue()) for f in files or []]
    label = t("ui.upload.import_n", count=len(chosen)) if chosen else t("ui.upload.import")
    if st.button(label, type="primary", disabled=not chosen, key="import"):
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
