"""Accounts and header data for the DATEV export: SKR03 defaults, overridable by a small TOML file.

Defaults (SKR03, the chart most small retailers' tax advisors use; check them with yours):

| key                         | SKR03 account                           | why                                    |
| --------------------------- | --------------------------------------- | -------------------------------------- |
| commission_expense          | 4760 Verkaufsprovisionen                | OTTO's sales commission                |
| shipping_commission_expense | 4760 Verkaufsprovisionen                | the same commission, on shipping costs |
| base_fee_expense            | 4900 Sonstige betriebliche Aufwendungen | a monthly platform fee                 |
| input_vat                   | 1576 Abziehbare Vorsteuer 19 %          | OTTO invoices German VAT on its fees   |
| clearing                    | 1360 Geldtransit                        | the OTTO Payments settlement account   |
| bank                        | 1200 Bank                               | where payouts arrive, debits leave     |
| receivables                 | 1410 Forderungen aus LuL o. Kontokorr.  | customer money (book_statement)        |
| payment_fee_expense         | 4970 Nebenkosten des Geldverkehrs       | payment fees (book_statement)          |
| statement_other             | 4900 Sonstige betriebliche Aufwendungen | other statement types (book_statement) |

4970 ("Nebenkosten des Geldverkehrs") is for payment-service charges, not for a sales commission, so it
is the default for the payment fees only. Many advisors give each marketplace its own transit account (e.g. 1361); set
`clearing` accordingly. SKR04 users set every account (e.g. 6770, 6300, 1406, 1460, 1800) and chart = "04".
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from recon import i18n


class SettingsError(ValueError):
    """An accounts file that cannot be used (unknown key, wrong type, impossible account number)."""


@dataclass(frozen=True)
class DatevSettings:
    commission_expense: int = 4760
    shipping_commission_expense: int = 4760
    base_fee_expense: int = 4900
    input_vat: int = 1576
    clearing: int = 1360
    bank: int = 1200
    # BU-Schlüssel for the fee bookings. Empty: net on the expense account and VAT on `input_vat` as
    # invoiced (exact to the cent). "9" (19 % Vorsteuer in SKR03): gross on the expense account and
    # DATEV computes the VAT, which can differ by a cent from OTTO's per-line rounding.
    tax_key: str = ""
    chart: str = "03"  # header field 27, Sachkontenrahmen
    account_length: int = 4  # header field 14, Sachkontenlänge
    # Beraternummer (1001 to 9999999) and Mandantennummer (1 to 99999): DATEV refuses a batch without
    # them. 0 means not set: the export stops, unless told to write them empty (--allow-empty-ids).
    consultant_number: int = 0
    client_number: int = 0
    fiscal_year_start_month: int = 1
    initials: str = ""  # Diktatkürzel, two letters at most
    lock: bool = False  # Festschreibung (header field 21 and column 114): False lets the advisor still correct
    # Payouts as bank bookings (bank Soll an clearing). Off: the adviser books the bank statement, which
    # carries the same money; booking it here too would book every payout twice (docs/datev.md).
    book_payouts: bool = False
    # The account statements (OTTO Payments, Ratepay) booked on `clearing` as the marketplace's own account:
    # customer money against `receivables`, payment fees against `payment_fee_expense`, other types against
    # `statement_other`, payouts (with book_payouts) from the statements instead of the payout CSVs. With the
    # fee documents and the seller's revenue bookings, `clearing` then nets to zero (docs/datev.md).
    book_statement: bool = False
    receivables: int = 1410
    payment_fee_expense: int = 4970
    statement_other: int = 4900

    def accounts(self) -> dict[str, int]:
        return {key: getattr(self, key) for key in ACCOUNT_KEYS}

    def missing_ids(self) -> list[str]:
        """The DATEV identifiers not set yet, by their key names (empty when both are)."""
        return [key for key in ("consultant_number", "client_number") if not getattr(self, key)]


ACCOUNT_KEYS = ("commission_expense", "shipping_commission_expense", "base_fee_expense", "input_vat", "clearing",
                "bank", "receivables", "payment_fee_expense", "statement_other")


def load_settings(path: Path | None) -> DatevSettings:
    """The defaults, with whatever the TOML file at `path` sets; None gives the defaults."""
    settings = DatevSettings()
    if path is None:
        return settings
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: {exc}") from None
    known = {f.name: f for f in fields(DatevSettings)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise SettingsError(f"{path}: unknown key(s) {', '.join(unknown)}; known: {', '.join(known)}")
    values: dict[str, Any] = {}
    for key, value in data.items():
        default = getattr(settings, key)
        if type(value) is not type(default):
            raise SettingsError(f"{path}: {key} must be {type(default).__name__}, not {value!r}")
        values[key] = value
    return validate(replace(settings, **values), str(path))


def validate(s: DatevSettings, where: str = "settings") -> DatevSettings:
    for key in ACCOUNT_KEYS:
        number = getattr(s, key)
        if not 1 <= number <= 999_999_999:
            raise SettingsError(f"{where}: {key} = {number} is not an account number (1 to 9 digits)")
    if s.tax_key and not (s.tax_key.isdigit() and len(s.tax_key) <= 4):
        raise SettingsError(f"{where}: tax_key must be up to 4 digits (e.g. \"9\"), not {s.tax_key!r}")
    if s.chart not in ("03", "04"):
        raise SettingsError(f"{where}: chart must be \"03\" or \"04\"")
    if not 4 <= s.account_length <= 8:
        raise SettingsError(f"{where}: account_length must be 4 to 8")
    if s.consultant_number and not 1001 <= s.consultant_number <= 9_999_999:
        raise SettingsError(i18n.t("datev.bad_consultant", where=where, value=s.consultant_number))
    if s.client_number and not 1 <= s.client_number <= 99_999:
        raise SettingsError(i18n.t("datev.bad_client", where=where, value=s.client_number))
    if not 1 <= s.fiscal_year_start_month <= 12:
        raise SettingsError(f"{where}: fiscal_year_start_month must be 1 to 12")
    if len(s.initials) > 2:
        raise SettingsError(f"{where}: initials has at most 2 characters")
    return s
