"""Column mappings a person confirmed: written as `--columns` TOML, kept in the database, found by header.

A mapping belongs to one header (its column names, folded and sorted, so order and spelling variants do not
matter). Saving adds a version and never overwrites one; for a header the newest version is in force. Every
import (CLI, dashboard, anything else that goes through `import_bytes`) looks its header up here, unless the
caller passed its own `--columns` file.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb

from recon import i18n
from recon.importing.csv_kinds import map_columns
from recon.importing.layouts import fold_header, load_layouts
from recon.importing.problems import Rejected
from recon.store import Database, query


class MappingError(ValueError):
    """A mapping that would not import its own header (a needed field without a column, a column twice)."""


@dataclass(frozen=True)
class SavedMapping:
    version: int
    kind: str
    toml: str
    label: str


@dataclass(frozen=True)
class MappingVersion:
    version: int
    kind: str
    headers: str
    label: str
    created_at: datetime
    created_by: str
    in_force: bool


def header_key(headers: Iterable[str]) -> str:
    """What identifies a header: its folded column names, sorted and without duplicates or blanks."""
    return "|".join(sorted({key for h in headers if (key := fold_header(h))}))


def _toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def mapping_toml(
    kind: str,
    headers: Sequence[str],
    chosen: Mapping[str, int],
    pending: Mapping[str, Sequence[int]] | None = None,
    source: str = "",
) -> str:
    """The `--columns` file for a mapping: one alias per chosen field; `pending` fields only as comments.

    Columns the mapping leaves unused but whose names the reference layout knows are listed under
    `ignore_headers`, so they are kept as extra columns instead of claiming their usual field.
    """
    layout = load_layouts()[kind]
    lines = [f"# {i18n.t('columns.toml.title', kind=kind, source=source or '-')}",
             f"# {i18n.t('columns.toml.header', header=';'.join(headers))}", ""]
    used = set(chosen.values())
    ignored = [h.strip() for i, h in enumerate(headers)
               if i not in used and fold_header(h) and layout.field_for_header(h) is not None]
    lines.append(f"[{kind}]")
    lines.append(f"ignore_headers = [{', '.join(_toml_string(h) for h in ignored)}]")
    lines += ["", f"[{kind}.columns]"]
    for col in layout.columns:
        if col.name in chosen:
            lines.append(f"{col.name} = {{ aliases = [{_toml_string(headers[chosen[col.name]].strip())}] }}")
    for name, candidates in (pending or {}).items():
        if name in chosen:
            continue
        shown = ", ".join(f"'{headers[i].strip()}'" for i in candidates)
        lines.append(f"# {i18n.t('columns.toml.pending', field=name, candidates=shown)}")
        for i in candidates:
            lines.append(f"# {name} = {{ aliases = [{_toml_string(headers[i].strip())}] }}")
    return "\n".join(lines) + "\n"


def check_mapping(kind: str, headers: Sequence[str], toml: str) -> None:
    """The mapping must import its own header: every needed field found, no column taken twice."""
    try:
        layouts = load_layouts(None, toml)
    except (ValueError, KeyError) as exc:
        raise MappingError(str(exc)) from exc
    try:
        map_columns(list(headers), layouts[kind])
    except Rejected as exc:
        raise MappingError("; ".join(p.render("header").removeprefix("header:1: ") for p in exc.problems)) from exc


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def save_mapping(db: Database, kind: str, headers: Sequence[str], chosen: Mapping[str, int], label: str,
                 user: str | None = None) -> int:
    """Check, then store as the next version; returns the version number."""
    toml = mapping_toml(kind, headers, chosen, source=label)
    check_mapping(kind, headers, toml)
    params = {"kind": kind, "header_key": header_key(headers), "headers": ";".join(h.strip() for h in headers),
              "toml": toml, "label": label, "created_by": user or _user()}
    with db.transaction() as tx:
        row = tx.execute(query("columns/save"), params).fetchone()
    assert row is not None
    return int(row[0])


def mapping_for(db: Database, headers: Sequence[str]) -> SavedMapping | None:
    """The newest mapping saved for this header, if any."""
    try:
        row = db.con.execute(query("columns/for_header"), {"header_key": header_key(headers)}).fetchone()
    except duckdb.CatalogException:  # an older database opened read-only (not migrated): nothing saved
        return None
    if row is None:
        return None
    return SavedMapping(int(row[0]), str(row[1]), str(row[2]), str(row[3]))


def saved_versions(db: Database) -> list[MappingVersion]:
    return [MappingVersion(int(v), str(k), str(h), str(lb), at, str(by), bool(f))
            for v, k, h, lb, at, by, f in db.con.execute(query("columns/versions")).fetchall()]


def known_orders(db: Database, values: Iterable[str]) -> frozenset[str]:
    """Which of these values are order numbers of stored receipts."""
    wanted = sorted(set(values))
    if not wanted:
        return frozenset()
    try:
        rows = db.con.execute(query("columns/known_orders"), {"values": wanted}).fetchall()
    except duckdb.CatalogException:
        return frozenset()
    return frozenset(str(r[0]) for r in rows)
