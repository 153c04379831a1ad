"""The three-mentor scheme: mentor assignments with history, mentoring sessions and tasks.

Rules (DESIGN.md section 2), enforced here whatever the caller:
- at most one active assignment per student per role; a reassignment ends the old assignment on the
  day the new one starts (the end date is the first day the mentor no longer holds the role);
- a mentor holds at most one role for a given student at a time;
- a mentor takes a role only if qualified for it, and not above their capacity for that role unless
  an administrator overrides it with a reason, which is recorded;
- history is kept: assignments end with a date and a reason, they are never deleted;
- a mentor logs sessions and tasks only for current mentees; overdue is derived, never stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import Session

from .actor import Actor
from .batch import read_together
from .errors import PermissionDenied, RuleViolation, TalentDeskError, ValidationError
from .errors import invalid as _invalid
from .errors import unknown as _unknown
from .i18n import t
from .labels import label
from .models import (
    IssuedReport,
    Mentor,
    MentorAssignment,
    MentoringSession,
    MentorQualification,
    MentorRole,
    SessionKind,
    Student,
    Task,
    TaskStatus,
    active_on_day,
    assignment_active_on,
    task_overdue_on,
)
from .permissions import check_student_access, not_a_mentee, require_admin, require_write, writable_students
from .records import (
    RowOutcome,
    apply,
    by_key,
    by_keys,
    chunks,
    create_or_apply,
    current_columns,
    flush,
    get_for_update,
    write_many,
)


def student_by_no(session: Session, no: str, field: str = "student_no") -> Student:
    st = by_key(session, Student, Student.student_no, no)
    if st is None:
        raise no_such_student(no, field)
    return st


def mentor_by_no(session: Session, no: str, field: str = "staff_no") -> Mentor:
    m = by_key(session, Mentor, Mentor.staff_no, no)
    if m is None:
        raise no_such_mentor(no, field)
    return m


def no_such_student(no: str, field: str = "student_no") -> ValidationError:
    return _unknown(field, t("Student {no} does not exist.", no=no))


def no_such_mentor(no: str, field: str = "staff_no") -> ValidationError:
    return _unknown(field, t("Mentor {no} does not exist.", no=no))


active_on = assignment_active_on  # the definition lives with the model (db.models)


def _overlaps(start: dt.date, end: dt.date | None) -> Any:
    """Assignments active on some day of [start, end) (no end: from start on). An assignment that ends
    on the day it starts is active on no day (DESIGN section 6), so it overlaps nothing, nor does a
    window that ends where it starts: neither takes a place or a role from anyone."""
    if end is not None and end <= start:
        return false()
    return and_(or_(MentorAssignment.end_on.is_(None),
                    and_(MentorAssignment.end_on > start, MentorAssignment.end_on > MentorAssignment.start_on)),
                *([MentorAssignment.start_on < end] if end is not None else []))


def load(session: Session, mentor_id: int, role: MentorRole, day: dt.date, exclude_id: int | None = None) -> int:
    stmt = select(func.count()).select_from(MentorAssignment).where(
        MentorAssignment.mentor_id == mentor_id, MentorAssignment.role == role, active_on(day))
    if exclude_id is not None:
        stmt = stmt.where(MentorAssignment.id != exclude_id)
    return session.scalar(stmt) or 0


def peak_load(session: Session, mentor_id: int, role: MentorRole, start: dt.date, end: dt.date | None,
              exclude_id: int | None = None) -> tuple[int, dt.date]:
    """The most students ``mentor_id`` holds in ``role`` on one day of [start, end) (no end: from start
    on), and the first such day. A load only rises on the day an assignment starts, so those days and
    ``start`` are the ones to count on: one query, whatever the window."""
    stmt = select(MentorAssignment.start_on, MentorAssignment.end_on).where(
        MentorAssignment.mentor_id == mentor_id, MentorAssignment.role == role, _overlaps(start, end))
    if exclude_id is not None:
        stmt = stmt.where(MentorAssignment.id != exclude_id)
    spans = session.execute(stmt).all()
    best, on = 0, start
    for day in sorted({start} | {s for s, _e in spans if s > start}):
        n = sum(1 for s, e in spans if s <= day and (e is None or day < e))
        if n > best:
            best, on = n, day
    return best, on


def _role_taken(session: Session, key: str, holder: MentorAssignment, role: MentorRole) -> ValidationError:
    mentor = session.get(Mentor, holder.mentor_id)
    return _invalid(key, t("The student already has {mentor} as {role} from {start}: end or replace that "
                           "assignment first.", mentor=mentor.name if mentor else "?", role=label(role),
                           start=holder.start_on.isoformat()))


def _full_for_a_file(mentor: Mentor | None, role: MentorRole, load: int, cap: int, day: dt.date) -> ValidationError:
    """An import row has no column for an administrator's override: say how to let the mentor take more."""
    return _invalid("staff_no", t(
        "{mentor} is at capacity for {role} ({load} of {capacity}) on {date}: raise their capacity (指导上限) "
        "in the mentors file, or assign them in the app with an override reason.",
        mentor=mentor.name if mentor else "?", role=label(role), load=load, capacity=cap, date=day.isoformat()))


def capacity(session: Session, mentor_id: int, role: MentorRole) -> int | None:
    return session.scalar(select(MentorQualification.capacity).where(
        MentorQualification.mentor_id == mentor_id, MentorQualification.role == role))


def assign(session: Session, actor: Actor, student: Student, mentor: Mentor, role: MentorRole, start_on: dt.date,
           *, end_on: dt.date | None = None, override_reason: str | None = None, replace: bool = False,
           replace_reason: str | None = None, from_file: bool = False) -> MentorAssignment:
    """Give ``student`` ``mentor`` in ``role`` from ``start_on``.

    ``replace``: an open assignment of another mentor in the same role that started earlier is ended
    on ``start_on`` (a reassignment); otherwise an overlapping assignment is refused.
    ``from_file``: an import row, which has no column for an administrator's override: a mentor at
    capacity is refused on the row's 工号, saying how to let them take more students.
    """
    require_admin(actor)
    if end_on is not None and end_on < start_on:
        raise _invalid("end", t("The end date is before the start date."))
    cap = capacity(session, mentor.id, role)
    if cap is None:
        raise _invalid("role", t("{mentor} is not qualified as {role}.", mentor=mentor.name, role=label(role)))
    if not mentor.active:
        raise _invalid("staff_no", t("{mentor} is no longer active.", mentor=mentor.name))
    # one role per mentor-student pair
    other = session.scalar(select(MentorAssignment).where(
        MentorAssignment.student_id == student.id, MentorAssignment.mentor_id == mentor.id,
        MentorAssignment.role != role, _overlaps(start_on, end_on)).limit(1))
    if other is not None:
        raise _invalid("staff_no", t("{mentor} already holds the role {role} for this student from {start}; one "
                                     "mentor holds at most one role for a student.", mentor=mentor.name,
                                     role=label(other.role), start=other.start_on.isoformat()))
    # one mentor per role at a time
    clashes = list(session.scalars(select(MentorAssignment).where(
        MentorAssignment.student_id == student.id, MentorAssignment.role == role, _overlaps(start_on, end_on))))
    for old in clashes:
        if replace and old.end_on is None and old.start_on < start_on and end_on is None:
            old.end_on = start_on
            old.end_reason = replace_reason or t("Replaced by a new assignment")
            continue
        raise _role_taken(session, "role", old, role)
    flush(session)
    # the whole time the new assignment runs: a later start of another student counts as much as today
    current, day = peak_load(session, mentor.id, role, start_on, end_on)
    overridden = False
    if current >= cap and end_on != start_on:  # active on no day: it takes no place
        if from_file:
            raise _full_for_a_file(mentor, role, current, cap, day)
        if not (override_reason and override_reason.strip()):
            raise RuleViolation(t("{mentor} is at capacity for {role} ({load} of {capacity}); an administrator can "
                                  "override with a reason.", mentor=mentor.name, role=label(role), load=current,
                                  capacity=cap))
        overridden = True
    a = MentorAssignment(student_id=student.id, mentor_id=mentor.id, role=role, start_on=start_on, end_on=end_on,
                         capacity_override=overridden, override_reason=override_reason if overridden else None,
                         created_by=actor.username)
    session.add(a)
    flush(session)
    return a


