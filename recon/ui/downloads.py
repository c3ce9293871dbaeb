"""Downloads for the selected period: the discrepancy list as CSV and the accountants' Excel workbook.

The CSV is written the way German Excel opens it without an import dialog (and the way OTTO's own CSVs
look): semicolon-separated, decimal comma, dd.mm.yyyy, UTF-8 with BOM, in every language; only the headers
follow the reader's language. Amounts come from Decimal, never floats.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from recon import i18n
from recon.engine import ReconResult, checks
from recon.period import Period, explicit_period
from recon.safety import inert_cell_text
from recon.ui.data import reading
from recon.ui.discrepancies import document_label, in_favour_label

CSV_COLUMNS = ["kind", "kind_label", "document_date", "document_number", "order_number", "position_item_id",
               "expected", "actual", "difference", "in_favour_of", "at_stake", "evidence", "message"]


def csv_header() -> list[str]:
    """The download's column headers in the reader's language (the stable kind code stays a column)."""
    return [i18n.t(f"ui.csv.{name}") for name in CSV_COLUMNS]


class ReportUnavailable(RuntimeError):
    """The Excel report module is not part of this installation."""


def _cell(value: Decimal | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return i18n.number(value, 2, "de")


def discrepancy_csv(result: ReconResult) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(csv_header())
    labels = checks.kind_labels()  # once per download, not per finding
    for d in result.discrepancies:
        writer.writerow([inert_cell_text(text) for text in (
            d.kind, labels.get(d.kind, d.kind), _cell(d.document_date), document_label(d) or "", d.order_number or "",
            d.position_item_id or "",
            _cell(d.expected), _cell(d.actual), _cell(d.difference), in_favour_label(d.in_favour_of), _cell(d.at_stake),
            " ".join(f"{e.file}:{e.line}" for e in d.evidence), d.message,
        )])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def file_stem(period: Period) -> str:
    """recon_2026-10-01_2026-10-31; an open start is named by the first day of the data when the period knows
    it (a written workbook's), else recon_bis_2026-11-02 for everything up to the as-of day."""
    hi = (period.shown_end or period.today()).isoformat()
    lo = period.shown_start
    if lo is None:
        return f"recon_{i18n.t('ui.download.until')}_{hi}"
    return f"recon_{lo.isoformat()}_{hi}"


@dataclass(frozen=True)
class ExcelReport:
    content: bytes
    stem: str  # the download's file name without .xlsx


def _writer() -> Callable[..., Any]:
    try:
        from recon.reports.workbook import report_workbook  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        raise ReportUnavailable(i18n.t("ui.download.unavailable")) from None
    writer: Callable[..., Any] = report_workbook
    return writer


def report_available() -> bool:
    """Whether the Excel report module (recon.reports, built separately) is installed."""
    try:
        _writer()
    except ReportUnavailable:
        return False
    return True


def excel_report(path: Path, period: Period) -> ExcelReport:
    """The workbook from recon.reports for the period, named by the days it covers; ReportUnavailable when that
    module is not installed."""
    report_workbook = _writer()
    with tempfile.TemporaryDirectory(prefix="recon-report-") as folder:
        target = Path(folder) / "report.xlsx"
        with reading(path) as db:
            data = report_workbook(db, target, as_of=period.today(),
                                   period=explicit_period(period.start, period.end, period.today()))
        return ExcelReport(target.read_bytes(), file_stem(data.period))
