"""End to end: the real Streamlit server on a free localhost port, driven by headless Chromium (Selenium).

Loads the overview, uploads a file, and leaves screenshots in the test's temp folder (printed at the end;
look at them). Skips with the reason when Chromium, chromedriver or selenium is missing (`make test` prints
it; .ci/run installs Chromium first). Every wait is bounded; the test takes about 15 s.
"""

from __future__ import annotations

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


PASSWORD = "Bilanz2026"


@pytest.fixture
def server(samples_db: Path, tmp_path: Path) -> Iterator[str]:
    """`recon dashboard` as a user starts it (the app inside the package), with an accountant password."""
    from recon.cli import build_parser
    from recon.cli.dashboard_cmd import streamlit_command
    from recon.ui.auth import ENV_VAR, hash_password

    db = tmp_path / "browser.duckdb"
    shutil.copyfile(samples_db, db)
    port = _free_port()
    args = build_parser().parse_args(["dashboard", "--db", str(db), "--port", str(port),
                                      "--as-of", SAMPLES_AS_OF.isoformat()])
    command, env = streamlit_command(args)
    env[ENV_VAR] = hash_password(PASSWORD, n=2**10)
    env.pop("RECON_LANG", None)
    log = (tmp_path / "streamlit.log").open("w")
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
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
    """The page's visible text; a page re-rendering under the reader is read again (bounded)."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By

    for _ in range(20):
        try:
            return str(driver.find_element(By.TAG_NAME, "body").text)
        except StaleElementReferenceException:
            time.sleep(0.1)
    return str(driver.find_element(By.TAG_NAME, "body").text)


def _assert_no_errors(driver: Any) -> None:
    from selenium.webdriver.common.by import By

    assert not driver.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]')
    assert "Traceback" not in _text(driver)


# Words of the English interface (ours and Streamlit's): none may show on a page in German.
ENGLISH = ("Overview", "Discrepancies", "Payouts", "Categories", "Sign in", "Period", "As of", "findings",
           "Sales", "Commission", "tie out", "Browse files", "Drag and drop", "Limit 200MB", "Upload")


def _german_only(driver: Any) -> None:
    text = _text(driver)
    found = [word for word in ENGLISH if word in text]
    assert found == [], (found, text[:2000])


def _nav(driver: Any, title: str) -> None:
    """Click a page in the sidebar (a new URL would start a new session and sign out)."""
    from selenium.webdriver.common.by import By

    links = [a for a in driver.find_elements(By.CSS_SELECTOR, '[data-testid="stSidebarNav"] a')
             if a.text.splitlines()[-1:] == [title]]  # the icon's name comes first
    assert links, [a.text for a in driver.find_elements(By.CSS_SELECTOR, '[data-testid="stSidebarNav"] a')]
    links[0].click()
    _wait_until(lambda: f"\n{title}\n" in _text(driver), PAGE_SECONDS, f"the page {title}")


def _shot(driver: Any, folder: Path, name: str) -> Path:
    time.sleep(1.0)  # grids and charts paint just after their element appears
    _assert_no_errors(driver)
    _german_only(driver)
    path = folder / f"{name}.png"
    driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000
    return path


def test_every_page_in_chromium_in_german(browser: Any, server: str, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    shots: list[Path] = []
    # a bookmarked page opened first after a (re)start: the whole app around it, sidebar and sign-in included
    browser.get(f"{server}/payouts")
    _wait_until(lambda: "Passwort der Buchhaltung" in _text(browser) and "Zeitraum" in _text(browser),
                PAGE_SECONDS, "the sidebar with the sign-in on a bookmarked page")
    _wait_until(lambda: "AZ-2026-000031" in _text(browser) or bool(
        browser.find_elements(By.CSS_SELECTOR, '[data-testid="stDataFrame"]')), PAGE_SECONDS, "the payouts")
    _wait_until(lambda: "Auszahlungen\n" in _text(browser), PAGE_SECONDS, "the payouts title")
    shots.append(_shot(browser, tmp_path, "payouts_bookmarked"))

    browser.get(server)
    _wait_until(lambda: "423,90 €" in _text(browser) and "Nächste Auszahlung 26.11.2026" in _text(browser),
                PAGE_SECONDS, "the overview figures")
    _wait_until(lambda: bool(browser.find_elements(By.CSS_SELECTOR, "canvas, svg.marks")), PAGE_SECONDS,
                "the weekly chart")
    text = _text(browser)
    for figure in ("93,18 €", "15,71 %", "60,48 €", "-37,16 €", "Stichtag 24.11.2026"):
        assert figure in text
    shots.append(_shot(browser, tmp_path, "overview"))

    browser.find_element(By.CSS_SELECTOR, 'input[type="password"]').send_keys(PASSWORD)
    next(b for b in browser.find_elements(By.TAG_NAME, "button") if b.text == "Anmelden").click()
    _wait_until(lambda: "Als Buchhaltung angemeldet" in _text(browser), PAGE_SECONDS, "the sign-in")

    good = tmp_path / "invoice_PR-2026-000100.csv"
    good.write_bytes(invoice_csv([invoice_row(number="PR-2026-000100", n=1)]))
    bad = tmp_path / "invoice_PR-2026-000101.csv"
    bad.write_bytes(invoice_csv([invoice_row(number="PR-2026-000101", n=2, net="17.85.0")]))
    _nav(browser, "Hochladen")
    _wait_until(lambda: bool(browser.find_elements(By.CSS_SELECTOR, 'input[type="file"]')), PAGE_SECONDS,
                "the file uploader")
    shots.append(_shot(browser, tmp_path, "upload_empty"))
    browser.find_element(By.CSS_SELECTOR, 'input[type="file"]').send_keys(f"{good}\n{bad}")

    def import_button() -> Any:
        found = [b for b in browser.find_elements(By.TAG_NAME, "button") if b.text == "2 Datei(en) importieren"]
        return found[0] if found and found[0].is_enabled() else None

    _wait_until(lambda: import_button() is not None, PAGE_SECONDS, "the import button")
    import_button().click()
    _wait_until(lambda: "1 importiert, 0 bereits importiert, 1 abgelehnt" in _text(browser), PAGE_SECONDS,
                "the import result")
    _wait_until(lambda: len(browser.find_elements(By.CSS_SELECTOR, '[data-testid="stDataFrame"] canvas')) >= 2,
                PAGE_SECONDS, "the result tables")
    shots.append(_shot(browser, tmp_path, "upload"))

    for title, name, expect in (("Abweichungen", "discrepancies", "Eine Zeile auswählen"),
                                ("Auszahlungen", "payouts", "2 Auszahlungen, alle stimmen"),
                                ("Kategorien & Gebühren", "categories", "Gültige Gebührentabelle"),
                                ("Download", "download", "Abweichungsliste (CSV)"),
                                ("Übersicht", "overview_after_upload", "114,42 €")):
        _nav(browser, title)
        _wait_until(lambda expect=expect: expect in _text(browser), PAGE_SECONDS, f"{expect!r} on {title}")
        shots.append(_shot(browser, tmp_path, name))
    print("\nscreenshots: " + " ".join(str(p) for p in shots))


def test_column_mapping_dialog_in_chromium(browser: Any, server: str, tmp_path: Path) -> None:
    """A renamed invoice: the dialog proposes the mapping, one field is changed, it is saved and imported;
    afterwards the command line imports a file with the same header without any option."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from tests.dashboard.test_app_pages import renamed_invoice

    data, _ = renamed_invoice("PR-2026-000400", 1)
    upload = tmp_path / "renamed.csv"
    upload.write_bytes(data)
    browser.get(f"{server}/upload")
    _wait_until(lambda: bool(browser.find_elements(By.CSS_SELECTOR, 'input[type="password"]')), PAGE_SECONDS,
                "the sign-in form")
    browser.find_element(By.CSS_SELECTOR, 'input[type="password"]').send_keys(PASSWORD)
    next(b for b in browser.find_elements(By.TAG_NAME, "button") if b.text == "Anmelden").click()
    _wait_until(lambda: "Als Buchhaltung angemeldet" in _text(browser), PAGE_SECONDS, "the sign-in")
    _wait_until(lambda: bool(browser.find_elements(By.CSS_SELECTOR, 'input[type="file"]')), PAGE_SECONDS,
                "the file uploader")
    browser.find_element(By.CSS_SELECTOR, 'input[type="file"]').send_keys(str(upload))

    def button(prefix: str) -> Any:
        found = [b for b in browser.find_elements(By.TAG_NAME, "button") if b.text.startswith(prefix)]
        return found[0] if found and found[0].is_enabled() else None

    _wait_until(lambda: button("1 Datei(en) importieren") is not None, PAGE_SECONDS, "the import button")
    button("1 Datei(en) importieren").click()
    _wait_until(lambda: "Spalten zuordnen: renamed.csv" in _text(browser), PAGE_SECONDS, "the mapping dialog")
    _wait_until(lambda: "Die ersten Zeilen lassen sich mit dieser Zuordnung lesen." in _text(browser),
                PAGE_SECONDS, "the preview of the proposed mapping")
    _assert_no_errors(browser)
    # change one field: no article number (the selectbox is a combo box: type to filter, pick the option)
    def sku_input() -> Any:
        return browser.find_element(By.CSS_SELECTOR, 'input[aria-label="sku (Artikelnummer)"]')

    assert sku_input().get_attribute("value") == "Artikelnummer"  # preselected: the known name
    sku_input().click()
    sku_input().send_keys(Keys.CONTROL, "a")
    sku_input().send_keys("keine")

    def none_option() -> Any:
        found = [o for o in browser.find_elements(By.CSS_SELECTOR, '[role="option"]') if o.text == "– keine –"]
        return found[0] if found else None

    _wait_until(lambda: none_option() is not None, PAGE_SECONDS, "the option '– keine –'")
    none_option().click()
    _wait_until(lambda: sku_input().get_attribute("value") == "– keine –", PAGE_SECONDS, "the changed field")
    _wait_until(lambda: "Die ersten Zeilen lassen sich mit dieser Zuordnung lesen." in _text(browser),
                PAGE_SECONDS, "the preview of the changed mapping")
    browser.save_screenshot(str(tmp_path / "mapping.png"))
    _wait_until(lambda: button("Zuordnung speichern und importieren") is not None, PAGE_SECONDS, "the save button")
    button("Zuordnung speichern und importieren").click()
    _wait_until(lambda: "1 importiert, 0 bereits importiert, 0 abgelehnt" in _text(browser), PAGE_SECONDS,
                "the import with the mapping")
    _assert_no_errors(browser)
    assert "Spalten zuordnen" not in _text(browser)

    later, _ = renamed_invoice("PR-2026-000401", 2)
    (tmp_path / "later.csv").write_bytes(later)
    db = tmp_path / "browser.duckdb"
    proc = subprocess.run([sys.executable, "-m", "recon", "import", "--db", str(db), str(tmp_path / "later.csv")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == (
        f"importiert    {tmp_path / 'later.csv'}: invoice, windows-1252, 1 Rechnungszeile "
        "(Spalten nach gespeicherter Zuordnung Version 1 (renamed.csv))")
    from recon.store import open_database

    con = open_database(db, read_only=True)
    try:
        rows = con.con.execute("SELECT invoice_number, commission_net, sku FROM invoice_lines "
                               "WHERE invoice_number LIKE 'PR-2026-0004%' ORDER BY 1").fetchall()
    finally:
        con.close()
    assert [(n, str(net), sku) for n, net, sku in rows] == [("PR-2026-000400", "17.85", None),
                                                            ("PR-2026-000401", "17.85", None)]
    print(f"\nscreenshot: {tmp_path / 'mapping.png'}")
