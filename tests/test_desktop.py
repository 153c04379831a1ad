"""GUI tests of the desktop shell (pytest-qt, offscreen). Few and focused: each builds one small
database through the services and drives one page or dialog; no dialog ever blocks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from conftest import filled_once  # type: ignore[import-not-found]
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel, QWidget
from sqlalchemy import select

from db.actor import Actor, unit_of_work
from db.auth import create_user
from db.curriculum import save_course, save_programme, save_programme_course
from db.models import AccessLog, Mentor, MentorAssignment, MentorRole, Role, Student
from db.people import save_mentor, save_student

pytestmark = pytest.mark.gui

NAMES = ["王梓涵", "李子轩", "张雨桐", "刘浩然", "陈欣怡", "杨宇航", "赵思远", "黄佳琪"]


class FakePrompts:
    """Answers every question without a window and remembers what was asked."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []
        self.choice = 0
        self.confirm_answer = True
        self.file = ""
        self.folder = ""

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        self.asked.append(("error", text))

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        self.asked.append(("info", text))

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        self.asked.append(("confirm", text))
        return self.confirm_answer

    def choose(self, parent: QWidget | None, title: str, text: str, options: Sequence[str]) -> int:
        self.asked.append(("choose", text))
        return self.choice

    def open_file(self, parent: QWidget | None, caption: str, filters: str) -> str:
        return self.file

    def save_file(self, parent: QWidget | None, caption: str, suggested: str, filters: str) -> str:
        return self.file

    def choose_folder(self, parent: QWidget | None, caption: str) -> str:
        return self.folder


@pytest.fixture
@filled_once
def seeded(sqlite_db: Any, admin: Actor) -> Any:
    """Two programmes, eight students, two mentors; mentor M1 holds roles for the first three."""
    with unit_of_work(sqlite_db.factory, admin) as s:
        save_programme(s, admin, {"code": "P1", "name": "人工智能工程"})
        save_programme(s, admin, {"code": "P2", "name": "智能网联汽车"})
        for i, name in enumerate(NAMES):
            save_student(s, admin, {"student_no": f"S{i + 1:03d}", "name": name, "cohort": 2025,
                                    "programme": "P1" if i % 2 == 0 else "P2"})
        m1, _ = save_mentor(s, admin, {"staff_no": "M1", "name": "陈建国", "organisation": "华为",
                                       "roles": [MentorRole.INDUSTRY]})
        save_mentor(s, admin, {"staff_no": "M2", "name": "周敏", "organisation": "重庆大学",
                               "roles": [MentorRole.ACADEMIC]})
        students = s.scalars(select(Student).order_by(Student.student_no)).all()
        for st in students[:3]:
            s.add(MentorAssignment(student_id=st.id, mentor_id=m1.id, role=MentorRole.INDUSTRY,
                                   start_on=dt.date(2025, 9, 1)))
        save_course(s, admin, {"code": "AGI101", "name": "大模型原理", "credits": 3, "category": _cat("基础")})
        save_course(s, admin, {"code": "IND201", "name": "车联网与数据智能", "credits": 3, "category": _cat("产业")})
        save_programme_course(s, admin, {"programme": "P1", "course": "AGI101"})
        sqlite_db.mentor_id = m1.id
    return sqlite_db


def _cat(word: str) -> Any:
    from forms.specs import CATEGORY

    return CATEGORY(word)


def make_ctx(db: Any, actor: Actor, tmp_path: Path) -> Any:
    from desktop.context import AppContext
    from desktop.tasks import TaskRunner

    prompts = FakePrompts()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    return AppContext(db.factory, actor, db.target, settings, prompts,  # type: ignore[arg-type]
                      TaskRunner(prompts, synchronous=True))  # type: ignore[arg-type]


def column_values(model: Any, key: str) -> list[str]:
    col = [c.key for c in model.spec.columns].index(key)
    return [model.index(r, col).data() for r in range(model.rowCount())]


def window(qtbot: Any, ctx: Any) -> Any:
    from desktop.mainwindow import MainWindow

    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.start()
    return w


# --------------------------------------------------------------------------- main window and sidebar


