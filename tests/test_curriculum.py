"""The 50/50 curriculum: hand-computed balances at the three levels (plan, cohort, student) with the
edges of DESIGN.md section 6, enrolment rules, and the what-if that never writes.

The academy below (target 50 % ± 5 points everywhere):

    course  category    credits   plans
    F1      foundation  3         P, Q, R
    F2      foundation  2         P, R
    F3      foundation  2.5       Q, R       (outside P's plan)
    I1      industry    3         P, Q
    I2      industry    2         P, R
    I4      industry    1.5       Q
    O1      other       2         P

    plan P: F 5, I 5, other 2  → share 0.5              in band
    plan Q: F 5.5, I 4.5       → share 0.55             exactly on the tolerance: in band
    plan R: F 7.5, I 2         → share 0.789…           out of band
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from conftest import filled_once  # type: ignore[import-not-found]
from sqlalchemy import func, select

from db import curriculum as cur
from db.actor import Actor, unit_of_work
from db.balance import Credits
from db.errors import PermissionDenied, ValidationError
from db.models import (
    CourseCategory,
    Enrolment,
    ExternalCourse,
    ProgrammeCourse,
    Role,
    Student,
    StudentStatus,
    TransferRequest,
    TransferStatus,
    University,
)
from db.people import save_student

D = dt.date
FND, IND, OTH = CourseCategory.FOUNDATION, CourseCategory.INDUSTRY, CourseCategory.OTHER
Q1_END = D(2026, 3, 31)
COURSES = [("F1", FND, 3.0), ("F2", FND, 2.0), ("F3", FND, 2.5), ("I1", IND, 3.0), ("I2", IND, 2.0), ("I4", IND, 1.5),
           ("O1", OTH, 2.0)]
PLANS = {"P": ["F1", "F2", "I1", "I2", "O1"], "Q": ["F1", "F3", "I1", "I4"], "R": ["F1", "F2", "F3", "I2"]}
VIEWER = Actor("boss", Role.VIEWER)


def enrol(s: Any, admin: Actor, student: str, course: str, term: str, score: Any = None,
          passed_on: dt.date | None = None) -> cur.SavedEnrolment:
    values = {"student_no": student, "course": course, "term": term, "score": score, "passed_on": passed_on}
    return cur.save_enrolment(s, admin, values)


def grade(word: str) -> tuple[str, float]:
    from forms.parsers import score

    parsed = score(word)
    assert parsed is not None
    return parsed


def transfer(s: Any, student: str, credits: float, category: CourseCategory, decided_on: dt.date | None,
             status: TransferStatus = TransferStatus.APPROVED, code: str = "EX1") -> None:
    uni = s.scalar(select(University).where(University.code == "CQU"))
    if uni is None:
        uni = University(code="CQU", name="重庆大学", hours_per_credit=16)
        s.add(uni)
        s.flush()
    ext = s.scalar(select(ExternalCourse).where(ExternalCourse.code == code))
    if ext is None:
        ext = ExternalCourse(university_id=uni.id, code=code, name="机器学习（外校）", credits=credits)
        s.add(ext)
        s.flush()
    st = s.scalar(select(Student).where(Student.student_no == student))
    s.add(TransferRequest(student_id=st.id, university_id=uni.id, external_course_id=ext.id, term="2025-2026-1",
                          score_text="A", score=95, submitted_on=D(2026, 2, 1), status=status,
                          proposed_credits=credits, credits=credits if status is TransferStatus.APPROVED else None,
                          category=category, decided_on=decided_on))
    s.flush()


@pytest.fixture
@filled_once
def academy(db: Any, admin: Actor) -> Any:
    with unit_of_work(db.factory, admin) as s:
        for code, cat, credits in COURSES:
            cur.save_course(s, admin, {"code": code, "name": f"课程{code}", "credits": credits, "category": cat})
        for prog, codes in PLANS.items():
            cur.save_programme(s, admin, {"code": prog, "name": f"方案{prog}"})
            for code in codes:
                cur.save_programme_course(s, admin, {"programme": prog, "course": code})
        for no, cohort in (("S1", 2025), ("S2", 2025), ("S3", 2024)):
            save_student(s, admin, {"student_no": no, "name": f"学生{no}", "cohort": cohort, "programme": "P"})
        save_student(s, admin, {"student_no": "S4", "name": "学生S4", "cohort": 2025, "programme": "Q",
                                "status": StudentStatus.WITHDRAWN})
        # S1: 6 counted credits by the end of Q1 2026 — too few to be judged
        enrol(s, admin, "S1", "F1", "2025-2026-1", grade("85"))  # no pass date: counts from 2026-01-31
        enrol(s, admin, "S1", "I1", "2025-2026-1", grade("良"), D(2026, 1, 10))
        enrol(s, admin, "S1", "F2", "2025-2026-2", grade("90"), D(2026, 4, 15))  # passed after the quarter
        enrol(s, admin, "S1", "I2", "2025-2026-2", grade("70"))  # counts from 2026-07-31
        enrol(s, admin, "S1", "O1", "2025-2026-1", grade("及格"))  # other: outside the split
        enrol(s, admin, "S1", "F3", "2025-2026-1", grade("59"))  # failed (and outside the plan)
        # S2: F 3 + 2.5, I 3 + 1.5 recognised = exactly 10 credits at exactly 0.55
        enrol(s, admin, "S2", "F1", "2025-2026-1", grade("95"))
        enrol(s, admin, "S2", "F3", "2025-2026-1", grade("80"))  # outside P's plan: flagged, counted
        enrol(s, admin, "S2", "I1", "2025-2026-1", grade("60"))  # exactly 60 passes
        enrol(s, admin, "S2", "I2", "2025-2026-1", grade("不及格"))
        transfer(s, "S2", 1.5, IND, D(2026, 3, 1))
        transfer(s, "S2", 2.0, IND, D(2026, 4, 2), code="EX2")  # decided after the quarter
        transfer(s, "S2", 3.0, FND, None, TransferStatus.PENDING, code="EX3")
        # S3 (cohort 2024): F 7.5, I 3 → 0.714, out of band; F1 passed twice counts once
        enrol(s, admin, "S3", "F1", "2024-2025-1", grade("70"))
        enrol(s, admin, "S3", "F2", "2024-2025-1", grade("80"))
        enrol(s, admin, "S3", "F3", "2024-2025-1", grade("75"))
        enrol(s, admin, "S3", "I1", "2024-2025-2", grade("65"))
        enrol(s, admin, "S3", "F1", "2025-2026-1", grade("90"))
    return db


# --------------------------------------------------------------------------- plan level


def test_plan_balances_hand_computed(academy: Any, admin: Actor) -> None:
    with academy.factory() as s:
        plans = {b.code: bal for b, bal in cur.plan_balance_list(s, admin)}
        detail = cur.plan_detail(s, admin, s.scalar(select(ProgrammeCourse.programme_id).limit(1)))
    assert (plans["P"].foundation, plans["P"].industry, plans["P"].other) == (5.0, 5.0, 2.0)
    assert plans["P"].share == 0.5 and plans["P"].in_band
    assert (plans["Q"].foundation, plans["Q"].industry) == (5.5, 4.5)
    assert plans["Q"].share == pytest.approx(0.55) and plans["Q"].in_band  # exactly on the tolerance
    assert (plans["R"].foundation, plans["R"].industry) == (7.5, 2.0)
    assert plans["R"].share == pytest.approx(7.5 / 9.5) and not plans["R"].in_band
    assert detail.code == "P" and [line.course_code for line in detail.lines] == ["F1", "F2", "I1", "I2", "O1"]


def test_programme_balance_list_sorts_by_share_in_sql(academy: Any, admin: Actor) -> None:
    from db import listing

    with academy.factory() as s:
        rows = listing.fetch(s, admin, cur.PROGRAMME_BALANCES, listing.ListQuery(sort_key="share", descending=True))
    spec = cur.PROGRAMME_BALANCES
    col = {c.key: i for i, c in enumerate(spec.columns)}
    assert [r.values[col["code"]] for r in rows] == ["R", "Q", "P"]
    assert [bool(r.values[col["in_band"]]) for r in rows] == [False, True, True]
    assert rows[1].values[col["share"]] == pytest.approx(0.55)


# --------------------------------------------------------------------------- student level


def test_student_balances_hand_computed(academy: Any, admin: Actor) -> None:
    with academy.factory() as s:
        by_no = {b.student_no: b for b in cur.student_balances(s, admin, Q1_END)}
    s1, s2, s3 = by_no["S1"].balance, by_no["S2"].balance, by_no["S3"].balance
    # S1: F1 (term end 2026-01-31) and I1 count; F2 passed after the day, I2 counts only from 2026-07-31
    assert s1.credits == Credits(3.0, 3.0, 2.0)
    assert s1.in_band and not s1.judged and not by_no["S1"].out_of_band  # fewer than 10 credits
    # S2: exactly 10 credits, exactly on the tolerance; only the recognised credits decided by the day
    assert s2.credits == Credits(5.5, 4.5, 0.0)
    assert s2.judged and s2.share == pytest.approx(0.55) and s2.in_band and not by_no["S2"].out_of_band
    # S3: F1 passed twice counts once
    assert s3.credits == Credits(7.5, 3.0, 0.0)
    assert s3.judged and not s3.in_band and by_no["S3"].out_of_band
    assert by_no["S4"].balance.credits == Credits() and by_no["S4"].balance.share is None
    with academy.factory() as s:
        active = cur.student_balances(s, admin, Q1_END, active_only=True)
    assert [(b.student_no, b.programme_code, b.cohort, b.status) for b in active] == [
        ("S1", "P", 2025, StudentStatus.ACTIVE), ("S2", "P", 2025, StudentStatus.ACTIVE),
        ("S3", "P", 2024, StudentStatus.ACTIVE)]
    assert sum(b.out_of_band for b in active) == 1


def test_student_balance_moves_with_the_day(academy: Any, admin: Actor) -> None:
    with academy.factory() as s:
        sid = s.scalar(select(Student.id).where(Student.student_no == "S1"))
        before_term_end = cur.student_balance(s, admin, sid, D(2026, 1, 30)).balance.credits
        on_the_pass_date = cur.student_balance(s, admin, sid, D(2026, 4, 15)).balance.credits
        at_term_end = cur.student_balance(s, admin, sid, D(2026, 7, 31)).balance
    assert before_term_end == Credits(0.0, 3.0, 0.0)  # only I1, passed on 10 January
    assert on_the_pass_date == Credits(5.0, 3.0, 2.0)
    assert at_term_end.credits == Credits(5.0, 5.0, 2.0) and at_term_end.judged and at_term_end.in_band


def test_student_curriculum_lists_enrolments_and_recognised_credits(academy: Any, admin: Actor) -> None:
    with academy.factory() as s:
        sid = s.scalar(select(Student.id).where(Student.student_no == "S2"))
        view = cur.student_curriculum(s, admin, sid, Q1_END)
    assert [(e.course_code, e.passed, e.in_plan) for e in view.enrolments] == [
        ("F1", True, True), ("F3", True, False), ("I1", True, True), ("I2", False, True)]
    f1 = view.enrolments[0]
    assert f1.counts_from == D(2026, 1, 31) and f1.passed_on is None
    assert [(r.university, r.external_code, r.term, r.score_text, r.credits, r.category) for r in view.recognised] == [
        ("重庆大学", "EX1", "2025-2026-1", "A", 1.5, IND)]


def test_mentor_reads_only_own_mentees_balance(academy: Any, admin: Actor) -> None:
    from db.models import MentorAssignment, MentorRole
    from db.people import save_mentor

    with unit_of_work(academy.factory, admin) as s:
        m, _ = save_mentor(s, admin, {"staff_no": "M1", "name": "陈工", "organisation": "华为",
                                      "roles": [MentorRole.INDUSTRY]})
        s1 = s.scalar(select(Student.id).where(Student.student_no == "S1"))
        s2 = s.scalar(select(Student.id).where(Student.student_no == "S2"))
        s.add(MentorAssignment(student_id=s1, mentor_id=m.id, role=MentorRole.INDUSTRY, start_on=D(2025, 9, 1)))
    mentor = Actor("chen", Role.MENTOR, mentor_id=m.id)
    with academy.factory() as s:
        assert cur.student_balance(s, mentor, s1, Q1_END).balance.credits == Credits(3.0, 3.0, 2.0)
        with pytest.raises(PermissionDenied):
            cur.student_balance(s, mentor, s2, Q1_END)
        with pytest.raises(PermissionDenied):
            cur.student_balances(s, mentor, Q1_END)
        with pytest.raises(PermissionDenied):
            cur.cohort_balances(s, mentor, Q1_END)


# --------------------------------------------------------------------------- cohort level


def test_cohort_balances_hand_computed(academy: Any, admin: Actor) -> None:
    with academy.factory() as s:
        cohorts = {(c.programme_code, c.cohort): c for c in cur.cohort_balances(s, admin, Q1_END)}
    p25, p24, q25 = cohorts[("P", 2025)], cohorts[("P", 2024)], cohorts[("Q", 2025)]
    # P/2025: S1 F1 3 + I1 3 + O1 2; S2 F1 3 + F3 2.5 + I1 3 (recognised credits were not taught here)
    assert p25.students == 2 and p25.balance.credits == Credits(8.5, 6.0, 2.0)
    assert p25.balance.share == pytest.approx(8.5 / 14.5) and not p25.balance.in_band
    assert p24.students == 1 and p24.balance.credits == Credits(7.5, 3.0, 0.0)
    assert q25.students == 1 and q25.balance.credits == Credits() and not q25.balance.in_band
    with academy.factory() as s:
        later = {(c.programme_code, c.cohort): c for c in cur.cohort_balances(s, admin, D(2026, 7, 31))}
    assert later[("P", 2025)].balance.credits == Credits(10.5, 8.0, 2.0)


# --------------------------------------------------------------------------- enrolment rules


def test_score_mapping_and_pass(academy: Any, admin: Actor) -> None:
    assert [cur.passes(*grade(w)) for w in ("优", "良", "中", "及格", "不及格", "60", "59.5", "100", "0")] == [
        True, True, True, True, False, True, False, True, False]
    with academy.factory() as s:
        e = s.scalar(select(Enrolment).join(Student).where(Student.student_no == "S1", Enrolment.score_text == "良"))
        assert (e.score, e.passed, e.passed_on) == (85.0, True, D(2026, 1, 10))


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"score": (">100", 101.0)}, "score", "is not a score"),
    ({"score": 59, "passed_on": D(2026, 1, 5)}, "passed_on", "needs a passing score"),
    ({"score": 80, "passed_on": D(2025, 8, 1)}, "passed_on", "before term 2025-2026-1 starts"),
    ({"student_no": "NOPE"}, "student_no", "does not exist"),
    ({"course": "NOPE"}, "course", "does not exist"),
    ({"term": "2025-2027-1"}, "term", "is not a term"),
])
def test_bad_enrolments_are_refused_with_the_field(academy: Any, admin: Actor, values: dict[str, Any], field: str,
                                                    message: str) -> None:
    row = {"student_no": "S4", "course": "F1", "term": "2025-2026-1", "score": 80, **values}
    with pytest.raises(ValidationError, match=message) as err:
        with unit_of_work(academy.factory, admin) as s:
            cur.save_enrolment(s, admin, row)
    assert field in err.value.errors
    with academy.factory() as s:
        assert s.scalar(select(func.count()).select_from(Enrolment).join(Student)
                        .where(Student.student_no == "S4")) == 0


def test_duplicate_enrolment_refused_but_import_path_updates(academy: Any, admin: Actor) -> None:
    row = {"student_no": "S1", "course": "F1", "term": "2025-2026-1", "score": grade("中")}
    with pytest.raises(ValidationError, match="already has an enrolment in F1 in term 2025-2026-1") as err:
        with unit_of_work(academy.factory, admin) as s:
            cur.save_enrolment(s, admin, row)
    assert "course" in err.value.errors
    with unit_of_work(academy.factory, admin) as s:
        saved = cur.save_enrolment(s, admin, row, upsert=True)
        assert not saved.created and saved.enrolment.score == 75.0
    # the same course in another term is a retake, not a duplicate
    with unit_of_work(academy.factory, admin) as s:
        assert cur.save_enrolment(s, admin, {**row, "term": "2025-2026-2"}).created


def test_enrolment_outside_the_plan_is_saved_and_flagged(academy: Any, admin: Actor) -> None:
    with unit_of_work(academy.factory, admin) as s:
        outside = enrol(s, admin, "S4", "I2", "2025-2026-1", grade("88"))  # S4 is in Q; I2 is not
        inside = enrol(s, admin, "S4", "I1", "2025-2026-1", grade("88"))
    assert len(outside.warnings) == 1 and "I2 is not in the plan of Q" in outside.warnings[0]
    assert inside.warnings == ()


def test_edit_enrolment_checks_version_and_viewer_cannot_write(academy: Any, admin: Actor) -> None:
    from db.errors import ConflictError

    with academy.factory() as s:
        e = s.scalar(select(Enrolment).join(Student).where(Student.student_no == "S1", Enrolment.score_text == "59"))
        eid, version = e.id, e.version
        snap = cur.enrolment_record(s, admin, eid)
    assert snap.values == {"student_no": "S1", "course": "F3", "term": "2025-2026-1", "score": "59",
                           "passed_on": None}
    with unit_of_work(academy.factory, admin) as s:
        saved = cur.save_enrolment(s, admin, {"score": grade("61")}, enrolment_id=eid, expected_version=version)
        assert saved.enrolment.passed and not saved.created
    with pytest.raises(ConflictError):
        with unit_of_work(academy.factory, admin) as s:
            cur.save_enrolment(s, admin, {"score": grade("62")}, enrolment_id=eid, expected_version=version)
    with pytest.raises(PermissionDenied):
        with unit_of_work(academy.factory, VIEWER) as s:
            cur.save_enrolment(s, VIEWER, {"student_no": "S4", "course": "F1", "term": "2025-2026-1"})


def test_course_credits_must_be_positive(academy: Any, admin: Actor) -> None:
    for credits in (0.0, -1.0, None):
        with pytest.raises(ValidationError, match="more than 0") as err:
            with unit_of_work(academy.factory, admin) as s:
                cur.save_course(s, admin, {"code": "Z1", "name": "零学分", "credits": credits, "category": FND})
        assert "credits" in err.value.errors


# --------------------------------------------------------------------------- what-if


def _pid(s: Any, code: str) -> int:
    from db.models import Programme

    return s.scalar(select(Programme.id).where(Programme.code == code))


def _cid(s: Any, code: str) -> int:
    from db.models import Course

    return s.scalar(select(Course.id).where(Course.code == code))


def test_plan_what_if_before_after_and_nothing_written(academy: Any, admin: Actor) -> None:
    with academy.factory() as s:
        p = _pid(s, "P")
        add = cur.plan_what_if(s, admin, p, [cur.AddCourse(_cid(s, "F3"))])
        remove = cur.plan_what_if(s, admin, p, [cur.RemoveCourse(_cid(s, "I2"))])
        change = cur.plan_what_if(s, admin, p, [cur.ChangeCourse(_cid(s, "I1"), credits=4.0)])
        recat = cur.plan_what_if(s, admin, p, [cur.ChangeCourse(_cid(s, "O1"), category=IND)])
        combo = cur.plan_what_if(s, admin, p, [cur.AddCourse(_cid(s, "I4")), cur.RemoveCourse(_cid(s, "F2")),
                                               cur.ChangeCourse(_cid(s, "I4"), credits=0.5)])
        assert not s.new and not s.dirty and not s.deleted
    assert add.before.credits == Credits(5.0, 5.0, 2.0) and add.after.credits == Credits(7.5, 5.0, 2.0)
    assert add.before.in_band and add.leaves_band and add.after.share == pytest.approx(0.6)
    assert remove.after.credits == Credits(5.0, 3.0, 2.0) and remove.after.share == pytest.approx(0.625)
    assert change.after.credits == Credits(5.0, 6.0, 2.0) and change.after.share == pytest.approx(5 / 11)
    assert change.after.in_band  # 0.4545 is within 0.45–0.55
    assert recat.after.credits == Credits(5.0, 7.0, 0.0)
    assert combo.after.credits == Credits(3.0, 5.5, 2.0)
    with academy.factory() as s:
        assert {b.code: b.credits for b, _ in cur.plan_balance_list(s, admin)}["P"] == Credits(5.0, 5.0, 2.0)


def test_course_what_if_covers_every_plan_with_the_course(academy: Any, admin: Actor) -> None:
    with academy.factory() as s:
        results = cur.course_what_if(s, admin, _cid(s, "F1"), credits=1.0, category=None)
    assert [w.label for w in results] == ["P 方案P", "Q 方案Q", "R 方案R"]
    assert [w.after.credits.foundation for w in results] == [3.0, 3.5, 5.5]
    assert results[1].leaves_band and results[2].before.in_band is False


def test_enrolment_what_if(academy: Any, admin: Actor) -> None:
    with academy.factory() as s:
        # S1 passes F2 in term 1 without a pass date: counts from 31 January, before Q1_END
        new = cur.enrolment_what_if(s, admin, {"student_no": "S1", "course": "F3", "term": "2025-2026-1",
                                               "score": grade("优")}, on=Q1_END)
        later = cur.enrolment_what_if(s, admin, {"student_no": "S1", "course": "F3", "term": "2025-2026-2",
                                                 "score": grade("优")}, on=Q1_END)
        failing = s.scalar(select(Enrolment.id).join(Student).where(Student.student_no == "S1",
                                                                    Enrolment.score_text == "59"))
        edit = cur.enrolment_what_if(s, admin, {"score": grade("61")}, on=Q1_END, enrolment_id=failing)
        passed_i1 = s.scalar(select(Enrolment.id).join(Student).where(Student.student_no == "S1",
                                                                      Enrolment.score_text == "良"))
        fail_it = cur.enrolment_what_if(s, admin, {"score": grade("不及格"), "passed_on": None}, on=Q1_END,
                                        enrolment_id=passed_i1)
        retake = cur.enrolment_what_if(s, admin, {"student_no": "S3", "course": "F1", "term": "2025-2026-2",
                                                  "score": grade("99")}, on=D(2026, 7, 31))
    assert new.before.credits == Credits(3.0, 3.0, 2.0) and new.after.credits == Credits(5.5, 3.0, 2.0)
    assert new.notes and "F3 is not in the plan of P" in new.notes[0]
    assert later.after.credits == later.before.credits  # counts only from 31 July
    assert edit.after.credits == Credits(5.5, 3.0, 2.0)
    assert fail_it.after.credits == Credits(3.0, 0.0, 2.0)
    assert retake.after.credits == retake.before.credits  # F1 already counted once


def test_balance_tables_agree_with_each_level(academy: Any, admin: Actor) -> None:
    with academy.factory() as s:
        tables = cur.balance_tables(s, admin, Q1_END)
        assert [(c.programme_code, c.cohort, c.balance.credits) for c in tables.cohorts] == [
            (c.programme_code, c.cohort, c.balance.credits) for c in cur.cohort_balances(s, admin, Q1_END)]
        assert [(b.student_no, b.balance.credits) for b in tables.students] == [
            (b.student_no, b.balance.credits) for b in cur.student_balances(s, admin, Q1_END)]
        assert [b.code for b, _ in tables.plans] == ["P", "Q", "R"]
        with pytest.raises(PermissionDenied):
            cur.balance_tables(s, Actor("m", Role.MENTOR, mentor_id=1), Q1_END)


def test_the_enrolments_list_tells_a_course_in_progress_from_a_failed_one(academy: Any, admin: Actor) -> None:
    """A course of this term has no score yet: the list's 通过 column says 在修 (in progress), not 否,
    which an administrator reads as failed; a failed score says 否, a pass 是. Sorting by the column
    keeps the three apart."""
    from db import listing
    from db.i18n import set_language

    with unit_of_work(academy.factory, admin) as s:
        enrol(s, admin, "S4", "I1", "2025-2026-2", None)
    col = next(c for c in cur.ENROLMENTS.columns if c.key == "passed")
    with academy.factory() as s:
        rows = listing.fetch(s, admin, cur.ENROLMENTS, listing.ListQuery(sort_key="passed"), 0, None)
    i = [c.key for c in cur.ENROLMENTS.columns].index("passed")
    by_score = {(r.values[0], r.values[4], r.values[9]): listing.display(col, r.values[i]) for r in rows}
    assert by_score[("S4", "I1", None)] == "In progress"
    assert by_score[("S1", "F3", "59")] == "No"
    assert by_score[("S1", "I1", "良")] == "Yes"
    groups = [v for n, v in enumerate(r.values[i] for r in rows) if n == 0 or v != rows[n - 1].values[i]]
    assert sorted(groups, key=repr) == [False, None, True]  # each state together: sorted, not shuffled
    set_language("zh")
    try:
        assert listing.display(col, None) == "在修"
    finally:
        set_language("en")
