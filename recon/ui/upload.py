"""Uploads from the dashboard: the CLI's importer, one write connection per batch, closed right after.

A file goes through `import_bytes` exactly as `recon import` would send it, so an upload gets the same
checks, the same all-or-nothing transaction and the same `FILE:LINE: field 'NAME': reason` messages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from recon import i18n
from recon.importing import FileResult, import_bytes
from recon.importing.layouts import load_layouts
from recon.store import open_database
from recon.ui.data import refresh_results

# (file index, file name, stage, fraction of that file done)
UploadProgress = Callable[[int, str, str, float], None]


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
        if any(r.status == "imported" for r in results):
            refresh_results(db)
    finally:
        db.close()
    return results


def summary_frame(results: Sequence[FileResult]) -> pl.DataFrame:
    """One row per file: what happened to it."""
    t = i18n.t
    return pl.DataFrame(
        {
            t("ui.upload.col_file"): [r.name for r in results],
            t("ui.upload.col_result"): [t(f"ui.upload.status_{r.status}") for r in results],
            t("ui.upload.col_kind"): [t(f"ui.kind.{r.kind}") if i18n.has(f"ui.kind.{r.kind}") else r.kind or ""
                                      for r in results],
            t("ui.upload.col_rows"): [sum(r.rows.values()) if r.status == "imported" else 0 for r in results],
            t("ui.upload.col_problems"): [len(r.problems) for r in results],
            t("ui.upload.col_note"): [r.note or "; ".join(r.warnings) for r in results],
        },
        schema={t("ui.upload.col_file"): pl.String, t("ui.upload.col_result"): pl.String,
                t("ui.upload.col_kind"): pl.String, t("ui.upload.col_rows"): pl.Int64,
                t("ui.upload.col_problems"): pl.Int64, t("ui.upload.col_note"): pl.String},
    )


def problems_frame(results: Sequence[FileResult]) -> pl.DataFrame:
    """Every problem of every rejected file, one row each: file, line, field, reason."""
    rows = [(r.name, p.line, p.field, p.reason) for r in results for p in r.issues]
    t = i18n.t
    return pl.DataFrame(rows, schema={t("ui.upload.col_file"): pl.String, t("ui.upload.col_line"): pl.Int64,
                                      t("ui.upload.col_field"): pl.String, t("ui.upload.col_reason"): pl.String},
                        orient="row")
