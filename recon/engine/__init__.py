"""Reconciliation: recompute every fee and settlement from the stored documents and the fee table."""

from recon.engine.model import KINDS, Discrepancy, Evidence, KindSummary, ReconResult, Totals
from recon.engine.run import NotPrepared, Prepared, prepare, reconcile, run_checks

__all__ = ["KINDS", "Discrepancy", "Evidence", "KindSummary", "NotPrepared", "Prepared", "ReconResult", "Totals",
           "prepare", "reconcile", "run_checks"]
