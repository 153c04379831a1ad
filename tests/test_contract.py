"""The command-line contract end to end: an academy that lives in spreadsheets is imported KIND by
KIND with exactly the columns of DESIGN.md section 5 (Chinese labels in some files, English keys in
others), then `stats --json` must give the figures of section 6, worked out by hand below."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]

FILES: list[tuple[str, list[list[Any]]]] = [
    ("universities", [["高校代码", "高校名称", "每学分学时", "协议开始", "协议结束"],
                      ["CQU", "重庆大学", 16, "2024-09-01", "2029年8月31日"]]),
    ("programmes", [["code", "name", "target_share", "tolerance", "transfer_cap"],
                    ["AI-ENG", "人工智能工程（产教融合）", "50%", 0.05, 20]]),
    ("courses", [["课程代码", "课程名称", "学分", "课程类别", "学时", "开课单位", "共建企业"],
                 ["F1", "大模型原理", 3, "基础", 48, "重庆大学", None],
                 ["F2", "深度学习", 5, "基础", 80, "重庆大学", None],
                 ["I1", "车联网与数据智能", 3, "产业", 48, "重庆大学", "长安汽车"],
                 ["I2", "低空经济AI应用", 3, "产业", 48, "重庆大学", "赛力斯"],
                 ["G1", "思想政治", 2, "其他", 32, "重庆大学", None]]),
    ("programme-courses", [["方案代码", "课程代码", "必修"],
                           ["AI-ENG", "F1", "是"], ["AI-ENG", "F2", "是"], ["AI-ENG", "I1", "是"],
                           ["AI-ENG", "I2", "否"], ["AI-ENG", "G1", "是"]]),
    ("students", [["学号", "姓名", "年级", "培养方案", "性别", "学籍状态", "所属高校", "入学日期", "手机", "邮箱"],
                  ["2025010001", "王梓涵", 2025, "AI-ENG", "女", "在读", "重庆大学", "2025-09-01", "13812345678", None],
                  ["2026010001", "李明轩", 2026, "AI-ENG", "男", None, None, "2026/9/1", None, "li@example.cn"],
                  ["2022010001", "赵一鸣", 2022, "AI-ENG", "男", "毕业", None, "2022-09-01", None, None]]),
    ("mentors", [["staff_no", "name", "organisation", "roles", "title", "capacity"],
                 ["A1", "刘教授", "重庆大学", "学术", "教授", 8],
                 ["A2", "周教授", "重庆大学", "学术、学业", "副教授", None],
                 ["H1", "陈工", "长安汽车", "产业", "高级工程师", 6],
                 ["T1", "孙老师", "重庆大学", "学业", "讲师", None]]),
    ("mentor-assignments", [["学号", "工号", "导师类型", "开始日期", "结束日期"],
                            ["2025010001", "A1", "学术", "2025-09-15", "2026-08-01"],
                            ["2025010001", "A2", "学术", "2026-08-01", None],  # reassigned inside Q3
                            ["2025010001", "H1", "产业", "2025-09-15", None],
                            ["2025010001", "T1", "学业", "2025-09-15", None],
                            ["2026010001", "A2", "学术", "2026-09-10", None],
                            ["2026010001", "T1", "学业", "2026-09-10", None]]),
    ("sessions", [["工号", "学号", "日期", "时长(分钟)", "方式", "主题"],
                  ["A1", "2025010001", "2026-07-15", 60, "面谈", "论文选题"],
                  ["A2", "2025010001", "2026-08-20", 90, "线上", "开题准备"],
                  ["H1", "2025010001", "2026-09-30", 120, "企业现场", "车载数据平台"],
                  ["T1", "2026010001", "2026-09-20", 30, "面谈", "学习计划"],
                  ["T1", "2025010001", "2026-06-10", 45, "线上", "期末复习"]]),
    ("assignments", [["工号", "学号", "任务名称", "布置日期", "截止日期", "状态", "提交日期", "评阅日期", "评分",
                      "评语"],
                     ["A2", "2025010001", "文献综述", "2026-08-01", "2026-08-31", "已评阅", "2026-08-30", "2026-09-02",
                      90, "很好"],
                     ["T1", "2026010001", "学习计划", "2026-09-12", "2026-09-25", "已布置", None, None, None, None],
                     ["H1", "2025010001", "项目报告", "2026-09-01", "2026-10-15", "已提交", "2026-09-28", None, None,
                      None]]),
    ("enrolments", [["student_no", "course", "term", "score", "passed_on"],
                    ["2025010001", "F1", "2025-2026-1", 85, None],
                    ["2025010001", "I1", "2025-2026-1", "优", None],
                    ["2025010001", "G1", "2025-2026-1", "及格", None],
                    ["2025010001", "F2", "2025-2026-2", 90, "2026-07-10"],
                    ["2025010001", "I2", "2025-2026-2", "不及格", None]]),
    ("external-courses", [["高校代码", "课程代码", "课程名称", "学分", "学时"],
                          ["CQU", "X1", "机器学习", 3, 48], ["CQU", "X2", "嵌入式系统", 2, 32]]),
    ("equivalences", [["高校代码", "外校课程代码", "本校课程代码", "认定类别", "认定学分", "最低成绩", "生效学期",
                       "失效学期"],
                      ["CQU", "X1", None, "产业", 3, 60, "2024-2025-1", None],
                      ["CQU", "X2", "I2", None, None, 60, "2024-2025-1", None]]),
    ("transfers", [["学号", "高校代码", "外校课程代码", "学期", "成绩", "申请日期", "状态", "认定学分", "审核日期",
                    "理由"],
                   ["2025010001", "CQU", "X1", "2025-2026-2", 88, "2026-07-05", "通过", 3, "2026-07-20", None],
                   ["2026010001", "CQU", "X2", "2026-2027-1", 75, "2026-09-25", "待审", None, None, None]]),
    ("projects", [["项目编号", "项目名称", "赛季", "赛道", "负责人学号", "成员学号", "指导导师工号", "支持企业", "阶段",
                   "报名日期"],
                  ["YJ2026-001", "火锅餐厅服务机器人", 2026, "智能机器人", "2025010001", "2026010001", "H1", "长安汽车",
                   "路演", "2026-03-10"],
                  ["YJ2026-002", "方言语音识别引擎", 2026, "人工智能软件", "2026010001", None, None, None, None,
                   "2026-04-01"],
                  ["YJ2025-001", "低空物流调度平台", 2025, "其他", "2025010001", None, "A1", None, "孵化中",
                   "2025-03-01"]]),
    ("companies", [["uscc", "name", "project", "registered_on", "funding", "employees"],
                   ["91500000MA61QW8K2B", "重庆渝智低空科技有限公司", "YJ2025-001", "2026-05-20", 200, 8]]),
]

EXPECTED = {
    "quarter": "2026Q3",
    "period": {"start": "2026-07-01", "end": "2026-09-30"},
    "mentoring": {
        "active_students": 2,
        "fully_mentored": 1,
        "missing": {"academic": 0, "industry": 1, "study": 0},
        "sessions": {"academic": 2, "industry": 1, "study": 1},
        "session_hours": 5.0,
        "students_without_contact": 0,
        "assignments": {"given": 3, "reviewed": 1, "overdue": 1},
    },
    "curriculum": {
        "programmes": [{"code": "AI-ENG", "foundation_credits": 8.0, "industry_credits": 6.0,
                        "foundation_share": 8 / 14, "in_band": False}],
        "students_out_of_band": 1,  # 2025010001: foundation 3+5, industry 3 + 3 recognised → 8/14
    },
    "transfers": {"submitted": 2, "approved": 1, "rejected": 0, "pending": 1, "credits_recognised": 3.0},
    "competition": {
        "season": 2026, "projects": 2, "target_projects": 300,
        "by_stage": {"submitted": 1, "screened": 0, "roadshow": 1, "finalist": 0, "awarded": 0, "incubating": 0,
                     "incorporated": 0, "dropped": 0},
        "incubated_companies": 1, "target_companies": 20,
    },
}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_an_academy_from_spreadsheets_gives_the_contract_figures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 request: pytest.FixtureRequest, backend: str) -> None:
    import main

    db = str(tmp_path / "academy.db") if backend == "sqlite" else request.getfixturevalue("pg_db").url
    monkeypatch.setenv("TALENTDESK_DB", db)  # the environment variable, as a scheduled job would set it
    if backend == "sqlite":  # a server is set up by IT with the owner's login; the job signs in as a person
        assert main.main(["init"]) == 0
    for kind, rows in FILES:
        wb = Workbook()
        for row in rows:
            wb.active.append(row)
        path = tmp_path / f"{kind}.xlsx"
        wb.save(path)
        # the same entry point as the installed command, in-process to keep the suite quick
        assert main.main(["import", kind, str(path)]) == 0, kind
        assert main.main(["import", kind, str(path)]) == 0, f"{kind}: a second import updates, never duplicates"
    # the figures through a real process, exactly as a script would ask for them
    env = {k: v for k, v in os.environ.items() if k != "TALENTDESK_DB"}
    run = subprocess.run([sys.executable, str(ROOT / "main.py"), "stats", "--quarter", "2026Q3", "--json", "--db", db],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == EXPECTED
