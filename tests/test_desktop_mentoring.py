"""GUI tests of the three-mentor scheme (pytest-qt, offscreen): the mentor's round trip from the home
page to a reviewed assignment that the administrator sees on the student's timeline, the refusals in
the dialogs, and the Mentoring page's queue, assignment and export. Dialogs never block: ``run`` is
replaced by a driver that fills the form and presses Save."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import filled_once  # type: ignore[import-not-found]
from sqlalchemy import select

from db.actor import Actor, unit_of_work
from db.auth import create_user
from db.curriculum import save_programme
from db.models import MentorAssignment, MentorRole, Role, Student, Task, TaskStatus
from db.people import save_mentor, save_student
from tests.test_desktop import make_ctx, window

pytestmark = pytest.mark.gui
TODAY = dt.date.today()


@pytest.fixture
@filled_once
def school(sqlite_db: Any, admin: Actor) -> Any:
    """Students S1–S4 (P1); industry mentor H1 (华为) holds S1 and S2; academic mentor A1 holds S3."""
    with unit_of_work(sqlite_db.factory, admin) as s:
        save_programme(s, admin, {"code": "P1", "name": "人工智能工程"})
        for i, name in enumerate(["王梓涵", "李子轩", "张雨桐", "刘浩然"], start=1):
            save_student(s, admin, {"student_no": f"S{i}", "name": name, "cohort": 2025, "programme": "P1"})
        h1, _ = save_mentor(s, admin, {"staff_no": "H1", "name": "陈建国", "organisation": "华为",
                                       "roles": [MentorRole.INDUSTRY]})
        a1, _ = save_mentor(s, admin, {"staff_no": "A1", "name": "周敏", "organisation": "重庆大学",
                                       "roles": [MentorRole.ACADEMIC]})
        ids = {st.student_no: st.id for st in s.scalars(select(Student))}
        start = TODAY - dt.timedelta(days=120)
        for no, m, role in (("S1", h1, MentorRole.INDUSTRY), ("S2", h1, MentorRole.INDUSTRY),
                            ("S3", a1, MentorRole.ACADEMIC)):
            s.add(MentorAssignment(student_id=ids[no], mentor_id=m.id, role=role, start_on=start))
        user = create_user(s, admin, "chen", "password1", Role.MENTOR, mentor_id=h1.id)
        sqlite_db.ids, sqlite_db.h1, sqlite_db.user_id = ids, h1.id, user.id
    return sqlite_db


def driver(monkeypatch: pytest.MonkeyPatch, fill: Callable[[Any], None]) -> list[Any]:
    """Replace the modal ``run`` of the mentoring dialogs: fill the form, press Save, report."""
    from desktop import mentoringdialogs

    seen: list[Any] = []

    def run(dialog: Any) -> bool:
        seen.append(dialog)
        fill(dialog)
        dialog.submit()
        return dialog.result() == dialog.DialogCode.Accepted

    monkeypatch.setattr(mentoringdialogs, "run", run)
    return seen


def _fill(**raw: str) -> Callable[[Any], None]:
    def fill(dialog: Any) -> None:
        for key, value in raw.items():
            ed = dialog.editors[key]
            if ed.combo is not None:
                ed.combo.setCurrentIndex(ed.combo.findData(value))
            elif ed.text is not None:
                ed.text.setPlainText(value)
            else:
                ed.line.setText(value)
    return fill


def test_mentor_round_trip_seen_by_the_administrator(qtbot: Any, school: Any, admin: Actor, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.mentoringdialogs import SessionDialog
    from desktop.studentdetail import StudentDetail

    mentor = Actor("chen", Role.MENTOR, user_id=school.user_id, mentor_id=school.h1, display_name="陈建国")
    ctx = make_ctx(school, mentor, tmp_path)
    w = window(qtbot, ctx)
    assert w.current_key() == "home" and "mentoring" not in [e.key for e in w.sidebar_model.entries]
    desk = w.page("home").desk
    mentees = desk.mentees
    assert [mentees.model.row_at(r).values[0] for r in range(mentees.model.rowCount())] == ["S1", "S2"]
    assert desk.cards["due"].value.text() == "2"  # nobody met in 45 days
    mentees.view.selectRow(0)

    # a session of 0 minutes: the service's words on the minutes field; then a real one
    with unit_of_work(school.factory, admin) as s:
        from db import mentoring

        lines = mentoring.assignment_history(s, admin, school.ids["S1"])
    dialog = SessionDialog(ctx, school.ids["S1"], mentors=lines)
    qtbot.addWidget(dialog)
    _fill(minutes="0", topic="实习指导")(dialog)
    dialog.submit()
    assert "between 1 and 1440" in dialog.editors["minutes"].error.text()
    _fill(date=(TODAY + dt.timedelta(days=2)).isoformat(), minutes="90")(dialog)
    dialog.submit()
    assert "in the future" in dialog.editors["date"].error.text()

    driver(monkeypatch, _fill(minutes="90", topic="车载数据平台实习", kind="企业现场"))
    assert desk.log_session()
    driver(monkeypatch, _fill(title="阅读车联网白皮书", due_on=(TODAY + dt.timedelta(days=7)).isoformat()))
    assert desk.give_task()
    assert desk.cards["due"].value.text() == "1"  # S1 met today

    detail = StudentDetail(ctx, school.ids["S1"], w)
    qtbot.addWidget(detail)
    assert detail.load()
    assert list(detail.panels)[:2] == ["mentors", "timeline"]
    timeline = detail.panels["timeline"]
    assert [e.kind for e in timeline.model.entries] == ["task", "session"]
    timeline.view.selectRow(0)
    assert timeline.buttons["submit"].isEnabled() and not timeline.buttons["review"].isEnabled()
    driver(monkeypatch, lambda d: None)  # the submission dated today
    assert timeline.record_submission()
    timeline.view.selectRow(0)
    assert timeline.buttons["review"].isEnabled()
    driver(monkeypatch, _fill(score="95", feedback="结构清晰"))
    assert timeline.review()

    # someone else's student: refused, with the service's message
    other = StudentDetail(ctx, school.ids["S3"], w)
    qtbot.addWidget(other)
    assert not other.load()
    assert ctx.prompts.asked[-1] == ("error", "You can only see the records of your own mentees.")

    # the administrator sees it all on the student's timeline and the three-mentor panel
    actx = make_ctx(school, admin, tmp_path / "admin")
    seen = StudentDetail(actx, school.ids["S1"])
    qtbot.addWidget(seen)
    assert seen.load()
    entries = seen.panels["timeline"].model.entries
    assert [(e.kind, e.title, e.mentor_name, e.role) for e in entries] == [
        ("task", "阅读车联网白皮书", "陈建国", MentorRole.INDUSTRY),
        ("session", "车载数据平台实习", "陈建国", MentorRole.INDUSTRY)]
    assert (entries[0].status, entries[0].score, entries[0].feedback) == (TaskStatus.REVIEWED, 95, "结构清晰")
    cards = seen.panels["mentors"].cards
    assert "陈建国" in cards[MentorRole.INDUSTRY].name.text()
    assert cards[MentorRole.ACADEMIC].name.text() == "Missing"
    with school.factory() as s:
        assert s.scalar(select(Task.status)) is TaskStatus.REVIEWED


def test_mentoring_page_assigns_from_the_queue_and_exports(qtbot: Any, school: Any, admin: Actor, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl import load_workbook

    ctx = make_ctx(school, admin, tmp_path)
    w = window(qtbot, ctx)
    w.select("mentoring")
    page = w.page("mentoring")
    queue = page.missing
    assert queue.model.rowCount() == 4 * 3 - 3
    queue.filter_boxes["role"].setCurrentIndex(1 + list(MentorRole).index(MentorRole.ACADEMIC))
    assert [queue.model.row_at(r).values[0] for r in range(queue.model.rowCount())] == ["S1", "S2", "S4"]
    queue.view.selectRow(0)
    dialogs = driver(monkeypatch, lambda d: None)  # the first suggestion, from today
    assert page.assign_selected()
    assert dialogs[0].picker.chosen().staff_no == "A1"  # qualified, free places, mentors the programme
    assert queue.model.rowCount() == 2
    # bulk: two students at once to the same mentor
    queue.view.selectAll()
    assert page.bulk_assign()
    assert queue.model.rowCount() == 0
    assert ctx.prompts.asked[-1] == ("info", "2 students were assigned.")
    page.tabs.setCurrentIndex(1)
    work = page.workload
    loads = {work.model.row_at(r).values[0]: work.model.row_at(r).values[5] for r in range(work.model.rowCount())}
    assert loads == {"A1": 4, "H1": 2}
    ctx.prompts.file = str(tmp_path / "workload.xlsx")
    work.export()
    rows = list(load_workbook(tmp_path / "workload.xlsx").active.values)
    assert rows[0][:2] == ("Staff no.", "Name") and len(rows) == 3
    page.tabs.setCurrentIndex(2)
    quiet = page.no_contact
    assert quiet.filter_boxes["days"].currentIndex() == 1  # the academy's threshold (45 days)
    assert page.days.value() == 45  # and the box to change it shows it
    assert sorted(quiet.model.row_at(r).values[0] for r in range(quiet.model.rowCount())) == ["S1", "S2", "S3"]
    page.days.setValue(200)  # longer than anyone has held the role: nobody is overdue a session
    page.save_days()
    assert quiet.model.rowCount() == 0


def test_viewer_reads_the_mentoring_page_without_actions(qtbot: Any, school: Any, tmp_path: Path) -> None:
    viewer = Actor("boss", Role.VIEWER)
    w = window(qtbot, make_ctx(school, viewer, tmp_path))
    w.select("mentoring")
    page = w.page("mentoring")
    assert page.missing.model.rowCount() == 9 and page.days is None
    assert page.missing.export_button is not None
    assert not page.findChildren(type(page.missing.export_button), "assignButton")



def test_mentoring_page_lists_every_session_and_opens_its_student(qtbot: Any, school: Any, admin: Actor,
                                                                  tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The sessions tab: every session logged, newest first, searched by student or mentor, filtered by
    kind, exported as shown; double-click opens that session's student."""
    from openpyxl import load_workbook

    from db.mentoring import save_session
    from db.models import SessionKind
    from desktop.pages import mentoring as page_module

    with unit_of_work(school.factory, admin) as s:
        for no, staff, days, kind, topic in (("S1", "H1", 30, SessionKind.IN_PERSON, "实习指导"),
                                             ("S2", "H1", 10, SessionKind.ONLINE, "项目评审"),
                                             ("S3", "A1", 20, SessionKind.IN_PERSON, "论文选题")):
            save_session(s, admin, {"staff_no": staff, "student_no": no, "minutes": 60, "kind": kind,
                                    "topic": topic, "date": TODAY - dt.timedelta(days=days)})
    ctx = make_ctx(school, admin, tmp_path)
    w = window(qtbot, ctx)
    w.select("mentoring")
    page = w.page("mentoring")
    page.tabs.setCurrentWidget(page.sessions)
    listed = page.sessions

    def shown() -> list[tuple[str, str]]:
        return [(listed.model.row_at(r).values[1], listed.model.row_at(r).values[7])
                for r in range(listed.model.rowCount())]

    assert page.tabs.tabText(page.tabs.currentIndex()) == "Mentoring sessions"
    assert shown() == [("S2", "项目评审"), ("S3", "论文选题"), ("S1", "实习指导")]  # newest first
    listed.search.setText("周敏")  # the academic mentor
    listed.apply_search()
    assert shown() == [("S3", "论文选题")]
    listed.search.setText("")
    listed.apply_search()
    listed.filter_boxes["kind"].setCurrentIndex(1 + list(SessionKind).index(SessionKind.ONLINE))
    assert shown() == [("S2", "项目评审")]
    ctx.prompts.file = str(tmp_path / "sessions.xlsx")
    listed.export()
    rows = list(load_workbook(tmp_path / "sessions.xlsx").active.values)
    assert len(rows) == 2 and rows[1][1:3] == ("S2", "李子轩")

    opened: list[int] = []
    monkeypatch.setattr(page_module, "open_student", lambda _ctx, sid, _parent: opened.append(sid) or False)
    listed.view.selectRow(0)
    listed.open_current()
    assert opened == [school.ids["S2"]]


