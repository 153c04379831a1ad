"""Three-mentor rules enforced in db/, and the mentor-assignments / sessions / assignments imports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import filled_once  # type: ignore[import-not-found]
from openpyxl import Workbook
from sqlalchemy import select

from db import mentoring
from db.actor import Actor, unit_of_work
from db.curriculum import save_programme
from db.errors import PermissionDenied, RuleViolation, ValidationError
from db.models import MentorAssignment, MentoringSession, MentorRole, Role, Task, TaskStatus
from db.people import save_mentor, save_student
from forms.importer import run_import

D = dt.date


@pytest.fixture
@filled_once
def academy(db: Any, admin: Actor) -> Any:
    with unit_of_work(db.factory, admin) as s:
        save_programme(s, admin, {"code": "P1", "name": "人工智能工程"})
        for i in range(1, 5):
            save_student(s, admin, {"student_no": f"S{i}", "name": f"学生{i}", "cohort": 2025, "programme": "P1"})
        save_mentor(s, admin, {"staff_no": "A1", "name": "刘教授", "organisation": "重庆大学",
                               "roles": [MentorRole.ACADEMIC], "capacity": 2})
        save_mentor(s, admin, {"staff_no": "A2", "name": "周教授", "organisation": "重庆大学",
                               "roles": [MentorRole.ACADEMIC, MentorRole.STUDY]})
        save_mentor(s, admin, {"staff_no": "H1", "name": "陈工", "organisation": "华为技术有限公司",
                               "roles": [MentorRole.INDUSTRY]})
    return db


def _assign(db: Any, admin: Actor, student: str, mentor: str, role: MentorRole, start: dt.date, **kw: Any) -> None:
    with unit_of_work(db.factory, admin) as s:
        mentoring.assign(s, admin, mentoring.student_by_no(s, student), mentoring.mentor_by_no(s, mentor), role,
                         start, **kw)


def test_qualification_required(academy: Any, admin: Actor) -> None:
    with pytest.raises(ValidationError, match="not qualified"):
        _assign(academy, admin, "S1", "H1", MentorRole.ACADEMIC, D(2025, 9, 1))


def test_one_mentor_per_role_and_one_role_per_mentor(academy: Any, admin: Actor) -> None:
    _assign(academy, admin, "S1", "A2", MentorRole.ACADEMIC, D(2025, 9, 1))
    with pytest.raises(ValidationError, match="already has"):
        _assign(academy, admin, "S1", "A1", MentorRole.ACADEMIC, D(2025, 10, 1))
    with pytest.raises(ValidationError, match="at most one role"):
        _assign(academy, admin, "S1", "A2", MentorRole.STUDY, D(2025, 10, 1))


def test_reassignment_ends_the_old_one_on_the_new_start(academy: Any, admin: Actor) -> None:
    _assign(academy, admin, "S1", "A2", MentorRole.ACADEMIC, D(2025, 9, 1))
    _assign(academy, admin, "S1", "A1", MentorRole.ACADEMIC, D(2026, 2, 1), replace=True, replace_reason="工作调动")
    with academy.factory() as s:
        rows = list(s.scalars(select(MentorAssignment).order_by(MentorAssignment.start_on)))
        assert [(r.start_on, r.end_on, r.end_reason) for r in rows] == [
            (D(2025, 9, 1), D(2026, 2, 1), "工作调动"), (D(2026, 2, 1), None, None)]


def test_capacity_and_recorded_override(academy: Any, admin: Actor) -> None:
    _assign(academy, admin, "S1", "A1", MentorRole.ACADEMIC, D(2025, 9, 1))
    _assign(academy, admin, "S2", "A1", MentorRole.ACADEMIC, D(2025, 9, 1))
    with pytest.raises(RuleViolation, match="capacity"):
        _assign(academy, admin, "S3", "A1", MentorRole.ACADEMIC, D(2025, 9, 1))
    _assign(academy, admin, "S3", "A1", MentorRole.ACADEMIC, D(2025, 9, 1), override_reason="重点项目需要")
    with academy.factory() as s:
        over = s.scalar(select(MentorAssignment).where(MentorAssignment.capacity_override))
        assert over.override_reason == "重点项目需要"


def test_an_import_never_takes_a_mentor_past_capacity(academy: Any, admin: Actor, tmp_path: Path) -> None:
    """DESIGN §2: a mentor takes a role only up to their capacity, unless an administrator overrides it
    with a reason. A file has no column for that reason: the third student of A1 (capacity 2) is refused
    on the row's 工号, nothing is written, and the roster imports once the capacity is raised. Students
    whose assignment has ended no longer count."""
    rows = [["学号", "工号", "导师类型", "开始日期", "结束日期"],
            ["S1", "A1", "学术", "2025-09-01", "2026-01-31"],  # ended: not counted in the load from then
            ["S2", "A1", "学术", "2025-09-01", None],
            ["S3", "A1", "学术", "2026-02-01", None],
            ["S4", "A1", "学术", "2026-02-01", None]]
    refused = run_import(academy.factory, admin, "mentor-assignments", _book(tmp_path / "a.xlsx", rows))
    assert not refused.committed
    assert [(e.row, e.column, e.field) for e in refused.errors] == [(5, "B", "staff_no")]
    assert "2 of 2" in refused.errors[0].reason and "指导上限" in refused.errors[0].reason
    with academy.factory() as s:
        assert s.scalar(select(MentorAssignment).limit(1)) is None
    assert run_import(academy.factory, admin, "mentors", _book(tmp_path / "m.xlsx", [
        ["工号", "姓名", "单位", "导师类型", "指导上限"], ["A1", "刘教授", "重庆大学", "学术", 3]])).committed
    again = run_import(academy.factory, admin, "mentor-assignments", _book(tmp_path / "a.xlsx", rows))
    assert again.committed and again.created == 4, [str(e) for e in again.errors]
    with academy.factory() as s:
        assert s.scalar(select(MentorAssignment).where(MentorAssignment.capacity_override).limit(1)) is None


def test_an_assignment_ending_on_its_start_day_takes_no_place_and_no_role(academy: Any, admin: Actor,
                                                                          tmp_path: Path) -> None:
    """DESIGN §6: the end date is the first day without the role, so start = end is active on no day.
    Such a row (a mistaken appointment, cancelled the same day) is imported beside a full mentor (A1,
    capacity 2) and beside the student's current mentor in the role, and counts in no load."""
    rows = [["学号", "工号", "导师类型", "开始日期", "结束日期"],
            ["S1", "A1", "学术", "2025-09-01", None],
            ["S2", "A1", "学术", "2025-09-01", None],
            ["S3", "A1", "学术", "2025-10-01", "2025-10-01"],  # A1 is full that day: takes no place
            ["S1", "A2", "学术", "2025-10-01", "2025-10-01"],  # S1 has A1 that day: takes no role
            ["S4", "A2", "学术", "2025-09-01", None]]
    result = run_import(academy.factory, admin, "mentor-assignments", _book(tmp_path / "z.xlsx", rows))
    assert result.committed and result.created == 5, [str(e) for e in result.errors]
    with academy.factory() as s:
        a1 = mentoring.mentor_by_no(s, "A1").id
        assert mentoring.load(s, a1, MentorRole.ACADEMIC, D(2025, 10, 1)) == 2
        assert mentoring.peak_load(s, a1, MentorRole.ACADEMIC, D(2025, 9, 1), None)[0] == 2
        # and a later assignment across that day is not blocked by it
        mentoring.assign(s, admin, mentoring.student_by_no(s, "S3"), mentoring.mentor_by_no(s, "A2"),
                         MentorRole.ACADEMIC, D(2025, 9, 15))
    with pytest.raises(ValidationError, match="before the start"), unit_of_work(academy.factory, admin) as s:
        mentoring.import_assignment(s, admin, {"student_no": "S4", "staff_no": "H1", "role": MentorRole.INDUSTRY,
                                               "start": D(2025, 9, 2), "end": D(2025, 9, 1)})


