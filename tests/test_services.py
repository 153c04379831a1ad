"""The base-data services (db/people.py, db/curriculum.py): create, update, duplicates, natural-key
upserts and optimistic locking, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import filled_once  # type: ignore[import-not-found]
from sqlalchemy import func, select

from db.actor import Actor, unit_of_work
from db.curriculum import (
    course_by_code,
    plan,
    remove_programme_course,
    save_course,
    save_external_course,
    save_programme,
    save_programme_course,
)
from db.errors import ConflictError, NotFound, ValidationError
from db.models import (
    Course,
    CourseCategory,
    ExternalCourse,
    Gender,
    Mentor,
    MentorAssignment,
    MentorRole,
    Organisation,
    OrgKind,
    Programme,
    ProgrammeCourse,
    Student,
    StudentStatus,
    University,
)
from db.people import save_mentor, save_student, save_university
from db.records import flush, get_for_update

STUDENT = {"student_no": "2025010001", "name": "王梓涵", "cohort": 2025, "programme": "AI-ENG",
           "gender": Gender.FEMALE, "home_university": "重庆大学", "enrolled_on": dt.date(2025, 9, 1),
           "phone": "13812345678", "email": "wangzh@example.cn"}


def _count(session, model) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
@filled_once
def base(db, admin):  # type: ignore[no-untyped-def]
    """A programme and one student."""
    with unit_of_work(db.factory, admin) as s:
        save_programme(s, admin, {"code": "AI-ENG", "name": "人工智能工程（产教融合）"})
        student, created = save_student(s, admin, dict(STUDENT))
        assert created
    return db, student.id


# --------------------------------------------------------------------------- students


def test_create_student(base, admin) -> None:  # type: ignore[no-untyped-def]
    db, sid = base
    with db.factory() as s:
        st = s.get(Student, sid)
        assert st.student_no == "2025010001"
        assert st.status is StudentStatus.ACTIVE  # default
        assert st.programme.code == "AI-ENG"
        assert st.home_university.name == "重庆大学"
        assert st.home_university.kind is OrgKind.UNIVERSITY
        assert st.enrolled_on == dt.date(2025, 9, 1)
        assert st.version == 1


def test_update_student_bumps_version(base, admin) -> None:  # type: ignore[no-untyped-def]
    db, sid = base
    with unit_of_work(db.factory, admin) as s:
        st, created = save_student(s, admin, {"status": StudentStatus.SUSPENDED, "phone": None},
                                   student_id=sid, expected_version=1)
        assert not created
    with db.factory() as s:
        st = s.get(Student, sid)
        assert st.status is StudentStatus.SUSPENDED
        assert st.phone is None
        assert st.name == "王梓涵"  # untouched fields keep their values
        assert st.version == 2


def test_duplicate_student_number_is_refused(base, admin) -> None:  # type: ignore[no-untyped-def]
    db, _ = base
    with pytest.raises(ValidationError) as err:
        with unit_of_work(db.factory, admin) as s:
            save_student(s, admin, {**STUDENT, "name": "另一个人"})
    assert "student_no" in err.value.errors
    assert "2025010001" in str(err.value)
    with db.factory() as s:
        assert _count(s, Student) == 1


def test_duplicate_is_case_insensitive(base, admin) -> None:  # type: ignore[no-untyped-def]
    db, _ = base
    with pytest.raises(ValidationError) as err:
        with unit_of_work(db.factory, admin) as s:
            save_programme(s, admin, {"code": "ai-eng", "name": "重复"})
    assert "code" in err.value.errors


def test_renaming_a_student_onto_another_number_is_refused(base, admin) -> None:  # type: ignore[no-untyped-def]
    db, sid = base
    with unit_of_work(db.factory, admin) as s:
        other, _ = save_student(s, admin, {**STUDENT, "student_no": "2025010002", "name": "李雷"})
    with pytest.raises(ValidationError) as err:
        with unit_of_work(db.factory, admin) as s:
            save_student(s, admin, {"student_no": "2025010001"}, student_id=other.id, expected_version=1)
    assert "student_no" in err.value.errors
    # saving a student under its own number is fine
    with unit_of_work(db.factory, admin) as s:
        save_student(s, admin, {"student_no": "2025010001", "name": "王梓涵"}, student_id=sid, expected_version=1)


def test_unknown_programme_is_refused(base, admin) -> None:  # type: ignore[no-untyped-def]
    db, _ = base
    with pytest.raises(ValidationError) as err:
        with unit_of_work(db.factory, admin) as s:
            save_student(s, admin, {**STUDENT, "student_no": "2025019999", "programme": "NO-SUCH"})
    assert "programme" in err.value.errors
    assert "NO-SUCH" in str(err.value)
    with db.factory() as s:
        assert _count(s, Student) == 1


def test_programme_code_is_matched_case_insensitively(base, admin) -> None:  # type: ignore[no-untyped-def]
    db, _ = base
    with unit_of_work(db.factory, admin) as s:
        st, _ = save_student(s, admin, {**STUDENT, "student_no": "2025010003", "programme": " ai-eng "})
        assert st.programme.code == "AI-ENG"


def test_upsert_updates_by_student_number(base, admin) -> None:  # type: ignore[no-untyped-def]
    db, sid = base
    with unit_of_work(db.factory, admin) as s:
        st, created = save_student(s, admin, {**STUDENT, "name": "王梓涵（改）", "cohort": 2024}, upsert=True)
    assert not created
    assert st.id == sid
    with db.factory() as s:
        assert _count(s, Student) == 1
        st = s.get(Student, sid)
        assert (st.name, st.cohort, st.version) == ("王梓涵（改）", 2024, 2)


def test_upsert_creates_when_new(base, admin) -> None:  # type: ignore[no-untyped-def]
    db, _ = base
    with unit_of_work(db.factory, admin) as s:
        _, created = save_student(s, admin, {**STUDENT, "student_no": "2025010099"}, upsert=True)
    assert created
    with db.factory() as s:
        assert _count(s, Student) == 2
        # the organisation named on both rows exists once
        assert s.scalar(select(func.count()).select_from(Organisation).where(Organisation.name == "重庆大学")) == 1


def test_update_of_missing_student(base, admin) -> None:  # type: ignore[no-untyped-def]
    db, _ = base
    with pytest.raises(NotFound):
        with unit_of_work(db.factory, admin) as s:
            save_student(s, admin, {"name": "x"}, student_id=987654, expected_version=1)


# --------------------------------------------------------------------------- optimistic locking


def test_stale_save_is_a_conflict_and_overwrites_nothing(base, admin) -> None:  # type: ignore[no-untyped-def]
    """Two PCs open the same student; the first saves; the second's save is refused."""
    db, sid = base
    with db.factory() as s:  # PC 1 opens the dialog
        v1 = s.get(Student, sid).version
    with db.factory() as s:  # PC 2 opens the dialog
        v2 = s.get(Student, sid).version
    with unit_of_work(db.factory, admin) as s:  # PC 1 saves
        save_student(s, admin, {"phone": "13900000001"}, student_id=sid, expected_version=v1)
    with pytest.raises(ConflictError, match="changed on another computer"):
        with unit_of_work(db.factory, admin) as s:  # PC 2 saves what it loaded
            save_student(s, admin, {"phone": "13900000002", "name": "覆盖"}, student_id=sid, expected_version=v2)
    with db.factory() as s:
        st = s.get(Student, sid)
        assert (st.phone, st.name, st.version) == ("13900000001", "王梓涵", 2)


