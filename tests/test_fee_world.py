"""Today's OTTO fee world: the reference table current to 2026, shown plainly, and a generated year across
the 2024 changes (base fee 99.90 from August, tiers from October, freight) that reconciles exactly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from recon import i18n
from recon.cli import main
from recon.engine import ReconResult, reconcile
from recon.fees.table import load_fee_table
from recon.fees.tiers import tier_parts
from recon.importing import import_paths
from recon.simulate.documents import BERLIN
from recon.simulate.quarter import FREIGHT, Quarter, simulate
from recon.simulate.write import write_quarter
from recon.store import Database, open_database

ZERO = D("0.00")


def _show(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    open_database(tmp_path / "fees.duckdb").close()  # recon fees refuses a database that does not exist
    assert main(["fees", "--db", str(tmp_path / "fees.duckdb"), "show", *args]) == 0
    return capsys.readouterr().out.splitlines()


def test_fees_show_on_2026_11_24_has_the_99_90_base_fee_and_the_reported_tiers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECON_LANG", "de")
    out = _show(tmp_path, capsys, "--on", "2026-11-24")
    assert out[0] == "OTTO-Market-Referenztabelle der Gebühren 2026-11-24"
    base = [line.split() for line in out if line.split()[:1] == ["base_fee"]]
    assert base == [["base_fee", "99,90", "€", "netto", "01.08.2024", "..", "offen", "[Referenz]", "(gemeldet)"]]
    schmuck = out.index(next(line for line in out if line.split()[:2] == ["commission", "Schmuck"]))
    assert out[schmuck].split() == ["commission", "Schmuck", "Staffel", "01.10.2024", "..", "offen", "[Referenz]",
                                    "(gemeldet)"]
    assert out[schmuck + 1].strip() == "bis 100,00 €: 22 % · 100,00–200,00 €: 20 % · über 200,00 €: 18 %"
    kleidung = out.index(next(line for line in out if line.split()[:2] == ["commission", "Bekleidung"]))
    assert out[kleidung].split()[2:] == ["Staffel", "01.10.2024", "..", "offen", "[Referenz]", "(gemeldet)"]
    assert out[kleidung + 1].strip() == ("bis 25,00 €: 17 % · 25,00–50,00 €: 16 % · 50,00–75,00 €: 15 % · "
                                         "über 75,00 €: 14 %")
    note = " ".join(out[out.index("") + 1:])
    assert note.startswith("Nicht von OTTO bestätigt: 16 der gezeigten Einträge sind nur gemeldet")
    assert "recon fees save DATEI" in note and "--fees DATEI" in note


def test_fees_show_before_august_2024_has_the_39_90_base_fee(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECON_LANG", "en")
    out = _show(tmp_path, capsys, "--on", "2024-07-31")
    base = [line.split() for line in out if line.split()[:1] == ["base_fee"]]
    assert base == [["base_fee", "EUR", "39.90", "net", "2019-01-01", "..", "2024-07-31", "[reference]"]]
    schmuck = [line.split() for line in out if line.split()[:2] == ["commission", "Schmuck"]]
    assert schmuck == [["commission", "Schmuck", "20%", "2024-02-15", "..", "2024-07-31", "[reference]",
                        "(reported)"]]


def test_the_reference_table_is_dated_through_the_2024_changes() -> None:
    table = load_fee_table()

    def value(kind: str, on: str, category: str | None = None) -> D | None:
        entry = table.lookup(kind, date.fromisoformat(on), category)
        assert entry is not None and entry.source, (kind, on, category)
        return entry.value

    assert [value("base_fee", d) for d in ("2024-07-31", "2024-08-01", "2026-11-24")] == [
        D("39.90"), D("99.90"), D("99.90")]
    assert [value("commission", d, "Schmuck") for d in ("2024-02-14", "2024-02-15", "2024-08-01", "2024-10-01")] == [
        D("18.00"), D("20.00"), D("21.00"), None]
    assert [value("commission", d, "Möbel") for d in ("2024-02-14", "2024-02-15")] == [D("15.00"), D("16.00")]
    assert [value("commission", d, "Baumarkt") for d in ("2024-07-31", "2024-08-01")] == [D("7.00"), D("13.00")]
    freight = table.lookup("shipping_commission", date(2025, 1, 1), "DELIVERY_FEE_FREIGHT_SURCHARGE")
    assert freight is not None and freight.value == D("16.00") and freight.reported
    base = table.lookup("base_fee", date(2024, 7, 1))
    assert base is not None and not base.reported  # 39.90 is on otto.market itself
    tiered = [e for e in table.entries if e.tiers]
    assert sorted((e.category, e.valid_from) for e in tiered) == [
        ("Bekleidung", date(2024, 10, 1)), ("Schmuck", date(2024, 10, 1)), ("Uhren", date(2024, 10, 1))]
    assert all(e.reported and e.source for e in tiered)


def test_the_shipped_example_override_loads_and_wins_where_it_covers() -> None:
    from recon.fees.table import load_fee_file

    table = load_fee_file(Path(__file__).resolve().parents[1] / "recon" / "fees" / "example_override_2024-08.toml")
    schmuck = table.lookup("commission", date(2025, 1, 1), "Schmuck")
    assert schmuck is not None and schmuck.origin == "example_override_2024-08.toml"
    assert schmuck.commission_on(D("150.00")) == D("31.00")  # 21 % of 100 + 20 % of 50
    freight = {"DELIVERY_FEE_STANDARD": D("5.95"), "DELIVERY_FEE_FREIGHT_SURCHARGE": D("34.00")}
    assert table.shipping_commission_on(freight, date(2025, 1, 1)) == D("5.03")  # 0.952 + 4.08 = 5.032


YEAR = {"orders": 300, "seed": 10, "start": date(2024, 7, 1), "weeks": 39}  # Mon 2024-07-01 .. Mon 2025-03-31
NEW_FAULTS = {"tiered item charged flat", "tiers applied before they began", "base fee of the previous period",
              "shipping commission refunded on a partial return"}


def _year(db: Database, tmp_path: Path, faults: bool) -> tuple[Quarter, ReconResult]:
    year = simulate(**YEAR, faults=faults)  # type: ignore[arg-type]
    write_quarter(year, tmp_path / "data")
    report = import_paths(db, [tmp_path / "data"])
    assert report.exit_code == 0, [p for f in report.files for p in f.problems][:5]
    return year, reconcile(db, as_of=year.as_of)


def _rows(found: list[Any]) -> list[tuple[Any, ...]]:
    return sorted((d.kind, d.document_number, d.position_item_id, d.order_number, d.expected, d.actual)
                  for d in found)


def test_a_clean_generated_year_across_the_2024_changes_has_no_finding_and_ties_out(
    db: Database, tmp_path: Path
) -> None:
    year, result = _year(db, tmp_path, faults=False)
    assert year.as_of == date(2025, 3, 31)
    fees = [inv.lines[0].net for inv in year.invoices if inv.number.startswith("GG-")]
    assert fees[:2] == [D("39.90"), D("99.90")] and set(fees[1:]) == {D("99.90")}  # July 2024, then 99.90
    tiered = [line for inv in year.invoices for line in inv.lines
              if line.category in ("Schmuck", "Bekleidung", "Uhren") and line.shipped_at
              and line.shipped_at.date() >= date(2024, 10, 2)]
    assert len(tiered) >= 20 and any(line.rate is None for line in tiered)
    assert any(FREIGHT in o.shipping for o in year.orders)
    assert result.discrepancies == []
    assert [(t.category, t.unexplained) for t in result.tie_out] == [
        ("commission", ZERO), ("shipping_commission", ZERO), ("base_fee", ZERO), ("corrections", ZERO),
        ("payouts", ZERO)]
    assert all(t.invoiced == t.expected and t.explained == ZERO for t in result.tie_out)
    assert result.totals.invoiced_base_fee_net == D("39.90") + 8 * D("99.90")


def test_a_generated_year_finds_exactly_the_injected_faults_and_ties_out(db: Database, tmp_path: Path) -> None:
    year, result = _year(db, tmp_path, faults=True)
    assert _rows(result.discrepancies) == _rows(year.expected)
    assert {e.fault for e in year.expected} >= NEW_FAULTS
    assert all(t.unexplained == ZERO for t in result.tie_out), result.tie_out
    explained = {t.category: t.explained for t in result.tie_out}
    assert all(explained[c] != ZERO for c in ("commission", "shipping_commission", "base_fee", "corrections",
                                              "payouts"))
    partial = next(e for e in year.expected if e.fault == "shipping commission refunded on a partial return")
    finding = next(d for d in result.discrepancies
                   if d.kind == "CORRECTION_MISMATCH" and d.document_number == partial.document_number
                   and d.position_item_id is None)
    assert finding.in_favour_of == "seller" and finding.expected == ZERO and finding.actual == partial.actual
    assert finding.message.startswith(f"erstattet die Versandkostenprovision des Auftrags {partial.order_number} ")
    wrong_period = next(e for e in year.expected if e.fault == "base fee of the previous period")
    assert (wrong_period.document_number, wrong_period.expected, wrong_period.actual) == (
        "GG-2024-08", D("99.90"), D("39.90"))


def test_a_tiered_item_charged_flat_says_how_the_expectation_was_built(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECON_LANG", "de")
    year, result = _year(db, tmp_path, faults=True)
    flat = next(e for e in year.expected if e.fault == "tiered item charged flat")
    finding = next(d for d in result.discrepancies if d.position_item_id == flat.position_item_id)
    item = next(i for o in year.orders for i in o.items if i.pid == flat.position_item_id)
    assert item.shipped_at is not None
    entry = year.fees.lookup("commission", item.shipped_at.astimezone(BERLIN).date(), item.product.category)
    assert item.shipped_at is not None
    assert entry is not None and entry.tiers
    parts = tier_parts(item.product.gross, entry.tiers)
    terms = " + ".join(f"{i18n.percent(p.rate)} von {i18n.number(p.base)}" for p in parts)
    assert finding.message == (f"{item.product.category}, Staffel: {terms} = {i18n.money(flat.expected)} "
                               f"erwartet, berechnet {i18n.money(flat.actual)}")
