"""List sheets written straight from polars frames: each row's XML is built for whole columns at once.

openpyxl spends ~25 µs per cell (a cell object, a style lookup, an XML element), which made the workbook of a
big seller's quarter take most of a minute. Here openpyxl still makes the sheet (column widths, frozen header,
autofilter, print setup, the header row, and the workbook around it: styles, defined names), but the table's
rows are built by polars string expressions over whole columns, in chunks, and spliced into the sheet's XML
before the workbook is saved. The sheet reads exactly as one written cell by cell through `xlsx.write_table`
(tests/test_report_frames.py compares both with openpyxl as the reader): the same values, types, styles and
number formats; amounts are written as their exact decimal text (never through a float).

Rows after the table (the "Summe" row, notes) are few and come from `xlsx.cell` values, serialised here too,
so the sheet's row numbers stay ours.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import polars as pl
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook import Workbook

from recon import i18n
from recon.reports.labels import Note
from recon.reports.xlsx import (
    NUMBER_FORMATS,
    Column,
    Kind,
    _style,
    cell,
    de_int,
    fitted_widths,
    print_setup,
    set_widths,
    subtotal_cell,
)
from recon.safety import FORMULA_TRIGGERS

CHUNK = 20_000  # rows built and written at a time: the XML of one chunk is ~12 MB of text
EPOCH = date(1899, 12, 30)  # Excel's day 0 (openpyxl's WINDOWS_EPOCH); days 1..60 are shifted by Excel's 1900 bug
# The same rules as recon.safety (xlsx_safe_text, needs_quote_prefix), as Rust regexes over whole columns.
_ILLEGAL_XML = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"
_TRIGGER = "\\A[" + "".join(f"\\x{{{ord(c):X}}}" for c in FORMULA_TRIGGERS) + "]"
_PLAIN_NUMBER = r"\A[+-]?\d+(?:[.,]\d+)*\z"


class TableSheet:
    """A list sheet whose rows are XML text of ours; `append` adds rows after the table (like ws.append)."""

    def __init__(self, wb: Workbook, title: str, columns: Sequence[Column]) -> None:
        self.wb, self.columns = wb, list(columns)
        self.ws = wb.create_sheet(title)
        self.next_row = 1
        self._segments: list[tuple[int, pl.DataFrame | list[Sequence[object]]]] = []

    def style_id(self, number_format: str, style: Any = "plain", quote: bool = False) -> int:
        return int(self.wb._cell_styles.add(_style(self.ws, number_format, style, quote)))

    def header(self, widths: Sequence[float], last_row: int) -> None:
        """Everything openpyxl writes before and around the rows, then the header row (through openpyxl)."""
        ws = self.ws
        ws.freeze_panes = "A2"
        set_widths(ws, widths)
        print_setup(ws)
        ws.row_dimensions[1].height = 30
        ws.auto_filter.ref = f"A1:{get_column_letter(len(self.columns))}{last_row}"
        ws.append([cell(ws, col.header, "text", col.header_style) for col in self.columns])
        self.next_row = 2

    def frame_rows(self, frame: pl.DataFrame) -> None:
        """The frame's rows (one column per table column, in order), from the next row on."""
        if frame.height:
            self._segments.append((self.next_row, frame))
            self.next_row += frame.height

    def append(self, values: Sequence[object]) -> None:
        """One row of plain values or `xlsx.cell` cells, as `ws.append` takes them."""
        if self._segments and isinstance(self._segments[-1][1], list):
            self._segments[-1][1].append(values)
        else:
            self._segments.append((self.next_row, [values]))
        self.next_row += 1

    def close(self) -> None:
        """Let openpyxl finish the sheet (header row and what follows sheetData), then put our rows in."""
        self.ws.close()
        path = Path(self.ws._writer.out)
        xml = path.read_bytes()
        end = xml.rindex(b"</sheetData>")
        with path.open("wb") as out:
            out.write(xml[:end])
            for first, segment in self._segments:
                if isinstance(segment, list):
                    out.write("".join(self._row_xml(first + i, values)
                                      for i, values in enumerate(segment)).encode("utf-8"))
                else:
                    for start in range(0, segment.height, CHUNK):
                        chunk = segment.slice(start, CHUNK)
                        out.write(self._frame_xml(chunk, first + start).encode("utf-8"))
            out.write(xml[end:])

    # --- rows from a frame, built per column ---------------------------------------------------------------

    def _frame_xml(self, frame: pl.DataFrame, first_row: int) -> str:
        number = pl.int_range(first_row, first_row + frame.height, eager=False).cast(pl.String)
        cells = [self._cell_expr(pl.col(name), frame.schema[name], col, get_column_letter(i), number)
                 for i, (name, col) in enumerate(zip(frame.columns, self.columns, strict=True), start=1)]
        row = pl.concat_str([pl.lit('<row r="'), number, pl.lit('">'), *cells, pl.lit("</row>")])
        return str(frame.select(row.str.join("")).item())

    def _cell_expr(self, value: pl.Expr, dtype: pl.DataType, col: Column, letter: str, number: pl.Expr) -> pl.Expr:
        if col.wrap:
            raise ValueError(f"frame sheets do not wrap text (row heights): {col.header}")
        ref = pl.concat_str([pl.lit(f'<c r="{letter}'), number, pl.lit('"')])
        kind = _kind_of_dtype(dtype) if col.kind == "auto" else col.kind
        if dtype == pl.String or dtype == pl.Boolean:
            text = (pl.when(value).then(pl.lit("Ja")).otherwise(pl.lit("Nein")) if dtype == pl.Boolean
                    else value.str.replace_all(_ILLEGAL_XML, "\ufffd"))
            return pl.when(text.is_null()).then(pl.lit("")).otherwise(self._text_cell(text, ref))
        number_format = NUMBER_FORMATS.get(kind, "General")
        if dtype.is_decimal() or dtype.is_integer():
            content = value.cast(pl.String)
        elif dtype == pl.Date and kind in ("date", "month"):
            days = (value - pl.lit(EPOCH)).dt.total_days()
            content = pl.when((days > 0) & (days <= 60)).then(days - 1).otherwise(days).cast(pl.String)
        else:
            raise TypeError(f"column {col.header!r}: no frame writer for {dtype} as {kind}")
        style = "" if number_format == "General" else f' s="{self.style_id(number_format)}"'
        return pl.when(value.is_null()).then(pl.lit("")).otherwise(
            pl.concat_str([ref, pl.lit(f'{style} t="n"><v>'), content, pl.lit("</v></c>")]))

    def _text_cell(self, text: pl.Expr, ref: pl.Expr) -> pl.Expr:
        """A string cell as openpyxl writes one: inline, `&<>` escaped, xml:space kept for edge blanks, the
        quote-prefix style when the text could be taken for a formula; an empty text is an empty string cell."""
        quote = text.str.contains(_TRIGGER) & ~text.str.contains(_PLAIN_NUMBER)
        style = pl.when(quote).then(pl.lit(f' s="{self.style_id("General", "plain", True)}"')).otherwise(pl.lit(""))
        stripped = text.str.strip_chars()
        space = pl.when((stripped != "") & (stripped != text)).then(pl.lit(' xml:space="preserve"')).otherwise(
            pl.lit(""))
        escaped = (text.str.replace_all("&", "&amp;", literal=True).str.replace_all("<", "&lt;", literal=True)
                   .str.replace_all(">", "&gt;", literal=True))
        full = pl.concat_str([ref, style, pl.lit(' t="inlineStr"><is><t'), space, pl.lit(">"), escaped,
                              pl.lit("</t></is></c>")])
        return pl.when(text == "").then(pl.concat_str([ref, pl.lit(' t="inlineStr"/>')])).otherwise(full)

    # --- rows of single cells ------------------------------------------------------------------------------

    def _row_xml(self, number: int, values: Sequence[object]) -> str:
        cells = "".join(self._one_cell(f"{get_column_letter(i)}{number}", v) for i, v in enumerate(values, start=1))
        return f'<row r="{number}">{cells}</row>'

    def _one_cell(self, ref: str, value: object) -> str:
        if value is None:
            return ""
        c = value if isinstance(value, Cell) else WriteOnlyCell(self.ws, value=value)
        style = f' s="{int(self.wb._cell_styles.add(c._style))}"' if c.has_style else ""
        v, kind = c._value, c.data_type
        if v is None:
            return f'<c r="{ref}"{style}/>'
        if kind == "s":
            text = str(v)
            if text == "":
                return f'<c r="{ref}"{style} t="inlineStr"/>'
            stripped = text.strip()
            space = ' xml:space="preserve"' if stripped and stripped != text else ""
            return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'
        if kind == "f":
            return f'<c r="{ref}"{style}><f>{escape(str(v)[1:])}</f><v></v></c>'
        if kind == "b":
            return f'<c r="{ref}"{style} t="b"><v>{_number_text(v)}</v></c>'
        return f'<c r="{ref}"{style} t="n"><v>{_number_text(v)}</v></c>'


