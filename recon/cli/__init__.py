"""The `recon` command line (see shared/contract.md). Each command lives in its own module."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from typing import Any

from recon import __version__, i18n
from recon.cli import (
    check_db_cmd,
    columns_cmd,
    dashboard_cmd,
    demo_cmd,
    export_cmd,
    fees_cmd,
    fetch_cmd,
    import_cmd,
    reconcile_cmd,
    report_cmd,
    sources_cmd,
)
from recon.importing.receipts import stop_helper
from recon.settings import SettingsError, current
from recon.store.database import DatabaseUnusable

COMMANDS = [import_cmd, sources_cmd, check_db_cmd, reconcile_cmd, report_cmd, export_cmd, fees_cmd, demo_cmd,
            dashboard_cmd, columns_cmd]
COMMANDS.append(fetch_cmd)  # its own line, so other commands can be added above without touching it


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="recon",
        description=i18n.t("cli.description"),
    )
    parser.add_argument("--version", action="version", version=f"recon {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMANDS:
        module.register(sub)
    return parser


class Terminated(KeyboardInterrupt):
    """SIGTERM (systemd, `timeout`, `kill`): ends a command exactly as Ctrl-C does."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def main(argv: Sequence[str] | None = None) -> int:
    try:
        current()  # a bad RECON_* value stops here, with its name, before anything is read or written
    except SettingsError as exc:
        print(f"recon: {exc}", file=sys.stderr)
        return 2
    parser = build_parser()
    args = parser.parse_args(argv)
    previous = _on_sigterm(_terminate)
    try:
        code: int = args.run(args)
    except DatabaseUnusable as exc:
        print(f"recon: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:
        stop_helper()
        print(i18n.t("cli.interrupted"), file=sys.stderr)
        return 143 if isinstance(exc, Terminated) else 130
    finally:
        _on_sigterm(previous)
    return code


def _on_sigterm(handler: Any) -> Any:
    """Install `handler` for SIGTERM (only the main thread may; elsewhere, e.g. in tests' threads, keep it)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, handler) if handler is not None else None


if __name__ == "__main__":
    raise SystemExit(main())
