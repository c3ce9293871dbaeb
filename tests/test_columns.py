"""Files that name columns differently: `recon columns`, written and saved mappings, detection, tolerances."""

from __future__ import annotations

import csv
import io
from contextlib import closing
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from recon import i18n
from recon.cli import main
from recon.importing import import_bytes, import_paths
from recon.importing.csv_kinds import validate
from recon.importing.csv_table import read_table
from recon.importing.layouts import Column, load_layouts
from recon.importing.mapping import Sample, detect, propose, read_sample, shape
from recon.importing.saved_mappings import (
    MappingError,
    check_mapping,
    mapping_for,
    mapping_toml,
    save_mapping,
    saved_versions,
)
from recon.store import Database, open_database
from tests.conftest import SAMPLES, invoice_csv, invoice_row

# Per reference file: how a real export might name its columns instead (the rest keep their names).
RENAMES = {
    "invoice_PR-2026-000042.csv": {
        "Rechnungsnummer": "Rechnungs-Nr.", "Positions-ID": "Positionsnummer",
        "Bemessungsgrundlage brutto": "Verkaufspreis brutto", "Provision netto": "Nettobetrag",
        "Fälligkeitsdatum": "FAELLIGKEITS-DATUM", "Provision brutto": "Bruttobetrag",
        "USt": "MwSt.-Betrag",
    },
    "invoice_GG-2026-11.csv": {
        "Rechnungsnummer": "Rechnung Nummer", "Rechnungsdatum": "Rechnung vom",
        "Provision netto": "Nettobetrag", "Provision brutto": "Bruttobetrag", "USt-Satz": "MwSt-Satz %",
    },
    "correction_PK-2026-000007.csv": {
        "Korrekturnummer": "Korrektur-Nummer", "Positions-ID": "Positionsnummer",
        "Bezug Rechnungsnummer": "Bezug Rechnungs-Nr", "Provision netto": "Nettobetrag",
        "Bemessungsgrundlage brutto": "Verkaufspreis brutto", "Retourendatum": "Retoure am",
    },
    "payout_AZ-2026-000030.csv": {
        "Auszahlungsnummer": "Auszahlung Nr.", "Auszahlungsbetrag": "Auszahlung Betrag", "Belegnummer": "Beleg-Nr",
        "Betrag": "Betrag (EUR)",
    },
    "payout_AZ-2026-000031.csv": {
        "Auszahlungsdatum": "Datum der Auszahlung", "Belegart": "Art des Belegs", "Belegdatum": "Beleg vom",
    },
}
EXPECTED_KIND = {"invoice_PR-2026-000042.csv": "invoice", "invoice_GG-2026-11.csv": "invoice",
                 "correction_PK-2026-000007.csv": "correction", "payout_AZ-2026-000030.csv": "payout",
                 "payout_AZ-2026-000031.csv": "payout"}


