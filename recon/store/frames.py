"""Query results as polars frames, through Arrow (no row-by-row Python objects, no float detours)."""

from __future__ import annotations

from typing import Any

import duckdb
import polars as pl


def fetch_frame(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> pl.DataFrame:
    table = con.execute(sql, params).to_arrow_table() if params is not None else con.execute(sql).to_arrow_table()
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame
