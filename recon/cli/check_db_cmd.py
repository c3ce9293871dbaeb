"""`recon check-db`: verify the database file (read-only): readable, consistent, counts per table."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import duckdb

from recon import i18n
from recon.cli.common import add_db_option, existing_db_path
from recon.store import open_database
from recon.store.check import check_database
from recon.store.database import DatabaseUnusable


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "check-db", help=i18n.t("cli.check_db.help"), description=i18n.t("cli.check_db.description"),
    )
    add_db_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    path = existing_db_path(args, "check-db")
    if path is None:
        return 1
    try:
        db = open_database(path, read_only=True)
    except (FileNotFoundError, DatabaseUnusable) as exc:
        print(f"recon check-db: {exc}", file=sys.stderr)
        return 1
    except duckdb.Error as exc:
        print(i18n.t("cli.check_db.unreadable", path=path, reason=_first_line(exc)), file=sys.stderr)
        return 1
    try:
        report = check_database(db)
    except duckdb.Error as exc:
        print(i18n.t("cli.check_db.read_failed", path=path, reason=_first_line(exc)), file=sys.stderr)
        return 1
    finally:
        db.close()
    print(i18n.t("cli.check_db.database", path=path, size=report.size))
    print(i18n.t("cli.check_db.schema", version=report.schema_version, expected=report.expected_version))
    width = max((len(name) for name in report.counts), default=0)
    for name, n in report.counts.items():
        print(f"  {name:<{width}} {n:>10} " + i18n.t("cli.check_db.rows"))
    print(i18n.t("cli.check_db.content", sha=report.content_sha256))
    if report.ok:
        print(i18n.t("cli.check_db.ok"))
        return 0
    for problem in report.problems:
        print(i18n.t("cli.check_db.problem", problem=problem))
    print(i18n.t("cli.check_db.problems", count=len(report.problems)))
    return 1


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
