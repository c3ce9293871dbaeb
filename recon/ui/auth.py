"""The accountant password: scrypt from the standard library, compared in constant time.

Why scrypt from `hashlib` and no extra package: it is a memory-hard password hash (RFC 7914) that ships with
every CPython built against OpenSSL, so the dashboard needs no native wheel that might be missing on a
seller's machine. The stored form is one self-describing string, so parameters can be raised later
without breaking old hashes:

    scrypt$N$r$p$SALT$HASH      (SALT and HASH in unpadded URL-safe base64)

It goes into `RECON_DASHBOARD_PASSWORD_HASH` (or the Streamlit secrets entry of the same name);
`recon dashboard --hash-password` prints one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass

from recon import i18n, settings

ENV_VAR = "RECON_DASHBOARD_PASSWORD_HASH"
SCHEME = "scrypt"
# 2**15 x 8 x 128 bytes = 32 MiB per check: a few tens of milliseconds here, costly for a guesser.
DEFAULT_N, DEFAULT_R, DEFAULT_P = 2**15, 8, 1
SALT_BYTES, HASH_BYTES = 16, 32
# Bounds for parameters read from configuration: a typo must not make every login allocate gigabytes.
MAX_N, MAX_R, MAX_P = 2**20, 32, 16


class BadHash(ValueError):
    """The configured hash string is not in the documented form."""


@dataclass(frozen=True)
class PasswordHash:
    n: int
    r: int
    p: int
    salt: bytes
    digest: bytes

    def render(self) -> str:
        return f"{SCHEME}${self.n}${self.r}${self.p}${_b64(self.salt)}${_b64(self.digest)}"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    # OpenSSL needs a little more than 128*n*r bytes; allow twice that.
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length,
                          maxmem=2 * 128 * n * r + 1024 * 1024)


def hash_password(password: str, *, n: int = DEFAULT_N, r: int = DEFAULT_R, p: int = DEFAULT_P,
                  salt: bytes | None = None) -> str:
    """A new hash string for `password` with a fresh random salt."""
    if not password:
        raise ValueError(i18n.t("auth.empty_password"))
    salt = salt if salt is not None else os.urandom(SALT_BYTES)
    return PasswordHash(n, r, p, salt, _scrypt(password, salt, n, r, p, HASH_BYTES)).render()


def parse_hash(text: str) -> PasswordHash:
    parts = text.strip().split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        raise BadHash(i18n.t("auth.expected_format", scheme=SCHEME))
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt, digest = _unb64(parts[4]), _unb64(parts[5])
    except ValueError as exc:
        raise BadHash(i18n.t("auth.unreadable_hash", reason=exc)) from None
    if n < 2 or n & (n - 1) or n > MAX_N or not 1 <= r <= MAX_R or not 1 <= p <= MAX_P:
        raise BadHash(i18n.t("auth.bad_parameters", n=n, max_n=MAX_N, r=r, p=p))
    if len(salt) < 8 or len(digest) < 16:
        raise BadHash(i18n.t("auth.too_short"))
    return PasswordHash(n, r, p, salt, digest)


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches; the comparison takes the same time wherever the bytes differ."""
    expected = parse_hash(stored)
    actual = _scrypt(password, expected.salt, expected.n, expected.r, expected.p, len(expected.digest))
    return hmac.compare_digest(actual, expected.digest)


def configured_hash(environ: Mapping[str, str] | None = None,
                    secrets: Mapping[str, object] | None = None) -> str | None:
    """The hash from the environment (the settings, unless a mapping is given), else from Streamlit's secrets;
    None means the dashboard is unprotected."""
    value = (environ.get(ENV_VAR, "") if environ is not None else settings.current().dashboard_password_hash or "")
    value = value.strip()
    if value:
        return value
    if secrets is not None:
        found = secrets.get(ENV_VAR)
        if isinstance(found, str) and found.strip():
            return found.strip()
    return None
