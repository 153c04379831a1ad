"""Several SELECTs read in one statement: one round trip over the office network instead of one each
(issue #25). Qt-free; both backends.

``read_together`` puts the statements side by side in one UNION ALL: each statement's columns have places
of their own (typed NULLs in the other statements' rows, so every column keeps its type and its result
processing — enums, dates, booleans — on SQLite as on PostgreSQL), and every row is tagged with the
statement it answers and its place in that statement's order. What each statement selects, and so every
definition behind it, stays where it is written; only the trip to the server is shared.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import cast, func, literal, null, select, union_all
from sqlalchemy.orm import Session


def read_together(session: Session, statements: Sequence[Any], orders: Sequence[Sequence[str]] | None = None,
                  ) -> list[list[tuple[Any, ...]]]:
    """The rows of each of ``statements`` (SELECTs or UNION ALLs of them, without ORDER BY), in one statement.

    ``orders``: per statement, the names of its columns its rows are ordered by (empty: any order)."""
    keys: list[Sequence[str]] = list(orders) if orders is not None else [() for _ in statements]
    subs = [stmt.subquery(f"part_{i}") for i, stmt in enumerate(statements)]
    if len(subs) == 1:
        sub = subs[0]
        return [[tuple(r) for r in session.execute(select(*sub.c).order_by(*(sub.c[k] for k in keys[0])))]]
    parts = []
    for i, sub in enumerate(subs):
        seq = func.row_number().over(order_by=[sub.c[k] for k in keys[i]]) if keys[i] else literal(0)
        columns: list[Any] = [literal(i).label("part_no"), seq.label("seq")]
        for j, other in enumerate(subs):
            columns += [col.label(f"p{j}_{n}") if j == i else cast(null(), col.type).label(f"p{j}_{n}")
                        for n, col in enumerate(other.c)]
        parts.append(select(*columns).select_from(sub))
    every = union_all(*parts).subquery()
    starts = [2]
    for sub in subs:
        starts.append(starts[-1] + len(sub.c))
    out: list[list[tuple[Any, ...]]] = [[] for _ in subs]
    for row in session.execute(select(*every.c).order_by(every.c.part_no, every.c.seq)):
        i = row[0]
        out[i].append(tuple(row[starts[i]:starts[i + 1]]))
    return out


__all__ = ["read_together"]