def test_capacity_holds_on_every_day_an_assignment_runs(academy: Any, admin: Actor, tmp_path: Path) -> None:
    """The load was counted on one day (the start, or today for an open assignment), so a mentor of
    capacity 1 could take a student from 2025 to 2027 beside one taken in 2026, or one from 2025 beside
    one starting in 2027: two students at once, no override. Every day of the new assignment counts.
    An imported end date that makes an ended assignment longer is checked the same way, and against
    the mentor who took the role over."""
    with unit_of_work(academy.factory, admin) as s:
        save_mentor(s, admin, {"staff_no": "A1", "roles": [MentorRole.ACADEMIC], "capacity": 1}, upsert=True)
    head = ["学号", "工号", "导师类型", "开始日期", "结束日期"]

    def run(name: str, *rows: list[Any]) -> Any:
        return run_import(academy.factory, admin, "mentor-assignments", _book(tmp_path / name, [head, *rows]))

    assert run("a.xlsx", ["S1", "A1", "学术", "2026-01-01", None]).committed
    later = run("b.xlsx", ["S2", "A1", "学术", "2025-09-01", "2027-06-30"])  # overlaps S1 from 2026-01-01
    assert [(e.row, e.field) for e in later.errors] == [(2, "staff_no")] and "2026-01-01" in later.errors[0].reason
    assert run("c.xlsx", ["S2", "A1", "学术", "2025-09-01", "2026-01-01"]).committed  # ends as S1 starts
    with pytest.raises(RuleViolation, match="capacity"):  # the app: S3 from 2025 would overlap both
        _assign(academy, admin, "S3", "A1", MentorRole.ACADEMIC, D(2025, 10, 1))

    # S4: A2, then A3 from 2025-09 (the reassignment ends A2 then); a file then says A2 ran until 2026-06
    with unit_of_work(academy.factory, admin) as s:
        save_mentor(s, admin, {"staff_no": "A3", "name": "吴教授", "organisation": "重庆大学",
                               "roles": [MentorRole.ACADEMIC]})
    assert run("d.xlsx", ["S4", "A2", "学术", "2024-09-01", None], ["S4", "A3", "学术", "2025-09-01", None]).committed
    longer = run("e.xlsx", ["S4", "A2", "学术", "2024-09-01", "2026-06-01"])  # A3 holds the role from 2025-09
    assert [(e.row, e.field) for e in longer.errors] == [(2, "end")] and "吴教授" in longer.errors[0].reason
    with academy.factory() as s:
        assert len(s.scalars(select(MentorAssignment).where(MentorAssignment.capacity_override)).all()) == 0


