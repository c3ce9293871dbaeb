"""The overview's key figures, computed from the engine's totals (Decimal in, Decimal out).

Kept apart from the page so each definition is written down once and tested with exact values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from recon.engine import Totals
from recon.money import round_cent
from recon.ui.data import Snapshot


@dataclass(frozen=True)
class Kpis:
    sales_gross: Decimal
    refunds_gross: Decimal
    commission_invoiced: Decimal  # product + shipping commission, gross, as invoiced
    commission_expected: Decimal  # the same, recomputed from the fee table
    effective_rate: Decimal | None  # percent
    against_seller: Decimal  # open discrepancies, EUR the seller lost
    for_seller: Decimal  # open discrepancies in the seller's favour
    discrepancies: int
    next_payout_day: date | None
    next_payout_amount: Decimal | None
    next_payout_documents: int
    payouts_total: Decimal
    payouts_count: int

    @property
    def commission_difference(self) -> Decimal:
        """Invoiced minus expected: positive when OTTO charged more than the fee table says."""
        return self.commission_invoiced - self.commission_expected


def effective_rate(totals: Totals | Mapping[str, Decimal | int]) -> Decimal | None:
    """Commission actually kept by OTTO (product + shipping, net, after corrections) per EUR of net sales
    (sales minus refunds, gross), in percent. None when nothing was sold.

    Net commission because VAT on the fee is refunded to a VAT-registered seller; corrections and refunds
    on both sides so that returns do not distort the rate.
    """
    sales = Decimal(totals["sales_gross"]) - Decimal(totals["refunds_gross"])
    if sales <= 0:
        return None
    fees = sum((Decimal(totals[key]) for key in
                ("invoiced_commission_net", "invoiced_shipping_commission_net", "corrections_net")), Decimal(0))
    return round_cent(fees * 100 / sales)


def kpis(snap: Snapshot) -> Kpis:
    totals = snap.result.totals
    nxt = snap.next_payout
    return Kpis(
        sales_gross=totals.sales_gross,
        refunds_gross=totals.refunds_gross,
        commission_invoiced=(totals.invoiced_commission_gross
                             + totals.invoiced_shipping_commission_gross),
        commission_expected=(totals.expected_commission_gross
                             + totals.expected_shipping_commission_gross),
        effective_rate=effective_rate(totals),
        against_seller=snap.result.against_seller,
        for_seller=snap.result.for_seller,
        discrepancies=len(snap.result.discrepancies),
        next_payout_day=nxt.day if nxt else None,
        next_payout_amount=nxt.amount if nxt else None,
        next_payout_documents=nxt.documents if nxt else 0,
        payouts_total=totals.payouts_total,
        payouts_count=totals.payouts_count,
    )
