"""Map a CSV table onto a layout and validate it: typed rows for the store, or every problem found."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from recon import i18n
from recon.importing import fields
from recon.importing.csv_table import LINE_COL, Table
from recon.importing.layouts import Column, Layout, normalize_header
from recon.importing.numbers import invisible_problem
from recon.importing.problems import Problem, Rejected

EXTRA_COL = "extra"
SUSPECT = "__suspect"
ERROR_PREFIX = "__error_"


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
                extras[idx] = _unique_name(header.strip(), extras.values())
            continue
        if name in by_field:
            first = headers[by_field[name]].strip()
            problems.append(Problem(1, header.strip(), i18n.t("input.reason.column_repeats", first=first, name=name)))
            continue
        by_field[name] = idx
    for col in layout.columns:
        if (col.required or col.required_when) and col.name not in by_field:
            looked_for = ", ".join(f"'{a}'" for a in col.aliases)
            problems.append(Problem(1, col.aliases[0], i18n.t("input.reason.required_column_missing",
                                                                     looked_for=looked_for)))
    if problems:
        raise Rejected(problems)
    return Mapping(by_field, extras)


def _unique_name(name: str, taken: Iterable[str]) -> str:
    """Two unknown columns of one name are both kept: the second as 'Bemerkung (2)'."""
    used = set(taken)
    if name not in used:
        return name
    return next(f"{name} ({n})" for n in itertools.count(2) if f"{name} ({n})" not in used)


def _needed(col: Column, switch_value: pl.Expr) -> pl.Expr:
    if col.required:
        return pl.lit(True)
    if col.required_when:
        return switch_value.is_in(list(col.required_when))
    return pl.lit(False)


@dataclass(frozen=True)
class _Plan:
    """The expressions validating one header shape of one layout: built once, reused for every such file.

    Building them (hundreds of `when/then` nodes, catalogue texts) cost more than reading a small file; a
    quarter brings dozens of correction files with the same header.
    """

    values: tuple[pl.Expr, ...]  # the typed values, as VALUE_PREFIX + field (after `stages`)
    stages: tuple[pl.Expr, ...]  # regex groups the values of the non-plain number columns read
    all_stages: tuple[pl.Expr, ...]  # every column's groups: the reasons read them
    suspect: pl.Expr  # per row: some value failed to parse, or a needed one is blank (reads the values)
    checks: tuple[pl.Expr, ...]  # per field: the reason, or null (on the raw columns and all stages)
    typed: tuple[pl.Expr, ...]  # the store's columns in order, from the values


VALUE_PREFIX = "__value_"


def _mapping_key(mapping: Mapping) -> tuple[tuple[tuple[str, int], ...], tuple[tuple[int, str], ...]]:
    return tuple(mapping.by_field.items()), tuple(mapping.extras.items())


@functools.lru_cache(maxsize=64)
def _plan(layout: Layout, key: tuple[tuple[tuple[str, int], ...], tuple[tuple[int, str], ...]],
          plain: frozenset[str], language: str) -> _Plan:
    """`language`: the reasons' texts are part of the expressions (only a key here, `i18n.t` reads it)."""
    mapping = Mapping(dict(key[0]), dict(key[1]))
    parsed: dict[str, fields.Parsed] = {}
    for col in layout.columns:
        if col.name in mapping.by_field:
            parsed[col.name] = fields.parse(pl.col(f"c{mapping.by_field[col.name]}"), col, f"__stage_{col.name}")
    # The reasons (and the regex groups they read) are computed for the rows that fail only; all stages then.
    all_stages = tuple(e for p in parsed.values() for e in p.stage)
    values = {name: p.value for name, p in parsed.items()}
    for name in plain:
        values[name] = fields.plain_value(pl.col(f"c{mapping.by_field[name]}"), layout.column(name))
    stages = tuple(e for name, p in parsed.items() if name not in plain for e in p.stage)
    switch_value = pl.col(VALUE_PREFIX + layout.switch)
    checks: list[pl.Expr] = []
    suspects: list[pl.Expr] = []
    for col in layout.columns:
        if col.name not in parsed:
            continue
        p = parsed[col.name]
        raw = pl.col(f"c{mapping.by_field[col.name]}")
        missing = raw.is_null() | (raw.str.strip_chars() == "")
        needed = _needed(col, parsed[layout.switch].value)
        reason = pl.when(missing & needed).then(pl.lit(i18n.t("input.reason.value_missing"))).otherwise(p.error)
        checks.append(reason.alias(col.name))
        # Every reason a parser gives leaves the value null where the text is not blank; "value missing" is a
        # blank needed field. Without either, the reasons (string building on every row) need not be computed.
        # Read from the values already computed, so no value is parsed twice.
        value = pl.col(VALUE_PREFIX + col.name)
        suspects.append(((~missing & value.is_null()) | (missing & _needed(col, switch_value))).fill_null(False))
    typed = (
        pl.col(LINE_COL).alias("source_line"),
        *[
            (pl.col(VALUE_PREFIX + c.name) if c.name in parsed else pl.lit(None, _dtype(c))).alias(c.name)
            for c in layout.columns
        ],
        _extra_expr(mapping),
    )
    return _Plan(
        values=tuple(v.alias(VALUE_PREFIX + name) for name, v in values.items()),
        stages=stages,
        all_stages=all_stages,
        suspect=pl.any_horizontal(suspects) if suspects else pl.lit(False),
        checks=tuple(checks),
        typed=typed,
    )


