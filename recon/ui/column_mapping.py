"""The dashboard's column-mapping dialog, without Streamlit: which uploads need one, previews, saving.

An upload needs the dialog when its header is a CSV header that no layout reads by name alone and no saved
mapping covers, but that fits some kind well enough to propose a mapping. The dialog's choices become the
same `--columns` TOML `recon columns --save` stores, so the CLI and every later import use them too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from recon.importing.csv_kinds import map_columns, validate
from recon.importing.csv_table import read_table
from recon.importing.decoding import decode
from recon.importing.layouts import Layout, detect_kind, load_layouts
from recon.importing.mapping import Proposal, Sample, detect, propose, read_sample
from recon.importing.problems import Rejected
from recon.importing.saved_mappings import check_mapping, known_orders, mapping_for, mapping_toml, save_mapping
from recon.store import open_database

PREVIEW_ROWS = 5


@dataclass(frozen=True)
class MappingNeed:
    """An upload that needs a person to map its columns, with what recon proposes for each kind."""

    name: str
    data: bytes
    sample: Sample
    proposals: dict[str, Proposal]  # by kind, best-fitting first

    @property
    def best(self) -> Proposal:
        return next(iter(self.proposals.values()))


def _head(data: bytes) -> str:
    return decode(data).data[:2_000_000].decode("utf-8", errors="replace")


def _reads_by_name(headers: list[str], layouts: dict[str, Layout]) -> bool:
    kind = detect_kind(headers, layouts)
    if kind is None:
        return False
    try:
        map_columns(headers, layouts[kind])
    except Rejected:
        return False
    return True


def mapping_need(db_path: Path, name: str, data: bytes) -> MappingNeed | None:
    """The dialog's content for an upload, or None when the importer needs no mapping (or none would help)."""
    if data.lstrip()[:1] in (b"{", b"["):
        return None
    try:
        sample = read_sample(_head(data))
    except Rejected:
        return None
    layouts = load_layouts()
    if not sample.headers or _reads_by_name(sample.headers, layouts):
        return None
    db = open_database(db_path)
    try:
        if mapping_for(db, sample.headers) is not None:
            return None
        orders = known_orders(db, (v for i in range(len(sample.headers)) for v in sample.values(i)))
    finally:
        db.close()
    found = detect(sample, layouts, orders)
    if found.best is None:
        return None
    return MappingNeed(name, data, sample, {p.kind: p for p in found.ranked})


def proposal_for(need: MappingNeed, kind: str) -> Proposal:
    return need.proposals.get(kind) or propose(need.sample, load_layouts()[kind])


def duplicates(chosen: Mapping[str, int | None]) -> dict[int, list[str]]:
    """Columns chosen for more than one field."""
    by_column: dict[int, list[str]] = {}
    for name, column in chosen.items():
        if column is not None:
            by_column.setdefault(column, []).append(name)
    return {column: names for column, names in by_column.items() if len(names) > 1}


def missing(kind: str, chosen: Mapping[str, int | None]) -> list[str]:
    """Needed fields without a column."""
    return [c.name for c in load_layouts()[kind].columns
            if (c.required or c.required_when) and chosen.get(c.name) is None]


def _definite(chosen: Mapping[str, int | None]) -> dict[str, int]:
    return {name: column for name, column in chosen.items() if column is not None}


def preview(need: MappingNeed, kind: str, chosen: Mapping[str, int | None]) -> tuple[pl.DataFrame | None, list[str]]:
    """The first rows read with this mapping, or the problems reading them would have."""
    headers = need.sample.headers
    toml = mapping_toml(kind, headers, _definite(chosen))
    try:
        check_mapping(kind, headers, toml)
    except ValueError as exc:
        return None, [str(exc)]
    lines = _head(need.data).splitlines()[: PREVIEW_ROWS + 1]
    try:
        table = read_table(("\n".join(lines) + "\n").encode("utf-8"))
        typed = validate(table, load_layouts(None, toml)[kind])
    except Rejected as exc:
        return None, exc.render(need.name)
    return typed.drop("extra"), []


def save(db_path: Path, need: MappingNeed, kind: str, chosen: Mapping[str, int | None], user: str) -> int:
    """Store the mapping as a new version (raises MappingError when it would not import the header)."""
    db = open_database(db_path)
    try:
        return save_mapping(db, kind, need.sample.headers, _definite(chosen), need.name, user=user)
    finally:
        db.close()
