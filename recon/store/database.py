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

from recon import i18n, settings
from recon.store.sql import migrations

# Test hook, for the kill-during-import tests only: seconds to sleep inside every write transaction just
# before COMMIT, after announcing it on stderr, so a test can kill the process exactly mid-transaction.
PAUSE_ENV = "RECON_TEST_PAUSE_BEFORE_COMMIT"
PAUSE_MARK = "recon-test: paused before commit"


class DatabaseUnusable(RuntimeError):
    """The database file cannot be used as it is (not DuckDB, read-only, newer schema): one line says why."""


class DatabaseBusy(DatabaseUnusable):
    """Another process holds the database file; raised after waiting, never a half-written file."""


# DuckDB would load (and download) an extension to read a file it does not know, e.g. SQLite's: never.
NO_EXTENSIONS: dict[str, str | bool | int | float | list[str]] = {
    "autoload_known_extensions": False, "autoinstall_known_extensions": False,
}
DUCKDB_MAGIC = b"DUCK"  # bytes 8..12 of every DuckDB database file
SQLITE_MAGIC = b"SQLite format 3\x00"


def _check_file(path: Path, read_only: bool) -> None:
    """A clear sentence for a file that is no DuckDB database or cannot be written, before DuckDB guesses."""
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise DatabaseUnusable(i18n.t("input.db_unreadable", path=path, reason=exc.strerror)) from exc
    if not head:
        raise DatabaseUnusable(i18n.t("input.db_empty", path=path))
    if head.startswith(SQLITE_MAGIC):
        raise DatabaseUnusable(i18n.t("input.db_sqlite", path=path))
    if head[8:12] != DUCKDB_MAGIC:
        raise DatabaseUnusable(i18n.t("input.db_not_duckdb", path=path))
    if not read_only and not os.access(path, os.W_OK):
        raise DatabaseUnusable(i18n.t("input.db_read_only", path=path))


def lock_wait_seconds() -> float:
    """How long a second process waits for the database (`$RECON_LOCK_WAIT`, default 30)."""
    return settings.current().lock_wait


def _pause_before_commit() -> None:
    """Test hook: hold the transaction open for N seconds, or until the file the variable names exists (so a
    test on a loaded machine decides when the holder goes on, instead of racing a fixed delay)."""
    value = settings.current().test_pause_before_commit
    if not value:
        return
    print(PAUSE_MARK, file=sys.stderr, flush=True)
    try:
        time.sleep(float(value))
    except ValueError:
        release, deadline = Path(value), time.monotonic() + 300
        while not release.exists() and time.monotonic() < deadline:
            time.sleep(0.05)


def default_db_path() -> Path:
    """`$RECON_DB`, else `./recon.duckdb` (the contract's default)."""
    return settings.current().db


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
            return duckdb.connect(str(path), read_only=read_only, config=NO_EXTENSIONS)
        except duckdb.IOException as exc:
            text = str(exc).lower()
            if "permission denied" in text or "read-only file system" in text:
                raise DatabaseUnusable(i18n.t("input.db_read_only", path=path)) from exc
            if "lock" not in text:
                raise DatabaseUnusable(i18n.t("input.db_unreadable", path=path,
                                              reason=str(exc).splitlines()[0])) from exc
            if time.monotonic() >= deadline:
                raise DatabaseBusy(i18n.t("store.busy", path=path, seconds=f"{wait_seconds:g}")) from exc
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
        raise FileNotFoundError(i18n.t("store.no_database", path=db_path))
    if not read_only and db_path.parent and not db_path.parent.exists():
        db_path.parent.mkdir(parents=True, exist_ok=True)
    if str(db_path) != ":memory:":
        _check_file(db_path, read_only)
    con = _connect(db_path, read_only, lock_wait_seconds() if wait_seconds is None else wait_seconds)
    con.execute("SET TimeZone = 'Europe/Berlin'")
    # DuckDB would take 80 % of the machine's memory for its buffers. 512 MB (it spills to a temporary file
    # beside the database beyond it) keeps a 1M-item reconcile under 1 GB in all: at 1M, 893 MB peak for
    # 18.4 CPU s against 1.39 GB for 15.8 CPU s with 1 GB (measured 2026-12-02).
    con.execute("SET memory_limit = ?", [settings.current().memory_limit])
    if not read_only:
        # Imports commit once per file; with DuckDB's 16 MB default every big file forced a checkpoint (rewriting
        # and syncing the database file); 256 MB of log between checkpoints keeps that rare and memory bounded.
        con.execute("SET checkpoint_threshold = ?", [settings.current().checkpoint_threshold])
    db = Database(db_path, con)
    if not read_only:
        try:
            _not_newer(db)
            migrate(db)
        except BaseException:
            con.close()
            raise
    return db


def _not_newer(db: Database) -> None:
    """A database written by a newer recon is never written by this one (its tables may mean other things)."""
    known = max((v for v, _, _ in migrations()), default=0)
    exists = db.con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'schema_version' AND schema_name = 'main'"
    ).fetchone()
    if exists and exists[0] and db.schema_version() > known:
        raise DatabaseUnusable(i18n.t("input.db_newer", path=db.path, version=db.schema_version(), known=known))


def migrate(db: Database) -> list[int]:
    """Apply every migration not yet recorded, in order, each in its own transaction.

    By recorded version, not by "newer than the highest": migrations written on parallel branches may land in
    any order, and a database that has 006 must still get 004 when it arrives."""
    con = db.con
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version "
        "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
    )
    # Every migration not yet applied, not only those above the highest: helpers number theirs in parallel (003,
    # 004, 005 ...), and a database that got 005 first must still get 003 and 004 when they arrive.
    done = {int(v) for (v,) in con.execute("SELECT version FROM schema_version").fetchall()}
    applied = []
    for version, name, sql in migrations():
        if version in done:
            continue
        with db.transaction() as tx:
            tx.execute(sql)
            tx.execute(
                "INSERT INTO schema_version VALUES (?, ?, current_timestamp)", [version, name]
            )
        applied.append(version)
    return applied
