"""Programmes, courses, programme plans, terms and external catalogues (base data of the 50/50
curriculum and of alliance credit recognition)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Boolean, and_, case, exists, func, null, or_, select, type_coerce
from sqlalchemy.orm import Session, aliased

from .actor import Actor
from .balance import (
    EPSILON,
    Credits,
    ProgrammeBalance,
    combine,
    earned_credit_parts,
    earned_credits,
    enrolment_credits,
    in_band,
    pass_date,
    plan_balances,
    student_credits,
)
from .dashboard import RecordSnapshot
from .errors import NotFound, PermissionDenied, TalentDeskError, ValidationError
from .errors import invalid as _invalid
from .errors import unknown as _unknown
from .i18n import t
from .mentoring import no_such_student, student_by_no
from .models import (
    Course,
    CourseCategory,
    Enrolment,
    ExternalCourse,
    OrgKind,
    Programme,
    ProgrammeCourse,
    Student,
    StudentStatus,
    Term,
    TransferRequest,
    TransferStatus,
    University,
)
from .people import organisation, organisations
from .permissions import check_student_access, require_admin
from .records import (
    RowOutcome,
    apply,
    by_keys,
    chunks,
    create_or_apply,
    current_columns,
    flush,
    get_for_update,
    record_to_save,
    save_many,
    write_many,
)

TERM_RE = re.compile(r"^(\d{4})-(\d{4})-([12])$")


def term_bounds(code: str) -> tuple[dt.date, dt.date]:
    """First and last day of a term: term 1 runs 1 Sep – 31 Jan, term 2 1 Feb – 31 Jul."""
    m = TERM_RE.match(code.strip())
    if not m or int(m.group(2)) != int(m.group(1)) + 1:
        raise ValueError(t("{value} is not a term: write it like 2025-2026-1.", value=code))
    first, second, n = int(m.group(1)), int(m.group(2)), m.group(3)
    if n == "1":
        return dt.date(first, 9, 1), dt.date(second, 1, 31)
    return dt.date(second, 2, 1), dt.date(second, 7, 31)


def term(session: Session, code: str) -> Term:
    """The term with this code, created on first use."""
    code = code.strip()
    found = session.scalar(select(Term).where(Term.code == code))
    if found is None:
        start, end = term_bounds(code)
        found = Term(code=code, start_on=start, end_on=end)
        session.add(found)
        session.flush()
    return found


def course_by_code(session: Session, code: str, field: str = "course") -> Course:
    course = session.scalar(select(Course).where(func.lower(Course.code) == code.strip().lower()))
    if course is None:
        raise _no_such_course(code, field)
    return course


def _no_such_course(code: str, field: str = "course") -> ValidationError:
    return _unknown(field, t("Course {code} does not exist.", code=code))


def _courses_by_code(session: Session, codes: Iterable[str]) -> dict[str, Any]:
    """``course_by_code`` for many codes at once: (id, code) of each code's course, keyed by the code as
    given; codes naming no course left out."""
    lowered = {code: code.strip().lower() for code in codes}
    found: dict[str, Any] = {}
    low = func.lower(Course.code)
    for chunk in chunks(sorted(set(lowered.values()))):
        for row in session.execute(select(Course.id, Course.code, low.label("low")).where(low.in_(chunk))):
            found.setdefault(row.low, row)
    return {code: found[low] for code, low in lowered.items() if low in found}


def university_by_code(session: Session, code: str, field: str = "university") -> University:
    uni = session.scalar(select(University).where(func.lower(University.code) == code.strip().lower()))
    if uni is None:
        raise _unknown(field, t("University {code} does not exist.", code=code))
    return uni


# --------------------------------------------------------------------------- programmes

PROGRAMME_KEYS = ("code", "name", "target_share", "tolerance", "transfer_cap")


def save_programme(session: Session, actor: Actor, values: dict[str, Any], *, programme_id: int | None = None,
                   expected_version: int | None = None, upsert: bool = False) -> tuple[Programme, bool]:
    require_admin(actor)
    data = {k: v for k, v in values.items() if k in PROGRAMME_KEYS}
    for key, default in (("target_share", 0.5), ("tolerance", 0.05)):
        if key in data and data[key] is None:
            data[key] = default
    if "target_share" in data and not 0 <= data["target_share"] <= 1:
        raise _invalid("target_share", t("The target share must be between 0 and 1."))
    if "tolerance" in data and not 0 <= data["tolerance"] <= 0.5:
        raise _invalid("tolerance", t("The tolerance must be between 0 and 0.5."))
    found = record_to_save(session, Programme, "code", data, record_id=programme_id,
                           expected_version=expected_version, upsert=upsert, label=t("Programme"))
    prog, created = create_or_apply(session, Programme, found, data)
    flush(session)
    return prog, created


# --------------------------------------------------------------------------- courses

COURSE_KEYS = ("code", "name", "credits", "category", "hours", "provider", "partner")


_COURSE_ORGS = (("provider", None), ("partner", OrgKind.COMPANY))


def save_course(session: Session, actor: Actor, values: dict[str, Any], *, course_id: int | None = None,
                expected_version: int | None = None, upsert: bool = False) -> tuple[Course, bool]:
    require_admin(actor)
    data = {k: v for k, v in values.items() if k in COURSE_KEYS}
    refused = _course_refusal(data)
    if refused is not None:
        raise refused
    for key, kind in _COURSE_ORGS:
        if key in data:
            name = data.pop(key)
            data[f"{key}_id"] = organisation(session, name, kind).id if name else None
    found = record_to_save(session, Course, "code", data, record_id=course_id,
                           expected_version=expected_version, upsert=upsert, label=t("Course"))
    if found is None and (refused := _new_course_refusal(data)) is not None:
        raise refused
    course, created = create_or_apply(session, Course, found, data)
    flush(session)
    return course, created


def _course_refusal(data: dict[str, Any]) -> ValidationError | None:
    if "credits" in data and (data["credits"] is None or data["credits"] <= 0):
        return _invalid("credits", t("Credits must be more than 0."))
    if "category" in data and data["category"] is None:
        return _invalid("category", t("The category is required: foundation, industry or other (基础/产业/其他)."))
    return None


def _new_course_refusal(data: dict[str, Any]) -> ValidationError | None:
    for key in ("credits", "category"):
        if key not in data:
            return _invalid(key, t("This required field is empty."))
    return None


def save_courses_bulk(session: Session, actor: Actor, rows: list[dict[str, Any]]) -> list[RowOutcome]:
    """``save_course(..., upsert=True)`` for many rows at once (the import path): the same checks and
    messages, organisations resolved through ``people.organisations``, the rest by ``records.save_many``."""
    require_admin(actor)
    datas = [{k: v for k, v in values.items() if k in COURSE_KEYS} for values in rows]
    outcomes: list[RowOutcome | None] = [None if (e := _course_refusal(d)) is None else RowOutcome(error=e)
                                         for d in datas]
    orgs = organisations(session, [(d[key], kind) for d in datas
                                   for key, kind in _COURSE_ORGS if d.get(key)])
    for data in datas:
        for key, _kind in _COURSE_ORGS:
            if key in data:
                name = data.pop(key)
                data[f"{key}_id"] = orgs[name.strip()].id if name else None
    return save_many(session, Course, "code", datas, outcomes, label=t("Course"), check_new=_new_course_refusal)


def save_programme_course(session: Session, actor: Actor, values: dict[str, Any]) -> tuple[ProgrammeCourse, bool]:
    """Put a course in a programme's plan (or update whether it is required); keyed by the pair."""
    require_admin(actor)
    from .people import programme_by_code

    prog = programme_by_code(session, values["programme"])
    course = course_by_code(session, values["course"])
    link = session.scalar(select(ProgrammeCourse).where(ProgrammeCourse.programme_id == prog.id,
                                                        ProgrammeCourse.course_id == course.id))
    data = {k: values[k] for k in ("required", "recommended_term") if values.get(k) is not None}
    created = link is None
    if link is None:
        link = ProgrammeCourse(programme_id=prog.id, course_id=course.id, **data)
        session.add(link)
    else:
        apply(link, data)
    flush(session)
    return link, created


