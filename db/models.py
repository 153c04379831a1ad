"""The TalentDesk schema: one coherent model for all four schemes.

Conventions
- Every editable table carries ``version`` as SQLAlchemy's ``version_id_col``: an UPDATE names the
  version it read, so a second PC saving a stale record fails instead of overwriting (optimistic
  locking, DESIGN.md section 4).
- Enumerations are stored by value as short strings with a CHECK constraint (portable between SQLite
  and PostgreSQL, readable in a raw dump).
- History is never deleted: assignments end with a date and a reason, pipeline moves are recorded,
  rules get new versions.
- ``audit_log`` and ``access_log`` are append-only; nothing in the application updates or deletes them.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship
from sqlalchemy.sql.functions import FunctionElement

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# --------------------------------------------------------------------------- enumerations


class Role(str, enum.Enum):
    """User roles."""

    ADMIN = "admin"
    MENTOR = "mentor"
    VIEWER = "viewer"


class MentorRole(str, enum.Enum):
    """The three roles of the three-mentor scheme (三导师制)."""

    ACADEMIC = "academic"  # 学术导师
    INDUSTRY = "industry"  # 产业导师
    STUDY = "study"  # 学业导师


class StudentStatus(str, enum.Enum):
    ACTIVE = "active"  # 在读
    SUSPENDED = "suspended"  # 休学
    GRADUATED = "graduated"  # 毕业
    WITHDRAWN = "withdrawn"  # 退学


class Gender(str, enum.Enum):
    MALE = "male"
    FEMALE = "female"


class OrgKind(str, enum.Enum):
    UNIVERSITY = "university"
    COMPANY = "company"
    GOVERNMENT = "government"
    OTHER = "other"


class SessionKind(str, enum.Enum):
    IN_PERSON = "in_person"  # 面谈
    ONLINE = "online"  # 线上
    ONSITE = "onsite"  # 企业现场


class TaskStatus(str, enum.Enum):
    ASSIGNED = "assigned"  # 已布置
    SUBMITTED = "submitted"  # 已提交
    REVIEWED = "reviewed"  # 已评阅


class CourseCategory(str, enum.Enum):
    FOUNDATION = "foundation"  # AGI前沿基础课
    INDUSTRY = "industry"  # 产业应用课
    OTHER = "other"  # outside the 50/50 split


class RuleStatus(str, enum.Enum):
    DRAFT = "draft"
    APPROVED = "approved"
    RETIRED = "retired"


class RuleKind(str, enum.Enum):
    COURSE = "course"  # one external course -> one local course
    COMBINED = "combined"  # several external courses together -> one local course
    CATEGORY = "category"  # one external course -> category credit


class TransferStatus(str, enum.Enum):
    PENDING = "pending"  # 待审
    APPROVED = "approved"  # 通过
    REJECTED = "rejected"  # 驳回


class Stage(str, enum.Enum):
    """The competition pipeline, in order; DROPPED can follow any stage."""

    SUBMITTED = "submitted"  # 已报名
    SCREENED = "screened"  # 初审通过
    ROADSHOW = "roadshow"  # 路演
    FINALIST = "finalist"  # 决赛
    AWARDED = "awarded"  # 获奖
    INCUBATING = "incubating"  # 孵化中
    INCORPORATED = "incorporated"  # 已注册企业
    DROPPED = "dropped"  # 已退出


PIPELINE_ORDER: list[Stage] = [s for s in Stage if s is not Stage.DROPPED]


class ConflictKind(str, enum.Enum):
    DECLARED = "declared"
    MENTORS_MEMBER = "mentors_member"
    SAME_ORG_AS_MENTOR = "same_org_as_mentor"
    SPONSOR = "sponsor"


class AuditAction(str, enum.Enum):
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(
        cls,
        name=name,
        native_enum=False,
        length=20,
        values_callable=lambda e: [m.value for m in e],
        create_constraint=True,
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {
        str: String(200),
        dt.date: Date,
        dt.datetime: DateTime(timezone=False),
        dict[str, Any]: JSON,
        Role: _enum(Role, "role"),
        MentorRole: _enum(MentorRole, "mentor_role"),
        StudentStatus: _enum(StudentStatus, "student_status"),
        Gender: _enum(Gender, "gender"),
        OrgKind: _enum(OrgKind, "org_kind"),
        SessionKind: _enum(SessionKind, "session_kind"),
        TaskStatus: _enum(TaskStatus, "task_status"),
        CourseCategory: _enum(CourseCategory, "course_category"),
        RuleStatus: _enum(RuleStatus, "rule_status"),
        RuleKind: _enum(RuleKind, "rule_kind"),
        TransferStatus: _enum(TransferStatus, "transfer_status"),
        Stage: _enum(Stage, "stage"),
        ConflictKind: _enum(ConflictKind, "conflict_kind"),
        AuditAction: _enum(AuditAction, "audit_action"),
    }


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class Versioned:
    """Optimistic locking and change timestamps for every editable table."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")
    created_at: Mapped[dt.datetime] = mapped_column(default=_now, server_default=func.current_timestamp())
    updated_at: Mapped[dt.datetime] = mapped_column(
        default=_now, onupdate=_now, server_default=func.current_timestamp()
    )

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.version}


