"""Receipts API v3 JSON (a page, a list, or JSON Lines) to rows: one per receipt, one per position item.

A receipt line of the API carries a quantity and one position item id per unit; the engine reconciles per
position item (what the commission invoice charges), so each unit becomes a row and the line's amounts
are split to the cent, remainder on the last unit, so the rows add up to exactly what the receipt says.
Amounts are stored as sent (the API gives magnitudes; the receipt type says the direction).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import hashlib
import json
import multiprocessing
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, cast

import polars as pl
from pydantic import ValidationError

from recon import i18n, settings
from recon.importing import receipts_fast
from recon.importing.fields import AMOUNT_DTYPE, RATE_DTYPE
from recon.importing.numbers import invisible_problem, number_key, number_keys
from recon.importing.problems import Problem, Rejected, reject
from recon.importing.receipts_checks import (
    MAX_JSON_DEPTH,
    Pairs,
    ids_ok,
    object_pairs,
    rate_ok,
    raw_problems,
    receipt_problems,
)
from recon.importing.receipts_model import KNOWN_RECEIPT_TYPES, Price, Receipt
from recon.money import CENT

Progress = Callable[[str, float], None]
MAX_PROBLEMS = 10_000
RECEIPT_NESTING = 2  # levels above a receipt in a file: page object, then its 'resources' list
MAX_RECEIPT_BYTES = 1_000_000  # one receipt's JSON (a real one is 2 to 20 kB): the cap on any one value
MAX_RECEIPTS_PER_FILE = 2_000_000  # a year of a big shop; far more than one export or API page sequence holds


@dataclass(frozen=True)
class Page:
    """A receipts file's text as it was read (UTF-8) and where receipt n (source_line n) sits in it: the store
    keeps this once per file instead of a JSON copy per receipt (`receipts.raw` stays empty for these)."""

    text: bytes
    starts: list[int]
    ends: list[int]


@dataclass(frozen=True)
class Staged:
    receipts: pl.DataFrame
    lines: pl.DataFrame
    page: Page | None = None  # the fast lane's: its receipts' JSON is their slice of the file


RECEIPT_SCHEMA: dict[str, pl.DataType] = {
    "source_line": pl.Int32(),
    "receipt_number": pl.String(),
    "receipt_type": pl.String(),
    "created_at": pl.Datetime("us", "UTC"),
    "shipped_at": pl.Datetime("us", "UTC"),
    "order_number": pl.String(),
    "sales_order_id": pl.String(),
    "linked_receipt_number": pl.String(),
    "currency": pl.String(),
    "total_gross": AMOUNT_DTYPE,
    "content_sha256": pl.String(),
    "raw": pl.String(),
}
LINE_SCHEMA: dict[str, pl.DataType] = {
    "source_line": pl.Int32(),
    "receipt_number": pl.String(),
    "line_no": pl.Int32(),
    "line_type": pl.String(),
    "position_item_id": pl.String(),
    "sku": pl.String(),
    "article_number": pl.String(),
    "title": pl.String(),
    "category": pl.String(),
    "fee_type": pl.String(),
    "gross_amount": AMOUNT_DTYPE,
    "discount_gross": AMOUNT_DTYPE,
    "vat_rate": RATE_DTYPE,
    "vat_amount": AMOUNT_DTYPE,
    "currency": pl.String(),
}
_DECIMAL_MARK = re.compile(r'"\\u0000dec:([-+0-9.eE]+)"')


def parse(data: bytes, progress: Progress | None = None) -> Staged:
    # Millions of short-lived dicts and no reference cycles: the cyclic collector would only rescan them.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _parse_fast(data) or _parse_careful(data, progress)
    finally:
        if collecting:
            gc.enable()


def _parse_careful(data: bytes, progress: Progress | None) -> Staged:
    rows = _Rows()
    problems: list[Problem] = []
    seen: dict[str, tuple[int, str]] = {}
    documents = list(_documents(data))
    _check_count(len(documents))
    for done, (position, obj) in enumerate(documents):
        if progress is not None and done % 20_000 == 0:
            progress(i18n.t("input.stage.validating_receipts"), 0.1 + 0.6 * done / max(len(documents), 1))
        if not_receipt := _not_a_receipt(obj):
            problems.append(Problem(position, "", not_receipt))
            if len(problems) > MAX_PROBLEMS:
                break
            continue
        number = obj.get("receiptNumber")
        label = f" ({i18n.t('input.receipt', number=number)})" if isinstance(number, str) and number else ""
        if raw_found := raw_problems(obj, RECEIPT_NESTING):
            problems += [Problem(position, path, reason + label) for path, reason in raw_found]
            continue
        try:
            receipt = Receipt.model_validate(obj)
        except ValidationError as exc:
            problems += _problems(position, number, exc)
            if len(problems) > MAX_PROBLEMS:
                break
            continue
        if found := receipt_problems(receipt):
            problems += [Problem(position, path, reason + label) for path, reason in found]
            if len(problems) > MAX_PROBLEMS:
                break
            continue
        raw = _dump(obj)
        if len(raw) > MAX_RECEIPT_BYTES // 4 and len(raw.encode("utf-8")) > MAX_RECEIPT_BYTES:
            problems.append(Problem(position, "", i18n.t("input.receipt_too_large", limit=MAX_RECEIPT_BYTES)
                                    + label))
            continue
        content = hashlib.sha256(raw.encode("utf-8")).hexdigest()
        key = number_key(receipt.receipt_number)
        if key in seen:
            first_position, first_content = seen[key]
            if first_content != content:
                problems.append(Problem(position, "receiptNumber",
                                        i18n.t("input.reason.receipt_again", number=receipt.receipt_number,
                                               first=first_position)))
            continue
        seen[key] = (position, content)
        if receipt.receipt_type not in ("PURCHASE", "REFUND", "PARTIAL_REFUND"):
            reason = i18n.t("input.reason.unknown_receipt_type", type=receipt.receipt_type,
                            number=receipt.receipt_number)
            problems.append(Problem(position, "receiptType", reason))
            continue
        rows.add(position, receipt, content, raw)
    if problems:
        raise Rejected(problems)
    if not rows.count:
        raise reject(1, "", i18n.t("input.reason.no_receipts"))
    return rows.staged()


def _check_count(count: int) -> None:
    if count > MAX_RECEIPTS_PER_FILE:
        raise reject(1, "", i18n.t("input.too_many_receipts", count=count, limit=MAX_RECEIPTS_PER_FILE))


def _parse_fast(data: bytes) -> Staged | None:
    """The same rows through the fast lane, or None when the file needs the careful path (and its messages).

    A big page is cut in two between receipts; a helper process reads the second half while this one reads the
    first (the work is Python objects, so threads would wait on each other). Any doubt in either half sends the
    whole file down the careful path, so positions and messages are those of the file as one.
    """
    if not receipts_fast.safe(data):
        return None
    helper = _helper()
    split = receipts_fast.halves(data, PARALLEL_MIN_RECEIPTS) if helper is not None else None
    if helper is None or split is None:
        return _fast_rows(data, 1, keep_page=True)
    first, second, offset, found = split
    try:
        theirs_future = helper.submit(_fast_rows, second, offset + 1)
    except RuntimeError:  # the helper is gone (interpreter shutting down, broken pool)
        return _fast_rows(data, 1, keep_page=True)
    mine = _fast_rows(first, 1)
    try:
        theirs = theirs_future.result()
    except Exception:  # noqa: BLE001 (a lost helper costs time, never a result)
        theirs = _fast_rows(second, offset + 1)
    if mine is None or theirs is None:
        return None
    both = Staged(pl.concat([mine.receipts, theirs.receipts]), pl.concat([mine.lines, theirs.lines]),
                  Page(data, found.starts, found.ends))
    if number_keys(both.receipts["receipt_number"]).is_duplicated().any():
        return None  # a receipt in both halves: the careful path compares their content
    return both


PARALLEL_MIN_RECEIPTS = 4_000
_HELPER: list[ProcessPoolExecutor] = []


def _helper() -> ProcessPoolExecutor | None:
    """One helper process for the import (started on the first big page; RECON_IMPORT_HELPER=0 turns it off)."""
    if not settings.current().import_helper or (os.cpu_count() or 1) < 2:
        return None
    if _HELPER and getattr(_HELPER[0], "_broken", False):  # it died (killed, or with its starting thread)
        stop_helper()
    if not _HELPER:
        context = multiprocessing.get_context("spawn")  # never fork a process that runs polars and DuckDB threads
        on_main_thread = threading.current_thread() is threading.main_thread()
        _HELPER.append(ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_helper_started,
                                           initargs=(os.getpid(), on_main_thread)))
    return _HELPER[0]


def stop_helper() -> None:
    """End the helper now, mid-work or not (an interrupted import must not wait for, or leave behind, its half)."""
    while _HELPER:
        pool = _HELPER.pop()
        for process in list(getattr(pool, "_processes", {}).values()):  # the pool has no public 'kill'
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)


def _helper_started(parent: int, tie_to_parent_thread: bool) -> None:
    """In the helper: no cyclic GC (see `parse`), and die with the importing process, however it ends.

    Linux sends SIGKILL the moment the parent dies (PR_SET_PDEATHSIG; it watches the thread that started the
    helper, so only when that is the main thread). Everywhere, a watcher thread ends the helper within a second
    of the parent's death (a process whose parent died gets a new parent).
    """
    gc.disable()
    if tie_to_parent_thread and sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="recon-parent-watch", daemon=True).start()


PR_SET_PDEATHSIG = 1


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _fast_rows(data: bytes, first_position: int, *, keep_page: bool = False) -> Staged | None:
    """The rows of a page, list or single receipt (or a half of one) through the fast lane; None: careful path.
    `keep_page`: `data` is the whole file, whose text the store keeps (a half's own text is not the file's)."""
    decoded = receipts_fast.decode(data, checked=True)
    if decoded is None:
        return None
    if len(decoded.receipts) > MAX_RECEIPTS_PER_FILE or max(map(len, decoded.raws), default=0) > MAX_RECEIPT_BYTES:
        return None
    rows = _FastRows(first_position)
    if not rows.add(decoded.receipts):
        return None  # unknown or wrong receipts: the careful path decides and explains
    staged = rows.staged([hashlib.sha256(raw).hexdigest() for raw in decoded.raws])
    if staged is None:
        return None
    if number_keys(staged.receipts["receipt_number"]).is_duplicated().any():
        return None  # a repeated receipt: the careful path compares their content
    return Staged(staged.receipts, staged.lines, Page(data, decoded.starts, decoded.ends) if keep_page else None)


def _plain_decimal(dtype: pl.Decimal) -> str:
    """Decimal text that fits the column exactly: no exponent, at most its scale in decimals."""
    scale = dtype.scale or 0
    digits = (dtype.precision or 38) - scale
    return rf"^-?\d{{1,{digits}}}(?:\.\d{{1,{scale}}})?$" if scale else rf"^-?\d{{1,{digits}}}$"


def _frame(columns: dict[str, Any], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Column lists (or ready Series) to a frame; Decimals cross as text and are cast by polars (exact, and far
    faster than converting Decimal objects), all Decimal columns in one pass. polars would cut a value with more
    decimals than its column without a word, so such values are looked at one by one: trailing zeros are fine,
    anything else rejects the file."""
    series: dict[str, pl.Series] = {}
    texts: dict[str, list[str | None]] = {}
    for name, dtype in schema.items():
        values = columns[name]
        if isinstance(values, pl.Series):
            series[name] = values.alias(name).cast(dtype)
        elif isinstance(dtype, pl.Decimal):
            texts[name] = [None if v is None else str(v) for v in values]
        else:
            series[name] = pl.Series(name, values, dtype=dtype)
    if texts:
        frame = pl.DataFrame({name: pl.Series(name, v, dtype=pl.String) for name, v in texts.items()})
        odd = frame.select(pl.col(name).str.contains(_plain_decimal(schema[name])).not_().any()  # type: ignore[arg-type]
                           for name in texts).row(0)
        for name, any_odd in zip(texts, odd, strict=True):
            if any_odd:  # rare: look at the values one by one (and reject the file, unless only zeros are cut)
                dtype = cast(pl.Decimal, schema[name])
                flags = frame[name].str.contains(_plain_decimal(dtype)).not_()
                values = texts[name]
                for index in flags.arg_true().to_list():
                    row = {"source_line": columns["source_line"][index],
                           "receipt_number": columns["receipt_number"][index]}
                    values[index] = _exact_text(values[index], dtype, name, row)
                frame = frame.with_columns(pl.Series(name, values, dtype=pl.String))
        series.update(frame.select(pl.col(name).cast(schema[name]) for name in texts).to_dict())
    return pl.DataFrame([series[name] for name in schema])


