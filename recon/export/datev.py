"""DATEV "Buchungsstapel" (EXTF, header version 700, format version 13) for a period's fees and payouts.

What is booked (accounts from `DatevSettings`, SKR03 by default):
- each fee invoice, per service type: expense account Soll an OTTO clearing account; the VAT as invoiced
  on the input-VAT account Soll an clearing (with `tax_key` set: gross with that BU-Schlüssel instead);
- each correction the same way in the other direction (Haben), since it refunds commission;
- each payout, only with `book_payouts` (the bank statement books it otherwise): bank Soll an clearing;
- with `book_statement`, the account statements' customer money, payment fees and other types on the
  clearing account (and their payouts instead of the payout CSVs'), so that it nets to zero.
Sales and refunds to customers are not booked here: they come from the seller's own revenue bookings.

Format, as DATEV documents it (developer.datev.de, DATEV-Format, Buchungsstapel): semicolons, CRLF,
windows-1252, text fields in double quotes (inner quotes doubled, no control characters), amounts positive
with a decimal comma and no thousands separator (`^\\d{1,10},\\d{2}$`), S/H referring to field 7 (Konto),
Belegdatum as TTMM (the year comes from the header's period), Belegfeld 1 at most 36 characters of
letters, digits and `$ % - /`, Buchungstext at most 60 characters. Line 1 is the 31-field header,
line 2 the 125 column names, then one line per booking.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from itertools import groupby
from pathlib import Path
from typing import Any

from recon import i18n
from recon.export.datev_settings import DatevSettings
from recon.money import round_cent
from recon.period import Period
from recon.reports.atomic import write_text_atomically
from recon.safety import inert_cell_text
from recon.store import Database, query

ENCODING = "windows-1252"
FORMAT_VERSION = 13
ORIGIN = "RC"  # Herkunft (2 characters, replaced by "SV" on import)

# The 125 columns of format version 13, in order. The two 20-fold blocks are generated, not typed.
COLUMNS: tuple[str, ...] = (
    "Umsatz (ohne Soll/Haben-Kz)", "Soll/Haben-Kennzeichen", "WKZ Umsatz", "Kurs", "Basis-Umsatz",
    "WKZ Basis-Umsatz", "Konto", "Gegenkonto (ohne BU-Schlüssel)", "BU-Schlüssel", "Belegdatum", "Belegfeld 1",
    "Belegfeld 2", "Skonto", "Buchungstext", "Postensperre", "Diverse Adressnummer", "Geschäftspartnerbank",
    "Sachverhalt", "Zinssperre", "Beleglink",
    *(f"Beleginfo - {part} {n}" for n in range(1, 9) for part in ("Art", "Inhalt")),
    "KOST1 - Kostenstelle", "KOST2 - Kostenstelle", "Kost-Menge", "EU-Land u. UStID (Bestimmung)",
    "EU-Steuersatz (Bestimmung)", "Abw. Versteuerungsart", "Sachverhalt L+L", "Funktionsergänzung L+L",
    "BU 49 Hauptfunktionstyp", "BU 49 Hauptfunktionsnummer", "BU 49 Funktionsergänzung",
    *(name for n in range(1, 21) for name in (f"Zusatzinformation - Art {n}", f"Zusatzinformation- Inhalt {n}")),
    "Stück", "Gewicht", "Zahlweise", "Forderungsart", "Veranlagungsjahr", "Zugeordnete Fälligkeit", "Skontotyp",
    "Auftragsnummer", "Buchungstyp", "USt-Schlüssel (Anzahlungen)", "EU-Land (Anzahlungen)",
    "Sachverhalt L+L (Anzahlungen)", "EU-Steuersatz (Anzahlungen)", "Erlöskonto (Anzahlungen)", "Herkunft-Kz",
    "Buchungs GUID", "KOST-Datum", "SEPA-Mandatsreferenz", "Skontosperre", "Gesellschaftername",
    "Beteiligtennummer", "Identifikationsnummer", "Zeichnernummer", "Postensperre bis",
    "Bezeichnung SoBil-Sachverhalt", "Kennzeichen SoBil-Buchung", "Festschreibung", "Leistungsdatum",
    "Datum Zuord. Steuerperiode", "Fälligkeit", "Generalumkehr (GU)", "Steuersatz", "Land", "Abrechnungsreferenz",
    "BVV-Position", "EU-Land u. UStID (Ursprung)", "EU-Steuersatz (Ursprung)", "Abw. Skontokonto",
)
COL = {name: i for i, name in enumerate(COLUMNS)}
# Columns of type Text in DATEV's field table (1-based positions): a text field without content is still
# written as "" ; number, amount, account and date fields stay empty.
TEXT_POSITIONS: frozenset[int] = frozenset({
    2, 3, 6, 9, 11, 12, 14, 16, 20, *range(21, 37), 37, 38, 40, 42, *range(48, 88), 91, 95, 96, 98, 102, 103,
    105, 107, 109, 110, 112, 118, 120, 121, 123,
})
FILE_PREFIX = "EXTF_"
DEFAULT_NAME = "EXTF_Buchungsstapel_{period}.csv"
SERVICE_TEXT = {"Verkaufsprovision": "Verkaufsprovision", "Versandkostenprovision": "Versandkostenprovision",
                "Grundgebühr": "Grundgebühr"}
_NOT_IN_BELEGFELD = re.compile(r"[^A-Za-z0-9$%/_-]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class DatevPeriodError(ValueError):
    """A period DATEV cannot take as one batch (open-ended, or across a fiscal year boundary)."""


class DatevIdsMissing(ValueError):
    """Beraternummer or Mandantennummer not set: DATEV refuses such a batch on import."""


def follows_name_convention(path: Path) -> bool:
    """DATEV's import looks for EXTF_*.csv; another name is accepted but easily overlooked there."""
    return path.name.startswith(FILE_PREFIX) and path.suffix.lower() == ".csv"