def test_admin_window_opens_every_page(qtbot: Any, seeded: Any, admin: Actor, tmp_path: Path) -> None:
    w = window(qtbot, make_ctx(seeded, admin, tmp_path))
    keys = [e.key for e in w.sidebar_model.entries]
    assert keys == ["home", "students", "mentors", "mentoring", "curriculum", "alliance", "competition", "reports",
                    "admin", "help"]
    for key in keys:
        w.select(key)
        assert w.current_key() == key
    home = w.page("home")
    assert home.cards["active_students"].value.text() == "8"
    assert home.cards["missing_industry"].value.text() == "5"
    assert seeded.target.display() in w.db_label.text()
    assert "admin" not in w.user_label.text() or "Administrator" in w.user_label.text()
    w.close()  # remembers the layout
    assert ctx_settings_value(w, "window/page") == "help"


def ctx_settings_value(w: Any, key: str) -> Any:
    return w.ctx.settings.value(key)


@pytest.mark.parametrize(("role", "expected"), [
    ("admin", ["home", "students", "mentors", "mentoring", "curriculum", "alliance", "competition", "reports", "admin",
               "help"]),
    ("viewer", ["home", "students", "mentors", "mentoring", "curriculum", "alliance", "competition", "reports", "admin",
                "help"]),
    ("mentor", ["home", "students", "mentors", "competition", "admin", "help"]),
])
def test_sidebar_entries_per_role(role: str, expected: list[str]) -> None:
    from desktop.mainwindow import entries_for

    assert [e.key for e in entries_for(role)] == expected


# --------------------------------------------------------------------------- list pages


def test_student_list_sorts_and_searches_in_sql(qtbot: Any, seeded: Any, admin: Actor, tmp_path: Path) -> None:
    w = window(qtbot, make_ctx(seeded, admin, tmp_path))
    w.select("students")
    page = w.page("students").list
    model = page.model
    assert model.rowCount() == 8
    assert column_values(model, "student_no")[:2] == ["S001", "S002"]
    assert page.count_label.text() == "8 in total"
    name_col = [c.key for c in model.spec.columns].index("name")
    page.view.horizontalHeader().setSortIndicator(name_col, Qt.SortOrder.DescendingOrder)
    assert model.query.sort_key == "name" and model.query.descending
    assert column_values(model, "name") == sorted(NAMES, reverse=True)
    page.search.setText("王梓")
    page.apply_search()  # skip the debounce
    assert column_values(model, "name") == ["王梓涵"]
    assert page.count_label.text() == "1 in total"
    page.search.clear()
    page.apply_search()
    status = page.filter_boxes["programme"]
    status.setCurrentIndex(2)  # P2
    assert model.rowCount() == 4


def test_mentor_sees_only_own_mentees_and_cannot_create(qtbot: Any, seeded: Any, tmp_path: Path) -> None:
    with unit_of_work(seeded.factory, Actor("x", Role.ADMIN)) as s:
        user = create_user(s, Actor("x", Role.ADMIN), "chen", "password1", Role.MENTOR, mentor_id=seeded.mentor_id)
    mentor = Actor("chen", Role.MENTOR, user_id=user.id, mentor_id=seeded.mentor_id)
    w = window(qtbot, make_ctx(seeded, mentor, tmp_path))
    assert w.current_key() == "home"
    assert w.page("home").cards["current"].value.text() == "3"
    w.select("students")
    page = w.page("students").list
    assert column_values(page.model, "student_no") == ["S001", "S002", "S003"]
    assert page.new_button is None and page.import_button is None and page.export_button is None
    w.select("mentors")
    assert column_values(w.page("mentors").list.model, "staff_no") == ["M1"]


def test_viewer_reads_but_cannot_edit(qtbot: Any, seeded: Any, tmp_path: Path) -> None:
    from desktop.recorddialog import RecordDialog

    viewer = Actor("boss", Role.VIEWER)
    ctx = make_ctx(seeded, viewer, tmp_path)
    w = window(qtbot, ctx)
    w.select("students")
    page = w.page("students").list
    assert page.new_button is None and page.import_button is None
    assert page.open_button is not None and page.open_button.text() == "Open"
    row = page.model.row_at(0)
    dialog = RecordDialog(ctx, "students", row.id, read_only=True, parent=w)
    qtbot.addWidget(dialog)
    assert dialog.load()
    assert dialog.editors["name"].line.isReadOnly()
    assert dialog.editors["name"].line.text() == NAMES[0]
    assert dialog.history is not None and dialog.history.model.rowCount() == 1  # 陈建国, industry
    from PySide6.QtWidgets import QDialogButtonBox

    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Save) is None
    with seeded.factory() as s:  # opening a student's record is an access-log line (PIPL)
        assert s.scalar(select(AccessLog).where(AccessLog.action == "view_student",
                                                AccessLog.username == "boss")) is not None


