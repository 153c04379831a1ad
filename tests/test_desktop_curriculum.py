"""GUI tests of the curriculum page (pytest-qt, offscreen): the plan editor's what-if before → after,
the simulator that never saves, the enrolment and course dialogs' confirmation, the balance tab and
its Excel export, and the student's curriculum panel. Prompts are faked: nothing blocks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from conftest import filled_once  # type: ignore[import-not-found]
from openpyxl import load_workbook
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget
from sqlalchemy import func, select

from db import curriculum as cur
from db.actor import Actor, unit_of_work
from db.errors import PermissionDenied
from db.models import Course, CourseCategory, Enrolment, ProgrammeCourse, Student
from db.people import save_student

pytestmark = pytest.mark.gui
FND, IND = CourseCategory.FOUNDATION, CourseCategory.INDUSTRY


class FakePrompts:
    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []
        self.confirm_answer = True
        self.file = ""

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        self.asked.append(("error", text))

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        self.asked.append(("info", text))

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        self.asked.append(("confirm", text))
        return self.confirm_answer

    def choose(self, parent: QWidget | None, title: str, text: str, options: Sequence[str]) -> int:
        return 0

    def open_file(self, parent: QWidget | None, caption: str, filters: str) -> str:
        return self.file

    def save_file(self, parent: QWidget | None, caption: str, suggested: str, filters: str) -> str:
        return self.file


@pytest.fixture
@filled_once
def academy(sqlite_db: Any, admin: Actor) -> Any:
    """Plan P: F1 3 + F2 3 foundation, I1 2 industry → 75 %, out of band; I2 (4, industry) not in it."""
    with unit_of_work(sqlite_db.factory, admin) as s:
        cur.save_programme(s, admin, {"code": "P", "name": "人工智能工程"})
        for code, cat, credits in (("F1", FND, 3.0), ("F2", FND, 3.0), ("I1", IND, 2.0), ("I2", IND, 4.0)):
            cur.save_course(s, admin, {"code": code, "name": f"课程{code}", "credits": credits, "category": cat})
        for code in ("F1", "F2", "I1"):
            cur.save_programme_course(s, admin, {"programme": "P", "course": code})
        save_student(s, admin, {"student_no": "S1", "name": "王梓涵", "cohort": 2025, "programme": "P"})
        for code, score in (("F1", ("90", 90.0)), ("F2", ("优", 95.0)), ("I1", ("80", 80.0)), ("I2", ("70", 70.0))):
            cur.save_enrolment(s, admin, {"student_no": "S1", "course": code, "term": "2024-2025-1", "score": score})
    return sqlite_db


def make_ctx(db: Any, actor: Actor, tmp_path: Path) -> Any:
    from desktop.context import AppContext
    from desktop.tasks import TaskRunner

    prompts = FakePrompts()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    return AppContext(db.factory, actor, db.target, settings, prompts,  # type: ignore[arg-type]
                      TaskRunner(prompts, synchronous=True))  # type: ignore[arg-type]


def page(qtbot: Any, ctx: Any) -> Any:
    from desktop.pages.curriculum import CurriculumPage

    p = CurriculumPage(ctx)
    qtbot.addWidget(p)
    p.activate()
    return p


def test_plan_change_shows_before_after_and_saves_only_when_confirmed(qtbot: Any, academy: Any, admin: Actor,
                                                                      tmp_path: Path) -> None:
    ctx = make_ctx(academy, admin, tmp_path)
    p = page(qtbot, ctx)
    p.programmes.view.selectRow(0)
    plan = p.plan
    assert plan.balance is not None and plan.balance.share == 0.75 and not plan.balance.in_band
    assert "outside the band" in plan.summary.text()
    # choosing a course previews the balance live
    plan.course_box.setCurrentIndex(plan.course_box.findData("I2"))
    assert plan.whatif.isVisibleTo(plan)
    assert "add I2: foundation share 75.0% → 50.0% (within the band)" in plan.whatif.text()
    assert plan.gauge.after == pytest.approx(0.5)
    # adding asks first, with before → after; "No" writes nothing
    ctx.prompts.confirm_answer = False
    plan.add_course()
    kind, text = ctx.prompts.asked[-1]
    assert kind == "confirm"
    for line in ("Industry credits: 2 → 6", "Foundation share: 75.0% → 50.0% (band 45%–55%)",
                 "Balance: outside the band → within the band",
                 "This change brings the balance back into the band."):
        assert line in text
    with academy.factory() as s:
        assert s.scalar(select(func.count()).select_from(ProgrammeCourse)) == 3
    # "Yes" saves; the programme stays selected and its gauge in the list is refreshed
    ctx.prompts.confirm_answer = True
    plan.course_box.setCurrentIndex(plan.course_box.findData("I2"))
    plan.add_course()
    assert plan.balance.share == 0.5 and plan.model.rowCount() == 4 and plan.programme_id is not None
    cols = [c.key for c in p.programmes.spec.columns]
    row = p.programmes.model.row_at(0)
    assert row.values[cols.index("share")] == pytest.approx(0.5) and row.values[cols.index("in_band")]
    # removing a course also shows before → after
    plan.view.selectRow([line.course_code for line in plan.model.lines].index("F1"))
    assert "remove F1" in plan.whatif.text()
    ctx.prompts.confirm_answer = False
    plan.remove_course()
    assert "Foundation credits: 6 → 3" in ctx.prompts.asked[-1][1]
    assert "Warning: this change takes the balance out of the band." in ctx.prompts.asked[-1][1]


def test_what_if_simulator_never_saves(qtbot: Any, academy: Any, admin: Actor, tmp_path: Path) -> None:
    from desktop.pages.curriculum import WhatIfDialog

    ctx = make_ctx(academy, admin, tmp_path)
    with academy.factory() as s:
        pid = s.scalar(select(ProgrammeCourse.programme_id).limit(1))
        i2 = s.scalar(select(Course.id).where(Course.code == "I2"))
        f2 = s.scalar(select(Course.id).where(Course.code == "F2"))
    d = WhatIfDialog(ctx, pid)
    qtbot.addWidget(d)
    assert d.load()
    d.course.setCurrentIndex(d.course.findData(i2))
    assert d.credits.value() == 4.0 and d.chosen_category() is IND
    d._stage(cur.AddCourse(i2))
    d.course.setCurrentIndex(d.course.findData(f2))
    d.credits.setValue(1.0)
    d._stage(cur.ChangeCourse(f2, d.credits.value(), d.chosen_category()))
    assert d.what_if is not None
    assert (d.what_if.after.foundation, d.what_if.after.industry) == (4.0, 6.0)
    assert "40.0%" in d.table.text() and d.staged_model.rowCount() == 2
    d.reset()
    assert d.what_if.after.credits == d.what_if.before.credits
    with academy.factory() as s:
        assert s.scalar(select(func.count()).select_from(ProgrammeCourse)) == 3
        assert s.scalar(select(Course.credits).where(Course.id == f2)) == 3.0


def test_what_if_changes_are_applied_as_one_audited_change(qtbot: Any, academy: Any, admin: Actor,
                                                          tmp_path: Path) -> None:
    """#24: the changes tried in the what-if could not be applied. An administrator applies them after
    the before → after (here: add I2, remove I1, F2 down to 1 credit → 4 foundation / 4 industry, 50 %);
    they are made in one transaction, each row in the audit log; a viewer is offered nothing and the
    service refuses them."""
    from db.models import AuditLog, Role
    from desktop.pages.curriculum import WhatIfDialog

    ctx = make_ctx(academy, admin, tmp_path)
    with academy.factory() as s:
        pid = s.scalar(select(ProgrammeCourse.programme_id).limit(1))
        ids = {code: s.scalar(select(Course.id).where(Course.code == code)) for code in ("F2", "I1", "I2")}
        audited = s.scalar(select(func.count()).select_from(AuditLog))
    d = WhatIfDialog(ctx, pid)
    qtbot.addWidget(d)
    assert d.load()
    assert d.apply_button.isVisibleTo(d) and not d.apply_button.isEnabled()  # nothing tried yet
    d.course.setCurrentIndex(d.course.findData(ids["I2"]))
    d._stage(cur.AddCourse(ids["I2"]))
    d.course.setCurrentIndex(d.course.findData(ids["I1"]))
    d._stage(cur.RemoveCourse(ids["I1"]))
    d.course.setCurrentIndex(d.course.findData(ids["F2"]))
    d.credits.setValue(1.0)
    d._stage(cur.ChangeCourse(ids["F2"], 1.0, FND))
    assert d.apply_button.isEnabled()
    ctx.prompts.confirm_answer = False  # the administrator reads before → after, and declines: nothing made
    d.apply()
    with academy.factory() as s:
        assert s.scalar(select(func.count()).select_from(ProgrammeCourse)) == 3
    ctx.prompts.confirm_answer = True
    d.apply()
    assert d.applied and d.result() == d.DialogCode.Accepted
    asked = [text for kind, text in ctx.prompts.asked if kind == "confirm"][-1]
    assert "I2" in asked and "50.0%" in asked and "every plan" in asked
    with academy.factory() as s:
        plan = set(s.scalars(select(Course.code).join(ProgrammeCourse).where(ProgrammeCourse.programme_id == pid)))
        assert plan == {"F1", "F2", "I2"}
        assert s.scalar(select(Course.credits).where(Course.id == ids["F2"])) == 1.0
        entries = list(s.scalars(select(AuditLog).order_by(AuditLog.id).offset(audited)))
    assert {(e.entity, e.action.value) for e in entries} == {("programme_courses", "insert"),
                                                             ("programme_courses", "delete"), ("courses", "update")}
    viewer = Actor("leader", Role.VIEWER)
    v = WhatIfDialog(make_ctx(academy, viewer, tmp_path), pid)
    qtbot.addWidget(v)
    assert v.load() and not v.apply_button.isVisibleTo(v)
    with academy.factory() as s, pytest.raises(PermissionDenied):
        cur.apply_plan_changes(s, viewer, pid, [cur.AddCourse(ids["I1"])])


def test_course_credit_change_confirms_with_every_plan(qtbot: Any, academy: Any, admin: Actor,
                                                        tmp_path: Path) -> None:
    from desktop.pages.curriculum import CourseDialog

    ctx = make_ctx(academy, admin, tmp_path)
    with academy.factory() as s:
        i1 = s.scalar(select(Course.id).where(Course.code == "I1"))
    d = CourseDialog(ctx, i1)
    qtbot.addWidget(d)
    assert d.load()
    d.editors["credits"].line.setText("6")
    ctx.prompts.confirm_answer = False
    d.save()
    text = ctx.prompts.asked[-1][1]
    assert "This course is in 1 plan(s)" in text and "Foundation share: 75.0% → 50.0%" in text
    with academy.factory() as s:
        assert s.scalar(select(Course.credits).where(Course.id == i1)) == 2.0
    ctx.prompts.confirm_answer = True
    d.save()
    with academy.factory() as s:
        assert s.scalar(select(Course.credits).where(Course.id == i1)) == 6.0


def test_enrolment_dialog_shows_the_students_balance_before_after(qtbot: Any, academy: Any, admin: Actor,
                                                                  tmp_path: Path) -> None:
    from desktop.pages.curriculum import EnrolmentDialog

    ctx = make_ctx(academy, admin, tmp_path)
    d = EnrolmentDialog(ctx, None, on=dt.date(2025, 3, 1))
    qtbot.addWidget(d)
    assert d.load()
    d.editors["student_no"].line.setText("S1")
    d.editors["course"].line.setText("I2")
    d.editors["term"].line.setText("2024-2025-2")
    d.editors["score"].line.setText("105")
    d.save()
    assert d.editors["score"].error.text().startswith("105 is not a score")
    d.editors["score"].line.setText("良")
    d.editors["passed_on"].line.setText("2025-02-20")
    d.save()
    text = ctx.prompts.asked[-1][1]
    # S1 had F1, F2, I1 and I2 of term 2024-2025-1 counted by 1 March 2025 (term end 31 January): I2 again
    # in another term is a retake and adds nothing; it is outside the plan, which the dialog says
    assert "Industry credits: 6 → 6" in text and "I2 is not in the plan of P" in text
    assert d.result() == d.DialogCode.Accepted
    with academy.factory() as s:
        assert s.scalar(select(func.count()).select_from(Enrolment)) == 5


def test_balance_tab_filters_and_exports_three_sheets(qtbot: Any, academy: Any, admin: Actor,
                                                      tmp_path: Path) -> None:
    ctx = make_ctx(academy, admin, tmp_path)
    p = page(qtbot, ctx)
    p.tabs.setCurrentIndex(3)
    tab = p.balance
    assert tab.loaded and tab.cohort_model.rowCount() == 1
    assert tab.student_model.rowCount() == 1
    s1 = tab.student_model.rows[0]
    assert (s1.balance.foundation, s1.balance.industry) == (6.0, 6.0) and s1.balance.in_band
    from desktop import studentdetail  # a row leads to its student (it was a dead end)

    opened: list[int] = []
    original = studentdetail.open_student
    studentdetail.open_student = lambda ctx, sid, parent: opened.append(sid)  # type: ignore[assignment]
    try:
        tab.student_view.activated.emit(tab.student_model.index(0, 0))
    finally:
        studentdetail.open_student = original  # type: ignore[assignment]
    assert opened == [s1.student_id]
    tab.only_out.setChecked(True)
    assert tab.student_model.rowCount() == 0
    ctx.prompts.file = str(tmp_path / "balance")
    tab.export()
    wb = load_workbook(tmp_path / "balance.xlsx")
    assert wb.sheetnames == ["Plans", "Cohorts", "Students"]
    plans = list(wb["Plans"].iter_rows(values_only=True))
    assert plans[0][:4] == ("Code", "Programme name", "Foundation credits", "Industry credits")
    assert plans[1][:6] == ("P", "人工智能工程", 6.0, 2.0, 0.0, 0.75) and plans[1][7] == "No"
    students = list(wb["Students"].iter_rows(values_only=True))
    assert students[1][:2] == ("S1", "王梓涵") and students[1][-1] == "Yes"
    assert ctx.prompts.asked[-1][0] == "info"


def test_student_panel_warns_when_out_of_band(qtbot: Any, academy: Any, admin: Actor, tmp_path: Path) -> None:
    from desktop import studentpanels
    from desktop.pages import curriculum as page_module  # noqa: F401  (registers the panel)

    ctx = make_ctx(academy, admin, tmp_path)
    with unit_of_work(academy.factory, admin) as s:
        e = s.scalar(select(Enrolment).join(Course).where(Course.code == "I2"))
        e.score_text, e.score, e.passed = "40", 40.0, False  # S1: F 6, I 2 → 75 %, 8 credits
        sid = s.scalar(select(Student.id).where(Student.student_no == "S1"))
    panel_spec = next(p for p in studentpanels.panels_for("mentor") if p.key == "curriculum")
    parent = QWidget()
    qtbot.addWidget(parent)
    panel = panel_spec.factory(ctx, sid, parent)
    assert "Not judged yet: 8 foundation and industry credits" in panel.warning.text()
    with unit_of_work(academy.factory, admin) as s:
        cur.save_course(s, admin, {"code": "F9", "name": "大模型原理", "credits": 4.0, "category": FND})
        cur.save_enrolment(s, admin, {"student_no": "S1", "course": "F9", "term": "2025-2026-1",
                                      "score": ("85", 85.0), "passed_on": dt.date(2025, 12, 1)})
    panel.load()  # F 10, I 2: 12 credits at 83.3 %
    assert panel.data is not None and panel.data.balance.balance.credits.counted == 12.0
    assert panel.warning.text() == "Out of band: the foundation share 83.3% is outside P's band 45%–55%."
    assert [(e.course_code, e.in_plan) for e in panel.data.enrolments if not e.in_plan] == [("I2", False),
                                                                                           ("F9", False)]
