"""Opening the DuckDB file: one writer at a time, migrations applied in order, transactions per file."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from recon.store.sql import migrations

DEFAULT_DB = "recon.duckdb"
LOCK_WAIT_SECONDS = 30.0  # how long a second process waits for the database; `$RECON_LOCK_WAIT` overrides
# Test hook, for the kill-during-import tests only: seconds to sleep inside every write transaction just
# before COMMIT, after announcing it on stderr, so a test can kill the process exactly mid-transaction.
PAUSE_ENV = "RECON_TEST_PAUSE_BEFORE_COMMIT"
PAUSE_MARK = "recon-test: paused before commit"
CHECKPOINT_THRESHOLD = "256MB"
MEMORY_LIMIT = "1GB"


class DatabaseBusy(RuntimeError):
    """Another process holds the database file; raised after waiting, never a half-written file."""


def lock_wait_seconds() -> float:
    """`$RECON_LOCK_WAIT` (seconds) when set to a number, else LOCK_WAIT_SECONDS."""
    text = os.environ.get("RECON_LOCK_WAIT", "")
    try:
        return max(float(text), 0.0) if text else LOCK_WAIT_SECONDS
    except ValueError:
        return LOCK_WAIT_SECONDS


def _pause_before_commit() -> None:
    seconds = os.environ.get(PAUSE_ENV)
    if seconds:
        print(PAUSE_MARK, file=sys.stderr, flush=True)
        time.sleep(float(seconds))


def default_db_path() -> Path:
    """`$RECON_DB`, else `./recon.duckdb` (the contract's default)."""
    return Path(os.environ.get("RECON_DB") or DEFAULT_DB)


@dataclass
class Database:
    """A connection plus the file it came from, so messages can name it."""

    path: Path
    con: duckdb.DuckDBPyConnection
    # The models recon.engine.prepare() last built on this connection (a recon.engine.run.Prepared).
    prepared: Any = field(default=None, repr=False, compare=False)

    def close(self) -> None:
        self.con.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing: a file's rows land together or not at all."""
        self.con.begin()
        try:
            yield self.con
        except BaseException:
            self.con.rollback()
            raise
        _pause_before_commit()
        self.con.commit()

    def schema_version(self) -> int:
        row = self.con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
        return int(row[0]) if row else 0


def _connect(path: Path, read_only: bool, wait_seconds: float) -> duckdb.DuckDBPyConnection:
    """DuckDB lets one process write a file; a second one waits here instead of failing at once."""
    deadline = time.monotonic() + wait_seconds
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                raise DatabaseBusy(
                    f"{path}: the database is in use by another recon process "
                    f"(waited {wait_seconds:g} s); try again when it has finished"
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


def open_database(
    path: Path | str | None = None, *, read_only: bool = False, wait_seconds: float | None = None
) -> Database:
    """Open (and create or migrate) the store. Read-only opens never migrate.

    Another process holding the file makes this wait up to `wait_seconds` (default: `lock_wait_seconds()`),
    then raise DatabaseBusy.
    """
    db_path = Path(path) if path is not None else default_db_path()
    if read_only and not db_path.exists():
        raise FileNotFoundError(f"{db_path}: no such database; import files first (recon import ...)")
    if not read_only and db_path.parent and not db_path.parent.exists():
        db_path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(db_path, read_only, lock_wait_seconds() if wait_seconds is None else wait_seconds)
    con.execute("SET TimeZone = 'Europe/Berlin'")
    # DuckDB would take 80 % of the machine's memory for its buffers; a bound keeps a 1M-item reconcile or import
    # near 1 GB (it spills to a temporary file beside the database when a query needs more).
    con.execute("SET memory_limit = ?", [os.environ.get("RECON_MEMORY_LIMIT") or MEMORY_LIMIT])
    if not read_only:
        # Imports commit once per file; with DuckDB's 16 MB default every big file forced a checkpoint (rewriting
        # and syncing the database file); 256 MB of log between checkpoints keeps that rare and memory bounded.
        threshold = os.environ.get("RECON_CHECKPOINT_THRESHOLD") or CHECKPOINT_THRESHOLD
        con.execute("SET checkpoint_threshold = ?", [threshold])
    db = Database(db_path, con)
    if not read_only:
        migrate(db)
    return db


def migrate(db: Database) -> list[int]:
    """Apply every migration newer than the stored version, each in its own transaction."""
    con = db.con
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version "
        "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
    )
    current = db.schema_version()
    applied = []
    for version, name, sql in migrations():
        if version <= current:
            continue
        with db.transaction() as tx:
            tx.execute(sql)
            tx.execute(
                "INSERT INTO schema_version VALUES (?, ?, current_timestamp)", [version, name]
            )
        applied.append(version)
    return applied
