"""`streamlit run dashboards/app.py`: the same dashboard `recon dashboard` starts (recon/dashboard/app.py)."""

from recon.dashboard.app import main

main()
