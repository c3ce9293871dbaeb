"""Map a CSV table onto a layout and validate it: typed rows for the store, or every problem found."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from recon.importing import fields
from recon.importing.csv_table import LINE_COL, Table
from recon.importing.layouts import Column, Layout, normalize_header
from recon.importing.problems import Problem, Rejected

EXTRA_COL = "extra"


@dataclass(frozen=True)
class Mapping:
    by_field: dict[str, int]  # field name -> column index
    extras: dict[int, str]  # column index -> header, for columns the layout does not know


def map_columns(headers: list[str], layout: Layout) -> Mapping:
    problems: list[Problem] = []
    by_field: dict[str, int] = {}
    extras: dict[int, str] = {}
    for idx, header in enumerate(headers):
        name = layout.field_for_header(header)
        if name is None:
            if normalize_header(header):
                extras[idx] = header.strip()
            continue
        if name in by_field:
            first = headers[by_field[name]].strip()
            problems.append(Problem(1, header.strip(), f"column repeats '{first}' (both mean {name})"))
            continue
        by_field[name] = idx
    for col in layout.columns:
        if (col.required or col.required_when) and col.name not in by_field:
            looked_for = ", ".join(f"'{a}'" for a in col.aliases)
            problems.append(Problem(1, col.aliases[0], f"required column missing (looked for {looked_for})"))
    if problems:
        raise Rejected(problems)
    return Mapping(by_field, extras)


def _needed(col: Column, switch_value: pl.Expr) -> pl.Expr:
    if col.required:
        return pl.lit(True)
    if col.required_when:
        return switch_value.is_in(list(col.required_when))
    return pl.lit(False)


def validate(table: Table, layout: Layout) -> pl.DataFrame:
    """Typed frame in the store's column order, with `source_line` and `extra`; raises Rejected."""
    mapping = map_columns(table.headers, layout)
    frame = table.frame
    parsed: dict[str, fields.Parsed] = {}
    for col in layout.columns:
        if col.name in mapping.by_field:
            parsed[col.name] = fields.parse(pl.col(f"c{mapping.by_field[col.name]}"), col)
    switch_value = parsed[layout.switch].value
    typed = frame.select(
        pl.col(LINE_COL).alias("source_line"),
        *[
            (parsed[c.name].value if c.name in parsed else pl.lit(None, _dtype(c))).alias(c.name)
            for c in layout.columns
        ],
        _extra_expr(mapping),
    )
    problems: list[Problem] = []
    if _suspect(frame, typed, layout, mapping):
        checks: list[pl.Expr] = []
        for col in layout.columns:
            if col.name not in parsed:
                continue
            p = parsed[col.name]
            raw = pl.col(f"c{mapping.by_field[col.name]}")
            missing = raw.is_null() | (raw.str.strip_chars() == "")
            needed = _needed(col, switch_value)
            reason = pl.when(missing & needed).then(pl.lit("value missing")).otherwise(p.error)
            checks.append(reason.alias(col.name))
        errors = frame.select(pl.col(LINE_COL), *checks)
        problems = _collect(errors, mapping, table.headers, layout)
    problems += _same_in_file(typed, layout, mapping, table.headers)
    if problems:
        raise Rejected(problems)
    return typed


def _suspect(frame: pl.DataFrame, typed: pl.DataFrame, layout: Layout, mapping: Mapping) -> bool:
    """Could any field have a problem? Every reason the parsers give leaves the value null where the raw text is
    not blank, and "value missing" is a blank needed field; when neither occurs, the (costly) reasons are skipped.
    """
    values = typed.select(pl.all().name.prefix("__value_"))
    both = pl.concat([frame, values], how="horizontal")
    switch_value = pl.col(f"__value_{layout.switch}")
    flags = []
    for col in layout.columns:
        if col.name not in mapping.by_field:
            continue
        raw = pl.col(f"c{mapping.by_field[col.name]}")
        missing = raw.is_null() | (raw.str.strip_chars() == "")
        unparsed = ~missing & pl.col(f"__value_{col.name}").is_null()
        flags.append(unparsed | (missing & _needed(col, switch_value)).fill_null(False))
    return bool(both.select(pl.any_horizontal(flags).any()).item()) if flags else False


def _collect(errors: pl.DataFrame, mapping: Mapping, headers: list[str], layout: Layout) -> list[Problem]:
    names = [c for c in errors.columns if c != LINE_COL]
    if not names:
        return []
    long = (
        errors.unpivot(index=LINE_COL, on=names, variable_name="field", value_name="reason")
        .drop_nulls("reason")
        .sort(LINE_COL)
        .head(10_000)
    )
    return [
        Problem(int(line), headers[mapping.by_field[name]].strip(), reason)
        for line, name, reason in long.iter_rows()
    ]


def _same_in_file(typed: pl.DataFrame, layout: Layout, mapping: Mapping, headers: list[str]) -> list[Problem]:
    """One file is one document: its number, date and total repeat on every row."""
    problems: list[Problem] = []
    if typed.height == 0:
        return [Problem(2, "", f"no data rows: a {layout.label} file needs at least one line")]
    for name in layout.same_in_file:
        first = typed[name][0]
        if first is None:
            continue
        differing = typed.filter(pl.col(name) != first).head(50)
        for line, value in differing.select("source_line", name).iter_rows():
            problems.append(
                Problem(int(line), headers[mapping.by_field[name]].strip(),
                        f"'{value}' differs from '{first}' on the first data line (one document per file)")
            )
    return problems


def _dtype(col: Column) -> pl.DataType:
    return {
        "text": pl.String(),
        "enum": pl.String(),
        "amount": fields.AMOUNT_DTYPE,
        "rate": fields.RATE_DTYPE,
        "date": pl.Date(),
        "datetime": pl.Datetime("us", "UTC"),
    }[col.type]


def _extra_expr(mapping: Mapping) -> pl.Expr:
    """Columns the layout does not know are kept, as JSON, so nothing the file said is lost."""
    if not mapping.extras:
        return pl.lit(None, pl.String).alias(EXTRA_COL)
    return (
        pl.struct([pl.col(f"c{idx}").alias(header) for idx, header in mapping.extras.items()])
        .struct.json_encode()
        .alias(EXTRA_COL)
    )
