"""The `recon` command line (see shared/contract.md). Each command lives in its own module."""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
import threading
from collections.abc import Sequence
from typing import Any

from recon import __version__, i18n
from recon.cli import argparse_text
from recon.settings import SettingsError, current

# Every command: its module in recon.cli and the catalogue key of its one-line help. Only the chosen command's
# module is imported (`recon --help` and `recon sources` must not pay for openpyxl, polars or the demo's
# simulator); the others get a bare sub-parser with their help line, enough for `recon --help`.
COMMANDS: dict[str, tuple[str, str]] = {
    "import": ("import_cmd", "cli.import.help"),
    "sources": ("sources_cmd", "cli.sources.help"),
    "check-db": ("check_db_cmd", "cli.check_db.help"),
    "reconcile": ("reconcile_cmd", "cli.reconcile.help"),
    "report": ("report_cmd", "cli.report.help"),
    "export": ("export_cmd", "cli.export.help"),
    "fees": ("fees_cmd", "cli.fees.help"),
    "demo": ("demo_cmd", "cli.demo.help"),
    "dashboard": ("dashboard_cmd", "cli.dashboard.help"),
    "columns": ("columns_cmd", "columns.cli.help"),
}
COMMANDS["fetch"] = ("fetch_cmd", "cli.fetch.help")  # its own line, so commands can be added above it


def chosen_command(argv: Sequence[str]) -> str | None:
    """The command named on the command line: the first argument that is not an option (the top level has
    only --help and --version, which take no value)."""
    for arg in argv:
        if arg == "--":
            return None
        if not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; with `argv`, only the command it names is registered in full (the others by name and
    help line), so start-up imports just that command's module. Without `argv`, every command in full."""
    argparse_text.install()
    parser = argparse.ArgumentParser(
        prog="recon",
        description=i18n.t("cli.description"),
    )
    parser.add_argument("--version", action="version", version=f"recon {__version__}",
                        help=i18n.t("argparse.version"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    chosen = chosen_command(argv) if argv is not None else None
    for name, (module_name, help_key) in COMMANDS.items():
        if argv is None or name == chosen:
            importlib.import_module(f"recon.cli.{module_name}").register(sub)
        else:
            sub.add_parser(name, help=i18n.t(help_key))
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
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(arguments)
    args = parser.parse_args(arguments)
    previous = _on_sigterm(_terminate)
    try:
        code: int = args.run(args)
    except KeyboardInterrupt as exc:
        _stop_import_helper()
        print(i18n.t("cli.interrupted"), file=sys.stderr)
        return 143 if isinstance(exc, Terminated) else 130
    except Exception as exc:
        from recon.store.database import DatabaseUnusable  # loaded already by any command that opened one

        if not isinstance(exc, DatabaseUnusable):
            raise
        print(f"recon: {exc}", file=sys.stderr)
        return 1
    finally:
        _on_sigterm(previous)
    return code


def _stop_import_helper() -> None:
    """Stop the import's helper process, if this command started the importer at all."""
    receipts = sys.modules.get("recon.importing.receipts")
    if receipts is not None:
        receipts.stop_helper()


def _on_sigterm(handler: Any) -> Any:
    """Install `handler` for SIGTERM (only the main thread may; elsewhere, e.g. in tests' threads, keep it)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, handler) if handler is not None else None


if __name__ == "__main__":
    raise SystemExit(main())
