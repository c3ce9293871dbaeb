"""The model graph in queries/model: declared needs match what each model reads, it builds in dependency
order, bad graphs are refused with a clear error, and each business rule is written in one queries/ file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from recon.engine import graph
from recon.engine.graph import Model, ModelGraphError, build_order, mermaid, parse

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "queries"


def _reads(sql: str, names: set[str]) -> set[str]:
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return {name for name in names if re.search(rf"\b(FROM|JOIN)\s+{name}\b", body, re.IGNORECASE)}


def test_every_model_declares_exactly_the_models_it_reads() -> None:
    models = graph.models()
    assert len(models) >= 15
    for name, model in models.items():
        assert set(model.needs) == _reads(model.sql, set(models) - {name}), name


def test_build_order_puts_every_model_after_what_it_needs() -> None:
    models = graph.models()
    order = build_order(models)
    assert sorted(order) == sorted(models)
    for name, model in models.items():
        assert all(order.index(need) < order.index(name) for need in model.needs), name


def test_building_one_model_builds_only_what_it_needs() -> None:
    assert build_order(graph.models(), ["payout_line_status"]) == ["documents", "payout_line_status"]
    assert build_order(graph.models(), ["orders"]) == ["sold", "returned", "orders"]


def _model(name: str, *needs: str) -> Model:
    return Model(name, needs, f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT 1")


def test_a_cycle_is_refused_naming_it() -> None:
    cyclic = {m.name: m for m in (_model("a", "b"), _model("b", "c"), _model("c", "a"), _model("d"))}
    with pytest.raises(ModelGraphError, match=re.escape("the model graph has a cycle: a -> b -> c -> a")):
        build_order(cyclic)


def test_a_missing_model_is_refused_naming_who_needs_it() -> None:
    broken = {m.name: m for m in (_model("a", "b"), _model("b", "nowhere"))}
    message = "model 'b' needs 'nowhere', which is no model in queries/model/"
    with pytest.raises(ModelGraphError, match=re.escape(message)):
        build_order(broken)
    with pytest.raises(ModelGraphError, match=re.escape("asked for 'x', which is no model")):
        build_order(broken, ["x"])


def test_a_model_file_without_header_or_table_is_refused() -> None:
    with pytest.raises(ModelGraphError, match="must start with '-- needs:"):
        parse("sold", "CREATE OR REPLACE TEMP TABLE sold AS SELECT 1")
    with pytest.raises(ModelGraphError, match=re.escape("must build its table: 'CREATE OR REPLACE TEMP TABLE x AS")):
        parse("x", "-- needs:\nCREATE OR REPLACE TEMP TABLE y AS SELECT 1")
    assert parse("x", "-- needs: a, b\nCREATE OR REPLACE TEMP TABLE x AS SELECT 1").needs == ("a", "b")


def _files_with(pattern: str) -> list[str]:
    found = []
    for path in sorted(QUERIES.rglob("*.sql")):
        if re.search(pattern, path.read_text(encoding="utf-8")):
            found.append(str(path.relative_to(QUERIES)))
    return found


@pytest.mark.parametrize(("rule", "pattern", "home"), [
    # expected commission: rate x base, half-up, then VAT on the rounded net
    ("fee arithmetic", r"pct_of\(pct_of\(", "engine/macros.sql"),
    ("expected item commission", r"fee_net\(e\.gross", "model/expected_item_fees.sql"),
    ("SKU -> category fallback", r"arg_max\(category", "model/sku_category.sql"),
    ("category of a sold item", r"coalesce\(c\.category, k\.category\)", "model/expected_item_fees.sql"),
    ("first base fee month", r"getvariable\('payment_account_live'\)", "model/base_fee_start.sql"),
    ("base fee months", r"generate_series\(", "model/base_fee_months.sql"),
    ("payout line status", r"THEN 'unbekannt'", "model/payout_line_status.sql"),
    ("signed document amount", r"-total_gross", "model/documents.sql"),
    ("settled documents", r"FROM payout_lines p WHERE p\.document_number", "model/documents.sql"),
])
def test_each_rule_is_written_in_one_queries_file(rule: str, pattern: str, home: str) -> None:
    assert _files_with(pattern) == [home], rule


def test_the_first_fee_month_is_not_computed_in_python() -> None:
    assert "first_fee_month" not in (ROOT / "recon" / "engine" / "run.py").read_text(encoding="utf-8")


def test_architecture_doc_shows_the_current_graph() -> None:
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert f"```mermaid\n{mermaid()}\n```" in doc, "regenerate with: python -m recon.engine.graph"