def remove_programme_course(session: Session, actor: Actor, link_id: int, expected_version: int | None) -> None:
    require_admin(actor)
    link = get_for_update(session, ProgrammeCourse, link_id, expected_version)
    session.delete(link)
    flush(session)


def plan(session: Session, programme_id: int) -> list[ProgrammeCourse]:
    return list(session.scalars(
        select(ProgrammeCourse).join(Course).where(ProgrammeCourse.programme_id == programme_id)
        .order_by(Course.category, Course.code)))


# --------------------------------------------------------------------------- external catalogues

EXTERNAL_KEYS = ("code", "name", "credits", "hours")


def save_external_course(session: Session, actor: Actor, values: dict[str, Any], *,
                         external_id: int | None = None, expected_version: int | None = None,
                         upsert: bool = False) -> tuple[ExternalCourse, bool]:
    require_admin(actor)
    data = {k: v for k, v in values.items() if k in EXTERNAL_KEYS}
    if data.get("credits") is not None and data["credits"] < 0:
        raise _invalid("credits", t("Credits cannot be negative."))
    ext = None
    if external_id is not None:
        ext = get_for_update(session, ExternalCourse, external_id, expected_version, t("External course"))
    uni = university_by_code(session, values["university"]) if values.get("university") else (
        ext.university if ext else None)
    if uni is None:
        raise _invalid("university", t("University {code} does not exist.", code=""))
    if ext is None and upsert:
        ext = session.scalar(select(ExternalCourse).where(ExternalCourse.university_id == uni.id,
                                                          ExternalCourse.code == data.get("code")))
    if "code" in data:
        dup = session.scalar(select(ExternalCourse.id).where(
            ExternalCourse.university_id == uni.id, func.lower(ExternalCourse.code) == data["code"].lower(),
            ExternalCourse.id != (ext.id if ext else -1)))
        if dup is not None:
            msg = t("{entity} {key} already exists.", entity=t("External course"), key=data["code"])
            raise ValidationError(msg, {"code": msg})
    created = ext is None
    if ext is None:
        ext = ExternalCourse(university_id=uni.id, **data)
        session.add(ext)
    else:
        data["university_id"] = uni.id
        apply(ext, data)
    flush(session)
    return ext, created


# =========================================================================== the 50/50 balance
#
# Three levels, each with foundation credits, industry credits, the foundation share and whether it
# is within the programme's band (db.balance.in_band: |share − target| ≤ tolerance):
# - plan: the credits of all the courses of a programme's plan (db.balance.plan_balances);
# - cohort: the credits the students of one programme and cohort have passed here (enrolments
#   only: what the cohort was actually taught; every student of the cohort, whatever their status
#   now; a course passed twice by one student counts once), with the pass-date rule of earned credits;
# - student: earned credits (db.balance.earned_credits: passed enrolments plus approved recognised
#   credits). A student is only judged once they have at least balance.MIN_JUDGED_CREDITS foundation +
#   industry credits (DESIGN.md section 6, students out of band).


# The grade words of forms.parsers.score, on 0–100: 优 95, 良 85, 中 75, 及格 65, 不及格 50 (also 优秀, 良好,
# 中等, 合格, 不合格). A numeric score passes at 60 or more; a grade word passes unless it is a fail word.
FAIL_WORDS = frozenset({"不及格", "不合格"})


