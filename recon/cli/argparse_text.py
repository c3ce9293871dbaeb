"""argparse's own words (usage, options, its error messages) in the reader's language.

argparse looks them up through gettext, and Python ships no German catalogue for it, so a German `recon`
printed "usage:" and "the following arguments are required". The texts come from recon's one catalogue
(`[argparse]` in de.toml / en.toml); argparse's message ids are mapped to its keys here. argparse reads its
module-level `_` and `ngettext` at call time, which is the documented gettext hook this replaces.
"""

from __future__ import annotations

import argparse

from recon import i18n

# argparse's message id -> catalogue key (only what a user can see; internal programming errors stay as they are)
KEYS = {
    "usage: ": "usage",
    "options": "options",
    "positional arguments": "positional",
    "show this help message and exit": "help",
    "%(prog)s: error: %(message)s\n": "error",
    "argument %(argument_name)s: %(message)s": "argument",
    "expected one argument": "expected_one",
    "expected at least one argument": "expected_at_least_one",
    "expected at most one argument": "expected_at_most_one",
    "invalid %(type)s value: %(value)r": "invalid_value",
    "invalid choice: %(value)r (choose from %(choices)s)": "invalid_choice",
    "the following arguments are required: %s": "required",
    "unrecognized arguments: %s": "unrecognized",
    "ambiguous option: %(option)s could match %(matches)s": "ambiguous",
    "not allowed with argument %s": "not_allowed_with",
    "one of the arguments %s is required": "one_of_required",
    "ignored explicit argument %r": "ignored_explicit",
}
PLURAL_KEYS = {"expected %s argument": "expected_n"}


def text(message: str) -> str:
    key = KEYS.get(message)
    return i18n.t(f"argparse.{key}") if key else message


def plural_text(singular: str, plural: str, n: int) -> str:
    key = PLURAL_KEYS.get(singular)
    if key:
        return i18n.t(f"argparse.{key}")
    return singular if n == 1 else plural


def install() -> None:
    """Make argparse speak the catalogue's language (idempotent; called before the parser is built)."""
    argparse._ = text  # type: ignore[attr-defined]
    argparse.ngettext = plural_text  # type: ignore[attr-defined]
