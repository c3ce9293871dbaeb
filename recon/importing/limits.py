"""Caps on what one file may cost, checked on the raw bytes before anything expensive reads them.

Real OTTO files have 10 to 30 columns and lines of a few hundred bytes. A file far outside that (a million
columns, a 500 MB field, a line that never ends) would make polars or the csv module allocate gigabytes before
any validation could speak, so it is refused first, at the line where the cap is crossed. The caps are
documented for users in docs/limits.md; the JSON caps (depth, receipts per file) live with the receipts code.
"""

from __future__ import annotations

from decimal import Decimal

from recon import i18n, settings
from recon.importing.problems import reject

MAX_COLUMNS = 500  # fields per line (header or data)
MAX_LINE_BYTES = 65_536  # bytes per physical line
MAX_FIELD_BYTES = 32_768  # bytes per field (a quoted field may span lines)
MAX_FILE_MB = 512  # `$RECON_MAX_FILE_MB` overrides: an import needs about 9 x the file size in memory


def max_file_bytes() -> int:
    return int(settings.current().max_file_mb * 1024 * 1024)


def check_size(size: int) -> None:
    limit = max_file_bytes()
    if size > limit:
        raise reject(1, "", i18n.t("input.file_too_large", size=_mb(size), limit=_mb(limit)))


def _mb(size: int) -> str:
    return i18n.number(Decimal(size) / (1024 * 1024), 1) + " MB"


def check_lines(data: bytes) -> None:
    """Every physical line (the header first: its column count) within the caps; scanned at memory speed."""
    end = data.find(b"\n")
    header = data[: end if end >= 0 else min(len(data), MAX_LINE_BYTES * 16)]
    columns = header.count(b";") + 1
    if columns > MAX_COLUMNS:
        raise reject(1, "", i18n.t("input.too_many_columns", count=i18n.number(Decimal(columns), 0),
                                          limit=MAX_COLUMNS))
    start = 0
    while len(data) - start > MAX_LINE_BYTES:
        # The last line break within the cap; none means this line is longer than the cap.
        brk = data.rfind(b"\n", start, start + MAX_LINE_BYTES + 1)
        if brk < 0:
            line = data.count(b"\n", 0, start) + 1
            raise reject(line, "", i18n.t("input.line_too_long", limit=i18n.number(Decimal(MAX_LINE_BYTES), 0)))
        start = brk + 1


def field_too_long(line: int, field: str) -> Exception:
    return reject(line, field, i18n.t("input.field_too_long", limit=i18n.number(Decimal(MAX_FIELD_BYTES), 0)))