def passes(score_text: str | None, score: float | None) -> bool:
    """Whether an enrolment's score is a pass: 60 or more, or 优/良/中/及格 (DESIGN.md section 6)."""
    if score is None:
        return False
    if score_text is not None and not _is_number(score_text):
        return score_text not in FAIL_WORDS
    return score >= 60


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Balance:
    """Foundation vs industry credits against a band: the same shape at all three levels."""

    credits: Credits
    target_share: float
    tolerance: float

    @property
    def foundation(self) -> float:
        return self.credits.foundation

    @property
    def industry(self) -> float:
        return self.credits.industry

    @property
    def other(self) -> float:
        return self.credits.other

    @property
    def share(self) -> float | None:
        return self.credits.share

    @property
    def in_band(self) -> bool:
        return in_band(self.credits.share, self.target_share, self.tolerance)

    @property
    def judged(self) -> bool:
        """Enough foundation + industry credits for a student's share to mean something."""
        return self.credits.judged


# --------------------------------------------------------------------------- plans


@dataclass(frozen=True)
class PlanLine:
    link_id: int
    link_version: int
    course_id: int
    course_code: str
    course_name: str
    category: CourseCategory
    credits: float
    required: bool
    recommended_term: int | None


@dataclass(frozen=True)
class PlanDetail:
    """One programme's plan: its lines and their balance."""

    programme_id: int
    code: str
    name: str
    balance: Balance
    lines: list[PlanLine] = field(default_factory=list)

    @property
    def share(self) -> float | None:
        return self.balance.share

    @property
    def in_band(self) -> bool:
        return self.balance.in_band


def _no_mentors(actor: Actor) -> None:
    if actor.is_mentor:
        raise PermissionDenied(t("You do not have permission to do this."))


def _programme(session: Session, programme_id: int) -> Programme:
    prog = session.get(Programme, programme_id)
    if prog is None:
        raise NotFound(t("{entity} {key} was not found.", entity=t("Programme"), key=programme_id))
    return prog


def _credits(items: Iterable[tuple[CourseCategory, float]]) -> Credits:
    out = Credits()
    for category, credits in items:
        out = out.plus(category, credits)
    return out


def plan_detail(session: Session, actor: Actor, programme_id: int) -> PlanDetail:
    """One programme's plan with its lines and its foundation/industry balance."""
    _no_mentors(actor)
    prog = _programme(session, programme_id)
    lines = [
        PlanLine(link_id, version, course_id, code, name, cat, float(credits), bool(required), term_no)
        for link_id, version, course_id, code, name, cat, credits, required, term_no in session.execute(
            select(ProgrammeCourse.id, ProgrammeCourse.version, Course.id, Course.code, Course.name, Course.category,
                   Course.credits, ProgrammeCourse.required, ProgrammeCourse.recommended_term)
            .join(Course, ProgrammeCourse.course_id == Course.id)
            .where(ProgrammeCourse.programme_id == programme_id)
            .order_by(Course.category, Course.code))
    ]
    credits = _credits((line.category, line.credits) for line in lines)
    return PlanDetail(prog.id, prog.code, prog.name, Balance(credits, prog.target_share, prog.tolerance), lines)


def plan_balance_list(session: Session, actor: Actor) -> list[tuple[ProgrammeBalance, Balance]]:
    """Every programme's plan balance (db.balance.plan_balances), for the balance tables."""
    _no_mentors(actor)
    return [(b, Balance(b.credits, b.target_share, b.tolerance)) for b in plan_balances(session)]


# --------------------------------------------------------------------------- cohorts


@dataclass(frozen=True)
class CohortBalance:
    programme_id: int
    programme_code: str
    programme_name: str
    cohort: int
    students: int
    balance: Balance


def cohort_balances(session: Session, actor: Actor, on: dt.date,
                    programme_id: int | None = None) -> list[CohortBalance]:
    """Credits passed (by the end of day ``on``) by the students of each programme and cohort."""
    _no_mentors(actor)
    return _cohorts(session, on, enrolment_credits(session, on), programme_id)


def _cohorts(session: Session, on: dt.date, taught: dict[int, Credits],
             programme_id: int | None = None) -> list[CohortBalance]:
    """Sum each student's passed enrolments (db.balance.enrolment_credits) by programme and cohort."""
    stmt = select(Student.id, Student.programme_id, Student.cohort)
    if programme_id is not None:
        stmt = stmt.where(Student.programme_id == programme_id)
    sums: dict[tuple[int, int], list[float]] = {}
    counts: dict[tuple[int, int], int] = {}
    for sid, pid, cohort in session.connection().execute(stmt).all():  # plain rows: 20,000 at ten-year scale
        key = (pid, cohort)
        counts[key] = counts.get(key, 0) + 1
        c = taught.get(sid)
        if c is not None:
            acc = sums.setdefault(key, [0.0, 0.0, 0.0])
            acc[0] += c.foundation
            acc[1] += c.industry
            acc[2] += c.other
    progs = {p.id: p for p in session.scalars(select(Programme))}
    out = []
    for (pid, cohort), n in counts.items():
        p = progs.get(pid)
        if p is None:  # a programme deleted behind the app's back: db.integrity names these students
            continue
        credits = Credits(*sums[(pid, cohort)]) if (pid, cohort) in sums else Credits()
        out.append(CohortBalance(pid, p.code, p.name, cohort, n, Balance(credits, p.target_share, p.tolerance)))
    out.sort(key=lambda c: (c.programme_code, -c.cohort))
    return out


# --------------------------------------------------------------------------- students


@dataclass(frozen=True)
class StudentBalance:
    student_id: int
    student_no: str
    name: str
    cohort: int
    programme_code: str
    status: StudentStatus
    balance: Balance

    @property
    def out_of_band(self) -> bool:
        """Counted as out of band: judged (≥ 10 credits) and outside the programme's band."""
        return self.balance.judged and not self.balance.in_band


def student_balances(session: Session, actor: Actor, on: dt.date, *, active_only: bool = False,
                     programme_id: int | None = None, cohort: int | None = None) -> list[StudentBalance]:
    """Every student's earned credits (db.balance.earned_credits) against their programme's band."""
    _no_mentors(actor)
    return _students(session, on, None, active_only=active_only, programme_id=programme_id, cohort=cohort)


