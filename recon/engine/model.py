"""What reconciliation finds: discrepancies with proof, and totals. Plain data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# The contract's kinds, in the order reports list them; RECEIPT_TOTAL_MISMATCH extends the contract.
KINDS = (
    "COMMISSION_MISMATCH", "SHIPPING_COMMISSION_MISMATCH", "BASE_FEE_MISMATCH", "DUPLICATE_CHARGE",
    "CHARGE_WITHOUT_SALE", "MISSING_CHARGE", "MISSING_CORRECTION", "CORRECTION_MISMATCH", "DUE_DATE_MISMATCH",
    "PAYOUT_MISMATCH", "SETTLEMENT_MISSING", "SETTLEMENT_UNKNOWN", "RECEIPT_TOTAL_MISMATCH",
)
# Kinds whose amounts are as on the payout statement (the seller's balance): there a negative difference
# means the seller got too little. For every other kind a positive difference means they paid too much.
SETTLEMENT_KINDS = frozenset({"PAYOUT_MISMATCH", "SETTLEMENT_MISSING", "SETTLEMENT_UNKNOWN"})


@dataclass(frozen=True)
class Evidence:
    file: str
    line: int
    sha256: str


@dataclass(frozen=True)
class Discrepancy:
    kind: str
    order_number: str | None
    position_item_id: str | None
    document_number: str | None
    document_date: date | None
    expected: Decimal | date | None
    actual: Decimal | date | None
    evidence: tuple[Evidence, ...]
    message: str

    @property
    def difference(self) -> Decimal | None:
        """actual - expected, in EUR; None where either side is not an amount."""
        if isinstance(self.expected, Decimal) and isinstance(self.actual, Decimal):
            return self.actual - self.expected
        return None

    @property
    def in_favour_of(self) -> str | None:
        """'OTTO' when the seller lost money by it, 'seller' when they gained, None when it is not money."""
        diff = self.difference
        if diff is None:
            if self.kind == "SETTLEMENT_UNKNOWN" and isinstance(self.actual, Decimal) and self.actual:
                return "seller" if self.actual > 0 else "OTTO"
            return None
        if diff == 0:
            return None
        against_seller = diff < 0 if self.kind in SETTLEMENT_KINDS else diff > 0
        return "OTTO" if against_seller else "seller"

    @property
    def at_stake(self) -> Decimal | None:
        """The EUR amount in dispute, always positive (the direction is in_favour_of)."""
        diff = self.difference
        if diff is None:
            if self.kind == "SETTLEMENT_UNKNOWN" and isinstance(self.actual, Decimal):
                return abs(self.actual)
            return None
        return abs(diff)


@dataclass(frozen=True)
class KindSummary:
    kind: str
    count: int
    against_seller: Decimal  # EUR the seller lost (charged too much, paid too little)
    for_seller: Decimal  # EUR in the seller's favour
    unquantified: int  # findings without an amount (unknown category, due dates)


@dataclass
class ReconResult:
    as_of: date
    date_from: date | None
    date_to: date | None
    fee_table: str
    totals: dict[str, Decimal | int]
    discrepancies: list[Discrepancy] = field(default_factory=list)

    def by_kind(self) -> list[KindSummary]:
        summaries = []
        for kind in KINDS:
            found = [d for d in self.discrepancies if d.kind == kind]
            if not found:
                continue
            summaries.append(KindSummary(
                kind, len(found),
                sum((d.at_stake or Decimal(0) for d in found if d.in_favour_of == "OTTO"), Decimal("0.00")),
                sum((d.at_stake or Decimal(0) for d in found if d.in_favour_of == "seller"), Decimal("0.00")),
                sum(1 for d in found if d.at_stake is None),
            ))
        return summaries

    @property
    def against_seller(self) -> Decimal:
        return sum((s.against_seller for s in self.by_kind()), Decimal("0.00"))

    @property
    def for_seller(self) -> Decimal:
        return sum((s.for_seller for s in self.by_kind()), Decimal("0.00"))
