"""Realistic Chinese demo data for an empty database (``talentdesk demo [--scale N]``).

Scale 1 is one academy year (about 2,000 students, 100 mentors, 60 courses, 30,000 enrolments,
50,000 mentoring sessions, 300 competition projects and 20 incubated companies); scale N is N years.
All data is anchored to a fixed reference date (30 November 2026, in term 2026-2027-1) and drawn from
``random.Random(seed)`` in a fixed order, so one seed always gives the same rows whatever today is.

Speed: rows are built as plain dicts with ids assigned here, and written with bulk Core
``insert(table)`` executemany in large batches inside one transaction (COPY for the four big tables
on PostgreSQL, whose sequences are then moved past the explicit ids); the ORM flush (and so the
per-row audit listener) is bypassed, and one summary audit row is written instead. The big tables
(sessions, tasks, enrolments, assignments) get one fixed created_at/updated_at (``AS_OF``): converting
a timestamp per row would double the time. Scale 10 takes about 25 s on SQLite on a 2-core machine
(tests/benchmarks/bench_demo.py).

The rules of DESIGN.md section 2 hold in the generated data: one open assignment per student and
role, one role per mentor and student, roles only as qualified (a few mentors end up above capacity,
recorded as capacity overrides and shown as an alert), sessions and tasks only by a mentor while assigned,
recognition never twice for one external course nor for a local course already passed, judges
never assigned to a project they have a conflict with, valid credit codes.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import math
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import DateTime, Engine, Float, Table, func, insert, literal_column, select, text
from sqlalchemy.orm import Session

from .actor import SYSTEM, Actor
from .audit import record_bulk
from .auth import hash_password
from .curriculum import term_bounds
from .engine import connection_fact, server_logins
from .errors import TalentDeskError
from .i18n import t
from .models import (
    DEFAULT_TRACKS,
    AuditAction,
    Base,
    Company,
    CompanyFounder,
    Conflict,
    ConflictKind,
    Course,
    CourseCategory,
    Criterion,
    Enrolment,
    EquivalenceRule,
    ExternalCourse,
    Gender,
    Judge,
    JudgeAssignment,
    Mentor,
    MentorAssignment,
    MentoringSession,
    MentorQualification,
    MentorRole,
    Organisation,
    OrgKind,
    Programme,
    ProgrammeCourse,
    Project,
    ProjectMember,
    ProjectMentor,
    Role,
    Round,
    RuleExternalCourse,
    RuleKind,
    RuleStatus,
    Score,
    Season,
    SessionKind,
    Stage,
    StageChange,
    Student,
    StudentStatus,
    Task,
    TaskStatus,
    Term,
    Track,
    TransferRequest,
    TransferStatus,
    University,
    User,
)

# --------------------------------------------------------------------------- fixed anchors

REF_END = dt.date(2026, 11, 15)  # the last day the demo data covers: fixed (determinism), and in the past
AS_OF = dt.datetime(2026, 11, 15, 20, 0, 0)  # created_at/updated_at of the bulk tables
LAST_COHORT = 2026
PROGRAMME_YEARS = 4
DEMO_PASSWORD = "talentdesk"
BATCH = 20_000

# volumes per scale unit
STUDENTS_PER_UNIT = 2000
MENTORS_PER_UNIT = 100
ENROLMENTS_PER_UNIT = 30_000
SESSIONS_PER_UNIT = 50_000
TASKS_PER_UNIT = 8_000
TRANSFERS_PER_UNIT = 400
PROJECTS_PER_SEASON = 300
COMPANIES_PER_SEASON = 20

# Not imported from forms.parsers: db/ never imports forms/ (DESIGN.md section 3). The test suite
# checks these against forms.parsers.GRADE_SCORES and forms.parsers.uscc.
GRADES = {"优": 95.0, "良": 85.0, "中": 75.0, "及格": 65.0, "不及格": 50.0}
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    """GB 32100-2015 check character (same algorithm as forms.parsers.uscc_check_char)."""
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS))
    return _USCC_CHARS[(31 - total % 31) % 31]


# --------------------------------------------------------------------------- result


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    password: str
    display_name: str


@dataclass(frozen=True)
class DemoSummary:
    """What ``generate`` wrote: rows per table, the accounts to sign in with, and the time taken."""

    scale: int
    seed: int
    counts: dict[str, int] = field(hash=False)
    accounts: tuple[DemoAccount, ...]
    seconds: float

    @property
    def total_rows(self) -> int:
        return sum(self.counts.values())


# --------------------------------------------------------------------------- word pools

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁"
    "魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段钱汤尹黎易"
    "常武乔贺赖龚文冉向税牟"
)
# the commonest surnames far more often than the rest
SURNAME_WEIGHTS = [14 if i < 10 else 6 if i < 20 else 2 if i < 50 else 1 for i in range(len(SURNAMES))]
GIVEN_MALE = "伟强磊军洋勇杰涛明超浩宇轩博晨鑫鹏昊然辰睿泽子俊豪翔天志文斌宏建凯峰航健毅诚铭哲彬锐川渝嘉祥"
GIVEN_FEMALE = "静丽敏婷雪琳欣怡佳颖璐思雨梦萱涵悦诗琪瑶晴薇蕾月玥可馨妍茜露婧雯菲芸岚洁莉秋晓宁若"
GIVEN_ANY = "一子文思嘉雨安乐心逸星语清书宁知远景"

# (name, short name, code, e-mail domain)
UNIVERSITIES = [
    ("北京大学", "北大", "PKU", "pku.edu.cn"),
    ("清华大学", "清华", "THU", "tsinghua.edu.cn"),
    ("重庆大学", "重大", "CQU", "cqu.edu.cn"),
    ("重庆邮电大学", "重邮", "CQUPT", "cqupt.edu.cn"),
    ("西南大学", "西大", "SWU", "swu.edu.cn"),
    ("四川大学", "川大", "SCU", "scu.edu.cn"),
    ("电子科技大学", "电子科大", "UESTC", "uestc.edu.cn"),
    ("重庆理工大学", "重理工", "CQUT", "cqut.edu.cn"),
    ("重庆交通大学", "重交", "CQJTU", "cqjtu.edu.cn"),
    ("重庆师范大学", "重师", "CQNU", "cqnu.edu.cn"),
    ("重庆工商大学", "重工商", "CTBU", "ctbu.edu.cn"),
]
# students' home universities (weights): mostly the Chongqing ones
HOME_UNIVERSITIES = {"重庆大学": 22, "重庆邮电大学": 20, "西南大学": 14, "重庆理工大学": 12, "重庆交通大学": 9,
                     "重庆师范大学": 6, "重庆工商大学": 6, "电子科技大学": 5, "四川大学": 4, "北京大学": 1,
                     "清华大学": 1}
COMPANIES = [
    ("华为技术有限公司", "华为", "huawei.com"),
    ("长安汽车", "长安", "changan.com.cn"),
    ("赛力斯集团", "赛力斯", "seres.cn"),
    ("京东方", "BOE", "boe.com.cn"),
    ("中国移动重庆公司", "重庆移动", "cq.chinamobile.com"),
    ("中国电信重庆分公司", "重庆电信", "cq.chinatelecom.cn"),
    ("金康新能源", "金康", "jinkang.com"),
    ("马上消费金融", "马上消费", "msxf.com"),
    ("猪八戒网", "猪八戒", "zbj.com"),
    ("紫光华智", "紫光华智", "unisinsight.com"),
    ("科大讯飞", "讯飞", "iflytek.com"),
    ("川仪股份", "川仪", "cqcy.com"),
    ("忽米网", "忽米", "humi.cn"),
    ("中科院重庆绿色智能技术研究院", "重庆研究院", "cigit.ac.cn"),
]
OTHER_ORGS = [
    ("重庆市经济和信息化委员会", "市经信委", OrgKind.GOVERNMENT),
    ("两江新区管理委员会", "两江新区", OrgKind.GOVERNMENT),
    ("重庆产业投资母基金", "产业母基金", OrgKind.OTHER),
    ("智湾人工智能学院", "智湾学院", OrgKind.UNIVERSITY),
]
ACADEMY = "智湾人工智能学院"

PROGRAMMES = [
    # code, name, transfer cap, desired plan share (one slightly out of the 0.5 ± 0.05 band)
    ("AI-ENG", "人工智能工程（产教融合）", 12.0, 0.50),
    ("AI-AUTO", "智能网联汽车", 10.0, 0.48),
    ("AI-LAE", "低空经济与智能制造", 10.0, 0.575),
]

FOUNDATION_NAMES = [
    "机器学习数学基础", "深度学习", "大模型原理", "强化学习", "多模态大模型", "具身智能导论", "AI安全与对齐",
    "自然语言处理", "计算机视觉", "生成式人工智能", "知识图谱与推理", "分布式训练与推理系统", "智能体系统设计",
    "人工智能编程实践", "优化理论与算法", "概率图模型", "神经网络架构前沿", "AGI前沿专题",
]
INDUSTRY_NAMES = {
    "AI-ENG": ["智慧城市大模型应用", "工业互联网与数据智能", "智能制造与工业视觉", "金融科技AI应用",
               "AI产品设计与工程化", "大模型行业落地实践", "数字政务智能化", "智能客服系统开发"],
    "AI-AUTO": ["车联网与数据智能", "智能座舱交互设计", "自动驾驶感知与决策", "新能源汽车电控与AI",
                "车路协同系统", "汽车软件工程", "高精地图与定位", "智能网联汽车测试评价"],
    "AI-LAE": ["低空经济AI应用", "无人机感知与导航", "低空交通管理系统", "智能制造与工业视觉",
               "工业机器人与具身智能", "低空物流调度优化", "山地城市低空巡检", "数字孪生工厂"],
}
INDUSTRY_PARTNERS = {
    "AI-ENG": ["华为技术有限公司", "中国移动重庆公司", "马上消费金融", "猪八戒网", "紫光华智", "科大讯飞"],
    "AI-AUTO": ["长安汽车", "赛力斯集团", "金康新能源", "中国电信重庆分公司"],
    "AI-LAE": ["京东方", "川仪股份", "忽米网", "华为技术有限公司", "中国电信重庆分公司"],
}
OTHER_NAMES = ["思想政治", "大学英语", "学术写作与规范", "创新创业基础", "科技伦理与法规", "体育与健康"]
VARIANTS = ["", "（二）", "专题研讨", "实践", "前沿讲座", "（进阶）", "案例分析", "综合实训", "（三）", "工程实践"]

ACADEMIC_TITLES = ["教授", "教授", "副教授", "副教授", "副教授", "讲师", "研究员", "副研究员"]
STUDY_TITLES = ["副教授", "讲师", "讲师", "讲师", "辅导员", "助理研究员"]
INDUSTRY_TITLES = ["高级工程师", "高级工程师", "首席架构师", "技术总监", "算法专家", "资深工程师", "研发经理",
                   "首席科学家", "产品总监"]

TOPICS = {
    MentorRole.ACADEMIC: ["论文选题讨论", "文献综述指导", "实验方案设计", "论文初稿修改", "模型训练问题排查",
                          "开题报告指导", "学术报告准备", "投稿意见讨论", "研究进展汇报", "算法复现讨论"],
    MentorRole.INDUSTRY: ["企业现场实践指导", "项目进度检查", "产业需求调研", "工程化部署指导", "实习岗位安排",
                          "产品原型评审", "代码评审", "行业案例分享", "项目答辩准备", "数据标注规范讲解"],
    MentorRole.STUDY: ["学期学习计划", "选课指导", "学业预警谈话", "心理状态关怀", "课程成绩分析",
                       "学分进度核对", "竞赛报名指导", "职业规划咨询", "奖学金申请指导", "期末复习安排"],
}
NOTES = ["进展顺利，按计划推进。", "需加强文献阅读。", "已布置下阶段任务。", "学生状态良好。",
         "建议多参加企业实践。", "下次重点检查实验结果。", "已约定两周后复查。"]
KIND_WEIGHTS = {
    MentorRole.ACADEMIC: ([SessionKind.IN_PERSON, SessionKind.ONLINE, SessionKind.ONSITE], [55, 40, 5]),
    MentorRole.INDUSTRY: ([SessionKind.IN_PERSON, SessionKind.ONLINE, SessionKind.ONSITE], [20, 30, 50]),
    MentorRole.STUDY: ([SessionKind.IN_PERSON, SessionKind.ONLINE, SessionKind.ONSITE], [50, 50, 0]),
}
MINUTES = [30, 45, 60, 60, 60, 90, 90, 120, 150, 180]
TASK_TITLES = {
    MentorRole.ACADEMIC: ["撰写文献综述", "复现一篇顶会论文", "完成实验对比分析", "提交论文初稿", "准备组会报告",
                          "整理开题报告", "完成消融实验"],
    MentorRole.INDUSTRY: ["企业项目需求分析报告", "原型系统开发", "现场实践总结", "数据集清洗与标注",
                          "模型部署方案", "项目周报", "技术方案评审材料"],
    MentorRole.STUDY: ["学期学习计划", "课程学习总结", "学业规划书", "期中学习反思", "选课方案", "学分核对表"],
}
FEEDBACK = ["完成质量较好，思路清晰。", "内容充实，建议补充实验细节。", "格式需规范，结论部分偏弱。",
            "按时完成，达到预期。", "创新性不足，需进一步思考。", "非常出色，可整理投稿。", "基本达到要求，继续努力。"]
REASSIGN_REASONS = ["导师工作调动", "导师岗位调整", "学生研究方向调整", "导师出国访学", "导师工作量调整",
                    "学生申请更换导师"]
OVERRIDE_REASONS = ["学生研究方向与导师高度契合，经学院批准超额指导", "导师调整期间临时超额，经管理员批准"]
LEAVE_REASONS = ["导师工作调动", "导师离职", "导师退休"]

EXTERNAL_POOL = [
    # name, credits, target: ("course", local base name) | ("category", category) | ("combined", group)
    ("机器学习", 3.0, ("course", "机器学习数学基础")),
    ("深度学习", 3.0, ("course", "深度学习")),
    ("计算机视觉", 2.0, ("course", "计算机视觉")),
    ("自然语言处理", 2.0, ("course", "自然语言处理")),
    ("强化学习", 2.0, ("course", "强化学习")),
    ("智能网联汽车技术", 2.0, ("category", CourseCategory.INDUSTRY)),
    ("工业互联网概论", 2.0, ("category", CourseCategory.INDUSTRY)),
    ("无人机系统导论", 2.0, ("category", CourseCategory.INDUSTRY)),
    ("人工智能伦理", 1.0, ("category", CourseCategory.OTHER)),
    ("数据挖掘", 3.0, ("category", CourseCategory.FOUNDATION)),
    ("概率论与数理统计", 3.0, ("combined", "大模型原理")),
    ("最优化方法", 2.0, ("combined", "大模型原理")),
    ("嵌入式系统设计", 3.0, None),
    ("云计算与大数据", 2.0, None),
]
EXT_PREFIX = {"CQU": "CS", "CQNU": "JS", "SCU": "SE", "UESTC": "AI", "SWU": "SI", "CQUPT": "CX", "CQUT": "RJ"}
# the Chengdu–Chongqing alliance: 重庆大学, 重庆邮电大学, 重庆师范大学 and 西南大学 first (issue 5)
ALLIANCE = ["CQU", "CQUPT", "CQNU", "SWU", "UESTC", "SCU", "CQUT"]
LETTER_SCALE = {"A": 95, "B": 85, "C": 75, "D": 65, "F": 50}
REJECT_REASONS = ["课程内容与本校课程差异较大", "成绩单信息不完整，请补交盖章成绩单"]

TRACK_PRODUCTS = {
    "智能机器人": ["巡检机器人", "导盲机器狗", "农业采摘机器人", "康养陪护机器人", "物流分拣机械臂",
                   "管廊巡检机器人", "火锅餐厅服务机器人", "桥梁检测爬壁机器人"],
    "消费类AI终端": ["AI学习机", "智能眼镜", "儿童陪伴音箱", "AI翻译耳机", "车载智能助手终端", "老年健康手环",
                     "AI运动相机"],
    "人工智能软件": ["企业知识库问答系统", "法律文书智能审查平台", "山城交通流量预测平台", "医疗影像辅助诊断系统",
                     "智能客服大模型", "工业质检SaaS平台", "跨境电商AI选品工具", "方言语音识别引擎"],
    "其他": ["低空物流调度平台", "智慧农业数字孪生系统", "文旅数字人导览", "碳排放智能监测平台",
             "山地城市应急调度系统"],
}
TITLE_PREFIXES = ["基于大模型的", "面向山地城市的", "基于多模态感知的", "轻量化", "端侧", "基于具身智能的",
                  "面向重庆文旅的", "基于视觉-语言模型的", "低成本", "", "", ""]
DROP_REASONS = ["团队成员毕业离校", "项目方向调整", "未按时提交路演材料", "核心技术存在知识产权风险",
                "团队自愿退出", "资金与场地条件不足"]
CRITERIA = [("创新性", 0.3), ("技术可行性", 0.3), ("市场前景", 0.25), ("团队", 0.15)]
COMPANY_WORDS_1 = ["智", "云", "星", "渝", "山", "江", "睿", "灵", "芯", "数", "瞳", "翼", "驰", "擎", "量", "衡"]
COMPANY_WORDS_2 = ["行", "图", "湾", "眸", "途", "链", "谷", "源", "启", "维", "航", "坤", "和", "创", "境", "川"]
COMPANY_SUFFIXES = ["科技有限公司", "智能科技有限公司", "信息技术有限公司", "机器人有限公司", "数字科技有限公司"]
DISTRICTS = ["500112", "500106", "500108", "500107", "500103", "500105", "500113"]  # 渝北 沙坪坝 南岸 …
JUDGE_ORGS = ["重庆产业投资母基金", "两江新区管理委员会", "重庆市经济和信息化委员会", "华为技术有限公司",
              "长安汽车", "赛力斯集团", "科大讯飞", "重庆大学", "四川大学"]
EXTERNAL_MEMBER_ORGS = ["重庆大学", "四川美术学院", "重庆医科大学", "西南政法大学", "重庆邮电大学", "长安汽车"]

# --------------------------------------------------------------------------- helpers


def _stamp(d: dt.date, hour: int = 17) -> dt.datetime:
    return dt.datetime(d.year, d.month, d.day, hour, 0)


def _add_days(d: dt.date, n: int) -> dt.date:
    return d + dt.timedelta(days=n)


def _rand_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A day in [start, end] (inclusive)."""
    span = (end - start).days
    return start if span <= 0 else start + dt.timedelta(days=rng.randint(0, span))


