"""The mentor's offline logbook (DESIGN sections 1 and 5): `talentdesk logbook STAFF_NO -o FILE.xlsx`, filled
in Excel away from the office, and `talentdesk import logbook FILE.xlsx`: only that mentor's mentees, all
or nothing, rows already imported are skipped, a review filled in offline updates its task."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest
from clirun import talentdesk
from openpyxl import load_workbook

TODAY = dt.date.today()


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    return path


def _mentor_with_open_task(db: Path) -> tuple[str, str, str]:
    """A mentor (staff no.), one of their current mentees with an open task, and a student who is not
    theirs."""
    con = sqlite3.connect(db)
    try:
        staff_no, student_no = con.execute(
            "SELECT m.staff_no, s.student_no FROM tasks t JOIN mentors m ON m.id = t.mentor_id "
            "JOIN students s ON s.id = t.student_id JOIN mentor_assignments a ON a.mentor_id = t.mentor_id "
            "AND a.student_id = t.student_id AND a.end_on IS NULL AND a.start_on <= date('now') "
            "WHERE t.status != 'reviewed' ORDER BY t.id LIMIT 1").fetchone()
        stranger = con.execute(
            "SELECT student_no FROM students WHERE id NOT IN (SELECT student_id FROM mentor_assignments a "
            "JOIN mentors m ON m.id = a.mentor_id WHERE m.staff_no = ?) ORDER BY id LIMIT 1", (staff_no,)).fetchone()[0]
    finally:
        con.close()
    return staff_no, student_no, stranger


def _count(db: Path, sql: str, *args: object) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, args).fetchone()[0]
    finally:
        con.close()


def test_logbook_round_trip_through_the_command_line(demo: Path, tmp_path: Path) -> None:
    staff_no, mentee, stranger = _mentor_with_open_task(demo)
    book = tmp_path / "logbook.xlsx"
    made = talentdesk("logbook", staff_no, "-o", str(book), "--db", str(demo))
    assert made.returncode == 0, made.stderr
    wb = load_workbook(book)
    assert wb.sheetnames[:4] == ["填写说明", "指导记录", "指导任务", "我的学生"]
    assert wb["TalentDesk"].sheet_state == "veryHidden"
    mentees = [r[0] for r in wb["我的学生"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert mentee in mentees and stranger not in mentees
    # the 学号 cells offer the mentees
    assert any("我的学生" in (dv.formula1 or "") for dv in wb["指导记录"].data_validations.dataValidation)
    tasks = wb["指导任务"]
    open_rows = [r for r in tasks.iter_rows(min_row=2) if r[0].value]
    assert open_rows and all(r[4].value in ("已布置", "已提交") for r in open_rows)

    # offline: two meetings with a mentee, one with a student who is not theirs; a task reviewed
    day = TODAY - dt.timedelta(days=3)
    sessions = wb["指导记录"]
    sessions.append([mentee, day, 60, "企业现场", "产线数据标注方法", "现场讲解，布置下周任务"])
    sessions.append([mentee, day - dt.timedelta(days=7), 45, "线上", "周报点评", None])
    sessions.append([stranger, day, 30, "线上", "答疑", None])
    row = next(r for r in open_rows if r[0].value == mentee)
    assigned = row[2].value.date()
    row[4].value, row[5].value, row[6].value, row[7].value, row[8].value = (
        "已评阅", max(assigned, TODAY - dt.timedelta(days=2)), TODAY - dt.timedelta(days=1), 91,
        "完成得很好，继续保持。")
    wb.save(book)
    before = _count(demo, "SELECT count(*) FROM mentoring_sessions")

    refused = talentdesk("import", "logbook", str(book), "--db", str(demo))
    assert refused.returncode == 1, refused.stdout + refused.stderr
    # the sheet, the row and the reason of the stranger's session, and only that row
    assert "Sheet 指导记录, Row 4, column" in refused.stderr, refused.stderr
    assert f"（{stranger}）" in refused.stderr and "was not assigned to" in refused.stderr
    assert "Row 2," not in refused.stderr and "Row 3," not in refused.stderr
    assert "1 error(s); nothing was written" in refused.stderr
    assert _count(demo, "SELECT count(*) FROM mentoring_sessions") == before  # nothing written

    wb = load_workbook(book)
    wb["指导记录"].delete_rows(4)  # fixed: the stranger's row (the third appended) taken out
    wb.save(book)
    done = talentdesk("import", "logbook", str(book), "--db", str(demo))
    assert done.returncode == 0, done.stdout + done.stderr
    assert _count(demo, "SELECT count(*) FROM mentoring_sessions") == before + 2
    assert _count(demo, "SELECT count(*) FROM tasks t JOIN students s ON s.id = t.student_id "
                        "WHERE s.student_no = ? AND t.status = 'reviewed' AND t.score = 91 "
                        "AND t.feedback = '完成得很好，继续保持。'", mentee) == 1
    assert ": 2 new, 1 updated," in done.stdout, done.stdout  # the two sessions; the reviewed task

    again = talentdesk("import", "logbook", str(book), "--db", str(demo))
    assert again.returncode == 0, again.stderr
    assert _count(demo, "SELECT count(*) FROM mentoring_sessions") == before + 2  # 0 new
    assert ": 0 new, 0 updated," in again.stdout, again.stdout

    # returned later with one more row: only that one is added
    wb = load_workbook(book)
    wb["指导记录"].append([mentee, TODAY - dt.timedelta(days=1), 30, "线上", "补充记录", None])
    wb.save(book)
    more = talentdesk("import", "logbook", str(book), "--db", str(demo))
    assert more.returncode == 0, more.stderr
    assert ": 1 new, 0 updated," in more.stdout, more.stdout
    assert _count(demo, "SELECT count(*) FROM mentoring_sessions") == before + 3


def test_a_file_that_is_not_a_logbook_is_refused(demo: Path, tmp_path: Path) -> None:
    plain = tmp_path / "sessions.xlsx"
    assert talentdesk("template", "sessions", "-o", str(plain)).returncode == 0
    refused = talentdesk("import", "logbook", str(plain), "--db", str(demo))
    assert refused.returncode == 2 and "logbook" in refused.stderr


def test_a_mentor_cannot_export_another_mentors_logbook(demo: Path, tmp_path: Path) -> None:
    from db.actor import Actor
    from db.auth import Role
    from db.engine import make_engine, resolve, session_factory
    from db.errors import PermissionDenied
    from forms.logbook import write_logbook

    staff_no, _mentee, _stranger = _mentor_with_open_task(demo)
    engine = make_engine(resolve(str(demo)))
    try:
        other = _count(demo, "SELECT id FROM mentors WHERE staff_no != ? ORDER BY id LIMIT 1", staff_no)
        with pytest.raises(PermissionDenied):
            write_logbook(session_factory(engine), Actor("x", Role.MENTOR, user_id=9, mentor_id=other), staff_no,
                          tmp_path / "x.xlsx")
    finally:
        engine.dispose()


def test_the_logbook_round_trip_in_chinese_as_a_process(demo: Path, tmp_path: Path) -> None:
    """#22's done-when, verbatim, on a Chinese system: export → three rows filled with openpyxl, one for a
    student who is not the mentor's → exit 1 naming that row → fixed → exit 0, 2 new → imported again → 0
    new. The refusal runs as the installed program's own process (its exit status as the shell sees it);
    the other steps run the same command line in this process (tests/clirun.py)."""
    staff_no, mentee, stranger = _mentor_with_open_task(demo)
    zh = {"LANG": "zh_CN.UTF-8"}
    book = tmp_path / "记录本.xlsx"
    made = talentdesk("logbook", staff_no, "-o", str(book), "--db", str(demo), env=zh)
    assert made.returncode == 0 and "指导记录本已写入" in made.stdout, made.stdout + made.stderr
    wb = load_workbook(book)
    day = TODAY - dt.timedelta(days=2)
    for student, minutes, topic in ((mentee, 60, "需求评审"), (stranger, 30, "答疑"), (mentee, 45, "代码走查")):
        wb["指导记录"].append([student, day, minutes, "线上", topic, None])
    wb.save(book)
    before = _count(demo, "SELECT count(*) FROM mentoring_sessions")

    refused = talentdesk("import", "logbook", str(book), "--db", str(demo), env=zh, process=True)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "工作表“指导记录”，第 3 行" in refused.stderr and f"（{stranger}）" in refused.stderr, refused.stderr
    assert "第 2 行" not in refused.stderr and "第 4 行" not in refused.stderr
    assert "未写入任何数据" in refused.stderr
    assert _count(demo, "SELECT count(*) FROM mentoring_sessions") == before

    wb = load_workbook(book)
    wb["指导记录"].delete_rows(3)
    wb.save(book)
    done = talentdesk("import", "logbook", str(book), "--db", str(demo), env=zh)
    assert done.returncode == 0 and "新增 2，" in done.stdout, done.stdout + done.stderr
    again = talentdesk("import", "logbook", str(book), "--db", str(demo), env=zh)
    assert again.returncode == 0 and "新增 0，更新 0" in again.stdout, again.stdout + again.stderr
    assert _count(demo, "SELECT count(*) FROM mentoring_sessions") == before + 2
