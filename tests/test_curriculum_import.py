"""Import KINDs of the curriculum: enrolments (with the score words and the plan flag), courses and
plans; every bad row reported on its column, nothing half-written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import filled_once  # type: ignore[import-not-found]
from openpyxl import Workbook
from sqlalchemy import func, select

from db import curriculum as cur
from db.actor import Actor, unit_of_work
from db.models import Course, CourseCategory, Enrolment, Student
from db.people import save_student
from forms.importer import run_import
from forms.templates import write_template

FND, IND = CourseCategory.FOUNDATION, CourseCategory.INDUSTRY


def xlsx(path: Path, rows: list[list[Any]]) -> Path:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
@filled_once
def base(db: Any, admin: Actor) -> Any:
    with unit_of_work(db.factory, admin) as s:
        cur.save_programme(s, admin, {"code": "AI-ENG", "name": "人工智能工程"})
        for code, cat in (("AGI101", FND), ("IND201", IND), ("IND301", IND)):
            cur.save_course(s, admin, {"code": code, "name": f"课程{code}", "credits": 3.0, "category": cat})
        for code in ("AGI101", "IND201"):
            cur.save_programme_course(s, admin, {"programme": "AI-ENG", "course": code})
        for no in ("2025010001", "2025010002"):
            save_student(s, admin, {"student_no": no, "name": "王梓涵", "cohort": 2025, "programme": "AI-ENG"})
    return db


def enrolments(db: Any) -> list[tuple[str, str, str, str | None, float | None, bool, dt.date | None]]:
    from db.models import Term

    with db.factory() as s:
        return [tuple(r) for r in s.execute(  # type: ignore[misc]
            select(Student.student_no, Course.code, Term.code, Enrolment.score_text, Enrolment.score,
                   Enrolment.passed, Enrolment.passed_on)
            .join(Student).join(Course).join(Term).order_by(Student.student_no, Course.code, Term.code))]


def test_enrolments_import_reads_scores_words_and_dates(base: Any, admin: Actor, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "e.xlsx", [
        ["学号", "课程代码", "学期", "成绩", "通过日期"],
        ["2025010001", "agi101", "2025-2026-1", "优", "2026年1月15日"],
        [2025010001, "IND201", "２０２５-２０２６-１", 59, None],
        ["2025010002", "AGI101", "2025-2026-1", " 及格 ", None],
        ["2025010002", "IND301", "2025-2026-2", "86.5", dt.datetime(2026, 7, 1)],
    ])
    result = run_import(base.factory, admin, "enrolments", path)
    assert result.committed, [str(e) for e in result.errors]
    assert (result.created, result.updated) == (4, 0)
    # IND301 is outside AI-ENG's plan: imported, and the row is flagged as a notice
    assert result.notices == ["Row 5: Course IND301 is not in the plan of AI-ENG (student 2025010002); the "
                              "enrolment is kept and flagged as outside the plan."]
    assert enrolments(base) == [
        ("2025010001", "AGI101", "2025-2026-1", "优", 95.0, True, dt.date(2026, 1, 15)),
        ("2025010001", "IND201", "2025-2026-1", "59", 59.0, False, None),
        ("2025010002", "AGI101", "2025-2026-1", "及格", 65.0, True, None),
        ("2025010002", "IND301", "2025-2026-2", "86.5", 86.5, True, dt.date(2026, 7, 1)),
    ]
    # the same file again updates, never duplicates; a changed score is taken
    again = xlsx(tmp_path / "e2.xlsx", [["student_no", "course", "term", "score"],
                                        ["2025010001", "IND201", "2025-2026-1", "良"]])
    result = run_import(base.factory, admin, "enrolments", again)
    assert result.committed and (result.created, result.updated) == (0, 1)
    assert enrolments(base)[1][3:6] == ("良", 85.0, True)


def test_bad_enrolment_rows_are_all_reported_and_nothing_is_written(base: Any, admin: Actor,
                                                                     tmp_path: Path) -> None:
    path = xlsx(tmp_path / "bad.xlsx", [
        ["学号", "课程代码", "学期", "成绩", "通过日期"],
        ["2025010001", "AGI101", "2025-2026-1", 95, None],  # fine on its own
        ["2025010001", "AGI101", "2025-2026-1", 90, None],  # duplicate of row 2
        ["2025010002", "AGI101", "2025-2026-1", 101, None],  # score outside 0–100
        ["2025010002", "IND201", "2025-2026-1", "优良", None],  # unknown grade word
        ["2025010002", "NOPE", "2025-2026-1", 80, None],  # unknown course
        ["2099999999", "AGI101", "2025-2026-1", 80, None],  # unknown student
        ["2025010002", "IND301", "2025-2026-3", 80, None],  # not a term
        ["2025010002", "IND201", "2025-2026-2", 40, "2026-07-01"],  # pass date without a pass
    ])
    result = run_import(base.factory, admin, "enrolments", path)
    assert not result.committed
    got = {(e.row, e.field): e.reason for e in result.errors}
    assert "Duplicate of row 2" in got[(3, "term")]
    assert "101 is not a score" in got[(4, "score")]
    assert "优良 is not a score" in got[(5, "score")]
    assert "Course NOPE does not exist" in got[(6, "course")]
    assert "Student 2099999999 does not exist" in got[(7, "student_no")]
    assert "2025-2026-3 is not a term" in got[(8, "term")]
    assert "needs a passing score" in got[(9, "passed_on")]
    assert len(result.errors) == 7
    assert enrolments(base) == []


def test_a_row_with_an_unreadable_cell_is_blamed_for_it_and_its_unknown_references_only(
        base: Any, admin: Actor, tmp_path: Path) -> None:
    """A score that cannot be read is that cell's error. The row's course is still looked up (one round
    of corrections fixes the file), but its pass date is not judged against a score the import never
    read: 'a pass date needs a passing score' would send the user to a good cell."""
    path = xlsx(tmp_path / "bad.xlsx", [
        ["学号", "课程代码", "学期", "成绩", "通过日期"],
        ["2025010001", "AGI101", "2025-2026-1", "abc", "2026-01-15"],
        ["2025010002", "NOPE", "2025-2026-1", "95x", "2026-01-15"],
    ])
    result = run_import(base.factory, admin, "enrolments", path)
    assert not result.committed
    assert [(e.row, e.field) for e in result.errors] == [(2, "score"), (3, "course"), (3, "score")]
    assert "Course NOPE does not exist" in result.errors[1].reason
    assert enrolments(base) == []


def test_an_enrolment_already_in_the_database_is_updated_not_duplicated(base: Any, admin: Actor,
                                                                         tmp_path: Path) -> None:
    with unit_of_work(base.factory, admin) as s:
        cur.save_enrolment(s, admin, {"student_no": "2025010001", "course": "AGI101", "term": "2025-2026-1",
                                      "score": ("70", 70.0)})
    path = xlsx(tmp_path / "e.xlsx", [["学号", "课程代码", "学期", "成绩"],
                                      ["2025010001", "AGI101", "2025-2026-1", "中"]])
    result = run_import(base.factory, admin, "enrolments", path)
    assert result.committed and result.updated == 1
    with base.factory() as s:
        assert s.scalar(select(func.count()).select_from(Enrolment)) == 1


def test_bad_course_rows(base: Any, admin: Actor, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "c.xlsx", [
        ["课程代码", "课程名称", "学分", "课程类别"],
        ["AGI900", "新课", 2, "AGI前沿基础课"],
        ["AGI901", "零学分", 0, "基础"],
        ["AGI902", "负学分", -2, "基础"],
        ["AGI903", "不是数字", "三", "基础"],
        ["AGI904", "类别不明", 2, "通识"],
    ])
    result = run_import(base.factory, admin, "courses", path)
    got = {(e.row, e.field): e.reason for e in result.errors}
    assert got[(3, "credits")] == "Credits must be more than 0."
    assert "credits" in {f for (r, f) in got if r == 4}
    assert got[(5, "credits")] == "三 is not a number."
    assert got[(6, "category")].startswith("通识 is not one of: 基础、产业、其他")
    with base.factory() as s:
        assert s.scalar(select(func.count()).select_from(Course).where(Course.code.like("AGI9%"))) == 0


def test_enrolments_template_lists_the_columns(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = write_template("enrolments", tmp_path / "t.xlsx")
    ws = load_workbook(path).worksheets[0]
    assert [c.value for c in ws[1]] == ["学号*", "课程代码*", "学期*", "成绩", "通过日期"]
