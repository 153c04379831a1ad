"""Import KINDs of enrolments (the 50/50 curriculum scheme): field specs and how a row is saved.

``enrolments``: student_no/学号*, course/课程代码*, term/学期* (2025-2026-1), score/成绩 (0–100, or
优/良/中/及格/不及格 = 95/85/75/65/50; a pass is 60 or more, or 优/良/中/及格), passed_on/通过日期 (blank:
the credits count from the end of the term). Keyed by (student_no, course, term): importing the
same row again updates that enrolment. A course outside the student's plan is imported and flagged
(a notice per row, db.curriculum.save_enrolment's warning).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from db import curriculum
from db.actor import Actor

from . import parsers as p
from .specs import EntitySpec, _f

NOTICES = "import_notices"  # session.info key: the import engine shows these as notices of the row


def _term(value: Any) -> str | None:
    """A term code, 2025-2026-1 (full-width digits and dashes tolerated; checked by the service)."""
    s = p.code(20)(value)
    if s is None:
        return None
    s = s.replace("—", "-").replace("–", "-").replace("_", "-")
    try:
        curriculum.term_bounds(s)
    except ValueError as exc:
        raise ValueError(str(exc)) from None
    return s


def _save_enrolment(session: Session, actor: Actor, values: dict[str, Any]) -> tuple[Any, bool]:
    saved = curriculum.save_enrolment(session, actor, values, upsert=True)
    if saved.warnings:
        session.info.setdefault(NOTICES, []).extend(saved.warnings)
    return saved.enrolment, saved.created


ENROLMENTS = EntitySpec(
    "enrolments", "选课成绩", "Enrolments",
    (
        _f("student_no", "学号", "Student no.", p.code(), True, ref="students"),
        _f("course", "课程代码", "Course", p.code(), True, ref="courses"),
        _f("term", "学期", "Term", _term, True,
           hint_zh="如 2025-2026-1（第 1 学期至次年 1 月 31 日，第 2 学期至 7 月 31 日）",
           hint_en="e.g. 2025-2026-1 (term 1 ends on 31 January, term 2 on 31 July)"),
        _f("score", "成绩", "Score", p.score, hint_zh="0–100，或 优/良/中/及格/不及格（≥60 或 优/良/中/及格 为通过）",
           hint_en="0–100, or 优/良/中/及格/不及格 (60 or more, or 优/良/中/及格, passes)"),
        _f("passed_on", "通过日期", "Passed on", p.date, hint_zh="留空：按学期结束日计",
           hint_en="blank: the end of the term"),
    ),
    key=("student_no", "course", "term"),
    save=_save_enrolment,
    save_many=curriculum.save_enrolments_bulk,
    examples=({"student_no": "2025010001", "course": "AGI101", "term": "2025-2026-1", "score": "优",
               "passed_on": "2026-01-15"},),
)

KINDS: tuple[EntitySpec, ...] = (ENROLMENTS,)
