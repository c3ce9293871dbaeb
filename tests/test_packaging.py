"""A plain `pip install .` must carry everything the code loads at run time: SQL, TOML, templates."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_ships_every_sql_and_data_file(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True, timeout=300)
    wheel = next(tmp_path.glob("recon-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = {f"recon/queries/{p.relative_to(ROOT / 'queries')}" for p in (ROOT / "queries").rglob("*.sql")}
    wanted |= {str(p.relative_to(ROOT)) for p in (ROOT / "recon").rglob("*")
               if p.suffix in {".toml", ".j2"} and "__pycache__" not in p.parts}
    assert wanted - names == set()
    assert len(wanted) > 40
