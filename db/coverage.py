"""Coverage of the three-mentor scheme: the missing-role queue, mentor workload and the no-contact list.

Each is a ``db.listing.ListSpec`` (searched, filtered, sorted, counted and exported in SQL, like every
list page) named in ``db.lists.SPECS`` as ``missing_roles``, ``workload`` and ``no_contact``,
plus a typed function for a given day (tests, the dashboard). "Today" is a bound parameter evaluated
when the statement runs, so a window left open overnight never shows yesterday's queue; the typed
functions pass their own day under the same name.

Administrators and viewers (read-only) see these lists; mentors do not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    Subquery,
    bindparam,
    case,
    exists,
    func,
    literal_column,
    or_,
    select,
    true,
    type_coerce,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.functions import FunctionElement

from .actor import Actor
from .errors import PermissionDenied
from .i18n import t
from .listing import Column, Filter, ListSpec
from .mentoring import DEFAULT_NO_CONTACT_DAYS, no_contact_days
from .models import (
    Mentor,
    MentorAssignment,
    MentoringSession,
    MentorQualification,
    MentorRole,
    Organisation,
    Programme,
    Student,
    StudentStatus,
    assignment_active_on,
)
from .sqltyping import AnySelect


def _last_session_text(value: dt.date | None) -> str:
    # every row here lacks recent contact; a blank cell read as "not loaded", the mentor's home says 从未
    return value.isoformat() if value is not None else t("never")

TODAY_KEY = "coverage_today"
TODAY = bindparam(TODAY_KEY, callable_=dt.date.today, type_=Date)
MA = MentorAssignment
ROLE_ORDER = list(MentorRole)
_ROLE_TYPE = MentorAssignment.__table__.c.role.type


def _staff_only(actor: Actor, stmt: AnySelect) -> AnySelect:
    if actor.is_mentor:
        raise PermissionDenied(t("You do not have permission to do this."))
    return stmt


_active_on = assignment_active_on


def _role_options(_s: Session) -> list[tuple[Any, str]]:
    from .labels import label

    return [(r, label(r)) for r in MentorRole]


def _programme_options(session: Session) -> list[tuple[Any, str]]:
    return [(pid, f"{code} {name}") for pid, code, name in
            session.execute(select(Programme.id, Programme.code, Programme.name).order_by(Programme.code))]


def _cohort_options(session: Session) -> list[tuple[Any, str]]:
    return [(c, str(c)) for (c,) in session.execute(
        select(Student.cohort).where(Student.status == StudentStatus.ACTIVE).distinct()
        .order_by(Student.cohort.desc()))]


# --------------------------------------------------------------------------- the missing-role queue


def _roles_table() -> Subquery:
    parts: list[AnySelect] = [select(literal_column(f"'{r.value}'").label("role"), literal_column(str(i)).label("idx"))
             for i, r in enumerate(ROLE_ORDER)]
    return union_all(*parts).subquery("roles")


_R = _roles_table()
_ended = aliased(MentorAssignment)
_last = aliased(MentorAssignment)
_missing_since = func.coalesce(
    select(func.max(_ended.end_on)).where(_ended.student_id == Student.id, _ended.role == _R.c.role,
                                          _ended.end_on <= TODAY).correlate(Student, _R).scalar_subquery(),
    Student.enrolled_on,
)
_last_mentor = (
    select(Mentor.name).join(_last, _last.mentor_id == Mentor.id)
    .where(_last.student_id == Student.id, _last.role == _R.c.role, _last.end_on <= TODAY)
    .order_by(_last.end_on.desc()).limit(1).correlate(Student, _R).scalar_subquery()
)


def _missing_base(actor: Actor) -> AnySelect:
    held = exists().where(MA.student_id == Student.id, MA.role == _R.c.role, _active_on(TODAY))
    stmt = (select(Student.id).select_from(Student).join(_R, true())
            .join(Programme, Student.programme_id == Programme.id)
            .where(Student.status == StudentStatus.ACTIVE,
                   or_(Student.enrolled_on.is_(None), Student.enrolled_on <= TODAY), ~held))
    return _staff_only(actor, stmt)


MISSING_ROLES = ListSpec(
    name="missing_roles",
    columns=(
        Column("student_no", "Student no.", Student.student_no, width=110),
        Column("name", "Name", Student.name, width=90),
        Column("cohort", "Cohort", Student.cohort, "int", 60),
        Column("programme", "Programme", Programme.name, width=200),
        Column("role", "Missing role", type_coerce(_R.c.role, _ROLE_TYPE), "enum", 90),
        Column("since", "Missing since", _missing_since, "date", 100),
        Column("last_mentor", "Last mentor", _last_mentor, width=100),
    ),
    # one row per (student, role): the id encodes both (student id × 3 + role index)
    id_expr=Student.id * len(ROLE_ORDER) + _R.c.idx,
    base=_missing_base,
    search=(Student.student_no, Student.name, Programme.code, Programme.name),
    filters=(
        Filter("role", "Mentor role", _role_options, lambda s, v: s.where(_R.c.role == MentorRole(v).value)),
        Filter("programme", "Programme", _programme_options, lambda s, v: s.where(Student.programme_id == v)),
        Filter("cohort", "Cohort", _cohort_options, lambda s, v: s.where(Student.cohort == v)),
    ),
    default_sort="since",
)


def missing_row_key(row_id: int) -> tuple[int, MentorRole]:
    """(student id, role) of a missing-role queue row."""
    return row_id // len(ROLE_ORDER), ROLE_ORDER[row_id % len(ROLE_ORDER)]


# --------------------------------------------------------------------------- mentor workload

_MQ = MentorQualification
class _unindexed(FunctionElement[int]):  # noqa: N801 (an SQL function-like element)
    """``+column`` on SQLite (the column cannot drive an index), the plain column elsewhere."""

    name = "unindexed"
    type = Integer()
    inherit_cache = True


@compiles(_unindexed)
def _unindexed_default(element: _unindexed, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(_unindexed, "sqlite")
def _unindexed_sqlite(element: _unindexed, compiler: Any, **kw: Any) -> str:
    return "+" + str(compiler.process(element.clauses, **kw))


# Active assignments per (mentor, role) in one grouped pass over the assignments (one scan beats a
# correlated count per qualification several times over on ten years of history). Grouping by
# ``+mentor_id`` keeps SQLite from walking the (mentor_id, role) index to save a sort: that visits the
# table row by row in index order, 5× slower than a plain scan and a small sort.
_loads = (
    select(MA.mentor_id.label("mentor_id"), MA.role.label("role"), func.count(MA.id).label("n"),
           func.sum(case((MA.capacity_override, 1), else_=0)).label("overrides"))
    .where(_active_on(TODAY)).group_by(_unindexed(MA.mentor_id), MA.role).subquery("loads")
)
_load = func.coalesce(_loads.c.n, 0)
_overrides = func.coalesce(_loads.c.overrides, 0)


def _workload_base(actor: Actor) -> AnySelect:
    stmt = (select(_MQ.id).select_from(_MQ).join(Mentor, _MQ.mentor_id == Mentor.id)
            .join(Organisation, Mentor.organisation_id == Organisation.id)
            .outerjoin(_loads, (_loads.c.mentor_id == _MQ.mentor_id) & (_loads.c.role == _MQ.role))
            .where(or_(Mentor.active, _load > 0)))
    return _staff_only(actor, stmt)


def _load_filter(stmt: AnySelect, value: str) -> AnySelect:
    if value == "over":
        return stmt.where(_load > _MQ.capacity)
    if value == "full":
        return stmt.where(_load >= _MQ.capacity)
    return stmt.where(_load < _MQ.capacity)


WORKLOAD = ListSpec(
    name="workload",
    columns=(
        Column("staff_no", "Staff no.", Mentor.staff_no, width=90),
        Column("name", "Name", Mentor.name, width=80),
        Column("organisation", "Organisation", Organisation.name, width=180),
        Column("role", "Mentor role", _MQ.role, "enum", 90),
        Column("capacity", "Capacity", _MQ.capacity, "int", 70),
        Column("load", "Current mentees", _load, "int", 80),
        Column("free", "Free places", _MQ.capacity - _load, "int", 70),
        Column("overrides", "Overrides", _overrides, "int", 70),
        Column("active", "Enabled", Mentor.active, "bool", 50),
    ),
    id_expr=_MQ.id,
    base=_workload_base,
    search=(Mentor.staff_no, Mentor.name, Organisation.name),
    filters=(
        Filter("role", "Mentor role", _role_options, lambda s, v: s.where(_MQ.role == v)),
        Filter("load", "Load", lambda _s: [("over", t("Over capacity")), ("full", t("At capacity")),
                                           ("free", t("Has free places"))], _load_filter),
    ),
    default_sort="free",
)


# --------------------------------------------------------------------------- no contact

_mentor = aliased(Mentor)
_morg = aliased(Organisation)
_last_session = (
    select(func.max(MentoringSession.held_on))
    .where(MentoringSession.student_id == MA.student_id, MentoringSession.mentor_id == MA.mentor_id,
           MentoringSession.held_on >= MA.start_on, MentoringSession.held_on <= TODAY)
    .correlate(MA).scalar_subquery()
)


def _no_contact_base(actor: Actor) -> AnySelect:
    stmt = (select(MA.id).select_from(MA).join(Student, MA.student_id == Student.id)
            .join(Programme, Student.programme_id == Programme.id)
            .join(_mentor, MA.mentor_id == _mentor.id).join(_morg, _mentor.organisation_id == _morg.id)
            .where(Student.status == StudentStatus.ACTIVE, _active_on(TODAY)))
    return _staff_only(actor, stmt)


def _quiet_for(stmt: AnySelect, days: int, today: dt.date | None = None) -> AnySelect:
    """Current assignments held for at least ``days`` days without a session in the last ``days`` days.

    The current holder of the role has held it for the whole window, so "a session from that role" is a
    session from that mentor (a mentor holds one role per student)."""
    cutoff = (today or dt.date.today()) - dt.timedelta(days=int(days))
    met = exists().where(MentoringSession.student_id == MA.student_id, MentoringSession.mentor_id == MA.mentor_id,
                         MentoringSession.held_on > cutoff, MentoringSession.held_on <= TODAY)
    return stmt.where(MA.start_on <= cutoff, ~met)


def _days_options(session: Session) -> list[tuple[Any, str]]:
    setting = no_contact_days(session)
    out = [(setting, t("{n} days or more (setting)", n=setting))]
    out += [(n, t("{n} days or more", n=n)) for n in (30, 45, 60, 90, 180) if n != setting]
    return out


NO_CONTACT = ListSpec(
    name="no_contact",
    columns=(
        Column("student_no", "Student no.", Student.student_no, width=110),
        Column("name", "Name", Student.name, width=90),
        Column("cohort", "Cohort", Student.cohort, "int", 60),
        Column("programme", "Programme", Programme.name, width=180),
        Column("role", "Mentor role", MA.role, "enum", 90),
        Column("mentor", "Current mentor", _mentor.name, width=90),
        Column("organisation", "Mentor organisation", _morg.name, width=160),
        Column("since", "Mentor since", MA.start_on, "date", 100),
        Column("last_session", "Last session", _last_session, "date", 100, _last_session_text),
    ),
    id_expr=MA.id,
    base=_no_contact_base,
    search=(Student.student_no, Student.name, Programme.name, _mentor.name, _mentor.staff_no),
    filters=(
        # the first option is the academy's setting; the page selects it when it opens
        Filter("days", "No contact for", _days_options, lambda s, v: _quiet_for(s, v)),
        Filter("role", "Mentor role", _role_options, lambda s, v: s.where(MA.role == v)),
        Filter("programme", "Programme", _programme_options, lambda s, v: s.where(Student.programme_id == v)),
    ),
    default_sort="last_session",
)


# --------------------------------------------------------------------------- typed results for a given day


@dataclass(frozen=True)
class MissingRole:
    student_id: int
    student_no: str
    name: str
    role: MentorRole
    since: dt.date | None
    last_mentor: str | None


@dataclass(frozen=True)
class Workload:
    mentor_id: int
    staff_no: str
    name: str
    role: MentorRole
    capacity: int
    load: int
    overrides: int

    @property
    def free(self) -> int:
        return self.capacity - self.load

    @property
    def over(self) -> bool:
        return self.load > self.capacity


@dataclass(frozen=True)
class NoContact:
    assignment_id: int
    student_id: int
    student_no: str
    role: MentorRole
    mentor_id: int
    since: dt.date
    last_session: dt.date | None


def missing_roles(session: Session, actor: Actor, on: dt.date | None = None) -> list[MissingRole]:
    """Active students without a mentor in a role on ``on``, and since when (the end of the last
    assignment in that role, or the enrolment date when the role was never filled)."""
    day = on or dt.date.today()
    stmt = _missing_base(actor).with_only_columns(
        Student.id, Student.student_no, Student.name, _R.c.role, _missing_since, _last_mentor
    ).order_by(Student.student_no, _R.c.idx)
    return [MissingRole(i, no, name, MentorRole(role), since, last)
            for i, no, name, role, since, last in session.execute(stmt, {TODAY_KEY: day})]


def workload(session: Session, actor: Actor, on: dt.date | None = None) -> list[Workload]:
    """Active mentees per mentor and role against capacity on ``on``."""
    day = on or dt.date.today()
    stmt = _workload_base(actor).with_only_columns(
        Mentor.id, Mentor.staff_no, Mentor.name, _MQ.role, _MQ.capacity, _load, _overrides
    ).order_by(Mentor.staff_no, _MQ.role)
    return [Workload(mid, no, name, role, int(cap), int(ld or 0), int(ov or 0))
            for mid, no, name, role, cap, ld, ov in session.execute(stmt, {TODAY_KEY: day})]


def no_contact(session: Session, actor: Actor, days: int | None = None, on: dt.date | None = None,
               role: MentorRole | None = None) -> list[NoContact]:
    """Current (student, role) pairs of active students with no session from that role in the last
    ``days`` days (default: the academy's setting), among mentors who have held the role that long."""
    day = on or dt.date.today()
    n = days if days is not None else no_contact_days(session)
    stmt = _quiet_for(_no_contact_base(actor), n, day).with_only_columns(
        MA.id, Student.id, Student.student_no, MA.role, MA.mentor_id, MA.start_on, _last_session
    ).order_by(Student.student_no, MA.role)
    if role is not None:
        stmt = stmt.where(MA.role == role)
    return [NoContact(*r) for r in session.execute(stmt, {TODAY_KEY: day})]


__all__ = ["DEFAULT_NO_CONTACT_DAYS", "MISSING_ROLES", "NO_CONTACT", "WORKLOAD", "missing_roles", "missing_row_key",
           "no_contact", "workload"]
