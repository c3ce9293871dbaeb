"""What every page shares: the database path, the period, the viewer's role, and the cached reads.

Cached reads are keyed by (database path, version token of the file, period), so an import from cron shows
up on the next interaction; an upload or fee save in the dashboard clears the cache at once.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import streamlit as st

from recon import i18n, settings
from recon.dashboard.widgets import database_busy
from recon.engine import Evidence
from recon.period import Period
from recon.store import default_db_path
from recon.store.database import DatabaseBusy
from recon.ui import data
from recon.ui.discrepancies import SourceRow, source_rows
from recon.ui.fees import FeeState, fee_state
from recon.ui.periods import ALL, preset_period

ROLE_KEY = "recon_role"
ACCOUNTANT = "accountant"
VIEWER = "viewer"
PERIOD_KEY = "recon_period"


def db_path() -> Path:
    """The database the dashboard shows: `$RECON_DB` (set by `recon dashboard --db`), else ./recon.duckdb."""
    return default_db_path().resolve()


def default_as_of() -> date:
    """'Today' for due-date checks: `$RECON_AS_OF` (set by `recon dashboard --as-of`), else today."""
    return settings.current().today()


def period() -> Period:
    found = st.session_state.get(PERIOD_KEY)
    return found if isinstance(found, Period) else preset_period(ALL, default_as_of())


def set_period(value: Period) -> None:
    st.session_state[PERIOD_KEY] = value


def is_accountant() -> bool:
    return bool(st.session_state.get(ROLE_KEY) == ACCOUNTANT)


def set_role(role: str) -> None:
    st.session_state[ROLE_KEY] = role


def data_changed() -> None:
    """After an upload or a fee save: nothing cached may outlive the data it was computed from."""
    st.cache_data.clear()


def _token() -> tuple[int, ...]:
    return data.version_token(db_path())


@st.cache_data(show_spinner=False, max_entries=64)
def _data_range(db: str, token: tuple[int, ...]) -> data.DataRange:
    return data.data_range(Path(db))


@st.cache_data(show_spinner=False, max_entries=16)
def _snapshot(db: str, token: tuple[int, ...], period: Period) -> data.Snapshot:
    return data.snapshot(Path(db), period)


@st.cache_data(show_spinner=False, max_entries=64)
def _payout_lines(db: str, token: tuple[int, ...], payout_number: str) -> pl.DataFrame:
    return data.payout_lines(Path(db), payout_number)


@st.cache_data(show_spinner=False, max_entries=256)
def _source_rows(db: str, token: tuple[int, ...], evidence: tuple[Evidence, ...]) -> list[SourceRow]:
    return source_rows(Path(db), evidence)


@st.cache_data(show_spinner=False, max_entries=8)
def _fee_state(db: str, token: tuple[int, ...]) -> FeeState:
    return fee_state(Path(db))


def database_ready() -> bool:
    """False (with a message on the page) when there is nothing to show yet."""
    path = db_path()
    if not path.exists():
        st.info(i18n.t("ui.side.no_database", path=path), icon=":material/info:")
        if is_accountant():  # the way to the first data: upload creates the database, as `recon import` does
            st.page_link(str(Path(__file__).resolve().parent / "screens" / "upload.py"),
                         label=i18n.t("ui.side.to_upload"), icon=":material/upload_file:")
        else:
            st.caption(i18n.t("ui.side.no_database_viewer"))
        return False
    return True


def data_range() -> data.DataRange:
    return _data_range(str(db_path()), _token())


def snapshot() -> data.Snapshot:
    p = period()
    with st.spinner(i18n.t("ui.side.reconciling")):
        return _snapshot(str(db_path()), _token(), p)


def current_snapshot() -> data.Snapshot | None:
    """The period's snapshot, or None once the page has said why there is none (no database yet, or busy)."""
    if not database_ready():
        return None
    try:
        return snapshot()
    except DatabaseBusy as exc:
        database_busy(exc)
        return None


def payout_lines(payout_number: str) -> pl.DataFrame:
    return _payout_lines(str(db_path()), _token(), payout_number)


def evidence_rows(evidence: tuple[Evidence, ...]) -> list[SourceRow]:
    return _source_rows(str(db_path()), _token(), evidence)


def fees() -> FeeState:
    return _fee_state(str(db_path()), _token())
