"""The permission checks every service makes (DESIGN section 1), below the UI: a mentor who calls a service
for a student who is not (and never was) their mentee gets ``PermissionDenied`` whatever the screen
offered, and a viewer cannot write. On a shared server the row-level security policies enforce the same
rules with the same definition of "mentor of this student" (``mentee_filter``; db.security).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, SQLColumnExpression, exists, func, select
from sqlalchemy.orm import Session

from .actor import Actor
from .errors import PermissionDenied
from .i18n import t
from .models import MentorAssignment, assignment_active_on
from .sqltyping import AnySelect


def require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise PermissionDenied(t("Only an administrator can do this."))


def require_write(actor: Actor) -> None:
    if actor.is_viewer:
        raise PermissionDenied(t("A read-only account cannot change data."))


def mentee_filter(actor: Actor, student_id_col: SQLColumnExpression[int | None], current_only: bool = False,
                  on: dt.date | None = None) -> ColumnElement[bool]:
    """A WHERE clause limiting rows to the actor's mentees (current, or current and former)."""
    cond = [MentorAssignment.mentor_id == actor.mentor_id, MentorAssignment.student_id == student_id_col]
    if current_only:
        day = on or dt.date.today()
        cond.append(assignment_active_on(day))
    return exists().where(*cond)


def scope_students(stmt: AnySelect, actor: Actor, student_id_col: SQLColumnExpression[int | None]) -> AnySelect:
    """Apply the read scope: administrators and viewers see all, mentors their own mentees."""
    if actor.is_mentor:
        return stmt.where(mentee_filter(actor, student_id_col))
    return stmt


def check_student_access(session: Session, actor: Actor, student_id: int, write: bool = False) -> None:
    """Raise PermissionDenied unless the actor may read (or write) this student's records."""
    if actor.is_admin:
        return
    if actor.is_viewer:
        if write:
            raise PermissionDenied(t("A read-only account cannot change data."))
        return
    from .models import Student  # local: keeps this module's import light

    ok = session.scalar(
        select(func.count()).select_from(Student).where(
            Student.id == student_id, mentee_filter(actor, Student.id, current_only=write)
        )
    )
    if not ok:
        raise not_a_mentee(write)


def not_a_mentee(write: bool) -> PermissionDenied:
    """What ``check_student_access`` says to a mentor about a student who is not their mentee."""
    if write:
        return PermissionDenied(t("You can only change the records of your current mentees."))
    return PermissionDenied(t("You can only see the records of your own mentees."))


def writable_students(session: Session, actor: Actor, student_ids: list[int]) -> set[int]:
    """``check_student_access(..., write=True)`` for many students at once: the ids among
    ``student_ids`` whose records the actor may change (one query per 900 ids for a mentor)."""
    if actor.is_viewer:
        return set()
    if actor.is_admin:
        return set(student_ids)
    from .models import Student
    from .records import chunks

    found: set[int] = set()
    for chunk in chunks(sorted(set(student_ids))):
        found.update(session.scalars(select(Student.id).where(
            Student.id.in_(chunk), mentee_filter(actor, Student.id, current_only=True))))
    return found