# Where a stored column's value comes from in the receipt, for messages.
_JSON_FIELD = {
    "gross_amount": "positionSum.gross.amount", "vat_amount": "positionSum.tax.amount",
    "discount_gross": "priceModifications.priceModificationAmount.gross.amount",
    "total_gross": "totals.gross.amount", "vat_rate": "taxRate",
}


def _exact_text(text: str | None, dtype: pl.Decimal, column: str, row: dict[str, Any]) -> str | None:
    """The value written with the column's scale when that loses nothing; else the file is rejected."""
    if text is None:
        return None
    scale = dtype.scale or 0
    value = Decimal(text)
    where = int(row["source_line"]), _JSON_FIELD.get(column, column)
    try:
        exact = value.quantize(Decimal(1).scaleb(-scale))
    except InvalidOperation:
        exact = None
    if exact is not None and exact != value:
        what = "amount" if scale == 2 else "rate"
        raise reject(*where, f"{what} {text} has more than {scale} decimals (receipt {row['receipt_number']})")
    if exact is None or len(exact.as_tuple().digits) > (dtype.precision or 38):
        limit = Decimal(10) ** ((dtype.precision or 38) - scale) - Decimal(1).scaleb(-scale)
        raise reject(*where, i18n.t("input.amount_too_large", amount=text, limit=i18n.number(limit, scale))
                     + f" ({i18n.t('input.receipt', number=row['receipt_number'])})")
    return str(exact)


