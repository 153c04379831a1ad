"""GUI findings of the walkthrough as administrators, mentors and viewers use the app (pytest-qt,
offscreen): each test pins one thing a user tripped over."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[1]


def test_a_student_opened_first_shows_every_schemes_panel() -> None:
    """The scheme pages are imported on their first visit; a student's detail window opened before
    them (by a mentor: always) must still show courses, recognised credits and projects."""
    code = (
        "import os, types; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtWidgets import QApplication; app = QApplication([])\n"
        "import desktop.mainwindow, desktop.pages.people\n"
        "from desktop.studentdetail import StudentDetail\n"
        "from desktop.studentpanels import panels_for\n"
        "ctx = types.SimpleNamespace(actor=types.SimpleNamespace(is_admin=False))\n"
        "StudentDetail(ctx, 1)\n"
        "print(' '.join(p.key for p in panels_for('mentor')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT).stdout.split()
    assert out == ["mentors", "timeline", "curriculum", "alliance", "competition"]


def test_windows_open_no_larger_than_the_screen(qtbot: Any, sqlite_db: Any, admin: Any, tmp_path: Path) -> None:
    """1366x768 office screens: the main window and a student's detail window open inside the space
    above the taskbar with room for their frame (offscreen's screen is smaller still)."""
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QWidget

    from desktop import style
    from desktop.mainwindow import MainWindow
    from desktop.studentdetail import StudentDetail
    from tests.test_desktop import make_ctx

    available = QGuiApplication.primaryScreen().availableGeometry()
    ctx = make_ctx(sqlite_db, admin, tmp_path)
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    detail = StudentDetail(ctx, 1, w)
    for window in (w, detail):
        assert window.height() <= max(available.height() - style.FRAME_HEIGHT, window.minimumSizeHint().height())
        assert window.width() <= max(available.width() - style.FRAME_WIDTH, window.minimumSizeHint().width())
    small = QWidget()
    qtbot.addWidget(small)
    style.fit_to_screen(small, 400, 300)  # a size that fits is kept as asked
    assert (small.width(), small.height()) == (400, 300)


def test_a_narrow_list_page_puts_its_buttons_on_a_second_row(qtbot: Any, sqlite_db: Any, admin: Any,
                                                             tmp_path: Path) -> None:
    """选课成绩 has four filters and five buttons: in one row they pinned the main window at ~1,250 px,
    wider than a 1366x768 laptop leaves beside the frame. Narrow, the count and buttons go under the
    filters; the page's minimum width is the wider of the two rows; wide, it is one row again."""
    from desktop.listpage import ListPage
    from tests.test_desktop import make_ctx

    page = ListPage(make_ctx(sqlite_db, admin, tmp_path), "enrolments", on_new=lambda: False,
                    on_open=lambda _row: False, import_kind="enrolments", exportable=True)
    qtbot.addWidget(page)
    for key in ("a", "b"):
        page.add_button(key, f"extra_{key}", lambda: None)
    page.show()
    one_row = page.toolbar.one_row_width()
    assert page.minimumSizeHint().width() < one_row - 200
    page.resize(one_row - 100, 600)
    qtbot.waitUntil(page.toolbar.wrapped)
    new, search = page.new_button, page.search
    assert new is not None
    qtbot.waitUntil(lambda: new.geometry().top() > search.geometry().bottom())  # below the search box
    page.resize(one_row + 50, 600)
    qtbot.waitUntil(lambda: not page.toolbar.wrapped())
    qtbot.waitUntil(lambda: abs(new.geometry().center().y() - search.geometry().center().y()) < 8)
    page._show_count(49161)  # the toolbar now needs more than the page has, with no resize: two rows
    qtbot.waitUntil(page.toolbar.wrapped)


def test_list_counts_group_thousands_as_the_home_page_does(qtbot: Any, sqlite_db: Any, admin: Any,
                                                           tmp_path: Path) -> None:
    from desktop.listpage import ListPage
    from tests.test_desktop import make_ctx

    page = ListPage(make_ctx(sqlite_db, admin, tmp_path), "students")
    qtbot.addWidget(page)
    page._show_count(49161)
    assert page.count_label.text() == "49,161 in total"


def test_the_logs_say_what_happened_in_the_users_language(sqlite_db: Any, admin: Any) -> None:
    """系统 → 审计日志 / 访问日志 showed the stored keys (insert, login, view_student) in the Chinese
    window, and a bulk summary's values as if they had been removed ('scale: 1 → ')."""
    from db import listing
    from db.actor import unit_of_work
    from db.auth import authenticate, create_user
    from db.i18n import set_language
    from db.models import Role

    with unit_of_work(sqlite_db.factory, admin) as s:
        create_user(s, admin, "clerk", "a-long-password", Role.VIEWER)
    authenticate(sqlite_db.factory, "clerk", "a-long-password")
    set_language("zh")
    try:
        with sqlite_db.factory() as s:
            audit = listing.fetch(s, admin, listing.AUDIT, listing.ListQuery())
            access = listing.fetch(s, admin, listing.ACCESS, listing.ListQuery())
            options = listing.AUDIT.filters[0].options(s)
        action = [c.key for c in listing.AUDIT.columns].index("action")
        assert "新增" in {listing.display(listing.AUDIT.columns[action], r.values[action]) for r in audit}
        column = next(c for c in listing.ACCESS.columns if c.key == "action")
        assert listing.display(column, access[0].values[2]) == "登录"
        assert listing.display(column, "something_new") == "something_new"
        assert listing.display(column, "import") == "导入"
        entity = next(c for c in listing.ACCESS.columns if c.key == "entity")
        assert [listing.display(entity, e) for e in ("mentor-assignments", "student", "students")] == [
            "导师指派", "学生", "学生"]
        assert [label for _v, label in options] == ["新增", "修改", "删除"]
        # the record's kind and the changed fields in the words of the forms, values as the forms show them
        keys = [c.key for c in listing.AUDIT.columns]
        user_row = next(r for r in audit if r.values[keys.index("entity")] == "users")
        assert listing.cell_text(listing.AUDIT, user_row.values, keys.index("entity")) == "用户"
        text = listing.cell_text(listing.AUDIT, user_row.values, keys.index("changes"))
        assert "用户名：clerk" in text and "用户角色：只读" in text and "启用：是" in text
        assert "password" not in text and "→" not in text  # a new record: its values, no empty 'before'
        changed = ("students", {"name": ["郝思", "王浩然"], "status": ["active", "suspended"], "phone": [None, "139"],
                                "programme_id": [1, 2]})
        assert listing.cell_text(listing.AUDIT, _audit_row(keys, *changed), keys.index("changes")) == (
            "姓名：郝思 → 王浩然；学籍状态：在读 → 休学；手机：（空） → 139；培养方案：#1 → #2")
        assert listing.cell_text(listing.AUDIT, _audit_row(keys, "demo", {"scale": 1, "rows": {"students": 2000}}),
                                 keys.index("changes")) == "规模：1；行数：学生 2,000"
        assert listing.cell_text(listing.AUDIT, _audit_row(keys, "a_new_table", {"x": [None, "1"]}),
                                 keys.index("entity")) == "a_new_table"
    finally:
        set_language("en")
    assert listing.cell_text(listing.AUDIT, _audit_row(keys, "students", {"scale": 1, "name": [None, "王"]}),
                             keys.index("changes")) == "Scale: 1; Name: 王"


def _audit_row(keys: list[str], entity: str, changes: dict[str, Any]) -> list[Any]:
    values: list[Any] = [None] * len(keys)
    values[keys.index("entity")], values[keys.index("changes")] = entity, changes
    return values


def test_the_report_preview_says_what_to_do_while_empty(qtbot: Any, sqlite_db: Any, admin: Any,
                                                        tmp_path: Path) -> None:
    """报告: the preview was a blank grey area until a report was built or opened."""
    from reportlab.pdfgen import canvas

    from db.actor import Actor
    from db.models import Role
    from desktop.pages.reports import ReportsPage
    from tests.test_desktop import make_ctx

    page = ReportsPage(make_ctx(sqlite_db, admin, tmp_path))
    qtbot.addWidget(page)
    preview = page.preview
    assert preview.placeholder.isVisibleTo(page) and not preview.scroll_area.isVisibleTo(page)
    assert "Build report" in preview.placeholder.text()
    pdf = tmp_path / "one.pdf"
    c = canvas.Canvas(str(pdf))
    c.drawString(72, 720, "page")
    c.save()
    preview.set_document(pdf)
    assert preview.scroll_area.isVisibleTo(page) and not preview.placeholder.isVisibleTo(page)
    preview.set_document(None)
    assert preview.placeholder.isVisibleTo(page)
    preview.close_document()

    viewer = Actor(username="leader", role=Role.VIEWER)
    seen = ReportsPage(make_ctx(sqlite_db, viewer, tmp_path))
    qtbot.addWidget(seen)
    assert "issued report" in seen.preview.placeholder.text() and "Build" not in seen.preview.placeholder.text()


def test_the_change_password_button_is_a_button_not_a_bar(qtbot: Any, sqlite_db: Any, admin: Any,
                                                           tmp_path: Path) -> None:
    from PySide6.QtWidgets import QPushButton, QWidget

    from desktop.pages.admin import PasswordPanel
    from tests.test_desktop import make_ctx

    holder = QWidget()
    qtbot.addWidget(holder)
    holder.resize(1200, 400)
    tab = PasswordPanel(make_ctx(sqlite_db, admin, tmp_path), holder)
    tab.resize(1200, 400)
    holder.show()
    qtbot.waitExposed(holder)
    button = tab.findChild(QPushButton, "changePassword")
    assert button.width() < 300