def test_concurrent_transactions_conflict(base, admin) -> None:  # type: ignore[no-untyped-def]
    """The race the version check alone cannot see: both passed the check, the first commits, the
    second's UPDATE (WHERE version = its version) must be refused as a conflict, not lost."""
    db, sid = base
    s2 = db.factory()
    s2.info["actor"] = admin
    try:
        st2 = get_for_update(s2, Student, sid, 1)  # PC 2 is saving: checked, not yet written
        with unit_of_work(db.factory, admin) as s1:  # PC 1 saves in between
            save_student(s1, admin, {"phone": "13900000001"}, student_id=sid, expected_version=1)
        st2.phone = "13900000002"
        with pytest.raises(ConflictError):
            flush(s2)
        s2.rollback()
    finally:
        s2.close()
    with db.factory() as s:
        st = s.get(Student, sid)
        assert (st.phone, st.version) == ("13900000001", 2)


def test_conflict_on_mentor_and_programme(db, admin) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(db.factory, admin) as s:
        prog, _ = save_programme(s, admin, {"code": "P1", "name": "方案一"})
        mentor, _ = save_mentor(s, admin, {"staff_no": "HW0001", "name": "陈建国", "organisation": "华为技术有限公司",
                                           "roles": [MentorRole.INDUSTRY]})
    with unit_of_work(db.factory, admin) as s:
        save_programme(s, admin, {"name": "方案一（新）"}, programme_id=prog.id, expected_version=1)
        save_mentor(s, admin, {"title": "高级工程师"}, mentor_id=mentor.id, expected_version=1)
    with pytest.raises(ConflictError):
        with unit_of_work(db.factory, admin) as s:
            save_programme(s, admin, {"name": "旧"}, programme_id=prog.id, expected_version=1)
    with pytest.raises(ConflictError):
        with unit_of_work(db.factory, admin) as s:
            save_mentor(s, admin, {"title": "旧"}, mentor_id=mentor.id, expected_version=1)


