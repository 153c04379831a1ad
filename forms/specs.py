"""One field spec per entity, shared by the edit dialogs and the Excel import (Qt-free).

A ``Field`` knows its key (the English column key of DESIGN.md section 5), its Chinese and English
labels, how to parse what a person typed, whether it is required, and — for enumerations — the
words a template's drop-down list offers. An ``EntitySpec`` adds how to save one parsed row through
the service of its scheme, so a dialog and an import row pass exactly the same checks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from db import curriculum, mentoring, people
from db.actor import Actor
from db.i18n import language, t
from db.models import (
    CourseCategory,
    Gender,
    MentorRole,
    SessionKind,
    StudentStatus,
    TaskStatus,
)
from db.records import RowOutcome

from . import parsers as p


@dataclass(frozen=True)
class Field:
    key: str
    zh: str
    en: str
    parse: Callable[[Any], Any]
    required: bool = False
    choices: Sequence[str] = ()
    hint_zh: str = ""
    hint_en: str = ""
    width: int = 14  # template column width, in characters
    is_date: bool = False
    # the records this field names (a key of db.lookups.READERS: "programmes", "organisations" …): the
    # edit dialog offers them in a picker that still takes typed text; the import ignores it
    ref: str = ""
    multiline: bool = False  # free text long enough for a paragraph: the dialog gives it several lines
    # a field naming several records (a project's members): the separator the dialog puts after each
    # record chosen from its picker ("、", or "+" for the external courses a rule combines)
    multi: str = ""
    within: str = ""  # the field whose value narrows the picker's search (a rule's courses: its 高校代码)

    @property
    def label(self) -> str:
        return self.zh if language() == "zh" else self.en

    @property
    def hint(self) -> str:
        return self.hint_zh if language() == "zh" else self.hint_en


SaveFn = Callable[[Session, Actor, dict[str, Any]], tuple[Any, bool]]
SaveManyFn = Callable[[Session, Actor, list[dict[str, Any]]], list[RowOutcome]]


@dataclass(frozen=True)
class EntitySpec:
    kind: str
    zh: str
    en: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]  # natural key: a second import of the same row updates, never duplicates
    save: SaveFn | None = None  # None: the KIND's import arrives with its scheme's issue
    examples: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    # the order rows are saved in (e.g. assignments by start date, so a later one replaces an earlier)
    order: Callable[[dict[str, Any]], Any] | None = None
    # optional: the service's bulk twin of ``save`` (same checks, same messages, a few statements for
    # all rows); the import engine uses it when offered and falls back to ``save`` row by row
    save_many: SaveManyFn | None = None
    # optional: called once after the last row (in the same transaction) for what a file decides as a
    # whole; returns refusals as (row number, error)
    finish: Callable[[Session], list[tuple[int | None, Any]]] | None = None
    # rows with the same natural key are distinct records (two sessions of one mentor with one student
    # on one day, on one topic): the n-th such row of a file is the n-th such record ("occurrence")
    repeatable: bool = False

    @property
    def label(self) -> str:
        return self.zh if language() == "zh" else self.en

    def field(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)


def _f(key: str, zh: str, en: str, parse: Callable[[Any], Any], required: bool = False, **kw: Any) -> Field:
    if getattr(parse, "enum_cls", None) is not None and "choices" not in kw:
        kw["choices"] = tuple(p.choice_words(parse.enum_cls))  # type: ignore[attr-defined]
    if parse is p.date:
        kw.setdefault("is_date", True)
        kw.setdefault("hint_zh", "如 2025-09-01")
        kw.setdefault("hint_en", "e.g. 2025-09-01")
    return Field(key, zh, en, parse, required, **kw)


ROLE_EXTRA = {"学术": MentorRole.ACADEMIC, "产业": MentorRole.INDUSTRY, "学业": MentorRole.STUDY}
GENDER = p.choice(Gender)
STATUS = p.choice(StudentStatus)
ROLES = p.choice_list(MentorRole, ROLE_EXTRA)
CATEGORY = p.choice(CourseCategory, {"基础课": CourseCategory.FOUNDATION, "AGI前沿基础课": CourseCategory.FOUNDATION,
                                     "产业应用课": CourseCategory.INDUSTRY, "产业课": CourseCategory.INDUSTRY})


_ONE_CAPACITY = p.integer(0, 200)


def _capacity(value: Any) -> int | dict[Any, int] | None:
    """指导上限: one number for every role (8), or each role's own (学术:8、学业:6)."""
    text = p.clean(value) if isinstance(value, str) else ""
    if not re.search(r"[:：]", text):
        return _ONE_CAPACITY(value)
    out: dict[Any, int] = {}
    for part in (x for x in re.split(r"[、,，;；]+", text) if x.strip()):
        role_text, _sep, number = part.replace("：", ":").partition(":")
        try:
            role, n = ROLE(role_text.strip()), _ONE_CAPACITY(number.strip())
        except ValueError:
            role = n = None
        if role is None or n is None:
            raise ValueError(t("Write one capacity, or each role's as 学术:8、学业:6 (not {value}).", value=part))
        out[role] = n
    return out


