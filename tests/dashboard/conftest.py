"""Fixture databases for the dashboard tests: the hand-made samples and a simulated quarter with faults.

Each is built once per test session (per xdist worker) and opened read-only by the tests; a test that
writes (upload, fee save) gets its own copy.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from recon.importing import import_paths
from recon.simulate.quarter import Quarter, simulate
from recon.simulate.write import write_quarter
from recon.store import open_database

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "fixtures" / "samples"
SAMPLES_AS_OF = date(2026, 11, 24)


@dataclass(frozen=True)
class SimDb:
    path: Path
    quarter: Quarter
    files: Path


def _build(path: Path, folder: Path) -> None:
    db = open_database(path)
    try:
        report = import_paths(db, [folder])
    finally:
        db.close()
    assert report.exit_code == 0, [p for f in report.files for p in f.problems][:5]


@pytest.fixture(scope="session")
def samples_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("samples") / "samples.duckdb"
    _build(path, SAMPLES)
    return path


@pytest.fixture(scope="session")
def sim_db(tmp_path_factory: pytest.TempPathFactory) -> SimDb:
    folder = tmp_path_factory.mktemp("sim")
    quarter = simulate(orders=120, seed=11)
    write_quarter(quarter, folder / "data")
    _build(folder / "sim.duckdb", folder / "data")
    return SimDb(folder / "sim.duckdb", quarter, folder / "data")


@pytest.fixture
def writable_samples_db(samples_db: Path, tmp_path: Path) -> Iterator[Path]:
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(samples_db, copy)
    yield copy


def copy_db(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target
