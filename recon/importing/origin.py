"""Where a file came from when it was not a file on disk: a Receipts API page or a mail attachment.

The importer stores it beside the file's source_files row, in the same transaction, so every stored row
traces back to the URL it was fetched from or to the mail (Message-ID, date, sender) it was attached to.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Literal


@dataclass(frozen=True)
class Origin:
    channel: Literal["api", "mail"]
    url: str | None = None
    mailbox: str | None = None
    message_key: str | None = None
    message_id: str | None = None
    mail_date: datetime | None = None
    mail_from: str | None = None
    attachment_name: str | None = None

    @classmethod
    def page(cls, url: str) -> Origin:
        return cls("api", url=url)

    def row(self, sha256: str) -> dict[str, object]:
        """Parameters of queries/importing/insert_origin.sql."""
        return {"sha256": sha256, **asdict(self)}
