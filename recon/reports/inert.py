"""Text from imported files must never run as a formula when a spreadsheet opens it (CSV/formula injection).

OWASP: a cell whose text starts with `=`, `+`, `-`, `@`, tab or carriage return may be taken for a formula
(`=HYPERLINK(...)` leaks data, `+cmd|...` ran DDE commands). In a workbook the fix is to store such text
as a string cell with the "quote prefix" style, which is what Excel itself does when a user types a
leading apostrophe: the cell shows the text exactly and editing it does not turn it into a formula.
In a CSV, where no cell style exists, the text gets a leading apostrophe instead.
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Characters an XLSX file cannot hold at all (XML 1.0 forbids them); openpyxl would refuse the whole file.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def needs_quote_prefix(text: str) -> bool:
    """True when a spreadsheet could read this text as a formula."""
    return text.startswith(FORMULA_TRIGGERS)


def xlsx_safe_text(text: str) -> str:
    """The text without characters XML cannot carry (each replaced by U+FFFD, so the loss is visible)."""
    return _ILLEGAL_XML.sub("\ufffd", text)


def inert_csv_text(text: str) -> str:
    """OWASP's CSV form: a leading apostrophe before text a spreadsheet would evaluate."""
    return "'" + text if needs_quote_prefix(text) else text
