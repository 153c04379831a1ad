"""Time the demo-data generator: ``python tests/benchmarks/bench_demo.py [--scale 10] [--db URL]``.

The requirement (issue: demo data) is scale 10 in under 60 s on SQLite on a 2-core machine. Without
--db it uses a fresh SQLite file in a temporary folder; a PostgreSQL URL must name an empty database.
Not collected by pytest (the file name does not start with ``test_``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from db import audit, demo, migrate  # noqa: E402,F401  (audit registers its listener)
from db.engine import make_engine, resolve  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scale", type=int, nargs="+", default=[1, 10])
    ap.add_argument("--db", help="database URL (default: a fresh SQLite file per run)")
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    for scale in args.scale:
        with tempfile.TemporaryDirectory() as tmp:
            target = resolve(args.db or str(Path(tmp) / "bench.db"))
            engine = make_engine(target)
            migrate.upgrade(engine, target)
            marks: list[tuple[float, str]] = []
            t0 = time.perf_counter()
            summary = demo.generate(engine, scale=scale, seed=args.seed,
                                    progress=lambda label, _i, _n: marks.append((time.perf_counter() - t0, label)))
            total = time.perf_counter() - t0
            engine.dispose()
        print(f"scale {scale} on {engine.dialect.name}: {total:.1f} s, {summary.total_rows:,} rows")
        last = 0.0
        for at, label in marks:
            print(f"  {label:<22} {at - last:6.1f} s")
            last = at
        for table, n in summary.counts.items():
            print(f"  {table:<22} {n:>9,}")
        if args.db:
            break  # a server database is no longer empty after the first run
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
