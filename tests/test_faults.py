"""Nothing half-written: every write path either commits whole or leaves the database as it was.

The faults are injected, not simulated: a SQLite disk that fills at every possible point of the
work (``PRAGMA max_page_count``, raised a page at a time until the work fits), a file held by
another writer, a PostgreSQL connection killed by the server between two statements of the work.
After every failure the database is compared with a snapshot taken before (row counts of every
table, every audited change), and the error must be the translated sentence for that fault.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from openpyxl import Workbook
from sqlalchemy import event, select, text
from suiteprofile import FULL

from db import demo, migrate
from db import engine as engine_mod
from db.actor import cli_actor, unit_of_work
from db.alliance import Decision
from db.engine import make_engine, resolve
from db.errors import DatabaseUnavailable, TalentDeskError
from db.i18n import set_language
from db.models import (
    Mentor,
    MentorQualification,
    MentorRole,
    Project,
    Stage,
    Student,
    Task,
    TaskStatus,
    TransferRequest,
    TransferStatus,
)
from tests.faultkit import FullDisk, snapshot

ROOT = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- a demo database per test




@pytest.fixture
def demo_db(sqlite_demo_db: Any) -> Any:
    """A copy of the scale-1 demo on SQLite, as (engine, sessions, target)."""
    return sqlite_demo_db.engine, sqlite_demo_db.factory, sqlite_demo_db.target


def sweep(engine: Any, work: Callable[[], Any], max_pages: int = 4000) -> tuple[int, int]:
    """Run ``work`` with 0, 1, 2, 3, … (then growing steps of) free pages until it succeeds. After every
    failure: the fault is said as 'disk full' and the database equals the snapshot. Returns (failures,
    partially written). The full profile steps one page at a time up to 8 free pages, then by 1.6 times;
    the quick one up to 3, then doubling (suiteprofile)."""
    disk = FullDisk(engine)
    failures = partial = 0
    pages = 0
    try:
        while True:
            disk.room(pages)
            before = snapshot(engine)
            try:
                work()
            except DatabaseUnavailable as exc:
                assert exc.kind == "disk_full", str(exc)
                failures += 1
                disk.room(None)
                if snapshot(engine) != before:
                    partial += 1
            else:
                break
            pages = pages + 1 if pages < (8 if FULL else 3) else int(pages * (1.6 if FULL else 2))
            assert pages <= max_pages, "the work never fitted"
    finally:
        disk.close()
    return failures, partial


# --------------------------------------------------------------------------- the write paths


def _xlsx(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _import(factory: Any, kind: str, path: Path, row_by_row: bool = False) -> None:
    from forms import specs
    from forms.importer import run_import

    spec = specs.SPECS[kind]
    # the engine's row-by-row path (a savepoint per row), which KINDs without a bulk twin take
    saving = (mock.patch.dict(specs.SPECS, {kind: dataclasses.replace(spec, save_many=None)}) if row_by_row
              else contextlib.nullcontext())
    with saving:
        result = run_import(factory, cli_actor(), kind, path)
    assert not result.errors, result.errors[:3]
    assert result.file_error is None


def _first(factory: Any, stmt: Any) -> Any:
    with factory() as s:
        return s.scalar(stmt)


def write_paths(factory: Any, tmp: Path) -> dict[str, Callable[[], None]]:
    """One callable per write path of the application, each a real unit of work on the demo data."""
    from db import alliance, competition, mentoring, people
    from reports import quarterly

    actor = cli_actor()
    with factory() as s:
        programme = s.scalar(select(Student).limit(1)).programme.code  # type: ignore[union-attr]
        staff_no, student_no = s.execute(text(
            "SELECT m.staff_no, st.student_no FROM mentor_assignments a JOIN mentors m ON m.id = a.mentor_id "
            "JOIN students st ON st.id = a.student_id WHERE a.end_on IS NULL ORDER BY a.id LIMIT 1")).one()

    # the two import files, written when their path first runs (a test runs one path: not both every time)
    @functools.cache
    def students() -> Path:
        return _xlsx(tmp / "students.xlsx", ["学号", "姓名", "年级", "培养方案"],
                     [[f"2099{i:06d}", f"断电测试{i}", 2099, programme] for i in range(400)])

    @functools.cache
    def sessions() -> Path:
        return _xlsx(tmp / "sessions.xlsx", ["工号", "学号", "日期", "时长(分钟)", "主题"],
                     [[staff_no, student_no, dt.date(2026, 11, 1) + dt.timedelta(days=i % 20), 30 + i, f"断电 {i}"]
                      for i in range(60)])

    def edit_student() -> None:
        sid = _first(factory, select(Student.id).order_by(Student.id))
        with unit_of_work(factory, actor) as s:
            st = s.get(Student, sid)
            people.save_student(s, actor, {"name": st.name + "改", "phone": "13800000000"}, student_id=sid,
                                expected_version=st.version)

    def new_session() -> None:
        with unit_of_work(factory, actor) as s:
            mentoring.save_session(s, actor, {"staff_no": staff_no, "student_no": student_no,
                                              "date": dt.date(2026, 11, 30), "minutes": 45, "topic": "断电"})

    def review() -> None:
        tid = _first(factory, select(Task.id).where(Task.status == TaskStatus.SUBMITTED).order_by(Task.id))
        with unit_of_work(factory, actor) as s:
            task = s.get(Task, tid)
            mentoring.review_task(s, actor, tid, task.submitted_on, 88, "断电评语 " * 20,
                                  expected_version=task.version)

    def assign_many() -> None:
        with unit_of_work(factory, actor) as s:
            mentor = s.scalar(select(Mentor).join(MentorQualification)
                              .where(MentorQualification.role == MentorRole.STUDY).order_by(Mentor.id))
            ids = list(s.scalars(text(
                "SELECT id FROM students WHERE status = 'active' AND id NOT IN (SELECT student_id FROM "
                "mentor_assignments WHERE role = 'study' AND (end_on IS NULL OR end_on > '2026-11-02')) "
                "ORDER BY id LIMIT 3")))
            assert ids, "the demo data left no student without a study mentor"
            mentoring.bulk_assign(s, actor, ids, mentor, MentorRole.STUDY, dt.date(2026, 11, 2),
                                  override_reason="测试")

    def stage() -> None:
        pid = _first(factory, select(Project.id).where(Project.stage == Stage.SUBMITTED).order_by(Project.id))
        with unit_of_work(factory, actor) as s:
            competition.change_stage(s, actor, pid, Stage.SCREENED, on=dt.date(2026, 11, 3))

    def decide() -> None:
        rid = _first(factory, select(TransferRequest.id).where(TransferRequest.status == TransferStatus.PENDING)
                     .order_by(TransferRequest.id))
        with unit_of_work(factory, actor) as s:
            req = s.get(TransferRequest, rid)
            alliance.decide(s, actor, rid, req.version, Decision.REJECT, reason="断电测试",
                            on=max(req.submitted_on, dt.date(2026, 11, 3)))

    def issue_report() -> None:
        with unit_of_work(factory, actor) as s:
            quarterly.issue(s, actor, "2026Q3")

    return {
        "import students (bulk)": lambda: _import(factory, "students", students()),
        "import sessions (row by row)": lambda: _import(factory, "sessions", sessions(), row_by_row=True),
        "edit a student": edit_student,
        "log a session": new_session,
        "review a task": review,
        "bulk assignment": assign_many,
        "stage change": stage,
        "transfer decision": decide,
        "issue a report": issue_report,
    }


PATHS = ["import students (bulk)", "import sessions (row by row)", "edit a student", "log a session",
         "review a task", "bulk assignment", "stage change", "transfer decision", "issue a report"]


@pytest.mark.parametrize("path", PATHS)
def test_a_disk_that_fills_anywhere_leaves_nothing_half_written(demo_db: Any, tmp_path: Path, path: str) -> None:
    engine, factory, _ = demo_db
    work = write_paths(factory, tmp_path)[path]
    before = snapshot(engine)
    failures, partial = sweep(engine, work)
    assert failures >= 1, "the disk never filled: the test proves nothing"
    assert partial == 0
    assert snapshot(engine) != before, "the work finally fitted and was written"


def test_a_caller_that_carries_on_after_the_disk_filled_cannot_commit(demo_db: Any) -> None:
    """The root of the half-written import: SQLite rolled back, the caller went on in a savepoint per row."""
    from db import mentoring

    engine, factory, _ = demo_db
    actor = cli_actor()
    with factory() as s:
        staff_no, student_no = s.execute(text(
            "SELECT m.staff_no, st.student_no FROM mentor_assignments a JOIN mentors m ON m.id = a.mentor_id "
            "JOIN students st ON st.id = a.student_id WHERE a.end_on IS NULL ORDER BY a.id LIMIT 1")).one()
    before = snapshot(engine)
    disk = FullDisk(engine)
    disk.room(1)
    refused = 0
    with pytest.raises(Exception):  # noqa: B017 - whatever the last statement says, it must not commit
        with unit_of_work(factory, actor) as s:
            for i in range(200):
                try:
                    with s.begin_nested():
                        mentoring.save_session(s, actor, {"staff_no": staff_no, "student_no": student_no,
                                                          "date": dt.date(2026, 11, 30), "minutes": 10 + i,
                                                          "topic": "继续写 " * 50})
                except DatabaseUnavailable:
                    refused += 1
    disk.close()
    assert refused >= 1
    assert snapshot(engine) == before


def test_cli_import_on_a_full_disk_exits_3_and_writes_nothing(demo_db: Any, tmp_path: Path) -> None:
    engine, factory, target = demo_db
    with factory() as s:
        programme = s.scalar(select(Student).limit(1)).programme.code  # type: ignore[union-attr]
    path = _xlsx(tmp_path / "roster.xlsx", ["学号", "姓名", "年级", "培养方案"],
                 [[f"2098{i:06d}", f"满盘{i}", 2098, programme] for i in range(3000)])
    before = snapshot(engine)
    engine.dispose()
    # the full disk, made in the CLI's own process: a sitecustomize caps every new SQLite connection
    hook = tmp_path / "hook"
    hook.mkdir()
    with sqlite3.connect(target.sqlite_path) as c:
        used = c.execute("PRAGMA page_count").fetchone()[0]
    (hook / "sitecustomize.py").write_text(
        "import sqlite3, sqlite3.dbapi2\n_connect = sqlite3.dbapi2.connect\n"
        f"def connect(*a, **k):\n    c = _connect(*a, **k)\n    c.execute('PRAGMA max_page_count={used + 40}')\n"
        "    return c\nsqlite3.connect = sqlite3.dbapi2.connect = connect\n", encoding="utf-8")
    env = {"PYTHONPATH": f"{hook}:{ROOT}", "LANG": "zh_CN.UTF-8", "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, str(ROOT / "main.py"), "import", "students", str(path),
                          "--db", str(target.sqlite_path)], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 3, run.stderr
    assert "磁盘已满" in run.stderr and "未保存任何内容" in run.stderr
    assert "sqlite3" not in run.stderr and "INSERT" not in run.stderr
    assert snapshot(engine) == before


# --------------------------------------------------------------------------- another writer holds the file


def test_a_second_writer_waits_for_the_first_then_is_told_the_database_is_busy(
        demo_db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from db import mentoring

    engine, factory, target = demo_db
    monkeypatch.setattr(engine_mod, "BUSY_TIMEOUT_MS", 300)
    engine.dispose()
    holder = sqlite3.connect(target.sqlite_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # an import in another program, mid-way
    before = snapshot(engine)
    actor = cli_actor()
    try:
        with factory() as s:
            staff_no, student_no = s.execute(text(
                "SELECT m.staff_no, st.student_no FROM mentor_assignments a JOIN mentors m ON m.id = a.mentor_id "
                "JOIN students st ON st.id = a.student_id WHERE a.end_on IS NULL ORDER BY a.id LIMIT 1")).one()
        set_language("zh")
        with pytest.raises(DatabaseUnavailable) as caught:
            with unit_of_work(factory, actor) as s:
                mentoring.save_session(s, actor, {"staff_no": staff_no, "student_no": student_no,
                                                  "date": dt.date(2026, 11, 30), "minutes": 45})
        assert caught.value.kind == "busy"
        assert "另一个程序正在写入" in str(caught.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert snapshot(engine) == before
    # once the other program is done, the same save goes through
    with unit_of_work(factory, actor) as s:
        mentoring.save_session(s, actor, {"staff_no": staff_no, "student_no": student_no,
                                          "date": dt.date(2026, 11, 30), "minutes": 45})


def test_a_writer_that_read_first_is_not_refused_when_another_program_commits_meanwhile(demo_db: Any) -> None:
    """BEGIN IMMEDIATE for units of work: a save that reads, then writes, never fails at once because
    another program wrote in between (it waits its turn instead)."""
    from db import people

    engine, factory, target = demo_db
    actor = cli_actor()
    sid = _first(factory, select(Student.id).order_by(Student.id))
    other = sqlite3.connect(target.sqlite_path, isolation_level=None, timeout=5)
    with unit_of_work(factory, actor) as s:
        st = s.get(Student, sid)
        # the other program's write waits for this unit of work instead of invalidating its snapshot
        with pytest.raises(sqlite3.OperationalError):
            other.execute("PRAGMA busy_timeout=50")
            other.execute("UPDATE students SET phone='13900000000' WHERE id != ?", (sid,))
        people.save_student(s, actor, {"phone": "13811111111"}, student_id=sid, expected_version=st.version)
    other.close()
    with factory() as s:
        assert s.get(Student, sid).phone == "13811111111"


# --------------------------------------------------------------------------- the server goes away (PostgreSQL)


def _kill_backends(db: Any) -> None:
    from conftest import pg_server_url  # type: ignore[import-not-found]
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    admin = create_engine(make_url(pg_server_url()).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d "
                          "AND pid <> pg_backend_pid()"), {"d": db.target.url.database})
    admin.dispose()


def test_a_connection_killed_mid_import_writes_nothing_and_says_the_server_is_unreachable(
        pg_db: Any, tmp_path: Path) -> None:
    from db.curriculum import save_programme
    from forms.importer import run_import

    actor = cli_actor()
    with unit_of_work(pg_db.factory, actor) as s:
        save_programme(s, actor, {"code": "P1", "name": "断线方案"})
    path = _xlsx(tmp_path / "s.xlsx", ["工号", "姓名", "单位", "导师类型"],
                 [[f"T{i:05d}", f"断线{i}", "重庆大学", "学术"] for i in range(300)])
    before = snapshot(pg_db.engine)
    calls = {"n": 0}

    def kill_midway(*_a: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 6:
            _kill_backends(pg_db)

    event.listen(pg_db.engine, "before_cursor_execute", kill_midway)
    try:
        with pytest.raises(DatabaseUnavailable) as caught:
            run_import(pg_db.factory, actor, "mentors", path)
    finally:
        event.remove(pg_db.engine, "before_cursor_execute", kill_midway)
    assert caught.value.kind == "unreachable"
    assert snapshot(pg_db.engine) == before
    # the next action works: the pool replaces the dead connection
    result = run_import(pg_db.factory, actor, "mentors", path)
    assert result.created == 300


@pytest.mark.parametrize("step", [2, 4, 7])
def test_a_connection_killed_during_a_save_writes_nothing(pg_db: Any, step: int) -> None:
    from db.curriculum import save_programme

    actor = cli_actor()
    before = snapshot(pg_db.engine)
    calls = {"n": 0}

    def kill(*_a: Any) -> None:
        calls["n"] += 1
        if calls["n"] == step:
            _kill_backends(pg_db)

    event.listen(pg_db.engine, "before_cursor_execute", kill)
    try:
        with pytest.raises(TalentDeskError) as caught:
            with unit_of_work(pg_db.factory, actor) as s:
                for i in range(4):
                    save_programme(s, actor, {"code": f"K{i}", "name": f"断线{i}"})
    finally:
        event.remove(pg_db.engine, "before_cursor_execute", kill)
    assert isinstance(caught.value, DatabaseUnavailable) and caught.value.kind == "unreachable"
    assert snapshot(pg_db.engine) == before


def test_messages_are_in_chinese_and_carry_no_driver_text() -> None:
    from db import failures

    set_language("zh")
    for orig, backend, needle in [
        (sqlite3.OperationalError("database or disk is full"), "sqlite", "磁盘已满"),
        (sqlite3.OperationalError("database is locked"), "sqlite", "正忙"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "sqlite", "只读"),
        (sqlite3.OperationalError("disk I/O error"), "sqlite", "磁盘错误"),
    ]:
        if sys.version_info >= (3, 11):
            orig.sqlite_errorcode = {"磁盘已满": 13, "正忙": 5, "只读": 8, "磁盘错误": 10}[needle]  # type: ignore[attr-defined]
        err = failures.translate(orig, backend)
        assert err is not None and needle in str(err) and "sqlite" not in str(err).lower()
    import psycopg

    refused = psycopg.OperationalError('connection failed: connection to server at "10.0.0.9", port 5432 failed: '
                                       "Connection refused")
    err = failures.translate(refused, "postgresql")
    assert err is not None and "无法连接数据库服务器" in str(err) and "10.0.0.9" not in str(err)


def test_demo_generation_on_a_full_disk_writes_nothing(tmp_path: Path) -> None:
    target = resolve(str(tmp_path / "empty.db"))
    engine = make_engine(target)
    migrate.upgrade(engine, target)
    disk = FullDisk(engine)
    disk.room(300)
    before = snapshot(engine)
    with pytest.raises(DatabaseUnavailable) as caught:
        demo.generate(engine, scale=1)
    assert caught.value.kind == "disk_full"
    disk.close()
    assert snapshot(engine) == before
    engine.dispose()


def _deleted_side_files() -> list[str]:
    import os

    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            link = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if link.endswith(" (deleted)") and ("-wal" in link or "-shm" in link):
            found.append(link)
    return found


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads the process's open files from /proc")
def test_a_command_line_import_beside_the_open_app_never_leaves_it_writing_to_a_deleted_log(
        demo_db: Any, tmp_path: Path) -> None:
    """The app holds its connections open (after the daily backup at start-up) while a terminal runs
    imports on the same file: when those end, they must not delete the WAL the app still writes to."""
    from db import backup, people

    engine, factory, target = demo_db
    backup.daily_backup_if_due(target)
    actor = cli_actor()
    with factory() as s:
        programme = s.scalar(select(Student).limit(1)).programme.code  # type: ignore[union-attr]
    roster = _xlsx(tmp_path / "r.xlsx", ["学号", "姓名", "年级", "培养方案"],
                   [[f"2097{i:06d}", f"并行{i}", 2097, programme] for i in range(50)])
    for extra in (["--dry-run"], []):
        run = subprocess.run([sys.executable, str(ROOT / "main.py"), "import", "students", str(roster),
                              "--db", str(target.sqlite_path), *extra], capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        assert _deleted_side_files() == []
        sid = _first(factory, select(Student.id).order_by(Student.id))
        with unit_of_work(factory, actor) as s:
            st = s.get(Student, sid)
            people.save_student(s, actor, {"phone": f"1390000000{len(extra)}"}, student_id=sid,
                                expected_version=st.version)
        other = sqlite3.connect(target.sqlite_path)  # another program sees the app's save
        phone = other.execute("SELECT phone FROM students WHERE id = ?", (sid,)).fetchone()[0]
        assert phone == f"1390000000{len(extra)}"
        other.close()
        assert _deleted_side_files() == []


# --------------------------------------------------------------------------- every path, every fault


@pytest.mark.parametrize("path", PATHS)
def test_every_write_path_waits_for_another_writer_then_says_busy_and_writes_nothing(
        demo_db: Any, tmp_path: Path, path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine, factory, target = demo_db
    work = write_paths(factory, tmp_path)[path]
    monkeypatch.setattr(engine_mod, "BUSY_TIMEOUT_MS", 150)
    engine.dispose()
    before = snapshot(engine)
    holder = sqlite3.connect(target.sqlite_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseUnavailable) as caught:
            work()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert caught.value.kind == "busy"
    assert snapshot(engine) == before
    work()  # the other program is done: the same work goes through
    assert snapshot(engine) != before


@pytest.mark.parametrize("path", PATHS)
def test_every_write_path_cut_off_by_the_server_at_any_statement_writes_nothing(
        pg_demo_db: Any, tmp_path: Path, path: str) -> None:
    """The server kills the connection before the 1st, 2nd, 3rd, 5th, 9th … statement of the work (the
    quick profile: 1st, 2nd, 3rd, 6th, 12th …), until the work has fewer statements than that and goes
    through: every cut leaves the database as it was."""
    work = write_paths(pg_demo_db.factory, tmp_path)[path]
    cuts = partial = 0
    at = 1
    while True:
        before = snapshot(pg_demo_db.engine)
        calls = {"n": 0, "fired": False}

        def cut(*_a: Any) -> None:
            calls["n"] += 1
            if calls["n"] == at:
                calls["fired"] = True
                _kill_backends(pg_demo_db)

        event.listen(pg_demo_db.engine, "before_cursor_execute", cut)
        try:
            work()
        except DatabaseUnavailable as exc:
            assert exc.kind == "unreachable", str(exc)
            cuts += 1
            if snapshot(pg_demo_db.engine) != before:
                partial += 1
        else:
            assert not calls["fired"], f"cut before statement {at} and still acknowledged"
            break
        finally:
            event.remove(pg_demo_db.engine, "before_cursor_execute", cut)
        at = at + 1 if at < 3 else (int(at * 1.6) + 1 if FULL else at * 2)  # quick profile: 1, 2, 3, 6, 12 …
    assert cuts >= 3 and partial == 0