def test_a_mentor_cancels_a_task_and_deletes_a_session_from_the_timeline(qtbot: Any, school: Any, admin: Actor,
                                                                        tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The timeline's 取消任务… and 删除…: each asks for a reason (refused without one, in the dialog), the
    cancelled task stays as 已取消 and is no longer overdue, the deleted session is gone."""
    from db import mentoring
    from desktop.studentdetail import StudentDetail

    mentor = Actor("chen", Role.MENTOR, user_id=school.user_id, mentor_id=school.h1, display_name="陈建国")
    with unit_of_work(school.factory, mentor) as s:
        mentoring.save_session(s, mentor, {"staff_no": "H1", "student_no": "S1", "date": TODAY - dt.timedelta(days=3),
                                           "minutes": 60, "topic": "记错了学生"})
        mentoring.save_task(s, mentor, {"staff_no": "H1", "student_no": "S1", "title": "旧任务",
                                        "assigned_on": TODAY - dt.timedelta(days=60),
                                        "due_on": TODAY - dt.timedelta(days=30)})
    ctx = make_ctx(school, mentor, tmp_path)
    detail = StudentDetail(ctx, school.ids["S1"])
    qtbot.addWidget(detail)
    assert detail.load()
    timeline = detail.panels["timeline"]
    assert [(e.kind, e.overdue) for e in timeline.model.entries] == [("session", False), ("task", True)]

    timeline.view.selectRow(1)
    assert timeline.buttons["cancel"].isEnabled()
    seen = driver(monkeypatch, _fill(reason=""))
    assert not timeline.cancel_task()
    assert seen[-1].editors["reason"].error.text()  # a reason is required, said on the field
    driver(monkeypatch, _fill(reason="学生已转组"))
    assert timeline.cancel_task()
    task = next(e for e in timeline.model.entries if e.kind == "task")
    assert task.cancelled_on == TODAY and not task.overdue
    row = timeline.model.entries.index(task)
    assert "取消" in timeline.model.index(row, 5).data() or "Cancelled" in timeline.model.index(row, 5).data()
    timeline.view.selectRow(row)
    assert not timeline.buttons["review"].isEnabled() and not timeline.buttons["cancel"].isEnabled()

    timeline.view.selectRow(0)
    driver(monkeypatch, _fill(reason="登记到了错误的学生名下"))
    assert timeline.delete()
    assert [e.kind for e in timeline.model.entries] == ["task"]
    with school.factory() as s:
        assert s.scalar(select(Task.cancel_reason)) == "学生已转组"


def test_dialogs_name_the_student_and_warn_of_a_session_logged_twice(qtbot: Any, school: Any, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from db import mentoring
    from desktop.mentoringdialogs import ReviewDialog, SessionDialog

    mentor = Actor("chen", Role.MENTOR, user_id=school.user_id, mentor_id=school.h1, display_name="陈建国")
    ctx = make_ctx(school, mentor, tmp_path)
    with school.factory() as s:
        lines = mentoring.assignment_history(s, mentor, school.ids["S1"])
    dialog = SessionDialog(ctx, school.ids["S1"], mentors=lines)
    qtbot.addWidget(dialog)
    assert "王梓涵（S1）" in dialog.windowTitle()
    _fill(minutes="60", topic="周例会")(dialog)
    dialog.submit()
    assert dialog.result() == dialog.DialogCode.Accepted
    again = SessionDialog(ctx, school.ids["S1"], mentors=lines)
    qtbot.addWidget(again)
    _fill(minutes="60", topic="周例会")(again)
    ctx.prompts.confirm_answer = False  # "save as a second meeting?" — no
    again.submit()
    assert again.result() != again.DialogCode.Accepted and ctx.prompts.asked[-1][0] == "confirm"
    with school.factory() as s:
        assert len(mentoring.timeline(s, mentor, school.ids["S1"])) == 1
    ctx.prompts.confirm_answer = True  # yes: a second meeting that day
    again.submit()
    assert again.result() == again.DialogCode.Accepted
    with school.factory() as s:
        entries = mentoring.timeline(s, mentor, school.ids["S1"])
    assert len(entries) == 2
    review = ReviewDialog(ctx, entries[0])
    qtbot.addWidget(review)
    assert "王梓涵（S1）" in review.windowTitle() and review.editors["feedback"].text is not None


def test_logbooks_and_the_re_import_export_from_the_mentors_page(qtbot: Any, school: Any, admin: Actor,
                                                                tmp_path: Path) -> None:
    """系统 users' way to the offline logbook: export the selected mentor's, every mentor's into a folder,
    import one returned with a session in it; and 导出 → 导出全部记录 writes the import's columns."""
    from openpyxl import load_workbook

    from db.models import MentoringSession
    from desktop.pages.people import MentorsPage

    ctx = make_ctx(school, admin, tmp_path)
    page = MentorsPage(ctx)
    qtbot.addWidget(page)
    page.activate()
    staff = [page.list.model.row_at(r).values[0] for r in range(page.list.model.rowCount())]
    page.list.view.selectRow(staff.index("H1"))
    ctx.prompts.file = str(tmp_path / "h1.xlsx")
    page.export_logbook()
    assert ctx.prompts.asked[-1][0] == "info", ctx.prompts.asked
    book = load_workbook(tmp_path / "h1.xlsx")
    assert [r[0] for r in book["我的学生"].iter_rows(min_row=2, max_row=3, values_only=True)] == ["S1", "S2"]
    ctx.prompts.folder = str(tmp_path / "all")
    (tmp_path / "all").mkdir()
    page.export_all_logbooks()
    assert (sorted(p.name for p in (tmp_path / "all").iterdir())
            == ["指导记录本-A1-周敏.xlsx", "指导记录本-H1-陈建国.xlsx"])

    book["指导记录"].append(["S2", TODAY - dt.timedelta(days=1), 50, "企业现场", "产线巡检", None])
    book.save(tmp_path / "h1.xlsx")
    ctx.prompts.confirm_answer = True
    page.import_logbook()
    assert "1" in ctx.prompts.asked[-1][1] and ctx.prompts.asked[-1][0] == "info", ctx.prompts.asked[-2:]
    with school.factory() as s:
        assert s.scalar(select(MentoringSession.topic)) == "产线巡检"

    ctx.prompts.file = str(tmp_path / "mentors.xlsx")
    page.list.export_records()
    header = [c.value for c in load_workbook(tmp_path / "mentors.xlsx").worksheets[0][1]]
    assert header[:4] == ["工号*", "姓名*", "单位*", "导师类型*"]


def test_the_timeline_filters_keep_the_selection_and_a_mentor_prints_the_record(qtbot: Any, school: Any,
                                                                               tmp_path: Path) -> None:
    from db import mentoring
    from desktop.studentdetail import StudentDetail

    mentor = Actor("chen", Role.MENTOR, user_id=school.user_id, mentor_id=school.h1, display_name="陈建国")
    with unit_of_work(school.factory, mentor) as s:
        mentoring.save_session(s, mentor, {"staff_no": "H1", "student_no": "S1", "date": TODAY - dt.timedelta(days=2),
                                           "minutes": 60, "topic": "周会", "notes": "讨论了数据标注，下周交初稿"})
        mentoring.save_task(s, mentor, {"staff_no": "H1", "student_no": "S1", "title": "初稿",
                                        "assigned_on": TODAY - dt.timedelta(days=1), "due_on": TODAY})
    ctx = make_ctx(school, mentor, tmp_path)
    detail = StudentDetail(ctx, school.ids["S1"])
    qtbot.addWidget(detail)
    assert detail.load()
    tl = detail.panels["timeline"]
    assert tl.model.index(1, 6).data() == "讨论了数据标注，下周交初稿"  # the notes, in the timeline itself
    tl.view.selectRow(1)
    tl.entry_filter.setCurrentIndex(tl.entry_filter.findData("session"))
    assert [e.kind for e in tl.model.entries] == ["session"] and tl.selected() is not None
    tl.entry_filter.setCurrentIndex(tl.entry_filter.findData("task"))
    assert [e.kind for e in tl.model.entries] == ["task"]
    tl.entry_filter.setCurrentIndex(tl.entry_filter.findData("all"))
    assert len(tl.model.entries) == 2 and tl.selected().kind == "session"  # the session still selected

    detail.print_record(str(tmp_path / "record.pdf"))
    assert (tmp_path / "record.pdf").read_bytes().startswith(b"%PDF")
    assert ctx.prompts.asked[-1][0] == "info"


def test_a_task_waiting_for_review_on_the_home_page_opens_its_review(qtbot: Any, school: Any, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from db import mentoring

    mentor = Actor("chen", Role.MENTOR, user_id=school.user_id, mentor_id=school.h1, display_name="陈建国")
    with unit_of_work(school.factory, mentor) as s:
        task = mentoring.save_task(s, mentor, {"staff_no": "H1", "student_no": "S2", "title": "周报",
                                               "assigned_on": TODAY - dt.timedelta(days=5), "due_on": TODAY})[0]
        mentoring.record_submission(s, mentor, task.id, TODAY - dt.timedelta(days=1))
    ctx = make_ctx(school, mentor, tmp_path)
    w = window(qtbot, ctx)
    desk = w.page("home").desk
    assert desk.review_model.rowCount() == 1
    seen = driver(monkeypatch, _fill(score="88", feedback="按时提交，\n结构清楚。"))
    desk.review_view.activated.emit(desk.review_model.index(0, 0))
    assert "李子轩（S2）" in seen[-1].windowTitle()
    assert desk.review_model.rowCount() == 0 and desk.cards["review"].value.text() == "0"
    with school.factory() as s:
        assert s.scalar(select(Task.feedback)) == "按时提交，\n结构清楚。"


def test_one_meeting_with_several_mentees_is_logged_once(qtbot: Any, school: Any, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A group session: the dialog lists the mentor's other current mentees; ticked ones get the same
    session, all or none. 复制上次 fills the form from the last session; Ctrl+N on the mentor's home logs
    a session; Enter saves even with the focus on 取消."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    from db import mentoring
    from db.models import MentoringSession
    from desktop.mentoringdialogs import SessionDialog

    mentor = Actor("chen", Role.MENTOR, user_id=school.user_id, mentor_id=school.h1, display_name="陈建国")
    ctx = make_ctx(school, mentor, tmp_path)
    with school.factory() as s:
        lines = mentoring.assignment_history(s, mentor, school.ids["S1"])
    dialog = SessionDialog(ctx, school.ids["S1"], mentors=lines)
    qtbot.addWidget(dialog)
    model = dialog.others_model
    assert [model.item(i).text() for i in range(model.rowCount())] == ["李子轩（S2）"]
    model.item(0).setCheckState(Qt.CheckState.Checked)
    _fill(minutes="90", topic="项目组周会", kind="企业现场")(dialog)
    dialog.submit()
    assert dialog.result() == dialog.DialogCode.Accepted
    with school.factory() as s:
        rows = s.execute(select(Student.student_no, MentoringSession.topic, MentoringSession.minutes)
                         .join(Student, Student.id == MentoringSession.student_id).order_by(Student.student_no)).all()
    assert [tuple(r) for r in rows] == [("S1", "项目组周会", 90), ("S2", "项目组周会", 90)]

    again = SessionDialog(ctx, school.ids["S2"], mentors=lines)
    qtbot.addWidget(again)
    again.copy_last()
    assert again.editors["topic"].raw() == "项目组周会"
    # Enter with the focus on 取消 saves (保存 is the default button)
    cancel = again.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    save = again.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert save.isDefault() and not cancel.autoDefault()

    w = window(qtbot, ctx)
    w.page("home").desk.mentees.view.selectRow(0)
    seen = driver(monkeypatch, _fill(minutes="30", topic="电话沟通"))
    w.new_record()  # Ctrl+N
    assert seen and isinstance(seen[-1], SessionDialog)


def test_the_timeline_says_whose_lateness_it_is(qtbot: Any, school: Any, tmp_path: Path) -> None:
    """#22: a task handed in on time whose review is late read "已提交 · 已逾期", blaming the student."""
    from db import mentoring
    from desktop.studentdetail import StudentDetail

    mentor = Actor("chen", Role.MENTOR, user_id=school.user_id, mentor_id=school.h1, display_name="陈建国")
    due = TODAY - dt.timedelta(days=5)
    with unit_of_work(school.factory, mentor) as s:
        on_time = mentoring.save_task(s, mentor, {"staff_no": "H1", "student_no": "S1", "title": "按时交",
                                                  "assigned_on": due - dt.timedelta(days=10), "due_on": due})[0]
        mentoring.record_submission(s, mentor, on_time.id, due - dt.timedelta(days=1))
        mentoring.save_task(s, mentor, {"staff_no": "H1", "student_no": "S1", "title": "没交",
                                        "assigned_on": due - dt.timedelta(days=9), "due_on": due})
    ctx = make_ctx(school, mentor, tmp_path)
    detail = StudentDetail(ctx, school.ids["S1"])
    qtbot.addWidget(detail)
    assert detail.load()
    model = detail.panels["timeline"].model
    status = {e.title: model.index(r, 5).data() for r, e in enumerate(model.entries)}
    assert status["按时交"] == "To review (review overdue)"
    assert status["没交"] == "Not handed in (overdue)"
    # the mentor's home says it the same way in its overdue list (未提交（已逾期）/ 待评阅（评阅逾期）)
    w = window(qtbot, ctx)
    overdue = w.page("home").desk.overdue_model
    assert sorted((row[1], row[3]) for row in overdue.rows) == [
        ("按时交", "To review (review overdue)"), ("没交", "Not handed in (overdue)")]


def test_the_overdue_labels_are_the_issue_s_chinese_words(qapp: Any) -> None:
    from PySide6.QtCore import QCoreApplication

    from desktop.app import install_translators
    from desktop.mentoringdialogs import overdue_status

    translators = install_translators(qapp, "zh")
    try:
        assert overdue_status(TaskStatus.ASSIGNED) == "未提交（已逾期）"
        assert overdue_status(TaskStatus.SUBMITTED) == "待评阅（评阅逾期）"
    finally:
        for tr in translators:
            QCoreApplication.removeTranslator(tr)


def test_a_session_logged_for_the_wrong_student_is_moved_to_the_right_one(qtbot: Any, school: Any, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from db import mentoring
    from db.models import MentoringSession
    from desktop.studentdetail import StudentDetail

    mentor = Actor("chen", Role.MENTOR, user_id=school.user_id, mentor_id=school.h1, display_name="陈建国")
    with unit_of_work(school.factory, mentor) as s:
        mentoring.save_session(s, mentor, {"staff_no": "H1", "student_no": "S1", "date": TODAY - dt.timedelta(days=1),
                                           "minutes": 60, "topic": "其实是李子轩的"})
    detail = StudentDetail(make_ctx(school, mentor, tmp_path), school.ids["S1"])
    qtbot.addWidget(detail)
    assert detail.load()
    tl = detail.panels["timeline"]
    tl.view.selectRow(0)
    seen = driver(monkeypatch, lambda d: None)
    assert tl.move_entry()
    assert "王梓涵（S1）" in seen[-1].windowTitle()
    assert [seen[-1].student.itemText(i) for i in range(seen[-1].student.count())] == ["李子轩（S2）"]
    assert tl.model.entries == []  # gone from this timeline …
    with school.factory() as s:  # … to S2's
        assert s.scalar(select(MentoringSession.student_id)) == school.ids["S2"]
    with pytest.raises(Exception, match="not assigned|PermissionDenied|only change"), \
            unit_of_work(school.factory, mentor) as s:
        sid = s.scalar(select(MentoringSession.id))
        mentoring.move_entry(s, mentor, "session", sid, "S3")  # not H1's mentee


def test_a_workload_row_opens_its_mentor(qtbot: Any, school: Any, admin: Actor, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """#24: the workload rows opened nothing."""
    from desktop import recorddialog
    from desktop.pages.mentoring import MentoringPage

    opened: list[tuple[str, int, bool]] = []
    monkeypatch.setattr(recorddialog, "open_record",
                        lambda ctx, kind, rid, parent, read_only=False, **kw: opened.append((kind, rid, read_only)))
    page = MentoringPage(make_ctx(school, admin, tmp_path))
    qtbot.addWidget(page)
    page.workload.activate()
    rows = [page.workload.model.row_at(r) for r in range(page.workload.model.rowCount())]
    h1 = next(r for r in rows if r.values[0] == "H1")
    page.workload.on_open(h1)
    assert opened == [("mentors", school.h1, False)]


def test_the_mentor_pick_list_searches_as_one_types_and_sorts(qtbot: Any, school: Any, admin: Actor,
                                                              tmp_path: Path) -> None:
    from desktop.mentoringdialogs import SuggestionPicker

    with unit_of_work(school.factory, admin) as s:
        for no, name, org in (("A2", "吴教授", "西南大学"), ("A3", "郑教授", "重庆邮电大学"),
                              ("A4", "王老师", "重庆大学")):
            save_mentor(s, admin, {"staff_no": no, "name": name, "organisation": org,
                                   "roles": [MentorRole.ACADEMIC], "capacity": 3})
    picker = SuggestionPicker(make_ctx(school, admin, tmp_path), school.ids["S1"], MentorRole.ACADEMIC)
    qtbot.addWidget(picker)
    picker.load()
    staff = lambda: [picker.model.rows[r][0] for r in range(picker.model.rowCount())]  # noqa: E731
    assert sorted(staff()) == ["A1", "A2", "A3", "A4"]
    picker.filter.setText("重庆")
    assert sorted(staff()) == ["A1", "A3", "A4"]  # 重庆大学 (A1, A4), 重庆邮电大学 (A3)
    picker.filter.setText("")
    picker._sort_by(0)  # by staff no.: descending first for a number column, ascending for text
    assert staff() == ["A1", "A2", "A3", "A4"]
    picker._sort_by(0)
    assert staff() == ["A4", "A3", "A2", "A1"]
    picker.view.selectRow(1)
    picker.filter.setText("A3")
    assert picker.chosen().staff_no == "A3"


def test_moving_or_deleting_in_an_issued_quarter_says_its_figures_stay_and_the_selection_moves_on(
        qtbot: Any, school: Any, admin: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An administrator corrects a session of a quarter whose report is issued: the message says that
    quarter's figures do not change; the timeline then selects the entry that took the removed one's place."""
    from db import mentoring
    from desktop.studentdetail import StudentDetail
    from reports import quarterly

    start = TODAY - dt.timedelta(days=120)
    mentor = Actor("chen", Role.MENTOR, user_id=school.user_id, mentor_id=school.h1, display_name="陈建国")
    days = [start + dt.timedelta(days=n) for n in (1, 2, 3)]
    with unit_of_work(school.factory, mentor) as s:
        for n, day in enumerate(days):
            mentoring.save_session(s, mentor, {"staff_no": "H1", "student_no": "S1", "date": day, "minutes": 60,
                                               "topic": f"第 {n} 次"})
    issued = sorted({f"{d.year}Q{(d.month - 1) // 3 + 1}" for d in days})
    with unit_of_work(school.factory, admin) as s:
        for period in issued:
            quarterly.issue(s, admin, period)
    ctx = make_ctx(school, admin, tmp_path)
    detail = StudentDetail(ctx, school.ids["S1"])
    qtbot.addWidget(detail)
    assert detail.load()
    tl = detail.panels["timeline"]
    assert [e.title for e in tl.model.entries] == ["第 2 次", "第 1 次", "第 0 次"]

    tl.view.selectRow(0)
    driver(monkeypatch, lambda d: None)  # 李子轩（S2）, the only other mentee of H1
    assert tl.move_entry()
    kind, text = ctx.prompts.asked[-1]
    assert kind == "info" and days[2].isoformat()[:4] in text and "never change" in text, ctx.prompts.asked
    assert tl.selected() is not None and tl.selected().title == "第 1 次"

    tl.view.selectRow(1)  # 第 0 次, the last row
    driver(monkeypatch, _fill(reason="重复登记"))
    assert tl.delete()
    kind, text = ctx.prompts.asked[-1]
    assert kind == "info" and "never change" in text
    assert [e.title for e in tl.model.entries] == ["第 1 次"] and tl.selected().title == "第 1 次"


def test_a_mentor_logs_a_session_from_the_students_page_with_ctrl_n(qtbot: Any, school: Any, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl+N is the page's main new action for each role: on a mentor's 学生 page, log a session with the
    selected mentee (a mentor creates no students)."""
    from PySide6.QtWidgets import QPushButton

    from db.models import MentoringSession
    from desktop.mentoringdialogs import EndAssignmentDialog, ReassignDialog, SessionDialog

    mentor = Actor("chen", Role.MENTOR, user_id=school.user_id, mentor_id=school.h1, display_name="陈建国")
    ctx = make_ctx(school, mentor, tmp_path)
    w = window(qtbot, ctx)
    w.select("students")
    page = w.page("students")
    assert page.list.findChild(QPushButton, "logSession") is not None  # by mouse too
    w.new_record()  # nobody selected: said, nothing opened
    assert ctx.prompts.asked[-1][0] == "info"
    rows = [page.list.model.row_at(r).values[0] for r in range(page.list.model.rowCount())]
    page.list.view.selectRow(rows.index("S2"))
    seen = driver(monkeypatch, _fill(minutes="40", topic="电话沟通"))
    w.new_record()  # Ctrl+N
    assert isinstance(seen[-1], SessionDialog) and "李子轩（S2）" in seen[-1].windowTitle()
    with school.factory() as s:
        assert s.scalar(select(MentoringSession.topic)) == "电话沟通"
    assert page.list.current_row().values[0] == "S2"  # still selected

    # the administrator's dialogs about one student's mentors name the student too
    from db import mentoring

    admin_ctx = make_ctx(school, Actor("admin", Role.ADMIN, user_id=1), tmp_path)
    with school.factory() as s:
        line = mentoring.current_mentors(mentoring.assignment_history(s, admin_ctx.actor, school.ids["S1"]))[
            MentorRole.INDUSTRY]
    for dialog in (ReassignDialog(admin_ctx, school.ids["S1"], line),
                   EndAssignmentDialog(admin_ctx, line, student_id=school.ids["S1"])):
        qtbot.addWidget(dialog)
        assert "王梓涵（S1）" in dialog.windowTitle(), dialog.windowTitle()
