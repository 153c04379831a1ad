"""Display names of the enumerations, in the current language (db.i18n).

Kept as (English, 中文) pairs rather than in the message catalogue: the same English word names
different things ('Submitted' is 已提交 for a task and 已报名 for a project)."""

from __future__ import annotations

import enum
from typing import Any

from .i18n import language
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

ENTITIES: dict[str, tuple[str, str]] = {
    "access_log": ("Access log", "访问日志"), "audit_log": ("Audit log", "审计日志"),
    "companies": ("Company", "孵化企业"), "company_founders": ("Company founder", "企业创始人"),
    "conflicts": ("Judge conflict", "评委回避"), "courses": ("Course", "课程"), "criteria": ("Criterion", "评分标准"),
    "enrolments": ("Enrolment", "选课记录"), "equivalence_rules": ("Equivalence rule", "互认规则"),
    "external_courses": ("External course", "外校课程"), "issued_reports": ("Issued report", "已出具报告"),
    "judge_assignments": ("Judge assignment", "评审分配"), "judges": ("Judge", "评委"),
    "mentor_assignments": ("Mentor assignment", "导师指派"), "mentor_qualifications": ("Mentor role", "导师资格"),
    "mentoring_sessions": ("Mentoring session", "指导记录"), "mentors": ("Mentor", "导师"),
    "organisations": ("Organisation", "单位"), "programme_courses": ("Programme course", "培养方案课程"),
    "programmes": ("Programme", "培养方案"), "project_members": ("Project member", "项目成员"),
    "project_mentors": ("Project mentor", "项目指导导师"), "projects": ("Project", "创赛项目"),
    "rounds": ("Judging round", "评审轮次"), "rule_external_courses": ("Rule's external course", "规则外校课程"),
    "scores": ("Judge's score", "评委打分"), "seasons": ("Season", "赛季"), "settings": ("Setting", "设置"),
    "stage_changes": ("Stage change", "阶段变更"), "students": ("Student", "学生"), "tasks": ("Assignment", "任务"),
    "terms": ("Term", "学期"), "tracks": ("Track", "赛道"), "transfer_requests": ("Credit transfer", "学分互认申请"),
    "universities": ("Alliance university", "联盟高校"), "users": ("User", "用户"),
    "demo": ("Demo data", "演示数据"),
    # the access log names what was imported or exported by its import KIND or list
    "student": ("Student", "学生"), "sessions": ("Mentoring sessions", "指导记录"),
    "assignments": ("Assignments", "任务"), "mentor-assignments": ("Mentor assignments", "导师指派"),
    "programme-courses": ("Programme courses", "培养方案课程"),
    "external-courses": ("External courses", "外校课程"), "equivalences": ("Equivalence rules", "互认规则"),
    "transfers": ("Credit transfers", "学分互认申请"), "audit": ("Audit log", "审计日志"),
    "access": ("Access log", "访问日志"), "missing_roles": ("Students missing a mentor", "缺少导师的学生"),
    "no_contact": ("Students without contact", "长期未联系的学生"),
    "workload": ("Mentor workload", "导师负荷"), "programme_balances": ("Programme balance", "培养方案课程平衡"),
    "balances": ("Students' balance", "学生课程平衡"),
}

