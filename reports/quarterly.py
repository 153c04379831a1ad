"""The quarterly figures (DESIGN.md section 6), computed from the database (Qt-free).

``figures(session, quarter)`` returns one typed object; ``to_dict()`` gives exactly the JSON that
``talentdesk stats --json`` prints, and the Excel and PDF renderers read the same object. Each
figure follows its definition word for word; the definitions are quoted next to the code.

Once a quarter's report is issued its figures are frozen in ``issued_reports`` and ``figures()``
returns them unchanged, whatever was edited since.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import and_, distinct, exists, func, or_, select
from sqlalchemy.orm import Session

from db.balance import earned_credits, in_band, plan_balances
from db.i18n import register, t
from db.models import (
    PIPELINE_ORDER,
    Company,
    IssuedReport,
    MentoringSession,
    MentorAssignment,
    MentorRole,
    Programme,
    Project,
    Season,
    Stage,
    Student,
    StudentStatus,
    Task,
    TaskStatus,
    TransferRequest,
    TransferStatus,
)

register(
    {
        "{value} is not a quarter: write it like 2026Q3.": "{value} 不是有效的季度，应写成 2026Q3 这样。",
    }
)

KIND = "quarterly"
DEFAULT_TARGET_PROJECTS = 300
DEFAULT_TARGET_COMPANIES = 20
MIN_CREDITS_FOR_BAND = 10.0
ROLES = (MentorRole.ACADEMIC, MentorRole.INDUSTRY, MentorRole.STUDY)
STAGES = (*PIPELINE_ORDER, Stage.DROPPED)

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]\s*([1-4])\s*$")


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        m = _QUARTER.match(text or "")
        if not m or not 1990 <= int(m.group(1)) <= 2100:
            raise ValueError(t("{value} is not a quarter: write it like 2026Q3.", value=text))
        return cls(int(m.group(1)), int(m.group(2)))

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        if self.number == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.number + 1, 1) - dt.timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


# --------------------------------------------------------------------------- the figures


@dataclass
class Mentoring:
    active_students: int
    fully_mentored: int
    missing: dict[str, int]
    sessions: dict[str, int]
    session_hours: float
    students_without_contact: int
    assignments: dict[str, int]


@dataclass
class ProgrammeFigure:
    code: str
    foundation_credits: float
    industry_credits: float
    foundation_share: float
    in_band: bool


@dataclass
class Curriculum:
    programmes: list[ProgrammeFigure]
    students_out_of_band: int


@dataclass
class Transfers:
    submitted: int
    approved: int
    rejected: int
    pending: int
    credits_recognised: float


@dataclass
class Competition:
    season: int
    projects: int
    target_projects: int
    by_stage: dict[str, int]
    incubated_companies: int
    target_companies: int


@dataclass
class QuarterlyFigures:
    quarter: str
    period: dict[str, str]
    mentoring: Mentoring
    curriculum: Curriculum
    transfers: Transfers
    competition: Competition
    issued_at: str | None = field(default=None)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``stats --json`` (DESIGN.md section 6)."""
        data = asdict(self)
        data.pop("issued_at")
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], issued_at: str | None = None) -> QuarterlyFigures:
        cur = data["curriculum"]
        return cls(
            quarter=data["quarter"],
            period=dict(data["period"]),
            mentoring=Mentoring(**data["mentoring"]),
            curriculum=Curriculum([ProgrammeFigure(**p) for p in cur["programmes"]], cur["students_out_of_band"]),
            transfers=Transfers(**data["transfers"]),
            competition=Competition(**data["competition"]),
            issued_at=issued_at,
        )


def active_students(end: dt.date) -> Any:
    """Active students: status active, and enrolled on or before the quarter's last day (or no date)."""
    return and_(Student.status == StudentStatus.ACTIVE,
                or_(Student.enrolled_on.is_(None), Student.enrolled_on <= end))


def assignment_active_on(day: Any) -> Any:
    """start ≤ d and (no end, or d < end): the end date is the first day without the role."""
    return and_(MentorAssignment.start_on <= day,
                or_(MentorAssignment.end_on.is_(None), MentorAssignment.end_on > day))


def mentoring_figures(session: Session, q: Quarter) -> Mentoring:
    start, end = q.start, q.end
    active = active_students(end)
    n_active = session.scalar(select(func.count()).select_from(Student).where(active)) or 0

    # roles each active student holds on the last day
    held = (
        select(MentorAssignment.student_id, MentorAssignment.role)
        .join(Student, Student.id == MentorAssignment.student_id)
        .where(active, assignment_active_on(end))
        .distinct()
        .subquery()
    )
    per_role = dict(session.execute(select(held.c.role, func.count()).group_by(held.c.role)).all())
    roles_per_student = (
        select(held.c.student_id, func.count().label("n")).group_by(held.c.student_id).subquery()
    )
    fully = session.scalar(select(func.count()).select_from(roles_per_student).where(roles_per_student.c.n == 3)) or 0
    missing = {r.value: n_active - int(per_role.get(r, 0)) for r in ROLES}

    # sessions in the quarter, by the role the mentor holds for that student on the session date
    in_quarter = MentoringSession.held_on.between(start, end)
    role_rows = session.execute(
        select(MentorAssignment.role, func.count(distinct(MentoringSession.id)))
        .join(MentorAssignment, and_(MentorAssignment.mentor_id == MentoringSession.mentor_id,
                                     MentorAssignment.student_id == MentoringSession.student_id,
                                     assignment_active_on(MentoringSession.held_on)))
        .where(in_quarter)
        .group_by(MentorAssignment.role)
    ).all()
    by_role = {role: int(n) for role, n in role_rows}
    minutes = session.scalar(select(func.coalesce(func.sum(MentoringSession.minutes), 0)).where(in_quarter)) or 0

    contacted = exists().where(MentoringSession.student_id == Student.id, in_quarter)
    without_contact = session.scalar(select(func.count()).select_from(Student).where(active, ~contacted)) or 0

    given = session.scalar(select(func.count()).select_from(Task).where(Task.assigned_on.between(start, end))) or 0
    reviewed = session.scalar(
        select(func.count()).select_from(Task).where(Task.reviewed_on.between(start, end))) or 0
    reviewed_by_then = and_(Task.status == TaskStatus.REVIEWED,
                            or_(Task.reviewed_on.is_(None), Task.reviewed_on <= end))
    overdue = session.scalar(
        select(func.count()).select_from(Task).where(Task.due_on <= end, ~reviewed_by_then)) or 0

    return Mentoring(
        active_students=int(n_active),
        fully_mentored=int(fully),
        missing=missing,
        sessions={r.value: by_role.get(r, 0) for r in ROLES},
        session_hours=float(minutes) / 60,
        students_without_contact=int(without_contact),
        assignments={"given": int(given), "reviewed": int(reviewed), "overdue": int(overdue)},
    )


