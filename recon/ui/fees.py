"""The fee table on the categories page: shown as a table, edited as an override file, saved as a version.

Saving always adds a version (recon.fees.store.save_fee_table); the write connection is opened for the
save alone and closed right after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import polars as pl

from recon import i18n
from recon.fees.describe import tier_schedule_text, unconfirmed_note
from recon.fees.store import current_fee_table, save_fee_table
from recon.fees.table import END_OF_TIME, FeeTable, origin_label
from recon.store import open_database, query
from recon.store.frames import fetch_frame
from recon.ui.data import reading, refresh_results
from recon.ui.fmt import DASH, date_de, eur, percent_de

NEW_OVERRIDE = """\
# Your contract's fees, applied over the shipped reference table.
# Same shape as reference.toml: only the entries that differ, each with valid_from (and valid_to).
# Rates in percent, amounts in EUR net, written as strings.

[meta]
name = "My OTTO contract"
version = "{today}"

# [[commission]]
# category = "Möbel"
# rate = "15.00"
# valid_from = "2026-01-01"

# A tiered commission: each rate on the part of the gross price inside its tier, the last tier open.
# [[commission]]
# category = "Schmuck"
# valid_from = "2026-01-01"
# tiers = [{{up_to = "100.00", rate = "22.00"}}, {{up_to = "200.00", rate = "20.00"}}, {{rate = "18.00"}}]
"""


@dataclass
class FeeState:
    table: FeeTable
    label: str  # what is in force: the reference alone, or a saved version
    override_toml: str  # the saved override in force (a starter template when none was saved)
    versions: pl.DataFrame  # version, label, created_at, created_by


def fee_state(path: Path) -> FeeState:
    with reading(path) as db:
        table = current_fee_table(db)
        latest = db.con.execute(query("fees/latest")).fetchone()
        versions = fetch_frame(db.con, query("fees/versions"))
    if latest is None:
        label = i18n.t("ui.fees.reference_label", name=table.name, version=table.version)
        text = NEW_OVERRIDE.format(today=datetime.now().date().isoformat())
    else:
        label = i18n.t("ui.fees.version_label", version=latest[0], label=latest[1])
        text = str(latest[2])
    return FeeState(table, label, text, versions)


def entries_frame(table: FeeTable) -> pl.DataFrame:
    """The resolved entries in force, one row per (kind, category, validity), values in German form."""
    rows = []
    for e in table.entries:
        if e.tiers:
            value = tier_schedule_text(e.tiers)
        else:
            value = i18n.t("ui.fees.net", amount=eur(e.rate)) if e.kind == "base_fee" else percent_de(e.rate)
        kind = i18n.t(f"ui.fees.kind_{e.kind}") if i18n.has(f"ui.fees.kind_{e.kind}") else e.kind
        yes = i18n.t("common.yes")
        rows.append((kind, e.category or "", value, date_de(e.valid_from),
                     DASH if e.valid_to in (None, END_OF_TIME) else date_de(e.valid_to),
                     origin_label(e.origin), yes if e.example else "", yes if e.reported and not e.example else ""))
    names = [i18n.t(f"ui.fees.col_{n}") for n in ("fee", "category", "value", "valid_from", "valid_to", "origin",
                                                   "example", "reported")]
    return pl.DataFrame(rows, orient="row", schema=dict.fromkeys(names, pl.String))


def unconfirmed_in_force(table: FeeTable, on: date) -> str | None:
    """The plain warning for the fee page: how many rates in force on `on` are only reported, and what to do."""
    return unconfirmed_note(e for e in table.entries if e.covers(on))


def save_override(path: Path, toml_text: str, label: str) -> int:
    """Validate and save as a new version (FeeTableError on a file that would not load); returns its number."""
    db = open_database(path)
    try:
        version = save_fee_table(db, toml_text, label.strip() or i18n.t("ui.fees.default_label"))
        refresh_results(db)
        return version
    finally:
        db.close()
