"""The workbook opens and prints in LibreOffice (headless): a real spreadsheet program reads every sheet.

Skipped, with the reason, where LibreOffice is not installed (Debian: apt-get install libreoffice-calc).
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from recon.importing import import_paths
from recon.reports.workbook import write_workbook
from recon.store import Database
from tests.conftest import SAMPLES

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; "
                                             "apt-get install libreoffice-calc to run this test")
def test_workbook_renders_to_pdf_with_libreoffice(db: Database, tmp_path: Path) -> None:
    assert SOFFICE is not None
    assert import_paths(db, [SAMPLES]).exit_code == 0
    xlsx = write_workbook(db, tmp_path / "report.xlsx", as_of=date(2026, 11, 24))
    profile = tmp_path / "lo-profile"  # a private profile: no clash with a running LibreOffice
    done = subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(xlsx)],
        capture_output=True, text=True, timeout=180, check=False,
    )
    pdf = tmp_path / "report.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stderr
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
        assert pages >= 7  # at least one page per sheet
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "OTTO Market – Abgleich der Gebühren und Auszahlungen" in text
        assert "83,49 €" in text or "83.49 €" in text  # Verkaufsprovision of the samples, as a currency
        assert "PK-2026-000007" in text  # the open correction on the Offene Posten sheet
