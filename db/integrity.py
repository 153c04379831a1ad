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

from sqlalchemy import and_, func, literal, not_, select, union_all
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, aliased

from .actor import Actor
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


def _double_roles(session: Session, day: dt.date) -> list[Finding]:
    stmt = (select(MentorAssignment.role, Student.student_no)
            .join(Student, Student.id == MentorAssignment.student_id)
            .where(_active(day)).group_by(MentorAssignment.role, Student.student_no)
            .having(func.count(MentorAssignment.id) > 1).order_by(MentorAssignment.role, Student.student_no))
    by_role: dict[MentorRole, list[str]] = {}
    for role, no in session.execute(stmt):
        by_role.setdefault(role, []).append(no)
    return [Finding("double_role", t("{n} student(s) have more than one active {role}: {records}.",
                                     n=len(nos), role=label(role), records=_names(nos)), tuple(nos))
            for role, nos in by_role.items()]


def _two_roles_one_mentor(session: Session, day: dt.date) -> list[Finding]:
    stmt = (select(Mentor.staff_no, Student.student_no)
            .select_from(MentorAssignment)
            .join(Mentor, Mentor.id == MentorAssignment.mentor_id)
            .join(Student, Student.id == MentorAssignment.student_id)
            .where(_active(day)).group_by(Mentor.staff_no, Student.student_no)
            .having(func.count(func.distinct(MentorAssignment.role)) > 1).order_by(Mentor.staff_no, Student.student_no))
    pairs = [f"{staff}/{no}" for staff, no in session.execute(stmt)]
    if not pairs:
        return []
    return [Finding("two_roles", t("{n} mentor(s) hold two roles for the same student: {records}.", n=len(pairs),
                                   records=_names(pairs)), tuple(pairs))]


def _over_capacity(session: Session, day: dt.date) -> list[Finding]:
    load = (select(MentorAssignment.mentor_id, MentorAssignment.role,
                   func.count(MentorAssignment.id).label("n"))
            .where(_active(day), not_(MentorAssignment.capacity_override))
            .group_by(MentorAssignment.mentor_id, MentorAssignment.role).subquery())
    stmt = (select(load.c.role, Mentor.staff_no, load.c.n, MentorQualification.capacity)
            .join(Mentor, Mentor.id == load.c.mentor_id)
            .join(MentorQualification, and_(MentorQualification.mentor_id == load.c.mentor_id,
                                            MentorQualification.role == load.c.role))
            .where(load.c.n > MentorQualification.capacity).order_by(load.c.role, Mentor.staff_no))
    by_role: dict[MentorRole, list[str]] = {}
    for role, staff, n, cap in session.execute(stmt):
        by_role.setdefault(role, []).append(f"{staff} ({n}/{cap})")
    return [Finding("over_capacity", t("{n} mentor(s) are over capacity as {role} without a recorded override: "
                                       "{records}.", n=len(recs), role=label(role), records=_names(recs)), tuple(recs))
            for role, recs in by_role.items()]


def _unqualified(session: Session, day: dt.date) -> list[Finding]:
    q = aliased(MentorQualification)
    stmt = (select(Mentor.staff_no, Student.student_no, MentorAssignment.role)
            .select_from(MentorAssignment)
            .join(Mentor, Mentor.id == MentorAssignment.mentor_id)
            .join(Student, Student.id == MentorAssignment.student_id)
            .outerjoin(q, and_(q.mentor_id == MentorAssignment.mentor_id, q.role == MentorAssignment.role))
            .where(_active(day), q.id.is_(None)).order_by(Mentor.staff_no, Student.student_no))
    recs = [f"{staff}/{no} ({label(role)})" for staff, no, role in session.execute(stmt)]
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


def _dangling(session: Session) -> list[Finding]:
    # SQLite enforces foreign keys only for connections that ask (a console does not); PostgreSQL can be
    # told not to (session_replication_role = replica): look on both
    # every reference in one statement (a round trip each would be eight), each found row tagged with its
    # reference's place in _REFERENCES
    parts = []
    for i, (model, column, parent, _what) in enumerate(_REFERENCES):
        parent_id = parent.id  # type: ignore[attr-defined]
        parts.append(select(literal(i).label("ref_no"), model.id.label("rid"), column.label("ref"))  # type: ignore[attr-defined]
                     .where(column.is_not(None), ~select(parent_id).where(parent_id == column).exists()))
    found_rows = union_all(*parts).subquery()
    found: dict[str, list[str]] = {}
    for i, rid, ref in session.execute(select(found_rows.c.ref_no, found_rows.c.rid, found_rows.c.ref)
                                       .order_by(found_rows.c.ref_no, found_rows.c.rid)):
        model, _column, _parent, what = _REFERENCES[i]
        found.setdefault(model.__tablename__, []).append(f"#{rid} ({t(what)} #{ref})")
    return [Finding("dangling", t("{n} record(s) in {table} point to a record that no longer exists: {records}.",
                                  n=len(recs), table=t(_TABLES[table]), records=_names(recs)), tuple(recs))
            for table, recs in found.items()]


