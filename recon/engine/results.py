"""Reconciliation results kept in the database, so reconcile, report and the dashboard's first view do not
recompute what the data and the fee table have not changed.

A stored run is keyed by everything it depends on: the database's content version (the stored files and the
schema), the fee table (a fingerprint of the table in force), the engine (the SQL of every model and check
and the engine's Python), the as-of day and the period. A key that matches is the same computation, so its
result is the same; any other key is recomputed (and stored when the database is writable). Nothing stale
can be shown: every data change adds a source file, so it changes the content version.

What is stored is the SQL's raw rows (`RawRun`), not sentences or file names: the findings are built from
them by the same code as a fresh run (`run.assemble`), in the reader's language. Beside a run the dashboard
keeps the frames of its first page (`PARTS`), as Arrow IPC.

The command that changed the data writes the run people look at next (`refresh`): import, `recon fees
save`, and the dashboard's upload and fee save.
"""

from __future__ import annotations

import hashlib
import io
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from recon import __version__
from recon.engine import checks, graph
from recon.engine.model import ReconResult
from recon.engine.run import (
    Prepared,
    RawRun,
    assemble,
    fee_label,
    prepare,
    run_raw,
    source_names,
    stream_raw,
)
from recon.fees.table import FeeTable
from recon.store import Database, query

RUN = "run"
TABLE = "reconcile_results"
KEEP = 16  # stored runs kept per database (older keys are dropped on write: other days, periods, fee tables)


class Counter:
    """How often a run was computed and how often a stored one was reused (tests assert on these)."""

    computed = 0
    reused = 0


@dataclass(frozen=True)
class ResultKey:
    content: str
    fees: str
    engine: str
    as_of: date
    date_from: date | None
    date_to: date | None

    @property
    def id(self) -> str:
        text = "|".join((self.content, self.fees, self.engine, self.as_of.isoformat(),
                         self.date_from.isoformat() if self.date_from else "", self.date_to.isoformat()
                         if self.date_to else ""))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_version(con: duckdb.DuckDBPyConnection) -> str:
    """Changes with every stored file (imports are all or nothing per file, nothing is ever deleted) and with
    the schema (a migration may add derived rows)."""
    row = con.execute(query("results/content_version")).fetchone()
    return hashlib.sha256(repr(row).encode("utf-8")).hexdigest()


def fee_version(fees: FeeTable) -> str:
    """A fingerprint of the fee table in force: its entries, settings and name (the label results carry)."""
    return hashlib.sha256(repr(fees).encode("utf-8")).hexdigest()


