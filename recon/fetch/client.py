"""The HTTP side of the Receipts API: OAuth2 client-credentials token, pages, bounded retries.

httpx does the protocol (connection reuse, timeouts, a body cut short is an error, not a short page);
this module adds what OTTO's API asks of a client: a bearer token fetched with the app's credentials and
fetched again once when the API says it expired (401), and retries with exponential backoff on 429 and
5xx (honouring Retry-After) and on connection failures, a bounded number of times. Every failure that
ends a fetch is a FetchError whose message is one line naming the URL and the status.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from recon import __version__, i18n
from recon.fetch import DEFAULT_API_URL, SANDBOX_API_URL
from recon.fetch.credentials import Credentials

__all__ = ["DEFAULT_API_URL", "SANDBOX_API_URL", "FetchError", "ReceiptsApi", "Retry", "utc_text"]

TOKEN_PATH = "/v1/token"
RECEIPTS_PATH = "/v3/receipts"
RECEIPT_TYPES = "PURCHASE,REFUND,PARTIAL_REFUND"
PAGE_LIMIT = 128
SCOPE = "receipts"
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
TOKEN_MARGIN_SECONDS = 30.0  # a token this close to its end is renewed before use


class FetchError(Exception):
    """A fetch cannot go on; str() is the one-line message for the user."""


def pause(seconds: float) -> None:
    """The wait between attempts (a module function, so a test of the command line can replace it)."""
    time.sleep(seconds)


@dataclass(frozen=True)
class Retry:
    """How often and how long to wait on 429, 5xx and lost connections. `sleep` is injectable for tests."""

    attempts: int = 5
    first_delay: float = 1.0
    max_delay: float = 60.0
    sleep: Callable[[float], None] | None = field(default=None, compare=False)

    def wait(self, seconds: float) -> None:
        (self.sleep or pause)(seconds)

    def delay(self, attempt: int, retry_after: str | None) -> float:
        """Retry-After (seconds or an HTTP date) when the server sends one, else 1, 2, 4 ... s; at most max_delay."""
        wait = self.first_delay * 2 ** (attempt - 1)
        if retry_after:
            wait = _retry_after_seconds(retry_after.strip(), wait)
        return float(max(0.0, min(wait, self.max_delay)))


def _retry_after_seconds(value: str, fallback: float) -> float:
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return fallback
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (when - datetime.now(UTC)).total_seconds()


def utc_text(moment: datetime) -> str:
    """The API's date-time form: 2026-08-03T06:00:00Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class ReceiptsApi:
    """One session against one API host. Use as a context manager (it holds a connection pool)."""

    def __init__(
        self,
        api_url: str,
        credentials: Credentials,
        *,
        retry: Retry | None = None,
        timeout: httpx.Timeout = TIMEOUT,
        notice: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self._credentials = credentials
        self._retry = retry or Retry()
        self._notice = notice or (lambda _text: None)
        self._clock = clock
        self._token: str | None = None
        self._token_until = 0.0
        self._http = httpx.Client(timeout=timeout, follow_redirects=False,
                                  headers={"User-Agent": f"recon/{__version__}"})

    def __enter__(self) -> ReceiptsApi:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def first_url(self, start: datetime | None, end: datetime | None) -> str:
        params: dict[str, str | int] = {"receiptTypes": RECEIPT_TYPES}
        if start is not None:
            params["from"] = utc_text(start)
        if end is not None:
            params["to"] = utc_text(end)
        params["limit"] = PAGE_LIMIT
        return str(httpx.URL(self.api_url + RECEIPTS_PATH, params=params))

    @staticmethod
    def resolve(base: str, href: str) -> str:
        """A next link as an absolute URL: a relative href is resolved against the page it came from."""
        return str(httpx.URL(base).join(href.strip()))

    def same_origin(self, url: str) -> bool:
        """Is `url` on the API's host? The bearer token is never sent anywhere else."""
        mine, other = httpx.URL(self.api_url), httpx.URL(url)
        return (mine.scheme, mine.host, mine.port) == (other.scheme, other.host, other.port)

    def page(self, url: str) -> bytes:
        """The body of one page (status 200). A 401 fetches a new token once, then gives up."""
        renewed = False
        while True:
            headers = {"Authorization": f"Bearer {self._bearer()}", "Accept": "application/json"}
            response = self._send("GET", url, headers=headers)
            if response.status_code == 401 and not renewed:
                self._token, renewed = None, True
                continue
            if response.status_code == 401:
                raise FetchError(i18n.t("fetch.unauthorized", url=url))
            if response.status_code != 200:
                raise FetchError(i18n.t("fetch.refused", url=url, status=response.status_code))
            return response.content

    def _bearer(self) -> str:
        if self._token is None or self._clock() >= self._token_until:
            self._token = self._new_token()
        return self._token

    def _new_token(self) -> str:
        url = self.api_url + TOKEN_PATH
        form = {"grant_type": "client_credentials", "client_id": self._credentials.client_id,
                "client_secret": self._credentials.client_secret, "scope": SCOPE}
        response = self._send("POST", url, data=form, headers={"Accept": "application/json"})
        if response.status_code in (400, 401, 403):
            raise FetchError(i18n.t("fetch.token_refused", url=url, status=response.status_code))
        if response.status_code != 200:
            raise FetchError(i18n.t("fetch.refused", url=url, status=response.status_code))
        try:
            answer: Any = response.json()
            token = answer["access_token"]
            lifetime = float(answer.get("expires_in", 0) or 0)
        except (ValueError, KeyError, TypeError, AttributeError):
            raise FetchError(i18n.t("fetch.token_invalid", url=url)) from None
        if not isinstance(token, str) or not token:
            raise FetchError(i18n.t("fetch.token_invalid", url=url))
        # Without a lifetime the token is used until the API answers 401.
        self._token_until = self._clock() + lifetime - TOKEN_MARGIN_SECONDS if lifetime > 0 else float("inf")
        return token

    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One request, repeated on 429, 5xx and transport errors; any other answer is returned as it is."""
        attempts = max(1, self._retry.attempts)
        for attempt in range(1, attempts + 1):
            retry_after: str | None = None
            try:
                response = self._http.request(method, url, **kwargs)
            except httpx.TransportError as exc:
                reason = i18n.t("fetch.no_connection", reason=_short(exc))
            else:
                if response.status_code != 429 and response.status_code < 500:
                    return response
                reason = i18n.t("fetch.status", status=response.status_code)
                retry_after = response.headers.get("Retry-After")
            if attempt == attempts:
                raise FetchError(i18n.t("fetch.gave_up", url=url, reason=reason, attempts=attempts))
            wait = self._retry.delay(attempt, retry_after)
            self._notice(i18n.t("fetch.retry", url=url, reason=reason, seconds=f"{wait:g}",
                                attempt=attempt + 1, attempts=attempts))
            self._retry.wait(wait)
        raise AssertionError("unreachable")  # the loop returns or raises


def _short(exc: httpx.TransportError) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
