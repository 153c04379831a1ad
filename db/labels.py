"""Display names of the enumerations, and the audit log in words, in the current language (db.i18n).

The enumerations' names are kept here as (English, 中文) pairs, not in the message catalogue: they are
the academy's vocabulary (DESIGN.md), shown in the app and written in and read from every spreadsheet
(an import file says 学术 or 已评阅), so they are part of the file format and no translator's edit may
change them. The audit log's table and column names are ordinary messages (db/locale/zh_CN.po, in the
contexts 'entity', 'column' and 'column of TABLE')."""

from __future__ import annotations

import enum
from typing import Any

from .i18n import language, t, tc
from .models import (
    Base,
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


# --------------------------------------------------------------------------- the audit log in words
# The audit log stores what changed by table and column name (DESIGN.md §4: entity, id, old → new);
# the log's page tells it in the words of the forms.

ENTITIES: dict[str, str] = {  # English; tc('entity', …)
    "access_log": "Access log", "audit_log": "Audit log",
    "companies": "Company", "company_founders": "Company founder",
    "conflicts": "Judge conflict", "courses": "Course", "criteria": "Criterion",
    "enrolments": "Enrolment", "equivalence_rules": "Equivalence rule",
    "external_courses": "External course", "issued_reports": "Issued report",
    "judge_assignments": "Judge assignment", "judges": "Judge",
    "mentor_assignments": "Mentor assignment", "mentor_qualifications": "Mentor role",
    "mentoring_sessions": "Mentoring session", "mentors": "Mentor",
    "organisations": "Organisation", "programme_courses": "Programme course",
    "programmes": "Programme", "project_members": "Project member",
    "project_mentors": "Project mentor", "projects": "Project",
    "rounds": "Judging round", "rule_external_courses": "Rule's external course",
    "scores": "Judge's score", "seasons": "Season", "settings": "Setting",
    "stage_changes": "Stage change", "students": "Student", "tasks": "Assignment",
    "terms": "Term", "tracks": "Track", "transfer_requests": "Credit transfer",
    "universities": "Alliance university", "users": "User",
    "demo": "Demo data",
    # the access log names what was imported or exported by its import KIND or list
    "student": "Student", "sessions": "Mentoring sessions",
    "assignments": "Assignments", "mentor-assignments": "Mentor assignments",
    "programme-courses": "Programme courses",
    "external-courses": "External courses", "equivalences": "Equivalence rules",
    "transfers": "Credit transfers", "audit": "Audit log",
    "access": "Access log", "missing_roles": "Students missing a mentor",
    "no_contact": "Students without contact",
    "workload": "Mentor workload", "programme_balances": "Programme balance",
    "balances": "Students' balance",
}

_COLUMNS: dict[str, str] = {  # English; tc('column', …)
    "action": "Action", "active": "Enabled", "agreement_from": "Agreement from",
    "agreement_to": "Agreement to", "approved_at": "Approved at",
    "approved_by": "Approved by", "assigned_on": "Assigned on",
    "capacity": "Capacity", "capacity_override": "Over capacity",
    "category": "Category", "changed_by": "Changed by", "changed_on": "Changed on",
    "code": "Code", "cohort": "Cohort", "company_id": "Company",
    "course_id": "Course", "created_by": "Created by", "credits": "Credits",
    "criterion_id": "Criterion", "data": "Data", "decided_by": "Decided by",
    "decided_on": "Decided on", "description": "Description", "detail": "Detail",
    "display_name": "Display name", "drop_reason": "Reason for dropping",
    "delete_reason": "Reason for deleting", "cancelled_on": "Cancelled on",
    "cancel_reason": "Reason for cancelling", "cancelled_by": "Cancelled by",
    "due_on": "Due on", "email": "Email", "employees": "Employees",
    "end_on": "End", "end_reason": "End reason", "enrolled_on": "Enrolled on",
    "external_course_id": "External course", "external_name": "Outside member",
    "external_organisation": "Outside member's organisation",
    "failed_logins": "Failed sign-ins", "feedback": "Feedback",
    "from_stage": "From stage", "funding": "Funding (10k yuan)",
    "gender": "Gender", "grading_scale": "Grading scale", "held_on": "Date",
    "home_university_id": "Home university", "hours": "Hours",
    "hours_per_credit": "Hours per credit", "issued_at": "Issued at",
    "issued_by": "Issued by", "judge_id": "Judge", "key": "Key",
    "kind": "Kind", "language": "Language", "last_login_at": "Last sign-in",
    "lead_student_id": "Lead", "local_course_id": "Local course",
    "locked_until": "Locked until", "manual": "Assigned by hand",
    "max_load": "Most projects per judge", "max_score": "Maximum score",
    "mentor_id": "Mentor", "min_score": "Minimum score", "minutes": "Minutes",
    "must_change_password": "Must change password", "name": "Name",
    "normalise": "Normalise scores", "notes": "Notes",
    "organisation_id": "Organisation", "override_reason": "Capacity override reason",
    "partner_id": "Partner company", "passed": "Passed", "passed_on": "Passed on",
    "period": "Period", "phone": "Phone", "programme_id": "Programme",
    "project_id": "Project", "proposed_credits": "Proposed credits",
    "provider_id": "Taught by", "reason": "Reason",
    "recommended_term": "Recommended term", "recorded_at": "Recorded at",
    "recorded_on": "Recorded on", "registered_on": "Registered on",
    "required": "Required", "reviewed_on": "Reviewed on", "revision": "Revision",
    "role": "Role", "round_id": "Round", "rule_id": "Rule",
    "rule_key": "Rule code", "score": "Score", "score_text": "Score as given",
    "season_id": "Season", "seq": "Order", "short_name": "Short name",
    "sponsor_id": "Sponsor", "staff_no": "Staff no.", "stage": "Stage",
    "stage_changed_on": "Stage changed on", "start_on": "Start",
    "status": "Status", "student_id": "Student", "student_no": "Student no.",
    "submitted_on": "Submitted on", "supersedes_id": "Replaces rule",
    "target_companies": "Target companies", "target_projects": "Target projects",
    "target_share": "Foundation share target", "term": "Term",
    "term_id": "Term",
    "title": "Title", "to_stage": "To stage", "tolerance": "Tolerance",
    "topic": "Topic", "track_id": "Track", "transfer_cap": "Transfer cap",
    "university_id": "University", "username": "User name", "uscc": "USCC",
    "valid_from": "Valid from", "valid_to": "Valid to", "value": "Value",
    "weight": "Weight", "year": "Year",
    # the demo's summary row
    "scale": "Scale", "seed": "Seed", "rows": "Rows",
}

# where one table's column means something more particular than the generic word
_TABLE_COLUMNS: dict[tuple[str, str], str] = {  # English; tc('column of TABLE', …)
    ("students", "name"): "Name", ("mentors", "name"): "Name", ("judges", "name"): "Name",
    ("students", "status"): "Status", ("mentors", "title"): "Title", ("tasks", "title"): "Title",
    ("projects", "title"): "Title", ("tasks", "score"): "Score", ("scores", "value"): "Score",
    ("mentoring_sessions", "kind"): "Kind", ("tasks", "submitted_on"): "Submitted on",
    ("projects", "submitted_on"): "Submitted on", ("transfer_requests", "submitted_on"): "Submitted on",
    ("tasks", "description"): "Description", ("users", "role"): "Role", ("mentor_assignments", "role"): "Role",
    ("mentor_qualifications", "role"): "Role",
}

_HIDDEN = {"id"}  # shown in the log's Record column already


def entity_label(entity: str | None) -> str:
    """The audit log's ``entity`` (a table name) as the forms name it; unknown names as stored."""
    if entity is None:
        return ""
    name = ENTITIES.get(entity)
    return tc("entity", name) if name else entity


def column_label(entity: str | None, column: str) -> str:
    particular = _TABLE_COLUMNS.get((entity or "", column))
    if particular:
        return tc(f"column of {entity}", particular)
    name = _COLUMNS.get(column)
    return tc("column", name) if name else column


def _value_text(entity: str | None, column: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return t("Yes") if value else t("No")
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int) and column.endswith("_id"):
        return f"#{value}"  # another record, by its number (the log's Record column)
    if isinstance(value, str):
        table = Base.metadata.tables.get(entity or "")
        enum_class = getattr(table.c[column].type, "enum_class", None) if table is not None and column in table.c \
            else None
        if enum_class is not None:
            try:
                return label(enum_class(value))
            except ValueError:
                return value
        return value if len(value) <= 40 else value[:39] + "…"
    if isinstance(value, dict):
        return "、".join(f"{entity_label(k) if k in ENTITIES else k} {v:,}" if isinstance(v, int) else f"{k} {v}"
                        for k, v in value.items())
    return str(value)


def change_text(changes: Any, entity: str | None = None) -> str:
    """An audit row's ``changes`` (of a record of table ``entity``) in words: ``{column: [old, new]}`` as
    "姓名：郝思 → 王浩然；…", a new record's values without the empty side ("姓名：林晓雨"), a deleted
    one's likewise; a bulk summary ``{key: value}`` as "规模：1；…"."""
    if not isinstance(changes, dict):
        return "" if changes is None else str(changes)
    pairs = [v for v in changes.values() if isinstance(v, list) and len(v) == 2]
    added = bool(pairs) and all(old is None for old, _ in pairs)
    removed = bool(pairs) and all(new is None for _, new in pairs)
    colon, sep = ("：", "；") if language() == "zh" else (": ", "; ")
    empty = t("(empty)")
    parts = []
    for column, v in changes.items():
        if column in _HIDDEN:
            continue
        name = column_label(entity, column)
        if isinstance(v, list) and len(v) == 2:
            old, new = (_value_text(entity, column, x) for x in v)
            if added or removed:
                parts.append(f"{name}{colon}{new if added else old}")
            else:
                parts.append(f"{name}{colon}{old or empty} → {new or empty}")
        else:
            parts.append(f"{name}{colon}{_value_text(entity, column, v)}")
    return sep.join(parts)
