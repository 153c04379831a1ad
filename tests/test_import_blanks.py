"""A blank cell or a missing column in an import file gives no value: a record being created gets the
default, a record being updated keeps what it has.

Re-importing a roster with an empty 学籍状态 reactivated suspended and graduated students (the default
'active' was applied to existing ones), an empty 手机 erased the stored phone, a programme's target
share and tolerance went back to 0.5 ± 0.05, a university's hours per credit to 16, and a tasks file
without the review columns turned reviewed tasks back into assigned ones with their dates and scores
gone. Equivalence rules are the exception: a rules row describes the whole rule (a blank 认定学分 means
'convert from hours', a blank 最低成绩 means 60), see test_alliance_import."""

from __future__ import annotations

from typing import Any

import pytest
from test_import_fuzz import EXTRA, ORDER, _baseline

from db.actor import cli_actor
from db.models import Base
from forms.importer import import_rows
from forms.specs import SPECS

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SKIP_TABLES = {"audit_log", "access_log"}
SKIP_COLUMNS = {"version", "updated_at", "created_at", "password_hash"}  # no person may read it on a server


def _contents(db: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the logs, without the columns a save touches by itself."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with db.factory() as s:
        conn = s.connection()
        for table in Base.metadata.sorted_tables:
            if table.name in SKIP_TABLES:
                continue
            cols = [c for c in table.c if c.name not in SKIP_COLUMNS]
            out[table.name] = sorted((tuple(r) for r in conn.execute(table.select().with_only_columns(*cols))),
                                     key=repr)
    return out


KINDS = [k for k in ORDER if k != "equivalences"]


@pytest.mark.parametrize("missing", [False, True], ids=["blank cells", "columns left out"])
def test_a_blank_cell_keeps_what_a_record_has(db: Any, missing: bool) -> None:
    _baseline(db)
    before = _contents(db)
    admin = cli_actor()
    for kind in KINDS:
        spec = SPECS[kind]
        kept = [f.key for f in spec.fields if f.required or f.key in spec.key]
        header = tuple(kept) if missing else tuple(f.key for f in spec.fields)
        rows = [(i + 2, tuple(ex.get(k) if k in kept else None for k in header))
                for i, ex in enumerate((*spec.examples, *EXTRA.get(kind, [])))]
        result = import_rows(db.factory, admin, kind, header, rows)
        assert result.committed and result.created == 0, (kind, [str(e) for e in result.errors])
        after = _contents(db)
        changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
        assert not changed, (kind, changed)


def test_a_roster_reimported_with_blanks_reactivates_no_one_and_reopens_nothing(db: Any) -> None:
    """The two cases an administrator meets: last term's roster, status column left empty, re-imported
    after a student was suspended; and an assignment ended in one file (its reason recorded, as history
    requires) then a file with the end date left blank."""
    import datetime as dt

    from sqlalchemy import select

    from db.models import MentorAssignment, Student, StudentStatus

    admin = cli_actor()

    def run(kind: str, header: tuple[str, ...], *rows: tuple[Any, ...]) -> None:
        result = import_rows(db.factory, admin, kind, header, [(i + 2, r) for i, r in enumerate(rows)])
        assert result.committed, [str(e) for e in result.errors]

    run("programmes", ("code", "name"), ("P1", "人工智能工程"))
    students = ("student_no", "name", "cohort", "programme", "status", "phone")
    run("students", students, ("S1", "王梓涵", 2025, "P1", "休学", "13800000000"),
        ("S2", "李子轩", 2025, "P1", None, None))
    run("students", students, ("S1", "王梓涵", 2025, "P1", None, None), ("S2", "李子轩", 2025, "P1", None, None))
    with db.factory() as s:
        found = {st.student_no: (st.status, st.phone) for st in s.scalars(select(Student))}
    assert found == {"S1": (StudentStatus.SUSPENDED, "13800000000"), "S2": (StudentStatus.ACTIVE, None)}

    run("mentors", ("staff_no", "name", "organisation", "roles"), ("M1", "刘教授", "重庆大学", "学术"))
    roster = ("student_no", "staff_no", "role", "start", "end")
    run("mentor-assignments", roster, ("S2", "M1", "学术", "2025-09-01", None))
    run("mentor-assignments", roster, ("S2", "M1", "学术", "2025-09-01", "2026-02-01"))
    run("mentor-assignments", roster, ("S2", "M1", "学术", "2025-09-01", None))
    with db.factory() as s:
        a = s.scalars(select(MentorAssignment)).one()
    assert (a.end_on, a.end_reason) == (dt.date(2026, 2, 1), "End date from an imported file")


def test_a_task_moves_on_by_the_dates_a_row_gives_and_never_back(db: Any) -> None:
    """Kept values must not stop a task from moving on: a row adding a submission date (status blank)
    makes it submitted, then one adding the review makes it reviewed; a row without those columns
    leaves it reviewed; a stale file saying 已提交 is refused on 状态 with the review date."""
    import datetime as dt

    from sqlalchemy import select

    from db.models import Task, TaskStatus

    admin = cli_actor()
    head = ("staff_no", "student_no", "title", "assigned_on", "due_on", "status", "submitted_on", "reviewed_on",
            "score")

    def run(*row: Any, header: tuple[str, ...] = head) -> Any:
        return import_rows(db.factory, admin, "assignments", header, [(2, row)])

    for kind, header, row in (("programmes", ("code", "name"), ("P1", "人工智能工程")),
                              ("students", ("student_no", "name", "cohort", "programme"), ("S1", "王梓涵", 2025, "P1")),
                              ("mentors", ("staff_no", "name", "organisation", "roles"),
                               ("M1", "刘教授", "重庆大学", "学术")),
                              ("mentor-assignments", ("student_no", "staff_no", "role", "start"),
                               ("S1", "M1", "学术", "2025-09-01"))):
        assert import_rows(db.factory, admin, kind, header, [(2, row)]).committed

    def task() -> tuple[Any, ...]:
        with db.factory() as s:
            t = s.scalars(select(Task)).one()
            return t.status, t.submitted_on, t.reviewed_on, t.score

    assert run("M1", "S1", "综述", "2025-10-01", "2025-10-15", None, None, None, None).committed
    assert task() == (TaskStatus.ASSIGNED, None, None, None)  # a new task: the default status
    assert run("M1", "S1", "综述", "2025-10-01", "2025-10-15", None, "2025-10-10", None, None).committed
    assert task() == (TaskStatus.SUBMITTED, dt.date(2025, 10, 10), None, None)
    assert run("M1", "S1", "综述", "2025-10-01", "2025-10-15", None, None, "2025-10-12", 90).committed
    assert task() == (TaskStatus.REVIEWED, dt.date(2025, 10, 10), dt.date(2025, 10, 12), 90)
    assert run("M1", "S1", "综述", "2025-10-01", "2025-10-15", header=head[:5]).committed
    assert task()[0] is TaskStatus.REVIEWED
    stale = run("M1", "S1", "综述", "2025-10-01", "2025-10-15", "已提交", "2025-10-10", None, None)
    assert [(e.field, "2025-10-12" in e.reason) for e in stale.errors] == [("status", True)]
    assert task()[0] is TaskStatus.REVIEWED
