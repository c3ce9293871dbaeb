"""The list sheets written from frames (recon/reports/frame_sheet.py) read exactly like the cell-by-cell workbook
they replace (tests/legacy_workbook.py): openpyxl, an independent reader, loads both and every sheet, cell value,
type, number format, font, fill, alignment, quote prefix, column width, row height, frozen pane, autofilter,
print setting and defined name must agree. The one intended difference: amounts are now written as their exact
decimal text, where openpyxl printed a Decimal through a float ("%.16g": 9999.97 became 9999.969999999999)."""

from __future__ import annotations

import dataclasses
import zipfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from recon.engine import Discrepancy, Evidence
from recon.importing import import_paths
from recon.period import explicit_period
from recon.reports.content import ReportData, collect
from recon.reports.frame_sheet import evidence
from recon.reports.workbook import SHEETS, build_workbook
from recon.simulate.quarter import simulate
from recon.simulate.write import write_quarter
from recon.store import Database, open_database
from tests.legacy_workbook import build_legacy_workbook

FRAME_SHEETS = ("Provisionen", "Auszahlungen", "Auszahlungszeilen", "Offene Posten", "Belege", "Kontoauszug")
EUR = "#,##0.00 €"


@pytest.fixture(scope="module")
def big_quarter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, date]]:
    """A simulated quarter of 3 000 orders (thousands of payout lines and open items, statements, faults)."""
    folder = tmp_path_factory.mktemp("frames")
    quarter = simulate(orders=3000, seed=11)
    write_quarter(quarter, folder / "data")
    db = open_database(folder / "recon.duckdb")
    assert import_paths(db, [folder / "data"]).exit_code == 0
    yield db, quarter.as_of
    db.close()


def both(data: ReportData, folder: Path, max_rows: int) -> tuple[Workbook, Workbook, Path]:
    old, new = folder / "old.xlsx", folder / "new.xlsx"
    build_legacy_workbook(data, max_rows).save(old)
    build_workbook(data, max_rows).save(new)
    return load_workbook(old), load_workbook(new), new


def same_number(old: Any, new: Any) -> bool:
    """Numbers agree to the cent: openpyxl wrote the old one through "%.16g" of a float."""
    return abs(Decimal(repr(old)) - Decimal(repr(new))) < Decimal("0.000001")


def style_of(c: Any) -> tuple[object, ...]:
    f, a = c.font, c.alignment
    return (c.number_format, f.b, f.i, f.sz, f.color.rgb if f.color is not None else None, c.fill.fill_type,
            c.fill.fgColor.rgb, a.horizontal, a.vertical, a.wrap_text, a.indent, c.quotePrefix)


def assert_same(old: Workbook, new: Workbook) -> int:
    """Every property a reader sees, sheet by sheet; returns the number of cells compared."""
    assert new.sheetnames == old.sheetnames == list(SHEETS)
    assert (new.properties.title, new.properties.creator) == (old.properties.title, old.properties.creator)
    assert new.calculation.fullCalcOnLoad == old.calculation.fullCalcOnLoad is True
    assert dict(new.defined_names) == dict(old.defined_names)
    cells = 0
    for title in old.sheetnames:
        a, b = old[title], new[title]
        assert (b.max_row, b.max_column) == (a.max_row, a.max_column), title
        assert b.freeze_panes == a.freeze_panes, title
        assert b.auto_filter.ref == a.auto_filter.ref, title
        assert b.print_title_rows == a.print_title_rows, title
        assert {k: (v.value, v.attr_text) for k, v in b.defined_names.items()} == {
            k: (v.value, v.attr_text) for k, v in a.defined_names.items()}, title
        setup = ("orientation", "paperSize", "fitToWidth", "fitToHeight")
        assert [getattr(b.page_setup, k) for k in setup] == [getattr(a.page_setup, k) for k in setup], title
        assert b.sheet_properties.pageSetUpPr.fitToPage == a.sheet_properties.pageSetUpPr.fitToPage, title
        assert {k: d.width for k, d in b.column_dimensions.items()} == {
            k: d.width for k, d in a.column_dimensions.items()}, title
        assert {k: d.height for k, d in b.row_dimensions.items() if d.height} == {
            k: d.height for k, d in a.row_dimensions.items() if d.height}, title
        for row_a, row_b in zip(a.iter_rows(), b.iter_rows(), strict=True):
            for x, y in zip(row_a, row_b, strict=True):
                cells += 1
                where = f"{title}!{x.coordinate}"
                assert y.data_type == x.data_type, where
                if isinstance(x.value, (int, float)) and not isinstance(x.value, bool):
                    assert isinstance(y.value, (int, float)), where
                    assert same_number(x.value, y.value), (where, x.value, y.value)
                else:
                    assert y.value == x.value, where
                assert style_of(y) == style_of(x), where
    return cells


def assert_exact_amounts(path: Path, wb: Workbook) -> int:
    """Every amount on the frame sheets is written as its decimal text: at most two places, no float tail."""
    count = 0
    for title in FRAME_SHEETS:
        for row in wb[title].iter_rows():
            for c in row:
                if c.number_format == EUR and isinstance(c.value, float):
                    assert Decimal(repr(c.value)).as_tuple().exponent >= -2, (title, c.coordinate, c.value)  # type: ignore[operator]
                    count += 1
    with zipfile.ZipFile(path) as z:
        assert "9999.969999999999" not in z.read("xl/worksheets/sheet5.xml").decode("utf-8")
    return count


