"""Time the Mentoring page's lists: ``python tests/benchmarks/bench_mentoring.py [--db URL] [--scale 10]``.

The requirement (issue 3) is that on ten-year demo data (``demo --scale 10``) the missing-role queue and
the workload page open in under 200 ms. "Open" is what the list page does when it is first shown: count
the rows and fetch the first page (200 rows), in SQL. The no-contact list and the mentor's desk are timed
too (no target). Without --db a fresh SQLite file is filled with demo data at --scale first (not timed).
Not collected by pytest (the file name does not start with ``test_``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import select  # noqa: E402

from db import audit, coverage, demo, listing, lists, mentoring, migrate  # noqa: E402,F401
from db.actor import Actor, cli_actor  # noqa: E402
from db.engine import make_engine, resolve, session_factory  # noqa: E402
from db.models import Role, User  # noqa: E402

TARGET_MS = 200.0


def _time(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    """Median wall time in ms over ``repeat`` runs (after one warm-up), and the last result."""
    result = fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def run(url: str) -> int:
    target = resolve(url)
    engine = make_engine(target)
    factory = session_factory(engine)
    admin = cli_actor()
    failed = False

    def open_list(name: str, query: listing.ListQuery) -> Callable[[], tuple[int, int]]:
        spec = lists.SPECS[name]

        def fn() -> tuple[int, int]:
            with factory() as s:
                n = listing.count(s, admin, spec, query)
                rows = listing.fetch(s, admin, spec, query, 0, 200)
            return n, len(rows)

        return fn

    with factory() as s:
        days = mentoring.no_contact_days(s)
        mentor_user = s.scalar(select(User).where(User.role == Role.MENTOR).limit(1))
    checks: list[tuple[str, Callable[[], Any], float | None]] = [
        ("missing-role queue (open)", open_list("missing_roles", listing.ListQuery()), TARGET_MS),
        ("missing-role queue sorted by name", open_list("missing_roles", listing.ListQuery(sort_key="name")),
         TARGET_MS),
        ("workload (open)", open_list("workload", listing.ListQuery()), TARGET_MS),
        ("workload: over capacity", open_list("workload", listing.ListQuery(filters={"load": "over"})), TARGET_MS),
        (f"no-contact list ({days} days)", open_list("no_contact", listing.ListQuery(filters={"days": days})), None),
    ]
    if mentor_user is not None:
        me = Actor(mentor_user.username, Role.MENTOR, mentor_user.id, mentor_user.mentor_id)

        def desk() -> int:
            with factory() as s:
                return len(mentoring.mentor_desk(s, me).mentees)

        checks.append((f"mentor desk ({mentor_user.username})", desk, None))
    print(f"database: {target.display()}")
    for label, fn, limit in checks:
        ms, result = _time(fn)
        verdict = "" if limit is None else ("  ok" if ms < limit else f"  TOO SLOW (target < {limit:.0f} ms)")
        failed |= limit is not None and ms >= limit
        print(f"  {label:<40} {ms:8.1f} ms   rows {result}{verdict}")
    engine.dispose()
    return 1 if failed else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", help="a database with demo data (default: generate one at --scale)")
    ap.add_argument("--scale", type=int, default=10)
    args = ap.parse_args()
    if args.db:
        return run(args.db)
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "bench.db")
        target = resolve(path)
        engine = make_engine(target)
        migrate.upgrade(engine, target)
        t0 = time.perf_counter()
        demo.generate(engine, scale=args.scale)
        engine.dispose()
        print(f"demo data at scale {args.scale}: {time.perf_counter() - t0:.1f} s")
        return run(path)


if __name__ == "__main__":
    sys.exit(main())
