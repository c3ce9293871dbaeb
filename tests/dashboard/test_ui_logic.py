"""recon.ui without Streamlit: formatting, periods, key figures, tables, drill-down rows, uploads, downloads."""

from __future__ import annotations

import csv
import io
from contextlib import closing
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from recon import views
from recon.engine import checks, reconcile
from recon.fees.table import FeeTableError
from recon.importing.problems import FileProblem
from recon.period import Period, parse_period
from recon.store import open_database
from recon.ui import data, downloads, periods
from recon.ui.discrepancies import (
    against_seller,
    discrepancy_frame,
    display_discrepancies,
    filter_discrepancies,
    recomputation,
    source_blocks,
    source_rows,
)
from recon.ui.fees import entries_frame, fee_state, save_override
from recon.ui.fmt import date_de, eur, percent_de, raw_de, signed_eur
from recon.ui.kpis import effective_rate, kpis
from recon.ui.tables import payouts_table
from recon.ui.upload import Upload, import_uploads, problems_frame, summary_frame
from tests.conftest import invoice_csv, invoice_row, table_counts
from tests.dashboard.conftest import SAMPLES, SAMPLES_AS_OF, SimDb

D = Decimal


def test_german_formats() -> None:
    assert eur(D("1234.56")) == "1.234,56 €"
    assert eur(D("-1234567.891")) == "-1.234.567,89 €"
    assert eur(None) == "–"
    assert signed_eur(D("3.57")) == "+3,57 €"
    assert signed_eur(D("-0.01")) == "-0,01 €"
    assert signed_eur(D("0.00")) == "0,00 €"
    assert percent_de(D("15.031")) == "15,03 %"
    assert percent_de(D("1234.5")) == "1.234,50 %"
    assert date_de(date(2026, 11, 5)) == "05.11.2026"
    assert raw_de(D("18.0")) == "18,00"
    assert raw_de(D("0.1234")) == "0,1234"
    assert raw_de(None) == ""


def test_period_presets() -> None:
    as_of = date(2026, 1, 15)
    # The dashboard's periods are the command line's (recon.period.Period): same labels, plus the as-of day.
    assert periods.preset_period(periods.ALL, as_of) == Period("bis_2026-01-15", None, None, as_of)
    assert periods.preset_period(periods.THIS_MONTH, as_of) == Period("2026-01-01_2026-01-15", date(2026, 1, 1),
                                                                      as_of, as_of)
    assert periods.preset_period(periods.LAST_MONTH, as_of) == Period("2025-12", date(2025, 12, 1),
                                                                      date(2025, 12, 31), as_of)
    assert periods.preset_period(periods.LAST_MONTH, as_of) == replace(parse_period("last-month", as_of), as_of=as_of)
    assert periods.preset_period(periods.LAST_3_MONTHS, as_of) == Period("2025-11-01_2026-01-15", date(2025, 11, 1),
                                                                         as_of, as_of)
    swapped = periods.preset_period(periods.CUSTOM, as_of, (date(2026, 1, 10), date(2026, 1, 1)))
    assert (swapped.start, swapped.end) == (date(2026, 1, 1), date(2026, 1, 10))
    assert periods.describe(Period("2025-12", date(2025, 12, 1), date(2025, 12, 31), as_of)) == \
        "01.12.2025 – 31.12.2025, Stichtag 15.01.2026"


def test_samples_snapshot_and_key_figures(samples_db: Path) -> None:
    snap = data.snapshot(samples_db, periods.preset_period(periods.ALL, SAMPLES_AS_OF))
    k = kpis(snap)
    assert k.sales_gross == D("423.90") and k.refunds_gross == D("249.00")
    # 22.66 + 8.91 + 60.48 product commission + 1.13 shipping commission, all as the fee table says
    assert k.commission_invoiced == D("93.18") == k.commission_expected
    # (19.04 + 7.49 + 50.82 + 0.95 - 50.82 corrected) / (423.90 - 249.00) = 27.48 / 174.90
    assert k.effective_rate == D("15.71")
    assert k.discrepancies == 0 and k.against_seller == D("0.00")
    # the correction PK-2026-000007 (+60.48 for the seller) is due 20.11., so Thursday 26.11.
    assert (k.next_payout_day, k.next_payout_amount, k.next_payout_documents) == (date(2026, 11, 26), D("60.48"), 1)
    assert (k.payouts_total, k.payouts_count) == (D("-37.16"), 2)
    shown = payouts_table(snap.payouts)
    assert shown.rows() == [
        ("12.11.2026", "AZ-2026-000030", "423,90 €", "423,90 €", 2, 0, "✓ stimmt", "payout_AZ-2026-000030.csv"),
        ("19.11.2026", "AZ-2026-000031", "-461,06 €", "-461,06 €", 3, 0, "✓ stimmt", "payout_AZ-2026-000031.csv"),
    ]
    assert data.data_range(samples_db) == data.DataRange(date(2026, 10, 28), date(2026, 11, 19), 9)


