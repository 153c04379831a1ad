"""Programmes, courses, programme plans, terms and external catalogues (base data of the 50/50
curriculum and of alliance credit recognition)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .auth import Actor, require_admin
from .errors import ValidationError
from .i18n import register, t
from .models import Course, CourseCategory, ExternalCourse, OrgKind, Programme, ProgrammeCourse, Term, University
from .people import guess_org_kind, organisation
from .records import apply, ensure_unique, flush, get_for_update

register(
    {
        "Programme": "培养方案",
        "Course": "课程",
        "External course": "外校课程",
        "Course {code} does not exist.": "课程 {code} 不存在。",
        "University {code} does not exist.": "联盟高校 {code} 不存在。",
        "{value} is not a term: write it like 2025-2026-1.": "{value} 不是有效学期，应写成 2025-2026-1 这样。",
        "The target share must be between 0 and 1.": "基础课目标占比必须在 0 到 1 之间。",
        "The tolerance must be between 0 and 0.5.": "容差必须在 0 到 0.5 之间。",
        "Credits cannot be negative.": "学分不能为负数。",
    }
)

TERM_RE = re.compile(r"^(\d{4})-(\d{4})-([12])$")


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError(t("{field}: {reason}", field=field, reason=message), {field: message})


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
        raise _invalid(field, t("Course {code} does not exist.", code=code))
    return course


def university_by_code(session: Session, code: str, field: str = "university") -> University:
    uni = session.scalar(select(University).where(func.lower(University.code) == code.strip().lower()))
    if uni is None:
        raise _invalid(field, t("University {code} does not exist.", code=code))
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
    prog = None
    if programme_id is not None:
        prog = get_for_update(session, Programme, programme_id, expected_version, t("Programme"))
    elif upsert and data.get("code"):
        prog = session.scalar(select(Programme).where(Programme.code == data["code"]))
    if "code" in data:
        ensure_unique(session, Programme, "code", data["code"], label=t("Programme"),
                      exclude_id=prog.id if prog else None)
    created = prog is None
    if created:
        prog = Programme(**data)
        session.add(prog)
    else:
        apply(prog, data)
    flush(session)
    return prog, created


# --------------------------------------------------------------------------- courses

COURSE_KEYS = ("code", "name", "credits", "category", "hours", "provider", "partner")


def save_course(session: Session, actor: Actor, values: dict[str, Any], *, course_id: int | None = None,
                expected_version: int | None = None, upsert: bool = False) -> tuple[Course, bool]:
    require_admin(actor)
    data = {k: v for k, v in values.items() if k in COURSE_KEYS}
    if data.get("credits") is not None and data["credits"] < 0:
        raise _invalid("credits", t("Credits cannot be negative."))
    for key, kind in (("provider", None), ("partner", OrgKind.COMPANY)):
        if key in data:
            name = data.pop(key)
            data[f"{key}_id"] = organisation(session, name, kind or guess_org_kind(name)).id if name else None
    course = None
    if course_id is not None:
        course = get_for_update(session, Course, course_id, expected_version, t("Course"))
    elif upsert and data.get("code"):
        course = session.scalar(select(Course).where(Course.code == data["code"]))
    if "code" in data:
        ensure_unique(session, Course, "code", data["code"], label=t("Course"),
                      exclude_id=course.id if course else None)
    created = course is None
    if created:
        course = Course(**data)
        session.add(course)
    else:
        apply(course, data)
    flush(session)
    return course, created


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
    if created:
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
    if created:
        ext = ExternalCourse(university_id=uni.id, **data)
        session.add(ext)
    else:
        data["university_id"] = uni.id
        apply(ext, data)
    flush(session)
    return ext, created
