"""docs/scheduling.md's mail recipe as a user copies it: getmail6 accepts the getmailrc, and the import line of
the cron entry imports a Maildir of OTTO's mails."""

from __future__ import annotations

import configparser
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from recon.cli import main
from recon.simulate.mails import write_maildir
from tests.test_mail import fixture_mails

DOC = Path(__file__).resolve().parents[1] / "docs" / "scheduling.md"
ROOT = "/srv/recon"


def _blocks() -> list[str]:
    return re.findall(r"```[a-z]*\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def _getmailrc() -> str:
    [block] = [b for b in _blocks() if b.startswith("# /srv/recon/getmail/otto.getmailrc")]
    return block


def _getmail() -> str | None:
    beside = Path(sys.executable).with_name("getmail")
    return str(beside) if beside.exists() else shutil.which("getmail")


def test_the_getmailrc_fetches_into_a_maildir_and_leaves_mail_on_the_server() -> None:
    rc = configparser.ConfigParser()
    rc.read_string(_getmailrc())
    assert rc["retriever"]["type"] == "SimpleIMAPSSLRetriever"
    assert (rc["destination"]["type"], rc["destination"]["path"]) == ("Maildir", f"{ROOT}/Maildir/")
    assert (rc["options"]["read_all"], rc["options"]["delete"]) == ("false", "false")


def test_getmail6_accepts_the_recipe(tmp_path: Path) -> None:
    getmail = _getmail()
    if getmail is None:
        pytest.skip("getmail6 is not installed (it is a dev dependency: make install)")
    (tmp_path / "Maildir").mkdir()
    for sub in ("cur", "new", "tmp"):
        (tmp_path / "Maildir" / sub).mkdir()
    (tmp_path / "getmail").mkdir()
    rc = tmp_path / "getmail" / "otto.getmailrc"
    rc.write_text(_getmailrc().replace(ROOT, str(tmp_path)), encoding="utf-8")
    # As in the doc: --getmaildir, and the rc file named relative to it. --dump checks without connecting.
    done = subprocess.run([getmail, "--getmaildir", str(tmp_path / "getmail"), "--rcfile", "otto.getmailrc",
                           "--dump"], capture_output=True, text=True, timeout=60, env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    assert "retriever:  SimpleIMAPSSLRetriever(" in done.stdout
    assert f'destination:  Maildir(filemode="384", path="{tmp_path}/Maildir/"' in done.stdout
    # The same check refuses a destination that does not exist, so a wrong recipe would fail here.
    rc.write_text(_getmailrc().replace(ROOT, str(tmp_path / "nowhere")), encoding="utf-8")
    wrong = subprocess.run([getmail, "--getmaildir", str(tmp_path / "getmail"), "--rcfile", "otto.getmailrc",
                            "--dump"], capture_output=True, text=True, timeout=60)
    assert "Configuration error: configuration file" in wrong.stdout + wrong.stderr
    assert "destination:" not in wrong.stdout


def _recon_import_args(line: str) -> list[str]:
    """The `recon import ...` of a cron line or ExecStart, up to any redirection."""
    words = shlex.split(line.split(">>")[0])
    start = next(i for i, w in enumerate(words) if w.endswith("/bin/recon") and words[i + 1] == "import")
    return [w.replace(ROOT, "{root}") for w in words[start + 2:]]


def test_the_cron_and_systemd_lines_import_the_maildir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "\n".join(_blocks())
    [cron] = [line for line in text.splitlines() if line.startswith("*/15 ") and "getmail" in line]
    [unit] = [line for line in text.splitlines() if line.startswith("ExecStart=") and "/Maildir" in line
              and "recon import" in line]
    assert "--rcfile otto.getmailrc" in cron and " ; cd /srv/recon && " in cron
    args = _recon_import_args(cron)
    assert args == _recon_import_args(unit) == ["--db", "{root}/recon.duckdb", "{root}/Maildir"]
    write_maildir(fixture_mails(), tmp_path / "Maildir")
    argv = [a.format(root=tmp_path) for a in args]
    assert main(["import", *argv]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "4 importiert, 2 übersprungen, 0 abgelehnt; gespeichert: 3 Rechnungszeilen, 2 Auszahlungszeilen"
    assert main(["import", *argv]) == 0  # every 15 minutes: nothing new, nothing changed
    assert capsys.readouterr().out.splitlines()[-1] == (
        "0 importiert, 6 übersprungen, 0 abgelehnt; gespeichert: keine Zeilen")
