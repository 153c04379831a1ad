"""The quarterly figures (DESIGN.md section 6), computed from the database (Qt-free).

``figures(session, quarter)`` returns one typed object; ``to_dict()`` gives exactly the JSON that
``talentdesk stats --json`` prints, and the Excel and PDF renderers read the same object. Each
figure follows its definition word for word; the definitions are quoted next to the code.

Once a quarter's report is issued its figures are frozen in ``issued_reports`` and ``figures()``
returns them unchanged, whatever was edited since.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import and_, distinct, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer

from db.actor import Actor
from db.balance import ProgrammeBalance, earned_credits_by_day, in_band, plan_balances
from db.errors import PermissionDenied, TalentDeskError
from db.i18n import t
from db.models import (
    PIPELINE_ORDER,
    Company,
    IssuedReport,
    MentorAssignment,
    MentoringSession,
    MentorRole,
    Programme,
    Project,
    Season,
    Stage,
    Student,
    StudentStatus,
    Task,
    Track,
    TransferRequest,
    TransferStatus,
    assignment_active_on,
    task_overdue_on,
)
from db.permissions import require_admin

KIND = "quarterly"
DEFAULT_TARGET_PROJECTS = 300
DEFAULT_TARGET_COMPANIES = 20
ROLES = (MentorRole.ACADEMIC, MentorRole.INDUSTRY, MentorRole.STUDY)
STAGES = (*PIPELINE_ORDER, Stage.DROPPED)

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]\s*([1-4])\s*$")


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int
    # a quarter so far (the home page's dashboard): its figures as of this day, not of the quarter's
    # last day; the previous quarter is then compared over the same number of days
    until: dt.date | None = None

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
    def last_day(self) -> dt.date:
        if self.number == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.number + 1, 1) - dt.timedelta(days=1)

    @property
    def end(self) -> dt.date:
        return self.last_day if self.until is None else max(self.start, min(self.until, self.last_day))

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


def _mentoring_counts(q: Quarter) -> dict[str, Any]:
    """The mentoring figures of ``q`` as scalar subqueries, to be read in one statement with the others."""
    start, end = q.start, q.end
    active = active_students(end)
    # roles each active student holds on the last day
    # a CTE: the server works it out once for the four figures that count from it (a subquery is worked out
    # once per figure); named after the quarter, as the home page reads two quarters in one statement
    held = (
        select(MentorAssignment.student_id, MentorAssignment.role)
        .join(Student, Student.id == MentorAssignment.student_id)
        .where(active, assignment_active_on(end))
        .distinct()
        .cte(f"held_{q.year}_{q.number}")
    )
    roles_per_student = (
        select(held.c.student_id, func.count().label("n")).group_by(held.c.student_id).subquery()
    )
    # sessions in the quarter, by the role the mentor holds for that student on the session date: one pass over
    # the quarter's sessions for the three roles
    in_quarter = MentoringSession.held_on.between(start, end)
    by_role = (
        select(MentorAssignment.role, func.count(distinct(MentoringSession.id)).label("n"))
        .join(MentorAssignment, and_(MentorAssignment.mentor_id == MentoringSession.mentor_id,
                                     MentorAssignment.student_id == MentoringSession.student_id,
                                     assignment_active_on(MentoringSession.held_on)))
        .where(in_quarter)
        .group_by(MentorAssignment.role)
        .cte(f"sessions_{q.year}_{q.number}")
    )
    contacted = exists().where(MentoringSession.student_id == Student.id, in_quarter)
    counts: dict[str, Any] = {
        "active": select(func.count()).select_from(Student).where(active),
        "fully": select(func.count()).select_from(roles_per_student).where(roles_per_student.c.n == 3),
        "minutes": select(func.coalesce(func.sum(MentoringSession.minutes), 0)).where(in_quarter),
        "without_contact": select(func.count()).select_from(Student).where(active, ~contacted),
        "given": select(func.count()).select_from(Task).where(Task.assigned_on.between(start, end)),
        "reviewed": select(func.count()).select_from(Task).where(Task.reviewed_on.between(start, end)),
        "overdue": select(func.count()).select_from(Task).where(task_overdue_on(end)),
    }
    for r in ROLES:
        counts[f"held_{r.value}"] = select(func.count()).select_from(held).where(held.c.role == r)
        counts[f"sessions_{r.value}"] = select(by_role.c.n).where(by_role.c.role == r)
    return counts


def _mentoring(row: dict[str, Any]) -> Mentoring:
    n_active = row["active"] or 0
    return Mentoring(
        active_students=int(n_active),
        fully_mentored=int(row["fully"] or 0),
        missing={r.value: n_active - int(row[f"held_{r.value}"] or 0) for r in ROLES},
        sessions={r.value: int(row[f"sessions_{r.value}"] or 0) for r in ROLES},
        session_hours=float(row["minutes"] or 0) / 60,
        students_without_contact=int(row["without_contact"] or 0),
        assignments={"given": int(row["given"] or 0), "reviewed": int(row["reviewed"] or 0),
                     "overdue": int(row["overdue"] or 0)},
    )


def _read_counts(session: Session, counts: dict[str, Any]) -> dict[str, Any]:
    """Every figure of ``counts`` (name → a one-value SELECT) in one statement: one round trip, not one each."""
    names = list(counts)
    row = session.execute(select(*(counts[n].scalar_subquery().label(n) for n in names))).one()
    return dict(zip(names, row, strict=True))


def mentoring_figures(session: Session, q: Quarter) -> Mentoring:
    return _mentoring(_read_counts(session, _mentoring_counts(q)))


def curriculum_figures(session: Session, q: Quarter, out_of_band: list[StudentBandRow] | None = None,
                       plans: list[ProgrammeBalance] | None = None) -> Curriculum:
    """``out_of_band``: the list when the caller has it already (the report builds it once); ``plans``
    likewise the programme plans' balances."""
    programmes = []
    for b in (plans if plans is not None else plan_balances(session)):
        share = b.credits.share
        programmes.append(ProgrammeFigure(
            code=b.code,
            foundation_credits=float(b.credits.foundation),
            industry_credits=float(b.credits.industry),
            foundation_share=float(share) if share is not None else 0.0,
            in_band=b.in_band,
        ))
    rows = out_of_band if out_of_band is not None else students_out_of_band(session, q)
    return Curriculum(programmes, len(rows))