def _documents(data: bytes) -> Iterator[tuple[int, Any]]:
    """(position, receipt object): list position for a page or array, physical line for JSON Lines."""
    text = data.decode("utf-8")
    try:
        whole = _loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data":
            if exc.pos >= len(text.rstrip()) - 1:
                raise reject(exc.lineno, "", i18n.t("input.reason.json_cut_off", error=exc.msg,
                                                    column=exc.colno)) from exc
            raise reject(exc.lineno, "", i18n.t("input.reason.bad_json", error=exc.msg, column=exc.colno)) from exc
        yield from _json_lines(text)
        return
    if isinstance(whole, Pairs) and (repeated := [k for k in whole.repeated if k == "resources"]):
        raise reject(1, repeated[0], i18n.t("input.duplicate_key", key=repeated[0]))
    if isinstance(whole, dict) and "resources" in whole:
        items = whole["resources"]
        if not isinstance(items, list):
            raise reject(1, "resources", i18n.t("input.reason.resources_not_list"))
    elif isinstance(whole, dict) and "receiptNumber" in whole:
        items = [whole]
    elif isinstance(whole, list):
        items = whole
    else:
        raise reject(1, "", i18n.t("input.reason.not_receipts_api"))
    yield from enumerate(items, start=1)


def _loads(text: str, line: int = 1) -> Any:
    """json.loads with exact decimals and repeated keys kept visible; nesting too deep for Python is named."""
    try:
        return json.loads(text, parse_float=Decimal, object_pairs_hook=object_pairs)
    except RecursionError:
        raise reject(line, "", i18n.t("input.json_too_deep", limit=MAX_JSON_DEPTH)) from None