# --------------------------------------------------------------------------- people and organisations


class Organisation(Versioned, Base):
    """A university, partner company or other body (华为, 长安汽车, 重庆大学 …)."""

    __tablename__ = "organisations"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[OrgKind] = mapped_column(default=OrgKind.OTHER)
    short_name: Mapped[str | None] = mapped_column(String(60))


class Programme(Versioned, Base):
    """A training programme (培养方案) and its 50/50 band and recognition cap."""

    __tablename__ = "programmes"
    __table_args__ = (
        CheckConstraint("target_share >= 0 AND target_share <= 1", name="target_share_range"),
        CheckConstraint("tolerance >= 0 AND tolerance <= 1", name="tolerance_range"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    target_share: Mapped[float] = mapped_column(Float, default=0.5)
    tolerance: Mapped[float] = mapped_column(Float, default=0.05)
    transfer_cap: Mapped[float | None] = mapped_column(Float)


class Student(Versioned, Base):
    __tablename__ = "students"
    __table_args__ = (Index("ix_students_status_cohort", "status", "cohort"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    student_no: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(60), index=True)
    cohort: Mapped[int] = mapped_column(Integer)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    gender: Mapped[Gender | None]
    status: Mapped[StudentStatus] = mapped_column(default=StudentStatus.ACTIVE)
    home_university_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    enrolled_on: Mapped[dt.date | None]
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(120))
    notes: Mapped[str | None] = mapped_column(Text)

    programme: Mapped[Programme] = relationship(lazy="joined")
    home_university: Mapped[Organisation | None] = relationship()


class Mentor(Versioned, Base):
    __tablename__ = "mentors"
    id: Mapped[int] = mapped_column(primary_key=True)
    staff_no: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(60), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    title: Mapped[str | None] = mapped_column(String(60))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    qualifications: Mapped[list[MentorQualification]] = relationship(
        back_populates="mentor", cascade="all, delete-orphan", order_by="MentorQualification.role"
    )


class MentorQualification(Versioned, Base):
    """A role a mentor is qualified for, with the capacity (指导上限) for that role."""

    __tablename__ = "mentor_qualifications"
    __table_args__ = (
        UniqueConstraint("mentor_id", "role"),
        CheckConstraint("capacity >= 0", name="capacity_nonneg"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentors.id", ondelete="CASCADE"))
    role: Mapped[MentorRole]
    capacity: Mapped[int] = mapped_column(Integer, default=8)

    mentor: Mapped[Mentor] = relationship(back_populates="qualifications")


class MentorAssignment(Versioned, Base):
    """A mentor holding a role for a student from ``start_on`` up to (not including) ``end_on``."""

    __tablename__ = "mentor_assignments"
    __table_args__ = (
        CheckConstraint("end_on IS NULL OR end_on >= start_on", name="end_after_start"),
        Index("ix_mentor_assignments_student_role", "student_id", "role"),
        Index("ix_mentor_assignments_mentor_role", "mentor_id", "role"),
        # the mentors list counts each mentor's open assignments from this index alone (0005)
        Index("ix_mentor_assignments_open_mentor", "mentor_id", sqlite_where=text("end_on IS NULL"),
              postgresql_where=text("end_on IS NULL")),
        # Backstop for the service rule "one active mentor per role": never two open-ended ones.
        Index(
            "uq_mentor_assignments_open_role",
            "student_id",
            "role",
            unique=True,
            sqlite_where=text("end_on IS NULL"),
            postgresql_where=text("end_on IS NULL"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentors.id"))
    role: Mapped[MentorRole]
    start_on: Mapped[dt.date]
    end_on: Mapped[dt.date | None]
    end_reason: Mapped[str | None] = mapped_column(String(200))
    capacity_override: Mapped[bool] = mapped_column(Boolean, default=False)
    override_reason: Mapped[str | None] = mapped_column(String(200))
    created_by: Mapped[str | None] = mapped_column(String(60))

    student: Mapped[Student] = relationship()
    mentor: Mapped[Mentor] = relationship()


class local_today(FunctionElement[dt.date]):  # noqa: N801 (an SQL function)
    """Today's date as the database computes it, in local time (SQLite's CURRENT_DATE is UTC: before
    08:00 in Chongqing it is still yesterday), for expressions built once and run on any day."""

    type = Date()
    inherit_cache = True


@compiles(local_today)
def _today_default(_element: Any, _compiler: Any, **_kw: Any) -> str:
    return "CURRENT_DATE"


@compiles(local_today, "sqlite")
def _today_sqlite(_element: Any, _compiler: Any, **_kw: Any) -> str:
    return "date('now', 'localtime')"


def assignment_active_on(day: Any, a: Any = MentorAssignment) -> Any:
    """DESIGN section 6, the one definition: an assignment (``a``: the class or an alias of it) is
    active on day ``day`` (a date or a date column) when start ≤ day and (no end, or day < end). The
    end date is the first day the mentor no longer holds the role, so one that ends on the day it
    starts is active on no day."""
    return (a.start_on <= day) & (a.end_on.is_(None) | (a.end_on > day))


def active_on_day(start_on: dt.date, end_on: dt.date | None, day: dt.date) -> bool:
    """``assignment_active_on`` for an assignment already read (its start and end dates)."""
    return start_on <= day and (end_on is None or day < end_on)


class MentoringSession(Versioned, Base):
    """A mentoring session (指导记录) a mentor logs."""

    __tablename__ = "mentoring_sessions"
    __table_args__ = (
        CheckConstraint("minutes > 0", name="minutes_positive"),
        Index("ix_mentoring_sessions_student_date", "student_id", "held_on"),
        Index("ix_mentoring_sessions_mentor_date", "mentor_id", "held_on"),
        Index("ix_mentoring_sessions_held_on", "held_on"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentors.id"))
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"))
    held_on: Mapped[dt.date]
    minutes: Mapped[int] = mapped_column(Integer)
    kind: Mapped[SessionKind] = mapped_column(default=SessionKind.IN_PERSON)
    topic: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(60))
    # why it is being deleted: written just before the row is deleted, so that the audit log (the app's
    # or the server's triggers) keeps the reason with the deleted values (DESIGN section 2)
    delete_reason: Mapped[str | None] = mapped_column(String(200))


class Task(Versioned, Base):
    """An assignment (指导任务) a mentor gives a mentee. Overdue is derived, never stored; a task that is
    no longer wanted is cancelled (with the day and a reason), one given by mistake deleted."""

    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_student", "student_id"),
        Index("ix_tasks_mentor_status", "mentor_id", "status"),
        Index("ix_tasks_due_on", "due_on"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentors.id"))
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    assigned_on: Mapped[dt.date]
    due_on: Mapped[dt.date]
    status: Mapped[TaskStatus] = mapped_column(default=TaskStatus.ASSIGNED)
    submitted_on: Mapped[dt.date | None]
    reviewed_on: Mapped[dt.date | None]
    score: Mapped[float | None] = mapped_column(Float)
    feedback: Mapped[str | None] = mapped_column(Text)
    cancelled_on: Mapped[dt.date | None]
    cancel_reason: Mapped[str | None] = mapped_column(String(200))
    cancelled_by: Mapped[str | None] = mapped_column(String(60))
    delete_reason: Mapped[str | None] = mapped_column(String(200))  # as MentoringSession.delete_reason


def task_overdue_on(day: Any) -> Any:
    """DESIGN section 6, the one definition (SQL; ``db.mentoring.is_overdue`` is its Python twin): a
    task is overdue on ``day`` when it was due on or before it and by then was neither reviewed nor
    cancelled."""
    reviewed = (Task.status == TaskStatus.REVIEWED) & (Task.reviewed_on.is_(None) | (Task.reviewed_on <= day))
    cancelled = Task.cancelled_on.is_not(None) & (Task.cancelled_on <= day)
    return (Task.due_on <= day) & ~reviewed & ~cancelled


# --------------------------------------------------------------------------- curriculum


class Course(Versioned, Base):
    __tablename__ = "courses"
    __table_args__ = (CheckConstraint("credits >= 0", name="credits_nonneg"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    credits: Mapped[float] = mapped_column(Float)
    category: Mapped[CourseCategory]
    hours: Mapped[int | None] = mapped_column(Integer)
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))  # 开课单位
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))  # 共建企业

    provider: Mapped[Organisation | None] = relationship(foreign_keys=[provider_id])
    partner: Mapped[Organisation | None] = relationship(foreign_keys=[partner_id])


class ProgrammeCourse(Versioned, Base):
    """A course in a programme's plan."""

    __tablename__ = "programme_courses"
    __table_args__ = (UniqueConstraint("programme_id", "course_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    recommended_term: Mapped[int | None] = mapped_column(Integer)

    programme: Mapped[Programme] = relationship()
    course: Mapped[Course] = relationship()


class Term(Base):
    """An academic term, ``2025-2026-1``; term 1 ends on 31 January, term 2 on 31 July."""

    __tablename__ = "terms"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    start_on: Mapped[dt.date]
    end_on: Mapped[dt.date]


class Enrolment(Versioned, Base):
    __tablename__ = "enrolments"
    __table_args__ = (
        UniqueConstraint("student_id", "course_id", "term_id"),
        Index("ix_enrolments_course", "course_id"),
        Index("ix_enrolments_term", "term_id"),  # the list's default order walks terms (0004)
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    term_id: Mapped[int] = mapped_column(ForeignKey("terms.id"))
    score_text: Mapped[str | None] = mapped_column(String(10))  # as entered: 86, 优, 及格 …
    score: Mapped[float | None] = mapped_column(Float)  # on 0–100
    passed: Mapped[bool] = mapped_column(Boolean, default=False)
    passed_on: Mapped[dt.date | None]

    student: Mapped[Student] = relationship()
    course: Mapped[Course] = relationship()
    term: Mapped[Term] = relationship()


# --------------------------------------------------------------------------- alliance credit recognition


class University(Versioned, Base):
    """An alliance university (联盟高校)."""

    __tablename__ = "universities"
    __table_args__ = (CheckConstraint("hours_per_credit > 0", name="hours_per_credit_positive"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    hours_per_credit: Mapped[float] = mapped_column(Float, default=16.0)
    # text grade -> score on 0–100, e.g. {"A": 95, "B": 85}; numeric scores pass through
    grading_scale: Mapped[dict[str, Any] | None]
    agreement_from: Mapped[dt.date | None]
    agreement_to: Mapped[dt.date | None]
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))


class ExternalCourse(Versioned, Base):
    __tablename__ = "external_courses"
    __table_args__ = (UniqueConstraint("university_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    university_id: Mapped[int] = mapped_column(ForeignKey("universities.id"))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    credits: Mapped[float] = mapped_column(Float)
    hours: Mapped[int | None] = mapped_column(Integer)

    university: Mapped[University] = relationship()


class EquivalenceRule(Versioned, Base):
    """One version of an equivalence rule. An approved rule is never edited: a change makes a new
    version (same ``rule_key``, ``revision`` + 1) and decisions keep pointing at the one they used."""

    __tablename__ = "equivalence_rules"
    __table_args__ = (
        UniqueConstraint("rule_key", "revision"),
        CheckConstraint(
            "(local_course_id IS NOT NULL AND category IS NULL) OR "
            "(local_course_id IS NULL AND category IS NOT NULL)",
            name="course_xor_category",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    rule_key: Mapped[str] = mapped_column(String(60), index=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    university_id: Mapped[int] = mapped_column(ForeignKey("universities.id"), index=True)
    kind: Mapped[RuleKind]
    status: Mapped[RuleStatus] = mapped_column(default=RuleStatus.DRAFT)
    local_course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"))
    category: Mapped[CourseCategory | None]
    credits: Mapped[float | None] = mapped_column(Float)  # None: convert from hours
    min_score: Mapped[float] = mapped_column(Float, default=60.0)
    valid_from: Mapped[str | None] = mapped_column(String(20))  # term code
    valid_to: Mapped[str | None] = mapped_column(String(20))
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("equivalence_rules.id"))
    approved_by: Mapped[str | None] = mapped_column(String(60))
    approved_at: Mapped[dt.datetime | None]

    university: Mapped[University] = relationship()
    local_course: Mapped[Course | None] = relationship()
    external_links: Mapped[list[RuleExternalCourse]] = relationship(
        back_populates="rule", cascade="all, delete-orphan"
    )


class RuleExternalCourse(Base):
    __tablename__ = "rule_external_courses"
    rule_id: Mapped[int] = mapped_column(
        ForeignKey("equivalence_rules.id", ondelete="CASCADE"), primary_key=True
    )
    external_course_id: Mapped[int] = mapped_column(ForeignKey("external_courses.id"), primary_key=True)

    rule: Mapped[EquivalenceRule] = relationship(back_populates="external_links")
    external_course: Mapped[ExternalCourse] = relationship()


class TransferRequest(Versioned, Base):
    """A credit recognition request (学分互认申请) and its decision."""

    __tablename__ = "transfer_requests"
    __table_args__ = (
        Index("ix_transfer_requests_student", "student_id"),
        Index("ix_transfer_requests_submitted_on", "submitted_on"),
        Index("ix_transfer_requests_status", "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"))
    university_id: Mapped[int] = mapped_column(ForeignKey("universities.id"))
    external_course_id: Mapped[int] = mapped_column(ForeignKey("external_courses.id"))
    term: Mapped[str] = mapped_column(String(20))
    score_text: Mapped[str] = mapped_column(String(10))
    score: Mapped[float | None] = mapped_column(Float)  # converted onto 0–100
    submitted_on: Mapped[dt.date]
    status: Mapped[TransferStatus] = mapped_column(default=TransferStatus.PENDING)
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("equivalence_rules.id"))
    proposed_credits: Mapped[float | None] = mapped_column(Float)
    credits: Mapped[float | None] = mapped_column(Float)  # granted
    category: Mapped[CourseCategory | None]
    local_course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"))
    decided_on: Mapped[dt.date | None]
    decided_by: Mapped[str | None] = mapped_column(String(60))
    reason: Mapped[str | None] = mapped_column(String(400))

    student: Mapped[Student] = relationship()
    university: Mapped[University] = relationship()
    external_course: Mapped[ExternalCourse] = relationship()
    rule: Mapped[EquivalenceRule | None] = relationship()
    local_course: Mapped[Course | None] = relationship()


# --------------------------------------------------------------------------- competition and incubation


class Season(Versioned, Base):
    """A competition season (创赛 渝见智湾), one per year."""

    __tablename__ = "seasons"
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(120))
    target_projects: Mapped[int] = mapped_column(Integer, default=300)
    target_companies: Mapped[int] = mapped_column(Integer, default=20)

    tracks: Mapped[list[Track]] = relationship(back_populates="season", order_by="Track.seq")


DEFAULT_TRACKS = ["智能机器人", "消费类AI终端", "人工智能软件", "其他"]


class Track(Versioned, Base):
    __tablename__ = "tracks"
    __table_args__ = (UniqueConstraint("season_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(60))
    seq: Mapped[int] = mapped_column(Integer, default=0)

    season: Mapped[Season] = relationship(back_populates="tracks")


class Project(Versioned, Base):
    __tablename__ = "projects"
    __table_args__ = (
        Index("ix_projects_season_stage", "season_id", "stage"),
        Index("ix_projects_lead", "lead_student_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id"))
    track_id: Mapped[int] = mapped_column(ForeignKey("tracks.id"))
    lead_student_id: Mapped[int | None] = mapped_column(ForeignKey("students.id"))
    sponsor_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    stage: Mapped[Stage] = mapped_column(default=Stage.SUBMITTED)
    stage_changed_on: Mapped[dt.date | None]
    drop_reason: Mapped[str | None] = mapped_column(String(400))
    submitted_on: Mapped[dt.date]
    description: Mapped[str | None] = mapped_column(Text)

    season: Mapped[Season] = relationship()
    track: Mapped[Track] = relationship()
    lead_student: Mapped[Student | None] = relationship()
    sponsor: Mapped[Organisation | None] = relationship()


class ProjectMember(Base):
    """A team member: an academy student, or an outside person by name."""

    __tablename__ = "project_members"
    __table_args__ = (
        CheckConstraint(
            "student_id IS NOT NULL OR external_name IS NOT NULL", name="student_or_name"
        ),
        Index("ix_project_members_student", "student_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    student_id: Mapped[int | None] = mapped_column(ForeignKey("students.id"))
    external_name: Mapped[str | None] = mapped_column(String(60))
    external_organisation: Mapped[str | None] = mapped_column(String(120))


class ProjectMentor(Base):
    __tablename__ = "project_mentors"
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentors.id"), primary_key=True)


class StageChange(Base):
    """Every pipeline move, with date, user and (for drops and backward moves) a reason."""

    __tablename__ = "stage_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    # Distinct type names: the CHECK constraint is named after them, and PostgreSQL refuses two
    # constraints called ck_stage_changes_stage in one table.
    from_stage: Mapped[Stage | None] = mapped_column(_enum(Stage, "from_stage"))
    to_stage: Mapped[Stage] = mapped_column(_enum(Stage, "to_stage"))
    changed_on: Mapped[dt.date]
    changed_by: Mapped[str | None] = mapped_column(String(60))
    reason: Mapped[str | None] = mapped_column(String(400))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=_now)


class Judge(Versioned, Base):
    __tablename__ = "judges"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("mentors.id"))  # when the judge is a mentor
    email: Mapped[str | None] = mapped_column(String(120))

    organisation: Mapped[Organisation | None] = relationship()


class Round(Versioned, Base):
    """A judging round within a season."""

    __tablename__ = "rounds"
    __table_args__ = (UniqueConstraint("season_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id"))
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(60))
    stage: Mapped[Stage | None]  # the stage whose projects this round judges
    normalise: Mapped[bool] = mapped_column(Boolean, default=False)  # per-judge z-scores
    max_load: Mapped[int] = mapped_column(Integer, default=20)


class Criterion(Versioned, Base):
    __tablename__ = "criteria"
    __table_args__ = (
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint("max_score > min_score", name="range_valid"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    min_score: Mapped[float] = mapped_column(Float, default=0.0)
    max_score: Mapped[float] = mapped_column(Float, default=10.0)


class JudgeAssignment(Base):
    __tablename__ = "judge_assignments"
    __table_args__ = (UniqueConstraint("round_id", "judge_id", "project_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("judges.id"))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    manual: Mapped[bool] = mapped_column(Boolean, default=False)


class Score(Versioned, Base):
    __tablename__ = "scores"
    __table_args__ = (UniqueConstraint("judge_id", "project_id", "criterion_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="CASCADE"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("judges.id"))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    value: Mapped[float] = mapped_column(Float)


class Conflict(Base):
    """A conflict of interest between a judge and a project, declared or detected."""

    __tablename__ = "conflicts"
    __table_args__ = (UniqueConstraint("judge_id", "project_id", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("judges.id"))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    kind: Mapped[ConflictKind]
    detail: Mapped[str | None] = mapped_column(String(400))
    recorded_on: Mapped[dt.date] = mapped_column(default=dt.date.today)


class Company(Versioned, Base):
    """An incubated company (孵化企业), identified by its unified social credit code."""

    __tablename__ = "companies"
    __table_args__ = (Index("ix_companies_registered_on", "registered_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    registered_on: Mapped[dt.date]
    funding: Mapped[float | None] = mapped_column(Float)  # 万元
    employees: Mapped[int | None] = mapped_column(Integer)

    project: Mapped[Project] = relationship()


class CompanyFounder(Base):
    __tablename__ = "company_founders"
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), primary_key=True)


# --------------------------------------------------------------------------- system


class User(Versioned, Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role <> 'mentor' OR mentor_id IS NOT NULL", name="mentor_linked"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    # never loaded unless read: on a secured PostgreSQL server no person may read it (the server checks
    # passwords there, and the column holds no secret)
    password_hash: Mapped[str] = mapped_column(String(200), deferred=True)
    role: Mapped[Role]
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("mentors.id"), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    language: Mapped[str | None] = mapped_column(String(10))
    last_login_at: Mapped[dt.datetime | None]
    # sign-in hardening (migration 0003): failed sign-ins in a row, the lock they earn, and a
    # password an administrator set that its owner must replace at the next sign-in
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None]
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))

    mentor: Mapped[Mentor | None] = relationship()


class Setting(Versioned, Base):
    """Academy-wide settings shared by every PC (no-contact days, default band …)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[dict[str, Any]]


class IssuedReport(Base):
    """A quarterly report once issued: its figures frozen so that a reprint never changes."""

    __tablename__ = "issued_reports"
    __table_args__ = (UniqueConstraint("kind", "period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    period: Mapped[str] = mapped_column(String(10))
    issued_at: Mapped[dt.datetime] = mapped_column(default=_now)
    issued_by: Mapped[str | None] = mapped_column(String(60))
    data: Mapped[dict[str, Any]]


class AuditLog(Base):
    """Append-only record of every change made through the services."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_entity", "entity", "entity_id"),
        Index("ix_audit_log_at", "at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=_now)
    username: Mapped[str | None] = mapped_column(String(60))
    action: Mapped[AuditAction]
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(80))
    changes: Mapped[dict[str, Any] | None]  # {field: [old, new]}


class AccessLog(Base):
    """Append-only record of sign-ins and of who opened or exported personal records (PIPL)."""

    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_at", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=_now)
    username: Mapped[str | None] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(40))  # login, login_failed, view_student, export …
    entity: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(80))
    detail: Mapped[str | None] = mapped_column(String(400))


APPEND_ONLY = (AuditLog, AccessLog)