def end_assignment(session: Session, actor: Actor, assignment_id: int, end_on: dt.date, reason: str,
                   expected_version: int | None = None) -> MentorAssignment:
    require_admin(actor)
    a = get_for_update(session, MentorAssignment, assignment_id, expected_version, t("Mentor assignment"))
    if a.end_on is not None and a.end_on <= dt.date.today():
        raise RuleViolation(t("This assignment has already ended."))
    if end_on < a.start_on:
        raise _invalid("end", t("The end date is before the start date."))
    if not reason or not reason.strip():
        raise _invalid("reason", t("A reason is required."))
    a.end_on, a.end_reason = end_on, reason.strip()
    flush(session)
    return a


def _check_extension(session: Session, a: MentorAssignment, end: dt.date) -> None:
    """An ended assignment an import makes last longer must still keep one mentor per role (the
    student's next mentor in the role may have started since) and the mentor's capacity."""
    later = session.scalar(select(MentorAssignment).where(
        MentorAssignment.student_id == a.student_id, MentorAssignment.role == a.role, MentorAssignment.id != a.id,
        _overlaps(a.start_on, end)).order_by(MentorAssignment.start_on).limit(1))
    if later is not None:
        raise _role_taken(session, "end", later, a.role)
    cap = capacity(session, a.mentor_id, a.role)
    current, day = peak_load(session, a.mentor_id, a.role, a.end_on or a.start_on, end, exclude_id=a.id)
    if cap is not None and current >= cap and not a.capacity_override:
        raise _full_for_a_file(session.get(Mentor, a.mentor_id), a.role, current, cap, day)


def import_assignment(session: Session, actor: Actor, v: dict[str, Any]) -> tuple[MentorAssignment, bool]:
    """An import row: the same (student, mentor, role, start) updates its end date; a later start in
    the same role replaces the open assignment (a reassignment)."""
    student = student_by_no(session, v["student_no"])
    mentor = mentor_by_no(session, v["staff_no"])
    role: MentorRole = v["role"]
    existing = session.scalar(select(MentorAssignment).where(
        MentorAssignment.student_id == student.id, MentorAssignment.mentor_id == mentor.id,
        MentorAssignment.role == role, MentorAssignment.start_on == v["start"]))
    if existing is not None:
        require_admin(actor)
        if "end" not in v:  # a blank end date leaves it: an older roster never reopens ended history
            return existing, False
        end = v["end"]
        if end < existing.start_on:
            raise _invalid("end", t("The end date is before the start date."))
        if existing.end_on is not None and end > existing.end_on:  # a longer assignment: the rules again
            _check_extension(session, existing, end)
        changes: dict[str, Any] = {"end_on": end}
        if existing.end_reason is None:
            changes["end_reason"] = t("End date from an imported file")
        apply(existing, changes)
        flush(session)
        return existing, False
    a = assign(session, actor, student, mentor, role, v["start"], end_on=v.get("end"), replace=True, from_file=True)
    if a.end_on is not None and a.end_reason is None:  # history keeps an end date with its reason (DESIGN §2)
        a.end_reason = t("End date from an imported file")
        flush(session)
    return a, True


# --------------------------------------------------------------------------- sessions


def _check_mentor_side(session: Session, actor: Actor, mentor: Any, student: Any,
                       writable: set[int] | None = None) -> None:
    """A mentor changes only their own records of a current mentee. ``writable``: the students the
    actor may change, read already for many rows (``writable_students``), else asked here."""
    require_write(actor)
    if actor.is_mentor:
        if actor.mentor_id != mentor.id:
            raise PermissionDenied(t("You can only change the records of your current mentees."))
        if writable is None:
            check_student_access(session, actor, student.id, write=True)
        elif student.id not in writable:
            raise not_a_mentee(write=True)


MAX_MINUTES = 24 * 60


def assignment_on(session: Session, mentor_id: int, student_id: int, day: dt.date) -> MentorAssignment | None:
    """The assignment through which ``mentor_id`` mentors ``student_id`` on ``day`` (any role), if any."""
    return session.scalar(select(MentorAssignment).where(
        MentorAssignment.mentor_id == mentor_id, MentorAssignment.student_id == student_id, active_on(day)).limit(1))


def _not_future(key: str, day: dt.date | None) -> None:
    if day is not None and day > dt.date.today():
        raise _invalid(key, t("The date {date} is in the future.", date=day.isoformat()))


def _require_assigned(session: Session, key: str, mentor: Any, student: Any, day: dt.date,
                      spans: dict[tuple[int, int], list[tuple[dt.date, dt.date | None]]] | None = None) -> None:
    """``mentor`` mentored ``student`` on ``day``. ``spans``: the (start, end) of the pair's assignments,
    read already for many rows (``_MenteeRows``), else asked here."""
    if spans is None:
        assigned = assignment_on(session, mentor.id, student.id, day) is not None
    else:
        assigned = any(active_on_day(start, end, day) for start, end in spans.get((mentor.id, student.id), ()))
    if not assigned:
        raise _invalid(key, t("{mentor} was not assigned to {student} on {date}.", mentor=mentor.name,
                              student=f"{student.name}（{student.student_no}）", date=day.isoformat()))


def _check_own_record(session: Session, actor: Actor, mentor_id: int, student_id: int) -> None:
    """An existing session or task a mentor wants to change must be their own, of a current mentee."""
    require_write(actor)
    if actor.is_mentor:
        if mentor_id != actor.mentor_id:
            raise PermissionDenied(t("You can only change your own sessions and tasks."))
        check_student_access(session, actor, student_id, write=True)