def test_effective_rate_without_sales_is_none() -> None:
    assert effective_rate({"sales_gross": D("0.00"), "refunds_gross": D("0.00")}) is None


def test_next_payout_and_payout_lines_agree_with_the_views(sim_db: SimDb) -> None:
    as_of = sim_db.quarter.as_of
    snap = data.snapshot(sim_db.path, periods.preset_period(periods.ALL, as_of))
    db = open_database(sim_db.path, read_only=True)
    try:
        views.prepared(db, as_of)
        open_items = views.open_items(db)
        all_lines = views.payout_lines(db)
    finally:
        db.close()
    assert snap.next_payout is not None
    day = open_items.filter(pl.col("settlement_day") > as_of)["settlement_day"].min()
    items = open_items.filter(pl.col("settlement_day") <= day)
    assert (snap.next_payout.day, snap.next_payout.amount, snap.next_payout.documents) == \
        (day, items["amount"].sum(), items.height)
    for number in all_lines["payout_number"].unique().to_list():
        mine = data.payout_lines(sim_db.path, number)
        expected = all_lines.filter(pl.col("payout_number") == number)
        assert mine.sort("line").select("line", "document_number", "status", "amount").rows() == \
            expected.select("line", "document_number", "status", "amount").rows()
        statuses = mine["status"].to_list()
        assert statuses == sorted(statuses, key=lambda s: s == "ok")  # mismatches first
        assert mine["lines_total"].unique().to_list() == [expected.height]
        assert mine["lines_off"].unique().to_list() == [sum(1 for s in statuses if s != "ok")]
    bad = next(n for n in all_lines.filter(pl.col("status") != "ok")["payout_number"].to_list())
    first_two = data.payout_lines(sim_db.path, bad, limit=2)
    assert first_two.height == 2 and first_two["status"][0] != "ok"
    assert first_two["lines_total"][0] == all_lines.filter(pl.col("payout_number") == bad).height
    assert snap.open_count == int(snap.open_summary["documents"].sum())


def test_discrepancy_table_filters_and_sorts(sim_db: SimDb) -> None:
    snap = data.snapshot(sim_db.path, periods.preset_period(periods.ALL, sim_db.quarter.as_of))
    frame = discrepancy_frame(snap.result)
    assert frame.height == len(sim_db.quarter.expected)
    by_eur = filter_discrepancies(frame)
    stakes = [v for v in by_eur["at_stake"].to_list() if v is not None]
    assert stakes == sorted(stakes, reverse=True)
    assert filter_discrepancies(frame, sort="EUR at stake, smallest first")["at_stake"].drop_nulls().to_list() == \
        sorted(stakes)
    only = filter_discrepancies(frame, kinds=["PAYOUT_MISMATCH"])
    assert set(only["kind"].to_list()) == {"PAYOUT_MISMATCH"}
    assert only.height == sum(1 for e in sim_db.quarter.expected if e.kind == "PAYOUT_MISMATCH")
    some_order = next(e.order_number for e in sim_db.quarter.expected if e.order_number)
    by_order = filter_discrepancies(frame, order_number=some_order.lower())
    assert by_order.height >= 1 and set(by_order["order_number"].to_list()) == {some_order}
    assert against_seller(frame) == snap.result.against_seller
    shown = display_discrepancies(by_eur)
    assert shown.columns[:3] == ["Art", "Bezeichnung", "Meldung"]
    assert set(shown.filter(pl.col("Art") == "COMMISSION_MISMATCH")["Bezeichnung"].to_list()) == {
        "Verkaufsprovision weicht vom Satz der Kategorie ab"}
    for e in sim_db.quarter.expected:
        if isinstance(e.expected, Decimal) and isinstance(e.actual, Decimal):
            row = shown.filter((pl.col("Art") == e.kind) & (pl.col("Beleg") == (e.document_number or ""))
                               & (pl.col("Erwartet") == eur(e.expected)) & (pl.col("Tatsächlich") == eur(e.actual)))
            assert row.height >= 1, (e.kind, e.document_number)