@dataclass(frozen=True)
class Booking:
    amount: Decimal  # positive, two decimals
    side: str  # "S" or "H", for `account`
    account: int
    contra: int
    tax_key: str
    day: date
    reference: str  # Belegfeld 1: the OTTO document number
    text: str  # Buchungstext
    source_file: str

    @property
    def signed(self) -> Decimal:
        """The amount as a debit (Soll) on `account`: positive for S, negative for H."""
        return self.amount if self.side == "S" else -self.amount


@dataclass(frozen=True)
class DatevExport:
    path: Path
    period: Period
    bookings: list[Booking]


def fiscal_year_start(day: date, start_month: int) -> date:
    year = day.year if day.month >= start_month else day.year - 1
    return date(year, start_month, 1)


def check_period(period: Period, settings: DatevSettings) -> tuple[date, date]:
    """DATEV takes one batch per booking period inside one fiscal year: both ends must be known."""
    if period.start is None or period.end is None:
        raise DatevPeriodError(i18n.t("datev.open_period"))
    begin = fiscal_year_start(period.start, settings.fiscal_year_start_month)
    if fiscal_year_start(period.end, settings.fiscal_year_start_month) != begin:
        raise DatevPeriodError(i18n.t("datev.two_years", start=i18n.day(period.start), end=i18n.day(period.end)))
    return period.start, period.end


def _booking(amount: Decimal, account: int, contra: int, tax_key: str, day: date, number: str, text: str,
             file: str) -> Booking | None:
    amount = round_cent(amount)
    if amount == 0:
        return None
    return Booking(abs(amount), "S" if amount > 0 else "H", account, contra, tax_key, day, number, text, file)