@dataclass
class StudentBandRow:
    student_no: str
    name: str
    programme: str
    foundation_credits: float
    industry_credits: float
    foundation_share: float
    target_share: float
    tolerance: float


def students_out_of_band(session: Session, q: Quarter) -> list[StudentBandRow]:
    """Active students whose earned credits have a foundation share outside their programme's band,
    counted only once they have at least 10 foundation + industry credits."""
    return students_out_of_band_by_quarter(session, [q])[0]


def students_out_of_band_by_quarter(session: Session, quarters: Sequence[Quarter]) -> list[list[StudentBandRow]]:
    """``students_out_of_band`` of each of ``quarters``: every quarter's earned credits in one statement
    and the students active on any of their last days in one more, each flagged by the quarters it is
    active in (two statements, whatever the number of quarters)."""
    days = [q.end for q in quarters]
    out: list[list[StudentBandRow]] = [[] for _ in quarters]
    if not quarters:
        return out
    active = [active_students(day) for day in days]
    # only the credits of the students active on one of the days: the server sums a third of the enrolments at
    # ten-year scale, the graduates' skipped
    credits = earned_credits_by_day(session, days, select(Student.id).where(or_(*active)))
    for sid, no, name, code, target, tol, *flags in session.execute(
            select(Student.id, Student.student_no, Student.name, Programme.code, Programme.target_share,
                   Programme.tolerance, *(a.label(f"active_{i}") for i, a in enumerate(active)))
            .join(Programme, Programme.id == Student.programme_id)
            .where(or_(*active)).order_by(Student.student_no)):
        for i, flag in enumerate(flags):
            c = credits[i].get(sid)
            if not flag or c is None or not c.judged or in_band(c.share, target, tol):
                continue
            out[i].append(StudentBandRow(no, name, code, c.foundation, c.industry, c.share or 0.0, target, tol))
    return out


