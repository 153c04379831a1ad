"""The bulk import path (EntitySpec.save_many) against the row-by-row path it replaces: the same
errors on the same columns, the same records, versions and audit rows."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from db import curriculum, mentoring, people, records
from db.actor import Actor, cli_actor
from db.errors import ValidationError
from db.models import (
    AuditAction,
    AuditLog,
    Course,
    Enrolment,
    Mentor,
    MentoringSession,
    MentorQualification,
    MentorRole,
    Organisation,
    OrgKind,
    Role,
    SessionKind,
    Student,
    Task,
    TaskStatus,
)
from db.records import RowOutcome
from forms import specs
from forms.importer import run_import

HEADER = ["学号", "姓名", "年级", "培养方案", "性别", "学籍状态", "所属高校", "入学日期", "手机", "邮箱"]


def xlsx(path: Path, rows: list[list[Any]], header: list[str] = HEADER) -> Path:
    wb = Workbook()
    for row in [header, *rows]:
        wb.active.append(row)
    wb.save(path)
    return path


@pytest.fixture
def row_by_row(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Switch a KIND (students unless told) to the per-row path for the rest of the test."""
    def switch(kind: str = "students") -> None:
        monkeypatch.setitem(specs.SPECS, kind, dataclasses.replace(specs.SPECS[kind], save_many=None))
    return switch


@pytest.fixture
def ready(db: Any, tmp_path: Path) -> Any:
    wb = Workbook()
    for row in (["方案代码", "方案名称"], ["AI-ENG", "人工智能工程"], ["AI-AUTO", "智能网联汽车"]):
        wb.active.append(row)
    wb.save(tmp_path / "p.xlsx")
    assert run_import(db.factory, cli_actor(), "programmes", tmp_path / "p.xlsx").committed
    first = run_import(db.factory, cli_actor(), "students",
                       xlsx(tmp_path / "s0.xlsx",
                            [["AB001", "王一", 2025, "AI-ENG", "男", None, None, None, None, None]]))
    assert first.committed, first.errors
    return db


