"""Every setting recon reads from outside its arguments, in one place: the `RECON_*` environment variables
(and the few others recon reads: the API credentials, XDG_CONFIG_HOME) and the fee table's `[settings]` (the
contract's due days and weekdays).

Why one module: a variable read in six places drifts (one module accepts `30s`, another silently falls back,
a third is never documented). Here each variable is declared once with its default and meaning; the
environment is parsed into the frozen `Settings` once per distinct environment, so a bad value is one
clear error naming the variable, and docs/settings.md is generated from `VARIABLES` (a test keeps it so).
No other module under recon/ reads `os.environ` (tests/test_settings.py greps for it).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
LANGUAGES = ("de", "en")


class SettingsError(ValueError):
    """A setting with a value recon cannot use; the message names the variable and the accepted form."""


@dataclass(frozen=True)
class Variable:
    """One environment variable: the `Settings` field it fills, its default as the docs show it, its meaning."""

    name: str
    attribute: str
    default: str
    meaning: str


VARIABLES = (
    Variable("RECON_DB", "db", "./recon.duckdb", "the DuckDB file every command and the dashboard use when no "
             "--db is given"),
    Variable("RECON_LANG", "lang", "de", "the language of messages, reports and the dashboard: de or en "
             "(anything else means German)"),
    Variable("RECON_AS_OF", "as_of", "today", "'today' of the dashboard for due-date checks, YYYY-MM-DD "
             "(recon dashboard --as-of sets it)"),
    Variable("RECON_DASHBOARD_PASSWORD_HASH", "dashboard_password_hash", "(none: no password)",
             "the accountant password of the dashboard as printed by recon dashboard --hash-password; "
             "uploads and fee edits need it"),
    Variable("RECON_LOCK_WAIT", "lock_wait", "30", "seconds a second recon waits for the database another "
             "one is writing, before it gives up"),
    Variable("RECON_MEMORY_LIMIT", "memory_limit", "512MB", "DuckDB's memory bound (it spills to a temporary "
             "file beside the database beyond it), e.g. 2GB"),
    Variable("RECON_CHECKPOINT_THRESHOLD", "checkpoint_threshold", "256MB", "how much write-ahead log DuckDB "
             "collects before it rewrites the database file, e.g. 64MB"),
    Variable("RECON_MAX_FILE_MB", "max_file_mb", "512", "the largest file recon import reads, in MB (an import "
             "needs about nine times the file size in memory)"),
    Variable("RECON_IMPORT_HELPER", "import_helper", "1", "0 turns off the helper process that parses large "
             "Receipts API pages in parallel"),
    Variable("RECON_DEBUG", "debug", "(off)", "1 shows the Python traceback of an unexpected import error "
             "instead of the one-line message"),
    Variable("OTTO_CLIENT_ID", "otto_client_id", "(none)", "the Receipts API client id for recon fetch "
             "(else client_id in the credentials file)"),
    Variable("OTTO_CLIENT_SECRET", "otto_client_secret", "(none)", "the Receipts API client secret for "
             "recon fetch (else client_secret in the credentials file)"),
    Variable("RECON_OTTO_CONFIG", "otto_config", "~/.config/recon/otto.toml", "the credentials file of recon "
             "fetch (a TOML file with client_id and client_secret, readable only by you)"),
    Variable("XDG_CONFIG_HOME", "xdg_config_home", "~/.config", "where the default credentials file "
             "recon/otto.toml lives, when RECON_OTTO_CONFIG is not set"),
    Variable("RECON_TEST_PAUSE_BEFORE_COMMIT", "test_pause_before_commit", "(off)", "for recon's own tests "
             "only: seconds to wait before every commit, or a file whose appearance ends the wait, so a test can "
             "kill the process mid-transaction"),
)


@dataclass(frozen=True)
class Settings:
    """The parsed environment. Build it with `current()` (or `from_environ` for a given mapping)."""

    db: Path = Path("recon.duckdb")
    lang: str = "de"
    as_of: date | None = None
    dashboard_password_hash: str | None = field(default=None, repr=False)
    lock_wait: float = 30.0
    memory_limit: str = "512MB"
    checkpoint_threshold: str = "256MB"
    max_file_mb: float = 512.0
    import_helper: bool = True
    debug: bool = False
    otto_client_id: str | None = field(default=None, repr=False)
    otto_client_secret: str | None = field(default=None, repr=False)
    otto_config: str | None = None
    xdg_config_home: str | None = None
    test_pause_before_commit: str | None = None  # seconds, or a file to wait for

    def today(self) -> date:
        """The as-of day when one is set, else the real date."""
        return self.as_of or date.today()


def _text(value: str) -> str:
    return value


def _language(value: str) -> str:
    code = value.lower()[:2]
    return code if code in LANGUAGES else "de"


def _day(value: str) -> date:
    return date.fromisoformat(value)


def _seconds(value: str) -> float:
    seconds = float(value)
    if not seconds >= 0 or seconds == float("inf"):
        raise ValueError(value)
    return seconds


def _megabytes(value: str) -> float:
    megabytes = float(value)
    if not 0 < megabytes < float("inf"):
        raise ValueError(value)
    return megabytes


def _size(value: str) -> str:
    digits = value.upper().rstrip("IB").rstrip("KMGT")
    float(digits)  # a number followed by a unit, as DuckDB takes it (64MB, 1.5GB, 512MiB)
    return value


def _switch(value: str) -> bool:
    if value not in ("0", "1"):
        raise ValueError(value)
    return value == "1"


# Each field's parser and the catalogue key (settings.expected.*) of the form it accepts.
_PARSERS: dict[str, tuple[Callable[[str], Any], str]] = {
    "db": (Path, "text"),
    "lang": (_language, "text"),
    "as_of": (_day, "date"),
    "dashboard_password_hash": (_text, "text"),
    "lock_wait": (_seconds, "seconds"),
    "memory_limit": (_size, "size"),
    "checkpoint_threshold": (_size, "size"),
    "max_file_mb": (_megabytes, "megabytes"),
    "import_helper": (_switch, "switch"),
    "debug": (lambda value: True, "text"),
    "otto_client_id": (_text, "text"),
    "otto_client_secret": (_text, "text"),
    "otto_config": (_text, "text"),
    "xdg_config_home": (_text, "text"),
    "test_pause_before_commit": (_text, "text"),
}


def from_environ(environ: Mapping[str, str]) -> Settings:
    """The settings an environment gives; unset or empty variables keep their defaults."""
    values: dict[str, Any] = {}
    for variable in VARIABLES:
        raw = environ.get(variable.name, "").strip()
        if not raw:
            continue
        parse, expected = _PARSERS[variable.attribute]
        try:
            values[variable.attribute] = parse(raw)
        except ValueError:
            raise SettingsError(_invalid(variable.name, raw, expected, environ)) from None
    return Settings(**values)


def _invalid(name: str, raw: str, expected: str, environ: Mapping[str, str]) -> str:
    from recon import i18n  # i18n takes its language from here: pass it explicitly, never via current()

    language = _language(environ.get("RECON_LANG", "de").strip())
    form = i18n.t(f"settings.expected.{expected}", language=language)
    return i18n.t("settings.invalid", language=language, name=name, value=raw, expected=form)


_loaded: tuple[tuple[str | None, ...], Settings] | None = None


def current() -> Settings:
    """The settings of this process, parsed once; parsed again only when a RECON_ variable changed (tests)."""
    global _loaded
    key = tuple(os.environ.get(variable.name) for variable in VARIABLES)
    if _loaded is None or _loaded[0] != key:
        _loaded = (key, from_environ(os.environ))
    return _loaded[1]


def child_environment(**overrides: str) -> dict[str, str]:
    """This process's environment with some variables set: for a child process (the dashboard server)."""
    return {**os.environ, **overrides}