class _MenteeRows:
    """What the checks of many sessions or tasks (an import's rows) ask of the database, read at once:
    the mentors and students the rows name, which of the students the actor may change, and every
    assignment of those students. Then ``pair`` checks one row as ``save_session``/``save_task`` do
    (the same messages, in the same order) and ``require_assigned`` is their ``_require_assigned``."""

    def __init__(self, session: Session, actor: Actor, rows: list[dict[str, Any]]) -> None:
        require_write(actor)
        self.session, self.actor = session, actor
        self.mentors = by_keys(session, Mentor.staff_no, {v["staff_no"] for v in rows}, Mentor.id, Mentor.name)
        self.students = by_keys(session, Student.student_no, {v["student_no"] for v in rows}, Student.id,
                                Student.name)
        self.student_ids = sorted({st.id for st in self.students.values()})
        self.writable = writable_students(session, actor, self.student_ids)
        self.spans: dict[tuple[int, int], list[tuple[dt.date, dt.date | None]]] = {}
        ma = MentorAssignment
        for chunk in chunks(self.student_ids):
            for mentor_id, student_id, start, end in session.execute(
                    select(ma.mentor_id, ma.student_id, ma.start_on, ma.end_on).where(ma.student_id.in_(chunk))):
                self.spans.setdefault((mentor_id, student_id), []).append((start, end))

    def pair(self, v: dict[str, Any]) -> tuple[Any, Any]:
        """The row's mentor and student (rows with ``id``, ``name`` …); refused as the single save refuses."""
        mentor = self.mentors.get(v["staff_no"])
        if mentor is None:
            raise no_such_mentor(v["staff_no"])
        student = self.students.get(v["student_no"])
        if student is None:
            raise no_such_student(v["student_no"])
        _check_mentor_side(self.session, self.actor, mentor, student, self.writable)
        return mentor, student

    def require_assigned(self, key: str, mentor: Any, student: Any, day: dt.date) -> None:
        _require_assigned(self.session, key, mentor, student, day, self.spans)


def _check_session_values(v: dict[str, Any]) -> None:
    minutes = v.get("minutes")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 0 < minutes <= MAX_MINUTES:
        raise _invalid("minutes", t("The duration must be between 1 and {max} minutes (24 hours).", max=MAX_MINUTES))
    _not_future("date", v["date"])


def _session_data(v: dict[str, Any], mentor_id: int, student_id: int, keep_kind: bool) -> dict[str, Any]:
    """The columns a session row sets. ``keep_kind``: an import row without a 方式 keeps the session's."""
    data = {"mentor_id": mentor_id, "student_id": student_id, "held_on": v["date"], "minutes": v["minutes"],
            "kind": v.get("kind") or SessionKind.IN_PERSON, "topic": v.get("topic")}
    if "notes" in v:
        data["notes"] = v["notes"]
    if keep_kind and v.get("kind") is None:
        del data["kind"]
    return data


def save_session(session: Session, actor: Actor, v: dict[str, Any], *, session_id: int | None = None,
                 expected_version: int | None = None, upsert: bool = False) -> tuple[MentoringSession, bool]:
    """Log (or correct) a session. Refused: a date in the future, a day the mentor was not assigned to
    the student, minutes ≤ 0 or over 24 hours; a mentor acting for another mentor or student."""
    mentor = mentor_by_no(session, v["staff_no"])
    student = student_by_no(session, v["student_no"])
    _check_mentor_side(session, actor, mentor, student)
    _check_session_values(v)
    _require_assigned(session, "date", mentor, student, v["date"])
    obj = None
    if session_id is not None:
        obj = get_for_update(session, MentoringSession, session_id, expected_version, t("Mentoring session"))
        _check_own_record(session, actor, obj.mentor_id, obj.student_id)
    elif upsert:
        # the n-th row of a file with this mentor, student, day and topic is the n-th such session
        obj = session.scalar(select(MentoringSession).where(
            MentoringSession.mentor_id == mentor.id, MentoringSession.student_id == student.id,
            MentoringSession.held_on == v["date"],
            MentoringSession.topic.is_(None) if not v.get("topic") else MentoringSession.topic == v["topic"])
            .order_by(MentoringSession.id).offset(v.get("occurrence") or 0).limit(1))
    data = _session_data(v, mentor.id, student.id, keep_kind=obj is not None and session_id is None)
    obj, created = create_or_apply(session, MentoringSession, obj,
                                   data if obj is not None else {**data, "created_by": actor.username})
    flush(session)
    return obj, created


def save_sessions_bulk(session: Session, actor: Actor, rows: list[dict[str, Any]]) -> list[RowOutcome]:
    """``save_session(..., upsert=True)`` for many rows at once (the import path), with the same checks
    and messages, in a few statements instead of several per row: mentors, students, the actor's
    mentees and their assignments read at once (``_MenteeRows``), the sessions the rows may be read
    together, the rows written by ``records.write_many``. When any row is refused nothing is written
    and the outcomes say why; the caller rolls back."""
    refs = _MenteeRows(session, actor, rows)
    outcomes: list[RowOutcome | None] = [None] * len(rows)
    pairs: list[tuple[Any, Any]] = []
    for i, v in enumerate(rows):
        try:
            mentor, student = refs.pair(v)
            _check_session_values(v)
            refs.require_assigned("date", mentor, student, v["date"])
        except TalentDeskError as exc:
            outcomes[i] = RowOutcome(error=exc)
            continue
        pairs.append((mentor, student))
    if any(o is not None for o in outcomes):
        return [o or RowOutcome() for o in outcomes]
    # the sessions these rows may be: those of their students within the file's days, in id order
    ms = MentoringSession
    first, last = min(v["date"] for v in rows), max(v["date"] for v in rows)
    same: dict[tuple[Any, ...], list[Any]] = {}
    for chunk in chunks(sorted({st.id for _m, st in pairs})):
        for r in session.execute(current_columns(ms).where(ms.student_id.in_(chunk), ms.held_on >= first,
                                                            ms.held_on <= last).order_by(ms.id)):
            same.setdefault((r.mentor_id, r.student_id, r.held_on, r.topic), []).append(r)
    datas, olds = [], []
    for v, (mentor, student) in zip(rows, pairs, strict=True):
        # the n-th row of a file with this mentor, student, day and topic is the n-th such session
        found = same.get((mentor.id, student.id, v["date"], v.get("topic") or None), [])
        n = v.get("occurrence") or 0
        old = found[n] if n < len(found) else None
        data = _session_data(v, mentor.id, student.id, keep_kind=old is not None)
        if old is None:
            data["created_by"] = actor.username
        datas.append(data)
        olds.append(old)
    written = write_many(session, ms, datas, olds)
    return [RowOutcome(created=old is None, changed=w) for old, w in zip(olds, written, strict=True)]


