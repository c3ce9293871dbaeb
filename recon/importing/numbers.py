"""Document numbers: what makes two spellings the same document, and what no document number may contain.

A number is stored exactly as the file wrote it, but every uniqueness check compares its *key*: Unicode NFKC
(full-width `ＰＲ` is `PR`), without format characters (soft hyphen, zero-width space, BOM), case-folded and
trimmed. So `pr-2026-000042` or `PR-2026-000042` with a hidden soft hyphen is the document already stored, not a
new one whose commission would be counted twice. A number that *contains* a control or invisible character is
rejected outright: nobody types one, and what a person sees would not be what is stored.
"""

from __future__ import annotations

import unicodedata

import polars as pl

from recon import i18n

# Unicode categories no document number may contain: control (Cc) and format (Cf: soft hyphen, zero-width
# space/joiners, BOM, bidi marks) characters, plus the unassigned/private/surrogate ones.
INVISIBLE_CATEGORIES = ("Cc", "Cf", "Cn", "Co", "Cs")
# The same set for polars (Rust regex): one vectorised pass over a column.
INVISIBLE_PATTERN = r"[\p{Cc}\p{Cf}\p{Cn}\p{Co}]"


def is_identifier(field: str) -> bool:
    """Fields that name a document, order or position (their values are matched, so must be what one sees)."""
    return field.endswith("_number") or field in ("position_item_id", "sales_order_id")


def number_key(text: str) -> str:
    """The spelling-independent key of a document number (what uniqueness checks compare)."""
    if text.isascii() and text.isprintable():  # the usual number: nothing to normalise but case and spaces
        return text.lower().strip()
    normal = unicodedata.normalize("NFKC", text)
    visible = "".join(ch for ch in normal if unicodedata.category(ch) not in INVISIBLE_CATEGORIES)
    return visible.casefold().strip()


def number_keys(numbers: pl.Series) -> pl.Series:
    """`number_key` of every value (ASCII numbers, the usual case, go through polars in one pass)."""
    ascii_only = numbers.str.contains(r"^[\x20-\x7e]*$").fill_null(True).all()
    if ascii_only:
        return numbers.str.to_lowercase().str.strip_chars()
    return pl.Series(numbers.name, [None if v is None else number_key(v) for v in numbers.to_list()], pl.String)


def invisible_problem(text: str) -> str | None:
    """Why `text` cannot be a number: its first control or invisible character, named and placed; else None."""
    if text.isascii() and text.isprintable():  # checked in C: the usual number has none
        return None
    for position, ch in enumerate(text, start=1):
        if unicodedata.category(ch) in INVISIBLE_CATEGORIES:
            name = unicodedata.name(ch, "")
            shown = "".join(c for c in text if unicodedata.category(c) not in INVISIBLE_CATEGORIES)
            return i18n.t("input.invisible_character", shown=shown, position=position,
                          char=f"U+{ord(ch):04X}" + (f" {name}" if name else ""))
    return None