@dataclass(frozen=True)
class ContractSettings:
    """The fee table's `[settings]`: the seller's contract terms, versioned with the fee table (a seller's
    override file may change them), so they travel with the `FeeTable`, not with the environment."""

    invoice_due_days: int = field(default=14, metadata={"meaning": "days from a fee invoice to its due date"})
    correction_due_days: int = field(default=14, metadata={"meaning": "days from a commission correction to "
                                                            "its due date"})
    receipt_due_days: int = field(default=14, metadata={"meaning": "days from a receipt to its payout"})
    settlement_weekday: str = field(default="thursday", metadata={"meaning": "the weekday OTTO pays out"})
    invoice_weekday: str = field(default="wednesday", metadata={"meaning": "the weekday OTTO issues fee "
                                                                  "invoices"})
    correction_grace_days: int = field(default=7, metadata={"meaning": "days a return may wait for its "
                                                              "commission correction before it is a finding"})
    payment_account_live: date | None = field(default=None, metadata={"meaning": "the day the payment account "
                                                                         "went live: base fees are due from the "
                                                                         "month after (else from the first one "
                                                                         "invoiced)"})
    payment_fee_in_commission: bool = field(default=False, metadata={"meaning": "the commission invoice carries "
                                                                        "the category commission minus the "
                                                                        "payment fee (checked together)"})

    def isodow(self, name: str) -> int:
        """ISO weekday number (Monday 1 ... Sunday 7), as DuckDB's isodow() counts."""
        return WEEKDAYS.index(name) + 1


def docs_table() -> str:
    """The Markdown tables of docs/settings.md, generated from the declarations above."""
    lines = ["| Variable | Default | Meaning |", "|---|---|---|"]
    lines += [f"| `{v.name}` | {v.default} | {v.meaning} |" for v in VARIABLES]
    lines += ["", "| `[settings]` key | Default | Meaning |", "|---|---|---|"]
    for item in fields(ContractSettings):
        default = "(none)" if item.default is None else str(item.default)
        lines.append(f"| `{item.name}` | {default} | {item.metadata['meaning']} |")
    return "\n".join(lines) + "\n"
