"""`recon import PATH... [--kind K]`: store files, all or nothing per file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from recon import i18n
from recon.cli.common import add_db_option, db_path
from recon.cli.progress import terminal_progress
from recon.importing import KINDS, FileResult, ImportReport, import_paths, mail
from recon.importing.pipeline import expand_paths
from recon.store import open_database
from recon.ui.data import refresh_results


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "import", help=i18n.t("cli.import.help"), description=i18n.t("cli.import.description"),
    )
    add_db_option(parser)
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    parser.add_argument("--kind", choices=KINDS, help=i18n.t("cli.import.opt_kind"))
    parser.add_argument("--columns", type=Path, metavar="TOML", help=i18n.t("cli.import.opt_columns"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        for path in missing:
            print(i18n.t("cli.import.no_such_path", path=path), file=sys.stderr)
        return 2
    files = expand_paths(args.paths)
    if not files:
        # An empty folder (or one with hidden files only) is most often the wrong folder: say so, store nothing.
        print(i18n.t("cli.import.no_files", paths=", ".join(str(p) for p in args.paths)), file=sys.stderr)
        return 1
    db = open_database(db_path(args))
    try:
        report = import_paths(
            db, files, kind=args.kind, layouts_file=args.columns,
            progress=terminal_progress if sys.stderr.isatty() else None,
        )
        if report.count("imported"):
            # The run people look at next, stored now (streamed: bounded memory for any number of findings),
            # so the dashboard's first overview and the next reconcile read it instead of recomputing.
            refresh_results(db)
    finally:
        db.close()
    print_report(report)
    return report.exit_code


def table_counts(rows: dict[str, int]) -> str:
    """'5 Rechnungszeilen, 1 Beleg' from {table: rows}: singular for one row (a table the catalogue does not
    name keeps its own name)."""
    return ", ".join(f"{n} {_table_noun(table, n)}" for table, n in rows.items())


def _table_noun(table: str, count: int) -> str:
    noun = f"cli.table.{table}"
    return i18n.counted(noun, count) if i18n.has(f"{noun}.one") else table


def describe(result: FileResult) -> str:
    if result.status == "skipped":
        return i18n.t("cli.import.skipped", name=result.name, note=result.note)
    if result.status == "rejected":
        return i18n.t("cli.import.rejected", name=result.name, problems=len(result.problems))
    note = f" ({result.note})" if result.note else ""
    return i18n.t("cli.import.imported", name=result.name, kind=result.kind, encoding=result.encoding,
                  rows=table_counts(result.rows)) + note


def print_report(report: ImportReport) -> None:
    for result in report.files:
        for line in result.problems:
            print(line, file=sys.stderr)
        print(describe(result))
        for warning in result.warnings:
            print("          " + i18n.t("cli.import.warning", warning=warning))
    if mails := mail.summary(report.files):
        print(mails)
    rows = table_counts(dict(sorted(report.rows_by_kind().items()))) or i18n.t("cli.import.no_rows")
    print(i18n.t("cli.import.summary", imported=report.count("imported"), skipped=report.count("skipped"),
                 rejected=report.count("rejected"), rows=rows))
