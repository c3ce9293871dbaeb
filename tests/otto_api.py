"""A real HTTP server on 127.0.0.1 that plays OTTO's Receipts API for the fetch tests.

It issues tokens for one client id/secret (`POST /v1/token`), serves `GET /v3/receipts` in pages sorted by
creation date with `links[rel=next]` (relative and absolute in turn), filters by `from`/`to`, and lets a
test plan what goes wrong at page N: a status with headers (429 + Retry-After, 500), an expired token,
a body cut short, a broken page, or the server going away. Every request is logged.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from recon.simulate.documents import dumps_receipts

CLIENT_ID = "recon-test-client-7c1f"
CLIENT_SECRET = "s3cret-Zq8!-never-shown"


@dataclass
class Fault:
    """What page N answers instead of itself, once. kind: status, expire, cut, slow, die."""

    kind: str
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b'{"errors": [{"title": "planned"}]}'
    seconds: float = 0.0  # slow: how long to wait before answering


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    form: dict[str, list[str]]
    authorization: str | None
    status: int


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class FakeOtto:
    def __init__(self, receipts: list[dict[str, Any]], *, page_size: int = 128, token_lifetime: int = 3600,
                 port: int = 0) -> None:
        self.receipts = sorted(receipts, key=lambda r: (_parse_time(r["creationDate"]), r["receiptNumber"]))
        self.page_size = page_size
        self.token_lifetime = token_lifetime
        self.plan: dict[int, deque[Fault]] = {}
        self.broken_pages: set[int] = set()
        self.next_base: str | None = None  # where next links point when a test wants them elsewhere
        self.seen: list[Seen] = []
        self.valid_tokens: set[str] = set()
        self.tokens_issued = 0
        self.pages_served: list[list[str]] = []  # receipt numbers of every page served with 200
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._stopped = threading.Event()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> FakeOtto:
        self._thread.start()
        return self

    def stop(self) -> None:
        if not self._stopped.is_set():
            self._stopped.set()
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeOtto:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def at_page(self, page: int, *faults: Fault) -> None:
        self.plan.setdefault(page, deque()).extend(faults)

    def requests(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]

    # --- what the API answers -------------------------------------------------------------------
    def selected(self, query: dict[str, list[str]]) -> list[dict[str, Any]]:
        start = _parse_time(query["from"][0]) if "from" in query else None
        end = _parse_time(query["to"][0]) if "to" in query else None
        types = set(query.get("receiptTypes", ["PURCHASE,REFUND,PARTIAL_REFUND"])[0].split(","))
        return [r for r in self.receipts if r["receiptType"] in types
                and (start is None or _parse_time(r["creationDate"]) >= start)
                and (end is None or _parse_time(r["creationDate"]) < end)]

    def page_body(self, query: dict[str, list[str]], page: int) -> tuple[bytes, list[str]]:
        chosen = self.selected(query)
        limit = min(int(query.get("limit", ["128"])[0]), self.page_size)
        docs = chosen[(page - 1) * limit: page * limit]
        links = []
        if page * limit < len(chosen):
            params = {k: v[0] for k, v in query.items() if k != "page"} | {"page": str(page + 1)}
            relative = f"/v3/receipts?{urlencode(params)}"
            # Odd pages link relatively, even pages absolutely: a client must handle both.
            href = relative if page % 2 else self.url + relative
            links.append({"rel": "next", "href": self.next_base + relative if self.next_base else href})
        text = dumps_receipts(docs, indent=None)
        assert text.endswith('"links": []}')
        text = text[: -len("[]}")] + json.dumps(links) + "}"
        return text.encode("utf-8"), [d["receiptNumber"] for d in docs]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def handle(self) -> None:
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                    super().handle()

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
                pass

            def _answer(self, status: int, body: bytes, headers: dict[str, str] | None = None,
                        length: int | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body) if length is None else length))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()

            def _log(self, form: dict[str, list[str]], status: int) -> None:
                parts = urlsplit(self.path)
                with api._lock:
                    api.seen.append(Seen(self.command, parts.path, parse_qs(parts.query), form,
                                         self.headers.get("Authorization"), status))

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", "0"))
                form = parse_qs(self.rfile.read(length).decode("ascii"))
                if urlsplit(self.path).path != "/v1/token":
                    self._log(form, 404)
                    self._answer(404, b"{}")
                    return
                ok = (form.get("grant_type") == ["client_credentials"] and form.get("client_id") == [CLIENT_ID]
                      and form.get("client_secret") == [CLIENT_SECRET] and form.get("scope") == ["receipts"])
                self._log(form, 200 if ok else 401)
                if not ok:
                    self._answer(401, b'{"error": "invalid_client"}')
                    return
                with api._lock:
                    api.tokens_issued += 1
                    token = f"tok-{api.tokens_issued}-abcdef"
                    api.valid_tokens.add(token)
                body = json.dumps({"access_token": token, "token_type": "Bearer",
                                   "expires_in": api.token_lifetime}).encode()
                self._answer(200, body)

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                if parts.path != "/v3/receipts":
                    self._log({}, 404)
                    self._answer(404, b"{}")
                    return
                page = int(query.get("page", ["1"])[0])
                with api._lock:
                    planned = api.plan.get(page)
                    fault = planned.popleft() if planned else None
                if fault is not None and fault.kind == "die":
                    self._log({}, 0)
                    api.stop()  # no answer on this connection, and nobody listens any more
                    self.close_connection = True
                    return
                if fault is not None and fault.kind == "slow":
                    time.sleep(fault.seconds)
                    fault = None
                if fault is not None and fault.kind == "expire":
                    with api._lock:
                        api.valid_tokens.clear()
                    fault = None
                token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
                if token not in api.valid_tokens:
                    self._log({}, 401)
                    self._answer(401, b'{"errors": [{"title": "token expired"}]}')
                    return
                if fault is not None and fault.kind == "status":
                    self._log({}, fault.status)
                    self._answer(fault.status, fault.body, fault.headers)
                    return
                body, numbers = api.page_body(query, page)
                if fault is not None and fault.kind == "cut":
                    self._log({}, 200)
                    self._answer(200, body[: len(body) // 2], length=len(body))
                    self.close_connection = True
                    return
                if page in api.broken_pages:
                    body = body[: len(body) // 2]  # a well-delivered answer that is not JSON
                else:
                    with api._lock:
                        api.pages_served.append(numbers)
                self._log({}, 200)
                self._answer(200, body)

        return Handler
