"""A stored receipt's JSON, wherever the import kept it.

The fast lane keeps a Receipts API file's text once (`receipt_pages`, zstd-compressed) and each receipt as its
byte range in it: the receipt exactly as the file held it. Receipts read the careful way, and those of the
Kundenbelege CSV, keep their JSON in `receipts.raw`. Every reader of a receipt's JSON comes through here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import duckdb
import pyarrow as pa

from recon.store.sql import query

CODEC = "zstd"  # pyarrow's zstd (level 1): about 13 MB for the 163 MB of a 100k-item quarter, 0.2 CPU s


def compress(text: bytes) -> bytes:
    return bytes(pa.Codec(CODEC).compress(text, asbytes=True))


def decompress(codec: str, body: bytes, size: int) -> bytes:
    return bytes(pa.Codec(codec).decompress(body, decompressed_size=size, asbytes=True))


def page_row(source_sha256: str, text: bytes, starts: list[int], ends: list[int]) -> dict[str, object]:
    """The parameters of `importing/insert_receipt_page` for one file's text."""
    return {"source_sha256": source_sha256, "codec": CODEC, "text_bytes": len(text),
            "text_sha256": hashlib.sha256(text).hexdigest(), "body": compress(text), "starts": starts, "ends": ends}


def receipt_json(con: duckdb.DuckDBPyConnection, keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """The JSON text of each stored receipt named by (source file sha256, position in the file); receipts not
    stored are left out. Each file's text is read and decompressed once."""
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        return {}
    params = {"shas": [sha for sha, _ in wanted], "lines": [line for _, line in wanted]}
    rows = con.execute(query("receipts/json_of"), params).fetchall()
    found: dict[tuple[str, int], str] = {}
    slices: list[tuple[str, int, int, int]] = []
    for sha, line, raw, start, end in rows:
        if raw is not None:
            found[(sha, int(line))] = raw
        elif start is not None and end is not None:
            slices.append((sha, int(line), int(start), int(end)))
    if slices:
        texts = page_texts(con, sorted({sha for sha, *_ in slices}))
        for sha, line, start, end in slices:
            if sha in texts:
                found[(sha, line)] = texts[sha][start:end].decode("utf-8")
    return found


def page_texts(con: duckdb.DuckDBPyConnection, shas: list[str]) -> dict[str, bytes]:
    """The stored texts of these receipts files, decompressed."""
    rows = con.execute(query("receipts/pages"), {"shas": shas}).fetchall()
    return {sha: decompress(codec, body, int(size)) for sha, codec, size, _text_sha, body in rows}