def _transfer_counts(q: Quarter) -> dict[str, Any]:
    start, end = q.start, q.end
    decided_by_end = and_(TransferRequest.decided_on.is_not(None), TransferRequest.decided_on <= end)
    submitted = TransferRequest.submitted_on.between(start, end)
    count = select(func.count()).select_from(TransferRequest)
    return {
        "submitted": count.where(submitted),
        # by their status on the last day: a request decided after it is still pending then
        "approved": count.where(submitted, TransferRequest.status == TransferStatus.APPROVED, decided_by_end),
        "rejected": count.where(submitted, TransferRequest.status == TransferStatus.REJECTED, decided_by_end),
        "recognised": select(func.coalesce(func.sum(TransferRequest.credits), 0.0)).where(
            TransferRequest.status == TransferStatus.APPROVED, TransferRequest.decided_on.between(start, end)),
    }


def _transfers(row: dict[str, Any]) -> Transfers:
    submitted, approved, rejected = (int(row[k] or 0) for k in ("submitted", "approved", "rejected"))
    return Transfers(
        submitted=submitted,
        approved=approved,
        rejected=rejected,
        pending=submitted - approved - rejected,
        credits_recognised=float(row["recognised"] or 0.0),
    )


def transfer_figures(session: Session, q: Quarter) -> Transfers:
    return _transfers(_read_counts(session, _transfer_counts(q)))


def _competition_counts(q: Quarter) -> dict[str, Any]:
    season = select(Season.id).where(Season.year == q.year).scalar_subquery()
    counts: dict[str, Any] = {
        "season_projects": select(Season.target_projects).where(Season.year == q.year),
        "season_companies": select(Season.target_companies).where(Season.year == q.year),
        "companies": select(func.count()).select_from(Company).where(
            Company.registered_on.between(dt.date(q.year, 1, 1), q.end)),
    }
    for stage in Stage:
        counts[f"stage_{stage.value}"] = select(func.count()).select_from(Project).where(
            Project.season_id == season, Project.stage == stage)
    return counts


def _competition(q: Quarter, row: dict[str, Any]) -> Competition:
    has_season = row["season_projects"] is not None  # a season's targets are never empty
    by_stage = {s.value: 0 for s in STAGES}
    for stage in Stage:
        n = int(row[f"stage_{stage.value}"] or 0)
        if n:
            by_stage[stage.value] = n
    return Competition(
        season=q.year,
        projects=sum(by_stage.values()),
        target_projects=row["season_projects"] if has_season else DEFAULT_TARGET_PROJECTS,
        by_stage=by_stage,
        incubated_companies=int(row["companies"] or 0),
        target_companies=row["season_companies"] if has_season else DEFAULT_TARGET_COMPANIES,
    )


def competition_figures(session: Session, q: Quarter) -> Competition:
    return _competition(q, _read_counts(session, _competition_counts(q)))


def compute(session: Session, quarter: Quarter | str, out_of_band: list[StudentBandRow] | None = None,
            plans: list[ProgrammeBalance] | None = None) -> QuarterlyFigures:
    """The live figures, whatever has been issued: the mentoring, transfer and competition counts in one
    statement (a round trip each would be some thirty over the office network), then the curriculum's.
    ``plans``: the programme plans' balances when the caller has them already (they are not by quarter)."""
    q = quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)
    return compute_quarters(session, [q], plans, [out_of_band])[0]


def compute_quarters(session: Session, quarters: Sequence[Quarter], plans: list[ProgrammeBalance] | None = None,
                     out_of_band: Sequence[list[StudentBandRow] | None] | None = None) -> list[QuarterlyFigures]:
    """``compute`` of several quarters at once: all their counts in one statement, their students out of
    band from two more (``students_out_of_band_by_quarter``), the plans (not by quarter) read once.
    ``out_of_band``: per quarter, its list when the caller has it already (None: read here)."""
    known: list[list[StudentBandRow] | None] = list(out_of_band) if out_of_band is not None else [None] * len(quarters)
    counts: dict[str, Any] = {}
    for i, q in enumerate(quarters):
        counts.update({f"{i}m_{k}": v for k, v in _mentoring_counts(q).items()})
        counts.update({f"{i}t_{k}": v for k, v in _transfer_counts(q).items()})
        counts.update({f"{i}c_{k}": v for k, v in _competition_counts(q).items()})
    row = _read_counts(session, counts)
    if plans is None:
        plans = plan_balances(session)
    wanted = [i for i, rows in enumerate(known) if rows is None]
    for i, rows in zip(wanted, students_out_of_band_by_quarter(session, [quarters[i] for i in wanted]), strict=True):
        known[i] = rows
    figures = []
    for i, q in enumerate(quarters):
        part = {p: {k[len(f"{i}{p}_"):]: v for k, v in row.items() if k.startswith(f"{i}{p}_")} for p in "mtc"}
        figures.append(QuarterlyFigures(
            quarter=str(q),
            period={"start": q.start.isoformat(), "end": q.end.isoformat()},
            mentoring=_mentoring(part["m"]),
            curriculum=curriculum_figures(session, q, known[i], plans),
            transfers=_transfers(part["t"]),
            competition=_competition(q, part["c"]),
        ))
    return figures


