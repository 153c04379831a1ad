"""The big lists (enrolments, sessions) page their ids first, sorted through the sorted column's own
table (students by name, terms by code …), then read the page's rows. Whatever the sort key,
direction, search, filter or page, they must show exactly the rows, in exactly the order, of the
plain query: every joined row, filtered, ``ORDER BY key, id``, ``OFFSET … LIMIT …``. Names repeat,
scores and dates are missing, and one term holds most enrolments, so ties and NULLs are exercised."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from sqlalchemy import insert, or_, select
from suiteprofile import FULL

from db import listing, lists
from db.actor import Actor
from db.models import (
    Course,
    CourseCategory,
    Enrolment,
    Mentor,
    MentoringSession,
    Organisation,
    Programme,
    ProgrammeCourse,
    SessionKind,
    Student,
    Term,
)

NAMES = ["王伟", "王芳", "李娜", "张敏", "王伟", "刘洋", "陈静", "李娜", "赵磊", "王伟"]  # ties on purpose


def _academy(db: Any) -> None:
    rnd = random.Random(8)
    with db.factory() as s, s.begin():
        s.execute(insert(Organisation), [{"id": 1, "name": "重庆大学"}, {"id": 2, "name": "华为"}])
        s.execute(insert(Programme), [{"id": 1, "code": "AI", "name": "人工智能"},
                                      {"id": 2, "code": "DS", "name": "数据科学"}])
        s.execute(insert(Student), [
            {"id": i, "student_no": f"2025{i:04d}", "name": NAMES[i % len(NAMES)], "cohort": 2023 + i % 3,
             "programme_id": 1 + i % 2, "home_university_id": 1 if i % 3 else None} for i in range(1, 31)])
        s.execute(insert(Course), [
            {"id": i, "code": f"C{i:02d}", "name": ["机器学习", "深度学习", "数据库", "机器学习导论"][i % 4],
             "credits": [2.0, 3.0, 1.5][i % 3], "category": list(CourseCategory)[i % len(CourseCategory)]}
            for i in range(1, 9)])
        s.execute(insert(ProgrammeCourse), [{"programme_id": 1 + c % 2, "course_id": c} for c in range(1, 9)])
        s.execute(insert(Term), [
            {"id": 1, "code": "2024-2025-1", "start_on": dt.date(2024, 9, 1), "end_on": dt.date(2025, 1, 31)},
            {"id": 2, "code": "2024-2025-2", "start_on": dt.date(2025, 2, 1), "end_on": dt.date(2025, 7, 31)},
            {"id": 3, "code": "2025-2026-1", "start_on": dt.date(2025, 9, 1), "end_on": dt.date(2026, 1, 31)}])
        rows, seen = [], set()
        while len(rows) < 150:
            key = (rnd.randint(1, 30), rnd.randint(1, 8), rnd.choice((1, 2, 3, 3, 3)))
            if key in seen:
                continue
            seen.add(key)
            score = rnd.choice((None, 55, 60, 75, 75, 90))
            rows.append({"student_id": key[0], "course_id": key[1], "term_id": key[2],
                         "score_text": None if score is None else str(score), "score": score,
                         "passed": score is not None and score >= 60,
                         "passed_on": dt.date(2025, 1, 10) if score and score >= 60 and rnd.random() < .7 else None})
        rnd.shuffle(rows)  # ids must not follow any sort key
        s.execute(insert(Enrolment), rows)
        s.execute(insert(Mentor), [{"id": i, "staff_no": f"T{i:03d}", "name": ["张强", "李明", "王伟"][i % 3],
                                    "organisation_id": 1 + i % 2} for i in range(1, 7)])
        s.execute(insert(MentoringSession), [
            {"mentor_id": rnd.randint(1, 6), "student_id": rnd.randint(1, 30),
             "held_on": dt.date(2025, 1, 1) + dt.timedelta(days=rnd.randint(0, 20)), "minutes": rnd.choice((30, 60)),
             "kind": rnd.choice(list(SessionKind)), "topic": rnd.choice((None, "论文", "项目"))} for _ in range(160)])


def _plain(db: Any, actor: Actor, spec: listing.ListSpec, query: listing.ListQuery) -> list[listing.ListRow]:
    """Every row of the list the straightforward way: all joins, one ORDER BY, no paging."""
    cols = [spec.id_expr, spec.version_expr, *[c.expr for c in spec.columns]]
    key = query.sort_key or spec.default_sort
    descending = query.descending if query.sort_key else spec.default_descending
    expr = spec.column(key).expr
    stmt = spec.base(actor).with_only_columns(*cols)
    for word in query.search.split():
        stmt = stmt.where(or_(*[e.ilike(f"%{word}%") for e in spec.search]))
    for f in spec.filters:
        if query.filters.get(f.key) is not None:
            stmt = f.apply(stmt, query.filters[f.key])
    stmt = stmt.order_by(expr.desc().nulls_last() if descending else expr.asc().nulls_first(),
                         spec.id_expr.desc() if descending else spec.id_expr)
    with db.factory() as s:
        return [listing.ListRow(r[0], r[1], tuple(r[2:])) for r in s.execute(stmt)]


def _paged(db: Any, actor: Actor, spec: listing.ListSpec, query: listing.ListQuery, size: int,
           total: int | None = None) -> list[Any]:
    """Page after page; given the ``total``, the pages past the middle are read from the end."""
    out: list[listing.ListRow] = []
    with db.factory() as s:
        while True:
            page = listing.fetch(s, actor, spec, query, len(out), size, total=total)
            out += page
            if len(page) < size:
                return out


def _queries(spec: listing.ListSpec) -> list[listing.ListQuery]:
    """Every column sorted both ways, searched and not: in the quick profile each column and direction
    once, searched or not in turn (so both columns' directions meet both), all four in the full one."""
    out = [listing.ListQuery()]
    for i, col in enumerate(spec.columns):
        for descending in (False, True):
            searches = ("", "王") if FULL else (("", "王")[(i + descending) % 2],)
            out += [listing.ListQuery(search=search, sort_key=col.key, descending=descending) for search in searches]
    return out


def _check(db: Any, actor: Actor, name: str, extra: list[listing.ListQuery]) -> None:
    spec = lists.SPECS[name]
    for query in _queries(spec) + extra:
        expected = _plain(db, actor, spec, query)
        assert expected, query
        got = _paged(db, actor, spec, query, 7)  # pages of 7: page boundaries fall inside runs of ties
        assert [r.id for r in got] == [r.id for r in expected], (name, query)
        assert got == expected
        # told the count (as the table model is), pages past the middle come from the reversed order:
        # the same rows in the same order, the last short page included
        assert _paged(db, actor, spec, query, 7, total=len(expected)) == expected, (name, query)
        with db.factory() as s:  # what the list shows first: its count and first page
            assert listing.first_page(s, actor, spec, query, 7) == (len(expected), expected[:7]), (name, query)
        with db.factory() as s:
            assert listing.count(s, actor, spec, query) == len(expected), (name, query)
            assert list(listing.export_rows(s, actor, spec, query)) == expected, (name, query)  # one statement


@pytest.mark.slow
def test_enrolments_pages_match_the_plain_query(db: Any, admin: Actor) -> None:
    _academy(db)
    with db.factory() as s:
        autumn = s.scalar(select(Term.id).where(Term.code == "2025-2026-1"))
    _check(db, admin, "enrolments", [
        listing.ListQuery(filters={"term": autumn}, sort_key="name"),
        listing.ListQuery(filters={"category": CourseCategory.FOUNDATION}, sort_key="course", descending=True),
        listing.ListQuery(filters={"passed": False}, search="机器", sort_key="score"),
        listing.ListQuery(filters={"in_plan": True}, search="王 2025"),
    ])


def test_sessions_pages_match_the_plain_query(db: Any, admin: Actor) -> None:
    _academy(db)
    _check(db, admin, "sessions", [
        listing.ListQuery(filters={"kind": SessionKind.ONLINE}, sort_key="name"),
        listing.ListQuery(filters={"kind": SessionKind.IN_PERSON}, search="张强", sort_key="mentor", descending=True),
        listing.ListQuery(search="0001"),  # no letter with case: LIKE, sessions found through the ids' indexes
        listing.ListQuery(search="t00"),  # case ignored on both backends (SQLite: LIKE, PostgreSQL: ILIKE)
    ])


def test_small_lists_match_the_plain_query(db: Any, admin: Actor) -> None:
    """Students and mentors: a NOT NULL column sorts without NULLS FIRST/LAST (so PostgreSQL reads its
    index), an outer-joined one (home university, missing for a third of the students) keeps NULLs
    first ascending and last descending; searches without case (Chinese, digits) use LIKE."""
    _academy(db)
    _check(db, admin, "students", [listing.ListQuery(search="2025 王", sort_key="home_university"),
                                   listing.ListQuery(search="ai", sort_key="home_university", descending=True)])
    _check(db, admin, "mentors", [listing.ListQuery(search="t00"), listing.ListQuery(search="华为 张")])


def test_sorting_by_student_name_puts_equal_names_together_in_id_order(sqlite_db: Any, admin: Actor) -> None:
    """On SQLite (byte order, so Python can check it): names ascending, ties by the row's id."""
    _academy(sqlite_db)
    for name in ("enrolments", "sessions"):
        spec = lists.SPECS[name]
        at = [c.key for c in spec.columns].index("name")
        for descending in (False, True):
            rows = _paged(sqlite_db, admin, spec, listing.ListQuery(sort_key="name", descending=descending), 50)
            keys = [(r.values[at], r.id) for r in rows]
            assert keys == sorted(keys, reverse=descending)
            assert len({r.values[at] for r in rows}) < len(rows)  # there were ties to break


def test_a_list_sorted_by_a_computed_value_has_its_count_with_its_first_page(demo_db: Any, admin: Actor) -> None:
    """What a list shows first (listing.first_page: the count and the first page) is exactly the count and the
    page read apart, whatever the sort, search and filter; where the sort is a computed value (a row's last
    session, a mentor's free places), which the database works out for every row anyway, both come from one
    statement."""
    from sqlalchemy import event

    statements: list[str] = []
    event.listen(demo_db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    for name in ("no_contact", "workload", "missing_roles", "mentors"):
        spec = lists.SPECS[name]
        with demo_db.factory() as s:
            queries = [listing.ListQuery(), listing.ListQuery(search="张 华")]
            queries += [listing.ListQuery(filters={f.key: f.options(s)[0][0]}) for f in spec.filters if f.options(s)]
            queries += [listing.ListQuery(sort_key=c.key, descending=i % 2 == 1) for i, c in enumerate(spec.columns)]
            for query in queries:
                n = listing.count(s, admin, spec, query)
                page = listing.fetch(s, admin, spec, query, 0, 25, total=n) if n else []
                statements.clear()
                assert listing.first_page(s, admin, spec, query, 25) == (n, page), (name, query)
                key = query.sort_key or spec.default_sort
                if key in ("last_session", "free"):  # computed: one statement
                    assert len(statements) == 1, (name, query, statements)
            if name == "no_contact":  # the tab as it opens: the academy's threshold, its default sort
                days = spec.filters[0].options(s)[0][0]
                n, page = listing.first_page(s, admin, spec, listing.ListQuery(filters={"days": days}), 25)
                assert n > 25 and len(page) == 25