def save_group_session(session: Session, actor: Actor, v: dict[str, Any], student_nos: list[str]
                       ) -> list[MentoringSession]:
    """One meeting with several mentees (a group session): one session each, the same date, minutes,
    kind, topic and notes, all or none (a student who was not the mentor's mentee that day refuses the
    whole, naming them)."""
    saved = []
    for no in dict.fromkeys(student_nos):
        try:
            saved.append(save_session(session, actor, {**v, "student_no": no})[0])
        except ValidationError as exc:
            student = session.scalar(select(Student).where(Student.student_no == no))
            who = f"{student.name}（{no}）" if student is not None else no
            raise ValidationError(t("{student}: {reason}", student=who, reason=str(exc)),
                                  {k: t("{student}: {reason}", student=who, reason=m) for k, m in exc.errors.items()}
                                  ) from exc
    return saved


@dataclass(frozen=True)
class Mentee:
    student_id: int
    student_no: str
    name: str


def mentees_on(session: Session, actor: Actor, staff_no: str, day: dt.date) -> list[Mentee]:
    """The students ``staff_no`` mentors on ``day`` (any role): whom a group session may include."""
    mentor = mentor_by_no(session, staff_no)
    if actor.is_mentor and actor.mentor_id != mentor.id:
        raise PermissionDenied(t("You can only change your own sessions and tasks."))
    return [Mentee(i, no, name) for i, no, name in session.execute(
        select(Student.id, Student.student_no, Student.name)
        .join(MentorAssignment, MentorAssignment.student_id == Student.id)
        .where(MentorAssignment.mentor_id == mentor.id, active_on(day)).order_by(Student.student_no).distinct())]


def last_session(session: Session, actor: Actor, staff_no: str, student_id: int) -> MentoringSession | None:
    """The mentor's latest session with the student (the dialog's 复制上次 fills the form from it)."""
    check_student_access(session, actor, student_id)
    return session.scalar(select(MentoringSession).join(Mentor, Mentor.id == MentoringSession.mentor_id)
                          .where(Mentor.staff_no == staff_no, MentoringSession.student_id == student_id)
                          .order_by(MentoringSession.held_on.desc(), MentoringSession.id.desc()).limit(1))


# --------------------------------------------------------------------------- tasks


def _task_status(v: dict[str, Any]) -> TaskStatus:
    status: TaskStatus | None = v.get("status")
    if status is None:
        if v.get("reviewed_on") or v.get("score") is not None:
            return TaskStatus.REVIEWED
        if v.get("submitted_on"):
            return TaskStatus.SUBMITTED
        return TaskStatus.ASSIGNED
    if status is TaskStatus.ASSIGNED and (v.get("submitted_on") or v.get("reviewed_on")):
        raise _invalid("status", t("The status {status} does not match the dates given.", status=label(status)))
    if status is TaskStatus.SUBMITTED and v.get("reviewed_on"):
        raise _invalid("status", t("The status {status} does not match the dates given.", status=label(status)))
    return status


def _check_task_dates(v: dict[str, Any], status: TaskStatus) -> None:
    if v["due_on"] < v["assigned_on"]:
        raise _invalid("due_on", t("The due date is before the assignment date."))
    _not_future("assigned_on", v["assigned_on"])
    submitted, reviewed = v.get("submitted_on"), v.get("reviewed_on")
    if status is TaskStatus.REVIEWED and submitted is None:
        raise _invalid("reviewed_on", t("A task cannot be reviewed before it is submitted: record the submission "
                                        "first."))
    if submitted is not None:
        if submitted < v["assigned_on"]:
            raise _invalid("submitted_on", t("The submission date is before the assignment date."))
        _not_future("submitted_on", submitted)
    if reviewed is not None:
        if submitted is not None and reviewed < submitted:
            raise _invalid("reviewed_on", t("The review date is before the submission date."))
        _not_future("reviewed_on", reviewed)
    if v.get("score") is not None and not 0 <= v["score"] <= 100:
        raise _invalid("score", t("The score must be between 0 and 100."))


def save_task(session: Session, actor: Actor, v: dict[str, Any], *, task_id: int | None = None,
              expected_version: int | None = None, upsert: bool = False) -> tuple[Task, bool]:
    mentor = mentor_by_no(session, v["staff_no"])
    student = student_by_no(session, v["student_no"])
    _check_mentor_side(session, actor, mentor, student)
    _check_task_title(v)
    obj = None
    if task_id is not None:
        obj = get_for_update(session, Task, task_id, expected_version, t("Task"))
        _check_own_record(session, actor, obj.mentor_id, obj.student_id)
    elif upsert:
        obj = session.scalar(select(Task).where(
            Task.mentor_id == mentor.id, Task.student_id == student.id, Task.title == v["title"],
            Task.assigned_on == v["assigned_on"]).order_by(Task.id).limit(1))
        if obj is not None:
            v = _task_row_over(v, obj)
    data = _task_data(v, mentor.id, student.id)
    _require_assigned(session, "assigned_on", mentor, student, v["assigned_on"])
    obj, created = create_or_apply(session, Task, obj, data)
    flush(session)
    return obj, created


def _check_task_title(v: dict[str, Any]) -> None:
    if not (v.get("title") or "").strip():
        raise _invalid("title", t("The title is required."))


def _task_row_over(v: dict[str, Any], current: Any) -> dict[str, Any]:
    """An import row over the task it names (``current``: the task, or its columns): the row gives what
    it changes, the rest of the task stays as it is; a reviewed task is never taken back."""
    if current.status is TaskStatus.REVIEWED and v.get("status") not in (None, TaskStatus.REVIEWED):
        raise _invalid("status", t(
            "This task was reviewed on {date}: a file cannot take it back to {status}.",
            date=current.reviewed_on.isoformat() if current.reviewed_on else "?", status=label(v["status"])))
    kept: tuple[str, ...] = ("submitted_on", "reviewed_on", "score", "feedback", "description")
    if not any(k in v for k in ("status", "submitted_on", "reviewed_on", "score")):
        kept += ("status",)  # no new progress in the row; otherwise it is read from the row's dates
    return {**{k: getattr(current, k) for k in kept}, **v}


def _task_data(v: dict[str, Any], mentor_id: int, student_id: int) -> dict[str, Any]:
    """The columns a task row sets, its status and dates checked."""
    status = _task_status(v)
    _check_task_dates(v, status)
    data = {"mentor_id": mentor_id, "student_id": student_id, "title": v["title"], "assigned_on": v["assigned_on"],
            "due_on": v["due_on"], "status": status, "submitted_on": v.get("submitted_on"),
            "reviewed_on": v.get("reviewed_on"), "score": v.get("score"), "feedback": v.get("feedback")}
    if "description" in v:
        data["description"] = v["description"]
    return data


