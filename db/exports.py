"""The records of each import KIND, as the import reads them back (DESIGN section 5, `export`).

Each reader returns the rows of one KIND keyed by the import's English column keys, with references
written as the import takes them (codes and numbers, never names of internal ids), enumerations as the
Chinese words of the templates' drop-down lists, and lists joined with 、 or +. Importing such rows
unchanged changes nothing: that is the contract, and a test checks it for every KIND.

Rows come in a stable order (by natural key, then id), so that two records with the same key (two
sessions of one mentor with one student on one day, on one topic) are matched again in the same order:
the import pairs the n-th row of a key with the n-th record of it.

Qt-free; one query per KIND (a few for the ones with lists), whatever the number of records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from .actor import Actor
from .errors import PermissionDenied
from .i18n import t
from .labels import chinese
from .models import (
    Company,
    Course,
    Enrolment,
    EquivalenceRule,
    ExternalCourse,
    Mentor,
    MentorAssignment,
    MentoringSession,
    MentorQualification,
    Organisation,
    Programme,
    ProgrammeCourse,
    Project,
    ProjectMember,
    ProjectMentor,
    RuleExternalCourse,
    RuleStatus,
    Season,
    Student,
    Task,
    Term,
    Track,
    TransferRequest,
    University,
)
from .sqltyping import AnySelect

Row = dict[str, Any]

# the words a mentor-roles cell uses (the import's short forms: 学术、产业、学业)
ROLE_WORDS = {"academic": "学术", "industry": "产业", "study": "学业"}


@dataclass(frozen=True)
class ExportTable:
    """The records of one KIND: each row keyed by the import's column keys."""

    kind: str
    rows: list[Row]


def _word(value: Any) -> str | None:
    return None if value is None else chinese(value)


