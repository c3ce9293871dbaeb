"""Import files into the store: detect, decode, validate, then write each file in one transaction.

The CLI and the dashboard both come through `import_paths` / `import_bytes`, so an upload and a cron job
get the same checks and the same messages.
"""

from __future__ import annotations

import csv
import getpass
import hashlib
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Literal

import duckdb
import polars as pl

from recon import i18n, settings
from recon.clock import stamp
from recon.importing import limits, mail, receipts_csv, statements
from recon.importing import receipts as receipts_json
from recon.importing.csv_kinds import validate, variation_notes
from recon.importing.csv_table import Table, header_line, read_table, separator_problem
from recon.importing.decoding import decode
from recon.importing.fields import MAX_AMOUNT
from recon.importing.layouts import CSV_KINDS, Layout, detect_kind, load_layouts
from recon.importing.mapping import Sample, detect, incomplete_message, propose, read_sample, unknown_kind_message
from recon.importing.numbers import number_keys
from recon.importing.origin import Origin
from recon.importing.problems import FileProblem, Problem, Rejected, reject
from recon.importing.saved_mappings import known_orders, mapping_for
from recon.store import Database, query, receipt_json

KINDS = (*CSV_KINDS, "receipts")
Status = Literal["imported", "skipped", "rejected"]
Progress = Callable[[str, float], None]


@dataclass
class FileResult:
    name: str
    status: Status
    kind: str | None = None
    encoding: str | None = None
    sha256: str = ""
    rows: dict[str, int] = field(default_factory=dict)
    amount_total: Decimal | None = None
    issues: list[FileProblem] = field(default_factory=list)  # structured: file, line, field, reason
    warnings: list[str] = field(default_factory=list)
    note: str = ""
    origin: Origin | None = None

    @property
    def problems(self) -> list[str]:
        """The problems as the contract prints them: `FILE:LINE: field 'NAME': reason`."""
        return [p.render() for p in self.issues]