def _term_code(year: int, n: int) -> str:
    return f"{year}-{year + 1}-{n}"


def _stochastic_round(rng: random.Random, x: float) -> int:
    n = int(x)
    return n + (1 if rng.random() < x - n else 0)


class _Mentor:
    __slots__ = ("id", "staff_no", "name", "org_id", "org_name", "roles", "joined", "left", "load", "open")
    id: int
    staff_no: str
    name: str
    org_id: int
    org_name: str
    roles: list[MentorRole]
    joined: dt.date
    left: dt.date | None
    load: float
    open: dict[MentorRole, int]

    def __init__(self, **kw: Any) -> None:
        for k, v in kw.items():
            setattr(self, k, v)
        self.load = 0
        self.open = {}


class _Student:
    __slots__ = ("id", "no", "name", "cohort", "prog", "status", "start", "end", "end_reason", "segs",
                 "no_contact", "passed")
    id: int
    no: str
    name: str
    cohort: int
    prog: int
    status: StudentStatus
    start: dt.date
    end: dt.date | None
    end_reason: str | None
    segs: list[tuple[MentorRole, _Mentor, dt.date, dt.date | None]]
    no_contact: bool
    passed: set[int]

    def __init__(self, **kw: Any) -> None:
        for k, v in kw.items():
            setattr(self, k, v)
        self.segs = []
        self.passed = set()

    def mentor_on(self, role: MentorRole, day: dt.date) -> _Mentor | None:
        for r, m, s, e in self.segs:
            if r is role and s <= day and (e is None or day < e):
                return m
        return None


def _array_value(bind: Callable[[Any], Any] | None, type_: Any) -> Callable[[Any], Any]:
    """A value as one element of its column's array parameter: converted as SQLAlchemy binds it, and a
    FLOAT column's whole numbers as floats (an array holds one Python type)."""
    as_float = isinstance(type_, Float)

    def convert(value: Any) -> Any:
        if bind is not None:
            value = bind(value)
        return float(value) if as_float and value is not None else value

    return convert


