"""The offline logbook of one mentor (指导记录本; DESIGN section 1 and 5): industry mentors who cannot
reach the server log their sessions and review their tasks in a workbook an administrator imports.

This module says what a logbook holds (the mentor, their current mentees, their open tasks) and who may
have one; forms/logbook.py writes and reads the workbook. A returned logbook's rows go through the
same services as the session and task imports (db.mentoring), which refuse a row for a student who was
not the mentor's mentee on its date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .actor import Actor
from .errors import PermissionDenied
from .i18n import t
from .labels import chinese
from .mentoring import mentor_by_no
from .models import (
    Mentor,
    MentorAssignment,
    MentorRole,
    Programme,
    Student,
    Task,
    TaskStatus,
    assignment_active_on,
)

FORMAT = "talentdesk-logbook"  # the hidden identification of a logbook workbook
VERSION = 1


@dataclass(frozen=True)
class Mentee:
    student_no: str
    name: str
    role: MentorRole
    since: dt.date
    cohort: int
    programme: str


@dataclass(frozen=True)
class Logbook:
    staff_no: str
    mentor_name: str
    organisation: str
    on: dt.date
    mentees: list[Mentee]
    open_tasks: list[dict[str, object]]  # rows in the tasks sheet's keys (the task import's)


def mentors_with_mentees(session: Session, actor: Actor, on: dt.date | None = None) -> list[tuple[str, str]]:
    """(staff no., name) of every active mentor who mentors somebody on ``on``: whose logbooks an
    administrator exports all at once."""
    if not actor.is_admin:
        raise PermissionDenied(t("A logbook is made by an administrator, or by the mentor for themselves."))
    day = on or dt.date.today()
    return [(no, name) for no, name in session.execute(
        select(Mentor.staff_no, Mentor.name).where(Mentor.active, select(MentorAssignment.id).where(
            MentorAssignment.mentor_id == Mentor.id, assignment_active_on(day)).exists()).order_by(Mentor.staff_no))]


def logbook(session: Session, actor: Actor, staff_no: str, on: dt.date | None = None) -> Logbook:
    """What the logbook of mentor ``staff_no`` holds on ``on`` (default today): the students they mentor
    that day (any role) and their tasks not yet reviewed, for the mentor to review offline."""
    mentor = mentor_by_no(session, staff_no)
    if not (actor.is_admin or (actor.is_mentor and actor.mentor_id == mentor.id)):
        raise PermissionDenied(t("A logbook is made by an administrator, or by the mentor for themselves."))
    day = on or dt.date.today()
    mentees = [Mentee(no, name, role, start, cohort, programme) for no, name, role, start, cohort, programme in
               session.execute(
                   select(Student.student_no, Student.name, MentorAssignment.role, MentorAssignment.start_on,
                          Student.cohort, Programme.code)
                   .join(Student, Student.id == MentorAssignment.student_id)
                   .join(Programme, Programme.id == Student.programme_id)
                   .where(MentorAssignment.mentor_id == mentor.id, assignment_active_on(day))
                   .order_by(Student.student_no))]
    current = [m.student_no for m in mentees]
    tasks: list[dict[str, object]]
    tasks = [{"student_no": no, "title": title, "assigned_on": assigned, "due_on": due, "status": chinese(status),
              "submitted_on": submitted, "reviewed_on": None, "score": None, "feedback": None}
             for no, title, assigned, due, status, submitted in session.execute(
                 select(Student.student_no, Task.title, Task.assigned_on, Task.due_on, Task.status, Task.submitted_on)
                 .join(Student, Student.id == Task.student_id)
                 .where(Task.mentor_id == mentor.id, Task.status != TaskStatus.REVIEWED, Task.cancelled_on.is_(None),
                        Student.student_no.in_(current))
                 .order_by(Task.due_on, Student.student_no, Task.id))] if current else []
    org = session.get(Mentor, mentor.id).organisation.name  # type: ignore[union-attr]
    return Logbook(mentor.staff_no, mentor.name, org, day, mentees, tasks)
