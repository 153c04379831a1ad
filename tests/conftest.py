"""Shared fixtures.

Databases: ``db`` is a freshly migrated database, parametrised over SQLite and PostgreSQL. The
PostgreSQL half runs on the server TALENTDESK_TEST_PG_URL(S) names, or on a throwaway server each test
process starts itself when the PostgreSQL server binaries are installed (``pg_server_url``). Without
either those tests skip with a visible reason locally, and fail in CI (CI=true), where PostgreSQL is
mandatory.
"""

from __future__ import annotations

import atexit
import copy
import functools
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Python caches compiled modules, and pytest its assertion-rewritten test modules, even where the
# environment says not to (PYTHONDONTWRITEBYTECODE, set in some containers): without that cache every test
# process compiles the ~70 test modules and the app again (3 s a process), and so does every command the
# tests start. Where the source tree cannot be written to, nothing is cached, as before.
sys.dont_write_bytecode = False

from pgserver import PrivateServer, server_binaries  # noqa: E402

from db import audit, migrate  # noqa: E402,F401  (audit registers the audit listener)
from db.actor import Actor, cli_actor  # noqa: E402
from db.engine import DatabaseTarget, make_engine, resolve, session_factory  # noqa: E402
from db.i18n import set_language  # noqa: E402

PG_ENV = "TALENTDESK_TEST_PG_URL"
PG_LOGIN_PASSWORD = "Test-admin-2026"
NO_SERVER = (f"PostgreSQL tests skipped: no PostgreSQL server binaries installed (apt-get install postgresql) "
             f"and no {PG_ENV}")


