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
