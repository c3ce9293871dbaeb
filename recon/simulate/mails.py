"""A simulated quarter as the mails OTTO sends: one mail per document, its CSV (or receipts JSON) attached.

Written into an mbox file or a Maildir folder, so the mail intake can be tested (and demonstrated) on the
same quarter as the plain files: both must give the same books.
"""

from __future__ import annotations

import mailbox
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

SENDER = "OTTO Market <partner-noreply@otto.example>"
RECIPIENT = "Buchhaltung <buchhaltung@shop.example>"
SUBJECTS = {
    "invoices": "Ihre Provisionsrechnung {name}",
    "corrections": "Ihre Korrekturrechnung {name}",
    "payouts": "Ihre Auszahlung {name}",
    "receipts": "Kundenbelege {name}",
}


def document_mail(path: Path, number: int, sent: datetime) -> EmailMessage:
    """One mail with one attachment, named by the file, as a mail program would send it (base64)."""
    msg = EmailMessage()
    msg["From"] = SENDER
    msg["To"] = RECIPIENT
    msg["Subject"] = SUBJECTS.get(path.parent.name, "{name}").format(name=path.stem)
    msg["Date"] = format_datetime(sent)
    msg["Message-ID"] = f"<{path.stem}.{number}@mail.otto.example>"
    msg.set_content("Guten Tag,\n\nim Anhang finden Sie Ihr Dokument.\n\nIhr OTTO Market Team\n")
    json = path.suffix.lower() == ".json"
    msg.add_attachment(path.read_bytes(), maintype="application" if json else "text",
                       subtype="json" if json else "csv", filename=path.name)
    return msg


def quarter_mails(files: Sequence[Path], first: datetime) -> list[EmailMessage]:
    """A mail per file, one minute apart from `first` (an aware date-time)."""
    return [document_mail(path, n, first + timedelta(minutes=n)) for n, path in enumerate(files, start=1)]


def write_mbox(messages: Iterable[EmailMessage], path: Path) -> Path:
    box = mailbox.mbox(str(path), create=True)
    try:
        for msg in messages:
            box.add(msg)
        box.flush()
    finally:
        box.close()
    return path


def write_maildir(messages: Iterable[EmailMessage], path: Path) -> Path:
    box = mailbox.Maildir(str(path), create=True)
    for msg in messages:
        box.add(msg)
    return path
