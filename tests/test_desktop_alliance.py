"""GUI tests of the 学分互认 page: deciding a request changes the student's balance on screen."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import filled_once  # type: ignore[import-not-found]
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from sqlalchemy import select
from test_desktop import column_values, make_ctx, window

from db import alliance
from db.actor import Actor, unit_of_work
from db.curriculum import save_course, save_external_course, save_programme, term
from db.models import CourseCategory, Enrolment, Role, RuleStatus, Student, TransferRequest, TransferStatus
from db.people import save_student, save_university

pytestmark = pytest.mark.gui


@pytest.fixture
@filled_once
def queue(sqlite_db: Any, admin: Actor) -> Any:
    """S1 has 6 foundation + 4 industry credits (60 %); two pending requests: CS301 → F1 (3 credits,
    approvable) and IE210 with no rule."""
    today = dt.date.today()
    with unit_of_work(sqlite_db.factory, admin) as s:
        save_programme(s, admin, {"code": "P1", "name": "人工智能工程", "transfer_cap": 10})
        st, _ = save_student(s, admin, {"student_no": "S1", "name": "王梓涵", "cohort": 2024, "programme": "P1",
                                        "home_university": "重庆大学"})
        for code, name, credits, cat in [("F0", "机器学习数学基础", 6, CourseCategory.FOUNDATION),
                                         ("I0", "车联网与数据智能", 4, CourseCategory.INDUSTRY),
                                         ("F1", "深度学习", 3, CourseCategory.FOUNDATION)]:
            course, _ = save_course(s, admin, {"code": code, "name": name, "credits": credits, "category": cat})
            if code != "F1":
                s.add(Enrolment(student_id=st.id, course_id=course.id, term_id=term(s, "2024-2025-2").id,
                                score_text="90", score=90, passed=True, passed_on=dt.date(2025, 7, 1)))
        save_university(s, admin, {"code": "CQU", "name": "重庆大学", "hours_per_credit": 16})
        for code, name in [("CS301", "深度学习"), ("IE210", "智能网联汽车技术")]:
            save_external_course(s, admin, {"university": "CQU", "code": code, "name": name, "credits": 3,
                                            "hours": 48})
        rule, _ = alliance.save_rule(s, admin, {"university": "CQU", "external": "CS301", "local": "F1",
                                                "credits": 3})
        alliance.approve_rule(s, admin, rule.id, None)
        for code in ("CS301", "IE210"):
            alliance.submit_request(s, admin, {"student_no": "S1", "university": "CQU", "external": code,
                                               "term": "2024-2025-2", "score": 88, "submitted_on": today})
    return sqlite_db


def _open_queue(qtbot: Any, db: Any, actor: Actor, tmp_path: Path) -> Any:
    w = window(qtbot, make_ctx(db, actor, tmp_path))
    w.select("alliance")
    page = w.page("alliance")
    assert page.tabs.currentIndex() == 0 and page.current_list() is page.transfers
    return w, page


def _select(page: Any, external: str) -> None:
    codes = column_values(page.transfers.model, "external")
    page.transfers.view.selectRow(codes.index(external))


def test_approving_changes_the_balance_on_screen(qtbot: Any, queue: Any, admin: Actor, tmp_path: Path) -> None:
    w, page = _open_queue(qtbot, queue, admin, tmp_path)
    model = page.transfers.model
    assert model.rowCount() == 2 and set(column_values(model, "status")) == {"Pending"}
    _select(page, "CS301")
    pane = page.pane
    assert "60.0% → 69.2%" in pane.effect.text()
    assert pane.outcome.text().startswith("Proposed: Approve")
    assert pane.fields["target"].text().startswith("F1 深度学习")
    assert pane.buttons[alliance.Decision.APPROVE].isEnabled()
    qtbot.mouseClick(pane.buttons[alliance.Decision.APPROVE], Qt.MouseButton.LeftButton)
    assert w.ctx.prompts.asked[-1][0] == "confirm" and "3 credits" in w.ctx.prompts.asked[-1][1]
    assert "now 69.2%" in pane.effect.text()
    assert not pane.buttons[alliance.Decision.APPROVE].isEnabled()
    assert column_values(model, "external") == ["IE210"]  # the queue of pending requests moves on
    assert "Approved" in pane.heading.text()
    with queue.factory() as s:
        req = s.scalar(select(TransferRequest).where(TransferRequest.status == TransferStatus.APPROVED))
        assert (req.credits, req.decided_by) == (3.0, admin.username)
        student_id = s.scalar(select(Student.id))
    # the student's recognised-credits panel shows the source and the new balance
    from desktop.studentpanels import panels_for

    panel_def = next(p for p in panels_for("admin") if p.key == "alliance")
    panel = panel_def.factory(w.ctx, student_id, w)
    assert "3 credits recognised" in panel.summary.text() and "69.2%" in panel.summary.text()
    assert panel.model.index(0, 1).data() == "CS301 深度学习" and panel.model.index(0, 6).data() == "F1 深度学习"


def test_a_request_without_rule_cannot_be_approved(qtbot: Any, queue: Any, admin: Actor, tmp_path: Path) -> None:
    w, page = _open_queue(qtbot, queue, admin, tmp_path)
    _select(page, "IE210")
    pane = page.pane
    assert "No approved equivalence rule" in pane.outcome.text()
    assert not pane.buttons[alliance.Decision.APPROVE].isEnabled()
    assert pane.buttons[alliance.Decision.REJECT].isEnabled()
    answers: list[Any] = []
    pane.decide(alliance.Decision.REJECT, reason="", answer=answers.append)
    assert answers[-1] is not None and "reason" in answers[-1].errors  # for the dialog to show
    pane.decide(alliance.Decision.REJECT, reason="无适用的互认规则", answer=answers.append)
    assert answers[-1] is None
    assert "Rejected" in pane.heading.text()
    assert "now 60.0%" in pane.effect.text()


def test_a_rejection_without_a_reason_stays_in_its_dialog_until_one_is_given(qtbot: Any, queue: Any, admin: Actor,
                                                                             tmp_path: Path, monkeypatch: Any) -> None:
    """驳回 through its dialog: the decision runs in the background; a missing reason comes back onto the
    dialog (which stays open, OK usable again), the next try with a reason closes it and decides."""
    from desktop.pages import alliance as page_module

    w, page = _open_queue(qtbot, queue, admin, tmp_path)
    _select(page, "IE210")
    seen: list[Any] = []

    def exec_(dialog: Any) -> int:
        seen.append(dialog)
        dialog.reason.setText("")
        dialog.accept_decision()
        assert dialog.error.isVisibleTo(dialog) and dialog.result() != dialog.DialogCode.Accepted
        assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
        dialog.reason.setText("无适用的互认规则")
        dialog.accept_decision()
        return int(dialog.result())

    monkeypatch.setattr(page_module.DecisionDialog, "exec", exec_)
    page.pane.on_decision(alliance.Decision.REJECT)
    assert len(seen) == 1 and seen[0].result() == seen[0].DialogCode.Accepted
    assert "Rejected" in page.pane.heading.text()


def test_viewer_reads_but_cannot_decide(qtbot: Any, queue: Any, tmp_path: Path) -> None:
    viewer = Actor("leader", Role.VIEWER)
    w, page = _open_queue(qtbot, queue, viewer, tmp_path)
    _select(page, "CS301")
    assert "60.0% → 69.2%" in page.pane.effect.text()
    assert page.pane.buttons == {}
    assert page.rules.new_button is None and page.transfers.import_button is None


def test_rules_tab_approves_a_draft(qtbot: Any, queue: Any, admin: Actor, tmp_path: Path) -> None:
    with unit_of_work(queue.factory, admin) as s:
        alliance.save_rule(s, admin, {"university": "CQU", "external": "IE210", "category": CourseCategory.INDUSTRY})
    w, page = _open_queue(qtbot, queue, admin, tmp_path)
    page.tabs.setCurrentIndex(3)
    rules = page.rules
    assert rules.model.rowCount() == 2
    statuses = column_values(rules.model, "status")
    rules.view.selectRow(statuses.index("Draft"))
    page.approve_rule()
    assert sorted(column_values(rules.model, "status")) == ["Approved", "Approved"]
    assert "by hours" in column_values(rules.model, "credits")
    with queue.factory() as s:
        assert all(r.status is RuleStatus.APPROVED for r in s.scalars(select(alliance.EquivalenceRule)))


def test_visiting_export(qtbot: Any, queue: Any, admin: Actor, tmp_path: Path) -> None:
    w, page = _open_queue(qtbot, queue, admin, tmp_path)
    page.tabs.setCurrentIndex(1)
    page.universities.view.selectRow(0)
    w.ctx.prompts.file = str(tmp_path / "visiting.xlsx")
    page.export_visiting()
    ws = load_workbook(tmp_path / "visiting.xlsx").worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("Student no.", "Name", "Home university", "Course code")
    assert [(r[0], r[3], r[6] if r[6] is None else r[6], r[7], r[10]) for r in rows[1:]] == [
        ("S1", "F0", None, 6, "Foundation"), ("S1", "I0", None, 4, "Industry")]


def test_the_queue_approves_and_rejects_several_requests_at_once(qtbot: Any, queue: Any, admin: Actor, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop import mentoringdialogs

    w, page = _open_queue(qtbot, queue, admin, tmp_path)
    assert page.transfers.model.rowCount() == 2
    seen: list[Any] = []

    def run(dialog: Any) -> bool:
        seen.append(dialog)
        if "reason" in dialog.editors:
            dialog.editors["reason"].line.setText("材料不全")
        dialog.submit()
        return dialog.result() == dialog.DialogCode.Accepted

    monkeypatch.setattr(mentoringdialogs, "run", run)
    page.transfers.view.selectAll()
    assert page.decide_selected(approve=False)
    assert w.ctx.prompts.asked[-1] == ("info", "2 requests were decided.")
    with queue.factory() as s:
        assert {(r.status, r.reason) for r in s.scalars(select(TransferRequest))} == {(TransferStatus.REJECTED,
                                                                                     "材料不全")}
    assert page.transfers.model.rowCount() == 0  # the pending queue is empty
