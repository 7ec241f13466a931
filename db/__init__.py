"""Persistence: SQLite by default, PostgreSQL for clinics with several workstations."""

from db.store import Store, open_database
from db.urls import default_database_url, resolve

__all__ = ["Store", "default_database_url", "open_database", "resolve"]
