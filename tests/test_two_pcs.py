"""Two PCs edit the same record (issue 9): each opens the record's dialog, one saves, and the other's
save is refused with the "changed on another computer" dialog offering Reload / Keep editing — in
every one of 100 randomised runs (the quick profile: 24, the first eight of them each KIND with each
answer), on SQLite and on PostgreSQL (two engines: two PCs' connections).
Reload shows the other PC's change; Keep editing then overwrites it on purpose; nothing is ever lost
silently."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from sqlalchemy import select
from suiteprofile import scaled

from db import dashboard
from db.actor import Actor, unit_of_work
from db.curriculum import save_course, save_programme
from db.engine import make_engine, session_factory
from db.models import Course, Mentor, MentorRole, Programme, Student
from db.people import save_mentor, save_student
from forms.specs import CATEGORY
from tests.test_desktop import FakePrompts

RUNS = scaled(100, 24)  # suiteprofile: 100 in CI
KINDS = {"students": Student, "mentors": Mentor, "courses": Course, "programmes": Programme}


def _pc(factory: Any, actor: Actor, target: Any, folder: Path) -> Any:
    from desktop.context import AppContext
    from desktop.tasks import TaskRunner

    prompts = FakePrompts()
    folder.mkdir(parents=True, exist_ok=True)
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    return AppContext(factory, actor, target, settings, prompts,  # type: ignore[arg-type]
                      TaskRunner(prompts, synchronous=True))  # type: ignore[arg-type]


@pytest.mark.gui
def test_the_second_save_of_the_same_record_always_gets_the_conflict_dialog(qtbot: Any, db: Any, admin: Actor,
                                                                          tmp_path: Path) -> None:
    from desktop.recorddialog import RecordDialog

    with unit_of_work(db.factory, admin) as s:
        save_programme(s, admin, {"code": "P1", "name": "人工智能工程"})
        save_programme(s, admin, {"code": "P2", "name": "智能网联汽车"})
        for i in range(4):
            save_student(s, admin, {"student_no": f"S{i}", "name": f"学生{i}", "cohort": 2025, "programme": "P1"})
            save_mentor(s, admin, {"staff_no": f"M{i}", "name": f"导师{i}", "organisation": "重庆大学",
                                   "roles": [MentorRole.ACADEMIC]})
            save_course(s, admin, {"code": f"C{i}", "name": f"课程{i}", "credits": 2, "category": CATEGORY("基础")})
    with db.factory() as s:
        records = [(kind, rid) for kind, model in KINDS.items() for rid in s.scalars(select(model.id))]
    other_engine = make_engine(db.target)  # the second PC has its own connections
    try:
        pcs = [_pc(db.factory, admin, db.target, tmp_path / "pc1"),
               _pc(session_factory(other_engine), admin, db.target, tmp_path / "pc2")]
        rng = random.Random(2026)
        conflicts = reloads = overwrites = 0
        for run in range(RUNS):
            if run < 2 * len(KINDS):  # first every KIND with each answer, then anything at random
                kind = list(KINDS)[run % len(KINDS)]
                kind, rid = rng.choice([r for r in records if r[0] == kind])
                answer = run // len(KINDS)
            else:
                kind, rid = rng.choice(records)
                answer = rng.choice([0, 1])
            first, second = rng.sample(pcs, 2)
            dialogs = []
            for pc in (first, second):
                dialog = RecordDialog(pc, kind, rid)
                qtbot.addWidget(dialog)
                assert dialog.load()
                dialogs.append(dialog)
            winner, loser = dialogs
            assert winner.version == loser.version  # both loaded the same version
            winner.editors["name"].line.setText(f"甲{run}")
            loser.editors["name"].line.setText(f"乙{run}")
            winner.save()
            assert winner.result() == winner.DialogCode.Accepted
            asked = len(second.prompts.asked)
            second.prompts.choice = answer  # Reload or Keep editing
            loser.save()
            new = second.prompts.asked[asked:]
            assert [kind_ for kind_, _text in new] == ["choose"], new
            assert "another computer" in new[0][1]
            assert loser.result() != loser.DialogCode.Accepted
            conflicts += 1
            with db.factory() as s:
                assert dashboard.record(s, admin, kind, rid).values["name"] == f"甲{run}"  # the second lost nothing
            if second.prompts.choice == 0:
                reloads += 1
                assert loser.editors["name"].line.text() == f"甲{run}"  # the other PC's change is shown
            else:
                overwrites += 1
                loser.save()  # kept editing: saving again overwrites, on purpose
                assert loser.result() == loser.DialogCode.Accepted
                with db.factory() as s:
                    assert dashboard.record(s, admin, kind, rid).values["name"] == f"乙{run}"
            for dialog in dialogs:
                dialog.close()
                dialog.deleteLater()
    finally:
        other_engine.dispose()
    assert conflicts == RUNS and reloads and overwrites
    print(f"\ntwo PCs on {db.backend}: conflict dialog in {conflicts}/{RUNS} runs (100 %); "
          f"{reloads} reloaded, {overwrites} kept editing and overwrote on purpose")


@pytest.mark.gui
@pytest.mark.parametrize("kind", ["enrolments", "projects"])
def test_every_record_dialog_answers_a_conflict_the_same_way(qtbot: Any, sqlite_db: Any, admin: Actor,
                                                            tmp_path: Path, kind: str) -> None:
    """#23: the enrolment dialog showed a conflict as a bare message (no Reload, no way to overwrite on
    purpose) while the others asked Reload / Keep editing; every record dialog now answers alike."""
    import datetime as dt

    from db import competition, curriculum
    from desktop.pages.competition import CompetitionRecordDialog
    from desktop.pages.curriculum import EnrolmentDialog

    with unit_of_work(sqlite_db.factory, admin) as s:
        save_programme(s, admin, {"code": "P1", "name": "人工智能工程"})
        save_student(s, admin, {"student_no": "S1", "name": "王梓涵", "cohort": 2025, "programme": "P1"})
        save_course(s, admin, {"code": "C1", "name": "深度学习", "credits": 2, "category": CATEGORY("基础")})
        if kind == "enrolments":
            rid = curriculum.save_enrolment(s, admin, {"student_no": "S1", "course": "C1", "term": "2025-2026-1",
                                                       "score": 88.0, "score_text": "88"}).enrolment.id
        else:
            rid = competition.save_project(s, admin, {"code": "P-1", "title": "项目", "season": 2026,
                                                      "track": "智能机器人", "lead": "S1",
                                                      "submitted_on": dt.date(2026, 3, 1)},
                                           on=dt.date(2026, 4, 1))[0].id
    field, first, second = (("score", "90", "95") if kind == "enrolments" else ("title", "甲项目", "乙项目"))
    other_engine = make_engine(sqlite_db.target)
    try:
        pcs = [_pc(sqlite_db.factory, admin, sqlite_db.target, tmp_path / "pc1"),
               _pc(session_factory(other_engine), admin, sqlite_db.target, tmp_path / "pc2")]

        def dialog(pc: Any) -> Any:
            d = (EnrolmentDialog(pc, rid) if kind == "enrolments" else
                 CompetitionRecordDialog(pc, kind, rid, competition.project_values))
            qtbot.addWidget(d)
            assert d.load()
            return d

        winner, loser = dialog(pcs[0]), dialog(pcs[1])
        winner.editors[field].line.setText(first)
        winner.save()
        assert winner.result() == winner.DialogCode.Accepted
        loser.editors[field].line.setText(second)
        pcs[1].prompts.choice = 1  # Keep editing
        asked = len(pcs[1].prompts.asked)
        loser.save()
        chosen = [(k, text) for k, text in pcs[1].prompts.asked[asked:] if k == "choose"]
        assert len(chosen) == 1 and "another computer" in chosen[0][1]
        assert loser.result() != loser.DialogCode.Accepted
        loser.save()  # kept editing: saving again overwrites, on purpose
        assert loser.result() == loser.DialogCode.Accepted
        with sqlite_db.factory() as s:
            stored = (curriculum.enrolment_record(s, admin, rid).values if kind == "enrolments"
                      else competition.project_values(s, admin, rid)[1])
            assert str(stored[field]).removesuffix(".0") == second
    finally:
        other_engine.dispose()
