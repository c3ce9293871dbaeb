"""A canonical dump of the store: every table's rows, sorted, without the columns that record *when* and *who*.

Two databases with the same dump hold the same books, however and in whatever order their files were
imported. `recon check-db` prints the hash; the idempotence tests compare it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import polars as pl

from recon.store.database import Database
from recon.store.receipt_json import decompress
from recon.store.sql import query

# Columns that say when or by whom something happened, not what the books contain.
VOLATILE_COLUMNS = frozenset({"imported_at", "imported_by", "applied_at"})


def table_names(db: Database) -> list[str]:
    return [name for (name,) in db.con.execute(query("dump/tables")).fetchall()]


def table_frame(db: Database, name: str, exclude: Iterable[str] = VOLATILE_COLUMNS) -> pl.DataFrame:
    """All rows of one table (read through the relation API: no SQL text is built), sorted on every column."""
    skip = set(exclude)
    frame: pl.DataFrame = db.con.table(name).pl()
    frame = frame.select([_as_text(name, c, frame.schema[c]) for c in frame.columns if c not in skip])
    return frame.sort(frame.columns, nulls_last=True) if frame.width else frame


def _as_text(table: str, name: str, dtype: pl.DataType) -> pl.Expr:
    """A column as the CSV dump can hold it: a receipts file's compressed text as the sha256 of the text it
    decompresses to (so the dump reads it back, whatever the compressor's version), other bytes as their sha256,
    lists (where its receipts sit) as comma-separated text; every other column as it is."""
    if (table, name) == ("receipt_pages", "body"):
        return pl.struct("codec", "body", "text_bytes").map_elements(
            lambda page: hashlib.sha256(decompress(page["codec"], page["body"], page["text_bytes"])).hexdigest(),
            return_dtype=pl.String).alias(name)
    if dtype == pl.Binary:
        return pl.col(name).map_elements(lambda b: hashlib.sha256(b).hexdigest(), return_dtype=pl.String)
    if isinstance(dtype, pl.List):
        return pl.col(name).list.eval(pl.element().cast(pl.String)).list.join(",")
    return pl.col(name)


def table_dump(name: str, frame: pl.DataFrame) -> str:
    return f"## {name} {frame.height}\n{frame.write_csv(separator=';', null_value='<null>')}"


def canonical_dump(db: Database, exclude: Iterable[str] = VOLATILE_COLUMNS) -> str:
    """Text of every table, sorted; reading it touches every stored value (so it also proves readability)."""
    skip = frozenset(exclude)
    return "\n".join(table_dump(name, table_frame(db, name, skip)) for name in table_names(db))


def canonical_hash(db: Database, exclude: Iterable[str] = VOLATILE_COLUMNS) -> str:
    """SHA-256 of `canonical_dump`: equal hashes, equal books."""
    return hashlib.sha256(canonical_dump(db, exclude).encode("utf-8")).hexdigest()