def test_ending_needs_a_reason_and_keeps_history(academy: Any, admin: Actor) -> None:
    _assign(academy, admin, "S1", "H1", MentorRole.INDUSTRY, D(2025, 9, 1))
    with academy.factory() as s:
        a = s.scalar(select(MentorAssignment))
    with pytest.raises(ValidationError), unit_of_work(academy.factory, admin) as s:
        mentoring.end_assignment(s, admin, a.id, D(2026, 1, 1), " ", a.version)
    with unit_of_work(academy.factory, admin) as s:
        mentoring.end_assignment(s, admin, a.id, D(2026, 1, 1), "企业项目结束", a.version)
    with academy.factory() as s:
        assert s.scalar(select(MentorAssignment.end_reason)) == "企业项目结束"


def test_mentor_logs_sessions_only_for_current_mentees(academy: Any, admin: Actor) -> None:
    _assign(academy, admin, "S1", "H1", MentorRole.INDUSTRY, D(2025, 9, 1))
    with academy.factory() as s:
        h1 = mentoring.mentor_by_no(s, "H1").id
    me = Actor("h1", Role.MENTOR, user_id=99, mentor_id=h1)
    values = {"staff_no": "H1", "student_no": "S1", "date": D(2025, 10, 1), "minutes": 60, "topic": "实习指导"}
    with unit_of_work(academy.factory, me) as s:
        mentoring.save_session(s, me, values)
    with pytest.raises(PermissionDenied), unit_of_work(academy.factory, me) as s:
        mentoring.save_session(s, me, {**values, "student_no": "S2"})
    with pytest.raises(PermissionDenied), unit_of_work(academy.factory, me) as s:
        mentoring.save_session(s, me, {**values, "staff_no": "A1"})  # not as somebody else
    viewer = Actor("boss", Role.VIEWER, user_id=98)
    with pytest.raises(PermissionDenied), unit_of_work(academy.factory, viewer) as s:
        mentoring.save_session(s, viewer, values)


