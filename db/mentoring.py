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
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from .auth import Actor, check_student_access, require_admin, require_write
from .errors import RuleViolation, ValidationError
from .i18n import register, t
from .labels import label
from .models import (
    Mentor,
    MentoringSession,
    MentorAssignment,
    MentorQualification,
    MentorRole,
    SessionKind,
    Student,
    Task,
    TaskStatus,
)
from .records import apply, flush, get_for_update

register(
    {
        "Mentor assignment": "导师指派",
        "Mentoring session": "指导记录",
        "Task": "指导任务",
        "Student {no} does not exist.": "学号 {no} 不存在。",
        "Mentor {no} does not exist.": "工号 {no} 不存在。",
        "{mentor} is not qualified as {role}.": "{mentor} 不具备{role}资格。",
        "{mentor} is no longer active.": "{mentor} 已停用。",
        "{mentor} already holds the role {role} for this student from {start}; one mentor holds at most "
        "one role for a student.": "{mentor} 自 {start} 起已担任该学生的{role}；同一导师对同一学生只能担任一种角色。",
        "The student already has {mentor} as {role} from {start}: end or replace that assignment first.": (
            "该学生自 {start} 起已由 {mentor} 担任{role}：请先结束或替换该指派。"
        ),
        "{mentor} is at capacity for {role} ({load} of {capacity}); an administrator can override with a "
        "reason.": "{mentor} 的{role}名额已满（{load}/{capacity}）；管理员可填写理由后超额指派。",
        "The end date is before the start date.": "结束日期早于开始日期。",
        "A reason is required.": "必须填写理由。",
        "This assignment has already ended.": "该指派已结束。",
        "Replaced by a new assignment": "由新指派替换",
        "Imported from Excel": "从 Excel 导入",
        "The due date is before the assignment date.": "截止日期早于布置日期。",
        "The status {status} does not match the dates given.": "状态“{status}”与所填日期不一致。",
        "The score must be between 0 and 100.": "评分必须在 0 到 100 之间。",
    }
)


def _invalid(key: str, message: str) -> ValidationError:
    return ValidationError(t("{field}: {reason}", field=key, reason=message), {key: message})


def student_by_no(session: Session, no: str, field: str = "student_no") -> Student:
    st = session.scalar(select(Student).where(Student.student_no == no.strip()))
    if st is None:
        raise _invalid(field, t("Student {no} does not exist.", no=no))
    return st


def mentor_by_no(session: Session, no: str, field: str = "staff_no") -> Mentor:
    m = session.scalar(select(Mentor).where(Mentor.staff_no == no.strip()))
    if m is None:
        raise _invalid(field, t("Mentor {no} does not exist.", no=no))
    return m


def active_on(day: dt.date) -> Any:
    """Assignments active on ``day``: start ≤ day and (no end, or day < end)."""
    return and_(MentorAssignment.start_on <= day,
                or_(MentorAssignment.end_on.is_(None), MentorAssignment.end_on > day))


def _overlaps(start: dt.date, end: dt.date | None) -> Any:
    cond = [or_(MentorAssignment.end_on.is_(None), MentorAssignment.end_on > start)]
    if end is not None:
        cond.append(MentorAssignment.start_on < end)
    return and_(*cond)


def load(session: Session, mentor_id: int, role: MentorRole, day: dt.date, exclude_id: int | None = None) -> int:
    stmt = select(func.count()).select_from(MentorAssignment).where(
        MentorAssignment.mentor_id == mentor_id, MentorAssignment.role == role, active_on(day))
    if exclude_id is not None:
        stmt = stmt.where(MentorAssignment.id != exclude_id)
    return session.scalar(stmt) or 0


def capacity(session: Session, mentor_id: int, role: MentorRole) -> int | None:
    return session.scalar(select(MentorQualification.capacity).where(
        MentorQualification.mentor_id == mentor_id, MentorQualification.role == role))


