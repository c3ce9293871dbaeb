from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from recon.store import Database, open_database

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"

# Property tests: profile "ci" (used by `make test`) is deterministic and bounded; each test asks for
# `fuzz_examples(n)` examples, and the sum of those n is what CI runs. For a longer, random hunt:
# `HYPOTHESIS_PROFILE=explore RECON_FUZZ_SCALE=20 .venv/bin/python -m pytest tests/test_fuzz.py`.
_QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
settings.register_profile("ci", deadline=None, derandomize=True, database=None, suppress_health_check=_QUIET)
settings.register_profile("explore", deadline=None, suppress_health_check=_QUIET)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def fuzz_examples(n: int) -> int:
    """Examples for one property test: n in CI, times $RECON_FUZZ_SCALE when exploring."""
    return n * int(os.environ.get("RECON_FUZZ_SCALE", "1"))


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "test.duckdb")
    yield database
    database.close()


@pytest.fixture(scope="session")
def books_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file holding the six sample files, made once per test process (copied by `books`)."""
    from recon.importing import import_paths

    path = tmp_path_factory.mktemp("template") / "books.duckdb"
    database = open_database(path)
    assert import_paths(database, [SAMPLES]).exit_code == 0
    database.close()  # checkpointed: one self-contained file
    return path


@pytest.fixture
def books_path(books_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the sample-files database, as a path (for commands that open it themselves)."""
    path = tmp_path / "books.duckdb"
    shutil.copyfile(books_template, path)
    return path


@pytest.fixture
def books(books_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A fresh copy of a database that already holds the six sample files."""
    path = tmp_path / "books.duckdb"
    shutil.copyfile(books_template, path)
    database = open_database(path)
    yield database
    database.close()


def table_counts(db: Database) -> dict[str, int]:
    """Rows per table: what 'nothing changed' is checked against."""
    names = ["source_files", "invoice_lines", "correction_lines", "payout_lines", "receipts", "receipt_lines"]
    return {n: db.con.execute(f"SELECT count(*) FROM {n}").fetchone()[0] for n in names}  # noqa: S608


INVOICE_HEADER = (
    "Rechnungsnummer;Rechnungsdatum;Fälligkeitsdatum;Leistungszeitraum von;Leistungszeitraum bis;Leistungsart;"
    "Auftragsnummer;Positions-ID;Versanddatum;Artikelnummer;Produktkategorie;Bemessungsgrundlage brutto;"
    "Provisionssatz;Provision netto;USt-Satz;USt;Provision brutto;Währung"
)


def invoice_row(number: str = "PR-2026-000100", n: int = 1, gross: str = "119,00", net: str = "17,85",
                vat: str = "3,39", total: str = "21,24") -> str:
    return (f"{number};04.11.2026;18.11.2026;28.10.2026;03.11.2026;Verkaufsprovision;ORD-{n:04d};POS-{n:04d};"
            f"29.10.2026 10:15:00;SKU-{n};Möbel;{gross};15,00;{net};19,00;{vat};{total};EUR")


def invoice_csv(rows: list[str], header: str = INVOICE_HEADER, encoding: str = "cp1252") -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode(encoding)


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Texts in English (RECON_LANG=en): for tests that assert the contract's English finding messages."""
    monkeypatch.setenv("RECON_LANG", "en")
