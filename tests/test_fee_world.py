"""Today's OTTO fee world: the reference table current to 2026, shown plainly, and a generated year across
the 2024 changes (base fee 99.90 from August, tiers from October, freight) that reconciles exactly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from recon.cli import main
from recon.fees.table import load_fee_table


def _show(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    assert main(["fees", "--db", str(tmp_path / "fees.duckdb"), "show", *args]) == 0
    return capsys.readouterr().out.splitlines()


def test_fees_show_on_2026_11_24_has_the_99_90_base_fee_and_the_reported_tiers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECON_LANG", "de")
    out = _show(tmp_path, capsys, "--on", "2026-11-24")
    assert out[0] == "OTTO Market reference fee table 2026-11-24"
    base = [line.split() for line in out if line.split()[:1] == ["base_fee"]]
    assert base == [["base_fee", "99,90", "€", "netto", "2024-08-01", "..", "open", "[reference]", "(gemeldet)"]]
    schmuck = out.index(next(line for line in out if line.split()[:2] == ["commission", "Schmuck"]))
    assert out[schmuck].split() == ["commission", "Schmuck", "Staffel", "2024-10-01", "..", "open", "[reference]",
                                    "(gemeldet)"]
    assert out[schmuck + 1].strip() == "bis 100,00 €: 22 % · 100,00–200,00 €: 20 % · über 200,00 €: 18 %"
    kleidung = out.index(next(line for line in out if line.split()[:2] == ["commission", "Bekleidung"]))
    assert out[kleidung].split()[2:] == ["Staffel", "2024-10-01", "..", "open", "[reference]", "(gemeldet)"]
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
