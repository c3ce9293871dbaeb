"""The reconciliation as the contract's JSON and as a short text for people."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from recon.engine.model import Discrepancy, ReconResult
from recon.money import fmt_amount


def _value(value: Decimal | date | None) -> str | None:
    if isinstance(value, Decimal):
        return fmt_amount(value)
    if isinstance(value, date):
        return value.isoformat()
    return None


def discrepancy_dict(d: Discrepancy) -> dict[str, Any]:
    return {
        "kind": d.kind,
        "order_number": d.order_number,
        "position_item_id": d.position_item_id,
        "document_number": d.document_number,
        "document_date": _value(d.document_date),
        "expected": _value(d.expected),
        "actual": _value(d.actual),
        "difference": _value(d.difference),
        "in_favour_of": d.in_favour_of,
        "evidence": [{"file": e.file, "line": e.line, "sha256": e.sha256} for e in d.evidence],
        "message": d.message,
    }


def result_dict(result: ReconResult) -> dict[str, Any]:
    totals: dict[str, Any] = {
        key: (fmt_amount(value) if isinstance(value, Decimal) else value) for key, value in result.totals.items()
    }
    totals["discrepancies"] = len(result.discrepancies)
    totals["at_stake_against_seller"] = fmt_amount(result.against_seller)
    totals["at_stake_for_seller"] = fmt_amount(result.for_seller)
    return {
        "as_of": result.as_of.isoformat(),
        "from": _value(result.date_from),
        "to": _value(result.date_to),
        "fee_table": result.fee_table,
        "totals": totals,
        "by_kind": [
            {"kind": s.kind, "count": s.count, "against_seller": fmt_amount(s.against_seller),
             "for_seller": fmt_amount(s.for_seller), "unquantified": s.unquantified}
            for s in result.by_kind()
        ],
        "discrepancies": [discrepancy_dict(d) for d in result.discrepancies],
    }


def write_json(result: ReconResult, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result_dict(result), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


TOTAL_LABELS = [
    ("sales_gross", "sales (purchase receipts)"),
    ("refunds_gross", "refunds"),
    ("invoiced_commission_gross", "product commission invoiced"),
    ("expected_commission_gross", "product commission expected"),
    ("invoiced_shipping_commission_gross", "shipping commission invoiced"),
    ("expected_shipping_commission_gross", "shipping commission expected"),
    ("invoiced_base_fee_gross", "base fees invoiced"),
    ("expected_base_fee_gross", "base fees expected"),
    ("corrections_gross", "corrections invoiced"),
    ("expected_corrections_gross", "corrections expected"),
    ("payouts_total", "payouts"),
    ("invoiced_net_to_seller", "net to seller as invoiced"),
    ("expected_net_to_seller", "net to seller as expected"),
]


def summary_text(result: ReconResult) -> str:
    period = f"{result.date_from or 'start'} to {result.date_to or 'end'}"
    lines = [f"Reconciliation as of {result.as_of} ({period}), fee table: {result.fee_table}", ""]
    for key, label in TOTAL_LABELS:
        value = result.totals[key]
        if isinstance(value, Decimal):
            lines.append(f"  {label:<32} {fmt_amount(value):>14} EUR")
    lines.append("")
    if not result.discrepancies:
        lines.append("No discrepancies.")
        return "\n".join(lines)
    lines.append(f"{'kind':<30} {'count':>6} {'against seller':>16} {'for seller':>12}")
    for s in result.by_kind():
        extra = f"  ({s.unquantified} without amount)" if s.unquantified else ""
        amounts = f"{fmt_amount(s.against_seller):>16} {fmt_amount(s.for_seller):>12}"
        lines.append(f"{s.kind:<30} {s.count:>6} {amounts}{extra}")
    lines.append(f"{'total':<30} {len(result.discrepancies):>6} {fmt_amount(result.against_seller):>16} "
                 f"{fmt_amount(result.for_seller):>12}")
    return "\n".join(lines)
