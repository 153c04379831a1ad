"""Pulling the plug on SQLite: a writer killed with SIGKILL at random moments, 200 times.

After every kill: PRAGMA integrity_check is ok, every commit the writer reported is there, and
every import batch is either wholly present or wholly absent. The writers are forked from a server
process that has already imported TalentDesk (multiprocessing's forkserver), so 200 kills take
seconds, not minutes.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from suiteprofile import scaled

from db.actor import cli_actor, unit_of_work
from db.curriculum import save_programme
from tests.crash_writer import IMPORT_ROWS, write_until_killed

KILLS = scaled(200, 8)  # suiteprofile: 200 in CI

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fork are POSIX")


def _read_lines(fd: int) -> list[str]:
    chunks = []
    while True:
        try:
            data = os.read(fd, 65536)
        except BlockingIOError:
            break
        if not data:
            break
        chunks.append(data)
    text = b"".join(chunks).decode(errors="replace")
    lines = text.split("\n")
    return lines[:-1]  # the last piece is empty or a line cut short by the kill: not reported


@pytest.mark.slow
def test_sigkill_at_random_points_loses_nothing_reported(sqlite_db: Any) -> None:
    with unit_of_work(sqlite_db.factory, cli_actor()) as s:
        save_programme(s, cli_actor(), {"code": "P1", "name": "崩溃测试方案"})
    sqlite_db.engine.dispose()
    db_path = str(sqlite_db.target.sqlite_path)
    folder = Path(db_path).parent / "imports"
    folder.mkdir()

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["tests.crash_writer", "db.people", "forms.importer", "db.audit"])
    rng = random.Random(20261122)
    reported: set[str] = set()
    imports: dict[str, int] = {}
    checked = 0
    for round_no in range(KILLS):
        reader, writer = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=write_until_killed, args=(db_path, round_no, writer, str(folder), round_no),
                           daemon=True)
        proc.start()
        writer.close()
        read_fd = reader.fileno()
        # wait for the writer's first commit (a loaded machine may take a while to fork and connect),
        # then kill it at a random moment of the writes that follow
        assert reader.poll(30), f"round {round_no}: the writer never wrote"
        os.set_blocking(read_fd, False)
        time.sleep(rng.uniform(0.0, 0.25))
        proc.kill()  # SIGKILL: no cleanup, no rollback, no flush
        proc.join(10)
        assert proc.exitcode == -9, f"round {round_no}: the writer ended on its own ({proc.exitcode})"
        for line in _read_lines(read_fd):
            kind, key, *rest = line.split()
            if kind == "commit":
                reported.add(key)
            else:
                imports[key] = int(rest[0])
        reader.close()

        con = sqlite3.connect(db_path)
        try:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok", f"round {round_no}"
            present = {row[0] for row in con.execute("SELECT student_no FROM students WHERE student_no LIKE 'R%'")}
        finally:
            con.close()
        missing = reported - present
        assert not missing, f"round {round_no}: reported commits lost: {sorted(missing)[:5]}"
        batches: dict[str, int] = {}
        for no in present:
            if "-B" in no:
                batch = no.rsplit("-", 1)[0]
                batches[batch] = batches.get(batch, 0) + 1
        half = {b: n for b, n in batches.items() if n != IMPORT_ROWS}
        assert not half, f"round {round_no}: half-applied imports {half}"
        assert all(batches.get(b) == n for b, n in imports.items()), "a reported import is missing"
        checked += 1
    assert checked == KILLS
    assert len(reported) > KILLS and imports  # the writers really wrote, and imported, between kills
    print(f"\n{KILLS} SIGKILLs: integrity ok every time; {len(reported)} reported commits and {len(imports)} "
          f"reported imports all present; 0 half-applied imports")