def test_overdue_is_derived() -> None:
    task = Task(title="x", assigned_on=D(2026, 9, 1), due_on=D(2026, 9, 20), status=TaskStatus.SUBMITTED)
    assert not mentoring.is_overdue(task, D(2026, 9, 19))
    assert mentoring.is_overdue(task, D(2026, 9, 20))
    task.status, task.reviewed_on = TaskStatus.REVIEWED, D(2026, 10, 5)
    assert mentoring.is_overdue(task, D(2026, 9, 30))  # not reviewed by then
    assert not mentoring.is_overdue(task, D(2026, 12, 31))


def _book(path: Path, rows: list[list[Any]]) -> Path:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def test_imports_of_the_three_mentor_kinds(academy: Any, admin: Actor, tmp_path: Path) -> None:
    # rows out of order: the later start replaces the earlier open assignment whatever the row order
    a = run_import(academy.factory, admin, "mentor-assignments", _book(tmp_path / "a.xlsx", [
        ["学号", "工号", "导师类型", "开始日期", "结束日期"],
        ["S1", "A1", "学术", "2026年2月1日", None],
        ["S1", "A2", "学术导师", "2025-09-01", None],
        ["S1", "H1", "产业", "2025/9/1", None],
        ["S2", "H1", "学术", "2025-09-01", None],  # not qualified
    ]))
    assert [(e.row, e.field) for e in a.errors] == [(5, "role")]
    a = run_import(academy.factory, admin, "mentor-assignments", _book(tmp_path / "a2.xlsx", [
        ["student_no", "staff_no", "role", "start", "end"],
        ["S1", "A1", "academic", "2026-02-01", None],
        ["S1", "A2", "academic", "2025-09-01", None],
        ["S1", "H1", "industry", "2025-09-01", None],
    ]))
    assert a.committed, [str(e) for e in a.errors]
    with academy.factory() as s:
        old = s.scalar(select(MentorAssignment).where(MentorAssignment.start_on == D(2025, 9, 1),
                                                      MentorAssignment.role == MentorRole.ACADEMIC))
        assert old.end_on == D(2026, 2, 1)

    sessions = _book(tmp_path / "s.xlsx", [
        ["工号", "学号", "日期", "时长(分钟)", "方式", "主题"],
        ["H1", "S1", "2025-10-12", 90, "企业现场", "车载数据平台"],
        ["A2", "S1", "2025-10-20", "６０", "线上", "论文选题"],
    ])
    assert run_import(academy.factory, admin, "sessions", sessions).committed
    again = run_import(academy.factory, admin, "sessions", sessions)
    assert again.committed and (again.updated, again.unchanged) == (0, 2)
    with academy.factory() as s:
        assert len(list(s.scalars(select(MentoringSession)))) == 2

    tasks = run_import(academy.factory, admin, "assignments", _book(tmp_path / "t.xlsx", [
        ["工号", "学号", "任务名称", "布置日期", "截止日期", "状态", "提交日期", "评阅日期", "评分"],
        ["A2", "S1", "文献综述", "2025-10-08", "2025-10-31", "已评阅", "2025-10-30", "2025-11-03", 88],
        ["A2", "S1", "开题报告", "2025-11-01", "2025-11-30", None, "2025-11-28", None, None],
        ["A2", "S1", "倒置", "2025-11-01", "2025-10-01", None, None, None, None],
    ]))
    assert [(e.row, e.field) for e in tasks.errors] == [(4, "due_on")]