def _number_text(value: object) -> str:
    """A number's text: Decimals exactly as they are (openpyxl would print them through a float)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date | datetime | time):
        return str(safe_string(to_excel(value)))
    return str(safe_string(value))


def _kind_of_dtype(dtype: pl.DataType) -> Kind:
    if dtype.is_decimal():
        return "eur"
    if dtype == pl.Date:
        return "date"
    if dtype == pl.Datetime:
        return "datetime"
    if dtype.is_integer():
        return "int"
    return "text"


@contextmanager
def frame_table(wb: Workbook, title: str, columns: Sequence[Column], frame: pl.DataFrame, *,
                cap: int | None = None, cap_note: Note = "") -> Iterator[TableSheet]:
    """`xlsx.write_table` for a frame whose columns are the table's, in order: the header row (frozen, with
    autofilter), the first `cap` rows, a "Summe" row over every row, and a note if capped. Rows appended
    inside the `with` follow the table; the sheet is finished when the block ends."""
    if frame.width != len(columns):
        raise ValueError(f"{title}: {frame.width} frame columns for {len(columns)} table columns")
    total = frame.height
    kept = total if cap is None else min(total, max(cap, 1))  # write_table keeps one row even for cap 0
    shown = frame.head(kept)
    sheet = TableSheet(wb, title, columns)
    sheet.header(fitted_widths(columns, shown.head(2000).rows()), kept + 1)
    sheet.frame_rows(shown)
    sums: dict[int, Any] = {}
    for i, col in enumerate(columns):
        if col.total:
            found: Any = frame.get_column(frame.columns[i]).sum()  # exact: Decimal or int
            sums[i] = (Decimal("0.00") if col.kind == "eur" else 0) + (found if found is not None else 0)
    ws = sheet.ws
    if sums:
        sheet.append([])
        label = "Summe" if total == kept else f"Summe (alle {de_int(total)} Zeilen)"
        totals: list[object] = [cell(ws, label, "text", "bold")]
        if kept and total == kept:  # every row is on the sheet: the sum follows the autofilter
            totals += [subtotal_cell(ws, i, kept + 1, columns[i].kind) if i in sums else None
                       for i in range(1, len(columns))]
        else:
            totals += [cell(ws, sums[i], columns[i].kind, "bold") if i in sums else None
                       for i in range(1, len(columns))]
        sheet.append(totals)
    if total > kept:
        sheet.append([])
        note = cap_note.format(shown=de_int(kept), total=de_int(total), left=de_int(total - kept))
        sheet.append([cell(ws, note, "text", "note")])
        if sums:
            sheet.append([cell(ws, i18n.t("report.labels.cap_sums"), "text", "note")])
    yield sheet
    sheet.close()


def write_frame_table(wb: Workbook, title: str, columns: Sequence[Column], frame: pl.DataFrame, *,
                      cap: int | None = None, cap_note: Note = "") -> None:
    """A list sheet with nothing after its table (see `frame_table`)."""
    with frame_table(wb, title, columns, frame, cap=cap, cap_note=cap_note):
        pass


def evidence(file: str = "file", line: str = "line") -> pl.Expr:
    """The "file:line" a row comes from (the Nachweis columns), spelt as f"{file}:{line}" spells it."""
    return pl.concat_str([pl.col(file).fill_null("None"), pl.lit(":"),
                          pl.col(line).cast(pl.String).fill_null("None")]).alias("evidence")


def empty_table(columns: Sequence[Column]) -> pl.DataFrame:
    """A frame with no rows for a table whose view returned nothing (the view's frame may have no columns)."""
    return pl.DataFrame({f"column_{i}": pl.Series([], dtype=pl.Null) for i in range(len(columns))})
