"""What a new user tripped over (issue 14): one test per bug, on the command line as a user types it."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from recon import views
from recon.cli import main
from recon.store import open_database
from tests.conftest import SAMPLES


def _no_db(path: Path, command: str) -> str:
    return (f"recon {command}: keine Datenbank unter {path}; erst Dateien importieren (recon import --db {path} "
            "DATEIEN) oder den Pfad prüfen\n")


@pytest.mark.parametrize(("argv", "command"), [
    (["reconcile"], "reconcile"),
    (["reconcile", "--json", "{tmp}/out.json"], "reconcile"),
    (["fees", "show"], "fees"),
    (["fees", "versions"], "fees"),
    (["fees", "save", "{tmp}/fees.toml"], "fees save"),
    (["sources"], "sources"),
    (["check-db"], "check-db"),
    (["report", "--excel", "{tmp}/r.xlsx"], "report"),
    (["export", "datev", "{tmp}/EXTF_x.csv", "--berater", "29098", "--mandant", "55003"], "export datev"),
])
def test_every_reading_command_refuses_a_missing_database_and_creates_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], command: str
) -> None:
    (tmp_path / "fees.toml").write_text("", encoding="utf-8")
    typo = tmp_path / "typo.duckdb"
    args = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main([*args, "--db", str(typo)]) == 1
    captured = capsys.readouterr()
    assert captured.err == _no_db(typo, command) and captured.out == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fees.toml"]  # no database, no output written


def test_import_and_demo_create_the_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fresh = tmp_path / "fresh.duckdb"
    assert main(["import", "--db", str(fresh), str(SAMPLES)]) == 0 and fresh.is_file()
    demo_db = tmp_path / "elsewhere" / "demo.duckdb"
    assert main(["demo", "--dir", str(tmp_path / "demo"), "--orders", "40", "--db", str(demo_db)]) == 0
    out = capsys.readouterr().out
    assert demo_db.is_file() and not (tmp_path / "demo" / "recon.duckdb").exists()
    assert f"recon reconcile --db {demo_db} --as-of " in out


def test_db_is_accepted_before_and_after_the_fees_action(books_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fees", "--db", str(books_path), "versions"]) == 0
    before = capsys.readouterr().out
    assert main(["fees", "versions", "--db", str(books_path)]) == 0
    assert capsys.readouterr().out == before == "keine gespeicherten Versionen: es gilt die Referenztabelle\n"
    assert main(["fees", "show", "--db", str(books_path), "--on", "2026-11-01"]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert any(line.split()[:3] == ["base_fee", "99,90", "€"] for line in shown), shown


def test_a_reversed_range_is_a_usage_error(books_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["reconcile"], ["report", "--excel", "r.xlsx"]):
        with pytest.raises(SystemExit) as exc:
            main([*command, "--db", str(books_path), "--from", "2026-11-01", "--to", "2026-10-01"])
        assert exc.value.code == 2
        assert capsys.readouterr().err.splitlines()[-1].endswith(
            "Fehler: --from 01.11.2026 liegt nach --to 01.10.2026: der Zeitraum ist rückwärts angegeben")


def test_report_targets_must_be_files_in_existing_folders(
    books_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nowhere = tmp_path / "nonexistent" / "dir" / "x.xlsx"
    assert main(["report", "--db", str(books_path), "--excel", str(nowhere), "--as-of", "2026-11-24"]) == 1
    assert capsys.readouterr().err == (f"recon report: {nowhere} kann nicht geschrieben werden: der Ordner "
                                       f"{nowhere.parent} existiert nicht\n")
    assert not (tmp_path / "nonexistent").exists()
    folder = tmp_path / "somedir"
    folder.mkdir()
    html = tmp_path / "s.html"
    assert main(["report", "--db", str(books_path), "--excel", str(folder), "--html", str(html),
                 "--as-of", "2026-11-24"]) == 1
    assert capsys.readouterr().err == (f"recon report: {folder} kann nicht geschrieben werden: das ist ein Ordner; "
                                       "bitte einen Dateinamen angeben\n")
    assert list(folder.iterdir()) == [] and not html.exists()  # no temp file, and nothing half done


def test_importing_an_empty_folder_says_no_files_found(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty-folder"
    empty.mkdir()
    (empty / ".hidden").write_text("x")
    db = tmp_path / "recon.duckdb"
    assert main(["import", "--db", str(db), str(empty)]) == 1
    captured = capsys.readouterr()
    assert captured.err == f"recon import: keine Dateien gefunden in {empty}; nichts importiert\n"
    assert captured.out == "" and not db.exists()


def test_overdue_documents_are_still_open_for_the_next_payout(books_path: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """As of Friday 27.11.2026 the only open document (PK-2026-000007, due for the payout of 26.11.) is
    overdue: it is still owed, on the next Thursday, 03.12.2026."""
    db = open_database(shutil.copy(books_path, tmp_path / "copy.duckdb"))
    try:
        views.prepared(db, date(2026, 11, 27))
        assert views.next_payout(db) == views.NextPayout(date(2026, 12, 3), Decimal("60.48"), 1, 1)
    finally:
        db.close()
    assert main(["report", "--db", str(books_path), "--as-of", "2026-11-27", "--period", "2026-11", "--text", "-"]) == 0
    text = capsys.readouterr().out
    assert "Nächste Auszahlung: 03.12.2026, 60,48 € (1 Beleg, davon 1 überfällig)" in text
    assert "keine offenen Belege" not in text


def test_every_timestamp_a_person_reads_is_german_local_time_and_says_so(
    books_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The log prefix, `recon sources` and the already-imported note: one zone (Europe/Berlin), labelled."""
    import re
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    stamp = re.compile(r"(\d\d)\.(\d\d)\.(\d{4}) (\d\d):(\d\d):(\d\d) (MEZ|MESZ)")
    now = datetime.now(ZoneInfo("Europe/Berlin")).replace(tzinfo=None)

    def close_to_now(text: str) -> None:
        found = stamp.search(text)
        assert found, text
        d, m, y, hh, mm, ss, _ = found.groups()
        assert abs(datetime(int(y), int(m), int(d), int(hh), int(mm), int(ss)) - now) < timedelta(minutes=10), text

    assert main(["sources", "--db", str(books_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("importiert am")
    for line in lines[1:-1]:
        close_to_now(line)
    assert main(["report", "--db", str(books_path), "--as-of", "2026-11-24", "--text", str(tmp_path / "s.txt")]) == 0
    log = capsys.readouterr().out
    assert stamp.match(log) and " recon report: " in log
    close_to_now(log)
    assert main(["import", "--db", str(books_path), str(SAMPLES / "payout_AZ-2026-000030.csv")]) == 0
    skipped = capsys.readouterr().out.splitlines()[0]
    assert skipped.startswith("übersprungen  ") and "bereits importiert als 'payout_AZ-2026-000030.csv' am " in skipped
    close_to_now(skipped)
