"""`talentdesk export KIND -o FILE.xlsx` (DESIGN section 5): the records of every import KIND in exactly
the import's columns, so that importing the file unchanged changes nothing ("0 new, 0 updated") — on an
academy built only by imports, and on the demo data. The export is what an administrator edits in Excel
and imports back: the everyday round trip."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from conftest import filled_once  # type: ignore[import-not-found]
from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select, text

from db.actor import Actor
from db.auth import Role
from db.models import AuditLog, MentoringSession, TransferRequest
from forms.importer import run_import
from forms.specs import ALL_KINDS, SPECS
from main import run_cli

D = dt.date

# An academy with what is hard to write back: full-width Chinese punctuation, formula-like text, two
# sessions with the same key, per-role capacities, an ended and a zero-length assignment, a rule with
# two courses approved from one file, a partial approval, a rejection, a dropped project, an outside
# team member, a company (which moves its project to 已注册企业).
ACADEMY: list[tuple[str, list[list[Any]]]] = [
    ("programmes", [["方案代码", "方案名称", "基础课目标占比", "容差", "互认学分上限"],
                    ["AI-ENG", "人工智能工程（产教融合）", 0.5, 0.05, 10],
                    ["AI-LAE", "低空经济AI应用", 0.55, "5%", None]]),
    ("courses", [["课程代码", "课程名称", "学分", "课程类别", "学时", "开课单位", "共建企业"],
                 ["F101", "大模型原理", 3, "基础", 48, "重庆大学", None],
                 ["F102", "多模态大模型（二）", 2.5, "基础", 40, None, None],
                 ["F105", "强化学习", 4, "基础", None, None, None],
                 ["I201", "车联网与数据智能", 3, "产业", 48, "重庆大学", "长安汽车"],
                 ["G001", "=SUM(A1:A9)", 1, "其他", None, None, None]]),
    ("programme-courses", [["方案代码", "课程代码", "必修"], ["AI-ENG", "F101", "是"], ["AI-ENG", "I201", "否"],
                           ["AI-LAE", "F102", "是"]]),
    ("universities", [["高校代码", "高校名称", "每学分学时", "协议开始", "协议结束"],
                      ["CQU", "重庆大学", 16, D(2024, 9, 1), D(2029, 8, 31)], ["SWU", "西南大学", 18, None, None]]),
    ("external-courses", [["高校代码", "课程代码", "课程名称", "学分", "学时"],
                          ["CQU", "CS301", "机器学习", 3, 48], ["CQU", "MA201", "数学分析", 2, 32],
                          ["CQU", "MA305", "概率论", 2, 32], ["CQU", "IE210", "工业工程", 2.5, 40]]),
    ("equivalences", [["高校代码", "外校课程代码", "本校课程代码", "认定类别", "认定学分", "最低成绩", "生效学期",
                       "失效学期"],
                      ["CQU", "CS301", "F101", None, 3, None, "2024-2025-1", None],
                      ["CQU", "MA201+MA305", "F105", None, 4, 70, "2024-2025-1", None],
                      ["CQU", "IE210", None, "产业", None, None, "2024-2025-1", "2027-2028-2"]]),
    ("students", [["学号", "姓名", "年级", "培养方案", "性别", "学籍状态", "所属高校", "入学日期", "手机", "邮箱"],
                  ["2025000001", "王梓涵", 2025, "AI-ENG", "女", "在读", "重庆大学", D(2025, 9, 1), "13812345678",
                   "wang@example.cn"],
                  ["2025000002", "李四", 2025, "AI-ENG", "男", None, None, D(2025, 9, 1), None, None],
                  ["2024000003", "O'Brien，张", 2024, "AI-LAE", None, "休学", None, None, None, None],
                  ["2025000004", "赵六", 2025, "AI-ENG", None, "在读", "西南大学", None, None, "zhao@example.cn"]]),
    ("mentors", [["工号", "姓名", "单位", "导师类型", "职称", "指导上限", "手机", "邮箱"],
                 ["A1", "刘教授", "重庆大学", "学术、学业", "教授", "学术:3、学业:5", None, None],
                 ["H1", "陈工", "华为技术有限公司", "产业", "高级工程师", 8, "13912345678", "chen@example.cn"]]),
    ("mentor-assignments", [["学号", "工号", "导师类型", "开始日期", "结束日期"],
                            ["2025000001", "A1", "学术", D(2025, 9, 1), None],
                            ["2025000001", "H1", "产业", D(2025, 9, 1), D(2026, 3, 1)],
                            ["2025000002", "A1", "学业", D(2025, 9, 1), None],
                            ["2025000002", "H1", "产业", D(2025, 9, 15), None],
                            ["2025000004", "H1", "产业", D(2025, 10, 1), D(2025, 10, 1)]]),
    ("sessions", [["工号", "学号", "日期", "时长(分钟)", "方式", "主题"],
                  ["A1", "2025000001", D(2025, 10, 12), 60, "面谈", "论文选题（一）"],
                  ["A1", "2025000001", D(2025, 10, 12), 30, "线上", "论文选题（一）"],  # the same key again
                  ["H1", "2025000001", D(2025, 11, 2), 120, "企业现场", "=车载数据平台"],
                  ["A1", "2025000002", D(2025, 11, 5), 45, None, None]]),
    ("assignments", [["工号", "学号", "任务名称", "布置日期", "截止日期", "状态", "提交日期", "评阅日期", "评分",
                      "评语"],
                     ["A1", "2025000001", "文献综述：多模态大模型", D(2025, 10, 8), D(2025, 10, 31), "已评阅",
                      D(2025, 10, 30), D(2025, 11, 3), 88.5, "结构清晰，补充近两年的工作。"],
                     ["A1", "2025000002", "学习计划", D(2025, 10, 1), D(2025, 10, 15), None, None, None, None, None],
                     ["H1", "2025000001", "实习报告", D(2025, 11, 1), D(2025, 12, 1), "已提交", D(2025, 11, 28),
                      None, None, None]]),
    ("enrolments", [["学号", "课程代码", "学期", "成绩", "通过日期"],
                    ["2025000001", "F101", "2025-2026-1", 88, D(2026, 1, 15)],
                    ["2025000001", "I201", "2025-2026-1", "优", None],
                    ["2025000002", "I201", "2025-2026-1", "不及格", None]]),
    ("transfers", [["学号", "高校代码", "外校课程代码", "学期", "成绩", "申请日期", "状态", "认定学分", "审核日期",
                    "理由"],
                   ["2025000002", "CQU", "CS301", "2025-2026-1", 88, D(2026, 2, 20), "通过", None, D(2026, 3, 1), None],
                   ["2025000001", "CQU", "IE210", "2025-2026-1", "良", D(2026, 2, 20), "通过", 1.5, D(2026, 3, 2),
                    "学时不足"],
                   ["2025000001", "CQU", "CS301", "2025-2026-1", 55, D(2026, 2, 21), "驳回", None, D(2026, 3, 1),
                    "成绩未达最低要求"],
                   ["2025000002", "CQU", "MA305", "2025-2026-1", 91, D(2026, 3, 5), "通过", 0, D(2026, 3, 9), None],
                   ["2025000002", "CQU", "MA201", "2025-2026-1", 90, D(2026, 3, 5), "通过", 4, D(2026, 3, 9), None],
                   ["2025000004", "CQU", "MA201", "2025-2026-1", 80, D(2026, 3, 6), "待审", None, None, None]]),
    ("projects", [["项目编号", "项目名称", "赛季", "赛道", "负责人学号", "成员学号", "指导导师工号", "支持企业", "阶段",
                   "退出原因", "报名日期"],
                  ["YJ2026-0001", "养老陪护机器人", 2026, "智能机器人", "2025000001", "2025000002、张三(重庆邮电大学)",
                   "A1、H1", "长安汽车", "路演", None, D(2026, 3, 15)],
                  ["YJ2026-0002", "车载语音助手", 2026, "其他", "2025000002", None, None, None, "已退出", "团队解散",
                   D(2026, 3, 16)],
                  ["YJ2026-0003", "低空巡检", 2026, "人工智能软件", "2025000004", None, "H1", None, "已报名", None,
                   D(2026, 3, 20)]]),
    ("companies", [["统一社会信用代码", "企业名称", "项目编号", "注册日期", "融资额(万元)", "员工数"],
                   ["91500000MA5U7E2X4X", "重庆智湾机器人科技有限公司", "YJ2026-0001", D(2026, 10, 20), 300, 12]]),
]


def book(path: Path, rows: list[list[Any]]) -> Path:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    for row in wb.active.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.startswith("="):
                c.data_type = "s"  # typed as text (as Excel keeps '=… after an apostrophe)
    wb.save(path)
    return path


def admin() -> Actor:
    return Actor("admin", Role.ADMIN, user_id=1)


def audit_rows(db: Any) -> int:
    with db.factory() as s:
        return s.scalar(select(func.count()).select_from(AuditLog)) or 0


def url(db: Any) -> str:
    return db.target.url.render_as_string(hide_password=False)


def export(db: Any, kind: str, path: Path) -> Path:
    """Through the command line's own code (`talentdesk export KIND -o FILE --db URL`): on PostgreSQL as
    the administrator's own login."""
    assert run_cli(["export", kind, "-o", str(path), "--db", url(db)]) == 0
    return path


