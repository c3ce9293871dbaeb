"""The short summary as HTML (a page or a mail body) and as plain text, rendered from `recon/templates/`.

HTML is autoescaped: document numbers and messages come from imported files and must not become markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from recon import i18n
from recon.engine import Discrepancy, tie_out
from recon.reports.content import ReportData
from recon.reports.labels import FAVOUR_LABELS, KIND_LABELS, TOTAL_ROWS

LARGEST = 10  # findings listed by amount in the summary; the workbook has all of them


@dataclass(frozen=True)
class TotalRow:
    label: str
    actual: Decimal
    expected: Decimal | None
    difference: Decimal | None


def _eur(value: Decimal | None) -> str:
    return "" if value is None else i18n.money(value)


def _de_date(value: date | None) -> str:
    """The day in the reader's language (05.09.2026 in German); empty for none."""
    return "" if value is None else i18n.day(value)


def _de_datetime(value: datetime | None) -> str:
    return "" if value is None else i18n.day(value)


def _counted(count: int, noun: str) -> str:
    """The template's `counted` filter: the count comes first there (`n | counted('report.summary.files')`)."""
    return i18n.counted(noun, count)


def _markup(key: str, **params: Any) -> Markup:
    """A catalogue sentence in HTML: the sentence and plain parameters escaped, Markup parameters (an amount
    already wrapped in <strong>) kept."""
    return Markup(escape(i18n.t(key))).format(**params)


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("recon", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        eur=_eur, de_date=_de_date, de_datetime=_de_datetime,
        kind_label=lambda kind: KIND_LABELS.get(kind, kind),
        tie_label=tie_out.label, t=lambda key, **params: i18n.t(key, **params), counted=_counted,
        markup=_markup, strong=lambda text: Markup("<strong>{}</strong>").format(text),
        strong_red=lambda text: Markup('<strong style="color:#9c0006;">{}</strong>').format(text),
        favour=lambda who: FAVOUR_LABELS.get(who or "", ""),
        pad=lambda text, width: str(text).ljust(width),
        rpad=lambda text, width: str(text).rjust(width),
    )
    return env


def totals_rows(data: ReportData) -> list[TotalRow]:
    rows = []
    for label, actual_key, expected_key in TOTAL_ROWS:
        actual = data.result.totals[actual_key]
        assert isinstance(actual, Decimal)
        expected = data.result.totals[expected_key] if expected_key else None
        assert expected is None or isinstance(expected, Decimal)
        rows.append(TotalRow(label, actual, expected, None if expected is None else actual - expected))
    return rows


def largest(found: list[Discrepancy], n: int = LARGEST) -> list[Discrepancy]:
    """The findings with the most money at stake, those against the seller first."""
    quantified = [d for d in found if d.at_stake]
    return sorted(quantified, key=lambda d: (d.in_favour_of != "OTTO", -(d.at_stake or 0)))[:n]


def _next_payout_documents(data: ReportData) -> str:
    """'3 Belege' or '3 Belege, davon 1 überfällig'."""
    nxt = data.next_payout
    if nxt is None:
        return ""
    documents = _counted(nxt.documents, "report.summary.documents")
    if not nxt.overdue_documents:
        return documents
    return i18n.t("report.summary.overdue", documents=documents, overdue=nxt.overdue_documents)


def _sources_line(data: ReportData) -> str:
    """'12 importierte Dateien, zuletzt importiert 26.11.2026 08:00'."""
    files = _counted(len(data.sources), "report.summary.files")
    last = max((s.imported_at for s in data.sources), default=None)
    return files if last is None else i18n.t("report.summary.last_import", files=files, when=_de_datetime(last))


def _context(data: ReportData, workbook_name: str | None) -> dict[str, Any]:
    return {
        "language": i18n.lang(), "next_payout_documents": _next_payout_documents(data),
        "sources_line": _sources_line(data),
        "period": data.period, "as_of": data.as_of, "created_at": data.created_at, "result": data.result,
        "totals": totals_rows(data), "by_kind": data.result.by_kind(), "largest": largest(data.result.discrepancies),
        "next_payout": data.next_payout,
        "workbook_name": workbook_name, "tie_out": data.result.tie_out,
        "all_explained": bool(data.result.tie_out) and not any(t.unexplained for t in data.result.tie_out),
    }


def render_html(data: ReportData, workbook_name: str | None = None) -> str:
    return _environment().get_template("summary.html.j2").render(_context(data, workbook_name))


def render_text(data: ReportData, workbook_name: str | None = None) -> str:
    text = _environment().get_template("summary.txt.j2").render(_context(data, workbook_name))
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"
