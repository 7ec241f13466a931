"""A loopback TCP proxy in front of the test PostgreSQL server that breaks connections on purpose.

The app connects to the proxy instead of the server (``url``). On request the proxy resets every
connection (TCP RST, RELIABILITY.md B5), turns into a black hole that accepts and acknowledges but never
forwards or answers (B6: the kernel ACKs what the proxy reads and throws away), or cuts a connection after
exactly N more bytes in one direction (B7: a drop during a save, before or after the server got COMMIT).

One selector thread owns every socket. A test's request is queued to that thread and returns once it has
been carried out, so "reset" means the RSTs have been sent when ``reset_all()`` returns.
"""

from __future__ import annotations

import selectors
import socket
import struct
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy.engine import make_url

Direction = Literal["to_server", "to_client"]
TO_SERVER: Direction = "to_server"
TO_CLIENT: Direction = "to_client"
_CHUNK = 65_536
_RST = struct.pack("ii", 1, 0)  # SO_LINGER on, 0 s: close() sends RST instead of FIN


@dataclass(eq=False)
class _Link:
    """One client connection and its connection to the server (None: accepted into the black hole)."""

    client: socket.socket
    server: socket.socket | None
    black_holed: bool = False
    close_when_flushed: bool = False
    pending: dict[socket.socket, bytearray] = field(default_factory=dict)


@dataclass
class _Cut:
    direction: Direction
    remaining: int


class FaultProxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self._upstream = (upstream_host, upstream_port)
        self._selector = selectors.DefaultSelector()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.setblocking(False)
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._wake_reader.setblocking(False)
        self._requests: deque[tuple[Callable[[], None], threading.Event]] = deque()
        self._links: list[_Link] = []
        self._black_hole = False
        self._cut: _Cut | None = None
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="fault-proxy", daemon=True)
        self.forwarded: dict[Direction, int] = {TO_SERVER: 0, TO_CLIENT: 0}
        self.cuts = 0

    @classmethod
    def in_front_of(cls, database_url: str) -> FaultProxy:
        url = make_url(database_url)
        return cls(url.host or "127.0.0.1", url.port or 5432)

    @property
    def port(self) -> int:
        return int(self._listener.getsockname()[1])

    def url(self, database_url: str) -> str:
        """``database_url`` with the proxy's address in place of the server's."""
        return make_url(database_url).set(host="127.0.0.1", port=self.port).render_as_string(hide_password=False)

    def start(self) -> FaultProxy:
        self._selector.register(self._listener, selectors.EVENT_READ, self._on_accept)
        self._selector.register(self._wake_reader, selectors.EVENT_READ, self._on_wake)
        self._thread.start()
        return self

    def close(self) -> None:
        self._do(self._stop)
        self._thread.join(timeout=5)
        for sock in (self._listener, self._wake_reader, self._wake_writer):
            sock.close()
        self._selector.close()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # What a test asks for ---------------------------------------------------------------------------

    @property
    def connections(self) -> int:
        return len(self._links)

    def reset_all(self) -> None:
        """Send RST to both ends of every connection now."""
        self._do(lambda: [self._drop(link, reset=True) for link in list(self._links)])

    def black_hole(self, on: bool = True) -> None:
        """On: every connection, open or new, is read and never answered. Off: those connections are
        reset (what they sent is gone) and new ones are forwarded again."""

        def switch() -> None:
            self._black_hole = on
            for link in list(self._links):
                if on:
                    link.black_holed = True
                    link.pending.clear()
                elif link.black_holed:
                    self._drop(link, reset=True)

        self._do(switch)

    def cut_after(self, nbytes: int, direction: Direction) -> None:
        """Forward ``nbytes`` more bytes in ``direction`` (on whichever connection carries them), then close
        that connection at both ends. A cut not reached stays armed until ``disarm()``."""
        self._do(lambda: setattr(self, "_cut", _Cut(direction, nbytes)))

    def disarm(self) -> None:
        self._do(lambda: setattr(self, "_cut", None))

    def _do(self, request: Callable[[], None]) -> None:
        done = threading.Event()
        self._requests.append((request, done))
        self._wake_writer.send(b"!")
        if not done.wait(timeout=5):
            raise RuntimeError("the fault proxy did not answer")

    # The selector thread ----------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stopping:
            for key, events in self._selector.select():
                if self._registered(key.fileobj):  # not closed by an earlier event of this round
                    key.data(key.fileobj, events)

    def _registered(self, sock: object) -> bool:
        try:
            self._selector.get_key(sock)  # type: ignore[arg-type]
        except (KeyError, ValueError):
            return False
        return True

    def _on_wake(self, _sock: object, _events: int) -> None:
        self._wake_reader.recv(_CHUNK)
        while self._requests:
            request, done = self._requests.popleft()
            request()
            done.set()

    def _stop(self) -> None:
        self._stopping = True
        for link in list(self._links):
            self._drop(link, reset=True)

    def _on_accept(self, _sock: object, _events: int) -> None:
        try:
            client, _address = self._listener.accept()
        except BlockingIOError:
            return
        server = None
        if not self._black_hole:
            server = socket.create_connection(self._upstream, timeout=2)
            server.setblocking(False)
        client.setblocking(False)
        link = _Link(client, server, black_holed=self._black_hole)
        self._links.append(link)
        for sock in (client, server):
            if sock is not None:
                self._selector.register(sock, selectors.EVENT_READ, self._pump(link))

    def _pump(self, link: _Link) -> Callable[[socket.socket, int], None]:
        def on_event(sock: socket.socket, events: int) -> None:
            if events & selectors.EVENT_WRITE:
                self._flush(link, sock)
            if events & selectors.EVENT_READ and link in self._links:
                self._on_readable(link, sock)

        return on_event

    def _on_readable(self, link: _Link, sock: socket.socket) -> None:
        try:
            data = sock.recv(_CHUNK)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._drop(link, reset=False)
            return
        if link.black_holed or link.server is None:
            return  # read, so acknowledged; never forwarded, never answered
        direction: Direction = TO_SERVER if sock is link.client else TO_CLIENT
        target = link.server if direction == TO_SERVER else link.client
        cut = self._cut
        if cut is not None and cut.direction == direction:
            if len(data) >= cut.remaining:
                data = data[: cut.remaining]
                self._cut = None
                self.cuts += 1
                link.close_when_flushed = True
            else:
                cut.remaining -= len(data)
        self.forwarded[direction] += len(data)
        self._send(link, target, data)

    def _send(self, link: _Link, target: socket.socket, data: bytes) -> None:
        link.pending.setdefault(target, bytearray()).extend(data)
        self._flush(link, target)

    def _flush(self, link: _Link, target: socket.socket) -> None:
        buffer = link.pending.get(target, bytearray())
        try:
            while buffer:
                sent = target.send(buffer)
                del buffer[:sent]
        except BlockingIOError:
            self._selector.modify(target, selectors.EVENT_READ | selectors.EVENT_WRITE, self._pump(link))
            return
        except OSError:
            self._drop(link, reset=False)
            return
        if self._registered(target):
            self._selector.modify(target, selectors.EVENT_READ, self._pump(link))
        if link.close_when_flushed and not any(link.pending.values()):
            self._drop(link, reset=False)

    def _drop(self, link: _Link, *, reset: bool) -> None:
        if link not in self._links:
            return
        self._links.remove(link)
        for sock in (link.client, link.server):
            if sock is None:
                continue
            if self._registered(sock):
                self._selector.unregister(sock)
            if reset:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _RST)
            sock.close()
