"""The `recon` command line (see shared/contract.md). Each command lives in its own module."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from recon import __version__, i18n
from recon.cli import (
    check_db_cmd,
    dashboard_cmd,
    demo_cmd,
    export_cmd,
    fees_cmd,
    import_cmd,
    reconcile_cmd,
    report_cmd,
    sources_cmd,
)
from recon.store.database import DatabaseBusy

COMMANDS = [import_cmd, sources_cmd, check_db_cmd, reconcile_cmd, report_cmd, export_cmd, fees_cmd, demo_cmd,
            dashboard_cmd]


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except DatabaseBusy as exc:
        print(f"recon: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(i18n.t("cli.interrupted"), file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    raise SystemExit(main())