JSON_TYPES = {dict: "json_object", list: "json_list", str: "json_string", bool: "json_bool", type(None): "json_null"}


def _not_a_receipt(obj: Any) -> str | None:
    """A reason when an element is plainly no receipt at all (another API's JSON, a list of numbers)."""
    if isinstance(obj, dict):
        if "receiptNumber" in obj or "receiptType" in obj:
            return None
        keys = ", ".join(f"'{k}'" for k in list(obj)[:5]) or i18n.t("common.none")
        return i18n.t("input.reason.not_receipt_object", keys=keys)
    found = i18n.t(f"input.reason.{JSON_TYPES.get(type(obj), 'json_number')}")
    return i18n.t("input.reason.not_receipt_type", found=found)


def _json_lines(text: str) -> Iterator[tuple[int, Any]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, _loads(line, number)
        except json.JSONDecodeError as exc:
            raise reject(number, "", i18n.t("input.reason.bad_json_line", error=exc.msg,
                                                  column=exc.colno)) from exc


def _problems(position: int, number: object, exc: ValidationError) -> list[Problem]:
    label = f" ({i18n.t('input.receipt', number=number)})" if isinstance(number, str) else ""
    found = []
    for err in exc.errors(include_url=False):
        path = ".".join(str(p) for p in err["loc"]) or "receipt"
        path = re.sub(r"\.(\d+)", r"[\1]", path)
        found.append(Problem(position, path, f"{_pydantic_reason(err)}{label}"))
    return found


# pydantic's error types that receipts meet, in the catalogue's words (input.reason.<key>); others keep
# pydantic's text inside a translated frame (English keeps pydantic's text as it is).
_PYDANTIC_REASONS = {
    "missing": "missing", "decimal_parsing": "not_decimal", "decimal_type": "not_decimal",
    "string_type": "not_text", "datetime_parsing": "not_datetime_json", "datetime_type": "not_datetime_json",
    "datetime_from_date_parsing": "not_datetime_json", "int_parsing": "not_integer", "int_type": "not_integer",
    "model_type": "not_object", "dict_type": "not_object", "list_type": "not_list", "literal_error": "not_allowed",
    "enum": "not_allowed",
}


def _pydantic_reason(err: Any) -> str:
    """German: the catalogue's words for the error types receipts meet; English: pydantic's own text."""
    kind, msg = str(err["type"]), str(err["msg"])
    if i18n.lang() == "en":
        return msg
    if kind in ("value_error", "amount_too_large"):  # our own validators: their text is from the catalogue
        return msg.removeprefix("Value error, ")
    key = _PYDANTIC_REASONS.get(kind)
    if key is None:
        return i18n.t("input.reason.invalid", detail=msg)
    allowed = str((err.get("ctx") or {}).get("expected", ""))
    return i18n.t(f"input.reason.{key}", value=repr(err.get("input"))[:60], allowed=allowed)


def _dump(obj: Any) -> str:
    """Canonical JSON with Decimals written as the numbers they were (never through float)."""
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=lambda v: f"\u0000dec:{v}" if isinstance(v, Decimal) else str(v))
    return _DECIMAL_MARK.sub(r"\1", text)


