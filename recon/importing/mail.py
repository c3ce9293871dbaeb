"""Mail intake: `.eml` files, mbox files and Maildir folders, read with the standard library's parsers.

OTTO sends its invoice, correction and payout CSVs as mail attachments. Every CSV or JSON attachment is
imported as a file of its own, named by the attachment's file name, through the same importer as a file on
disk; the mail's Message-ID, date and sender are stored as the file's origin. A PDF (or any other kind of
attachment) is listed as kept aside, a mail without attachments is counted and skipped. The mailbox itself
is only read, never changed: the same mail read again finds its attachments stored and skips them.
"""

from __future__ import annotations

import email
import mailbox
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Literal

from recon import i18n
from recon.importing.origin import Origin
from recon.importing.problems import FileProblem

if TYPE_CHECKING:  # the pipeline imports this module; its FileResult is imported where one is made
    from recon.importing.pipeline import FileResult

MailFormat = Literal["eml", "mbox"]
IMPORTED_SUFFIXES = frozenset({".csv", ".json", ".jsonl"})
IMPORTED_TYPES = frozenset({"text/csv", "text/comma-separated-values", "application/csv", "application/json",
                            "application/x-ndjson", "application/jsonl"})
# An RFC 5322 header line: a field name of printable characters other than the colon, then a colon.
_HEADER = re.compile(rb"^[!-9;-~]+:[ \t]")
_MAIL_HEADERS = (b"message-id:", b"from:", b"received:", b"return-path:", b"mime-version:", b"delivered-to:")


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes

    @property
    def imported(self) -> bool:
        suffix = PurePosixPath(self.filename).suffix.lower()
        return suffix in IMPORTED_SUFFIXES or (not suffix and self.content_type in IMPORTED_TYPES)


@dataclass(frozen=True)
class Mail:
    mailbox: str
    key: str | None
    label: str  # how the mail is named in messages: the .eml's path, `box.mbox#3`, `Maildir#<key>`
    message_id: str | None
    date: datetime | None
    sender: str | None
    subject: str
    attachments: tuple[Attachment, ...]

    def origin(self, attachment: str | None) -> Origin:
        return Origin("mail", mailbox=self.mailbox, message_key=self.key, message_id=self.message_id,
                      mail_date=self.date, mail_from=self.sender, attachment_name=attachment)


def is_maildir(path: Path) -> bool:
    return path.is_dir() and (path / "cur").is_dir() and (path / "new").is_dir()


def mail_format(path: Path, data: bytes) -> MailFormat | None:
    """mbox (starts with a `From ` line), a single mail (`.eml`, or a header block that names a mail), or None."""
    if data.startswith(b"From "):
        return "mbox"
    suffix = path.suffix.lower()
    if suffix == ".mbox":
        return "mbox"
    if suffix == ".eml":
        return "eml"
    head = data.lstrip(b"\r\n")[:8192]
    if _HEADER.match(head):
        block = head.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0].lower()
        if any(line.startswith(_MAIL_HEADERS) for line in block.splitlines()):
            return "eml"
    return None


def read_mails(path: Path, fmt: MailFormat | Literal["maildir"], data: bytes = b"") -> Iterator[Mail]:
    """Every mail of an .eml (its bytes given), an mbox file or a Maildir folder, in a stable order."""
    if fmt == "eml":
        yield parse_mail(data, str(path), None, str(path))
        return
    box: mailbox.Mailbox[mailbox.Message]
    if fmt == "mbox":
        box = mailbox.mbox(str(path), create=False)
        keys = list(box.keys())  # file order
        names = {key: str(n) for n, key in enumerate(keys, start=1)}
    else:
        box = mailbox.Maildir(str(path), create=False)
        keys = sorted(box.keys())
        names = {key: str(key) for key in keys}
    with closing(box):
        for key in keys:
            yield parse_mail(box.get_bytes(key), str(path), names[key], f"{path}#{names[key]}")


