"""The fast lane for Receipts API JSON: the common, well-formed file is decoded in C, not receipt by receipt.

`receipts.parse` tries this first and falls back to the pydantic path (`receipts_model`) for anything this lane
does not take, so the pydantic models stay the one definition of what a valid receipt is, and every error
message comes from there. This lane only has to be *no more lenient* than pydantic and give the same values:

- The msgspec types are generated from the pydantic models (same attribute names, the API names as aliases,
  the same required fields), and each receipt is decoded straight from the file's bytes into them: no generic
  decode into dicts first.
- msgspec is stricter than pydantic's lax mode (a string is never an int, a bool never a Decimal, a date-time
  must be RFC 3339 with an offset); whatever it refuses goes the slow way and gets pydantic's message.
- Amounts: JSON numbers become `Decimal` from their text (never through float), exactly as
  `json.loads(parse_float=Decimal)` does. Files where an amount arrives as a string (pydantic accepts "NaN"
  there and msgspec would too), where characters are \\u-escaped in a way that could hide a key, where a time
  has more than six fractional digits (pydantic truncates, msgspec rounds), or where an amount could be too large
  for the store (pydantic refuses it wherever it sits) take the slow path.
- The canonical JSON of a receipt (sorted keys, compact, numbers as sent: what `receipts._dump` writes, whose
  sha256 is the receipt's `content_sha256`) is encoded from the typed receipt: optional fields the receipt does
  not have stay UNSET (so they are left out, as in the text) and date-times stay the text they were (checked as
  msgspec's aware date-times apart). The tests compare it byte for byte with `receipts._dump`.
- Where each receipt sits in the file (`Decoded.starts`/`ends`): the store keeps the file's text once and each
  receipt's JSON as that slice of it, not as a copy per receipt.
"""

from __future__ import annotations

import re
import types
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

import msgspec
from pydantic import BaseModel

from recon.importing.receipts_model import Link, Receipt

# Anything here sends the file down the careful path (false alarms only cost speed). Separate patterns, each
# with a literal start, so the scan runs at memory speed.
_UNSAFE = (
    re.compile(rb'"amount"\s*:\s*"'),  # an amount as a string
    re.compile(rb"\\u00[0-7]"),  # an escaped ASCII character (a key could hide behind it), or the dump's marker
    re.compile(rb"\.\d{7}"),  # more than microseconds in a time: pydantic truncates, msgspec rounds
    re.compile(rb'"currency"\s*+:\s*+(?!"EUR")'),  # any currency but EUR (the careful path names it)
    re.compile(rb'"\s+:'),  # white space before a key's colon: would hide a repeated key from the key count
    # An amount that may be beyond the store's largest (16 digits before the point, or an exponent), or an
    # integer minus zero (the typed Decimal would keep its sign, the canonical JSON does not).
    re.compile(rb'"amount"\s*+:\s*+(?:-?\d{16}|-?[\d.]*[eE]|-0(?![\d.]))'),
)
_KEY_END = b'":'  # how every key ends once white space before the colon is ruled out
_CANONICAL = msgspec.json.Encoder(order="sorted", decimal_format="number")
AwareDateTime = Annotated[datetime, msgspec.Meta(tz=True)]
UNSET = msgspec.UNSET


