"""The discrepancy list as a table: filter, sort by EUR, and the source rows behind one finding.

The list comes from the engine (already one row per finding, not per position), so filtering and sorting
run on a polars frame; the source rows are fetched from DuckDB only for the finding the user opens.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from itertools import groupby
from pathlib import Path
from typing import Any, Literal

import polars as pl

from recon import i18n
from recon.engine import Discrepancy, Evidence, ReconResult, checks
from recon.importing.layouts import load_layouts
from recon.store import query
from recon.store.frames import fetch_frame
from recon.store.receipt_json import receipt_json
from recon.ui.data import reading
from recon.ui.fmt import date_de, eur, raw_de, signed_eur

SortOrder = Literal["stake_desc", "stake_asc", "document_date"]
SORT_ORDERS: tuple[SortOrder, ...] = ("stake_desc", "stake_asc", "document_date")
MONEY = pl.Decimal(18, 2)
# Columns of the stored rows that say where the row came from: shown as file and line instead.
HIDDEN_SOURCE_FIELDS = ("source_sha256", "source_line", "raw", "content_sha256")
# A receipt's lines repeat these from the receipt shown above them; the lines table leaves them out.
REPEATED_IN_HEAD = ("receipt_number", "currency")
DATE_SUFFIXES = ("_date", "_at", "_from", "_to", "_on")
MARK_COLUMN = "this_finding"  # the column that marks the finding's own line in a receipt's lines
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?P<rest>[ T].*)?$")


def _text(value: Decimal | date | None) -> str:
    if isinstance(value, Decimal):
        return eur(value)
    if isinstance(value, date):
        return date_de(value)
    return ""


def discrepancy_frame(result: ReconResult) -> pl.DataFrame:
    """One row per finding; `id` is its position in result.discrepancies (stable for one result)."""
    ds = result.discrepancies
    return pl.DataFrame(
        {
            "id": list(range(len(ds))),
            "kind": [d.kind for d in ds],
            "document_date": [d.document_date for d in ds],
            "document_number": [document_label(d) for d in ds],
            "order_number": [d.order_number for d in ds],
            "position_item_id": [d.position_item_id for d in ds],
            "expected": [_text(d.expected) for d in ds],
            "actual": [_text(d.actual) for d in ds],
            "difference": [d.difference for d in ds],
            "at_stake": [d.at_stake for d in ds],
            "in_favour_of": [d.in_favour_of or "" for d in ds],
            "message": [d.message for d in ds],
        },
        schema={
            "id": pl.Int64, "kind": pl.String, "document_date": pl.Date, "document_number": pl.String,
            "order_number": pl.String, "position_item_id": pl.String, "expected": pl.String,
            "actual": pl.String, "difference": MONEY, "at_stake": MONEY, "in_favour_of": pl.String,
            "message": pl.String,
        },
    )


def filter_discrepancies(frame: pl.DataFrame, *, kinds: list[str] | None = None, order_number: str = "",
                         sort: SortOrder = "stake_desc") -> pl.DataFrame:
    """Kinds (none selected: all), an order number fragment (case-insensitive), and the sort order."""
    out = frame
    if kinds:
        out = out.filter(pl.col("kind").is_in(kinds))
    needle = order_number.strip()
    if needle:
        out = out.filter(pl.col("order_number").str.to_lowercase().str.contains(needle.lower(), literal=True))
    if sort == "document_date":
        return out.sort(["document_date", "kind", "id"], nulls_last=True)
    descending = sort == "stake_desc"
    return out.sort(["at_stake", "id"], descending=[descending, False], nulls_last=True)


def against_seller(frame: pl.DataFrame) -> Decimal:
    """EUR at stake in the findings that went against the seller (summed in Decimal)."""
    values = frame.filter(pl.col("in_favour_of") == "OTTO")["at_stake"].drop_nulls().to_list()
    return sum(values, Decimal("0.00"))


def display_discrepancies(frame: pl.DataFrame) -> pl.DataFrame:
    """The filtered frame as text columns in the reader's language, in the order the table shows them."""
    labels = checks.kind_labels()  # once per frame, not per row
    columns = {
        "kind": frame["kind"],
        "kind_label": [labels.get(k, k) for k in frame["kind"].to_list()],
        "message": frame["message"],  # second, so the table shows it whole and not behind a scroll bar
        "document_date": [date_de(v) if v else "" for v in frame["document_date"].to_list()],
        "document_number": frame["document_number"].fill_null(""),
        "order_number": frame["order_number"].fill_null(""),
        "expected": frame["expected"],
        "actual": frame["actual"],
        "difference": [signed_eur(v) if v is not None else "" for v in frame["difference"].to_list()],
        "at_stake": [eur(v) if v is not None else "" for v in frame["at_stake"].to_list()],
        "in_favour_of": [in_favour_label(v) for v in frame["in_favour_of"].to_list()],
    }
    return pl.DataFrame({column_label(k): v for k, v in columns.items()},
                        schema={column_label(k): pl.String for k in columns})


