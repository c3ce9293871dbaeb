"""`recon demo [--dir DIR]`: a realistic quarter with known faults, imported, reconciled and reported."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from datetime import date
from pathlib import Path
from typing import Any

from recon import i18n
from recon.cli.import_cmd import print_report
from recon.engine import reconcile
from recon.engine.output import summary_text, write_json
from recon.importing import import_paths
from recon.simulate.quarter import simulate
from recon.simulate.write import write_quarter
from recon.store import open_database


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "demo", help=i18n.t("cli.demo.help"), description=i18n.t("cli.demo.description"),
    )
    parser.add_argument("--dir", type=Path, default=Path("demo"), help=i18n.t("cli.demo.opt_dir"))
    parser.add_argument("--db", type=Path, default=None, help=i18n.t("cli.demo.opt_db"))
    parser.add_argument("--orders", type=int, default=400, help=i18n.t("cli.demo.opt_orders"))
    parser.add_argument("--seed", type=int, default=7)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    out: Path = args.dir
    quarter = simulate(orders=args.orders, seed=args.seed)
    data = out / "data"
    files = write_quarter(quarter, data)
    answer_key = out / "injected_faults.json"
    answer_key.write_text(json.dumps([
        {"kind": e.kind, "document_number": e.document_number, "position_item_id": e.position_item_id,
         "expected": None if e.expected is None else str(e.expected),
         "actual": None if e.actual is None else str(e.actual)} for e in quarter.expected
    ], indent=2), encoding="utf-8")
    print(i18n.t("cli.demo.generated", files=len(files), folder=data, as_of=i18n.day(quarter.as_of),
                 faults=len(quarter.expected), answer_key=answer_key) + "\n")
    db_file: Path = args.db if args.db is not None else out / "recon.duckdb"
    db = open_database(db_file)
    try:
        print_report(import_paths(db, [data]))
        print()
        result = reconcile(db, as_of=quarter.as_of)
    finally:
        db.close()
    print(summary_text(result))
    json_path = out / "reconciliation.json"
    write_json(result, json_path)
    written = [json_path, *_reports(db_file, out, quarter.as_of)]
    db_arg = shlex.quote(str(db_file))
    print("\n" + i18n.t("cli.demo.written") + "\n" + "\n".join(f"  {p}" for p in written))
    print("\n" + i18n.t("cli.demo.explore", db=db_arg, as_of=quarter.as_of.isoformat()))
    return 0


def _reports(db_file: Path, out: Path, as_of: date) -> list[Path]:
    """The workbook and the HTML summary, written by `recon report` exactly as a user or cron would."""
    from recon.cli import main  # the command line imports this module: import it when needed  # noqa: PLC0415

    excel, html = out / "recon_report.xlsx", out / "recon_summary.html"
    code = main(["report", "--db", str(db_file), "--as-of", as_of.isoformat(), "--excel", str(excel),
                 "--html", str(html)])
    if code != 0:
        print(i18n.t("cli.demo.report_failed", code=code), file=sys.stderr)
        return []
    return [excel, html]
