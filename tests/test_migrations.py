"""Migrations are applied by recorded version: one that arrives later with a lower number still runs."""

from __future__ import annotations

from pathlib import Path

from recon.store import database
from recon.store.sql import migrations


def test_a_migration_missing_below_the_highest_is_applied(tmp_path: Path) -> None:
    path = tmp_path / "books.duckdb"
    db = database.open_database(path)
    versions = [v for v, _, _ in migrations()]
    assert [row[0] for row in db.con.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()] == versions
    # Pretend 002 never ran (as if it landed after a later one was applied): drop its table and its record.
    assert versions[1] == 2
    tables_before = db.con.execute("SELECT count(*) FROM duckdb_tables()").fetchone()
    db.con.execute("DROP TABLE fee_table_versions")
    db.con.execute("DELETE FROM schema_version WHERE version = 2")
    db.close()
    db = database.open_database(path)
    recorded = [row[0] for row in db.con.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()]
    assert recorded == versions
    assert db.con.execute("SELECT count(*) FROM duckdb_tables()").fetchone() == tables_before
    db.close()
