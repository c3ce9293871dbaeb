"""`recon fetch receipts`: page through the Receipts API and store every page as an imported file.

Each page goes through the same importer as a file given to `recon import` (its bytes, their SHA-256,
one transaction per page), with the URL it came from as its origin. Receipts already stored with identical
content are skipped, so overlapping pages and repeated fetches store nothing twice; a page holding only
known receipts is not recorded at all. A fetch that stops half-way keeps every finished page, and the
next fetch (without --from) starts one day before the newest stored receipt, so it closes the gap.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from recon import i18n
from recon.fetch.client import FetchError, ReceiptsApi
from recon.importing.origin import Origin
from recon.importing.pipeline import FileResult, import_bytes
from recon.store import Database, query

RESUME_OVERLAP = timedelta(days=1)


@dataclass
class PageOutcome:
    number: int
    url: str
    receipts: int  # on the page as sent
    result: FileResult

    @property
    def new(self) -> int:
        return self.result.rows.get("receipts", 0) if self.result.status == "imported" else 0

    @property
    def known(self) -> int:
        return 0 if self.result.status == "rejected" else self.receipts - self.new


@dataclass
class FetchReport:
    pages: list[PageOutcome] = field(default_factory=list)
    error: str | None = None

    def total(self, what: str) -> int:
        return sum(int(getattr(page, what)) for page in self.pages)

    @property
    def rejected(self) -> int:
        return sum(1 for page in self.pages if page.result.status == "rejected")

    @property
    def exit_code(self) -> int:
        return 1 if self.error or self.rejected else 0


def resume_start(db: Database) -> datetime | None:
    """One day before the newest stored receipt's creation, or None when no receipt is stored."""
    rows = db.con.execute(query("fetch/newest_receipt")).fetchall()
    newest = rows[0][0] if rows else None
    return newest.astimezone(UTC) - RESUME_OVERLAP if isinstance(newest, datetime) else None


def fetch_receipts(
    db: Database,
    api: ReceiptsApi,
    *,
    start: datetime | None,
    end: datetime | None,
    on_page: Callable[[PageOutcome], None] | None = None,
    started: datetime | None = None,
) -> FetchReport:
    """Fetch and store page after page until there is no next link, or a page cannot be had."""
    report = FetchReport()
    stamp = (started or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    url: str | None = api.first_url(start, end)
    seen: set[str] = set()
    while url is not None:
        seen.add(url)
        try:
            data = api.page(url)
        except FetchError as exc:
            report.error = str(exc)
            break
        number = len(report.pages) + 1
        receipts, next_href, broken = _read_page(data)
        name = f"receipts-api_{stamp}_p{number:03d}.json"
        if broken is None and receipts == 0:  # nothing new since the last fetch: not a file worth keeping
            result = FileResult(name, "skipped", kind="receipts", note=i18n.t("fetch.empty_page"))
        else:
            result = import_bytes(db, name, data, kind="receipts", origin=Origin.page(url), keep_empty=False)
        outcome = PageOutcome(number, url, receipts, result)
        report.pages.append(outcome)
        if on_page is not None:
            on_page(outcome)
        if broken is not None:
            report.error = i18n.t("fetch.not_a_page", url=url, reason=broken)
            break
        url, report.error = _next_url(api, url, next_href, seen)
    return report


def _read_page(data: bytes) -> tuple[int, str | None, str | None]:
    """(receipts on the page, the next link's href, why it is not a page or None)."""
    try:
        page: Any = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        return 0, None, str(exc).splitlines()[0]
    if not isinstance(page, dict) or not isinstance(page.get("resources"), list):
        return 0, None, "no 'resources' list"
    links = page.get("links") or []
    hrefs = [link.get("href") for link in links if isinstance(link, dict) and link.get("rel") == "next"] \
        if isinstance(links, list) else []
    href = next((h for h in hrefs if isinstance(h, str) and h.strip()), None)
    return len(page["resources"]), href, None


def _next_url(api: ReceiptsApi, url: str, href: str | None, seen: set[str]) -> tuple[str | None, str | None]:
    """The next page's absolute URL (a relative href is resolved against this page's), or why not to follow."""
    if href is None:
        return None, None
    target = api.resolve(url, href)
    if not api.same_origin(target):
        return None, i18n.t("fetch.foreign_next", url=url, next=target, api=api.api_url)
    if target in seen:
        return None, i18n.t("fetch.repeated_next", url=url)
    return target, None
