"""Where the database is and how to connect to it.

One PC: a SQLite file in the user's local data folder (WAL, foreign keys on, synchronous FULL).
Several PCs: one PostgreSQL server through psycopg 3. ``--db`` / ``TALENTDESK_DB`` take a path or
a SQLAlchemy URL. A SQLite file on a network share is refused: SMB file locking corrupts it.
"""

from __future__ import annotations

import json
import os
import sys
import weakref
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.dialects import registry
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from . import failures
from .errors import DatabaseLocationError
from .i18n import t

APP_DIR_NAME = "TalentDesk"
ENV_VAR = "TALENTDESK_DB"


def data_dir() -> Path:
    """The user's local (never roaming) data folder."""
    return Path(user_data_dir(APP_DIR_NAME, appauthor=False, roaming=False))


def default_db_path() -> Path:
    return data_dir() / "talentdesk.db"


@dataclass(frozen=True)
class DatabaseTarget:
    """A resolved database location."""

    url: URL

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite or not self.url.database or self.url.database == ":memory:":
            return None
        return Path(self.url.database)

    def display(self) -> str:
        """For the status bar and messages: a path, or the URL without its password."""
        path = self.sqlite_path
        if path is not None:
            return str(path)
        return self.url.render_as_string(hide_password=True)


def resolve(db: str | None = None) -> DatabaseTarget:
    """Turn ``--db`` / ``TALENTDESK_DB`` / the default into a database target."""
    raw = (db or os.environ.get(ENV_VAR) or "").strip()
    if not raw:
        return DatabaseTarget(make_url(f"sqlite:///{default_db_path()}"))
    if "://" in raw:
        url = make_url(raw)
        # Read the scheme from the URL text: asking SQLAlchemy for the driver would load a dialect,
        # and "postgres" (as Heroku-style URLs write it) has none. TalentDesk ships psycopg 3.
        backend, _, driver = url.drivername.partition("+")
        if backend in ("postgresql", "postgres") and driver in ("", "psycopg2"):
            url = url.set(drivername="postgresql+psycopg")
        if url.get_backend_name() == "postgresql" and "sslmode" not in url.query and not is_local_host(url.host):
            # student records never cross the network in plain text: TLS, or no connection at all (with the
            # academy's CA, IT writes sslmode=verify-full&sslrootcert=… into the URL instead)
            url = url.update_query_dict({"sslmode": "require"})
        if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
            check_local_path(url.database)
            url = url.set(database=str(Path(url.database).expanduser().resolve()))
        return DatabaseTarget(url)
    check_local_path(raw)
    path = Path(raw).expanduser().resolve()
    return DatabaseTarget(make_url(f"sqlite:///{path}"))


def is_local_host(host: str | None) -> bool:
    """This machine: a Unix socket (no host, or a folder), localhost or a loopback address."""
    if not host or host.startswith("/"):
        return True
    return host.lower() in ("localhost", "127.0.0.1", "::1", "[::1]") or host.startswith("127.")


def is_network_path(path: str) -> bool:
    """True for UNC paths, mapped network drives on Windows, and network mounts on Linux."""
    if path.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import ctypes

        drive = os.path.splitdrive(os.path.abspath(path))[0]
        if drive:
            DRIVE_REMOTE = 4
            return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == DRIVE_REMOTE
        return False
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return False
    target = os.path.abspath(os.path.expanduser(path))
    best, best_fs = "", ""
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point, fs = parts[1].replace("\\040", " "), parts[2]
        if (target == mount_point or target.startswith(mount_point.rstrip("/") + "/")) and len(
            mount_point
        ) > len(best):
            best, best_fs = mount_point, fs
    return best_fs in {"cifs", "smb3", "smbfs", "nfs", "nfs4", "9p", "fuse.sshfs", "davfs"}


def check_local_path(path: str) -> None:
    if is_network_path(path):
        raise DatabaseLocationError(
            t(
                "A SQLite database on a network drive or share ({path}) is not supported: file "
                "locking over SMB corrupts it. Put the database on this PC, or set up a shared "
                "PostgreSQL server (see README: Setting up a shared server) and point every PC at "
                "it with --db postgresql+psycopg://user@server/talentdesk.",
                path=path,
            )
        )