def test_a_session_logged_by_mistake_is_deleted_with_a_reason(academy: Any, admin: Actor) -> None:
    """DESIGN §2: deleted by the mentor who logged it (or an administrator), with a reason; never erased
    (the audit log keeps the values and the reason); it counts in no figure from then on, except in a
    quarter whose report is issued, which keeps its figures (and the deletion says so)."""
    from db.models import AuditLog
    from reports import quarterly

    _assign(academy, admin, "S1", "H1", MentorRole.INDUSTRY, D(2025, 9, 1))
    _assign(academy, admin, "S1", "A1", MentorRole.ACADEMIC, D(2025, 9, 1))
    with academy.factory() as s:
        h1, a1 = mentoring.mentor_by_no(s, "H1").id, mentoring.mentor_by_no(s, "A1").id
    me = Actor("h1", Role.MENTOR, user_id=99, mentor_id=h1)
    other = Actor("a1", Role.MENTOR, user_id=98, mentor_id=a1)
    ids = []
    for day in (D(2025, 10, 1), D(2026, 1, 5)):
        with unit_of_work(academy.factory, me) as s:
            ids.append(mentoring.save_session(s, me, {"staff_no": "H1", "student_no": "S1", "date": day, "minutes": 60,
                                                      "topic": "实习指导"})[0].id)
    with unit_of_work(academy.factory, admin) as s:
        quarterly.issue(s, admin, "2025Q4")
    with academy.factory() as s:
        assert quarterly.compute(s, "2026Q1").mentoring.sessions.get("industry") == 1
    for who, reason, error in ((other, "记错了", PermissionDenied), (Actor("boss", Role.VIEWER, user_id=97), "x",
                                                                    PermissionDenied), (me, "  ", ValidationError)):
        with pytest.raises(error), unit_of_work(academy.factory, who) as s:
            mentoring.delete_entry(s, who, "session", ids[0], reason)
    with unit_of_work(academy.factory, me) as s:
        removed = mentoring.delete_entry(s, me, "session", ids[0], "记到了别的学生名下")
    assert removed.frozen == ["2025Q4"]  # the issued report keeps counting it
    with unit_of_work(academy.factory, admin) as s:
        assert mentoring.delete_entry(s, admin, "session", ids[1], "重复登记").frozen == []
    with academy.factory() as s:
        assert s.scalar(select(MentoringSession).limit(1)) is None
        assert quarterly.compute(s, "2026Q1").mentoring.sessions.get("industry", 0) == 0
        assert quarterly.load(s, "2025Q4").figures.mentoring.sessions.get("industry") == 1  # frozen
        trail = [(a.action.value, a.changes) for a in s.scalars(
            select(AuditLog).where(AuditLog.entity == "mentoring_sessions").order_by(AuditLog.id))]
        assert [a for a, _c in trail].count("delete") == 2
        assert any("记到了别的学生名下" in str(c) for a, c in trail if a == "delete")


def test_a_task_is_cancelled_and_is_then_overdue_on_no_day(academy: Any, admin: Actor) -> None:
    from reports import quarterly

    _assign(academy, admin, "S1", "A1", MentorRole.ACADEMIC, D(2025, 9, 1))
    with academy.factory() as s:
        a1 = mentoring.mentor_by_no(s, "A1").id
    me = Actor("a1", Role.MENTOR, user_id=99, mentor_id=a1)
    with unit_of_work(academy.factory, me) as s:
        task = mentoring.save_task(s, me, {"staff_no": "A1", "student_no": "S1", "title": "读书报告",
                                           "assigned_on": D(2025, 10, 1), "due_on": D(2025, 10, 20)})[0]
        tid = task.id
    with academy.factory() as s:
        assert quarterly.compute(s, "2025Q4").mentoring.assignments["overdue"] == 1
    with pytest.raises(ValidationError), unit_of_work(academy.factory, me) as s:
        mentoring.cancel_task(s, me, tid, "")
    with unit_of_work(academy.factory, me) as s:
        mentoring.cancel_task(s, me, tid, "学生转入其他课题组", on=D(2025, 12, 1))
    with academy.factory() as s:
        task = s.get(Task, tid)
        assert ((task.cancelled_on, task.cancel_reason, task.cancelled_by)
                == (D(2025, 12, 1), "学生转入其他课题组", "a1"))
        assert mentoring.is_overdue(task, D(2025, 11, 30)) and not mentoring.is_overdue(task, D(2025, 12, 1))
        # overdue at the end of 2025Q4 (cancelled on 1 Dec, before the last day): no longer
        assert quarterly.compute(s, "2025Q4").mentoring.assignments["overdue"] == 0
        assert quarterly.compute(s, "2025Q4").mentoring.assignments["given"] == 1
    with pytest.raises(RuleViolation, match="cancelled"), unit_of_work(academy.factory, me) as s:
        mentoring.record_submission(s, me, tid, D(2025, 12, 5))
    with pytest.raises(RuleViolation), unit_of_work(academy.factory, me) as s:
        mentoring.cancel_task(s, me, tid, "again")


