"""German wording shared by the workbook, the HTML page and the mail text (one place to fix a term)."""

from __future__ import annotations

# What each discrepancy kind means, in the words an accountant uses.
KIND_LABELS = {
    "COMMISSION_MISMATCH": "Verkaufsprovision weicht vom Satz der Kategorie ab",
    "SHIPPING_COMMISSION_MISMATCH": "Versandkostenprovision falsch oder mehrfach berechnet",
    "BASE_FEE_MISMATCH": "Grundgebühr falsch, doppelt oder zu früh berechnet",
    "DUPLICATE_CHARGE": "Position mehrfach berechnet",
    "CHARGE_WITHOUT_SALE": "Provision ohne Verkauf",
    "MISSING_CHARGE": "Verkauf ohne Provision (zugunsten des Verkäufers)",
    "MISSING_CORRECTION": "Retoure ohne Provisionsgutschrift",
    "CORRECTION_MISMATCH": "Provisionsgutschrift weicht von der Provision ab",
    "DUE_DATE_MISMATCH": "Fälligkeit nicht Belegdatum + 14 Tage",
    "PAYOUT_MISMATCH": "Auszahlung weicht von ihren Zeilen oder Belegen ab",
    "SETTLEMENT_MISSING": "Fälliger Beleg in keiner Auszahlung",
    "SETTLEMENT_UNKNOWN": "Auszahlung enthält unbekannten Beleg",
    "RECEIPT_TOTAL_MISMATCH": "Kaufbeleg: Summe passt nicht zu den Positionen",
}

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
