"""`make test` installs nothing system-wide: without Chromium the browser test is skipped with a printed
reason; CI (.ci/run) installs Chromium from Debian's packages before it runs `make test`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.dashboard.test_browser import SKIP_REASON

ROOT = Path(__file__).resolve().parents[1]



def test_make_test_installs_nothing_and_prints_skip_reasons() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "apt-get install" not in makefile.replace("# ", "").split("test: $(STAMP)")[1]
    test_line = next(line for line in makefile.splitlines() if line.startswith("test:"))
    assert test_line.split() == ["test:", "$(STAMP)", "lint"]
    assert "$(BIN)/python -m pytest -n 2 -rs -p no:cacheprovider" in makefile


def test_ci_installs_chromium_before_make_test() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    install = script.index("apt-get install -y -qq chromium chromium-driver")
    assert script.index("apt-get update") < install < script.rindex("\nmake test")


def test_without_chromium_the_browser_test_skips_and_says_why(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(tmp_path)}  # no chromium, no chromedriver on this PATH
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-rs", "-n", "0", "-p", "no:cacheprovider", "-q",
         "tests/dashboard/test_browser.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    skipped = [line for line in done.stdout.splitlines() if line.startswith("SKIPPED [1] tests/dashboard/")]
    assert len(skipped) == 2 and all(line.endswith(SKIP_REASON) for line in skipped)  # both browser tests


def test_user_documents_point_only_to_files_a_user_has() -> None:
    """README, docs/ and the shipped tables link the project's own docs, never the developers' ../shared."""
    import re

    texts = {path: path.read_text(encoding="utf-8") for path in [
        ROOT / "README.md", ROOT / "dashboards" / "README.md", *sorted((ROOT / "docs").glob("*.md")),
        ROOT / "recon" / "importing" / "layouts.toml", ROOT / "recon" / "fees" / "reference.toml"]}
    for path, text in texts.items():
        assert "shared/" not in text and "/work/" not in text and "fee-model.md" not in text, path
    for name in sorted(set(re.findall(r"docs/[a-z_-]+\.md", "\n".join(texts.values())))):
        assert (ROOT / name).is_file(), name
    assert {"cli.md", "formats.md", "fees.md", "datev.md"} <= {p.name for p in (ROOT / "docs").iterdir()}
