"""`recon columns FILE [--kind K] [--write MAP.toml] [--save] | --saved`: which column is which field, and why."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from recon import i18n
from recon.cli.common import add_db_option, db_path
from recon.importing.decoding import decode
from recon.importing.layouts import CSV_KINDS, Layout, load_layouts
from recon.importing.mapping import FieldMatch, Proposal, Sample, detect, kind_label, propose, read_sample
from recon.importing.problems import Rejected
from recon.importing.saved_mappings import (
    MappingError,
    known_orders,
    mapping_for,
    mapping_toml,
    save_mapping,
    saved_versions,
)
from recon.store import Database, open_database


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "columns", help=i18n.t("columns.cli.help"), description=i18n.t("columns.cli.description"),
    )
    add_db_option(parser)
    parser.add_argument("file", nargs="?", type=Path, metavar="FILE")
    parser.add_argument("--kind", choices=CSV_KINDS, help=i18n.t("columns.cli.kind_help"))
    parser.add_argument("--write", type=Path, metavar="MAP.toml", help=i18n.t("columns.cli.write_help"))
    parser.add_argument("--save", action="store_true", help=i18n.t("columns.cli.save_help"))
    parser.add_argument("--saved", action="store_true", help=i18n.t("columns.cli.saved_help"))
    parser.set_defaults(run=run)


def _error(text: str) -> None:
    print(f"recon columns: {text}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    if args.saved:
        return _list_saved(db_path(args))
    path: Path | None = args.file
    if path is None:
        _error(i18n.t("columns.cli.no_file"))
        return 2
    try:
        data = path.read_bytes()
    except OSError as exc:
        _error(f"{path}: {exc.strerror}")
        return 2
    try:
        sample = read_sample(decode(data).data[:2_000_000].decode("utf-8", errors="replace"))
    except Rejected as exc:
        for line in exc.render(str(path)):
            print(line, file=sys.stderr)
        return 2
    if not sample.headers or data.lstrip()[:1] in (b"{", b"["):
        _error(i18n.t("columns.cli.not_csv", file=path))
        return 2
    layouts = load_layouts()
    db = _database(db_path(args), writable=args.save)
    try:
        return _propose(args, path, sample, layouts, db)
    finally:
        if db is not None:
            db.close()


def _database(path: Path, writable: bool) -> Database | None:
    """The store for evidence (order numbers of receipts) and saving; none yet is fine unless saving."""
    if writable:
        return open_database(path)
    if not path.exists():
        return None
    return open_database(path, read_only=True)


def _propose(args: argparse.Namespace, path: Path, sample: Sample, layouts: dict[str, Layout],
             db: Database | None) -> int:
    values = (v for i in range(len(sample.headers)) for v in sample.values(i))
    orders = known_orders(db, values) if db is not None else frozenset()
    kind: str | None = args.kind
    if db is not None and (saved := mapping_for(db, sample.headers)) is not None:
        # show the file as imports will read it: through the saved mapping
        print(i18n.t("columns.cli.saved_exists", version=saved.version, label=saved.label))
        layouts, kind = load_layouts(None, saved.toml), kind or saved.kind
    if kind:
        proposal = propose(sample, layouts[kind], orders)
        given = "columns.cli.kind_given" if args.kind else "columns.cli.kind_found"
        print(i18n.t(given, kind=kind_label(layouts[kind])))
    else:
        found = detect(sample, layouts, orders)
        if found.best is None:
            _nothing_fits(sample, found.ranked, layouts)
            return 1
        if found.tied:
            kinds = ", ".join((found.best.kind, *found.tied))
            _error(i18n.t("columns.cli.tied", kinds=kinds))
            return 1
        proposal = found.best
        print(i18n.t("columns.cli.kind_found", kind=kind_label(layouts[proposal.kind])))
    _print(proposal, layouts[proposal.kind])
    code = 0 if proposal.complete else 1
    if args.write is not None:
        _write(args.write, proposal, path)
    if args.save:
        assert db is not None
        code = _save(db, proposal, path) or code
    return code


def _field_label(layout: Layout, name: str) -> str:
    """The field and its reference name (not a mapping's alias)."""
    col = load_layouts()[layout.kind].column(name)
    return f"{name} ({col.aliases[0]})" if col.aliases else name


def _how(m: FieldMatch, headers: list[str]) -> str:
    if m.how == "missing":
        return i18n.t("columns.how.missing_needed" if m.needed else "columns.how.missing")
    if m.how == "conflict":
        return i18n.t("columns.how.conflict", shape=i18n.t(f"columns.shape.{m.why.removeprefix('values_')}"))
    if m.how == "ambiguous":
        shown = " / ".join(f"'{headers[i].strip()}'" for i in m.candidates)
        return i18n.t("columns.how.ambiguous", columns=shown)
    return i18n.t(f"columns.why.{m.why}")


def _print(proposal: Proposal, layout: Layout) -> None:
    headers = proposal.headers
    rows = [(_field_label(layout, m.field) + (" *" if m.needed else ""),
             f"'{headers[m.column].strip()}'" if m.column is not None and m.how != "ambiguous" else "–",
             _how(m, headers)) for m in proposal.matches]
    width_field = max(len(r[0]) for r in rows)
    width_column = max(len(r[1]) for r in rows)
    print(f"{i18n.t('columns.cli.col_field'):<{width_field}}  {i18n.t('columns.cli.col_column'):<{width_column}}  "
          f"{i18n.t('columns.cli.col_how')}")
    for field_text, column_text, how in rows:
        print(f"{field_text:<{width_field}}  {column_text:<{width_column}}  {how}")
    print(i18n.t("columns.cli.needed_mark"))
    unused = ", ".join(f"'{headers[i].strip()}'" for i in proposal.unused) or i18n.t("common.none")
    print(i18n.t("columns.cli.unused", columns=unused))
    if proposal.missing:
        print(i18n.t("columns.cli.missing", fields=", ".join(proposal.missing)))
    needs_human = [m.field for m in proposal.ambiguous]
    if needs_human:
        print(i18n.t("columns.cli.decide", fields=", ".join(needs_human)))
    if proposal.complete:
        print(i18n.t("columns.cli.complete"))


def _nothing_fits(sample: Sample, ranked: tuple[Proposal, ...], layouts: dict[str, Layout]) -> None:
    found = ", ".join(f"'{h.strip()}'" for h in sample.headers if h.strip()) or i18n.t("common.none")
    _error(i18n.t("columns.cli.nothing_fits", columns=found))
    for proposal in ranked:
        print(i18n.t("columns.cli.kind_missing", kind=kind_label(layouts[proposal.kind]),
                     fields=", ".join(proposal.missing) or i18n.t("common.none")), file=sys.stderr)


def _accepted(proposal: Proposal) -> dict[str, int]:
    return {m.field: m.column for m in proposal.matches if m.how in ("alias", "suggested") and m.column is not None}


def _write(target: Path, proposal: Proposal, source: Path) -> None:
    pending = {m.field: m.candidates for m in proposal.ambiguous}
    text = mapping_toml(proposal.kind, proposal.headers, _accepted(proposal), pending, source.name)
    target.write_text(text, encoding="utf-8")
    print(i18n.t("columns.cli.written", file=target, pending=len(pending)))


def _save(db: Database, proposal: Proposal, source: Path) -> int:
    if not proposal.complete:
        _error(i18n.t("columns.cli.not_saved_incomplete"))
        return 1
    try:
        version = save_mapping(db, proposal.kind, proposal.headers, _accepted(proposal), source.name)
    except MappingError as exc:
        _error(i18n.t("columns.cli.not_saved", reason=str(exc)))
        return 1
    print(i18n.t("columns.cli.saved", version=version))
    return 0


def _list_saved(path: Path) -> int:
    if not path.exists():
        print(i18n.t("columns.cli.none_saved"))
        return 0
    db = open_database(path, read_only=True)
    try:
        versions = saved_versions(db)
    finally:
        db.close()
    if not versions:
        print(i18n.t("columns.cli.none_saved"))
        return 0
    for v in versions:
        flag = i18n.t("columns.cli.in_force") if v.in_force else ""
        print(f"{v.version:>4}  {i18n.day(v.created_at)}  {v.created_by:<12} {v.kind:<12} {v.label}{flag}")
        print(f"      {v.headers}")
    return 0
