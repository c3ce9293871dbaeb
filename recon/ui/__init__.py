"""What the dashboard shows, without Streamlit: data access, German formatting, tables, auth, uploads.

Everything here is plain functions on a database path, tested directly; `recon.dashboard` only lays it out.
"""
