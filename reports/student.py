"""One student's record (Qt-free): the data object and its print-ready PDF.

The three mentors with their history, a sessions summary, the tasks, courses and scores, recognised
credits with their sources, the 50/50 balance and the projects — ``talentdesk report student``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from db.auth import Actor, check_student_access, log_access
from db.balance import in_band, student_credits
from db.errors import NotFound
from db.i18n import register, t
from db.labels import chinese
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
from db.records import by_key

from . import pdf
from .fonts import find
from .text import ACADEMY, CATEGORY_ZH, ROLE_ZH, STAGE_ZH

register({"Student {no} does not exist.": "学号 {no} 不存在。",
          "Student {no} belongs to a programme that no longer exists (#{id}): assign a programme first.": (
              "学生 {no} 所属的培养方案（#{id}）已不存在：请先为其指定培养方案。")})


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
class TaskLine:
    title: str
    mentor: str
    assigned_on: str
    due_on: str
    status: str
    score: float | None


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
    mentors: list[MentorLine] = field(default_factory=list)
    sessions: list[SessionSummary] = field(default_factory=list)
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
                        target_share=prog.target_share, tolerance=prog.tolerance)
    for a, m, org in session.execute(
            select(MentorAssignment, Mentor.name, Organisation.name).join(Mentor, Mentor.id == MentorAssignment.mentor_id)
            .join(Organisation, Organisation.id == Mentor.organisation_id)
            .where(MentorAssignment.student_id == student.id).order_by(MentorAssignment.role, MentorAssignment.start_on)):
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
    for task, mentor in session.execute(
            select(Task, Mentor.name).join(Mentor, Mentor.id == Task.mentor_id)
            .where(Task.student_id == student.id).order_by(Task.assigned_on.desc())):
        rec.tasks.append(TaskLine(task.title, mentor, task.assigned_on.isoformat(), task.due_on.isoformat(),
                                  chinese(task.status), task.score))
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
        rec.projects.append(ProjectLine(p.code, p.title, year, track, STAGE_ZH[p.stage], p.lead_student_id == student.id))
    return rec


def write_pdf(rec: StudentRecord, path: Path | str, font_path: str | Path | None = None,
              missing: dict[str, str] | None = None) -> Path:
    """The record as a PDF; ``missing`` receives the text whose characters no installed font has."""
    path = Path(path)
    font = find(font_path)
    st = pdf.styles(font)
    story = pdf.cover(st, "学生培养档案", f"{rec.name}（{rec.student_no}）",
                       [f"{rec.programme}（{rec.programme_code}） · {rec.cohort} 级 · {rec.status}",
                        f"截至 {rec.as_of}"])
    story.append(Paragraph("一、基本信息", st.h1))
    story.append(pdf.table(st, ["学号", "姓名", "培养方案", "年级", "学籍状态", "所属高校", "入学日期"],
                           [[rec.student_no, rec.name, rec.programme, rec.cohort, rec.status, rec.home_university or "",
                             rec.enrolled_on or ""]], [22, 18, 44, 14, 18, 28, 22]))
    story.append(Paragraph("二、三导师及历史", st.h1))
    story.append(pdf.table(st, ["导师类型", "导师", "单位", "开始", "结束", "结束原因"],
                           [[m.role, m.mentor, m.organisation, m.start_on, m.end_on or "至今", m.end_reason or ""]
                            for m in rec.mentors] or [["—", "", "", "", "", ""]], [22, 22, 40, 22, 22, 36]))
    story.append(Paragraph("指导记录汇总", st.h2))
    story.append(pdf.table(st, ["导师类型", "指导次数", "时长（小时）", "最近一次"],
                           [[s.role, s.sessions, f"{s.hours:.1f}", s.last or "—"] for s in rec.sessions],
                           [40, 30, 30, 40], (1, 2)))
    if rec.tasks:
        story.append(Paragraph("指导任务", st.h2))
        story.append(pdf.table(st, ["任务", "导师", "布置", "截止", "状态", "评分"],
                               [[x.title, x.mentor, x.assigned_on, x.due_on, x.status,
                                 "" if x.score is None else f"{x.score:g}"] for x in rec.tasks],
                               [56, 20, 22, 22, 20, 14], (5,)))
    story.append(Paragraph("三、课程与 50/50 结构", st.h1))
    share = "—" if rec.share is None else f"{rec.share * 100:.1f}%"
    verdict = "在范围内" if rec.in_band else "超出范围"
    story.append(Paragraph(
        f"已获学分：基础课 {rec.foundation_credits:g}，产业课 {rec.industry_credits:g}，其他 {rec.other_credits:g}；"
        f"基础课占比 {share}（方案目标 {rec.target_share * 100:.0f}% ± {rec.tolerance * 100:.0f}%，{verdict}）。",
        st.body))
    story.append(Spacer(1, 2 * mm))
    if rec.courses:
        story.append(pdf.table(st, ["学期", "课程代码", "课程名称", "类别", "学分", "成绩", "通过"],
                               [[c.term, c.code, c.name, c.category, f"{c.credits:g}", c.score,
                                 "是" if c.passed else ("否" if c.score else "在修")] for c in rec.courses],
                               [24, 20, 56, 14, 14, 16, 12], (4, 5)))
    story.append(Paragraph("四、互认学分", st.h1))
    story.append(pdf.table(st, ["高校", "外校课程", "学期", "原成绩", "认定学分", "计入", "审核日期"],
                           [[r.university, r.course, r.term, r.score, "" if r.credits is None else f"{r.credits:g}",
                             r.counts_as, r.decided_on or ""] for r in rec.recognised] or [["—", "", "", "", "", "", ""]],
                           [24, 36, 22, 14, 16, 36, 22], (4,)))
    story.append(Paragraph("五、创新创业项目", st.h1))
    story.append(pdf.table(st, ["项目编号", "项目名称", "赛季", "赛道", "阶段", "角色"],
                           [[p.code, p.title, p.season, p.track, p.stage, "负责人" if p.lead else "成员"]
                            for p in rec.projects] or [["—", "", "", "", "", ""]], [24, 60, 14, 26, 20, 16]))
    header = f"{ACADEMY} · 学生培养档案 · {rec.name}（{rec.student_no}）"
    return pdf.build_pdf(path, font, header, f"学生培养档案 {rec.student_no}", story, st=st, missing=missing)
