"""Which database to open: a SQLite file (the default) or a PostgreSQL server."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from workstation.errors import CalfDeskError

DEFAULT_FILE_NAME = "calfdesk.sqlite3"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir("CalfDesk", "CalfDesk"))


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / DEFAULT_FILE_NAME}"


@dataclass(frozen=True, slots=True)
class DatabaseTarget:
    url: URL
    sqlite_path: Path | None  # None for a server

    @property
    def is_sqlite(self) -> bool:
        return self.sqlite_path is not None

    @property
    def description(self) -> str:
        """Safe to show and to log: never the password."""
        if self.sqlite_path is not None:
            return str(self.sqlite_path)
        url = self.url
        return f"PostgreSQL {url.username or ''}@{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"


def resolve(text: str | None) -> DatabaseTarget:
    """Accept a SQLite URL, a plain file path, or a PostgreSQL URL (psycopg 3 is the driver)."""
    text = (text or default_database_url()).strip()
    if "://" not in text:
        return _sqlite(Path(text).expanduser())
    try:
        url = make_url(text)
    except ArgumentError:
        raise CalfDeskError(f"This is not a database address CalfDesk understands: {_redact(text)}") from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise CalfDeskError("A SQLite database needs a file path (sqlite:///path/to/calfdesk.sqlite3).")
        return _sqlite(Path(url.database).expanduser())
    if backend == "postgresql":
        return DatabaseTarget(url.set(drivername="postgresql+psycopg"), None)
    raise CalfDeskError(
        f"CalfDesk works with SQLite files and PostgreSQL servers, not {backend}.",
        hint="Use sqlite:///path/to/file or postgresql+psycopg://user@host/database.",
    )


def _sqlite(path: Path) -> DatabaseTarget:
    path = path.absolute()
    if path.is_dir():
        raise CalfDeskError(f"{path} is a folder, not a database file.")
    return DatabaseTarget(URL.create("sqlite", database=str(path)), path)


def _redact(text: str) -> str:
    """Drop a password from a URL-like string before it is shown."""
    scheme, sep, rest = text.partition("://")
    if sep and "@" in rest:
        credentials, _, host = rest.rpartition("@")
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return text
