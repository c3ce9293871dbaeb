"""The `recon` command line (see shared/contract.md). Each command lives in its own module."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from recon import __version__
from recon.cli import (
    check_db_cmd,
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
from recon.settings import SettingsError, current
from recon.store.database import DatabaseBusy

COMMANDS = [import_cmd, sources_cmd, check_db_cmd, reconcile_cmd, report_cmd, export_cmd, fees_cmd, demo_cmd,
            dashboard_cmd]
COMMANDS.append(fetch_cmd)  # its own line, so other commands can be added above without touching it


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="recon",
        description="Check, to the cent, what OTTO Market charged and paid you.",
    )
    parser.add_argument("--version", action="version", version=f"recon {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        current()  # a bad RECON_* value stops here, with its name, before anything is read or written
    except SettingsError as exc:
        print(f"recon: {exc}", file=sys.stderr)
        return 2
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except DatabaseBusy as exc:
        print(f"recon: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("recon: interrupted; nothing half-written was kept", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    raise SystemExit(main())