# --------------------------------------------------------------------------- mentors


def _mentor(s, admin, staff_no="CQU001", roles=(MentorRole.ACADEMIC,), **kw):  # type: ignore[no-untyped-def]
    values = {"staff_no": staff_no, "name": "刘教授", "organisation": "重庆大学", "roles": list(roles), **kw}
    return save_mentor(s, admin, values)[0]


def test_create_mentor_with_roles_and_capacity(db, admin) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(db.factory, admin) as s:
        m = _mentor(s, admin, roles=[MentorRole.ACADEMIC, MentorRole.STUDY], capacity=5)
        mid = m.id
    with db.factory() as s:
        m = s.get(Mentor, mid)
        assert {(q.role, q.capacity) for q in m.qualifications} == {(MentorRole.ACADEMIC, 5), (MentorRole.STUDY, 5)}
        assert m.organisation.kind is OrgKind.UNIVERSITY
    with unit_of_work(db.factory, admin) as s:
        m2 = _mentor(s, admin, "HW0001", [MentorRole.INDUSTRY], organisation="华为技术有限公司")
        assert m2.qualifications[0].capacity == 8  # default
        assert m2.organisation.kind is OrgKind.COMPANY


def test_mentor_needs_a_role_and_an_organisation(db, admin) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as err:
        with unit_of_work(db.factory, admin) as s:
            _mentor(s, admin, roles=[])
    assert "roles" in err.value.errors
    with pytest.raises(ValidationError) as err:
        with unit_of_work(db.factory, admin) as s:
            _mentor(s, admin, organisation="")
    assert "organisation" in err.value.errors
    with db.factory() as s:
        assert _count(s, Mentor) == 0


def test_duplicate_staff_number(db, admin) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(db.factory, admin) as s:
        _mentor(s, admin)
    with pytest.raises(ValidationError) as err:
        with unit_of_work(db.factory, admin) as s:
            _mentor(s, admin, name="另一位")
    assert "staff_no" in err.value.errors


def test_mentor_upsert_changes_roles(db, admin) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(db.factory, admin) as s:
        mid = _mentor(s, admin, roles=[MentorRole.ACADEMIC]).id
    with unit_of_work(db.factory, admin) as s:
        m, created = save_mentor(s, admin, {"staff_no": "CQU001", "name": "刘教授", "organisation": "重庆大学",
                                            "roles": [MentorRole.ACADEMIC, MentorRole.STUDY], "capacity": 3},
                                 upsert=True)
        assert not created and m.id == mid
    with db.factory() as s:
        assert _count(s, Mentor) == 1
        assert {(q.role, q.capacity) for q in s.get(Mentor, mid).qualifications} == {
            (MentorRole.ACADEMIC, 3), (MentorRole.STUDY, 3)}


