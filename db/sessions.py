"""One short transaction per use case: nothing is held open while a person thinks (RELIABILITY.md B8)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from db.engine import WRITE
from db.errors import translated
from workstation.errors import ReadOnlyDatabase


class Sessions:
    def __init__(self, engine: Engine, *, read_only: bool) -> None:
        self.engine = engine
        self.read_only = read_only
        self._reader = sessionmaker(engine, expire_on_commit=False)
        self._writer = sessionmaker(engine.execution_options(**WRITE), expire_on_commit=False)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with translated(), self._reader() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits when the block ends; "saved" may be shown only after it returns."""
        if self.read_only:
            raise ReadOnlyDatabase(
                "This database is open read-only, so nothing can be changed.",
                hint="Your typing is kept. Ask whoever manages this computer about the database file.",
            )
        with translated(), self._writer.begin() as session:
            yield session
