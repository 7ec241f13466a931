"""An app-level deadline on every PostgreSQL round trip (RELIABILITY.md B6).

A server that vanishes behind a route that still acknowledges packets (a "black hole") leaves a call
blocked for ever: TCP keepalives and ``tcp_user_timeout`` did not fire within 20 s in the probe, and the
server's own ``statement_timeout`` cannot answer when nothing reaches it. So every wait of a connection
for the server (a statement, a fetch, COMMIT, ROLLBACK, the pool's pre-ping) arms a watchdog. If the
server has not answered when the deadline passes, the watchdog shuts the connection's socket down: the
blocked call fails at once as a lost connection, SQLAlchemy discards the connection, and the caller gets
``ServerUnreachable`` like any other disconnect.

The waits are caught in ``psycopg.Connection.wait``, the one method through which psycopg 3 waits for
the server on every operation; SQLAlchemy's ``do_connect`` event makes each pooled connection one of
ours. Connecting is bounded by ``connect_timeout`` instead (libpq counts it in whole seconds, at least 2).
"""

from __future__ import annotations

import itertools
import logging
import math
import os
import socket
import threading
import time
import weakref
from typing import Any, TypeVar

import psycopg
from sqlalchemy import Engine, event

DEFAULT_SECONDS = 10.0  # B6 (proposal)
_MINIMUM_CONNECT_TIMEOUT_S = 2  # libpq's floor
# The pool reconnects at once when its pre-ping is cut; on a route that has just swallowed a call that
# reconnect would only sit out its own connect timeout. Within this window it fails at once instead, so a
# save against a black hole fails at the deadline, not at the deadline plus the connect timeout. A person
# trying again comes later and connects as usual.
_FAIL_FAST_AFTER_CUT_S = 0.5
_IDLE_EXIT_S = 2.0  # the watchdog thread ends when nothing has been armed for this long

_log = logging.getLogger(__name__)
_deadlines: weakref.WeakKeyDictionary[Engine, Deadline] = weakref.WeakKeyDictionary()
_Result = TypeVar("_Result")


class Deadline:
    """How long one round trip to the server may take, and the watchdog that enforces it."""

    def __init__(self, seconds: float = DEFAULT_SECONDS, connect_timeout_s: int = 5) -> None:
        self.seconds = seconds
        self.connect_timeout_s = connect_timeout_s
        self.cuts = 0  # connections shut down because the server did not answer in time
        self._last_cut = -math.inf
        self._condition = threading.Condition()
        self._armed: dict[int, tuple[float, int]] = {}  # token: (monotonic due time, socket fd)
        self._tokens = itertools.count()
        self._thread: threading.Thread | None = None

    def connect_timeout(self) -> int:
        """Whole seconds for libpq's connect_timeout: never longer than the deadline allows."""
        return max(_MINIMUM_CONNECT_TIMEOUT_S, min(self.connect_timeout_s, math.ceil(self.seconds)))

    def recently_cut(self) -> bool:
        with self._condition:
            return time.monotonic() - self._last_cut < _FAIL_FAST_AFTER_CUT_S

    def arm(self, fd: int) -> int:
        """Start the clock for one wait on socket ``fd``; returns the token for ``disarm``."""
        due = time.monotonic() + self.seconds
        with self._condition:
            token = next(self._tokens)
            earliest = min((when for when, _fd in self._armed.values()), default=math.inf)
            self._armed[token] = (due, fd)
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, name="calfdesk-pg-deadline", daemon=True)
                self._thread.start()
            elif due < earliest:
                self._condition.notify()
        return token

    def disarm(self, token: int) -> None:
        with self._condition:
            self._armed.pop(token, None)

    def _watch(self) -> None:
        with self._condition:
            while True:
                now = time.monotonic()
                for token, (due, fd) in list(self._armed.items()):
                    if due <= now:
                        del self._armed[token]
                        self._cut(fd)
                if self._armed:
                    self._condition.wait(min(due for due, _fd in self._armed.values()) - now)
                elif not self._condition.wait_for(lambda: bool(self._armed), _IDLE_EXIT_S):
                    self._thread = None
                    return

    def _cut(self, fd: int) -> None:
        """Runs with the lock held, so the wait cannot end (and its fd be closed) meanwhile."""
        self.cuts += 1
        self._last_cut = time.monotonic()
        _log.warning("the database server did not answer within %.1f s: connection closed", self.seconds)
        try:
            # A duplicate descriptor, so closing our socket object leaves psycopg's own fd to psycopg.
            with socket.socket(fileno=os.dup(fd)) as connection:
                connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already gone: the wait ends by itself


class GuardedConnection(psycopg.Connection[Any]):
    """A psycopg connection whose every wait for the server runs under its engine's deadline."""

    calfdesk_deadline: Deadline | None = None  # a name psycopg will not take for itself

    def wait(self, gen: psycopg.abc.PQGen[_Result], *args: Any, **kwargs: Any) -> _Result:
        deadline = self.calfdesk_deadline
        if deadline is None:
            return super().wait(gen, *args, **kwargs)
        token = deadline.arm(self.pgconn.socket)
        try:
            return super().wait(gen, *args, **kwargs)
        finally:
            deadline.disarm(token)


def install(engine: Engine, seconds: float = DEFAULT_SECONDS, *, connect_timeout_s: int = 5) -> Deadline:
    """Put every connection ``engine`` makes from now on under a deadline of ``seconds``."""
    deadline = Deadline(seconds, connect_timeout_s)
    _deadlines[engine] = deadline

    @event.listens_for(engine, "do_connect")
    def connect(_dialect: object, _record: object, cargs: list[Any], cparams: dict[str, Any]) -> GuardedConnection:
        if deadline.recently_cut():
            raise psycopg.OperationalError("the database server did not answer within the deadline")
        cparams["connect_timeout"] = deadline.connect_timeout()
        connection = GuardedConnection.connect(*cargs, **cparams)
        connection.calfdesk_deadline = deadline
        return connection

    return deadline


def of(engine: Engine) -> Deadline:
    """The deadline of an engine made by ``db.engine.create_postgresql_engine`` (tests shorten it)."""
    return _deadlines[engine]
