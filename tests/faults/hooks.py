"""Small tools of the PostgreSQL fault tests: break the connection at an exact step of a save, and count
what the server holds, looked at past the app."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import event

Server = Callable[[str], list[tuple[Any, ...]]]


def once(engine: Any, event_name: str, action: Callable[[], None], statement: str = "") -> None:
    """Run ``action`` the first time ``event_name`` fires on ``engine`` (for "after_cursor_execute": the
    first statement starting with ``statement``)."""
    fired = threading.Event()

    def listener(*args: Any) -> None:
        text = args[2] if event_name == "after_cursor_execute" else ""
        if not fired.is_set() and text.startswith(statement):
            fired.set()
            action()

    event.listen(engine, event_name, listener)


def rows_with_uid(server: Server, uid: str) -> int:
    return int(server(f"SELECT count(*) FROM patient WHERE uid = '{uid}'")[0][0])
