"""What reconciliation finds: discrepancies with proof, and totals. Plain data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any

from recon.engine import checks

# The kinds, in the order reports list them, as registered in recon.engine.checks (the one list of checks).
KINDS = checks.kinds()
# Kinds whose amounts are as on the payout statement (the seller's balance): there a negative difference
# means the seller got too little. For every other kind a positive difference means they paid too much.
SETTLEMENT_KINDS = checks.settlement_kinds()


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
    # For the tie-out (recon.engine.tie_out): what this finding accounts for of its category's invoiced −
    # expected, when not simply actual − expected (a VAT-only error explains 0 net); and its category when
    # the row says (a missing charge may be an item's or an order's shipping).
    explained: Decimal | None = field(default=None, compare=False)
    explains: str | None = field(default=None, compare=False)

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
        settlement = self.kind in checks.settlement_kinds() or (
            self.kind == "UNEXPLAINED_DIFFERENCE" and self.document_number == checks.PAYOUTS)
        against_seller = diff < 0 if settlement else diff > 0
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


@dataclass(frozen=True)
class Totals:
    """The period's money, invoiced next to expected (engine/totals.sql, gross EUR unless named _net).

    Built from the query's columns by name: a missing or extra column is an error, never a silent 0,00 €.
    Item access (`totals["sales_gross"]`) is kept for the contract's JSON keys.
    """

    sales_gross: Decimal
    refunds_gross: Decimal
    invoiced_commission_net: Decimal
    invoiced_commission_gross: Decimal
    expected_commission_net: Decimal
    expected_commission_gross: Decimal
    unpriced_items: int
    invoiced_shipping_commission_net: Decimal
    invoiced_shipping_commission_gross: Decimal
    expected_shipping_commission_net: Decimal
    expected_shipping_commission_gross: Decimal
    invoiced_base_fee_net: Decimal
    invoiced_base_fee_gross: Decimal
    expected_base_fee_net: Decimal
    expected_base_fee_gross: Decimal
    corrections_net: Decimal
    corrections_gross: Decimal
    expected_corrections_net: Decimal
    expected_corrections_gross: Decimal
    payouts_total: Decimal
    expected_payouts_total: Decimal  # what the period's payouts should have paid for the documents they settle
    payouts_count: int
    # From the account statements: payment fees (charged as a positive amount), and what the fee table's
    # [[payment_fee]] rate expects (0 without a rate); transactions of other types, summed with their sign.
    payment_fees_charged: Decimal
    payment_fees_refunded: Decimal
    expected_payment_fees: Decimal
    expected_payment_fee_refunds: Decimal  # the rate on the refund receipts the statements pay back
    statement_other: Decimal

    @classmethod
    def from_columns(cls, row: dict[str, Any]) -> Totals:
        names = [f.name for f in fields(cls)]
        missing, extra = set(names) - set(row), set(row) - set(names)
        if missing or extra:
            raise ValueError(f"engine/totals.sql: missing columns {sorted(missing)}, unexpected {sorted(extra)}")
        ints = {"unpriced_items", "payouts_count"}
        values: dict[str, Any] = {n: int(row[n]) if n in ints else Decimal(row[n]) for n in names}
        return cls(**values)

    @property
    def expected_net_to_seller(self) -> Decimal:
        return (self.sales_gross - self.refunds_gross - self.expected_commission_gross
                - self.expected_shipping_commission_gross - self.expected_base_fee_gross
                - self.expected_corrections_gross)

    @property
    def invoiced_net_to_seller(self) -> Decimal:
        return (self.sales_gross - self.refunds_gross - self.invoiced_commission_gross
                - self.invoiced_shipping_commission_gross - self.invoiced_base_fee_gross - self.corrections_gross)

    def keys(self) -> list[str]:
        return [f.name for f in fields(self)] + ["expected_net_to_seller", "invoiced_net_to_seller"]

    def items(self) -> list[tuple[str, Decimal | int]]:
        return [(key, self[key]) for key in self.keys()]

    def __getitem__(self, key: str) -> Decimal | int:
        if key not in self.keys():
            raise KeyError(key)
        value: Decimal | int = getattr(self, key)
        return value


@dataclass(frozen=True)
class TieOut:
    """One totals category of the tie-out (recon.engine.tie_out)."""

    category: str
    invoiced: Decimal  # as the documents say (net; payouts: as paid)
    expected: Decimal  # as recomputed from first principles
    explained: Decimal  # the sum of what the findings of this category account for

    @property
    def unexplained(self) -> Decimal:
        return self.invoiced - self.expected - self.explained


@dataclass
class ReconResult:
    as_of: date
    date_from: date | None
    date_to: date | None
    fee_table: str
    totals: Totals
    discrepancies: list[Discrepancy] = field(default_factory=list)
    tie_out: tuple[TieOut, ...] = ()

    def by_kind(self) -> list[KindSummary]:
        """Count and sums per kind, in the contract's order of kinds. One pass over the findings, each one's
        direction and amount worked out once (a pass per kind cost 8 CPU s for 140,000 findings)."""
        sums: dict[str, list[Any]] = {}
        for d in self.discrepancies:
            entry = sums.setdefault(d.kind, [0, Decimal("0.00"), Decimal("0.00"), 0])
            stake, favour = d.at_stake, d.in_favour_of
            entry[0] += 1
            if favour == "OTTO":
                entry[1] += stake or Decimal(0)
            elif favour == "seller":
                entry[2] += stake or Decimal(0)
            if stake is None:
                entry[3] += 1
        return [KindSummary(kind, *sums[kind]) for kind in checks.kinds() if kind in sums]

    @property
    def against_seller(self) -> Decimal:
        return sum((s.against_seller for s in self.by_kind()), Decimal("0.00"))

    @property
    def for_seller(self) -> Decimal:
        return sum((s.for_seller for s in self.by_kind()), Decimal("0.00"))
