"""The accountant password hash and the `recon dashboard` command line."""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path

import pytest

from recon.cli import build_parser, main
from recon.cli.dashboard_cmd import app_file, streamlit_command
from recon.ui.auth import ENV_VAR, BadHash, configured_hash, hash_password, parse_hash, verify_password

FAST = {"n": 2**10, "r": 8, "p": 1}  # small parameters keep the tests quick; the format is the same


def test_hash_round_trip_and_format() -> None:
    stored = hash_password("Kontenrahmen 04!", salt=b"0123456789abcdef", **FAST)
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, n, r, p, salt) == ("scrypt", "1024", "8", "1", "MDEyMzQ1Njc4OWFiY2RlZg")
    assert len(digest) == 43  # 32 bytes, unpadded base64
    assert verify_password("Kontenrahmen 04!", stored)
    assert not verify_password("Kontenrahmen 04", stored)
    assert not verify_password("", stored)
    assert hash_password("x", **FAST) != hash_password("x", **FAST)  # fresh salt each time


def test_default_parameters_are_strong() -> None:
    parsed = parse_hash(hash_password("secret"))
    assert (parsed.n, parsed.r, parsed.p) == (2**15, 8, 1) and len(parsed.salt) == 16


@pytest.mark.parametrize("text", [
    "", "bcrypt$1$2$3$aa$bb", "scrypt$1000$8$1$MDEyMzQ1Njc4OWFi$MDEyMzQ1Njc4OWFiY2RlZg",  # N not a power of two
    f"scrypt${2**24}$8$1$MDEyMzQ1Njc4OWFi$MDEyMzQ1Njc4OWFiY2RlZg",  # N too large
    "scrypt$1024$8$1$!!$MDEyMzQ1Njc4OWFiY2RlZg", "scrypt$x$8$1$a$b",
])
def test_bad_hash_strings_are_refused(text: str) -> None:
    with pytest.raises(BadHash):
        parse_hash(text)


def test_configured_hash_prefers_the_environment() -> None:
    assert configured_hash({}) is None
    assert configured_hash({ENV_VAR: "  "}, {ENV_VAR: ""}) is None
    assert configured_hash({}, {ENV_VAR: "scrypt$from-secrets"}) == "scrypt$from-secrets"
    assert configured_hash({ENV_VAR: "scrypt$env"}, {ENV_VAR: "scrypt$secrets"}) == "scrypt$env"


def test_cli_hash_password_reads_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("Steuerberater\n"))
    assert main(["dashboard", "--hash-password"]) == 0
    printed = capsys.readouterr().out.strip()
    assert verify_password("Steuerberater", printed)
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n"))
    assert main(["dashboard", "--hash-password"]) == 2


def test_cli_runs_streamlit_on_localhost(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    args = build_parser().parse_args(["dashboard", "--db", str(tmp_path / "x.duckdb"), "--port", "8601",
                                      "--as-of", "2026-11-02"])
    command, env = streamlit_command(args)
    assert command[1:5] == ["-m", "streamlit", "run", str(app_file())]
    assert app_file().is_file() and app_file().parent.name == "dashboard"
    joined = " ".join(command)
    assert "--server.address 127.0.0.1" in joined and "--server.port 8601" in joined
    assert "--server.headless true" in joined
    assert env["RECON_DB"] == str((tmp_path / "x.duckdb").resolve())
    assert env["RECON_AS_OF"] == date(2026, 11, 2).isoformat()

    started: list[list[str]] = []
    monkeypatch.setattr("recon.cli.dashboard_cmd.launch", lambda cmd, env: started.append(cmd) or 0)
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert main(["dashboard", "--db", str(tmp_path / "x.duckdb"), "--host", "0.0.0.0"]) == 0
    assert "--server.address" in started[0] and started[0][started[0].index("--server.address") + 1] == "0.0.0.0"


def test_cli_warns_when_exposed_without_password(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("recon.cli.dashboard_cmd.launch", lambda cmd, env: 0)
    monkeypatch.delenv(ENV_VAR, raising=False)
    main(["dashboard", "--db", str(tmp_path / "x.duckdb"), "--host", "0.0.0.0"])
    assert "ohne $RECON_DASHBOARD_PASSWORD_HASH" in capsys.readouterr().err
    main(["dashboard", "--db", str(tmp_path / "x.duckdb")])
    assert capsys.readouterr().err == ""


def test_recon_dashboard_serves_the_app(samples_db: Path) -> None:
    """The real command: streamlit starts on the app inside the package and answers on localhost."""
    import socket
    import subprocess
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "recon", "dashboard", "--db", str(samples_db),
                                "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 25
        status = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:  # noqa: S310
                    status = r.status
                    break
            except OSError:
                time.sleep(0.2)
        assert status == 200, "recon dashboard did not answer within 25 s"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:  # noqa: S310
            assert r.status == 200 and b"<html" in r.read().lower()
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert f"http://localhost:{port}" in output and str(samples_db) in output
