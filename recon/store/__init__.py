"""The DuckDB store: opening, migrating, and the SQL files the product runs."""

from recon.store.database import Database, default_db_path, open_database
from recon.store.sql import query

__all__ = ["Database", "default_db_path", "open_database", "query"]
