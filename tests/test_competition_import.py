"""The `projects` and `companies` import KINDs: columns as DESIGN.md section 5 lists them, every bad row
reported on its column, nothing written when anything is wrong."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import filled_once  # type: ignore[import-not-found]
from openpyxl import Workbook
from sqlalchemy import func, select

from db import competition as c
from db.actor import Actor, unit_of_work
from db.curriculum import save_programme
from db.models import Company, MentorRole, Project, ProjectMember, Season, Stage, StageChange, Track
from db.people import save_mentor, save_student
from forms.importer import run_import
from forms.templates import write_template


def xlsx(path: Path, rows: list[list[Any]]) -> Path:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


@pytest.fixture
@filled_once
def academy(db: Any, admin: Actor) -> Any:
    with unit_of_work(db.factory, admin) as s:
        save_programme(s, admin, {"code": "P1", "name": "人工智能工程"})
        for i in range(1, 5):
            save_student(s, admin, {"student_no": f"2025{i:06d}", "name": f"学生{i}", "cohort": 2025,
                                    "programme": "P1"})
        save_mentor(s, admin, {"staff_no": "CQU0001", "name": "刘教授", "organisation": "重庆大学",
                               "roles": [MentorRole.ACADEMIC]})
    return db


HEADER = ["项目编号", "项目名称", "赛季", "赛道", "负责人学号", "成员学号", "指导导师工号", "支持企业", "阶段",
          "报名日期"]


def test_projects_import_creates_the_season_team_and_one_stage_change(academy: Any, admin: Actor,
                                                                      tmp_path: Path) -> None:
    path = xlsx(tmp_path / "p.xlsx", [
        HEADER,
        ["YJ2026-0001", "养老陪护机器人", 2026, "智能机器人", "2025000001", "2025000002、李四(重庆邮电大学)", "CQU0001",
         "长安汽车", "", "2026年3月15日"],
        ["YJ2026-0002", "车载语音助手", "２０２６", " 消费类AI终端 ", 2025000003, "2025000004,2025000001", None, None,
         "路演", dt.datetime(2026, 3, 20)],
        ["YJ2026-0003", "工业质检大模型", 2026, "人工智能软件", "2025000004", None, None, None, "finalist",
         "2026/3/21"],
    ])
    result = run_import(academy.factory, admin, "projects", path)
    assert result.committed, [str(e) for e in result.errors]
    assert (result.created, result.updated) == (3, 0)
    with academy.factory() as s:
        season = s.scalar(select(Season))
        assert season.year == 2026 and [t.name for t in season.tracks] == ["智能机器人", "消费类AI终端", "人工智能软件",
                                                                            "其他"]
        stages = dict(s.execute(select(Project.code, Project.stage)).all())
        assert stages == {"YJ2026-0001": Stage.SUBMITTED, "YJ2026-0002": Stage.ROADSHOW,
                          "YJ2026-0003": Stage.FINALIST}
        changes = s.execute(select(Project.code, StageChange.from_stage, StageChange.to_stage, StageChange.reason)
                            .join(Project).order_by(Project.code)).all()
        assert [tuple(r) for r in changes] == [("YJ2026-0001", None, Stage.SUBMITTED, None),
                                               ("YJ2026-0002", None, Stage.ROADSHOW, "Imported at this stage"),
                                               ("YJ2026-0003", None, Stage.FINALIST, "Imported at this stage")]
        d = c.project_detail(s, admin, s.scalar(select(Project.id).where(Project.code == "YJ2026-0001")))
        assert [(m.student_no, m.name, m.organisation) for m in d.members] == [
            ("2025000001", "学生1", None), ("2025000002", "学生2", None), (None, "李四", "重庆邮电大学")]
        assert [m.staff_no for m in d.mentors] == ["CQU0001"] and d.sponsor == "长安汽车"
    # importing the same file again updates, never duplicates
    again = run_import(academy.factory, admin, "projects", path)
    assert again.committed and (again.created, again.updated, again.unchanged) == (0, 0, 3)
    with academy.factory() as s:
        assert s.scalar(select(func.count(ProjectMember.id))) == 7
        assert s.scalar(select(func.count(StageChange.id))) == 3
        assert s.scalar(select(func.count(Track.id))) == 4


def test_bad_project_rows_are_reported_on_their_columns(academy: Any, admin: Actor, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "bad.xlsx", [
        HEADER,
        ["YJ-1", "好项目", 2026, "智能机器人", "2025000001", None, None, None, None, "2026-03-01"],
        ["YJ-2", "负责人不是学生", 2026, "智能机器人", "T0001", None, None, None, None, "2026-03-01"],
        ["YJ-3", "赛道不存在", 2026, "区块链", "2025000001", None, None, None, None, "2026-03-01"],
        ["YJ-4", "阶段写错", 2026, "其他", "2025000001", None, None, None, "晋级", "2026-03-01"],
        ["YJ-1", "重复编号", 2026, "其他", "2025000002", None, None, None, None, "2026-03-02"],
        ["YJ-6", "成员学号不存在", 2026, "其他", "2025000002", "2025999999", None, None, None, "2026-03-02"],
        ["YJ-7", "直接退出", 2026, "其他", "2025000002", None, None, None, "已退出", "2026-03-02"],
    ])
    result = run_import(academy.factory, admin, "projects", path)
    assert not result.committed
    got = {(e.row, e.field) for e in result.errors}
    # 直接退出 without its 退出原因: the reason is what is missing
    assert got == {(3, "lead"), (4, "track"), (5, "stage"), (6, "code"), (7, "members"), (8, "drop_reason")}
    lead = next(e for e in result.errors if e.row == 3)
    assert lead.column == "E" and "must be a student of the academy" in lead.reason
    with academy.factory() as s:
        assert s.scalar(select(func.count(Project.id))) == 0
        assert s.scalar(select(func.count(Season.id))) == 0


def test_a_dropped_project_is_imported_with_its_reason(academy: Any, admin: Actor, tmp_path: Path) -> None:
    """DESIGN §5: 退出原因 is required with 已退出. A season that had dropped projects imports (and
    imports again unchanged); a drop reason on a project that is not dropped is refused on its column."""
    head = [*HEADER, "退出原因"]
    rows = [head,
            ["YJ2026-0001", "养老陪护机器人", 2026, "智能机器人", "2025000001", None, None, None, "已退出",
             "2026-03-15", "团队成员毕业离校"],
            ["YJ2026-0002", "车载语音助手", 2026, "其他", "2025000002", None, None, None, "路演", "2026-03-16", None]]
    path = xlsx(tmp_path / "d.xlsx", rows)
    result = run_import(academy.factory, admin, "projects", path)
    assert result.committed, [str(e) for e in result.errors]
    with academy.factory() as s:
        dropped = s.scalar(select(Project).where(Project.code == "YJ2026-0001"))
        assert (dropped.stage, dropped.drop_reason) == (Stage.DROPPED, "团队成员毕业离校")
        history = s.scalars(select(StageChange).where(StageChange.project_id == dropped.id)).all()
        assert [(h.to_stage, h.reason) for h in history] == [(Stage.DROPPED, "团队成员毕业离校")]
    again = run_import(academy.factory, admin, "projects", path)
    assert again.committed and (again.created, again.updated, again.unchanged) == (0, 0, 2)
    wrong = run_import(academy.factory, admin, "projects", xlsx(tmp_path / "w.xlsx", [
        head, [*rows[2][:10], "不该有原因"]]))
    assert [(e.row, e.column, e.field) for e in wrong.errors] == [(2, "K", "drop_reason")]


def test_moving_a_project_back_by_import_is_refused_on_its_row(academy: Any, admin: Actor, tmp_path: Path) -> None:
    """Re-importing an older file would move a project back a stage, which needs a reason the file has
    no column for: refused, and the message is the row's (not 'column reason', which the user would
    look for in vain); the project keeps its stage."""
    row = ["YJ2026-0001", "养老陪护机器人", 2026, "智能机器人", "2025000001", None, None, None, "路演", "2026-03-15"]
    assert run_import(academy.factory, admin, "projects", xlsx(tmp_path / "a.xlsx", [HEADER, row])).committed
    back = run_import(academy.factory, admin, "projects",
                      xlsx(tmp_path / "b.xlsx", [HEADER, [*row[:8], "已报名", row[9]]]))
    (error,) = back.errors
    assert (error.row, error.column, error.header) == (2, "", "")
    assert str(error).startswith("Row 2: Moving a project back") and "needs a reason" in str(error)
    with academy.factory() as s:
        assert s.scalar(select(Project.stage)) is Stage.ROADSHOW


def test_companies_import_checks_the_credit_code(academy: Any, admin: Actor, tmp_path: Path) -> None:
    with unit_of_work(academy.factory, admin) as s:
        c.save_project(s, admin, {"code": "YJ-1", "title": "机器人", "season": 2026, "track": "智能机器人",
                                  "lead": "2025000001", "submitted_on": dt.date(2026, 3, 1)})
    header = ["统一社会信用代码", "企业名称", "项目编号", "注册日期", "融资额（万元）", "员工数"]
    bad = xlsx(tmp_path / "bad.xlsx", [
        header,
        ["91500000MA5U7E2X4X", "重庆智湾机器人科技有限公司", "YJ-1", "2026-10-20", 300, 12],
        ["91500000MA5U7E2X4K", "校验码错误", "YJ-1", "2026-10-20", None, None],
        ["91500000MA5U7E2X4", "位数不够", "YJ-1", "2026-10-20", None, None],
        ["9144030071526726XG", "项目不存在", "YJ-9", "2026-10-20", None, None],
        ["914403001922038216", "融资为负", "YJ-1", "2026-10-20", -5, None],
    ])
    result = run_import(academy.factory, admin, "companies", bad)
    assert {(e.row, e.field) for e in result.errors} == {(3, "uscc"), (4, "uscc"), (5, "project"), (6, "funding")}
    check = next(e for e in result.errors if e.row == 3)
    assert check.reason.endswith("the check character should be X.")
    with academy.factory() as s:
        assert s.scalar(select(func.count(Company.id))) == 0
        assert s.scalar(select(Project.stage)) is Stage.SUBMITTED
    good = xlsx(tmp_path / "good.xlsx", [header, ["91500000ma5u7e2x4x", "重庆智湾机器人科技有限公司", "YJ-1",
                                                  "2026年10月20日", "300", 12]])
    result = run_import(academy.factory, admin, "companies", good)
    assert result.committed, [str(e) for e in result.errors]
    with academy.factory() as s:
        company = s.scalar(select(Company))
        assert (company.uscc, company.funding, company.employees) == ("91500000MA5U7E2X4X", 300.0, 12)
        assert s.scalar(select(Project.stage)) is Stage.INCORPORATED


@pytest.mark.parametrize("kind", ["projects", "companies"])
def test_templates_round_trip(academy: Any, admin: Actor, tmp_path: Path, kind: str) -> None:
    """An empty template imports as 'no data rows', never as a header error."""
    path = write_template(kind, tmp_path / f"{kind}.xlsx")
    result = run_import(academy.factory, admin, kind, path)
    assert [e.reason for e in result.errors] == ["The file has no data rows under the headers."]