def _save_student(s: Session, a: Actor, v: dict[str, Any]) -> tuple[Any, bool]:
    return people.save_student(s, a, v, upsert=True)


def _save_mentor(s: Session, a: Actor, v: dict[str, Any]) -> tuple[Any, bool]:
    return people.save_mentor(s, a, v, upsert=True)


def _save_programme(s: Session, a: Actor, v: dict[str, Any]) -> tuple[Any, bool]:
    return curriculum.save_programme(s, a, v, upsert=True)


def _save_course(s: Session, a: Actor, v: dict[str, Any]) -> tuple[Any, bool]:
    return curriculum.save_course(s, a, v, upsert=True)


def _save_university(s: Session, a: Actor, v: dict[str, Any]) -> tuple[Any, bool]:
    return people.save_university(s, a, v, upsert=True)


def _save_external(s: Session, a: Actor, v: dict[str, Any]) -> tuple[Any, bool]:
    return curriculum.save_external_course(s, a, v, upsert=True)


STUDENTS = EntitySpec(
    "students", "学生", "Students",
    (
        _f("student_no", "学号", "Student no.", p.code(), True),
        _f("name", "姓名", "Name", p.text(60), True),
        _f("cohort", "年级", "Cohort", p.year, True, hint_zh="入学年份，如 2025", hint_en="year of entry, e.g. 2025"),
        _f("programme", "培养方案", "Programme", p.code(), True, hint_zh="方案代码", hint_en="programme code",
           ref="programmes"),
        _f("gender", "性别", "Gender", GENDER),
        _f("status", "学籍状态", "Status", STATUS, hint_zh="默认 在读", hint_en="default active"),
        _f("home_university", "所属高校", "Home university", p.text(120), width=18,
           ref="universities-as-organisations"),
        _f("enrolled_on", "入学日期", "Enrolled on", p.date),
        _f("phone", "手机", "Mobile", p.mobile),
        _f("email", "邮箱", "E-mail", p.email, width=24),
    ),
    key=("student_no",),
    save=_save_student,
    save_many=people.save_students_bulk,
    examples=({"student_no": "2025010001", "name": "王梓涵", "cohort": 2025, "programme": "AI-ENG",
               "gender": "女", "status": "在读", "home_university": "重庆大学", "enrolled_on": "2025-09-01",
               "phone": "13812345678", "email": "wangzh@example.cn"},),
)

MENTORS = EntitySpec(
    "mentors", "导师", "Mentors",
    (
        _f("staff_no", "工号", "Staff no.", p.code(), True),
        _f("name", "姓名", "Name", p.text(60), True),
        _f("organisation", "单位", "Organisation", p.text(120), True, width=18, ref="organisations"),
        _f("roles", "导师类型", "Roles", ROLES, True, choices=("学术", "产业", "学业"),
           hint_zh="学术、产业、学业，可填多个，用、分隔",
           hint_en="academic, industry, study; several separated by 、"),
        _f("title", "职称", "Title", p.text(60)),
        _f("capacity", "指导上限", "Capacity", _capacity,
           hint_zh="每种类型的指导人数上限，默认 8；各类型不同时写 学术:8、学业:6",
           hint_en="mentees per role, default 8; per role: 学术:8、学业:6"),
        _f("phone", "手机", "Mobile", p.mobile),
        _f("email", "邮箱", "E-mail", p.email, width=24),
    ),
    key=("staff_no",),
    save=_save_mentor,
    save_many=people.save_mentors_bulk,
    examples=({"staff_no": "HW0001", "name": "陈建国", "organisation": "华为技术有限公司", "roles": "产业",
               "title": "高级工程师", "capacity": 8, "phone": "13912345678", "email": "chenjg@example.cn"},),
)

PROGRAMMES = EntitySpec(
    "programmes", "培养方案", "Programmes",
    (
        _f("code", "方案代码", "Code", p.code(), True),
        _f("name", "方案名称", "Name", p.text(120), True, width=24),
        _f("target_share", "基础课目标占比", "Target share", p.number(0, 1, percent_ok=True),
           hint_zh="默认 0.5（即 50%）", hint_en="default 0.5 (50 %)"),
        _f("tolerance", "容差", "Tolerance", p.number(0, 0.5, percent_ok=True),
           hint_zh="默认 0.05（即 ±5 个百分点）", hint_en="default 0.05 (±5 points)"),
        _f("transfer_cap", "互认学分上限", "Recognised credit cap", p.number(0, 500)),
    ),
    key=("code",),
    save=_save_programme,
    examples=({"code": "AI-ENG", "name": "人工智能工程（产教融合）", "target_share": 0.5, "tolerance": 0.05,
               "transfer_cap": 20},),
)