@dataclass
class ImportReport:
    files: list[FileResult] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(1 for f in self.files if f.status == status)

    def rows_by_kind(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for f in self.files:
            if f.status == "imported":
                for table, n in f.rows.items():
                    totals[table] = totals.get(table, 0) + n
        return totals

    @property
    def exit_code(self) -> int:
        return 1 if self.count("rejected") else 0


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and every (non-hidden) file below a folder, in name order.

    A Maildir folder (one with `cur/` and `new/`) stays one entry: its mails are read as a mailbox.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir() and not mail.is_maildir(path):
            entries = [
                p for p in path.rglob("*")
                if (p.is_file() or mail.is_maildir(p))
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ]
            boxes = [p for p in entries if p.is_dir()]
            found += sorted(p for p in entries if not any(b in p.parents for b in boxes))
        else:
            found.append(path)
    return found


def import_paths(
    db: Database,
    paths: Iterable[Path],
    *,
    kind: str | None = None,
    layouts_file: Path | None = None,
    progress: Callable[[str], Progress | None] | None = None,
) -> ImportReport:
    """Import files; a `layouts_file` (`--columns`) replaces the mappings saved in the database."""
    report = ImportReport()
    layouts = load_layouts(layouts_file)

    def import_attachment(name: str, data: bytes, origin: Origin) -> FileResult:
        return import_bytes(db, name, data, kind=kind, layouts=layouts, origin=origin,
                            saved_mappings=layouts_file is None)

    for path in expand_paths(paths):
        if mail.is_maildir(path):
            report.files += mail.import_mailbox(path, "maildir", b"", import_attachment)
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            report.files.append(FileResult(str(path), "rejected",
                                           issues=[FileProblem(str(path), None, "", i18n.t("input.reason.cannot_read",
                                                                                      reason=exc.strerror))]))
            continue
        if (fmt := mail.mail_format(path, data)) is not None:
            report.files += mail.import_mailbox(path, fmt, data, import_attachment)
            continue
        on_progress = progress(str(path)) if progress and len(data) > 5_000_000 else None
        try:
            report.files.append(import_bytes(db, str(path), data, kind=kind, layouts=layouts, progress=on_progress,
                                             saved_mappings=layouts_file is None))
        except Exception as exc:  # noqa: BLE001 (outside what import_bytes guards: still only this file)
            if settings.current().debug:
                raise
            report.files.append(FileResult(str(path), "rejected", issues=[_unexpected(str(path), exc)]))
        del data
    return report


def _unexpected(name: str, exc: BaseException) -> FileProblem:
    detail = (str(exc).strip().splitlines() or [""])[0][:300]
    return FileProblem(name, 1, "", i18n.t("input.unexpected", error=f"{type(exc).__name__}: {detail}"))


def import_bytes(
    db: Database,
    name: str,
    data: bytes,
    *,
    kind: str | None = None,
    layouts: dict[str, Layout] | None = None,
    progress: Progress | None = None,
    origin: Origin | None = None,
    keep_empty: bool = True,
    saved_mappings: bool = True,
) -> FileResult:
    """Import one file's bytes. `name` is only shown and recorded, never opened as a path.

    `origin` (an API page's URL, a mail's metadata) is stored with the file. `keep_empty=False` skips a
    receipts file all of whose receipts are stored already instead of recording it with no rows (a fetch
    that pages over known receipts again then stores nothing). A CSV whose header has a mapping saved in the
    database is read with it (unless `saved_mappings` is off: the caller's own `--columns` layouts decide).
    """
    layouts = layouts or load_layouts()
    sha256 = hashlib.sha256(data).hexdigest()
    earlier = db.con.execute(query("importing/find_source"), {"sha256": sha256}).fetchone()
    if earlier:
        return FileResult(
            name, "skipped", kind=earlier[1], sha256=sha256,
            note=_already_note(earlier[0], earlier[2]), origin=origin,
        )
    result = FileResult(name, "rejected", sha256=sha256, origin=origin)
    try:
        _step(progress, i18n.t("input.stage.decoding"), 0.05)
        limits.check_size(len(data))
        if data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")[:1] not in (b"{", b"["):
            limits.check_lines(data)
        decoded = decode(data)
        result.encoding = decoded.encoding
        if not decoded.data.strip():
            raise reject(1, "", i18n.t("input.reason.empty_file"))
        if saved_mappings and not _is_json(decoded.data):
            layouts, kind = _saved_layouts(db, decoded.data, layouts, kind, result)
        result.kind = kind or _detect(db, decoded.data, layouts)
        if result.kind == "receipts":
            staged = receipts_json.parse(decoded.data, progress)
            _store_receipts(db, result, staged, len(data), keep_empty)
        else:
            _step(progress, i18n.t("input.stage.reading"), 0.15)
            table = read_table(decoded.data)
            decoded_head = decoded.data[:1_000_000]
            del decoded  # large files: free each stage's input as soon as the next stage has it
            _step(progress, i18n.t("input.stage.validating"), 0.35)
            layout = layouts[result.kind]
            typed = _validate(db, decoded_head, table, layout)
            result.warnings += variation_notes(table, layout)
            _step(progress, i18n.t("input.stage.storing"), 0.7)
            if result.kind == "statement":
                _store_statement(db, result, layout, typed, table.headers, len(data))
            elif result.kind == "receipt_csv":
                staged = receipts_csv.stage(typed, layout, _headers_by_field(table.headers, layout))
                _store_receipts(db, result, staged, len(data), keep_empty, number_field=statements.header_of(
                    table.headers, layout, "receipt_number"))
            else:
                del table
                result.warnings += _duplicate_rows(typed)
                _store_csv(db, result, layout, typed, len(data))
        _step(progress, i18n.t("input.stage.done"), 1.0)
    except Rejected as exc:
        result.status = "rejected"
        result.issues = exc.located(name)
    except _AlreadyStored as exc:  # the same bytes came in meanwhile (another thread of this process)
        result.status, result.note, result.warnings = "skipped", exc.note, []
    except Exception as exc:  # noqa: BLE001 (one file's failure never stops the others)
        # Not a problem we have words for: still reject this file alone (its transaction rolled back).
        if settings.current().debug:
            raise
        result.status = "rejected"
        result.issues = [_unexpected(name, exc)]
    return result


def _step(progress: Progress | None, label: str, fraction: float) -> None:
    if progress is not None:
        progress(label, fraction)


def _validate(db: Database, head: bytes, table: Table, layout: Layout) -> pl.DataFrame:
    """Validate; when needed columns are missing, also say which columns recon would suggest for them."""
    try:
        return validate(table, layout)
    except Rejected as exc:
        missing = i18n.t("input.reason.required_column_missing", looked_for="\0").partition("\0")[0]
        if any(p.line == 1 and p.reason.startswith(missing) for p in exc.problems):
            sample = _sample(db, head)
            proposal = propose(sample[0], layout, sample[1])
            if any(m.needed and m.how in ("suggested", "ambiguous") for m in proposal.matches):
                exc.problems.append(Problem(1, "", incomplete_message(proposal, layout)))
        raise


def _sample(db: Database, head: bytes) -> tuple[Sample, frozenset[str]]:
    """The first rows, and which of their values are order numbers of stored receipts."""
    sample = read_sample(head.decode("utf-8", errors="replace"))
    return sample, known_orders(db, (v for i in range(len(sample.headers)) for v in sample.values(i)))


def _is_json(data: bytes) -> bool:
    return data.lstrip()[:1] in (b"{", b"[")


def _csv_header(data: bytes) -> list[str]:
    return next(csv.reader([header_line(data)], delimiter=";", quotechar='"'), [])


def _saved_layouts(
    db: Database, data: bytes, layouts: dict[str, Layout], kind: str | None, result: FileResult
) -> tuple[dict[str, Layout], str | None]:
    """The layouts with the newest mapping saved for this header (and its kind, unless one was forced)."""
    saved = mapping_for(db, _csv_header(data))
    if saved is None:
        return layouts, kind
    result.note = i18n.t("columns.import.saved_used", version=saved.version, label=saved.label)
    return load_layouts(None, saved.toml), kind or saved.kind


def _detect(db: Database, data: bytes, layouts: dict[str, Layout]) -> str:
    if _is_json(data):
        return "receipts"
    table_head = header_line(data)
    headers = _csv_header(data)
    found = detect_kind(headers, layouts)
    if found is not None:
        return found
    if len(headers) == 1 and (
        wrong := separator_problem(table_head, lambda names: detect_kind(names, layouts) is not None)
    ):
        raise Rejected([wrong])
    return _best_match(db, data, layouts)


def _best_match(db: Database, data: bytes, layouts: dict[str, Layout]) -> str:
    """No marker columns: the kind whose layout fits the header best, if every needed field is certain."""
    sample, orders = _sample(db, data[:1_000_000])
    found = detect(sample, layouts, orders)
    if found.best is None:
        raise reject(1, "", unknown_kind_message(sample.headers, layouts))
    if found.tied:
        raise reject(1, "", i18n.t("columns.detect.tied", kinds=", ".join((found.best.kind, *found.tied))))
    if not found.best.certain:
        raise reject(1, "", incomplete_message(found.best, layouts[found.best.kind]))
    return found.best.kind


MAX_DUPLICATE_GROUPS = 20
MAX_LINES_PER_GROUP = 10


def _duplicate_rows(typed: pl.DataFrame) -> list[str]:
    """Identical lines are stored (the engine reports the double charge) but said at import time."""
    body = [c for c in typed.columns if c != "source_line"]
    dup = typed.filter(typed.select(body).is_duplicated())
    if dup.height == 0:
        return []
    groups = dup.group_by(body, maintain_order=True).agg(
        pl.col("source_line").sort().head(MAX_LINES_PER_GROUP).alias("shown"), pl.len().alias("n")
    )
    warnings = []
    for shown, n in groups.head(MAX_DUPLICATE_GROUPS).select("shown", "n").iter_rows():
        listed = ", ".join(str(line) for line in shown)
        more = f" and {n - len(shown)} more" if n > len(shown) else ""
        warnings.append(f"lines {listed}{more} are identical (stored; reconcile will report them)")
    if groups.height > MAX_DUPLICATE_GROUPS:
        warnings.append(f"... and {groups.height - MAX_DUPLICATE_GROUPS} more groups of identical lines")
    return warnings


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _store_csv(db: Database, result: FileResult, layout: Layout, typed: pl.DataFrame, size: int) -> None:
    first_lines = typed.group_by(layout.document_number).agg(pl.col("source_line").min())
    staged_numbers = first_lines.select(pl.col(layout.document_number).alias("number"), "source_line")
    staged_numbers = staged_numbers.with_columns(number_keys(staged_numbers["number"]).alias("number_key"))
    if layout.kind == "payout":
        total = sum(typed.unique("payout_number")["payout_total"].to_list(), Decimal("0.00"))
    else:
        total = typed[layout.amount_total].sum()
    result.amount_total = Decimal(total) if total is not None else None
    header = layout.column(layout.document_number).aliases[0]
    total_field = "payout_total" if layout.kind == "payout" else layout.amount_total
    _check_total(result.amount_total, typed, pl.col(total_field), layout.column(total_field).aliases[0])
    rows = typed.with_columns(pl.lit(result.sha256).alias("source_sha256"))
    with _WRITE_LOCK, db.transaction() as tx:
        # Checked inside the transaction that writes, so no other import can slip in between.
        _not_stored_yet(tx, result)
        tx.register("staged_numbers", staged_numbers.to_arrow())
        clashes = tx.execute(query(f"importing/overlap_{layout.kind}")).fetchall()
        if clashes:
            line_of = dict(staged_numbers.select("number", "source_line").iter_rows())
            raise Rejected([
                Problem(int(line_of[number]), header,
                        _already_imported(i18n.t(f"columns.kind.{layout.kind}"), number, stored, earlier, when))
                for number, stored, earlier, _sha, when in clashes
            ])
        _insert_source(tx, result, size, rows.height)
        tx.execute(query("importing/insert_document_keys"), {"kind": layout.kind, "source_sha256": result.sha256})
        tx.unregister("staged_numbers")
        tx.register("staged_rows", rows.to_arrow())
        tx.execute(query(f"importing/insert_{layout.table}"))
        tx.unregister("staged_rows")
    result.rows = {layout.table: rows.height}
    result.status = "imported"


def _already_imported(label: str, number: str, stored: str, earlier: str, when: datetime) -> str:
    if number == stored:
        return i18n.t("input.reason.already_imported_document", label=label, number=number, file=earlier,
                      when=stamp(when))
    return i18n.t("input.same_number_other_spelling", label=label, number=number, stored=stored, file=earlier,
                  when=i18n.day(when))


def _already_note(file: str, when: datetime) -> str:
    """'already imported as ... on ...': German local time, labelled (MEZ/MESZ), as `recon sources` shows it."""
    return i18n.t("input.reason.already_imported_file", file=file, when=stamp(when))


def _check_total(total: Decimal | None, rows: pl.DataFrame, amount: pl.Expr, field: str) -> None:
    """A file total the store cannot hold (each amount fits, their sum does not) names the line where it overflows."""
    if total is None or abs(total) <= MAX_AMOUNT:
        return
    running = rows.select("source_line", amount.cast(pl.Decimal(38, 2)).cum_sum().alias("sum"))
    line = running.filter(pl.col("sum").abs() > MAX_AMOUNT)["source_line"][0]
    raise reject(int(line), field, i18n.t("input.total_too_large", limit=i18n.number(MAX_AMOUNT)))


# One writer per process: DuckDB serialises processes by its file lock, but threads of one process (the
# dashboard's sessions) share the database, and two snapshots could both miss each other's documents.
_WRITE_LOCK = threading.Lock()


class _AlreadyStored(Exception):
    def __init__(self, note: str) -> None:
        super().__init__(note)
        self.note = note


def _not_stored_yet(tx: duckdb.DuckDBPyConnection, result: FileResult) -> None:
    earlier = tx.execute(query("importing/find_source"), {"sha256": result.sha256}).fetchone()
    if earlier:
        raise _AlreadyStored(_already_note(earlier[0], earlier[2]))


def _insert_source(tx: duckdb.DuckDBPyConnection, result: FileResult, size: int, row_count: int) -> None:
    tx.execute(query("importing/insert_source"), _source_row(result, size, row_count))
    if result.origin is not None:
        tx.execute(query("importing/insert_origin"), result.origin.row(result.sha256))


def _source_row(result: FileResult, size: int, row_count: int) -> dict[str, object]:
    return {
        "sha256": result.sha256,
        "original_name": Path(result.name).name,
        "kind": result.kind,
        "encoding": result.encoding,
        "size_bytes": size,
        "row_count": row_count,
        "amount_total": result.amount_total,
        "imported_by": _user(),
    }


def _headers_by_field(headers: list[str], layout: Layout) -> dict[str, str]:
    return {col.name: statements.header_of(headers, layout, col.name) for col in layout.columns}


def _store_statement(db: Database, result: FileResult, layout: Layout, typed: pl.DataFrame, headers: list[str],
                     size: int) -> None:
    """New transactions only: the same transaction from an overlapping download is skipped."""
    rows = statements.with_meaning(typed, layout, statements.account_of(headers, layout))
    id_header = statements.header_of(headers, layout, "transaction_id")
    with _WRITE_LOCK, db.transaction() as tx:
        _not_stored_yet(tx, result)
        staged = statements.against_store(tx, rows, id_header)
        new = staged.rows.with_columns(pl.lit(result.sha256).alias("source_sha256"))
        total = new["amount"].sum() if new.height else None
        result.amount_total = Decimal(total) if total is not None else Decimal("0.00")
        if staged.skipped:
            result.warnings.append(i18n.t("statement.skipped", n=staged.skipped))
        _insert_source(tx, result, size, new.height)
        tx.register("staged_rows", new.to_arrow())
        tx.execute(query("importing/insert_statement_lines"))
        tx.unregister("staged_rows")
    result.rows = {"statement_lines": new.height}
    result.status = "imported"


def _store_receipts(
    db: Database, result: FileResult, staged: receipts_json.Staged, size: int, keep_empty: bool = True,
    number_field: str = "receiptNumber",
) -> None:
    heads = staged.receipts
    with _WRITE_LOCK, db.transaction() as tx:
        # Checked inside the transaction that writes, so no other import can slip in between.
        _not_stored_yet(tx, result)
        numbers = heads.select(pl.col("receipt_number").alias("number"), "content_sha256", "source_line")
        numbers = numbers.with_columns(number_keys(numbers["number"]).alias("number_key"))
        tx.register("staged_numbers", numbers.to_arrow())
        stored = []
        if _fetch_one(tx, "importing/any_stored_receipt"):  # else nothing to compare (the usual new file)
            tx.register("staged_heads", heads.drop("raw").to_arrow())
            tx.register("staged_lines", staged.lines.to_arrow())
            stored = tx.execute(query("importing/overlap_receipts"), {"kind": result.kind}).fetchall()
            tx.unregister("staged_heads")
            tx.unregister("staged_lines")
        tx.unregister("staged_numbers")
        if any(not identical for _, identical, *_ in stored):
            line_of = dict(heads.select("receipt_number", "source_line").iter_rows())
            raise Rejected([
                Problem(int(line_of[number]), number_field, _receipt_conflict(number, stored_number, earlier,
                                                                              earlier_line))
                for number, identical, earlier, earlier_line, stored_number in stored if not identical
            ])
        known = {number for number, *_ in stored}
        if known:
            heads = heads.filter(~pl.col("receipt_number").is_in(list(known)))
            numbers = numbers.filter(~pl.col("number").is_in(list(known)))
            result.warnings.append(f"{len(known)} receipt(s) already stored with identical content: skipped")
        if not keep_empty and heads.height == 0:
            raise _AlreadyStored(f"all {len(known)} receipt(s) already stored with identical content")
        lines = staged.lines.filter(pl.col("receipt_number").is_in(heads["receipt_number"].implode())) if known \
            else staged.lines
        signed = (pl.when(pl.col("receipt_type") == "PURCHASE").then(pl.col("total_gross"))
                  .otherwise(-pl.col("total_gross")))
        total = heads.select(signed.cast(pl.Decimal(38, 2)).sum()).item() if heads.height else None
        result.amount_total = Decimal(total) if total is not None else Decimal("0.00")
        _check_total(result.amount_total, heads, signed, "totals")
        sha = pl.lit(result.sha256).alias("source_sha256")
        _insert_source(tx, result, size, heads.height)
        tx.register("staged_numbers", numbers.to_arrow())
        tx.execute(query("importing/insert_document_keys"), {"kind": "receipt", "source_sha256": result.sha256})
        tx.unregister("staged_numbers")
        tx.register("staged_rows", heads.with_columns(sha).to_arrow())
        tx.execute(query("importing/insert_receipts"))
        if staged.page is not None and heads.height:  # the fast lane's receipts: their JSON is the file's text
            page = staged.page
            tx.execute(query("importing/insert_receipt_page"),
                       receipt_json.page_row(result.sha256, page.text, page.starts, page.ends))
        tx.register("staged_rows", lines.with_columns(sha).to_arrow())
        tx.execute(query("importing/insert_receipt_lines"))
        tx.unregister("staged_rows")
    result.rows = {"receipts": heads.height, "receipt_lines": lines.height}
    result.status = "imported"


def _fetch_one(tx: duckdb.DuckDBPyConnection, name: str) -> object:
    rows = tx.execute(query(name)).fetchall()
    return rows[0][0] if rows else None


def _receipt_conflict(number: str, stored: str, earlier: str, earlier_line: int) -> str:
    if number == stored:
        return (f"receipt {number} differs from the one already imported from '{earlier}' "
                f"(position {earlier_line}); receipts are never changed after the fact")
    return i18n.t("input.receipt_other_spelling", number=number, stored=stored, file=earlier, position=earlier_line)
