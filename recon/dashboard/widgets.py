"""Small display helpers the pages share: German-text tables with right-aligned amounts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl
import streamlit as st

from recon import i18n
from recon.store.database import DatabaseBusy

ROW_PX = 35


def table(frame: pl.DataFrame, *, right: Iterable[str] = (), key: str | None = None,
          height: int | None = None, select: bool = False, fit: bool = False, wide: Iterable[str] = ()) -> Any:
    """A read-only table; `right` names the (text) amount columns to right-align, `wide` the long text
    columns (messages, reasons) that get the room to be read rather than cut after a few words.

    With `select`, one row can be picked and the selection state is returned; with `fit`, the table is as
    tall as its rows (no inner scrolling, for short tables that must be read whole).
    """
    if fit:
        height = ROW_PX * (frame.height + 1) + 3
    config: dict[str, Any] = {name: st.column_config.TextColumn(name, alignment="right")
                              for name in right if name in frame.columns}
    config |= {name: st.column_config.TextColumn(name, width="large") for name in wide if name in frame.columns}
    options: dict[str, Any] = {"hide_index": True, "column_config": config, "key": key}
    if height is not None:
        options["height"] = height
    if select:
        options["on_select"] = "rerun"
        options["selection_mode"] = "single-row"
    return st.dataframe(frame, **options)


def uploader_texts() -> None:
    """Streamlit's file uploader writes its own English ('Drag and drop files here', 'Browse files', 'Limit
    200MB per file') and takes no texts for them: put the catalogue's in their place with a little CSS."""
    drop, browse, limit = (i18n.t(f"ui.upload.{key}").replace('"', "'") for key in ("drop", "browse", "limit"))
    zone = '[data-testid="stFileUploaderDropzone"]'
    instructions = '[data-testid="stFileUploaderDropzoneInstructions"]'
    st.markdown(
        f"<style>{instructions} > *, {zone} button > * {{display: none !important;}}"
        f'{instructions}::after {{content: "{drop} · {limit}"; font-size: 0.9rem;}}'
        f'{zone} button::after {{content: "{browse}"; font-size: 0.9rem;}}</style>',
        unsafe_allow_html=True)


def database_busy(exc: DatabaseBusy) -> None:
    st.warning(i18n.t("ui.busy", reason=exc), icon=":material/hourglass:")