def _students(session: Session, on: dt.date, earned: dict[int, Credits] | None, *, active_only: bool = False,
              programme_id: int | None = None, cohort: int | None = None) -> list[StudentBalance]:
    stmt = (select(Student.id, Student.student_no, Student.name, Student.cohort, Student.status, Programme.code,
                   Programme.target_share, Programme.tolerance)
            .join(Programme, Programme.id == Student.programme_id).order_by(Student.student_no))
    if active_only:
        stmt = stmt.where(Student.status == StudentStatus.ACTIVE)
    if programme_id is not None:
        stmt = stmt.where(Student.programme_id == programme_id)
    if cohort is not None:
        stmt = stmt.where(Student.cohort == cohort)
    rows = session.connection().execute(stmt).all()  # plain rows: 20,000 of them without ORM row handling
    if earned is None:
        whole = programme_id is None and cohort is None
        earned = earned_credits(session, on, None if whole else [r[0] for r in rows])
    return [StudentBalance(student_id=sid, student_no=no, name=name, cohort=coh, programme_code=code, status=status,
                           balance=Balance(earned.get(sid, Credits()), target, tol))
            for sid, no, name, coh, status, code, target, tol in rows]


@dataclass(frozen=True)
class BalanceTables:
    """The balance at all three levels on one day (the curriculum page's tables and their export)."""

    on: dt.date
    plans: list[tuple[ProgrammeBalance, Balance]]
    cohorts: list[CohortBalance]
    students: list[StudentBalance]


def balance_tables(session: Session, actor: Actor, on: dt.date, *, active_only: bool = False) -> BalanceTables:
    """Plans, cohorts and students in one pass over the enrolments: a student's earned credits are
    the cohort's taught credits plus their recognised credits (db.balance.earned_credits' two parts)."""
    _no_mentors(actor)
    taught, recognised = earned_credit_parts(session, on)
    earned = combine(taught, recognised)
    return BalanceTables(on, plan_balance_list(session, actor), _cohorts(session, on, taught),
                         _students(session, on, earned, active_only=active_only))


def student_balance(session: Session, actor: Actor, student_id: int, on: dt.date) -> StudentBalance:
    """One student's earned credits and band (a mentor may read their own mentees')."""
    check_student_access(session, actor, student_id)
    st = session.get(Student, student_id)
    if st is None:
        raise NotFound(t("{entity} {key} was not found.", entity=t("Student"), key=student_id))
    prog = st.programme
    return StudentBalance(st.id, st.student_no, st.name, st.cohort, prog.code, st.status,
                          Balance(student_credits(session, st.id, on), prog.target_share, prog.tolerance))


@dataclass(frozen=True)
class EnrolmentLine:
    enrolment_id: int
    course_code: str
    course_name: str
    category: CourseCategory
    credits: float
    term: str
    score_text: str | None
    passed: bool
    passed_on: dt.date | None
    counts_from: dt.date | None  # the day the credits count from (pass date, or the term's end)
    in_plan: bool


@dataclass(frozen=True)
class RecognisedLine:
    """An approved credit recognition: where the credits came from and where they count."""

    university: str
    external_code: str
    external_name: str
    term: str
    score_text: str
    credits: float
    category: CourseCategory | None
    local_course: str | None
    decided_on: dt.date | None


@dataclass(frozen=True)
class StudentCurriculum:
    balance: StudentBalance
    enrolments: list[EnrolmentLine]
    recognised: list[RecognisedLine]
    programme_name: str


def recognised_credits(session: Session, actor: Actor, student_id: int,
                       on: dt.date | None = None) -> list[RecognisedLine]:
    """A student's approved recognised credits (decided on or before ``on``) with their source."""
    check_student_access(session, actor, student_id)
    local = aliased(Course)
    stmt = (
        select(University.name, ExternalCourse.code, ExternalCourse.name, TransferRequest.term,
               TransferRequest.score_text, TransferRequest.credits,
               func.coalesce(local.category, TransferRequest.category), local.code, TransferRequest.decided_on)
        .join(University, University.id == TransferRequest.university_id)
        .join(ExternalCourse, ExternalCourse.id == TransferRequest.external_course_id)
        .outerjoin(local, local.id == TransferRequest.local_course_id)
        .where(TransferRequest.student_id == student_id, TransferRequest.status == TransferStatus.APPROVED,
               TransferRequest.credits.is_not(None))
        .order_by(TransferRequest.decided_on, ExternalCourse.code)
    )
    if on is not None:
        stmt = stmt.where(TransferRequest.decided_on <= on)
    return [RecognisedLine(u, ec, en, term_code, score_text, float(credits or 0),
                           CourseCategory(cat) if cat is not None else None, lc, decided)
            for u, ec, en, term_code, score_text, credits, cat, lc, decided in session.execute(stmt)]


def student_curriculum(session: Session, actor: Actor, student_id: int, on: dt.date) -> StudentCurriculum:
    """Everything the student detail view's curriculum panel shows."""
    balance = student_balance(session, actor, student_id, on)
    st = session.get(Student, student_id)
    assert st is not None
    in_plan = _in_plan_expr(Student.programme_id, Enrolment.course_id)
    lines = [
        EnrolmentLine(eid, code, name, cat, float(credits), term_code, score_text, bool(passed), passed_on,
                      counts if passed else None, bool(plan))
        for eid, code, name, cat, credits, term_code, score_text, passed, passed_on, counts, plan in session.execute(
            select(Enrolment.id, Course.code, Course.name, Course.category, Course.credits, Term.code,
                   Enrolment.score_text, Enrolment.passed, Enrolment.passed_on, pass_date(), in_plan)
            .join(Course, Course.id == Enrolment.course_id)
            .join(Term, Term.id == Enrolment.term_id)
            .join(Student, Student.id == Enrolment.student_id)
            .where(Enrolment.student_id == student_id)
            .order_by(Term.start_on, Course.code))
    ]
    return StudentCurriculum(balance, lines, recognised_credits(session, actor, student_id, on), st.programme.name)


