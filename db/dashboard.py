"""Read-only queries the desktop's home page and dialogs need (Qt-free).

The desktop never builds a query itself: the dashboard figures and a record's current values for an
edit dialog come from here as typed results (a programme plan's balance: db.curriculum.plan_detail).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, joinedload

from .actor import Actor
from .balance import plan_balances
from .errors import NotFound, PermissionDenied
from .i18n import t
from .models import (
    Course,
    Mentor,
    MentorAssignment,
    MentorRole,
    Programme,
    Student,
    StudentStatus,
    Task,
    TransferRequest,
    TransferStatus,
    User,
    active_on_day,
    assignment_active_on,
    task_overdue_on,
)
from .permissions import check_student_access, mentee_filter, require_admin

# --------------------------------------------------------------------------- the home page


@dataclass(frozen=True)
class Dashboard:
    """Headline figures for administrators and viewers."""

    active_students: int
    mentors: int
    courses: int
    programmes: int
    missing: dict[MentorRole, int]  # active students without a current mentor in that role
    programmes_out_of_band: int
    on: dt.date
    pending_transfers: int = 0  # credit transfer requests waiting for a decision
    overdue_tasks: int = 0  # tasks overdue today (db.models.task_overdue_on)


_active_on = assignment_active_on


def dashboard(session: Session, actor: Actor, today: dt.date | None = None) -> Dashboard:
    if actor.is_mentor:
        raise PermissionDenied(t("You do not have permission to do this."))
    day = today or dt.date.today()
    active = Student.status == StudentStatus.ACTIVE
    counts: dict[str, Any] = {
        "active_students": select(func.count(Student.id)).where(active),
        "mentors": select(func.count(Mentor.id)).where(Mentor.active),
        "courses": select(func.count(Course.id)),
        "programmes": select(func.count(Programme.id)),
        "pending_transfers": select(func.count(TransferRequest.id)).where(
            TransferRequest.status == TransferStatus.PENDING),
        "overdue_tasks": select(func.count(Task.id)).where(task_overdue_on(day)),
    }
    for role in MentorRole:
        has = exists().where(MentorAssignment.student_id == Student.id, MentorAssignment.role == role,
                             _active_on(day))
        counts[role.value] = select(func.count(Student.id)).where(active, ~has)
    # every count in one statement: one round trip over the office network, not one a figure
    names = list(counts)
    row = dict(zip(names, session.execute(select(*(counts[n].scalar_subquery().label(n) for n in names))).one(),
                   strict=True))
    # one definition of a plan's balance (db.balance); a plan with no foundation or industry course yet
    # has no share to be out of band with
    out_of_band = sum(1 for b in plan_balances(session) if b.share is not None and not b.in_band)
    return Dashboard(
        active_students=int(row["active_students"] or 0),
        mentors=int(row["mentors"] or 0),
        courses=int(row["courses"] or 0),
        programmes=int(row["programmes"] or 0),
        missing={role: int(row[role.value] or 0) for role in MentorRole},
        programmes_out_of_band=out_of_band,
        on=day,
        pending_transfers=int(row["pending_transfers"] or 0),
        overdue_tasks=int(row["overdue_tasks"] or 0),
    )


@dataclass(frozen=True)
class MentorHome:
    current_mentees: int
    former_mentees: int


def mentor_home(session: Session, actor: Actor, today: dt.date | None = None) -> MentorHome:
    day = today or dt.date.today()
    if actor.mentor_id is None:
        return MentorHome(0, 0)
    current = int(session.scalar(select(func.count(Student.id)).where(
        mentee_filter(actor, Student.id, current_only=True, on=day))) or 0)
    ever = int(session.scalar(select(func.count(Student.id)).where(mentee_filter(actor, Student.id))) or 0)
    return MentorHome(current, ever - current)


# --------------------------------------------------------------------------- records for edit dialogs


@dataclass(frozen=True)
class RecordSnapshot:
    """A record's current values keyed by the field keys of forms.specs, as domain values
    (enums, dates, lists of roles), and the version the dialog must name when it saves."""

    id: int
    version: int
    values: dict[str, Any]
    title: str = ""


def record(session: Session, actor: Actor, kind: str, record_id: int) -> RecordSnapshot:
    """The values an edit dialog shows for one record of ``kind`` (students, mentors, programmes,
    courses, users). Read-permission is checked here, not in the dialog."""
    if kind == "students":
        check_student_access(session, actor, record_id)
        # the home university in the same statement (the programme is always joined): one round trip
        s = session.get(Student, record_id, options=[joinedload(Student.home_university)])
        if s is None:
            raise NotFound(t("{entity} {key} was not found.", entity=t("Student"), key=record_id))
        return RecordSnapshot(s.id, s.version, {
            "student_no": s.student_no, "name": s.name, "cohort": s.cohort,
            "programme": s.programme.code if s.programme is not None else None,  # None: deleted behind our back
            "gender": s.gender, "status": s.status,
            "home_university": s.home_university.name if s.home_university else None,
            "enrolled_on": s.enrolled_on, "phone": s.phone, "email": s.email,
        }, f"{s.student_no} {s.name}")
    if kind == "mentors":
        if actor.is_mentor and actor.mentor_id != record_id:
            raise PermissionDenied(t("You do not have permission to do this."))
        m = session.get(Mentor, record_id)
        if m is None:
            raise NotFound(t("{entity} {key} was not found.", entity=t("Mentor"), key=record_id))
        caps = [q.capacity for q in m.qualifications]
        return RecordSnapshot(m.id, m.version, {
            "staff_no": m.staff_no, "name": m.name, "organisation": m.organisation.name,
            "roles": [q.role for q in m.qualifications], "title": m.title,
            "capacity": max(caps) if caps else None, "phone": m.phone, "email": m.email,
        }, f"{m.staff_no} {m.name}")
    if actor.is_mentor:
        raise PermissionDenied(t("You do not have permission to do this."))
    if kind == "programmes":
        p = session.get(Programme, record_id)
        if p is None:
            raise NotFound(t("{entity} {key} was not found.", entity=t("Programme"), key=record_id))
        return RecordSnapshot(p.id, p.version, {
            "code": p.code, "name": p.name, "target_share": p.target_share, "tolerance": p.tolerance,
            "transfer_cap": p.transfer_cap,
        }, f"{p.code} {p.name}")
    if kind == "courses":
        c = session.get(Course, record_id)
        if c is None:
            raise NotFound(t("{entity} {key} was not found.", entity=t("Course"), key=record_id))
        return RecordSnapshot(c.id, c.version, {
            "code": c.code, "name": c.name, "credits": c.credits, "category": c.category, "hours": c.hours,
            "provider": c.provider.name if c.provider else None,
            "partner": c.partner.name if c.partner else None,
        }, f"{c.code} {c.name}")
    if kind == "users":
        require_admin(actor)
        u = session.get(User, record_id)
        if u is None:
            raise NotFound(t("{entity} {key} was not found.", entity=t("User"), key=record_id))
        return RecordSnapshot(u.id, u.version, {
            "username": u.username, "display_name": u.display_name, "role": u.role, "mentor_id": u.mentor_id,
            "active": u.active,
        }, u.username)
    raise KeyError(kind)


@dataclass(frozen=True)
class Choice:
    id: int
    code: str
    name: str


def mentor_choices(session: Session, actor: Actor) -> list[Choice]:
    """Active mentors, for linking a mentor account to its mentor record."""
    require_admin(actor)
    return [Choice(i, c, n) for i, c, n in session.execute(
        select(Mentor.id, Mentor.staff_no, Mentor.name).where(Mentor.active).order_by(Mentor.staff_no))]


def course_choices(session: Session, actor: Actor) -> list[Choice]:
    """Courses, for adding one to a programme plan."""
    if actor.is_mentor:
        raise PermissionDenied(t("You do not have permission to do this."))
    return [Choice(i, c, n) for i, c, n in session.execute(
        select(Course.id, Course.code, Course.name).order_by(Course.code))]


# --------------------------------------------------------------------------- a student's mentors


@dataclass(frozen=True)
class MentorLine:
    role: MentorRole
    staff_no: str
    mentor_name: str
    organisation: str
    start_on: dt.date
    end_on: dt.date | None
    end_reason: str | None

    def active_on(self, day: dt.date) -> bool:
        return active_on_day(self.start_on, self.end_on, day)


def student_mentors(session: Session, actor: Actor, student_id: int) -> list[MentorLine]:
    """A student's three-mentor history, current first, then by role and start date."""
    check_student_access(session, actor, student_id)
    from .models import Organisation

    rows = session.execute(
        select(MentorAssignment.role, Mentor.staff_no, Mentor.name, Organisation.name, MentorAssignment.start_on,
               MentorAssignment.end_on, MentorAssignment.end_reason)
        .join(Mentor, MentorAssignment.mentor_id == Mentor.id)
        .join(Organisation, Mentor.organisation_id == Organisation.id)
        .where(MentorAssignment.student_id == student_id)
        .order_by(MentorAssignment.end_on.is_not(None), MentorAssignment.role, MentorAssignment.start_on.desc()))
    return [MentorLine(*r) for r in rows]