def issued(session: Session, quarter: Quarter | str) -> IssuedReport | None:
    q = quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)
    return session.scalar(select(IssuedReport).where(IssuedReport.kind == KIND, IssuedReport.period == str(q)))


def figures(session: Session, quarter: Quarter | str, plans: list[ProgrammeBalance] | None = None
            ) -> QuarterlyFigures:
    """The quarter's figures: frozen ones once the report is issued, live ones before."""
    q = quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)
    frozen = issued(session, q)
    if frozen is not None:
        return _frozen_figures(frozen)
    return compute(session, q, plans=plans)


def _frozen_figures(frozen: IssuedReport) -> QuarterlyFigures:
    report = _verified(frozen)
    return QuarterlyFigures.from_dict(report["figures"], frozen.issued_at.isoformat(sep=" "))


@dataclass
class QuarterSummary:
    """What the dashboard shows of a quarter: its figures and the previous quarter's (no lists)."""

    figures: QuarterlyFigures
    previous: QuarterlyFigures | None


def load_summary(session: Session, quarter: Quarter | str) -> QuarterSummary:
    """The figures of ``load(session, quarter)`` and of its previous quarter, without the lists behind
    them: both quarters' issued reports looked up at once, each quarter's counts one statement."""
    q = quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)
    prev = previous_quarter(q)
    rows = {r.period: r for r in session.scalars(select(IssuedReport).where(
        IssuedReport.kind == KIND, IssuedReport.period.in_([str(q), str(prev)])))}
    row = rows.get(str(q))
    if row is not None:  # as load(): the issued report, its previous quarter as frozen with it
        report = QuarterlyReport.from_dict(_verified(row))
        report.figures.issued_at = row.issued_at.isoformat(sep=" ")
        return QuarterSummary(report.figures, report.previous)
    before = rows.get(str(prev))
    if before is not None:
        return QuarterSummary(compute(session, q), _frozen_figures(before))
    now, then = compute_quarters(session, [q, prev])  # both quarters' reads together: three statements and the plans
    return QuarterSummary(now, then)


# --------------------------------------------------------------------------- the lists behind the figures


@dataclass
class MissingRoleRow:
    student_no: str
    name: str
    programme: str
    role: str  # MentorRole value
    since: str | None  # ISO date: when the role was last held, else enrolment; None if unknown


@dataclass
class CapacityRow:
    staff_no: str
    name: str
    organisation: str
    role: str
    load: int
    capacity: int
    overridden: int  # assignments carrying a recorded capacity override


@dataclass
class TransferRow:
    student_no: str
    name: str
    university: str
    course: str
    term: str
    score: str
    status: str
    credits: float | None
    category: str | None
    submitted_on: str
    decided_on: str | None
    reason: str | None


@dataclass
class FunnelRow:
    track: str
    by_stage: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_stage.values())


@dataclass
class CompanyRow:
    name: str
    uscc: str
    project: str
    registered_on: str
    funding: float | None
    employees: int | None


@dataclass
class PartnerRow:
    """A partner company's share in the academy's work this quarter."""

    organisation: str
    industry_mentors: list[str]  # "name (hours)"
    mentor_hours: float
    courses: list[str]  # co-built courses, "code name"
    projects: list[str]  # sponsored projects of the season, "code title"
    companies: list[str]  # companies incubated from those projects


