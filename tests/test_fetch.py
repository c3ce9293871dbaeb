"""`recon fetch receipts` against a real HTTP server on 127.0.0.1 (tests/otto_api.py) playing OTTO's API."""

from __future__ import annotations

import json
import logging
import math
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from recon import i18n
from recon.cli import main
from recon.fetch.client import ReceiptsApi, Retry, utc_text
from recon.fetch.credentials import Credentials
from recon.fetch.receipts import fetch_receipts
from recon.importing import import_paths
from recon.simulate.quarter import Quarter, simulate
from recon.simulate.write import write_quarter
from recon.store import Database, open_database
from recon.store.dump import VOLATILE_COLUMNS, canonical_dump, canonical_hash, table_frame
from tests.conftest import table_counts
from tests.otto_api import CLIENT_ID, CLIENT_SECRET, FakeOtto, Fault

# Which file and position a receipt came from differs between pages and weekly files; the content may not.
PLACE = VOLATILE_COLUMNS | {"source_sha256", "source_line"}
BERLIN = ZoneInfo("Europe/Berlin")
URL_TAIL = "/v3/receipts?receiptTypes=PURCHASE%2CREFUND%2CPARTIAL_REFUND&limit=128"


@pytest.fixture(scope="module")
def quarter() -> Quarter:
    return simulate(orders=120, seed=5)


@pytest.fixture(scope="module")
def plain(quarter: Quarter, tmp_path_factory: pytest.TempPathFactory) -> dict[str, pl.DataFrame]:
    """The quarter's receipts imported from the generator's weekly JSON files: what a fetch must store."""
    out = tmp_path_factory.mktemp("plain")
    write_quarter(quarter, out)
    db = open_database(out / "plain.duckdb")
    assert import_paths(db, [out / "receipts"]).exit_code == 0
    frames = stored(db)
    db.close()
    return frames


def stored(db: Database) -> dict[str, pl.DataFrame]:
    # DuckDB's relation API refuses to run while an earlier execute() (open_database's version check read
    # with fetchone) is not read to its end; a finished query first.
    db.con.execute("SELECT 1").fetchall()
    return {name: table_frame(db, name, PLACE) for name in ("receipts", "receipt_lines")}


def same(got: dict[str, pl.DataFrame], wanted: dict[str, pl.DataFrame]) -> bool:
    assert list(got) == list(wanted)
    for name, frame in wanted.items():
        assert_frame_equal(got[name], frame)
    return True


def numbers(db: Database) -> list[str]:
    return [n for (n,) in db.con.execute("SELECT receipt_number FROM receipts ORDER BY 1").fetchall()]