def _in_plan_expr(programme_col: Any, course_col: Any) -> Any:
    return exists().where(ProgrammeCourse.programme_id == programme_col, ProgrammeCourse.course_id == course_col)


# --------------------------------------------------------------------------- enrolments

ENROLMENT_KEYS = ("student_no", "course", "term", "score", "passed_on")


@dataclass(frozen=True)
class SavedEnrolment:
    enrolment: Enrolment
    created: bool
    warnings: tuple[str, ...] = ()


def _score(value: Any) -> tuple[str | None, float | None]:
    """The (text, value) pair of forms.parsers.score, or a bare number; checked again here."""
    if value is None or value == "":
        return None, None
    if isinstance(value, tuple):
        text, number = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
        text = str(int(number)) if number.is_integer() else str(number)
    else:
        raise _invalid("score", t("{value} is not a score: give 0–100 or 优/良/中/及格/不及格.", value=value))
    if number is None or not 0 <= float(number) <= 100:
        raise _invalid("score", t("{value} is not a score: give 0–100 or 优/良/中/及格/不及格.", value=text))
    return text, float(number)


def _term_or_error(session: Session, code: str) -> Term:
    try:
        return term(session, code)
    except ValueError as exc:
        raise _invalid("term", str(exc)) from None


def save_enrolment(session: Session, actor: Actor, values: dict[str, Any], *, enrolment_id: int | None = None,
                   expected_version: int | None = None, upsert: bool = False) -> SavedEnrolment:
    """Create or update an enrolment (a student, a course, a term, a score and a pass date).

    Refused: an unknown student, course or term; a score outside 0–100; a pass date without a
    passing score, or before the term starts; a second enrolment of the student in the same course
    and term (``upsert``, the import path, updates that one instead). Allowed but flagged: a course
    outside the student's plan (a warning in the result; the lists show it as not in plan).
    """
    require_admin(actor)
    enrolment = None
    if enrolment_id is not None:
        enrolment = get_for_update(session, Enrolment, enrolment_id, expected_version, t("Enrolment"))
    student = student_by_no(session, values["student_no"]) if values.get("student_no") else (
        enrolment.student if enrolment else None)
    course = course_by_code(session, values["course"]) if values.get("course") else (
        enrolment.course if enrolment else None)
    term_row = _term_or_error(session, values["term"]) if values.get("term") else (
        enrolment.term if enrolment else None)
    _require_enrolment_keys(student, course, term_row)
    assert student is not None and course is not None and term_row is not None
    same = session.scalar(select(Enrolment).where(
        Enrolment.student_id == student.id, Enrolment.course_id == course.id, Enrolment.term_id == term_row.id,
        Enrolment.id != (enrolment.id if enrolment else -1)))
    if same is not None:
        if upsert and enrolment is None:
            enrolment = same  # the import row updates it: what the row leaves out stays as it is
        else:
            msg = t("{student} already has an enrolment in {course} in term {term}.",
                    student=f"{student.student_no} {student.name}", course=course.code, term=term_row.code)
            raise ValidationError(msg, {"course": msg})
    data = _enrolment_data(values, enrolment, student.id, course.id, term_row)
    enrolment, created = create_or_apply(session, Enrolment, enrolment, data)
    flush(session)
    warnings: tuple[str, ...] = ()
    if not session.scalar(select(_in_plan_expr(student.programme_id, course.id))):
        warnings = (_outside_plan(course.code, student.programme.code, student.student_no),)
    return SavedEnrolment(enrolment, created, warnings)


def _require_enrolment_keys(student: Any, course: Any, term_row: Any) -> None:
    missing = {k: t("This required field is empty.") for k, v in
               (("student_no", student), ("course", course), ("term", term_row)) if v is None}
    if missing:
        raise ValidationError(next(iter(missing.values())), missing)


def _enrolment_data(values: dict[str, Any], current: Any, student_id: int, course_id: int,
                    term_row: Any) -> dict[str, Any]:
    """The columns an enrolment row sets over ``current`` (the enrolment or its columns; None: a new
    one): what the row leaves out stays as it is; the score and the pass date checked."""
    if "score" in values or current is None:
        score_text, score = _score(values.get("score"))
    else:
        score_text, score = current.score_text, current.score
    passed = passes(score_text, score)
    passed_on = values.get("passed_on") if "passed_on" in values or current is None else current.passed_on
    if passed_on is not None and not passed and "passed_on" not in values:
        passed_on = None  # a new score that fails: the pass date kept from before no longer holds
    if passed_on is not None and not passed:
        raise _invalid("passed_on", t("A pass date needs a passing score (60 or more, or 优/良/中/及格)."))
    if passed_on is not None and passed_on < term_row.start_on:
        raise _invalid("passed_on", t("The pass date {date} is before term {term} starts ({start}).",
                                      date=passed_on.isoformat(), term=term_row.code,
                                      start=term_row.start_on.isoformat()))
    return {"student_id": student_id, "course_id": course_id, "term_id": term_row.id, "score_text": score_text,
            "score": score, "passed": passed, "passed_on": passed_on}


def _outside_plan(course_code: str, programme_code: str, student_no: str) -> str:
    return t("Course {course} is not in the plan of {programme} (student {student}); the enrolment is kept and "
             "flagged as outside the plan.", course=course_code, programme=programme_code, student=student_no)