@dataclass
class QuarterlyReport:
    figures: QuarterlyFigures
    previous: QuarterlyFigures | None
    missing_roles: list[MissingRoleRow]
    over_capacity: list[CapacityRow]
    students_out_of_band: list[StudentBandRow]
    transfer_decisions: list[TransferRow]
    funnel: list[FunnelRow]
    companies: list[CompanyRow]
    ledger: list[PartnerRow]
    issued_at: str | None = None
    issued_by: str | None = None
    checksum: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["figures"] = self.figures.to_dict()
        data["previous"] = self.previous.to_dict() if self.previous else None
        for key in ("issued_at", "issued_by", "checksum"):
            data.pop(key)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> QuarterlyReport:
        return cls(
            figures=QuarterlyFigures.from_dict(data["figures"]),
            previous=QuarterlyFigures.from_dict(data["previous"]) if data.get("previous") else None,
            missing_roles=[MissingRoleRow(**r) for r in data["missing_roles"]],
            over_capacity=[CapacityRow(**r) for r in data["over_capacity"]],
            students_out_of_band=[StudentBandRow(**r) for r in data["students_out_of_band"]],
            transfer_decisions=[TransferRow(**r) for r in data["transfer_decisions"]],
            funnel=[FunnelRow(**r) for r in data["funnel"]],
            companies=[CompanyRow(**r) for r in data["companies"]],
            ledger=[PartnerRow(**r) for r in data["ledger"]],
        )


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def missing_role_rows(session: Session, q: Quarter) -> list[MissingRoleRow]:
    end = q.end
    students = session.execute(
        select(Student.id, Student.student_no, Student.name, Programme.code, Student.enrolled_on)
        .join(Programme, Programme.id == Student.programme_id)
        .where(active_students(end)).order_by(Student.student_no)).all()
    held = set(session.execute(
        select(MentorAssignment.student_id, MentorAssignment.role).where(assignment_active_on(end))).all())
    last_end = {(sid, role): day for sid, role, day in session.execute(
        select(MentorAssignment.student_id, MentorAssignment.role, func.max(MentorAssignment.end_on))
        .where(MentorAssignment.end_on <= end)
        .group_by(MentorAssignment.student_id, MentorAssignment.role))}
    rows = []
    for sid, no, name, code, enrolled in students:
        for role in ROLES:
            if (sid, role) not in held:
                since = last_end.get((sid, role)) or enrolled
                rows.append(MissingRoleRow(no, name, code, role.value, _iso(since)))
    return rows


def capacity_rows(session: Session, q: Quarter) -> list[CapacityRow]:
    from db.models import Mentor, MentorQualification, Organisation

    load = (
        select(MentorAssignment.mentor_id, MentorAssignment.role, func.count().label("n"),
               func.sum(case_override()).label("o"))
        .where(assignment_active_on(q.end))
        .group_by(MentorAssignment.mentor_id, MentorAssignment.role)
        .subquery()
    )
    rows = session.execute(
        select(Mentor.staff_no, Mentor.name, Organisation.name, load.c.role, load.c.n, MentorQualification.capacity,
               load.c.o)
        .join(load, load.c.mentor_id == Mentor.id)
        .join(Organisation, Organisation.id == Mentor.organisation_id)
        .join(MentorQualification, and_(MentorQualification.mentor_id == Mentor.id,
                                        MentorQualification.role == load.c.role))
        .where(load.c.n > MentorQualification.capacity)
        .order_by((load.c.n - MentorQualification.capacity).desc(), Mentor.staff_no))
    return [CapacityRow(no, name, org, MentorRole(role).value, int(n), int(cap), int(o or 0))
            for no, name, org, role, n, cap, o in rows]


def case_override() -> Any:
    from sqlalchemy import case

    return case((MentorAssignment.capacity_override, 1), else_=0)


def transfer_rows(session: Session, q: Quarter) -> list[TransferRow]:
    from db.models import ExternalCourse, University

    rows = session.execute(
        select(Student.student_no, Student.name, University.name, ExternalCourse.code, ExternalCourse.name,
               TransferRequest)
        .join(Student, Student.id == TransferRequest.student_id)
        .join(University, University.id == TransferRequest.university_id)
        .join(ExternalCourse, ExternalCourse.id == TransferRequest.external_course_id)
        .where(TransferRequest.decided_on.between(q.start, q.end))
        .order_by(TransferRequest.decided_on, Student.student_no))
    return [TransferRow(no, name, uni, f"{code} {cname}", r.term, r.score_text, r.status.value, r.credits,
                        r.category.value if r.category else None, r.submitted_on.isoformat(), _iso(r.decided_on),
                        r.reason)
            for no, name, uni, code, cname, r in rows]


