"""Faults: kill -9 during an import, two writers at once, an unclean shutdown, a 200 MB file, `recon check-db`.

The imports run in real subprocesses (`python -m recon ...`), killed with SIGKILL: nothing in recon gets a
chance to clean up, so what survives is what DuckDB's transactions and write-ahead log guarantee.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest

from recon.cli import main
from recon.importing import import_bytes
from recon.store import open_database
from recon.store.database import PAUSE_ENV, PAUSE_MARK
from recon.store.dump import canonical_hash
from recon.store.sql import migrations
from tests.conftest import SAMPLES, invoice_csv, invoice_row, table_counts
from tests.generated import ROW_GROSS_COMMISSION, rows_for_size, write_invoice

CURRENT = migrations()[-1][0]  # the newest migration's number

ROOT = Path(__file__).resolve().parents[1]
BIG_ROWS = 150_000  # more than one DuckDB row group (122,880): rows are written to the file before COMMIT


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in (PAUSE_ENV, "RECON_LOCK_WAIT", "RECON_DB")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def _recon(*args: str | Path, **env: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "recon", *map(str, args)], cwd=ROOT, env=_env(**env),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


class StderrWatch:
    """Collects a subprocess's stderr lines in a thread, so a test can wait for one without hanging."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        assert proc.stderr is not None
        stream = proc.stderr
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: object) -> None:
        for raw in iter(stream.readline, b""):  # type: ignore[attr-defined]
            self.lines.put(raw.decode("utf-8", "replace").rstrip("\n"))
        self.lines.put("<eof>")

    def wait_for(self, text: str, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                break
            self.seen.append(line)
            if text in line:
                return
            if line == "<eof>":
                break
        raise AssertionError(f"never saw {text!r} on stderr; saw {self.seen}")


def _snapshot(path: Path) -> tuple[str, dict[str, int]]:
    """What the next recon run sees (opened read-write, as `recon import` would: the WAL is replayed)."""
    db = open_database(path, wait_seconds=10)
    try:
        return canonical_hash(db), table_counts(db)
    finally:
        db.close()


def _check_db(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check-db", "--db", str(path)])
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_invoice(tmp_path_factory.mktemp("big") / "invoice_PR-2026-000900.csv", "PR-2026-000900", BIG_ROWS)


# --- kill -9 ---------------------------------------------------------------------------------------------------

def test_kill_9_inside_the_import_transaction_leaves_the_database_exactly_as_before(
    books_path: Path, big_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _snapshot(books_path)
    proc = _recon("import", "--db", books_path, big_file, **{PAUSE_ENV: "120"})
    watch = StderrWatch(proc)
    watch.wait_for(PAUSE_MARK)  # all 150,000 rows are inserted; COMMIT has not run
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    assert _snapshot(books_path) == before
    assert _check_db(books_path, capsys)[0] == 0
    # ... and the database takes the next import as usual.
    small = books_path.parent / "after.csv"
    small.write_bytes(invoice_csv([invoice_row(number="PR-2026-000901")]))
    assert main(["import", "--db", str(books_path), str(small)]) == 0
    assert _snapshot(books_path)[1]["invoice_lines"] == before[1]["invoice_lines"] + 1


@pytest.mark.parametrize("delay", [0.5, 2.0])
def test_kill_9_at_any_moment_leaves_the_file_either_whole_or_absent(
    books_path: Path, big_file: Path, tmp_path: Path, delay: float, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _snapshot(books_path)
    proc = _recon("import", "--db", books_path, big_file)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    hash_now, counts = _snapshot(books_path)
    if counts == before[1]:
        assert hash_now == before[0]
    else:  # the kill came after COMMIT: then the whole file is there
        assert counts["invoice_lines"] == before[1]["invoice_lines"] + BIG_ROWS
    assert _check_db(books_path, capsys)[0] == 0


def test_committed_imports_survive_an_unclean_shutdown_through_the_wal(
    books_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = (
        "import os, signal, sys\n"
        "from recon.importing import import_bytes\n"
        "from recon.store import open_database\n"
        "db = open_database(sys.argv[1])\n"
        "print(import_bytes(db, 'late.csv', open(sys.argv[2], 'rb').read()).status, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)  # no close, no checkpoint\n"
    )
    late = books_path.parent / "late.csv"
    late.write_bytes(invoice_csv([invoice_row(number="PR-2026-000777", n=n) for n in (1, 2)]))
    proc = subprocess.run([sys.executable, "-c", script, str(books_path), str(late)], cwd=ROOT, env=_env(),
                          capture_output=True, timeout=120)
    assert (proc.returncode, proc.stdout) == (-signal.SIGKILL, b"imported\n")
    wal = books_path.with_name(books_path.name + ".wal")
    assert wal.stat().st_size > 0  # the commit lives only in the write-ahead log
    code, out = _check_db(books_path, capsys)
    assert code == 0, out
    assert "  invoice_lines               7 Zeilen" in out
    db = open_database(books_path)
    assert db.con.execute("SELECT count(*), sum(commission_gross) FROM invoice_lines "
                          "WHERE invoice_number = 'PR-2026-000777'").fetchone() == (2, Decimal("42.48"))
    db.close()


# --- two writers -----------------------------------------------------------------------------------------------

def test_a_second_import_waits_for_the_first_or_fails_clearly_and_nothing_is_corrupted(
    books_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    small = tmp_path / "invoice_small.csv"
    small.write_bytes(invoice_csv([invoice_row(number="PR-2026-000555")]))
    holder = tmp_path / "invoice_first.csv"
    holder.write_bytes(invoice_csv([invoice_row(number="PR-2026-000554", n=n) for n in range(50)]))
    release = tmp_path / "release-the-first"
    first = _recon("import", "--db", books_path, holder, **{PAUSE_ENV: str(release)})
    StderrWatch(first).wait_for(PAUSE_MARK)  # the first holds the database, mid-transaction
    impatient = _recon("import", "--db", books_path, small, RECON_LOCK_WAIT="0.3")
    _, err = impatient.communicate(timeout=120)
    assert impatient.returncode == 1
    assert err.decode().strip() == (
        f"recon: {books_path}: die Datenbank wird gerade von einem anderen recon-Vorgang benutzt (0.3 s gewartet); "
        "bitte erneut versuchen, wenn er fertig ist"
    )
    patient = _recon("import", "--db", books_path, small, RECON_LOCK_WAIT="120")
    release.touch()  # the first commits while the patient one waits for the lock (or has not asked yet)
    out, err = patient.communicate(timeout=180)
    assert patient.returncode == 0, err.decode()
    assert first.wait(timeout=180) == 0
    assert "1 importiert, 0 übersprungen, 0 abgelehnt; gespeichert: 1 Rechnungszeile".encode() in out
    code, report = _check_db(books_path, capsys)
    assert code == 0, report
    assert f"  {'invoice_lines':<18} {5 + 50 + 1:>10} Zeilen" in report


# --- size ------------------------------------------------------------------------------------------------------

RSS_WRAPPER = (
    "import resource, sys\n"
    "from recon.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print(f'maxrss_kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}', file=sys.stderr)\n"
    "raise SystemExit(code)\n"
)
MAX_RSS_200MB = 2_500 * 1024  # kB; measured about 1.8 GB (polars holds the text columns once, DuckDB a copy)


@pytest.mark.slow
def test_a_200_mb_file_imports_whole_with_exact_totals_and_bounded_memory(tmp_path: Path) -> None:
    rows = rows_for_size(200_000_000)
    big = write_invoice(tmp_path / "invoice_PR-2026-000200.csv", "PR-2026-000200", rows)
    assert big.stat().st_size >= 200_000_000
    db_path = tmp_path / "big.duckdb"
    proc = subprocess.run([sys.executable, "-c", RSS_WRAPPER, "import", "--db", str(db_path), str(big)],
                          cwd=ROOT, env=_env(), capture_output=True, timeout=600)
    big.unlink()
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    assert f"invoice, windows-1252, {rows} Rechnungszeilen" in proc.stdout.decode()
    rss_kb = int(proc.stderr.decode().rsplit("maxrss_kb=", 1)[1])
    assert rss_kb < MAX_RSS_200MB, f"peak memory {rss_kb // 1024} MB for a 200 MB file"
    db = open_database(db_path)
    assert db.con.execute("SELECT count(*), sum(commission_gross), max(source_line) FROM invoice_lines").fetchone() \
        == (rows, ROW_GROSS_COMMISSION * rows, rows + 1)
    db.close()


def test_a_large_file_with_one_bad_line_near_the_end_names_that_line(books_path: Path, tmp_path: Path) -> None:
    rows = 100_000
    path = write_invoice(tmp_path / "x.csv", "PR-2026-000300", rows)
    data = bytearray(path.read_bytes())
    at = data.rindex(b";167,85;", 0, len(data) - 300)  # a few lines before the end
    data[at:at + 8] = b";167,8x;"
    line = data.count(b"\n", 0, at) + 1
    assert line > rows - 3
    db = open_database(books_path)
    before = canonical_hash(db)
    result = import_bytes(db, "x.csv", bytes(data))
    assert result.problems == [
        f"x.csv:{line}: field 'Provision netto': kein Betrag: '167,8x' (erwartet z. B. 1.234,56)"
    ]
    assert canonical_hash(db) == before
    db.close()


# --- check-db --------------------------------------------------------------------------------------------------

def test_check_db_reports_counts_and_ok(books_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _check_db(books_path, capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"Datenbank {books_path}: ")
    tables = [
        f"Schema-Version {CURRENT} (aktuell: {CURRENT})",
        "  column_mappings             0 Zeilen",
        "  correction_lines            1 Zeilen",
        "  document_keys               8 Zeilen",
        "  fee_table_versions          0 Zeilen",
        "  invoice_lines               5 Zeilen",
        "  payout_lines                5 Zeilen",
        "  receipt_lines               5 Zeilen",
        "  receipt_pages               1 Zeilen",
        "  receipts                    3 Zeilen",
        f"  schema_version              {len(migrations())} Zeilen",
        "  source_files                9 Zeilen",
        "  source_origins              0 Zeilen",
        "  statement_lines             9 Zeilen",
    ]
    n = len(tables) + 1
    assert lines[1:n] == tables
    db = open_database(books_path, read_only=True)
    assert lines[n] == f"Inhalt sha256 {canonical_hash(db)}"
    db.close()
    assert lines[n + 1].startswith("OK: ")


def test_check_db_names_every_inconsistency(books_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = open_database(books_path)
    con = db.con
    sha = con.execute("SELECT sha256 FROM source_files WHERE original_name = 'invoice_PR-2026-000042.csv'"
                      ).fetchone()[0]
    con.execute("DELETE FROM invoice_lines WHERE source_sha256 = ? AND source_line = 5", [sha])
    con.execute("INSERT INTO payout_lines SELECT * FROM payout_lines WHERE source_line = 2 AND payout_number = "
                "'AZ-2026-000030'")
    con.execute("UPDATE correction_lines SET source_sha256 = 'feedfacecafe0000'")
    con.execute("DELETE FROM receipts WHERE receipt_number = 'E-DE-1002-1'")
    con.execute("INSERT INTO schema_version VALUES (99, 'future', current_timestamp)")
    db.close()
    code, out = _check_db(books_path, capsys)
    assert code == 1
    problems = [line for line in out.splitlines() if line.startswith("PROBLEM: ")]
    short = sha[:12]
    pay = [p for p in problems if "payout_AZ-2026-000030" in p or "payout_lines: Zeile" in p]
    assert problems[0] == (f"PROBLEM: Schema-Version 99, dieses recon erwartet {CURRENT} "
                           "(die Datenbank ist neuer als recon)")
    assert "PROBLEM: correction_lines: 1 Zeile(n) aus der Datei feedfacecafe, die source_files nicht aufführt" \
        in problems
    assert (f"PROBLEM: source_files: 'invoice_PR-2026-000042.csv' (invoice, {short}) verzeichnet 4 Zeile(n), "
            "gespeichert sind 3") in problems
    assert any(p.startswith("PROBLEM: source_files: 'correction_PK-2026-000007.csv' (correction, ") and
               p.endswith(") verzeichnet 1 Zeile(n), gespeichert sind 0") for p in problems)
    assert any(p.startswith("PROBLEM: source_files: 'receipts_2026-10.json' (receipts, ") and
               p.endswith(") verzeichnet 3 Zeile(n), gespeichert sind 2") for p in problems)
    assert any(p.startswith("PROBLEM: payout_lines: Zeile 2 der Datei ") and p.endswith(" ist 2-mal gespeichert")
               for p in pay)
    assert "PROBLEM: receipt_lines: 1 Zeile(n) des Belegs E-DE-1002-1, der nicht gespeichert ist" in problems
    assert f"PROBLEM: source_files: 'invoice_PR-2026-000042.csv' ({short}) verzeichnet eine Summe von 93,18 €, " \
           "seine Zeilen ergeben 32,70 €" in problems
    assert out.splitlines()[-1] == f"{len(problems)} Problem(e) gefunden"


def test_check_db_on_a_damaged_or_foreign_file_fails_clearly(
    books_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damaged = tmp_path / "damaged.duckdb"
    shutil.copyfile(books_path, damaged)
    with damaged.open("r+b") as handle:
        for offset in range(12_288, damaged.stat().st_size, 12_288):
            handle.seek(offset + 100)
            handle.write(b"\xde\xad\xbe\xef" * 64)
    code, out = _check_db(damaged, capsys)
    assert code == 1
    assert out.startswith(f"recon check-db: {damaged}: ")
    assert "checksum" in out
    foreign = tmp_path / "payout.duckdb"
    shutil.copyfile(SAMPLES / "payout_AZ-2026-000030.csv", foreign)
    code, out = _check_db(foreign, capsys)
    assert (code, out.strip()) == (1, f"recon check-db: {foreign}: das ist keine DuckDB-Datenbank (eine andere Datei "
                                      "unter diesem Namen?)")
    code, out = _check_db(tmp_path / "none.duckdb", capsys)
    none = tmp_path / "none.duckdb"
    assert (code, out.strip()) == (1, f"recon check-db: keine Datenbank unter {none}; erst Dateien importieren "
                                      f"(recon import --db {none} DATEIEN) oder den Pfad prüfen")


# --- threads of one process (the dashboard's sessions) ------------------------------------------------------------

def test_threads_importing_at_once_never_count_a_document_twice(books_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from recon.store import Database

    main_db = open_database(books_path)
    same_number = [invoice_csv([invoice_row(number="PR-2026-000888", n=n)]) for n in range(6)]
    same_bytes = [invoice_csv([invoice_row(number="PR-2026-000889")])] * 6

    def run(data: bytes) -> str:
        session = Database(books_path, main_db.con.cursor())  # one cursor per thread, as a web session has
        try:
            return import_bytes(session, "upload.csv", data).status
        finally:
            session.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(run, same_number + same_bytes))
    assert sorted(statuses[:6]) == ["imported"] + ["rejected"] * 5
    assert sorted(statuses[6:]) == ["imported"] + ["skipped"] * 5
    counts = main_db.con.execute("SELECT invoice_number, count(*) FROM invoice_lines WHERE invoice_number IN "
                                 "('PR-2026-000888', 'PR-2026-000889') GROUP BY 1 ORDER BY 1").fetchall()
    assert counts == [("PR-2026-000888", 1), ("PR-2026-000889", 1)]
    main_db.close()
