"""Stored reconciliation runs (recon.engine.results): reused while data, fee table, period and as-of day are
the same, recomputed after an import or a fee change, and never different from a fresh run."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from recon import settings
from recon.cli import main
from recon.engine import reconcile, results, run
from recon.engine.output import result_dict
from recon.fees.store import current_fee_table
from recon.importing import import_paths
from recon.period import explicit_period
from recon.reports.content import collect
from recon.store import open_database
from recon.store.dump import canonical_hash
from recon.ui import data
from recon.ui.periods import ALL, preset_period
from tests.conftest import SAMPLES
from tests.generated import write_invoice

AS_OF = date(2026, 11, 26)
RATE_CHANGE = '[[commission]]\ncategory = "Möbel"\nrate = "25.00"\nvalid_from = "2026-01-01"\n'


@pytest.fixture
def counter(monkeypatch: pytest.MonkeyPatch) -> type[results.Counter]:
    monkeypatch.setattr(results.Counter, "computed", 0)
    monkeypatch.setattr(results.Counter, "reused", 0)
    return results.Counter


@pytest.fixture
def as_of(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setenv("RECON_AS_OF", AS_OF.isoformat())
    assert settings.current().today() == AS_OF
    return AS_OF


def _import(path: Path, files: list[Path]) -> None:
    assert main(["import", "--db", str(path), *map(str, files)]) == 0


def _reconcile_json(path: Path, out: Path) -> dict[str, object]:
    assert main(["reconcile", "--db", str(path), "--as-of", AS_OF.isoformat(), "--json", str(out)]) == 0
    loaded: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
    return loaded


def _fresh(path: Path) -> dict[str, object]:
    db = open_database(path, read_only=True)
    try:
        return result_dict(reconcile(db, as_of=AS_OF))
    finally:
        db.close()


def test_import_stores_the_run_and_reconcile_reuses_it(tmp_path: Path, counter: type[results.Counter],
                                                       as_of: date) -> None:
    path = tmp_path / "recon.duckdb"
    _import(path, [SAMPLES])
    assert (counter.computed, counter.reused) == (1, 0)  # the import computed today's run once
    first = _reconcile_json(path, tmp_path / "a.json")
    second = _reconcile_json(path, tmp_path / "b.json")
    assert (counter.computed, counter.reused) == (1, 2)
    assert first == second == _fresh(path)  # the stored run gives exactly what a fresh one gives
    totals = first["totals"]
    assert isinstance(totals, dict) and totals["discrepancies"] == len(first["discrepancies"])  # type: ignore[arg-type]


def test_other_day_or_period_is_computed_then_stored(tmp_path: Path, counter: type[results.Counter],
                                                     as_of: date) -> None:
    path = tmp_path / "recon.duckdb"
    _import(path, [SAMPLES])
    args = ["reconcile", "--db", str(path), "--as-of", "2026-11-30", "--from", "2026-11-01"]
    assert main(args) == 0
    assert (counter.computed, counter.reused) == (2, 0)
    assert main(args) == 0
    assert (counter.computed, counter.reused) == (2, 1)


def test_an_import_changes_the_key_and_the_result(tmp_path: Path, counter: type[results.Counter],
                                                  as_of: date) -> None:
    path = tmp_path / "recon.duckdb"
    invoices = sorted(SAMPLES.glob("invoice_*.csv"))
    _import(path, invoices)
    before = _reconcile_json(path, tmp_path / "a.json")
    assert (counter.computed, counter.reused) == (1, 1)
    _import(path, [p for p in sorted(SAMPLES.iterdir()) if p not in invoices])
    assert counter.computed == 2  # the import stored the new run
    after = _reconcile_json(path, tmp_path / "b.json")
    assert (counter.computed, counter.reused) == (2, 2)
    assert after != before
    assert after == _fresh(path)


def test_a_fee_change_is_recomputed_never_stale(tmp_path: Path, counter: type[results.Counter],
                                                as_of: date) -> None:
    path = tmp_path / "recon.duckdb"
    _import(path, [SAMPLES])
    before = _reconcile_json(path, tmp_path / "a.json")
    override = tmp_path / "fees.toml"
    override.write_text(RATE_CHANGE, encoding="utf-8")
    assert main(["fees", "save", "--db", str(path), str(override)]) == 0
    assert counter.computed == 2  # fees save stored the run under the new fee table
    after = _reconcile_json(path, tmp_path / "b.json")
    assert counter.computed == 2 and counter.reused == 2
    assert after["totals"] != before["totals"]
    assert after == _fresh(path)
    # --fees FILE is a fee table of its own: computed, not the stored run of the saved one
    assert main(["reconcile", "--db", str(path), "--as-of", AS_OF.isoformat(), "--fees", str(override)]) == 0
    assert counter.computed == 3


def test_report_reuses_the_run_with_identical_content(tmp_path: Path, counter: type[results.Counter],
                                                      as_of: date) -> None:
    path = tmp_path / "recon.duckdb"
    _import(path, [SAMPLES])
    db = open_database(path, read_only=True)
    try:
        stored = collect(db, explicit_period(None, None, AS_OF), AS_OF)
        assert (counter.computed, counter.reused) == (1, 1)
        fees = current_fee_table(db)
        fresh = results.compute(db, fees, results.key_for(db, fees, AS_OF))[1]
    finally:
        db.close()
    assert stored.result.discrepancies == fresh.discrepancies
    assert stored.result.totals == fresh.totals and stored.result.tie_out == fresh.tie_out
    assert stored.result.fee_table == fresh.fee_table


def test_dashboard_snapshot_reads_the_stored_run_read_only(tmp_path: Path, counter: type[results.Counter],
                                                          as_of: date) -> None:
    path = tmp_path / "recon.duckdb"
    _import(path, [SAMPLES])
    period = preset_period(ALL, AS_OF)  # the dashboard's first view
    stored = data.snapshot(path, period)
    assert (counter.computed, counter.reused) == (1, 1)
    # another day: computed in memory (the dashboard's connection is read-only), nothing stored
    hash_before = _hash(path)
    other = data.snapshot(path, preset_period(ALL, date(2026, 11, 30)))
    assert (counter.computed, counter.reused) == (2, 1)
    assert _hash(path) == hash_before
    assert other.result.as_of == date(2026, 11, 30)
    # a database whose stored run is gone: computed, and the same snapshot as the stored one
    db = open_database(path)
    db.con.execute("DELETE FROM reconcile_results")
    db.close()
    fresh = data.snapshot(path, period)
    assert counter.computed == 3
    assert fresh.result.discrepancies == stored.result.discrepancies
    assert fresh.result.totals == stored.result.totals
    for name in ("weekly", "payouts", "categories", "open_summary", "open_items"):
        assert getattr(fresh, name).equals(getattr(stored, name)), name
    assert (fresh.next_payout, fresh.open_count, fresh.open_amount) == (
        stored.next_payout, stored.open_count, stored.open_amount)


def test_results_are_no_content(tmp_path: Path, as_of: date) -> None:
    """The stored runs are derived: the canonical dump (and check-db's hash) do not see them."""
    path = tmp_path / "recon.duckdb"
    db = open_database(path)
    try:
        import_paths(db, [SAMPLES])
        before = canonical_hash(db)
        data.refresh_results(db)
        assert db.con.execute("SELECT count(*) FROM reconcile_results").fetchone() == (6 + 1,)
        assert canonical_hash(db) == before
    finally:
        db.close()


def _hash(path: Path) -> str:
    db = open_database(path, read_only=True)
    try:
        count = db.con.execute("SELECT count(DISTINCT key) FROM reconcile_results").fetchone()
        return f"{canonical_hash(db)} {count}"
    finally:
        db.close()


def test_import_streams_a_run_of_many_findings_into_the_store(tmp_path: Path, counter: type[results.Counter],
                                                              as_of: date, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every line of this file is a finding-to-be (no receipt shows the sale, no rate for the category): the
    # import stores the run row by row in small batches (here 1,000), and what it stored is exactly a fresh run.
    monkeypatch.setattr(run, "BATCH", 1_000)
    path = tmp_path / "recon.duckdb"
    _import(path, [write_invoice(tmp_path / "invoice_PR-2026-000900.csv", "PR-2026-000900", 4_321)])
    assert (counter.computed, counter.reused) == (1, 0)
    stored = _reconcile_json(path, tmp_path / "a.json")
    assert (counter.computed, counter.reused) == (1, 1)
    assert stored == _fresh(path)
    assert [(k["kind"], k["count"]) for k in stored["by_kind"]] == [  # type: ignore[index, union-attr]
        ("COMMISSION_MISMATCH", 4_321), ("CHARGE_WITHOUT_SALE", 4_321), ("SETTLEMENT_MISSING", 1),
        ("UNEXPLAINED_DIFFERENCE", 1)]


def test_the_streamed_run_stores_what_a_full_run_returns(tmp_path: Path, as_of: date) -> None:
    path = tmp_path / "recon.duckdb"
    db = open_database(path)
    try:
        import_paths(db, [*sorted(SAMPLES.iterdir()),
                          write_invoice(tmp_path / "invoice_PR-2026-000901.csv", "PR-2026-000901", 7)])
        fees = current_fee_table(db)
        key = results.key_for(db, fees, AS_OF)
        raw, _result = run.run_raw(run.prepare(db, fees, AS_OF))
        _models, parts = results.compute_stored(db, fees, key)
    finally:
        db.close()
    streamed, label = results.decode_run(parts[results.RUN])
    assert (len(raw.rows), len(raw.tie_out_rows)) == (16, 1)
    assert label == "OTTO-Market-Referenztabelle der Gebühren 2026-11-24"
    assert streamed == results.decode_run(results.encode_run(raw, label))[0]
    assert streamed.rows == raw.rows and streamed.totals == raw.totals and streamed.tie_out_rows == raw.tie_out_rows
