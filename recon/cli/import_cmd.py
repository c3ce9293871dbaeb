"""`recon import PATH... [--kind K]`: store files, all or nothing per file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from recon.cli.common import add_db_option, db_path
from recon.cli.progress import terminal_progress
from recon.importing import KINDS, FileResult, ImportReport, import_paths, mail
from recon.store import open_database


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "import", help="import invoice, correction, payout CSVs and receipts JSON (also from .eml, mbox, Maildir)",
        description="Import files (or every file in a folder). Each file is stored whole or not at all; "
                    "a file imported before (same bytes) is skipped.",
    )
    add_db_option(parser)
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    parser.add_argument("--kind", choices=KINDS, help="force the file kind instead of detecting it")
    parser.add_argument("--columns", type=Path, metavar="TOML",
                        help="extra column names (aliases) for files that name columns differently")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        for path in missing:
            print(f"recon import: {path}: no such file or folder", file=sys.stderr)
        return 2
    db = open_database(db_path(args))
    try:
        report = import_paths(
            db, args.paths, kind=args.kind, layouts_file=args.columns,
            progress=terminal_progress if sys.stderr.isatty() else None,
        )
    finally:
        db.close()
    print_report(report)
    return report.exit_code


def describe(result: FileResult) -> str:
    if result.status == "skipped":
        return f"skipped   {result.name}: {result.note}"
    if result.status == "rejected":
        return f"rejected  {result.name}: {len(result.problems)} problem line(s), nothing stored"
    rows = ", ".join(f"{n} {table}" for table, n in result.rows.items())
    note = f" ({result.note})" if result.note else ""
    return f"imported  {result.name}: {result.kind}, {result.encoding}, {rows}{note}"


def print_report(report: ImportReport) -> None:
    for result in report.files:
        for line in result.problems:
            print(line, file=sys.stderr)
        print(describe(result))
        for warning in result.warnings:
            print(f"          warning: {warning}")
    if mails := mail.summary(report.files):
        print(mails)
    rows = ", ".join(f"{n} {table}" for table, n in sorted(report.rows_by_kind().items())) or "no rows"
    print(
        f"{report.count('imported')} imported, {report.count('skipped')} skipped, "
        f"{report.count('rejected')} rejected; stored {rows}"
    )
