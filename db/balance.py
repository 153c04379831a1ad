"""The 50/50 balance: foundation vs industry credits and whether a share is within its band.

This is the ONE place that computes a student's earned credits (DESIGN.md section 6): the curriculum
pages, the student record, the quarterly figures and the what-if all call ``earned_credits``.

Earned credits on day d
- passed enrolments (the stored ``passed`` flag: score ≥ 60, or 优/良/中/及格) whose pass date is on
  or before d; an enrolment without a pass date counts from the end of its term (term 1 ends on
  31 January, term 2 on 31 July); a course passed twice counts once;
- plus the credits of approved credit-recognition requests decided on or before d, under the
  category of the local course the rule maps to, or the rule's category credit.
Only foundation and industry credits count in the share; 'other' is kept for completeness.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, select, true, union_all
from sqlalchemy.orm import Session

from .batch import read_together
from .models import (
    Course,
    CourseCategory,
    Enrolment,
    Programme,
    ProgrammeCourse,
    Term,
    TransferRequest,
    TransferStatus,
)

EPSILON = 1e-9  # 0.55 - 0.5 is 0.050000000000000044 in floating point: the edge is in band
# A student's share is judged only once they have at least this many foundation + industry credits
# (DESIGN.md section 6, students out of band); 1.2 + 3.4 + 3.8 + 1.6 is 9.999999999999998 in floating
# point, so the comparison allows EPSILON like in_band does.
MIN_JUDGED_CREDITS = 10.0


@dataclass(frozen=True)
class Credits:
    foundation: float = 0.0
    industry: float = 0.0
    other: float = 0.0

    @property
    def counted(self) -> float:
        """Foundation + industry: the credits the 50/50 split is about."""
        return self.foundation + self.industry

    @property
    def judged(self) -> bool:
        """At least MIN_JUDGED_CREDITS foundation + industry credits: enough for the share to mean something."""
        return self.counted >= MIN_JUDGED_CREDITS - EPSILON

    @property
    def share(self) -> float | None:
        """Foundation ÷ (foundation + industry), or None when there is nothing to divide."""
        return self.foundation / self.counted if self.counted > 0 else None

    def plus(self, category: CourseCategory, credits: float) -> Credits:
        if category is CourseCategory.FOUNDATION:
            return Credits(self.foundation + credits, self.industry, self.other)
        if category is CourseCategory.INDUSTRY:
            return Credits(self.foundation, self.industry + credits, self.other)
        return Credits(self.foundation, self.industry, self.other + credits)


def in_band(share: float | None, target: float, tolerance: float) -> bool:
    """|share − target| ≤ tolerance; no credits at all is not in band."""
    return share is not None and abs(share - target) <= tolerance + EPSILON


def pass_date() -> ColumnElement[dt.date]:
    """SQL expression: the day an enrolment's credits count from."""
    return func.coalesce(Enrolment.passed_on, Term.end_on)


_Sums = Select[Any]  # (student id, foundation, industry, other credits [, the same for more days])
# students: a list of ids, or a SELECT of ids (e.g. the students active on a day: the server narrows the enrolments
# it sums to theirs), or None for every student
Students = Iterable[int] | Select[Any] | None


def _by_category(category: Any, credits: Any, when: Any = None) -> list[ColumnElement[Any]]:
    """sum(credits) of foundation, industry, other: one row per student (not one per student and category: a
    third of the rows, and no category text to turn back into an enum per row), ``when`` narrowing the rows."""
    def part(test: Any) -> ColumnElement[Any]:
        return func.sum(case((and_(test, when) if when is not None else test, credits)))
    return [part(category == CourseCategory.FOUNDATION), part(category == CourseCategory.INDUSTRY),
            part(category.not_in([CourseCategory.FOUNDATION, CourseCategory.INDUSTRY]))]


def _within(column: Any, ids: list[int] | Select[Any] | None) -> ColumnElement[bool]:
    """``column`` among ``ids`` (every row when None)."""
    return true() if ids is None else column.in_(ids)