def _end_the_worker_process_at_once() -> None:
    """A pytest-xdist worker, done (its results sent, the run told it to stop, pytest's own exit handlers
    run): end the process without tearing its heap down object by object. A worker holds the remains of
    hundreds of tests (Qt wrappers, engines, ORM objects); freeing them took 1–4 s at the end of every
    run, all of it after the last test had passed. Registered when this file is imported, before pytest's
    later handlers, so those run first (exit handlers run last-registered first)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if os.environ.get("PYTEST_XDIST_WORKER"):
    atexit.register(_end_the_worker_process_at_once)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests marked ``slow`` (seconds each) first, the rest in their order: with one test process per
    core (pytest-xdist), a long test handed out last kept the run waiting for it alone."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """After each test (and pytest-qt's closing of its widgets): delete the Qt objects the test scheduled
    for deletion (``deleteLater``, which pytest-qt also uses), as the app's event loop does the moment it
    runs. Without it they outlive the test, since nothing returns to an event loop between tests: a
    process piled up 1,700 hidden dialogs and pop-ups, and a later test's ``style.apply`` (the start-up
    tests') spent 15 s re-polishing them all."""
    result = yield
    if "PySide6.QtWidgets" in sys.modules:
        from PySide6.QtCore import QCoreApplication, QEvent

        if QCoreApplication.instance() is not None:
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return result


_SHARED_SQL: dict[tuple[Any, ...], tuple[Any, Any]] = {}  # (dialect, compiled-statement cache) by what compiles alike


@pytest.fixture(scope="session", autouse=True)
def _compiled_sql_shared_across_engines() -> Iterator[None]:
    """Every engine the app's ``make_engine`` makes in a test process compiles its statements into one
    cache per backend, server and configuration, as one long-running app does with its one engine.

    SQLAlchemy caches compiled SQL per engine (its key holds the engine's dialect), and each test opens its
    own database with its own engine: every test compiled every statement it ran again. Here the first
    engine of a kind (dialect class, options, server and login) whose first connection has set its dialect
    up (SQLAlchemy's first-connect step) lends that dialect and its cache to every later engine of the
    kind. Each engine's first connection still runs its own first-connect step (the round-trip tests count
    it); connections, pools and their events stay each engine's own."""
    from sqlalchemy import event

    import db.engine as engine_module

    real = engine_module.create_engine

    def create_engine_sharing(*args: Any, **kwargs: Any) -> Engine:
        engine = real(*args, **kwargs)
        options = tuple(sorted((k, repr(v)) for k, v in kwargs.items() if k != "connect_args"))
        key = (type(engine.dialect), engine.url.host, engine.url.port, engine.url.username, options)
        if key in _SHARED_SQL:
            engine.dialect, engine._compiled_cache = _SHARED_SQL[key]
        else:
            def share(_dbapi_connection: Any, _record: Any) -> None:  # after its dialect's first-connect set-up
                engine.dialect, engine._compiled_cache = _SHARED_SQL.setdefault(
                    key, (engine.dialect, engine._compiled_cache))

            event.listen(engine, "connect", share, once=True)
        return engine

    engine_module.create_engine = create_engine_sharing  # type: ignore[assignment]
    try:
        yield
    finally:
        engine_module.create_engine = real  # type: ignore[assignment]


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Tests read messages in English unless they switch language themselves."""
    set_language("en")
    yield
    set_language("en")


SHIPPED_HASHER: list[Any] = []  # the password hasher the app runs with (set aside by _quick_password_hashing)


@pytest.fixture(scope="session", autouse=True)
def _quick_password_hashing() -> Iterator[None]:
    """argon2id with the production parameters costs ~0.1–0.4 s a hash or a check on this machine, and the
    suite creates and signs in hundreds of users: tests hash with the same algorithm at the lowest cost.
    For the whole session, before any other fixture: the demo databases generated once per process are
    hashed cheaply too (each sign-in to one of their accounts checked a full-cost hash: 0.1 s).
    tests/test_sign_in.py::test_production_password_hashing_is_argon2id_at_full_cost pins the real one."""
    from argon2 import PasswordHasher

    from db import auth

    SHIPPED_HASHER.append(auth._hasher)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
        patch.setattr(auth, "_dummy_hash", None)
        yield


@dataclass
class Db:
    """A migrated database: its target, engine and session factory."""

    target: DatabaseTarget
    engine: Engine
    factory: sessionmaker[Session]
    backend: str
    owner: DatabaseTarget | None = None  # PostgreSQL: IT's owner login (the app's connections are a person's)
    _owner_engine: Engine | None = None
    _filled_from: str | None = None  # PostgreSQL: the copy of a filled database this one was made from

    @property
    def owner_engine(self) -> Engine:
        """An engine as IT's owner login, for what only the owner does (schema changes, upgrades, breaking
        the data behind the app's back); on SQLite the engine itself."""
        if self.owner is None:
            return self.engine
        if self._owner_engine is None:
            self._owner_engine = make_engine(self.owner)
        return self._owner_engine

    @property
    def url(self) -> str:
        return self.target.url.render_as_string(hide_password=False)


def audit_name(db: Db, actor: Actor) -> str:
    """The name the audit log gives a change ``actor`` made through ``db``: on SQLite the app writes the
    actor's; on a server the triggers write the login the connection signed in with (never a name the
    client supplies)."""
    return db.target.url.username if db.backend == "postgresql" else actor.username


_OWN_SERVER: PrivateServer | None = None  # the server this test process started, when none was named
if __name__ != "conftest":  # pytest imports this file as "conftest"; a second copy would start a second server
    raise ImportError("import the test fixtures' helpers with 'from conftest import …', not as " + __name__)


def pg_server_url() -> str | None:
    """The PostgreSQL server of this test process, as the superuser (the fixtures' IT owner).

    Named: TALENTDESK_TEST_PG_URLS (one per pytest-xdist worker: worker gwN takes the (N+1)-th) or
    TALENTDESK_TEST_PG_URL. Otherwise, when the PostgreSQL server binaries are installed, each test
    process starts a throwaway server of its own, set up as README's IT guide says (TLS only,
    scram-sha-256), and stops it at the end: TalentDesk users are login roles, which belong to the whole
    server, so two workers' tests making the same user at once must not share one. Without binaries the
    PostgreSQL tests skip with that reason, and fail in CI (CI=true)."""
    global _OWN_SERVER
    urls = os.environ.get(PG_ENV + "S", "").split()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if urls and worker.startswith("gw") and worker[2:].isdigit():
        return urls[int(worker[2:]) % len(urls)]
    url = os.environ.get(PG_ENV)
    if url:
        return url
    if _OWN_SERVER is None and server_binaries() is not None:
        server = PrivateServer(secure=True)
        try:
            server.start()
        except Exception:
            server.remove()
            raise
        _OWN_SERVER = server
        os.environ["PGSSLMODE"] = "require"  # every connection the tests make to it: encrypted, or refused
    if _OWN_SERVER is not None:
        return _OWN_SERVER.url
    if os.environ.get("CI"):
        pytest.fail("PostgreSQL server binaries are not installed: CI must run the PostgreSQL tests "
                    "(.ci/run installs postgresql)")
    return None


def pytest_unconfigure(config: pytest.Config) -> None:
    try:
        if _OWN_SERVER is None:  # a server named by the environment outlives the run: leave it clean
            _drop_templates(_TEMPLATES)
            if _SHARED_LOGIN:
                with _admin(pg_server_url() or "") as admin, admin.connect() as conn:
                    conn.execute(text(f'DROP ROLE IF EXISTS "{_SHARED_LOGIN[0]}"'))
    finally:
        for engine in _ADMIN_ENGINES.values():
            engine.dispose()
        if _SEED_FOLDER:
            shutil.rmtree(_SEED_FOLDER[0], ignore_errors=True)
        if _OWN_SERVER is not None:
            _OWN_SERVER.remove()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database migrated once per test run (Alembic's upgrade costs ~0.25 s); each test gets a
    copy of the file, as PostgreSQL's tests get a copy of their template database."""
    path = tmp_path_factory.mktemp("template") / "talentdesk.db"
    target = resolve(str(path))
    engine = make_engine(target)
    migrate.upgrade(engine, target)
    engine.dispose()
    for side in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        assert not side.exists(), f"{side.name} left beside the template: the copy would miss its pages"
    return path


@pytest.fixture
def sqlite_db(tmp_path: Path, sqlite_template: Path) -> Iterator[Db]:
    yield from _sqlite_copy(sqlite_template, tmp_path / "talentdesk.db")


def _sqlite_copy(source: Path, path: Path) -> Iterator[Db]:
    """A test's own copy of a prepared SQLite file, its engine closed when the test ends."""
    shutil.copyfile(source, path)
    target = resolve(str(path))
    engine = make_engine(target)
    yield Db(target, engine, session_factory(engine), "sqlite")
    engine.dispose()


_TEMPLATES: dict[str, str] = {}  # this process's template databases by kind, dropped at its end


def _template(kind: str, make: Callable[[str, str], None], base: str | None = "migrated") -> str:
    """A template database of this process (a copy of template ``base``, then ``make(server, name)`` fills
    it), made once: a fixture's teardown may run early when it was requested through a parametrised
    fixture, and a template dropped under a later test's CREATE DATABASE … TEMPLATE fails that test."""
    server = pg_server_url()
    assert server is not None
    if kind not in _TEMPLATES:
        name = f"td_{kind}_{uuid.uuid4().hex[:12]}"
        with _admin(server) as admin, admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{_TEMPLATES[base]}"' if base else "")))
        try:
            make(server, name)
        except BaseException:
            _drop_templates({kind: name})
            raise
        _TEMPLATES[kind] = name
    return _TEMPLATES[kind]


_ADMIN_ENGINES: dict[str, Engine] = {}  # the superuser's engine per server, on its "postgres" database


@contextmanager
def _admin(server: str) -> Iterator[Engine]:
    """The server's superuser (IT's owner login) on the ``postgres`` database, autocommit: one pooled engine
    for the whole process (a TLS + scram-sha-256 connection costs ~40 ms, and every PostgreSQL test creates
    and drops a database). Its connections never block a template: they are on another database."""
    admin = _ADMIN_ENGINES.get(server)
    if admin is None:
        admin = _ADMIN_ENGINES[server] = create_engine(make_url(server).set(drivername="postgresql+psycopg"),
                                                       isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    yield admin


@contextmanager
def _copy_of(server: str, template: str) -> Iterator[DatabaseTarget]:
    """A new database copied from ``template`` (CREATE DATABASE … TEMPLATE), as IT's owner URL; dropped at the
    end, whatever the test left connected to it."""
    name = f"td_test_{uuid.uuid4().hex[:12]}"
    with _admin(server) as admin:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        try:
            yield resolve(make_url(server).set(drivername="postgresql+psycopg", database=name).render_as_string(False))
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _drop_templates(templates: dict[str, str]) -> None:
    server = pg_server_url() if templates else None
    if server is None:
        return
    with _admin(server) as admin, admin.connect() as conn:
        for name in reversed(list(templates.values())):
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _engine_on(server: str, name: str) -> Engine:
    return make_engine(resolve(make_url(server).set(drivername="postgresql+psycopg", database=name)
                               .render_as_string(False)))


def _migrated(server: str, name: str) -> None:
    engine = _engine_on(server, name)
    try:
        migrate.upgrade(engine, resolve(engine.url.render_as_string(False)))
    finally:
        engine.dispose()  # a template must have no open connections


def _with_login(server: str, name: str) -> None:
    make_admin_login(resolve(make_url(server).set(drivername="postgresql+psycopg", database=name)
                             .render_as_string(False)), shared_login())


_SHARED_LOGIN: list[str] = []  # this process's administrator login (its name), made once


def shared_login() -> str:
    """The TalentDesk administrator's own login the PostgreSQL tests of this process connect through.
    Logins belong to the whole server, so it is made once (talentdesk_create_user, by the owner, into the
    migrated template: every test database copied from it holds that user) instead of once per test;
    pg_db puts it back as it was after every test (password, LOGIN, no extra powers)."""
    if not _SHARED_LOGIN:
        _SHARED_LOGIN.append(f"tdadmin_{uuid.uuid4().hex[:10]}")
    return _SHARED_LOGIN[0]


def _demo(server: str, name: str) -> None:
    from db import demo

    engine = _engine_on(server, name)
    try:
        demo.generate(engine, scale=1)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def pg_template() -> tuple[str, str] | None:
    """A database migrated once per test process, holding the process's administrator login
    (``shared_login``); each test gets a fresh copy (CREATE DATABASE … TEMPLATE)."""
    server = pg_server_url()
    if not server:
        return None
    _template("migrated", _migrated, base=None)
    return server, _template("template", _with_login)


def make_admin_login(owner: DatabaseTarget, login: str) -> None:
    """An administrator's own login on the database ``owner`` names (password PG_LOGIN_PASSWORD), made the
    way TalentDesk makes every login: talentdesk_create_user, called by IT's owner login."""
    owner_engine = make_engine(owner)
    try:
        with owner_engine.begin() as conn:
            pgconn = conn.connection.dbapi_connection.pgconn  # type: ignore[union-attr]
            verifier = pgconn.encrypt_password(PG_LOGIN_PASSWORD.encode(), login.encode(), b"scram-sha-256").decode()
            conn.execute(text("SELECT talentdesk_create_user(:n, :v, 'admin', NULL, :n, false)"),
                         {"n": login, "v": verifier})
    finally:
        owner_engine.dispose()


@pytest.fixture
def pg_db(pg_template: tuple[str, str] | None, request: pytest.FixtureRequest) -> Iterator[Db]:
    server = pg_server_url()
    if server is None or pg_template is None:
        pytest.skip(NO_SERVER)
    engine = None
    db: Db | None = None
    login = shared_login()
    filled = _filled_for(request)  # the test fills its database with a fixture that has filled one before
    with _copy_of(server, filled or pg_template[1]) as owner, _admin(server) as admin:
        try:
            # The app never connects as the owner: the tests connect as an administrator's own login, made the
            # way TalentDesk makes every login (talentdesk_create_user, called by the owner, as IT's guide has
            # it) in the template this database is a copy of. ``Db.owner`` is IT's URL, for what only the owner
            # does (init, upgrades).
            target = resolve(owner.url.set(username=login, password=PG_LOGIN_PASSWORD).render_as_string(False))
            engine = make_engine(target)
            db = Db(target, engine, session_factory(engine), "postgresql", owner=owner)
            db._filled_from = filled
            yield db
        finally:
            if engine is not None:
                engine.dispose()
            if db is not None and db._owner_engine is not None:
                db._owner_engine.dispose()
            with admin.connect() as conn:
                # the login is the next test's too: as talentdesk_create_user made it, whatever this test did
                conn.execute(text(f'ALTER ROLE "{login}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS '
                                  f"PASSWORD '{PG_LOGIN_PASSWORD}'"))


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scale-1 demo (≈2 s) on SQLite, generated once per test process; each test works on its own
    copy (``demo_db``, or shutil.copy)."""
    from db import demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    target = resolve(str(path))
    engine = make_engine(target)
    migrate.upgrade(engine, target)
    demo.generate(engine, scale=1)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_demo(pg_template: tuple[str, str] | None) -> str:
    """The scale-1 demo on PostgreSQL, generated once per test process as a template database (a copy of
    the migrated one, without the tests' administrator login)."""
    if pg_template is None:
        pytest.skip(NO_SERVER)
    return _template("demo", _demo)


@pytest.fixture
def pg_demo_db(pg_demo: str) -> Iterator[Db]:
    server = pg_server_url()
    assert server is not None
    with _copy_of(server, pg_demo) as target:
        engine = make_engine(target)
        try:
            yield Db(target, engine, session_factory(engine), "postgresql")
        finally:
            engine.dispose()


@pytest.fixture
def sqlite_demo_db(demo_file: Path, tmp_path: Path) -> Iterator[Db]:
    """A copy of the scale-1 demo on SQLite."""
    yield from _sqlite_copy(demo_file, tmp_path / "demo.db")


@pytest.fixture(params=["sqlite", "postgresql"])
def demo_db(request: pytest.FixtureRequest) -> Db:
    """A copy of the scale-1 demo on each backend (PostgreSQL: as the owner, who may write behind the
    app's back)."""
    return request.getfixturevalue("sqlite_demo_db" if request.param == "sqlite" else "pg_demo_db")


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest) -> Db:
    """A migrated database on each backend."""
    return request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_db")


@pytest.fixture
def admin() -> Actor:
    return cli_actor()


# --------------------------------------------------------------------------- a filled database, filled once

_SEEDED: dict[tuple[str, str], tuple[Any, dict[str, Any], str]] = {}  # (fixture, backend) -> what it made
_SEED_FOLDER: list[str] = []  # this process's folder of filled SQLite files
_THE_DB = object()  # stands for the test's own Db in a remembered fixture result


def filled_once(fixture: Callable[..., Any]) -> Callable[..., Any]:
    """For a fixture (put under ``@pytest.fixture``) that fills a test's database through the services, as a
    person would, and returns it (or a tuple holding it, with ids and actors): the services run once per
    test process and backend; every later test gets its own copy of the database they filled (SQLite: a
    copy of the file; PostgreSQL: CREATE DATABASE … TEMPLATE, the same administrator login in it) and the
    same result, attributes set on the Db included. Filling through the services costs 0.3–1 s a test on
    PostgreSQL (every statement a round trip, every change audited by the server's triggers), a copy
    ~0.05 s. The fixture must depend on nothing but the database: no tmp_path, no monkeypatching, no date
    that changes within a run."""

    @functools.wraps(fixture)
    def fill(*args: Any, **kwargs: Any) -> Any:
        db = next(v for v in kwargs.values() if isinstance(v, Db))
        key = (f"{fixture.__module__}.{fixture.__qualname__}", db.backend)
        known = _SEEDED.get(key)
        if known is not None:
            result, extras, filled = known
            if db._filled_from is None:  # pg_db made it from a copy already (this one's or a later fixture's)
                _replace_with_copy(db, filled)
            for name, value in extras.items():
                setattr(db, name, copy.deepcopy(value))
            return _swap(result, _THE_DB, db)
        fields = set(vars(db))
        result = fixture(*args, **kwargs)
        filled = _keep_a_copy(db)
        if filled is not None:
            extras = {k: copy.deepcopy(v) for k, v in vars(db).items() if k not in fields}
            _SEEDED[key] = (_swap(result, db, _THE_DB), extras, filled)
        return result

    fill.filled_key = f"{fixture.__module__}.{fixture.__qualname__}"  # type: ignore[attr-defined]
    return fill


def _filled_for(request: pytest.FixtureRequest) -> str | None:
    """The copy of a filled PostgreSQL database that the test's filled_once fixtures start from, if any:
    the copy of the one that depends on the most others (all of their work is in its copy), so that pg_db
    copies it at once instead of the empty template (one CREATE DATABASE a test, not two)."""
    best: tuple[int, str] | None = None
    for name in request.fixturenames:
        defs = request._fixturemanager.getfixturedefs(name, request.node)
        func = defs[-1].func if defs else None
        key = getattr(func, "filled_key", None)
        known = _SEEDED.get((key, "postgresql")) if key else None
        if known is not None:
            depth = _depth(request, name)
            if best is None or depth > best[0]:
                best = (depth, known[2])
    return best[1] if best else None


def _depth(request: pytest.FixtureRequest, name: str, seen: frozenset[str] = frozenset()) -> int:
    """How many fixtures ``name`` depends on, through any chain."""
    defs = request._fixturemanager.getfixturedefs(name, request.node)
    if not defs or name in seen:
        return 0
    return sum(1 + _depth(request, arg, seen | {name}) for arg in defs[-1].argnames)


def _swap(value: Any, old: Any, new: Any) -> Any:
    if value is old:
        return new
    if isinstance(value, tuple):
        return tuple(_swap(v, old, new) for v in value)
    return copy.deepcopy(value)


def _close(db: Db) -> None:
    db.engine.dispose()
    if db._owner_engine is not None:
        db._owner_engine.dispose()


def _keep_a_copy(db: Db) -> str | None:
    """A copy of ``db`` as the fixture left it (a file, or a template database), or None when none could
    be made (a connection the fixture left open elsewhere: the next test fills its own)."""
    _close(db)
    if db.backend == "sqlite":
        path = db.target.sqlite_path
        assert path is not None
        if path.with_name(path.name + "-wal").exists():
            return None
        if not _SEED_FOLDER:
            _SEED_FOLDER.append(tempfile.mkdtemp(prefix="talentdesk-filled-"))
        kept = os.path.join(_SEED_FOLDER[0], f"{uuid.uuid4().hex}.db")
        shutil.copyfile(path, kept)
        return kept
    server = pg_server_url()
    assert server is not None
    name = f"td_filled_{uuid.uuid4().hex[:12]}"
    with _admin(server) as admin, admin.connect() as conn:
        busy = conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = :d"),
                            {"d": db.target.url.database}).scalar_one()
        if busy:
            return None
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{db.target.url.database}"'))
    _TEMPLATES[name] = name
    return name


def _replace_with_copy(db: Db, filled: str) -> None:
    _close(db)
    if db.backend == "sqlite":
        path = db.target.sqlite_path
        assert path is not None
        for side in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            side.unlink(missing_ok=True)
        shutil.copyfile(filled, path)
        return
    server = pg_server_url()
    assert server is not None
    name = db.target.url.database
    with _admin(server) as admin, admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{filled}"'))
