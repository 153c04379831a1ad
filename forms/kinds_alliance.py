"""Import KINDs of equivalences, transfers (alliance credit recognition): field specs and how a row is saved.

``equivalences``: university/高校代码*, external/外校课程代码* (several separated by +: all of them
together map to one local course), local/本校课程代码 or category/认定类别 (one of the two),
credits/认定学分 (blank: converted from hours with the university's hours per credit),
min_score/最低成绩 (default 60), valid_from/生效学期, valid_to/失效学期. A rule agreed on paper arrives
approved; windows of one external course must not overlap. Keyed by (university, external,
valid_from): the same row imported again changes nothing; other values change a rule no request has used
yet (a used one only its last term); a later first term than the approved rule of the same course(s)
makes a new version of it, closing the old one at the term before (said as a notice of the row).

``transfers``: student_no/学号*, university/高校代码*, external/外校课程代码*, term/学期*, score/成绩*
(on the university's grading scale), submitted_on/申请日期*, and for decisions already taken:
status/状态 (待审, 通过, 驳回), credits/认定学分 (fewer than proposed needs a reason), decided_on/审核日期,
reason/理由 (required for a rejection). Historical decisions pass the same checks as today's
(double counting, the programme's cap); rows are saved in the order they were decided. Keyed by
(student_no, university, external, term).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from db import alliance
from db.actor import Actor
from db.curriculum import term_bounds
from db.i18n import t
from db.models import EquivalenceRule, TransferStatus

from . import parsers as p
from .specs import CATEGORY, EntitySpec, _f


def _term(value: Any) -> str | None:
    """A term code like 2025-2026-1 (full-width digits and dashes tolerated)."""
    s = p.code(20)(value)
    if s is None:
        return None
    s = s.replace("—", "-").replace("–", "-").replace("_", "-")
    term_bounds(s)  # ValueError with the message the row shows
    return s


def _save_rule(session: Session, actor: Actor, values: dict[str, Any]) -> tuple[Any, bool]:
    rule, created = alliance.import_rule(session, actor, values)
    if created and rule.supersedes_id is not None:
        old = session.get(EquivalenceRule, rule.supersedes_id)
        assert old is not None
        session.info.setdefault("import_notices", []).append(t(
            "Rule {key} has a new version {revision} from {start}; version {old} now ends with {end}.",
            key=rule.rule_key, revision=rule.revision, start=rule.valid_from, old=old.revision, end=old.valid_to))
    return rule, created


def _externals(value: Any) -> str | None:
    """One external course code, or several joined by +."""
    s = p.text(200)(value)
    if s is None:
        return None
    return "+".join(alliance.external_codes(s))


EQUIVALENCES = EntitySpec(
    "equivalences", "互认规则", "Equivalence rules",
    (
        _f("university", "高校代码", "University", p.code(), True, ref="universities"),
        _f("external", "外校课程代码", "External course", _externals, True, width=18, ref="external-courses",
           multi="+", within="university",
           hint_zh="多门课程合并认定一门本校课程时用 + 连接，如 MA201+MA305",
           hint_en="several courses that together map to one local course joined by +, e.g. MA201+MA305"),
        _f("local", "本校课程代码", "Local course", p.code(), hint_zh="与 认定类别 二选一",
           hint_en="or the category, not both", ref="courses"),
        _f("category", "认定类别", "Category", CATEGORY, hint_zh="基础/产业/其他；与 本校课程代码 二选一",
           hint_en="foundation/industry/other; or the local course"),
        _f("credits", "认定学分", "Credits", p.number(0, 60), hint_zh="留空：按学时 ÷ 每学分学时 折算",
           hint_en="blank: hours ÷ the university's hours per credit"),
        _f("min_score", "最低成绩", "Minimum score", p.number(0, 100), hint_zh="默认 60", hint_en="default 60"),
        _f("valid_from", "生效学期", "Valid from", _term, hint_zh="如 2025-2026-1；留空表示不限",
           hint_en="e.g. 2025-2026-1; blank: no limit"),
        _f("valid_to", "失效学期", "Valid to", _term, hint_zh="最后适用的学期；留空表示长期有效",
           hint_en="the last term it applies to; blank: open"),
    ),
    key=("university", "external", "valid_from"),
    save=_save_rule,
    # by first term: a file with a rule's versions in any order makes them one after the other
    order=lambda v: v.get("valid_from") or "",
    examples=({"university": "CQU", "external": "CS3101", "local": "AGI101", "category": "", "credits": 3,
               "min_score": 60, "valid_from": "2024-2025-1", "valid_to": ""},),
)

TRANSFERS = EntitySpec(
    "transfers", "学分互认申请", "Credit transfer requests",
    (
        _f("student_no", "学号", "Student no.", p.code(), True),
        _f("university", "高校代码", "University", p.code(), True, ref="universities"),
        _f("external", "外校课程代码", "External course", _externals, True),
        _f("term", "学期", "Term", _term, True, hint_zh="修读外校课程的学期，如 2025-2026-1",
           hint_en="the term the external course was taken, e.g. 2025-2026-1"),
        _f("score", "成绩", "Score", p.text(10), True, hint_zh="按该校评分制：0–100 或其等级（如 A、优）",
           hint_en="on the university's scale: 0–100 or its grades (A, 优 …)"),
        _f("submitted_on", "申请日期", "Submitted on", p.date, True),
        _f("status", "状态", "Status", p.choice(TransferStatus), hint_zh="待审/通过/驳回，默认 待审",
           hint_en="pending/approved/rejected, default pending"),
        _f("credits", "认定学分", "Credits", p.number(0, 60), hint_zh="通过时：留空按建议学分；少于建议学分须填理由",
           hint_en="approved: blank gives the proposed credits; fewer needs a reason"),
        _f("decided_on", "审核日期", "Decided on", p.date),
        _f("reason", "理由", "Reason", p.text(400), width=30, hint_zh="驳回或部分通过时必填",
           hint_en="required to reject or to approve in part"),
    ),
    key=("student_no", "university", "external", "term"),
    save=alliance.import_transfer,
    # the approved parts of a combined recognition are decided together, by the file's last of them
    finish=alliance.finish_transfer_import,
    examples=({"student_no": "2025010001", "university": "CQU", "external": "CS3101", "term": "2025-2026-1",
               "score": 88, "submitted_on": "2026-03-02", "status": "待审", "credits": "", "decided_on": "",
               "reason": ""},),  # pending: approving it would count AGI101 twice once the enrolments example is in
    order=lambda v: (v.get("decided_on") or v["submitted_on"], v["submitted_on"]),
)

KINDS: tuple[EntitySpec, ...] = (EQUIVALENCES, TRANSFERS)