def kind_label(kind: str) -> str:
    """The kind in the reader's language beside its stable code (COMMISSION_MISMATCH stays the filter's key)."""
    return checks.kind_labels().get(kind, kind)


def column_label(name: str) -> str:
    """The heading of a discrepancy column (also the download's CSV header)."""
    return i18n.t(f"ui.disc.col_{name}")


def in_favour_label(party: str | None) -> str:
    """'OTTO' / 'Händler' ('seller'): who the finding favours."""
    return i18n.t(f"ui.disc.favour_{party}") if party in ("OTTO", "seller") else ""


def sort_label(order: str) -> str:
    return i18n.t(f"ui.disc.sort_{order}")


def field_label(table: str, name: str) -> str:
    """A stored column by the header OTTO's file gives it (invoice_number -> Rechnungsnummer); a receipt's
    fields by the catalogue (ui.field.*), which names the API field too; else the column name itself."""
    header = _otto_headers().get((table, name))
    if header is not None:
        return header
    key = f"ui.field.{name}"
    return i18n.t(key) if i18n.has(key) else name


@cache
def _otto_headers() -> dict[tuple[str, str], str]:
    return {(layout.table, column.name): column.aliases[0]
            for layout in load_layouts().values() for column in layout.columns if column.aliases}


@dataclass(frozen=True)
class SourceRow:
    """One stored row behind a finding: where it came from and its values as stored."""

    file: str
    line: int
    table: str
    fields: tuple[tuple[str, str], ...]
    raw_json: str | None = None  # a receipt's JSON as the API sent it


def _parse_row(row_json: str) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(row_json, parse_float=Decimal)
    return parsed