def test_mentor_cannot_drop_a_role_still_held(base, admin) -> None:  # type: ignore[no-untyped-def]
    db, sid = base
    with unit_of_work(db.factory, admin) as s:
        m = _mentor(s, admin, roles=[MentorRole.ACADEMIC, MentorRole.STUDY])
        s.add(MentorAssignment(student_id=sid, mentor_id=m.id, role=MentorRole.ACADEMIC,
                               start_on=dt.date(2025, 9, 1)))
        mid = m.id
    with pytest.raises(ValidationError) as err:
        with unit_of_work(db.factory, admin) as s:
            save_mentor(s, admin, {"roles": [MentorRole.STUDY]}, mentor_id=mid, expected_version=1)
    assert "roles" in err.value.errors
    assert "1" in str(err.value)
    with db.factory() as s:
        assert {q.role for q in s.get(Mentor, mid).qualifications} == {MentorRole.ACADEMIC, MentorRole.STUDY}
    # a role no open assignment uses can go
    with unit_of_work(db.factory, admin) as s:
        save_mentor(s, admin, {"roles": [MentorRole.ACADEMIC]}, mentor_id=mid, expected_version=1)
    # once the assignment has ended, the role can go too
    with unit_of_work(db.factory, admin) as s:
        a = s.scalar(select(MentorAssignment))
        a.end_on, a.end_reason = dt.date(2026, 1, 31), "毕业"
    with unit_of_work(db.factory, admin) as s:
        m = s.get(Mentor, mid)
        save_mentor(s, admin, {"roles": [MentorRole.STUDY]}, mentor_id=mid, expected_version=m.version)
    with db.factory() as s:
        assert {q.role for q in s.get(Mentor, mid).qualifications} == {MentorRole.STUDY}


# --------------------------------------------------------------------------- programmes and courses


def test_programme_defaults_and_bounds(db, admin) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(db.factory, admin) as s:
        prog, _ = save_programme(s, admin, {"code": "AI-ENG", "name": "人工智能工程", "target_share": None,
                                            "tolerance": None, "transfer_cap": 20})
    assert (prog.target_share, prog.tolerance, prog.transfer_cap) == (0.5, 0.05, 20)
    for values, field in (({"target_share": 1.2}, "target_share"), ({"tolerance": 0.6}, "tolerance")):
        with pytest.raises(ValidationError) as err:
            with unit_of_work(db.factory, admin) as s:
                save_programme(s, admin, {"code": "X", "name": "x", **values})
        assert field in err.value.errors
    with db.factory() as s:
        assert _count(s, Programme) == 1


def test_courses(db, admin) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(db.factory, admin) as s:
        c, created = save_course(s, admin, {"code": "AGI101", "name": "大模型原理", "credits": 3.0,
                                            "category": CourseCategory.FOUNDATION, "hours": 48,
                                            "provider": "重庆大学", "partner": None})
        assert created and c.provider.name == "重庆大学" and c.partner is None
        c2, _ = save_course(s, admin, {"code": "IND201", "name": "车联网与数据智能", "credits": 2.0,
                                       "category": CourseCategory.INDUSTRY, "partner": "长安汽车"})
        assert c2.partner.kind is OrgKind.COMPANY
    with pytest.raises(ValidationError) as err:
        with unit_of_work(db.factory, admin) as s:
            save_course(s, admin, {"code": "agi101", "name": "重复", "credits": 1.0,
                                   "category": CourseCategory.OTHER})
    assert "code" in err.value.errors
    with pytest.raises(ValidationError) as err:
        with unit_of_work(db.factory, admin) as s:
            save_course(s, admin, {"code": "NEG", "name": "负学分", "credits": -1.0,
                                   "category": CourseCategory.OTHER})
    assert "credits" in err.value.errors
    with unit_of_work(db.factory, admin) as s:
        c, created = save_course(s, admin, {"code": "AGI101", "name": "大模型原理与实践", "credits": 4.0,
                                            "category": CourseCategory.FOUNDATION}, upsert=True)
        assert not created
    with db.factory() as s:
        assert _count(s, Course) == 2
        c = course_by_code(s, "agi101")
        assert (c.name, c.credits, c.hours) == ("大模型原理与实践", 4.0, 48)