def _read(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    text = data[3:].decode("utf-8") if data.startswith(b"\xef\xbb\xbf") else data.decode("cp1252")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def renamed(name: str, target: Path) -> tuple[Path, list[str]]:
    """The reference file with renamed columns in reversed order; also its original header, reordered alike."""
    rows = _read(SAMPLES / name)
    original = list(reversed(rows[0]))
    rows = [list(reversed(r)) for r in rows]
    rows[0] = [RENAMES[name].get(h, h) for h in rows[0]]
    target.write_bytes(("\r\n".join(";".join(r) for r in rows) + "\r\n").encode("cp1252"))
    return target, original


def _stored(db: Database, table: str) -> list[tuple[object, ...]]:
    return db.con.execute(
        f"SELECT * EXCLUDE (source_sha256, source_line, extra) FROM {table} ORDER BY source_line"  # noqa: S608
    ).fetchall()


TABLE = {"invoice": "invoice_lines", "correction": "correction_lines", "payout": "payout_lines"}


@pytest.mark.parametrize("name", sorted(RENAMES))
def test_columns_proposes_the_reference_mapping_for_a_renamed_reordered_header(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, original = renamed(name, tmp_path / name)
    kind = EXPECTED_KIND[name]
    proposal = propose(read_sample(path.read_bytes().decode("cp1252")), load_layouts()[kind])
    reference = load_layouts()[kind]
    expected = {reference.field_for_header(h): i for i, h in enumerate(original) if reference.field_for_header(h)}
    assert proposal.chosen() == expected
    assert proposal.complete and not proposal.ambiguous
    assert main(["columns", str(path), "--db", str(tmp_path / "none.duckdb")]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"Dateiart: {i18n.t(f'columns.kind.{kind}')} ({kind})"
    assert "Jedes nötige Feld hat eine eindeutige Spalte." in out


@pytest.mark.parametrize("name", sorted(RENAMES))
def test_the_written_mapping_imports_exactly_the_reference_values(name: str, tmp_path: Path) -> None:
    path, _ = renamed(name, tmp_path / name)
    kind = EXPECTED_KIND[name]
    mapping = tmp_path / "map.toml"
    assert main(["columns", str(path), "--write", str(mapping), "--db", str(tmp_path / "none.duckdb")]) == 0
    with closing(open_database(tmp_path / "renamed.duckdb")) as db:
        report = import_paths(db, [path], layouts_file=mapping)
        assert [(f.status, f.kind) for f in report.files] == [("imported", kind)], report.files[0].problems
        got = _stored(db, TABLE[kind])
    with closing(open_database(tmp_path / "reference.duckdb")) as db:
        assert import_paths(db, [SAMPLES / name]).exit_code == 0
        want = _stored(db, TABLE[kind])
    assert got == want
    assert len(got) == len(_read(SAMPLES / name)) - 1


# --- a header that fits nothing, ties, adversarial headers ---------------------------------------------------

def test_a_header_that_fits_nothing_lists_what_was_found_and_what_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bank = tmp_path / "bank.csv"
    bank.write_bytes("Buchungstag;Betrag;Verwendungszweck\r\n01.11.2026;12,50;Miete\r\n".encode("cp1252"))
    assert main(["columns", str(bank), "--db", str(tmp_path / "none.duckdb")]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert lines[0] == ("recon columns: die Kopfzeile passt zu keiner bekannten Dateiart; gefundene Spalten: "
                        "'Buchungstag', 'Betrag', 'Verwendungszweck'")
    assert len(lines) == 1 + len(load_layouts())  # one line per kind, also kinds added later
    assert {
        "  Auszahlungsavis (payout): es fehlen payout_number, payout_date, payout_total, document_type, "
        "document_number, order_number, currency",
        "  Provisionskorrektur (correction): es fehlen correction_number, correction_date, due_date, "
        "ref_invoice_number, service_type, order_number, position_item_id, base_gross, commission_net, vat_rate, "
        "vat, commission_gross, currency",
        "  Provisionsrechnung (invoice): es fehlen invoice_number, invoice_date, due_date, service_type, "
        "order_number, position_item_id, shipped_at, category, base_gross, commission_net, "
        "vat_rate, vat, commission_gross, currency",
    } <= set(lines[1:])


def _sample(header: list[str], *rows: list[str]) -> Sample:
    return Sample(header, [list(r) for r in rows])


INVOICE_FIELDS = ["Rechnungsnummer", "Rechnungsdatum", "Fälligkeitsdatum", "Leistungsart", "Auftragsnummer",
                  "Positions-ID", "Versanddatum", "Produktkategorie", "Provisionssatz", "USt-Satz", "USt", "Währung"]
INVOICE_VALUES = ["PR-2026-000100", "04.11.2026", "18.11.2026", "Verkaufsprovision", "ORD-0001",
                  "3f2a9c1e-0b7d-4c55-9e61-7a1d2b3c4d01", "29.10.2026 10:15:00", "Möbel", "15,00", "19,00", "3,39",
                  "EUR"]


def _invoice_with(extra_header: list[str], extra_values: list[str]) -> Sample:
    return _sample(INVOICE_FIELDS + extra_header, INVOICE_VALUES + extra_values)


def test_two_amount_columns_with_unclear_names_are_never_guessed() -> None:
    """'Provision' and 'Provision gesamt' could each be net or gross: a human decides, nothing is written."""
    sample = _invoice_with(["Bemessungsgrundlage", "Provision", "Provision gesamt"], ["119,00", "17,85", "21,24"])
    proposal = propose(sample, load_layouts()["invoice"])
    assert proposal.match("base_gross").how == "alias"
    net, gross = proposal.match("commission_net"), proposal.match("commission_gross")
    assert (net.how, gross.how) == ("ambiguous", "ambiguous")
    assert set(net.candidates) == set(gross.candidates) == {13, 14}
    assert not proposal.complete


def test_plain_amount_columns_without_any_telling_name_stay_unmapped() -> None:
    sample = _invoice_with(["Bemessungsgrundlage", "Betrag 1", "Betrag 2"], ["119,00", "17,85", "21,24"])
    proposal = propose(sample, load_layouts()["invoice"])
    assert [proposal.match(f).how for f in ("commission_net", "commission_gross")] == ["missing", "missing"]
    assert proposal.unused == (13, 14)


def test_values_veto_a_name_an_amount_never_holds_ids_or_dates_and_an_id_never_amounts() -> None:
    sample = _invoice_with(
        ["Bemessungsgrundlage", "Nettobetrag", "Bruttobetrag", "Bestellnummer 2"],
        ["119,00", "3f2a9c1e-0b7d-4c55-9e61-7a1d2b3c4d09", "04.11.2026", "17,85"],
    )
    sample = replace(sample, headers=[h if h != "Auftragsnummer" else "Kundenreferenz" for h in sample.headers])
    proposal = propose(sample, load_layouts()["invoice"])
    # 'Nettobetrag' holds an id, 'Bruttobetrag' a date: neither becomes an amount field
    assert proposal.match("commission_net").how == "missing"
    assert proposal.match("commission_gross").how == "missing"
    # 'Bestellnummer 2' is named like the order number but holds amounts: not the order number
    assert proposal.match("order_number").column != 15
    assert 15 in proposal.unused


def test_integers_are_not_amounts_and_a_rate_is_not_a_large_amount() -> None:
    assert shape(["1001", "1002"]) == "number"
    assert shape(["17,85", "1.234,56 €", "EUR 3,00"]) == "amount"
    assert shape(["04.11.2026", "05.11.2026 10:00"]) == "date"
    assert shape(["04.11.2026 10:00:00"]) == "datetime"
    sample = _invoice_with(["Bemessungsgrundlage", "Netto Provision", "Brutto Provision", "Provision netto"],
                           ["119,00", "10017", "10018", "17,85"])
    proposal = propose(sample, load_layouts()["invoice"])
    assert proposal.match("commission_gross").how == "missing"  # integers: maybe ids, never guessed


def test_a_column_named_like_one_field_holding_another_fields_values_goes_to_the_field_its_values_fit() -> None:
    # 'Versandtermin' resembles the shipping date but holds amounts; 'Versand' resembles it and holds date-times.
    header = [h for h in INVOICE_FIELDS if h != "Versanddatum"] + [
        "Bemessungsgrundlage", "Provision netto", "Provision brutto", "Versandtermin", "Versand am"]
    values = [v for v in INVOICE_VALUES if v != "29.10.2026 10:15:00"] + [
        "119,00", "17,85", "21,24", "5,95", "29.10.2026 10:15:00"]
    proposal = propose(_sample(header, values), load_layouts()["invoice"])
    shipped = proposal.match("shipped_at")
    assert (shipped.how, header[shipped.column or 0]) == ("suggested", "Versand am")


def test_two_kinds_that_fit_equally_are_both_named_and_kind_is_asked_for(db: Database) -> None:
    layouts = load_layouts()
    layouts["twin"] = replace(layouts["invoice"], kind="twin", label="twin")  # a new kind: covered automatically
    data = invoice_csv([invoice_row()], header=_header_with({"Rechnungsnummer": "Rechnung Nr"}))
    found = detect(read_sample(data.decode("cp1252")), layouts)
    assert (found.best and found.best.kind, found.tied) == ("invoice", ("twin",))
    result = import_bytes(db, "x.csv", data, layouts=layouts)
    assert result.problems == [
        "x.csv:1: die Kopfzeile passt gleich gut zu invoice, twin: bitte mit --kind angeben, welche Art die Datei ist"
    ]


def _header_with(renames: dict[str, str]) -> str:
    from tests.conftest import INVOICE_HEADER

    return ";".join(renames.get(h, h) for h in INVOICE_HEADER.split(";"))


def test_an_import_of_a_renamed_header_says_what_recon_would_map(db: Database) -> None:
    data = invoice_csv([invoice_row()], header=_header_with(
        {"Rechnungsnummer": "Rechnung Nr", "Provision netto": "Nettobetrag"}))
    result = import_bytes(db, "x.csv", data)
    assert result.problems == [
        "x.csv:1: die Kopfzeile passt am besten zu Provisionsrechnung (invoice), aber nicht jede nötige Spalte ist "
        "sicher: invoice_number: vermutlich 'Rechnung Nr'; commission_net: vermutlich 'Nettobetrag'. Zuordnung mit "
        "'recon columns DATEI --save' oder auf der Upload-Seite des Dashboards bestätigen (oder --columns angeben)"
    ]


def test_order_numbers_known_from_stored_receipts_are_evidence(books: Database) -> None:
    known = books.con.execute("SELECT min(order_number) FROM receipts").fetchone()[0]
    header = [h for h in INVOICE_FIELDS if h != "Auftragsnummer"] + [
        "Bemessungsgrundlage", "Provision netto", "Provision brutto", "Referenz"]
    values = [v for v in INVOICE_VALUES if v != "ORD-0001"] + ["119,00", "17,85", "21,24", known]
    sample = _sample(header, values)
    without = propose(sample, load_layouts()["invoice"])
    assert without.match("order_number").how == "missing"
    from recon.importing.saved_mappings import known_orders

    with_receipts = propose(sample, load_layouts()["invoice"], known_orders(books, [known, "ORD-NOPE"]))
    match = with_receipts.match("order_number")
    assert (match.how, match.why, header[match.column or 0]) == ("suggested", "known_orders", "Referenz")


# --- saved mappings ------------------------------------------------------------------------------------------

RENAMED_INVOICE = "invoice_PR-2026-000042.csv"


def _proposal_for(path: Path) -> dict[str, int]:
    return propose(read_sample(path.read_bytes().decode("cp1252")), load_layouts()["invoice"]).chosen()


def test_a_saved_mapping_is_used_by_every_later_import_without_a_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = renamed(RENAMED_INVOICE, tmp_path / "first.csv")
    db_file = tmp_path / "books.duckdb"
    assert main(["columns", str(path), "--save", "--db", str(db_file)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "gespeichert als Zuordnung Version 1; spätere Importe dieser Kopfzeile brauchen keine Angabe mehr")
    assert main(["import", "--db", str(db_file), str(path)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == (
        f"importiert    {path}: invoice, windows-1252, 4 Rechnungszeilen "
        "(Spalten nach gespeicherter Zuordnung Version 1 (first.csv))")
    with closing(open_database(db_file)) as db:
        got = _stored(db, "invoice_lines")
    with closing(open_database(tmp_path / "reference.duckdb")) as db:
        import_paths(db, [SAMPLES / RENAMED_INVOICE])
        assert got == _stored(db, "invoice_lines")
    # recon columns now shows the file as imports read it: through the saved mapping, every field by name
    assert main(["columns", str(path), "--db", str(db_file)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == ["Für diese Kopfzeile ist die Zuordnung Version 1 (first.csv) gespeichert; Importe "
                         "verwenden sie.", "Dateiart: Provisionsrechnung (invoice)"]
    assert lines[3].split() == ["invoice_number", "(Rechnungsnummer)", "*", "'Rechnungs-Nr.'", "Name", "bekannt"]
    assert not any("Vorschlag" in line for line in lines)


def test_saving_again_adds_a_version_the_newest_wins_and_columns_overrides(db: Database, tmp_path: Path) -> None:
    header = _header_with({"Provision netto": "Nettobetrag", "Provision brutto": "Bruttobetrag"}).split(";")
    chosen = _proposal_for_header(header)
    first = save_mapping(db, "invoice", header, chosen, "from the first file", user="anna")
    # a second, deliberately different version: gross and net swapped (a person's choice, newest wins)
    swapped = {**chosen, "commission_net": chosen["commission_gross"], "commission_gross": chosen["commission_net"]}
    second = save_mapping(db, "invoice", header, swapped, "swapped", user="bernd")
    assert (first, second) == (1, 2)
    versions = saved_versions(db)
    assert [(v.version, v.label, v.created_by, v.in_force) for v in versions] == [
        (2, "swapped", "bernd", True), (1, "from the first file", "anna", False)]
    assert mapping_for(db, list(reversed(header))).version == 2  # the same names in another order: same header
    data = invoice_csv([invoice_row()], header=";".join(header))
    assert import_bytes(db, "a.csv", data).status == "imported"
    row = db.con.execute("SELECT commission_net, commission_gross FROM invoice_lines").fetchone()
    assert row == (Decimal("21.24"), Decimal("17.85"))  # the newest (swapped) mapping was used
    own = tmp_path / "own.toml"
    own.write_text('[invoice.columns]\ncommission_net = { aliases = ["Nettobetrag"] }\n'
                   'commission_gross = { aliases = ["Bruttobetrag"] }\n', encoding="utf-8")
    other = invoice_csv([invoice_row(number="PR-2026-000101")], header=";".join(header))
    (tmp_path / "b.csv").write_bytes(other)
    report = import_paths(db, [tmp_path / "b.csv"], layouts_file=own)
    assert report.files[0].status == "imported" and report.files[0].note == ""
    row = db.con.execute("SELECT commission_net, commission_gross FROM invoice_lines "
                         "WHERE invoice_number = 'PR-2026-000101'").fetchone()
    assert row == (Decimal("17.85"), Decimal("21.24"))  # --columns, not the saved mapping


def _proposal_for_header(header: list[str]) -> dict[str, int]:
    data = invoice_csv([invoice_row()], header=";".join(header))
    return propose(read_sample(data.decode("cp1252")), load_layouts()["invoice"]).chosen()


def test_a_mapping_that_would_not_import_its_own_header_is_not_saved(db: Database) -> None:
    header = _header_with({"Provision netto": "Nettobetrag"}).split(";")
    chosen = _proposal_for_header(header)
    del chosen["commission_net"]
    with pytest.raises(MappingError, match="Pflichtspalte fehlt"):
        save_mapping(db, "invoice", header, chosen, "incomplete")
    assert saved_versions(db) == []


def test_a_mapping_can_give_a_known_name_to_another_field(db: Database) -> None:
    """A column named 'Netto' that is really the gross amount: the mapping wins over the reference alias."""
    header = _header_with({"Provision netto": "Betrag netto", "Provision brutto": "Netto"}).split(";")
    chosen = _proposal_for_header(header)
    chosen["commission_gross"] = header.index("Netto")
    chosen["commission_net"] = header.index("Betrag netto")
    save_mapping(db, "invoice", header, chosen, "netto is gross")
    result = import_bytes(db, "n.csv", invoice_csv([invoice_row()], header=";".join(header)))
    assert result.status == "imported", result.problems
    row = db.con.execute("SELECT commission_net, commission_gross FROM invoice_lines").fetchone()
    assert row == (Decimal("17.85"), Decimal("21.24"))


def test_columns_save_refuses_an_unclear_mapping_and_write_leaves_it_as_comments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = _header_with({"Provision netto": "Provision", "Provision brutto": "Provision gesamt"})
    path = tmp_path / "unclear.csv"
    path.write_bytes(invoice_csv([invoice_row()], header=header))
    target = tmp_path / "map.toml"
    assert main(["columns", str(path), "--write", str(target), "--save", "--db", str(tmp_path / "b.duckdb")]) == 1
    captured = capsys.readouterr()
    assert "Bitte entscheiden: commission_net, commission_gross" in captured.out
    assert captured.err.strip() == (
        "recon columns: nicht gespeichert: erst muss jedes nötige Feld eine eindeutige Spalte haben "
        "(--write schreibt eine Datei zum Bearbeiten)")
    text = target.read_text(encoding="utf-8")
    assert "\ncommission_net =" not in text and "\ncommission_gross =" not in text
    assert "# commission_net = { aliases = [\"Provision\"] }" in text
    assert "# commission_gross = { aliases = [\"Provision gesamt\"] }" in text
    assert main(["columns", "--saved", "--db", str(tmp_path / "b.duckdb")]) == 0
    assert capsys.readouterr().out.strip() == "keine gespeicherten Zuordnungen"


# --- tolerated variations ------------------------------------------------------------------------------------

def test_a_date_time_in_a_date_column_keeps_the_date_and_says_so_once(db: Database) -> None:
    rows = [invoice_row(n=n).replace("04.11.2026;18.11.2026", "04.11.2026 23:30:00;18.11.2026 00:00")
            for n in (1, 2)]
    result = import_bytes(db, "dt.csv", invoice_csv(rows))
    assert result.status == "imported", result.problems
    assert result.warnings == [
        "Datumsspalte(n) 'Rechnungsdatum', 'Fälligkeitsdatum' enthalten Datum mit Uhrzeit (zuerst in Zeile 2): "
        "übernommen wurde das Datum, die Uhrzeit nicht"]
    dates = db.con.execute("SELECT DISTINCT invoice_date, due_date FROM invoice_lines").fetchall()
    assert [(str(a), str(b)) for a, b in dates] == [("2026-11-04", "2026-11-18")]


def test_a_date_in_a_date_time_column_is_midnight_in_berlin(db: Database) -> None:
    result = import_bytes(db, "d.csv", invoice_csv([invoice_row().replace("29.10.2026 10:15:00", "29.10.2026")]))
    assert result.status == "imported", result.problems
    shipped = db.con.execute("SELECT strftime(timezone('UTC', shipped_at), '%Y-%m-%d %H:%M') "
                             "FROM invoice_lines").fetchone()[0]
    assert shipped == "2026-10-28 23:00"  # 00:00 CET (UTC+1) on 29 October


def test_currency_marks_in_amounts_and_the_euro_sign_as_currency_are_accepted(db: Database) -> None:
    row = invoice_row(gross="EUR 119,00", net="17,85 €", vat="€ 3,39", total="21,24 EUR").removesuffix("EUR") + "€"
    result = import_bytes(db, "eur.csv", invoice_csv([row]))
    assert result.status == "imported", result.problems
    assert db.con.execute("SELECT base_gross, commission_net, vat, commission_gross, currency "
                          "FROM invoice_lines").fetchone() == (
        Decimal("119.00"), Decimal("17.85"), Decimal("3.39"), Decimal("21.24"), "EUR")


def test_blank_extra_fields_at_the_end_of_lines_are_tolerated_but_not_filled_ones(db: Database) -> None:
    ok = invoice_csv([invoice_row(n=1) + ";;", invoice_row(n=2) + "; ;", invoice_row(n=3)])
    result = import_bytes(db, "tail.csv", ok)
    assert result.status == "imported", result.problems
    assert result.rows == {"invoice_lines": 3}
    quoted = invoice_csv([invoice_row(n=1) + ';"";', invoice_row(n=2).replace("Möbel", '"Möbel; Holz"') + ";;"])
    assert import_bytes(db, "quoted.csv", quoted.replace(b"PR-2026-000100", b"PR-2026-000101")).status == "imported"
    bad = invoice_csv([invoice_row(n=1, number="PR-2026-000102") + ";x", invoice_row(n=2, number="PR-2026-000102")])
    result = import_bytes(db, "bad.csv", bad)
    assert result.problems == ["bad.csv:2: die Zeile hat 19 Felder, die Kopfzeile 18"]


def test_a_known_name_over_values_of_another_kind_is_a_conflict_for_a_human(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = _header_with({})
    row = invoice_row(net="04.11.2026")  # 'Provision netto' holds a date
    path = tmp_path / "conflict.csv"
    path.write_bytes(invoice_csv([row], header=header))
    proposal = propose(read_sample(path.read_bytes().decode("cp1252")), load_layouts()["invoice"])
    net = proposal.match("commission_net")
    assert (net.how, net.why, net.column) == ("conflict", "values_date", 13)
    assert not proposal.complete
    assert main(["columns", str(path), "--db", str(tmp_path / "none.duckdb")]) == 1
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("commission_net"))
    assert line.split("  ")[-1].strip() == "UNKLAR: Name bekannt, aber die Werte sind Daten"


# --- every kind in layouts.toml, including ones added later ---------------------------------------------------

def _value_for(col: Column, n: int) -> str:
    return {"text": f"X-{col.name[:6]}-{n}", "amount": "12,50", "rate": "19,00", "date": "04.11.2026",
            "datetime": "04.11.2026 10:15:00", "enum": col.values[0] if col.values else ""}[col.type]


def _respelled(alias: str) -> str:
    """The same name as another program might write it: capitals, umlauts spelt out, hyphens for spaces."""
    return alias.upper().replace("Ä", "AE").replace("Ö", "OE").replace("Ü", "UE").replace(" ", "-")


@pytest.mark.parametrize("kind", sorted(load_layouts()))
def test_every_kind_maps_respelled_reordered_names_and_the_mapping_reads_the_rows(kind: str) -> None:
    layout = load_layouts()[kind]
    columns = list(reversed(layout.columns))
    header = [_respelled(c.aliases[0]) for c in columns]
    rows = [[_value_for(c, n) if c.name not in layout.same_in_file else _value_for(c, 0) for c in columns]
            for n in (1, 2)]
    proposal = propose(Sample(header, rows), layout)
    assert {m.field: m.column for m in proposal.matches} == {c.name: i for i, c in enumerate(columns)}
    assert {m.how for m in proposal.matches} == {"alias"}
    toml = mapping_toml(kind, header, proposal.chosen())
    check_mapping(kind, header, toml)
    text = ("\n".join(";".join(r) for r in [header, *rows]) + "\n").encode("utf-8")
    typed = validate(read_table(text), load_layouts(None, toml)[kind])
    assert typed.height == 2
    for col in columns:
        if col.type == "amount":
            assert typed[col.name].to_list() == [Decimal("12.50")] * 2
