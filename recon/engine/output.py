"""The reconciliation as the contract's JSON and as a short text for people."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from recon import i18n
from recon.engine import tie_out
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
    summaries = result.by_kind()  # once: the two sums below are its columns' sums
    totals["discrepancies"] = len(result.discrepancies)
    totals["at_stake_against_seller"] = fmt_amount(sum((s.against_seller for s in summaries), Decimal("0.00")))
    totals["at_stake_for_seller"] = fmt_amount(sum((s.for_seller for s in summaries), Decimal("0.00")))
    return {
        "as_of": result.as_of.isoformat(),
        "from": _value(result.date_from),
        "to": _value(result.date_to),
        "fee_table": result.fee_table,
        "totals": totals,
        "by_kind": [
            {"kind": s.kind, "count": s.count, "against_seller": fmt_amount(s.against_seller),
             "for_seller": fmt_amount(s.for_seller), "unquantified": s.unquantified}
            for s in summaries
        ],
        "tie_out": tie_out.as_json(result.tie_out),
        "discrepancies": [discrepancy_dict(d) for d in result.discrepancies],
    }


def write_json(result: ReconResult, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result_dict(result), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


TOTAL_KEYS = [  # the summary's lines, labelled by the catalogue (summary.<key>)
    "sales_gross", "refunds_gross", "invoiced_commission_gross", "expected_commission_gross",
    "invoiced_shipping_commission_gross", "expected_shipping_commission_gross", "invoiced_base_fee_gross",
    "expected_base_fee_gross", "corrections_gross", "expected_corrections_gross", "payouts_total",
    "invoiced_net_to_seller", "expected_net_to_seller",
]


def tie_out_lines(result: ReconResult) -> list[str]:
    """The tie-out as a small table: per category invoiced, expected, explained by findings, unexplained."""
    head = [i18n.t(f"tie_out.{key}") for key in ("invoiced", "expected", "explained", "unexplained")]
    width = max(14, *(len(h) for h in head))
    lines = [f"{i18n.t('tie_out.title'):<32} " + " ".join(f"{h:>{width}}" for h in head)]
    for t in result.tie_out:
        values = (t.invoiced, t.expected, t.explained, t.unexplained)
        lines.append(f"  {tie_out.label(t.category):<30} " + " ".join(f"{i18n.money(v):>{width}}" for v in values))
    if result.tie_out and not any(t.unexplained for t in result.tie_out):
        lines.append(f"  {i18n.t('tie_out.all_explained')}")
    return lines


def summary_text(result: ReconResult) -> str:
    start = i18n.day(result.date_from) if result.date_from else i18n.t("summary.start")
    end = i18n.day(result.date_to) if result.date_to else i18n.t("summary.end")
    period = (i18n.t("summary.span", start=start, end=end) if result.date_from or result.date_to
              else i18n.t("ui.period.all_documents"))
    lines = [i18n.t("summary.title", as_of=i18n.day(result.as_of), period=period, fees=result.fee_table), ""]
    for key in TOTAL_KEYS:
        value = result.totals[key]
        if isinstance(value, Decimal):
            lines.append(f"  {i18n.t(f'summary.{key}'):<34} {i18n.money(value):>16}")
    lines.append("")
    lines += tie_out_lines(result)
    lines.append("")
    if not result.discrepancies:
        lines.append(i18n.t("summary.no_discrepancies"))
        return "\n".join(lines)
    head = [i18n.t(f"summary.{k}") for k in ("kind", "count", "against", "for_seller")]
    lines.append(f"{head[0]:<30} {head[1]:>6} {head[2]:>16} {head[3]:>16}")
    for s in result.by_kind():
        extra = i18n.t("summary.without_amount", count=s.unquantified) if s.unquantified else ""
        amounts = f"{i18n.money(s.against_seller):>16} {i18n.money(s.for_seller):>16}"
        lines.append(f"{s.kind:<30} {s.count:>6} {amounts}{extra}")
    lines.append(f"{i18n.t('summary.total'):<30} {len(result.discrepancies):>6} "
                 f"{i18n.money(result.against_seller):>16} {i18n.money(result.for_seller):>16}")
    return "\n".join(lines)
