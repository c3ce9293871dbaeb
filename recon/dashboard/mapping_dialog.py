"""The upload page's column-mapping dialog: a file whose header recon does not know, mapped by a person.

Header and first rows on the left, the fields recon needs on the right with recon's suggestions preselected;
below, the first rows read with the mapping as chosen. Saving stores the mapping (a new version, see
`recon columns --saved`) and imports the file with it; a later file with the same header needs nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import polars as pl
import streamlit as st

from recon import i18n
from recon.dashboard import state
from recon.dashboard.widgets import table
from recon.importing import FileResult
from recon.importing.layouts import load_layouts
from recon.importing.mapping import FieldMatch, kind_label
from recon.importing.saved_mappings import MappingError
from recon.ui.column_mapping import MappingNeed, duplicates, mapping_need, missing, preview, proposal_for, save
from recon.ui.upload import Upload, import_uploads

NEEDS_KEY = "mapping_needs"
NONE = -1
SHOWN_ROWS = 3


def remember(uploads: list[Upload], results: list[FileResult]) -> None:
    """After an import: the rejected uploads a mapping would help, kept for the dialog."""
    needs = [need for upload, result in zip(uploads, results, strict=True) if result.status == "rejected"
             and (need := mapping_need(state.db_path(), upload.name, upload.data)) is not None]
    st.session_state[NEEDS_KEY] = needs


def render() -> list[FileResult] | None:
    """Every pending dialog; returns the import results once one was saved and imported."""
    needs: list[MappingNeed] = st.session_state.get(NEEDS_KEY) or []
    for index, need in enumerate(needs):
        results = _dialog(index, need)
        if results is not None:
            st.session_state[NEEDS_KEY] = [n for n in needs if n is not need]
            return results
    return None


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return i18n.number(value, max(2, -int(value.as_tuple().exponent)))
    if isinstance(value, datetime | date):
        return i18n.day(value)
    return str(value)


def _file_frame(need: MappingNeed) -> pl.DataFrame:
    """The file turned on its side: one row per column, its header and first values, to read beside the fields."""
    rows = need.sample.rows[:SHOWN_ROWS]
    frame: dict[str, list[str]] = {i18n.t("columns.upload.column"): [h.strip() for h in need.sample.headers]}
    for n, row in enumerate(rows):
        frame[i18n.t("columns.upload.row", line=n + 2)] = [
            row[i] if i < len(row) else "" for i in range(len(need.sample.headers))]
    return pl.DataFrame(frame, schema={name: pl.String for name in frame})


def _default(match: FieldMatch) -> int:
    """recon's proposal; a column whose values contradict its name is not preselected."""
    return match.column if match.column is not None and match.how != "conflict" else NONE


def _dialog(index: int, need: MappingNeed) -> list[FileResult] | None:
    st.subheader(f"{i18n.t('columns.upload.title')}: {need.name}")
    st.write(i18n.t("columns.upload.intro", file=need.name))
    layouts = load_layouts()
    kinds = list(need.proposals)
    kind = st.selectbox(i18n.t("columns.upload.kind"), kinds, key=f"map_{index}_kind",
                        format_func=lambda k: kind_label(layouts[k]))
    proposal = proposal_for(need, kind)
    headers = need.sample.headers
    options = [NONE, *range(len(headers))]
    left, right = st.columns(2)
    with left:
        st.caption(i18n.t("columns.upload.header"))
        table(_file_frame(need), key=f"map_{index}_file", fit=True)
    chosen: dict[str, int | None] = {}
    with right:
        st.caption(i18n.t("columns.upload.fields"))
        for col in layouts[kind].columns:
            match = proposal.match(col.name)
            needed = bool(col.required or col.required_when)
            label = f"{col.name} ({col.aliases[0]})" if col.aliases else col.name
            if needed:
                label += f" · {i18n.t('columns.upload.needed')}"
            if match.how in ("ambiguous", "conflict"):
                label += f" · {i18n.t('columns.upload.ambiguous')}"
            picked = st.selectbox(
                label, options, index=options.index(_default(match)), key=f"map_{index}_{kind}_{col.name}",
                format_func=lambda i: i18n.t("columns.upload.none_option") if i == NONE else headers[i].strip(),
            )
            chosen[col.name] = None if picked == NONE else int(picked)
    blocked = False
    for column, names in duplicates(chosen).items():
        st.error(i18n.t("columns.upload.duplicate", column=f"'{headers[column].strip()}'", fields=", ".join(names)))
        blocked = True
    if lacking := missing(kind, chosen):
        st.warning(i18n.t("columns.upload.not_complete", fields=", ".join(lacking)))
        blocked = True
    if not blocked:
        st.caption(i18n.t("columns.upload.preview"))
        frame, problems = preview(need, kind, chosen)
        if frame is not None:
            st.success(i18n.t("columns.upload.preview_ok"))
            shown = pl.DataFrame({c: [_shown(v) for v in frame[c].to_list()] for c in frame.columns},
                                 schema={c: pl.String for c in frame.columns})
            table(shown, key=f"map_{index}_preview")
        else:
            st.warning(i18n.t("columns.upload.preview_problems") + "\n\n" + "\n".join(f"- {p}" for p in problems))
            blocked = True
    if st.button(i18n.t("columns.upload.save"), type="primary", disabled=blocked, key=f"map_{index}_save"):
        try:
            version = save(state.db_path(), need, kind, chosen, user="dashboard")
        except MappingError as exc:
            st.error(str(exc))
            return None
        st.toast(i18n.t("columns.upload.saved", version=version))
        results = import_uploads(state.db_path(), [Upload(need.name, need.data)])
        state.data_changed()
        return results
    return None
