"""Large, valid invoice files made quickly (polars builds the lines; no Python object per row)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polars as pl

from tests.conftest import INVOICE_HEADER

# Every row: gross 1.119,00, net 167,85, VAT 31,89, gross commission 199,74 (15 % of 1.119,00 = 167,85).
ROW_GROSS_COMMISSION = Decimal("199.74")


def invoice_lines(number: str, rows: int, start: int = 0) -> pl.Series:
    ids = pl.int_range(start, start + rows, eager=True).cast(pl.String).str.zfill(9)
    line = (
        pl.lit(f"{number};04.11.2026;18.11.2026;28.10.2026;03.11.2026;Verkaufsprovision;ORD-") + ids
        + pl.lit(";POS-") + ids
        + pl.lit(";29.10.2026 10:15:00;SKU-") + ids
        + pl.lit(";Moebel;1.119,00 EUR;15,00;167,85;19,00;31,89;199,74;EUR")
    )
    return pl.select(line.alias("line")).to_series()


def write_invoice(path: Path, number: str, rows: int) -> Path:
    """A windows-1252 file (the header's ä makes it so) with CRLF line ends and `rows` distinct rows."""
    with path.open("wb") as out:
        out.write((INVOICE_HEADER + "\r\n").encode("cp1252"))
        chunk = 200_000
        for start in range(0, rows, chunk):
            lines = invoice_lines(number, min(chunk, rows - start), start)
            out.write(("\r\n".join(lines.to_list()) + "\r\n").encode("ascii"))
    return path


def rows_for_size(size_bytes: int) -> int:
    sample = invoice_lines("PR-2026-000001", 1)[0]
    return size_bytes // (len(sample) + 2) + 1