def save_enrolments_bulk(session: Session, actor: Actor, rows: list[dict[str, Any]]) -> list[RowOutcome]:
    """``save_enrolment(..., upsert=True)`` for many rows at once (the import path: a term's scores), with
    the same checks, messages and outside-the-plan notices, in a few statements instead of seven per
    row: students, courses, terms (new ones created as ``term`` creates them), the students' enrolments
    in those terms and their programmes' plans read at once; the rows written by
    ``records.write_many``. When any row is refused nothing is written; the caller rolls back."""
    require_admin(actor)
    students = by_keys(session, Student.student_no, {v["student_no"] for v in rows if v.get("student_no")},
                       Student.id, Student.name, Student.programme_id)
    courses = _courses_by_code(session, {v["course"] for v in rows if v.get("course")})
    terms: dict[str, Term | ValidationError] = {}
    for code in sorted({v["term"].strip() for v in rows if v.get("term")}):
        try:  # a file holds a term or two: one query each (a new term created, as ``term`` creates it)
            terms[code] = _term_or_error(session, code)
        except ValidationError as exc:
            terms[code] = exc
    term_ids = sorted(x.id for x in terms.values() if isinstance(x, Term))
    student_ids = sorted({st.id for st in students.values()})
    current: dict[tuple[int, int, int], Any] = {}
    for chunk in chunks(student_ids):
        for r in session.execute(current_columns(Enrolment).where(Enrolment.student_id.in_(chunk),
                                                                   Enrolment.term_id.in_(term_ids))):
            current[(r.student_id, r.course_id, r.term_id)] = r
    programme_ids = sorted({st.programme_id for st in students.values()})
    plan = {(pid, cid) for pid, cid in session.execute(select(ProgrammeCourse.programme_id, ProgrammeCourse.course_id)
                                                      .where(ProgrammeCourse.programme_id.in_(programme_ids)))}
    programme_codes = {pid: code for pid, code in session.execute(
        select(Programme.id, Programme.code).where(Programme.id.in_(programme_ids)))}
    outcomes: list[RowOutcome | None] = [None] * len(rows)
    datas, olds, notices = [], [], []
    for i, v in enumerate(rows):
        try:
            student = course = term_row = None
            if v.get("student_no"):
                student = students.get(v["student_no"])
                if student is None:
                    raise no_such_student(v["student_no"])
            if v.get("course"):
                course = courses.get(v["course"])
                if course is None:
                    raise _no_such_course(v["course"])
            if v.get("term"):
                found = terms[v["term"].strip()]
                if isinstance(found, ValidationError):
                    raise found
                term_row = found
            _require_enrolment_keys(student, course, term_row)
            assert student is not None and course is not None and term_row is not None
            old = current.get((student.id, course.id, term_row.id))
            data = _enrolment_data(v, old, student.id, course.id, term_row)
        except TalentDeskError as exc:
            outcomes[i] = RowOutcome(error=exc)
            continue
        datas.append(data)
        olds.append(old)
        notices.append(() if (student.programme_id, course.id) in plan else
                       (_outside_plan(course.code, programme_codes[student.programme_id], student.student_no),))
    if any(o is not None for o in outcomes):
        return [o or RowOutcome() for o in outcomes]
    written = write_many(session, Enrolment, datas, olds)
    return [RowOutcome(created=old is None, changed=w, notices=n) for old, w, n in zip(olds, written, notices,
                                                                                      strict=True)]


def remove_enrolment(session: Session, actor: Actor, enrolment_id: int, expected_version: int | None) -> None:
    require_admin(actor)
    enrolment = get_for_update(session, Enrolment, enrolment_id, expected_version, t("Enrolment"))
    session.delete(enrolment)
    flush(session)


def enrolment_record(session: Session, actor: Actor, enrolment_id: int) -> RecordSnapshot:
    """The values the enrolment dialog shows (field keys of the enrolments import KIND)."""
    _no_mentors(actor)
    e = session.get(Enrolment, enrolment_id)
    if e is None:
        raise NotFound(t("{entity} {key} was not found.", entity=t("Enrolment"), key=enrolment_id))
    return RecordSnapshot(e.id, e.version, {
        "student_no": e.student.student_no, "course": e.course.code, "term": e.term.code, "score": e.score_text,
        "passed_on": e.passed_on,
    }, f"{e.student.student_no} {e.student.name} · {e.course.code} {e.course.name} · {e.term.code}")


# --------------------------------------------------------------------------- what-if
#
# Hypothetical changes are applied in memory to what was read: nothing is written, flushed or
# locked, so an administrator can try anything and the dialogs can show before → after first.


@dataclass(frozen=True)
class AddCourse:
    course_id: int


@dataclass(frozen=True)
class RemoveCourse:
    course_id: int


@dataclass(frozen=True)
class ChangeCourse:
    """A course's credits and/or category changed (in every plan that has it)."""

    course_id: int
    credits: float | None = None
    category: CourseCategory | None = None


PlanChange = AddCourse | RemoveCourse | ChangeCourse


@dataclass(frozen=True)
class WhatIf:
    """A balance before and after a hypothetical change."""

    label: str  # what the balance is of: "AI-ENG 人工智能工程", "2025010001 王梓涵"
    before: Balance
    after: Balance
    notes: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return self.before.credits != self.after.credits

    @property
    def leaves_band(self) -> bool:
        return self.before.in_band and not self.after.in_band

    @property
    def enters_band(self) -> bool:
        return not self.before.in_band and self.after.in_band


def plan_what_if(session: Session, actor: Actor, programme_id: int, changes: Sequence[PlanChange]) -> WhatIf:
    """A programme plan's balance before and after ``changes`` (applied in order, in memory)."""
    _no_mentors(actor)
    detail = plan_detail(session, actor, programme_id)
    courses = {line.course_id: (line.category, line.credits) for line in detail.lines}
    needed = {c.course_id for c in changes} - set(courses)
    known = {cid: (cat, float(cr)) for cid, cat, cr in session.execute(
        select(Course.id, Course.category, Course.credits).where(Course.id.in_(needed)))} if needed else {}
    for change in changes:
        if isinstance(change, AddCourse):
            if change.course_id in courses:
                continue
            if change.course_id not in known:
                raise NotFound(t("{entity} {key} was not found.", entity=t("Course"), key=change.course_id))
            courses[change.course_id] = known[change.course_id]
        elif isinstance(change, RemoveCourse):
            courses.pop(change.course_id, None)
        else:
            for table in (courses, known):
                if change.course_id in table:
                    cat, credits = table[change.course_id]
                    table[change.course_id] = (change.category or cat,
                                               credits if change.credits is None else float(change.credits))
    before = detail.balance
    after = Balance(_credits(courses.values()), before.target_share, before.tolerance)
    return WhatIf(f"{detail.code} {detail.name}", before, after)