def assign(session: Session, actor: Actor, student: Student, mentor: Mentor, role: MentorRole, start_on: dt.date,
           *, end_on: dt.date | None = None, override_reason: str | None = None, replace: bool = False,
           replace_reason: str | None = None) -> MentorAssignment:
    """Give ``student`` ``mentor`` in ``role`` from ``start_on``.

    ``replace``: an open assignment of another mentor in the same role that started earlier is ended
    on ``start_on`` (a reassignment); otherwise an overlapping assignment is refused.
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
        holder = session.get(Mentor, old.mentor_id)
        raise _invalid("role", t("The student already has {mentor} as {role} from {start}: end or replace that "
                                 "assignment first.", mentor=holder.name if holder else "?", role=label(role),
                                 start=old.start_on.isoformat()))
    flush(session)
    current = load(session, mentor.id, role, max(start_on, dt.date.today()) if end_on is None else start_on)
    overridden = False
    if current >= cap:
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
        end = v.get("end")
        if end is not None and end < existing.start_on:
            raise _invalid("end", t("The end date is before the start date."))
        apply(existing, {"end_on": end})
        flush(session)
        return existing, False
    a = assign(session, actor, student, mentor, role, v["start"], end_on=v.get("end"),
               override_reason=t("Imported from Excel"), replace=True)
    return a, True


# --------------------------------------------------------------------------- sessions


def _check_mentor_side(session: Session, actor: Actor, mentor: Mentor, student: Student) -> None:
    require_write(actor)
    if actor.is_mentor:
        if actor.mentor_id != mentor.id:
            from .errors import PermissionDenied

            raise PermissionDenied(t("You can only change the records of your current mentees."))
        check_student_access(session, actor, student.id, write=True)


def save_session(session: Session, actor: Actor, v: dict[str, Any], *, session_id: int | None = None,
                 expected_version: int | None = None, upsert: bool = False) -> tuple[MentoringSession, bool]:
    mentor = mentor_by_no(session, v["staff_no"])
    student = student_by_no(session, v["student_no"])
    _check_mentor_side(session, actor, mentor, student)
    data = {"mentor_id": mentor.id, "student_id": student.id, "held_on": v["date"], "minutes": v["minutes"],
            "kind": v.get("kind") or SessionKind.IN_PERSON, "topic": v.get("topic")}
    if "notes" in v:
        data["notes"] = v["notes"]
    obj = None
    if session_id is not None:
        obj = get_for_update(session, MentoringSession, session_id, expected_version, t("Mentoring session"))
    elif upsert:
        obj = session.scalar(select(MentoringSession).where(
            MentoringSession.mentor_id == mentor.id, MentoringSession.student_id == student.id,
            MentoringSession.held_on == v["date"],
            MentoringSession.topic.is_(None) if not v.get("topic") else MentoringSession.topic == v["topic"]).limit(1))
    created = obj is None
    if created:
        obj = MentoringSession(created_by=actor.username, **data)
        session.add(obj)
    else:
        apply(obj, data)
    flush(session)
    return obj, created


# --------------------------------------------------------------------------- tasks


def _task_status(v: dict[str, Any]) -> TaskStatus:
    status = v.get("status")
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


def save_task(session: Session, actor: Actor, v: dict[str, Any], *, task_id: int | None = None,
              expected_version: int | None = None, upsert: bool = False) -> tuple[Task, bool]:
    mentor = mentor_by_no(session, v["staff_no"])
    student = student_by_no(session, v["student_no"])
    _check_mentor_side(session, actor, mentor, student)
    if v["due_on"] < v["assigned_on"]:
        raise _invalid("due_on", t("The due date is before the assignment date."))
    if v.get("score") is not None and not 0 <= v["score"] <= 100:
        raise _invalid("score", t("The score must be between 0 and 100."))
    data = {"mentor_id": mentor.id, "student_id": student.id, "title": v["title"], "assigned_on": v["assigned_on"],
            "due_on": v["due_on"], "status": _task_status(v), "submitted_on": v.get("submitted_on"),
            "reviewed_on": v.get("reviewed_on"), "score": v.get("score"), "feedback": v.get("feedback")}
    if "description" in v:
        data["description"] = v["description"]
    obj = None
    if task_id is not None:
        obj = get_for_update(session, Task, task_id, expected_version, t("Task"))
    elif upsert:
        obj = session.scalar(select(Task).where(
            Task.mentor_id == mentor.id, Task.student_id == student.id, Task.title == v["title"],
            Task.assigned_on == v["assigned_on"]).limit(1))
    created = obj is None
    if created:
        obj = Task(**data)
        session.add(obj)
    else:
        apply(obj, data)
    flush(session)
    return obj, created


def is_overdue(task: Task, on: dt.date) -> bool:
    """Derived, never stored: due on or before ``on`` and not reviewed by then."""
    reviewed_by_then = task.status is TaskStatus.REVIEWED and (task.reviewed_on is None or task.reviewed_on <= on)
    return task.due_on <= on and not reviewed_by_then

