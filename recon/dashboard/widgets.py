"""Small display helpers the pages share: German-text tables with right-aligned amounts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl
import streamlit as st

from recon.store.database import DatabaseBusy

ROW_PX = 35


def table(frame: pl.DataFrame, *, right: Iterable[str] = (), key: str | None = None,
          height: int | None = None, select: bool = False, fit: bool = False) -> Any:
    """A read-only table; `right` names the (text) amount columns to right-align.

    With `select`, one row can be picked and the selection state is returned; with `fit`, the table is as
    tall as its rows (no inner scrolling, for short tables that must be read whole).
    """
    if fit:
        height = ROW_PX * (frame.height + 1) + 3
    config: dict[str, Any] = {name: st.column_config.TextColumn(name, alignment="right")
                              for name in right if name in frame.columns}
    options: dict[str, Any] = {"hide_index": True, "column_config": config, "key": key}
    if height is not None:
        options["height"] = height
    if select:
        options["on_select"] = "rerun"
        options["selection_mode"] = "single-row"
    return st.dataframe(frame, **options)


def database_busy(exc: DatabaseBusy) -> None:
    st.warning(f"{exc}. Reload the page once the other process has finished.", icon=":material/hourglass:")
