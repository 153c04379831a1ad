"""Alliance credit recognition in db/: rules and their versions, proposals, decisions, the balance."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from conftest import audit_name, filled_once  # type: ignore[import-not-found]
from sqlalchemy import select

from db import alliance
from db.actor import Actor, unit_of_work
from db.alliance import Decision, Outcome
from db.balance import student_credits
from db.curriculum import save_course, save_external_course, save_programme, term
from db.errors import PermissionDenied, RuleViolation, ValidationError
from db.models import (
    CourseCategory,
    Enrolment,
    EquivalenceRule,
    Role,
    RuleKind,
    RuleStatus,
    Student,
    TransferRequest,
    TransferStatus,
)
from db.people import save_student, save_university

D = dt.date
DAY = D(2026, 3, 10)
VIEWER = Actor("leader", Role.VIEWER)


@pytest.fixture
@filled_once
def alliance_db(db: Any, admin: Actor) -> Any:
    """Programme P1 (cap 8), two students with 6 foundation + 4 industry credits earned, local courses,
    重庆大学 (CQU, 16 hours per credit, 0–100) and 西南大学 (SWU, letter grades) with their catalogues."""
    with unit_of_work(db.factory, admin) as s:
        save_programme(s, admin, {"code": "P1", "name": "人工智能工程", "transfer_cap": 8})
        for no in ("S1", "S2"):
            save_student(s, admin, {"student_no": no, "name": f"学生{no}", "cohort": 2025, "programme": "P1"})
        for code, name, credits, cat in [("F0", "机器学习数学基础", 6, CourseCategory.FOUNDATION),
                                         ("I0", "车联网与数据智能", 4, CourseCategory.INDUSTRY),
                                         ("F1", "深度学习", 3, CourseCategory.FOUNDATION),
                                         ("F2", "大模型原理", 4, CourseCategory.FOUNDATION),
                                         ("I1", "低空经济AI应用", 2, CourseCategory.INDUSTRY)]:
            save_course(s, admin, {"code": code, "name": name, "credits": credits, "category": cat})
        save_university(s, admin, {"code": "CQU", "name": "重庆大学", "hours_per_credit": 16,
                                    "agreement_from": D(2024, 9, 1), "agreement_to": D(2029, 8, 31)})
        swu, _ = save_university(s, admin, {"code": "SWU", "name": "西南大学", "hours_per_credit": 18,
                                            "agreement_from": D(2023, 9, 1), "agreement_to": D(2025, 8, 31)})
        alliance.set_grading_scale(s, admin, swu.id, None, alliance.parse_scale("A=95, B=85, C=75, D=65, F=50"))
        for uni, code, name, credits, hours in [("CQU", "CS301", "深度学习", 3, 48),
                                                ("CQU", "MA201", "概率论与数理统计", 3, 48),
                                                ("CQU", "MA305", "最优化方法", 2, 32),
                                                ("CQU", "IE210", "智能网联汽车技术", 2, 40),
                                                ("CQU", "CS330", "计算机视觉", 2, None),
                                                ("SWU", "SI301", "深度学习", 3, 54)]:
            save_external_course(s, admin, {"university": uni, "code": code, "name": name, "credits": credits,
                                            "hours": hours})
        term_id = term(s, "2024-2025-2").id
        for sid in _ids(s):  # 6 foundation + 4 industry credits each: a 60 % foundation share
            s.add(Enrolment(student_id=sid, course_id=_course(s, "F0"), term_id=term_id, score_text="90", score=90,
                            passed=True, passed_on=D(2025, 7, 1)))
            s.add(Enrolment(student_id=sid, course_id=_course(s, "I0"), term_id=term_id, score_text="88", score=88,
                            passed=True, passed_on=D(2025, 7, 1)))
    return db


def _ids(s: Any) -> list[int]:
    return list(s.scalars(select(Student.id).order_by(Student.student_no)))


def _course(s: Any, code: str) -> int:
    from db.models import Course

    return s.scalar(select(Course.id).where(Course.code == code))


def _rule(db: Any, admin: Actor, **values: Any) -> int:
    values.setdefault("university", "CQU")
    with unit_of_work(db.factory, admin) as s:
        rule, created = alliance.save_rule(s, admin, values)
        assert created and rule.status is RuleStatus.DRAFT
        alliance.approve_rule(s, admin, rule.id, rule.version)
        return rule.id


def _submit(db: Any, admin: Actor, student: str, external: str, score: Any, *, uni: str = "CQU",
            term_code: str = "2025-2026-1", submitted: dt.date = dt.date(2026, 3, 1)) -> int:
    with unit_of_work(db.factory, admin) as s:
        return alliance.submit_request(s, admin, {"student_no": student, "university": uni, "external": external,
                                                  "term": term_code, "score": score, "submitted_on": submitted}).id


def _propose(db: Any, request_id: int) -> alliance.Proposal:
    with db.factory() as s:
        return alliance.propose(s, s.get(TransferRequest, request_id))


def _decide(db: Any, admin: Actor, request_id: int, decision: Decision = Decision.APPROVE, **kw: Any) -> None:
    with unit_of_work(db.factory, admin) as s:
        alliance.decide(s, admin, request_id, None, decision, on=kw.pop("on", DAY), **kw)


def _credits(db: Any, student: str, on: dt.date = DAY) -> Any:
    with db.factory() as s:
        sid = s.scalar(select(Student.id).where(Student.student_no == student))
        return student_credits(s, sid, on)


def _request(db: Any, request_id: int) -> TransferRequest:
    with db.factory() as s:
        req = s.get(TransferRequest, request_id)
        s.expunge(req)
        return req


# --------------------------------------------------------------------------- the three shapes of rule


def test_one_to_one_rule_counts_under_the_local_course_category(alliance_db: Any, admin: Actor) -> None:
    rule_id = _rule(alliance_db, admin, external="CS301", local="F1", credits=3)
    rid = _submit(alliance_db, admin, "S1", "CS301", 86)
    p = _propose(alliance_db, rid)
    assert (p.outcome, p.rule_id, p.local_code, p.category, p.credits, p.grantable, p.score) == (
        Outcome.APPROVE, rule_id, "F1", CourseCategory.FOUNDATION, 3.0, 3.0, 86.0)
    assert _credits(alliance_db, "S1").foundation == 6
    _decide(alliance_db, admin, rid)
    req = _request(alliance_db, rid)
    assert (req.status, req.credits, req.rule_id, req.decided_on, req.decided_by, req.local_course_id is not None) == (
        TransferStatus.APPROVED, 3.0, rule_id, DAY, admin.username, True)
    after = _credits(alliance_db, "S1")
    assert (after.foundation, after.industry) == (9, 4)
    assert _credits(alliance_db, "S1", DAY - dt.timedelta(days=1)).foundation == 6  # counts from the decision day


def test_combined_rule_needs_all_its_courses(alliance_db: Any, admin: Actor) -> None:
    rule_id = _rule(alliance_db, admin, external="MA201+MA305", local="F2", credits=4)
    with alliance_db.factory() as s:
        assert s.get(EquivalenceRule, rule_id).kind is RuleKind.COMBINED
    first = _submit(alliance_db, admin, "S1", "MA201", 80)
    p = _propose(alliance_db, first)
    assert p.outcome is Outcome.INCOMPLETE and "MA305" in p.reason
    with pytest.raises(RuleViolation, match="MA305"):
        _decide(alliance_db, admin, first)
    second = _submit(alliance_db, admin, "S1", "MA305", 75)
    p = _propose(alliance_db, second)
    assert (p.outcome, p.credits, p.parts) == (Outcome.APPROVE, 4.0, (first,))
    _decide(alliance_db, admin, second)
    done, part = _request(alliance_db, second), _request(alliance_db, first)
    assert (done.status, done.credits) == (TransferStatus.APPROVED, 4.0)
    assert (part.status, part.credits, part.rule_id) == (TransferStatus.APPROVED, 0.0, rule_id)
    assert f"{second}" in part.reason and "MA305" in part.reason
    assert _credits(alliance_db, "S1").foundation == 10  # 6 + 4, counted once
    # each course of the set is now used: a new request for either is proposed as rejected
    again = _submit(alliance_db, admin, "S1", "MA201", 90, term_code="2025-2026-2")
    assert _propose(alliance_db, again).outcome is Outcome.REJECT


def test_category_rule_counts_as_industry_credit(alliance_db: Any, admin: Actor) -> None:
    _rule(alliance_db, admin, external="IE210", category=CourseCategory.INDUSTRY, credits=2)
    rid = _submit(alliance_db, admin, "S1", "IE210", 90)
    p = _propose(alliance_db, rid)
    assert (p.outcome, p.local_code, p.category, p.credits) == (Outcome.APPROVE, None, CourseCategory.INDUSTRY, 2.0)
    _decide(alliance_db, admin, rid)
    after = _credits(alliance_db, "S1")
    assert (after.foundation, after.industry) == (6, 6)
    assert _request(alliance_db, rid).category is CourseCategory.INDUSTRY


def test_credits_converted_from_hours(alliance_db: Any, admin: Actor) -> None:
    # no credit amount: 40 hours ÷ 16 hours per credit = 2.5 credits
    _rule(alliance_db, admin, external="IE210", category=CourseCategory.INDUSTRY)
    rid = _submit(alliance_db, admin, "S1", "IE210", 90)
    assert _propose(alliance_db, rid).credits == 2.5
    # 54 hours ÷ 18 = 3 at 西南大学
    _rule(alliance_db, admin, university="SWU", external="SI301", local="F1")
    other = _submit(alliance_db, admin, "S2", "SI301", "A", uni="SWU", term_code="2024-2025-2")
    assert _propose(alliance_db, other).credits == 3.0
    # a course without hours cannot be converted: the proposal says why
    _rule(alliance_db, admin, external="CS330", local="F2")
    bad = _submit(alliance_db, admin, "S2", "CS330", 90)
    p = _propose(alliance_db, bad)
    assert p.outcome is Outcome.REJECT and "no hours" in p.reason


# --------------------------------------------------------------------------- proposed as rejected


def test_score_below_the_minimum(alliance_db: Any, admin: Actor) -> None:
    _rule(alliance_db, admin, external="CS301", local="F1", credits=3, min_score=70)
    rid = _submit(alliance_db, admin, "S1", "CS301", 65)
    p = _propose(alliance_db, rid)
    assert p.outcome is Outcome.REJECT and "below the rule's minimum of 70" in p.reason
    with pytest.raises(RuleViolation, match="below"):
        _decide(alliance_db, admin, rid)
    with pytest.raises(ValidationError, match="reason is required"):
        _decide(alliance_db, admin, rid, Decision.REJECT)
    _decide(alliance_db, admin, rid, Decision.REJECT, reason=p.reason)
    req = _request(alliance_db, rid)
    assert (req.status, req.credits, req.reason) == (TransferStatus.REJECTED, None, p.reason)
    assert _credits(alliance_db, "S1").foundation == 6


def test_expired_agreement_and_missing_rule(alliance_db: Any, admin: Actor) -> None:
    _rule(alliance_db, admin, university="SWU", external="SI301", local="F1", credits=3)
    # 西南大学's agreement ended on 2025-08-31: a course of term 2025-2026-1 is outside it
    late = _submit(alliance_db, admin, "S1", "SI301", "B", uni="SWU", term_code="2025-2026-1")
    p = _propose(alliance_db, late)
    assert p.outcome is Outcome.REJECT and "outside the agreement" in p.reason and "2025-08-31" in p.reason
    inside = _submit(alliance_db, admin, "S2", "SI301", "B", uni="SWU", term_code="2024-2025-2")
    assert _propose(alliance_db, inside).outcome is Outcome.APPROVE
    norule = _submit(alliance_db, admin, "S1", "CS301", 90)
    assert "No approved equivalence rule" in _propose(alliance_db, norule).reason


def test_double_counting_is_refused(alliance_db: Any, admin: Actor) -> None:
    _rule(alliance_db, admin, external="CS301", local="F1", credits=3)
    first = _submit(alliance_db, admin, "S1", "CS301", 86)
    with pytest.raises(ValidationError, match="pending request"):
        _submit(alliance_db, admin, "S1", "CS301", 90)
    _decide(alliance_db, admin, first)
    again = _submit(alliance_db, admin, "S1", "CS301", 92, term_code="2025-2026-2")
    p = _propose(alliance_db, again)
    assert p.outcome is Outcome.REJECT and "already recognised" in p.reason
    with pytest.raises(RuleViolation):
        _decide(alliance_db, admin, again)
    # the local equivalent F1 already passed here
    with unit_of_work(alliance_db.factory, admin) as s:
        s.add(Enrolment(student_id=_ids(s)[1], course_id=_course(s, "F1"), term_id=term(s, "2025-2026-1").id,
                        score_text="81", score=81, passed=True, passed_on=D(2026, 1, 10)))
    passed = _submit(alliance_db, admin, "S2", "CS301", 86)
    p = _propose(alliance_db, passed)
    assert p.outcome is Outcome.REJECT and "already passed the local equivalent F1" in p.reason
    # the same local course recognised through another university's course
    _rule(alliance_db, admin, university="SWU", external="SI301", local="F1", credits=3)
    other = _submit(alliance_db, admin, "S1", "SI301", "A", uni="SWU", term_code="2024-2025-2")
    assert "local equivalent F1" in _propose(alliance_db, other).reason
    assert _credits(alliance_db, "S1").foundation == 9


def test_programme_cap(alliance_db: Any, admin: Actor) -> None:
    _rule(alliance_db, admin, external="MA201", local="F2", credits=4)
    _rule(alliance_db, admin, external="CS301", local="F1", credits=3)
    _rule(alliance_db, admin, external="IE210", category=CourseCategory.INDUSTRY, credits=2)
    a = _submit(alliance_db, admin, "S1", "MA201", 90)
    b = _submit(alliance_db, admin, "S1", "CS301", 90)
    c = _submit(alliance_db, admin, "S1", "IE210", 90)
    _decide(alliance_db, admin, a)
    _decide(alliance_db, admin, b)  # 7 of the cap of 8
    p = _propose(alliance_db, c)
    assert (p.outcome, p.credits, p.grantable, p.recognised, p.cap) == (Outcome.PARTIAL, 2.0, 1.0, 7.0, 8)
    assert "Only 1 of 2 credits" in p.reason
    with pytest.raises(ValidationError, match="At most 1 credits"):
        _decide(alliance_db, admin, c, Decision.PARTIAL, credits=1.5, reason="按学时")
    _decide(alliance_db, admin, c)
    req = _request(alliance_db, c)
    assert (req.credits, req.proposed_credits, req.reason) == (1.0, 2.0, p.reason)
    assert _credits(alliance_db, "S1").industry == 5
    # the cap is reached: the next request is proposed as rejected
    _rule(alliance_db, admin, external="MA305", category=CourseCategory.FOUNDATION, credits=2)
    d = _submit(alliance_db, admin, "S1", "MA305", 90)
    p = _propose(alliance_db, d)
    assert p.outcome is Outcome.REJECT and "cap of 8" in p.reason


def test_partial_approval_needs_fewer_credits_and_a_reason(alliance_db: Any, admin: Actor) -> None:
    _rule(alliance_db, admin, external="CS301", local="F1", credits=3)
    rid = _submit(alliance_db, admin, "S1", "CS301", 86)
    with pytest.raises(ValidationError, match="reason is required") as err:
        _decide(alliance_db, admin, rid, Decision.PARTIAL, credits=2)
    assert set(err.value.errors) == {"reason"}
    with pytest.raises(ValidationError, match="fewer than the 3 credits") as err:
        _decide(alliance_db, admin, rid, Decision.PARTIAL, credits=3, reason="学时不足")
    assert set(err.value.errors) == {"credits"}
    assert _request(alliance_db, rid).status is TransferStatus.PENDING  # nothing half-written
    _decide(alliance_db, admin, rid, Decision.PARTIAL, credits=2, reason="学时不足")
    req = _request(alliance_db, rid)
    assert ((req.status, req.credits, req.proposed_credits, req.reason)
            == (TransferStatus.APPROVED, 2.0, 3.0, "学时不足"))
    with pytest.raises(RuleViolation, match="already been decided"):
        _decide(alliance_db, admin, rid, Decision.REJECT, reason="x")


def test_only_administrators_decide(alliance_db: Any, admin: Actor) -> None:
    _rule(alliance_db, admin, external="CS301", local="F1", credits=3)
    rid = _submit(alliance_db, admin, "S1", "CS301", 86)
    with pytest.raises(PermissionDenied):
        _decide(alliance_db, VIEWER, rid)
    with alliance_db.factory() as s:  # a viewer reads the queue and the proposal
        view = alliance.request_view(s, VIEWER, rid, on=DAY)
    assert view.proposal.outcome is Outcome.APPROVE
    assert (round(view.effect.before.share, 3), round(view.effect.after.share, 3)) == (0.6, 0.692)
    assert view.effect.in_band_before is False


def test_a_request_no_rule_covers_still_shows_the_programmes_cap(alliance_db: Any, admin: Actor) -> None:
    """The decision pane read "0 credits (no cap)" when no rule covered a request, although the student's
    programme has a cap (P1: 8)."""
    rid = _submit(alliance_db, admin, "S1", "CS301", 86)
    with alliance_db.factory() as s:
        view = alliance.request_view(s, VIEWER, rid, on=DAY)
    assert view.proposal.outcome is Outcome.REJECT and view.proposal.cap == 8


# --------------------------------------------------------------------------- scores on the university's scale


def test_scores_on_the_university_scale(alliance_db: Any, admin: Actor) -> None:
    _rule(alliance_db, admin, university="SWU", external="SI301", local="F1", credits=3, min_score=70)
    rid = _submit(alliance_db, admin, "S1", "SI301", "b", uni="SWU", term_code="2024-2025-2")
    req = _request(alliance_db, rid)
    assert (req.score_text, req.score) == ("B", 85.0)
    with pytest.raises(ValidationError, match="not on the grading scale") as err:
        _submit(alliance_db, admin, "S2", "SI301", "E", uni="SWU", term_code="2024-2025-2")
    assert set(err.value.errors) == {"score"}
    with pytest.raises(ValidationError, match="looks like a grade point"):
        _submit(alliance_db, admin, "S2", "CS301", "3.7")
    with pytest.raises(ValidationError, match="not on the grading scale"):
        _submit(alliance_db, admin, "S2", "CS301", "105")
    # 重庆大学 has no scale of its own: 0–100, or the five Chinese grades
    good = _submit(alliance_db, admin, "S2", "CS301", "良")
    assert _request(alliance_db, good).score == 85.0
    with alliance_db.factory() as s:
        assert s.scalar(select(TransferRequest.id).where(TransferRequest.score_text == "E")) is None


def test_parse_scale() -> None:
    assert alliance.parse_scale("A=95, B：85；C:75") == {"A": 95.0, "B": 85.0, "C": 75.0}
    assert alliance.parse_scale("  ") is None
    with pytest.raises(ValidationError):
        alliance.parse_scale("A=95, B")
    with pytest.raises(ValidationError, match="not between 0 and 100"):
        alliance.parse_scale("A=4.0, B=130")


def test_unknown_university_and_course(alliance_db: Any, admin: Actor) -> None:
    with pytest.raises(ValidationError, match="not an alliance university") as err:
        _submit(alliance_db, admin, "S1", "CS301", 86, uni="PKU")
    assert set(err.value.errors) == {"university"}
    with pytest.raises(ValidationError, match="not in the catalogue of 重庆大学"):
        _submit(alliance_db, admin, "S1", "SI301", 86)
    with pytest.raises(ValidationError, match="before its term"):
        _submit(alliance_db, admin, "S1", "CS301", 86, submitted=D(2025, 8, 1))


# --------------------------------------------------------------------------- rules and their versions


def test_rule_refusals(alliance_db: Any, admin: Actor) -> None:
    cases = [
        ({"external": "CS301", "local": "NOPE"}, "local", "Course NOPE does not exist"),
        ({"external": "CS301", "local": "F1", "category": CourseCategory.FOUNDATION}, "category", "not both"),
        ({"external": "CS301"}, "local", "Give the local course or the category"),
        ({"external": "MA201+MA305", "category": CourseCategory.FOUNDATION}, "category", "only map to one local"),
        ({"external": "SI301", "local": "F1"}, "external", "not in the catalogue"),
        ({"external": "CS301", "local": "F1", "credits": 0}, "credits", "more than 0"),
        ({"external": "CS301", "local": "F1", "valid_from": "2026-2027-1", "valid_to": "2025-2026-1"}, "valid_to",
         "before the first term"),
        ({"external": "CS301", "local": "F1", "valid_from": "2025秋"}, "valid_from", "not a term"),
        ({"university": "PKU", "external": "CS301", "local": "F1"}, "university", "not an alliance university"),
    ]
    for values, key, message in cases:
        values.setdefault("university", "CQU")
        with pytest.raises(ValidationError, match=message) as err, unit_of_work(alliance_db.factory, admin) as s:
            alliance.save_rule(s, admin, values)
        assert key in err.value.errors, values
    with alliance_db.factory() as s:
        assert s.scalar(select(EquivalenceRule.id)) is None


def test_overlapping_windows_are_refused(alliance_db: Any, admin: Actor) -> None:
    _rule(alliance_db, admin, external="CS301", local="F1", credits=3, valid_from="2024-2025-1", valid_to="2025-2026-2")
    with unit_of_work(alliance_db.factory, admin) as s:
        draft, _ = alliance.save_rule(s, admin, {"university": "CQU", "external": "CS301",
                                                 "category": CourseCategory.FOUNDATION, "valid_from": "2025-2026-2"})
        draft_id = draft.id
    with pytest.raises(ValidationError, match="already recognised by rule CQU-R01") as err, \
            unit_of_work(alliance_db.factory, admin) as s:
        alliance.approve_rule(s, admin, draft_id, None)
    assert "2024-2025-1 to 2025-2026-2" in str(err.value)
    with unit_of_work(alliance_db.factory, admin) as s:  # starting after the window: fine
        alliance.save_rule(s, admin, {"valid_from": "2026-2027-1"}, rule_id=draft_id)
        assert alliance.approve_rule(s, admin, draft_id, None).status is RuleStatus.APPROVED
    # the combined rule sharing CS301 in an overlapping term is refused too
    with pytest.raises(ValidationError, match="must not overlap"):
        _rule(alliance_db, admin, external="CS301+MA201", local="F2", valid_from="2026-2027-2")


def test_new_version_keeps_decisions_on_the_old_one(alliance_db: Any, admin: Actor) -> None:
    v1 = _rule(alliance_db, admin, external="CS301", local="F1", credits=3, valid_from="2024-2025-1")
    old_term = _submit(alliance_db, admin, "S1", "CS301", 86, term_code="2025-2026-1")
    _decide(alliance_db, admin, old_term)
    with pytest.raises(RuleViolation, match="never edited"), unit_of_work(alliance_db.factory, admin) as s:
        alliance.save_rule(s, admin, {"credits": 2}, rule_id=v1)
    with unit_of_work(alliance_db.factory, admin) as s:
        v2 = alliance.new_version(s, admin, v1, {"credits": 2.5, "valid_from": "2026-2027-1"})
        assert (v2.rule_key, v2.revision, v2.status, v2.supersedes_id) == ("CQU-R01", 2, RuleStatus.DRAFT, v1)
        v2_id = v2.id
        with pytest.raises(RuleViolation, match="already has a draft"):
            alliance.new_version(s, admin, v1, {"credits": 2})
    with unit_of_work(alliance_db.factory, admin) as s:
        alliance.approve_rule(s, admin, v2_id, None)
    with alliance_db.factory() as s:
        old = s.get(EquivalenceRule, v1)
        assert (old.status, old.valid_to, old.credits) == (RuleStatus.RETIRED, "2025-2026-2", 3.0)
        assert s.get(TransferRequest, old_term).rule_id == v1  # the decision keeps its version
        assert alliance.find_rule(s, old.external_links[0].external_course_id, "2025-2026-2").id == v1
        assert alliance.find_rule(s, old.external_links[0].external_course_id, "2026-2027-1").id == v2_id
    new_term = _submit(alliance_db, admin, "S2", "CS301", 86, term_code="2026-2027-1", submitted=D(2026, 12, 1))
    p = _propose(alliance_db, new_term)
    assert (p.rule_id, p.revision, p.credits) == (v2_id, 2, 2.5)
    # a new version starting no later than the current one would leave earlier terms without it
    with unit_of_work(alliance_db.factory, admin) as s:
        v3 = alliance.new_version(s, admin, v2_id, {"valid_from": "2025-2026-1"})
        v3_id = v3.id
    with pytest.raises(ValidationError, match="must start after 2026-2027-1"), \
            unit_of_work(alliance_db.factory, admin) as s:
        alliance.approve_rule(s, admin, v3_id, None)
    with unit_of_work(alliance_db.factory, admin) as s:
        retired = alliance.retire_rule(s, admin, v2_id, None, "2027-2028-2")
        assert (retired.status, retired.valid_to) == (RuleStatus.RETIRED, "2027-2028-2")


# --------------------------------------------------------------------------- the student's record


def test_recognised_credits_list_their_source(alliance_db: Any, admin: Actor) -> None:
    _rule(alliance_db, admin, external="CS301", local="F1", credits=3)
    _rule(alliance_db, admin, external="IE210", category=CourseCategory.INDUSTRY, credits=2)
    a = _submit(alliance_db, admin, "S1", "CS301", 86)
    b = _submit(alliance_db, admin, "S1", "IE210", "优")
    _submit(alliance_db, admin, "S2", "IE210", 90)
    _decide(alliance_db, admin, a)
    _decide(alliance_db, admin, b, on=DAY + dt.timedelta(days=1))
    with alliance_db.factory() as s:
        sid = _ids(s)[0]
        lines = alliance.recognised_credits(s, VIEWER, sid)
        record = alliance.student_recognition(s, admin, sid, on=DAY + dt.timedelta(days=2))
    assert [(x.university, x.external_code, x.term, x.score_text, x.credits, x.category, x.local_code)
            for x in lines] == [
        ("重庆大学", "CS301", "2025-2026-1", "86", 3.0, CourseCategory.FOUNDATION, "F1"),
        ("重庆大学", "IE210", "2025-2026-1", "优", 2.0, CourseCategory.INDUSTRY, None)]
    assert (record.recognised, record.pending, record.credits.foundation, record.credits.industry) == (5.0, 0, 9, 6)


def test_visiting_transcript(alliance_db: Any, admin: Actor) -> None:
    with unit_of_work(alliance_db.factory, admin) as s:
        save_student(s, admin, {"student_no": "V1", "name": "访学生", "cohort": 2025, "programme": "P1",
                                "home_university": "重庆师范大学"})
        sid = s.scalar(select(Student.id).where(Student.student_no == "V1"))
        s.add(Enrolment(student_id=sid, course_id=_course(s, "F1"), term_id=term(s, "2025-2026-1").id,
                        score_text="良", score=85, passed=True, passed_on=None))
        s.add(Enrolment(student_id=sid, course_id=_course(s, "I1"), term_id=term(s, "2025-2026-1").id,
                        score_text="52", score=52, passed=False))
    with alliance_db.factory() as s:
        homes = alliance.home_universities(s, admin)
        assert [(h.name, h.students) for h in homes] == [("重庆师范大学", 1)]
        lines = alliance.visiting_transcript(s, admin, organisation_id=homes[0].organisation_id)
    assert [(x.student_no, x.course_code, x.credits, x.score_text, x.category, x.passed_on) for x in lines] == [
        ("V1", "F1", 3.0, "良", CourseCategory.FOUNDATION, D(2026, 1, 31))]


def test_a_course_taken_off_a_draft_rule_is_in_the_audit_log(alliance_db: Any, admin: Actor) -> None:
    """The link dropped from the rule's list is deleted by the flush as an orphan, never passing
    through session.delete: the audit log must still record its DELETE, with who and what it was."""
    from db.models import AuditAction, AuditLog, RuleExternalCourse

    with unit_of_work(alliance_db.factory, admin) as s:
        draft, _ = alliance.save_rule(s, admin, {"university": "CQU", "external": "CS301+MA201", "local": "F2"})
        draft_id = draft.id
        dropped_course = next(link.external_course_id for link in draft.external_links
                              if link.external_course.code == "MA201")
    with unit_of_work(alliance_db.factory, admin) as s:
        alliance.save_rule(s, admin, {"external": "CS301"}, rule_id=draft_id)
    with alliance_db.factory() as s:
        assert s.get(RuleExternalCourse, (draft_id, dropped_course)) is None
        (deleted,) = s.scalars(select(AuditLog).where(AuditLog.entity == "rule_external_courses",
                                                      AuditLog.action == AuditAction.DELETE))
        assert (deleted.entity_id, deleted.username) == (f"{draft_id}/{dropped_course}", audit_name(alliance_db, admin))
        assert deleted.changes["external_course_id"] == [dropped_course, None]
        assert deleted.changes["rule_id"] == [draft_id, None]


def test_several_requests_are_decided_at_once_each_checked_in_turn(alliance_db: Any, admin: Actor) -> None:
    """#24's bulk approval: each request through the same decision (its proposal, the cap weighed
    after the ones before it); all or none; a rejection needs its reason."""
    _rule(alliance_db, admin, external="CS301", local="F1", credits=3)
    _rule(alliance_db, admin, external="IE210", category=CourseCategory.INDUSTRY, credits=2)
    _rule(alliance_db, admin, external="MA201+MA305", local="F2", credits=4)
    ids = [_submit(alliance_db, admin, "S1", code, 90) for code in ("CS301", "IE210", "MA201", "MA305")]
    with pytest.raises(ValidationError, match="reason"), unit_of_work(alliance_db.factory, admin) as s:
        alliance.decide_many(s, admin, ids[:1], Decision.REJECT)
    with unit_of_work(alliance_db.factory, admin) as s:
        decided = alliance.decide_many(s, admin, ids, Decision.APPROVE, on=DAY)
    assert decided == ids[:3]  # MA305 approved with MA201, as a part of their combined rule
    with alliance_db.factory() as s:
        got = {r.external_course.code: (r.status, r.credits) for r in s.scalars(select(TransferRequest))}
    # the programme's cap of 8: 3 + 2, then 3 of the combined rule's 4
    assert got == {"CS301": (TransferStatus.APPROVED, 3.0), "IE210": (TransferStatus.APPROVED, 2.0),
                   "MA201": (TransferStatus.APPROVED, 3.0), "MA305": (TransferStatus.APPROVED, 0.0)}
    more = _submit(alliance_db, admin, "S2", "CS301", 90)
    with pytest.raises(RuleViolation, match=f"Request {ids[0]}"), unit_of_work(alliance_db.factory, admin) as s:
        alliance.decide_many(s, admin, [more, ids[0]], Decision.APPROVE, on=DAY)
    assert _request(alliance_db, more).status is TransferStatus.PENDING  # all or none
