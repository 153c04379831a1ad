"""One student's record (Qt-free): the data object and its print-ready PDF.

The three mentors with their history, every session (date, mentor, minutes, topic, notes) with a
summary per role, the tasks (dates, status with overdue marked, score, feedback), courses and scores,
recognised credits with their sources, the 50/50 balance and the projects, and lines for the three
mentors' signatures and the academy's stamp — ``talentdesk report student``, the student detail
window's 打印档案, and a batch for a cohort or programme (one PDF, each student from a new page).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from db.academy import academy_name
from db.actor import Actor
from db.auth import log_access
from db.balance import in_band, student_credits
from db.errors import NotFound
from db.i18n import t
from db.labels import chinese
from db.mentoring import is_overdue
from db.models import (
    Course,
    Enrolment,
    ExternalCourse,
    Mentor,
    MentorAssignment,
    MentoringSession,
    MentorRole,
    Organisation,
    Programme,
    Project,
    ProjectMember,
    Season,
    Student,
    Task,
    Term,
    Track,
    TransferRequest,
    TransferStatus,
    University,
    assignment_active_on,
)
from db.permissions import check_student_access
from db.records import by_key

from . import pdf
from .fonts import find
from .text import ACADEMY, CATEGORY_ZH, ROLE_ZH, STAGE_ZH


@dataclass
class MentorLine:
    role: str
    mentor: str
    organisation: str
    start_on: str
    end_on: str | None
    end_reason: str | None


@dataclass
class SessionSummary:
    role: str
    sessions: int
    hours: float
    last: str | None


@dataclass
class SessionLine:
    held_on: str
    mentor: str
    role: str
    minutes: int
    kind: str
    topic: str
    notes: str


@dataclass
class TaskLine:
    title: str
    mentor: str
    assigned_on: str
    due_on: str
    status: str
    score: float | None
    submitted_on: str | None = None
    reviewed_on: str | None = None
    feedback: str | None = None
    overdue: bool = False
    cancelled_on: str | None = None


@dataclass
class CourseLine:
    term: str
    code: str
    name: str
    category: str
    credits: float
    score: str
    passed: bool


@dataclass
class RecognisedLine:
    university: str
    course: str
    term: str
    score: str
    credits: float | None
    counts_as: str
    decided_on: str | None


@dataclass
class ProjectLine:
    code: str
    title: str
    season: int
    track: str
    stage: str
    lead: bool


@dataclass
class StudentRecord:
    student_no: str
    name: str
    programme: str
    programme_code: str
    cohort: int
    status: str
    home_university: str | None
    enrolled_on: str | None
    as_of: str
    academy: str = ""
    mentors: list[MentorLine] = field(default_factory=list)
    sessions: list[SessionSummary] = field(default_factory=list)
    session_lines: list[SessionLine] = field(default_factory=list)
    tasks: list[TaskLine] = field(default_factory=list)
    courses: list[CourseLine] = field(default_factory=list)
    recognised: list[RecognisedLine] = field(default_factory=list)
    foundation_credits: float = 0.0
    industry_credits: float = 0.0
    other_credits: float = 0.0
    share: float | None = None
    target_share: float = 0.5
    tolerance: float = 0.05
    in_band: bool = False
    projects: list[ProjectLine] = field(default_factory=list)


def build(session: Session, actor: Actor, student_no: str, as_of: dt.date | None = None) -> StudentRecord:
    """Everything about one student; the actor must be allowed to read them (mentors: their mentees)."""
    as_of = as_of or dt.date.today()
    student = by_key(session, Student, Student.student_no, student_no)
    if student is None:
        raise NotFound(t("Student {no} does not exist.", no=student_no))
    check_student_access(session, actor, student.id)
    log_access(session, actor.username, "report_student", "students", student.id)
    prog = session.get(Programme, student.programme_id)
    if prog is None:  # deleted behind the app's back (db.integrity names such students)
        raise NotFound(t("Student {no} belongs to a programme that no longer exists (#{id}): assign a programme "
                         "first.", no=student.student_no, id=student.programme_id))
    rec = StudentRecord(student.student_no, student.name, prog.name, prog.code, student.cohort,
                        chinese(student.status), student.home_university.name if student.home_university else None,
                        student.enrolled_on.isoformat() if student.enrolled_on else None, as_of.isoformat(),
                        academy=academy_name(session), target_share=prog.target_share, tolerance=prog.tolerance)
    for a, m, org in session.execute(
            select(MentorAssignment, Mentor.name, Organisation.name)
            .join(Mentor, Mentor.id == MentorAssignment.mentor_id)
            .join(Organisation, Organisation.id == Mentor.organisation_id)
            .where(MentorAssignment.student_id == student.id)
            .order_by(MentorAssignment.role, MentorAssignment.start_on)):
        rec.mentors.append(MentorLine(ROLE_ZH[a.role], m, org, a.start_on.isoformat(),
                                      a.end_on.isoformat() if a.end_on else None, a.end_reason))
    # sessions by the role the mentor held on the session date
    role_on = (select(MentorAssignment.role).where(
        MentorAssignment.mentor_id == MentoringSession.mentor_id, MentorAssignment.student_id == student.id,
        assignment_active_on(MentoringSession.held_on))
        .limit(1).correlate(MentoringSession).scalar_subquery())
    rows = session.execute(
        select(role_on, func.count(), func.sum(MentoringSession.minutes), func.max(MentoringSession.held_on))
        .where(MentoringSession.student_id == student.id).group_by(role_on)).all()
    by_role = {role: (n, minutes, last) for role, n, minutes, last in rows}
    for role in MentorRole:
        n, minutes, last = by_role.get(role, (0, 0, None))
        rec.sessions.append(SessionSummary(ROLE_ZH[role], int(n), float(minutes or 0) / 60,
                                           last.isoformat() if last else None))
    for s, role, mentor in session.execute(
            select(MentoringSession, role_on, Mentor.name).join(Mentor, Mentor.id == MentoringSession.mentor_id)
            .where(MentoringSession.student_id == student.id)
            .order_by(MentoringSession.held_on, MentoringSession.id)):
        rec.session_lines.append(SessionLine(s.held_on.isoformat(), mentor, ROLE_ZH[role] if role else "",
                                             s.minutes, chinese(s.kind), s.topic or "", s.notes or ""))
    for task, mentor in session.execute(
            select(Task, Mentor.name).join(Mentor, Mentor.id == Task.mentor_id)
            .where(Task.student_id == student.id).order_by(Task.assigned_on.desc(), Task.id.desc())):
        rec.tasks.append(TaskLine(
            task.title, mentor, task.assigned_on.isoformat(), task.due_on.isoformat(), chinese(task.status),
            task.score, task.submitted_on.isoformat() if task.submitted_on else None,
            task.reviewed_on.isoformat() if task.reviewed_on else None, task.feedback, is_overdue(task, as_of),
            task.cancelled_on.isoformat() if task.cancelled_on else None))
    for e, c, term in session.execute(
            select(Enrolment, Course, Term.code).join(Course, Course.id == Enrolment.course_id)
            .join(Term, Term.id == Enrolment.term_id).where(Enrolment.student_id == student.id)
            .order_by(Term.code, Course.code)):
        rec.courses.append(CourseLine(term, c.code, c.name, CATEGORY_ZH[c.category.value], c.credits,
                                      e.score_text or ("" if e.score is None else f"{e.score:g}"), e.passed))
    local = Course.__table__.alias("local_course")
    for r, uni, ext_code, ext_name, local_code, local_name in session.execute(
            select(TransferRequest, University.name, ExternalCourse.code, ExternalCourse.name, local.c.code,
                   local.c.name)
            .join(University, University.id == TransferRequest.university_id)
            .join(ExternalCourse, ExternalCourse.id == TransferRequest.external_course_id)
            .outerjoin(local, local.c.id == TransferRequest.local_course_id)
            .where(TransferRequest.student_id == student.id, TransferRequest.status == TransferStatus.APPROVED)
            .order_by(TransferRequest.decided_on)):
        counts_as = f"{local_code} {local_name}" if local_code else CATEGORY_ZH.get(
            r.category.value if r.category else "", "") + "类学分"
        rec.recognised.append(RecognisedLine(uni, f"{ext_code} {ext_name}", r.term, r.score_text, r.credits, counts_as,
                                             r.decided_on.isoformat() if r.decided_on else None))
    credits = student_credits(session, student.id, as_of)
    rec.foundation_credits, rec.industry_credits, rec.other_credits = credits.foundation, credits.industry, \
        credits.other
    rec.share = credits.share
    rec.in_band = in_band(credits.share, prog.target_share, prog.tolerance)
    member = select(ProjectMember.project_id).where(ProjectMember.student_id == student.id)
    for p, year, track in session.execute(
            select(Project, Season.year, Track.name).join(Season, Season.id == Project.season_id)
            .join(Track, Track.id == Project.track_id)
            .where(or_(Project.lead_student_id == student.id, Project.id.in_(member)))
            .order_by(Season.year.desc(), Project.code)):
        rec.projects.append(ProjectLine(p.code, p.title, year, track, STAGE_ZH[p.stage],
                                        p.lead_student_id == student.id))
    return rec


def story(rec: StudentRecord, st: pdf.Styles) -> list[Any]:
    """The record's pages (no cover: page 1 starts with the student), ending with the signature lines."""
    out: list[Any] = [Paragraph(st.text(rec.academy or ACADEMY), st.subtitle),
                      Paragraph(st.text(f"学生培养档案 · {rec.name}（{rec.student_no}）"), st.title),
                      Paragraph(st.text(f"{rec.programme}（{rec.programme_code}） · {rec.cohort} 级 · {rec.status} · "
                                        f"截至 {rec.as_of}"), st.body), Spacer(1, 3 * mm)]
    out.append(Paragraph("一、基本信息", st.h1))
    out.append(pdf.table(st, ["学号", "姓名", "培养方案", "年级", "学籍状态", "所属高校", "入学日期"],
                         [[rec.student_no, rec.name, rec.programme, rec.cohort, rec.status, rec.home_university or "",
                           rec.enrolled_on or ""]], [22, 18, 44, 14, 18, 28, 22]))
    out.append(Paragraph("二、三导师及历史", st.h1))
    out.append(pdf.table(st, ["导师类型", "导师", "单位", "开始", "结束", "结束原因"],
                         [[m.role, m.mentor, m.organisation, m.start_on, m.end_on or "至今", m.end_reason or ""]
                          for m in rec.mentors] or [["—", "", "", "", "", ""]], [22, 22, 40, 22, 22, 36]))
    out.append(Paragraph("指导记录", st.h2))
    out.append(pdf.table(st, ["导师类型", "指导次数", "时长（小时）", "最近一次"],
                         [[s.role, s.sessions, f"{s.hours:.1f}", s.last or "—"] for s in rec.sessions],
                         [40, 30, 30, 40], (1, 2)))
    if rec.session_lines:
        out.append(Spacer(1, 2 * mm))
        out.append(pdf.table(st, ["日期", "导师", "时长", "方式", "主题", "记录"],
                             [[s.held_on, f"{s.mentor}（{s.role}）" if s.role else s.mentor, f"{s.minutes} 分钟",
                               s.kind, s.topic, s.notes] for s in rec.session_lines],
                             [20, 30, 16, 16, 36, 56], (2,)))
    if rec.tasks:
        out.append(Paragraph("指导任务", st.h2))

        def state(x: TaskLine) -> str:
            if x.cancelled_on:
                return f"已取消（{x.cancelled_on}）"
            # whose lateness: the student's (not handed in) or the review's (handed in on time)
            late = "" if not x.overdue else ("（逾期未交）" if x.submitted_on is None else "（评阅逾期）")
            if x.submitted_on and x.submitted_on > x.due_on:
                late += "（逾期提交）"
            return x.status + late

        out.append(pdf.table(st, ["任务", "导师", "布置", "截止", "提交", "状态", "评分", "评语"],
                             [[x.title, x.mentor, x.assigned_on, x.due_on, x.submitted_on or "", state(x),
                               "" if x.score is None else f"{x.score:g}", x.feedback or ""] for x in rec.tasks],
                             [32, 16, 19, 19, 19, 20, 11, 38], (6,)))
    out.append(Paragraph("三、课程与 50/50 结构", st.h1))
    share = "—" if rec.share is None else f"{rec.share * 100:.1f}%"
    verdict = "在范围内" if rec.in_band else "超出范围"
    out.append(Paragraph(
        f"已获学分：基础课 {rec.foundation_credits:g}，产业课 {rec.industry_credits:g}，其他 {rec.other_credits:g}；"
        f"基础课占比 {share}（方案目标 {rec.target_share * 100:.0f}% ± {rec.tolerance * 100:.0f}%，{verdict}）。",
        st.body))
    out.append(Spacer(1, 2 * mm))
    if rec.courses:
        out.append(pdf.table(st, ["学期", "课程代码", "课程名称", "类别", "学分", "成绩", "通过"],
                             [[c.term, c.code, c.name, c.category, f"{c.credits:g}", c.score,
                               "是" if c.passed else ("否" if c.score else "在修")] for c in rec.courses],
                             [24, 20, 56, 14, 14, 16, 12], (4, 5)))
    out.append(Paragraph("四、互认学分", st.h1))
    out.append(pdf.table(st, ["高校", "外校课程", "学期", "原成绩", "认定学分", "计入", "审核日期"],
                         [[r.university, r.course, r.term, r.score, "" if r.credits is None else f"{r.credits:g}",
                           r.counts_as, r.decided_on or ""] for r in rec.recognised] or [["—", "", "", "", "", "", ""]],
                         [24, 36, 22, 14, 16, 36, 22], (4,)))
    out.append(Paragraph("五、创新创业项目", st.h1))
    out.append(pdf.table(st, ["项目编号", "项目名称", "赛季", "赛道", "阶段", "角色"],
                         [[p.code, p.title, p.season, p.track, p.stage, "负责人" if p.lead else "成员"]
                          for p in rec.projects] or [["—", "", "", "", "", ""]], [24, 60, 14, 26, 20, 16]))
    out.append(KeepTogether([Paragraph("六、确认", st.h1), Paragraph("以上记录经核对无误。", st.body),
                             Spacer(1, 4 * mm), signatures(rec, st)]))
    return out


