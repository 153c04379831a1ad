"""Start-up tells a current database without importing Alembic: the head read from the migration
files is Alembic's head, and only a database at that head skips db.migrate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text

from db import migrate
from db.engine import make_engine, resolve
from desktop.app import _head_in_files, database_is_current


def test_the_head_read_from_the_files_is_alembics_head() -> None:
    assert _head_in_files() == migrate.head_revision()


def test_only_a_database_at_head_skips_the_migrations(db: Any, tmp_path: Path) -> None:
    assert database_is_current(db.engine)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0003'"))
    assert not database_is_current(db.engine)
    assert migrate.needs_upgrade(db.engine)  # which start-up then runs, as before
    empty = make_engine(resolve(str(tmp_path / "new.db")))
    try:
        assert not database_is_current(empty)
    finally:
        empty.dispose()
