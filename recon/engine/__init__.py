"""Reconciliation: recompute every fee and settlement from the stored documents and the fee table."""

from recon.engine.model import KINDS, Discrepancy, Evidence, KindSummary, ReconResult
from recon.engine.run import prepare, reconcile

__all__ = ["KINDS", "Discrepancy", "Evidence", "KindSummary", "ReconResult", "prepare", "reconcile"]
