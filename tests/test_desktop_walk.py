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


def test_list_counts_group_thousands_as_the_home_page_does(qtbot: Any, sqlite_db: Any, admin: Any,
                                                           tmp_path: Path) -> None:
    from desktop.listpage import ListPage
    from tests.test_desktop import make_ctx

    page = ListPage(make_ctx(sqlite_db, admin, tmp_path), "students")
    qtbot.addWidget(page)
    page._show_count(49161)
    assert page.count_label.text() == "49,161 in total"
