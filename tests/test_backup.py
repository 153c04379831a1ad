"""db/backup.py: consistent backups while the app writes, verification, restore and rotation."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import insert, select, text

from db import backup
from db.actor import unit_of_work
from db.curriculum import save_programme
from db.engine import make_engine, resolve
from db.errors import BackupError
from db.models import Programme, Student
from db.people import save_student

N_SEED = 200


def _seed(db, admin, n: int = N_SEED) -> int:  # type: ignore[no-untyped-def]
    with unit_of_work(db.factory, admin) as s:
        prog, _ = save_programme(s, admin, {"code": "AI-ENG", "name": "人工智能工程"})
        for i in range(n):
            save_student(s, admin, {"student_no": f"S{i:05d}", "name": f"学生{i}", "cohort": 2025,
                                    "programme": "AI-ENG"})
        return prog.id


def _count(path: Path, table: str = "students") -> int:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


# --------------------------------------------------------------------------- backup and restore drill


def test_backup_while_writing_then_restore_drill(sqlite_db, admin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    prog_id = _seed(sqlite_db, admin)
    stop = threading.Event()
    written: list[int] = []
    errors: list[BaseException] = []

    def writer() -> None:
        eng = make_engine(sqlite_db.target)
        try:
            i = 0
            while not stop.is_set() and i < 5000:
                with eng.begin() as conn:
                    conn.execute(insert(Student).values(student_no=f"W{i:05d}", name="写入中", cohort=2026,
                                                        programme_id=prog_id, status="active"))
                i += 1
                written.append(i)
        except BaseException as exc:  # pragma: no cover - surfaced below
            errors.append(exc)
        finally:
            eng.dispose()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 20:  # the writer is really going
            stop.wait(0.01)
        dest = tmp_path / "out" / "drill.db"
        pages: list[tuple[int, int]] = []
        info = backup.backup(sqlite_db.target, dest, progress=lambda done, total: pages.append((done, total)))
    finally:
        stop.set()
        thread.join()
    assert not errors
    assert info.path == dest and dest.exists()
    assert info.revision is not None
    # a consistent snapshot: every seeded student, and a whole number of committed writer rows
    assert N_SEED < info.students <= N_SEED + len(written)
    assert info.students == _count(dest)
    assert pages and pages[-1][0] == pages[-1][1]
    # the copy is a self-contained file (no -wal needed) that passes an integrity check
    assert not Path(str(dest) + "-wal").exists()
    assert sqlite3.connect(dest).execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert not list(dest.parent.glob(".talentdesk-*.tmp"))

    # restore drill: into a brand-new database file
    fresh = resolve(str(tmp_path / "restored" / "talentdesk.db"))
    restored, safety = backup.restore(fresh, dest)
    assert safety is None  # there was nothing to save
    assert restored.students == info.students
    con = sqlite3.connect(fresh.sqlite_path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT count(*) FROM students").fetchone()[0] == info.students
        assert con.execute("SELECT count(*) FROM programmes").fetchone()[0] == 1
    finally:
        con.close()
    eng = make_engine(fresh)
    try:
        with eng.connect() as conn:
            assert conn.scalar(select(Programme.code)) == "AI-ENG"
    finally:
        eng.dispose()


def test_default_backup_goes_to_the_backups_folder(sqlite_db, admin) -> None:  # type: ignore[no-untyped-def]
    _seed(sqlite_db, admin, 3)
    info = backup.backup(sqlite_db.target)
    db_file = sqlite_db.target.sqlite_path
    assert info.path.parent == db_file.parent / "backups" / db_file.stem
    assert info.path.name.startswith(f"talentdesk-{backup.MANUAL}-")
    assert info.students == 3


def test_cancelled_backup_leaves_nothing(sqlite_db, admin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _seed(sqlite_db, admin, 500)  # more than one step of 256 pages is not needed: cancel at once
    dest = tmp_path / "c" / "cancel.db"
    with pytest.raises(BackupError, match="cancelled"):
        backup.backup(sqlite_db.target, dest, progress=lambda done, total: False)
    assert not dest.exists()
    assert not list(dest.parent.glob("*"))


def test_backup_of_missing_database(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="does not exist"):
        backup.backup(resolve(str(tmp_path / "nope.db")))


def test_postgresql_backup_explains_pg_dump(pg_db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BackupError) as err:
        backup.backup(pg_db.target)
    assert "pg_dump" in str(err.value)
    assert pg_db.target.url.database in str(err.value)
    with pytest.raises(BackupError, match="pg_dump"):
        backup.restore(pg_db.target, Path("whatever.db"))
    assert backup.daily_backup_if_due(pg_db.target) is None
    assert backup.list_backups(pg_db.target) == []


# --------------------------------------------------------------------------- verify refuses bad files


@pytest.fixture
def good_backup(sqlite_db, admin, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    _seed(sqlite_db, admin, 50)
    return backup.backup(sqlite_db.target, tmp_path / "good.db").path


def _restore_must_refuse(sqlite_db, bad: Path, match: str) -> None:  # type: ignore[no-untyped-def]
    live = sqlite_db.target.sqlite_path
    sqlite_db.engine.dispose()
    before = _count(live)
    with pytest.raises(BackupError, match=match) as err:
        backup.restore(sqlite_db.target, bad)
    assert str(bad) in str(err.value)  # the message names the file
    assert _count(live) == before  # the live database was not touched
    assert backup.list_backups(sqlite_db.target) == []  # nor was a safety copy needed


def test_verify_refuses_a_non_sqlite_file(sqlite_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "roster.db"
    bad.write_bytes(b"PK\x03\x04 this is really an xlsx file" * 100)
    with pytest.raises(BackupError, match="it is not a SQLite database"):
        backup.verify(bad)
    _restore_must_refuse(sqlite_db, bad, "not a SQLite database")


def test_verify_refuses_an_empty_file(tmp_path: Path) -> None:
    bad = tmp_path / "empty.db"
    bad.write_bytes(b"")
    with pytest.raises(BackupError, match="not a SQLite database"):
        backup.verify(bad)


def test_verify_refuses_a_truncated_file(sqlite_db, good_backup: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "truncated.db"
    data = good_backup.read_bytes()
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(BackupError, match="is damaged"):
        backup.verify(bad)
    _restore_must_refuse(sqlite_db, bad, "is damaged")


def test_verify_refuses_a_corrupt_file(sqlite_db, good_backup: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "corrupt.db"
    data = bytearray(good_backup.read_bytes())
    page = 4096
    for off in range(2 * page, len(data) - page, page):  # scribble over the start of every page but the first two
        data[off + 8 : off + 64] = b"\xff" * 56
    bad.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="is damaged"):
        backup.verify(bad)
    _restore_must_refuse(sqlite_db, bad, "is damaged")


def test_verify_refuses_a_foreign_sqlite_file(sqlite_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "other-app.db"
    con = sqlite3.connect(bad)
    con.execute("CREATE TABLE contacts (name TEXT)")
    con.execute("INSERT INTO contacts VALUES ('张三')")
    con.commit()
    con.close()
    with pytest.raises(BackupError, match="it has no TalentDesk tables"):
        backup.verify(bad)
    _restore_must_refuse(sqlite_db, bad, "no TalentDesk tables")


def test_verify_messages_in_chinese(tmp_path: Path) -> None:
    from db.i18n import set_language

    bad = tmp_path / "x.db"
    bad.write_text("hello")
    set_language("zh")
    with pytest.raises(BackupError, match="不是 SQLite 数据库"):
        backup.verify(bad)


def test_verify_reports_revision_and_students(good_backup: Path) -> None:
    from db.migrate import head_revision

    info = backup.verify(good_backup)
    assert info.revision == head_revision()
    assert info.students == 50
    assert info.size == good_backup.stat().st_size


# --------------------------------------------------------------------------- restore


def test_restore_makes_a_safety_copy_first(sqlite_db, admin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _seed(sqlite_db, admin, 10)
    saved = backup.backup(sqlite_db.target, tmp_path / "ten.db")
    with unit_of_work(sqlite_db.factory, admin) as s:  # work done after the backup
        for i in range(5):
            save_student(s, admin, {"student_no": f"LATE{i}", "name": "新生", "cohort": 2026,
                                    "programme": "AI-ENG"})
    sqlite_db.engine.dispose()
    info, safety = backup.restore(sqlite_db.target, saved.path)
    assert info.students == 10
    assert safety is not None and safety.name.startswith(f"talentdesk-{backup.PRE_RESTORE}-")
    assert backup.verify(safety).students == 15  # what was replaced can be got back
    # the app keeps working on the restored database (WAL again)
    with sqlite_db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM students")).scalar() == 10
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_restore_of_missing_file(sqlite_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _restore_must_refuse(sqlite_db, tmp_path / "gone.db", "does not exist")


# --------------------------------------------------------------------------- automatic backups


def test_daily_backup_once_a_day(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    today = dt.date.today()
    first = backup.daily_backup_if_due(sqlite_db.target, today)
    assert first is not None and first.exists()
    assert first.name.startswith(f"talentdesk-{backup.DAILY}-{today:%Y%m%d}-")
    assert backup.daily_backup_if_due(sqlite_db.target, today) is None
    assert backup.daily_backup_if_due(sqlite_db.target, today) is None
    assert len(list(backup.backups_dir(sqlite_db.target).glob("talentdesk-daily-*.db"))) == 1
    backup.verify(first)


def test_daily_backup_due_again_the_next_day(sqlite_db, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    day1 = dt.date(2026, 3, 1)
    monkeypatch.setattr(backup, "_timestamp", lambda: f"{day1:%Y%m%d}-080000-000000")
    assert backup.daily_backup_if_due(sqlite_db.target, day1) is not None
    day2 = dt.date(2026, 3, 2)
    monkeypatch.setattr(backup, "_timestamp", lambda: f"{day2:%Y%m%d}-080000-000000")
    assert backup.daily_backup_if_due(sqlite_db.target, day1) is None
    assert backup.daily_backup_if_due(sqlite_db.target, day2) is not None


def test_daily_rotation_keeps_14_newest(sqlite_db, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    start = dt.date(2026, 1, 1)
    for n in range(20):
        day = start + dt.timedelta(days=n)
        monkeypatch.setattr(backup, "_timestamp", lambda day=day: f"{day:%Y%m%d}-090000-000000")
        assert backup.daily_backup_if_due(sqlite_db.target, day) is not None
    kept = sorted(p.name for p in backup.backups_dir(sqlite_db.target).glob("talentdesk-daily-*.db"))
    assert len(kept) == 14
    assert kept[0] == "talentdesk-daily-20260107-090000-000000.db"
    assert kept[-1] == "talentdesk-daily-20260120-090000-000000.db"


def test_rotation_leaves_manual_backups_alone(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    manual = backup.backup(sqlite_db.target).path
    for _ in range(15):
        backup.auto_backup(sqlite_db.target, backup.DAILY)
    assert manual.exists()
    assert len(backup.list_backups(sqlite_db.target)) == 14 + 1


def test_no_automatic_backup_of_a_database_that_does_not_exist(tmp_path: Path) -> None:
    target = resolve(str(tmp_path / "nothing.db"))
    assert backup.daily_backup_if_due(target) is None
    assert backup.auto_backup(target, backup.DAILY) is None
    assert not (tmp_path / "backups").exists()


def test_two_databases_in_one_folder_keep_their_backups_apart(tmp_path: Path) -> None:
    """Both databases get their daily backup, and each lists only its own."""
    from db import migrate
    from db.engine import make_engine

    targets = [resolve(str(tmp_path / name)) for name in ("academy.db", "training.db")]
    for target in targets:
        engine = make_engine(target)
        migrate.upgrade(engine, target)
        engine.dispose()
    made = [backup.daily_backup_if_due(target) for target in targets]
    assert all(made) and made[0].parent != made[1].parent
    assert [p.parent.name for p in made] == ["academy", "training"]
    assert backup.list_backups(targets[0]) == [made[0]] and backup.list_backups(targets[1]) == [made[1]]
