"""`recon demo` (what `make demo` runs): data, database, reconciliation and reports, with the known faults."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from recon.cli import main


def test_demo_writes_everything_and_finds_exactly_the_injected_faults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "demo"
    assert main(["demo", "--dir", str(out), "--orders", "300"]) == 0
    printed = capsys.readouterr().out
    imported = next(line for line in printed.splitlines() if " importiert, " in line)
    files = int(imported.split()[0])
    assert imported.startswith(f"{files} importiert, 0 übersprungen, 0 abgelehnt")
    assert f"recon dashboard --db {out / 'recon.duckdb'} --as-of 2026-11-02" in printed
    injected = json.loads((out / "injected_faults.json").read_text(encoding="utf-8"))
    found = json.loads((out / "reconciliation.json").read_text(encoding="utf-8"))["discrepancies"]
    key = ("kind", "document_number", "position_item_id", "expected", "actual")
    assert sorted(tuple(str(f[k]) for k in key) for f in found) == \
        sorted(tuple(str(i[k]) for k in key) for i in injected)
    assert load_workbook(out / "recon_report.xlsx").sheetnames[0] == "Übersicht"
    assert "<html" in (out / "recon_summary.html").read_text(encoding="utf-8").lower()
    assert main(["demo", "--dir", str(out), "--orders", "300"]) == 0  # again: every file skipped, same result
    assert f"0 importiert, {files} übersprungen, 0 abgelehnt; gespeichert: keine Zeilen" in capsys.readouterr().out
