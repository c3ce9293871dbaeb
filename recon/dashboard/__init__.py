"""The Streamlit dashboard (needs streamlit; the logic it shows lives in recon.ui and is tested without it)."""

from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"
