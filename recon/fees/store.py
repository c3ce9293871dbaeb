"""Fee table versions kept in the database: saving adds a version, never overwrites one."""

from __future__ import annotations

import getpass

from recon import i18n
from recon.fees.table import FeeTable, load_fee_table
from recon.store import Database, query


def current_fee_table(db: Database) -> FeeTable:
    """The newest saved version on top of the reference table; the reference alone if none was saved."""
    row = db.con.execute(query("fees/latest")).fetchone()
    if row is None:
        return load_fee_table()
    return load_fee_table(str(row[2]), i18n.t("fees.error.saved_origin", version=row[0], label=row[1]))


def save_fee_table(db: Database, toml_text: str, label: str) -> int:
    """Validate, then store as the next version. Raises FeeTableError on a file that would not load."""
    load_fee_table(toml_text, label)
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    with db.transaction() as tx:
        row = tx.execute(query("fees/save"), {"label": label, "toml": toml_text, "created_by": user}).fetchone()
    assert row is not None
    return int(row[0])