_ZERO = Decimal("0")


class _Rows:
    """The receipts and their unit rows as column lists: one append per value, no dict per row (a million
    position items are a million rows). Both lanes build with it, so their rows are the same by construction."""

    def __init__(self) -> None:
        self.heads: dict[str, list[Any]] = {name: [] for name in RECEIPT_SCHEMA}
        self.lines: dict[str, list[Any]] = {name: [] for name in LINE_SCHEMA}
        self.count = 0

    def staged(self) -> Staged:
        return Staged(_frame(self.heads, RECEIPT_SCHEMA), _frame(self.lines, LINE_SCHEMA))

    def add(self, position: int, r: Receipt, content: str, raw: str | bytes) -> None:
        self.count += 1
        heads = self.heads
        total = sum((p.gross.amount for p in r.totals), _ZERO)
        currency = r.totals[0].gross.currency if r.totals else (r.amount_due.currency if r.amount_due else "EUR")
        for name, value in (
            ("source_line", position), ("receipt_number", r.receipt_number), ("receipt_type", r.receipt_type),
            ("created_at", r.creation_date), ("shipped_at", r.shipment_date), ("order_number", r.order_number),
            ("sales_order_id", r.sales_order_id), ("linked_receipt_number", r.linked_receipt_number),
            ("currency", currency), ("total_gross", total), ("content_sha256", content), ("raw", raw),
        ):
            heads[name].append(value)
        self._line_rows(position, r)

    def _line_rows(self, position: int, r: Receipt) -> None:
        number = r.receipt_number
        done = 0
        items = r.line_items
        for item in items.item_positions:
            discount = sum((m.price_modification_amount.gross.amount for m in item.price_modifications), _ZERO)
            done = self._unit_rows(position, number, done, "ITEM", item.position_item_ids, item.position_sum,
                                   discount, item.sku, item.article_number, item.product_title, None)
        for part in items.item_partial_refund_positions:
            done = self._unit_rows(position, number, done, "ITEM", part.position_item_ids, part.partial_refund_amount,
                                   None, part.sku, part.article_number, part.product_title, None)
        for fee in items.delivery_costs:
            discount = sum((m.price_modification_amount.gross.amount for m in fee.price_modifications), _ZERO)
            done = self._unit_rows(position, number, done, "DELIVERY_FEE", [], fee.position_sum, discount,
                                   None, None, None, fee.delivery_cost_type)
        for service in items.service_positions:
            done = self._unit_rows(position, number, done, "SERVICE", service.service_position_item_ids,
                                   service.position_sum, None, None, None, service.service_name, None)
        for service_part in items.service_partial_refund_positions:
            if service_part.partial_refund_amount is not None:
                done = self._unit_rows(position, number, done, "SERVICE", service_part.service_position_item_ids or [],
                                       service_part.partial_refund_amount, None, None, None,
                                       service_part.service_name, None)

    def _unit_rows(self, position: int, number: str, done: int, line_type: str, ids: list[str], price: Price,
                   discount: Decimal | None, sku: str | None, article_number: str | None, title: str | None,
                   fee_type: str | None) -> int:
        """One row per unit (position item id), the line's amounts split to the cent; returns the rows so far."""
        n = len(ids) or 1
        gross = price.gross.amount
        tax = price.tax.amount if price.tax else None
        lines = self.lines
        if n == 1:
            lines["gross_amount"].append(gross)
            lines["vat_amount"].append(tax)
            lines["discount_gross"].append(discount)
        else:
            lines["gross_amount"] += _split(gross, n)
            lines["vat_amount"] += _split(tax, n)
            lines["discount_gross"] += _split(discount, n)
        lines["position_item_id"] += ids or [None]
        lines["line_no"] += range(done + 1, done + n + 1)
        for name, value in (
            ("source_line", position), ("receipt_number", number), ("line_type", line_type), ("sku", sku),
            ("article_number", article_number), ("title", title), ("category", None), ("fee_type", fee_type),
            ("vat_rate", _rate(price.tax_rate)), ("currency", price.gross.currency),
        ):
            lines[name] += [value] * n
        return done + n


