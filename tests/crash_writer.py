"""The writer process of the crash-safety harness (tests/test_crash_safety.py).

It writes through the real services and the real import engine and reports, one line per event on
a pipe, every commit that returned: ``commit <student_no>`` and ``import <batch> <rows>``. The
harness kills it with SIGKILL at a random moment and then checks the database.
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

IMPORT_ROWS = 40


def write_until_killed(db_path: str, round_no: int, conn: Any, folder: str, seed: int) -> None:
    """``conn``: the writing end of a multiprocessing pipe; lines go to its raw descriptor."""
    fd = conn.fileno()
    from openpyxl import Workbook

    from db import audit  # noqa: F401  (the audit listener, as in the app)
    from db.actor import cli_actor, unit_of_work
    from db.engine import make_engine, resolve, session_factory
    from db.people import save_student
    from forms.importer import run_import

    rng = random.Random(seed)
    engine = make_engine(resolve(db_path))
    factory = session_factory(engine)
    actor = cli_actor()
    n = 0
    while True:
        if rng.random() < 0.15:
            batch = f"R{round_no}-B{n}"
            path = Path(folder) / f"{batch}.xlsx"
            wb = Workbook()
            wb.active.append(["学号", "姓名", "年级", "培养方案"])
            for i in range(IMPORT_ROWS):
                wb.active.append([f"{batch}-{i}", "导入测试", 2026, "P1"])
            wb.save(path)
            result = run_import(factory, actor, "students", path)
            if result.committed:
                os.write(fd, f"import {batch} {result.created}\n".encode())
        else:
            no = f"R{round_no}-S{n}"
            with unit_of_work(factory, actor) as session:
                save_student(session, actor, {"student_no": no, "name": "崩溃测试", "cohort": 2026,
                                              "programme": "P1"})
            os.write(fd, f"commit {no}\n".encode())
        n += 1