_COLUMNS: dict[str, tuple[str, str]] = {
    "action": ("Action", "操作"), "active": ("Enabled", "启用"), "agreement_from": ("Agreement from", "协议开始"),
    "agreement_to": ("Agreement to", "协议结束"), "approved_at": ("Approved at", "批准时间"),
    "approved_by": ("Approved by", "批准人"), "assigned_on": ("Assigned on", "布置日期"),
    "capacity": ("Capacity", "指导上限"), "capacity_override": ("Over capacity", "超额指派"),
    "category": ("Category", "类别"), "changed_by": ("Changed by", "变更人"), "changed_on": ("Changed on", "变更日期"),
    "code": ("Code", "代码"), "cohort": ("Cohort", "年级"), "company_id": ("Company", "企业"),
    "course_id": ("Course", "课程"), "created_by": ("Created by", "创建人"), "credits": ("Credits", "学分"),
    "criterion_id": ("Criterion", "评分标准"), "data": ("Data", "数据"), "decided_by": ("Decided by", "审核人"),
    "decided_on": ("Decided on", "审核日期"), "description": ("Description", "说明"), "detail": ("Detail", "详情"),
    "display_name": ("Display name", "显示名称"), "drop_reason": ("Reason for dropping", "退出原因"),
    "delete_reason": ("Reason for deleting", "删除理由"), "cancelled_on": ("Cancelled on", "取消日期"),
    "cancel_reason": ("Reason for cancelling", "取消理由"), "cancelled_by": ("Cancelled by", "取消人"),
    "due_on": ("Due on", "截止日期"), "email": ("Email", "邮箱"), "employees": ("Employees", "员工数"),
    "end_on": ("End", "结束日期"), "end_reason": ("End reason", "结束原因"), "enrolled_on": ("Enrolled on", "入学日期"),
    "external_course_id": ("External course", "外校课程"), "external_name": ("Outside member", "校外成员"),
    "external_organisation": ("Outside member's organisation", "校外成员单位"),
    "failed_logins": ("Failed sign-ins", "登录失败次数"), "feedback": ("Feedback", "评语"),
    "from_stage": ("From stage", "原阶段"), "funding": ("Funding (10k yuan)", "融资额（万元）"),
    "gender": ("Gender", "性别"), "grading_scale": ("Grading scale", "评分制"), "held_on": ("Date", "日期"),
    "home_university_id": ("Home university", "所属高校"), "hours": ("Hours", "学时"),
    "hours_per_credit": ("Hours per credit", "每学分学时"), "issued_at": ("Issued at", "出具时间"),
    "issued_by": ("Issued by", "出具人"), "judge_id": ("Judge", "评委"), "key": ("Key", "键"),
    "kind": ("Kind", "类型"), "language": ("Language", "语言"), "last_login_at": ("Last sign-in", "上次登录"),
    "lead_student_id": ("Lead", "负责人"), "local_course_id": ("Local course", "本校课程"),
    "locked_until": ("Locked until", "锁定至"), "manual": ("Assigned by hand", "手动分配"),
    "max_load": ("Most projects per judge", "每位评委最多项目数"), "max_score": ("Maximum score", "满分"),
    "mentor_id": ("Mentor", "导师"), "min_score": ("Minimum score", "最低成绩"), "minutes": ("Minutes", "时长(分钟)"),
    "must_change_password": ("Must change password", "须修改密码"), "name": ("Name", "名称"),
    "normalise": ("Normalise scores", "分数标准化"), "notes": ("Notes", "记录"),
    "organisation_id": ("Organisation", "单位"), "override_reason": ("Capacity override reason", "超额指派理由"),
    "partner_id": ("Partner company", "共建企业"), "passed": ("Passed", "通过"), "passed_on": ("Passed on", "通过日期"),
    "period": ("Period", "期间"), "phone": ("Phone", "手机"), "programme_id": ("Programme", "培养方案"),
    "project_id": ("Project", "项目"), "proposed_credits": ("Proposed credits", "建议学分"),
    "provider_id": ("Taught by", "开课单位"), "reason": ("Reason", "理由"),
    "recommended_term": ("Recommended term", "建议学期"), "recorded_at": ("Recorded at", "记录时间"),
    "recorded_on": ("Recorded on", "记录日期"), "registered_on": ("Registered on", "注册日期"),
    "required": ("Required", "必修"), "reviewed_on": ("Reviewed on", "评阅日期"), "revision": ("Revision", "修订版"),
    "role": ("Role", "角色"), "round_id": ("Round", "评审轮次"), "rule_id": ("Rule", "互认规则"),
    "rule_key": ("Rule", "规则"), "score": ("Score", "成绩"), "score_text": ("Score as given", "成绩（原文）"),
    "season_id": ("Season", "赛季"), "seq": ("Order", "顺序"), "short_name": ("Short name", "简称"),
    "sponsor_id": ("Sponsor", "支持企业"), "staff_no": ("Staff no.", "工号"), "stage": ("Stage", "阶段"),
    "stage_changed_on": ("Stage changed on", "阶段变更日期"), "start_on": ("Start", "开始日期"),
    "status": ("Status", "状态"), "student_id": ("Student", "学生"), "student_no": ("Student no.", "学号"),
    "submitted_on": ("Submitted on", "提交日期"), "supersedes_id": ("Replaces rule", "替代规则"),
    "target_companies": ("Target companies", "目标孵化企业数"), "target_projects": ("Target projects", "目标项目数"),
    "target_share": ("Foundation share target", "基础课目标占比"), "term": ("Term", "学期"),
    "term_id": ("Term", "学期"),
    "title": ("Title", "名称"), "to_stage": ("To stage", "新阶段"), "tolerance": ("Tolerance", "容差"),
    "topic": ("Topic", "主题"), "track_id": ("Track", "赛道"), "transfer_cap": ("Transfer cap", "互认学分上限"),
    "university_id": ("University", "高校"), "username": ("User name", "用户名"), "uscc": ("USCC", "统一社会信用代码"),
    "valid_from": ("Valid from", "生效学期"), "valid_to": ("Valid to", "失效学期"), "value": ("Value", "值"),
    "weight": ("Weight", "权重"), "year": ("Year", "年份"),
    # the demo's summary row
    "scale": ("Scale", "规模"), "seed": ("Seed", "随机种子"), "rows": ("Rows", "行数"),
}

# where one table's column means something more particular than the generic word
_TABLE_COLUMNS: dict[tuple[str, str], tuple[str, str]] = {
    ("students", "name"): ("Name", "姓名"), ("mentors", "name"): ("Name", "姓名"), ("judges", "name"): ("Name", "姓名"),
    ("students", "status"): ("Status", "学籍状态"), ("mentors", "title"): ("Title", "职称"),
    ("tasks", "title"): ("Title", "任务名称"), ("projects", "title"): ("Title", "项目名称"),
    ("tasks", "score"): ("Score", "评分"), ("scores", "value"): ("Score", "分数"),
    ("mentoring_sessions", "kind"): ("Kind", "方式"), ("tasks", "submitted_on"): ("Submitted on", "提交日期"),
    ("projects", "submitted_on"): ("Submitted on", "报名日期"),
    ("transfer_requests", "submitted_on"): ("Submitted on", "申请日期"),
    ("tasks", "description"): ("Description", "任务说明"), ("users", "role"): ("Role", "用户角色"),
    ("mentor_assignments", "role"): ("Role", "导师类型"), ("mentor_qualifications", "role"): ("Role", "导师类型"),
}

_HIDDEN = {"id"}  # shown in the log's Record column already


def _word(pair: tuple[str, str]) -> str:
    return pair[1] if language() == "zh" else pair[0]


def entity_label(entity: str | None) -> str:
    """The audit log's ``entity`` (a table name) as the forms name it; unknown names as stored."""
    if entity is None:
        return ""
    pair = ENTITIES.get(entity)
    return _word(pair) if pair else entity


def column_label(entity: str | None, column: str) -> str:
    pair = _TABLE_COLUMNS.get((entity or "", column)) or _COLUMNS.get(column)
    return _word(pair) if pair else column


def _value_text(entity: str | None, column: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _word(("Yes", "是") if value else ("No", "否"))
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
    empty = _word(("(empty)", "（空）"))
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