UNSET = receipts_fast.UNSET


class _FastRows:
    """The rows of `_Rows` from the fast lane's types, checking on the way what `receipt_problems` checks (as yes
    or no; amounts too large never get here: `receipts_fast.safe`). An optional field the receipt lacks is UNSET
    there (read as None, a list as empty) and date-times are their text, parsed at the end (`times_ok`).

    It runs for every receipt and unit of a big quarter, so a unit row is one tuple (the columns come from
    `zip`), the receipt's number and position are looked up by its index, and the currency is "EUR" (the byte
    scan sends any other currency the careful way)."""

    def __init__(self, first_position: int) -> None:
        self.first_position = first_position
        self.receipts: list[Any] = []
        self.units: list[tuple[Any, ...]] = []
        self.times: list[str] = []  # every date-time text but created_at's and shipped_at's
        self.rates: set[str] = set()

    def add(self, receipts: list[Any]) -> bool:
        """Every receipt's rows; False as soon as one is unknown or wrong (the careful path explains)."""
        times, rates = self.times, self.rates
        for r in receipts:
            number = r.receipt_number
            if r.receipt_type not in KNOWN_RECEIPT_TYPES or not number.strip():
                return False
            for text in (number, r.order_number, r.sales_order_id, r.linked_receipt_number):
                if text and not (text.isascii() and text.isprintable()) and invisible_problem(text):
                    return False
            for value in (r.fulfillment_date, r.order_date, r.linked_creation_date):
                if value is not UNSET and value is not None:
                    times.append(value)
            for price in r.totals:
                rates.add(price.tax_rate)
        self.receipts = receipts
        return all(self._line_rows(owner, r) for owner, r in enumerate(receipts))

    def staged(self, contents: list[str]) -> Staged | None:
        """The frames, or None when a date-time or tax rate is wrong."""
        receipts = self.receipts
        created = [r.creation_date for r in receipts]
        shipped = [None if r.shipment_date is UNSET else r.shipment_date for r in receipts]
        created_at = _times("created_at", created)
        shipped_at = _times("shipped_at", shipped)
        if created_at is None or shipped_at is None or receipts_fast.check_times(self.times) is None:
            return None
        if not all(map(rate_ok, self.rates)):
            return None
        count = len(receipts)
        numbers = [r.receipt_number for r in receipts]
        heads = {
            "source_line": range(self.first_position, self.first_position + count), "receipt_number": numbers,
            "receipt_type": [r.receipt_type for r in receipts], "created_at": created_at, "shipped_at": shipped_at,
            "order_number": [r.order_number for r in receipts], "sales_order_id": [r.sales_order_id for r in receipts],
            "linked_receipt_number": [None if r.linked_receipt_number is UNSET else r.linked_receipt_number
                                      for r in receipts],
            "currency": ["EUR"] * count, "total_gross": [sum((p.gross.amount for p in r.totals), _ZERO)
                                                          for r in receipts],
            "content_sha256": contents, "raw": [None] * count,
        }
        units = self.units
        columns: dict[str, Any] = dict(zip(_UNIT_FIELDS, map(list, zip(*units, strict=True)), strict=True)) if units \
            else {name: [] for name in _UNIT_FIELDS}
        owners = columns.pop("owner")
        first = self.first_position
        columns["source_line"] = [first + owner for owner in owners]
        columns["receipt_number"] = [numbers[owner] for owner in owners]
        columns["category"] = [None] * len(units)
        columns["currency"] = ["EUR"] * len(units)
        return Staged(_frame(heads, RECEIPT_SCHEMA), _frame(columns, LINE_SCHEMA))

    def _discount(self, modifications: Any, *, checked: bool = True) -> Decimal:
        """The reductions' gross sum; their date-times are read at the end, and (`checked`: as `receipt_problems`
        does for items and delivery fees) their rates checked."""
        for m in modifications:
            if checked:
                self.rates.add(m.price_modification_amount.tax_rate)
            stamp = m.details.linked_receipt_creation_date
            if stamp is not UNSET and stamp is not None:
                self.times.append(stamp)
        return sum((m.price_modification_amount.gross.amount for m in modifications), _ZERO)

    def _line_rows(self, owner: int, r: Any) -> bool:
        done = 0
        items = r.line_items
        add_rate = self.rates.add
        unit = self.units.append
        for item in items.item_positions or ():
            ids = item.position_item_ids
            if not ids_ok(ids, item.quantity):
                return False
            price = item.position_sum
            add_rate(price.tax_rate)
            mods = item.price_modifications
            discount = self._discount(mods) if mods else _ZERO
            sku = item.sku
            tax = price.tax
            fields = ("ITEM", None if sku is UNSET else sku, item.article_number, item.product_title, None)
            if len(ids) == 1:
                done += 1
                unit((owner, done, ids[0], *fields, price.gross.amount, discount, _rate(price.tax_rate),
                      tax.amount if tax else None))
            else:
                done = self._units(owner, done, ids, fields, price, discount)
        for part in items.item_partial_refund_positions or ():
            if not ids_ok(part.position_item_ids, None):
                return False
            add_rate(part.partial_refund_amount.tax_rate)
            sku = part.sku
            done = self._units(owner, done, part.position_item_ids,
                               ("ITEM", None if sku is UNSET else sku, part.article_number, part.product_title, None),
                               part.partial_refund_amount, None)
        for fee in items.delivery_costs or ():
            add_rate(fee.position_sum.tax_rate)
            mods = fee.price_modifications
            discount = self._discount(mods) if mods else _ZERO
            done = self._units(owner, done, [], ("DELIVERY_FEE", None, None, None, fee.delivery_cost_type),
                               fee.position_sum, discount)
        for service in items.service_positions or ():
            if not ids_ok(service.service_position_item_ids, service.quantity):
                return False
            add_rate(service.position_sum.tax_rate)
            if service.price_modifications:  # not stored; their date-times still read
                self._discount(service.price_modifications, checked=False)
            done = self._units(owner, done, service.service_position_item_ids,
                               ("SERVICE", None, None, service.service_name, None), service.position_sum, None)
        for part in items.service_partial_refund_positions or ():
            if part.partial_refund_amount:  # neither UNSET nor None
                add_rate(part.partial_refund_amount.tax_rate)
                ids = part.service_position_item_ids
                name = part.service_name
                done = self._units(owner, done, [] if ids is UNSET or ids is None else ids,
                                   ("SERVICE", None, None, None if name is UNSET else name, None),
                                   part.partial_refund_amount, None)
        return True

    def _units(self, owner: int, done: int, ids: list[str], fields: tuple[Any, ...], price: Any,
               discount: Decimal | None) -> int:
        """One row per unit (position item id), the amounts split to the cent as `_Rows._unit_rows` splits them;
        returns the rows so far."""
        n = len(ids) or 1
        tax = price.tax
        tax = tax.amount if tax else None
        rate = _rate(price.tax_rate)
        if n == 1:
            self.units.append((owner, done + 1, ids[0] if ids else None, *fields, price.gross.amount, discount, rate,
                               tax))
            return done + 1
        self.units += [(owner, done + k + 1, ids[k], *fields, gross, share, rate, vat) for k, (gross, share, vat)
                       in enumerate(zip(_split(price.gross.amount, n), _split(discount, n), _split(tax, n),
                                        strict=True))]
        return done + n


