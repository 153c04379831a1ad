"""Shared fixtures.

Databases: ``db`` is a freshly migrated database, parametrised over SQLite and PostgreSQL. The
PostgreSQL half runs on the server TALENTDESK_TEST_PG_URL(S) names, or on a throwaway server each test
process starts itself when the PostgreSQL server binaries are installed (``pg_server_url``). Without
either those tests skip with a visible reason locally, and fail in CI (CI=true), where PostgreSQL is
mandatory.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pgserver import PrivateServer, server_binaries  # noqa: E402

from db import audit, migrate  # noqa: E402,F401  (audit registers the audit listener)
from db.actor import Actor, cli_actor
from db.engine import DatabaseTarget, make_engine, resolve, session_factory  # noqa: E402
from db.i18n import set_language  # noqa: E402

PG_ENV = "TALENTDESK_TEST_PG_URL"
PG_LOGIN_PASSWORD = "Test-admin-2026"
NO_SERVER = (f"PostgreSQL tests skipped: no PostgreSQL server binaries installed (apt-get install postgresql) "
             f"and no {PG_ENV}")


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Tests read messages in English unless they switch language themselves."""
    set_language("en")
    yield
    set_language("en")


@pytest.fixture(autouse=True)
def _quick_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with the production parameters costs ~0.2–0.4 s a hash on this machine, and the suite
    creates and signs in hundreds of users: tests hash with the same algorithm at the lowest cost.
    tests/test_sign_in.py::test_production_password_hashing_is_argon2id_at_full_cost pins the real one."""
    from argon2 import PasswordHasher

    from db import auth

    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    monkeypatch.setattr(auth, "_dummy_hash", None)


@dataclass
class Db:
    """A migrated database: its target, engine and session factory."""

    target: DatabaseTarget
    engine: Engine
    factory: sessionmaker[Session]
    backend: str
    owner: DatabaseTarget | None = None  # PostgreSQL: IT's owner login (the app's connections are a person's)
    _owner_engine: Engine | None = None

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
    finally:
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


def _template(kind: str, make: Callable[[str, str], None]) -> str:
    """A template database of this process (``make(server, name)`` fills it), made once: a fixture's
    teardown may run early when it was requested through a parametrised fixture, and a template dropped
    under a later test's CREATE DATABASE … TEMPLATE fails that test."""
    server = pg_server_url()
    assert server is not None
    if kind not in _TEMPLATES:
        name = f"td_{kind}_{uuid.uuid4().hex[:12]}"
        with _admin(server) as admin, admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{_TEMPLATES["template"]}"'
                                                             if kind != "template" else "")))
        try:
            make(server, name)
        except BaseException:
            _drop_templates({kind: name})
            raise
        _TEMPLATES[kind] = name
    return _TEMPLATES[kind]


@contextmanager
def _admin(server: str) -> Iterator[Engine]:
    admin = create_engine(make_url(server).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    try:
        yield admin
    finally:
        admin.dispose()


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


def _demo(server: str, name: str) -> None:
    from db import demo

    engine = _engine_on(server, name)
    try:
        demo.generate(engine, scale=1)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def pg_template() -> tuple[str, str] | None:
    """A database migrated once per test process; each test gets a fresh copy (CREATE DATABASE … TEMPLATE)."""
    server = pg_server_url()
    return (server, _template("template", _migrated)) if server else None


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
def pg_db(pg_template: tuple[str, str] | None) -> Iterator[Db]:
    server = pg_server_url()
    if server is None or pg_template is None:
        pytest.skip(NO_SERVER)
    name = f"td_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(make_url(server).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    engine = None
    db: Db | None = None
    login = f"tdadmin_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template[1]}"'))
        owner = resolve(make_url(server).set(drivername="postgresql+psycopg", database=name).render_as_string(False))
        # The app never connects as the owner: the tests connect as an administrator's own login, made the
        # way TalentDesk makes every login (talentdesk_create_user, called by the owner), as IT's guide has it.
        # ``Db.owner`` is IT's URL, for what only the owner does (init, upgrades).
        make_admin_login(owner, login)
        target = resolve(owner.url.set(username=login, password=PG_LOGIN_PASSWORD).render_as_string(False))
        engine = make_engine(target)
        db = Db(target, engine, session_factory(engine), "postgresql", owner=owner)
        yield db
    finally:
        if engine is not None:
            engine.dispose()
        if db is not None and db._owner_engine is not None:
            db._owner_engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
        admin.dispose()


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
    """The scale-1 demo on PostgreSQL, generated once per test process as a template database."""
    if pg_template is None:
        pytest.skip(NO_SERVER)
    return _template("demo", _demo)


@pytest.fixture
def pg_demo_db(pg_demo: str) -> Iterator[Db]:
    server = pg_server_url()
    assert server is not None
    name = f"td_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(make_url(server).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    engine = None
    try:  # the admin engine is disposed whatever fails (a connection left to the GC warns in a later test)
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{pg_demo}"'))
        target = resolve(make_url(server).set(drivername="postgresql+psycopg", database=name)
                         .render_as_string(False))
        engine = make_engine(target)
        yield Db(target, engine, session_factory(engine), "postgresql")
    finally:
        if engine is not None:
            engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
