"""Time the 50/50 balance: ``python tests/benchmarks/bench_curriculum.py [--db URL] [--scale 10]``.

The requirement (issue 4): on ten-year demo data (``demo --scale 10``, about 20,000 students and
300,000 enrolments) the balance of every programme (plan), every cohort and every student is computed
in under 2 s. Timed as the curriculum page computes it: db.curriculum.balance_tables, which
reads the passed enrolments once (db.balance.enrolment_credits: the cohorts' taught credits) and adds
the recognised credits (db.balance.recognised_credit_sums) to get every student's earned credits. Without --db a fresh
SQLite file is filled with demo data at --scale first (not timed). Not collected by pytest.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import func, select  # noqa: E402

from db import audit, curriculum, demo, migrate  # noqa: E402,F401
from db.actor import cli_actor  # noqa: E402
from db.engine import make_engine, resolve, session_factory  # noqa: E402
from db.models import Enrolment, Student  # noqa: E402

TARGET_S = 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing demo database (path or URL); default: generate one")
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--on", default=None, help="the day (default: today)")
    args = parser.parse_args()
    tmp = None
    if args.db:
        target = resolve(args.db)
        engine = make_engine(target)
    else:
        tmp = tempfile.TemporaryDirectory()
        target = resolve(str(Path(tmp.name) / "bench.db"))
        engine = make_engine(target)
        migrate.upgrade(engine, target)
        print(f"generating demo data at scale {args.scale}…", flush=True)
        demo.generate(engine, scale=args.scale)
    factory = session_factory(engine)
    actor = cli_actor()
    on = dt.date.fromisoformat(args.on) if args.on else dt.date.today()
    with factory() as s:
        students = s.scalar(select(func.count()).select_from(Student))
        enrolments = s.scalar(select(func.count()).select_from(Enrolment))
    print(f"{target.display()}: {students} students, {enrolments} enrolments; balance on {on}")

    def run() -> tuple[int, int, int, int]:
        with factory() as s:
            tables = curriculum.balance_tables(s, actor, on)
        everyone = tables.students
        return len(tables.plans), len(tables.cohorts), len(everyone), sum(1 for b in everyone if b.out_of_band)

    result = run()  # warm-up
    times, cpu = [], []
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        result = run()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    median = statistics.median(times)
    plans, cohorts, n, out = result
    print(f"{plans} plans, {cohorts} cohorts, {n} students ({out} out of band): "
          f"median {median:.3f} s, max {max(times):.3f} s over {args.repeat} runs (target < {TARGET_S:.0f} s); "
          f"CPU time of this process {statistics.median(cpu):.3f} s (wall time includes waiting for a busy "
          "machine; the database work of SQLite runs in this process, of PostgreSQL in the server)")
    if tmp is not None:
        engine.dispose()
        tmp.cleanup()
    return 0 if median < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
