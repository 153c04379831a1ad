"""Display names of the enumerations, in the current language (db.i18n).

Kept as (English, 中文) pairs rather than in the message catalogue: the same English word names
different things ('Submitted' is 已提交 for a task and 已报名 for a project)."""

from __future__ import annotations

import enum

from .i18n import language
from .models import (
    CourseCategory,
    Gender,
    MentorRole,
    Role,
    RuleKind,
    RuleStatus,
    SessionKind,
    Stage,
    StudentStatus,
    TaskStatus,
    TransferStatus,
)

# value -> (English, 中文). The Chinese words are the ones administrators use (DESIGN.md).
_NAMES: list[tuple[enum.Enum, tuple[str, str]]] = [
    (Role.ADMIN, ("Administrator", "管理员")),
    (Role.MENTOR, ("Mentor", "导师")),
    (Role.VIEWER, ("Viewer (read-only)", "只读")),
    (MentorRole.ACADEMIC, ("Academic mentor", "学术导师")),
    (MentorRole.INDUSTRY, ("Industry mentor", "产业导师")),
    (MentorRole.STUDY, ("Study mentor", "学业导师")),
    (StudentStatus.ACTIVE, ("Active", "在读")),
    (StudentStatus.SUSPENDED, ("Suspended", "休学")),
    (StudentStatus.GRADUATED, ("Graduated", "毕业")),
    (StudentStatus.WITHDRAWN, ("Withdrawn", "退学")),
    (Gender.MALE, ("Male", "男")),
    (Gender.FEMALE, ("Female", "女")),
    (SessionKind.IN_PERSON, ("In person", "面谈")),
    (SessionKind.ONLINE, ("Online", "线上")),
    (SessionKind.ONSITE, ("On site at the company", "企业现场")),
    (TaskStatus.ASSIGNED, ("Assigned", "已布置")),
    (TaskStatus.SUBMITTED, ("Submitted", "已提交")),
    (TaskStatus.REVIEWED, ("Reviewed", "已评阅")),
    (CourseCategory.FOUNDATION, ("Foundation", "基础")),
    (CourseCategory.INDUSTRY, ("Industry", "产业")),
    (CourseCategory.OTHER, ("Other", "其他")),
    (RuleStatus.DRAFT, ("Draft", "草稿")),
    (RuleStatus.APPROVED, ("Approved", "已批准")),
    (RuleStatus.RETIRED, ("Retired", "已停用")),
    (RuleKind.COURSE, ("Course to course", "课程对课程")),
    (RuleKind.COMBINED, ("Several courses to one", "多门对一门")),
    (RuleKind.CATEGORY, ("Category credit", "类别学分")),
    (TransferStatus.PENDING, ("Pending", "待审")),
    (TransferStatus.APPROVED, ("Approved", "通过")),
    (TransferStatus.REJECTED, ("Rejected", "驳回")),
    (Stage.SUBMITTED, ("Submitted", "已报名")),
    (Stage.SCREENED, ("Screened", "初审通过")),
    (Stage.ROADSHOW, ("Roadshow", "路演")),
    (Stage.FINALIST, ("Finalist", "决赛")),
    (Stage.AWARDED, ("Awarded", "获奖")),
    (Stage.INCUBATING, ("Incubating", "孵化中")),
    (Stage.INCORPORATED, ("Incorporated", "已注册企业")),
    (Stage.DROPPED, ("Dropped", "已退出")),
]

# str-valued enums compare equal across classes ("industry"), so key by (class, value)
_BY_TYPE = {(type(m), m.value): names for m, names in _NAMES}


def label(value: enum.Enum | None) -> str:
    if value is None:
        return ""
    names = _BY_TYPE.get((type(value), value.value))
    if not names:
        return str(value.value)
    return names[1] if language() == "zh" else names[0]


def chinese(value: enum.Enum) -> str:
    return _BY_TYPE[(type(value), value.value)][1]


def english(value: enum.Enum) -> str:
    return _BY_TYPE[(type(value), value.value)][0]