@pytest.fixture
@filled_once
def academy(db: Any) -> Any:
    """The academy imported from its workbooks (every KIND), once per test process and backend: each test
    gets its own copy of the database the imports filled."""
    with tempfile.TemporaryDirectory() as folder:
        for kind, rows in ACADEMY:
            result = run_import(db.factory, admin(), kind, book(Path(folder) / f"in-{kind}.xlsx", rows))
            assert result.committed, (kind, [str(e) for e in result.errors])
    return db


def test_every_kind_is_in_the_academy_and_the_contract() -> None:
    assert sorted(kind for kind, _ in ACADEMY) == sorted(ALL_KINDS)


def test_an_export_imported_unchanged_changes_nothing(academy: Any, tmp_path: Path) -> None:
    before = audit_rows(academy)
    for kind, rows in ACADEMY:
        path = export(academy, kind, tmp_path / f"{kind}.xlsx")
        spec = SPECS[kind]
        sheet = load_workbook(path).worksheets[0]
        header = [c.value for c in sheet[1]]
        assert header == [f"{f.zh}*" if f.required else f.zh for f in spec.fields], kind
        exported = [r for r in sheet.iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)]
        assert len(exported) == len(rows) - 1, kind  # every record, once
        again = run_import(academy.factory, admin(), kind, path)
        assert again.committed, (kind, [str(e) for e in again.errors])
        assert (again.created, again.updated, again.unchanged) == (0, 0, len(rows) - 1), kind
    assert audit_rows(academy) == before  # not one record written


