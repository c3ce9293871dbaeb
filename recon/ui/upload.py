"""Uploads from the dashboard: the CLI's importer, one write connection per batch, closed right after.

A file goes through `import_bytes` exactly as `recon import` would send it, so an upload gets the same
checks, the same all-or-nothing transaction and the same `FILE:LINE: field 'NAME': reason` messages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from recon.importing import FileResult, import_bytes
from recon.importing.layouts import load_layouts
from recon.store import open_database

# (file index, file name, stage, fraction of that file done)
UploadProgress = Callable[[int, str, str, float], None]
STATUS_LABELS = {"imported": "imported", "skipped": "already imported", "rejected": "rejected"}


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


def import_uploads(path: Path, uploads: Sequence[Upload], progress: UploadProgress | None = None) -> list[FileResult]:
    """Import each upload in its own transaction; a rejected file leaves the database as it was."""
    results: list[FileResult] = []
    if not uploads:
        return results
    layouts = load_layouts()
    db = open_database(path)
    try:
        for index, upload in enumerate(uploads):
            def step(stage: str, fraction: float, index: int = index, name: str = upload.name) -> None:
                if progress is not None:
                    progress(index, name, stage, fraction)

            step("starting", 0.0)
            results.append(import_bytes(db, upload.name, upload.data, layouts=layouts, progress=step))
            step("done", 1.0)
    finally:
        db.close()
    return results


def summary_frame(results: Sequence[FileResult]) -> pl.DataFrame:
    """One row per file: what happened to it."""
    return pl.DataFrame(
        {
            "File": [r.name for r in results],
            "Result": [STATUS_LABELS[r.status] for r in results],
            "Kind": [r.kind or "" for r in results],
            "Rows stored": [sum(r.rows.values()) if r.status == "imported" else 0 for r in results],
            "Problems": [len(r.problems) for r in results],
            "Note": [r.note or "; ".join(r.warnings) for r in results],
        },
        schema={"File": pl.String, "Result": pl.String, "Kind": pl.String, "Rows stored": pl.Int64,
                "Problems": pl.Int64, "Note": pl.String},
    )


def problems_frame(results: Sequence[FileResult]) -> pl.DataFrame:
    """Every problem of every rejected file, one row each: file, line, field, reason."""
    rows = [(r.name, p.line, p.field, p.reason) for r in results for p in r.issues]
    return pl.DataFrame(rows, schema={"File": pl.String, "Line": pl.Int64, "Field": pl.String, "Reason": pl.String},
                        orient="row")
