"""db/migrate.py and the Alembic migrations: models and migrations agree on both backends, upgrades
are idempotent, a database with data is backed up first, and a newer database is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from db import backup, migrate
from db.actor import unit_of_work
from db.curriculum import save_programme
from db.engine import make_engine, resolve
from db.errors import DatabaseError
from db.models import Base
from db.people import save_student


def test_empty_database_upgrades_to_head(db) -> None:  # type: ignore[no-untyped-def]
    assert migrate.current_revision(db.engine) == migrate.head_revision()
    assert not migrate.needs_upgrade(db.engine)
    tables = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_models_and_migrations_agree(db) -> None:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == [], f"models and migrations differ on {db.backend}: {diff}"


def test_upgrading_twice_is_a_no_op(db) -> None:  # type: ignore[no-untyped-def]
    result = migrate.upgrade(db.engine, db.target)
    assert not result.changed
    assert result.backup_path is None
    assert migrate.current_revision(db.engine) == migrate.head_revision()


def test_fresh_upgrade_reports_the_change(tmp_path: Path) -> None:
    target = resolve(str(tmp_path / "fresh.db"))
    engine = make_engine(target)
    try:
        result = migrate.upgrade(engine, target)
        assert result.from_revision is None
        assert result.to_revision == migrate.head_revision()
        assert result.changed
        assert result.backup_path is None  # nothing to lose in a new database
    finally:
        engine.dispose()
    assert not (tmp_path / "backups").exists()


def test_require_current_refuses_an_uninitialised_database(tmp_path: Path) -> None:
    target = resolve(str(tmp_path / "blank.db"))
    engine = make_engine(target)
    try:
        with pytest.raises(DatabaseError, match="talentdesk init"):
            migrate.require_current(engine, target)
        migrate.upgrade(engine, target)
        migrate.require_current(engine, target)
    finally:
        engine.dispose()


def _add_student(db) -> None:  # type: ignore[no-untyped-def]
    from db.actor import cli_actor

    with unit_of_work(db.factory, cli_actor()) as s:
        save_programme(s, cli_actor(), {"code": "AI-ENG", "name": "人工智能工程"})
        save_student(s, cli_actor(), {"student_no": "2025010001", "name": "王梓涵", "cohort": 2025,
                                      "programme": "AI-ENG"})


def test_up_to_date_database_with_data_is_not_backed_up(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    _add_student(sqlite_db)
    result = migrate.upgrade(sqlite_db.engine, sqlite_db.target)
    assert result.backup_path is None
    assert backup.list_backups(sqlite_db.target) == []


def test_pending_migration_on_a_database_with_data_backs_it_up_first(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    """Simulate a database one revision behind: rewind alembic_version, keep the data."""
    _add_student(sqlite_db)
    with sqlite_db.engine.begin() as conn:
        # There is a single revision so far: pretend the schema is at an unversioned state that holds
        # data, which is exactly the situation of a database one migration behind.
        conn.execute(text("DELETE FROM alembic_version"))
    calls: list[Path] = []
    real = backup.auto_backup

    def spy(target, kind):  # type: ignore[no-untyped-def]
        path = real(target, kind)
        calls.append(path)
        return path

    import db.migrate as m

    mp = pytest.MonkeyPatch()
    mp.setattr(m.backup, "auto_backup", spy)
    mp.setattr(m.command, "upgrade", lambda cfg, rev: None)  # the schema is already there
    try:
        result = migrate.upgrade(sqlite_db.engine, sqlite_db.target)
    finally:
        mp.undo()
    assert len(calls) == 1
    assert result.backup_path == calls[0]
    assert result.backup_path.name.startswith(f"talentdesk-{backup.PRE_MIGRATION}-")
    info = backup.verify(result.backup_path)
    assert info.students == 1


def test_auto_backup_rotation_keeps_the_last_14(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    made = [backup.auto_backup(sqlite_db.target, backup.PRE_MIGRATION) for _ in range(16)]
    folder = backup.backups_dir(sqlite_db.target)
    kept = sorted(folder.glob(f"talentdesk-{backup.PRE_MIGRATION}-*.db"))
    assert len(kept) == backup.KEEP == 14
    assert kept == sorted(made)[-14:]  # the oldest two went
    # other kinds are rotated separately
    daily = backup.auto_backup(sqlite_db.target, backup.DAILY)
    assert daily is not None and daily.exists()
    assert len(list(folder.glob(f"talentdesk-{backup.PRE_MIGRATION}-*.db"))) == 14


def test_newer_database_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    with db.owner_engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_from_the_future'"))
    with pytest.raises(DatabaseError) as err:
        migrate.upgrade(db.owner_engine, db.owner or db.target)
    message = str(err.value)
    assert "newer than this version of TalentDesk" in message
    assert "ffff_from_the_future" in message
    # and it was left alone
    assert migrate.current_revision(db.engine) == "ffff_from_the_future"
    if db.backend == "sqlite":
        assert backup.list_backups(db.target) == []


def test_newer_database_message_in_chinese(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    from db.i18n import set_language

    with sqlite_db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    set_language("zh")
    with pytest.raises(DatabaseError, match="请安装新版 TalentDesk"):
        migrate.upgrade(sqlite_db.engine, sqlite_db.target)


def test_migrations_run_in_one_transaction_on_sqlite(tmp_path: Path) -> None:
    """A migration that fails half-way leaves no half-built schema behind."""
    target = resolve(str(tmp_path / "half.db"))
    engine = make_engine(target)
    import db.migrate as m

    real_upgrade = m.command.upgrade

    def failing(cfg, rev):  # type: ignore[no-untyped-def]
        real_upgrade(cfg, rev)
        raise RuntimeError("disk full")

    mp = pytest.MonkeyPatch()
    mp.setattr(m.command, "upgrade", failing)
    try:
        with pytest.raises(RuntimeError):
            migrate.upgrade(engine, target)
    finally:
        mp.undo()
    try:
        assert inspect(engine).get_table_names() == []
        assert migrate.current_revision(engine) is None
    finally:
        engine.dispose()


def test_real_upgrade_from_the_previous_revision_backs_up_and_keeps_data(tmp_path: Path) -> None:
    """A database left at revision 0001 with data is backed up, then upgraded, data intact."""
    from alembic import command as alembic_command
    from conftest import Db  # type: ignore[import-not-found]

    from db.engine import session_factory

    target = resolve(str(tmp_path / "old.db"))
    engine = make_engine(target)
    try:
        cfg = migrate.alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            alembic_command.upgrade(cfg, "0001")
        _add_student(Db(target, engine, session_factory(engine), "sqlite"))
        result = migrate.upgrade(engine, target)
        assert (result.from_revision, result.to_revision) == ("0001", migrate.head_revision())
        assert result.backup_path is not None and result.backup_path.exists()
        assert backup.verify(result.backup_path).students == 1
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM students")) == 1
    finally:
        engine.dispose()
