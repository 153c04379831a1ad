"""The list of mentoring sessions (指导记录): every session with its mentor, student and the role the
mentor held for that student, searched, filtered, sorted and paged in SQL like every other list.

Named in ``db.lists.SPECS`` as ``sessions``. At ten-year scale this is the biggest list
(about 500,000 rows), so it selects columns only, orders on an indexed column by default, counts
without joins and searches students and mentors (not the free-text topic, which would mean
scanning every session).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from . import listing
from .actor import Actor
from .listing import Column, Filter, ListSpec, period_filter
from .listing import matches as _matches
from .models import Mentor, MentoringSession, SessionKind, Student
from .permissions import mentee_filter
from .sqltyping import AnySelect


def _base(actor: Actor) -> AnySelect:
    stmt = (select(MentoringSession.id).select_from(MentoringSession)
            .join(Student, Student.id == MentoringSession.student_id)
            .join(Mentor, Mentor.id == MentoringSession.mentor_id))
    if actor.is_mentor:
        stmt = stmt.where(MentoringSession.mentor_id == actor.mentor_id, mentee_filter(actor, Student.id))
    return stmt


def _count_base(actor: Actor) -> AnySelect:
    stmt = select(MentoringSession.id).select_from(MentoringSession)
    if actor.is_mentor:
        stmt = stmt.where(MentoringSession.mentor_id == actor.mentor_id,
                          mentee_filter(actor, MentoringSession.student_id))
    return stmt


def _search(like: str, counting: bool = False) -> ColumnElement[bool]:
    """A word matches the student (number, name) or the mentor (name, staff number): looked up in the
    20,000 students and 1,000 mentors, then the sessions found through their indexes."""
    students = select(Student.id).where(or_(_matches(Student.student_no, like),
                                            _matches(Student.name, like)))
    mentors = select(Mentor.id).where(or_(_matches(Mentor.name, like),
                                          _matches(Mentor.staff_no, like)))
    if counting:
        return or_(listing.in_ids(MentoringSession.student_id, students),
                   listing.in_ids(MentoringSession.mentor_id, mentors))
    return or_(MentoringSession.student_id.in_(students), MentoringSession.mentor_id.in_(mentors))


def _kind_options(_session: Session) -> list[tuple[Any, str]]:
    from .labels import label

    return [(k, label(k)) for k in SessionKind]


SESSIONS = ListSpec(
    name="sessions",
    columns=(
        Column("held_on", "Held on", MentoringSession.held_on, "date", 90),
        Column("student_no", "Student no.", Student.student_no, width=110),
        Column("name", "Name", Student.name, width=80),
        Column("mentor", "Mentor", Mentor.name, width=80),
        Column("staff_no", "Staff no.", Mentor.staff_no, width=90),
        Column("kind", "Mode", MentoringSession.kind, "enum", 70),
        Column("minutes", "Minutes", MentoringSession.minutes, "int", 84),  # 时长(分钟) fits
        Column("topic", "Topic", MentoringSession.topic, width=240),
    ),
    id_expr=MentoringSession.id,
    version_expr=MentoringSession.version,
    base=_base,
    search=(Student.student_no, Student.name, Mentor.name, Mentor.staff_no),
    count_base=_count_base,
    search_where=_search,
    count_search_where=lambda like: _search(like, counting=True),
    sort_drivers=(
        ("student_no", Student, Student.id == MentoringSession.student_id),
        ("name", Student, Student.id == MentoringSession.student_id),
        ("mentor", Mentor, Mentor.id == MentoringSession.mentor_id),
        ("staff_no", Mentor, Mentor.id == MentoringSession.mentor_id),
    ),
    filters=(Filter("kind", "Mode", _kind_options, lambda s, v: s.where(MentoringSession.kind == v)),
             period_filter(MentoringSession.held_on)),
    default_sort="held_on",
    default_descending=True,
)