def test_bulk_reports_what_row_by_row_reports(ready: Any, tmp_path: Path, row_by_row: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = xlsx(tmp_path / "bad.xlsx", [
        ["2025000001", "李明", 2025, "AI-ENG", "男", "在读", "重庆大学", "2025-09-01", None, None],
        ["ab001", "王二", 2025, "AI-ENG", None, None, None, None, None, None],  # AB001 differs only in case
        ["2025000002", "赵三", 2025, "NOPE", None, None, None, None, None, None],  # no such programme
        ["2025000003", "钱四", 2025, "NOPE", None, None, None, None, "123", None],  # bad mobile and programme
    ])

    def run() -> tuple[list[str], int]:
        result = run_import(ready.factory, cli_actor(), "students", path)
        assert not result.ok
        with ready.factory() as s:
            return [str(e) for e in result.errors], s.scalar(select(func.count()).select_from(Student))

    bulk = run()
    with monkeypatch.context() as m:  # many keys: several chunks, and one read of every number for case clashes
        m.setattr(records, "_CHUNK", 2)
        assert run() == bulk
    row_by_row()
    assert run() == bulk
    errors, students = bulk
    assert students == 1  # nothing written
    assert [e.split(":")[0] for e in errors] == ["Row 3, column A (学号)", "Row 4, column D (培养方案)",
                                                 "Row 5, column D (培养方案)", "Row 5, column I (手机)"]
    assert "AB001" not in errors[0] and "ab001 already exists" in errors[0]


def _audit(db: Any, prefix: str) -> list[tuple[Any, ...]]:
    """The students' audit rows of one import, with the parts that differ between two imports removed."""
    with db.factory() as s:
        ids = {str(i): no for i, no in s.execute(select(Student.id, Student.student_no)
                                                 .where(Student.student_no.like(f"{prefix}%")))}
        rows = s.scalars(select(AuditLog).where(AuditLog.entity == "students", AuditLog.entity_id.in_(ids))
                         .order_by(AuditLog.id)).all()
        return [(r.action, r.username, ids[r.entity_id][len(prefix):],
                 {k: v for k, v in r.changes.items() if k not in ("id", "student_no")}) for r in rows]


def _count_bulk_saves(monkeypatch: pytest.MonkeyPatch, kind: str = "students") -> list[int]:
    """The row counts of a KIND's bulk saves that finished (the engine falls back to saving row by
    row when one raises, which would hide a broken bulk path from a comparison of the results)."""
    finished: list[int] = []
    spec = specs.SPECS[kind]
    real = spec.save_many
    assert real is not None

    def counted(session: Any, actor: Any, rows: list[dict[str, Any]]) -> Any:
        outcomes = real(session, actor, rows)
        finished.append(len(rows))
        return outcomes

    monkeypatch.setitem(specs.SPECS, kind, dataclasses.replace(spec, save_many=counted))
    return finished


def test_bulk_writes_the_same_records_versions_and_audit(ready: Any, tmp_path: Path, row_by_row: Any,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def rows(prefix: str, changed: bool) -> list[list[Any]]:
        return [
            [f"{prefix}1", "孙七" if changed else "孙六", 2025, "AI-ENG", "女", "在读", "西南大学", dt.date(2025, 9, 1),
             "13812345678", None],
            [f"{prefix}2", "周八", 2024, "AI-AUTO" if changed else "AI-ENG", None, "休学", None, None, None,
             "zhou@example.cn"],
            [f"{prefix}3", "吴九", 2025, "ai-eng", "男", None, "重庆大学", "2025/9/1", None, None],
            # what a COPY stream or a driver must escape: backslash, quotes, a line break, a tab
            [f"{prefix}4", "O'Brien \\ \"吴\"\n十" if changed else "Tab\tBack\\slash", 2023, "AI-ENG", None,
             "毕业" if changed else None, "重庆\\大学'", "2023-09-01", None, None],
        ]

    results = {}
    finished = _count_bulk_saves(monkeypatch)
    for prefix in ("X", "Y"):
        if prefix == "Y":
            assert finished == [4, 4]  # the bulk path wrote both X imports, no fallback
            row_by_row()
        first = run_import(ready.factory, cli_actor(), "students",
                           xlsx(tmp_path / f"{prefix}a.xlsx", rows(prefix, False)))
        again = run_import(ready.factory, cli_actor(), "students",
                           xlsx(tmp_path / f"{prefix}b.xlsx", rows(prefix, True)))
        assert first.committed and again.committed, first.errors + again.errors
        results[prefix] = (first.created, first.updated, again.created, again.updated, again.unchanged)
    # row 3 is the same again: unchanged, whichever path saved it
    assert results["X"] == results["Y"] == (4, 0, 0, 3, 1)

    with ready.factory() as s:
        def state(prefix: str) -> list[tuple[Any, ...]]:
            found = s.scalars(select(Student).where(Student.student_no.like(f"{prefix}%")).order_by(Student.student_no))
            return [(st.student_no[1:], st.name, st.cohort, st.programme.code, st.gender, st.status,
                     st.home_university.name if st.home_university else None, st.enrolled_on, st.phone, st.email,
                     st.version) for st in found]
        assert state("X") == state("Y")
        assert [v[-1] for v in state("X")] == [2, 2, 1, 2]  # a changed record moves on one version, an unchanged stays
        assert state("X")[3][1] == "O'Brien \\ \"吴\"\n十"

    bulk, single = _audit(ready, "X"), _audit(ready, "Y")
    assert bulk == single
    assert [(a, n) for a, _u, n, _c in bulk] == [(AuditAction.INSERT, "1"), (AuditAction.INSERT, "2"),
                                                 (AuditAction.INSERT, "3"), (AuditAction.INSERT, "4"),
                                                 (AuditAction.UPDATE, "1"), (AuditAction.UPDATE, "2"),
                                                 (AuditAction.UPDATE, "4")]
    assert bulk[4][3] == {"name": ["孙六", "孙七"]}
    assert bulk[3][3]["name"] == [None, "Tab Back\\slash"] and bulk[3][3]["enrolled_on"] == [None, "2023-09-01"]


COURSE_HEADER = ["课程代码", "课程名称", "学分", "课程类别", "学时", "开课单位", "共建企业"]


def test_courses_bulk_matches_row_by_row(ready: Any, tmp_path: Path, row_by_row: Any,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def sheet(name: str, rows: list[list[Any]], header: list[str] = COURSE_HEADER) -> Path:
        wb = Workbook()
        for row in [header, *rows]:
            wb.active.append(row)
        wb.save(tmp_path / name)
        return tmp_path / name

    def rows(prefix: str, changed: bool) -> list[list[Any]]:
        return [
            [f"{prefix}C1", "大模型原理", 3, "基础", 48, "重庆大学", None],
            [f"{prefix}C2", "车载数据平台" if changed else "车载平台", 2, "产业", None, "长安汽车研究院",
             "长安汽车" if changed else None],
            [f"{prefix}C3", "职业素养", 1.5, "其他", 24 if changed else 16, None, None],
        ]

    def errors_and_count(path: Path) -> tuple[list[str], int]:
        result = run_import(ready.factory, cli_actor(), "courses", path)
        assert not result.ok
        with ready.factory() as s:
            return [str(e) for e in result.errors], s.scalar(select(func.count()).select_from(Course))

    results, states, refusals = {}, {}, {}
    finished = _count_bulk_saves(monkeypatch, "courses")
    for prefix in ("X", "Y"):
        if prefix == "Y":
            assert finished[:2] == [3, 3]  # the bulk path wrote both X imports, no fallback
            row_by_row("courses")
        first = run_import(ready.factory, cli_actor(), "courses", sheet(f"{prefix}a.xlsx", rows(prefix, False)))
        again = run_import(ready.factory, cli_actor(), "courses", sheet(f"{prefix}b.xlsx", rows(prefix, True)))
        assert first.committed and again.committed, first.errors + again.errors
        results[prefix] = (first.created, first.updated, again.created, again.updated, again.unchanged)
        with ready.factory() as s:
            found = s.scalars(select(Course).where(Course.code.like(f"{prefix}C%")).order_by(Course.code))
            states[prefix] = [(c.code[1:], c.name, c.credits, c.category, c.hours,
                               c.provider.name if c.provider else None, c.partner.name if c.partner else None,
                               c.provider.kind if c.provider else None, c.version) for c in found]
        # refused: credits of 0, a case clash with an existing code, a new course without a category
        refusals[prefix] = errors_and_count(sheet(f"{prefix}bad.xlsx", [
            [f"{prefix}C4", "零学分", 0, "基础", None, None, None],
            [f"{prefix.lower()}c1", "大小写", 2, "基础", None, None, None],
            [f"{prefix}C5", "新课", 2, "产业", None, None, None],
        ]))
    assert results["X"] == results["Y"] == (3, 0, 0, 2, 1)
    assert states["X"] == states["Y"]
    assert [c[-1] for c in states["X"]] == [1, 2, 2]
    assert states["X"][1][5:8] == ("长安汽车研究院", "长安汽车", OrgKind.UNIVERSITY)  # 研究院: a university
    assert [e.replace("YC", "XC").replace("yc", "xc") for e in refusals["Y"][0]] == refusals["X"][0]
    assert [e.split(":")[0] for e in refusals["X"][0]] == ["Row 2, column C (学分)", "Row 3, column A (课程代码)"]
    assert (refusals["X"][1], refusals["Y"][1]) == (3, 6)  # nothing of the refused files written

    # a new course without a category (an import always has the column; a caller of the service may not)
    with ready.factory() as s:
        s.info["actor"] = cli_actor()
        with pytest.raises(ValidationError) as single:
            curriculum.save_course(s, cli_actor(), {"code": "ZC1", "name": "无类别", "credits": 2}, upsert=True)
        s.rollback()
        outcomes = curriculum.save_courses_bulk(s, cli_actor(), [{"code": "ZC1", "name": "无类别", "credits": 2},
                                                                 {"code": "XC1", "name": "大模型原理"}])
        s.rollback()
    assert outcomes[0].error is not None and outcomes[0].error.errors == single.value.errors == {
        "category": "This required field is empty."}
    assert outcomes[1] == RowOutcome(created=False)

    with ready.factory() as s:
        def audit(prefix: str) -> list[tuple[Any, ...]]:
            ids = {str(i): code for i, code in s.execute(select(Course.id, Course.code)
                                                         .where(Course.code.like(f"{prefix}C%")))}
            found = s.scalars(select(AuditLog).where(AuditLog.entity == "courses", AuditLog.entity_id.in_(ids))
                              .order_by(AuditLog.id))
            return [(r.action, ids[r.entity_id][1:], {k: v for k, v in r.changes.items()
                                                      if k not in ("id", "code", "provider_id", "partner_id")})
                    for r in found]
        assert audit("X") == audit("Y")
        assert [a for a, _n, _c in audit("X")] == [AuditAction.INSERT] * 3 + [AuditAction.UPDATE] * 2


MENTOR_HEADER = ["工号", "姓名", "单位", "导师类型", "职称", "指导上限", "手机", "邮箱"]
ASSIGNMENT_HEADER = ["学号", "工号", "导师类型", "开始日期", "结束日期"]
MENTOR_AUDITED = ("mentors", "mentor_qualifications", "organisations")


def _mentor_audit(s: Any, since: int, strip: Any = lambda name: name) -> list[tuple[Any, ...]]:
    """The audit rows of mentors, their qualifications and organisations written after audit row
    ``since``, with ids replaced by what they name (a staff number, (staff number, role), an
    organisation name; each through ``strip``), sorted: the bulk path writes every mentor's row before
    the qualifications', the row path mentor by mentor."""
    found = s.scalars(select(AuditLog).where(AuditLog.id > since, AuditLog.entity.in_(MENTOR_AUDITED))
                      .order_by(AuditLog.id)).all()
    staff = dict(s.execute(select(Mentor.id, Mentor.staff_no)).all())
    orgs = dict(s.execute(select(Organisation.id, Organisation.name)).all())
    quals = {str(q.id): (q.mentor_id, q.role.value) for q in s.scalars(select(MentorQualification))}
    for r in found:  # deleted qualifications are named by their own audit rows
        if r.entity == "mentor_qualifications" and "mentor_id" in r.changes:
            quals[r.entity_id] = (r.changes["mentor_id"][0] or r.changes["mentor_id"][1],
                                  r.changes["role"][0] or r.changes["role"][1])
    out = []
    for r in found:
        changes = {k: v for k, v in r.changes.items() if k != "id"}
        if r.entity == "mentors":
            who: Any = strip(staff[int(r.entity_id)])
            changes["staff_no"] = [strip(v) if v else v for v in changes.get("staff_no", [])]
            changes["organisation_id"] = [strip(orgs[v]) if v else v for v in changes.get("organisation_id", [])]
        elif r.entity == "mentor_qualifications":
            mentor_id, role = quals[r.entity_id]
            who = (strip(staff[mentor_id]), role)
            changes["mentor_id"] = [strip(staff[v]) if v else v for v in changes.get("mentor_id", [])]
        else:
            who = strip(orgs[int(r.entity_id)])
            changes["name"] = [strip(v) if v else v for v in changes.get("name", [])]
        out.append((r.action.value, r.username, r.entity, who, changes))
    return sorted(out, key=repr)


def _mentors(s: Any, like: str, strip: Any = lambda name: name) -> list[tuple[Any, ...]]:
    found = s.scalars(select(Mentor).where(Mentor.staff_no.like(like)).order_by(Mentor.staff_no))
    return [(strip(m.staff_no), m.name, strip(m.organisation.name), m.organisation.kind, m.title, m.phone, m.email,
             m.active, m.version, [(q.role, q.capacity, q.version) for q in m.qualifications]) for m in found]


def test_mentors_bulk_matches_row_by_row(ready: Any, tmp_path: Path, row_by_row: Any,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def rows(prefix: str, changed: bool) -> list[list[Any]]:
        return [
            # a new university; then a role removed (industry; academic, still held, stays)
            [f"{prefix}M1", "张一", f"{prefix}理工大学", "学术" if changed else "学术、产业", "教授", 8, None, None],
            # an existing company; then a name change only
            [f"{prefix}M2", "张贰" if changed else "张二", "长安汽车", "产业", None, 5, "13912345678", None],
            # an existing organisation of kind 'other' (becomes a company); then a role added and the
            # capacity changed (the new role gets it too)
            [f"{prefix}M3", "张三", f"{prefix}数据研究所", "学业、学术" if changed else "学业", None,
             9 if changed else None, None, None],
            # a new company; then the capacity of both roles changed
            [f"{prefix}M4", "张四", f"{prefix}智能科技有限公司", "学术、学业", "高级工程师", 4 if changed else 6, None,
             "m4@example.cn"],
        ] + ([[f"{prefix}M5", "张五", "长安汽车", "产业", None, None, None, None]] if changed else [])

    def import_errors(kind: str, path: Path) -> list[str]:
        result = run_import(ready.factory, cli_actor(), kind, path)
        assert not result.ok
        return [str(e) for e in result.errors]

    with ready.factory() as s:
        s.info["actor"] = cli_actor()
        s.add(Organisation(name="长安汽车", kind=OrgKind.COMPANY))
        s.commit()
    results, states, audits, refusals = {}, {}, {}, {}
    finished = _count_bulk_saves(monkeypatch, "mentors")
    for prefix in ("X", "Y"):
        if prefix == "Y":
            assert finished == [4, 5, 3]  # the bulk path saved (or refused) all three X files, no fallback
            row_by_row("mentors")
        with ready.factory() as s:
            s.info["actor"] = cli_actor()
            since = s.scalar(select(func.max(AuditLog.id)))
            s.add(Organisation(name=f"{prefix}数据研究所", kind=OrgKind.OTHER))
            s.commit()
        student = xlsx(tmp_path / f"{prefix}s.xlsx", [[f"S{prefix}1", "学生", 2025, "AI-ENG"] + [None] * 6])
        assert run_import(ready.factory, cli_actor(), "students", student).committed
        first = run_import(ready.factory, cli_actor(), "mentors",
                           xlsx(tmp_path / f"{prefix}a.xlsx", rows(prefix, False), MENTOR_HEADER))
        held = run_import(ready.factory, cli_actor(), "mentor-assignments", xlsx(
            tmp_path / f"{prefix}h.xlsx", [[f"S{prefix}1", f"{prefix}M1", "学术", "2025-09-01", None]],
            ASSIGNMENT_HEADER))
        again = run_import(ready.factory, cli_actor(), "mentors",
                           xlsx(tmp_path / f"{prefix}b.xlsx", rows(prefix, True), MENTOR_HEADER))
        assert first.committed and held.committed and again.committed, first.errors + held.errors + again.errors
        results[prefix] = (first.created, first.updated, again.created, again.updated)
        # refused: taking away a role still held (academic of M1), a staff number differing only in case
        # from M2's; the good row with a new organisation is not written either
        refusals[prefix] = import_errors("mentors", xlsx(tmp_path / f"{prefix}bad.xlsx", [
            [f"{prefix}M1", "张一", f"{prefix}理工大学", "产业", None, None, None, None],
            [f"{prefix.lower()}m2", "大小写", "长安汽车", "产业", None, None, None, None],
            [f"{prefix}M3", "张三", f"{prefix}另一大学", "学术", None, None, None, None],
        ], MENTOR_HEADER))

        def strip(name: str, prefix: str = prefix) -> str:
            return name[1:] if name.startswith(prefix) else name

        with ready.factory() as s:
            states[prefix] = _mentors(s, f"{prefix}M%", strip)
            audits[prefix] = _mentor_audit(s, since, strip)
            assert s.scalar(select(func.count()).select_from(Organisation).where(
                Organisation.name == f"{prefix}另一大学")) == 0

    assert results["X"] == results["Y"] == (4, 0, 1, 4)
    assert states["X"] == states["Y"]
    a, i, st = MentorRole.ACADEMIC, MentorRole.INDUSTRY, MentorRole.STUDY
    assert [(m[0], m[2], m[3], m[8], m[9]) for m in states["X"]] == [
        ("M1", "理工大学", OrgKind.UNIVERSITY, 1, [(a, 8, 1)]),  # a role change leaves the mentor's version
        ("M2", "长安汽车", OrgKind.COMPANY, 2, [(i, 5, 1)]),
        ("M3", "数据研究所", OrgKind.OTHER, 1, [(a, 9, 1), (st, 9, 2)]),  # an organisation keeps its kind
        ("M4", "智能科技有限公司", OrgKind.COMPANY, 1, [(a, 4, 2), (st, 4, 2)]),
        ("M5", "长安汽车", OrgKind.COMPANY, 1, [(i, 8, 1)]),
    ]
    assert audits["X"] == audits["Y"]
    changes = [(action, entity, who) for action, _u, entity, who, _c in audits["X"]]
    assert ("delete", "mentor_qualifications", ("M1", "industry")) in changes  # the removed role is audited
    assert not any(entity == "organisations" and action == "update" for action, entity, _w in changes)
    assert Counter((action, entity) for action, entity, _who in changes) == {
        ("insert", "organisations"): 3,  # the test's 'other' one, two new (the 'other' one keeps its kind)
        ("insert", "mentors"): 5, ("update", "mentors"): 1,  # M2's name
        ("insert", "mentor_qualifications"): 6 + 2,  # first import; M3's academic and M5's industry
        ("update", "mentor_qualifications"): 3,  # M3's study, M4's two
        ("delete", "mentor_qualifications"): 1}
    assert [e.replace("YM", "XM").replace("ym", "xm") for e in refusals["Y"]] == refusals["X"]
    assert [e.split(":")[0] for e in refusals["X"]] == ["Row 2, column D (导师类型)", "Row 3, column A (工号)"]
    assert "still held for 1 students" in refusals["X"][0] and "xm2 already exists" in refusals["X"][1]


def test_mentors_bulk_service_matches_save_mentor(ready: Any) -> None:
    """What an import file cannot ask (it always has the roles column) but a caller of the service can:
    each batch through save_mentor row by row and through save_mentors_bulk, from the same state."""
    actor = cli_actor()
    a, i, st = MentorRole.ACADEMIC, MentorRole.INDUSTRY, MentorRole.STUDY
    with ready.factory() as s:
        s.info["actor"] = actor
        people.save_mentor(s, actor, {"staff_no": "SM1", "name": "李一", "organisation": "重庆大学",
                                      "roles": [a, i]}, upsert=True)
        people.save_mentor(s, actor, {"staff_no": "SM2", "name": "李二", "organisation": "长安汽车",
                                      "roles": [i, st], "capacity": 5}, upsert=True)
        s.commit()
    with ready.factory() as s:  # SM1's academic role is held for a student
        s.info["actor"] = actor
        mentoring.import_assignment(s, actor, {"student_no": "AB001", "staff_no": "SM1", "role": a,
                                               "start": dt.date(2025, 9, 1)})
        s.commit()

    def run(bulk: bool, rows: list[dict[str, Any]]) -> tuple[Any, ...]:
        with ready.factory() as s:
            s.info["actor"] = actor
            since = s.scalar(select(func.max(AuditLog.id)))
            if bulk:
                with s.begin_nested():
                    outcomes = [(o.created, o.error.errors if o.error else None)
                                for o in people.save_mentors_bulk(s, actor, rows)]
            else:
                outcomes = []
                for values in rows:
                    try:
                        with s.begin_nested():
                            outcomes.append((people.save_mentor(s, actor, values, upsert=True)[1], None))
                    except ValidationError as exc:
                        outcomes.append((False, exc.errors))
            if any(error for _c, error in outcomes):  # the import engine writes nothing then
                return [error for _c, error in outcomes], None, None
            found = (outcomes, _mentors(s, "%"), _mentor_audit(s, since))
            s.rollback()
            return found

    batches = {
        # capacity only: every role the mentor has, no role added or taken away
        "capacity": [{"staff_no": "SM1", "capacity": 3}, {"staff_no": "SM2", "name": "李贰", "capacity": 5}],
        # a capacity per role (a role not named keeps its capacity; a new one gets 8); a role taken away
        "per role": [{"staff_no": "SM1", "roles": [a, st], "capacity": {a: 2}},
                     {"staff_no": "SM2", "roles": [i], "capacity": {i: 6, st: 1}},
                     {"staff_no": "SM3", "name": "李三", "organisation": "李三工作室", "roles": [st],
                      "capacity": {a: 1}}],
        "nothing": [{"staff_no": "SM1"}, {"staff_no": "SM2", "name": "李二"}],
        # refused: a new mentor without roles, an existing one given none, a role still held, no
        # organisation; each row its own reason
        "refused": [{"staff_no": "SM9", "name": "无类型", "organisation": "重庆大学"},
                    {"staff_no": "SM2", "roles": []},
                    {"staff_no": "SM1", "roles": [st]},
                    {"staff_no": "SM8", "name": "无单位", "organisation": "", "roles": [a]},
                    {"staff_no": "SM7", "name": "可以", "organisation": "重庆大学", "roles": [a]}],
    }
    for name, rows in batches.items():
        assert run(True, rows) == run(False, rows), name
    errors = run(True, batches["refused"])[0]
    assert errors == [{"roles": "A mentor needs at least one role."}, {"roles": "A mentor needs at least one role."},
                      {"roles": "Role Academic mentor is still held for 1 students; end those assignments first."},
                      {"organisation": "The organisation is required."}, None]
    outcomes, state, audit = run(True, batches["per role"])
    assert outcomes == [(False, None), (False, None), (True, None)]
    assert [(m[0], m[9]) for m in state] == [("SM1", [(a, 2, 2), (st, 8, 1)]), ("SM2", [(i, 6, 2)]),
                                             ("SM3", [(st, 8, 1)])]
    assert sorted((act, who) for act, _u, entity, who, _c in audit if entity == "mentor_qualifications") == [
        ("delete", ("SM1", "industry")), ("delete", ("SM2", "study")), ("insert", ("SM1", "study")),
        ("insert", ("SM3", "study")), ("update", ("SM1", "academic")), ("update", ("SM2", "industry"))]
    assert run(True, batches["nothing"])[2] == []


def test_new_ids_are_the_rows_ids_also_below_the_largest_id(db: Any) -> None:
    """A record given a high id by hand leaves PostgreSQL's sequence below it: the rows inserted next
    get ids under the largest one, from the sequence (SQLite numbers them above it); either way the
    ids handed back are the ones the rows have."""
    from sqlalchemy import insert

    from db.models import Organisation, OrgKind

    table = Organisation.__table__
    now = dt.datetime(2026, 1, 1)

    def row(name: str) -> dict[str, Any]:
        return {"name": name, "kind": OrgKind.COMPANY, "version": 1, "created_at": now, "updated_at": now}

    with db.factory() as s, s.begin():
        s.execute(insert(table), [{**row("手工编号"), "id": 5000}])
        ids = records.insert_reading_ids(s, table, [row("华为"), row("长安汽车"), row("赛力斯")], ("name",))
        assert ids == dict(((name,), oid) for oid, name in s.execute(
            select(table.c.id, table.c.name).where(table.c.name != "手工编号")))
        assert len(ids) == 3


SESSION_HEADER = ["工号", "学号", "日期", "时长(分钟)", "方式", "主题"]
TASK_HEADER = ["工号", "学号", "任务名称", "布置日期", "截止日期", "状态", "提交日期", "评阅日期", "评分", "评语"]
D = dt.date


@pytest.fixture
def mentored(ready: Any, tmp_path: Path) -> Any:
    """Mentors H1 (industry) and A1 (academic); students S1 (H1's mentee), S2 (H1's until 2026-01-01) and
    S3 (A1's)."""
    steps = [
        ("mentors", MENTOR_HEADER, [["H1", "韩一", "长安汽车", "产业", None, 8, None, None],
                                    ["A1", "安一", "重庆大学", "学术", "教授", 8, None, None]]),
        ("students", HEADER, [[f"S{i}", f"学生{i}", 2025, "AI-ENG", None, None, None, None, None, None]
                              for i in (1, 2, 3)]),
        ("mentor-assignments", ASSIGNMENT_HEADER, [["S1", "H1", "产业", D(2025, 9, 1), None],
                                                   ["S2", "H1", "产业", D(2025, 9, 1), D(2026, 1, 1)],
                                                   ["S3", "A1", "学术", D(2025, 9, 1), None]]),
    ]
    for kind, header, rows in steps:
        result = run_import(ready.factory, cli_actor(), kind, xlsx(tmp_path / f"{kind}.xlsx", rows, header))
        assert result.committed, result.errors
    with ready.factory() as s:
        ready.h1 = s.scalar(select(Mentor.id).where(Mentor.staff_no == "H1"))
    return ready


def _mentee_records(db: Any, kind: str, path: Path, actor: Any = None) -> tuple[Any, ...]:
    result = run_import(db.factory, actor or cli_actor(), kind, path)
    return (result.committed, result.created, result.updated, result.unchanged, [str(e) for e in result.errors])


@pytest.mark.parametrize("kind", ["sessions", "assignments"])
def test_sessions_and_tasks_bulk_refuses_what_row_by_row_refuses(mentored: Any, tmp_path: Path, row_by_row: Any,
                                                                 monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    future = dt.date.today() + dt.timedelta(days=3)
    if kind == "sessions":
        header, rows = SESSION_HEADER, [
            ["H1", "S1", D(2025, 10, 1), 60, "面谈", "可以"],
            ["ZZ9", "S1", D(2025, 10, 1), 60, None, None],  # no such mentor
            ["H1", "S404", D(2025, 10, 1), 60, None, None],  # no such student
            ["H1", "S3", D(2025, 10, 1), 60, None, None],  # not H1's mentee
            ["H1", "S2", D(2026, 2, 1), 60, None, None],  # no longer H1's mentee on that day
            ["H1", "S1", future, 60, None, None],  # in the future
            ["H1", "S1", D(2025, 10, 2), 0, None, None],  # no duration
            ["h1", "s1", D(2025, 8, 31), 60, None, None],  # before the assignment (numbers in lower case)
            ["H1", "S2", D(2025, 10, 1), 30, None, None],  # fine for an administrator; not for H1 today
            ["A1", "S3", D(2025, 10, 1), 30, None, None],  # fine for an administrator; not for H1 at all
        ]
    else:
        header, rows = TASK_HEADER, [
            ["H1", "S1", "可以", D(2025, 10, 1), D(2025, 10, 20), None, None, None, None, None],
            ["ZZ9", "S1", "无导师", D(2025, 10, 1), D(2025, 10, 20), None, None, None, None, None],
            ["H1", "S3", "非学生", D(2025, 10, 1), D(2025, 10, 20), None, None, None, None, None],
            ["H1", "S1", "倒置", D(2025, 10, 21), D(2025, 10, 20), None, None, None, None, None],
            ["H1", "S1", "未提交先评阅", D(2025, 10, 1), D(2025, 10, 20), "已评阅", None, D(2025, 10, 9), 90, None],
            ["H1", "S1", "将来", future, future, None, None, None, None, None],
            ["H1", "S2", "结束后", D(2026, 2, 1), D(2026, 2, 9), None, None, None, None, None],
            ["A1", "S3", "他人", D(2025, 10, 1), D(2025, 10, 20), None, None, None, None, None],
        ]
    path = xlsx(tmp_path / "bad.xlsx", rows, header)
    h1 = Actor("h1", Role.MENTOR, mentor_id=mentored.h1)

    def refusals(actor: Any = None) -> tuple[bool, list[str]]:  # (the counts of a refused file mean nothing)
        committed, *_counts, errors = _mentee_records(mentored, kind, path, actor)
        return committed, errors
    finished = _count_bulk_saves(monkeypatch, kind)
    bulk = [refusals(), refusals(h1)]
    assert finished == [len(rows)] * 2  # the bulk path judged every row itself (no fallback)
    with monkeypatch.context() as m:  # many keys: several chunks per query
        m.setattr(records, "_CHUNK", 2)
        assert [refusals(), refusals(h1)] == bulk
    row_by_row(kind)
    assert [refusals(), refusals(h1)] == bulk
    as_admin, as_h1 = bulk
    assert not as_admin[0] and not as_h1[0]
    refused_rows = [int(e.split(",")[0].split()[-1]) for e in as_admin[1]]
    fine = 2 if kind == "sessions" else 1  # the last rows: fine for an administrator, not for H1
    assert refused_rows == list(range(3, len(rows) + 2 - fine))
    # H1 is refused also the rows of students who are not their current mentees
    assert len(as_h1[1]) == len(as_admin[1]) + fine
    assert any("current mentees" in e for e in as_h1[1])
    with mentored.factory() as s:
        assert s.scalar(select(func.count()).select_from(MentoringSession)) == 0
        assert s.scalar(select(func.count()).select_from(Task)) == 0


@pytest.mark.parametrize("kind", ["sessions", "assignments"])
def test_sessions_and_tasks_bulk_writes_what_row_by_row_writes(mentored: Any, tmp_path: Path, row_by_row: Any,
                                                               monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    """Each path imports a first file and then a corrected one, on its own days (X in October, Y in
    November): the same counts, records, versions and audit rows, day for day."""
    def rows(base: dt.date, second: bool) -> list[list[Any]]:
        day = [base + dt.timedelta(days=i) for i in range(40)]
        if kind == "sessions":
            return [
                ["H1", "S1", day[0], 90 if second else 60, "面谈", "实习"],
                ["H1", "S1", day[0], 30, "线上", "实习"],  # a second session on that day and topic
                ["H1", "S1", day[2], 45, None if second else "企业现场", None],  # no 方式: the session keeps its own
                *([["H1", "S1", day[0], 20, None, "实习"]] if second else []),  # a third one
                ["H1", "S2", day[3], 50, "线上", "O'Brien \\ \"吴\"\n十"],
            ]
        return [
            ["H1", "S1", "综述", day[0], day[20], None, day[10] if second else None, None, None, None],
            ["H1", "S1", "开题", day[0], day[30], "已评阅", day[5], day[6], 88, None if second else "很好"],
            ["H1", "S2", "报告", day[1], day[9], None, None, None, None, "x" if second else None],
        ]

    model = MentoringSession if kind == "sessions" else Task
    day_column = "held_on" if kind == "sessions" else "assigned_on"
    header = SESSION_HEADER if kind == "sessions" else TASK_HEADER
    counts, states, audits = {}, {}, {}
    finished = _count_bulk_saves(monkeypatch, kind)
    for prefix, base in (("X", D(2025, 10, 1)), ("Y", D(2025, 11, 1))):
        if prefix == "Y":
            assert finished == [len(rows(base, False)), len(rows(base, True))]  # no fallback
            row_by_row(kind)
        counts[prefix] = [_mentee_records(mentored, kind, xlsx(tmp_path / f"{prefix}{n}.xlsx", rows(base, n == 1),
                                                               header)) for n in (0, 1)]
        with mentored.factory() as s:
            first, last = base, base + dt.timedelta(days=29)
            found = s.scalars(select(model).where(getattr(model, day_column).between(first, last)).order_by(model.id))

            def shifted(value: Any) -> Any:
                is_day = isinstance(value, dt.date) and not isinstance(value, dt.datetime)
                return (value - base).days if is_day else value

            skip = ("id", "created_at", "updated_at")
            states[prefix] = [{c.key: shifted(getattr(r, c.key)) for c in model.__table__.columns if c.key not in skip}
                              for r in found]
            ids = {str(r["id"]) for r in s.execute(select(model.id).where(
                getattr(model, day_column).between(first, last))).mappings()}
            audits[prefix] = [(a.action, a.username, {k: v for k, v in a.changes.items() if k != "id"})
                              for a in s.scalars(select(AuditLog).where(AuditLog.entity == model.__tablename__,
                                                                        AuditLog.entity_id.in_(ids))
                                                 .order_by(AuditLog.id))]
    assert counts["X"] == counts["Y"]
    assert states["X"] == states["Y"]
    if kind == "sessions":
        assert [c[1:4] for c in counts["X"]] == [(4, 0, 0), (1, 1, 3)]
        assert [(r["minutes"], r["kind"], r["version"]) for r in states["X"]] == [
            (90, SessionKind.IN_PERSON, 2), (30, SessionKind.ONLINE, 1), (45, SessionKind.ONSITE, 1),
            (50, SessionKind.ONLINE, 1), (20, SessionKind.IN_PERSON, 1)]
        assert states["X"][3]["topic"] == "O'Brien \\ \"吴\"\n十"
    else:
        assert [c[1:4] for c in counts["X"]] == [(3, 0, 0), (0, 2, 1)]
        assert [(r["status"], r["feedback"], r["version"]) for r in states["X"]] == [
            (TaskStatus.SUBMITTED, None, 2), (TaskStatus.REVIEWED, "很好", 1), (TaskStatus.ASSIGNED, "x", 2)]

    def dated(audit: list[Any], base: dt.date) -> list[Any]:  # the days in the audit rows, as offsets
        def shift(v: Any) -> Any:
            if isinstance(v, str) and len(v) == 10 and v[4] == "-":
                return (dt.date.fromisoformat(v) - base).days
            return v
        return [(a, u, {k: [shift(x) for x in pair] for k, pair in c.items()}) for a, u, c in audit]
    # the same audit rows (the bulk path writes an import's new records' rows before its changed ones')
    bulk, single = dated(audits["X"], D(2025, 10, 1)), dated(audits["Y"], D(2025, 11, 1))
    assert sorted(map(repr, bulk)) == sorted(map(repr, single))
    assert [a for a, _u, _c in bulk].count(AuditAction.UPDATE) == (2 if kind == "assignments" else 1)


@pytest.mark.parametrize("kind", ["sessions", "assignments", "enrolments"])
def test_a_sheet_costs_the_same_statements_whatever_its_length(mentored: Any, tmp_path: Path, kind: str) -> None:
    """Over an office network every statement is a round trip: a returned logbook of 300 sessions must
    not cost 6 per row (it did: ~1,800 round trips, ~9 s at 5 ms), nor a term's scores 7 per row.
    New rows, then the same file again."""
    from roundtrips import counting

    if kind == "enrolments":
        courses = [[f"C{i:03d}", f"课程{i}", 2, "基础", None, None, None] for i in range(100)]
        assert run_import(mentored.factory, cli_actor(), "courses",
                          xlsx(tmp_path / "courses.xlsx", courses, COURSE_HEADER)).committed

    def sheet(n: int, first: dt.date) -> Path:
        days = [first + dt.timedelta(days=i % 90) for i in range(n)]
        if kind == "enrolments":  # one term: 2025-2026-1 for the small file, 2025-2026-2 for the big one
            term = f"2025-2026-{1 if first.month > 8 else 2}"
            rows = [[f"S{1 + i % 3}", f"C{i // 3:03d}", term, 50 + i % 50, None] for i in range(n)]
            return xlsx(tmp_path / f"{kind}{n}.xlsx", rows, ENROLMENT_HEADER)
        if kind == "sessions":
            rows = [["H1", "S1", d, 30 + i % 60, "线上", f"主题{i % 7}"] for i, d in enumerate(days)]
            return xlsx(tmp_path / f"{kind}{n}.xlsx", rows, SESSION_HEADER)
        rows = [["H1", "S1", f"任务{i}", d, d + dt.timedelta(days=7), None, None, None, None, None]
                for i, d in enumerate(days)]
        return xlsx(tmp_path / f"{kind}{n}.xlsx", rows, TASK_HEADER)

    costs = []
    for n, first in ((10, D(2025, 9, 1)), (300, D(2026, 2, 1))):
        path = sheet(n, first)
        for _again in range(2):
            with counting() as count:
                result = run_import(mentored.factory, cli_actor(), kind, path)
            assert result.committed and result.created + result.unchanged == n, result.errors
            costs.append(sum(1 for line in count.log if not line.startswith("-- ") or "SAVEPOINT" in line))
    small_new, small_again, big_new, big_again = costs
    assert (big_new, big_again) == (small_new, small_again), count.report()
    assert big_new <= 16, count.report()


ENROLMENT_HEADER = ["学号", "课程代码", "学期", "成绩", "通过日期"]


def test_enrolments_bulk_matches_row_by_row(ready: Any, tmp_path: Path, row_by_row: Any,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A term's scores: the same refusals, notices (a course outside the student's plan), records,
    versions and audit rows on both paths; each path on its own students (X…, Y…)."""
    steps = [
        ("courses", COURSE_HEADER, [["AGI1", "大模型原理", 3, "基础", 48, None, None],
                                    ["IND1", "车载数据平台", 2, "产业", None, None, None],
                                    ["OUT1", "职业素养", 1, "其他", None, None, None]]),
        ("programme-courses", ["方案代码", "课程代码"], [["AI-ENG", "AGI1"], ["AI-ENG", "IND1"]]),
        ("students", HEADER, [[f"{p}{i}", f"学生{p}{i}", 2025, "AI-ENG", None, None, None, None, None, None]
                              for p in "XY" for i in (1, 2)]),
    ]
    for kind, header, rows in steps:
        result = run_import(ready.factory, cli_actor(), kind, xlsx(tmp_path / f"{kind}.xlsx", rows, header))
        assert result.committed, result.errors

    def rows(p: str, second: bool) -> list[list[Any]]:
        return [
            [f"{p}1", "agi1", "2025-2026-1", 55 if second else 92, None if second else "2026-01-10"],  # now fails
            [f"{p}1", "IND1", "2025-2026-1", "优", None],
            [f"{p}2", "AGI1", "2025-2026-1", 75 if second else None, None],  # the score comes later
            [f"{p}2", "OUT1", "2025-2026-2", "及格", "2026-03-01" if second else None],  # outside the plan; new term
        ]

    def refused(p: str) -> list[list[Any]]:
        return [
            [f"{p}1", "AGI1", "2025-2026-1", 80, None],
            [f"{p}9", "AGI1", "2025-2026-1", 80, None],  # no such student
            [f"{p}1", "NOPE", "2025-2026-1", 80, None],  # no such course
            [f"{p}2", "IND1", "2025-2026-1", 40, "2026-01-05"],  # a pass date for a failing score
            [f"{p}2", "IND1", "2026-2027-1", 90, "2026-08-01"],  # passed before the term starts
        ]

    def run(path: Path) -> tuple[Any, ...]:
        result = run_import(ready.factory, cli_actor(), "enrolments", path)
        counts = (result.created, result.updated, result.unchanged) if result.committed else ()
        return result.committed, counts, [str(e) for e in result.errors], result.notices

    outcome: dict[str, Any] = {}
    finished = _count_bulk_saves(monkeypatch, "enrolments")
    for p in ("X", "Y"):
        if p == "Y":
            assert finished == [4, 4, 5]  # the bulk path judged every file itself (no fallback)
            row_by_row("enrolments")
        runs = [run(xlsx(tmp_path / f"{p}{n}.xlsx", rows(p, n == 1), ENROLMENT_HEADER)) for n in (0, 1)]
        runs.append(run(xlsx(tmp_path / f"{p}bad.xlsx", refused(p), ENROLMENT_HEADER)))
        with ready.factory() as s:
            state = [(e.student.student_no[1:], e.course.code, e.term.code, e.score_text, e.score, e.passed,
                      e.passed_on, e.version) for e in s.scalars(select(Enrolment).join(Student).where(
                          Student.student_no.like(f"{p}%")).order_by(Enrolment.id))]
            ids = {str(e.id): (e.student.student_no[1:], e.course.code) for e in s.scalars(
                select(Enrolment).join(Student).where(Student.student_no.like(f"{p}%")))}
            audit = sorted(repr((a.action, ids[a.entity_id], {k: v for k, v in a.changes.items()
                                                               if k not in ("id", "student_id")}))
                           for a in s.scalars(select(AuditLog).where(AuditLog.entity == "enrolments",
                                                                     AuditLog.entity_id.in_(ids))))
        outcome[p] = (json_like(runs, p), state, audit)
    assert outcome["X"] == outcome["Y"]
    runs, state, _audit = outcome["X"]
    assert [r[:2] for r in runs] == [(True, (4, 0, 0)), (True, (0, 3, 1)), (False, ())]
    assert [n.split(":")[0] for n in runs[0][3]] == ["Row 5"] and "OUT1" in runs[0][3][0]
    assert [e.split(":")[0] for e in runs[2][2]] == ["Row 3, column A (学号)", "Row 4, column B (课程代码)",
                                                    "Row 5, column E (通过日期)", "Row 6, column E (通过日期)"]
    assert state == [("1", "AGI1", "2025-2026-1", "55", 55.0, False, None, 2),
                     ("1", "IND1", "2025-2026-1", "优", 95.0, True, None, 1),
                     ("2", "AGI1", "2025-2026-1", "75", 75.0, True, None, 2),
                     ("2", "OUT1", "2025-2026-2", "及格", 65.0, True, dt.date(2026, 3, 1), 2)]


def json_like(value: Any, prefix: str) -> Any:
    """``value`` with the student numbers' prefix taken out of its texts (to compare X's and Y's)."""
    if isinstance(value, str):
        return value.replace(prefix, "?")
    if isinstance(value, (list, tuple)):
        return type(value)(json_like(v, prefix) for v in value)
    return value
