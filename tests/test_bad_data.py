"""Bad data in the database (issue 9): what the rules forbid, written behind the app's back with SQL
(a console with foreign keys off, a script), is named by db.integrity, and the app starts and opens
every page on it without crashing; the administrators' home page shows a warning naming the records."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import filled_once  # type: ignore[import-not-found]
from sqlalchemy import text

from db import integrity
from db.actor import Actor, unit_of_work
from db.auth import create_user
from db.curriculum import save_course, save_enrolment, save_programme, save_programme_course
from db.errors import PermissionDenied
from db.mentoring import assign, save_session
from db.models import MentorRole, Role, Student
from db.people import save_mentor, save_student
from forms.specs import CATEGORY, SPECS, parse_values

DAY = dt.date(2025, 9, 1)


def _world(db: Any, admin: Actor) -> dict[str, int]:
    """Four students, three mentors, a plan and an enrolment, all through the services."""
    ids: dict[str, int] = {}
    with unit_of_work(db.factory, admin) as s:
        save_programme(s, admin, {"code": "P1", "name": "人工智能工程"})
        save_programme(s, admin, {"code": "P2", "name": "智能网联汽车"})
        save_course(s, admin, {"code": "C1", "name": "大模型原理", "credits": 2, "category": CATEGORY("基础")})
        save_course(s, admin, {"code": "C2", "name": "车联网与数据智能", "credits": 2, "category": CATEGORY("产业")})
        save_programme_course(s, admin, {"programme": "P1", "course": "C2", "required": True})
        for i, name in enumerate(["王梓涵", "李子轩", "张雨桐", "刘浩然"], start=1):
            st, _ = save_student(s, admin, {"student_no": f"S{i}", "name": name, "cohort": 2025,
                                            "programme": "P2" if i == 4 else "P1"})
            ids[f"S{i}"] = st.id
        m1, _ = save_mentor(s, admin, {"staff_no": "M1", "name": "周敏", "organisation": "重庆大学",
                                       "roles": [MentorRole.ACADEMIC], "capacity": 2})
        m2, _ = save_mentor(s, admin, {"staff_no": "M2", "name": "陈建国", "organisation": "华为",
                                       "roles": [MentorRole.ACADEMIC, MentorRole.INDUSTRY]})
        m3, _ = save_mentor(s, admin, {"staff_no": "M3", "name": "林悦", "organisation": "长安汽车",
                                       "roles": [MentorRole.INDUSTRY]})
        ids.update(M1=m1.id, M2=m2.id, M3=m3.id)
        students = {no: s.get(Student, sid) for no, sid in ids.items() if no.startswith("S")}
        assign(s, admin, students["S1"], m1, MentorRole.ACADEMIC, DAY)
        assign(s, admin, students["S2"], m1, MentorRole.ACADEMIC, DAY)
        assign(s, admin, students["S1"], m2, MentorRole.INDUSTRY, DAY)
        assign(s, admin, students["S3"], m3, MentorRole.INDUSTRY, DAY)
        values, errors = parse_values(SPECS["sessions"], {"staff_no": "M1", "student_no": "S1", "date": "2025-10-10",
                                                          "minutes": 60}, {"staff_no", "student_no", "date", "minutes"})
        assert not errors
        ids["session"] = save_session(s, admin, values)[0].id
        save_enrolment(s, admin, {"student_no": "S1", "course": "C2", "term": "2025-2026-1", "score": 88.0,
                                  "score_text": "88"})
        create_user(s, admin, "zhou", "Zhou-pass-2025", Role.MENTOR, mentor_id=m1.id, must_change_password=False)
        create_user(s, admin, "leader", "Leader-pass-2025", Role.VIEWER, must_change_password=False)
    return ids


def _break_the_rules(db: Any, ids: dict[str, int]) -> None:
    """What the services refuse, written with plain SQL."""
    with db.engine.begin() as conn:
        # a second active academic mentor for S1 (an end date slips past the open-ended unique index),
        # held by M2, who is already S1's industry mentor
        conn.execute(text("INSERT INTO mentor_assignments (student_id, mentor_id, role, start_on, end_on, "
                          "capacity_override) VALUES (:s, :m, 'academic', :start, :end, false)"),
                     {"s": ids["S1"], "m": ids["M2"], "start": dt.date(2025, 1, 1), "end": dt.date(2099, 1, 1)})
        # M1 over capacity without an override; M3 no longer qualified for the role held
        conn.execute(text("UPDATE mentor_qualifications SET capacity = 1 WHERE mentor_id = :m AND role = 'academic'"),
                     {"m": ids["M1"]})
        conn.execute(text("DELETE FROM mentor_qualifications WHERE mentor_id = :m AND role = 'industry'"),
                     {"m": ids["M3"]})
        # a session on a day M1 held no role for S1
        conn.execute(text("UPDATE mentoring_sessions SET held_on = :d WHERE id = :id"),
                     {"d": dt.date(2001, 1, 1), "id": ids["session"]})
    # a course and a programme deleted with foreign keys off, as a console would
    deletes = ["DELETE FROM programme_courses WHERE course_id = (SELECT id FROM courses WHERE code = 'C2')",
               "DELETE FROM courses WHERE code = 'C2'", "DELETE FROM programmes WHERE code = 'P2'"]
    if db.backend == "sqlite":
        con = sqlite3.connect(db.target.sqlite_path)
        try:
            con.execute("PRAGMA foreign_keys = OFF")
            for sql in deletes:
                con.execute(sql)
            con.commit()
        finally:
            con.close()
    else:
        with db.owner_engine.begin() as conn:  # behind the app's back: IT's login, with the triggers off
            conn.execute(text("SET LOCAL session_replication_role = replica"))  # foreign-key triggers off
            for sql in deletes:
                conn.execute(text(sql))


@pytest.fixture
@filled_once
def broken(db: Any, admin: Actor) -> tuple[Any, dict[str, int]]:
    ids = _world(db, admin)
    with db.factory() as s:
        assert integrity.check(s, admin) == []  # the services wrote nothing wrong
    _break_the_rules(db, ids)
    return db, ids


def test_integrity_check_names_the_records(broken: tuple[Any, dict[str, int]], admin: Actor) -> None:
    db, ids = broken
    with db.factory() as s:
        findings = integrity.check(s, admin)
        with pytest.raises(PermissionDenied):
            integrity.check(s, Actor(username="v", role=Role.VIEWER))
    by = {f.check: f for f in findings}
    assert by["double_role"].records == ("S1",) and "Academic" in by["double_role"].message
    assert by["two_roles"].records == ("M2/S1",)
    assert by["over_capacity"].records == ("M1 (2/1)",)
    assert by["unqualified"].records == ("M3/S3 (Industry mentor)",)
    assert by["session_unassigned"].records == ("M1/S1 2001-01-01",)
    dangling = " ".join(f.message for f in findings if f.check == "dangling")
    assert "in Enrolments" in dangling and "(Course #" in dangling
    assert "in Students" in dangling and "(Programme #" in dangling
    assert not any(f.check == "check_failed" for f in findings)
    print(f"\nbad data on {db.backend}: {len(findings)} findings naming "
          f"{sum(f.count for f in findings)} records: {', '.join(sorted(by))}")


@pytest.mark.gui
def test_every_page_opens_on_bad_data_and_home_warns(qtbot: Any, sqlite_db: Any, admin: Actor,
                                                     tmp_path: Path) -> None:
    from PySide6.QtWidgets import QTabWidget

    from db.auth import authenticate
    from desktop.studentdetail import StudentDetail
    from tests.test_desktop import make_ctx, window

    ids = _world(sqlite_db, admin)
    _break_the_rules(sqlite_db, ids)
    seen: dict[str, int] = {}
    for user in ("boss", "leader", "zhou"):
        if user == "boss":
            with unit_of_work(sqlite_db.factory, admin) as s:
                create_user(s, admin, "boss", "Boss-pass-2025", Role.ADMIN, must_change_password=False)
        actor = authenticate(sqlite_db.factory, user, f"{user.capitalize()}-pass-2025")
        ctx = make_ctx(sqlite_db, actor, tmp_path / user)
        w = window(qtbot, ctx)
        for entry in w.sidebar_model.entries:
            w.select(entry.key)
            for tabs in w.page(entry.key).findChildren(QTabWidget):
                for i in range(tabs.count()):
                    tabs.setCurrentIndex(i)
            seen[user] = seen.get(user, 0) + 1
        for sid in (ids["S1"], ids["S4"]) if not actor.is_mentor else (ids["S1"],):
            detail = StudentDetail(ctx, sid, w)
            qtbot.addWidget(detail)
            assert detail.load()
        errors = [text for kind, text in ctx.prompts.asked if kind == "error"]
        assert errors == [], f"{user}: {errors}"
        if actor.is_admin:
            w.select("home")
            banner = w.page("home").integrity
            assert banner.isVisibleTo(w)
            shown = banner.details.text()
            for record in ("S1", "M2/S1", "M1 (2/1)", "M3/S3", "2001-01-01", "Enrolments", "(Programme #"):
                assert record in shown, record
        else:
            home = w.page("home")
            assert getattr(home, "integrity", None) is None or not home.integrity.isVisibleTo(w)
        w.close()
    print(f"\nbad data: every page opened for an administrator, a viewer and a mentor ({seen}); 0 crashes")



def test_recognised_twice_and_judged_despite_a_conflict_are_named(demo_db: Any) -> None:
    """On the demo academy (clean), a console copies an approved credit transfer and records a conflict
    of interest for a judge already assigned to the project: both are named by student number and by
    judge/project code."""
    from db.actor import SYSTEM

    db = demo_db
    with db.factory() as s:
        assert integrity.check(s, SYSTEM, on=dt.date(2026, 11, 15)) == []
    with db.engine.begin() as conn:
        approved = conn.execute(text(
            "SELECT t.id, s.student_no FROM transfer_requests t JOIN students s ON s.id = t.student_id "
            "WHERE t.status = 'approved' ORDER BY t.id LIMIT 1")).one()
        conn.execute(text(
            "INSERT INTO transfer_requests (student_id, university_id, external_course_id, term, score_text, score, "
            "submitted_on, status, rule_id, proposed_credits, credits, category, local_course_id, version) "
            "SELECT student_id, university_id, external_course_id, term, score_text, score, submitted_on, status, "
            "rule_id, proposed_credits, credits, category, local_course_id, 1 FROM transfer_requests WHERE id = :id"),
            {"id": approved.id})
        judged = conn.execute(text(
            "SELECT a.judge_id, a.project_id, j.name, p.code FROM judge_assignments a "
            "JOIN judges j ON j.id = a.judge_id JOIN projects p ON p.id = a.project_id "
            "WHERE NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.judge_id = a.judge_id "
            "AND c.project_id = a.project_id) ORDER BY a.id LIMIT 1")).one()
        conn.execute(text("INSERT INTO conflicts (judge_id, project_id, kind, detail, recorded_on) "
                          "VALUES (:j, :p, 'declared', 'console', :d)"),
                     {"j": judged.judge_id, "p": judged.project_id, "d": dt.date(2026, 11, 1)})
    with db.factory() as s:
        by = {f.check: f for f in integrity.check(s, SYSTEM, on=dt.date(2026, 11, 15))}
    assert set(by) == {"recognised_twice", "judge_conflict"}
    assert by["recognised_twice"].records == (approved.student_no,)
    assert by["judge_conflict"].records == (f"{judged.name}/{judged.code}",)
    assert judged.code in by["judge_conflict"].message and approved.student_no in by["recognised_twice"].message