def funnel_rows(session: Session, q: Quarter) -> list[FunnelRow]:
    season = session.scalar(select(Season).where(Season.year == q.year))
    if season is None:
        return []
    counts: dict[str, dict[str, int]] = {}
    order = [t.name for t in session.scalars(select(Track).where(Track.season_id == season.id)
                                             .order_by(Track.seq, Track.id))]
    for track in order:
        counts[track] = {s.value: 0 for s in STAGES}
    for track, stage, n in session.execute(
            select(Track.name, Project.stage, func.count()).join(Track, Track.id == Project.track_id)
            .where(Project.season_id == season.id).group_by(Track.name, Project.stage)):
        counts.setdefault(track, {s.value: 0 for s in STAGES})[stage.value] = int(n)
    return [FunnelRow(track, by) for track, by in counts.items()]


def company_rows(session: Session, q: Quarter) -> list[CompanyRow]:
    rows = session.execute(
        select(Company, Project.code).join(Project, Project.id == Company.project_id)
        .where(Company.registered_on.between(dt.date(q.year, 1, 1), q.end)).order_by(Company.registered_on))
    return [CompanyRow(c.name, c.uscc, code, c.registered_on.isoformat(), c.funding, c.employees)
            for c, code in rows]


def ledger_rows(session: Session, q: Quarter) -> list[PartnerRow]:
    from db.models import Course, Mentor, MentorQualification, Organisation, OrgKind

    hours = dict(session.execute(
        select(MentoringSession.mentor_id, func.sum(MentoringSession.minutes))
        .where(MentoringSession.held_on.between(q.start, q.end)).group_by(MentoringSession.mentor_id)).all())
    mentors: dict[int, list[tuple[str, float]]] = {}
    org_id: int | None  # an organisation's (the partner and sponsor queries below take only those set)
    for org_id, mid, name in session.execute(
            select(Mentor.organisation_id, Mentor.id, Mentor.name)
            .where(Mentor.qualifications.any(MentorQualification.role == MentorRole.INDUSTRY))
            .order_by(Mentor.staff_no)):
        mentors.setdefault(org_id, []).append((name, float(hours.get(mid, 0) or 0) / 60))
    courses: dict[int, list[str]] = {}
    for org_id, code, name in session.execute(
            select(Course.partner_id, Course.code, Course.name).where(Course.partner_id.is_not(None))
            .order_by(Course.code)):
        assert org_id is not None  # the WHERE above
        courses.setdefault(org_id, []).append(f"{code} {name}")
    projects: dict[int, list[str]] = {}
    companies: dict[int, list[str]] = {}
    season = session.scalar(select(Season).where(Season.year == q.year))
    if season is not None:
        for org_id, code, title, _pid in session.execute(
                select(Project.sponsor_id, Project.code, Project.title, Project.id)
                .where(Project.season_id == season.id, Project.sponsor_id.is_not(None)).order_by(Project.code)):
            assert org_id is not None  # the WHERE above
            projects.setdefault(org_id, []).append(f"{code} {title}")
        for org_id, name in session.execute(
                select(Project.sponsor_id, Company.name).join(Company, Company.project_id == Project.id)
                .where(Project.sponsor_id.is_not(None), Company.registered_on <= q.end)
                .order_by(Company.name)):
            assert org_id is not None  # the WHERE above
            companies.setdefault(org_id, []).append(name)
    rows = []
    for org_id, org_name, kind in session.execute(
            select(Organisation.id, Organisation.name, Organisation.kind).order_by(Organisation.name)):
        if kind is not OrgKind.COMPANY and org_id not in courses and org_id not in projects:
            continue
        ms = mentors.get(org_id, [])
        if not (ms or courses.get(org_id) or projects.get(org_id)):
            continue
        rows.append(PartnerRow(org_name, [f"{n}（{h:.1f}）" for n, h in ms], sum(h for _n, h in ms),
                               courses.get(org_id, []), projects.get(org_id, []), companies.get(org_id, [])))
    rows.sort(key=lambda r: (-r.mentor_hours, r.organisation))
    return rows


