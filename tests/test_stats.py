"""The quarterly figures of DESIGN.md section 6 on a small hand-built academy whose every row sits on
an edge of a definition. Expected values are worked out by hand in the comments."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from db.actor import unit_of_work
from db.errors import TalentDeskError
from db.models import (
    Company,
    Course,
    CourseCategory,
    Enrolment,
    ExternalCourse,
    IssuedReport,
    Mentor,
    MentorAssignment,
    MentoringSession,
    MentorQualification,
    MentorRole,
    Organisation,
    Programme,
    ProgrammeCourse,
    Project,
    Season,
    Stage,
    Student,
    StudentStatus,
    Task,
    TaskStatus,
    Term,
    Track,
    TransferRequest,
    TransferStatus,
    University,
)
from reports import quarterly
from reports.quarterly import Quarter, compute, figures

D = dt.date
ROOT = Path(__file__).resolve().parents[1]

EXPECTED = {
    "quarter": "2026Q3",
    "period": {"start": "2026-07-01", "end": "2026-09-30"},
    "mentoring": {
        "active_students": 3,  # S1, S2 (enrolled on the last day), S4 (no enrolment date)
        "fully_mentored": 1,  # S4
        # S1's industry ends on the last day; S2's study starts after
        "missing": {"academic": 0, "industry": 1, "study": 1},
        "sessions": {"academic": 2, "industry": 1, "study": 2},
        "session_hours": 7.0,  # 420 minutes
        "students_without_contact": 1,  # S2
        "assignments": {"given": 3, "reviewed": 2, "overdue": 2},
    },
    "curriculum": {
        "programmes": [
            {"code": "P1", "foundation_credits": 6.0, "industry_credits": 6.0, "foundation_share": 0.5,
             "in_band": True},
            {"code": "P2", "foundation_credits": 11.0, "industry_credits": 9.0, "foundation_share": 0.55,
             "in_band": True},  # exactly on the tolerance
            {"code": "P3", "foundation_credits": 0.0, "industry_credits": 0.0, "foundation_share": 0.0,
             "in_band": False},  # an empty plan
        ],
        "students_out_of_band": 1,  # S1; S2 has < 10 credits; S4 sits on its band's edge
    },
    "transfers": {"submitted": 5, "approved": 2, "rejected": 1, "pending": 2, "credits_recognised": 6.5},
    "competition": {
        "season": 2026, "projects": 3, "target_projects": 300,
        "by_stage": {"submitted": 1, "screened": 1, "roadshow": 0, "finalist": 0, "awarded": 0, "incubating": 0,
                     "incorporated": 0, "dropped": 1},
        "incubated_companies": 2, "target_companies": 20,
    },
}


def build(session: Any) -> None:
    org = Organisation(name="重庆大学")
    company = Organisation(name="长安汽车")
    session.add_all([org, company])
    session.flush()
    p1 = Programme(code="P1", name="一", target_share=0.5, tolerance=0.05)
    p2 = Programme(code="P2", name="二", target_share=0.55, tolerance=0.05)
    p3 = Programme(code="P3", name="三", target_share=0.5, tolerance=0.05)
    session.add_all([p1, p2, p3])
    f, i, o = CourseCategory.FOUNDATION, CourseCategory.INDUSTRY, CourseCategory.OTHER
    courses = {code: Course(code=code, name=code, credits=cr, category=cat) for code, cr, cat in [
        ("F1", 4, f), ("F2", 2, f), ("F3", 5, f), ("I1", 4, i), ("I2", 2, i), ("I3", 5, i), ("O1", 2, o)]}
    session.add_all(courses.values())
    session.flush()
    for prog, codes in ((p1, ["F1", "F2", "I1", "I2", "O1"]), (p2, ["F1", "F2", "F3", "I1", "I3"])):
        session.add_all(ProgrammeCourse(programme_id=prog.id, course_id=courses[c].id) for c in codes)

    def student(no: str, prog: Programme, status: StudentStatus = StudentStatus.ACTIVE,
                enrolled: dt.date | None = dt.date(2025, 9, 1)) -> Student:
        s = Student(student_no=no, name=no, cohort=2025, programme_id=prog.id, status=status, enrolled_on=enrolled)
        session.add(s)
        return s

    s1 = student("S1", p1)
    s2 = student("S2", p1, enrolled=D(2026, 9, 30))
    student("S3", p1, enrolled=D(2026, 10, 1))  # enrolled after the quarter: not active
    s4 = student("S4", p2, enrolled=None)
    s5 = student("S5", p1, StudentStatus.GRADUATED)
    student("S6", p1, StudentStatus.SUSPENDED)
    session.flush()

    def mentor(no: str, role: MentorRole) -> Mentor:
        m = Mentor(staff_no=no, name=no, organisation_id=org.id)
        m.qualifications.append(MentorQualification(role=role, capacity=8))
        session.add(m)
        return m

    a, b = mentor("A", MentorRole.ACADEMIC), mentor("B", MentorRole.ACADEMIC)
    ind, st = mentor("I", MentorRole.INDUSTRY), mentor("T", MentorRole.STUDY)
    session.flush()
    ac, inr, sr = MentorRole.ACADEMIC, MentorRole.INDUSTRY, MentorRole.STUDY
    for stu, men, role, start, end in [
        (s1, a, ac, D(2025, 9, 1), D(2026, 8, 15)),  # reassigned inside the quarter …
        (s1, b, ac, D(2026, 8, 15), None),  # … to B on the same day
        (s1, ind, inr, D(2025, 9, 1), D(2026, 9, 30)),  # ends on the last day: not active then
        (s1, st, sr, D(2025, 9, 1), None),
        (s2, a, ac, D(2026, 9, 30), None),  # starts on the last day: active then
        (s2, ind, inr, D(2026, 9, 30), None),
        (s2, st, sr, D(2026, 10, 1), None),  # starts after the quarter
        (s4, b, ac, D(2026, 1, 1), None),
        (s4, ind, inr, D(2026, 1, 1), None),
        (s4, st, sr, D(2026, 1, 1), None),
        (s5, st, sr, D(2023, 9, 1), None),
    ]:
        session.add(MentorAssignment(student_id=stu.id, mentor_id=men.id, role=role, start_on=start, end_on=end))
    for men, stu, day, minutes in [
        (a, s1, D(2026, 7, 1), 60),  # first day, A academic: academic
        (a, s1, D(2026, 8, 15), 30),  # A's last role day was the 14th: no role, but its minutes count
        (b, s1, D(2026, 8, 15), 45),  # academic
        (ind, s1, D(2026, 9, 30), 90),  # the industry role ended that day: no role
        (ind, s1, D(2026, 9, 29), 120),  # industry
        (st, s1, D(2026, 6, 30), 50),  # before the quarter
        (st, s4, D(2026, 9, 30), 15),  # last day: study
        (ind, s4, D(2026, 10, 1), 40),  # after the quarter
        (st, s5, D(2026, 8, 1), 60),  # a graduated student's session still counts: study
    ]:
        session.add(MentoringSession(mentor_id=men.id, student_id=stu.id, held_on=day, minutes=minutes))
    for assigned, due, status, reviewed in [
        (D(2026, 6, 20), D(2026, 7, 10), TaskStatus.REVIEWED, D(2026, 7, 9)),  # reviewed in Q
        (D(2026, 7, 1), D(2026, 9, 30), TaskStatus.SUBMITTED, None),  # given; due on the last day: overdue
        (D(2026, 9, 30), D(2026, 10, 15), TaskStatus.ASSIGNED, None),  # given
        (D(2026, 5, 1), D(2026, 6, 1), TaskStatus.REVIEWED, D(2026, 10, 2)),  # reviewed too late: overdue
        (D(2026, 8, 1), D(2026, 8, 20), TaskStatus.REVIEWED, D(2026, 8, 20)),  # given and reviewed
    ]:
        session.add(Task(mentor_id=st.id, student_id=s1.id, title="t", assigned_on=assigned, due_on=due,
                         status=status, reviewed_on=reviewed))

    t1 = Term(code="2025-2026-1", start_on=D(2025, 9, 1), end_on=D(2026, 1, 31))
    t2 = Term(code="2025-2026-2", start_on=D(2026, 2, 1), end_on=D(2026, 7, 31))
    session.add_all([t1, t2])
    session.flush()
    for stu, code, term, passed, passed_on in [
        (s1, "F1", t2, True, D(2026, 6, 30)),
        (s1, "F3", t2, True, None),  # no pass date: counts from 31 July
        (s1, "I1", t2, True, D(2026, 10, 5)),  # passed after the quarter
        (s1, "I2", t1, True, None),
        (s1, "F2", t2, False, None),  # failed
        (s2, "F1", t2, True, D(2026, 7, 1)),
        (s2, "I1", t2, True, D(2026, 7, 1)),
        (s4, "F1", t1, True, None), (s4, "F3", t1, True, None), (s4, "I1", t1, True, None),
        (s4, "I3", t2, True, D(2026, 9, 30)),  # on the last day
    ]:
        session.add(Enrolment(student_id=stu.id, course_id=courses[code].id, term_id=term.id, passed=passed,
                              passed_on=passed_on))
    uni = University(code="CQU", name="重庆大学")
    session.add(uni)
    session.flush()
    ext = ExternalCourse(university_id=uni.id, code="X1", name="外校课", credits=3)
    session.add(ext)
    session.flush()
    A, R, P = TransferStatus.APPROVED, TransferStatus.REJECTED, TransferStatus.PENDING
    for stu, submitted, status, decided, credits, cat in [
        (s1, D(2026, 8, 1), A, D(2026, 9, 1), 3.0, i),
        (s4, D(2026, 9, 15), A, D(2026, 10, 10), 2.0, i),  # decided after the quarter: pending in it
        (s2, D(2026, 7, 5), R, D(2026, 7, 20), None, None),
        (s2, D(2026, 9, 30), P, None, None, None),
        (s1, D(2026, 6, 20), A, D(2026, 7, 2), 1.5, f),  # submitted before, decided in the quarter
        (s5, D(2026, 7, 10), A, D(2026, 9, 30), 2.0, f),
    ]:
        session.add(TransferRequest(student_id=stu.id, university_id=uni.id, external_course_id=ext.id,
                                    term="2025-2026-2", score_text="90", score=90, submitted_on=submitted,
                                    status=status, decided_on=decided, credits=credits, category=cat))

    season = Season(year=2026, name="2026")
    old = Season(year=2025, name="2025")
    session.add_all([season, old])
    session.flush()
    track, old_track = Track(season_id=season.id, name="智能机器人"), Track(season_id=old.id, name="其他")
    session.add_all([track, old_track])
    session.flush()
    projects = []
    for code, sea, tr, stage in [("X1", season, track, Stage.SUBMITTED), ("X2", season, track, Stage.SCREENED),
                                 ("X3", season, track, Stage.DROPPED), ("Y1", old, old_track, Stage.INCUBATING)]:
        project = Project(code=code, title=code, season_id=sea.id, track_id=tr.id, lead_student_id=s1.id,
                          stage=stage, submitted_on=D(sea.year, 3, 1))
        session.add(project)
        projects.append(project)
    session.flush()
    for uscc, registered in [("91500000MA000001X0", D(2026, 3, 1)), ("91500000MA000002X0", D(2026, 9, 30)),
                             ("91500000MA000003X0", D(2026, 10, 1)), ("91500000MA000004X0", D(2025, 12, 31))]:
        session.add(Company(uscc=uscc, name=uscc, project_id=projects[3].id, registered_on=registered))
    session.commit()


def test_figures_match_the_definitions(db: Any) -> None:
    with db.factory() as s:
        build(s)
    with db.factory() as s:
        assert compute(s, "2026Q3").to_dict() == EXPECTED


def test_stats_json_from_the_command_line(sqlite_db: Any) -> None:
    with sqlite_db.factory() as s:
        build(s)
    sqlite_db.engine.dispose()
    run = subprocess.run([sys.executable, str(ROOT / "main.py"), "stats", "--quarter", "2026Q3", "--json", "--db",
                          str(sqlite_db.target.sqlite_path)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == EXPECTED


def test_an_issued_quarter_is_frozen(sqlite_db: Any, admin: Any) -> None:
    with sqlite_db.factory() as s:
        build(s)
    with unit_of_work(sqlite_db.factory, admin) as s:
        issued = quarterly.issue(s, admin, "2026Q3")
        assert issued.checksum and issued.issued_by == admin.username
    with pytest.raises(TalentDeskError, match="already been issued"), unit_of_work(sqlite_db.factory, admin) as s:
        quarterly.issue(s, admin, "2026Q3")
    with sqlite_db.factory() as s:
        student = s.scalar(select(Student).where(Student.student_no == "S3"))
        student.enrolled_on = D(2026, 1, 1)  # a later edit makes S3 active in Q3 …
        s.commit()
        assert compute(s, "2026Q3").mentoring.active_students == 4
        frozen = figures(s, "2026Q3")  # … but the issued report does not move
        assert frozen.to_dict() == EXPECTED and frozen.issued_at
        report = quarterly.load(s, "2026Q3")
        assert report.figures.to_dict() == EXPECTED and report.checksum == issued.checksum
        assert [r.student_no for r in report.students_out_of_band] == ["S1"]


def test_a_tampered_issued_report_is_refused(sqlite_db: Any, admin: Any) -> None:
    with sqlite_db.factory() as s:
        build(s)
    with unit_of_work(sqlite_db.factory, admin) as s:
        quarterly.issue(s, admin, "2026Q3")
    with sqlite_db.engine.begin() as conn:  # edited behind TalentDesk's back (the row itself is not a log)
        row = conn.execute(select(IssuedReport.id, IssuedReport.data)).one()
        data = dict(row.data)
        data["report"]["figures"]["mentoring"]["active_students"] = 999
        conn.execute(IssuedReport.__table__.update().where(IssuedReport.id == row.id).values(data=data))
    with sqlite_db.factory() as s, pytest.raises(TalentDeskError, match="checksum"):
        figures(s, "2026Q3")


def test_report_lists_behind_the_figures(db: Any) -> None:
    with db.factory() as s:
        build(s)
    with db.factory() as s:
        report = quarterly.build(s, "2026Q3")
    assert {(r.student_no, r.role) for r in report.missing_roles} == {("S1", "industry"), ("S2", "study")}
    since = {r.student_no: r.since for r in report.missing_roles}
    assert since["S1"] == "2026-09-30"  # the day the industry role ended
    assert [(r.student_no, r.status) for r in report.transfer_decisions] == [
        ("S1", "approved"), ("S2", "rejected"), ("S1", "approved"), ("S5", "approved")]
    assert [r.name for r in report.companies] == ["91500000MA000001X0", "91500000MA000002X0"]
    assert report.funnel[0].track == "智能机器人" and report.funnel[0].total == 3
    assert report.previous is not None and report.previous.quarter == "2026Q2"
    assert quarterly.QuarterlyReport.from_dict(report.to_dict()).to_dict() == report.to_dict()


@pytest.mark.parametrize(("text", "start", "end"), [("2026Q1", "2026-01-01", "2026-03-31"),
                                                    ("2026q2", "2026-04-01", "2026-06-30"),
                                                    ("2024Q4", "2024-10-01", "2024-12-31"),
                                                    (" 2026-Q3 ", "2026-07-01", "2026-09-30")])
def test_quarters(text: str, start: str, end: str) -> None:
    q = Quarter.parse(text)
    assert (q.start.isoformat(), q.end.isoformat()) == (start, end)


@pytest.mark.parametrize("bad", ["2026Q5", "2026", "Q3 2026", "", "26Q1"])
def test_bad_quarters_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="2026Q3"):
        Quarter.parse(bad)


def test_ten_credits_whose_floating_point_sum_falls_short_are_judged(db: Any) -> None:
    """1.2 + 3.4 + 3.8 foundation + 1.6 industry credits are exactly 10, but 9.999999999999998 in floating
    point: the student has "at least 10 foundation + industry credits" and is counted (share 0.84, out
    of band), as the curriculum page's ``judged`` already does."""
    with db.factory() as s:
        p = Programme(code="P", name="P", target_share=0.5, tolerance=0.05)
        s.add(p)
        f, i = CourseCategory.FOUNDATION, CourseCategory.INDUSTRY
        courses = [Course(code=code, name=code, credits=cr, category=cat)
                   for code, cr, cat in [("F1", 1.2, f), ("F2", 3.4, f), ("F3", 3.8, f), ("I1", 1.6, i)]]
        term = Term(code="2025-2026-1", start_on=D(2025, 9, 1), end_on=D(2026, 1, 31))
        s.add_all([*courses, term])
        s.flush()
        st = Student(student_no="S", name="S", cohort=2025, programme_id=p.id, enrolled_on=D(2025, 9, 1))
        s.add(st)
        s.flush()
        s.add_all(Enrolment(student_id=st.id, course_id=c.id, term_id=term.id, score_text="80", score=80,
                            passed=True, passed_on=D(2026, 1, 10)) for c in courses)
        s.commit()
    with db.factory() as s:
        assert compute(s, "2026Q1").curriculum.students_out_of_band == 1
        assert compute(s, "2025Q4").curriculum.students_out_of_band == 0  # nothing passed yet
