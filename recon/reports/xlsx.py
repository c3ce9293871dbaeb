"""Typed cells and table sheets for openpyxl's write-only mode.

Write-only mode streams rows to disk, so a sheet with 100 000 findings does not sit in memory as cell
objects; in exchange, freeze panes and column widths must be set before the first row and every cell
carries its own style. Amounts go in as Decimal, dates as real Excel dates, and every text passes through the
formula-injection guard in `recon.safety`. openpyxl prints a number through "%.16g" of a float, so an amount
such as 9999.97 lands as 9999.969999999999 (the same to the cent, not to the digit); the list sheets built from
frames (recon/reports/frame_sheet.py, cells without openpyxl's per-cell cost) write the exact decimal text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

from recon import i18n
from recon.reports.labels import Note
from recon.safety import needs_quote_prefix, xlsx_safe_text

EUR_FORMAT = "#,##0.00 €"
DATE_FORMAT = "DD.MM.YYYY"
MONTH_FORMAT = "MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
INT_FORMAT = "#,##0"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
NOTE_FONT = Font(italic=True, color="9C0006")
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_RIGHT = Alignment(wrap_text=True, vertical="top", horizontal="right")
INDENT = Alignment(indent=1)
DATA_WRAP = Alignment(wrap_text=True)  # bottom-aligned like the unwrapped cells beside it

Kind = Literal["text", "eur", "date", "month", "datetime", "int", "auto"]
Style = Literal["plain", "bold", "header", "header_right", "title", "note", "wrap", "indent"]


@dataclass(frozen=True)
class Column:
    """A table column: German header, cell kind, and width (None: fitted to the content)."""

    header: str
    kind: Kind
    width: float | None = None
    total: bool = False  # sum this column in the "Summe" row (eur and int columns)
    wrap: bool = False  # long text: wrap inside the column (a printed page stays readable)

    @property
    def header_style(self) -> Style:
        return "header_right" if self.kind in ("eur", "int", "date", "month", "datetime") else "header"


NUMBER_FORMATS: dict[str, str] = {
    "eur": EUR_FORMAT, "date": DATE_FORMAT, "month": MONTH_FORMAT, "datetime": DATETIME_FORMAT, "int": INT_FORMAT,
}


def cell(ws: Any, value: object, kind: Kind = "auto", style: Style = "plain") -> object:
    """One cell for `ws.append`. Text is always a string cell; text that could be a formula gets the quote
    prefix. Unstyled plain values go in as they are (openpyxl's cheapest path: 100 000-row sheets)."""
    if kind == "auto":
        kind = _kind_of(value)
    if isinstance(value, bool):
        value = "Ja" if value else "Nein"
    quote = False
    if isinstance(value, str):
        value = xlsx_safe_text(value)
        quote = needs_quote_prefix(value)
    number_format = "General" if value is None or isinstance(value, str) else NUMBER_FORMATS.get(kind, "General")
    if style == "plain" and not quote and number_format == "General":
        return value
    c = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        c.data_type = "s"  # openpyxl takes any string starting with "=" for a formula; this one is text
    c._style = _style(ws, number_format, style, quote)
    return c


def _style(ws: Any, number_format: str, style: Style, quote: bool) -> Any:
    """The cell style array for this combination, made once per workbook (setting fonts and formats
    cell by cell costs more than writing the cell)."""
    cache: dict[tuple[str, str, bool], Any] = ws.parent.__dict__.setdefault("_recon_styles", {})
    key = (number_format, style, quote)
    if key not in cache:
        proto = WriteOnlyCell(ws)
        proto.number_format = number_format
        proto.quotePrefix = quote
        if style == "bold":
            proto.font = BOLD
        elif style == "header":
            proto.font, proto.fill, proto.alignment = HEADER_FONT, HEADER_FILL, WRAP
        elif style == "header_right":
            proto.font, proto.fill, proto.alignment = HEADER_FONT, HEADER_FILL, HEADER_RIGHT
        elif style == "wrap":
            proto.alignment = DATA_WRAP
        elif style == "indent":
            proto.alignment = INDENT
        elif style == "title":
            proto.font = TITLE_FONT
        elif style == "note":
            proto.font = NOTE_FONT
        cache[key] = proto._style
    return cache[key]


def _kind_of(value: object) -> Kind:
    if isinstance(value, Decimal):
        return "eur"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    if isinstance(value, int) and not isinstance(value, bool):
        return "int"
    return "text"


def _display_len(value: object, kind: Kind) -> int:
    if value is None:
        return 0
    if kind in ("eur", "auto") and isinstance(value, Decimal):
        return len(f"{value:,.2f}") + 2
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    return len(str(value))


def header_width(header: str) -> int:
    """Width that shows a header on at most two lines (the header row is two lines high)."""
    return max(max(len(word) for word in header.split()), -(-len(header) // 2)) + 2


def fitted_widths(columns: Sequence[Column], rows: Sequence[Sequence[object]], sample: int = 2000) -> list[float]:
    """Column widths from the header and the first rows: wide enough to read, never wider than 60."""
    widths = []
    for i, col in enumerate(columns):
        if col.width is not None:
            widths.append(float(max(col.width, header_width(col.header))))
            continue
        longest = max([header_width(col.header)] + [_display_len(r[i], col.kind) + 2 for r in rows[:sample]])
        widths.append(float(min(max(longest, 9), 60)))
    return widths


def set_widths(ws: Any, widths: Sequence[float]) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def print_setup(ws: Any, *, landscape: bool = True, repeat_header: bool = True) -> None:
    """Fit every column on the page width, so a printed or PDF copy stays readable."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if repeat_header:
        ws.print_title_rows = "1:1"


def write_table(wb: Workbook, title: str, columns: Sequence[Column], rows: Iterable[Sequence[object]], *,
                cap: int | None = None, cap_note: Note = "") -> tuple[int, int]:
    """A sheet with one header row (frozen, with autofilter), the rows, a "Summe" row, and a note if capped.

    Only the first `cap` rows are written (Excel stops at 1 048 576 rows, and nobody reads more); the
    "Summe" row still covers every row, and the note says how many were left out.
    Returns (rows written, rows in total).
    """
    ws = wb.create_sheet(title)
    iterator = iter(rows)
    kept: list[Sequence[object]] = []
    for row in iterator:
        kept.append(row)
        if cap is not None and len(kept) >= cap:
            break
    ws.freeze_panes = "A2"
    widths = fitted_widths(columns, kept)
    set_widths(ws, widths)
    print_setup(ws)
    ws.row_dimensions[1].height = 30
    ws.append([cell(ws, col.header, "text", col.header_style) for col in columns])
    sums: dict[int, Any] = {i: (Decimal("0.00") if col.kind == "eur" else 0)
                            for i, col in enumerate(columns) if col.total}

    def add(row: Sequence[object]) -> None:
        for i in sums:
            if row[i] is not None:
                sums[i] += row[i]

    wrapped = [(i, widths[i]) for i, col in enumerate(columns) if col.wrap]
    for number, row in enumerate(kept, start=2):
        if wrapped:  # write-only rows do not grow by themselves: give wrapped text the lines it needs
            lines = max(_lines(row[i], width) for i, width in wrapped)
            if lines > 1:
                ws.row_dimensions[number].height = 15 * lines
        ws.append([cell(ws, value, col.kind, "wrap" if col.wrap else "plain")
                   for value, col in zip(row, columns, strict=True)])
        add(row)
    total = len(kept)
    for row in iterator:  # beyond the cap: counted and summed, not written
        total += 1
        add(row)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(kept) + 1}"
    if sums:
        ws.append([])
        label = "Summe" if total == len(kept) else f"Summe (alle {de_int(total)} Zeilen)"
        totals: list[object] = [cell(ws, label, "text", "bold")]
        if kept and total == len(kept):  # every row is on the sheet: the sum follows the autofilter
            totals += [subtotal_cell(ws, i, len(kept) + 1, columns[i].kind) if i in sums else None
                       for i in range(1, len(columns))]
        else:
            totals += [cell(ws, sums[i], columns[i].kind, "bold") if i in sums else None
                       for i in range(1, len(columns))]
        ws.append(totals)
    if total > len(kept):
        ws.append([])
        note = cap_note.format(shown=de_int(len(kept)), total=de_int(total), left=de_int(total - len(kept)))
        ws.append([cell(ws, note, "text", "note")])
        if sums:
            ws.append([cell(ws, i18n.t("report.labels.cap_sums"), "text", "note")])
    return len(kept), total



def subtotal_formula(column: int, last_row: int) -> str:
    """=SUBTOTAL(109, …) over a table column (0-based `column`, data rows 2..last_row): the sum of the rows
    the autofilter shows, so a filtered table sums what is visible (Excel and LibreOffice compute it)."""
    letter = get_column_letter(column + 1)
    return f"=SUBTOTAL(109,{letter}2:{letter}{last_row})"


def subtotal_cell(ws: Any, column: int, last_row: int, kind: Kind) -> object:
    c = WriteOnlyCell(ws, value=subtotal_formula(column, last_row))  # a formula of ours, never user text
    c._style = _style(ws, NUMBER_FORMATS.get(kind, "General"), "bold", False)
    return c


def _lines(value: object, width: float) -> int:
    """Lines a wrapped text needs in a column of this width (about one character per width unit)."""
    if not isinstance(value, str) or not value:
        return 1
    per_line = max(int(width) - 2, 1)
    return sum(-(-len(part) // per_line) or 1 for part in value.split("\n"))


def de_int(n: int) -> str:
    """An integer with German thousands dots: 100.000."""
    return f"{n:,}".replace(",", ".")