def bookings_from_rows(rows: Iterable[Sequence[Any]], settings: DatevSettings) -> list[Booking]:
    """Bookings from `export/datev_documents` rows (ordered by document): per document its expense lines,
    one per service type, then one VAT line."""
    expense_account = {"Verkaufsprovision": settings.commission_expense,
                       "Versandkostenprovision": settings.shipping_commission_expense,
                       "Grundgebühr": settings.base_fee_expense}
    found: list[Booking | None] = []
    for (source, number), group in groupby(rows, key=lambda row: (row[0], row[1])):
        parts = list(group)
        day, file = parts[0][2], parts[0][8]
        if source == "payout":
            if not settings.book_payouts:
                continue
            gross = parts[0][6]
            text = f"OTTO {'Auszahlung' if gross >= 0 else 'Lastschrift'} {number}"
            found.append(_booking(gross, settings.bank, settings.clearing, "", day, number, text, file))
            continue
        prefix = "Korrektur " if source == "correction" else ""
        vat_total = Decimal("0.00")
        for _source, _number, _day, service, _net, vat, gross, _lines, _file in parts:
            text = f"OTTO {prefix}{SERVICE_TEXT.get(service, service)} {number}"
            account = expense_account.get(service, settings.commission_expense)
            if settings.tax_key:
                found.append(_booking(gross, account, settings.clearing, settings.tax_key, day, number, text, file))
            else:
                # VAT as invoiced; the expense takes the rest of the gross, so the clearing account sees the
                # gross exactly (a line whose net + VAT is not its gross is a discrepancy the engine reports).
                found.append(_booking(gross - vat, account, settings.clearing, "", day, number, text, file))
                vat_total += vat
        if not settings.tax_key:
            found.append(_booking(vat_total, settings.input_vat, settings.clearing, "", day, number,
                                  f"OTTO {prefix}Vorsteuer {number}", file))
    return [b for b in found if b is not None]


STATEMENT_TEXT = {"receipt": "Kundenzahlungen", "payment_fee": "Payment-Gebühren",
                  "payment_fee_refund": "Payment-Gebühren erstattet"}


def statement_bookings(rows: Iterable[Sequence[Any]], settings: DatevSettings) -> list[Booking]:
    """Bookings from `export/datev_statement` rows (book_statement): the statement as the marketplace's own
    account `clearing`. Customer money: clearing Soll an receivables (the seller's revenue bookings put it
    there); payment fees: payment_fee_expense Soll an clearing (no VAT: a payment service); other types:
    statement_other; payouts and direct debits (with book_payouts): bank Soll an clearing. Transactions
    settling fee documents are not in the rows: the documents book them."""
    found: list[Booking | None] = []
    for name, meaning, kind, day, transaction_id, amount, _count, file in rows:
        reference = transaction_id or f"KA-{day:%Y%m%d}"
        when = f"{day:%d.%m.%Y}"
        if meaning == "receipt":
            found.append(_booking(amount, settings.clearing, settings.receivables, "", day, reference,
                                  f"{name} {STATEMENT_TEXT[meaning]} {when}", file))
        elif meaning in ("payout", "direct_debit"):
            if settings.book_payouts:
                text = f"{name} {'Auszahlung' if amount <= 0 else 'Lastschrift'} {transaction_id}"
                found.append(_booking(-amount, settings.bank, settings.clearing, "", day, reference, text, file))
        elif meaning in STATEMENT_TEXT:
            found.append(_booking(-amount, settings.payment_fee_expense, settings.clearing, "", day, reference,
                                  f"{name} {STATEMENT_TEXT[meaning]} {when}", file))
        else:
            found.append(_booking(-amount, settings.statement_other, settings.clearing, "", day, reference,
                                  f"{name} {kind} {when}", file))
    return [b for b in found if b is not None]


def load_bookings(db: Database, date_from: date, date_to: date, settings: DatevSettings) -> list[Booking]:
    params = {"date_from": date_from, "date_to": date_to}
    rows = db.con.execute(query("export/datev_documents"), params).fetchall()
    if not settings.book_statement:
        return bookings_from_rows(rows, settings)
    # The statements' payouts are the money that reaches the bank: the payout CSVs' are not booked as well.
    bookings = bookings_from_rows(rows, replace(settings, book_payouts=False))
    bookings += statement_bookings(db.con.execute(query("export/datev_statement"), params).fetchall(), settings)
    return sorted(bookings, key=lambda b: b.day)


# --- the file --------------------------------------------------------------------------------------------

def _text(value: str, limit: int) -> str:
    """A quoted DATEV text field: no control characters, inner quotes doubled, cut to `limit`."""
    clean = _CONTROL.sub(" ", value)[:limit]
    return '"' + clean.replace('"', '""') + '"'


def belegfeld(value: str) -> str:
    """Belegfeld 1 keeps letters, digits and $ % / _ -, at most 36 (anything else becomes '-')."""
    return _NOT_IN_BELEGFELD.sub("-", value).strip("-")[:36]


