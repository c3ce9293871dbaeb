"""Every way a fee file can be refused, in the reader's language: German by default, without English words.

The dashboard shows these as "Nicht gespeichert: …" and the CLI prints them, so each one is a sentence a
German accountant reads. TOML keys (valid_from, rate, tiers, …) stay literal so the reader finds them in the
file; a wrong value is quoted as written; entry dates read 01.03.2026. With RECON_LANG=en the text is English.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from recon.fees.table import FeeTableError, load_fee_file, load_fee_table
from tests.test_fee_tiers import BAD, _two_entries

MOEBEL = '[[commission]]\ncategory = "Möbel"\n'
ENTRY = "vertrag.toml: [[commission]] Eintrag 1"

CASES = [
    (MOEBEL + 'rate = "15.00"\nvalid_from = "01.01.2026"\n', f"{ENTRY}: kein ISO-Datum (JJJJ-MM-TT): '01.01.2026'"),
    (MOEBEL + 'rate = 15.5\nvalid_from = "2026-01-01"\n',
     f'{ENTRY}: Beträge und Sätze in Anführungszeichen schreiben ("15.00"), nicht als TOML-Kommazahl'),
    (MOEBEL + 'rate = "fünfzehn"\nvalid_from = "2026-01-01"\n', f"{ENTRY}: keine Zahl: 'fünfzehn'"),
    (MOEBEL + 'valid_from = "2026-01-01"\n', f"{ENTRY}: braucht 'rate' oder 'tiers' und 'valid_from'"),
    ('[[base_fee]]\nvalid_from = "2026-01-01"\n',
     "vertrag.toml: [[base_fee]] Eintrag 1: braucht 'net' und 'valid_from'"),
    (MOEBEL + 'rate = "15.00"\nvalid_from = "2026-03-01"\nvalid_to = "2026-01-31"\n',
     f"{ENTRY}: valid_to 31.01.2026 liegt vor valid_from 01.03.2026"),
    ('[[commission]]\nrate = "15.00"\nvalid_from = "2026-01-01"\n', f"{ENTRY}: braucht eine 'category'"),
    (MOEBEL + 'rate = "15.00"\nvalid_from = "2026-01-01"\n' + MOEBEL + 'rate = "16.00"\nvalid_from = "2026-03-01"\n',
     "vertrag.toml: zwei Einträge commission Möbel überschneiden sich (01.01.2026 und 01.03.2026)"),
    ('[settings]\nsettlement_day = "monday"\n', "unbekannte Einstellung(en): settlement_day"),
    ('[settings]\nsettlement_weekday = "Montag"\n', "Einstellung settlement_weekday: kein Wochentag: 'Montag'"),
    ('[settings]\npayment_account_live = "Mai 2026"\n',
     "Einstellung payment_account_live: kein ISO-Datum (JJJJ-MM-TT): 'Mai 2026'"),
    (MOEBEL + "rate = \n",
     "vertrag.toml: kein gültiges TOML in Zeile 3, Spalte 8 (Meldung des TOML-Lesers: „Invalid value“)"),
    (MOEBEL + "rate = ",
     "vertrag.toml: kein gültiges TOML, die Datei endet zu früh (Meldung des TOML-Lesers: „Invalid value“)"),
] + [(_two_entries(tiers), f"contract.toml: [[commission]] Eintrag 2 (Schmuck, ab 01.01.2026): {problem}")
     for tiers, problem in BAD]

# Words of the English messages; the German ones must contain none (TOML keys and quoted file values removed).
ENGLISH = re.compile(r"\b(entry|entries|tiers?|needs?|must|write|not|overlap|unknown|settings?|valid|cannot|read|"
                     r"from|and|or|both|only|last|open|above|between|amount|ascend|ends|empty|list|like|number|"
                     r"date|weekday|before|is|has|of|one|them|line|column|document|such|file)\b", re.IGNORECASE)
TOML_KEYS = re.compile(r"\[\[\w+\]\]|'[^']*'|\"[^\"]*\"|„[^“]*“|\{[^}]*\}|\b(valid_from|valid_to|up_to|rate|tiers|"
                       r"net|category|settlement_weekday|settlement_day|payment_account_live|commission|base_fee)\b")


def _refusal(text: str) -> str:
    name = "contract.toml" if "Schmuck" in text else "vertrag.toml"
    with pytest.raises(FeeTableError) as raised:
        load_fee_table(text, name)
    return str(raised.value)


@pytest.mark.parametrize(("text", "message"), CASES)
def test_every_fee_file_error_is_german_by_default(text: str, message: str) -> None:
    refused = _refusal(text)
    assert refused == message
    assert ENGLISH.findall(TOML_KEYS.sub("", refused)) == []


def test_an_unreadable_fee_file_says_why_in_german(tmp_path: Path) -> None:
    with pytest.raises(FeeTableError) as raised:
        load_fee_file(tmp_path / "fehlt.toml")
    assert str(raised.value) == f"{tmp_path / 'fehlt.toml'}: nicht lesbar: keine solche Datei"
    with pytest.raises(FeeTableError) as raised:
        load_fee_file(tmp_path)
    assert str(raised.value) == f"{tmp_path}: nicht lesbar: ist ein Ordner"


@pytest.mark.usefixtures("english")
def test_with_recon_lang_en_the_errors_read_as_before() -> None:
    assert _refusal(CASES[0][0]) == "vertrag.toml: [[commission]] entry 1: not an ISO date: '01.01.2026'"
    assert _refusal(CASES[7][0]) == "vertrag.toml: two commission Möbel entries overlap (2026-01-01 and 2026-03-01)"
    assert _refusal(CASES[8][0]) == "unknown setting(s): settlement_day"
    assert _refusal(CASES[11][0]) == "vertrag.toml: not valid TOML: Invalid value (at line 3, column 8)"
    assert _refusal(CASES[12][0]) == "vertrag.toml: not valid TOML: Invalid value (at end of document)"
    # the word check above would catch them: every English message has English words left after removing keys
    assert all(ENGLISH.findall(TOML_KEYS.sub("", _refusal(text))) for text, _ in CASES)
