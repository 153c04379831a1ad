"""Several PCs on one PostgreSQL server: no lost update, and a dropped connection is survived."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import create_engine, func, select, text
from suiteprofile import scaled

from db.actor import cli_actor, unit_of_work
from db.curriculum import save_programme
from db.errors import DatabaseUnavailable
from db.models import Student
from db.people import save_student
from forms.importer import run_import
from tests.concurrency_worker import edit

PROCESSES, EDITS = 4, scaled(500, 60)  # suiteprofile: 2,000 edits in CI


def _seed(db: Any, n: int) -> list[int]:
    with unit_of_work(db.factory, cli_actor()) as s:
        save_programme(s, cli_actor(), {"code": "P1", "name": "并发测试"})
        ids = [save_student(s, cli_actor(), {"student_no": f"C{i}", "name": "并发", "cohort": 2026,
                                             "programme": "P1"})[0].id for i in range(n)]
    return ids


@pytest.mark.slow
def test_four_pcs_two_thousand_edits_no_lost_update(pg_db: Any) -> None:
    ids = _seed(pg_db, 12)
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    procs = [ctx.Process(target=edit, args=(pg_db.url, ids, EDITS, seed, results)) for seed in range(PROCESSES)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    with pg_db.factory() as s:
        total = sum(int(n or 0) for n in s.scalars(select(Student.notes).where(Student.id.in_(ids))))
    assert sum(done for done, _c in outcomes) == PROCESSES * EDITS
    assert total == PROCESSES * EDITS, f"{PROCESSES * EDITS - total} lost updates"
    conflicts = sum(c for _d, c in outcomes)
    assert conflicts > 0  # the PCs really did collide, and every collision was caught
    print(f"\n{PROCESSES} processes, {PROCESSES * EDITS} edits: 0 lost updates, {conflicts} conflicts caught")


def _kill_connections(url: str, database: str) -> int:
    admin = create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        # with a timeout (PostgreSQL 14+) each call returns once that backend has ended and said so to its
        # client: without it the kill is only a signal, and the client's next action could come first
        killed = conn.scalar(text(
            "SELECT count(pg_terminate_backend(pid, 10000)) FROM pg_stat_activity "
            "WHERE datname = :db AND pid <> pg_backend_pid()"), {"db": database})
    admin.dispose()
    return int(killed or 0)


def test_a_connection_killed_by_the_server_is_recovered_on_the_next_action(pg_db: Any) -> None:
    _seed(pg_db, 1)
    with pg_db.factory() as s:
        assert s.scalar(select(func.count()).select_from(Student)) == 1  # a pooled connection now exists
    assert _kill_connections(pg_db.url, pg_db.target.url.database) >= 1
    with unit_of_work(pg_db.factory, cli_actor()) as s:  # the next action: no restart needed
        save_student(s, cli_actor(), {"student_no": "after", "name": "重连", "cohort": 2026, "programme": "P1"})
    with pg_db.factory() as s:
        assert s.scalar(select(func.count()).select_from(Student)) == 2


def test_a_pooled_connection_costs_no_ping_round_trip(pg_db: Any) -> None:
    """Every action used to begin with the pool's pre-ping SELECT 1: a round trip more for each, over an
    office network. A dropped connection is now found without one (db.engine._pg_checkout)."""
    from sqlalchemy import event

    sent: list[str] = []
    event.listen(pg_db.engine, "before_cursor_execute", lambda *a: sent.append(a[2]))
    with pg_db.factory() as s:
        s.scalar(select(func.count()).select_from(Student))
    sent.clear()
    with pg_db.factory() as s:  # a pooled connection again
        s.scalar(select(func.count()).select_from(Student))
    assert len(sent) == 1 and "count" in sent[0].lower(), sent
    assert pg_db.engine.pool._pre_ping is False


def test_an_import_cut_off_by_the_server_leaves_nothing_behind(pg_db: Any, tmp_path: Path) -> None:
    _seed(pg_db, 0)
    wb = Workbook()
    wb.active.append(["学号", "姓名", "年级", "培养方案"])
    for i in range(600):
        wb.active.append([f"I{i}", "中断", 2026, "P1"])
    wb.save(tmp_path / "big.xlsx")
    fired = threading.Event()

    def progress(done: int, total: int) -> None:
        if done > 200 and not fired.is_set():
            fired.set()
            _kill_connections(pg_db.url, pg_db.target.url.database)

    with pytest.raises(DatabaseUnavailable) as caught:  # said as the server being unreachable, not as a row
        run_import(pg_db.factory, cli_actor(), "students", tmp_path / "big.xlsx", progress=progress)
    assert fired.is_set() and caught.value.kind == "unreachable"
    with pg_db.factory() as s:
        assert s.scalar(select(func.count()).select_from(Student)) == 0


pytestmark = pytest.mark.postgres
