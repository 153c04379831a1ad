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

from sqlalchemy import ColumnElement, Select, case, func, literal, select, union_all
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


_Sums = Select[Any, Any, Any]  # (student id, category, credits)


def _enrolment_sums(on: dt.date, ids: list[int] | None) -> _Sums:
    """(student, category, credits) of the passed enrolments counted by the end of day ``on`` (a course
    passed twice counts once)."""
    passed = (
        select(Enrolment.student_id, Enrolment.course_id)
        .join(Term, Term.id == Enrolment.term_id)
        .where(Enrolment.passed, pass_date() <= on)
        .distinct()
    )
    if ids is not None:
        passed = passed.where(Enrolment.student_id.in_(ids))
    sub = passed.subquery()
    return (select(sub.c.student_id, Course.category, func.sum(Course.credits))
            .join(Course, Course.id == sub.c.course_id)
            .group_by(sub.c.student_id, Course.category))


def _recognised_sums(on: dt.date, ids: list[int] | None) -> _Sums:
    """(student, category, credits) of the approved recognised credits decided on or before ``on``, under
    the category of the local course or of the rule's category credit."""
    local = Course.__table__.alias("local_course")
    category = func.coalesce(local.c.category, TransferRequest.category)
    recognised: _Sums = (
        select(TransferRequest.student_id, category, func.sum(TransferRequest.credits))
        .outerjoin(local, local.c.id == TransferRequest.local_course_id)
        .where(TransferRequest.status == TransferStatus.APPROVED, TransferRequest.decided_on <= on,
               TransferRequest.credits.is_not(None))
        .group_by(TransferRequest.student_id, category)
    )
    if ids is not None:
        recognised = recognised.where(TransferRequest.student_id.in_(ids))
    return recognised


def _enrolment_sums_by_day(days: Sequence[dt.date], ids: list[int] | None) -> Select[Any]:
    """(student, category, credits by the end of days[0], of days[1] …): ``_enrolment_sums`` of every day in one
    pass over the enrolments. A course counts from the first day it was passed (so a course passed twice counts
    once); the day's credits are None for a student and category with none yet."""
    first = (select(Enrolment.student_id, Enrolment.course_id, func.min(pass_date()).label("first"))
             .join(Term, Term.id == Enrolment.term_id)
             .where(Enrolment.passed, pass_date() <= max(days))
             .group_by(Enrolment.student_id, Enrolment.course_id))
    if ids is not None:
        first = first.where(Enrolment.student_id.in_(ids))
    sub = first.subquery()
    return (select(sub.c.student_id, Course.category,
                   *(func.sum(case((sub.c.first <= day, Course.credits))).label(f"credits_{i}")
                     for i, day in enumerate(days)))
            .join(Course, Course.id == sub.c.course_id)
            .group_by(sub.c.student_id, Course.category))


_PLACE = {CourseCategory.FOUNDATION: 0, CourseCategory.INDUSTRY: 1}  # else: other


def _add(into: dict[int, list[float]], student_id: int, category: Any, credits: Any) -> None:
    """Add a (student, category, credits) row to the student's [foundation, industry, other]: plain lists, made
    Credits once per student (a Credits per row was half the time of the home page's quarter comparison at
    ten-year scale, 400,000 rows; issue #25)."""
    if category is None:  # a recognised request with neither a local course nor a category
        return
    cat = category if isinstance(category, CourseCategory) else CourseCategory(category)
    sums = into.get(student_id)
    if sums is None:
        sums = into[student_id] = [0.0, 0.0, 0.0]
    sums[_PLACE.get(cat, 2)] += float(credits or 0)


def _credits(sums: dict[int, list[float]]) -> dict[int, Credits]:
    return {student_id: Credits(*s) for student_id, s in sums.items()}


def _sums(session: Session, parts: list[_Sums]) -> list[dict[int, Credits]]:
    """The (student, category, credits) rows of ``parts`` in one statement (a round trip each would be one
    per part over the office network), as credits per student, one dict per part."""
    if not parts:
        return []
    out: list[dict[int, list[float]]] = [{} for _ in parts]
    tagged = [part.add_columns(literal(i).label("part")) for i, part in enumerate(parts)]
    rows = session.execute(tagged[0] if len(tagged) == 1 else union_all(*tagged)).all()  # fetchall: not row by row
    for student_id, category, credits, i in rows:
        _add(out[i], student_id, category, credits)
    return [_credits(part) for part in out]


def enrolment_credits(session: Session, on: dt.date, student_ids: Iterable[int] | None = None
                      ) -> dict[int, Credits]:
    """The first part of earned credits: passed enrolments counted by the end of day ``on`` (a course
    passed twice counts once). Also what a cohort was taught here (the cohort level of the balance)."""
    ids = None if student_ids is None else list(student_ids)
    return _sums(session, [_enrolment_sums(on, ids)])[0]


def recognised_credit_sums(session: Session, on: dt.date, student_ids: Iterable[int] | None = None
                           ) -> dict[int, Credits]:
    """The second part of earned credits: approved recognised credits decided on or before ``on``,
    under the category of the local course or of the rule's category credit."""
    ids = None if student_ids is None else list(student_ids)
    return _sums(session, [_recognised_sums(on, ids)])[0]


def earned_credits_by_day(session: Session, days: Sequence[dt.date], student_ids: Iterable[int] | None = None
                          ) -> list[dict[int, Credits]]:
    """``earned_credits`` on each of ``days`` (in their order), both parts of every day in one statement, the
    enrolments read once for all the days (the home page compares two, the quarterly report more)."""
    ids = None if student_ids is None else list(student_ids)
    days = list(days)
    if len(days) < 2:  # DISTINCT is the quicker way to count a course passed twice once on one day (SQLite: 1.4×)
        return [combine(*_sums(session, [_enrolment_sums(day, ids), _recognised_sums(day, ids)])) for day in days]
    enrolled, *recognised = read_together(
        session, [_enrolment_sums_by_day(days, ids), *(_recognised_sums(day, ids) for day in days)])
    out: list[dict[int, list[float]]] = [{} for _ in days]
    for student_id, category, *by_day in enrolled:
        for i, credits in enumerate(by_day):
            if credits is not None:
                _add(out[i], student_id, category, credits)
    for i, rows in enumerate(recognised):
        for student_id, category, credits in rows:
            _add(out[i], student_id, category, credits)
    return [_credits(sums) for sums in out]


def combine(*parts: dict[int, Credits]) -> dict[int, Credits]:
    """Add per-student credits (e.g. enrolment_credits and recognised_credit_sums)."""
    out: dict[int, Credits] = {}
    for part in parts:
        for student_id, c in part.items():
            have = out.get(student_id)
            out[student_id] = c if have is None else Credits(have.foundation + c.foundation,
                                                             have.industry + c.industry, have.other + c.other)
    return out


def earned_credits(session: Session, on: dt.date, student_ids: Iterable[int] | None = None) -> dict[int, Credits]:
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