# --------------------------------------------------------------------------- record dialog


def test_record_dialog_shows_inline_error_then_saves(qtbot: Any, seeded: Any, admin: Actor, tmp_path: Path) -> None:
    from desktop.recorddialog import RecordDialog

    ctx = make_ctx(seeded, admin, tmp_path)
    dialog = RecordDialog(ctx, "students")
    qtbot.addWidget(dialog)
    assert dialog.load()
    ed = dialog.editors
    ed["student_no"].line.setText("S100")
    ed["name"].line.setText("孙一诺")
    ed["cohort"].line.setText("2025")
    ed["programme"].line.setText("P9")  # no such programme: the service says so on the field
    ed["phone"].line.setText("12345")  # not a mobile number: the parser says so
    dialog.save()
    assert not ed["phone"].error.isHidden() and "mobile" in ed["phone"].error.text()
    assert ed["name"].error.isHidden()
    ed["phone"].line.setText("13812345678")
    dialog.save()
    assert not ed["programme"].error.isHidden() and "P9" in ed["programme"].error.text()
    ed["programme"].line.setText("P2")
    ed["status"].combo.setCurrentIndex(ed["status"].combo.findText("Suspended"))
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.saved_id is not None
    with seeded.factory() as s:
        st = s.get(Student, dialog.saved_id)
        assert (st.name, st.programme.code, st.phone, st.status.value) == ("孙一诺", "P2", "13812345678", "suspended")


def test_mentor_dialog_roles_are_checkboxes(qtbot: Any, seeded: Any, admin: Actor, tmp_path: Path) -> None:
    from desktop.recorddialog import RecordDialog

    ctx = make_ctx(seeded, admin, tmp_path)
    dialog = RecordDialog(ctx, "mentors", seeded.mentor_id)
    qtbot.addWidget(dialog)
    assert dialog.load()
    roles = dialog.editors["roles"]
    checked = [v for box, v in roles.checks if box.isChecked()]
    assert checked == [MentorRole.INDUSTRY]
    for box, v in roles.checks:
        box.setChecked(v in (MentorRole.INDUSTRY, MentorRole.STUDY))
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    with seeded.factory() as s:
        snap = __import__("db.dashboard", fromlist=["record"]).record(s, admin, "mentors", seeded.mentor_id)
    assert set(snap.values["roles"]) == {MentorRole.INDUSTRY, MentorRole.STUDY}


def test_stale_edit_offers_reload(qtbot: Any, seeded: Any, admin: Actor, tmp_path: Path) -> None:
    from desktop.recorddialog import RecordDialog

    ctx = make_ctx(seeded, admin, tmp_path)
    with seeded.factory() as s:
        sid = s.scalar(select(Student.id).where(Student.student_no == "S001"))
    dialog = RecordDialog(ctx, "students", sid)
    qtbot.addWidget(dialog)
    assert dialog.load()
    with unit_of_work(seeded.factory, admin) as s:  # another PC saves first
        save_student(s, admin, {"name": "王梓涵二"}, student_id=sid, expected_version=dialog.version)
    dialog.editors["phone"].line.setText("13900000000")
    ctx.prompts.choice = 1  # keep editing
    dialog.save()
    assert ctx.prompts.asked[-1][0] == "choose"
    assert "another computer" in ctx.prompts.asked[-1][1]
    assert dialog.result() != dialog.DialogCode.Accepted
    ctx.prompts.choice = 0  # now: reload
    with unit_of_work(seeded.factory, admin) as s:
        save_student(s, admin, {"name": "王梓涵三"}, student_id=sid, expected_version=dialog.version)
    dialog.save()
    assert dialog.editors["name"].line.text() == "王梓涵三"


# --------------------------------------------------------------------------- curriculum, export, users


