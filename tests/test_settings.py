"""Every RECON_ variable is declared once in recon.settings, read nowhere else, and documented in docs/settings.md."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from recon import cli, settings
from recon.settings import Settings, SettingsError, from_environ

ROOT = Path(__file__).resolve().parents[1]
VARIABLE = re.compile(r"\bRECON_[A-Z][A-Z0-9_]*\b")
# An environment read: os.environ / os.getenv / os.putenv in any form.
ENV_READ = re.compile(r"\bos\.(environ|getenv|putenv)\b|\bfrom os import\b[^\n]*\b(environ|getenv)\b")


def _sources() -> list[Path]:
    return sorted(p for p in (ROOT / "recon").rglob("*") if p.suffix in (".py", ".toml", ".sql", ".j2", ".md"))


def test_every_variable_in_recon_is_declared() -> None:
    found = {name for path in _sources() if path.name != "settings.py"
             for name in VARIABLE.findall(path.read_text("utf-8"))}
    assert sorted(found - {v.name for v in settings.VARIABLES}) == []
    assert {"RECON_DB", "RECON_LANG", "RECON_TEST_PAUSE_BEFORE_COMMIT"} <= found  # the grep finds them


def test_only_the_settings_module_reads_the_environment() -> None:
    readers = [str(p.relative_to(ROOT)) for p in _sources()
               if p.suffix == ".py" and ENV_READ.search(p.read_text("utf-8"))]
    assert readers == ["recon/settings.py"]


def test_docs_table_is_generated_from_the_settings() -> None:
    text = (ROOT / "docs" / "settings.md").read_text("utf-8")
    assert settings.docs_table() in text
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", text, re.MULTILINE))
    assert documented == {v.name for v in settings.VARIABLES}


def test_defaults_and_parsed_values() -> None:
    assert from_environ({}) == Settings()
    parsed = from_environ({"RECON_DB": "/tmp/books.duckdb", "RECON_LANG": "EN", "RECON_AS_OF": "2026-11-02",
                           "RECON_LOCK_WAIT": "0.5", "RECON_MEMORY_LIMIT": "2GB", "RECON_IMPORT_HELPER": "0",
                           "RECON_DEBUG": "1", "RECON_TEST_PAUSE_BEFORE_COMMIT": "4", "RECON_CHECKPOINT_THRESHOLD": "",
                           "RECON_DASHBOARD_PASSWORD_HASH": " scrypt$x "})
    assert parsed == Settings(db=Path("/tmp/books.duckdb"), lang="en", as_of=date(2026, 11, 2), lock_wait=0.5,
                              memory_limit="2GB", import_helper=False, debug=True, test_pause_before_commit="4",
                              dashboard_password_hash="scrypt$x")
    assert from_environ({"RECON_LANG": "fr"}).lang == "de"
    assert "scrypt" not in repr(parsed)


@pytest.mark.parametrize(("name", "value", "message"), [
    ("RECON_LOCK_WAIT", "30s", "RECON_LOCK_WAIT='30s' geht nicht: erwartet ist eine Zahl von Sekunden (0 oder mehr)"
                               " (siehe docs/settings.md)"),
    ("RECON_LOCK_WAIT", "-1", "RECON_LOCK_WAIT='-1' geht nicht: erwartet ist eine Zahl von Sekunden (0 oder mehr)"
                              " (siehe docs/settings.md)"),
    ("RECON_AS_OF", "02.11.2026", "RECON_AS_OF='02.11.2026' geht nicht: erwartet ist ein Datum JJJJ-MM-TT"
                                  " (siehe docs/settings.md)"),
    ("RECON_MEMORY_LIMIT", "lots", "RECON_MEMORY_LIMIT='lots' geht nicht: erwartet ist eine Größe wie 1GB oder 512MB"
                                   " (siehe docs/settings.md)"),
    ("RECON_IMPORT_HELPER", "no", "RECON_IMPORT_HELPER='no' geht nicht: erwartet ist 0 oder 1"
                                  " (siehe docs/settings.md)"),
])
def test_a_bad_value_is_one_error_naming_the_variable(name: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        from_environ({name: value})
    assert str(caught.value) == message


def test_english_error_and_the_cli_stops_with_it(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("RECON_LANG", "en")
    monkeypatch.setenv("RECON_LOCK_WAIT", "soon")
    assert cli.main(["sources"]) == 2
    assert capsys.readouterr().err == ("recon: RECON_LOCK_WAIT='soon' cannot be used: expected a number of seconds "
                                       "(0 or more) (see docs/settings.md)\n")


def test_current_follows_a_changed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECON_LOCK_WAIT", "7")
    first = settings.current()
    assert first.lock_wait == 7.0
    assert settings.current() is first  # parsed once while nothing changed
    monkeypatch.setenv("RECON_LOCK_WAIT", "8")
    assert settings.current().lock_wait == 8.0