def test_export_writes_codes_keys_and_text_as_typed(academy: Any, tmp_path: Path) -> None:
    """A second reader (calamine) sees what the administrator typed: codes, not names; Chinese words for
    the enumerations; full-width punctuation kept; formula-like text as text, never a formula."""
    def rows(kind: str) -> list[list[Any]]:
        path = export(academy, kind, tmp_path / f"{kind}.xlsx")
        data = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        return [r for r in data[1:] if any(v not in (None, "") for v in r)]

    assert [r for r in rows("students") if r[0] == "2025000001"][0][:6] == [
        "2025000001", "王梓涵", 2025, "AI-ENG", "女", "在读"]
    assert rows("programmes")[0][1] == "人工智能工程（产教融合）"
    assert [r[1] for r in rows("courses") if r[0] == "G001"] == ["=SUM(A1:A9)"]
    assert [r[5] for r in rows("mentors")] == ["学术:3、学业:5", 8]
    assert [r[:5] for r in rows("mentor-assignments")][-1][2] in ("学术", "产业", "学业")
    sessions = rows("sessions")
    assert sum(1 for r in sessions if r[5] == "论文选题（一）") == 2 and "=车载数据平台" in [r[5] for r in sessions]
    projects = {r[0]: r for r in rows("projects")}
    assert projects["YJ2026-0001"][5] == "2025000002、张三(重庆邮电大学)" and projects["YJ2026-0001"][8] == "已注册企业"
    assert projects["YJ2026-0002"][8:10] == ["已退出", "团队解散"]
    transfers = rows("transfers")
    assert sorted((r[2], r[6], r[7]) for r in transfers if r[0] == "2025000002") == [
        ("CS301", "通过", 3), ("MA201", "通过", 4), ("MA305", "通过", 0)]
    sheet = load_workbook(tmp_path / "courses.xlsx").worksheets[0]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_a_row_changed_in_excel_is_the_one_change(academy: Any, tmp_path: Path) -> None:
    """Export → fix one cell in Excel → import: 1 updated, the rest unchanged, one audit row."""
    path = export(academy, "students", tmp_path / "s.xlsx")
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    ws["I3"].value = "13700000000"  # 李四's mobile, row 3
    wb.save(path)
    before = audit_rows(academy)
    result = run_import(academy.factory, admin(), "students", path)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    assert audit_rows(academy) == before + 1


