"""Load the SQL files in `queries/`. SQL is data: it never gets built from user strings."""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[2] / "queries"


def _root() -> Traversable:
    """`queries/` beside the package in a checkout; the copy shipped as `recon.queries` in a wheel."""
    if (_CHECKOUT / "schema").is_dir():
        return _CHECKOUT
    return resources.files("recon.queries")


@cache
def query(name: str) -> str:
    """Text of `queries/<name>.sql`; `name` may contain a sub-folder (`importing/find_source`)."""
    node = _root()
    parts = name.split("/")
    for part in parts[:-1]:
        node = node / part
    return (node / f"{parts[-1]}.sql").read_text(encoding="utf-8")


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every `queries/schema/NNN_name.sql`, in order."""
    found = []
    for entry in (_root() / "schema").iterdir():
        if not entry.name.endswith(".sql"):
            continue
        number, _, rest = entry.name.partition("_")
        found.append((int(number), rest.removesuffix(".sql"), entry.read_text(encoding="utf-8")))
    return sorted(found)


def names(folder: str) -> list[str]:
    """The query names (file names without `.sql`) in `queries/<folder>/`, sorted."""
    node = _root() / folder
    return sorted(entry.name.removesuffix(".sql") for entry in node.iterdir() if entry.name.endswith(".sql"))