def created(doc: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(doc["creationDate"].replace("Z", "+00:00"))


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[float]:
    """Credentials in the environment, English messages, no user config; returns the waits the fetch asked for."""
    monkeypatch.setenv("OTTO_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("OTTO_CLIENT_SECRET", CLIENT_SECRET)
    monkeypatch.setenv("RECON_LANG", "en")
    monkeypatch.delenv("RECON_OTTO_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    waits: list[float] = []
    monkeypatch.setattr("recon.fetch.client.pause", waits.append)
    return waits


@pytest.fixture
def server(quarter: Quarter) -> Iterator[FakeOtto]:
    # Five pages: page 1 links relatively, page 2 absolutely, and so on.
    with FakeOtto(quarter.receipts, page_size=math.ceil(len(quarter.receipts) / 5)) as api:
        yield api


def fetch(db: Path, api: FakeOtto, *extra: str) -> int:
    return main(["fetch", "receipts", "--db", str(db), "--api-url", api.url, *extra])


def page_lines(sizes: list[int], known: list[int] | None = None) -> list[str]:
    known = known or [0] * len(sizes)
    return [f"recon fetch: page {n}: {size} receipts, {size - old} new, {old} already stored"
            for n, (size, old) in enumerate(zip(sizes, known, strict=True), start=1)]


def sizes_of(api: FakeOtto) -> list[int]:
    return [len(p) for p in api.pages_served]


def test_a_generated_quarter_is_stored_exactly_and_a_second_fetch_stores_nothing(
    env: list[float], server: FakeOtto, quarter: Quarter, plain: dict[str, pl.DataFrame], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "fetched.duckdb"
    assert fetch(path, server) == 0
    out, err = capsys.readouterr()
    total = len(quarter.receipts)
    sizes = sizes_of(server)
    assert len(sizes) == 5 and sum(sizes) == total
    assert err.splitlines() == [
        "recon fetch: no receipts stored yet: fetching without a start date (everything the API returns)",
        *page_lines(sizes),
    ]
    assert out.splitlines() == [f"5 pages fetched, {total} receipts: {total} newly stored, 0 already stored, "
                                "0 pages rejected"]
    gets = server.requests("/v3/receipts")
    assert [g.query for g in gets] == [
        {"receiptTypes": ["PURCHASE,REFUND,PARTIAL_REFUND"], "limit": ["128"]},
        *({"receiptTypes": ["PURCHASE,REFUND,PARTIAL_REFUND"], "limit": ["128"], "page": [str(n)]}
          for n in range(2, 6)),
    ]
    assert {g.authorization for g in gets} == {"Bearer tok-1-abcdef"}
    assert [s.form for s in server.requests("/v1/token")] == [{
        "grant_type": ["client_credentials"], "client_id": [CLIENT_ID], "client_secret": [CLIENT_SECRET],
        "scope": ["receipts"],
    }]
    db = open_database(path)
    assert same(stored(db), plain)
    origins = db.con.execute(
        "SELECT f.original_name, f.kind, f.row_count, o.channel, o.url FROM source_files f "
        "JOIN source_origins o USING (sha256) ORDER BY f.original_name").fetchall()
    pages = [f"{server.url}{URL_TAIL}"] + [f"{server.url}{URL_TAIL}&page={n}" for n in range(2, 6)]
    assert [(kind, rows, channel, url) for _, kind, rows, channel, url in origins] == [
        ("receipts", size, "api", url) for size, url in zip(sizes, pages, strict=True)]
    assert [name[-10:] for name, *_ in origins] == [f"_p{n:03d}.json" for n in range(1, 6)]
    counts, content = table_counts(db), canonical_hash(db)
    db.close()

    # Again, without --from: one day before the newest receipt, every receipt there already stored.
    newest = max(created(r) for r in quarter.receipts)
    again = sum(1 for r in quarter.receipts if created(r) >= newest - timedelta(days=1))
    assert fetch(path, server) == 0
    out, err = capsys.readouterr()
    start = (newest - timedelta(days=1)).astimezone(BERLIN).replace(tzinfo=None)
    assert err.splitlines() == [
        f"recon fetch: continuing from {i18n.day(start)} (newest stored receipt minus one day)",
        f"recon fetch: page 1: {again} receipts, 0 new, {again} already stored",
    ]
    assert out.splitlines() == [f"1 pages fetched, {again} receipts: 0 newly stored, {again} already stored, "
                                "0 pages rejected"]
    assert server.requests("/v3/receipts")[-1].query["from"] == [utc_text(newest - timedelta(days=1))]
    db = open_database(path)
    assert (table_counts(db), canonical_hash(db)) == (counts, content)
    db.close()


def test_an_interrupted_fetch_keeps_every_finished_page_and_resumes(
    env: list[float], quarter: Quarter, plain: dict[str, pl.DataFrame], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "fetched.duckdb"
    size = math.ceil(len(quarter.receipts) / 5)
    with FakeOtto(quarter.receipts, page_size=size) as api:
        api.at_page(3, Fault("die"))  # the server goes away while page 3 is asked for
        assert fetch(path, api) == 1
        first_two = [n for page in api.pages_served for n in page]
    out, err = capsys.readouterr()
    url = f"{api.url}{URL_TAIL}&page=3"
    refused = "no connection (ConnectError: [Errno 111] Connection refused)"
    assert err.splitlines() == [
        "recon fetch: no receipts stored yet: fetching without a start date (everything the API returns)",
        *page_lines([size, size]),
        f"recon fetch: {url}: no connection (RemoteProtocolError: Server disconnected without sending a "
        "response.); retrying in 1 s (2 of 5)",
        f"recon fetch: {url}: {refused}; retrying in 2 s (3 of 5)",
        f"recon fetch: {url}: {refused}; retrying in 4 s (4 of 5)",
        f"recon fetch: {url}: {refused}; retrying in 8 s (5 of 5)",
        f"recon fetch: {url}: {refused}; gave up after 5 attempts",
        "recon fetch: fetch stopped. Every finished page is stored; the same command continues.",
    ]
    assert out.splitlines() == [f"2 pages fetched, {2 * size} receipts: {2 * size} newly stored, 0 already stored, "
                                "0 pages rejected"]
    assert env == [1.0, 2.0, 4.0, 8.0]
    db = open_database(path)
    assert numbers(db) == sorted(first_two) and len(first_two) == 2 * size
    db.close()

    # The server is back (on another port): the same command fills the gap and stores the rest.
    with FakeOtto(quarter.receipts, page_size=size) as api:
        assert fetch(path, api) == 0
        query = api.requests("/v3/receipts")[0].query
    newest = max(created(r) for r in quarter.receipts if r["receiptNumber"] in set(first_two))
    assert query["from"] == [utc_text(newest - timedelta(days=1))]
    db = open_database(path)
    assert same(stored(db), plain)
    db.close()


def api_for(server: FakeOtto, waits: list[float], notices: list[str], **retry: Any) -> ReceiptsApi:
    return ReceiptsApi(server.url, Credentials(CLIENT_ID, CLIENT_SECRET), retry=Retry(sleep=waits.append, **retry),
                       notice=notices.append)


def test_429_with_retry_after_500_a_cut_body_and_an_expired_token_are_survived(
    server: FakeOtto, plain: dict[str, pl.DataFrame], db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECON_LANG", "en")
    server.at_page(2, Fault("status", 429, {"Retry-After": "7"}), Fault("status", 500))
    server.at_page(3, Fault("cut"))
    server.at_page(4, Fault("expire"))
    waits: list[float] = []
    notices: list[str] = []
    with api_for(server, waits, notices) as api:
        report = fetch_receipts(db, api, start=None, end=None)
    assert (report.error, report.exit_code, len(report.pages)) == (None, 0, 5)
    assert waits == [7.0, 2.0, 1.0]
    third = {"receiptTypes": ["PURCHASE,REFUND,PARTIAL_REFUND"], "limit": ["128"], "page": ["3"]}
    cut = len(server.page_body(third, 3)[0])
    page = f"{server.url}{URL_TAIL}&page="
    assert notices == [
        f"{page}2: HTTP 429; retrying in 7 s (2 of 5)",
        f"{page}2: HTTP 500; retrying in 2 s (3 of 5)",
        f"{page}3: no connection (RemoteProtocolError: peer closed connection without sending complete message "
        f"body (received {cut // 2} bytes, expected {cut})); retrying in 1 s (2 of 5)",
    ]
    assert [s.status for s in server.seen] == [200, 200, 429, 500, 200, 200, 200, 401, 200, 200, 200]
    assert [s.path for s in server.seen].count("/v1/token") == 2
    assert same(stored(db), plain)


def test_retries_are_bounded_and_a_long_retry_after_is_capped(
    env: list[float], server: FakeOtto, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.at_page(1, *[Fault("status", 503, {"Retry-After": "3600"})] * 5)
    path = tmp_path / "fetched.duckdb"
    assert fetch(path, server) == 1
    url = f"{server.url}{URL_TAIL}"
    err = capsys.readouterr().err.splitlines()
    assert err[1:] == [
        *(f"recon fetch: {url}: HTTP 503; retrying in 60 s ({n} of 5)" for n in range(2, 6)),
        f"recon fetch: {url}: HTTP 503; gave up after 5 attempts",
        "recon fetch: fetch stopped. Every finished page is stored; the same command continues.",
    ]
    assert env == [60.0] * 4
    db = open_database(path)
    assert table_counts(db)["source_files"] == 0
    db.close()


def test_retry_after_as_a_date_and_the_backoff_steps() -> None:
    retry = Retry(first_delay=0.5, max_delay=10.0)
    assert [retry.delay(n, None) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0]
    assert retry.delay(1, "3") == 3.0
    assert retry.delay(1, "Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: at once
    assert 8.0 < retry.delay(1, (datetime.now(UTC) + timedelta(seconds=9.5)).strftime(
        "%a, %d %b %Y %H:%M:%S GMT")) <= 9.5
    assert retry.delay(3, "soon") == 2.0  # not a number nor a date: the backoff step


def test_a_broken_page_is_rejected_and_stops_the_fetch_after_the_pages_before_it(
    env: list[float], server: FakeOtto, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.broken_pages = {2}
    path = tmp_path / "fetched.duckdb"
    assert fetch(path, server) == 1
    out, err = capsys.readouterr()
    url = f"{server.url}{URL_TAIL}&page=2"
    lines = err.splitlines()
    size = sizes_of(server)[0]
    assert lines[:2] == [lines[0], *page_lines([size])]
    second = {"receiptTypes": ["PURCHASE,REFUND,PARTIAL_REFUND"], "limit": ["128"], "page": ["2"]}
    body = server.page_body(second, 2)[0]
    with pytest.raises(json.JSONDecodeError) as broken:
        json.loads(body[: len(body) // 2])
    assert len(lines) == 6
    assert lines[2].startswith("receipts-api_")
    assert lines[2].endswith(f"_p002.json:1: invalid JSON: {broken.value.msg} (column {broken.value.colno})")
    assert lines[3] == f"recon fetch: page 2 ({url}) rejected, nothing of it stored"
    assert lines[4] == f"recon fetch: {url}: the answer is not a Receipts API page ({broken.value})"
    assert lines[5] == "recon fetch: fetch stopped. Every finished page is stored; the same command continues."
    assert out.splitlines() == [f"2 pages fetched, {size} receipts: {size} newly stored, 0 already stored, "
                                "1 pages rejected"]
    db = open_database(path)
    assert numbers(db) == sorted(server.pages_served[0])
    db.close()


def test_a_token_refused_twice_stops_with_one_line(
    env: list[float], server: FakeOtto, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.at_page(1, Fault("expire"), Fault("expire"))
    assert fetch(tmp_path / "f.duckdb", server) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[1] == (f"recon fetch: {server.url}{URL_TAIL}: HTTP 401 even with a new token; check the credentials "
                      "and the app's permission (scope receipts)")
    assert server.tokens_issued == 2


def test_wrong_credentials_and_other_statuses_stop_with_one_line_naming_url_and_status(
    env: list[float], server: FakeOtto, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTTO_CLIENT_SECRET", "wrong")
    assert fetch(tmp_path / "f.duckdb", server) == 1
    assert capsys.readouterr().err.splitlines()[1] == (
        f"recon fetch: {server.url}/v1/token: the credentials were refused (HTTP 401); "
        "check client id and client secret")
    monkeypatch.setenv("OTTO_CLIENT_SECRET", CLIENT_SECRET)
    server.at_page(1, Fault("status", 403))
    assert fetch(tmp_path / "f.duckdb", server) == 1
    assert capsys.readouterr().err.splitlines()[1] == (
        f"recon fetch: {server.url}{URL_TAIL}: HTTP 403; the API refuses the request")
    assert env == []  # neither is retried


def test_a_next_link_to_another_host_is_not_followed(
    env: list[float], server: FakeOtto, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.next_base = "http://127.0.0.2:9"
    assert fetch(tmp_path / "f.duckdb", server) == 1
    err = capsys.readouterr().err.splitlines()
    nxt = f"http://127.0.0.2:9{URL_TAIL}&page=2"
    assert err[2] == (f"recon fetch: {server.url}{URL_TAIL}: the next-page link leads away from the API ({nxt}); "
                      f"stopped, the token is only sent to {server.url}")
    assert len(server.requests("/v3/receipts")) == 1


def test_from_and_to_ask_for_berlin_days_and_store_exactly_those(
    env: list[float], server: FakeOtto, quarter: Quarter, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "f.duckdb"
    assert fetch(path, server, "--from", "2026-09-01", "--to", "2026-09-30") == 0
    assert capsys.readouterr().err.splitlines()[0] == "recon fetch: fetching from 2026-09-01"
    query = server.requests("/v3/receipts")[0].query
    assert (query["from"], query["to"]) == (["2026-08-31T22:00:00Z"], ["2026-09-30T22:00:00Z"])
    wanted = sorted(r["receiptNumber"] for r in quarter.receipts
                    if created(r).astimezone(BERLIN).month == 9)
    db = open_database(path)
    assert numbers(db) == wanted and len(wanted) > 20
    db.close()


def test_credentials_are_never_printed_logged_or_stored(
    env: list[float], server: FakeOtto, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    server.at_page(2, Fault("status", 429, {"Retry-After": "0"}), Fault("expire"))
    server.broken_pages = {4}
    path = tmp_path / "f.duckdb"
    assert fetch(path, server) == 1
    shown = "".join(capsys.readouterr()) + caplog.text
    assert "page 3:" in shown  # the run got far
    db = open_database(path)
    dump = canonical_dump(db)
    db.close()
    files = b"".join(p.read_bytes() for p in tmp_path.glob("f.duckdb*"))
    for secret in (CLIENT_ID, CLIENT_SECRET, "tok-1-abcdef", "tok-2-abcdef"):
        assert secret not in shown and secret not in dump and secret.encode() not in files
    assert repr(Credentials(CLIENT_ID, CLIENT_SECRET)) == "Credentials()"


def test_credentials_from_the_config_file_and_clear_errors_without_them(
    env: list[float], server: FakeOtto, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OTTO_CLIENT_ID")
    monkeypatch.delenv("OTTO_CLIENT_SECRET")
    config = tmp_path / "config" / "recon" / "otto.toml"
    assert fetch(tmp_path / "f.duckdb", server) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"recon fetch: no credentials: set OTTO_CLIENT_ID and OTTO_CLIENT_SECRET or create {config} (see README)"]
    config.parent.mkdir(parents=True)
    config.write_text(f'client_id = "{CLIENT_ID}"\nclient_secret = "{CLIENT_SECRET}"\n', encoding="utf-8")
    config.chmod(0o644)
    assert fetch(tmp_path / "f.duckdb", server) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"recon fetch: {config} is readable by other users; chmod 600 {config} is recommended"
    config.chmod(0o600)
    assert fetch(tmp_path / "f.duckdb", server) == 0
    assert "readable by other users" not in capsys.readouterr().err

    other = tmp_path / "elsewhere.toml"
    monkeypatch.setenv("RECON_OTTO_CONFIG", str(other))
    other.write_text(f'client_id = "{CLIENT_ID}"\nclient_secret = "{CLIENT_SECRET}\n', encoding="utf-8")
    assert fetch(tmp_path / "f.duckdb", server) == 2
    err_text = capsys.readouterr().err
    assert err_text.startswith(f"recon fetch: {other}: not valid TOML (")
    assert CLIENT_SECRET not in err_text
    other.write_text(f'client_id = "{CLIENT_ID}"\n', encoding="utf-8")
    assert fetch(tmp_path / "f.duckdb", server) == 2
    assert capsys.readouterr().err.splitlines() == [f"recon fetch: {other}: client_secret is missing"]


def test_usage_errors_exit_2(env: list[float], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "f.duckdb")
    assert main(["fetch", "receipts", "--db", db, "--api-url", "ftp://x"]) == 2
    assert main(["fetch", "receipts", "--db", db, "--from", "2026-10-02", "--to", "2026-10-01"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "recon fetch: --api-url must start with http:// or https://: ftp://x",
        "recon fetch: --from (2026-10-02) is after --to (2026-10-01)",
    ]
    for argv in (["--sandbox", "--api-url", "http://127.0.0.1:1"], ["--from", "yesterday"]):
        with pytest.raises(SystemExit) as exc:
            main(["fetch", "receipts", "--db", db, *argv])
        assert exc.value.code == 2
    assert not os.path.exists(db)


def test_german_is_the_default_for_the_progress_lines(
    env: list[float], server: FakeOtto, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("RECON_LANG")
    assert fetch(tmp_path / "f.duckdb", server, "--from", "2026-08-01") == 0
    out, err = capsys.readouterr()
    sizes = sizes_of(server)
    assert err.splitlines()[:2] == ["recon fetch: Abruf ab 01.08.2026",
                                    f"recon fetch: Seite 1: {sizes[0]} Belege, {sizes[0]} neu, 0 schon gespeichert"]
    assert out.splitlines() == [f"{len(sizes)} Seiten abgerufen, {sum(sizes)} Belege: {sum(sizes)} neu gespeichert, "
                                "0 schon gespeichert, 0 Seiten abgelehnt"]



def test_a_token_near_its_end_is_renewed_before_use(
    quarter: Quarter, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # expires_in 40 s, renewed 30 s early: with 15 s passing per look at the clock every page needs a new one.
    ticks = iter(range(0, 10_000, 15))
    with FakeOtto(quarter.receipts, page_size=math.ceil(len(quarter.receipts) / 3), token_lifetime=40) as server:
        api = ReceiptsApi(server.url, Credentials(CLIENT_ID, CLIENT_SECRET), retry=Retry(sleep=lambda _: None),
                          clock=lambda: float(next(ticks)))
        with api:
            report = fetch_receipts(db, api, start=None, end=None)
        assert (report.exit_code, len(report.pages), server.tokens_issued) == (0, 3, 3)
        assert [s.status for s in server.seen] == [200] * 6  # never a 401: no page was asked with an old token
        assert [g.authorization for g in server.requests("/v3/receipts")] == [
            f"Bearer tok-{n}-abcdef" for n in (1, 2, 3)]


def test_nothing_new_since_the_last_fetch_is_an_empty_page_and_exit_0(
    env: list[float], server: FakeOtto, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "f.duckdb"
    assert fetch(path, server, "--from", "2027-01-01") == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == ["recon fetch: fetching from 2027-01-01",
                                "recon fetch: page 1: 0 receipts, 0 new, 0 already stored"]
    assert out.splitlines() == ["1 pages fetched, 0 receipts: 0 newly stored, 0 already stored, 0 pages rejected"]
    assert server.requests("/v3/receipts")[0].query["from"] == ["2026-12-31T23:00:00Z"]
    db = open_database(path)
    assert table_counts(db)["source_files"] == 0
    db.close()


def test_every_request_has_a_timeout_and_a_slow_answer_is_retried(
    server: FakeOtto, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECON_LANG", "en")
    server.at_page(1, Fault("slow", seconds=1.0))
    waits: list[float] = []
    notices: list[str] = []
    api = ReceiptsApi(server.url, Credentials(CLIENT_ID, CLIENT_SECRET), retry=Retry(sleep=waits.append),
                      notice=notices.append, timeout=httpx.Timeout(0.25))
    with api:
        report = fetch_receipts(db, api, start=None, end=None)
    assert (report.exit_code, len(report.pages), waits) == (0, 5, [1.0])
    assert notices == [f"{server.url}{URL_TAIL}: no connection (ReadTimeout: timed out); retrying in 1 s (2 of 5)"]


def test_recon_sources_shows_the_url_a_page_came_from(
    env: list[float], server: FakeOtto, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "f.duckdb"
    assert fetch(path, server, "--from", "2026-09-01", "--to", "2026-09-07") == 0
    capsys.readouterr()
    assert main(["sources", "--db", str(path), "--json"]) == 0
    [record] = json.loads(capsys.readouterr().out)
    url = f"{server.url}/v3/receipts?receiptTypes=PURCHASE%2CREFUND%2CPARTIAL_REFUND&from=2026-08-31T22%3A00%3A00Z" \
          "&to=2026-09-07T22%3A00%3A00Z&limit=128"
    assert (record["kind"], record["origin"]) == ("receipts", {"channel": "api", "url": url})
