"""The model graph: one SQL file per named table in queries/model/, each declaring what it reads.

A model file opens with `-- needs: a, b` (the other models it selects from; stored tables and the
registered `fee_schedule` are not models) and holds one `CREATE OR REPLACE TEMP TABLE <its name> AS ...`.
They are built in dependency order, so every rule lives in exactly one model and checks, totals, views and
pages select from it. A cycle or a model that needs an unknown one is refused before anything runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import duckdb

from recon.store.sql import names, query

FOLDER = "model"
NEEDS = "-- needs:"


class ModelGraphError(ValueError):
    """The declared graph cannot be built: a cycle, or a model that needs one that does not exist."""


@dataclass(frozen=True)
class Model:
    name: str
    needs: tuple[str, ...]
    sql: str


def parse(name: str, sql: str) -> Model:
    """A model from its file text; the first line must be its `-- needs:` header (empty when none)."""
    first = sql.lstrip().splitlines()[0] if sql.strip() else ""
    if not first.startswith(NEEDS):
        raise ModelGraphError(f"queries/{FOLDER}/{name}.sql must start with '{NEEDS} ...' (the models it reads)")
    needs = tuple(part.strip() for part in first[len(NEEDS):].split(",") if part.strip())
    creates = f"CREATE OR REPLACE TEMP TABLE {name} AS"
    if creates not in sql:
        raise ModelGraphError(f"queries/{FOLDER}/{name}.sql must build its table: '{creates} ...'")
    return Model(name, needs, sql)


@cache
def models() -> dict[str, Model]:
    """Every model in queries/model/, by name."""
    return {name: parse(name, query(f"{FOLDER}/{name}")) for name in names(FOLDER)}


def build_order(graph: dict[str, Model], targets: Iterable[str] | None = None) -> list[str]:
    """The models to build for `targets` (all when None), each after everything it needs."""
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name not in graph:
            who = f"model '{path[-1]}' needs" if path else "asked for"
            raise ModelGraphError(f"{who} '{name}', which is no model in queries/{FOLDER}/")
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            cycle = " -> ".join((*path[path.index(name):], name))
            raise ModelGraphError(f"the model graph has a cycle: {cycle}")
        state[name] = "visiting"
        for need in graph[name].needs:
            visit(need, (*path, name))
        state[name] = "done"
        order.append(name)

    for name in sorted(graph) if targets is None else targets:
        visit(name, ())
    return order


def build(con: duckdb.DuckDBPyConnection, targets: Iterable[str] | None = None,
          graph: dict[str, Model] | None = None) -> list[str]:
    """Create the models (and what they need) as temporary tables; returns the names built, in order."""
    graph = graph if graph is not None else models()
    order = build_order(graph, targets)
    for name in order:
        con.execute(graph[name].sql)
    return order


def mermaid(graph: dict[str, Model] | None = None) -> str:
    """The graph as a Mermaid flowchart (docs/architecture.md embeds it; a test keeps it current)."""
    graph = graph if graph is not None else models()
    lines = ["flowchart LR"]
    for name in sorted(graph):
        needs = graph[name].needs
        if not needs:
            lines.append(f"    {name}")
        lines.extend(f"    {need} --> {name}" for need in needs)
    return "\n".join(lines)


if __name__ == "__main__":
    print(mermaid())
