from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests import dbkit


@pytest.fixture
def sqlite_store(sqlite_url: str) -> Iterator[Any]:
    """A real, encrypted SQLite store, as the app opens it."""
    store = dbkit.open_store(sqlite_url)
    yield store
    store.close()