def previous_quarter(q: Quarter) -> Quarter:
    prev = Quarter(q.year - 1, 4) if q.number == 1 else Quarter(q.year, q.number - 1)
    if q.until is None:
        return prev
    # the same number of days into it as ``q`` is into itself: like is compared with like
    return Quarter(prev.year, prev.number, until=prev.start + (q.end - q.start))


def build(session: Session, quarter: Quarter | str) -> QuarterlyReport:
    """The live report: figures, the previous quarter's figures for comparison, and the lists."""
    q = quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)
    prev = previous_quarter(q)
    plans = plan_balances(session)
    frozen = issued(session, prev)
    if frozen is None:  # both quarters' figures read together, as the dashboard reads them (load_summary)
        out_of_band, before = students_out_of_band_by_quarter(session, [q, prev])
        now, then = compute_quarters(session, [q, prev], plans, [out_of_band, before])
    else:
        out_of_band = students_out_of_band(session, q)
        now, then = compute(session, q, out_of_band, plans), _frozen_figures(frozen)
    return QuarterlyReport(
        figures=now,
        previous=then,
        missing_roles=missing_role_rows(session, q),
        over_capacity=capacity_rows(session, q),
        students_out_of_band=out_of_band,
        transfer_decisions=transfer_rows(session, q),
        funnel=funnel_rows(session, q),
        companies=company_rows(session, q),
        ledger=ledger_rows(session, q),
    )


# --------------------------------------------------------------------------- issue and freeze


def checksum(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _verified(row: IssuedReport) -> dict[str, Any]:
    report: dict[str, Any] = row.data["report"]
    if checksum(report) != row.data.get("checksum"):
        raise TalentDeskError(t("The issued report for {quarter} does not match its checksum: it was changed "
                                "outside TalentDesk.", quarter=row.period))
    return report


def issue(session: Session, actor: Actor, quarter: Quarter | str) -> QuarterlyReport:
    """Freeze the quarter's report: its data and checksum are stored and never change again."""
    require_admin(actor)
    q = quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)
    if issued(session, q) is not None:
        raise TalentDeskError(t("The report for {quarter} has already been issued.", quarter=str(q)))
    report = build(session, q)
    data = report.to_dict()
    row = IssuedReport(kind=KIND, period=str(q), issued_by=actor.username,
                       data={"report": data, "checksum": checksum(data)})
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError as exc:  # another PC issued the same quarter a moment ago
        raise TalentDeskError(t("The report for {quarter} has already been issued.", quarter=str(q))) from exc
    report.issued_at, report.issued_by, report.checksum = row.issued_at.isoformat(sep=" "), actor.username, \
        row.data["checksum"]
    return report


def load(session: Session, quarter: Quarter | str) -> QuarterlyReport:
    """The issued report if there is one (verified against its checksum), else the live one."""
    q = quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)
    row = issued(session, q)
    if row is None:
        return build(session, q)
    report = QuarterlyReport.from_dict(_verified(row))
    report.figures.issued_at = report.issued_at = row.issued_at.isoformat(sep=" ")
    report.issued_by, report.checksum = row.issued_by, row.data["checksum"]
    return report


def load_for(session: Session, actor: Actor, quarter: Quarter | str) -> QuarterlyReport:
    """The quarter's report as ``actor`` may read it (DESIGN section 1): administrators any quarter
    (frozen once issued), viewers only issued quarters, mentors none. The desktop and the command line
    both ask here."""
    q = quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)
    if actor.is_mentor:
        raise PermissionDenied(t("Mentors do not read the quarterly report."))
    if not actor.is_admin and issued(session, q) is None:
        raise PermissionDenied(t("The report for {quarter} has not been issued yet; viewers can only print "
                                 "issued reports.", quarter=q))
    return load(session, q)


def issued_reports(session: Session) -> list[IssuedReport]:
    """Issued quarters (period, when, who) without loading their frozen data."""
    return list(session.scalars(select(IssuedReport).options(defer(IssuedReport.data))
                                .where(IssuedReport.kind == KIND).order_by(IssuedReport.period.desc())))
