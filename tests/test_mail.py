"""Mail intake: real .eml files, mbox files and Maildir folders, with attachments in windows-1252 and UTF-8."""

from __future__ import annotations

import json
import mailbox
import shutil
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest

from recon.cli import main
from recon.importing import import_paths
from recon.importing.mail import mail_format
from recon.simulate.mails import SENDER, quarter_mails, write_maildir, write_mbox
from recon.simulate.quarter import simulate
from recon.simulate.write import write_quarter
from recon.store import Database, open_database
from recon.store.dump import canonical_hash, table_dump, table_frame, table_names
from tests.conftest import SAMPLES, invoice_csv, invoice_row, table_counts

OTTO = "OTTO Market <partner-noreply@otto.example>"
CET = timezone(timedelta(hours=1))
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _mail(message_id: str, subject: str, sent: datetime, sender: str = OTTO) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "buchhaltung@shop.example"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(sent)
    msg["Message-ID"] = message_id
    msg.set_content("Guten Tag,\n\nim Anhang Ihr Dokument.\n")
    return msg


def fixture_mails() -> list[EmailMessage]:
    """Five mails as they arrive: cp1252 CSV + PDF, none, UTF-8 CSV, forwarded mail, raw 8-bit cp1252 CSV."""
    cp1252 = invoice_csv([invoice_row("PR-2026-000100", 1)])
    assert b"M\xf6bel" in cp1252  # really windows-1252
    first = _mail("<PR-2026-000100@mail.otto.example>", "Ihre Provisionsrechnung PR-2026-000100",
                  datetime(2026, 11, 4, 9, 30, tzinfo=CET))
    first.add_attachment(cp1252, maintype="text", subtype="csv", filename="PR-2026-000100.csv",
                         cte="quoted-printable")
    first.add_attachment(PDF, maintype="application", subtype="pdf", filename="PR-2026-000100.pdf")

    empty = _mail("<hinweis-7@mail.otto.example>", "Ihre Auszahlung ist unterwegs",
                  datetime(2026, 11, 5, 7, 0, tzinfo=CET))

    utf8 = _mail("<PR-2026-000101@mail.otto.example>", "Ihre Provisionsrechnung PR-2026-000101",
                 datetime(2026, 11, 4, 9, 31, tzinfo=CET))
    utf8.add_attachment(invoice_csv([invoice_row("PR-2026-000101", 2)], encoding="utf-8"), maintype="text",
                        subtype="csv", filename="Provision_Möbel_101.csv")

    inner = _mail("<PR-2026-000102@mail.otto.example>", "Ihre Provisionsrechnung PR-2026-000102",
                  datetime(2026, 11, 4, 9, 32, tzinfo=CET))
    inner.add_attachment(invoice_csv([invoice_row("PR-2026-000102", 3)]), maintype="text", subtype="csv",
                         filename="PR-2026-000102.csv")
    forwarded = _mail("<fwd-1@shop.example>", "WG: Ihre Provisionsrechnung PR-2026-000102",
                      datetime(2026, 11, 6, 10, 0, tzinfo=CET), sender="Ann Seller <ann@shop.example>")
    forwarded.add_attachment(inner)  # message/rfc822, as mail programs forward "as attachment"

    raw = _mail("<AZ-2026-000030@mail.otto.example>", "Ihre Auszahlung AZ-2026-000030",
                datetime(2026, 11, 6, 8, 0, tzinfo=CET))
    raw.add_attachment((SAMPLES / "payout_AZ-2026-000030.csv").read_bytes(), maintype="text", subtype="csv",
                       filename="payout_AZ-2026-000030.csv", cte="8bit")
    return [first, empty, utf8, forwarded, raw]


@pytest.fixture
def boxes(tmp_path: Path) -> dict[str, Path]:
    mails = fixture_mails()
    eml = tmp_path / "eml"
    eml.mkdir()
    for n, msg in enumerate(mails, start=1):
        (eml / f"{n}.eml").write_bytes(msg.as_bytes())
    return {"eml": eml, "mbox": write_mbox(mails, tmp_path / "otto.mbox"),
            "maildir": write_maildir(mails, tmp_path / "Maildir")}