def _recognised_twice(session: Session) -> list[Finding]:
    stmt = (select(Student.student_no).join(TransferRequest, TransferRequest.student_id == Student.id)
            .where(TransferRequest.status == TransferStatus.APPROVED)
            .group_by(Student.student_no, TransferRequest.external_course_id)
            .having(func.count(TransferRequest.id) > 1).order_by(Student.student_no))
    nos = list(dict.fromkeys(session.scalars(stmt)))
    if not nos:
        return []
    return [Finding("recognised_twice", t("{n} student(s) have the same external course recognised twice: {records}.",
                                          n=len(nos), records=_names(nos)), tuple(nos))]


def _sessions_outside_assignment(session: Session) -> list[Finding]:
    held = MentoringSession.held_on
    covered = select(MentorAssignment.id).where(
        MentorAssignment.mentor_id == MentoringSession.mentor_id,
        MentorAssignment.student_id == MentoringSession.student_id,
        assignment_active_on(held)).exists()
    # the ids first (one pass over the sessions, no join), then the names of the few found
    ids = list(session.scalars(select(MentoringSession.id).where(~covered).order_by(MentoringSession.id)))
    if not ids:
        return []
    stmt = (select(MentoringSession.id, Mentor.staff_no, Student.student_no, held)
            .join(Mentor, Mentor.id == MentoringSession.mentor_id)
            .join(Student, Student.id == MentoringSession.student_id)
            .where(MentoringSession.id.in_(ids[:500])).order_by(held, MentoringSession.id))
    recs = [f"{staff}/{no} {day.isoformat()}" for _id, staff, no, day in session.execute(stmt)]
    recs += [f"#{i}" for i in ids[500:]]
    if not recs:
        return []
    return [Finding("session_unassigned", t("{n} mentoring session(s) were logged on a day the mentor held no role "
                                            "for the student: {records}.", n=len(recs), records=_names(recs)),
                    tuple(recs))]


def _judged_with_conflict(session: Session) -> list[Finding]:
    stmt = (select(Judge.name, Project.code, JudgeAssignment.id)
            .join(Conflict, and_(Conflict.judge_id == JudgeAssignment.judge_id,
                                 Conflict.project_id == JudgeAssignment.project_id))
            .join(Judge, Judge.id == JudgeAssignment.judge_id)
            .join(Project, Project.id == JudgeAssignment.project_id)
            .distinct().order_by(Project.code, Judge.name, JudgeAssignment.id))
    recs = list(dict.fromkeys(f"{judge}/{code}" for judge, code, _aid in session.execute(stmt)))
    if not recs:
        return []
    return [Finding("judge_conflict", t("{n} judge assignment(s) put a judge on a project they have a recorded "
                                        "conflict with: {records}.", n=len(recs), records=_names(recs)), tuple(recs))]


def check(session: Session, actor: Actor, on: dt.date | None = None) -> list[Finding]:
    """Every rule-breaking record found, as findings that name the records (administrators only)."""
    require_admin(actor)
    day = on or dt.date.today()
    checks: list[Callable[[], list[Finding]]] = [
        lambda: _double_roles(session, day),
        lambda: _two_roles_one_mentor(session, day),
        lambda: _over_capacity(session, day),
        lambda: _unqualified(session, day),
        lambda: _dangling(session),
        lambda: _recognised_twice(session),
        lambda: _sessions_outside_assignment(session),
        lambda: _judged_with_conflict(session),
    ]
    findings: list[Finding] = []
    # each check in a savepoint of its own, so that one failing leaves the transaction usable for the
    # others; a reading session (db.engine.reading) has no transaction to keep: no two round trips a check
    isolate = (lambda: nullcontext()) if autocommits(session) else session.begin_nested
    for run in checks:
        try:
            with isolate():
                findings += run()
        except SQLAlchemyError as exc:  # a check that cannot run on this data says so, the others still run
            reason = str(getattr(exc, "orig", exc) or exc).splitlines()[0]
            findings.append(Finding("check_failed", t("The data check could not finish: {reason}", reason=reason), ()))
    return findings


__all__ = ["Finding", "check"]
