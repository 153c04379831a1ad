"""Reference pickers of the record dialogs, and the session dialog's defaults (pytest-qt, offscreen).

A field naming another record (a student's programme, a mentor's organisation …) offers the existing
records as "CODE 名称", filters as one types, and still takes typed text, so what the parser receives is
what the import would receive. The lookup behind it (db.lookups) is tested on both backends."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit
from sqlalchemy import select

from db import lookups
from db.actor import Actor, unit_of_work
from db.curriculum import save_course, save_programme
from db.engine import make_engine, resolve, session_factory
from db.models import (
    CourseCategory,
    Mentor,
    MentoringSession,
    MentorRole,
    Role,
    SessionKind,
    Student,
    StudentStatus,
)
from db.people import save_mentor, save_student, save_university
from tests.test_desktop import make_ctx

pytestmark = pytest.mark.gui
TODAY = dt.date.today()




class DemoDb:
    def __init__(self, path: Path) -> None:
        self.target = resolve(str(path))
        self.engine = make_engine(self.target)
        self.factory = session_factory(self.engine)


@pytest.fixture
def demo_db(demo_file: Path, tmp_path: Path) -> Any:
    path = tmp_path / "talentdesk.db"
    shutil.copyfile(demo_file, path)
    db = DemoDb(path)
    yield db
    db.engine.dispose()


def type_text(widget: Any, text: str) -> None:
    """Type ``text`` key by key, as a keyboard (or an input method's commit) would. QTest.keyClicks
    takes Latin-1 only; a key event carrying the character is what a line edit and its completer see."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def _actor(db: Any, username: str) -> Actor:
    from db.auth import authenticate

    return authenticate(db.factory, username, "talentdesk")


def _student_dialog(qtbot: Any, demo_db: Any, tmp_path: Path) -> Any:
    from desktop.recorddialog import RecordDialog

    dialog = RecordDialog(make_ctx(demo_db, _actor(demo_db, "admin"), tmp_path), "students")
    qtbot.addWidget(dialog)
    assert dialog.load()
    ed = dialog.editors
    ed["student_no"].line.setText("2099990001")
    ed["name"].line.setText("孙一诺")
    ed["cohort"].line.setText("2025")
    return dialog


def _saved_student(demo_db: Any, dialog: Any) -> tuple[str, str | None]:
    """The saved student's programme code and home university."""
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.banner.text()
    with demo_db.factory() as s:
        st = s.get(Student, dialog.saved_id)
        assert st is not None
        return st.programme.code, st.home_university.name if st.home_university else None


def test_new_student_picks_a_programme_by_name(qtbot: Any, demo_db: Any, tmp_path: Path) -> None:
    dialog = _student_dialog(qtbot, demo_db, tmp_path)
    picker = dialog.editors["programme"].picker
    assert picker is not None and picker.objectName() == "field_programme"
    offered = [picker.itemText(i) for i in range(picker.count())]
    assert offered == ["AI-AUTO 智能网联汽车", "AI-ENG 人工智能工程（产教融合）", "AI-LAE 低空经济与智能制造"]
    assert picker.currentText() == ""  # nothing chosen for the administrator

    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    picker.setFocus()
    qtbot.waitUntil(picker.hasFocus)
    type_text(picker.lineEdit(), "工程")
    completer = picker.completer()
    matches = completer.completionModel()
    assert [matches.index(r, 0).data() for r in range(matches.rowCount())] == ["AI-ENG 人工智能工程（产教融合）"]
    popup = completer.popup()
    assert popup.isVisible()
    popup.setCurrentIndex(matches.index(0, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert picker.currentText() == "AI-ENG 人工智能工程（产教融合）"
    assert dialog.editors["programme"].raw() == "AI-ENG"  # what the import's column would hold

    university = dialog.editors["home_university"].picker
    assert university is not None and university.findText("重庆大学") >= 0
    university.setCurrentIndex(university.findText("重庆大学"))
    dialog.save()
    assert _saved_student(demo_db, dialog) == ("AI-ENG", "重庆大学")


@pytest.mark.parametrize("typed", ["AI-AUTO", "智能网联汽车"])
def test_a_typed_code_or_full_name_still_saves(qtbot: Any, demo_db: Any, tmp_path: Path, typed: str) -> None:
    dialog = _student_dialog(qtbot, demo_db, tmp_path)
    dialog.editors["programme"].line.setText(typed)  # as typed from memory, no row chosen
    dialog.save()
    assert _saved_student(demo_db, dialog)[0] == "AI-AUTO"


def test_an_unknown_code_is_still_refused_on_the_field(qtbot: Any, demo_db: Any, tmp_path: Path) -> None:
    dialog = _student_dialog(qtbot, demo_db, tmp_path)
    dialog.editors["programme"].line.setText("AI-XYZ")
    dialog.save()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "AI-XYZ" in dialog.editors["programme"].error.text()


def test_an_edited_student_shows_the_programme_row(qtbot: Any, demo_db: Any, tmp_path: Path) -> None:
    from desktop.recorddialog import RecordDialog

    with demo_db.factory() as s:
        st = s.scalars(select(Student).order_by(Student.id).limit(1)).one()
        sid, code = st.id, st.programme.code
    dialog = RecordDialog(make_ctx(demo_db, _actor(demo_db, "admin"), tmp_path), "students", sid)
    qtbot.addWidget(dialog)
    assert dialog.load()
    ed = dialog.editors["programme"]
    assert ed.picker is not None and ed.picker.currentText().startswith(code + " ")
    assert ed.raw() == code
    dialog.save()  # unchanged: saves as it was
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.banner.text()


def test_a_mentor_takes_a_brand_new_organisation(qtbot: Any, demo_db: Any, tmp_path: Path) -> None:
    from desktop.recorddialog import RecordDialog

    dialog = RecordDialog(make_ctx(demo_db, _actor(demo_db, "admin"), tmp_path), "mentors")
    qtbot.addWidget(dialog)
    assert dialog.load()
    ed = dialog.editors
    picker = ed["organisation"].picker
    assert picker is not None and picker.findText("重庆大学") >= 0
    ed["staff_no"].line.setText("QY09999")
    ed["name"].line.setText("周新")
    type_text(ed["organisation"].line, "重庆智湾新材料有限公司")
    next(box for box, v in ed["roles"].checks if v is MentorRole.INDUSTRY).setChecked(True)
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.banner.text()
    with demo_db.factory() as s:
        m = s.get(Mentor, dialog.saved_id)
        assert m is not None and m.organisation.name == "重庆智湾新材料有限公司"


def test_a_viewer_reads_the_value_without_a_picker(qtbot: Any, demo_db: Any, tmp_path: Path) -> None:
    from desktop.recorddialog import RecordDialog

    viewer = _actor(demo_db, "leader")
    assert viewer.role is Role.VIEWER
    with demo_db.factory() as s:
        st = s.scalars(select(Student).where(Student.home_university_id.is_not(None)).limit(1)).one()
        sid, code, uni = st.id, st.programme.code, st.home_university.name  # type: ignore[union-attr]
    dialog = RecordDialog(make_ctx(demo_db, viewer, tmp_path), "students", sid, read_only=True)
    qtbot.addWidget(dialog)
    assert dialog.load()
    for key, value in (("programme", code), ("home_university", uni)):
        ed = dialog.editors[key]
        assert ed.picker is None and ed.line is not None
        assert ed.line.isReadOnly() and ed.line.text() == value


def test_an_enrolment_finds_the_student_by_name_as_one_types(qtbot: Any, demo_db: Any, tmp_path: Path) -> None:
    """Twenty thousand students on a ten-year database are never listed whole: the completer asks for
    the first rows matching what was typed, and choosing one gives the parser the student number."""
    from desktop.pages.curriculum import EnrolmentDialog

    with demo_db.factory() as s:
        st = s.scalars(select(Student).order_by(Student.id).limit(1)).one()
        no, name = st.student_no, st.name
    dialog = EnrolmentDialog(make_ctx(demo_db, _actor(demo_db, "admin"), tmp_path), None)
    qtbot.addWidget(dialog)
    assert dialog.load()
    ed = dialog.editors["student_no"]
    assert ed.line is not None and ed.picker is None and ed.search_timer is not None
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    ed.line.setFocus()
    qtbot.waitUntil(ed.line.hasFocus)  # the completer offers rows to the field being typed in only
    type_text(ed.line, name)
    completer = ed.line.completer()
    qtbot.waitUntil(lambda: completer.popup().isVisible())
    matches = completer.completionModel()
    labels = [matches.index(r, 0).data() for r in range(matches.rowCount())]
    assert f"{no} {name}" in labels and all(name in text for text in labels)
    ed.line.setText(f"{no} {name}")  # what choosing the row puts in the box
    assert ed.raw() == no
    course = dialog.editors["course"]
    assert course.picker is not None and course.picker.count() > 10  # the courses are listed whole


def _choose(qtbot: Any, line: Any, typed: str, at: int | None = None, pick: str | None = None) -> list[str]:
    """Type ``typed`` in a list field (at the end, or at cursor position ``at``), wait for its search,
    choose the row labelled ``pick`` (default: the first offered); returns the labels offered."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    line.window().activateWindow()
    line.setFocus()
    qtbot.waitUntil(line.hasFocus)  # the completer offers rows to the field being typed in only
    line.setCursorPosition(len(line.text()) if at is None else at)
    type_text(line, typed)
    completer = line.completer()
    qtbot.waitUntil(lambda: completer.popup().isVisible())
    matches = completer.completionModel()
    labels = [matches.index(r, 0).data() for r in range(matches.rowCount())]
    popup = completer.popup()
    popup.setCurrentIndex(matches.index(labels.index(pick) if pick in labels else 0, 0))  # highlighted …
    QApplication.sendEvent(popup, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return,  # … and chosen
                                            Qt.KeyboardModifier.NoModifier))
    qtbot.waitUntil(lambda: not popup.isVisible())
    return labels


def _project_dialog(qtbot: Any, demo_db: Any, tmp_path: Path) -> tuple[Any, Any, Any]:
    """A new project's dialog, shown, and the first two students (number, name)."""
    from db import competition
    from desktop.pages.competition import CompetitionRecordDialog

    with demo_db.factory() as s:
        a, b = s.execute(select(Student.student_no, Student.name).order_by(Student.student_no).limit(2)).all()
    dialog = CompetitionRecordDialog(make_ctx(demo_db, _actor(demo_db, "admin"), tmp_path), "projects", None,
                                     competition.project_values)
    qtbot.addWidget(dialog)
    assert dialog.load()
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog, a, b


def test_a_project_names_several_members_and_mentors_by_search(qtbot: Any, demo_db: Any, tmp_path: Path) -> None:
    """成员学号 and 指导导师工号 hold several records: each entry is searched as it is typed (by number
    or name), choosing a row puts its number and a 、 after the entries already there, and the
    project saves with those members and mentors."""
    from db.models import Project, ProjectMember, ProjectMentor

    with demo_db.factory() as s:
        m = s.execute(select(Mentor.staff_no, Mentor.name).order_by(Mentor.staff_no).limit(1)).one()
    dialog, a, b = _project_dialog(qtbot, demo_db, tmp_path)
    members = dialog.editors["members"].line
    assert members is not None and members.placeholderText()  # the hint (separated by 、) stays
    offered = _choose(qtbot, members, a.name)
    assert f"{a.student_no} {a.name}" in offered and all(a.name in text for text in offered)
    assert members.text().startswith(offered[0].split()[0] + "、")
    first = members.text()
    offered = _choose(qtbot, members, b.student_no)
    assert offered == [f"{b.student_no} {b.name}"]
    assert members.text() == f"{first}{b.student_no}、"  # the first entry kept, the second added
    mentors = dialog.editors["mentors"].line
    assert mentors is not None
    offered = _choose(qtbot, mentors, m.staff_no)
    assert offered[0].startswith(f"{m.staff_no} {m.name}（")  # with the organisation
    assert mentors.text() == f"{m.staff_no}、"

    ed = dialog.editors
    ed["code"].line.setText("YJ2099-0001")
    ed["title"].line.setText("多成员项目")
    ed["season"].line.setText("2026")
    ed["track"].picker.setEditText("智能机器人")
    ed["lead"].line.setText(b.student_no)
    ed["submitted_on"].line.setText("2026-03-01")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.banner.text()
    with demo_db.factory() as s:
        project = s.scalars(select(Project).where(Project.code == "YJ2099-0001")).one()
        nos = set(s.scalars(select(Student.student_no).join(ProjectMember, ProjectMember.student_id == Student.id)
                            .where(ProjectMember.project_id == project.id)))
        staff = set(s.scalars(select(Mentor.staff_no).join(ProjectMentor, ProjectMentor.mentor_id == Mentor.id)
                              .where(ProjectMentor.project_id == project.id)))
    assert {first.rstrip("、"), b.student_no} <= nos
    assert staff == {m.staff_no}


def test_a_list_entry_is_completed_where_the_cursor_is(qtbot: Any, demo_db: Any, tmp_path: Path) -> None:
    """Typing a name in front of the members already listed searches for that name, not for the last
    member, and choosing a row replaces only what was typed there."""
    dialog, a, b = _project_dialog(qtbot, demo_db, tmp_path)
    members = dialog.editors["members"].line
    assert members is not None
    members.setText(f"、{b.student_no}、张三(重庆邮电大学)")
    offered = _choose(qtbot, members, a.name, at=0, pick=f"{a.student_no} {a.name}")
    assert f"{a.student_no} {a.name}" in offered and all(a.name in text for text in offered)
    assert members.text() == f"{a.student_no}、{b.student_no}、张三(重庆邮电大学)"


def test_a_rule_combines_external_courses_found_by_name(qtbot: Any, demo_db: Any, tmp_path: Path) -> None:
    """A rule's 外校课程代码 finds catalogue courses by code or name; a second one is joined with +."""
    from db.models import ExternalCourse, University
    from desktop.pages.alliance import AllianceRecordDialog

    with demo_db.factory() as s:
        uni, one, name = s.execute(select(University.code, ExternalCourse.code, ExternalCourse.name)
                                   .join(University, University.id == ExternalCourse.university_id)
                                   .order_by(ExternalCourse.id).limit(1)).one()
        two = s.scalars(select(ExternalCourse.code).join(University, University.id == ExternalCourse.university_id)
                        .where(University.code == uni, ExternalCourse.code != one)
                        .order_by(ExternalCourse.code).limit(1)).one()
    dialog = AllianceRecordDialog(make_ctx(demo_db, _actor(demo_db, "admin"), tmp_path), "equivalences")
    qtbot.addWidget(dialog)
    assert dialog.load()
    dialog.show()
    qtbot.waitExposed(dialog)
    line = dialog.editors["external"].line
    assert line is not None
    dialog.editors["university"].set_value(uni)  # the rule's university narrows the catalogue
    offered = _choose(qtbot, line, name)
    assert any(text.startswith(f"{one} {name}（") for text in offered)
    assert all(text.endswith(f"（{uni}）") for text in offered)
    line.setText(f"{one}+")
    _choose(qtbot, line, two)
    assert line.text() == f"{one}+{two}+"
    assert dialog.editors["external"].raw() == line.text()


def _mentored_student(demo_db: Any) -> tuple[int, int]:
    """A student with a current industry mentor, and that mentor's id."""
    from db.models import MentorAssignment

    with demo_db.factory() as s:
        a = s.scalars(select(MentorAssignment).join(Student, Student.id == MentorAssignment.student_id)
                      .where(MentorAssignment.role == MentorRole.INDUSTRY, MentorAssignment.end_on.is_(None),
                             MentorAssignment.start_on <= TODAY - dt.timedelta(days=1),
                             Student.status == StudentStatus.ACTIVE)
                      .order_by(MentorAssignment.id).limit(1)).one()
        return a.student_id, a.mentor_id


def test_a_new_session_is_face_to_face_with_notes_on_several_lines(qtbot: Any, demo_db: Any, tmp_path: Path) -> None:
    from db import mentoring
    from desktop.mentoringdialogs import SessionDialog

    admin = _actor(demo_db, "admin")
    student_id, mentor_id = _mentored_student(demo_db)
    with demo_db.factory() as s:
        lines = [a for a in mentoring.assignment_history(s, admin, student_id) if a.mentor_id == mentor_id]
    ctx = make_ctx(demo_db, admin, tmp_path)
    dialog = SessionDialog(ctx, student_id, mentors=lines)
    qtbot.addWidget(dialog)
    kind = dialog.editors["kind"]
    assert kind.combo is not None and kind.combo.currentText() == "In person"
    notes = dialog.editors["notes"]
    assert isinstance(notes.widget, QPlainTextEdit) and notes.widget.objectName() == "field_notes"
    notes.widget.setPlainText("实习进度良好\n下周提交周报")
    dialog.submit()  # saved at once: date today, 60 minutes, the default kind
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.banner.text()
    with demo_db.factory() as s:
        row = s.get(MentoringSession, dialog.result_value)
        assert row is not None
        assert (row.kind, row.notes, row.held_on) == (SessionKind.IN_PERSON, "实习进度良好\n下周提交周报", TODAY)
        row.kind = SessionKind.ONLINE
        s.commit()
        entry = next(e for e in mentoring.timeline(s, admin, student_id) if e.kind == "session" and e.id == row.id)

    # correcting it shows the stored kind and the notes as written, still changeable
    again = SessionDialog(ctx, student_id, entry=entry)
    qtbot.addWidget(again)
    assert again.editors["kind"].combo.currentText() == "Online"  # type: ignore[union-attr]
    assert again.editors["notes"].raw() == "实习进度良好\n下周提交周报"
    again.editors["kind"].combo.setCurrentIndex(again.editors["kind"].combo.findText("On site at the company"))  # type: ignore[union-attr]
    again.submit()
    assert again.result() == again.DialogCode.Accepted, again.banner.text()
    with demo_db.factory() as s:
        assert s.get(MentoringSession, dialog.result_value).kind is SessionKind.ONSITE  # type: ignore[union-attr]


# --------------------------------------------------------------------------- db.lookups, both backends


def test_choices_offer_value_and_label(db: Any, admin: Actor) -> None:
    with unit_of_work(db.factory, admin) as s:
        save_programme(s, admin, {"code": "P2", "name": "智能网联汽车"})
        save_programme(s, admin, {"code": "P1", "name": "人工智能工程"})
        save_course(s, admin, {"code": "AGI101", "name": "大模型原理", "credits": 3,
                               "category": CourseCategory.FOUNDATION, "partner": "长安汽车有限公司"})
        save_university(s, admin, {"code": "CQU", "name": "重庆大学"})
        save_mentor(s, admin, {"staff_no": "M1", "name": "陈建国", "organisation": "华为技术有限公司",
                               "roles": [MentorRole.INDUSTRY]})
        save_student(s, admin, {"student_no": "S1", "name": "王梓涵", "cohort": 2025, "programme": "P1",
                                "home_university": "西南大学"})
    with db.factory() as s:
        assert lookups.choices(s, admin, "programmes") == [("P1", "P1 人工智能工程"), ("P2", "P2 智能网联汽车")]
        assert lookups.choices(s, admin, "courses") == [("AGI101", "AGI101 大模型原理")]
        assert lookups.choices(s, admin, "universities") == [("CQU", "CQU 重庆大学")]
        orgs = [v for v, _label in lookups.choices(s, admin, "organisations")]
        assert {"华为技术有限公司", "长安汽车有限公司", "西南大学", "重庆大学"} <= set(orgs)
        assert orgs == sorted(orgs)
        unis = [v for v, _label in lookups.choices(s, admin, "universities-as-organisations")]
        assert "西南大学" in unis and "长安汽车有限公司" not in unis
        companies = [v for v, _label in lookups.choices(s, admin, "companies-as-organisations")]
        assert "长安汽车有限公司" in companies and "西南大学" not in companies
        viewer = Actor("boss", Role.VIEWER)
        assert lookups.choices(s, viewer, "programmes") == lookups.choices(s, admin, "programmes")
        mentor = Actor("chen", Role.MENTOR, mentor_id=1)
        assert lookups.choices(s, mentor, "programmes") == []  # a mentor reads no catalogue
        with pytest.raises(KeyError):
            lookups.choices(s, admin, "students")


def test_search_finds_students_a_mentor_may_see(db: Any, admin: Actor) -> None:
    from db.models import MentorAssignment

    with unit_of_work(db.factory, admin) as s:
        save_programme(s, admin, {"code": "P1", "name": "人工智能工程"})
        for no, name in (("S1", "王梓涵"), ("S2", "王子轩"), ("S3", "李雨桐"), ("X_1", "百分%号")):
            save_student(s, admin, {"student_no": no, "name": name, "cohort": 2025, "programme": "P1"})
        m, _ = save_mentor(s, admin, {"staff_no": "M1", "name": "陈建国", "organisation": "华为",
                                      "roles": [MentorRole.INDUSTRY]})
        s1 = s.scalars(select(Student).where(Student.student_no == "S1")).one()
        s.add(MentorAssignment(student_id=s1.id, mentor_id=m.id, role=MentorRole.INDUSTRY,
                               start_on=dt.date(2025, 9, 1)))
        mentor_id = m.id
    with db.factory() as s:
        assert lookups.search(s, admin, "students", "王") == [("S1", "S1 王梓涵"), ("S2", "S2 王子轩")]
        assert lookups.search(s, admin, "students", "s3") == [("S3", "S3 李雨桐")]  # any case
        assert lookups.search(s, admin, "students", "%") == [("X_1", "X_1 百分%号")]  # typed, not a wildcard
        assert lookups.search(s, admin, "students", "_") == [("X_1", "X_1 百分%号")]
        assert lookups.search(s, admin, "students", "  ") == []
        assert len(lookups.search(s, admin, "students", "S", limit=2)) == 2
        mentor = Actor("chen", Role.MENTOR, mentor_id=mentor_id)
        assert lookups.search(s, mentor, "students", "王") == [("S1", "S1 王梓涵")]  # own mentee only
        assert lookups.search(s, admin, "projects", "YJ") == []
        with pytest.raises(KeyError):
            lookups.search(s, admin, "programmes", "P")


def test_search_finds_mentors_and_catalogue_courses(db: Any, admin: Actor) -> None:
    """A project's mentors and a rule's external courses are searched by number/code or name, labelled
    with the organisation / university that tells two of the same name apart; a mentor is offered none."""
    from db.curriculum import save_external_course

    with unit_of_work(db.factory, admin) as s:
        save_mentor(s, admin, {"staff_no": "M2", "name": "张伟", "organisation": "长安汽车",
                               "roles": [MentorRole.INDUSTRY]})
        save_mentor(s, admin, {"staff_no": "M1", "name": "张伟", "organisation": "重庆大学",
                               "roles": [MentorRole.ACADEMIC]})
        save_mentor(s, admin, {"staff_no": "Q9", "name": "李娜", "organisation": "华为", "roles": [MentorRole.STUDY]})
        save_university(s, admin, {"code": "CQU", "name": "重庆大学"})
        save_university(s, admin, {"code": "SWU", "name": "西南大学"})
        for uni, code, name in (("SWU", "MA201", "线性代数"), ("CQU", "MA305", "概率论"), ("CQU", "CS301", "机器学习")):
            save_external_course(s, admin, {"university": uni, "code": code, "name": name, "credits": 3})
    with db.factory() as s:
        assert lookups.search(s, admin, "mentors", "张伟") == [("M1", "M1 张伟（重庆大学）"),
                                                              ("M2", "M2 张伟（长安汽车）")]
        assert lookups.search(s, admin, "mentors", "q9") == [("Q9", "Q9 李娜（华为）")]
        assert lookups.search(s, admin, "external-courses", "MA") == [("MA305", "MA305 概率论（CQU）"),
                                                                      ("MA201", "MA201 线性代数（SWU）")]
        assert lookups.search(s, admin, "external-courses", "机器") == [("CS301", "CS301 机器学习（CQU）")]
        assert lookups.search(s, admin, "external-courses", "MA", within=" cqu") == [("MA305", "MA305 概率论（CQU）")]
        mentor = Actor("chen", Role.MENTOR, mentor_id=1)
        assert lookups.search(s, mentor, "mentors", "张") == []
        assert lookups.search(s, mentor, "external-courses", "MA") == []


def test_every_declared_ref_has_a_reader() -> None:
    from forms.specs import SPECS

    declared = {f.ref for spec in SPECS.values() for f in spec.fields if f.ref}
    assert declared <= lookups.REFS
    assert {"programmes", "courses", "universities", "organisations", "tracks"} <= declared
