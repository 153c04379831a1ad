"""Import KINDs of projects, companies (the competition and incubation pipeline): field specs and how a row is saved.

Columns exactly as DESIGN.md section 5 lists them. A project row names its season by year (a new
season is created with the default tracks), its track by name, its lead by student number, its
members (student numbers, or outside people by name, e.g. 张三(重庆邮电大学)) and mentors (staff
numbers) as lists separated by 、 or ','; its stage by key or 中文 name (default 已报名): a project
imported directly at a later stage gets one recorded stage change. A company row is keyed by its
unified social credit code (GB 32100 check character verified) and names its project by code.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session

from db import competition
from db.actor import Actor
from db.models import Stage

from . import parsers as p
from .specs import EntitySpec, _f


def name_list(value: Any) -> list[str] | None:
    """Several entries in one cell separated by 、 , ， ; or ；(not by spaces: a name may hold one)."""
    if p.is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    parts = [part.strip() for part in re.split(r"[、,，;；\n]+", p.clean(value))]
    return [part for part in parts if part] or None


STAGE = p.choice(Stage)


def _save_project(s: Session, a: Actor, v: dict[str, Any]) -> tuple[Any, bool]:
    return competition.save_project(s, a, v, upsert=True)


def _save_company(s: Session, a: Actor, v: dict[str, Any]) -> tuple[Any, bool]:
    return competition.save_company(s, a, v, upsert=True)


PROJECTS = EntitySpec(
    "projects", "创赛项目", "Projects",
    (
        _f("code", "项目编号", "Project code", p.code(), True),
        _f("title", "项目名称", "Title", p.text(200), True, width=28),
        _f("season", "赛季", "Season", p.year, True, hint_zh="年份，如 2026", hint_en="year, e.g. 2026"),
        _f("track", "赛道", "Track", p.text(60), True, width=16, ref="tracks",
           hint_zh="如 智能机器人、消费类AI终端、人工智能软件、其他", hint_en="e.g. 智能机器人"),
        _f("lead", "负责人学号", "Lead (student no.)", p.code(), True, ref="students"),
        _f("members", "成员学号", "Members (student no.)", name_list, width=24, ref="students", multi="、",
           hint_zh="学号，多个用、分隔；校外成员写姓名，如 张三(重庆邮电大学)",
           hint_en="student numbers separated by 、; outside members by name, e.g. 张三(重庆邮电大学)"),
        _f("mentors", "指导导师工号", "Mentors (staff no.)", name_list, width=18, ref="mentors", multi="、",
           hint_zh="工号，多个用、分隔", hint_en="staff numbers separated by 、"),
        _f("sponsor", "支持企业", "Sponsor", p.text(120), width=20, ref="companies-as-organisations"),
        _f("stage", "阶段", "Stage", STAGE, hint_zh="默认 已报名", hint_en="default submitted"),
        _f("drop_reason", "退出原因", "Reason for dropping", p.text(400), width=24,
           hint_zh="阶段为 已退出 时必填", hint_en="required with 已退出 (dropped)"),
        _f("submitted_on", "报名日期", "Submitted on", p.date, True),
    ),
    key=("code",),
    save=_save_project,
    examples=({"code": "YJ2026-0001", "title": "面向养老场景的陪护机器人", "season": 2026, "track": "智能机器人",
               "lead": "2025010001", "members": "2025010002、李四(重庆邮电大学)", "mentors": "CQU0001",
               "sponsor": "长安汽车", "stage": "已报名", "drop_reason": "", "submitted_on": "2026-03-15"},),
)

COMPANIES = EntitySpec(
    "companies", "孵化企业", "Incubated companies",
    (
        _f("uscc", "统一社会信用代码", "Unified social credit code", p.uscc, True, width=22,
           hint_zh="18 位，末位为校验码", hint_en="18 characters, the last one a check character"),
        _f("name", "企业名称", "Company name", p.text(120), True, width=26),
        _f("project", "项目编号", "Project code", p.code(), True, ref="projects"),
        _f("registered_on", "注册日期", "Registered on", p.date, True),
        _f("funding", "融资额(万元)", "Funding (10k yuan)", p.number(0, 10_000_000)),
        _f("employees", "员工数", "Employees", p.integer(0, 1_000_000)),
    ),
    key=("uscc",),
    save=_save_company,
    examples=({"uscc": "91500000MA5U7E2X4X", "name": "重庆智湾机器人科技有限公司", "project": "YJ2026-0001",
               "registered_on": "2026-10-20", "funding": 300, "employees": 12},),
)

KINDS: tuple[EntitySpec, ...] = (PROJECTS, COMPANIES)