def curriculum_figures(session: Session, q: Quarter) -> Curriculum:
    programmes = []
    for b in plan_balances(session):
        share = b.credits.share
        programmes.append(ProgrammeFigure(
            code=b.code,
            foundation_credits=float(b.credits.foundation),
            industry_credits=float(b.credits.industry),
            foundation_share=float(share) if share is not None else 0.0,
            in_band=b.in_band,
        ))
    bands = {pid: (target, tol) for pid, target, tol in session.execute(
        select(Programme.id, Programme.target_share, Programme.tolerance))}
    students = dict(session.execute(select(Student.id, Student.programme_id).where(active_students(q.end))).all())
    credits = earned_credits(session, q.end)
    out_of_band = 0
    for student_id, programme_id in students.items():
        c = credits.get(student_id)
        if c is None or c.counted < MIN_CREDITS_FOR_BAND:
            continue
        target, tol = bands[programme_id]
        if not in_band(c.share, target, tol):
            out_of_band += 1
    return Curriculum(programmes, out_of_band)


def transfer_figures(session: Session, q: Quarter) -> Transfers:
    start, end = q.start, q.end
    decided_by_end = and_(TransferRequest.decided_on.is_not(None), TransferRequest.decided_on <= end)
    rows = session.execute(
        select(TransferRequest.status, decided_by_end, func.count())
        .where(TransferRequest.submitted_on.between(start, end))
        .group_by(TransferRequest.status, decided_by_end)
    ).all()
    counts = {TransferStatus.APPROVED: 0, TransferStatus.REJECTED: 0, TransferStatus.PENDING: 0}
    submitted = 0
    for status, decided, n in rows:
        submitted += n
        # by their status on the last day: a request decided after it is still pending then
        effective = status if (status is not TransferStatus.PENDING and decided) else TransferStatus.PENDING
        counts[effective] += n
    recognised = session.scalar(
        select(func.coalesce(func.sum(TransferRequest.credits), 0.0)).where(
            TransferRequest.status == TransferStatus.APPROVED, TransferRequest.decided_on.between(start, end)))
    return Transfers(
        submitted=int(submitted),
        approved=counts[TransferStatus.APPROVED],
        rejected=counts[TransferStatus.REJECTED],
        pending=counts[TransferStatus.PENDING],
        credits_recognised=float(recognised or 0.0),
    )


def competition_figures(session: Session, q: Quarter) -> Competition:
    season = session.scalar(select(Season).where(Season.year == q.year))
    by_stage = {s.value: 0 for s in STAGES}
    projects = 0
    if season is not None:
        for stage, n in session.execute(
                select(Project.stage, func.count()).where(Project.season_id == season.id).group_by(Project.stage)):
            by_stage[stage.value] = int(n)
            projects += int(n)
    companies = session.scalar(select(func.count()).select_from(Company).where(
        Company.registered_on.between(dt.date(q.year, 1, 1), q.end))) or 0
    return Competition(
        season=q.year,
        projects=projects,
        target_projects=season.target_projects if season is not None else DEFAULT_TARGET_PROJECTS,
        by_stage=by_stage,
        incubated_companies=int(companies),
        target_companies=season.target_companies if season is not None else DEFAULT_TARGET_COMPANIES,
    )


def compute(session: Session, quarter: Quarter | str) -> QuarterlyFigures:
    """The live figures, whatever has been issued."""
    q = quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)
    return QuarterlyFigures(
        quarter=str(q),
        period={"start": q.start.isoformat(), "end": q.end.isoformat()},
        mentoring=mentoring_figures(session, q),
        curriculum=curriculum_figures(session, q),
        transfers=transfer_figures(session, q),
        competition=competition_figures(session, q),
    )


def issued(session: Session, quarter: Quarter | str) -> IssuedReport | None:
    q = quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)
    return session.scalar(select(IssuedReport).where(IssuedReport.kind == KIND, IssuedReport.period == str(q)))


def figures(session: Session, quarter: Quarter | str) -> QuarterlyFigures:
    """The quarter's figures: frozen ones once the report is issued, live ones before."""
    q = quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)
    frozen = issued(session, q)
    if frozen is not None:
        return QuarterlyFigures.from_dict(frozen.data["figures"], frozen.issued_at.isoformat(sep=" "))
    return compute(session, q)