def test_every_list_counts_a_mentors_students_as_the_capacity_rule_does(academy: Any, admin: Actor) -> None:
    """#23: ending an assignment next month dropped the mentor from the Mentors list's 在带学生 at once,
    while the Workload list and the capacity rule still counted the student (and an assignment starting
    next month was counted by the list already). One definition: active today."""
    from db import listing
    from db.actor import cli_actor

    today = dt.date.today()
    _assign(academy, admin, "S1", "A2", MentorRole.ACADEMIC, today - dt.timedelta(days=60))
    _assign(academy, admin, "S2", "A2", MentorRole.STUDY, today + dt.timedelta(days=20))  # not yet
    with academy.factory() as s:
        a = s.scalar(select(MentorAssignment).where(MentorAssignment.student_id == mentoring.student_by_no(s, "S1").id))
    with unit_of_work(academy.factory, admin) as s:
        mentoring.end_assignment(s, admin, a.id, today + dt.timedelta(days=30), "项目结束", a.version)
    with academy.factory() as s:
        a2 = mentoring.mentor_by_no(s, "A2").id
        rule = mentoring.load(s, a2, MentorRole.ACADEMIC, today) + mentoring.load(s, a2, MentorRole.STUDY, today)
        rows = listing.fetch(s, cli_actor(), listing.MENTORS, listing.ListQuery("A2"))
        col = [c.key for c in listing.MENTORS.columns].index("load")
        assert rule == 1 and rows[0].values[col] == 1
        students = listing.fetch(s, cli_actor(), listing.STUDENTS, listing.ListQuery("S1"))
        now = [c.key for c in listing.STUDENTS.columns].index("mentors")
        assert students[0].values[now] == 1


def test_the_dashboard_compares_a_quarter_so_far_with_the_same_days_of_the_last(academy: Any, admin: Actor) -> None:
    """#24: 指导次数 6,466 "−3,563" compared this quarter so far with the whole of the last one, and a
    rate's change read "+21.0%" where percentage points were meant."""
    from reports import quarterly
    from reports.text import SummaryRow

    q = quarterly.Quarter(2025, 4, until=D(2025, 11, 15))
    prev = quarterly.previous_quarter(q)
    assert (prev.start, prev.end) == (D(2025, 7, 1), D(2025, 8, 15))  # 45 days into each
    assert quarterly.previous_quarter(quarterly.Quarter(2025, 4)).end == D(2025, 9, 30)  # stats: whole quarters
    _assign(academy, admin, "S1", "H1", MentorRole.INDUSTRY, D(2025, 6, 1))
    with academy.factory() as s:
        h1 = mentoring.mentor_by_no(s, "H1").id
    me = Actor("h1", Role.MENTOR, user_id=99, mentor_id=h1)
    for day in (D(2025, 7, 10), D(2025, 9, 20), D(2025, 10, 5)):
        with unit_of_work(academy.factory, me) as s:
            mentoring.save_session(s, me, {"staff_no": "H1", "student_no": "S1", "date": day, "minutes": 60,
                                           "topic": f"周会 {day}"})
    with academy.factory() as s:
        report = quarterly.build(s, q)
    assert sum(report.figures.mentoring.sessions.values()) == 1
    assert sum(report.previous.mentoring.sessions.values()) == 1  # 10 July, not 20 September
    assert SummaryRow("三导师齐全率", 0.72, 1.0, 0.51, percent=True).change_text() == "+21.0 个百分点"