def save_tasks_bulk(session: Session, actor: Actor, rows: list[dict[str, Any]]) -> list[RowOutcome]:
    """``save_task(..., upsert=True)`` for many rows at once (the import path), as ``save_sessions_bulk``
    does for sessions: the same checks and messages, in a few statements. The import engine refuses
    two rows naming the same task (mentor, student, title, day) before this."""
    refs = _MenteeRows(session, actor, rows)
    current: dict[tuple[Any, ...], Any] = {}
    for chunk in chunks(refs.student_ids):
        for r in session.execute(current_columns(Task).where(Task.student_id.in_(chunk)).order_by(Task.id)):
            current.setdefault((r.mentor_id, r.student_id, r.title, r.assigned_on), r)
    outcomes: list[RowOutcome | None] = [None] * len(rows)
    datas, olds = [], []
    for i, v in enumerate(rows):
        try:
            mentor, student = refs.pair(v)
            _check_task_title(v)
            old = current.get((mentor.id, student.id, v["title"], v["assigned_on"]))
            data = _task_data(v if old is None else _task_row_over(v, old), mentor.id, student.id)
            refs.require_assigned("assigned_on", mentor, student, v["assigned_on"])
        except TalentDeskError as exc:
            outcomes[i] = RowOutcome(error=exc)
            continue
        datas.append(data)
        olds.append(old)
    if any(o is not None for o in outcomes):
        return [o or RowOutcome() for o in outcomes]
    written = write_many(session, Task, datas, olds)
    return [RowOutcome(created=old is None, changed=w) for old, w in zip(olds, written, strict=True)]


def is_overdue(task: Task, on: dt.date) -> bool:
    """Derived, never stored: due on or before ``on`` and by then neither reviewed nor cancelled (the
    Python twin of ``db.models.task_overdue_on``)."""
    reviewed_by_then = task.status is TaskStatus.REVIEWED and (task.reviewed_on is None or task.reviewed_on <= on)
    cancelled_by_then = task.cancelled_on is not None and task.cancelled_on <= on
    return task.due_on <= on and not reviewed_by_then and not cancelled_by_then


# --------------------------------------------------------------------------- deleting and cancelling

MAX_REASON = 200


def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise _invalid("reason", t("A reason is required."))
    if len(text) > MAX_REASON:
        raise _invalid("reason", t("Too long: at most {n} characters.", n=MAX_REASON))
    return text


def _issued_quarters(session: Session, days: list[dt.date | None]) -> list[str]:
    """The quarters among those of ``days`` whose quarterly report is issued (their figures are frozen)."""
    periods = sorted({f"{d.year}Q{(d.month - 1) // 3 + 1}" for d in days if d is not None})
    if not periods:
        return []
    return list(session.scalars(select(IssuedReport.period).where(
        IssuedReport.kind == "quarterly", IssuedReport.period.in_(periods)).order_by(IssuedReport.period)))


@dataclass(frozen=True)
class Removed:
    """A session or task deleted: what it was, and the issued quarters whose reports keep counting it
    (frozen: their figures never change)."""

    kind: str  # "session" | "task"
    id: int
    title: str
    day: dt.date
    frozen: list[str]


def delete_entry(session: Session, actor: Actor, kind: str, record_id: int, reason: str | None,
                 expected_version: int | None = None) -> Removed:
    """Delete a session or task logged by mistake (DESIGN section 2), with a reason: by the mentor who
    logged it while the student is their current mentee, or by an administrator. The reason is written
    to the row and then the row is deleted, so the audit log keeps both; from then on it counts in no
    figure, except in quarters whose report is issued (said in ``Removed.frozen``)."""
    model: type[MentoringSession] | type[Task] = MentoringSession if kind == "session" else Task
    label_ = t("Mentoring session") if kind == "session" else t("Task")
    obj = get_for_update(session, model, record_id, expected_version, label_)
    _check_own_record(session, actor, obj.mentor_id, obj.student_id)
    text = _reason(reason)
    if isinstance(obj, MentoringSession):
        days: list[dt.date | None] = [obj.held_on]
        removed = Removed("session", obj.id, obj.topic or "", obj.held_on, [])
    else:
        days = [obj.assigned_on, obj.reviewed_on, obj.due_on]
        removed = Removed("task", obj.id, obj.title, obj.assigned_on, [])
    obj.delete_reason = text
    flush(session)  # audited: the reason, then the deleted values
    session.delete(obj)
    flush(session)
    return Removed(removed.kind, removed.id, removed.title, removed.day, _issued_quarters(session, days))


def student_caption(session: Session, actor: Actor, student_id: int) -> str:
    """王梓涵（2025010001）: how a dialog about one student names them in its title."""
    check_student_access(session, actor, student_id)
    no, name = session.execute(select(Student.student_no, Student.name).where(Student.id == student_id)).one()
    return f"{name}（{no}）"


def same_session(session: Session, staff_no: str, student_id: int, day: dt.date, minutes: int | None,
                 topic: str | None, exclude_id: int | None = None) -> bool:
    """Whether the mentor already logged a session for the student on ``day`` with the same minutes and
    topic: a dialog warns (a second meeting the same day is allowed; a double click is not wanted)."""
    stmt = (select(MentoringSession.id).join(Mentor, Mentor.id == MentoringSession.mentor_id)
            .where(Mentor.staff_no == staff_no, MentoringSession.student_id == student_id,
                   MentoringSession.held_on == day, MentoringSession.minutes == minutes,
                   MentoringSession.topic.is_(None) if not topic else MentoringSession.topic == topic))
    if exclude_id is not None:
        stmt = stmt.where(MentoringSession.id != exclude_id)
    return session.scalar(stmt.limit(1)) is not None


def move_entry(session: Session, actor: Actor, kind: str, record_id: int, student_no: str,
               expected_version: int | None = None) -> list[str]:
    """Move a session or task logged for the wrong student to the right one, another of the same
    mentor's mentees on its date (the mentor for their current mentees, or an administrator), through
    the same checks as logging it. Returns the issued quarters whose reports keep the old figures."""
    if kind == "session":
        s = get_for_update(session, MentoringSession, record_id, expected_version, t("Mentoring session"))
        _check_own_record(session, actor, s.mentor_id, s.student_id)
        staff_no = session.scalar(select(Mentor.staff_no).where(Mentor.id == s.mentor_id)) or ""
        days: list[dt.date | None] = [s.held_on]
        save_session(session, actor, {"staff_no": staff_no, "student_no": student_no, "date": s.held_on,
                                      "minutes": s.minutes, "kind": s.kind, "topic": s.topic, "notes": s.notes},
                     session_id=s.id, expected_version=s.version)
    else:
        k = get_for_update(session, Task, record_id, expected_version, t("Task"))
        _check_own_record(session, actor, k.mentor_id, k.student_id)
        staff_no = session.scalar(select(Mentor.staff_no).where(Mentor.id == k.mentor_id)) or ""
        days = [k.assigned_on, k.reviewed_on, k.due_on]
        save_task(session, actor, {"staff_no": staff_no, "student_no": student_no, "title": k.title,
                                   "description": k.description, "assigned_on": k.assigned_on, "due_on": k.due_on,
                                   "status": k.status, "submitted_on": k.submitted_on, "reviewed_on": k.reviewed_on,
                                   "score": k.score, "feedback": k.feedback}, task_id=k.id, expected_version=k.version)
    return _issued_quarters(session, days)


