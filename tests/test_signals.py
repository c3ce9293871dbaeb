"""Killing an import: SIGKILL or SIGTERM of `recon import` leaves no process of it behind, and SIGTERM ends it as
Ctrl-C does (nothing half-written kept, one line said, exit 143).

A receipts page big enough for the helper process (receipts.PARALLEL_MIN_RECEIPTS) is imported in a real
subprocess; the test waits until the helper runs, kills the importing process, and then watches every process
that descended from it disappear.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from recon.importing.receipts import PARALLEL_MIN_RECEIPTS
from recon.simulate.documents import dumps_receipts
from recon.store import open_database
from recon.store.dump import canonical_hash
from tests.conftest import SAMPLES

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists() or (os.cpu_count() or 1) < 2,
                                reason="needs /proc and a helper process (2 CPUs)")


@pytest.fixture(scope="module")
def big_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 24,000 receipts in one page: several seconds of parsing, half of it in the helper."""
    resources = json.loads((SAMPLES / "receipts_2026-10.json").read_bytes(), parse_float=Decimal)["resources"]
    receipts = [dict(r, receiptNumber=f"{r['receiptNumber']}-{n}") for n in range(8_000) for r in resources]
    assert len(receipts) > 4 * PARALLEL_MIN_RECEIPTS
    path = tmp_path_factory.mktemp("big") / "receipts_big.json"
    path.write_text(dumps_receipts(receipts, indent=None), encoding="utf-8")
    return path


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z":
            tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def _descendants(pid: int) -> set[int]:
    tree, found, todo = _children(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _start_import(db_path: Path, page: Path, err: Path) -> tuple[subprocess.Popen[bytes], set[int]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RECON_IMPORT_HELPER": "1"}
    with err.open("wb") as stderr:  # a file, not a pipe: a surviving helper must not make the test hang
        proc = subprocess.Popen([sys.executable, "-m", "recon", "import", "--db", str(db_path), str(page)],
                                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        family = _descendants(proc.pid)
        if any("spawn_main" in _cmdline(pid) for pid in family):
            return proc, family
        assert proc.poll() is None, err.read_text()
        time.sleep(0.05)
    proc.kill()
    raise AssertionError("the helper process never started")


def _none_survive(family: set[int], seconds: float = 20.0) -> list[str]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = [pid for pid in family if _alive(pid)]
        if not alive:
            return []
        time.sleep(0.1)
    return [f"{pid}: {_cmdline(pid)}" for pid in family if _alive(pid)]


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_no_process_of_a_killed_import_survives_and_the_database_is_unchanged(
    tmp_path: Path, big_page: Path, sig: signal.Signals
) -> None:
    db_path = tmp_path / "books.duckdb"
    db = open_database(db_path)
    before = canonical_hash(db)
    db.close()
    err = tmp_path / "stderr.txt"
    proc, family = _start_import(db_path, big_page, err)
    try:
        proc.send_signal(sig)
        proc.wait(timeout=60)
        survivors = _none_survive(family)
    finally:
        for leftover in family:  # never leave one behind, whatever happened
            if _alive(leftover):
                os.kill(leftover, signal.SIGKILL)
    assert survivors == []
    if sig == signal.SIGTERM:
        assert (proc.returncode, err.read_text().splitlines()[-1:]) == (
            143, ["recon: abgebrochen; nichts halb Geschriebenes wurde behalten"])
    else:
        assert proc.returncode == -signal.SIGKILL
    db = open_database(db_path)
    assert canonical_hash(db) == before
    db.close()
