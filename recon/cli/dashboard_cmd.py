"""`recon dashboard [--port N] [--host H] [--db PATH] [--as-of DATE]`: start the Streamlit dashboard.

It runs `streamlit run` on the app shipped inside the package, on 127.0.0.1 unless told otherwise, and
hands the database over in `$RECON_DB`. `--hash-password` prints a hash for the accountant password.
"""

from __future__ import annotations

import argparse
import getpass
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from recon import i18n, settings
from recon.cli.common import add_db_option, db_path, iso_date
from recon.ui.auth import ENV_VAR, configured_hash, hash_password

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "dashboard", help=i18n.t("cli.dashboard.help"), description=i18n.t("cli.dashboard.description", env=ENV_VAR),
    )
    add_db_option(parser)
    parser.add_argument("--port", type=int, default=8501, help=i18n.t("cli.dashboard.opt_port"))
    parser.add_argument("--host", default="127.0.0.1",
                        help=i18n.t("cli.dashboard.opt_host"))
    parser.add_argument("--as-of", dest="as_of", type=iso_date, metavar="DATE",
                        help=i18n.t("cli.dashboard.opt_as_of"))
    parser.add_argument("--hash-password", action="store_true",
                        help=i18n.t("cli.dashboard.opt_hash", env=ENV_VAR))
    parser.set_defaults(run=run)


def app_file() -> Path:
    from recon.dashboard import APP

    return APP


def streamlit_command(args: argparse.Namespace) -> tuple[list[str], dict[str, str]]:
    """The `streamlit run` command line and its environment (separate so it can be tested)."""
    command = [
        sys.executable, "-m", "streamlit", "run", str(app_file()),
        "--server.address", str(args.host), "--server.port", str(args.port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal",
        # an unexpected error shows its type in the browser; the traceback goes to the console only
        "--client.showErrorDetails", "type",
    ]
    env = settings.child_environment(RECON_DB=str(db_path(args).resolve()))
    if args.as_of is not None:
        env["RECON_AS_OF"] = args.as_of.isoformat()
    return command, env


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(i18n.t("cli.dashboard.password_prompt"))
    if getpass.getpass(i18n.t("cli.dashboard.password_again")) != first:
        raise ValueError(i18n.t("cli.dashboard.password_differs"))
    return first


def _hash_password() -> int:
    try:
        password = _read_password()
        print(hash_password(password))
    except ValueError as exc:
        print(f"recon dashboard: {exc}", file=sys.stderr)
        return 2
    print("\n" + i18n.t("cli.dashboard.hash_hint", env=ENV_VAR), file=sys.stderr)
    return 0


def run(args: argparse.Namespace) -> int:
    if args.hash_password:
        return _hash_password()
    command, env = streamlit_command(args)
    if args.host not in LOCAL_HOSTS and configured_hash() is None:
        print(i18n.t("cli.dashboard.open_warning", host=args.host, env=ENV_VAR), file=sys.stderr)
    shown_host = "localhost" if args.host in LOCAL_HOSTS else args.host
    print(i18n.t("cli.dashboard.running", db=env["RECON_DB"], url=f"http://{shown_host}:{args.port}"), flush=True)
    return launch(command, env)


def launch(command: list[str], env: dict[str, str]) -> int:
    """Become the streamlit process where the OS allows it, so that a signal to `recon dashboard` (Ctrl+C,
    a service manager's SIGTERM) reaches the server itself and no orphan keeps the port."""
    if os.name == "posix":
        os.execve(command[0], command, env)  # noqa: S606 (our own interpreter, fixed arguments)
    try:
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:
        return 0