# psycopg 3 through db.pgdialect (SQLAlchemy's own dialect, without its first connection's extra round
# trips): the registry loads the module only when a PostgreSQL engine is made
PG_DRIVERNAME = "postgresql+talentdesk"
registry.register("postgresql.talentdesk", "db.pgdialect", "PsycopgDialect")

BUSY_TIMEOUT_MS = 10_000  # how long a writer waits for another program's write to finish before giving up


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin (see _sqlite_begin):
    # the module's legacy mode would commit DDL silently and break all-or-nothing migrations.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.close()


WRITE_OPTION = "talentdesk_write"


def _sqlite_begin(conn) -> None:  # type: ignore[no-untyped-def]
    # A unit of work that will write takes the write lock at BEGIN (IMMEDIATE), waiting up to the busy
    # timeout for another writer to finish. A deferred transaction that reads first and writes later
    # would fail at its first write, without waiting, whenever another program committed in between.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "BEGIN")


def begin_write(session: Session) -> None:
    """Declare, before its first statement, that ``session``'s transaction will write (see _sqlite_begin).
    Harmless on PostgreSQL, where row locks are taken as rows are written. On a read-only database the
    transaction stays a reader: its first write then says the database cannot be written."""
    if session.info.get("read_only"):
        return
    session.connection(execution_options={WRITE_OPTION: True})


_ENCODER = json.JSONEncoder(ensure_ascii=False)  # audit values stay readable Chinese in a raw dump


def _json(obj: object) -> str:
    return _ENCODER.encode(obj)  # json.dumps(obj, ensure_ascii=False), without a new encoder per call


def make_engine(target: DatabaseTarget, **kwargs: object) -> Engine:
    """An engine configured for TalentDesk on either backend."""
    kwargs.setdefault("json_serializer", _json)
    if target.is_sqlite:
        path = target.sqlite_path
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(target.url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "handle_error", failures.on_error)
        return engine
    # a server that does not answer (a PC off the office network) is said within seconds, not minutes
    connect_args = dict(kwargs.pop("connect_args", None) or {})  # type: ignore[call-overload]
    connect_args.setdefault("connect_timeout", 10)
    url = target.url
    if url.drivername == "postgresql+psycopg":  # psycopg 3 without the first connection's extra queries
        url = url.set(drivername=PG_DRIVERNAME)
    kwargs.setdefault("use_native_hstore", False)  # no hstore column: not looked up at the first connection
    engine = create_engine(url, connect_args=connect_args, **kwargs)
    event.listen(engine, "handle_error", failures.on_error)
    # first of the "connect" listeners: the dialect's set-up on the engine's first connection reads its answers
    event.listen(engine, "connect", _pg_connect, insert=True)
    if not kwargs.get("pool_pre_ping"):
        event.listen(engine, "checkout", _pg_checkout)
    return engine


def _pg_checkout(dbapi_connection, _record, _proxy) -> None:  # type: ignore[no-untyped-def]
    """A pooled connection the server has dropped is replaced before it is used, without a round trip.

    SQLAlchemy's pre-ping sends SELECT 1 at every checkout: one more round trip for every action, 2–5 ms
    over Wi-Fi or a VPN. A server that ends a connection (restarted, pg_terminate_backend, an idle
    timeout) says so and closes the socket, so an idle pooled connection whose socket has something to
    read, or that psycopg already knows is closed, is dead: the pool opens a new one instead
    (DisconnectionError). A healthy idle connection has nothing to read: the check is one select() with
    no wait. A connection cut without a word (a cable pulled) fails its action, said as the server being
    unreachable, and the pool replaces it for the next one."""
    import select

    from sqlalchemy.exc import DisconnectionError

    if dbapi_connection.closed or getattr(dbapi_connection, "broken", False):
        raise DisconnectionError("the connection is closed")
    try:
        readable, _w, _x = select.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError) as exc:
        raise DisconnectionError(str(exc)) from exc
    if readable:
        raise DisconnectionError("the server ended the connection")


def _pg_connect(dbapi_connection, record) -> None:  # type: ignore[no-untyped-def]
    """Once per new connection: is it a person's own login, whose changes the server audits (db.security)?"""
    from . import security
    from .pgdialect import PROBED

    # outside a transaction: the one query is the one round trip (no BEGIN before it, no ROLLBACK after)
    dbapi_connection.autocommit = True
    try:
        facts = security.probe(dbapi_connection)
        record.info.update(facts)
        PROBED[dbapi_connection] = facts  # for the dialect's set-up, when this is the engine's first connection
    finally:
        dbapi_connection.autocommit = False
        dbapi_connection.rollback()  # leave the connection as the pool expects it: no transaction open