def test_a_task_given_to_the_wrong_mentee_is_moved_with_everything_it_holds(academy: Any, admin: Actor) -> None:
    _assign(academy, admin, "S1", "H1", MentorRole.INDUSTRY, D(2025, 9, 1))
    _assign(academy, admin, "S2", "H1", MentorRole.INDUSTRY, D(2025, 9, 1))
    with academy.factory() as s:
        h1 = mentoring.mentor_by_no(s, "H1").id
    me = Actor("h1", Role.MENTOR, user_id=99, mentor_id=h1)
    with unit_of_work(academy.factory, me) as s:
        task = mentoring.save_task(s, me, {"staff_no": "H1", "student_no": "S1", "title": "实习报告",
                                           "assigned_on": D(2025, 10, 1), "due_on": D(2025, 10, 20)})[0]
        mentoring.record_submission(s, me, task.id, D(2025, 10, 18))
        tid = task.id
    with unit_of_work(academy.factory, me) as s:
        assert mentoring.move_entry(s, me, "task", tid, "S2") == []
    with academy.factory() as s:
        moved = s.get(Task, tid)
        assert (moved.student_id, moved.status, moved.submitted_on) == (
            mentoring.student_by_no(s, "S2").id, TaskStatus.SUBMITTED, D(2025, 10, 18))
    with pytest.raises(ValidationError, match="not assigned"), unit_of_work(academy.factory, admin) as s:
        mentoring.move_entry(s, admin, "task", tid, "S3")  # H1 never mentored S3


def test_a_mentors_mentees_list_says_when_each_was_last_seen(academy: Any, admin: Actor) -> None:
    """#22: per mentee, days since the last session and sessions this month; current and former."""
    from db import listing, menteelist

    today = dt.date.today()
    _assign(academy, admin, "S1", "H1", MentorRole.INDUSTRY, today - dt.timedelta(days=200))
    _assign(academy, admin, "S2", "H1", MentorRole.INDUSTRY, today - dt.timedelta(days=200),
            end_on=today - dt.timedelta(days=10))
    with academy.factory() as s:
        h1 = mentoring.mentor_by_no(s, "H1").id
    me = Actor("h1", Role.MENTOR, user_id=99, mentor_id=h1)
    for days in (40, 3):
        with unit_of_work(academy.factory, me) as s:
            mentoring.save_session(s, me, {"staff_no": "H1", "student_no": "S1",
                                           "date": today - dt.timedelta(days=days),
                                           "minutes": 60, "topic": f"第 {days} 天"})
    with academy.factory() as s:
        rows = {r.values[0]: r.values for r in listing.fetch(s, me, menteelist.MENTEES, listing.ListQuery())}
        keys = [c.key for c in menteelist.MENTEES.columns]
        s1, s2 = (dict(zip(keys, rows[no])) for no in ("S1", "S2"))
        assert (s1["current"], s1["role"], s1["last_session"], s1["open"]) == (
            True, MentorRole.INDUSTRY, today - dt.timedelta(days=3), 0)
        assert menteelist._days_since(s1["days"]) == "3"
        assert s1["month"] == (1 if (today - dt.timedelta(days=3)).month == today.month else 0) + (
            1 if (today - dt.timedelta(days=40)) >= today.replace(day=1) else 0)
        assert (s2["current"], s2["last_session"]) == (False, None)
        assert listing.count(s, me, menteelist.MENTEES, listing.ListQuery("", {"current": True})) == 1
        with pytest.raises(PermissionDenied):
            listing.fetch(s, admin, menteelist.MENTEES, listing.ListQuery())
