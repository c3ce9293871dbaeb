"""The benchmark is no test, but it must keep working: run it at about a thousand position items."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "run.py"


def test_bench_runs_at_a_thousand_items_and_writes_every_stage(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--sizes", "1000", "--data", str(tmp_path / "data"), "--out", str(out),
         "--work", str(tmp_path / "work"), "--repeat", "1"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    stages = {s["stage"]: s for s in result["stages"]}
    assert list(stages) == ["generate", "floor", "duckdb", "import", "dashboard", "reconcile fresh", "reconcile",
                            "report", "startup help", "startup sources"]
    dataset = result["datasets"]["1000"]
    assert 900 <= dataset["position_items"] <= 1100
    for name in ("floor", "duckdb", "import", "reconcile fresh", "reconcile"):
        stage = stages[name]
        assert stage["status"] == "ok", stage
        assert stage["rows"] == dataset["position_items"]
        assert 0 < stage["seconds"] < 120
        assert stage["rows_per_s"] > 0
        assert 10 < stage["peak_rss_mb"] < 2048
    assert stages["report"]["status"] in ("ok", "not available")
    assert "0 abgelehnt" in stages["import"]["note"]
    assert result["import_over_floor"]["1000"] > 0
    assert result["import_over_duckdb"]["1000"] > 0
    assert stages["startup help"]["status"] == stages["startup sources"]["status"] == "ok"
    assert len(stages["import"]["runs"]) == 1
    assert dataset["discrepancies_found"] >= dataset["expected_discrepancies"]
    assert "x floor" in proc.stdout and "x duckdb" in proc.stdout and "load average before" in proc.stdout
    assert stages["generate"]["status"] == "ok" and stages["generate"]["cpu_s"] > 0
    assert stages["dashboard"]["status"] == "ok", stages["dashboard"]
    extra = stages["dashboard"]["extra"]
    assert 0 < extra["first_overview_s"] < stages["dashboard"]["seconds"]
    assert 0 < extra["after_import_overview_s"] < stages["dashboard"]["seconds"]
    assert all(len(s["load"]) == len(s["runs"]) for s in stages.values())
    # No reference for this size in a fresh folder: said so, and every target is listed (not measured at 1k).
    assert dataset["exactness"]["status"] == "no reference"
    targets = {t["target"]: t["status"] for t in result["targets"]}
    assert targets["reconcile_s"] == targets["exactness"] == "not measured"
    assert {"import_over_floor", "import_over_duckdb", "report_s", "startup_help_s", "dashboard_first_overview_s",
            "dashboard_cold_overview_s", "reconcile_stored_s", "generate_over_import", "scale_10m_over_1m import",
            "scale_10m_over_1m reconcile fresh"} <= set(targets)


def test_bench_exactness_passes_against_its_own_reference_and_names_a_changed_column(tmp_path: Path) -> None:
    """A reference written from one import; a second import of the same files matches it; a changed amount
    in the database is named by table and column."""
    import duckdb

    exactness = BENCH.parent / "exactness.py"
    files = Path(__file__).resolve().parents[1] / "fixtures" / "samples"
    run = [sys.executable, "-m", "recon"]
    prints = []
    for n in (1, 2):
        db, found = tmp_path / f"{n}.duckdb", tmp_path / f"{n}.json"
        subprocess.run([*run, "import", "--db", str(db), str(files)], check=True, capture_output=True)
        subprocess.run([*run, "reconcile", "--db", str(db), "--as-of", "2026-11-02", "--json", str(found)],
                       check=True, capture_output=True)
        prints.append(tmp_path / f"fp{n}.json")
        subprocess.run([sys.executable, str(exactness), "fingerprint", str(db), str(found), str(prints[-1])],
                       check=True)
    same = subprocess.run([sys.executable, str(exactness), "compare", str(prints[0]), str(prints[1])],
                          capture_output=True, text=True, check=False)
    assert same.returncode == 0, same.stdout + same.stderr
    assert json.loads(same.stdout)["status"] == "pass"
    con = duckdb.connect(str(tmp_path / "2.duckdb"))
    con.execute("UPDATE invoice_lines SET commission_net = commission_net + 0.01 WHERE source_line = 2")
    con.close()
    subprocess.run([sys.executable, str(exactness), "fingerprint", str(tmp_path / "2.duckdb"),
                    str(tmp_path / "2.json"), str(prints[1])], check=True)
    changed = subprocess.run([sys.executable, str(exactness), "compare", str(prints[0]), str(prints[1])],
                             capture_output=True, text=True, check=False)
    assert changed.returncode == 1
    assert json.loads(changed.stdout)["differences"] == ["table invoice_lines: content differs in commission_net"]


def test_exactness_names_a_total_the_reference_predates_and_fails_a_changed_one() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("exactness", BENCH.parent / "exactness.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    reference = {"totals": {"sales_gross": "10.00"}, "findings": [], "tables": {}, "duckdb": "1"}
    newer = {"totals": {"sales_gross": "10.00", "expected_payment_fee_refunds": "0.00"}, "findings": [],
             "tables": {}, "duckdb": "1"}
    same = module.compare(reference, newer)
    assert (same["status"], same["differences"]) == ("pass", [])
    assert same["notes"] == ["totals: expected_payment_fee_refunds is new (not in the reference)"]
    changed = module.compare(reference, {**newer, "totals": {"sales_gross": "10.01"}})
    assert (changed["status"], changed["differences"]) == ("fail", ["totals: sales_gross 10.00 -> 10.01"])
