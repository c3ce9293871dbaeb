"""The fast lane for Receipts API JSON: the common, well-formed file is decoded in C, not receipt by receipt.

`receipts.parse` tries this first and falls back to the pydantic path (`receipts_model`) for anything this lane
does not take, so the pydantic models stay the one definition of what a valid receipt is, and every error
message comes from there. This lane only has to be *no more lenient* than pydantic and give the same values:

- The msgspec types are generated from the pydantic models (same attribute names, the API names as aliases),
  so the row builders of `receipts.py` read them unchanged.
- msgspec is stricter than pydantic's lax mode (a string is never an int, a bool never a Decimal, a date-time
  must be RFC 3339 with an offset); whatever it refuses goes the slow way and gets pydantic's message.
- Amounts: JSON numbers become `Decimal` from their text (never through float), exactly as
  `json.loads(parse_float=Decimal)` does. Files where an amount arrives as a string (pydantic accepts "NaN"
  there and msgspec would too), where characters are \\u-escaped in a way that could hide a key, or where a
  time has more than six fractional digits (pydantic truncates, msgspec rounds) take the slow path.
- The canonical `raw` JSON (sorted keys, compact, numbers as sent) is written by msgspec byte for byte as
  `receipts._dump` writes it; the tests compare both lanes on generated and hand-written receipts.
"""

from __future__ import annotations

import re
import types
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
)
_KEY_END = b'":'  # how every key ends once white space before the colon is ruled out
_GENERIC = msgspec.json.Decoder(float_hook=Decimal)
_CANONICAL = msgspec.json.Encoder(order="sorted", decimal_format="number")
AwareDateTime = Annotated[datetime, msgspec.Meta(tz=True)]


def _translate(annotation: Any) -> Any:
    """The msgspec type for a pydantic field annotation (the metadata of Annotated is pydantic's own)."""
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
        return AwareDateTime
    if annotation in (str, int, bool, Decimal, type(None)):
        return annotation
    raise TypeError(f"no fast-lane type for {annotation!r}")


@cache
def struct_for(model: type[BaseModel]) -> type[msgspec.Struct]:
    """A msgspec Struct with the model's attribute names, aliases, required fields and defaults."""
    fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
    rename: dict[str, str] = {}
    for name, info in model.model_fields.items():
        kind = _translate(info.annotation)
        rename[name] = info.alias or name
        if info.is_required():
            fields.append((name, kind))
        elif info.default_factory is not None:
            fields.append((name, kind, msgspec.field(default_factory=info.default_factory)))  # type: ignore[arg-type]
        else:
            fields.append((name, kind, info.default))
    # Unknown fields go the careful way: only then are all of a receipt's values checked (depth, currencies).
    return msgspec.defstruct(model.__name__ + "Fast", fields, kw_only=True, rename=rename, gc=False,
                             forbid_unknown_fields=True)


def safe(data: bytes) -> bool:
    """Nothing in the bytes that this lane could read differently from the pydantic path."""
    return not any(pattern.search(data) for pattern in _UNSAFE)


@cache
def _page_of_raw() -> msgspec.json.Decoder[Any]:
    page = msgspec.defstruct("RawPageFast", [("resources", list[msgspec.Raw])], gc=False)
    return msgspec.json.Decoder(Union[page, list[msgspec.Raw]])  # noqa: UP007 (a run-time union of types)


def halves(data: bytes, minimum: int) -> tuple[bytes, bytes, int] | None:
    """A page or list of at least `minimum` receipts as two JSON arrays (the receipts' own bytes, unparsed), and
    how many receipts the first holds; None for anything smaller or shaped otherwise (or with a repeated key
    outside the receipts, which each half could not see)."""
    try:
        whole = _page_of_raw().decode(data)
    except (msgspec.ValidationError, msgspec.DecodeError, RecursionError):
        return None
    items: list[msgspec.Raw] = whole if isinstance(whole, list) else whole.resources
    if len(items) < minimum:
        return None
    if not isinstance(whole, list):
        outside = data.count(_KEY_END) - sum(bytes(item).count(_KEY_END) for item in items)
        if outside != _wrapper_keys(data):
            return None
    half = len(items) // 2
    return b"[" + b",".join(items[:half]) + b"]", b"[" + b",".join(items[half:]) + b"]", half


@cache
def _wrapper_decoder() -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(dict[str, msgspec.Raw])


def _wrapper_keys(data: bytes) -> int:
    """Keys of the page object itself and of everything in it except the receipts (links)."""
    wrapper = _wrapper_decoder().decode(data)
    inner = sum(bytes(value).count(_KEY_END) for key, value in wrapper.items() if key != "resources")
    return len(wrapper) + inner


def _keys_match(data: bytes, whole: Any, items: list[Any], raws: list[bytes]) -> bool:
    """Every key of the text survived decoding: a repeated key (which the decoder would keep once) makes the text
    hold more keys than what was decoded from it."""
    decoded = sum(raw.count(_KEY_END) for raw in raws)
    if isinstance(whole, dict) and "resources" in whole:
        rest = {k: v for k, v in whole.items() if k != "resources"}
        decoded += 1 + _CANONICAL.encode(rest).count(_KEY_END)
    return data.count(_KEY_END) == decoded


def decode(data: bytes, *, checked: bool = False) -> tuple[list[Any], list[bytes]] | None:
    """(typed receipts, canonical raw JSON of each) for a page, list or single receipt; None: use the slow path.
    `checked`: `safe` has already passed on the bytes this came from."""
    if not checked and not safe(data):
        return None
    try:
        whole = _GENERIC.decode(data)
    except (msgspec.DecodeError, RecursionError):
        return None  # invalid JSON, JSON Lines or nesting too deep: the slow path says which and where
    if isinstance(whole, dict) and "resources" in whole:
        if not set(whole) <= {"resources", "links"}:
            return None
        items = whole["resources"]
    elif isinstance(whole, dict) and "receiptNumber" in whole:
        items = [whole]
    elif isinstance(whole, list):
        items = whole
    else:
        return None
    if not isinstance(items, list) or not items:
        return None
    try:
        # From the decoded objects, not the text again: the amounts are already the Decimals json.loads would give.
        receipts = msgspec.convert(items, list[struct_for(Receipt)])  # type: ignore[misc]
        if isinstance(whole, dict) and "links" in whole:
            msgspec.convert(whole["links"], list[struct_for(Link)])  # type: ignore[misc]
    except msgspec.ValidationError:
        return None  # pydantic will name the field
    encode = _CANONICAL.encode
    raws = [encode(item) for item in items]
    if not _keys_match(data, whole, items, raws):
        return None  # a repeated key: the careful path names it
    return receipts, raws
