"""End to end: the real Streamlit server on a free localhost port, driven by headless Chromium (Selenium).

Loads the overview, uploads a file, and leaves screenshots in the test's temp folder (printed at the end;
look at them). Skips with the reason when Chromium, chromedriver or selenium is missing (`make test` prints
it; .ci/run installs Chromium first). Every wait is bounded; the test takes about 15 s.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import invoice_csv, invoice_row
from tests.dashboard.conftest import ROOT, SAMPLES_AS_OF

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
SKIP_REASON = ("Chromium or chromedriver is not installed, so the browser test is skipped "
               "(Debian: apt-get install chromium chromium-driver; CI installs them in .ci/run)")
SERVER_START_SECONDS = 25
PAGE_SECONDS = 15


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {seconds:.0f} s waiting for {what}")


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:  # noqa: S310 (localhost)
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.fixture
def server(samples_db: Path, tmp_path: Path) -> Iterator[str]:
    db = tmp_path / "browser.duckdb"
    shutil.copyfile(samples_db, db)
    port = _free_port()
    env = {**os.environ, "RECON_DB": str(db), "RECON_AS_OF": SAMPLES_AS_OF.isoformat()}
    env.pop("RECON_DASHBOARD_PASSWORD_HASH", None)
    log = (tmp_path / "streamlit.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboards" / "app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until(lambda: _healthy(url) or process.poll() is not None, SERVER_START_SECONDS, "streamlit to start")
        if process.poll() is not None:
            pytest.fail(f"streamlit exited: {(tmp_path / 'streamlit.log').read_text()[-2000:]}")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip(SKIP_REASON)
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[dev]')")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'chromium-profile'}",
                 "--window-size=1400,1000", "--lang=de-DE"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(PAGE_SECONDS)
    try:
        yield driver
    finally:
        driver.quit()


def _text(driver: Any) -> str:
    from selenium.webdriver.common.by import By

    return str(driver.find_element(By.TAG_NAME, "body").text)


def _assert_no_errors(driver: Any) -> None:
    from selenium.webdriver.common.by import By

    assert not driver.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]')
    assert "Traceback" not in _text(driver)


def test_overview_and_upload_in_chromium(browser: Any, server: str, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server)
    _wait_until(lambda: "423,90 €" in _text(browser) and "Next payout 26.11.2026" in _text(browser),
                PAGE_SECONDS, "the overview figures")
    _wait_until(lambda: bool(browser.find_elements(By.CSS_SELECTOR, "canvas, svg.marks")), PAGE_SECONDS,
                "the weekly chart")
    text = _text(browser)
    for figure in ("84,62 €", "15,03 %", "53,34 €", "42,80 €"):
        assert figure in text
    _assert_no_errors(browser)
    browser.save_screenshot(str(tmp_path / "overview.png"))

    good = tmp_path / "invoice_PR-2026-000100.csv"
    good.write_bytes(invoice_csv([invoice_row(number="PR-2026-000100", n=1)]))
    bad = tmp_path / "invoice_PR-2026-000101.csv"
    bad.write_bytes(invoice_csv([invoice_row(number="PR-2026-000101", n=2, net="17.85.0")]))
    browser.get(f"{server}/upload")
    _wait_until(lambda: bool(browser.find_elements(By.CSS_SELECTOR, 'input[type="file"]')), PAGE_SECONDS,
                "the file uploader")
    browser.find_element(By.CSS_SELECTOR, 'input[type="file"]').send_keys(f"{good}\n{bad}")

    def import_button() -> Any:
        found = [b for b in browser.find_elements(By.TAG_NAME, "button") if b.text.startswith("Import 2 file")]
        return found[0] if found and found[0].is_enabled() else None

    _wait_until(lambda: import_button() is not None, PAGE_SECONDS, "the import button")
    import_button().click()
    _wait_until(lambda: "1 imported, 0 already imported, 1 rejected" in _text(browser), PAGE_SECONDS,
                "the import result")
    _wait_until(lambda: len(browser.find_elements(By.CSS_SELECTOR, '[data-testid="stDataFrame"] canvas')) >= 2,
                PAGE_SECONDS, "the result tables")
    time.sleep(1.0)  # the grids paint their cells just after the canvas appears
    _assert_no_errors(browser)
    browser.save_screenshot(str(tmp_path / "upload.png"))

    browser.get(server)
    _wait_until(lambda: "105,86 €" in _text(browser), PAGE_SECONDS, "the overview with the new invoice")
    assert (tmp_path / "overview.png").stat().st_size > 10_000
    assert (tmp_path / "upload.png").stat().st_size > 10_000
    print(f"\nscreenshots: {tmp_path / 'overview.png'} {tmp_path / 'upload.png'}")