def test_source_rows_show_the_stored_values(sim_db: SimDb) -> None:
    result = data.snapshot(sim_db.path, periods.preset_period(periods.ALL, sim_db.quarter.as_of)).result
    finding = next(d for d in result.discrepancies
                   if d.kind == "COMMISSION_MISMATCH" and len(d.evidence) == 2 and isinstance(d.expected, Decimal))
    rows = source_rows(sim_db.path, finding.evidence)
    invoice = rows[0]
    assert (invoice.file, invoice.line, invoice.table) == (finding.evidence[0].file, finding.evidence[0].line,
                                                           "invoice_lines")
    fields = dict(invoice.fields)
    assert fields["invoice_number"] == finding.document_number
    assert fields["position_item_id"] == finding.position_item_id
    assert fields["commission_net"] == raw_de(finding.actual)
    # the receipt behind the sale: its head (with the JSON as sent) and its lines
    receipt_tables = [r.table for r in rows[1:]]
    assert receipt_tables[0] == "receipts" and "receipt_lines" in receipt_tables
    assert rows[1].raw_json is not None and "receiptNumber" in rows[1].raw_json
    assert any(dict(r.fields).get("position_item_id") == finding.position_item_id for r in rows[1:])
    labels = dict(recomputation(finding))
    assert isinstance(finding.expected, Decimal)
    assert labels["Erwartet (nachgerechnet)"] == eur(finding.expected)
    blocks = source_blocks(rows, finding.position_item_id)
    assert dict(blocks[0].vertical().iter_rows())["Rechnungsnummer"] == finding.document_number
    assert dict(blocks[0].vertical().iter_rows())["Provision netto"] == raw_de(finding.actual)


def test_source_rows_without_evidence(samples_db: Path) -> None:
    assert source_rows(samples_db, ()) == []


def test_upload_good_bad_and_repeated(writable_samples_db: Path) -> None:
    before = _counts(writable_samples_db)
    good = Upload("invoice_PR-2026-000100.csv", invoice_csv([invoice_row(n=1), invoice_row(n=2)]))
    bad = Upload("broken.csv", invoice_csv([invoice_row(number="PR-2026-000101", gross="abc")]))
    again = Upload("again.csv", (SAMPLES / "invoice_GG-2026-11.csv").read_bytes())
    seen: list[tuple[int, str, float]] = []
    results = import_uploads(writable_samples_db, [good, bad, again],
                             lambda i, name, stage, fraction: seen.append((i, stage, fraction)))
    assert [r.status for r in results] == ["imported", "rejected", "skipped"]
    after = _counts(writable_samples_db)
    assert after["invoice_lines"] == before["invoice_lines"] + 2
    assert after["source_files"] == before["source_files"] + 1
    assert {i for i, _, _ in seen} == {0, 1, 2} and (0, "done", 1.0) in seen
    summary = summary_frame(results)
    assert summary["Ergebnis"].to_list() == ["importiert", "abgelehnt", "bereits importiert"]
    assert summary["Gespeicherte Zeilen"].to_list() == [2, 0, 0]
    problems = problems_frame(results)
    assert problems.height == 1
    file, line, field, reason = problems.row(0)
    assert (file, line, field) == ("broken.csv", 2, "Bemessungsgrundlage brutto")
    assert results[1].problems[0] == f"broken.csv:2: field 'Bemessungsgrundlage brutto': {reason}"


def test_a_rejected_upload_changes_nothing(writable_samples_db: Path) -> None:
    before = _counts(writable_samples_db)
    rows = [invoice_row(number="PR-2026-000200", n=1), invoice_row(number="PR-2026-000200", n=2, vat="x")]
    (result,) = import_uploads(writable_samples_db, [Upload("half_good.csv", invoice_csv(rows))])
    assert result.status == "rejected"
    assert _counts(writable_samples_db) == before


def test_problems_render_the_contract_line_from_structured_values() -> None:
    assert FileProblem("C:/a:b.csv", 7, "USt", "not a number").render() == "C:/a:b.csv:7: field 'USt': not a number"
    assert FileProblem("x.json", 3, "", "receipt R-1: bad").render() == "x.json:3: receipt R-1: bad"
    assert FileProblem("x.csv", None, "", "... and 4 more problem(s)").render() == "x.csv: ... and 4 more problem(s)"


