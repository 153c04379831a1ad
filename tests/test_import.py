"""The Excel import engine: every error reported with row and column, all rows or none."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from db.actor import cli_actor
from db.models import Course, CourseCategory, Mentor, MentorRole, Programme, ProgrammeCourse, Student, StudentStatus
from forms.importer import run_import, write_error_report
from forms.templates import write_template


def xlsx(path: Path, rows: list[list[Any]], title: str | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def counts(db: Any) -> dict[str, int]:
    with db.factory() as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m)) for m in (Student, Programme, Mentor,
                                                                                       Course, ProgrammeCourse)}


@pytest.fixture
def programmes(db: Any, tmp_path: Path) -> Any:
    path = xlsx(tmp_path / "p.xlsx", [["方案代码", "方案名称", "基础课目标占比", "容差"],
                                      ["AI-ENG", "人工智能工程", "50%", 0.05],
                                      ["AI-AUTO", "智能网联汽车", None, None]])
    result = run_import(db.factory, cli_actor(), "programmes", path)
    assert result.committed, result.errors
    return db


def test_students_import_accepts_what_people_type(programmes: Any, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "s.xlsx", [
        [" 学号 ", "姓名", "grade_ignored", "cohort", "培养方案", "性别", "学籍状态", "入学日期", "手机", "邮箱",
         "所属高校"],
        ["２０２５０１０００１", " 王梓涵 ", "x", "２０２５", "ai-eng", "女", "", "2025年9月1日", "+86 138-1234-5678",
         "Wang@Example.cn", "重庆大学"],
        [2025010002, "李明", "x", 2025.0, "AI-AUTO", "男", "休学", dt.datetime(2025, 9, 1), 13912345678, None, None],
        ["2025010003", "赵一", "x", 2025, "AI-ENG", "male", "graduated", "2025/9/1", None, None, None],
    ])
    result = run_import(programmes.factory, cli_actor(), "students", path)
    assert result.committed, [str(e) for e in result.errors]
    assert (result.created, result.updated) == (3, 0)
    assert any("grade_ignored" in n for n in result.notices)
    with programmes.factory() as s:
        wang = s.scalar(select(Student).where(Student.student_no == "2025010001"))
        assert wang.name == "王梓涵" and wang.cohort == 2025 and wang.programme.code == "AI-ENG"
        assert wang.enrolled_on == dt.date(2025, 9, 1) and wang.phone == "13812345678"
        assert wang.email == "wang@example.cn" and wang.status is StudentStatus.ACTIVE
        assert wang.home_university.name == "重庆大学"
        li = s.scalar(select(Student).where(Student.student_no == "2025010002"))
        assert li.status is StudentStatus.SUSPENDED and li.phone == "13912345678"


def test_reimport_updates_by_natural_key(programmes: Any, tmp_path: Path) -> None:
    rows = [["学号", "姓名", "年级", "培养方案"], ["S1", "甲", 2025, "AI-ENG"], ["S2", "乙", 2025, "AI-ENG"]]
    assert run_import(programmes.factory, cli_actor(), "students", xlsx(tmp_path / "a.xlsx", rows)).committed
    rows[1][1] = "甲乙"
    again = run_import(programmes.factory, cli_actor(), "students", xlsx(tmp_path / "b.xlsx", rows))
    assert again.committed and (again.created, again.updated, again.unchanged) == (0, 1, 1)
    assert counts(programmes)["students"] == 2
    with programmes.factory() as s:
        assert s.scalar(select(Student.name).where(Student.student_no == "S1")) == "甲乙"


def test_bad_rows_are_all_reported_and_nothing_is_written(programmes: Any, tmp_path: Path) -> None:
    before = counts(programmes)
    path = xlsx(tmp_path / "bad.xlsx", [
        ["学号", "姓名", "年级", "培养方案", "手机", "入学日期"],
        ["S1", "好学生", 2025, "AI-ENG", None, None],  # fine, but must not be written
        ["S2", None, "二〇二五", "NOPE", "12345", "2025-13-45"],
        ["S1", "重复", 2025, "AI-ENG", None, None],
        ["S3", "未知方案", 2025, "NOPE", None, None],
    ])
    result = run_import(programmes.factory, cli_actor(), "students", path)
    assert not result.ok
    found = {(e.row, e.column, e.field) for e in result.errors}
    assert {(3, "B", "name"), (3, "C", "cohort"), (3, "D", "programme"), (3, "E", "phone"), (3, "F", "enrolled_on"),
            (4, "A", "student_no"), (5, "D", "programme")} <= found
    dup = next(e for e in result.errors if e.row == 4)
    assert "row 2" in dup.reason
    unknown = next(e for e in result.errors if e.row == 5)
    assert "NOPE" in unknown.reason and unknown.header == "培养方案"
    assert counts(programmes) == before

    report = write_error_report(result, tmp_path / "bad.errors.xlsx")
    ws = load_workbook(report).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("Row", "Column", "Field")
    assert len(rows) == len(result.errors) + 1
    assert ws.freeze_panes == "A2"


def test_a_date_cell_in_the_wrong_column_is_quoted_as_a_date(programmes: Any, tmp_path: Path) -> None:
    """Excel hands a date cell over as midnight of that day; the message quotes what the user sees
    in the cell (2025-10-12), not 2025-10-12 00:00:00."""
    path = xlsx(tmp_path / "date.xlsx", [["学号", "姓名", "年级", "培养方案"],
                                         ["S1", "张三", dt.datetime(2025, 10, 12), "AI-ENG"]])
    result = run_import(programmes.factory, cli_actor(), "students", path)
    (error,) = result.errors
    assert error.field == "cohort" and error.value == dt.date(2025, 10, 12)
    assert "2025-10-12" in str(error) and "00:00" not in str(error)


def test_missing_required_column_is_named(programmes: Any, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "m.xlsx", [["学号", "姓名", "培养方案"], ["S1", "甲", "AI-ENG"]])
    result = run_import(programmes.factory, cli_actor(), "students", path)
    assert not result.ok
    assert any(e.row == 1 and e.field == "cohort" and "年级" in e.reason for e in result.errors)


def test_dry_run_writes_nothing(programmes: Any, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "d.xlsx", [["学号", "姓名", "年级", "培养方案"], ["S9", "甲", 2025, "AI-ENG"]])
    result = run_import(programmes.factory, cli_actor(), "students", path, dry_run=True)
    assert result.ok and not result.committed and result.created == 1
    assert counts(programmes)["students"] == 0


def test_cancel_writes_nothing(programmes: Any, tmp_path: Path) -> None:
    rows = [["学号", "姓名", "年级", "培养方案"]] + [[f"S{i}", "甲", 2025, "AI-ENG"] for i in range(120)]
    calls = {"n": 0}

    def cancel() -> bool:
        calls["n"] += 1
        return calls["n"] > 1

    result = run_import(programmes.factory, cli_actor(), "students", xlsx(tmp_path / "c.xlsx", rows), cancel=cancel)
    assert result.cancelled and not result.ok
    assert counts(programmes)["students"] == 0


def test_mentors_courses_and_plans(programmes: Any, tmp_path: Path) -> None:
    a = cli_actor()
    m = run_import(programmes.factory, a, "mentors", xlsx(tmp_path / "m.xlsx", [
        ["工号", "姓名", "单位", "导师类型", "指导上限"],
        ["T1", "陈建国", "华为技术有限公司", "产业", 6],
        ["T2", "刘教授", "重庆大学", "学术、学业", None],
    ]))
    assert m.committed, [str(e) for e in m.errors]
    c = run_import(programmes.factory, a, "courses", xlsx(tmp_path / "c.xlsx", [
        ["课程代码", "课程名称", "学分", "课程类别", "共建企业"],
        ["AGI101", "大模型原理", 3, "基础", None],
        ["IND201", "车联网与数据智能", "2.5", "产业应用课", "长安汽车"],
    ]))
    assert c.committed, [str(e) for e in c.errors]
    p = run_import(programmes.factory, a, "programme-courses", xlsx(tmp_path / "pc.xlsx", [
        ["方案代码", "课程代码", "必修"], ["AI-ENG", "AGI101", "是"], ["AI-ENG", "IND201", "否"],
    ]))
    assert p.committed, [str(e) for e in p.errors]
    with programmes.factory() as s:
        t1 = s.scalar(select(Mentor).where(Mentor.staff_no == "T1"))
        assert [(q.role, q.capacity) for q in t1.qualifications] == [(MentorRole.INDUSTRY, 6)]
        t2 = s.scalar(select(Mentor).where(Mentor.staff_no == "T2"))
        assert {q.role for q in t2.qualifications} == {MentorRole.ACADEMIC, MentorRole.STUDY}
        assert {q.capacity for q in t2.qualifications} == {8}
        ind = s.scalar(select(Course).where(Course.code == "IND201"))
        assert ind.credits == 2.5 and ind.category is CourseCategory.INDUSTRY and ind.partner.name == "长安汽车"
        assert s.scalar(select(func.count()).select_from(ProgrammeCourse)) == 2


# --------------------------------------------------------------------------- hostile and broken files


def _expect_file_error(db: Any, path: Path, words: str) -> None:
    before = counts(db)
    result = run_import(db.factory, cli_actor(), "students", path)
    assert result.file_error is not None and words in result.file_error, result.file_error
    assert counts(db) == before


def test_not_an_xlsx(sqlite_db: Any, tmp_path: Path) -> None:
    p = tmp_path / "roster.xlsx"
    p.write_text("学号,姓名\n1,甲\n", encoding="utf-8")
    _expect_file_error(sqlite_db, p, "not an Excel .xlsx file")


def test_missing_file(sqlite_db: Any, tmp_path: Path) -> None:
    _expect_file_error(sqlite_db, tmp_path / "nope.xlsx", "does not exist")


def test_password_protected_or_xls(sqlite_db: Any, tmp_path: Path) -> None:
    p = tmp_path / "locked.xlsx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)  # an OLE container, as Excel encrypts to
    _expect_file_error(sqlite_db, p, "password-protected")


def test_truncated_xlsx(sqlite_db: Any, tmp_path: Path) -> None:
    good = xlsx(tmp_path / "good.xlsx", [["学号"], ["1"]])
    p = tmp_path / "cut.xlsx"
    p.write_bytes(good.read_bytes()[:-300])
    result = run_import(sqlite_db.factory, cli_actor(), "students", p)
    assert result.file_error and ("damaged" in result.file_error or "not an Excel" in result.file_error)


def test_empty_sheet(sqlite_db: Any, tmp_path: Path) -> None:
    _expect_file_error(sqlite_db, xlsx(tmp_path / "empty.xlsx", []), "sheet is empty")


def test_headers_only(sqlite_db: Any, tmp_path: Path) -> None:
    result = run_import(sqlite_db.factory, cli_actor(), "students",
                        xlsx(tmp_path / "h.xlsx", [["学号", "姓名", "年级", "培养方案"]]))
    assert not result.ok and "no data rows" in result.errors[0].reason


def test_zip_bomb_refused_before_parsing(sqlite_db: Any, tmp_path: Path) -> None:
    good = xlsx(tmp_path / "good.xlsx", [["学号"], ["1"]])
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/media/padding.bin", b"\0" * (20 * 1024 * 1024))  # compresses ~1000:1
    _expect_file_error(sqlite_db, bomb, "zip bomb")


def test_entity_expansion_refused(sqlite_db: Any, tmp_path: Path) -> None:
    good = xlsx(tmp_path / "good.xlsx", [["学号"], ["1"]])
    evil = tmp_path / "evil.xlsx"
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(evil, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = data.decode()
                body = body.split("?>", 1)[1] if body.startswith("<?xml") else body
                assert "<t>1</t>" in body
                data = (laughs + body.replace("<t>1</t>", "<t>&lol2;</t>")).encode()
            dst.writestr(item, data)
    result = run_import(sqlite_db.factory, cli_actor(), "students", evil)
    assert result.file_error is not None
    assert counts(sqlite_db)["students"] == 0


def test_unknown_and_pending_kinds(sqlite_db: Any, tmp_path: Path) -> None:
    p = xlsx(tmp_path / "x.xlsx", [["a"], [1]])
    assert "Unknown import kind" in run_import(sqlite_db.factory, cli_actor(), "widgets", p).file_error


# --------------------------------------------------------------------------- templates


@pytest.mark.parametrize("kind", ["students", "mentors", "programmes", "courses", "programme-courses",
                                  "universities", "external-courses"])
def test_template_round_trip(kind: str, tmp_path: Path, sqlite_db: Any) -> None:
    path = write_template(kind, tmp_path / f"{kind}.xlsx")
    wb = load_workbook(path)
    data, info = wb.worksheets[0], wb.worksheets[1]
    headers = [c.value for c in data[1]]
    assert all(h for h in headers)
    assert data.freeze_panes == "A2"
    assert info.max_row > 5
    # an empty template is recognised: every header maps to a field (nothing ignored, nothing missing)
    result = run_import(sqlite_db.factory, cli_actor(), kind, path)
    assert not result.notices and [e.reason for e in result.errors] == ["The file has no data rows under the headers."]


def test_template_has_dropdowns_for_enumerations(tmp_path: Path) -> None:
    wb = load_workbook(write_template("students", tmp_path / "s.xlsx"))
    formulas = [dv.formula1 for dv in wb.worksheets[0].data_validations.dataValidation]
    assert any("在读" in f and "休学" in f for f in formulas)
    assert any("男" in f for f in formulas)


def test_formula_like_text_written_back_as_text(programmes: Any, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["学号", "姓名", "年级", "培养方案"])
    ws.append(["S1", "甲", 2025, "x"])
    ws["D2"].value = '=HYPERLINK("http://evil","x")'
    ws["D2"].data_type = "s"  # stored as text in the input, as a pasted value would be
    wb.save(tmp_path / "f.xlsx")
    result = run_import(programmes.factory, cli_actor(), "students", tmp_path / "f.xlsx")
    assert [e.field for e in result.errors] == ["programme"]
    report = write_error_report(result, tmp_path / "f.errors.xlsx")
    with zipfile.ZipFile(report) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    values = [c for row in load_workbook(report).active.iter_rows(values_only=True) for c in row]
    assert '=HYPERLINK("http://evil","x")' in values


def _million_row_xlsx(path: Path, declare: bool) -> Path:
    """A real 1,048,576-row sheet, streamed straight into the zip (openpyxl would take minutes)."""
    good = xlsx(path.with_name("seed.xlsx"), [["学号"], ["1"]])
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(item, src.read(item))
        with dst.open("xl/worksheets/sheet1.xml", "w") as out:
            out.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            if declare:
                out.write(b'<dimension ref="A1:A1048576"/>')
            out.write(b"<sheetData>")
            out.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xe5\xad\xa6\xe5\x8f\xb7</t></is></c></row>')
            chunk = []
            for r in range(2, 1048577):
                chunk.append(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (r, r, r))
                if len(chunk) == 20000:
                    out.write(b"".join(chunk))
                    chunk = []
            out.write(b"".join(chunk) + b"</sheetData></worksheet>")
    return path


@pytest.mark.parametrize("declare", [True, False], ids=["with-dimension", "without-dimension"])
def test_a_million_row_workbook_is_refused_in_little_memory(tmp_path: Path, declare: bool) -> None:
    """Refused with a clear message, with the importing process's peak memory under 150 MB."""
    import subprocess
    import sys

    path = _million_row_xlsx(tmp_path / "huge.xlsx", declare)
    probe = (
        "import re, sys\n"
        "from forms.importer import ImportFileError, read_rows\n"
        "try:\n"
        f"    read_rows(__import__('pathlib').Path({str(path)!r}))\n"
        "    print('ACCEPTED')\n"
        "except ImportFileError as exc:\n"
        "    print('REFUSED', exc)\n"
        # VmHWM is this process's own peak (ru_maxrss would carry the forking pytest's size over exec)
        "print('PEAK_MB', int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)) / 1024)\n"
    )
    root = Path(__file__).resolve().parents[1]
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=root, timeout=600)
    assert "REFUSED" in run.stdout and "at most 100000" in run.stdout, run.stdout + run.stderr
    peak = float(run.stdout.split("PEAK_MB")[1])
    assert peak < 150, f"peak memory {peak:.0f} MB"