def _db(tmp_path: Path, name: str = "mail.duckdb") -> str:
    return str(tmp_path / name)


def test_an_mbox_imports_every_csv_attachment_keeps_the_pdf_aside_and_skips_the_empty_mail(
    boxes: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECON_LANG", "en")
    box = boxes["mbox"]
    assert main(["import", "--db", _db(tmp_path), str(box)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"imported  {box}#1/PR-2026-000100.csv: invoice, windows-1252, 1 invoice line",
        f"skipped   {box}#1/PR-2026-000100.pdf: PDF attachment kept aside, not imported",
        f"skipped   {box}#2: mail without attachments skipped (subject: Ihre Auszahlung ist unterwegs)",
        f"imported  {box}#3/Provision_Möbel_101.csv: invoice, utf-8, 1 invoice line",
        f"imported  {box}#4/PR-2026-000102.csv: invoice, windows-1252, 1 invoice line",
        f"imported  {box}#5/payout_AZ-2026-000030.csv: payout, windows-1252, 2 payout lines",
        "mails: 5 read, 4 CSV/JSON attachments, 1 attachments kept aside, 1 mails without attachments skipped",
        "4 imported, 2 skipped, 0 rejected; stored 3 invoice lines, 2 payout lines",
    ]
    db = open_database(_db(tmp_path))
    rows = db.con.execute(
        "SELECT f.original_name, f.encoding, o.channel, o.mailbox, o.message_key, o.message_id, "
        "o.mail_date AT TIME ZONE 'UTC', o.mail_from, o.attachment_name "
        "FROM source_files f JOIN source_origins o USING (sha256) ORDER BY o.message_key").fetchall()
    assert rows == [
        ("PR-2026-000100.csv", "windows-1252", "mail", str(box), "1", "<PR-2026-000100@mail.otto.example>",
         datetime(2026, 11, 4, 8, 30), OTTO, "PR-2026-000100.csv"),
        ("Provision_Möbel_101.csv", "utf-8", "mail", str(box), "3", "<PR-2026-000101@mail.otto.example>",
         datetime(2026, 11, 4, 8, 31), OTTO, "Provision_Möbel_101.csv"),
        ("PR-2026-000102.csv", "windows-1252", "mail", str(box), "4", "<fwd-1@shop.example>",
         datetime(2026, 11, 6, 9, 0), "Ann Seller <ann@shop.example>", "PR-2026-000102.csv"),
        ("payout_AZ-2026-000030.csv", "windows-1252", "mail", str(box), "5", "<AZ-2026-000030@mail.otto.example>",
         datetime(2026, 11, 6, 7, 0), OTTO, "payout_AZ-2026-000030.csv"),
    ]
    categories = db.con.execute("SELECT invoice_number, category FROM invoice_lines ORDER BY 1").fetchall()
    assert categories == [("PR-2026-000100", "Möbel"), ("PR-2026-000101", "Möbel"), ("PR-2026-000102", "Möbel")]
    db.close()


def _content(db: Database, skip: frozenset[str] = frozenset({"source_origins", "schema_version"})) -> str:
    db.con.execute("SELECT 1").fetchall()  # the relation API wants no half-read result on the connection
    return "\n".join(table_dump(n, table_frame(db, n)) for n in table_names(db) if n not in skip)


def _origins(db: Database) -> list[tuple[object, ...]]:
    return db.con.execute("SELECT sha256, message_id, mail_date, mail_from, attachment_name FROM source_origins "
                          "ORDER BY sha256").fetchall()


def test_eml_files_an_mbox_and_a_maildir_of_the_same_mails_give_the_same_books(
    boxes: dict[str, Path], tmp_path: Path
) -> None:
    contents, origins = set(), []
    for kind, path in boxes.items():
        db = open_database(tmp_path / f"{kind}.duckdb")
        report = import_paths(db, [path])
        assert [f.status for f in report.files].count("imported") == 4, kind
        contents.add(_content(db))
        origins.append(_origins(db))
        db.close()
    assert len(contents) == 1
    assert origins[0] == origins[1] == origins[2] and len(origins[0]) == 4


def test_the_same_mail_twice_changes_nothing(boxes: dict[str, Path], tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = _db(tmp_path)
    assert main(["import", "--db", path, str(boxes["maildir"])]) == 0
    db = open_database(path)
    before = (table_counts(db), canonical_hash(db), _origins(db))
    db.close()
    capsys.readouterr()
    # The Maildir again, and the same mails from an mbox and as .eml files: every attachment already stored.
    for again in (boxes["maildir"], boxes["mbox"], boxes["eml"] / "1.eml"):
        assert main(["import", "--db", path, str(again)]) == 0
        last = capsys.readouterr().out.splitlines()[-1]
        assert last.startswith("0 importiert, ") and last.endswith(" 0 abgelehnt; gespeichert: keine Zeilen")
    db = open_database(path)
    assert (table_counts(db), canonical_hash(db), _origins(db)) == before
    db.close()


def test_a_bad_attachment_is_rejected_alone_naming_mail_file_line_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    msg = _mail("<bad-1@mail.otto.example>", "Auszahlung", datetime(2026, 11, 6, 8, 0, tzinfo=CET))
    bad = (SAMPLES / "payout_AZ-2026-000030.csv").read_bytes().replace(b"249,00", b"249,0O")
    msg.add_attachment(bad, maintype="text", subtype="csv", filename="AZ-2026-000030.csv")
    msg.add_attachment((SAMPLES / "payout_AZ-2026-000031.csv").read_bytes(), maintype="application",
                       subtype="octet-stream", filename="AZ-2026-000031.csv")
    eml = tmp_path / "bad.eml"
    eml.write_bytes(msg.as_bytes())
    assert main(["import", "--db", _db(tmp_path), str(eml)]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"{eml}/AZ-2026-000030.csv:3: field 'Betrag': kein Betrag: '249,0O' (erwartet z. B. 1.234,56)"]
    assert captured.out.splitlines()[-1].startswith("1 importiert, 0 übersprungen, 1 abgelehnt;")


def test_a_folder_with_a_maildir_inside_reads_the_maildir_as_mails_and_ignores_its_tmp(
    boxes: dict[str, Path], tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(boxes["maildir"], inbox / "OTTO")
    shutil.copy(SAMPLES / "payout_AZ-2026-000031.csv", inbox / "payout_AZ-2026-000031.csv")
    (inbox / "OTTO" / "tmp" / "123.half-delivered").write_bytes(b"From: x\r\nSubject: half")
    db = open_database(tmp_path / "inbox.duckdb")
    report = import_paths(db, [inbox])
    db.close()
    names = sorted(Path(f.name).name for f in report.files if f.status == "imported")
    assert names == ["PR-2026-000100.csv", "PR-2026-000102.csv", "Provision_Möbel_101.csv",
                     "payout_AZ-2026-000030.csv", "payout_AZ-2026-000031.csv"]
    assert report.exit_code == 0 and not any("half" in f.name for f in report.files)


def test_csv_and_json_files_are_never_taken_for_mails(tmp_path: Path) -> None:
    for sample in sorted(SAMPLES.iterdir()):
        assert mail_format(sample, sample.read_bytes()) is None, sample.name
    header_like = tmp_path / "notes.txt"
    assert mail_format(header_like, b"Rechnungsnummer: 17;Datum\r\n") is None
    assert mail_format(header_like, b"Received: by mx\r\nFrom: a@b\r\n\r\nbody") == "eml"
    assert mail_format(tmp_path / "x.mbox", b"") == "mbox"


def test_a_generated_quarter_as_mails_in_an_mbox_and_a_maildir_imports_to_the_same_books_as_the_files(
    tmp_path: Path,
) -> None:
    quarter = simulate(orders=120, seed=5)
    files = write_quarter(quarter, tmp_path / "files")
    assert {p.parent.name for p in files} == {"invoices", "corrections", "payouts", "receipts"}
    mails = quarter_mails(files, datetime(2026, 8, 3, 8, 0, tzinfo=UTC))
    sources = {"files": tmp_path / "files", "mbox": write_mbox(mails, tmp_path / "otto.mbox"),
               "maildir": write_maildir(mails, tmp_path / "Maildir")}
    contents: dict[str, str] = {}
    for kind, path in sources.items():
        db = open_database(tmp_path / f"{kind}.duckdb")
        report = import_paths(db, [path])
        assert (report.count("imported"), report.exit_code) == (len(files), 0), kind
        contents[kind] = _content(db)
        if kind != "files":
            rows = db.con.execute("SELECT attachment_name, message_id, mail_from FROM source_origins "
                                  "ORDER BY attachment_name").fetchall()
            assert rows == sorted((p.name, f"<{p.stem}.{n}@mail.otto.example>", SENDER)
                                  for n, p in enumerate(files, start=1))
        db.close()
    assert contents["mbox"] == contents["files"]
    assert contents["maildir"] == contents["files"]
    assert "## receipts " in contents["files"] and "## payout_lines " in contents["files"]


def test_maildir_is_left_as_it_was(boxes: dict[str, Path], tmp_path: Path) -> None:
    before = sorted(str(p.relative_to(boxes["maildir"])) for p in boxes["maildir"].rglob("*"))
    db = open_database(tmp_path / "m.duckdb")
    import_paths(db, [boxes["maildir"]])
    db.close()
    assert sorted(str(p.relative_to(boxes["maildir"])) for p in boxes["maildir"].rglob("*")) == before
    assert len(mailbox.Maildir(str(boxes["maildir"]), create=False)) == 5


def test_an_attachment_name_never_carries_a_folder(tmp_path: Path) -> None:
    msg = _mail("<evil@mail.example>", "x", datetime(2026, 11, 6, 8, 0, tzinfo=CET))
    msg.add_attachment((SAMPLES / "payout_AZ-2026-000031.csv").read_bytes(), maintype="text", subtype="csv",
                       filename="..\\..\\Windows/../../etc/AZ-31.csv")
    msg.add_attachment(b"x", maintype="application", subtype="octet-stream", filename="..")
    eml = tmp_path / "evil.eml"
    eml.write_bytes(msg.as_bytes())
    db = open_database(tmp_path / "e.duckdb")
    report = import_paths(db, [eml])
    db.close()
    assert [(f.name, f.status, f.kind) for f in report.files] == [
        (f"{eml}/AZ-31.csv", "imported", "payout"), (f"{eml}/attachment-4", "skipped", "attachment")]


def test_recon_sources_shows_which_mail_a_file_came_from(
    boxes: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECON_LANG", "en")
    box = boxes["mbox"]
    assert main(["import", "--db", _db(tmp_path), str(box), str(SAMPLES / "payout_AZ-2026-000031.csv")]) == 0
    capsys.readouterr()
    assert main(["sources", "--db", _db(tmp_path), "--json"]) == 0
    records = {r["file"]: r.get("origin") for r in json.loads(capsys.readouterr().out)}
    assert records["payout_AZ-2026-000031.csv"] is None
    assert records["Provision_Möbel_101.csv"] == {
        "channel": "mail", "mailbox": str(box), "message_key": "3", "message_id": "<PR-2026-000101@mail.otto.example>",
        "mail_date": "2026-11-04T09:31:00+01:00", "mail_from": OTTO, "attachment": "Provision_Möbel_101.csv"}
    assert main(["sources", "--db", _db(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.endswith(" Provision_Möbel_101.csv"))
    assert lines[at + 1] == (f"{'':<24} attached to mail <PR-2026-000101@mail.otto.example> from {OTTO}, "
                             f"2026-11-04 09:31 ({box})")
