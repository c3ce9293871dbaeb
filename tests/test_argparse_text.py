"""argparse's own words (usage, options, errors) follow RECON_LANG like every other text of recon."""

from __future__ import annotations

import pytest

from recon.cli import main


def _usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> list[str]:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    return capsys.readouterr().err.splitlines()


def test_help_and_usage_errors_are_german_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Aufruf: recon [-h] [--version] COMMAND ..."
    assert "Optionen:" in out and "Argumente:" in out
    assert "  -h, --help  diese Hilfe zeigen und beenden" in out
    assert _usage_error(["reconcile", "--bogus"], capsys)[-1] == "recon: Fehler: unbekannte Argumente: --bogus"
    assert _usage_error(["report", "--period"], capsys)[-1] == (
        "recon report: Fehler: Argument --period: erwartet einen Wert")
    assert _usage_error(["import"], capsys)[-1] == "recon import: Fehler: diese Argumente fehlen: PATH"


@pytest.mark.usefixtures("english")
def test_argparse_speaks_english_with_recon_lang_en(capsys: pytest.CaptureFixture[str]) -> None:
    lines = _usage_error(["import"], capsys)
    assert lines[0].startswith("usage: recon import [-h]")
    assert lines[-1] == "recon import: error: the following arguments are required: PATH"