def test_programme_plan(db, admin) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(db.factory, admin) as s:
        prog, _ = save_programme(s, admin, {"code": "AI-ENG", "name": "人工智能工程"})
        save_course(s, admin, {"code": "AGI101", "name": "大模型原理", "credits": 3.0,
                               "category": CourseCategory.FOUNDATION})
        save_course(s, admin, {"code": "IND201", "name": "车联网与数据智能", "credits": 3.0,
                               "category": CourseCategory.INDUSTRY})
        link, created = save_programme_course(s, admin, {"programme": "AI-ENG", "course": "AGI101"})
        assert created and link.required is True  # required unless said otherwise
        save_programme_course(s, admin, {"programme": "ai-eng", "course": "IND201", "required": False})
    with unit_of_work(db.factory, admin) as s:  # the same pair again updates the link
        link, created = save_programme_course(s, admin, {"programme": "AI-ENG", "course": "AGI101",
                                                         "required": False})
        assert not created and link.required is False
    with db.factory() as s:
        rows = plan(s, prog.id)
        assert [(r.course.code, r.required) for r in rows] == [("AGI101", False), ("IND201", False)]
    for values, field in (({"programme": "NOPE", "course": "AGI101"}, "programme"),
                          ({"programme": "AI-ENG", "course": "NOPE"}, "course")):
        with pytest.raises(ValidationError) as err:
            with unit_of_work(db.factory, admin) as s:
                save_programme_course(s, admin, values)
        assert field in err.value.errors
    with unit_of_work(db.factory, admin) as s:
        link = s.scalar(select(ProgrammeCourse).join(Course).where(Course.code == "IND201"))
        remove_programme_course(s, admin, link.id, link.version)
    with db.factory() as s:
        assert [r.course.code for r in plan(s, prog.id)] == ["AGI101"]


# --------------------------------------------------------------------------- alliance universities


def test_universities_and_external_courses(db, admin) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(db.factory, admin) as s:
        uni, created = save_university(s, admin, {"code": "CQU", "name": "重庆大学", "hours_per_credit": None,
                                                  "agreement_from": dt.date(2024, 9, 1),
                                                  "agreement_to": dt.date(2029, 8, 31)})
        assert created and uni.hours_per_credit == 16.0
        save_university(s, admin, {"code": "SWU", "name": "西南大学", "hours_per_credit": 18})
    with pytest.raises(ValidationError) as err:
        with unit_of_work(db.factory, admin) as s:
            save_university(s, admin, {"code": "cqu", "name": "重复"})
    assert "code" in err.value.errors
    with pytest.raises(ValidationError) as err:
        with unit_of_work(db.factory, admin) as s:
            save_university(s, admin, {"code": "BAD", "name": "倒序", "agreement_from": dt.date(2025, 1, 1),
                                       "agreement_to": dt.date(2024, 1, 1)})
    assert "agreement_to" in err.value.errors

    with unit_of_work(db.factory, admin) as s:
        ext, created = save_external_course(s, admin, {"university": "CQU", "code": "CS3101", "name": "机器学习",
                                                       "credits": 3.0, "hours": 48})
        assert created
        # the same code at another university is a different course
        save_external_course(s, admin, {"university": "SWU", "code": "CS3101", "name": "机器学习导论",
                                        "credits": 2.0})
    with pytest.raises(ValidationError) as err:
        with unit_of_work(db.factory, admin) as s:
            save_external_course(s, admin, {"university": "CQU", "code": "cs3101", "name": "重复", "credits": 1.0})
    assert "code" in err.value.errors
    with pytest.raises(ValidationError) as err:
        with unit_of_work(db.factory, admin) as s:
            save_external_course(s, admin, {"university": "PKU", "code": "X1", "name": "x", "credits": 1.0})
    assert "university" in err.value.errors
    with unit_of_work(db.factory, admin) as s:
        ext2, created = save_external_course(s, admin, {"university": "CQU", "code": "CS3101",
                                                        "name": "机器学习（新版）", "credits": 4.0}, upsert=True)
        assert not created and ext2.id == ext.id
    with unit_of_work(db.factory, admin) as s:
        uni, created = save_university(s, admin, {"code": "CQU", "name": "重庆大学", "hours_per_credit": 17},
                                       upsert=True)
        assert not created
    with db.factory() as s:
        assert _count(s, University) == 2
        assert _count(s, ExternalCourse) == 2
        assert s.get(ExternalCourse, ext.id).name == "机器学习（新版）"
        assert s.scalar(select(University.hours_per_credit).where(University.code == "CQU")) == 17


def test_failed_save_leaves_nothing_behind(db, admin: Actor) -> None:  # type: ignore[no-untyped-def]
    """A service error rolls back the whole unit of work, organisations it created included."""
    with pytest.raises(ValidationError):
        with unit_of_work(db.factory, admin) as s:
            save_student(s, admin, {**STUDENT, "home_university": "新建大学", "programme": "NOPE"})
    with db.factory() as s:
        assert _count(s, Organisation) == 0
        assert _count(s, Student) == 0