def cancel_task(session: Session, actor: Actor, task_id: int, reason: str | None,
                expected_version: int | None = None, on: dt.date | None = None) -> Task:
    """Cancel a task no longer wanted (a mentee who left, a plan that changed), with a reason: it stays
    on the record as 已取消 and is overdue on no day from ``on`` (default today). A reviewed task is not
    cancelled; the mentor who gave it (for a current mentee) or an administrator cancels it."""
    task = _task_for_update(session, actor, task_id, expected_version)
    if task.cancelled_on is not None:
        raise RuleViolation(t("This task was cancelled on {date}.", date=task.cancelled_on.isoformat()))
    if task.status is TaskStatus.REVIEWED:
        raise RuleViolation(t("A reviewed task cannot be cancelled."))
    text = _reason(reason)
    day = on or dt.date.today()
    if day < task.assigned_on:
        raise _invalid("cancelled_on", t("The cancellation date is before the assignment date."))
    _not_future("cancelled_on", day)
    task.cancelled_on, task.cancel_reason, task.cancelled_by = day, text, actor.username
    flush(session)
    return task


def _not_cancelled(task: Task) -> None:
    if task.cancelled_on is not None:
        raise RuleViolation(t("This task was cancelled on {date}.", date=task.cancelled_on.isoformat()))


# --------------------------------------------------------------------------- submission and review


def _task_for_update(session: Session, actor: Actor, task_id: int, expected_version: int | None) -> Task:
    task = get_for_update(session, Task, task_id, expected_version, t("Task"))
    _check_own_record(session, actor, task.mentor_id, task.student_id)
    return task


def record_submission(session: Session, actor: Actor, task_id: int, submitted_on: dt.date,
                      expected_version: int | None = None) -> Task:
    """The mentee handed the task in on ``submitted_on``."""
    task = _task_for_update(session, actor, task_id, expected_version)
    _not_cancelled(task)
    if task.status is TaskStatus.REVIEWED:
        raise RuleViolation(t("This task has already been reviewed."))
    if submitted_on < task.assigned_on:
        raise _invalid("submitted_on", t("The submission date is before the assignment date."))
    _not_future("submitted_on", submitted_on)
    task.status, task.submitted_on = TaskStatus.SUBMITTED, submitted_on
    flush(session)
    return task


def review_task(session: Session, actor: Actor, task_id: int, reviewed_on: dt.date, score: float | None,
                feedback: str | None, expected_version: int | None = None) -> Task:
    """The mentor's review: score (0–100) and feedback. Refused before the task is submitted; a reviewed
    task may be reviewed again (the score corrected)."""
    task = _task_for_update(session, actor, task_id, expected_version)
    _not_cancelled(task)
    if task.status is TaskStatus.ASSIGNED or task.submitted_on is None:
        raise _invalid("reviewed_on", t("A task cannot be reviewed before it is submitted: record the submission "
                                        "first."))
    if reviewed_on < task.submitted_on:
        raise _invalid("reviewed_on", t("The review date is before the submission date."))
    _not_future("reviewed_on", reviewed_on)
    if score is not None and not 0 <= score <= 100:
        raise _invalid("score", t("The score must be between 0 and 100."))
    task.status, task.reviewed_on, task.score = TaskStatus.REVIEWED, reviewed_on, score
    task.feedback = (feedback or "").strip() or None
    flush(session)
    return task


# --------------------------------------------------------------------------- reassign, bulk assign, suggestions


def reassign(session: Session, actor: Actor, assignment_id: int, mentor: Mentor, start_on: dt.date, reason: str,
             *, override_reason: str | None = None, expected_version: int | None = None) -> MentorAssignment:
    """Hand the role of assignment ``assignment_id`` to ``mentor`` from ``start_on``: the old assignment
    ends that day with ``reason`` (history kept), the new one passes every rule of ``assign``."""
    require_admin(actor)
    old = get_for_update(session, MentorAssignment, assignment_id, expected_version, t("Mentor assignment"))
    if not reason or not reason.strip():
        raise _invalid("reason", t("A reason is required."))
    if old.end_on is not None and old.end_on <= start_on:
        raise RuleViolation(t("This assignment has already ended."))
    if mentor.id == old.mentor_id:
        raise _invalid("staff_no", t("{mentor} already holds this role for the student.", mentor=mentor.name))
    if start_on <= old.start_on:
        raise _invalid("start", t("The new mentor must start after the current one ({start}).",
                                  start=old.start_on.isoformat()))
    planned_end = old.end_on
    old.end_on, old.end_reason = start_on, reason.strip()
    flush(session)
    student = session.get(Student, old.student_id)
    assert student is not None
    return assign(session, actor, student, mentor, old.role, start_on, end_on=planned_end,
                  override_reason=override_reason)


def free_places(session: Session, mentor_id: int, role: MentorRole, day: dt.date) -> int:
    cap = capacity(session, mentor_id, role) or 0
    return cap - load(session, mentor_id, role, day)


def bulk_assign(session: Session, actor: Actor, student_ids: list[int], mentor: Mentor, role: MentorRole,
                start_on: dt.date, *, override_reason: str | None = None) -> list[MentorAssignment]:
    """Many students → one mentor in one role, all or nothing, within the mentor's capacity (unless an
    administrator overrides with a reason). Each student passes the rules of ``assign``; a refusal names
    the student."""
    require_admin(actor)
    ids = list(dict.fromkeys(student_ids))
    if not ids:
        raise ValidationError(t("No students were chosen."))
    if capacity(session, mentor.id, role) is None:
        raise _invalid("role", t("{mentor} is not qualified as {role}.", mentor=mentor.name, role=label(role)))
    free = free_places(session, mentor.id, role, max(start_on, dt.date.today()))
    if len(ids) > free and not (override_reason and override_reason.strip()):
        raise RuleViolation(t("{mentor} has {free} free places as {role}, but {n} students were chosen; an "
                              "administrator can override with a reason.", mentor=mentor.name, free=max(free, 0),
                              role=label(role), n=len(ids)))
    out = []
    for sid in ids:
        student = session.get(Student, sid)
        if student is None:
            raise ValidationError(t("{entity} {key} was not found.", entity=t("Student"), key=sid))
        try:
            out.append(assign(session, actor, student, mentor, role, start_on, override_reason=override_reason))
        except (ValidationError, RuleViolation) as exc:
            msg = t("{student}: {reason}", student=f"{student.name}（{student.student_no}）",
                    reason=next(iter(exc.errors.values())) if isinstance(exc, ValidationError) and exc.errors
                    else str(exc))
            raise ValidationError(msg, {"students": msg}) from exc
    return out


