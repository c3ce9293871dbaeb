"""Turning the bytes OTTO mails (windows-1252) into UTF-8 that polars can read, without guessing wildly."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from recon import i18n
from recon.importing.problems import reject

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_LE_BOM, UTF16_BE_BOM = b"\xff\xfe", b"\xfe\xff"
CHUNK = 16 * 1024 * 1024
# Control characters no text export contains (tab, line feed, form feed and carriage return are fine).
CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Every byte but those: `bytes.translate` deleting them leaves the control bytes alone, ten times faster than the
# regex scans a file that has none (the regex then only runs to find where the first one sits).
_NOT_CONTROL = bytes(b for b in range(256) if not CONTROL.match(bytes([b])))
# UTF-8 bytes of the letters German text uses (ä ö ü Ä Ö Ü ß é, NBSP § ° ², €) inside a windows-1252 file: they
# would read as 'Ã¶', 'Â§', 'â‚¬' - a line saved in the other encoding, never German text.
MIXED_UTF8 = re.compile(rb"\xc3[\x80-\xbf]|\xc2[\xa0-\xbf]|\xe2\x82\xac")
MIXED_LEADS = (b"\xc3", b"\xc2", b"\xe2\x82\xac")  # without any of these the pattern cannot match
# What a file is when it starts like this: the common things a mail client saves instead of a CSV.
SIGNATURES = (
    (b"PK\x03\x04", "binary_xlsx"),  # the catalogue's input.reason.<key>
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "binary_xls"),
    (b"%PDF", "binary_pdf"),
    (b"\x1f\x8b", "binary_gzip"),
    (b"\x89PNG", "binary_png"),
    (b"\xff\xd8\xff", "binary_jpeg"),
)


@dataclass(frozen=True)
class Decoded:
    data: bytes  # UTF-8, without BOM
    encoding: str  # what the file was: 'windows-1252', 'utf-8', 'utf-8-sig', 'utf-16'


def _looks_utf16(data: bytes) -> bool:
    """Text in UTF-16 without a byte order mark: every other byte of the first ones is NUL."""
    head = data[:200]
    return len(head) >= 4 and (head[1::2].count(0) > len(head) * 0.4 or head[0::2].count(0) > len(head) * 0.4)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes) -> Decoded:
    """The file as UTF-8 with line feeds: old Mac files end their lines with a carriage return alone."""
    decoded = _utf16(data) if data.startswith((UTF16_LE_BOM, UTF16_BE_BOM)) else _decode(data)
    if b"\r" in decoded.data and b"\n" not in decoded.data:
        return Decoded(decoded.data.replace(b"\r", b"\n"), decoded.encoding)
    return decoded


def _utf16(data: bytes) -> Decoded:
    """UTF-16 with a byte order mark (what Excel's 'Unicode text' writes) is unambiguous: read it."""
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError as exc:
        raise reject(1, "", i18n.t("input.bad_utf16", reason=exc.reason)) from exc
    body = _decode(text.encode("utf-8"))
    return Decoded(body.data, "utf-16")


def _decode(data: bytes) -> Decoded:
    """UTF-8 (with or without BOM) when the bytes are valid UTF-8 and not plain ASCII, else windows-1252.

    windows-1252 leaves five bytes undefined; a file containing them is neither encoding and is rejected
    at the line where the byte sits. A NUL or other control byte means a binary file, not a CSV export;
    a few common binary formats are named by their first bytes.
    """
    for magic, what in SIGNATURES:
        if data.startswith(magic):
            raise reject(1, "", i18n.t("input.reason.binary_file",
                                                 what=i18n.t(f"input.reason.{what}")))
    control = CONTROL.search(data) if data.translate(None, _NOT_CONTROL) else None
    if control is not None and _looks_utf16(data):
        raise reject(1, "", i18n.t("input.utf16_without_bom"))
    if control is not None:
        byte = data[control.start()]
        raise reject(_line_of(data, control.start()), "",
                     i18n.t("input.reason.control_byte", byte=f"{byte:02X}"))
    if data.startswith(UTF8_BOM):
        body = data[len(UTF8_BOM):]
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise reject(_line_of(body, exc.start) + 0, "", i18n.t("input.reason.bad_utf8_after_bom",
                                                                                   reason=exc.reason)) from exc
        return Decoded(body, "utf-8-sig")
    if data.isascii():
        return Decoded(data, "windows-1252")
    try:
        data.decode("utf-8")
        return Decoded(data, "utf-8")
    except UnicodeDecodeError as exc:
        first_not_utf8 = exc.start
    mixed = MIXED_UTF8.search(data) if any(lead in data for lead in MIXED_LEADS) else None
    if mixed is not None and mixed.start() < first_not_utf8:
        raise reject(_line_of(data, first_not_utf8), "",
                     i18n.t("input.reason.mixed_not_utf8", byte=f"{data[first_not_utf8]:02X}"))
    if mixed is not None:
        utf8, cp1252 = mixed.group().decode("utf-8"), mixed.group().decode("cp1252")
        raise reject(_line_of(data, mixed.start()), "",
                     i18n.t("input.reason.mixed_utf8_text", utf8=utf8, cp1252=cp1252))
    return Decoded(_cp1252_to_utf8(data), "windows-1252")


# Every byte but 0x80-0x9F: the only ones windows-1252 reads otherwise than Latin-1 (€, „, –, and the five
# undefined bytes); `bytes.translate` deleting these leaves only those, at memory speed.
_NOT_C1 = bytes(b for b in range(256) if not 0x80 <= b <= 0x9F)


def _cp1252_to_utf8(data: bytes) -> bytes:
    """Chunked re-encoding, so a 200 MB file never sits in memory as one Python string.

    Without a byte from 0x80-0x9F the text is Latin-1 (same characters), whose decoder copies instead of looking
    each byte up: about twice as fast.
    """
    if not data.translate(None, _NOT_C1):
        out = bytearray()
        for start in range(0, len(data), CHUNK):
            out += data[start:start + CHUNK].decode("latin-1").encode("utf-8")
        return bytes(out)
    decoder = codecs.getincrementaldecoder("cp1252")()
    out = bytearray()
    for start in range(0, len(data), CHUNK):
        chunk = data[start:start + CHUNK]
        try:
            text = decoder.decode(chunk, final=start + CHUNK >= len(data))
        except UnicodeDecodeError as exc:
            offset = start + exc.start
            raise reject(
                _line_of(data, offset), "",
                i18n.t("input.reason.undefined_byte", byte=f"{data[offset]:02X}"),
            ) from exc
        out += text.encode("utf-8")
    return bytes(out)