def validate(table: Table, layout: Layout) -> pl.DataFrame:
    """Typed frame in the store's column order, with `source_line` and `extra`; raises Rejected."""
    mapping = map_columns(table.headers, layout)
    frame = table.frame
    plain = frozenset(_plain_columns(frame, layout, mapping))
    plan = _plan(layout, _mapping_key(mapping), plain, i18n.lang())
    staged = frame.lazy().with_columns(*plan.stages).with_columns(*plan.values).collect()
    suspect = staged.select(plan.suspect.alias(SUSPECT)).to_series()
    typed = staged.select(*plan.typed)
    del staged
    problems: list[Problem] = []
    if suspect.any():
        # One lazy pass computes the reasons for the rows that failed (common sub-expressions evaluated once).
        errors = frame.lazy().filter(suspect).with_columns(*plan.all_stages).select(
            pl.col(LINE_COL).alias("source_line"), *[check.name.prefix(ERROR_PREFIX) for check in plan.checks]
        ).collect()
        problems = _collect(errors, mapping, table.headers)
    problems += _same_in_file(typed, layout, mapping, table.headers)
    if problems and not table.ends_with_line_break and any(p.line == table.last_line for p in problems):
        problems.append(Problem(table.last_line, "", i18n.t("input.reason.no_line_break_at_end")))
    if problems:
        raise Rejected(problems)
    return typed


def _plain_columns(frame: pl.DataFrame, layout: Layout, mapping: Mapping) -> set[str]:
    """The amount and rate columns every value of which has the usual shape (`fields.plain_pattern`)."""
    patterns = {c.name: p for c in layout.columns
                if c.name in mapping.by_field and (p := fields.plain_pattern(c)) is not None}
    if not patterns or frame.height == 0:
        return set()
    shaped = frame.select(
        pl.col(f"c{mapping.by_field[name]}").str.contains(pattern).fill_null(True).all().alias(name)
        for name, pattern in patterns.items()
    ).row(0, named=True)
    return {name for name, ok in shaped.items() if ok}


def variation_notes(table: Table, layout: Layout) -> list[str]:
    """Tolerated variations worth one sentence per file: date-times in a date column (the date is kept)."""
    mapping = map_columns(table.headers, layout)
    dates = [c.name for c in layout.columns if c.type == "date" and c.name in mapping.by_field]
    if not dates or table.frame.height == 0:
        return []
    # Run after validation: every value is a date or a date-time by now, so anything longer than a date has a time.
    with_time = [pl.col(f"c{mapping.by_field[n]}").str.strip_chars().str.len_bytes() > 10 for n in dates]
    firsts = table.frame.select(
        *[pl.col(LINE_COL).filter(flag.fill_null(False)).first().alias(n) for n, flag in zip(dates, with_time,
                                                                                           strict=True)]
    ).row(0)
    found = [(table.headers[mapping.by_field[name]].strip(), line)
             for name, line in zip(dates, firsts, strict=True) if line is not None]
    if not found:
        return []
    columns = ", ".join(f"'{header}'" for header, _ in found)
    return [i18n.t("columns.import.datetime_in_date", columns=columns, line=min(line for _, line in found))]


def _collect(errors: pl.DataFrame, mapping: Mapping, headers: list[str]) -> list[Problem]:
    names = [c for c in errors.columns if c != "source_line"]
    if not names:
        return []
    bad = errors.filter(pl.any_horizontal(pl.col(names).is_not_null())).head(10_000)
    long = (
        bad.unpivot(index="source_line", on=names, variable_name="field", value_name="reason")
        .drop_nulls("reason")
        .sort("source_line", maintain_order=True)
        .head(10_000)
    )
    return [
        Problem(int(line), headers[mapping.by_field[name.removeprefix(ERROR_PREFIX)]].strip(), _reason(reason))
        for line, name, reason in long.iter_rows()
    ]


def _reason(reason: str) -> str:
    if reason.startswith(fields.INVISIBLE_MARK):
        return invisible_problem(reason.removeprefix(fields.INVISIBLE_MARK)) or reason
    return reason


def _same_in_file(typed: pl.DataFrame, layout: Layout, mapping: Mapping, headers: list[str]) -> list[Problem]:
    """One file is one document: its number, date and total repeat on every row."""
    problems: list[Problem] = []
    if typed.height == 0:
        return [Problem(2, "", i18n.t("input.reason.no_data_rows",
                                                    label=i18n.t(f"columns.kind.{layout.kind}")))]
    for name in layout.same_in_file:
        first = typed[name][0]
        if first is None:
            continue
        differing = typed.filter(pl.col(name) != first).head(50)
        for line, value in differing.select("source_line", name).iter_rows():
            problems.append(
                Problem(int(line), headers[mapping.by_field[name]].strip(),
                        i18n.t("input.reason.differs_in_file", value=value, first=first))
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