class _Writer:
    """Batched Core inserts on one connection, counting rows per table."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.conn = session.connection()
        self.counts: dict[str, int] = {}

    def insert(self, model: type[Base], rows: Iterable[dict[str, Any]], fixed_stamp: bool = False) -> None:
        """Insert ``rows``; with ``fixed_stamp`` (the big tables) created_at and updated_at are one
        literal timestamp written by the database, not a value converted for every row, and on
        PostgreSQL the rows go through COPY."""
        table: Table = model.__table__  # type: ignore[assignment]
        # COPY is refused under row-level security: a person's own login on a secured server INSERTs
        if fixed_stamp and self.conn.dialect.name == "postgresql" and not connection_fact(self.conn, "server_audits"):
            self._copy(table, rows)
            return
        if self.conn.dialect.name == "postgresql":
            self.counts[table.name] = self.counts.get(table.name, 0) + self._multirow(table, rows, fixed_stamp)
            return
        stmt = insert(table)
        if fixed_stamp:
            stamp = literal_column(f"'{AS_OF.isoformat(sep=' ')}.000000'", DateTime)
            stmt = stmt.values(created_at=stamp, updated_at=stamp)
        buf: list[dict[str, Any]] = []
        n = 0
        for row in rows:
            buf.append(row)
            if len(buf) >= BATCH:
                self.conn.execute(stmt, buf)
                n += len(buf)
                buf = []
        if buf:
            self.conn.execute(stmt, buf)
            n += len(buf)
        self.counts[table.name] = self.counts.get(table.name, 0) + n

    def _multirow(self, table: Table, rows: Iterable[dict[str, Any]], fixed_stamp: bool) -> int:
        """PostgreSQL without COPY: one ``INSERT … SELECT … FROM unnest(column arrays)`` per batch, each value
        converted by its column's type as SQLAlchemy would. psycopg's executemany sends one INSERT a row, and
        where the server audits (a person's own login) each statement runs the statement-level audit trigger:
        the 50,000 session rows of scale 1 were 50,000 trigger runs (≈15 s); now they are a dozen. One array
        per column keeps the statement short: a multi-row VALUES with tens of thousands of placeholders cost
        psycopg more time to parse than the server took to insert. The trigger still writes one audit row a
        row, from its transition table."""
        it = iter(rows)
        first = next(it, None)
        if first is None:
            return 0
        names = list(first)
        quote = self.conn.dialect.identifier_preparer.quote
        dialect = self.conn.dialect
        types = [table.c[name].type for name in names]
        convert = [_array_value(t.dialect_impl(dialect).bind_processor(dialect), t) for t in types]
        columns = ", ".join([quote(name) for name in names] + (["created_at", "updated_at"] if fixed_stamp else []))
        stamp = f", TIMESTAMP '{AS_OF.isoformat(sep=' ')}'" * 2 if fixed_stamp else ""
        arrays = ", ".join(f"%s::{t.compile(dialect=dialect)}[]" for t in types)
        sql = f"INSERT INTO {quote(table.name)} ({columns}) SELECT u.*{stamp} FROM unnest({arrays}) AS u"
        n = 0
        rest = itertools.chain([first], it)
        while batch := list(itertools.islice(rest, BATCH)):
            params = tuple([fn(row[name]) for row in batch] for fn, name in zip(convert, names, strict=True))
            self.conn.exec_driver_sql(sql, params)
            n += len(batch)
        return n

    def _copy(self, table: Table, rows: Iterable[dict[str, Any]]) -> None:
        """PostgreSQL COPY on the session's own connection (same transaction): several times faster
        than multi-row INSERTs. Enumerations are written by value, as the Enum type stores them."""
        it = iter(rows)
        first = next(it, None)
        n = 0
        if first is not None:
            names = ", ".join(list(first) + ["created_at", "updated_at"])
            cursor = self.conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            try:
                with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                    for row in itertools.chain([first], it):
                        copy.write_row([v.value if isinstance(v, enum.Enum) else v for v in row.values()]
                                       + [AS_OF, AS_OF])
                        n += 1
            finally:
                cursor.close()
        self.counts[table.name] = self.counts.get(table.name, 0) + n


# --------------------------------------------------------------------------- the generator


def generate(engine: Engine, scale: int = 1, seed: int = 2026,
             progress: Callable[[str, int, int], None] | None = None,
             actor: Actor | None = None) -> DemoSummary:
    """Fill an empty, migrated database with demo data; see the module docstring."""
    if not isinstance(scale, int) or isinstance(scale, bool) or not 1 <= scale <= 50:
        raise TalentDeskError(t("The scale must be a whole number from 1 to 50."))
    started = time.perf_counter()
    with Session(engine) as session:
        session.info["actor"] = actor or SYSTEM
        with session.begin():
            _refuse_non_empty(session)
            sqlite = engine.dialect.name == "sqlite"
            if sqlite:  # room for the index pages: random inserts into big indexes thrash the default 2 MB
                cache = cast(int, session.connection().exec_driver_sql("PRAGMA cache_size").scalar())
                session.connection().exec_driver_sql("PRAGMA cache_size=-262144")
            password_hash = hash_password(DEMO_PASSWORD)
            gen = _Generator(session, scale, seed, progress, password_hash)
            try:
                gen.run()
            finally:
                # not on a connection the failure invalidated (db.failures): the error to say is the first one
                if sqlite and not session.connection().invalidated:
                    session.connection().exec_driver_sql(f"PRAGMA cache_size={int(cache)}")
            record_bulk(session, AuditAction.INSERT, "demo",
                        {"scale": scale, "seed": seed, "rows": dict(sorted(gen.w.counts.items()))})
            if engine.dialect.name == "postgresql":
                _reset_sequences(session, gen.w.counts)
    return DemoSummary(scale=scale, seed=seed, counts=dict(sorted(gen.w.counts.items())),
                       accounts=tuple(gen.accounts), seconds=round(time.perf_counter() - started, 2))


def _refuse_non_empty(session: Session) -> None:
    checks = [(Student, t("Students")), (Mentor, t("Mentors")), (Programme, t("Programmes and courses")),
              (Course, t("Programmes and courses")), (Organisation, t("Organisations")),
              (Season, t("Competition"))]
    for model, label in checks:
        if session.scalar(select(func.count()).select_from(model)):
            raise TalentDeskError(t(
                "The database already holds data ({what}): demo data can only fill an empty database. "
                "Create a new database with: talentdesk init --db NEW_FILE", what=label))


def _reset_sequences(session: Session, counts: dict[str, int]) -> None:
    """After explicit ids, move each PostgreSQL sequence past them so later inserts work."""
    for name in sorted(counts):
        table = Base.metadata.tables[name]
        if "id" not in table.c or not counts[name]:
            continue
        session.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                             f"(SELECT MAX(id) FROM {name}))"))


STEPS = 11


class _Generator:
    def __init__(self, session: Session, scale: int, seed: int,
                 progress: Callable[[str, int, int], None] | None, password_hash: str) -> None:
        self.rng = random.Random(seed)
        self.scale = scale
        self.w = _Writer(session)
        self.session = session
        self.progress = progress
        self.password_hash = password_hash
        self.first_cohort = LAST_COHORT - scale - 2  # scale 1: 2023; scale 10: 2014
        self.window_start = dt.date(LAST_COHORT - scale, 9, 1)  # sessions, tasks, transfers
        self.step = 0
        self.accounts: list[DemoAccount] = []
        self._stamps: dict[dt.date, dt.datetime] = {}

    def _tick(self, label: str) -> None:
        self.step += 1
        if self.progress is not None:
            self.progress(t(label), self.step, STEPS)

    def stamp(self, d: dt.date) -> dt.datetime:
        s = self._stamps.get(d)
        if s is None:
            s = self._stamps[d] = _stamp(d)
        return s

    def run(self) -> None:
        self.organisations()
        self._tick("Organisations")
        self.curriculum()
        self._tick("Programmes and courses")
        self.students()
        self._tick("Students")
        self.mentors()
        self._tick("Mentors")
        self.assignments()
        self._tick("Mentor assignments")
        self.sessions()
        self._tick("Mentoring sessions")
        self.tasks()
        self._tick("Tasks")
        self.enrolments()
        self._tick("Enrolments and grades")
        self.alliance()
        self._tick("Credit recognition")
        self.competition()
        self._tick("Competition")
        self.users()
        self._tick("Users")

    # ------------------------------------------------------------------ people

    def person_name(self, gender: Gender | None = None) -> str:
        rng = self.rng
        surname = rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]
        pool = GIVEN_MALE if gender is Gender.MALE else GIVEN_FEMALE if gender is Gender.FEMALE else (
            GIVEN_MALE + GIVEN_FEMALE)
        if rng.random() < 0.3:
            return surname + rng.choice(pool)
        first = rng.choice(pool + GIVEN_ANY)
        return surname + first + rng.choice(pool)

    def phone(self) -> str:
        rng = self.rng
        prefix = rng.choice(["13", "15", "18", "17", "19", "13", "15", "18"])
        return prefix + str(rng.randint(0, 9)) + f"{rng.randint(0, 99_999_999):08d}"

    def organisations(self) -> None:
        rows: list[tuple[str, str | None, OrgKind]] = []
        self.org_ids: dict[str, int] = {}
        self.org_domain: dict[str, str] = {}
        created = _stamp(dt.date(self.first_cohort, 7, 1), 9)
        for name, short, _code, domain in UNIVERSITIES:
            rows.append((name, short, OrgKind.UNIVERSITY))
            self.org_domain[name] = domain
        for name, short, domain in COMPANIES:
            kind = OrgKind.OTHER if name.startswith("中科院") else OrgKind.COMPANY
            rows.append((name, short, kind))
            self.org_domain[name] = domain
        for name, short, kind in OTHER_ORGS:
            rows.append((name, short, kind))
        for extra in EXTERNAL_MEMBER_ORGS:
            if extra not in {r[0] for r in rows}:
                rows.append((extra, None, OrgKind.UNIVERSITY))
        out = []
        for i, (name, short_name, kind) in enumerate(rows, start=1):
            self.org_ids[name] = i
            out.append({"id": i, "name": name, "kind": kind, "short_name": short_name,
                        "created_at": created, "updated_at": created})
        self.w.insert(Organisation, out)
        self.next_org_id = len(out) + 1

    # ------------------------------------------------------------------ curriculum

    def curriculum(self) -> None:
        rng, scale = self.rng, self.scale
        created = _stamp(dt.date(self.first_cohort, 7, 15), 9)
        self.programmes = []
        prow = []
        for i, (code, name, cap, _share) in enumerate(PROGRAMMES, start=1):
            self.programmes.append(code)
            prow.append({"id": i, "code": code, "name": name, "target_share": 0.5, "tolerance": 0.05,
                         "transfer_cap": cap, "created_at": created, "updated_at": created})
        self.w.insert(Programme, prow)

        # terms: from the first cohort's first term to the current one
        self.terms: dict[tuple[int, int], tuple[int, str, dt.date, dt.date]] = {}
        trow = []
        tid = 0
        for year in range(self.first_cohort, LAST_COHORT + 1):
            for n in (1, 2):
                code = _term_code(year, n)
                start, end = term_bounds(code)
                if start > REF_END:
                    continue
                tid += 1
                self.terms[(year, n)] = (tid, code, start, end)
                trow.append({"id": tid, "code": code, "start_on": start, "end_on": end})
        self.w.insert(Term, trow)

        # courses in groups (category, programme or None, recommended term); each course is offered
        # in a span of academic years, staggered so that every year has some of each group
        years = list(range(self.first_cohort, LAST_COHORT + 1))
        n_years = len(years)
        per_group = {CourseCategory.FOUNDATION: 2 * scale, CourseCategory.INDUSTRY: max(2, round(1.7 * scale)),
                     CourseCategory.OTHER: scale}
        groups: list[tuple[CourseCategory, str | None, int]] = []
        for term_no in range(1, 9):
            groups.append((CourseCategory.FOUNDATION, None, term_no))
            for code in self.programmes:
                groups.append((CourseCategory.INDUSTRY, code, term_no))
            if term_no <= 4:
                groups.append((CourseCategory.OTHER, None, term_no))
        universities = [u[0] for u in UNIVERSITIES[:8]]
        name_use: dict[str, int] = {}
        courses: list[dict[str, Any]] = []
        self.course_span: dict[int, tuple[int, int]] = {}
        self.course_cat: dict[int, CourseCategory] = {}
        self.course_credits: dict[int, float] = {}
        self.offer: dict[tuple[CourseCategory, str | None, int, int], list[int]] = {}
        self.plan: dict[str, list[tuple[int, bool, int]]] = {c: [] for c in self.programmes}
        counters = {CourseCategory.FOUNDATION: 100, CourseCategory.INDUSTRY: 200, CourseCategory.OTHER: 0}
        prefixes = {CourseCategory.FOUNDATION: "AGI", CourseCategory.INDUSTRY: "IND", CourseCategory.OTHER: "GEN"}
        cid = 0
        for cat, prog, term_no in groups:
            m = per_group[cat]
            if cat is CourseCategory.FOUNDATION:
                names = FOUNDATION_NAMES
            elif cat is CourseCategory.INDUSTRY:
                names = INDUSTRY_NAMES[prog]  # type: ignore[index]
            else:
                names = OTHER_NAMES
            for j in range(m):
                cid += 1
                lo = years[0] + (j * n_years) // m - 1
                hi = years[0] + ((j + 1) * n_years) // m - 1 + 1
                if m == 1 or scale == 1:
                    lo, hi = years[0], years[-1]
                lo, hi = max(lo, years[0]), min(max(hi, lo), years[-1])
                if j == m - 1:
                    hi = years[-1]
                self.course_span[cid] = (lo, hi)
                base = names[(term_no * 3 + j) % len(names)] if cat is not CourseCategory.INDUSTRY else names[
                    (term_no + j) % len(names)]
                k = name_use.get(base, 0)
                name_use[base] = k + 1
                name = base + VARIANTS[k % len(VARIANTS)] + (f"（{k // len(VARIANTS) + 1}）" if k >= len(VARIANTS)
                                                              else "")
                counters[cat] += 1
                if cat is CourseCategory.OTHER:
                    credits = rng.choice([1.0, 2.0, 2.0, 3.0])
                    provider, partner = self.org_ids[ACADEMY], None
                elif cat is CourseCategory.FOUNDATION:
                    credits = rng.choice([2.0, 2.5, 3.0, 3.0])
                    provider, partner = self.org_ids[rng.choice(universities)], None
                else:
                    credits = rng.choice([2.0, 2.5, 3.0, 3.0])
                    provider = self.org_ids[rng.choice(universities)]
                    partner = self.org_ids[rng.choice(INDUSTRY_PARTNERS[prog])]  # type: ignore[index]
                code = f"{prefixes[cat]}{counters[cat]:03d}"
                self.course_cat[cid] = cat
                self.course_credits[cid] = credits
                courses.append({"id": cid, "code": code, "name": name, "credits": credits, "category": cat,
                                "hours": 0, "provider_id": provider, "partner_id": partner,
                                "created_at": _stamp(dt.date(lo - 1, 7, 20), 10),
                                "updated_at": _stamp(dt.date(lo - 1, 7, 20), 10)})
                for y in range(lo, hi + 1):
                    self.offer.setdefault((cat, prog, term_no, y), []).append(cid)
                required = j % 3 == 0
                for p in (self.programmes if prog is None else [prog]):
                    self.plan[p].append((cid, required, term_no))
        # tune industry credits so that each plan's foundation share lands where PROGRAMMES says
        by_id = {c["id"]: c for c in courses}
        for code, _name, _cap, desired in PROGRAMMES:
            inds = [cid for cid, _r, _t in self.plan[code] if self.course_cat[cid] is CourseCategory.INDUSTRY]
            fnd = sum(self.course_credits[cid] for cid, _r, _t in self.plan[code]
                      if self.course_cat[cid] is CourseCategory.FOUNDATION)
            for i in range(len(inds) * 6):
                ind = sum(self.course_credits[c] for c in inds)
                share = fnd / (fnd + ind)
                if abs(share - desired) <= 0.006:
                    break
                cid = inds[i % len(inds)]
                step = 0.5 if share > desired else -0.5
                new = min(4.0, max(1.0, self.course_credits[cid] + step))
                self.course_credits[cid] = new
                by_id[cid]["credits"] = new
        for c in courses:
            c["hours"] = int(c["credits"] * 16)
        self.w.insert(Course, courses)
        self.course_code = {c["id"]: c["code"] for c in courses}
        self.course_name = {c["id"]: c["name"] for c in courses}
        pc = []
        pcid = 0
        for p_index, code in enumerate(self.programmes, start=1):
            for cid, required, term_no in self.plan[code]:
                pcid += 1
                pc.append({"id": pcid, "programme_id": p_index, "course_id": cid, "required": required,
                           "recommended_term": term_no, "created_at": created, "updated_at": created})
        self.w.insert(ProgrammeCourse, pc)

    # ------------------------------------------------------------------ students

    def students(self) -> None:
        rng = self.rng
        cohorts = list(range(self.first_cohort, LAST_COHORT + 1))
        weights = [1 + 0.08 * i for i in range(len(cohorts))]  # the academy grows a little every year
        total = STUDENTS_PER_UNIT * self.scale
        sizes = [int(total * w / sum(weights)) for w in weights]
        sizes[-1] += total - sum(sizes)
        homes = list(HOME_UNIVERSITIES)
        home_w = [HOME_UNIVERSITIES[h] for h in homes]
        self.students_list: list[_Student] = []
        rows = []
        sid = 0
        for cohort, size in zip(cohorts, sizes):
            serial = {code: 0 for code in self.programmes}
            enrolled = dt.date(cohort, 9, 1)
            graduation = dt.date(cohort + PROGRAMME_YEARS, 7, 1)
            for _ in range(size):
                sid += 1
                p_index = rng.choices([0, 1, 2], [40, 32, 28])[0]
                code = self.programmes[p_index]
                serial[code] += 1
                no = f"{cohort}{p_index + 1:02d}{serial[code]:04d}"
                gender = Gender.MALE if rng.random() < 0.62 else Gender.FEMALE
                name = self.person_name(gender)
                r = rng.random()
                status, end, reason = StudentStatus.ACTIVE, None, None
                if graduation <= REF_END:
                    if r < 0.04:
                        status, end, reason = StudentStatus.WITHDRAWN, _rand_date(
                            rng, _add_days(enrolled, 100), _add_days(graduation, -90)), "学生退学"
                    else:
                        status, end, reason = StudentStatus.GRADUATED, graduation, "学生毕业"
                elif cohort < LAST_COHORT:
                    if r < 0.02:
                        status, end, reason = StudentStatus.WITHDRAWN, _rand_date(
                            rng, _add_days(enrolled, 100), _add_days(REF_END, -30)), "学生退学"
                    elif r < 0.035:
                        status, end, reason = StudentStatus.SUSPENDED, _rand_date(
                            rng, _add_days(enrolled, 100), _add_days(REF_END, -30)), "学生休学"
                st = _Student(id=sid, no=no, name=name, cohort=cohort, prog=p_index, status=status,
                              start=enrolled, end=end, end_reason=reason,
                              no_contact=status is StudentStatus.ACTIVE and rng.random() < 0.05)
                self.students_list.append(st)
                rows.append({"id": sid, "student_no": no, "name": name, "cohort": cohort,
                             "programme_id": p_index + 1, "gender": gender, "status": status,
                             "home_university_id": self.org_ids[rng.choices(homes, home_w)[0]],
                             "enrolled_on": enrolled, "phone": self.phone(),
                             "email": f"{no}@stu.zhiwan.edu.cn", "notes": None,
                             "created_at": _stamp(_add_days(enrolled, -10), 10),
                             "updated_at": _stamp(end or _add_days(enrolled, -10), 10)})
        self.w.insert(Student, rows)

    # ------------------------------------------------------------------ mentors

    def mentors(self) -> None:
        rng = self.rng
        n = MENTORS_PER_UNIT * self.scale
        univ = [u[0] for u in UNIVERSITIES]
        univ_w = [6, 5, 12, 12, 8, 5, 6, 10, 5, 4, 4]
        companies = [c[0] for c in COMPANIES]
        self.mentor_list: list[_Mentor] = []
        rows = []
        counters = {"JS": 0, "QY": 0}
        cohorts = list(range(self.first_cohort, LAST_COHORT + 1))
        cohort_w = [1 + 0.08 * i for i in range(len(cohorts))]
        for mid in range(1, n + 1):
            from_company = rng.random() < 0.40
            if from_company:
                org = rng.choice(companies)
                roles = [MentorRole.INDUSTRY]
                title = rng.choice(INDUSTRY_TITLES)
                prefix = "QY"
            else:
                org = rng.choices(univ, univ_w)[0]
                r = rng.random()
                roles = ([MentorRole.ACADEMIC] if r < 0.35 else [MentorRole.STUDY] if r < 0.60
                         else [MentorRole.ACADEMIC, MentorRole.STUDY])
                title = rng.choice(ACADEMIC_TITLES if MentorRole.ACADEMIC in roles else STUDY_TITLES)
                prefix = "JS"
            counters[prefix] += 1
            staff_no = f"{prefix}{counters[prefix]:05d}"
            # mentors are recruited in step with the cohorts they will take on
            cohort = rng.choices(cohorts, cohort_w)[0]
            joined = _rand_date(rng, dt.date(cohort - 2, 9, 1), dt.date(cohort, 8, 1))
            left = None
            if rng.random() < 0.10:
                lo, hi = _add_days(joined, 400), _add_days(REF_END, -30)
                if lo < hi:
                    left = _rand_date(rng, lo, hi)
            gender = Gender.MALE if rng.random() < 0.6 else Gender.FEMALE
            name = self.person_name(gender)
            m = _Mentor(id=mid, staff_no=staff_no, name=name, org_id=self.org_ids[org], org_name=org,
                        roles=roles, joined=joined, left=left)
            self.mentor_list.append(m)
            rows.append({"id": mid, "staff_no": staff_no, "name": name, "organisation_id": m.org_id,
                         "title": title, "phone": self.phone(),
                         "email": f"{staff_no.lower()}@{self.org_domain.get(org, 'zhiwan.edu.cn')}",
                         "active": left is None, "created_at": _stamp(joined, 9),
                         "updated_at": _stamp(left or joined, 9)})
        self.mentor_rows = rows  # written after the assignments, when capacities are known

    def _eligible(self, role: MentorRole, day: dt.date) -> list[_Mentor]:
        key = (role, day.year, day.month)
        found = self._eligible_cache.get(key)
        if found is None:
            month_start = dt.date(day.year, day.month, 1)
            margin = _add_days(month_start, 90)
            found = [m for m in self.mentor_list if role in m.roles and m.joined <= month_start
                     and (m.left is None or m.left >= margin)]
            if not found:  # the very first months: anyone qualified who has joined by the day
                found = [m for m in self.mentor_list if role in m.roles and m.joined <= day
                         and (m.left is None or m.left > _add_days(day, 30))]
            self._eligible_cache[key] = found
        return found

    def _pick(self, role: MentorRole, day: dt.date, used: list[int], weight: float) -> _Mentor | None:
        pool = self._eligible(role, day)
        if not pool:
            return None
        # the least loaded of four random candidates (skipping mentors this student has already)
        found: list[_Mentor] = []
        for _ in range(12):
            m = pool[self.rng.randrange(len(pool))]
            if m.id not in used and m not in found:
                found.append(m)
                if len(found) == 4:
                    break
        if not found:
            return None
        best = min(found, key=lambda m: m.load)
        best.load += weight
        return best

    def assignments(self) -> None:
        rng = self.rng
        self._eligible_cache: dict[tuple[MentorRole, int, int], list[_Mentor]] = {}
        rows: list[dict[str, Any]] = []
        open_rows: dict[tuple[int, MentorRole], list[int]] = {}
        aid = 0
        offsets = {MentorRole.STUDY: (0, 7), MentorRole.ACADEMIC: (7, 45), MentorRole.INDUSTRY: (14, 60)}
        role_order = [MentorRole.STUDY, MentorRole.ACADEMIC, MentorRole.INDUSTRY]
        for st in self.students_list:
            used: list[int] = []
            missing = None
            if st.status is StudentStatus.ACTIVE and rng.random() < 0.04:
                missing = rng.choices(role_order, [20, 30, 50])[0]
            for role in role_order:
                lo, hi = offsets[role]
                day = _add_days(st.start, rng.randint(lo, hi))
                if day > REF_END or (st.end is not None and day >= st.end):
                    continue
                if missing is role and st.cohort == LAST_COHORT:
                    continue  # not assigned yet
                segs: list[list[Any]] = []
                while True:
                    # balance on the mentees still there at the end (the capacity that matters today)
                    m = self._pick(role, day, used, 1.0 if st.end is None else 0.2)
                    if m is None:
                        break
                    used.append(m.id)
                    cands: list[tuple[dt.date, str | None]] = []
                    if st.end is not None:
                        cands.append((st.end, st.end_reason))
                    if m.left is not None:
                        cands.append((m.left, rng.choice(LEAVE_REASONS)))
                    limit = st.end or REF_END
                    years = (limit - day).days / 365
                    if rng.random() < min(0.5, 0.05 * years) and (limit - day).days > 120:
                        cands.append((_rand_date(rng, _add_days(day, 60), _add_days(limit, -30)),
                                      rng.choice(REASSIGN_REASONS)))
                    end, reason = min(cands) if cands else (None, None)
                    if end is not None and end > REF_END:
                        end, reason = None, None
                    segs.append([m, day, end, reason])
                    if end is None or (st.end is not None and end >= st.end):
                        break
                    day = end
                if missing is role and segs and segs[-1][2] is None:
                    last = segs[-1]
                    lo_d = max(_add_days(last[1], 1), _add_days(REF_END, -100))
                    hi_d = _add_days(REF_END, -3)
                    if lo_d <= hi_d:
                        last[2], last[3] = _rand_date(rng, lo_d, hi_d), "导师工作调动"
                    else:
                        segs.pop()
                for m, s, e, reason in segs:
                    aid += 1
                    st.segs.append((role, m, s, e))
                    if e is None:
                        m.open[role] = m.open.get(role, 0) + 1
                        open_rows.setdefault((m.id, role), []).append(len(rows))
                    rows.append({"id": aid, "student_id": st.id, "mentor_id": m.id, "role": role,
                                 "start_on": s, "end_on": e, "end_reason": reason, "capacity_override": False,
                                 "override_reason": None, "created_by": "admin"})
        # capacities: room for most, a few mentors above theirs (an alert on the dashboard)
        qrows = []
        qid = 0
        for m in self.mentor_list:
            for role in m.roles:
                load = m.open.get(role, 0)
                if load >= 6 and rng.random() < 0.03:
                    # above capacity: the latest assignments were let through by an administrator
                    cap = load - rng.randint(1, 3)
                    latest = sorted(open_rows[(m.id, role)], key=lambda i: (rows[i]["start_on"], i))[cap:]
                    for i in latest:
                        rows[i]["capacity_override"] = True
                        rows[i]["override_reason"] = rng.choice(OVERRIDE_REASONS)
                else:
                    cap = max(8, int(math.ceil((load + rng.randint(1, 6)) / 5.0)) * 5)
                qid += 1
                qrows.append({"id": qid, "mentor_id": m.id, "role": role, "capacity": cap,
                              "created_at": _stamp(m.joined, 9), "updated_at": _stamp(m.joined, 9)})
        self.w.insert(Mentor, self.mentor_rows)
        self.w.insert(MentorQualification, qrows)
        self.w.insert(MentorAssignment, rows, fixed_stamp=True)
        del self.mentor_rows

    # ------------------------------------------------------------------ sessions and tasks

    def _segments_in_window(self) -> list[tuple[_Student, MentorRole, _Mentor, dt.date, dt.date]]:
        out = []
        w0, w1 = self.window_start, REF_END
        for st in self.students_list:
            for role, m, s, e in st.segs:
                a = max(s, w0)
                b = min(_add_days(e, -1) if e is not None else w1, w1)
                if a <= b:
                    out.append((st, role, m, a, b))
        return out

    def sessions(self) -> None:
        rng = self.rng
        segs = self._segments_in_window()
        total_days = sum((b - a).days + 1 for _st, _r, _m, a, b in segs) or 1
        rate = SESSIONS_PER_UNIT * self.scale / total_days
        quiet_from = dt.date(REF_END.year, ((REF_END.month - 1) // 3) * 3 + 1, 1) - dt.timedelta(days=92)
        quiet_from = dt.date(quiet_from.year, ((quiet_from.month - 1) // 3) * 3 + 1, 1)
        topics = TOPICS
        kinds = {role: [k for k, w in zip(*KIND_WEIGHTS[role]) for _ in range(w // 5)] for role in KIND_WEIGHTS}

        def rows() -> Iterator[dict[str, Any]]:
            sid = 0
            for st, role, m, a, b in segs:
                days = (b - a).days
                n = _stochastic_round(rng, rate * (days + 1))
                if n == 0:
                    continue
                kind_list = kinds[role]
                topic_list = topics[role]
                dates = sorted(a + dt.timedelta(days=rng.randint(0, days)) for _ in range(n))
                for d in dates:
                    if st.no_contact and d >= quiet_from:
                        continue
                    sid += 1
                    yield {"id": sid, "mentor_id": m.id, "student_id": st.id, "held_on": d,
                           "minutes": MINUTES[rng.randrange(10)], "kind": kind_list[rng.randrange(20)],
                           "topic": topic_list[rng.randrange(len(topic_list))],
                           "notes": NOTES[rng.randrange(len(NOTES))] if rng.random() < 0.3 else None,
                           "created_by": m.staff_no}

        self.w.insert(MentoringSession, rows(), fixed_stamp=True)

    def tasks(self) -> None:
        rng = self.rng
        segs = self._segments_in_window()
        total_days = sum((b - a).days + 1 for _st, _r, _m, a, b in segs) or 1
        rate = TASKS_PER_UNIT * self.scale / total_days

        def rows() -> Iterator[dict[str, Any]]:
            tid = 0
            for st, role, m, a, b in segs:
                n = _stochastic_round(rng, rate * ((b - a).days + 1))
                for _ in range(n):
                    assigned = _rand_date(rng, a, b)
                    due = _add_days(assigned, rng.choice([7, 14, 14, 21, 28, 30, 45]))
                    status, submitted, reviewed, score, feedback = TaskStatus.ASSIGNED, None, None, None, None
                    r = rng.random()
                    if due < _add_days(REF_END, -20):
                        p_sub, p_rev = 0.92, 0.84
                    else:
                        p_sub, p_rev = 0.5, 0.15
                    if r < p_sub:
                        sub = _add_days(assigned, rng.randint(2, (due - assigned).days + 6))
                        if sub <= REF_END:
                            status, submitted = TaskStatus.SUBMITTED, sub
                            if r < p_rev:
                                rev = _add_days(sub, rng.randint(1, 12))
                                if rev <= REF_END:
                                    status, reviewed = TaskStatus.REVIEWED, rev
                                    score = float(min(100, max(55, round(rng.gauss(84, 7)))))
                                    feedback = FEEDBACK[rng.randrange(len(FEEDBACK))]
                    tid += 1
                    yield {"id": tid, "mentor_id": m.id, "student_id": st.id,
                           "title": rng.choice(TASK_TITLES[role]), "description": None,
                           "assigned_on": assigned, "due_on": due, "status": status, "submitted_on": submitted,
                           "reviewed_on": reviewed, "score": score, "feedback": feedback}

        self.w.insert(Task, rows(), fixed_stamp=True)

    # ------------------------------------------------------------------ enrolments

    def enrolments(self) -> None:
        rng = self.rng
        term_weights = [4, 4, 4, 4, 3, 3, 2, 1]
        current = self.terms[max(self.terms)]

        def student_terms(st: _Student) -> list[tuple[int, int, int]]:
            out = []
            for k in range(1, 9):
                year = st.cohort + (k - 1) // 2
                n = 1 if k % 2 else 2
                info = self.terms.get((year, n))
                if info is None:
                    break
                start, end = info[2], info[3]
                if st.end is not None and end >= st.end and st.status is not StudentStatus.GRADUATED:
                    break  # left during this term
                if start > REF_END:
                    break
                out.append((k, year, n))
            return out

        plans = [(st, student_terms(st)) for st in self.students_list]
        weight_sum = sum(term_weights[k - 1] for _st, ts in plans for k, _y, _n in ts) or 1
        factor = ENROLMENTS_PER_UNIT * self.scale / weight_sum
        grade_words = list(GRADES)
        grade_w = [25, 40, 20, 12, 3]
        FND, IND, OTH = CourseCategory.FOUNDATION, CourseCategory.INDUSTRY, CourseCategory.OTHER

        def rows() -> Iterator[dict[str, Any]]:
            eid = 0
            for st, ts in plans:
                prog = self.programmes[st.prog]
                for k, year, n in ts:
                    tid, _code, start, end = self.terms[(year, n)]
                    count = max(1, _stochastic_round(rng, term_weights[k - 1] * factor))
                    n_f = count // 2 + (count % 2 if (k + st.id) % 2 else 0)
                    n_i = count - n_f
                    picks: list[int] = []
                    if k <= 4 and rng.random() < 0.35:
                        other = self.offer.get((OTH, None, k, year), [])
                        if other:
                            picks.append(other[rng.randrange(len(other))])
                            if n_f > n_i:
                                n_f -= 1
                            elif n_i:
                                n_i -= 1
                    for cat, p, want in ((FND, None, n_f), (IND, prog, n_i)):
                        pool = self.offer.get((cat, p, k, year), [])
                        picks.extend(rng.sample(pool, min(want, len(pool))))
                    is_current = tid == current[0]
                    for cid in picks:
                        eid += 1
                        if is_current:
                            score_text, score, passed, passed_on = None, None, False, None
                        elif self.course_cat[cid] is OTH and rng.random() < 0.6 or rng.random() < 0.1:
                            score_text = rng.choices(grade_words, grade_w)[0]
                            score, passed = GRADES[score_text], score_text != "不及格"
                            passed_on = end if passed else None
                        else:
                            s = rng.randint(30, 59) if rng.random() < 0.03 else min(100, round(rng.gauss(81, 8)))
                            score_text, score, passed = str(s), float(s), s >= 60
                            passed_on = end if passed else None
                        if passed:
                            st.passed.add(cid)
                        yield {"id": eid, "student_id": st.id, "course_id": cid, "term_id": tid,
                               "score_text": score_text, "score": score, "passed": passed, "passed_on": passed_on}

        self.w.insert(Enrolment, rows(), fixed_stamp=True)

    # ------------------------------------------------------------------ alliance credit recognition

    def alliance(self) -> None:
        rng = self.rng
        uni_by_code = {u[2]: u for u in UNIVERSITIES}
        urows, erows, rrows, lrows = [], [], [], []
        local_by_base: dict[str, int] = {}
        for cid in sorted(self.course_name):  # the latest course whose name starts with the base name
            for base in FOUNDATION_NAMES:
                if self.course_name[cid].startswith(base):
                    local_by_base[base] = cid
        self.ext: list[dict[str, Any]] = []
        rules: list[dict[str, Any]] = []
        ext_id = rule_id = 0
        created = _stamp(dt.date(self.first_cohort, 6, 1), 9)
        self.uni_info: dict[int, dict[str, Any]] = {}
        for uid, code in enumerate(ALLIANCE, start=1):
            name = uni_by_code[code][0]
            hpc = 18.0 if code in ("SCU", "SWU", "CQUT") else 16.0
            scale_json = dict(LETTER_SCALE) if code in ("CQU", "UESTC") else None
            a_from = dt.date(self.first_cohort - rng.randint(0, 1), 9, 1)
            a_to = dt.date(LAST_COHORT + rng.randint(1, 4), 8, 31)
            urows.append({"id": uid, "code": code, "name": name, "hours_per_credit": hpc, "grading_scale": scale_json,
                          "agreement_from": a_from, "agreement_to": a_to, "organisation_id": self.org_ids[name],
                          "created_at": created, "updated_at": created})
            self.uni_info[uid] = {"code": code, "hpc": hpc, "scale": scale_json}
            pool = EXTERNAL_POOL[:]
            rng.shuffle(pool)
            pool = pool[: rng.randint(9, len(pool))]
            combined_parts: list[int] = []
            combined_target = None
            n = 0
            for ext_name, credits, target in pool:
                ext_id += 1
                n += 1
                ecode = f"{EXT_PREFIX[code]}{rng.choice([2, 3, 4])}{n:02d}{rng.randint(1, 9)}"
                ext = {"id": ext_id, "university_id": uid, "code": ecode, "name": ext_name, "credits": credits,
                       "hours": int(credits * hpc), "created_at": created, "updated_at": created}
                erows.append(ext)
                info = {"id": ext_id, "uid": uid, "credits": credits, "hours": int(credits * hpc), "rules": []}
                self.ext.append(info)
                if target is None:
                    continue
                kind_word, arg = target
                if kind_word == "combined":
                    combined_parts.append(ext_id)
                    combined_target = local_by_base.get(arg)
                    continue
                local = local_by_base.get(arg) if kind_word == "course" else None
                if kind_word == "course" and local is None:
                    continue
                rules.append({"uid": uid, "code": code, "kind": RuleKind.COURSE if local else RuleKind.CATEGORY,
                              "local": local, "category": None if local else arg, "exts": [ext_id],
                              "credits": None if rng.random() < 0.5 else credits})
            if len(combined_parts) >= 2 and combined_target is not None:
                rules.append({"uid": uid, "code": code, "kind": RuleKind.COMBINED, "local": combined_target,
                              "category": None, "exts": combined_parts, "credits": None})
        ext_by_id = {e["id"]: e for e in self.ext}
        first_term = _term_code(self.first_cohort, 1)
        key_n: dict[str, int] = {}
        for r in rules:
            key_n[r["code"]] = key_n.get(r["code"], 0) + 1
            rule_key = f"{r['code']}-R{key_n[r['code']]:02d}"
            approved_at = dt.datetime(self.first_cohort - 1, 11, rng.randint(1, 28), 15, 0)
            revisions = 2 if rng.random() < 0.25 else 1
            draft = rng.random() < 0.06
            prev = None
            for rev in range(1, revisions + 1):
                rule_id += 1
                # the first version served at least one year before the change
                change_year = rng.randint(max(self.first_cohort + 1, LAST_COHORT - 3), LAST_COHORT - 1)
                status = RuleStatus.APPROVED
                valid_from, valid_to = first_term, None
                if revisions == 2 and rev == 1:
                    status, valid_to = RuleStatus.RETIRED, _term_code(change_year - 1, 2)
                    r["change"] = _term_code(change_year, 1)
                if rev == 2:
                    valid_from = r["change"]
                    approved_at = dt.datetime(change_year, 7, rng.randint(1, 28), 10, 0)
                min_score = 60.0 if rng.random() < 0.8 else 70.0
                credits = r["credits"]
                if rev == 2 and credits is not None:
                    credits = max(1.0, credits - 0.5)
                row = {"id": rule_id, "rule_key": rule_key, "revision": rev, "university_id": r["uid"],
                       "kind": r["kind"], "status": status, "local_course_id": r["local"], "category": r["category"],
                       "credits": credits, "min_score": min_score, "valid_from": valid_from, "valid_to": valid_to,
                       "supersedes_id": prev, "approved_by": "admin", "approved_at": approved_at,
                       "created_at": approved_at, "updated_at": approved_at}
                rrows.append(row)
                for e in r["exts"]:
                    lrows.append({"rule_id": rule_id, "external_course_id": e})
                    if r["kind"] is not RuleKind.COMBINED:
                        ext_by_id[e]["rules"].append(row)
                prev = rule_id
            if draft:  # a proposed change nobody has approved yet
                rule_id += 1
                rrows.append({"id": rule_id, "rule_key": rule_key, "revision": revisions + 1, "university_id": r["uid"],
                              "kind": r["kind"], "status": RuleStatus.DRAFT, "local_course_id": r["local"],
                              "category": r["category"], "credits": None, "min_score": 65.0,
                              "valid_from": _term_code(LAST_COHORT, 2), "valid_to": None, "supersedes_id": prev,
                              "approved_by": None, "approved_at": None,
                              "created_at": _stamp(dt.date(LAST_COHORT, 11, 10)),
                              "updated_at": _stamp(dt.date(LAST_COHORT, 11, 10))})
                for e in r["exts"]:
                    lrows.append({"rule_id": rule_id, "external_course_id": e})
        self.w.insert(University, urows)
        self.w.insert(ExternalCourse, erows)
        self.w.insert(EquivalenceRule, rrows)
        self.w.insert(RuleExternalCourse, lrows)
        self.transfers()

    def transfers(self) -> None:
        rng = self.rng
        target = TRANSFERS_PER_UNIT * self.scale
        candidates = [st for st in self.students_list
                      if (st.end or REF_END) > _add_days(max(st.start, self.window_start), 150)
                      and st.status in (StudentStatus.ACTIVE, StudentStatus.GRADUATED)]
        caps = {i: p[2] for i, p in enumerate(PROGRAMMES)}
        granted: dict[int, float] = {}
        seen: set[tuple[int, int]] = set()
        rows: list[dict[str, Any]] = []
        rid = 0
        tries = 0
        while len(rows) < target and tries < target * 20 and candidates:
            tries += 1
            st = candidates[rng.randrange(len(candidates))]
            ext = self.ext[rng.randrange(len(self.ext))]
            if (st.id, ext["id"]) in seen:
                continue
            lo = max(_add_days(st.start, 150), self.window_start)
            hi = min(_add_days(st.end, -1) if st.end else REF_END, REF_END)
            if lo > hi:
                continue
            submitted = _rand_date(rng, lo, hi)
            # the external course was taken in the last term that ended before the request
            year = submitted.year if submitted.month >= 8 else submitted.year - 1
            term = _term_code(year - 1, 2) if submitted.month >= 8 else _term_code(year, 1)
            if term < _term_code(st.cohort, 1):
                continue
            seen.add((st.id, ext["id"]))
            info = self.uni_info[ext["uid"]]
            if info["scale"] and rng.random() < 0.8:
                letter = rng.choices(list(LETTER_SCALE), [30, 40, 18, 8, 4])[0]
                score_text, score = letter, float(LETTER_SCALE[letter])
            else:
                s = min(100, max(40, round(rng.gauss(80, 10))))
                score_text, score = str(s), float(s)
            rule = None
            for r in ext["rules"]:
                if r["valid_from"] <= term and (r["valid_to"] is None or term <= r["valid_to"]):
                    rule = r
            status, decided, reason = TransferStatus.PENDING, None, None
            proposed = credits = None
            category = local = None
            if rule is not None:
                proposed = rule["credits"] or max(0.5, round(ext["hours"] / info["hpc"] * 2) / 2)
                local = rule["local_course_id"]
                category = self.course_cat[local] if local else rule["category"]
            age = (REF_END - submitted).days
            if age > 21 and rng.random() > 0.06:
                decided = min(REF_END, _add_days(submitted, rng.randint(3, 30)))
                if rule is None:
                    status, reason = TransferStatus.REJECTED, "无适用的互认规则"
                elif score < rule["min_score"]:
                    status, reason = TransferStatus.REJECTED, f"成绩低于互认最低要求（{rule['min_score']:g}分）"
                elif local is not None and local in st.passed:
                    status, reason = TransferStatus.REJECTED, "已修读并通过本校同等课程"
                elif rng.random() < 0.06:
                    status, reason = TransferStatus.REJECTED, rng.choice(REJECT_REASONS)
                else:
                    assert proposed is not None  # a rule applies (rule is not None), so credits were proposed
                    room = (caps[st.prog] or 1e9) - granted.get(st.id, 0.0)
                    credits = proposed
                    if room <= 0:
                        status, reason, credits = TransferStatus.REJECTED, "已达到本方案互认学分上限", None
                    else:
                        status = TransferStatus.APPROVED
                        if credits > room:
                            credits, reason = room, "超出本方案互认学分上限，部分认定"
                        elif rng.random() < 0.1 and credits > 1:
                            credits, reason = credits - 1, "学时不足，按学时折算部分认定"
                        granted[st.id] = granted.get(st.id, 0.0) + credits
                        if local is not None:
                            st.passed.add(local)
            rid += 1
            rows.append({"id": rid, "student_id": st.id, "university_id": ext["uid"], "external_course_id": ext["id"],
                         "term": term, "score_text": score_text, "score": score, "submitted_on": submitted,
                         "status": status, "rule_id": rule["id"] if rule else None, "proposed_credits": proposed,
                         "credits": credits if status is TransferStatus.APPROVED else None,
                         "category": category if status is TransferStatus.APPROVED or rule else None,
                         "local_course_id": local, "decided_on": decided if status is not TransferStatus.PENDING
                         else None, "decided_by": "admin" if status is not TransferStatus.PENDING else None,
                         "reason": reason, "created_at": self.stamp(submitted),
                         "updated_at": self.stamp(decided or submitted)})
        rows.sort(key=lambda r: (r["submitted_on"], r["id"]))
        for i, r in enumerate(rows, start=1):
            r["id"] = i
        self.w.insert(TransferRequest, rows)

    # ------------------------------------------------------------------ competition and incubation

    def competition(self) -> None:
        rng = self.rng
        seasons: list[dict[str, Any]] = []
        tracks: list[dict[str, Any]] = []
        projects: list[dict[str, Any]] = []
        members: list[dict[str, Any]] = []
        pmentors: list[dict[str, Any]] = []
        changes: list[dict[str, Any]] = []
        rows_of: tuple[list[dict[str, Any]], ...] = tuple([] for _ in range(8))
        judges_rows, rounds, criteria, jassign, scores, conflicts, companies, founders = rows_of
        track_id = project_id = member_id = change_id = round_id = crit_id = ja_id = score_id = 0
        conflict_id = company_id = 0
        company_orgs = [c[0] for c in COMPANIES]
        used_uscc: set[str] = set()
        used_names: set[str] = set()
        # judges: some mentors, the rest investors, officials and engineers
        n_judges = 10 + 4 * self.scale
        active_mentors = [m for m in self.mentor_list if m.left is None]
        n_mentor_judges = min(len(active_mentors), (n_judges * 2) // 5)
        mentor_judges = rng.sample(active_mentors, n_mentor_judges)
        for jid in range(1, n_judges + 1):
            if jid <= n_mentor_judges:
                m = mentor_judges[jid - 1]
                judges_rows.append({"id": jid, "name": m.name, "organisation_id": m.org_id, "mentor_id": m.id,
                                    "email": m.staff_no.lower() + "@zhiwan.edu.cn"})
            else:
                org = rng.choice(JUDGE_ORGS)
                judges_rows.append({"id": jid, "name": self.person_name(), "organisation_id": self.org_ids[org],
                                    "mentor_id": None, "email": f"judge{jid:03d}@zhiwan.edu.cn"})
        judge_list = [(r["id"], r["organisation_id"], r["mentor_id"]) for r in judges_rows]
        for r in judges_rows:
            r["created_at"] = r["updated_at"] = _stamp(dt.date(LAST_COHORT - self.scale, 2, 20), 9)
        conflict_keys: set[tuple[int, int, ConflictKind]] = set()
        judged: set[tuple[int, int]] = set()
        order = {s: i for i, s in enumerate([Stage.SUBMITTED, Stage.SCREENED, Stage.ROADSHOW, Stage.FINALIST,
                                             Stage.AWARDED, Stage.INCUBATING, Stage.INCORPORATED])}
        pipeline = list(order)
        for season_id, year in enumerate(range(LAST_COHORT - self.scale + 1, LAST_COHORT + 1), start=1):
            season_created = _stamp(dt.date(year, 1, 10), 9)
            seasons.append({"id": season_id, "year": year, "name": f"渝见智湾 创新创业大赛 {year}",
                            "target_projects": PROJECTS_PER_SEASON, "target_companies": COMPANIES_PER_SEASON,
                            "created_at": season_created, "updated_at": season_created})
            names = list(DEFAULT_TRACKS) + (["低空经济"] if year >= 2025 else [])
            season_tracks = []
            for seq, name in enumerate(names):
                track_id += 1
                tracks.append({"id": track_id, "season_id": season_id, "name": name, "seq": seq,
                               "created_at": season_created, "updated_at": season_created})
                season_tracks.append((track_id, name))
            # the season's dates
            d_sub = (dt.date(year, 3, 1), dt.date(year, 4, 30))
            d_stage = {Stage.SCREENED: (dt.date(year, 5, 10), dt.date(year, 5, 25)),
                       Stage.ROADSHOW: (dt.date(year, 6, 10), dt.date(year, 6, 30)),
                       Stage.FINALIST: (dt.date(year, 7, 15), dt.date(year, 7, 31)),
                       Stage.AWARDED: (dt.date(year, 9, 10), dt.date(year, 9, 20)),
                       Stage.INCUBATING: (dt.date(year, 9, 25), dt.date(year, 10, 12)),
                       Stage.INCORPORATED: (dt.date(year, 10, 15), dt.date(year, 11, 25))}
            day0 = d_sub[0]
            pool = [st for st in self.students_list if year - 4 <= st.cohort <= year - 1
                    and (st.end is None or st.end > d_sub[1])]
            n_projects = PROJECTS_PER_SEASON + rng.randint(-10, 25)
            n_inc = COMPANIES_PER_SEASON + rng.randint(-2, 2)
            funnel = ([Stage.INCORPORATED] * n_inc + [Stage.INCUBATING] * rng.randint(6, 10)
                      + [Stage.AWARDED] * rng.randint(8, 14) + [Stage.FINALIST] * rng.randint(12, 18)
                      + [Stage.ROADSHOW] * rng.randint(30, 40) + [Stage.DROPPED] * rng.randint(10, 16)
                      + [Stage.SCREENED] * rng.randint(80, 95))
            funnel += [Stage.SUBMITTED] * max(0, n_projects - len(funnel))
            rng.shuffle(funnel)
            # rounds and criteria
            season_rounds = {}
            for seq, (rname, rstage, norm, max_load) in enumerate(
                    [("初审", Stage.SUBMITTED, False, 40), ("路演评审", Stage.ROADSHOW, True, 20),
                     ("决赛", Stage.FINALIST, False, 20)], start=1):
                round_id += 1
                rounds.append({"id": round_id, "season_id": season_id, "seq": seq, "name": rname, "stage": rstage,
                               "normalise": norm, "max_load": max_load, "created_at": season_created,
                               "updated_at": season_created})
                crit_ids = []
                for cname, weight in CRITERIA:
                    crit_id += 1
                    criteria.append({"id": crit_id, "round_id": round_id, "name": cname, "weight": weight,
                                     "min_score": 0.0, "max_score": 10.0, "created_at": season_created,
                                     "updated_at": season_created})
                    crit_ids.append(crit_id)
                season_rounds[rstage] = (round_id, crit_ids)
            load: dict[tuple[int, int], int] = {}
            for serial, final in enumerate(funnel, start=1):
                project_id += 1
                submitted = _rand_date(rng, *d_sub)
                lead = pool[rng.randrange(len(pool))] if pool else None
                team: list[_Student] = [lead] if lead else []
                for _ in range(rng.randint(1, 4)):
                    if pool:
                        s = pool[rng.randrange(len(pool))]
                        if s not in team:
                            team.append(s)
                tr_id, tr_name = season_tracks[rng.choices(range(len(season_tracks)),
                                                           [30, 22, 32, 8] + [8] * (len(season_tracks) - 4))[0]]
                product_pool = TRACK_PRODUCTS.get(tr_name, TRACK_PRODUCTS["其他"])
                title = rng.choice(TITLE_PREFIXES) + rng.choice(product_pool)
                # mentors: the lead's academic (and often industry) mentor on the day
                p_mentors: list[int] = []
                sponsor = None
                if lead is not None:
                    acad = lead.mentor_on(MentorRole.ACADEMIC, submitted)
                    ind = lead.mentor_on(MentorRole.INDUSTRY, submitted)
                    if acad is not None:
                        p_mentors.append(acad.id)
                    if ind is not None and rng.random() < 0.6:
                        p_mentors.append(ind.id)
                    if rng.random() < 0.55:
                        sponsor = ind.org_id if ind is not None and rng.random() < 0.6 else self.org_ids[
                            rng.choice(company_orgs)]
                # the path through the pipeline
                if final is Stage.DROPPED:
                    reached = pipeline[: rng.choices([1, 2, 3, 4], [40, 30, 20, 10])[0]]
                else:
                    reached = pipeline[: order[final] + 1]
                moves: list[tuple[Stage | None, Stage, dt.date, str | None]] = [
                    (None, Stage.SUBMITTED, submitted, None)]
                last = submitted
                for stg in reached[1:]:
                    d = max(_rand_date(rng, *d_stage[stg]), _add_days(last, 1))
                    moves.append((reached[reached.index(stg) - 1], stg, d, None))
                    last = d
                drop_reason = None
                if final is Stage.DROPPED:
                    drop_reason = rng.choice(DROP_REASONS)
                    d = min(_add_days(last, rng.randint(5, 40)), REF_END)
                    moves.append((reached[-1], Stage.DROPPED, d, drop_reason))
                    last = d
                for frm, to, d, reason in moves:
                    change_id += 1
                    changes.append({"id": change_id, "project_id": project_id, "from_stage": frm, "to_stage": to,
                                    "changed_on": d, "changed_by": "admin", "reason": reason,
                                    "recorded_at": _stamp(d, 16)})
                projects.append({"id": project_id, "code": f"YJ{year}-{serial:04d}", "title": title,
                                 "season_id": season_id, "track_id": tr_id,
                                 "lead_student_id": lead.id if lead else None,
                                 "sponsor_id": sponsor, "stage": final, "stage_changed_on": last,
                                 "drop_reason": drop_reason, "submitted_on": submitted,
                                 "description": f"{tr_name}赛道项目：{title}。",
                                 "created_at": _stamp(submitted, 11), "updated_at": _stamp(last, 16)})
                for s in team:
                    member_id += 1
                    members.append({"id": member_id, "project_id": project_id, "student_id": s.id,
                                    "external_name": None, "external_organisation": None})
                if rng.random() < 0.2:
                    member_id += 1
                    members.append({"id": member_id, "project_id": project_id, "student_id": None,
                                    "external_name": self.person_name(),
                                    "external_organisation": rng.choice(EXTERNAL_MEMBER_ORGS)})
                for mid in p_mentors:
                    pmentors.append({"project_id": project_id, "mentor_id": mid})
                # conflicts of interest and judging (roadshow and final rounds)
                conflict_mentors = set(p_mentors)
                conflict_orgs: set[int] = set()
                for s in team:
                    for role, m, _s, _e in s.segs:
                        conflict_mentors.add(m.id)
                        if role is MentorRole.INDUSTRY:
                            conflict_orgs.add(m.org_id)
                for rstage in (Stage.ROADSHOW, Stage.FINALIST):
                    if rstage not in reached:
                        continue
                    r_id, crit_ids = season_rounds[rstage]
                    quality = rng.gauss(7.0, 0.9) + (0.6 if order[final if final is not Stage.DROPPED
                                                                   else reached[-1]] >= 4 else 0)
                    free = []
                    for jid, jorg, jmentor in judge_list:
                        kind = None
                        if jmentor is not None and jmentor in conflict_mentors:
                            kind, detail = ConflictKind.MENTORS_MEMBER, "评委指导过该项目团队成员"
                        elif jorg is not None and jorg == sponsor:
                            kind, detail = ConflictKind.SPONSOR, "评委所在单位为项目支持企业"
                        elif jorg is not None and jorg in conflict_orgs:
                            kind, detail = ConflictKind.SAME_ORG_AS_MENTOR, "评委与团队成员的产业导师同单位"
                        if kind is not None:
                            if rstage is Stage.ROADSHOW and (jid, project_id, kind) not in conflict_keys:
                                conflict_id += 1
                                conflicts.append({"id": conflict_id, "judge_id": jid, "project_id": project_id,
                                                  "kind": kind, "detail": detail,
                                                  "recorded_on": d_stage[Stage.ROADSHOW][0]})
                                conflict_keys.add((jid, project_id, kind))
                            continue
                        free.append(jid)
                    free.sort(key=lambda j: (load.get((r_id, j), 0), rng.random()))
                    for jid in free[:5]:
                        load[(r_id, jid)] = load.get((r_id, jid), 0) + 1
                        ja_id += 1
                        judged.add((jid, project_id))
                        jassign.append({"id": ja_id, "round_id": r_id, "judge_id": jid, "project_id": project_id,
                                        "manual": False})
                        bias = rng.gauss(0, 0.5)
                        for c in crit_ids:
                            score_id += 1
                            v = round(min(10.0, max(0.0, rng.gauss(quality + bias, 0.8))), 1)
                            scores.append({"id": score_id, "criterion_id": c, "judge_id": jid,
                                           "project_id": project_id, "value": v,
                                           "created_at": _stamp(d_stage[rstage][0], 15),
                                           "updated_at": _stamp(d_stage[rstage][0], 15)})
                if final is Stage.INCORPORATED:
                    company_id += 1
                    while True:
                        body = (rng.choice(DISTRICTS) + "MA" + "".join(
                            rng.choice(_USCC_CHARS) for _ in range(6)) + str(rng.randint(0, 9)))
                        first17 = "91" + body
                        code = first17 + uscc_check_char(first17)
                        if code not in used_uscc:
                            used_uscc.add(code)
                            break
                    while True:
                        cname = ("重庆" + rng.choice(COMPANY_WORDS_1) + rng.choice(COMPANY_WORDS_2)
                                 + rng.choice(COMPANY_SUFFIXES))
                        if cname not in used_names:
                            used_names.add(cname)
                            break
                    funding = round(rng.lognormvariate(5.5, 0.9) / 10) * 10.0 if rng.random() < 0.8 else None
                    companies.append({"id": company_id, "uscc": code, "name": cname, "project_id": project_id,
                                      "registered_on": last, "funding": funding, "employees": rng.randint(3, 45),
                                      "created_at": _stamp(last, 16), "updated_at": _stamp(last, 16)})
                    for s in team[: rng.randint(1, 3)]:
                        founders.append({"company_id": company_id, "student_id": s.id})
            # a few declared conflicts
            for _ in range(3):
                jid = judge_list[rng.randrange(len(judge_list))][0]
                pid = project_id - rng.randrange(n_projects)
                if (jid, pid, ConflictKind.DECLARED) not in conflict_keys and (jid, pid) not in judged:
                    conflict_keys.add((jid, pid, ConflictKind.DECLARED))
                    conflict_id += 1
                    conflicts.append({"id": conflict_id, "judge_id": jid, "project_id": pid,
                                      "kind": ConflictKind.DECLARED, "detail": "评委申报：与团队成员存在亲属关系",
                                      "recorded_on": day0})
        self.w.insert(Season, seasons)
        self.w.insert(Track, tracks)
        self.w.insert(Project, projects)
        self.w.insert(ProjectMember, members)
        self.w.insert(ProjectMentor, pmentors)
        self.w.insert(StageChange, changes)
        self.w.insert(Judge, judges_rows)
        self.w.insert(Round, rounds)
        self.w.insert(Criterion, criteria)
        self.w.insert(JudgeAssignment, jassign)
        self.w.insert(Score, scores)
        self.w.insert(Conflict, conflicts)
        self.w.insert(Company, companies)
        self.w.insert(CompanyFounder, founders)

    # ------------------------------------------------------------------ users

    def users(self) -> None:
        existing = set(self.session.scalars(select(User.username)))
        made = _stamp(dt.date(LAST_COHORT, 8, 25), 9)
        wanted: list[tuple[str, str, Role, int | None]] = [
            ("admin", "系统管理员", Role.ADMIN, None),
            ("leader", "学院领导", Role.VIEWER, None),
        ]
        # a handful of mentors with current mentees: two academic, two industry, one study
        chosen: list[_Mentor] = []
        for mrole, k in ((MentorRole.ACADEMIC, 2), (MentorRole.INDUSTRY, 2), (MentorRole.STUDY, 1)):
            ranked = sorted((m for m in self.mentor_list if m.left is None and m.open.get(mrole, 0) > 0
                             and m not in chosen and m.roles[0] is mrole),
                            key=lambda m: (-m.open.get(mrole, 0), m.id))
            chosen.extend(ranked[:k])
        for m in chosen:
            wanted.append((m.staff_no, m.name, Role.MENTOR, m.id))
        rows = []
        secured = server_logins(self.session)  # on a secured server every account is a login role
        for username, display, role, mentor_id in wanted:
            if username in existing:
                continue
            if secured:
                verifier = self.session.connection().connection.dbapi_connection.pgconn.encrypt_password(  # type: ignore[union-attr]
                    DEMO_PASSWORD.encode(), username.encode(), b"scram-sha-256").decode()
                self.session.execute(select(func.talentdesk_create_user(
                    username, verifier, role.value, mentor_id, display, False)))
                self.accounts.append(DemoAccount(username, role, DEMO_PASSWORD, display))
                continue
            rows.append({"username": username, "display_name": display, "password_hash": self.password_hash,
                         "role": role, "mentor_id": mentor_id, "active": True, "language": "zh",
                         "last_login_at": None, "created_at": made, "updated_at": made})
            self.accounts.append(DemoAccount(username, role, DEMO_PASSWORD, display))
        self.w.insert(User, rows)
        if secured:  # made one by one through the server's function, counted as the bulk rows are
            self.w.counts["users"] = self.w.counts.get("users", 0) + len(self.accounts)
