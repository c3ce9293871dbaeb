"""Read a `;`-separated file into a frame of strings, keeping the physical line of every record.

polars does the parsing. Two things it does not do for us: it pads short rows with nulls (a file cut off in
the middle of a line would pass unnoticed) and it does not say which physical line a record came from when a
quoted field spans lines. Both are answered here from a cheap, vectorised pass over the raw lines.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from recon import i18n
from recon.importing.limits import MAX_FIELD_BYTES, field_too_long
from recon.importing.problems import Problem, Rejected, reject

SEPARATOR = ";"
LINE_COL = "__line"
# A quoted field: a quote right at the start of a field (line start or after a separator) up to its closing
# quote. A quote anywhere else is a plain character (`TV-55"`), as polars and the csv module read it.
QUOTED = r'(^|;)"(?:[^"]|"")*"'


OTHER_SEPARATORS = (",", "\t", "|")


@dataclass(frozen=True)
class Table:
    headers: list[str]
    frame: pl.DataFrame  # columns c0..cN (strings) and __line (int32), blank lines removed
    last_line: int = 0  # physical number of the last line
    ends_with_line_break: bool = True  # False: the last line may have been cut off


def header_line(data: bytes) -> str:
    """The first line, without copying the rest of a large file."""
    end = data.find(b"\n")
    return data[: end if end >= 0 else len(data)].decode("utf-8").rstrip("\r")


def separator_problem(header_line: str, recognised: Callable[[list[str]], bool] | None = None) -> Problem | None:
    """A header without ';' but split by another separator: say so instead of 'unknown columns'.

    With `recognised`, only when the header split by that separator is one recon knows; without it, when the
    separator occurs at least twice (three columns or more).
    """
    if SEPARATOR in header_line:
        return None
    for sep in sorted(OTHER_SEPARATORS, key=header_line.count, reverse=True):
        names = next(csv.reader([header_line], delimiter=sep, quotechar='"'), [])
        if recognised(names) if recognised is not None else header_line.count(sep) >= 2:
            shown = i18n.t("input.reason.a_tab") if sep == "\t" else f"'{sep}'"
            return Problem(1, "", i18n.t("input.reason.separator", shown=shown))
    return None


def _col(i: int) -> str:
    return f"c{i}"


def read_table(data: bytes) -> Table:
    if not data.strip():
        raise reject(1, "", i18n.t("input.reason.empty_file"))
    first_line = header_line(data)
    headers = next(csv.reader([first_line], delimiter=SEPARATOR, quotechar='"'))
    if not any(h.strip() for h in headers):
        raise reject(1, "", i18n.t("input.reason.empty_header"))
    if len(headers) == 1 and (wrong := separator_problem(first_line)):
        raise Rejected([wrong])
    lines = _physical_lines(data)
    last_line, complete = lines.len(), data.endswith(b"\n")
    quoted = b'"' in data  # most exports quote nothing: then no pass needs to look for quotes
    if quoted and (lines.str.count_matches('"', literal=True) % 2 == 1).any():
        return _read_slow(data, headers, last_line, complete)
    _check_field_counts(lines, headers, quoted)
    # Below, every record is one physical line (the row count is checked against the line count), so a field is
    # never longer than its line, and only a line of blanks, separators and quotes can be a blank record.
    longest_line = lines.str.len_bytes().max()
    maybe_blank = lines.slice(1).str.contains(MAYBE_BLANK).any()
    del lines  # a 200 MB file: do not hold its lines twice
    try:
        frame = pl.read_csv(
            data,
            separator=SEPARATOR,
            quote_char='"',
            has_header=True,
            new_columns=[_col(i) for i in range(len(headers))],
            infer_schema=False,
        )
    except pl.exceptions.ComputeError:  # a longer line of separators only, or polars reads quotes otherwise
        return _read_slow(data, headers, last_line, complete)
    expected_rows = last_line - 1
    if frame.height != expected_rows:  # polars and our line count disagree: take the careful path
        return _read_slow(data, headers, last_line, complete)
    frame = frame.with_columns(pl.int_range(2, frame.height + 2, dtype=pl.Int32).alias(LINE_COL))
    if not isinstance(longest_line, int) or longest_line > MAX_FIELD_BYTES:
        _check_field_sizes(frame, headers)
    return Table(headers, _drop_blank(frame, len(headers)) if maybe_blank else frame, last_line, complete)


def _check_field_sizes(frame: pl.DataFrame, headers: list[str]) -> None:
    """No field above MAX_FIELD_BYTES (the line cap bounds most; a quoted field may span lines)."""
    cols = [_col(i) for i in range(len(headers))]
    longest = frame.select(pl.max_horizontal(pl.col(cols).str.len_bytes()).alias("n"), LINE_COL)
    over = longest.filter(pl.col("n") > MAX_FIELD_BYTES)
    if over.height:
        line = int(over[LINE_COL][0])
        row = frame.filter(pl.col(LINE_COL) == line).row(0)
        at = next(i for i, v in enumerate(row[: len(cols)]) if v is not None and len(v.encode()) > MAX_FIELD_BYTES)
        raise field_too_long(line, headers[at].strip())


def _physical_lines(data: bytes) -> pl.Series:
    """Every physical line (without its line break); a final line break does not open a new line.

    polars reads the lines (unit separator as column separator: decoding rejected control bytes, so it
    cannot occur; no quoting): a 200 MB file never becomes a million Python strings. Should its count ever
    disagree with the line feeds, the plain split decides.
    """
    expected = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    lines = pl.read_csv(
        data, separator="\x1f", quote_char=None, has_header=False, infer_schema=False, new_columns=["line"],
    ).to_series().fill_null("")
    if b"\r" in data:
        lines = lines.str.strip_suffix("\r")
    if lines.len() == expected:
        return lines
    body = data[:-1] if data.endswith(b"\n") else data
    return pl.Series("line", body.decode("utf-8").split("\n"), dtype=pl.String).str.strip_suffix("\r")


BLANK = r"^[\s;]*$"  # nothing but white space and separators: no record, skipped
BLANK_TAIL = r"[\s;]*$"  # blank fields at the end of a line
MAYBE_BLANK = r'^[\s;"]*$'  # what a line holding a blank record (`"";" "` too) is made of


def _check_field_counts(lines: pl.Series, headers: list[str], quoted: bool = True) -> None:
    """`quoted`: whether the file holds a '"' at all (without one, no line needs its quoted fields removed)."""
    expected = len(headers)
    frame = pl.DataFrame({"line": lines}).with_row_index("idx", offset=1)
    has_quote = pl.col("line").str.contains('"', literal=True)
    unquoted = (pl.when(has_quote).then(pl.col("line").str.replace_all(QUOTED, "$1")).otherwise(pl.col("line"))
                if quoted else pl.col("line"))
    counted = frame.with_columns((unquoted.str.count_matches(SEPARATOR, literal=True) + 1).alias("n"))
    # The blank test (a regex) only on the lines whose count differs: nearly always none.
    bad = counted.filter(pl.col("n") != expected).filter(~pl.col("line").str.contains(BLANK))
    if bad.height:
        # Extra fields after the last column are a tolerated variation when they are all blank (`…;EUR;;;`);
        # checked on the lines that differ only, so a file without them pays nothing for the rule.
        trimmed = unquoted.str.replace(BLANK_TAIL, "").str.count_matches(SEPARATOR, literal=True) + 1
        bad = bad.filter(~((pl.col("n") > expected) & (trimmed <= expected)))
    bad = bad.head(200)
    if bad.height == 0:
        return
    last = lines.len()
    problems = []
    for idx, n, line in bad.select("idx", "n", "line").iter_rows():
        stray = _stray_quote(line) if int(n) > expected else None
        if stray is not None:
            column, value = stray
            field = headers[column - 1].strip() if column <= expected else ""
            reason = i18n.t("input.stray_quote", found=n, expected=expected, column=column, value=value)
            problems.append(Problem(int(idx), field, reason))
        else:
            problems.append(Problem(int(idx), "", _count_reason(int(n), expected, int(idx) == last)))
    raise Rejected(problems)


def _count_reason(found: int, expected: int, is_last: bool) -> str:
    if found < expected and is_last:
        return i18n.t("input.reason.cut_off_line", found=found, expected=expected)
    if found == 1 and expected > 1:
        return i18n.t("input.reason.one_field", expected=expected)
    return i18n.t("input.reason.field_count", found=found, expected=expected)


def _stray_quote(line: str) -> tuple[int, str] | None:
    """(column, text) of the first field that holds a '"' but does not start with one: a ';' after it was meant
    as text, but only a field quoted as a whole can hold a ';'."""
    for column, part in enumerate(line.split(SEPARATOR), start=1):
        if '"' in part and not part.startswith('"'):
            return column, part
        if part.startswith('"'):
            return None  # quoted fields: the count above already follows them
    return None


def _drop_blank(frame: pl.DataFrame, width: int) -> pl.DataFrame:
    """Blank lines (and lines of separators only) are no records."""
    cols = [_col(i) for i in range(width)]
    blank = pl.all_horizontal([pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "") for c in cols])
    return frame.filter(~blank)


def _read_slow(data: bytes, headers: list[str], last_line: int, ends_with_line_break: bool) -> Table:
    """Quoted fields with line breaks: the csv module knows where each record starts."""
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD_BYTES + 1))  # our cap speaks first, per field
    text = data.decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=SEPARATOR, quotechar='"', strict=True)
    width = len(headers)
    rows: list[list[str]] = []
    starts: list[int] = []
    problems: list[Problem] = []
    previous_end = 0
    try:
        for record in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if start == 1:
                continue
            if not any(v.strip() for v in record):
                continue
            if len(record) > width and not any(v.strip() for v in record[width:]):
                record = record[:width]  # blank extra fields at the end: a tolerated variation
            if len(record) != width:
                is_last = previous_end >= last_line and not ends_with_line_break
                problems.append(Problem(start, "", _count_reason(len(record), width, is_last)))
                continue
            for value, header in zip(record, headers, strict=True):
                if len(value) * 4 > MAX_FIELD_BYTES and len(value.encode()) > MAX_FIELD_BYTES:
                    raise field_too_long(start, header.strip())
            rows.append(record)
            starts.append(start)
    except csv.Error as exc:
        if "end of data" in str(exc):
            raise reject(previous_end + 1, "", i18n.t("input.reason.unclosed_quote")) from exc
        if "new-line character" in str(exc):
            raise reject(previous_end + 1, "", i18n.t("input.lone_carriage_return")) from exc
        if "field larger than field limit" in str(exc):
            raise field_too_long(previous_end + 1, "") from exc
        raise reject(previous_end + 1, "", i18n.t("input.reason.unreadable_csv", error=exc)) from exc
    if problems:
        raise Rejected(problems)
    columns = {_col(i): [r[i] if r[i] != "" else None for r in rows] for i in range(width)}
    frame = pl.DataFrame(columns, schema={c: pl.String for c in columns}).with_columns(
        pl.Series(LINE_COL, starts, dtype=pl.Int32)
    )
    return Table(headers, frame, last_line, ends_with_line_break)
