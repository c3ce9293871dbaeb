"""The registry of checks: one entry per discrepancy kind. Everything that lists kinds derives from it.

The engine runs each entry's SQL file (`queries/engine/<sql>.sql`, once even when it yields several kinds),
reports kinds in this order, the reports take the label from the catalogue (`finding.<KIND>.label`), and
the README's table of kinds is generated from it. A kind with no entry cannot be reported (the engine
refuses a row of an unknown kind), and a check file with no entry fails the registry test.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from recon import i18n
from recon.engine import messages
from recon.store import query


@dataclass(frozen=True)
class Check:
    kind: str
    sql: str | Path  # a name in queries/engine/, or a path to a SQL file (for checks outside the package)
    settlement: bool = False  # amounts as on the payout statement: a negative difference costs the seller
    explains: str | None = None  # the totals category its money belongs to (None: not an amount)
    reads_tie_out: bool = False  # runs after every other check, on the tie-out they leave (`tie_out`)
    # {language: {key: text}} for a check outside the package ("label", "message.<key>"); else the catalogue's
    # `finding.<KIND>.<key>`.
    texts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def _text(self, key: str, language: str | None) -> str:
        language = language or i18n.lang()
        own = self.texts.get(language, {}).get(key)
        return own if own is not None else i18n.t(f"finding.{self.kind}.{key}", language=language)

    def label(self, language: str | None = None) -> str:
        """What the kind means, in the words an accountant uses."""
        return self._text("label", language)

    def message(self, key: str, params: Mapping[str, str | None], language: str | None = None) -> str:
        """A finding's sentence: the template `message.<key>` with its parameters formatted for the language."""
        language = language or i18n.lang()
        return messages.render(self._text(f"message.{key}", language), params, language)

    def description(self, language: str | None = None) -> str:
        """What exactly is wrong when a finding of this kind appears (the README's table)."""
        key = f"finding.{self.kind}.description"
        if key in self.texts.get(language or i18n.lang(), {}) or not i18n.has(key, language):
            return self.label(language)
        return i18n.t(key, language=language)

    def text(self) -> str:
        return self.sql.read_text(encoding="utf-8") if isinstance(self.sql, Path) else query(f"engine/{self.sql}")


# Totals categories a kind explains (the lines of the summary's money table).
SALES, COMMISSION, SHIPPING, BASE_FEE, CORRECTIONS, PAYOUTS, PAYMENT_FEES = (
    "sales", "commission", "shipping_commission", "base_fee", "corrections", "payouts", "payment_fees")

# The contract's kinds, in the order reports list them; RECEIPT_TOTAL_MISMATCH extends the contract.
CHECKS: list[Check] = [
    Check("COMMISSION_MISMATCH", "check_commission", explains=COMMISSION),
    Check("SHIPPING_COMMISSION_MISMATCH", "check_shipping", explains=SHIPPING),
    Check("BASE_FEE_MISMATCH", "check_base_fee", explains=BASE_FEE),
    Check("DUPLICATE_CHARGE", "check_duplicate_charge", explains=COMMISSION),
    Check("CHARGE_WITHOUT_SALE", "check_charge_without_sale", explains=COMMISSION),
    Check("MISSING_CHARGE", "check_missing_charge", explains=COMMISSION),
    Check("MISSING_CORRECTION", "check_missing_correction", explains=CORRECTIONS),
    Check("CORRECTION_MISMATCH", "check_correction", explains=CORRECTIONS),
    Check("DUE_DATE_MISMATCH", "check_due_dates"),
    Check("PAYOUT_MISMATCH", "check_payouts", settlement=True, explains=PAYOUTS),
    Check("SETTLEMENT_MISSING", "check_payouts", settlement=True, explains=PAYOUTS),
    Check("SETTLEMENT_UNKNOWN", "check_payouts", settlement=True, explains=PAYOUTS),
    Check("RECEIPT_TOTAL_MISMATCH", "check_receipt_totals", explains=SALES),
    Check("STATEMENT_BALANCE_BREAK", "check_statement_balance", settlement=True),
    Check("PAYMENT_FEE_MISMATCH", "check_payment_fees", explains=PAYMENT_FEES),
    Check("UNEXPLAINED_DIFFERENCE", "check_unexplained_difference", reads_tie_out=True),
]


def kinds() -> tuple[str, ...]:
    return tuple(c.kind for c in CHECKS)


def by_kind() -> dict[str, Check]:
    return {c.kind: c for c in CHECKS}


def settlement_kinds() -> frozenset[str]:
    return frozenset(c.kind for c in CHECKS if c.settlement)


def files() -> list[Check]:
    """The first entry of each check file, in registry order (a file may yield several kinds)."""
    seen: dict[str | Path, Check] = {}
    for check in CHECKS:
        seen.setdefault(check.sql, check)
    return list(seen.values())


def kind_labels(language: str | None = None) -> dict[str, str]:
    return {c.kind: c.label(language) for c in CHECKS}


def readme_table(language: str = "en") -> str:
    """The README's table of kinds (a test keeps README.md equal to it)."""
    rows = ["| kind | what is wrong |", "| --- | --- |"]
    rows += [f"| `{c.kind}` | {c.description(language)} |" for c in CHECKS]
    return "\n".join(rows)
