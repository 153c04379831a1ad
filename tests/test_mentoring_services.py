"""The three-mentor services beyond the basic rules: reassignment, bulk assignment, suggestions,
the bad-input rules of sessions and tasks (service and import give the same message), submission and
review, the shared timeline, a mentor's desk, the no-contact setting and the coverage lists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import filled_once  # type: ignore[import-not-found]
from openpyxl import Workbook
from sqlalchemy import select

from db import coverage, listing, lists, mentoring
from db.actor import Actor, unit_of_work
from db.curriculum import save_programme
from db.errors import PermissionDenied, RuleViolation, ValidationError
from db.models import MentorAssignment, MentorRole, Role, Student, StudentStatus, Task, TaskStatus
from db.people import save_mentor, save_student
from forms.importer import run_import

D = dt.date
TODAY = dt.date.today()
ACADEMIC, INDUSTRY, STUDY = MentorRole.ACADEMIC, MentorRole.INDUSTRY, MentorRole.STUDY


@pytest.fixture
@filled_once
def academy(db: Any, admin: Actor) -> Any:
    """Programmes P1 and P2; students S1–S4 (P1) and S5 (P2) enrolled 2025-09-01; mentors A1 (academic,
    capacity 2), A2 (academic + study), H1 and H2 (industry; H2 capacity 1), T1 (study)."""
    with unit_of_work(db.factory, admin) as s:
        save_programme(s, admin, {"code": "P1", "name": "人工智能工程"})
        save_programme(s, admin, {"code": "P2", "name": "智能网联汽车"})
        for i in range(1, 6):
            save_student(s, admin, {"student_no": f"S{i}", "name": f"学生{i}", "cohort": 2025,
                                    "programme": "P1" if i < 5 else "P2", "enrolled_on": D(2025, 9, 1)})
        for no, name, org, roles, cap in (
                ("A1", "刘教授", "重庆大学", [ACADEMIC], 2), ("A2", "周教授", "重庆大学", [ACADEMIC, STUDY], 8),
                ("H1", "陈工", "华为技术有限公司", [INDUSTRY], 8), ("H2", "王工", "长安汽车", [INDUSTRY], 1),
                ("T1", "赵老师", "重庆邮电大学", [STUDY], 8)):
            save_mentor(s, admin, {"staff_no": no, "name": name, "organisation": org, "roles": roles,
                                   "capacity": cap})
    with db.factory() as s:
        db.sid = {st.student_no: st.id for st in s.scalars(select(Student))}
        db.mid = {no: mentoring.mentor_by_no(s, no).id for no in ("A1", "A2", "H1", "H2", "T1")}
    return db


def _assign(db: Any, admin: Actor, student: str, mentor: str, role: MentorRole, start: dt.date, **kw: Any) -> int:
    with unit_of_work(db.factory, admin) as s:
        return mentoring.assign(s, admin, mentoring.student_by_no(s, student), mentoring.mentor_by_no(s, mentor),
                                role, start, **kw).id


def _mentor(db: Any, no: str) -> Actor:
    return Actor(no.lower(), Role.MENTOR, user_id=None, mentor_id=db.mid[no])


def _book(path: Path, rows: list[list[Any]]) -> Path:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


# --------------------------------------------------------------------------- sessions: bad input


def test_session_rules_are_refused_with_the_same_message_in_service_and_import(
        academy: Any, admin: Actor, tmp_path: Path) -> None:
    _assign(academy, admin, "S1", "H1", INDUSTRY, D(2025, 9, 1), end_on=D(2026, 3, 1))
    ok = {"staff_no": "H1", "student_no": "S1", "date": D(2025, 10, 1), "minutes": 60, "topic": "实习"}
    cases = [
        ({"date": TODAY + dt.timedelta(days=1)}, "date", "in the future"),
        ({"date": D(2025, 8, 31)}, "date", "was not assigned"),  # before the assignment
        ({"date": D(2026, 3, 1)}, "date", "was not assigned"),  # the end date: no longer in the role
        ({"minutes": 0}, "minutes", "between 1 and 1440"),
        ({"minutes": 24 * 60 + 1}, "minutes", "between 1 and 1440"),
        ({"student_no": "S2"}, "date", "was not assigned"),  # never this student's mentor
    ]
    service_messages = []
    for change, field, words in cases:
        with pytest.raises(ValidationError) as err, unit_of_work(academy.factory, admin) as s:
            mentoring.save_session(s, admin, {**ok, **change})
        assert list(err.value.errors) == [field] and words in err.value.errors[field]
        service_messages.append(err.value.errors[field])
    with unit_of_work(academy.factory, admin) as s:  # the last valid day of the assignment is fine
        mentoring.save_session(s, admin, {**ok, "date": D(2026, 2, 28), "minutes": 24 * 60})
    # the import reports the service's own words on the right column (the parser stops minutes earlier)
    result = run_import(academy.factory, admin, "sessions", _book(tmp_path / "s.xlsx", [
        ["工号", "学号", "日期", "时长(分钟)"],
        ["H1", "S1", "2025-10-01", 60],
        ["H1", "S1", "2025-08-31", 60],
        ["H1", "S2", "2025-10-01", 60],
        ["H1", "S1", (TODAY + dt.timedelta(days=1)).isoformat(), 60],
    ]))
    assert not result.committed
    assert [(e.row, e.field, e.reason) for e in result.errors] == [
        (3, "date", service_messages[1]),
        (4, "date", service_messages[5]),
        (5, "date", service_messages[0]),
    ]


def test_numbers_typed_in_another_letter_case_name_their_records(
        academy: Any, admin: Actor, tmp_path: Path) -> None:
    """Staff and student numbers with letters are unique whatever their case (a second 'h1' is refused
    as a duplicate of H1), so a file typing them in lower case names H1 and S1, as course and programme
    codes already did, instead of saying H1 does not exist."""
    _assign(academy, admin, "S1", "H1", INDUSTRY, D(2025, 9, 1))
    book = _book(tmp_path / "sessions.xlsx", [["工号", "学号", "日期", "时长(分钟)", "主题"],
                                               [" h1 ", "s1", D(2025, 10, 1), 60, "实习"]])
    result = run_import(academy.factory, admin, "sessions", book)
    assert result.committed and result.created == 1, result.errors
    with academy.factory() as s:
        assert mentoring.student_by_no(s, "s1").id == academy.sid["S1"]
        assert mentoring.mentor_by_no(s, "h2").id == academy.mid["H2"]
        with pytest.raises(ValidationError, match="x9 does not exist"):
            mentoring.student_by_no(s, "x9")


def test_mentor_acts_only_on_own_current_mentees(academy: Any, admin: Actor) -> None:
    _assign(academy, admin, "S1", "H1", INDUSTRY, D(2025, 9, 1))
    _assign(academy, admin, "S2", "H1", INDUSTRY, D(2025, 9, 1), end_on=D(2026, 1, 1))  # former mentee
    _assign(academy, admin, "S3", "H2", INDUSTRY, D(2025, 9, 1))
    h1 = _mentor(academy, "H1")
    values = {"staff_no": "H1", "student_no": "S2", "date": D(2025, 10, 1), "minutes": 60}
    with pytest.raises(PermissionDenied, match="current mentees"), unit_of_work(academy.factory, h1) as s:
        mentoring.save_session(s, h1, values)  # assigned that day, but a former mentee now: read-only
    with unit_of_work(academy.factory, admin) as s:
        mentoring.save_session(s, admin, values)  # an administrator may record it
        theirs, _ = mentoring.save_session(s, admin, {**values, "staff_no": "H2", "student_no": "S3"})
    with academy.factory() as s:
        assert len(mentoring.timeline(s, h1, academy.sid["S2"])) == 1  # former mentee: still readable
    with pytest.raises(PermissionDenied), academy.factory() as s:
        mentoring.timeline(s, h1, academy.sid["S3"])
    with pytest.raises(PermissionDenied), unit_of_work(academy.factory, h1) as s:
        # someone else's session, even named with one's own staff number
        mentoring.save_session(s, h1, {**values, "student_no": "S1"}, session_id=theirs.id)


# --------------------------------------------------------------------------- tasks: submission and review


def test_task_flow_and_review_before_submission_refused(academy: Any, admin: Actor, tmp_path: Path) -> None:
    _assign(academy, admin, "S1", "A2", ACADEMIC, D(2025, 9, 1))
    _assign(academy, admin, "S1", "T1", STUDY, D(2025, 9, 1))
    a2, t1 = _mentor(academy, "A2"), _mentor(academy, "T1")
    given = TODAY - dt.timedelta(days=20)
    with unit_of_work(academy.factory, a2) as s:
        task, created = mentoring.save_task(s, a2, {"staff_no": "A2", "student_no": "S1", "title": "文献综述",
                                                    "description": "近两年多模态工作", "assigned_on": given,
                                                    "due_on": given + dt.timedelta(days=14)})
        task_id, version = task.id, task.version
    assert created
    with pytest.raises(ValidationError) as early, unit_of_work(academy.factory, a2) as s:
        mentoring.review_task(s, a2, task_id, TODAY, 90, "好", version)
    assert "before it is submitted" in early.value.errors["reviewed_on"]
    with pytest.raises(PermissionDenied), unit_of_work(academy.factory, t1) as s:
        mentoring.record_submission(s, t1, task_id, TODAY, version)  # another mentor of the same student
    with pytest.raises(ValidationError, match="before the assignment"), unit_of_work(academy.factory, a2) as s:
        mentoring.record_submission(s, a2, task_id, given - dt.timedelta(days=1), version)
    with academy.factory() as s:  # overdue is derived: due 6 days ago, not reviewed
        entry = next(e for e in mentoring.timeline(s, admin, academy.sid["S1"]) if e.kind == "task")
        assert entry.overdue and entry.role is ACADEMIC and entry.status is TaskStatus.ASSIGNED
    with unit_of_work(academy.factory, a2) as s:
        version = mentoring.record_submission(s, a2, task_id, TODAY - dt.timedelta(days=2), version).version
    with pytest.raises(ValidationError, match="before the submission"), unit_of_work(academy.factory, a2) as s:
        mentoring.review_task(s, a2, task_id, TODAY - dt.timedelta(days=3), 90, "好", version)
    with pytest.raises(ValidationError, match="between 0 and 100"), unit_of_work(academy.factory, a2) as s:
        mentoring.review_task(s, a2, task_id, TODAY, 101, "好", version)
    with unit_of_work(academy.factory, a2) as s:
        mentoring.review_task(s, a2, task_id, TODAY, 92, " 结构清晰 ", version)
    with academy.factory() as s:
        task = s.get(Task, task_id)
        assert ((task.status, task.score, task.feedback, task.reviewed_on)
                == (TaskStatus.REVIEWED, 92, "结构清晰", TODAY))
        assert not mentoring.is_overdue(task, TODAY)
    # the import refuses a review without a submission with the same words, on the same column
    result = run_import(academy.factory, admin, "assignments", _book(tmp_path / "t.xlsx", [
        ["工号", "学号", "任务名称", "布置日期", "截止日期", "状态", "评阅日期", "评分"],
        ["A2", "S1", "开题报告", "2025-10-08", "2025-10-31", "已评阅", "2025-11-03", 88],
        ["A2", "S2", "开题报告", "2025-10-08", "2025-10-31", None, None, None],
    ]))
    assert [(e.row, e.field) for e in result.errors] == [(2, "reviewed_on"), (3, "assigned_on")]
    assert result.errors[0].reason == early.value.errors["reviewed_on"]
    assert "was not assigned" in result.errors[1].reason


# --------------------------------------------------------------------------- reassign, bulk, suggestions


def test_reassign_keeps_history_and_checks_the_new_mentor(academy: Any, admin: Actor) -> None:
    first = _assign(academy, admin, "S1", "A2", ACADEMIC, D(2025, 9, 1))
    _assign(academy, admin, "S2", "A1", ACADEMIC, D(2025, 9, 1))
    _assign(academy, admin, "S3", "A1", ACADEMIC, D(2025, 9, 1))  # A1 now full (capacity 2)
    with academy.factory() as s:
        version = s.get(MentorAssignment, first).version
        a1, a2, h1 = (mentoring.mentor_by_no(s, n) for n in ("A1", "A2", "H1"))
    with pytest.raises(ValidationError, match="reason"), unit_of_work(academy.factory, admin) as s:
        mentoring.reassign(s, admin, first, a1, D(2026, 2, 1), " ", expected_version=version)
    with pytest.raises(ValidationError, match="already holds this role"), unit_of_work(academy.factory, admin) as s:
        mentoring.reassign(s, admin, first, a2, D(2026, 2, 1), "调整", expected_version=version)
    with pytest.raises(ValidationError, match="not qualified"), unit_of_work(academy.factory, admin) as s:
        mentoring.reassign(s, admin, first, h1, D(2026, 2, 1), "调整", expected_version=version)
    with pytest.raises(RuleViolation, match="capacity"), unit_of_work(academy.factory, admin) as s:
        mentoring.reassign(s, admin, first, a1, D(2026, 2, 1), "调整", expected_version=version)
    with academy.factory() as s:  # every refusal left the old assignment untouched
        assert s.get(MentorAssignment, first).end_on is None
    with unit_of_work(academy.factory, admin) as s:
        new = mentoring.reassign(s, admin, first, a1, D(2026, 2, 1), "研究方向调整", override_reason="课题需要",
                                 expected_version=version)
        assert new.capacity_override and new.override_reason == "课题需要"
    with academy.factory() as s:
        lines = mentoring.assignment_history(s, admin, academy.sid["S1"])
    assert [(a.staff_no, a.start_on, a.end_on, a.end_reason) for a in lines] == [
        ("A1", D(2026, 2, 1), None, None), ("A2", D(2025, 9, 1), D(2026, 2, 1), "研究方向调整")]
    assert mentoring.current_mentors(lines, D(2026, 1, 31))[ACADEMIC].staff_no == "A2"


def test_bulk_assign_within_capacity_all_or_nothing(academy: Any, admin: Actor) -> None:
    _assign(academy, admin, "S4", "H1", INDUSTRY, D(2025, 9, 1))
    ids = [academy.sid[n] for n in ("S1", "S2", "S3")]
    with academy.factory() as s:
        h2, h1 = mentoring.mentor_by_no(s, "H2"), mentoring.mentor_by_no(s, "H1")
    with pytest.raises(RuleViolation, match="1 free places.*3 students"), unit_of_work(academy.factory, admin) as s:
        mentoring.bulk_assign(s, admin, ids, h2, INDUSTRY, D(2025, 10, 1))
    with pytest.raises(ValidationError, match="学生4"), unit_of_work(academy.factory, admin) as s:
        mentoring.bulk_assign(s, admin, [*ids, academy.sid["S4"]], h1, INDUSTRY, D(2025, 10, 1))  # S4 has one
    with academy.factory() as s:
        assert s.scalar(select(MentorAssignment).where(MentorAssignment.start_on == D(2025, 10, 1))) is None
    with unit_of_work(academy.factory, admin) as s:
        made = mentoring.bulk_assign(s, admin, ids, h1, INDUSTRY, D(2025, 10, 1))
    assert len(made) == 3
    with unit_of_work(academy.factory, admin) as s:  # over capacity only with a recorded reason
        made = mentoring.bulk_assign(s, admin, [academy.sid["S5"]], h2, INDUSTRY, D(2025, 10, 1))
        assert not made[0].capacity_override


def test_suggestions_prefer_the_programme_and_free_places(academy: Any, admin: Actor) -> None:
    _assign(academy, admin, "S2", "A2", ACADEMIC, D(2025, 9, 1))  # A2 mentors programme P1
    _assign(academy, admin, "S1", "T1", STUDY, D(2025, 9, 1))
    _assign(academy, admin, "S2", "H2", INDUSTRY, D(2025, 9, 1))  # H2 full
    with academy.factory() as s:
        academic = mentoring.suggest_mentors(s, admin, academy.sid["S1"], ACADEMIC, D(2025, 10, 1))
        assert [(x.staff_no, x.same_programme, x.free) for x in academic] == [("A2", 1, 7), ("A1", 0, 2)]
        # T1 holds the study role for S1, so it is not offered again; A2 is
        assert [x.staff_no for x in mentoring.suggest_mentors(s, admin, academy.sid["S1"], STUDY, D(2025, 10, 1))
                ] == ["A2"]
        industry = mentoring.suggest_mentors(s, admin, academy.sid["S1"], INDUSTRY, D(2025, 10, 1))
        assert [x.staff_no for x in industry] == ["H1"]  # H2 is at capacity
        everyone = mentoring.suggest_mentors(s, admin, academy.sid["S1"], INDUSTRY, D(2025, 10, 1),
                                             include_full=True)
        assert [x.staff_no for x in everyone] == ["H1", "H2"]
        with pytest.raises(PermissionDenied):
            mentoring.suggest_mentors(s, _mentor(academy, "H1"), academy.sid["S1"], INDUSTRY)


# --------------------------------------------------------------------------- timeline, desk, setting


def test_one_timeline_across_the_three_mentors(academy: Any, admin: Actor) -> None:
    start = TODAY - dt.timedelta(days=200)
    _assign(academy, admin, "S1", "A2", ACADEMIC, start)
    _assign(academy, admin, "S1", "H1", INDUSTRY, start)
    _assign(academy, admin, "S1", "T1", STUDY, start)
    for no, days, topic in (("A2", 100, "论文选题"), ("H1", 30, "车载数据平台"), ("T1", 5, "学业规划")):
        me = _mentor(academy, no)
        with unit_of_work(academy.factory, me) as s:
            mentoring.save_session(s, me, {"staff_no": no, "student_no": "S1", "date": TODAY - dt.timedelta(days),
                                           "minutes": 60, "topic": topic})
    h1 = _mentor(academy, "H1")
    with academy.factory() as s:
        seen = mentoring.timeline(s, h1, academy.sid["S1"])
        assert [(e.title, e.role, e.editable) for e in seen] == [
            ("学业规划", STUDY, False), ("车载数据平台", INDUSTRY, True), ("论文选题", ACADEMIC, False)]
        assert [e.title for e in mentoring.timeline(s, admin, academy.sid["S1"])] == ["学业规划", "车载数据平台",
                                                                                     "论文选题"]
        desk = mentoring.mentor_desk(s, _mentor(academy, "A2"))
        assert [(m.student_no, m.role) for m in desk.mentees] == [("S1", ACADEMIC)]
        assert [m.student_no for m in desk.sessions_due] == ["S1"]  # 100 days > 45
        assert [m.student_no for m in mentoring.mentor_desk(s, h1).sessions_due] == []  # 30 days


def test_no_contact_setting_is_admin_only_and_bounded(academy: Any, admin: Actor) -> None:
    with academy.factory() as s:
        assert mentoring.no_contact_days(s) == 45
    with pytest.raises(PermissionDenied), unit_of_work(academy.factory, Actor("v", Role.VIEWER)) as s:
        mentoring.set_no_contact_days(s, Actor("v", Role.VIEWER), 30)
    with pytest.raises(ValidationError, match="between 1 and 365"), unit_of_work(academy.factory, admin) as s:
        mentoring.set_no_contact_days(s, admin, 0)
    with unit_of_work(academy.factory, admin) as s:
        mentoring.set_no_contact_days(s, admin, 30)
    with unit_of_work(academy.factory, admin) as s:
        mentoring.set_no_contact_days(s, admin, 60)
    with academy.factory() as s:
        assert mentoring.no_contact_days(s) == 60


# --------------------------------------------------------------------------- coverage


def test_coverage_for_a_given_day(academy: Any, admin: Actor) -> None:
    _assign(academy, admin, "S1", "A2", ACADEMIC, D(2025, 9, 1))
    _assign(academy, admin, "S1", "H1", INDUSTRY, D(2025, 9, 1), end_on=D(2026, 3, 1))
    _assign(academy, admin, "S1", "T1", STUDY, D(2025, 9, 1))
    _assign(academy, admin, "S2", "A1", ACADEMIC, D(2025, 9, 1))
    _assign(academy, admin, "S3", "A1", ACADEMIC, D(2025, 9, 1))
    _assign(academy, admin, "S4", "A1", ACADEMIC, D(2025, 9, 1), override_reason="重点课题")
    with unit_of_work(academy.factory, admin) as s:
        s.get(Student, academy.sid["S5"]).status = StudentStatus.SUSPENDED
        mentoring.save_session(s, admin, {"staff_no": "A2", "student_no": "S1", "date": D(2026, 4, 1), "minutes": 60})
        mentoring.save_session(s, admin, {"staff_no": "T1", "student_no": "S1", "date": D(2026, 1, 5), "minutes": 30})
    day = D(2026, 4, 10)
    with academy.factory() as s:
        missing = {(m.student_no, m.role): (m.since, m.last_mentor) for m in coverage.missing_roles(s, admin, day)}
        assert missing[("S1", INDUSTRY)] == (D(2026, 3, 1), "陈工")  # since the industry mentor left
        assert missing[("S2", STUDY)] == (D(2025, 9, 1), None)  # never had one: since enrolment
        assert len(missing) == 1 + 3 * 2  # S1 industry; S2–S4 industry and study; S5 is suspended
        assert not any(r is ACADEMIC for _n, r in missing)
        assert len(coverage.missing_roles(s, admin, D(2026, 2, 28))) == 6  # before H1's last day
        load = {(w.staff_no, w.role): (w.load, w.capacity, w.overrides, w.over)
                for w in coverage.workload(s, admin, day)}
        assert load[("A1", ACADEMIC)] == (3, 2, 1, True)
        assert load[("A2", STUDY)] == (0, 8, 0, False) and load[("H1", INDUSTRY)] == (0, 8, 0, False)
        quiet = {(n.student_no, n.role): n.last_session for n in coverage.no_contact(s, admin, on=day)}
        # S1: academic met 9 days ago; study last met 95 days ago; S2–S4 never met
        assert quiet == {("S1", STUDY): D(2026, 1, 5), ("S2", ACADEMIC): None, ("S3", ACADEMIC): None,
                         ("S4", ACADEMIC): None}
        assert {n.student_no for n in coverage.no_contact(s, admin, days=120, on=day)} == {"S2", "S3", "S4"}
        with pytest.raises(PermissionDenied):
            coverage.missing_roles(s, _mentor(academy, "A1"), day)


def test_coverage_lists_count_sort_and_filter_in_sql(academy: Any, admin: Actor) -> None:
    long_ago = TODAY - dt.timedelta(days=400)
    _assign(academy, admin, "S1", "A2", ACADEMIC, long_ago)
    _assign(academy, admin, "S1", "H1", INDUSTRY, long_ago, end_on=TODAY - dt.timedelta(days=10))
    _assign(academy, admin, "S2", "A1", ACADEMIC, long_ago)
    with unit_of_work(academy.factory, admin) as s:
        mentoring.save_session(s, admin, {"staff_no": "A1", "student_no": "S2",
                                          "date": TODAY - dt.timedelta(days=3), "minutes": 45})
    q = listing.ListQuery
    with academy.factory() as s:
        spec = lists.SPECS["missing_roles"]
        assert listing.count(s, admin, spec, q()) == 5 * 3 - 2  # only S1 and S2 have a mentor (academic)
        first = listing.fetch(s, admin, spec, q(sort_key="since", descending=True), 0, 1)[0]
        assert coverage.missing_row_key(first.id) == (academy.sid["S1"], INDUSTRY)  # latest gap first
        assert listing.count(s, admin, spec, q(filters={"role": INDUSTRY})) == 5
        assert listing.count(s, admin, spec, q(search="学生5")) == 3
        work = lists.SPECS["workload"]
        assert listing.count(s, admin, work, q(filters={"load": "free"})) == 6  # every qualification
        rows = listing.fetch(s, admin, work, q(), 0, 10)  # default: fewest free places first
        assert rows[0].values[0] == "A1" and rows[0].values[6] == 1
        quiet = lists.SPECS["no_contact"]
        assert listing.count(s, admin, quiet, q()) == 2  # every current assignment
        rows = listing.fetch(s, admin, quiet, q(filters={"days": 45}), 0, 10)
        assert [r.values[0] for r in rows] == ["S1"]  # S2 met 3 days ago
        # S1 has never met A2: the cell says so (as the mentor's home does), not blank
        last = next(c for c in quiet.columns if c.key == "last_session")
        assert rows[0].values[[c.key for c in quiet.columns].index("last_session")] is None
        assert listing.display(last, None) == "never" and listing.display(last, D(2026, 1, 5)) == "2026-01-05"
        with pytest.raises(PermissionDenied):
            listing.count(s, _mentor(academy, "A1"), quiet, q())


def test_a_mentors_load_is_one_figure_everywhere(academy: Any, admin: Actor) -> None:
    """#23: an assignment ending 30 days from now is active today (DESIGN section 6). The Mentors list's
    在带学生 once counted only open-ended assignments (69 → 68 when one got a future end) while the Workload
    list and the capacity rule still counted it; every place now reads the one definition."""
    from db import integrity

    long_ago = TODAY - dt.timedelta(days=400)
    _assign(academy, admin, "S1", "A1", ACADEMIC, long_ago, end_on=TODAY + dt.timedelta(days=30))
    _assign(academy, admin, "S2", "A1", ACADEMIC, long_ago)
    _assign(academy, admin, "S3", "A2", ACADEMIC, long_ago, end_on=TODAY)  # ended today: not active
    q = listing.ListQuery
    with academy.factory() as s:
        mentors, work = lists.SPECS["mentors"], lists.SPECS["workload"]

        def cell(spec: Any, row: Any, key: str) -> Any:
            return row.values[[c.key for c in spec.columns].index(key)]

        listed = {cell(mentors, r, "staff_no"): cell(mentors, r, "load")
                  for r in listing.fetch(s, admin, mentors, q(), 0, 50)}
        worked = {(cell(work, r, "staff_no"), cell(work, r, "role")): cell(work, r, "load")
                  for r in listing.fetch(s, admin, work, q(), 0, 50)}
        counted = mentoring.load(s, academy.mid["A1"], ACADEMIC, TODAY)
        counted_a2 = mentoring.load(s, academy.mid["A2"], ACADEMIC, TODAY)
        found = {f.check for f in integrity.check(s, admin, on=TODAY)}
    assert listed["A1"] == worked[("A1", ACADEMIC)] == counted == 2
    assert listed["A2"] == worked[("A2", ACADEMIC)] == counted_a2 == 0
    assert "over_capacity" not in found  # A1 is at its capacity of 2, not over it
    with pytest.raises(RuleViolation, match="capacity"):  # and the capacity rule counts the same 2
        _assign(academy, admin, "S4", "A1", ACADEMIC, TODAY)
