"""Importers for OTTO Market's files: invoices, corrections, payouts (CSV) and receipts (JSON)."""

from recon.importing.pipeline import KINDS, FileResult, ImportReport, expand_paths, import_bytes, import_paths

__all__ = ["KINDS", "FileResult", "ImportReport", "expand_paths", "import_bytes", "import_paths"]