COURSES = EntitySpec(
    "courses", "课程", "Courses",
    (
        _f("code", "课程代码", "Code", p.code(), True),
        _f("name", "课程名称", "Name", p.text(120), True, width=24),
        _f("credits", "学分", "Credits", p.number(0, 60), True),
        _f("category", "课程类别", "Category", CATEGORY, True),
        _f("hours", "学时", "Hours", p.integer(0, 2000)),
        _f("provider", "开课单位", "Taught by", p.text(120), width=18, ref="organisations"),
        _f("partner", "共建企业", "Co-building company", p.text(120), width=18,
           ref="companies-as-organisations"),
    ),
    key=("code",),
    save=_save_course,
    save_many=curriculum.save_courses_bulk,
    examples=({"code": "AGI101", "name": "大模型原理", "credits": 3, "category": "基础", "hours": 48,
               "provider": "重庆大学", "partner": ""},),
)

PROGRAMME_COURSES = EntitySpec(
    "programme-courses", "培养方案课程", "Programme plans",
    (
        _f("programme", "方案代码", "Programme", p.code(), True, ref="programmes"),
        _f("course", "课程代码", "Course", p.code(), True, ref="courses"),
        _f("required", "必修", "Required", p.boolean, choices=("是", "否"), hint_zh="是/否，默认 是",
           hint_en="yes/no, default yes"),
    ),
    key=("programme", "course"),
    save=curriculum.save_programme_course,
    examples=({"programme": "AI-ENG", "course": "AGI101", "required": "是"},),
)

UNIVERSITIES = EntitySpec(
    "universities", "联盟高校", "Alliance universities",
    (
        _f("code", "高校代码", "Code", p.code(), True),
        _f("name", "高校名称", "Name", p.text(120), True, width=20),
        _f("hours_per_credit", "每学分学时", "Hours per credit", p.number(1, 100), hint_zh="默认 16",
           hint_en="default 16"),
        _f("agreement_from", "协议开始", "Agreement from", p.date),
        _f("agreement_to", "协议结束", "Agreement to", p.date),
    ),
    key=("code",),
    save=_save_university,
    examples=({"code": "CQU", "name": "重庆大学", "hours_per_credit": 16, "agreement_from": "2024-09-01",
               "agreement_to": "2029-08-31"},),
)

EXTERNAL_COURSES = EntitySpec(
    "external-courses", "外校课程", "External courses",
    (
        _f("university", "高校代码", "University", p.code(), True, ref="universities"),
        _f("code", "课程代码", "Code", p.code(), True),
        _f("name", "课程名称", "Name", p.text(120), True, width=24),
        _f("credits", "学分", "Credits", p.number(0, 60), True),
        _f("hours", "学时", "Hours", p.integer(0, 2000)),
    ),
    key=("university", "code"),
    save=_save_external,
    examples=({"university": "CQU", "code": "CS3101", "name": "机器学习", "credits": 3, "hours": 48},),
)

ROLE = p.choice(MentorRole, ROLE_EXTRA)

MENTOR_ASSIGNMENTS = EntitySpec(
    "mentor-assignments", "导师指派", "Mentor assignments",
    (
        _f("student_no", "学号", "Student no.", p.code(), True),
        _f("staff_no", "工号", "Staff no.", p.code(), True),
        _f("role", "导师类型", "Role", ROLE, True, choices=("学术", "产业", "学业")),
        _f("start", "开始日期", "Start", p.date, True),
        _f("end", "结束日期", "End", p.date, hint_zh="不再担任的第一天；留空表示仍在指导",
           hint_en="first day no longer in the role; blank while current"),
    ),
    key=("student_no", "staff_no", "role", "start"),
    save=mentoring.import_assignment,
    examples=({"student_no": "2025010001", "staff_no": "HW0001", "role": "产业", "start": "2025-09-15", "end": ""},),
    order=lambda v: v["start"],
)