def _num(value: float | None) -> float | int | None:
    """A float that is a whole number is written as one (3, not 3.0)."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _dicts(session: Session, stmt: AnySelect) -> list[Row]:
    return [dict(r._mapping) for r in session.execute(stmt)]


def _students(session: Session) -> list[Row]:
    home = aliased(Organisation)
    rows = _dicts(session, select(
        Student.student_no, Student.name, Student.cohort, Programme.code.label("programme"), Student.gender,
        Student.status, home.name.label("home_university"), Student.enrolled_on, Student.phone, Student.email)
        .join(Programme, Programme.id == Student.programme_id).outerjoin(home, home.id == Student.home_university_id)
        .order_by(Student.student_no))
    for r in rows:
        r["gender"], r["status"] = _word(r["gender"]), _word(r["status"])
    return rows


def _mentors(session: Session) -> list[Row]:
    roles: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for mid, role, cap in session.execute(select(MentorQualification.mentor_id, MentorQualification.role,
                                                 MentorQualification.capacity).order_by(MentorQualification.mentor_id,
                                                                                        MentorQualification.role)):
        roles[mid].append((ROLE_WORDS[role.value], cap))
    out = []
    for r in session.execute(select(Mentor.id, Mentor.staff_no, Mentor.name, Organisation.name.label("organisation"),
                                    Mentor.title, Mentor.phone, Mentor.email)
                             .join(Organisation, Organisation.id == Mentor.organisation_id).order_by(Mentor.staff_no)):
        held = roles.get(r.id, [])
        caps = {cap for _w, cap in held}
        # one capacity for every role, or each role's own: 学术:8、学业:6 (the import reads both)
        capacity: Any = caps.pop() if len(caps) == 1 else "、".join(f"{w}:{cap}" for w, cap in held) or None
        out.append({"staff_no": r.staff_no, "name": r.name, "organisation": r.organisation,
                    "roles": "、".join(w for w, _c in held) or None, "title": r.title, "capacity": capacity,
                    "phone": r.phone, "email": r.email})
    return out


def _mentor_assignments(session: Session) -> list[Row]:
    rows = _dicts(session, select(
        Student.student_no, Mentor.staff_no, MentorAssignment.role, MentorAssignment.start_on.label("start"),
        MentorAssignment.end_on.label("end"))
        .join(Student, Student.id == MentorAssignment.student_id).join(Mentor, Mentor.id == MentorAssignment.mentor_id)
        .order_by(MentorAssignment.start_on, MentorAssignment.id))
    for r in rows:
        r["role"] = ROLE_WORDS[r["role"].value]
    return rows


def _sessions(session: Session, actor: Actor) -> list[Row]:
    stmt = (select(Mentor.staff_no, Student.student_no, MentoringSession.held_on.label("date"),
                   MentoringSession.minutes, MentoringSession.kind, MentoringSession.topic)
            .join(Mentor, Mentor.id == MentoringSession.mentor_id)
            .join(Student, Student.id == MentoringSession.student_id)
            .order_by(Mentor.staff_no, Student.student_no, MentoringSession.held_on, MentoringSession.id))
    if actor.is_mentor:
        stmt = stmt.where(MentoringSession.mentor_id == actor.mentor_id)
    rows = _dicts(session, stmt)
    for r in rows:
        r["kind"] = _word(r["kind"])
    return rows


def _assignments(session: Session, actor: Actor) -> list[Row]:
    stmt = (select(Mentor.staff_no, Student.student_no, Task.title, Task.assigned_on, Task.due_on, Task.status,
                   Task.submitted_on, Task.reviewed_on, Task.score, Task.feedback)
            .join(Mentor, Mentor.id == Task.mentor_id).join(Student, Student.id == Task.student_id)
            .order_by(Mentor.staff_no, Student.student_no, Task.assigned_on, Task.id))
    if actor.is_mentor:
        stmt = stmt.where(Task.mentor_id == actor.mentor_id)
    rows = _dicts(session, stmt)
    for r in rows:
        r["status"], r["score"] = _word(r["status"]), _num(r["score"])
    return rows


def _programmes(session: Session) -> list[Row]:
    rows = _dicts(session, select(Programme.code, Programme.name, Programme.target_share, Programme.tolerance,
                                  Programme.transfer_cap).order_by(Programme.code))
    for r in rows:
        r["transfer_cap"] = _num(r["transfer_cap"])
    return rows


def _courses(session: Session) -> list[Row]:
    provider, partner = aliased(Organisation), aliased(Organisation)
    rows = _dicts(session, select(Course.code, Course.name, Course.credits, Course.category, Course.hours,
                                  provider.name.label("provider"), partner.name.label("partner"))
                  .outerjoin(provider, provider.id == Course.provider_id)
                  .outerjoin(partner, partner.id == Course.partner_id).order_by(Course.code))
    for r in rows:
        r["category"], r["credits"] = _word(r["category"]), _num(r["credits"])
    return rows


def _programme_courses(session: Session) -> list[Row]:
    rows = _dicts(session, select(Programme.code.label("programme"), Course.code.label("course"),
                                  ProgrammeCourse.required)
                  .join(Programme, Programme.id == ProgrammeCourse.programme_id)
                  .join(Course, Course.id == ProgrammeCourse.course_id).order_by(Programme.code, Course.code))
    for r in rows:
        r["required"] = "是" if r["required"] else "否"
    return rows


def _enrolments(session: Session) -> list[Row]:
    return _dicts(session, select(Student.student_no, Course.code.label("course"), Term.code.label("term"),
                                  Enrolment.score_text.label("score"), Enrolment.passed_on)
                  .join(Student, Student.id == Enrolment.student_id).join(Course, Course.id == Enrolment.course_id)
                  .join(Term, Term.id == Enrolment.term_id).order_by(Student.student_no, Term.code, Course.code))


def _universities(session: Session) -> list[Row]:
    rows = _dicts(session, select(University.code, University.name, University.hours_per_credit,
                                  University.agreement_from, University.agreement_to).order_by(University.code))
    for r in rows:
        r["hours_per_credit"] = _num(r["hours_per_credit"])
    return rows


def _external_courses(session: Session) -> list[Row]:
    rows = _dicts(session, select(University.code.label("university"), ExternalCourse.code, ExternalCourse.name,
                                  ExternalCourse.credits, ExternalCourse.hours)
                  .join(University, University.id == ExternalCourse.university_id)
                  .order_by(University.code, ExternalCourse.code))
    for r in rows:
        r["credits"] = _num(r["credits"])
    return rows


def _equivalences(session: Session) -> list[Row]:
    """Approved rules (every version): the import makes a rule approved, so drafts and retired rules are
    not what a file of agreed rules holds."""
    externals: dict[int, list[str]] = defaultdict(list)
    for rid, code in session.execute(select(RuleExternalCourse.rule_id, ExternalCourse.code)
                                     .join(ExternalCourse, ExternalCourse.id == RuleExternalCourse.external_course_id)
                                     .order_by(RuleExternalCourse.rule_id, ExternalCourse.code)):
        externals[rid].append(code)
    out = []
    for r in session.execute(select(EquivalenceRule.id, University.code.label("university"),
                                    Course.code.label("local"), EquivalenceRule.category, EquivalenceRule.credits,
                                    EquivalenceRule.min_score, EquivalenceRule.valid_from, EquivalenceRule.valid_to)
                             .join(University, University.id == EquivalenceRule.university_id)
                             .outerjoin(Course, Course.id == EquivalenceRule.local_course_id)
                             .where(EquivalenceRule.status == RuleStatus.APPROVED)
                             .order_by(University.code, EquivalenceRule.rule_key, EquivalenceRule.revision)):
        out.append({"university": r.university, "external": "+".join(externals.get(r.id, [])), "local": r.local,
                    "category": None if r.local else _word(r.category), "credits": _num(r.credits),
                    "min_score": _num(r.min_score), "valid_from": r.valid_from, "valid_to": r.valid_to})
    return out


def _transfers(session: Session) -> list[Row]:
    rows = _dicts(session, select(
        Student.student_no, University.code.label("university"), ExternalCourse.code.label("external"),
        TransferRequest.term, TransferRequest.score_text.label("score"), TransferRequest.submitted_on,
        TransferRequest.status, TransferRequest.credits, TransferRequest.decided_on, TransferRequest.reason)
        .join(Student, Student.id == TransferRequest.student_id)
        .join(University, University.id == TransferRequest.university_id)
        .join(ExternalCourse, ExternalCourse.id == TransferRequest.external_course_id)
        .order_by(TransferRequest.decided_on.is_(None), TransferRequest.decided_on, TransferRequest.submitted_on,
                  TransferRequest.id))
    for r in rows:
        r["status"], r["credits"] = _word(r["status"]), _num(r["credits"])
    return rows


def _projects(session: Session) -> list[Row]:
    lead = aliased(Student)
    member = aliased(Student)
    members: dict[int, list[str]] = defaultdict(list)
    leads: dict[int, int | None] = dict(session.execute(select(Project.id, Project.lead_student_id)).all())
    for pid, sid, no, name, org in session.execute(
            select(ProjectMember.project_id, ProjectMember.student_id, member.student_no, ProjectMember.external_name,
                   ProjectMember.external_organisation)
            .outerjoin(member, member.id == ProjectMember.student_id).order_by(ProjectMember.project_id,
                                                                               ProjectMember.id)):
        if sid is not None:
            if sid != leads.get(pid):  # the lead is a member by being the lead
                members[pid].append(no)
        else:
            assert name is not None  # the student_or_name check: an outside member has a name
            members[pid].append(f"{name}({org})" if org else name)
    mentors: dict[int, list[str]] = defaultdict(list)
    for pid, no in session.execute(select(ProjectMentor.project_id, Mentor.staff_no)
                                   .join(Mentor, Mentor.id == ProjectMentor.mentor_id)
                                   .order_by(ProjectMentor.project_id, Mentor.staff_no)):
        mentors[pid].append(no)
    out = []
    for r in session.execute(select(Project.id, Project.code, Project.title, Season.year, Track.name.label("track"),
                                    lead.student_no.label("lead"), Organisation.name.label("sponsor"), Project.stage,
                                    Project.drop_reason, Project.submitted_on)
                             .join(Season, Season.id == Project.season_id).join(Track, Track.id == Project.track_id)
                             .outerjoin(lead, lead.id == Project.lead_student_id)
                             .outerjoin(Organisation, Organisation.id == Project.sponsor_id)
                             .order_by(Season.year, Project.code)):
        out.append({"code": r.code, "title": r.title, "season": r.year, "track": r.track, "lead": r.lead,
                    "members": "、".join(members.get(r.id, [])) or None,
                    "mentors": "、".join(mentors.get(r.id, [])) or None, "sponsor": r.sponsor,
                    "stage": _word(r.stage), "drop_reason": r.drop_reason, "submitted_on": r.submitted_on})
    return out


def _companies(session: Session) -> list[Row]:
    rows = _dicts(session, select(Company.uscc, Company.name, Project.code.label("project"), Company.registered_on,
                                  Company.funding, Company.employees)
                  .join(Project, Project.id == Company.project_id).order_by(Company.registered_on, Company.uscc))
    for r in rows:
        r["funding"] = _num(r["funding"])
    return rows


_PLAIN: dict[str, Callable[[Session], list[Row]]] = {
    "students": _students, "mentors": _mentors, "mentor-assignments": _mentor_assignments,
    "programmes": _programmes, "courses": _courses, "programme-courses": _programme_courses,
    "enrolments": _enrolments, "universities": _universities, "external-courses": _external_courses,
    "equivalences": _equivalences, "transfers": _transfers, "projects": _projects, "companies": _companies,
}
_OWN: dict[str, Callable[[Session, Actor], list[Row]]] = {"sessions": _sessions, "assignments": _assignments}
KINDS = (*_PLAIN, *_OWN)


def export(session: Session, actor: Actor, kind: str) -> ExportTable:
    """The records of ``kind`` (any import KIND) that ``actor`` may export: everything for an
    administrator or a viewer; a mentor their own sessions and tasks only."""
    if kind in _OWN:
        return ExportTable(kind, _OWN[kind](session, actor))
    if kind not in _PLAIN:
        raise ValueError(t("Unknown export kind {kind}.", kind=kind))
    if actor.is_mentor:
        raise PermissionDenied(t("A mentor exports only their own sessions and tasks."))
    return ExportTable(kind, _PLAIN[kind](session))