def test_programme_plan_add_course_updates_balance(qtbot: Any, seeded: Any, admin: Actor, tmp_path: Path) -> None:
    w = window(qtbot, make_ctx(seeded, admin, tmp_path))
    w.select("curriculum")
    page = w.page("curriculum")
    page.programmes.view.selectRow(0)  # P1: AGI101 only
    plan = page.plan
    assert plan.balance is not None and plan.balance.share == 1.0
    assert "outside the band" in plan.summary.text()
    plan.course_box.setCurrentIndex(plan.course_box.findData("IND201"))
    plan.add_course()
    assert plan.balance.share == 0.5 and plan.model.rowCount() == 2
    assert "within the band" in plan.summary.text()


def test_export_writes_current_query(qtbot: Any, seeded: Any, admin: Actor, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    ctx = make_ctx(seeded, admin, tmp_path)
    w = window(qtbot, ctx)
    w.select("students")
    page = w.page("students").list
    page.search.setText("S00")
    page.apply_search()
    ctx.prompts.file = str(tmp_path / "students.xlsx")
    page.export()
    ws = load_workbook(tmp_path / "students.xlsx").active
    rows = list(ws.values)
    assert rows[0][0] == "Student no." and len(rows) == 9
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    assert ctx.prompts.asked[-1][0] == "info"


def test_create_mentor_user(qtbot: Any, seeded: Any, admin: Actor, tmp_path: Path) -> None:
    from desktop.pages.admin import UserDialog

    ctx = make_ctx(seeded, admin, tmp_path)
    dialog = UserDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.load()
    dialog.username.setText("chen")
    dialog.role.setCurrentIndex(dialog.role.findData("mentor"))
    dialog.password.setText("password1")
    dialog.password2.setText("password2")
    dialog.save()
    assert "differ" in dialog.errors["password"].text()
    dialog.password2.setText("password1")
    dialog.save()
    assert "mentor" in dialog.errors["mentor"].text().lower()  # a mentor account needs its mentor
    dialog.mentor.setCurrentIndex(dialog.mentor.findData(seeded.mentor_id))
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_login_dialog_inline_error(qtbot: Any, seeded: Any, admin: Actor) -> None:
    from desktop.login import LoginDialog
    from desktop.tasks import TaskRunner

    dialog = LoginDialog(seeded.factory, seeded.target.display(), runner=TaskRunner(synchronous=True))
    qtbot.addWidget(dialog)
    dialog.check_users()
    assert dialog.first_admin  # no users yet: offers to create the first administrator
    dialog.username.setText("root")
    dialog.password.setText("password1")
    dialog.password2.setText("password1")
    dialog.submit()
    assert dialog.actor is not None and dialog.actor.is_admin
    again = LoginDialog(seeded.factory, seeded.target.display(), runner=TaskRunner(synchronous=True))
    qtbot.addWidget(again)
    again.check_users()
    again.show()
    assert not again.first_admin
    again.username.setText("root")
    again.password.setText("wrong-password")
    qtbot.keyClick(again.password, Qt.Key.Key_Return)
    assert again.actor is None and not again.error.isHidden()


# --------------------------------------------------------------------------- start-up


def test_start_up_upgrades_off_the_ui_thread_then_signs_in(qapp: Any, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from db import migrate
    from db.engine import make_engine, resolve
    from desktop.app import run

    monkeypatch.setenv("TALENTDESK_LANG", "en")
    path = tmp_path / "fresh.db"
    seen: list[str] = []
    prompts = FakePrompts()
    code = run(str(path), [], prompts=prompts,  # type: ignore[arg-type]
               login=lambda factory, database: seen.append(database))  # cancelled sign-in
    assert code == 0 and seen == [str(path)] and prompts.asked == []
    engine = make_engine(resolve(str(path)))
    assert not migrate.needs_upgrade(engine)
    engine.dispose()


def test_start_up_refuses_a_network_share_with_a_message(qapp: Any) -> None:
    from desktop.app import run

    prompts = FakePrompts()
    code = run("//fileserver/share/talentdesk.db", [], prompts=prompts,  # type: ignore[arg-type]
               login=lambda f, d: pytest.fail("no sign-in after a refused location"))
    assert code == 2 and prompts.asked[0][0] == "error" and "network" in prompts.asked[0][1]


def test_task_runner_reports_on_the_ui_thread(qtbot: Any) -> None:
    from desktop.tasks import TaskRunner

    prompts = FakePrompts()
    runner = TaskRunner(prompts)  # type: ignore[arg-type]
    results: list[Any] = []

    def work(task: Any) -> int:
        for i in range(3):
            task.progress(i, 3)
        return 42

    runner.run(work, parent=None, label="…", on_success=results.append)
    qtbot.waitUntil(lambda: results == [42], timeout=5000)
    runner.run(lambda task: 1 / 0, parent=None, label="…")
    qtbot.waitUntil(lambda: bool(prompts.asked), timeout=5000)
    assert "ZeroDivisionError" in prompts.asked[0][1]


def test_import_checks_then_commits(qtbot: Any, seeded: Any, admin: Actor, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl import Workbook

    from desktop.importexport import ImportErrorsDialog, ImportFlow

    ctx = make_ctx(seeded, admin, tmp_path)
    bad, good = tmp_path / "bad.xlsx", tmp_path / "good.xlsx"
    for path, phone in ((bad, "123"), (good, "13812345678")):
        wb = Workbook()
        ws = wb.active
        ws.append(["学号", "姓名", "年级", "培养方案", "手机"])
        ws.append(["S900", "吴晨曦", 2025, "P1", phone])
        ws.append(["S901", "徐明轩", 2025, "P2", None])
        wb.save(path)
    shown: list[Any] = []
    monkeypatch.setattr(ImportErrorsDialog, "exec", lambda self: shown.append(self.model.rowCount()) or 0)
    done: list[bool] = []
    ImportFlow(ctx, "students", None, on_done=lambda: done.append(True)).start(str(bad))  # type: ignore[arg-type]
    assert shown == [1] and not done  # the bad phone is listed; nothing imported
    ImportFlow(ctx, "students", None, on_done=lambda: done.append(True)).start(str(good))  # type: ignore[arg-type]
    assert ctx.prompts.asked[-2][0] == "confirm" and done == [True]
    with seeded.factory() as s:
        assert s.scalar(select(Student).where(Student.student_no == "S901")) is not None


def test_mentor_edits_only_own_contact_details(qtbot: Any, seeded: Any, tmp_path: Path) -> None:
    from desktop.recorddialog import OWN_PROFILE_KEYS, RecordDialog

    mentor = Actor("chen", Role.MENTOR, user_id=None, mentor_id=seeded.mentor_id)
    ctx = make_ctx(seeded, mentor, tmp_path)
    w = window(qtbot, ctx)
    w.select("mentors")
    w.show()
    w.activateWindow()
    page = w.page("mentors").list
    from PySide6.QtGui import QKeySequence

    find = next(a for a in w.actions() if a.shortcut() == QKeySequence(QKeySequence.StandardKey.Find))
    find.trigger()  # Ctrl+F: the current list's search box
    qtbot.waitUntil(page.search.hasFocus, timeout=2000)
    assert page.new_button is None
    dialog = RecordDialog(ctx, "mentors", seeded.mentor_id, editable=OWN_PROFILE_KEYS, parent=w)
    qtbot.addWidget(dialog)
    assert dialog.load()
    assert dialog.editors["name"].line.isReadOnly() and not dialog.editors["phone"].line.isReadOnly()
    dialog.editors["phone"].line.setText("13700000000")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    page.refresh()
    assert column_values(page.model, "phone") == ["13700000000"]


def test_the_backups_panel_says_where_the_backups_are_and_opens_the_folder(qtbot: Any, sqlite_db: Any, admin: Actor,
                                                                           tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtGui import QDesktopServices

    from db import backup
    from desktop.pages.admin import BackupsPanel

    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    panel = BackupsPanel(make_ctx(sqlite_db, admin, tmp_path))
    qtbot.addWidget(panel)
    folder = backup.backups_dir(sqlite_db.target)
    assert str(folder) in panel.findChild(QLabel, "backupFolder").text()
    assert folder.name == sqlite_db.target.sqlite_path.stem  # this database's own folder
    assert panel.open_folder() and opened == [str(folder)] and folder.is_dir()


def test_a_cohort_s_records_print_as_one_pdf_and_the_academy_name_heads_them(qtbot: Any, seeded: Any, admin: Actor,
                                                                             tmp_path: Path) -> None:
    """学生 → 打印档案: the students of the list as filtered, one PDF, each from a new page; 系统 → 设置 →
    学院名称 is printed in the header."""
    import subprocess

    from desktop.pages.admin import SettingsPanel
    from desktop.pages.people import StudentsPage

    ctx = make_ctx(seeded, admin, tmp_path)
    settings = SettingsPanel(ctx)
    qtbot.addWidget(settings)
    settings.academy.setText("重庆智湾人工智能学院")
    settings.save_academy()
    assert settings.academy_note.text() == "Saved. Student records print it in their header."
    page = StudentsPage(ctx)
    qtbot.addWidget(page)
    page.activate()
    page.list.model.set_filter("programme", page.list.model.query.filters.get("programme"))
    n = page.list.model.rowCount()
    page.print_records(str(tmp_path / "records.pdf"))
    assert ctx.prompts.asked[-1][0] == "info", ctx.prompts.asked
    text = subprocess.run(["pdftotext", str(tmp_path / "records.pdf"), "-"], capture_output=True, text=True).stdout
    import re

    assert len(re.findall(r"学生培养档案 · \S+（S\d+）", text)) == n and "重庆智湾人工智能学院" in text
    pages = subprocess.run(["pdfinfo", str(tmp_path / "records.pdf")], capture_output=True, text=True).stdout
    assert int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages"))) >= n


def test_a_students_change_history_opens_from_the_detail_window(qtbot: Any, seeded: Any, admin: Actor,
                                                                tmp_path: Path) -> None:
    from desktop.studentdetail import StudentDetail

    with unit_of_work(seeded.factory, admin) as s:
        sid = s.scalar(select(Student.id).where(Student.student_no == "S001"))
        save_student(s, admin, {"phone": "13900000001"}, student_id=sid, expected_version=1)
    ctx = make_ctx(seeded, admin, tmp_path)
    detail = StudentDetail(ctx, sid)
    qtbot.addWidget(detail)
    assert detail.load()
    dialog = detail.change_history(show=False)
    qtbot.addWidget(dialog)
    model = dialog.page.model
    records = {model.index(r, 4).data() for r in range(model.rowCount())}
    assert model.rowCount() >= 2 and records == {f"{NAMES[0]}（S001）"}, records


def test_sign_out_returns_to_sign_in_and_settings_follow_the_person(qapp: Any, seeded: Any, admin: Actor,
                                                                    tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """文件 → 注销 closes the window and signs the next person in without restarting; the last page and
    column layouts are the person's, not the PC's."""
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from db.models import AccessLog
    from desktop.app import run
    from desktop.mainwindow import MainWindow

    monkeypatch.setenv("TALENTDESK_LANG", "en")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "conf"))
    from db.auth import create_user, set_own_language
    from db.i18n import language

    with unit_of_work(seeded.factory, admin) as s:
        zhang = create_user(s, admin, "zhang", "password1", Role.ADMIN)
        boss = create_user(s, admin, "boss", "password1", Role.VIEWER)
        set_own_language(s, Actor("zhang", Role.ADMIN, user_id=zhang.id), "zh")  # saved with the account
    people = [Actor("zhang", Role.ADMIN, user_id=zhang.id), Actor("boss", Role.VIEWER, user_id=boss.id),
              Actor("zhang", Role.ADMIN, user_id=zhang.id)]
    languages: list[str] = []
    seen: list[tuple[str, str | None]] = []

    def window() -> MainWindow:
        return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())

    def act() -> None:
        w = window()
        seen.append((w.ctx.actor.username, w.current_key()))
        languages.append(language())
        if len(seen) == 1:
            w.select("students")  # zhang leaves TalentDesk on the students page
        if len(seen) < 3:
            w.sign_out_action.trigger()
        else:
            w.close()

    def login(_factory: Any, _database: str) -> Actor | None:
        QTimer.singleShot(50, act)
        return people.pop(0)

    try:
        code = run(str(seeded.target.sqlite_path), [], prompts=FakePrompts(), login=login)  # type: ignore[arg-type]
    finally:
        QSettings.setDefaultFormat(QSettings.Format.NativeFormat)
        # the language is the process's: back to English for the tests that follow in this worker
        from PySide6.QtCore import QLocale, QTranslator

        from db.i18n import set_language

        for tr in qapp.findChildren(QTranslator):
            qapp.removeTranslator(tr)
        set_language("en")
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    assert code == 0
    # the viewer does not land on zhang's last page; zhang, back, does
    assert seen == [("zhang", "home"), ("boss", "home"), ("zhang", "students")]
    assert languages == ["zh", "en", "zh"]  # zhang's Chinese follows zhang, not the PC nor the next person
    with seeded.factory() as s:
        assert s.scalars(select(AccessLog.username).where(AccessLog.action == "logout")).all() == ["zhang", "boss"]


def test_the_keyboard_goes_from_the_search_box_into_the_results(qtbot: Any, seeded: Any, admin: Actor,
                                                                tmp_path: Path) -> None:
    from PySide6.QtCore import Qt

    from desktop.pages.people import StudentsPage

    page = StudentsPage(make_ctx(seeded, admin, tmp_path))
    qtbot.addWidget(page)
    page.show()
    page.activate()
    lst = page.list
    lst.search.setFocus()
    qtbot.keyClicks(lst.search, "S00")
    qtbot.keyClick(lst.search, Qt.Key.Key_Return)
    assert lst.view.hasFocus() or lst.view.currentIndex().isValid()
    assert lst.view.currentIndex().row() == 0
    lst.search.setFocus()
    qtbot.keyClick(lst.search, Qt.Key.Key_Down)
    assert lst.view.currentIndex().isValid()


def test_every_home_figure_opens_exactly_the_records_behind_it(qtbot: Any, seeded: Any, admin: Actor,
                                                               tmp_path: Path) -> None:
    """#24: the home page was a dead end. A click on a figure opens its list, filtered, and the list's
    count is the figure."""
    from desktop.pages.home import BEHIND

    ctx = make_ctx(seeded, admin, tmp_path)
    w = window(qtbot, ctx)
    home = w.page("home")
    figures = {key: card.value.text() for key, card in home.cards.items()}
    opened = []
    for key in (k for k in BEHIND if k in home.cards):
        w.select("home")
        home.cards[key].clicked.emit()
        lst = w.current_list()
        assert lst is not None and lst.spec.name == BEHIND[key][1], key
        assert f"{lst.model.rowCount():,}" == figures[key], (key, lst.model.rowCount(), figures[key])
        opened.append(key)
    assert {"active_students", "mentors", "missing_industry", "missing_study"} <= set(opened)
    assert "Credit transfer requests" not in home.alerts.text() and home.pending_button.isHidden()


def test_a_programmes_figures_open_the_records_behind_them(qtbot: Any, seeded: Any, admin: Actor,
                                                           tmp_path: Path) -> None:
    """#24: the 课程 page's figures were dead ends too. On the programmes list, opening a programme's
    student count shows its active students and its course count the courses of its plan: each list's
    count is the figure; any other column still opens the programme."""
    ctx = make_ctx(seeded, admin, tmp_path)
    w = window(qtbot, ctx)
    w.select("curriculum")
    programmes = w.page("curriculum").programmes
    programmes.activate()
    cols = [c.key for c in programmes.spec.columns]
    checked = 0
    for r in range(programmes.model.rowCount()):
        for key, list_name in (("students", "students"), ("courses", "courses")):
            w.select("curriculum")
            programmes.view.setCurrentIndex(programmes.model.index(r, cols.index(key)))
            figure = programmes.model.index(r, cols.index(key)).data()
            programmes.open_current()
            lst = w.current_list()
            assert lst is not None and lst.spec.name == list_name
            assert f"{lst.model.rowCount():,}" == figure, (key, lst.model.rowCount(), figure)
            checked += int(figure.replace(",", "")) > 0
    assert checked >= 2  # the figures were not all zero
    opened: list[int] = []
    programmes.on_open = lambda row: opened.append(row.id) or False
    w.select("curriculum")
    programmes.view.setCurrentIndex(programmes.model.index(0, cols.index("name")))
    programmes.open_current()
    assert opened == [programmes.current_row().id]


def test_a_new_record_hidden_by_the_search_is_said_saved_and_shown(qtbot: Any, seeded: Any, admin: Actor,
                                                                    tmp_path: Path) -> None:
    """#24: a saved new record could be hidden by the list's search, with no word that it was saved."""
    from desktop.pages.people import StudentsPage

    ctx = make_ctx(seeded, admin, tmp_path)
    page = StudentsPage(ctx)
    qtbot.addWidget(page)
    page.activate()
    page.list.search.setText("王梓涵")
    page.list.apply_search()
    assert page.list.model.rowCount() == 1

    def created() -> int:
        with unit_of_work(seeded.factory, admin) as s:
            return save_student(s, admin, {"student_no": "S099", "name": "新同学", "cohort": 2026,
                                           "programme": "P1"})[0].id

    page.list.on_new = created
    page.list.new_record()
    assert ctx.prompts.asked[-1][0] == "info" and "Saved" in ctx.prompts.asked[-1][1]
    assert page.list.search.text() == "" and page.list.model.rowCount() == len(NAMES) + 1
    row = page.list.model.row_at(page.list.view.currentIndex().row())
    assert row is not None and row.values[0] == "S099"


def test_any_list_prints_as_shown_on_a4_landscape(qtbot: Any, seeded: Any, admin: Actor, tmp_path: Path) -> None:
    """#24: 打印 for any list — A4 landscape, Chinese headers repeated, the search named."""
    import subprocess

    from desktop.pages.people import StudentsPage

    page = StudentsPage(make_ctx(seeded, admin, tmp_path))
    qtbot.addWidget(page)
    page.activate()
    page.list.search.setText("S00")
    page.list.apply_search()
    page.list.print_list(str(tmp_path / "list.pdf"))
    info = subprocess.run(["pdfinfo", str(tmp_path / "list.pdf")], capture_output=True, text=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size"))
    width, height = (float(x) for x in size.split(":")[1].split("pts")[0].split(" x "))
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "list.pdf"), "-"], capture_output=True,
                          text=True).stdout
    assert "Student no." in text and "S00" in text and f"{len(NAMES)}" in text
    assert all(name in text for name in NAMES)


