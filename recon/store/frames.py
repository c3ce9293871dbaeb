"""Query results as polars frames, through Arrow (no row-by-row Python objects, no float detours)."""

from __future__ import annotations

from typing import Any

import duckdb
import polars as pl


def fetch_frame(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> pl.DataFrame:
    # con.sql (a relation) hands Arrow the result directly; con.execute(...).to_arrow_table() copies it
    # once more and warns about that on every call, which ends up in every cron mail.
    # An earlier execute() whose result was read with fetchone() still holds the connection; the relation
    # API refuses to run until it is finished (execute() would silently drop it instead).
    con.complete()
    table = con.sql(sql, params=params).to_arrow_table() if params is not None else con.sql(sql).to_arrow_table()
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame
