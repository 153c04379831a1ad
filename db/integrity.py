"""Data that breaks the rules of DESIGN.md section 2 although the schema let it in (Qt-free).

The services never write such data, but a SQL console, a script or an old version can: two active
mentors in one role, a mentor over capacity without a recorded override, an enrolment whose course
was deleted with foreign keys off … The app must keep working on such a database and say what is
wrong, naming the records, so that an administrator can repair them. ``check()`` runs a handful of
aggregate queries (fast at scale 10) and returns typed findings; it never raises for bad data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, literal, not_, select, union_all
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, aliased

from .actor import Actor
from .batch import read_together
from .engine import autocommits
from .i18n import t
from .labels import label
from .models import (
    Conflict,
    Course,
    Enrolment,
    Judge,
    JudgeAssignment,
    Mentor,
    MentorAssignment,
    MentoringSession,
    MentorQualification,
    MentorRole,
    Programme,
    Project,
    Student,
    TransferRequest,
    TransferStatus,
    assignment_active_on,
)
from .permissions import require_admin

SHOWN = 8  # records named per finding; the rest are counted


@dataclass(frozen=True)
class Finding:
    """One kind of rule-breaking data: a key, a sentence naming the records, and the records."""

    check: str
    message: str
    records: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.records)


def _names(records: Sequence[str]) -> str:
    shown = "、".join(records[:SHOWN])
    if len(records) > SHOWN:
        return t("{first} and {n} more", first=shown, n=len(records) - SHOWN)
    return shown


_active = assignment_active_on


_Query = Any  # a SELECT (or a UNION ALL of them) of the rows breaking a rule


@dataclass(frozen=True)
class _Check:
    """One kind of broken rule: ``rows(day)`` selects the records breaking it (no ORDER BY: they are put in
    the order of the columns named by ``order``), ``findings`` says what they are."""

    rows: Callable[[dt.date], _Query]
    order: tuple[str, ...]
    findings: Callable[[list[Any]], list[Finding]]


def _double_roles_rows(day: dt.date) -> _Query:
    return (select(MentorAssignment.role.label("role"), Student.student_no.label("student_no"))
            .join(Student, Student.id == MentorAssignment.student_id)
            .where(_active(day)).group_by(MentorAssignment.role, Student.student_no)
            .having(func.count(MentorAssignment.id) > 1))


def _double_roles(rows: list[Any]) -> list[Finding]:
    by_role: dict[MentorRole, list[str]] = {}
    for role, no in rows:
        by_role.setdefault(role, []).append(no)
    return [Finding("double_role", t("{n} student(s) have more than one active {role}: {records}.",
                                     n=len(nos), role=label(role), records=_names(nos)), tuple(nos))
            for role, nos in by_role.items()]


def _two_roles_one_mentor_rows(day: dt.date) -> _Query:
    return (select(Mentor.staff_no.label("staff_no"), Student.student_no.label("student_no"))
            .select_from(MentorAssignment)
            .join(Mentor, Mentor.id == MentorAssignment.mentor_id)
            .join(Student, Student.id == MentorAssignment.student_id)
            .where(_active(day)).group_by(Mentor.staff_no, Student.student_no)
            .having(func.count(func.distinct(MentorAssignment.role)) > 1))


def _two_roles_one_mentor(rows: list[Any]) -> list[Finding]:
    pairs = [f"{staff}/{no}" for staff, no in rows]
    if not pairs:
        return []
    return [Finding("two_roles", t("{n} mentor(s) hold two roles for the same student: {records}.", n=len(pairs),
                                   records=_names(pairs)), tuple(pairs))]


def _over_capacity_rows(day: dt.date) -> _Query:
    load = (select(MentorAssignment.mentor_id, MentorAssignment.role,
                   func.count(MentorAssignment.id).label("n"))
            .where(_active(day), not_(MentorAssignment.capacity_override))
            .group_by(MentorAssignment.mentor_id, MentorAssignment.role).subquery())
    return (select(load.c.role.label("role"), Mentor.staff_no.label("staff_no"), load.c.n.label("n"),
                   MentorQualification.capacity.label("capacity"))
            .join(Mentor, Mentor.id == load.c.mentor_id)
            .join(MentorQualification, and_(MentorQualification.mentor_id == load.c.mentor_id,
                                            MentorQualification.role == load.c.role))
            .where(load.c.n > MentorQualification.capacity))


def _over_capacity(rows: list[Any]) -> list[Finding]:
    by_role: dict[MentorRole, list[str]] = {}
    for role, staff, n, cap in rows:
        by_role.setdefault(role, []).append(f"{staff} ({n}/{cap})")
    return [Finding("over_capacity", t("{n} mentor(s) are over capacity as {role} without a recorded override: "
                                       "{records}.", n=len(recs), role=label(role), records=_names(recs)), tuple(recs))
            for role, recs in by_role.items()]


def _unqualified_rows(day: dt.date) -> _Query:
    q = aliased(MentorQualification)
    return (select(Mentor.staff_no.label("staff_no"), Student.student_no.label("student_no"),
                   MentorAssignment.role.label("role"))
            .select_from(MentorAssignment)
            .join(Mentor, Mentor.id == MentorAssignment.mentor_id)
            .join(Student, Student.id == MentorAssignment.student_id)
            .outerjoin(q, and_(q.mentor_id == MentorAssignment.mentor_id, q.role == MentorAssignment.role))
            .where(_active(day), q.id.is_(None)))


def _unqualified(rows: list[Any]) -> list[Finding]:
    recs = [f"{staff}/{no} ({label(role)})" for staff, no, role in rows]
    if not recs:
        return []
    return [Finding("unqualified", t("{n} active assignment(s) give a mentor a role they are not qualified for: "
                                     "{records}.", n=len(recs), records=_names(recs)), tuple(recs))]


# (table, column, parent table, what it points to): the references a SQL console with foreign keys off
# can leave dangling; the English words are looked up with t() when the finding is written
_REFERENCES = (
    (Enrolment, Enrolment.course_id, Course, "Course"),
    (Enrolment, Enrolment.student_id, Student, "Student"),
    (Student, Student.programme_id, Programme, "Programme"),
    (MentorAssignment, MentorAssignment.student_id, Student, "Student"),
    (MentorAssignment, MentorAssignment.mentor_id, Mentor, "Mentor"),
    (MentoringSession, MentoringSession.student_id, Student, "Student"),
    (MentoringSession, MentoringSession.mentor_id, Mentor, "Mentor"),
    (TransferRequest, TransferRequest.student_id, Student, "Student"),
)
_TABLES = {"enrolments": "Enrolments", "students": "Students", "mentor_assignments": "Mentor assignments",
           "mentoring_sessions": "Mentoring sessions", "transfer_requests": "Transfer requests"}


def _dangling_rows(_day: dt.date) -> _Query:
    # SQLite enforces foreign keys only for connections that ask (a console does not); PostgreSQL can be
    # told not to (session_replication_role = replica): look on both. Each found row is tagged with its
    # reference's place in _REFERENCES
    parts = []
    for i, (model, column, parent, _what) in enumerate(_REFERENCES):
        parent_id = parent.id  # type: ignore[attr-defined]
        parts.append(select(literal(i).label("ref_no"), model.id.label("rid"), column.label("ref"))  # type: ignore[attr-defined]
                     .where(column.is_not(None), ~select(parent_id).where(parent_id == column).exists()))
    return union_all(*parts)


def _dangling(rows: list[Any]) -> list[Finding]:
    found: dict[str, list[str]] = {}
    for i, rid, ref in rows:
        model, _column, _parent, what = _REFERENCES[i]
        found.setdefault(model.__tablename__, []).append(f"#{rid} ({t(what)} #{ref})")
    return [Finding("dangling", t("{n} record(s) in {table} point to a record that no longer exists: {records}.",
                                  n=len(recs), table=t(_TABLES[table]), records=_names(recs)), tuple(recs))
            for table, recs in found.items()]


def _recognised_twice_rows(_day: dt.date) -> _Query:
    return (select(Student.student_no.label("student_no"))
            .join(TransferRequest, TransferRequest.student_id == Student.id)
            .where(TransferRequest.status == TransferStatus.APPROVED)
            .group_by(Student.student_no, TransferRequest.external_course_id)
            .having(func.count(TransferRequest.id) > 1))


def _recognised_twice(rows: list[Any]) -> list[Finding]:
    nos = list(dict.fromkeys(no for (no,) in rows))
    if not nos:
        return []
    return [Finding("recognised_twice", t("{n} student(s) have the same external course recognised twice: {records}.",
                                          n=len(nos), records=_names(nos)), tuple(nos))]


NAMED_SESSIONS = 500  # sessions named by mentor, student and day (the first by id); the rest by their id


def _sessions_outside_assignment_rows(_day: dt.date) -> _Query:
    held = MentoringSession.held_on
    covered = select(MentorAssignment.id).where(
        MentorAssignment.mentor_id == MentoringSession.mentor_id,
        MentorAssignment.student_id == MentoringSession.student_id,
        assignment_active_on(held)).exists()
    # outer joins: a session whose mentor or student is gone is found too (and named by its id)
    return (select(MentoringSession.id.label("id"), Mentor.staff_no.label("staff_no"),
                   Student.student_no.label("student_no"), held.label("held_on"))
            .outerjoin(Mentor, Mentor.id == MentoringSession.mentor_id)
            .outerjoin(Student, Student.id == MentoringSession.student_id)
            .where(~covered))


def _sessions_outside_assignment(rows: list[Any]) -> list[Finding]:
    by_id = sorted(rows, key=lambda r: r[0])
    named = sorted(by_id[:NAMED_SESSIONS], key=lambda r: (r[3], r[0]))
    recs = [f"{staff}/{no} {day.isoformat()}" for _id, staff, no, day in named if staff is not None and no is not None]
    recs += [f"#{r[0]}" for r in by_id[NAMED_SESSIONS:]]
    if not recs:
        return []
    return [Finding("session_unassigned", t("{n} mentoring session(s) were logged on a day the mentor held no role "
                                            "for the student: {records}.", n=len(recs), records=_names(recs)),
                    tuple(recs))]


def _judged_with_conflict_rows(_day: dt.date) -> _Query:
    return (select(Judge.name.label("judge"), Project.code.label("code"), JudgeAssignment.id.label("aid"))
            .join(Conflict, and_(Conflict.judge_id == JudgeAssignment.judge_id,
                                 Conflict.project_id == JudgeAssignment.project_id))
            .join(Judge, Judge.id == JudgeAssignment.judge_id)
            .join(Project, Project.id == JudgeAssignment.project_id)
            .distinct())


def _judged_with_conflict(rows: list[Any]) -> list[Finding]:
    recs = list(dict.fromkeys(f"{judge}/{code}" for judge, code, _aid in rows))
    if not recs:
        return []
    return [Finding("judge_conflict", t("{n} judge assignment(s) put a judge on a project they have a recorded "
                                        "conflict with: {records}.", n=len(recs), records=_names(recs)), tuple(recs))]


CHECKS = (
    _Check(_double_roles_rows, ("role", "student_no"), _double_roles),
    _Check(_two_roles_one_mentor_rows, ("staff_no", "student_no"), _two_roles_one_mentor),
    _Check(_over_capacity_rows, ("role", "staff_no"), _over_capacity),
    _Check(_unqualified_rows, ("staff_no", "student_no"), _unqualified),
    _Check(_dangling_rows, ("ref_no", "rid"), _dangling),
    _Check(_recognised_twice_rows, ("student_no",), _recognised_twice),
    # by id, the table's own order: ordered by day, SQLite walks the sessions through their held_on index,
    # a random read per row (4 s at scale 10 instead of 0.9); the findings put them in their order themselves
    _Check(_sessions_outside_assignment_rows, ("id",), _sessions_outside_assignment),
    _Check(_judged_with_conflict_rows, ("code", "judge", "aid"), _judged_with_conflict),
)


def _one(session: Session, check: _Check, day: dt.date) -> list[Finding]:
    return check.findings(read_together(session, [check.rows(day)], [check.order])[0])


def _all(session: Session, day: dt.date) -> list[Finding]:
    """Every check in one statement (a round trip each would be eight over the office network)."""
    found = read_together(session, [c.rows(day) for c in CHECKS], [c.order for c in CHECKS])
    return [finding for check, rows in zip(CHECKS, found, strict=True) for finding in check.findings(rows)]


def check(session: Session, actor: Actor, on: dt.date | None = None) -> list[Finding]:
    """Every rule-breaking record found, as findings that name the records (administrators only)."""
    require_admin(actor)
    day = on or dt.date.today()
    # in a savepoint, so that a failure leaves the transaction usable; a reading session (db.engine.reading)
    # has no transaction to keep: no two round trips for it
    isolate = (lambda: nullcontext()) if autocommits(session) else session.begin_nested
    try:
        with isolate():
            return _all(session, day)
    except SQLAlchemyError:
        pass  # some check cannot run on this data: each on its own, to say which and still run the others
    findings: list[Finding] = []
    for one in CHECKS:
        try:
            with isolate():
                findings += _one(session, one, day)
        except SQLAlchemyError as exc:  # a check that cannot run on this data says so, the others still run
            reason = str(getattr(exc, "orig", exc) or exc).splitlines()[0]
            findings.append(Finding("check_failed", t("The data check could not finish: {reason}", reason=reason), ()))
    return findings


__all__ = ["Finding", "check"]
