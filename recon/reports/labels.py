"""Wording shared by the workbook, the HTML page and the mail text, from the catalogue (one place to fix a
term; the language is RECON_LANG when the report is written)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol, overload

from recon import i18n
from recon.engine import checks


class _KindLabels(Mapping[str, str]):
    """What each discrepancy kind means, in the words an accountant uses: read live from the registry of
    checks (recon.engine.checks), whose labels come from the catalogue, so a new kind is never blank."""

    def __getitem__(self, kind: str) -> str:
        return checks.by_kind()[kind].label()

    def __iter__(self) -> Iterator[str]:
        return iter(checks.kinds())

    def __len__(self) -> int:
        return len(checks.CHECKS)


KIND_LABELS: Mapping[str, str] = _KindLabels()

class _CatalogueLabels(Mapping[str, str]):
    """{code: text} read live from the catalogue (`report.labels.<prefix><code>`), so the language is the one
    in force when a report is written, not when this module was imported."""

    def __init__(self, prefix: str, codes: tuple[str, ...]) -> None:
        self._prefix, self._codes = prefix, codes

    def __getitem__(self, code: str) -> str:
        if code not in self._codes:
            raise KeyError(code)
        return i18n.t(f"report.labels.{self._prefix}{code}")

    def __iter__(self) -> Iterator[str]:
        return iter(self._codes)

    def __len__(self) -> int:
        return len(self._codes)


class Note(Protocol):
    """What a sheet's cap note needs: a sentence filled in by `format` (a str or a catalogue `_Note`)."""

    def format(self, **params: Any) -> str: ...


class _Note:
    """A catalogue sentence with placeholders, filled in by `format` in the language in force."""

    def __init__(self, key: str) -> None:
        self.key = key

    def format(self, **params: Any) -> str:
        return i18n.t(self.key, **params)


FAVOUR_LABELS: Mapping[str, str] = _CatalogueLabels("favour_", ("OTTO", "seller"))

# (label key, invoiced/actual total key, expected total key or None): the summary's money rows, gross EUR.
_TOTALS: tuple[tuple[str, str, str | None], ...] = (
    ("sales_gross", "sales_gross", None),
    ("refunds_gross", "refunds_gross", None),
    ("commission_gross", "invoiced_commission_gross", "expected_commission_gross"),
    ("shipping_commission_gross", "invoiced_shipping_commission_gross", "expected_shipping_commission_gross"),
    ("base_fee_gross", "invoiced_base_fee_gross", "expected_base_fee_gross"),
    ("corrections_gross", "corrections_gross", "expected_corrections_gross"),
    ("payouts_total", "payouts_total", None),
    ("net_to_seller", "invoiced_net_to_seller", "expected_net_to_seller"),
)


class _TotalRows(Sequence[tuple[str, str, str | None]]):
    """(label, invoiced/actual total key, expected total key or None), the label in the language in force."""

    @overload
    def __getitem__(self, index: int) -> tuple[str, str, str | None]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[str, str, str | None]]: ...

    def __getitem__(
        self, index: int | slice
    ) -> tuple[str, str, str | None] | Sequence[tuple[str, str, str | None]]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(_TOTALS))[index]]
        label, actual, expected = _TOTALS[index]
        return i18n.t(f"report.labels.{label}"), actual, expected

    def __len__(self) -> int:
        return len(_TOTALS)


TOTAL_ROWS: Sequence[tuple[str, str, str | None]] = _TotalRows()

SOURCE_KIND_LABELS: Mapping[str, str] = _CatalogueLabels(
    "source_", ("invoice", "correction", "payout", "receipts", "receipt_csv", "statement"))

# Notes under a sheet that was cut at the row limit ({shown}, {total}, {left} are filled in).
CAP_NOTE_FINDINGS = _Note("report.labels.cap_findings")
CAP_NOTE_ROWS = _Note("report.labels.cap_rows")