def connection_fact(conn: Connection, name: str) -> bool:
    """What db.security.probe learnt of this PostgreSQL connection when it was opened: ``server_logins``
    (the database is secured: every user is a login of the server, made and changed through its
    talentdesk_* functions, and the server checks passwords), ``server_audits`` (a person's own login: the
    server's triggers write its audit rows, and its access-log rows go through talentdesk_log_access) or
    ``owner`` (IT's owner login). False for all three on SQLite."""
    return conn.dialect.name == "postgresql" and bool(conn.info.get(name))


def _session_fact(session: Session, name: str) -> bool:
    if session.get_bind().dialect.name != "postgresql":  # no transaction begun on SQLite just to ask
        return False
    return connection_fact(session.connection(), name)


def server_logins(session: Session) -> bool:
    return _session_fact(session, "server_logins")


def server_audits(session: Session) -> bool:
    return _session_fact(session, "server_audits")


def owner_connection(session: Session) -> bool:
    """The session is IT's: the database owner's login on PostgreSQL; on SQLite whoever holds the file."""
    return session.get_bind().dialect.name != "postgresql" or _session_fact(session, "owner")


def session_factory(engine: Engine, *, read_only: bool = False) -> sessionmaker[Session]:
    """Sessions on ``engine``. ``read_only``: the database cannot be written (``is_read_only``); its
    sessions say so in ``session.info["read_only"]``, so that reading writes nothing on the way (no
    access-log row, no sign-in bookkeeping, no write lock) and every save says why it cannot be made.

    Every session made here is audited: ``db.audit``'s listeners (on the Session class) are installed by
    importing it, which this does, so no caller depends on some other module having imported it first."""
    from . import audit  # noqa: F401  (installs the audit listeners)

    return sessionmaker(engine, expire_on_commit=False, info={"read_only": read_only})


def reading(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    """Sessions of ``factory`` for reads that write nothing (a list's count, its pages, its filter choices).

    On PostgreSQL their statements run outside a transaction (autocommit): psycopg would otherwise send a
    BEGIN before the first statement and the pool a ROLLBACK after the last, two more round trips for
    every read, 1–10 ms each over Wi-Fi or a VPN (issue #25). Each statement still sees one consistent
    snapshot; statements of one session may see a change committed between them, as two sessions did.
    Setting autocommit is the driver's own flag: no round trip either way. On SQLite ``factory`` itself
    (no network; SQLite's reads want their snapshot). Never for a unit of work: its writes would not be
    all or nothing."""
    bind = factory.kw.get("bind")
    if not isinstance(bind, Engine) or bind.dialect.name != "postgresql":
        return factory
    cached = _READERS.get(factory)
    if cached is None:
        kw = {k: v for k, v in factory.kw.items() if k != "bind"}
        cached = _READERS[factory] = sessionmaker(bind.execution_options(isolation_level="AUTOCOMMIT"), **kw)
    return cached


def autocommits(session: Session) -> bool:
    """``session`` is a reading one (``reading``) on PostgreSQL: every statement its own transaction, so one
    that fails leaves the next free to run (no savepoint needed to carry on past it, nor possible)."""
    return session.connection().get_execution_options().get("isolation_level") == "AUTOCOMMIT"


_READERS: weakref.WeakKeyDictionary[sessionmaker[Session], sessionmaker[Session]] = weakref.WeakKeyDictionary()


def is_read_only(engine: Engine, target: DatabaseTarget) -> bool:
    """True when nothing can be written: a SQLite file (or its folder, where SQLite keeps its journal)
    this user may not write, or a PostgreSQL server that takes no changes (a standby, or read-only
    by default for this login)."""
    path = target.sqlite_path
    if target.is_sqlite:
        return path is not None and path.exists() and not (os.access(path, os.W_OK)
                                                          and os.access(path.parent, os.W_OK))
    with engine.connect() as conn:
        return bool(conn.exec_driver_sql(
            "SELECT pg_is_in_recovery() OR current_setting('default_transaction_read_only') = 'on'").scalar())