def apply_plan_changes(session: Session, actor: Actor, programme_id: int, changes: Sequence[PlanChange]) -> WhatIf:
    """Make the changes an administrator tried in the what-if, in order, as one unit of work (each row
    written is audited; all or nothing). Returns the balance before → after, computed on the data as it
    stands when they are applied. A course's new credits or category change it in every plan that has it
    (``plan_what_if`` says so before). Adding a course already in the plan, or removing one that is not,
    changes nothing."""
    require_admin(actor)
    result = plan_what_if(session, actor, programme_id, changes)
    links = {link.course_id: link for link in session.scalars(
        select(ProgrammeCourse).where(ProgrammeCourse.programme_id == programme_id))}
    for change in changes:
        if isinstance(change, AddCourse):
            if change.course_id not in links:
                links[change.course_id] = link = ProgrammeCourse(programme_id=programme_id, course_id=change.course_id)
                session.add(link)
        elif isinstance(change, RemoveCourse):
            removed = links.pop(change.course_id, None)
            if removed is not None:
                session.delete(removed)
        else:
            course = get_for_update(session, Course, change.course_id, None, label=t("Course"))
            data: dict[str, Any] = {}
            if change.credits is not None:
                data["credits"] = float(change.credits)
            if change.category is not None:
                data["category"] = change.category
            refused = _course_refusal(data)
            if refused is not None:
                raise refused
            apply(course, data)
        flush(session)
    return result


def course_facts(session: Session, actor: Actor) -> dict[int, tuple[CourseCategory, float]]:
    """Each course's category and credits (what a what-if starts from)."""
    _no_mentors(actor)
    return {cid: (cat, float(credits)) for cid, cat, credits in
            session.execute(select(Course.id, Course.category, Course.credits))}


def course_what_if(session: Session, actor: Actor, course_id: int, credits: float | None,
                   category: CourseCategory | None) -> list[WhatIf]:
    """A course's credits or category changed: the balance of every plan that has the course."""
    _no_mentors(actor)
    change = ChangeCourse(course_id, credits, category)
    programme_ids = list(session.scalars(select(ProgrammeCourse.programme_id).join(Programme)
                                         .where(ProgrammeCourse.course_id == course_id).order_by(Programme.code)))
    return [plan_what_if(session, actor, pid, [change]) for pid in programme_ids]


def enrolment_what_if(session: Session, actor: Actor, values: dict[str, Any], *, on: dt.date,
                      enrolment_id: int | None = None) -> WhatIf:
    """A student's earned credits on ``on`` before and after saving an enrolment (parsed values of
    the enrolments KIND; ``enrolment_id`` when editing one). Checks nothing a save would refuse."""
    _no_mentors(actor)
    old = session.get(Enrolment, enrolment_id) if enrolment_id is not None else None
    student = (student_by_no(session, values["student_no"]) if values.get("student_no")
               else (old.student if old else None))
    course = course_by_code(session, values["course"]) if values.get("course") else (old.course if old else None)
    if student is None or course is None:
        raise ValidationError(t("This required field is empty."))
    prog = student.programme
    before = Balance(student_credits(session, student.id, on), prog.target_share, prog.tolerance)
    counted = _counted_courses(session, student.id, on, exclude=enrolment_id)
    after = before.credits
    if old is not None and old.passed and old.course_id not in counted:
        old_day = old.passed_on or old.term.end_on
        if old_day <= on:
            after = after.plus(old.course.category, -float(old.course.credits))
    score_text, score = _score(values.get("score"))
    if values.get("term"):
        try:
            end = term_bounds(values["term"])[1]
        except ValueError as exc:
            raise _invalid("term", str(exc)) from None
    else:
        end = old.term.end_on if old else on
    day = values.get("passed_on") or end
    if passes(score_text, score) and day <= on and course.id not in counted:
        after = after.plus(course.category, float(course.credits))
    notes: tuple[str, ...] = ()
    if not session.scalar(select(_in_plan_expr(student.programme_id, course.id))):
        notes = (t("Course {course} is not in the plan of {programme} (student {student}); the enrolment is "
                   "kept and flagged as outside the plan.", course=course.code, programme=prog.code,
                   student=student.student_no),)
    return WhatIf(f"{student.student_no} {student.name}", before,
                  Balance(after, prog.target_share, prog.tolerance), notes)


def _counted_courses(session: Session, student_id: int, on: dt.date, exclude: int | None) -> set[int]:
    """The courses whose passed enrolments count for a student on ``on`` (other than ``exclude``)."""
    stmt = (select(Enrolment.course_id).join(Term, Term.id == Enrolment.term_id)
            .where(Enrolment.student_id == student_id, Enrolment.passed, pass_date() <= on))
    if exclude is not None:
        stmt = stmt.where(Enrolment.id != exclude)
    return set(session.scalars(stmt))


# --------------------------------------------------------------------------- list pages
#
# The curriculum page's SQL-backed lists (db.listing): programmes with their plan balance (the
# gauge column sorts by share in SQL) and enrolments. Named in db.lists.SPECS.

from . import listing as _listing  # noqa: E402  (the list registry; imports nothing of this module)
from .listing import Column as _Col  # noqa: E402
from .listing import Filter as _Filter  # noqa: E402
from .listing import ListSpec as _ListSpec  # noqa: E402
from .listing import matches as _matches  # noqa: E402

# An enrolment with no score yet (this term's course) is in progress, not failed: NULL, shown as such
_PASSED = type_coerce(case((and_(Enrolment.score_text.is_(None), Enrolment.passed.is_(False)), null()),
                           else_=Enrolment.passed), Boolean)


def _pass_text(value: bool | None) -> str:
    return t("In progress") if value is None else t("Yes") if value else t("No")


