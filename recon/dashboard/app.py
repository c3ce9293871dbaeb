"""The Streamlit dashboard's entry script: page setup, the sidebar every page shares, and navigation.

`recon dashboard` runs this file; `dashboards/app.py` in a checkout is a thin entry that calls `main()`.
It lives inside the package so that `pip install .` ships it (the checkout's `dashboards/` folder is not
part of the wheel). Pages are files in `screens/`, addressed by absolute path so either entry finds them.
The folder must not be called `pages/`: Streamlit treats a `pages/` folder beside the main script as an
old-style page list, and a bookmarked page opened first after a restart then ran on its own, without the
sidebar, the period picker and the sign-in that this script puts around every page.

Sign-in lasts for the browser session: Streamlit keeps it in memory per connection, so a reload (F5) or a
new tab asks again. The sidebar says so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import streamlit as st

from recon import i18n, settings
from recon.dashboard import state
from recon.store.database import DatabaseUnusable
from recon.ui import periods
from recon.ui.auth import BadHash, configured_hash, parse_hash, verify_password
from recon.ui.throttle import THROTTLE

PAGES = Path(__file__).resolve().parent / "screens"
LOGIN_FOR_KEY = "recon_login_for"


def _pages() -> list[st.Page]:
    def page(file: str, title: str, icon: str, default: bool = False) -> st.Page:
        return st.Page(PAGES / file, title=title, icon=icon, url_path=file.removesuffix(".py"), default=default)

    t = i18n.t
    return [
        page("overview.py", t("ui.nav.overview"), ":material/dashboard:", default=True),
        page("upload.py", t("ui.nav.upload"), ":material/upload_file:"),
        page("discrepancies.py", t("ui.nav.discrepancies"), ":material/rule:"),
        page("payouts.py", t("ui.nav.payouts"), ":material/payments:"),
        page("categories.py", t("ui.nav.categories"), ":material/category:"),
        page("download.py", t("ui.nav.download"), ":material/download:"),
    ]


def _secrets() -> Mapping[str, object] | None:
    """Streamlit's secrets, if a secrets.toml exists (asking without one would raise)."""
    try:
        if not st.secrets.load_if_toml_exists():
            return None
        return {key: st.secrets[key] for key in st.secrets}
    except FileNotFoundError:
        return None


def _access() -> None:
    """Who may change data: everyone when no password hash is configured, else who signed in."""
    sidebar = st.sidebar
    stored = configured_hash(secrets=_secrets())
    if stored is None:
        state.set_role(state.ACCOUNTANT)
        sidebar.warning(i18n.t("ui.auth.unprotected"), icon=":material/lock_open:")
        return
    try:
        parse_hash(stored)
    except BadHash as exc:
        state.set_role(state.VIEWER)
        # as code: a hash is full of '$', which Markdown would render as LaTeX
        sidebar.error(i18n.t("ui.auth.misconfigured"))
        sidebar.code(str(exc), language=None)
        return
    if state.is_accountant() and st.session_state.get(LOGIN_FOR_KEY) == stored:
        sidebar.success(i18n.t("ui.auth.signed_in"), icon=":material/verified_user:")
        sidebar.caption(i18n.t("ui.auth.session_note"))
        if sidebar.button(i18n.t("ui.auth.sign_out"), key="sign_out"):
            state.set_role(state.VIEWER)
            st.rerun()
        return
    state.set_role(state.VIEWER)
    with sidebar.form("sign_in", clear_on_submit=True):
        password = st.text_input(i18n.t("ui.auth.password"), type="password", key="password")
        submitted = st.form_submit_button(i18n.t("ui.auth.sign_in"))
    if submitted:
        client = _client_address()
        wait = THROTTLE.wait_seconds(client)
        if wait > 0:  # not even checked: parallel sessions cannot guess faster than the throttle allows
            sidebar.error(i18n.t("input.login_wait", seconds=math.ceil(wait)))
        elif password and verify_password(password, stored):
            THROTTLE.succeeded(client)
            state.set_role(state.ACCOUNTANT)
            st.session_state[LOGIN_FOR_KEY] = stored
            st.rerun()
        else:
            THROTTLE.failed(client)
            sidebar.error(i18n.t("ui.auth.wrong"))
    sidebar.caption(i18n.t("ui.auth.viewing_only"))


def _client_address() -> str:
    """The browser's address as Streamlit saw it (one bucket for all when it cannot tell)."""
    address = getattr(st.context, "ip_address", None)
    return address if isinstance(address, str) and address else "unknown"


def _period_picker() -> None:
    sidebar = st.sidebar
    t = i18n.t
    shown = "DD.MM.YYYY" if i18n.lang() == "de" else "YYYY-MM-DD"
    sidebar.subheader(t("ui.side.period"))
    as_of = sidebar.date_input(t("ui.side.as_of"), value=state.default_as_of(), format=shown, key="as_of",
                               help=t("ui.side.as_of_help"))
    as_of = as_of if isinstance(as_of, date) else state.default_as_of()
    preset = sidebar.selectbox(t("ui.side.documents_dated"), periods.PRESETS, key="period_preset",
                               format_func=periods.label)
    custom: tuple[date | None, date | None] = (None, None)
    if preset == periods.CUSTOM:
        lo = sidebar.date_input(t("ui.side.from"), value=None, format=shown, key="period_from")
        hi = sidebar.date_input(t("ui.side.to"), value=None, format=shown, key="period_to")
        custom = (lo if isinstance(lo, date) else None, hi if isinstance(hi, date) else None)
    chosen = periods.preset_period(str(preset), as_of, custom)
    state.set_period(chosen)
    sidebar.caption(periods.describe(chosen))


def main() -> None:
    st.set_page_config(page_title="recon · OTTO Market", page_icon=":material/euro:", layout="wide")
    try:
        settings.current()
    except settings.SettingsError as exc:  # one clear message naming the variable, not a traceback
        st.error(str(exc))
        st.stop()
    navigation = st.navigation(_pages())
    _period_picker()
    st.sidebar.divider()
    _access()
    st.sidebar.caption(i18n.t("ui.side.database", path=state.db_path()))
    try:
        navigation.run()
    except DatabaseUnusable as exc:  # not a DuckDB file, damaged, newer: say so on the page, never a traceback
        st.error(i18n.t("ui.side.unusable", reason=exc), icon=":material/error:")


if __name__ == "__main__":
    main()
