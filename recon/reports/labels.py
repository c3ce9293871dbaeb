"""German wording shared by the workbook, the HTML page and the mail text (one place to fix a term)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

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

FAVOUR_LABELS = {"OTTO": "OTTO", "seller": "Verkäufer"}

# (label, invoiced/actual total key, expected total key or None): the summary's money rows, gross EUR.
TOTAL_ROWS: list[tuple[str, str, str | None]] = [
    ("Umsätze (Kaufbelege)", "sales_gross", None),
    ("Erstattungen an Kunden", "refunds_gross", None),
    ("Verkaufsprovision", "invoiced_commission_gross", "expected_commission_gross"),
    ("Versandkostenprovision", "invoiced_shipping_commission_gross", "expected_shipping_commission_gross"),
    ("Grundgebühren", "invoiced_base_fee_gross", "expected_base_fee_gross"),
    ("Provisionskorrekturen (Gutschriften)", "corrections_gross", "expected_corrections_gross"),
    ("Auszahlungen", "payouts_total", None),
    ("Netto an den Verkäufer", "invoiced_net_to_seller", "expected_net_to_seller"),
]

SOURCE_KIND_LABELS = {
    "invoice": "Rechnungsdateien (CSV)",
    "correction": "Korrekturdateien (CSV)",
    "payout": "Auszahlungsdateien (CSV)",
    "receipts": "Kundenbelege (Receipts-JSON)",
}

# Notes under a sheet that was cut at the row limit ({shown}, {total}, {left} are filled in).
CAP_NOTE_FINDINGS = ("Nur die ersten {shown} von {total} Abweichungen sind aufgeführt ({left} weitere); "
                     "die vollständige Liste liefert `recon reconcile --json`.")
CAP_NOTE_ROWS = ("Nur die ersten {shown} von {total} Zeilen sind aufgeführt ({left} weitere); "
                 "für alle Zeilen einen kürzeren Zeitraum wählen (--period, --from/--to).")