SESSIONS = EntitySpec(
    "sessions", "指导记录", "Mentoring sessions",
    (
        _f("staff_no", "工号", "Staff no.", p.code(), True),
        _f("student_no", "学号", "Student no.", p.code(), True),
        _f("date", "日期", "Date", p.date, True),
        # the range is the service's rule (db.mentoring.save_session), so the dialog and the import
        # report the same words
        _f("minutes", "时长(分钟)", "Minutes", p.integer(), True, hint_zh="1–1440", hint_en="1–1440"),
        _f("kind", "方式", "Kind", p.choice(SessionKind), hint_zh="默认 面谈", hint_en="default in person"),
        _f("topic", "主题", "Topic", p.text(200), width=24),
    ),
    key=("staff_no", "student_no", "date", "topic"),
    repeatable=True,
    save=lambda s, a, v: mentoring.save_session(s, a, v, upsert=True),
    save_many=mentoring.save_sessions_bulk,
    examples=({"staff_no": "HW0001", "student_no": "2025010001", "date": "2025-10-12", "minutes": 60,
               "kind": "企业现场", "topic": "车载数据平台实习指导"},),
)

ASSIGNMENTS = EntitySpec(
    "assignments", "指导任务", "Assignments",
    (
        _f("staff_no", "工号", "Staff no.", p.code(), True),
        _f("student_no", "学号", "Student no.", p.code(), True),
        _f("title", "任务名称", "Title", p.text(200), True, width=24),
        _f("assigned_on", "布置日期", "Assigned on", p.date, True),
        _f("due_on", "截止日期", "Due on", p.date, True),
        _f("status", "状态", "Status", p.choice(TaskStatus), hint_zh="默认 已布置", hint_en="default assigned"),
        _f("submitted_on", "提交日期", "Submitted on", p.date),
        _f("reviewed_on", "评阅日期", "Reviewed on", p.date),
        _f("score", "评分", "Score", p.number(0, 100)),
        _f("feedback", "评语", "Feedback", p.text(2000), width=30),
    ),
    key=("staff_no", "student_no", "title", "assigned_on"),
    save=lambda s, a, v: mentoring.save_task(s, a, v, upsert=True),
    save_many=mentoring.save_tasks_bulk,
    examples=({"staff_no": "CQU0001", "student_no": "2025010001", "title": "文献综述：多模态大模型",
               "assigned_on": "2025-10-08", "due_on": "2025-10-31", "status": "已评阅", "submitted_on": "2025-10-30",
               "reviewed_on": "2025-11-03", "score": 88, "feedback": "结构清晰，补充近两年的工作。"},),
)

BASE_SPECS: tuple[EntitySpec, ...] = (STUDENTS, MENTORS, PROGRAMMES, COURSES, PROGRAMME_COURSES, UNIVERSITIES,
                                      EXTERNAL_COURSES, MENTOR_ASSIGNMENTS, SESSIONS, ASSIGNMENTS)

ALL_KINDS = ("students", "mentors", "mentor-assignments", "sessions", "assignments", "programmes", "courses",
             "programme-courses", "enrolments", "universities", "external-courses", "equivalences", "transfers",
             "projects", "companies")

# Each scheme keeps its import KINDs in its own module (forms/kinds_<scheme>.py, a KINDS tuple). They
# import Field and EntitySpec from here, so the registry is built on first use (PEP 562), not at import.
SCHEME_MODULES = ("kinds_curriculum", "kinds_alliance", "kinds_competition")


if TYPE_CHECKING:  # made on first use by __getattr__ below
    SPECS: dict[str, EntitySpec]
    PENDING_KINDS: tuple[str, ...]


def _build_registry() -> dict[str, EntitySpec]:
    specs = {s.kind: s for s in BASE_SPECS}
    for module in SCHEME_MODULES:
        for spec in import_module(f"{__package__}.{module}").KINDS:
            specs[spec.kind] = spec
    return specs


def __getattr__(name: str) -> Any:
    if name in ("SPECS", "PENDING_KINDS"):
        specs = _build_registry()
        globals()["SPECS"] = specs
        # the KINDs whose import arrives with their scheme's issue keep their place in the contract
        globals()["PENDING_KINDS"] = tuple(k for k in ALL_KINDS if k not in specs)
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def parse_values(spec: EntitySpec, raw: dict[str, Any], present: set[str] | None = None
                 ) -> tuple[dict[str, Any], dict[str, str]]:
    """Parse one record's raw values. Returns (values, errors by field key).

    ``present`` lists the keys the source actually has (an import file's columns); absent optional
    fields are left out so that re-importing a narrower file does not blank them.
    """
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in spec.fields:
        if present is not None and f.key not in present:
            if f.required:
                errors[f.key] = t("This required field is empty.")
            continue
        try:
            value = f.parse(raw.get(f.key))
        except ValueError as exc:
            errors[f.key] = str(exc)
            continue
        if value is None and f.required:
            errors[f.key] = t("This required field is empty.")
            continue
        values[f.key] = value
    return values, errors