@dataclass(frozen=True)
class Suggestion:
    """A mentor who could take a role for a student: qualified, active, with (or without) free places."""

    mentor_id: int
    staff_no: str
    name: str
    organisation: str
    role: MentorRole
    load: int
    capacity: int
    same_programme: int  # current mentees of the student's programme in this role

    @property
    def free(self) -> int:
        return self.capacity - self.load


def suggest_mentors(session: Session, actor: Actor, student_id: int, role: MentorRole, on: dt.date | None = None,
                    *, include_full: bool = False, limit: int | None = 10) -> list[Suggestion]:
    """Qualified, active mentors with free capacity for ``role`` on ``on`` (default today), who do not
    already mentor the student in another role; those already mentoring the student's programme first,
    then the most free places. ``include_full`` adds the mentors at capacity (after the others)."""
    require_admin(actor)
    day = on or dt.date.today()
    student = session.get(Student, student_id)
    if student is None:
        raise ValidationError(t("{entity} {key} was not found.", entity=t("Student"), key=student_id))
    ma = MentorAssignment
    load_q = (select(func.count(ma.id)).where(ma.mentor_id == MentorQualification.mentor_id, ma.role == role,
                                               active_on(day)).correlate(MentorQualification).scalar_subquery())
    same_q = (select(func.count(ma.id)).join(Student, ma.student_id == Student.id)
              .where(ma.mentor_id == MentorQualification.mentor_id, ma.role == role, active_on(day),
                     Student.programme_id == student.programme_id)
              .correlate(MentorQualification).scalar_subquery())
    from .models import Organisation

    holds = (select(ma.id).where(ma.mentor_id == MentorQualification.mentor_id, ma.student_id == student_id,
                                 or_(ma.end_on.is_(None), ma.end_on > day)).correlate(MentorQualification).exists())
    stmt = (select(Mentor.id, Mentor.staff_no, Mentor.name, Organisation.name, load_q, MentorQualification.capacity,
                   same_q)
            .select_from(MentorQualification)
            .join(Mentor, MentorQualification.mentor_id == Mentor.id)
            .join(Organisation, Mentor.organisation_id == Organisation.id)
            .where(MentorQualification.role == role, Mentor.active, ~holds))
    if not include_full:
        stmt = stmt.where(load_q < MentorQualification.capacity)
    rows = [Suggestion(mid, no, name, org, role, int(ld or 0), int(cap), int(same or 0))
            for mid, no, name, org, ld, cap, same in session.execute(stmt)]
    rows.sort(key=lambda s: (s.free <= 0, s.same_programme == 0, -s.same_programme, -s.free, s.staff_no))
    return rows[:limit] if limit else rows


# --------------------------------------------------------------------------- settings

NO_CONTACT_KEY = "mentoring.no_contact_days"
DEFAULT_NO_CONTACT_DAYS = 45


def no_contact_days(session: Session) -> int:
    """Days without a session from a role before a student shows on the no-contact list (default 45)."""
    from . import settings

    value = settings.read(session, NO_CONTACT_KEY, "days")
    return int(value) if isinstance(value, int) and value > 0 else DEFAULT_NO_CONTACT_DAYS


def set_no_contact_days(session: Session, actor: Actor, days: int) -> int:
    from . import settings

    require_admin(actor)
    if not isinstance(days, int) or not 1 <= days <= 365:
        raise _invalid("days", t("The number of days must be between {low} and {high}.", low=1, high=365))
    settings.write(session, NO_CONTACT_KEY, {"days": days})
    return days


# --------------------------------------------------------------------------- a student's mentors and timeline


@dataclass(frozen=True)
class AssignmentLine:
    """One assignment of a student's three-mentor history."""

    id: int
    version: int
    role: MentorRole
    mentor_id: int
    staff_no: str
    mentor_name: str
    organisation: str
    start_on: dt.date
    end_on: dt.date | None
    end_reason: str | None
    capacity_override: bool
    override_reason: str | None

    def active_on(self, day: dt.date) -> bool:
        return active_on_day(self.start_on, self.end_on, day)


def assignment_history(session: Session, actor: Actor, student_id: int) -> list[AssignmentLine]:
    """Every assignment of the student (current, planned and former), by role then newest first."""
    check_student_access(session, actor, student_id)
    from .models import Organisation

    ma = MentorAssignment
    rows = session.execute(
        select(ma.id, ma.version, ma.role, ma.mentor_id, Mentor.staff_no, Mentor.name, Organisation.name, ma.start_on,
               ma.end_on, ma.end_reason, ma.capacity_override, ma.override_reason)
        .join(Mentor, ma.mentor_id == Mentor.id).join(Organisation, Mentor.organisation_id == Organisation.id)
        .where(ma.student_id == student_id).order_by(ma.role, ma.start_on.desc()))
    order = {r: i for i, r in enumerate(MentorRole)}
    lines = [AssignmentLine(*r) for r in rows]  # type: ignore[call-arg]  # a select of 10+ columns: untyped tail
    return sorted(lines, key=lambda a: (order[a.role], -a.start_on.toordinal()))


def _student_of(session: Session, actor: Actor, model: Any, record_id: int, entity: str) -> int:
    """The student a record (an assignment, a session) belongs to, to open from a list; read-checked."""
    sid = session.scalar(select(model.student_id).where(model.id == record_id))
    if sid is None:
        raise ValidationError(t("{entity} {key} was not found.", entity=entity, key=record_id))
    check_student_access(session, actor, sid)
    return int(sid)


def assignment_student(session: Session, actor: Actor, assignment_id: int) -> int:
    """The student of an assignment (to open the student from a coverage list), read-checked."""
    return _student_of(session, actor, MentorAssignment, assignment_id, t("Mentor assignment"))


def session_student(session: Session, actor: Actor, session_id: int) -> int:
    """The student of a mentoring session (to open the student from the sessions list), read-checked."""
    return _student_of(session, actor, MentoringSession, session_id, t("Mentoring session"))


def current_mentors(lines: list[AssignmentLine], day: dt.date | None = None) -> dict[MentorRole, AssignmentLine]:
    day = day or dt.date.today()
    return {a.role: a for a in lines if a.active_on(day)}


@dataclass(frozen=True)
class TimelineEntry:
    """A session or a task on a student's timeline (one timeline across the three mentors)."""

    kind: str  # "session" | "task"
    id: int
    version: int
    day: dt.date  # held on / assigned on
    mentor_id: int
    staff_no: str
    mentor_name: str
    role: MentorRole | None  # the role the mentor held for the student that day
    title: str  # topic / task title
    notes: str | None = None  # session notes / task description
    minutes: int | None = None
    session_kind: SessionKind | None = None
    due_on: dt.date | None = None
    status: TaskStatus | None = None
    submitted_on: dt.date | None = None
    reviewed_on: dt.date | None = None
    score: float | None = None
    feedback: str | None = None
    overdue: bool = False
    editable: bool = False  # the actor may change it (their own, for a current mentee; or an administrator)
    cancelled_on: dt.date | None = None
    cancel_reason: str | None = None
    student_id: int = 0