def _plan_sum(category: CourseCategory) -> Any:
    return (select(func.coalesce(func.sum(Course.credits), 0.0))
            .join(ProgrammeCourse, ProgrammeCourse.course_id == Course.id)
            .where(ProgrammeCourse.programme_id == Programme.id, Course.category == category)
            .correlate(Programme).scalar_subquery())


_plan_f = _plan_sum(CourseCategory.FOUNDATION)
_plan_i = _plan_sum(CourseCategory.INDUSTRY)
_plan_share = _plan_f / func.nullif(_plan_f + _plan_i, 0.0)
_plan_in_band = func.coalesce(func.abs(_plan_share - Programme.target_share) <= Programme.tolerance + EPSILON,
                              False)
_plan_count = _listing.PLAN_COURSES  # one definition each: the programmes list counts the same way
_student_count = _listing.ACTIVE_STUDENTS


def _staff_only(actor: Actor, stmt: Any) -> Any:
    from sqlalchemy import false

    return stmt.where(false()) if actor.is_mentor else stmt


PROGRAMME_BALANCES = _ListSpec(
    name="programme_balances",
    columns=(
        _Col("code", "Code", Programme.code, width=80),
        _Col("name", "Programme name", Programme.name, width=200),
        _Col("share", "Foundation share", _plan_share, "percent", 190),
        _Col("in_band", "In band", _plan_in_band, "bool", 70),
        _Col("foundation", "Foundation credits", _plan_f, "float", 90),
        _Col("industry", "Industry credits", _plan_i, "float", 90),
        _Col("target_share", "Target share", Programme.target_share, "percent", 100),
        _Col("tolerance", "Tolerance", Programme.tolerance, "percent", 60),
        _Col("transfer_cap", "Recognised credit cap", Programme.transfer_cap, "float", 100),
        _Col("courses", "No. of courses", _plan_count, "int", 60),
        _Col("students", "No. of students", _student_count, "int", 60),
    ),
    id_expr=Programme.id,
    version_expr=Programme.version,
    base=lambda actor: _staff_only(actor, select(Programme.id).select_from(Programme)),
    search=(Programme.code, Programme.name),
    default_sort="code",
)


def _term_options(session: Session) -> list[tuple[int, str]]:
    return [(tid, code) for tid, code in session.execute(select(Term.id, Term.code).order_by(Term.start_on.desc()))]


_enrolment_in_plan = _in_plan_expr(Student.programme_id, Enrolment.course_id)


def _category_options(_session: Session) -> list[tuple[Any, str]]:
    from .labels import label

    return [(c, label(c)) for c in CourseCategory]


def _yes_no(_session: Session) -> list[tuple[Any, str]]:
    return [(True, t("Yes")), (False, t("No"))]


def _enrolment_search(like: str, counting: bool = False) -> Any:
    """A word matches the student (number, name) or the course (code, name), found in those small
    tables first; counting probes the enrolments through both indexes (see listing.in_ids)."""
    students = select(Student.id).where(or_(_matches(Student.student_no, like), _matches(Student.name, like)))
    courses = select(Course.id).where(or_(_matches(Course.code, like), _matches(Course.name, like)))
    if counting:
        return or_(_listing.in_ids(Enrolment.student_id, students), _listing.in_ids(Enrolment.course_id, courses))
    return or_(Enrolment.student_id.in_(students), Enrolment.course_id.in_(courses))


ENROLMENTS = _ListSpec(
    name="enrolments",
    columns=(
        _Col("student_no", "Student no.", Student.student_no, width=100),
        _Col("name", "Name", Student.name, width=70),
        _Col("programme", "Programme", Programme.code, width=70),
        _Col("cohort", "Cohort", Student.cohort, "int", 50),
        _Col("course_code", "Code", Course.code, width=70),
        _Col("course", "Course name", Course.name, width=170),
        _Col("category", "Category", Course.category, "enum", 72),
        _Col("credits", "Credits", Course.credits, "float", 45),
        _Col("term", "Term", Term.code, width=85),
        _Col("score", "Score", Enrolment.score_text, width=50),
        _Col("passed", "Passed", _PASSED, "bool", 45, _pass_text),
        _Col("passed_on", "Passed on", Enrolment.passed_on, "date", 90),
        _Col("in_plan", "In plan", _enrolment_in_plan, "bool", 60),
    ),
    id_expr=Enrolment.id,
    version_expr=Enrolment.version,
    base=lambda actor: _staff_only(actor, select(Enrolment.id).select_from(Enrolment)
                                   .join(Student, Student.id == Enrolment.student_id)
                                   .join(Programme, Programme.id == Student.programme_id)
                                   .join(Course, Course.id == Enrolment.course_id)
                                   .join(Term, Term.id == Enrolment.term_id)),
    search=(Student.student_no, Student.name, Course.code, Course.name),
    # 300,000 rows at ten-year scale: count without the joins, search students and courses first
    count_base=lambda actor: _staff_only(actor, select(Enrolment.id).select_from(Enrolment)),
    search_where=lambda like: _enrolment_search(like),
    count_search_where=lambda like: _enrolment_search(like, counting=True),
    sort_drivers=(
        ("term", Term, Term.id == Enrolment.term_id),
        ("student_no", Student, Student.id == Enrolment.student_id),
        ("name", Student, Student.id == Enrolment.student_id),
        ("course_code", Course, Course.id == Enrolment.course_id),
        ("course", Course, Course.id == Enrolment.course_id),
    ),
    filters=(
        _Filter("term", "Term", _term_options, lambda s, v: s.where(Enrolment.term_id == v)),
        _Filter("category", "Category", _category_options, lambda s, v: s.where(Course.category == v)),
        _Filter("passed", "Pass status", _yes_no, lambda s, v: s.where(Enrolment.passed.is_(v))),
        _Filter("in_plan", "In or outside the plan", _yes_no,
                lambda s, v: s.where(_enrolment_in_plan if v else ~_enrolment_in_plan)),
    ),
    default_sort="term",
    default_descending=True,
)
