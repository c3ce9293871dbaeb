"""`recon check-db`: is the database file readable, consistent and complete? Read-only, changes nothing.

DuckDB has no `PRAGMA integrity_check`; it verifies a checksum on every block it reads. So the check reads
every value of every table (the canonical dump, whose hash it reports), and then checks what the importer
promises: every row belongs to a listed source file, each file's row count and EUR total match its rows,
no (file, line) is stored twice, no document comes from two files, and the schema is the current one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pyarrow as pa

from recon import i18n
from recon.store.database import Database
from recon.store.dump import VOLATILE_COLUMNS, table_dump, table_frame, table_names
from recon.store.receipt_json import decompress
from recon.store.sql import migrations, query


@dataclass
class CheckReport:
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    schema_version: int = 0
    expected_version: int = 0
    size: str = ""
    content_sha256: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


def _short(sha: str) -> str:
    return sha[:12]


def check_database(db: Database) -> CheckReport:
    report = CheckReport()
    report.schema_version = db.schema_version()
    report.expected_version = max((v for v, _, _ in migrations()), default=0)
    if report.schema_version != report.expected_version:
        report.problems.append(
            i18n.t("store.check.schema", version=report.schema_version, expected=report.expected_version)
            + i18n.t("store.check.schema_older" if report.schema_version < report.expected_version
                     else "store.check.schema_newer")
        )
    size = db.con.execute(query("check_db/database_size")).fetchone()
    if size:
        report.size = i18n.t("store.check.size", size=size[0], used=size[3], total=size[2], wal=size[5])
    parts = []
    for name in table_names(db):
        frame = table_frame(db, name, VOLATILE_COLUMNS)
        report.counts[name] = frame.height
        parts.append(table_dump(name, frame))
    report.content_sha256 = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()  # = canonical_hash
    if report.schema_version == 0:
        return report
    report.problems += _consistency(db)
    return report


def _consistency(db: Database) -> list[str]:
    con = db.con
    problems = []
    for table, sha, n in con.execute(query("check_db/orphan_rows")).fetchall():
        problems.append(i18n.t("store.check.orphan_rows", table=table, count=n, sha=_short(sha)))
    for name, sha, kind, recorded, stored in con.execute(query("check_db/row_counts")).fetchall():
        problems.append(i18n.t("store.check.row_counts", name=name, kind=kind, sha=_short(sha), recorded=recorded,
                               stored=stored))
    for table, sha, line, n in con.execute(query("check_db/duplicate_lines")).fetchall():
        problems.append(i18n.t("store.check.duplicate_lines", table=table, line=line, sha=_short(sha), count=n))
    for kind, number, files in con.execute(query("check_db/split_documents")).fetchall():
        problems.append(i18n.t("store.check.split_documents", kind=kind, number=number, files=files))
    for number, n in con.execute(query("check_db/receipt_lines_without_receipt")).fetchall():
        problems.append(i18n.t("store.check.lines_without_receipt", count=n, number=number))
    for name, sha, recorded, stored in con.execute(query("check_db/file_totals")).fetchall():
        problems.append(i18n.t("store.check.file_totals", name=name, sha=_short(sha), recorded=i18n.money(recorded),
                               stored=i18n.money(stored)))
    problems += _receipt_texts(db)
    return problems


def _receipt_texts(db: Database) -> list[str]:
    """Every stored receipts text decompresses to the length and sha256 recorded for it, and every receipt has
    its JSON somewhere (`raw`, or its place in its file's text)."""
    problems = []
    for sha, codec, size, text_sha, body in db.con.execute(query("check_db/receipt_pages")).fetchall():
        try:
            text = decompress(codec, body, int(size))
            reason = "" if len(text) == size and hashlib.sha256(text).hexdigest() == text_sha else "sha256"
        except (OSError, ValueError, pa.ArrowException) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if reason:
            problems.append(i18n.t("store.check.receipt_page", sha=_short(sha), reason=reason))
    for sha, n in db.con.execute(query("check_db/receipts_without_json")).fetchall():
        problems.append(i18n.t("store.check.receipts_without_json", sha=_short(sha), count=n))
    return problems
