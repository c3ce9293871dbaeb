"""Time the dashboard's overview page on a database: the first render in a new process, the next one (cache
warm), and the first render in that running dashboard right after `recon import` changed the data.

    .venv/bin/python bench/dashboard_timing.py DB.duckdb AS_OF

Runs the real app through Streamlit's AppTest (no browser), the same way tests/dashboard do. The after-import
step works on a copy of the database (the given one is never changed): with the app warm, it imports one
small invoice (a base fee of the month after the data, so the content changes and the stored run no longer
matches) with the recon CLI, as a user or cron would while the dashboard runs, then renders again. That
render is what a viewer waits for after an import: it must read the run the import stored, not recompute.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"
HEADER = ("Rechnungsnummer;Rechnungsdatum;Fälligkeitsdatum;Leistungszeitraum von;Leistungszeitraum bis;"
          "Leistungsart;Auftragsnummer;Positions-ID;Versanddatum;Artikelnummer;Produktkategorie;"
          "Bemessungsgrundlage brutto;Provisionssatz;Provision netto;USt-Satz;USt;Provision brutto;Währung")


def base_fee_invoice(folder: Path, as_of: date) -> Path:
    """One base-fee invoice for the as-of month under a number the data set does not use."""
    first = as_of.replace(day=1)
    following = first.replace(month=first.month % 12 + 1, year=first.year + first.month // 12)
    last = date.fromordinal(following.toordinal() - 1)
    day = f"{first:%d.%m.%Y}"
    row = (f"GG-BENCH-{first:%Y-%m};{day};{date.fromordinal(first.toordinal() + 14):%d.%m.%Y};{day};"
           f"{last:%d.%m.%Y};Grundgebühr;;;;;;99,90;;99,90;19,00;18,98;118,88;EUR")
    path = folder / f"GG-BENCH-{first:%Y-%m}.csv"
    path.write_bytes((HEADER + "\r\n" + row + "\r\n").encode("cp1252"))
    return path


def timed_run(app: AppTest) -> float:
    started = time.perf_counter()
    app.run()
    if app.exception:
        raise SystemExit(f"the overview failed: {[e.value for e in app.exception]}")
    return time.perf_counter() - started


def main() -> None:
    db, as_of = sys.argv[1], sys.argv[2]
    os.environ["RECON_AS_OF"] = as_of
    with tempfile.TemporaryDirectory(prefix="recon-dash-") as tmp:
        copy = Path(tmp) / "copy.duckdb"
        shutil.copyfile(db, copy)
        os.environ["RECON_DB"] = str(copy)
        app = AppTest.from_file(str(APP), default_timeout=600)
        first = timed_run(app)
        second = timed_run(app)
        tiles = {m.label: m.value for m in app.metric}
        invoice = base_fee_invoice(Path(tmp), date.fromisoformat(as_of))
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "recon", "import", "--db", str(copy), str(invoice)],
                              capture_output=True, text=True, check=False)
        import_s = time.perf_counter() - started
        if proc.returncode != 0:
            raise SystemExit(f"the extra import failed: {proc.stdout[-500:]} {proc.stderr[-500:]}")
        after = timed_run(app)
    print(json.dumps({"database": db, "first_render_s": round(first, 2), "next_render_s": round(second, 2),
                      "extra_import_s": round(import_s, 2), "after_import_render_s": round(after, 2),
                      "tiles": tiles}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