def _stored(name: str, value: Any) -> str:
    """A stored value in the form the source file shows it: decimal comma, dd.mm.yyyy dates."""
    if isinstance(value, str) and name.endswith(DATE_SUFFIXES):
        return _german_timestamp(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return raw_de(value)


def _german_timestamp(text: str) -> str:
    match = _ISO.match(text)
    if match is None:
        return text
    day = f"{match['d']}.{match['m']}.{match['y']}"
    return f"{day} {match['rest'].strip()}" if match["rest"] else day


def source_rows(path: Path, evidence: tuple[Evidence, ...]) -> list[SourceRow]:
    """The stored rows for the evidence pairs (file sha256, line), in the order the evidence gives them."""
    if not evidence:
        return []
    params = {"shas": [e.sha256 for e in evidence], "lines": [e.line for e in evidence]}
    with reading(path) as db:
        frame = fetch_frame(db.con, query("dashboard/source_rows"), params)
        parsed = [(file, line, table, _parse_row(row_json)) for file, line, table, _no, row_json in frame.iter_rows()]
        # A receipt of the fast lane keeps its JSON as its slice of the file's stored text, not in `raw`.
        texts = receipt_json(db.con, [(v["source_sha256"], int(v["source_line"])) for _, _, table, v in parsed
                                      if table == "receipts" and v.get("raw") is None])
    rows = []
    for file, line, table, values in parsed:
        raw = values.get("raw")
        if raw is None and table == "receipts":
            text = texts.get((values["source_sha256"], int(values["source_line"])))
            raw = json.loads(text, parse_float=Decimal) if text is not None else None
        fields = tuple((name, _stored(name, value)) for name, value in values.items()
                       if name not in HIDDEN_SOURCE_FIELDS)
        rows.append(SourceRow(file, int(line), table, fields,
                              json.dumps(raw, ensure_ascii=False, indent=1, default=str) if raw else None))
    return rows


@dataclass(frozen=True)
class SourceBlock:
    """Stored rows of one source line in one table: an invoice line, a receipt head, a receipt's lines."""

    file: str
    line: int
    table: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    raw_json: str | None = None

    def headings(self) -> list[str]:
        return [i18n.t("ui.disc.this_finding") if c == MARK_COLUMN else field_label(self.table, c)
                for c in self.columns]

    def vertical(self) -> pl.DataFrame:
        """One row as field/value pairs (long rows read better downwards), fields by OTTO's headers."""
        field, value = i18n.t("ui.disc.col_field"), i18n.t("ui.disc.col_stored")
        return pl.DataFrame({field: self.headings(), value: list(self.rows[0])},
                            schema={field: pl.String, value: pl.String})

    def horizontal(self) -> pl.DataFrame:
        headings = self.headings()
        return pl.DataFrame([list(r) for r in self.rows], schema=dict.fromkeys(headings, pl.String), orient="row")


def source_blocks(rows: list[SourceRow], position_item_id: str | None = None) -> list[SourceBlock]:
    """Rows grouped by (file, line, table), in evidence order; a receipt's lines become one table, with the
    line of the finding's position item marked."""
    blocks: list[SourceBlock] = []
    for (file, line, table), group in groupby(rows, key=lambda r: (r.file, r.line, r.table)):
        members = list(group)
        keep = [i for i, (name, _) in enumerate(members[0].fields)
                if len(members) == 1 or name not in REPEATED_IN_HEAD]
        columns = tuple(members[0].fields[i][0] for i in keep)
        values = [tuple(m.fields[i][1] for i in keep) for m in members]
        if len(members) > 1 and position_item_id and "position_item_id" in columns:
            at = columns.index("position_item_id")
            columns = (MARK_COLUMN, *columns)
            values = [("◀" if v[at] == position_item_id else "", *v) for v in values]
        blocks.append(SourceBlock(file, line, table, columns, tuple(values), members[0].raw_json))
    return blocks


def document_label(d: Discrepancy) -> str | None:
    """The document a finding is about; an unexplained difference names its totals category, shown as read."""
    if d.kind == "UNEXPLAINED_DIFFERENCE" and d.document_number and i18n.has(f"tie_out.{d.document_number}"):
        return i18n.t(f"tie_out.{d.document_number}")
    return d.document_number


def recomputation(d: Discrepancy) -> list[tuple[str, str]]:
    """The engine's side of a finding, as label/value pairs for the drill-down (the message is shown apart)."""
    pairs = [
        ("kind", d.kind),
        ("document", document_label(d) or ""),
        ("document_date", date_de(d.document_date) if d.document_date else ""),
        ("order", d.order_number or ""),
        ("position_item", d.position_item_id or ""),
        ("expected", _text(d.expected) or "–"),
        ("actual", _text(d.actual) or "–"),
        ("difference", signed_eur(d.difference) if d.difference is not None else ""),
        ("in_favour_of", in_favour_label(d.in_favour_of)),
        ("evidence", evidence_list(d)),
    ]
    return [(i18n.t(f"ui.disc.re_{key}"), value) for key, value in pairs]


def evidence_list(d: Discrepancy) -> str:
    return ", ".join(f"{e.file}:{e.line}" for e in d.evidence)
