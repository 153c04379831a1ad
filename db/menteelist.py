"""A mentor's own mentees (我的学生, the mentor's home page): current and former, with what a mentor
plans the week by — the role they hold, the last session they held with the student and how many days
ago, their sessions this month, their open tasks.

Named in ``db.lists.SPECS`` as ``mentees``; for mentors only. The columns are the signed-in
mentor's: the list's ``base(actor)`` names the mentor for the statements it is about to run (a bound
parameter read when each statement is executed, in the same thread).
"""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from typing import Any

from sqlalchemy import BindParameter, Integer, bindparam, exists, func, select

from .actor import Actor
from .errors import PermissionDenied
from .i18n import t
from .listing import Column, Filter, ListSpec
from .models import MentorAssignment, MentoringSession, Programme, Student, Task, TaskStatus, assignment_active_on
from .permissions import mentee_filter
from .sqltyping import AnySelect

_MENTOR: ContextVar[int] = ContextVar("menteelist_mentor", default=-1)
_ME = bindparam("td_me", callable_=lambda: _MENTOR.get(), type_=Integer)
_TODAY: BindParameter[dt.date] = bindparam("td_today", callable_=dt.date.today)
_MONTH: BindParameter[dt.date] = bindparam("td_month_start", callable_=lambda: dt.date.today().replace(day=1))

_MA = MentorAssignment
_role = (select(_MA.role).where(_MA.student_id == Student.id, _MA.mentor_id == _ME)
         .order_by(_MA.start_on.desc()).limit(1).correlate(Student).scalar_subquery())
_current = exists().where(_MA.student_id == Student.id, _MA.mentor_id == _ME, assignment_active_on(_TODAY))
_last = (select(func.max(MentoringSession.held_on))
         .where(MentoringSession.student_id == Student.id, MentoringSession.mentor_id == _ME)
         .correlate(Student).scalar_subquery())
_month = (select(func.count(MentoringSession.id))
          .where(MentoringSession.student_id == Student.id, MentoringSession.mentor_id == _ME,
                 MentoringSession.held_on >= _MONTH).correlate(Student).scalar_subquery())
_open = (select(func.count(Task.id))
         .where(Task.student_id == Student.id, Task.mentor_id == _ME, Task.status != TaskStatus.REVIEWED,
                Task.cancelled_on.is_(None)).correlate(Student).scalar_subquery())


def _days_since(value: Any) -> str:
    if value is None:
        return t("never")
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    return str((dt.date.today() - day).days)


def _base(actor: Actor) -> AnySelect:
    if not actor.is_mentor:
        raise PermissionDenied(t("This list is a mentor's own mentees."))
    _MENTOR.set(actor.mentor_id or -1)  # the mentor the columns are about, for the statements run next
    return (select(Student.id).select_from(Student).join(Programme, Programme.id == Student.programme_id)
            .where(mentee_filter(actor, Student.id)))


MENTEES = ListSpec(
    name="mentees",
    columns=(
        Column("student_no", "Student no.", Student.student_no, width=100),
        Column("name", "Name", Student.name, width=80),
        Column("programme", "Programme", Programme.code, width=80),
        Column("role", "My role", _role, "enum", 100),
        Column("current", "Current", _current, "bool", 50),
        Column("last_session", "Last session", _last, "date", 90),
        Column("days", "Days since", _last, "int", 70, format=_days_since),
        Column("month", "Sessions this month", _month, "int", 80),
        Column("open", "Open tasks", _open, "int", 80),
    ),
    id_expr=Student.id,
    version_expr=Student.version,
    base=_base,
    search=(Student.student_no, Student.name),
    filters=(Filter("current", "Mentees", lambda _s: [(True, t("Current mentees")), (False, t("Former mentees"))],
                    lambda s, v: s.where(_current if v else ~_current)),),
    default_sort="student_no",
)

