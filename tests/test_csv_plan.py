"""The validation expressions are built once per layout and header shape (issue 16) and reused for every file of
that shape: a later file with the same header still gets its own exact reasons, in the language of the moment,
and a file whose amounts take the general parser (not the plain shape) gets a plan of its own."""

from __future__ import annotations

from decimal import Decimal

import pytest

from recon.importing import csv_kinds
from recon.importing.csv_table import read_table
from recon.importing.layouts import load_layouts
from recon.importing.problems import Rejected
from tests.conftest import invoice_csv, invoice_row


def _problems(data: bytes) -> list[str]:
    with pytest.raises(Rejected) as caught:
        csv_kinds.validate(read_table(data.decode("cp1252").encode("utf-8")), load_layouts()["invoice"])
    return caught.value.render("x.csv")


def _typed_totals(data: bytes) -> list[Decimal]:
    typed = csv_kinds.validate(read_table(data.decode("cp1252").encode("utf-8")), load_layouts()["invoice"])
    return list(typed["commission_gross"])


def test_a_clean_file_then_a_bad_one_with_the_same_header_names_the_bad_lines(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECON_LANG", "en")
    csv_kinds._plan.cache_clear()
    assert _typed_totals(invoice_csv([invoice_row(n=1), invoice_row(n=2)])) == [Decimal("21.24")] * 2
    assert csv_kinds._plan.cache_info().currsize == 1
    bad = invoice_csv([invoice_row(n=1), invoice_row(n=2, net="17.85.0"), invoice_row(n=3, vat="")])
    assert _problems(bad) == [
        "x.csv:3: field 'Provision netto': not an amount: '17.85.0' (expected e.g. 1.234,56)",
        "x.csv:4: field 'USt': value missing",
    ]
    # The bad file's amounts are no longer all of the plain shape: a second plan, the first one kept.
    assert csv_kinds._plan.cache_info().currsize == 2
    assert _typed_totals(invoice_csv([invoice_row(n=4, total="1.021,24")])) == [Decimal("1021.24")]
    assert csv_kinds._plan.cache_info().hits >= 1


def test_the_reasons_follow_the_language_of_the_moment(monkeypatch: pytest.MonkeyPatch) -> None:
    bad = invoice_csv([invoice_row(n=1, net="17,855")])
    monkeypatch.setenv("RECON_LANG", "en")
    assert _problems(bad) == ["x.csv:2: field 'Provision netto': amount '17,855' has more than 2 decimals"]
    monkeypatch.setenv("RECON_LANG", "de")
    assert _problems(bad) == ["x.csv:2: field 'Provision netto': Betrag '17,855' hat mehr als 2 Nachkommastellen"]
    monkeypatch.setenv("RECON_LANG", "en")
    assert _problems(bad) == ["x.csv:2: field 'Provision netto': amount '17,855' has more than 2 decimals"]


def test_a_blank_needed_value_in_a_plain_amount_column_is_still_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blank amount matches the plain shape (the column stays on the fast parser); the check still sees it."""
    monkeypatch.setenv("RECON_LANG", "en")
    data = invoice_csv([invoice_row(n=1), invoice_row(n=2, gross="")])
    assert _problems(data) == ["x.csv:3: field 'Bemessungsgrundlage brutto': value missing"]


def test_a_field_above_the_cap_on_one_line_is_refused_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The field cap is checked only when some line is longer than the cap: here one is (40,000 bytes)."""
    monkeypatch.setenv("RECON_LANG", "en")
    data = invoice_csv([invoice_row(n=1), invoice_row(n=2).replace("SKU-2", "x" * 40_000)])
    with pytest.raises(Rejected) as caught:
        read_table(data.decode("cp1252").encode("utf-8"))
    assert caught.value.render("x.csv") == [
        "x.csv:3: field 'Artikelnummer': this field is longer than 32,768 bytes: this is no value from an OTTO Market "
        "file"]


def test_blank_records_quoted_or_not_are_skipped_and_the_lines_keep_their_numbers() -> None:
    quoted_blank = ";".join(['""', '" "', *[""] * 16])  # all 18 fields, two of them quoted
    data = invoice_csv([invoice_row(n=1), quoted_blank, " ; ;", invoice_row(n=2)])
    table = read_table(data.decode("cp1252").encode("utf-8"))
    assert table.frame["__line"].to_list() == [2, 5]
    assert table.frame["c7"].to_list() == ["POS-0001", "POS-0002"]
    plain = read_table(invoice_csv([invoice_row(n=1), invoice_row(n=2)]).decode("cp1252").encode("utf-8"))
    assert plain.frame["__line"].to_list() == [2, 3]


@pytest.mark.parametrize("text", ["Möbel; Größe ½ °C ÿ", "Möbel € „Zitat“ – Ende", "plain ASCII"])
def test_windows_1252_with_and_without_its_own_characters_reads_as_the_same_text(text: str) -> None:
    from recon.importing.decoding import decode

    decoded = decode(f"a;b\n{text};x\n".encode("cp1252"))
    assert decoded.data.decode("utf-8") == f"a;b\n{text};x\n"
    assert decoded.encoding == "windows-1252"
