"""`recon check-db`: verify the database file (read-only): readable, consistent, counts per table."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import duckdb

from recon.cli.common import add_db_option, db_path
from recon.store import open_database
from recon.store.check import check_database
from recon.store.database import DatabaseUnusable


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "check-db", help="verify the database: readable, consistent, counts per table",
        description="Open the database read-only, read every stored value, check that every row belongs to an "
                    "imported file and every file's counts and totals match. Exit 0 when OK, 1 on problems.",
    )
    add_db_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    path = db_path(args)
    try:
        db = open_database(path, read_only=True)
    except (FileNotFoundError, DatabaseUnusable) as exc:
        print(f"recon check-db: {exc}", file=sys.stderr)
        return 1
    except duckdb.Error as exc:
        print(f"recon check-db: {path}: cannot be opened as a recon database: {_first_line(exc)}", file=sys.stderr)
        return 1
    try:
        report = check_database(db)
    except duckdb.Error as exc:
        print(f"recon check-db: {path}: reading failed: {_first_line(exc)}", file=sys.stderr)
        return 1
    finally:
        db.close()
    print(f"database {path}: {report.size}")
    print(f"schema version {report.schema_version} (current: {report.expected_version})")
    width = max((len(name) for name in report.counts), default=0)
    for name, n in report.counts.items():
        print(f"  {name:<{width}} {n:>10} rows")
    print(f"content sha256 {report.content_sha256}")
    if report.ok:
        print("OK: every value readable, every row traceable to its file, counts and totals consistent")
        return 0
    for problem in report.problems:
        print(f"PROBLEM: {problem}")
    print(f"{len(report.problems)} problem(s) found")
    return 1


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
