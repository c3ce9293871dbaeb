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
    assert list(stages) == ["floor", "duckdb", "import", "reconcile", "reconcile fresh", "report", "startup help",
                            "startup sources"]
    dataset = result["datasets"]["1000"]
    assert 900 <= dataset["position_items"] <= 1100
    for name in ("floor", "duckdb", "import", "reconcile", "reconcile fresh"):
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
