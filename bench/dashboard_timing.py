"""Time the dashboard's overview page on a database: the first render and the next one (cache warm).

    .venv/bin/python bench/dashboard_timing.py DB.duckdb AS_OF

Runs the real app through Streamlit's AppTest (no browser), the same way tests/dashboard do.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"


def main() -> None:
    db, as_of = sys.argv[1], sys.argv[2]
    os.environ["RECON_DB"] = db
    os.environ["RECON_AS_OF"] = as_of
    started = time.perf_counter()
    app = AppTest.from_file(str(APP), default_timeout=600).run()
    first = time.perf_counter() - started
    if app.exception:
        raise SystemExit(f"the overview failed: {[e.value for e in app.exception]}")
    started = time.perf_counter()
    app.run()
    second = time.perf_counter() - started
    tiles = {m.label: m.value for m in app.metric}
    print(json.dumps({"database": db, "first_render_s": round(first, 2), "next_render_s": round(second, 2),
                      "tiles": tiles}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