def _ids(student_ids: Students) -> list[int] | Select[Any] | None:
    return student_ids if student_ids is None or isinstance(student_ids, Select) else list(student_ids)


def _enrolment_sums(on: dt.date, ids: list[int] | Select[Any] | None) -> _Sums:
    """(student, foundation, industry, other) of the passed enrolments counted by the end of day ``on`` (a course
    passed twice counts once)."""
    sub = (select(Enrolment.student_id, Enrolment.course_id)
           .join(Term, Term.id == Enrolment.term_id)
           .where(Enrolment.passed, pass_date() <= on, _within(Enrolment.student_id, ids))
           .distinct()).subquery()
    return (select(sub.c.student_id, *_by_category(Course.category, Course.credits))
            .join(Course, Course.id == sub.c.course_id)
            .group_by(sub.c.student_id))


def _recognised_sums(on: dt.date, ids: list[int] | Select[Any] | None) -> _Sums:
    """(student, foundation, industry, other) of the approved recognised credits decided on or before ``on``, under
    the category of the local course or of the rule's category credit (a request with neither counts nowhere)."""
    local = Course.__table__.alias("local_course")
    category = func.coalesce(local.c.category, TransferRequest.category)
    return (select(TransferRequest.student_id, *_by_category(category, TransferRequest.credits))
            .outerjoin(local, local.c.id == TransferRequest.local_course_id)
            .where(TransferRequest.status == TransferStatus.APPROVED, TransferRequest.decided_on <= on,
                   TransferRequest.credits.is_not(None), category.is_not(None),
                   _within(TransferRequest.student_id, ids))
            .group_by(TransferRequest.student_id))


def _enrolment_sums_by_day(days: Sequence[dt.date], ids: list[int] | Select[Any] | None) -> Select[Any]:
    """(student, foundation, industry, other by the end of days[0], the same of days[1] …): ``_enrolment_sums`` of
    every day in one pass over the enrolments. A course counts from the first day it was passed (so a course
    passed twice counts once); a sum is None for a student with none of its category yet."""
    sub = (select(Enrolment.student_id, Enrolment.course_id, func.min(pass_date()).label("first"))
           .join(Term, Term.id == Enrolment.term_id)
           .where(Enrolment.passed, pass_date() <= max(days), _within(Enrolment.student_id, ids))
           .group_by(Enrolment.student_id, Enrolment.course_id)).subquery()
    return (select(sub.c.student_id,
                   *(column for day in days for column in _by_category(Course.category, Course.credits,
                                                                        sub.c.first <= day)))
            .join(Course, Course.id == sub.c.course_id)
            .group_by(sub.c.student_id))


def _credits(foundation: Any, industry: Any, other: Any) -> Credits:
    return Credits(float(foundation or 0), float(industry or 0), float(other or 0))


def _sums(session: Session, parts: list[_Sums]) -> list[dict[int, Credits]]:
    """The (student, foundation, industry, other) rows of ``parts`` in one statement (a round trip each would be
    one per part over the office network), as credits per student, one dict per part. Plain rows (no ORM row
    handling: 20,000 students at ten-year scale)."""
    if not parts:
        return []
    out: list[dict[int, Credits]] = [{} for _ in parts]
    tagged = [part.add_columns(literal(i).label("part")) for i, part in enumerate(parts)]
    for student_id, foundation, industry, other, i in session.connection().execute(
            tagged[0] if len(tagged) == 1 else union_all(*tagged)).all():
        out[i][student_id] = _credits(foundation, industry, other)
    return out


def enrolment_credits(session: Session, on: dt.date, student_ids: Students = None) -> dict[int, Credits]:
    """The first part of earned credits: passed enrolments counted by the end of day ``on`` (a course
    passed twice counts once). Also what a cohort was taught here (the cohort level of the balance)."""
    return _sums(session, [_enrolment_sums(on, _ids(student_ids))])[0]


def recognised_credit_sums(session: Session, on: dt.date, student_ids: Students = None) -> dict[int, Credits]:
    """The second part of earned credits: approved recognised credits decided on or before ``on``,
    under the category of the local course or of the rule's category credit."""
    return _sums(session, [_recognised_sums(on, _ids(student_ids))])[0]


