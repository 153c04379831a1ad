"""Counting what a user action costs the database: SQL statements and, on PostgreSQL, network round trips.

Over the office network a round trip to the server costs 0.3–1 ms wired and 2–5 ms over Wi-Fi or a VPN
(issue #25): the number of round trips, not local CPU, decides how fast an action feels. Used by
tests/test_round_trips.py (the budgets) and tests/benchmarks/run.py (``--latency``).

- ``Proxy``: a TCP proxy on 127.0.0.1 in front of a PostgreSQL server. It forwards bytes only (TLS passes
  through end to end) and counts round trips: every burst of bytes the client sends after the server
  last spoke (or at the connection's start) is one wait for the server — a simple query, an extended-protocol
  batch up to its Sync, psycopg's own BEGIN, ROLLBACK and COMMIT, each step of the TLS and SCRAM handshake.
  A new connection's TCP handshake counts one more. With ``delay_ms`` each burst is held that long before
  it is forwarded (a new connection's first burst twice: its TCP handshake), so every round trip costs
  ``delay_ms`` more, as on a slow network.
- ``counting(proxy)``: a context manager; the statements every engine executes inside the block (their
  SQL, via SQLAlchemy's ``before_cursor_execute``, with the transaction ends beside them for reading) and
  the proxy's round trips. ``Count.report()`` lists them for an assertion message.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Self

from sqlalchemy import event
from sqlalchemy.engine import URL, Engine
from sqlalchemy.pool import Pool

# the lists measured, by the round-trip budgets (tests/test_round_trips.py) and the benchmark (run.py) alike
LISTS = (  # spec, column to sort by, text typed into the search box
    ("students", "name", "王"),
    ("mentors", "name", "张"),
    ("courses", "name", "智能"),
    ("enrolments", "name", "王"),
    ("sessions", "name", "王"),
    ("projects", "title", "智能"),
)


class _Link:
    """One client connection through the proxy: whose turn it is to speak."""

    def __init__(self) -> None:
        self.server_spoke = True  # the client's first burst is a round trip
        self.first = True


class Proxy:
    """A counting (and optionally delaying) TCP proxy to ``host:port``; ``start()`` before use."""

    def __init__(self, host: str, port: int, delay_ms: float = 0.0) -> None:
        self.upstream = (host, port)
        self.delay = delay_ms / 1000.0
        self.round_trips = 0
        self.connections = 0
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._closed = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port: int = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept_loop, name="roundtrip-proxy", daemon=True)

    @classmethod
    def for_url(cls, url: URL, delay_ms: float = 0.0) -> Proxy:
        return cls(url.host or "127.0.0.1", url.port or 5432, delay_ms).start()

    def start(self) -> Proxy:
        self._thread.start()
        return self

    def url(self, url: URL) -> URL:
        """``url`` through this proxy (its TLS settings kept: the proxy does not look inside)."""
        return url.set(host="127.0.0.1", port=self.port)

    def _count(self) -> None:
        with self._lock:
            self.round_trips += 1

    def _accept_loop(self) -> None:
        while not self._closed.is_set():
            try:
                client, _addr = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream, timeout=10)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            client.settimeout(None)
            for s in (client, server):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self.connections += 1
                self.round_trips += 1  # the TCP handshake the client waited for
                self._sockets += [client, server]
            link = _Link()
            threading.Thread(target=self._up, args=(client, server, link), daemon=True).start()
            threading.Thread(target=self._down, args=(server, client, link), daemon=True).start()

    def _up(self, client: socket.socket, server: socket.socket, link: _Link) -> None:
        try:
            while data := client.recv(65536):
                if link.server_spoke:  # a new burst: the client waited for the server before it
                    link.server_spoke = False
                    self._count()
                    if self.delay:
                        time.sleep(self.delay * (2 if link.first else 1))
                    link.first = False
                server.sendall(data)
        except OSError:
            pass
        finally:
            _shut(server)

    def _down(self, server: socket.socket, client: socket.socket, link: _Link) -> None:
        try:
            while data := server.recv(65536):
                link.server_spoke = True  # before forwarding: the client's answer to it is a new burst
                client.sendall(data)
        except OSError:
            pass
        finally:
            _shut(client)

    def close(self) -> None:
        self._closed.set()
        self._listener.close()
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for s in sockets:
            _shut(s)
            s.close()
        self._thread.join(2)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _shut(s: socket.socket) -> None:
    try:
        s.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


@dataclass
class Count:
    """What a block cost: ``statements`` (SQL text, in order; not transaction control), ``round_trips``
    (PostgreSQL through a proxy; None otherwise) and ``log`` (the statements with the transaction ends and
    new connections beside them)."""

    statements: list[str] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    round_trips: int | None = None
    connections: int = 0

    def report(self) -> str:
        rt = "" if self.round_trips is None else f"{self.round_trips} round trips, "
        lines = [f"{rt}{len(self.statements)} statements:"]
        for line in self.log:
            lines.append("    " + line)
        return "\n".join(lines)


_CONTROL = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)


def _short(sql: str, limit: int = 240) -> str:
    one = " ".join(sql.split())
    return one if len(one) <= limit else one[:limit] + " …"


@contextmanager
def counting(proxy: Proxy | None = None) -> Iterator[Count]:
    """Count the statements of every engine (and, with ``proxy``, its round trips) inside the block."""
    count = Count()

    def on_execute(conn: Any, cursor: Any, statement: str, params: Any, context: Any, executemany: bool) -> None:
        if _CONTROL.match(statement):  # SQLite's own BEGIN (db.engine._sqlite_begin): no data, no network
            count.log.append(f"-- {statement.strip()}")
            return
        count.statements.append(statement)
        count.log.append(_short(statement) + ("   [executemany]" if executemany else ""))

    def on_begin(conn: Any) -> None:
        count.log.append("-- BEGIN")

    def on_commit(conn: Any) -> None:
        count.log.append("-- COMMIT")

    def on_rollback(conn: Any) -> None:
        count.log.append("-- ROLLBACK")

    def on_connect(dbapi_connection: Any, record: Any) -> None:
        count.connections += 1
        count.log.append("-- a new connection")

    listeners: list[tuple[Any, str, Any]] = [
        (Engine, "before_cursor_execute", on_execute),
        (Engine, "begin", on_begin),
        (Engine, "commit", on_commit),
        (Engine, "rollback", on_rollback),
        (Pool, "connect", on_connect),
    ]
    for target, name, fn in listeners:
        event.listen(target, name, fn)
    before = proxy.round_trips if proxy is not None else 0
    try:
        yield count
    finally:
        for target, name, fn in listeners:
            event.remove(target, name, fn)
        if proxy is not None:
            count.round_trips = proxy.round_trips - before