def timeline(session: Session, actor: Actor, student_id: int, on: dt.date | None = None) -> list[TimelineEntry]:
    """The student's sessions and tasks from every mentor, newest first. Visible to the student's
    mentors (current and former) and to administrators and viewers; a mentor may change only their own
    entries, and only while the student is their current mentee."""
    check_student_access(session, actor, student_id)
    day = on or dt.date.today()
    spans: list[tuple[int, MentorRole, dt.date, dt.date | None]]
    spans = [(a.mentor_id, a.role, a.start_on, a.end_on) for a in session.execute(
        select(MentorAssignment.mentor_id, MentorAssignment.role, MentorAssignment.start_on, MentorAssignment.end_on)
        .where(MentorAssignment.student_id == student_id))]

    def role_on(mentor_id: int, d: dt.date) -> MentorRole | None:
        for mid, role, start, end in spans:
            if mid == mentor_id and start <= d and (end is None or d < end):
                return role
        return None

    current_mine = actor.is_mentor and role_on(actor.mentor_id or -1, day) is not None

    def editable(mentor_id: int) -> bool:
        return actor.is_admin or (actor.is_mentor and mentor_id == actor.mentor_id and current_mine)

    out: list[TimelineEntry] = []
    for s, no, name in session.execute(
            select(MentoringSession, Mentor.staff_no, Mentor.name).join(Mentor, MentoringSession.mentor_id == Mentor.id)
            .where(MentoringSession.student_id == student_id)):
        out.append(TimelineEntry("session", s.id, s.version, s.held_on, s.mentor_id, no, name,
                                 role_on(s.mentor_id, s.held_on), s.topic or "", s.notes, s.minutes, s.kind,
                                 editable=editable(s.mentor_id), student_id=student_id))
    for k, no, name in session.execute(
            select(Task, Mentor.staff_no, Mentor.name).join(Mentor, Task.mentor_id == Mentor.id)
            .where(Task.student_id == student_id)):
        out.append(TimelineEntry("task", k.id, k.version, k.assigned_on, k.mentor_id, no, name,
                                 role_on(k.mentor_id, k.assigned_on), k.title, k.description, due_on=k.due_on,
                                 status=k.status, submitted_on=k.submitted_on, reviewed_on=k.reviewed_on,
                                 score=k.score, feedback=k.feedback, overdue=is_overdue(k, day),
                                 editable=editable(k.mentor_id), cancelled_on=k.cancelled_on,
                                 cancel_reason=k.cancel_reason, student_id=student_id))
    out.sort(key=lambda e: (e.day, e.kind == "task", e.id), reverse=True)
    return out


# --------------------------------------------------------------------------- a mentor's desk (home page)


@dataclass(frozen=True)
class MenteeLine:
    student_id: int
    student_no: str
    name: str
    programme: str
    role: MentorRole
    since: dt.date
    last_session: dt.date | None
    open_tasks: int

    def days_since_contact(self, day: dt.date) -> int | None:
        return (day - self.last_session).days if self.last_session else None


@dataclass(frozen=True)
class TaskLine:
    task_id: int
    version: int
    student_id: int
    student_no: str
    student_name: str
    title: str
    assigned_on: dt.date
    due_on: dt.date
    status: TaskStatus
    submitted_on: dt.date | None


@dataclass(frozen=True)
class MentorDesk:
    """What a mentor sees after signing in."""

    on: dt.date
    no_contact_days: int
    mentees: list[MenteeLine]  # current mentees
    former: int  # former mentees (read-only)
    sessions_due: list[MenteeLine]  # no session from me in the last N days
    to_review: list[TaskLine]  # submitted, waiting for my review
    overdue: list[TaskLine]  # due, not reviewed


def mentor_desk(session: Session, actor: Actor, on: dt.date | None = None) -> MentorDesk:
    day = on or dt.date.today()
    days = no_contact_days(session)
    if not actor.is_mentor or actor.mentor_id is None:
        raise PermissionDenied(t("You do not have permission to do this."))
    me = actor.mentor_id
    from .models import Programme

    last = (select(func.max(MentoringSession.held_on)).where(
        MentoringSession.mentor_id == me, MentoringSession.student_id == Student.id, MentoringSession.held_on <= day)
        .correlate(Student).scalar_subquery())
    open_tasks = (select(func.count(Task.id)).where(Task.mentor_id == me, Task.student_id == Student.id,
                                                     Task.status != TaskStatus.REVIEWED)
                  .correlate(Student).scalar_subquery())
    mentee_rows = (select(Student.id, Student.student_no, Student.name, Programme.name.label("programme"),
                          MentorAssignment.role, MentorAssignment.start_on, last.label("last_session"),
                          open_tasks.label("open_tasks"))
                   .join(MentorAssignment, MentorAssignment.student_id == Student.id)
                   .join(Programme, Student.programme_id == Programme.id)
                   .where(MentorAssignment.mentor_id == me, active_on(day)))
    ever_rows = select(MentorAssignment.student_id).where(MentorAssignment.mentor_id == me,
                                                          MentorAssignment.start_on <= day)

    def tasks(*cond: Any) -> Any:
        return (select(Task.id.label("task_id"), Task.version, Student.id.label("student_id"), Student.student_no,
                       Student.name, Task.title, Task.assigned_on, Task.due_on, Task.status, Task.submitted_on)
                .join(Student, Task.student_id == Student.id)
                .where(Task.mentor_id == me, *cond))

    # the four reads in one statement: one round trip, not four, at every visit of a mentor's home (issue #25)
    found = read_together(session, [mentee_rows, ever_rows, tasks(Task.status == TaskStatus.SUBMITTED,
                                                                  Task.cancelled_on.is_(None)),
                                     tasks(task_overdue_on(day))],
                          [("student_no",), (), ("due_on", "task_id"), ("due_on", "task_id")])
    mentees = [MenteeLine(*r) for r in found[0]]
    current_ids = {m.student_id for m in mentees}
    ever = {student_id for (student_id,) in found[1]}
    cutoff = day - dt.timedelta(days=days)
    due = [m for m in mentees if m.last_session is None or m.last_session <= cutoff]
    due.sort(key=lambda m: (m.last_session or dt.date.min, m.student_no))
    to_review = [x for x in (TaskLine(*r) for r in found[2]) if x.student_id in current_ids]
    overdue = [x for x in (TaskLine(*r) for r in found[3]) if x.student_id in current_ids]
    return MentorDesk(day, days, mentees, len(ever - current_ids), due, to_review, overdue)