def test_a_record_dialog_shows_that_records_change_history(qtbot: Any, seeded: Any, admin: Actor,
                                                           tmp_path: Path) -> None:
    """#24: 修改历史 in the record dialog: exactly that record's entries (not another table's record 1)."""
    from desktop.recorddialog import RecordDialog

    with unit_of_work(seeded.factory, admin) as s:
        mid = s.scalar(select(Mentor.id).where(Mentor.staff_no == "M1"))
        save_mentor(s, admin, {"staff_no": "M1", "title": "高级工程师"}, upsert=True)
    dialog = RecordDialog(make_ctx(seeded, admin, tmp_path), "mentors", mid)
    qtbot.addWidget(dialog)
    assert dialog.load()
    history = dialog.change_history(show=False)
    qtbot.addWidget(history)
    model = history.page.model
    entities = {model.index(r, 3).data() for r in range(model.rowCount())}
    actions = sorted(model.index(r, 2).data() for r in range(model.rowCount()))
    assert entities == {"Mentor"} and actions == ["Added", "Changed"], (entities, actions)
    assert all("陈建国（M1）" == model.index(r, 4).data() for r in range(model.rowCount()))


def test_column_layouts_are_kept_per_person_on_a_shared_pc(qtbot: Any, seeded: Any, admin: Actor,
                                                          tmp_path: Path) -> None:
    """#22: one person's column widths do not follow the next person who signs in on the same PC; the
    window's place on the screen stays the PC's."""
    from desktop.context import AppContext
    from desktop.pages.people import StudentsPage
    from desktop.tasks import TaskRunner
    from desktop.usersettings import PersonalSettings

    pc = QSettings(str(tmp_path / "pc.ini"), QSettings.Format.IniFormat)

    def page(username: str) -> Any:
        prompts = FakePrompts()
        actor = Actor(username, Role.ADMIN, user_id=admin.user_id)
        ctx = AppContext(seeded.factory, actor, seeded.target, PersonalSettings(pc, username),  # type: ignore[arg-type]
                         prompts, TaskRunner(prompts, synchronous=True))  # type: ignore[arg-type]
        p = StudentsPage(ctx)
        qtbot.addWidget(p)
        p.activate()
        return p

    zhang = page("zhang")
    default = zhang.list.view.columnWidth(1)
    zhang.list.view.setColumnWidth(1, default + 137)
    zhang.list.save_layout()
    PersonalSettings(pc, "zhang").setValue("window/geometry", b"the PC's")
    pc.sync()
    assert page("li").list.view.columnWidth(1) == default  # the next person: the default layout
    assert page("zhang").list.view.columnWidth(1) == default + 137  # zhang, back: theirs
    assert PersonalSettings(pc, "li").value("window/geometry") is not None  # the screen's, shared