def sample_data(books_path: Path) -> ReportData:
    """What the workbook shows of the sample books, all documents as of 2026-11-24."""
    db = open_database(books_path, read_only=True)
    try:
        as_of = date(2026, 11, 24)
        return collect(db, explicit_period(None, None, as_of), as_of)
    finally:
        db.close()


def test_sample_books_workbook_reads_the_same(books_path: Path, tmp_path: Path) -> None:
    data = sample_data(books_path)
    assert data.statement_lines.height > 0 and data.fee_documents.height > 0
    old, new, path = both(data, tmp_path, 50_000)
    assert assert_same(old, new) > 300
    assert_exact_amounts(path, new)


def test_thousands_of_statement_lines_and_documents_read_the_same(books_path: Path, tmp_path: Path) -> None:
    """The sample statements and fee documents repeated to thousands of rows (the findings cite the first copy)."""
    data = sample_data(books_path)
    lines, documents = data.statement_lines, data.fee_documents
    many_lines = pl.concat([lines.with_columns(pl.col("line") + 1000 * i) for i in range(400)])
    many_documents = pl.concat([documents] * 1500)
    assert many_lines.height > 3000 and many_documents.height > 1000
    rows = many_lines.select("file", "line", "sha").rows()
    cite = [  # a balance break cites the line before it too; both kinds on one line; lines far apart
        Discrepancy("STATEMENT_BALANCE_BREAK", None, None, None, None, None, None,
                    (Evidence(*rows[4]), Evidence(*rows[5])), "break"),
        Discrepancy("PAYMENT_FEE_MISMATCH", "ORD-1", None, None, None, Decimal("1.00"), Decimal("1.50"),
                    (Evidence(*rows[5]), Evidence(*rows[2999])), "fee"),
    ]
    result = dataclasses.replace(data.result, discrepancies=[*data.result.discrepancies, *cite])
    bigger = dataclasses.replace(data, statement_lines=many_lines, fee_documents=many_documents, result=result)
    for max_rows in (1000, 50_000):
        old, new, path = both(bigger, tmp_path, max_rows)
        assert assert_same(old, new) > 10_000
        assert assert_exact_amounts(path, new) > 2000
    ws = new["Kontoauszug"]  # all 3 000+ rows
    findings = [ws.cell(r, 13).value for r in range(2, 3002)]
    assert findings[4:6] == [None, "STATEMENT_BALANCE_BREAK, PAYMENT_FEE_MISMATCH"]
    assert findings[2999] == "PAYMENT_FEE_MISMATCH"
    assert sum(f is not None for f in findings) == 2


@pytest.mark.parametrize("max_rows", [50_000, 300, 0])
def test_generated_quarter_workbook_reads_the_same(big_quarter: tuple[Database, date], tmp_path: Path,
                                                   max_rows: int) -> None:
    """Thousands of rows, uncut (SUBTOTAL rows) and cut at the row limit (fixed sums and notes; 0 keeps one row,
    as it always did)."""
    db, as_of = big_quarter
    data = collect(db, explicit_period(None, None, as_of), as_of)
    assert data.payout_lines.height > 2000 and data.open_items.height > 300
    old, new, path = both(data, tmp_path, max_rows)
    assert assert_same(old, new) > (30_000 if max_rows == 50_000 else 5_000)
    assert assert_exact_amounts(path, new) > (2000 if max_rows == 50_000 else 300)


HOSTILE = ["=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "-12,30", "-1.2.3", "@SUM(A1)", "\tTab", "\rCR",
           "  leading", "trailing  ", "   ", "", "a & b <c> \"d\" 'e'", "ctrl\x01\x1fchar", "Ümlaut €", "line\nbreak"]


def test_hostile_text_and_large_amounts_read_the_same(big_quarter: tuple[Database, date], tmp_path: Path) -> None:
    """Text that looks like a formula, blanks at the edges, XML specials and characters XML cannot carry, empty
    text; amounts of thousands (where the float detour showed) and nulls."""
    db, as_of = big_quarter
    data = collect(db, explicit_period(None, None, as_of), as_of)
    lines = data.payout_lines.head(len(HOSTILE) * 20)
    n = lines.height
    hostile = pl.Series([HOSTILE[i % len(HOSTILE)] for i in range(n)])
    amounts = pl.Series([Decimal(9_999_97 - 7 * i).scaleb(-2) if i % 5 else None for i in range(n)],
                        dtype=pl.Decimal(18, 2))
    lines = lines.with_columns(document_number=hostile, order_number=hostile.reverse(), document_amount=amounts,
                               amount=amounts.reverse(), file=hostile)
    assert lines.select(evidence()).to_series()[0] == f"{HOSTILE[0]}:{lines['line'][0]}"
    old, new, path = both(dataclasses.replace(data, payout_lines=lines), tmp_path, 50_000)
    assert assert_same(old, new) > 1000
    ws = new["Auszahlungszeilen"]
    texts = [ws.cell(r, 4).value for r in range(2, 2 + len(HOSTILE))]
    assert texts == [None if t == "" else t.replace("\x01", "\ufffd").replace("\x1f", "\ufffd").replace("\r", "\n")
                     for t in HOSTILE]
    assert [ws.cell(r, 4).quotePrefix for r in range(2, 2 + len(HOSTILE))] == [
        True, True, False, False, True, True, True, False, False, False, False, False, False, False, False]
    assert ws.cell(2, 9).value is None and ws.cell(3, 9).value == 9999.90
    assert assert_exact_amounts(path, new) > 100