def signatures(rec: StudentRecord, st: pdf.Styles) -> Table:
    """Lines tall enough to sign on: each current mentor by role (named), then the academy's stamp."""
    current = {m.role: m.mentor for m in rec.mentors if m.end_on is None}
    rows: list[list[Paragraph | str]]
    rows = [[Paragraph(st.text(f"{role}：{current.get(role, '')}"), st.body), Paragraph("签字：", st.body),
             Paragraph("日期：", st.body)] for role in ROLE_ZH.values()]
    rows.append([Paragraph(st.text(f"{rec.academy or ACADEMY}（盖章）"), st.body), "", Paragraph("日期：", st.body)])
    table = Table(rows, colWidths=[58 * mm, 62 * mm, 50 * mm], rowHeights=[14 * mm] * 3 + [30 * mm])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), st.font), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                               ("LINEBELOW", (1, 0), (-1, -1), 0.6, pdf.GREY),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return table


def write_pdf(rec: StudentRecord, path: Path | str, font_path: str | Path | None = None,
              missing: dict[str, str] | None = None) -> Path:
    """The record as a PDF; ``missing`` receives the text whose characters no installed font has."""
    font = find(font_path)
    st = pdf.styles(font)
    header = f"{rec.academy or ACADEMY} · 学生培养档案 · {rec.name}（{rec.student_no}）"
    return pdf.build_pdf(Path(path), font, header, f"学生培养档案 {rec.student_no}", story(rec, st), st=st,
                         missing=missing, cover=False)


def write_batch(recs: list[StudentRecord], path: Path | str, title: str, font_path: str | Path | None = None,
                missing: dict[str, str] | None = None, on_page: Callable[[int], None] | None = None) -> Path:
    """Several records in one PDF (a cohort, a programme), each from a new page; ``on_page`` may raise to
    cancel (nothing is written then)."""
    font = find(font_path)
    st = pdf.styles(font)
    flow: list[Any] = []
    for i, rec in enumerate(recs):
        if i:
            flow.append(PageBreak())
        flow += story(rec, st)
    academy = recs[0].academy if recs else ACADEMY
    return pdf.build_pdf(Path(path), font, f"{academy or ACADEMY} · 学生培养档案 · {title}", f"学生培养档案 {title}",
                         flow, st=st, missing=missing, cover=False, on_page=on_page)