def test_a_mentor_exports_only_their_own_sessions(academy: Any, tmp_path: Path) -> None:
    from db.errors import PermissionDenied
    from db.exports import export as read

    with academy.factory() as s:
        h1 = s.scalar(select(MentoringSession.mentor_id).where(MentoringSession.minutes == 120))
        mentor = Actor("chen", Role.MENTOR, user_id=5, mentor_id=h1)
        assert [r["minutes"] for r in read(s, mentor, "sessions").rows] == [120]
        with pytest.raises(PermissionDenied):
            read(s, mentor, "students")


def test_unknown_kind_and_unwritable_file_are_refused(academy: Any, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as usage:  # argparse: not one of the KINDs
        run_cli(["export", "rooms", "-o", str(tmp_path / "x.xlsx"), "--db", url(academy)])
    assert usage.value.code == 2
    assert run_cli(["export", "students", "-o", str(tmp_path / "no" / "x.xlsx"), "--db", url(academy)]) == 2
    assert not (tmp_path / "no").exists()
    capsys.readouterr()


@pytest.mark.slow
def test_the_demo_data_round_trips(demo_file: Path, tmp_path: Path) -> None:
    """On the scale-1 demo: every KIND exported and imported back changes nothing. The four large KINDs
    (sessions 49,000 rows …) and the transfer requests are checked on all the rows of a sample of students
    (complete, so two sessions with one key are all there, and a request in each status; the other
    students' rows of those KINDs are deleted first, so the export is small), to keep the suite fast;
    `talentdesk export`/`import` of the whole of each was run by hand with the same result."""
    from db.engine import make_engine, resolve, session_factory

    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    target = resolve(str(path))
    engine = make_engine(target)
    db = type("Db", (), {"target": target, "factory": session_factory(engine)})()
    with db.factory() as s:  # a student with two sessions of one key is among the sample
        twice = s.execute(select(MentoringSession.student_id).group_by(
            MentoringSession.mentor_id, MentoringSession.student_id, MentoringSession.held_on,
            MentoringSession.topic).having(func.count() > 1).limit(1)).scalar()
        from db.models import Student
        twice_no = s.scalar(select(Student.student_no).where(Student.id == twice))
        sample = [*s.scalars(select(Student.id).order_by(Student.student_no).limit(8)), twice]
        # and a student with a transfer request in each status the demo holds
        sample += [s.scalar(select(TransferRequest.student_id).where(TransferRequest.status == status).limit(1))
                   for status in s.scalars(select(TransferRequest.status).distinct())]
    assert twice_no is not None
    with engine.begin() as conn:  # nothing refers to these rows
        for table in ("mentoring_sessions", "tasks", "enrolments", "mentor_assignments", "transfer_requests"):
            conn.execute(text(f"DELETE FROM {table} WHERE student_id NOT IN ({', '.join(map(str, sample))})"))
    before = audit_rows(db)
    try:
        for kind in ALL_KINDS:
            out = export(db, kind, tmp_path / f"{kind}.xlsx")
            wb = load_workbook(out)
            ws = wb.worksheets[0]
            keys = [f.key for f in SPECS[kind].fields]
            n = sum(1 for r in ws.iter_rows(min_row=2, values_only=True) if any(v is not None for v in r))
            if kind in ("sessions", "assignments", "enrolments", "mentor-assignments"):
                col = keys.index("student_no")
                assert {r[col] for r in ws.iter_rows(min_row=2, values_only=True)} >= {twice_no}, kind
            assert n > 0, kind
            result = run_import(db.factory, admin(), kind, out)
            assert result.committed, (kind, [str(e) for e in result.errors[:5]])
            assert (result.created, result.updated, result.unchanged) == (0, 0, n), kind
        assert audit_rows(db) == before
    finally:
        engine.dispose()
