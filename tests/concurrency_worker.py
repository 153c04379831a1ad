"""A PC editing shared records concurrently (tests/test_postgres_concurrency.py).

Each edit reads a student, adds one to the counter kept in its notes, and saves with the version it
read (optimistic locking). A ConflictError means another PC saved first: reload and try again,
exactly what the desktop's conflict dialog offers.
"""

from __future__ import annotations

import random
from typing import Any


def edit(url: str, student_ids: list[int], edits: int, seed: int, results: Any) -> None:
    from db import audit  # noqa: F401
    from db.actor import cli_actor, unit_of_work
    from db.engine import make_engine, resolve, session_factory
    from db.errors import ConflictError
    from db.models import Student
    from db.people import save_student

    engine = make_engine(resolve(url))
    factory = session_factory(engine)
    actor = cli_actor()
    rng = random.Random(seed)
    conflicts = 0
    done = 0
    while done < edits:
        sid = rng.choice(student_ids)
        with factory() as s:
            st = s.get(Student, sid)
            assert st is not None
            version, count = st.version, int(st.notes or 0)
        try:
            with unit_of_work(factory, actor) as s:
                save_student(s, actor, {"notes": str(count + 1)}, student_id=sid, expected_version=version)
            done += 1
        except ConflictError:
            conflicts += 1
    engine.dispose()
    results.put((done, conflicts))