@cache
def engine_version() -> str:
    """The SQL of every model, check and helper query the engine runs, and the engine's own Python."""
    digest = hashlib.sha256(__version__.encode("utf-8"))
    for name, model in sorted(graph.models().items()):
        digest.update(f"\0model {name}\0{model.sql}".encode())
    for check in checks.files():
        digest.update(f"\0check {check.sql}\0{check.text()}".encode())
    for name in ("totals", "macros", "variables"):
        digest.update(f"\0{name}\0{query('engine/' + name)}".encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(f"\0{source.name}\0".encode() + source.read_bytes())
    return digest.hexdigest()


def key_for(db: Database, fees: FeeTable, as_of: date, date_from: date | None = None,
            date_to: date | None = None) -> ResultKey:
    return ResultKey(content_version(db.con), fee_version(fees), engine_version(), as_of, date_from, date_to)


# --- payload -----------------------------------------------------------------------------------------------

def _encode(value: Any) -> Any:
    """JSON with the types the checks return tagged, so they come back as they were (Decimal with its scale).
    The exact types first (a streamed run encodes every value of millions of rows); subclasses after."""
    kind = type(value)
    if value is None or kind is str or kind is int or kind is bool:
        return value
    if kind is Decimal:
        return {"$d": str(value)}
    if kind is list or kind is tuple:
        return [_encode(v) for v in value]
    if kind is dict:
        return {"$m": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if kind is date:
        return {"$t": value.isoformat()}
    if isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, Decimal):
        return {"$d": str(value)}
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$t": value.isoformat()}
    if isinstance(value, dict):
        return {"$m": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    raise TypeError(f"a check returned a {type(value).__name__}, which a stored run cannot keep exactly")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        if "$d" in value:
            return Decimal(value["$d"])
        if "$t" in value:
            return date.fromisoformat(value["$t"])
        if "$dt" in value:
            return datetime.fromisoformat(value["$dt"])
        return {_decode(k): _decode(v) for k, v in value["$m"]}
    return value


class RunWriter:
    """A run's stored form written one check row at a time: the JSON of `encode_run`, zlib-compressed as it
    is written. A run with millions of findings (every line of a huge invoice file) is never held as Python
    objects nor as one uncompressed text: only the compressed bytes grow (a few percent of the JSON)."""

    def __init__(self) -> None:
        self._zip = zlib.compressobj(ZIP_LEVEL)
        self._chunks: list[bytes] = []
        self._rows = 0
        self._put(b'{"rows":[')

    def _put(self, data: bytes) -> None:
        if out := self._zip.compress(data):
            self._chunks.append(out)

    def row(self, row: dict[str, Any]) -> None:
        self._put((b"," if self._rows else b"") + _dumps(_encode(row)))
        self._rows += 1

    def finish(self, raw: RawRun, fee_label: str) -> bytes:
        """The payload, with the totals and the tie-out check's rows of `raw` (its `rows` went to `row`)."""
        for row in raw.rows:
            self.row(row)
        self._put(b'],"totals":' + _dumps(_encode(raw.totals)) + b',"tie_out_rows":'
                  + _dumps(_encode(list(raw.tie_out_rows))) + b',"fee_table":' + _dumps(fee_label) + b"}")
        self._chunks.append(self._zip.flush())
        return b"".join(self._chunks)


ZIP_LEVEL = 1  # the findings' JSON is repetitive: level 1 already shrinks it ~10x, at a fraction of level 6's CPU


def _dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode("utf-8")


def encode_run(raw: RawRun, fee_label: str) -> bytes:
    return RunWriter().finish(raw, fee_label)


def decode_run(payload: bytes) -> tuple[RawRun, str]:
    body = json.loads(zlib.decompress(payload))
    raw = RawRun(tuple(_decode(body["rows"])), _decode(body["totals"]), tuple(_decode(body["tie_out_rows"])))
    return raw, str(body["fee_table"])


def encode_value(value: Any) -> bytes:
    return json.dumps(_encode(value), separators=(",", ":")).encode("utf-8")


def decode_value(payload: bytes) -> Any:
    return _decode(json.loads(payload))


def frame_bytes(frame: pl.DataFrame) -> bytes:
    out = io.BytesIO()
    frame.write_ipc(out)
    return out.getvalue()


def frame_from(payload: bytes) -> pl.DataFrame:
    return pl.read_ipc(io.BytesIO(payload))


# --- reading and writing -------------------------------------------------------------------------------------

def has_table(db: Database) -> bool:
    """False for a database older than the results table (opened read-only, it is not migrated)."""
    row = db.con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND NOT temporary",
                         [TABLE]).fetchone()
    return bool(row and row[0])


def stored(db: Database, key: ResultKey) -> dict[str, bytes]:
    """{part: payload} stored for this key; empty when none (or the database predates the results table)."""
    try:
        rows = db.con.execute(query("results/read"), {"key": key.id}).fetchall()
    except duckdb.CatalogException:
        return {}
    return {str(part): bytes(payload) for part, payload in rows}


def store(db: Database, key: ResultKey, parts: dict[str, bytes]) -> None:
    """Keep these parts under `key` (replacing any under it), and only the newest KEEP keys."""
    with db.transaction() as tx:
        tx.execute(query("results/forget"), {"key": key.id})
        for part, payload in parts.items():
            tx.execute(query("results/save"), {
                "key": key.id, "part": part, "content_version": key.content, "fee_version": key.fees,
                "engine_version": key.engine, "as_of": key.as_of, "date_from": key.date_from,
                "date_to": key.date_to, "payload": payload})
        tx.execute(query("results/prune"), {"keep": KEEP})


def writable(db: Database) -> bool:
    """True when this connection may write (read-only opens, e.g. the dashboard's, compute in memory)."""
    row = db.con.execute("SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()"
                         ).fetchone()
    return row is not None and not row[0]


def save_to(path: Path, key: ResultKey, parts: dict[str, bytes]) -> bool:
    """Store a run computed on a read-only connection, through a short writable one; False (nothing stored)
    when the file is busy, read-only or changed meanwhile. A database without the results table is left
    as it is: a reading command never migrates."""
    from recon.store.database import DatabaseUnusable, open_database

    try:
        db = open_database(path, wait_seconds=0)
    except (DatabaseUnusable, OSError, duckdb.Error):
        return False
    try:
        if content_version(db.con) != key.content:
            return False
        store(db, key, parts)
        return True
    except duckdb.Error:
        return False
    finally:
        db.close()


@dataclass
class Outcome:
    """A reconciliation and how it came about; `parts` holds what a caller may still want to store."""

    result: ReconResult
    key: ResultKey
    reused: bool
    prepared: Prepared | None  # the models, when they were built (a reused run builds none)
    parts: dict[str, bytes]
    storable: bool = False  # computed, not stored yet, and the database has the results table

    def save(self, path: Path) -> bool:
        """After the read-only connection is closed: store the fresh run (see `save_to`)."""
        return self.storable and save_to(path, self.key, self.parts)


def load_run(db: Database, key: ResultKey, payload: bytes) -> ReconResult:
    """The result of a stored run, built as a fresh one is (`run.assemble`), in the reader's language."""
    raw, label = decode_run(payload)
    Counter.reused += 1
    return assemble(raw, source_names(db.con), key.as_of, key.date_from, key.date_to, label)


def compute(db: Database, fees: FeeTable, key: ResultKey) -> tuple[Prepared, ReconResult, dict[str, bytes]]:
    """A fresh run for `key`: the models, the result, and the run's stored form."""
    models = prepare(db, fees, key.as_of, key.date_from, key.date_to)
    raw, result = run_raw(models)
    Counter.computed += 1
    return models, result, {RUN: encode_run(raw, result.fee_table)}


def reconcile(db: Database, fees: FeeTable, as_of: date, date_from: date | None = None,
              date_to: date | None = None, *, save: bool = True) -> Outcome:
    """The stored run when its key matches; else a fresh one, stored when `save` and the database is writable."""
    key = key_for(db, fees, as_of, date_from, date_to)
    found = stored(db, key)
    if RUN in found:
        return Outcome(load_run(db, key, found[RUN]), key, True, None, found)
    models, result, parts = compute(db, fees, key)
    if save and writable(db):
        store(db, key, parts)
        return Outcome(result, key, False, models, parts)
    return Outcome(result, key, False, models, parts, storable=has_table(db))


def compute_stored(db: Database, fees: FeeTable, key: ResultKey) -> tuple[Prepared, dict[str, bytes]]:
    """A fresh run for `key` in its stored form only, streamed (`run.stream_raw`): what a command that
    changed the data stores, without building the findings, so memory stays bounded for any number of them."""
    models = prepare(db, fees, key.as_of, key.date_from, key.date_to)
    writer = RunWriter()
    raw = stream_raw(models, writer.row)
    Counter.computed += 1
    return models, {RUN: writer.finish(raw, fee_label(fees))}


def refresh(db: Database, as_of: date, extra: Callable[[Prepared], dict[str, bytes]] | None = None) -> None:
    """After a command changed the data or the fee table: compute the run people look at next (all
    documents, as of `as_of`, the fee table in force) and store it, with `extra` parts (the dashboard's)."""
    from recon.fees.store import current_fee_table

    fees = current_fee_table(db)
    key = key_for(db, fees, as_of)
    if RUN in stored(db, key):
        return
    models, parts = compute_stored(db, fees, key)
    if extra is not None:
        parts.update(extra(models))
    store(db, key, parts)