def parse_mail(data: bytes, mailbox_name: str, key: str | None, label: str) -> Mail:
    msg = email.message_from_bytes(data, policy=policy.default)
    assert isinstance(msg, EmailMessage)  # policy.default makes EmailMessage objects
    return Mail(
        mailbox=mailbox_name, key=key, label=label,
        message_id=_header(msg, "Message-ID"), date=_date(msg), sender=_header(msg, "From"),
        subject=_header(msg, "Subject") or "", attachments=tuple(_attachments(msg)),
    )


def _header(msg: EmailMessage, name: str) -> str | None:
    try:
        value = msg.get(name)
    except (ValueError, IndexError, TypeError):  # a header the parser cannot make sense of
        return None
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def _date(msg: EmailMessage) -> datetime | None:
    try:
        header = msg.get("Date")
        when = getattr(header, "datetime", None)
    except (ValueError, IndexError, TypeError):
        return None
    if not isinstance(when, datetime):
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _attachments(msg: EmailMessage) -> Iterator[Attachment]:
    """Leaf parts that carry a file name or say they are attachments, also inside forwarded mails."""
    for number, part in enumerate(msg.walk(), start=1):
        if part.is_multipart() or part.get_content_maintype() == "message":
            continue
        filename = part.get_filename()
        if not filename and part.get_content_disposition() != "attachment":
            continue
        payload = part.get_payload(decode=True)
        yield Attachment(_safe_name(filename, number), part.get_content_type(),
                         payload if isinstance(payload, bytes) else b"")


def _safe_name(filename: str | None, number: int) -> str:
    """The attachment's own file name, without any folder part (it is shown and recorded, never opened)."""
    name = PurePosixPath((filename or "").replace("\\", "/")).name.strip()
    return name if name and name not in (".", "..") else f"attachment-{number}"


ImportOne = Callable[[str, bytes, Origin], "FileResult"]


def import_mailbox(
    path: Path, fmt: MailFormat | Literal["maildir"], data: bytes, import_one: ImportOne
) -> list[FileResult]:
    """Every mail's attachments; a mailbox that cannot be read is one rejected entry (the others go on)."""
    results: list[FileResult] = []
    try:
        for one in read_mails(path, fmt, data):
            results += import_mail(one, import_one)
    except (OSError, mailbox.Error, ValueError) as exc:
        results.append(unreadable(path, str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
    return results


def import_mail(mail: Mail, import_one: ImportOne) -> list[FileResult]:
    """Import every CSV/JSON attachment with `import_one(name, bytes, origin)`; list the rest as kept aside."""
    from recon.importing.pipeline import FileResult

    if not mail.attachments:
        return [FileResult(mail.label, "skipped", kind="mail", origin=mail.origin(None),
                           note=i18n.t("mail.no_attachments", subject=mail.subject or "–"))]
    results: list[FileResult] = []
    for attachment in mail.attachments:
        name = f"{mail.label}/{attachment.filename}"
        if attachment.imported:
            results.append(import_one(name, attachment.data, mail.origin(attachment.filename)))
            continue
        pdf = attachment.content_type == "application/pdf" or attachment.filename.lower().endswith(".pdf")
        note = i18n.t("mail.kept_aside_pdf") if pdf else i18n.t("mail.kept_aside", content_type=attachment.content_type)
        results.append(FileResult(name, "skipped", kind="pdf" if pdf else "attachment",
                                  origin=mail.origin(attachment.filename), note=note))
    return results


def unreadable(path: Path, reason: str) -> FileResult:
    from recon.importing.pipeline import FileResult

    problem = FileProblem(str(path), None, "", i18n.t("mail.unreadable", reason=reason))
    return FileResult(str(path), "rejected", kind="mail", issues=[problem])


def summary(results: Iterable[FileResult]) -> str | None:
    """One line about the mails read in an import, or None when there were none."""
    mails: set[tuple[str | None, str | None]] = set()
    attachments = kept = empty = 0
    for result in results:
        origin = result.origin
        if origin is None or origin.channel != "mail":
            continue
        mails.add((origin.mailbox, origin.message_key))
        if result.kind == "mail" and result.status == "skipped":
            empty += 1
        elif result.kind in ("pdf", "attachment") and result.status == "skipped":
            kept += 1
        else:
            attachments += 1
    if not mails:
        return None
    return i18n.t("mail.summary", mails=len(mails), attachments=attachments, kept=kept, empty=empty)