def earned_credit_parts(session: Session, on: dt.date, student_ids: Students = None
                        ) -> tuple[dict[int, Credits], dict[int, Credits]]:
    """Both parts of earned credits on ``on`` (enrolments, recognised) in one statement."""
    ids = _ids(student_ids)
    taught, recognised = _sums(session, [_enrolment_sums(on, ids), _recognised_sums(on, ids)])
    return taught, recognised


def earned_credits_by_day(session: Session, days: Sequence[dt.date], student_ids: Students = None
                          ) -> list[dict[int, Credits]]:
    """``earned_credits`` on each of ``days`` (in their order), both parts of every day in one statement, the
    enrolments read once for all the days (the home page compares two, the quarterly report more)."""
    ids = _ids(student_ids)
    days = list(days)
    if len(days) < 2:  # DISTINCT is the quicker way to count a course passed twice once on one day (SQLite: 1.4×)
        return [combine(*earned_credit_parts(session, day, ids)) for day in days]
    enrolled, *recognised = read_together(
        session, [_enrolment_sums_by_day(days, ids), *(_recognised_sums(day, ids) for day in days)])
    out: list[dict[int, Credits]] = [{} for _ in days]
    for student_id, *sums in enrolled:
        for i in range(len(days)):
            f, n, o = sums[3 * i:3 * i + 3]
            if f is not None or n is not None or o is not None:
                out[i][student_id] = _credits(f, n, o)
    return [combine(out[i], {sid: _credits(f, n, o) for sid, f, n, o in rows}) for i, rows in enumerate(recognised)]


def combine(*parts: dict[int, Credits]) -> dict[int, Credits]:
    """Add per-student credits (e.g. enrolment_credits and recognised_credit_sums)."""
    out: dict[int, Credits] = {}
    for part in parts:
        for student_id, c in part.items():
            have = out.get(student_id)
            out[student_id] = c if have is None else Credits(have.foundation + c.foundation,
                                                             have.industry + c.industry, have.other + c.other)
    return out


def earned_credits(session: Session, on: dt.date, student_ids: Students = None) -> dict[int, Credits]:
    """Earned credits by category for each student with any, as of the end of day ``on`` (one statement)."""
    return earned_credits_by_day(session, [on], student_ids)[0]


def student_credits(session: Session, student_id: int, on: dt.date) -> Credits:
    return earned_credits(session, on, [student_id]).get(student_id, Credits())


@dataclass(frozen=True)
class ProgrammeBalance:
    programme_id: int
    code: str
    name: str
    target_share: float
    tolerance: float
    credits: Credits

    @property
    def share(self) -> float | None:
        return self.credits.share

    @property
    def in_band(self) -> bool:
        return in_band(self.credits.share, self.target_share, self.tolerance)


def plan_balances(session: Session) -> list[ProgrammeBalance]:
    """Each programme's plan: the credits of all its courses, by category (ordered by code). One
    statement: the programmes with their sums beside them."""
    sums = (
        select(ProgrammeCourse.programme_id, Course.category, func.sum(Course.credits).label("credits"))
        .join(Course, Course.id == ProgrammeCourse.course_id)
        .group_by(ProgrammeCourse.programme_id, Course.category)
        .subquery()
    )
    rows = session.execute(
        select(Programme.id, Programme.code, Programme.name, Programme.target_share, Programme.tolerance,
               sums.c.category, sums.c.credits)
        .outerjoin(sums, sums.c.programme_id == Programme.id)
        .order_by(Programme.code, Programme.id)
    )
    plans: dict[int, tuple[str, str, float, float]] = {}
    credits: dict[int, Credits] = {}
    for pid, code, name, target, tolerance, category, total in rows:
        plans.setdefault(pid, (code, name, target, tolerance))
        have = credits.setdefault(pid, Credits())
        if category is not None:
            credits[pid] = have.plus(CourseCategory(category), float(total or 0))
    return [ProgrammeBalance(pid, code, name, target, tolerance, credits[pid])
            for pid, (code, name, target, tolerance) in plans.items()]
