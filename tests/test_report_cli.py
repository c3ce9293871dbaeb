"""`recon report` runs unattended: period names in file names, one log line per file, honest exit codes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from recon.cli import main


def test_scheduled_run_writes_period_named_files_and_logs_them(
    books_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    code = main(["report", "--db", str(books_path), "--as-of", "2026-11-26", "--period", "last-week",
                 "--excel", str(out / "recon_{period}.xlsx"), "--html", str(out / "recon_{period}.html"),
                 "--text", str(out / "recon_{period}.txt")])
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == ["recon_2026-W47.html", "recon_2026-W47.txt",
                                                     "recon_2026-W47.xlsx"]
    log = capsys.readouterr().out.splitlines()
    assert len(log) == 3
    assert re.fullmatch(
        r"\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d MES?Z recon report: .*recon_2026-W47\.xlsx geschrieben "
        r"\(16\.11\.2026 – 22\.11\.2026 \(2026-W47\), Stichtag 26\.11\.2026, 0 Abweichungen, 0,00 € zulasten des "
        r"Händlers\)",
        log[0])
    ws = load_workbook(out / "recon_2026-W47.xlsx")["Übersicht"]
    rows = {r[0]: r for r in ws.iter_rows(values_only=True) if r[0]}
    assert rows["Zeitraum"][3] == "2026-W47"
    assert rows["Auszahlungen"][1] == -461.06  # AZ-2026-000031 of 19.11.2026 (a debit)
    assert not list(out.glob(".*.tmp"))  # nothing half-written left behind


def test_text_to_stdout_keeps_the_log_on_stderr(books_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--db", str(books_path), "--as-of", "2026-11-24", "--period", "2026-11",
                 "--text", "-"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("OTTO Market – Abgleich 2026-11\n")
    assert "recon report: " not in captured.out and captured.err == ""


def test_missing_database_is_exit_1_without_creating_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.duckdb"
    assert main(["report", "--db", str(missing), "--excel", str(tmp_path / "r.xlsx")]) == 1
    assert not missing.exists() and not (tmp_path / "r.xlsx").exists()
    assert capsys.readouterr().err == (f"recon report: keine Datenbank unter {missing}; erst Dateien importieren "
                                       f"(recon import --db {missing} DATEIEN) oder den Pfad prüfen\n")


def test_unwritable_target_is_exit_1(books_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["report", "--db", str(books_path), "--excel", str(blocker / "r.xlsx")]) == 1
    assert capsys.readouterr().err == (f"recon report: {blocker / 'r.xlsx'} kann nicht geschrieben werden: der Ordner "
                                       f"{blocker} existiert nicht\n")


@pytest.mark.parametrize("argv", [
    [],  # nothing to write
    ["--excel", "r.xlsx", "--period", "2026-W99"],
    ["--excel", "r.xlsx", "--period", "2026-11", "--from", "2026-11-01"],
    ["--excel", "r.xlsx", "--from", "2026-11-30", "--to", "2026-11-01"],
    ["--excel", "r.xlsx", "--as-of", "26.11.2026"],
])
def test_usage_errors_are_exit_2(books_path: Path, argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["report", "--db", str(books_path), *argv])
    assert exc.value.code == 2
