"""The tie-out: for every totals category, invoiced − expected must equal what the findings explain.

A self-check of the engine and of the data: any cent of difference between the totals that no finding
accounts for becomes its own finding (UNEXPLAINED_DIFFERENCE), so no difference can hide in a total.
The measure is the one the findings use: net EUR for the fee categories (a VAT-only error explains 0 of
a net difference), the payout statement's amounts for payouts.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from recon import i18n
from recon.engine import checks
from recon.engine.model import Discrepancy, TieOut, Totals

ZERO = Decimal("0.00")
# The categories in the order the summary shows them.
CATEGORIES = (checks.COMMISSION, checks.SHIPPING, checks.BASE_FEE, checks.CORRECTIONS, checks.PAYOUTS)


def sides(totals: Totals) -> dict[str, tuple[Decimal, Decimal]]:
    """(invoiced, expected) per category, in the findings' measure."""
    return {
        checks.COMMISSION: (totals.invoiced_commission_net, totals.expected_commission_net),
        checks.SHIPPING: (totals.invoiced_shipping_commission_net, totals.expected_shipping_commission_net),
        checks.BASE_FEE: (totals.invoiced_base_fee_net, totals.expected_base_fee_net),
        checks.CORRECTIONS: (totals.corrections_net, totals.expected_corrections_net),
        checks.PAYOUTS: (totals.payouts_total, totals.expected_payouts_total),
    }


def category_of(finding: Discrepancy) -> str | None:
    """The category a finding's money belongs to: its own (a check may say per row), else its kind's."""
    return finding.explains or checks.by_kind()[finding.kind].explains


def explained_by(finding: Discrepancy) -> Decimal:
    """What one finding accounts for of its category's invoiced − expected."""
    if finding.explained is not None:
        return finding.explained
    if isinstance(finding.actual, Decimal):
        return finding.actual - (finding.expected if isinstance(finding.expected, Decimal) else ZERO)
    return ZERO


def tie_out(totals: Totals, findings: Iterable[Discrepancy]) -> tuple[TieOut, ...]:
    explained = dict.fromkeys(CATEGORIES, ZERO)
    for finding in findings:
        category = category_of(finding)
        if category in explained:
            explained[category] += explained_by(finding)
    return tuple(TieOut(category, invoiced, expected, explained[category])
                 for category, (invoiced, expected) in sides(totals).items())


def label(category: str, language: str | None = None) -> str:
    """The category as people read it ('Verkaufsprovision (netto)'), from the catalogue."""
    return i18n.t(f"tie_out.{category}", language)


def as_json(tied: Iterable[TieOut]) -> dict[str, dict[str, str]]:
    """The contract's `tie_out`: per category invoiced, expected, explained, unexplained as 2-decimal strings."""
    return {t.category: {"invoiced": f"{t.invoiced:.2f}", "expected": f"{t.expected:.2f}",
                         "explained": f"{t.explained:.2f}", "unexplained": f"{t.unexplained:.2f}"}
            for t in tied}
