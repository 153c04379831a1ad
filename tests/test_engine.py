"""db/engine.py: where the database is, and the SQLite settings that keep it safe."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import exc, insert, text

from db import engine as engine_mod
from db.engine import ENV_VAR, DatabaseLocationError, make_engine, resolve
from db.models import Student


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)


def test_plain_path_becomes_absolute_sqlite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    target = resolve("data/td.db")
    assert target.is_sqlite
    assert target.sqlite_path == tmp_path / "data" / "td.db"
    assert target.display() == str(tmp_path / "data" / "td.db")


def test_home_relative_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resolve("~/td.db").sqlite_path == tmp_path / "td.db"


def test_sqlite_url(tmp_path: Path) -> None:
    target = resolve(f"sqlite:///{tmp_path}/x.db")
    assert target.is_sqlite
    assert target.sqlite_path == tmp_path / "x.db"


@pytest.mark.parametrize(
    "raw",
    [
        "postgresql://td:secret@db.example.cn:5432/talentdesk",
        "postgresql+psycopg2://td:secret@db.example.cn:5432/talentdesk",
        "postgresql+psycopg://td:secret@db.example.cn:5432/talentdesk",
        # Heroku-style scheme, common in hosting panels and .env files
        "postgres://td:secret@db.example.cn:5432/talentdesk",
    ],
)
def test_postgresql_urls_use_psycopg3(raw: str) -> None:
    """Only psycopg 3 is installed: whatever PostgreSQL URL people paste must connect through it."""
    target = resolve(raw)
    assert not target.is_sqlite
    assert target.sqlite_path is None
    assert target.url.host == "db.example.cn"
    assert target.url.database == "talentdesk"
    assert "secret" not in target.display()  # the status bar never shows the password
    eng = make_engine(target)  # creating an engine loads the driver but does not connect
    try:
        assert eng.dialect.name == "postgresql"
        assert eng.dialect.driver == "psycopg"
    finally:
        eng.dispose()


def test_env_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env.db"))
    assert resolve().sqlite_path == tmp_path / "env.db"
    assert resolve(None).sqlite_path == tmp_path / "env.db"
    # --db wins over the environment
    assert resolve(str(tmp_path / "arg.db")).sqlite_path == tmp_path / "arg.db"


def test_env_var_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, " postgresql+psycopg://td@server/talentdesk ")
    target = resolve()
    assert target.url.drivername == "postgresql+psycopg"
    assert target.url.host == "server"


def test_default_is_in_the_local_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[object, ...]] = []

    def fake_user_data_dir(*args: object, **kwargs: object) -> str:
        calls.append((args, kwargs))
        return str(tmp_path / "AppData" / "Local" / "TalentDesk")

    monkeypatch.setattr(engine_mod, "user_data_dir", fake_user_data_dir)
    target = resolve()
    assert target.sqlite_path == tmp_path / "AppData" / "Local" / "TalentDesk" / "talentdesk.db"
    (args, kwargs), = calls
    assert args[0] == "TalentDesk"
    assert kwargs.get("roaming") is False  # never the roaming profile: it syncs over the network


@pytest.mark.parametrize(
    "raw",
    [
        r"\\server\share\x.db",
        "//server/share/x.db",
        r"sqlite:///\\server\share\x.db",
    ],
)
def test_network_share_is_refused_with_a_pointer_to_postgresql(raw: str) -> None:
    with pytest.raises(DatabaseLocationError) as err:
        resolve(raw)
    message = str(err.value)
    assert "network" in message
    assert "PostgreSQL" in message
    assert "postgresql+psycopg://" in message


def test_network_share_message_in_chinese() -> None:
    from db.i18n import set_language

    set_language("zh")
    with pytest.raises(DatabaseLocationError, match="PostgreSQL"):
        resolve(r"\\server\share\x.db")


def test_network_mount_on_linux_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mounts = f"//nas/share {tmp_path}/nas cifs rw 0 0\n/dev/sda1 / ext4 rw 0 0\n"
    real_read_text = Path.read_text

    def fake_read_text(self: Path, *a: object, **kw: object) -> str:
        if str(self) == "/proc/mounts":
            return mounts
        return real_read_text(self, *a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", fake_read_text)
    with pytest.raises(DatabaseLocationError):
        resolve(str(tmp_path / "nas" / "td.db"))
    assert resolve(str(tmp_path / "local.db")).is_sqlite


def test_sqlite_pragmas(tmp_path: Path) -> None:
    eng = make_engine(resolve(str(tmp_path / "p.db")))
    try:
        with eng.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    finally:
        eng.dispose()


def test_engine_creates_the_data_folder(tmp_path: Path) -> None:
    eng = make_engine(resolve(str(tmp_path / "new" / "folder" / "td.db")))
    try:
        with eng.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    finally:
        eng.dispose()
    assert (tmp_path / "new" / "folder" / "td.db").exists()


def test_sqlite_transactions_are_all_or_nothing(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    """DDL and DML roll back together (the sqlite3 module's legacy mode would commit DDL)."""
    with pytest.raises(RuntimeError):
        with sqlite_db.engine.begin() as conn:
            conn.execute(text("CREATE TABLE scratch (x INTEGER)"))
            conn.execute(text("INSERT INTO scratch VALUES (1)"))
            raise RuntimeError("boom")
    with sqlite_db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sqlite_master WHERE name = 'scratch'")).scalar() == 0


def test_foreign_key_violation_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(exc.IntegrityError):
        with db.engine.begin() as conn:
            conn.execute(insert(Student).values(student_no="S1", name="王梓涵", cohort=2025, programme_id=999,
                                                status="active"))
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM students")).scalar() == 0


def test_a_server_on_another_machine_is_reached_over_tls_or_not_at_all() -> None:
    assert resolve("postgresql://db.example.cn/talentdesk").url.query["sslmode"] == "require"
    assert resolve("postgresql://10.0.0.9/talentdesk").url.query["sslmode"] == "require"
    # the academy's CA, as IT writes it, is kept as written
    kept = resolve("postgresql://db.example.cn/talentdesk?sslmode=verify-full&sslrootcert=/etc/td/ca.crt").url
    assert kept.query["sslmode"] == "verify-full" and kept.query["sslrootcert"] == "/etc/td/ca.crt"
    # this machine: the local socket or loopback needs no certificate
    for local in ("postgresql://localhost/talentdesk", "postgresql://127.0.0.1:5432/talentdesk",
                  "postgresql:///talentdesk"):
        assert "sslmode" not in resolve(local).url.query


def test_a_plain_text_server_is_refused_with_the_fix_named() -> None:
    import psycopg

    from db import failures
    from db.i18n import set_language

    set_language("zh")
    err = failures.translate(psycopg.OperationalError(
        'connection failed: connection to server at "10.0.0.9", port 5432 failed: server does not support SSL, '
        "but SSL was required"), "postgresql")
    assert err is not None and "TLS" in str(err) and "hostssl" in str(err) and "10.0.0.9" not in str(err)