def test_upload_problems_reach_the_table_as_values_not_parsed_text(writable_samples_db: Path) -> None:
    # A name with colons and 52 bad lines: the table gets file, line, field and reason as the importer found them.
    rows = [invoice_row(number="PR-2026-000400", n=n, vat="x") for n in range(1, 53)]
    (result,) = import_uploads(writable_samples_db, [Upload("C:/exports:11.csv", invoice_csv(rows))])
    assert result.issues[0] == FileProblem("C:/exports:11.csv", 2, "USt", "kein Betrag: 'x' (erwartet z. B. 1.234,56)")
    assert result.issues[-1] == FileProblem("C:/exports:11.csv", None, "", "... und 2 weitere(s) Problem(e)")
    assert result.problems[0] == "C:/exports:11.csv:2: field 'USt': kein Betrag: 'x' (erwartet z. B. 1.234,56)"
    frame = problems_frame([result])
    assert frame.height == 51
    assert frame.row(0) == ("C:/exports:11.csv", 2, "USt", "kein Betrag: 'x' (erwartet z. B. 1.234,56)")
    assert frame.row(49) == ("C:/exports:11.csv", 51, "USt", "kein Betrag: 'x' (erwartet z. B. 1.234,56)")
    assert frame.row(50) == ("C:/exports:11.csv", None, "", "... und 2 weitere(s) Problem(e)")


def test_discrepancy_csv_is_german_excel_ready(sim_db: SimDb) -> None:
    result = data.snapshot(sim_db.path, periods.preset_period(periods.ALL, sim_db.quarter.as_of)).result
    raw = downloads.discrepancy_csv(result)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Art (Code)", "Bezeichnung", "Belegdatum", "Beleg", "Auftrag", "Positions-ID", "Erwartet",
                       "Tatsächlich", "Differenz", "Zugunsten von", "Betrag", "Nachweis (Datei:Zeile)", "Meldung"]
    assert {r[9] for r in rows[1:]} <= {"OTTO", "Händler", ""}
    assert len(rows) == len(result.discrepancies) + 1
    first = result.discrepancies[0]
    assert rows[1][0] == first.kind and rows[1][3] == (first.document_number or "")
    assert rows[1][1] == checks.kind_labels()[first.kind]  # German words beside the stable code
    money = [d for d in result.discrepancies if isinstance(d.actual, Decimal)][0]
    row = rows[1 + result.discrepancies.index(money)]
    assert row[7] == f"{money.actual:.2f}".replace(".", ",")


def test_excel_report_missing_module(monkeypatch: pytest.MonkeyPatch, samples_db: Path) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "recon.reports.workbook", None)  # import fails as if not installed
    assert not downloads.report_available()
    with pytest.raises(downloads.ReportUnavailable, match="in dieser Installation nicht verfügbar"):
        downloads.excel_report(samples_db, periods.preset_period(periods.ALL, SAMPLES_AS_OF))


def test_excel_report_calls_the_workbook_writer(monkeypatch: pytest.MonkeyPatch, samples_db: Path) -> None:
    import sys
    import types

    from recon.period import with_data_span

    calls: list[tuple[Path, dict[str, object]]] = []

    def report_workbook(db: object, path: Path, **kwargs: Any) -> object:
        calls.append((path, kwargs))
        path.write_bytes(b"PK fake workbook")
        return types.SimpleNamespace(period=with_data_span(kwargs["period"], date(2026, 11, 3), date(2026, 11, 20)))

    fake = types.ModuleType("recon.reports.workbook")
    fake.report_workbook = report_workbook  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "recon.reports", types.ModuleType("recon.reports"))
    monkeypatch.setitem(sys.modules, "recon.reports.workbook", fake)
    period = periods.preset_period(periods.CUSTOM, SAMPLES_AS_OF, (date(2026, 11, 1), date(2026, 11, 30)))
    assert downloads.report_available()
    report = downloads.excel_report(samples_db, period)
    assert (report.content, report.stem) == (b"PK fake workbook", "recon_2026-11-01_2026-11-30")
    asked = calls[0][1]
    assert (asked["as_of"], asked["period"].start, asked["period"].end) == (  # type: ignore[attr-defined]
        SAMPLES_AS_OF, date(2026, 11, 1), date(2026, 11, 30))
    assert downloads.file_stem(period) == "recon_2026-11-01_2026-11-30"


