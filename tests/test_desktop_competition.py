"""GUI tests of the 创赛 page (pytest-qt, offscreen, no blocking dialog): the pipeline with its stage
board and a stage change through the dialog, the ranking and its export, and a mentor's read-only view."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import filled_once  # type: ignore[import-not-found]
from openpyxl import load_workbook
from PySide6.QtCore import QDate
from test_desktop import make_ctx

from db import competition as c
from db import mentoring
from db.actor import Actor, unit_of_work
from db.curriculum import save_programme
from db.models import MentorRole, Role, Stage
from db.people import save_mentor, save_student

pytestmark = pytest.mark.gui

D = dt.date


@pytest.fixture
@filled_once
def season(sqlite_db: Any, admin: Actor) -> Any:
    """Season 2026: three projects (P-1 at roadshow), two judges who scored P-1 and P-2 in one round.
    Mentor A1 mentors S1, the lead of P-1 only."""
    with unit_of_work(sqlite_db.factory, admin) as s:
        save_programme(s, admin, {"code": "P1", "name": "人工智能工程"})
        for i in range(1, 4):
            save_student(s, admin, {"student_no": f"S{i}", "name": f"学生{i}", "cohort": 2025, "programme": "P1"})
        a1, _ = save_mentor(s, admin, {"staff_no": "A1", "name": "刘教授", "organisation": "重庆大学",
                                       "roles": [MentorRole.ACADEMIC]})
        mentoring.assign(s, admin, mentoring.student_by_no(s, "S1"), a1, MentorRole.ACADEMIC, D(2025, 9, 1))
        pids = [c.save_project(s, admin, {"code": f"P-{i}", "title": f"项目{i}", "season": 2026, "track": "智能机器人",
                                          "lead": f"S{i}", "submitted_on": D(2026, 3, 1)}, on=D(2026, 4, 1))[0].id
                for i in range(1, 4)]
        c.change_stage(s, admin, pids[0], Stage.ROADSHOW, on=D(2026, 6, 1))
        rid = c.save_round(s, admin, {"season": 2026, "name": "初审", "stage": Stage.SUBMITTED})[0].id
        crits = [x.id for x in c.round_line(s, admin, rid).criteria]
        for name, marks in (("甲", (9, 7)), ("乙", (8, 6))):
            j = c.save_judge(s, admin, {"name": name, "organisation": f"{name}基金"})[0].id
            for pid, mark in zip(pids[:2], marks):
                c.assign_judge(s, admin, rid, j, pid)
                c.save_scores(s, admin, rid, j, pid, {cid: mark for cid in crits})
    sqlite_db.a1 = a1.id
    sqlite_db.pids = pids
    return sqlite_db


def _page(qtbot: Any, ctx: Any) -> Any:
    from desktop.pages.competition import CompetitionPage

    page = CompetitionPage(ctx)
    qtbot.addWidget(page)
    page.activate()
    return page


def test_pipeline_board_detail_and_a_drop_through_the_dialog(qtbot: Any, season: Any, admin: Actor,
                                                               tmp_path: Path, monkeypatch: Any) -> None:
    from desktop.pages import competition as page_mod

    page = _page(qtbot, make_ctx(season, admin, tmp_path))
    pipe = page.pipeline
    assert pipe.season() == 2026 and pipe.list.model.rowCount() == 3
    assert pipe.board.buttons[Stage.SUBMITTED].text().endswith("\n2")
    assert pipe.board.buttons[Stage.ROADSHOW].text().endswith("\n1")
    pipe.board.buttons[Stage.ROADSHOW].click()  # the board filters the table to that stage
    assert pipe.list.model.rowCount() == 1
    pipe.list.view.selectRow(0)
    detail = pipe.detail.detail
    assert detail is not None and detail.code == "P-1"
    assert pipe.detail.results.lines[0].rank == 1 and pipe.detail.buttons["reopen"].isEnabled() is False

    def drop(dialog: Any) -> int:  # what a user does in the dialog, without exec()'s event loop
        assert not dialog.stage.isEnabled() and Stage(dialog.stage.currentData()) is Stage.DROPPED
        dialog.date.setDate(QDate(2026, 6, 10))
        dialog.save()
        assert dialog.banner.text() == "Dropping a project needs a reason."  # refused, dialog stays open
        dialog.reason.setText("团队解散")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(page_mod.StageDialog, "exec", drop)
    pipe.detail.change("drop")
    with season.factory() as s:
        d = c.project_detail(s, admin, season.pids[0])
    assert (d.stage, d.drop_reason, d.history[-1].changed_on) == (Stage.DROPPED, "团队解散", D(2026, 6, 10))
    pipe.board.buttons[Stage.DROPPED].click()
    assert pipe.list.model.rowCount() == 1 and pipe.board.buttons[Stage.DROPPED].text().endswith("\n1")


def test_ranking_tab_and_its_export(qtbot: Any, season: Any, admin: Actor, tmp_path: Path) -> None:
    ctx = make_ctx(season, admin, tmp_path)
    page = _page(qtbot, ctx)
    page.tabs.setCurrentWidget(page.judging)
    judging = page.judging
    judging.tabs.setCurrentWidget(judging.rank_tab)  # the ranking reads when its tab is shown
    assert judging.round is not None and judging.round.name == "初审"
    assert [(x.rank, x.code, round(x.mean, 1), x.judges_scored) for x in judging.rank_model.lines] == [
        (1, "P-1", 85.0, 2), (2, "P-2", 65.0, 2)]
    judging.normalise.setChecked(True)
    assert [round(x.z, 3) for x in judging.rank_model.lines] == [1.0, -1.0]
    ctx.prompts.file = str(tmp_path / "ranking.xlsx")
    judging.export_ranking()
    ws = load_workbook(tmp_path / "ranking.xlsx").active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][:3] == ("Rank", "Project code", "Project title")
    assert rows[2][:2] == (1, "P-1") and rows[3][:2] == (2, "P-2")
    assert ctx.prompts.asked[-1][0] == "info"


def test_score_grid_refuses_a_score_out_of_range_and_saves_nothing(qtbot: Any, season: Any, admin: Actor,
                                                                   tmp_path: Path) -> None:
    ctx = make_ctx(season, admin, tmp_path)
    page = _page(qtbot, ctx)
    page.tabs.setCurrentWidget(page.judging)
    judging = page.judging
    judging.tabs.setCurrentWidget(judging.score_tab)  # the score sheet reads when its tab is shown
    judging.score_judge.setCurrentIndex(0)
    grid = judging.grid
    assert [line.code for line in grid.lines] == ["P-1", "P-2"]
    grid.setData(grid.index(0, 2), "9.5")
    grid.setData(grid.index(1, 2), "11")
    judging.save_scores()
    assert "the score 11 is outside 0–10" in ctx.prompts.asked[-1][1]
    with season.factory() as s:
        sheet = c.score_sheet(s, admin, judging.round.id, judging.score_judge.currentData())
    assert [line.values[grid.criteria[0].id] for line in sheet] == [9.0, 7.0]  # nothing half-written


def test_a_mentor_sees_the_projects_of_their_mentees_read_only(qtbot: Any, season: Any, tmp_path: Path) -> None:
    mentor = Actor("a1", Role.MENTOR, mentor_id=season.a1)
    page = _page(qtbot, make_ctx(season, mentor, tmp_path))
    assert page.tabs.count() == 1 and page.judging is None and page.pipeline.board is None
    lst = page.pipeline.list
    assert lst.model.rowCount() == 1 and lst.new_button is None and lst.import_button is None
    lst.view.selectRow(0)
    assert page.pipeline.detail.detail.code == "P-1" and page.pipeline.detail.buttons == {}


def test_several_projects_move_to_one_stage_at_once(qtbot: Any, season: Any, admin: Actor, tmp_path: Path) -> None:
    """#24: bulk stage change, each move recorded; all or none (a backward move without a reason refuses
    the whole, naming the project)."""
    page = _page(qtbot, make_ctx(season, admin, tmp_path))
    pipe = page.pipeline
    pipe.board.buttons[Stage.SUBMITTED].click()
    assert pipe.list.model.rowCount() == 2
    pipe.list.view.selectAll()

    def move(dialog: Any) -> bool:
        dialog.stage.setCurrentIndex(dialog.stage.findData(Stage.SCREENED.value))
        dialog.date.setDate(QDate(2026, 6, 1))
        dialog.save()
        return dialog.result() == 1

    assert pipe.change_selected(move)
    with season.factory() as s:
        stages = sorted(c.project_detail(s, admin, pid).stage.value for pid in season.pids)
        histories = [c.project_detail(s, admin, pid).history for pid in season.pids]
    assert stages.count(Stage.SCREENED.value) == 2
    assert sum(1 for h in histories if h[-1].to_stage is Stage.SCREENED and h[-1].changed_on == D(2026, 6, 1)) == 2

    pipe.board.buttons[Stage.SCREENED].click()
    pipe.list.view.selectAll()
    refused: list[str] = []

    def back(dialog: Any) -> bool:
        dialog.stage.setCurrentIndex(dialog.stage.findData(Stage.SUBMITTED.value))
        dialog.save()  # moving back needs a reason
        refused.append(dialog.banner.text())
        return False

    assert not pipe.change_selected(back)
    assert refused and "P-" in refused[0]