def _amount(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def header_line(settings: DatevSettings, start: date, end: date, label: str, created_at: datetime) -> str:
    fields: list[str] = [
        '"EXTF"', "700", "21", '"Buchungsstapel"', str(FORMAT_VERSION),
        created_at.strftime("%Y%m%d%H%M%S") + f"{created_at.microsecond // 1000:03d}",  # 6 Erzeugt am
        "",  # 7 Importiert (set by DATEV)
        _text(ORIGIN, 2),  # 8 Herkunft
        _text("recon", 25),  # 9 Exportiert von
        '""',  # 10 Importiert von (set by DATEV)
        str(settings.consultant_number) if settings.consultant_number else "",  # 11 Berater
        str(settings.client_number) if settings.client_number else "",  # 12 Mandant
        fiscal_year_start(start, settings.fiscal_year_start_month).strftime("%Y%m%d"),  # 13 WJ-Beginn
        str(settings.account_length),  # 14 Sachkontenlänge
        start.strftime("%Y%m%d"), end.strftime("%Y%m%d"),  # 15, 16 Datum vom / bis
        _text(f"OTTO Market {label}", 30),  # 17 Bezeichnung
        _text(settings.initials, 2),  # 18 Diktatkürzel
        "1",  # 19 Buchungstyp: Finanzbuchführung
        "0",  # 20 Rechnungslegungszweck: unabhängig
        "1" if settings.lock else "0",  # 21 Festschreibung
        '"EUR"',  # 22 WKZ
        "", '""', "", "",  # 23 reserviert, 24 Derivatskennzeichen, 25, 26 reserviert
        _text(settings.chart, 2),  # 27 SKR
        "", "",  # 28 Branchenlösungs-ID, 29 reserviert
        '""', '""',  # 30 reserviert, 31 Anwendungsinformation
    ]
    assert len(fields) == 31
    return ";".join(fields)


def booking_line(b: Booking, lock: bool = False) -> str:
    cells = ['""' if position in TEXT_POSITIONS else "" for position in range(1, len(COLUMNS) + 1)]
    cells[COL["Umsatz (ohne Soll/Haben-Kz)"]] = _amount(b.amount)
    cells[COL["Soll/Haben-Kennzeichen"]] = f'"{b.side}"'
    cells[COL["WKZ Umsatz"]] = '"EUR"'
    cells[COL["Konto"]] = str(b.account)
    cells[COL["Gegenkonto (ohne BU-Schlüssel)"]] = str(b.contra)
    cells[COL["BU-Schlüssel"]] = f'"{b.tax_key}"'
    cells[COL["Belegdatum"]] = b.day.strftime("%d%m")
    cells[COL["Belegfeld 1"]] = _text(belegfeld(b.reference), 36)
    cells[COL["Buchungstext"]] = _text(b.text, 60)
    cells[COL["Beleginfo - Art 1"]] = _text("Quelldatei", 20)
    # The file name comes from outside: never let a spreadsheet that opens this CSV run it as a formula.
    cells[COL["Beleginfo - Inhalt 1"]] = _text(inert_cell_text(b.source_file), 210)
    cells[COL["Festschreibung"]] = "1" if lock else "0"
    return ";".join(cells)


def datev_text(bookings: Sequence[Booking], settings: DatevSettings, start: date, end: date, label: str,
               created_at: datetime) -> str:
    lines = [header_line(settings, start, end, label, created_at), ";".join(COLUMNS)]
    lines += [booking_line(b, settings.lock) for b in bookings]
    return "\r\n".join(lines) + "\r\n"


def write_datev(db: Database, path: Path, period: Period, as_of: date, settings: DatevSettings,
                created_at: datetime | None = None, allow_empty_ids: bool = False) -> DatevExport:
    """Book the period's fee documents (and payouts, when set) up to as-of into an EXTF file."""
    missing = settings.missing_ids()
    if missing and not allow_empty_ids:
        raise DatevIdsMissing(i18n.t("datev.ids_missing", keys=", ".join(missing)))
    start, end = check_period(period, settings)
    bookings = load_bookings(db, start, min(end, as_of), settings)
    text = datev_text(bookings, settings, start, end, period.label, created_at or datetime.now())
    # windows-1252 as DATEV expects; a character it cannot hold becomes '?' rather than failing the export.
    write_text_atomically(path, text.encode(ENCODING, errors="replace").decode(ENCODING), encoding=ENCODING)
    return DatevExport(path, period, bookings)