def test_an_all_data_download_is_named_by_the_days_its_data_covers(samples_db: Path) -> None:
    everything = periods.preset_period(periods.ALL, SAMPLES_AS_OF)
    assert downloads.file_stem(everything) == f"recon_bis_{SAMPLES_AS_OF.isoformat()}"  # before it is written
    with closing(open_database(samples_db, read_only=True)) as db:
        first, last = views.data_span(views.prepared(db, SAMPLES_AS_OF))
    assert first is not None and last is not None
    report = downloads.excel_report(samples_db, everything)
    assert report.stem == f"recon_{first.isoformat()}_{last.isoformat()}"
    assert report.content.startswith(b"PK")


def test_fee_table_saves_new_versions_and_never_overwrites(writable_samples_db: Path) -> None:
    state = fee_state(writable_samples_db)
    assert state.versions.height == 0 and "Referenz" in state.label
    entries = entries_frame(state.table)
    base = entries.filter(pl.col("Gebühr") == "Grundgebühr")
    assert base["Wert"].to_list() == ["39,90 € netto", "99,90 € netto"]
    assert base["Herkunft"].to_list() == ["Referenz", "Referenz"]
    override = '[[base_fee]]\nnet = "99.90"\nvalid_from = "2026-11-01"\n'
    assert save_override(writable_samples_db, override, "base fee 99,90") == 1
    assert save_override(writable_samples_db, override.replace("99.90", "49.90"), "") == 2
    with pytest.raises(FeeTableError, match=r"^float: \[\[base_fee\]\] Eintrag 1: Beträge und Sätze in Anführungs"):
        save_override(writable_samples_db, "[[base_fee]]\nnet = 12.5\nvalid_from = \"2026-11-01\"\n", "float")
    state = fee_state(writable_samples_db)
    assert state.versions["version"].to_list() == [2, 1]
    assert state.versions["label"].to_list() == ["im Dashboard gespeichert", "base fee 99,90"]
    assert "49.90" in state.override_toml
    saved = entries_frame(state.table).filter(pl.col("Wert") == "49,90 € netto")
    assert saved["Herkunft"].to_list() == ["gespeicherte Gebührentabelle Version 2 (im Dashboard gespeichert)"]
    db = open_database(writable_samples_db, read_only=True)
    try:
        kept = db.con.execute("SELECT toml FROM fee_table_versions WHERE version = 1").fetchone()
        reconciled = reconcile(db, as_of=SAMPLES_AS_OF)
    finally:
        db.close()
    assert kept is not None and "99.90" in kept[0]
    assert any(d.kind == "BASE_FEE_MISMATCH" for d in reconciled.discrepancies)  # 99.90 invoiced, 49.90 due


def test_version_token_changes_with_the_file(writable_samples_db: Path) -> None:
    before = data.version_token(writable_samples_db)
    import_uploads(writable_samples_db, [Upload("one.csv", invoice_csv([invoice_row(number="PR-2026-000300")]))])
    assert data.version_token(writable_samples_db) != before


def _counts(path: Path) -> dict[str, int]:
    db = open_database(path, read_only=True)
    try:
        return table_counts(db)
    finally:
        db.close()


def test_an_unexplained_difference_names_its_category_as_people_read_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from recon.engine import Discrepancy
    from recon.ui.discrepancies import document_label

    d = Discrepancy("UNEXPLAINED_DIFFERENCE", None, None, "commission", None, Decimal("1.00"), Decimal("2.00"), (),
                    "…")
    assert document_label(d) == "Verkaufsprovision (netto)"
    assert discrepancy_frame_row(d)["document_number"] == "Verkaufsprovision (netto)"
    assert document_label(Discrepancy("COMMISSION_MISMATCH", None, None, "PR-1", None, None, None, (), "…")) == "PR-1"
    monkeypatch.setenv("RECON_LANG", "en")
    assert document_label(d) == "product commission (net)"


def discrepancy_frame_row(d: object) -> dict[str, object]:
    from types import SimpleNamespace

    from recon.ui.discrepancies import discrepancy_frame

    return discrepancy_frame(SimpleNamespace(discrepancies=[d])).row(0, named=True)  # type: ignore[arg-type]