def _translate(annotation: Any) -> Any:
    """The msgspec type for a pydantic field annotation (the metadata of Annotated is pydantic's own).

    A date-time stays text here: the canonical JSON keeps it as written; `check_times` parses it."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _translate(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        members = tuple(_translate(a) for a in get_args(annotation))
        return Union[members]  # noqa: UP007 (built at run time)
    if origin is list:
        return list[_translate(get_args(annotation)[0])]  # type: ignore[misc]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return struct_for(annotation)
    if annotation is datetime:
        return str
    if annotation in (str, int, bool, Decimal, type(None)):
        return annotation
    raise TypeError(f"no fast-lane type for {annotation!r}")


@cache
def struct_for(model: type[BaseModel]) -> type[msgspec.Struct]:
    """A msgspec Struct with the model's attribute names, aliases and required fields; every optional field
    defaults to UNSET (absent from the text: absent from the canonical JSON; the row builders read it as the
    model's default)."""
    fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
    rename: dict[str, str] = {}
    for name, info in model.model_fields.items():
        kind = _translate(info.annotation)
        rename[name] = info.alias or name
        if info.is_required():
            fields.append((name, kind))
        else:
            fields.append((name, Union[kind, msgspec.UnsetType], UNSET))  # noqa: UP007 (built at run time)
    # Unknown fields go the careful way: only then are all of a receipt's values checked (depth, currencies).
    return msgspec.defstruct(model.__name__ + "Fast", fields, kw_only=True, rename=rename, gc=False,
                             forbid_unknown_fields=True)


# Where a receipt's date-times are (the receipt's own; `Details.linkedReceiptCreationDate` is read by the rows).
RECEIPT_TIMES = ("creation_date", "fulfillment_date", "order_date", "shipment_date", "linked_creation_date")


def check_times(texts: list[str]) -> list[datetime] | None:
    """The date-times of the texts as msgspec reads an aware date-time (RFC 3339 with an offset); None if any
    is not one."""
    try:
        return msgspec.convert(texts, list[AwareDateTime])
    except msgspec.ValidationError:
        return None


def safe(data: bytes) -> bool:
    """Nothing in the bytes that this lane could read differently from the pydantic path."""
    return not any(pattern.search(data) for pattern in _UNSAFE)


@cache
def _top_decoder() -> msgspec.json.Decoder[Any]:
    page = msgspec.defstruct("RawPageFast", [("resources", list[msgspec.Raw]),
                                             ("links", Union[msgspec.Raw, msgspec.UnsetType], UNSET)],  # noqa: UP007
                             gc=False, forbid_unknown_fields=True)
    return msgspec.json.Decoder(Union[page, list[msgspec.Raw]])  # noqa: UP007 (a run-time union of types)


@cache
def _receipt_decoder() -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(struct_for(Receipt))


@cache
def _links_decoder() -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(list[struct_for(Link)])  # type: ignore[misc]


@dataclass(frozen=True)
class Items:
    """The receipts of a file as their own bytes, where each sits in the file, and how many keys the file holds
    outside them (the page object and its links; a repeated one there makes the count too small)."""

    items: list[bytes | msgspec.Raw]
    starts: list[int]
    ends: list[int]
    wrapper_keys: int


def items_of(data: bytes) -> Items | None:
    """A page, list or single receipt cut into its receipts (unparsed); None for any other shape."""
    try:
        top = _top_decoder().decode(data)
    except msgspec.ValidationError:
        top = None  # not a page (a single receipt has other keys than a page may have)
    except (msgspec.DecodeError, RecursionError):
        return None  # invalid JSON, JSON Lines or nesting too deep: the slow path says which and where
    if top is None:
        start = len(data) - len(data.lstrip())
        end = len(data.rstrip())
        return Items([data], [start], [end], 0) if data[start:start + 1] == b"{" else None
    if isinstance(top, list):
        items, wrapper = top, 0
    else:
        items, wrapper = top.resources, 1
        if top.links is not UNSET:
            try:
                links = _links_decoder().decode(top.links)
            except msgspec.ValidationError:
                return None  # pydantic will name the field
            wrapper += 1 + _CANONICAL.encode(links).count(_KEY_END)
    if not items:
        return None
    starts, ends = [], []
    at = 0
    for item in items:
        text = bytes(item)
        at = data.find(text, at)
        starts.append(at)
        at += len(text)
        ends.append(at)
    return Items(items, starts, ends, wrapper)


@dataclass(frozen=True)
class Decoded:
    receipts: list[Any]  # the `struct_for(Receipt)` of each
    raws: list[bytes]  # the canonical JSON of each
    starts: list[int]  # where each receipt's own text starts and ends in the file
    ends: list[int]

    def __getitem__(self, index: int) -> Any:
        return (self.receipts, self.raws)[index]


def decode(data: bytes, *, checked: bool = False) -> Decoded | None:
    """The typed receipts of a page, list or single receipt, their canonical JSON and where they sit; None: use
    the slow path. `checked`: `safe` has already passed on the bytes this came from."""
    if not checked and not safe(data):
        return None
    found = items_of(data)
    if found is None:
        return None
    decoder = _receipt_decoder().decode
    try:
        receipts = [decoder(item) for item in found.items]
    except (msgspec.ValidationError, msgspec.DecodeError):
        return None  # pydantic will name the field
    encode = _CANONICAL.encode
    raws = [encode(receipt) for receipt in receipts]
    # Every key of the text survived decoding: a repeated key (which the decoder keeps once) makes the text hold
    # more keys than the canonical JSON of what was decoded from it.
    if data.count(_KEY_END) != found.wrapper_keys + sum(raw.count(_KEY_END) for raw in raws):
        return None  # a repeated key: the careful path names it
    return Decoded(receipts, raws, found.starts, found.ends)


def halves(data: bytes, minimum: int) -> tuple[bytes, bytes, int, Items] | None:
    """A page or list of at least `minimum` receipts as two JSON arrays (the receipts' own bytes, unparsed), how
    many receipts the first holds, and the file's receipts; None for anything smaller or shaped otherwise, or
    with a repeated key outside the receipts (which each half could not see)."""
    found = items_of(data)
    if found is None or len(found.items) < minimum:
        return None
    spans = zip(found.starts, found.ends, strict=True)
    if data.count(_KEY_END) - sum(data.count(_KEY_END, start, end) for start, end in spans) != found.wrapper_keys:
        return None
    items = [bytes(item) for item in found.items]
    half = len(items) // 2
    return b"[" + b",".join(items[:half]) + b"]", b"[" + b",".join(items[half:]) + b"]", half, found