# A unit row of `_FastRows`: the receipt's index in its chunk, then LINE_SCHEMA's columns but source_line,
# receipt_number, category and currency.
_UNIT_FIELDS = ("owner", "line_no", "position_item_id", "line_type", "sku", "article_number", "title", "fee_type",
                "gross_amount", "discount_gross", "vat_rate", "vat_amount")
# The usual date-time text (RFC 3339, at most microseconds): polars parses a column of these at once, to the
# instant msgspec's reading gives (checked by `check_times` first); anything else goes through datetime objects.
_PLAIN_TIME = r"^[12]\d{3}-\d\d-\d\dT([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-](0\d|1[0-4]):[0-5]\d)$"


def _times(name: str, texts: list[str | None]) -> pl.Series | None:
    """A column of date-times read from their texts (as msgspec's aware date-time); None if one is none."""
    given = [t for t in texts if t is not None]
    read = receipts_fast.check_times(given)
    if read is None:
        return None
    series = pl.Series(name, texts, dtype=pl.String)
    if series.str.contains(_PLAIN_TIME).fill_null(True).all():
        return (series.str.replace(r"Z$", "+00:00").str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%:z", time_unit="us")
                .dt.convert_time_zone("UTC"))
    at = iter(read)
    return pl.Series(name, [None if t is None else next(at) for t in texts], dtype=pl.Datetime("us", "UTC"))


def _split(total: Decimal | None, parts: int) -> list[Decimal | None]:
    """Split an amount into `parts` cent amounts that add up exactly; the remainder goes to the last."""
    if total is None:
        return [None] * parts
    share = (total / parts).quantize(CENT, rounding="ROUND_DOWN")
    shares: list[Decimal | None] = [share] * (parts - 1)
    return [*shares, total - share * (parts - 1)]


@lru_cache(maxsize=256)
def _rate(tax_rate: str) -> Decimal | None:
    """A price's tax rate as a number (a few distinct texts per file: each is parsed once)."""
    try:
        return Decimal(tax_rate)
    except ArithmeticError:
        return None
