"""The competition and incubation pipeline (创赛 渝见智湾): seasons, tracks, projects and their stage
pipeline, judges, rounds, rubric criteria, judge assignment, scoring, rankings, conflicts of interest,
incubated companies and the season's funnel against its targets.

Rules (DESIGN.md section 2 and issue 6), enforced here whatever the caller:
- every stage change is recorded with its date and user; dropping needs a reason; moving a project
  backwards needs a reason; a dropped project changes stage only through an explicit reopen (with a
  reason); skipping forward is allowed and recorded as one move;
- a project code is used once (the column is unique across seasons, which is stricter than per season);
- the lead is a student of the academy; team members are students or outside people by name;
- a judge with a conflict of interest with a project (detected from the academy's own data, or
  declared) is neither assigned to it nor allowed to score it;
- a score lies within its criterion's range; a score sheet is saved whole or not at all;
- a company's unified social credit code (统一社会信用代码) passes the GB 32100 check.

Conflict detection uses the academy's data: the judge (through ``Judge.mentor_id``) is or was a
mentor of a team member, or is one of the project's mentors (``mentors_member``); the judge's
organisation is the project's sponsor (``sponsor``); the judge's organisation employs an industry
mentor (current or former) of a team member (``same_org_as_mentor``, DESIGN.md section 2 names the
industry mentor: a university employing a member's academic mentor is not a conflict by itself).
Declared conflicts (and detected ones once recorded) live in ``conflicts``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import and_, case, exists, false, func, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from .actor import Actor
from .batch import read_together
from .errors import NotFound, PermissionDenied, RuleViolation, TalentDeskError, ValidationError
from .errors import invalid as _invalid
from .errors import unknown as _unknown
from .i18n import t
from .labels import label
from .listing import Column, Filter, ListSpec
from .models import (
    DEFAULT_TRACKS,
    PIPELINE_ORDER,
    Company,
    CompanyFounder,
    Conflict,
    ConflictKind,
    Criterion,
    Judge,
    JudgeAssignment,
    Mentor,
    MentorAssignment,
    MentorRole,
    Organisation,
    OrgKind,
    Project,
    ProjectMember,
    ProjectMentor,
    Round,
    Score,
    Season,
    Stage,
    StageChange,
    Student,
    Track,
)
from .people import organisation
from .permissions import check_student_access, mentee_filter, require_admin
from .records import apply, by_key, ensure_unique, flush, get_for_update, set_links
from .sqltyping import AnySelect

#: the mentor roles whose organisation makes a same-organisation conflict (DESIGN.md section 2)
SAME_ORG_ROLES = frozenset({MentorRole.INDUSTRY})
DEFAULT_CRITERIA = (("创新性", 0.3), ("技术可行性", 0.3), ("市场前景", 0.25), ("团队", 0.15))
_STAGE_INDEX = {s: i for i, s in enumerate(PIPELINE_ORDER)}
_CJK = re.compile(r"[\u3400-\u9fff]")
_EXTERNAL = re.compile(r"^(?P<name>[^()（）]+?)\s*(?:[(（](?P<org>[^()（）]*)[)）])?$")


def _not_mentor(actor: Actor) -> None:
    if actor.is_mentor:
        raise PermissionDenied(t("You do not have permission to do this."))


def stage_index(stage: Stage) -> int:
    """Position in the pipeline (DROPPED has none: -1)."""
    return _STAGE_INDEX.get(stage, -1)


# --------------------------------------------------------------------------- unified social credit codes

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters of a credit code."""
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_CHARS[(31 - total % 31) % 31]


def check_uscc(value: str | None, key: str = "uscc") -> str:
    """A valid credit code (upper-cased, spaces removed) or a ValidationError naming what is wrong."""
    s = (value or "").replace(" ", "").upper()
    if not s:
        raise _invalid(key, t("The unified social credit code is required."))
    if len(s) != 18:
        raise _invalid(key, t("{value} is not a unified social credit code: it must have 18 characters.", value=s))
    for ch in s:
        if ch not in USCC_CHARS:
            raise _invalid(key, t("{value} is not a unified social credit code: {char} is not allowed.",
                                  value=s, char=ch))
    expected = uscc_check_char(s[:17])
    if s[17] != expected:
        raise _invalid(key, t("{value} is not a unified social credit code: the check character should be "
                              "{expected}.", value=s, expected=expected))
    return s


# --------------------------------------------------------------------------- seasons and tracks


def season_by_year(session: Session, year: int, key: str = "season") -> Season:
    season = session.scalar(select(Season).where(Season.year == int(year)))
    if season is None:
        raise _unknown(key, t("Season {year} does not exist.", year=year))
    return season


def ensure_season(session: Session, actor: Actor, year: int) -> Season:
    """The season of ``year``, created (with the four default tracks) when new."""
    season = session.scalar(select(Season).where(Season.year == int(year)))
    if season is None:
        season, _ = save_season(session, actor, {"year": int(year)})
    return season


SEASON_KEYS = ("year", "name", "target_projects", "target_companies")


def save_season(session: Session, actor: Actor, values: dict[str, Any], *, season_id: int | None = None,
                expected_version: int | None = None) -> tuple[Season, bool]:
    """Create or update a season; a new season starts with the default tracks (DESIGN.md glossary)."""
    require_admin(actor)
    data = {k: v for k, v in values.items() if k in SEASON_KEYS}
    if "year" in data and (data["year"] is None or not 1990 <= int(data["year"]) <= 2100):
        raise _invalid("year", t("{year} is not a year.", year=data["year"]))
    for key in ("target_projects", "target_companies"):
        if key in data:
            if data[key] is None:
                data[key] = 300 if key == "target_projects" else 20
            if int(data[key]) < 1:
                raise _invalid(key, t("The target must be a positive whole number."))
    season = get_for_update(session, Season, season_id, expected_version, t("Season")) if season_id else None
    if "year" in data:
        ensure_unique(session, Season, "year", data["year"], label=t("Season"),
                      exclude_id=season.id if season else None)
    created = season is None
    if season is None:
        data.setdefault("name", t("Innovation competition {year}", year=data["year"]))
        if not data.get("name"):
            data["name"] = t("Innovation competition {year}", year=data["year"])
        season = Season(**data)
        session.add(season)
        flush(session)
        for seq, name in enumerate(DEFAULT_TRACKS):
            session.add(Track(season_id=season.id, name=name, seq=seq))
    else:
        apply(season, data)
    flush(session)
    return season, created


def add_track(session: Session, actor: Actor, season_id: int, name: str) -> Track:
    require_admin(actor)
    season = session.get(Season, season_id)
    if season is None:
        raise NotFound(t("{entity} {key} was not found.", entity=t("Season"), key=season_id))
    name = name.strip()
    if session.scalar(select(Track.id).where(Track.season_id == season_id, Track.name == name)) is not None:
        raise _invalid("track", t("Track {track} already exists in season {year}.", track=name, year=season.year))
    seq = (session.scalar(select(func.max(Track.seq)).where(Track.season_id == season_id)) or 0) + 1
    track = Track(season_id=season_id, name=name, seq=seq)
    session.add(track)
    flush(session)
    return track


def track_by_name(session: Session, season: Season, name: str, key: str = "track") -> Track:
    tracks = list(session.scalars(select(Track).where(Track.season_id == season.id).order_by(Track.seq)))
    wanted = name.strip().lower()
    for tr in tracks:
        if tr.name.lower() == wanted:
            return tr
    raise _unknown(key, t("Track {track} is not a track of season {year}; its tracks are: {tracks}.",
                          track=name, year=season.year, tracks="、".join(tr.name for tr in tracks)))


@dataclass(frozen=True)
class SeasonLine:
    id: int
    year: int
    name: str
    target_projects: int
    target_companies: int
    tracks: tuple[str, ...]
    version: int


def seasons(session: Session, actor: Actor) -> list[SeasonLine]:
    """Every season, newest first (mentors too: they filter their mentees' projects by season)."""
    tracks: dict[int, list[str]] = defaultdict(list)
    for sid, name in session.execute(select(Track.season_id, Track.name).order_by(Track.season_id, Track.seq)):
        tracks[sid].append(name)
    return [SeasonLine(s.id, s.year, s.name, s.target_projects, s.target_companies, tuple(tracks[s.id]), s.version)
            for s in session.scalars(select(Season).order_by(Season.year.desc()))]


# --------------------------------------------------------------------------- projects

PROJECT_KEYS = ("code", "title", "season", "track", "lead", "members", "mentors", "sponsor", "stage",
                "drop_reason", "submitted_on", "description")


def project_by_code(session: Session, code: str, key: str = "project") -> Project:
    project = session.scalar(select(Project).where(func.lower(Project.code) == code.strip().lower()))
    if project is None:
        raise _unknown(key, t("Project {code} does not exist.", code=code))
    return project


def _student(session: Session, no: str) -> Student | None:
    return by_key(session, Student, Student.student_no, no)


def _members(session: Session, entries: Iterable[str]) -> list[tuple[int | None, str | None, str | None]]:
    """(student_id, external name, external organisation) per entry: a student number, or an outside
    person by name, optionally with the organisation in brackets: 张三(重庆邮电大学)."""
    out: list[tuple[int | None, str | None, str | None]] = []
    for raw in entries:
        entry = raw.strip()
        if not entry:
            continue
        st = _student(session, entry)
        if st is not None:
            out.append((st.id, None, None))
            continue
        m = _EXTERNAL.match(entry)
        if not _CJK.search(entry) or m is None:
            raise _invalid("members", t("No student has number {no}; an outside member is written by name, e.g. "
                                        "张三(重庆邮电大学).", no=entry))
        out.append((None, m.group("name").strip()[:60], (m.group("org") or "").strip()[:120] or None))
    return out


def save_project(session: Session, actor: Actor, values: dict[str, Any], *, project_id: int | None = None,
                 expected_version: int | None = None, upsert: bool = False,
                 on: dt.date | None = None) -> tuple[Project, bool]:
    """Create or update a project; returns (project, created).

    ``values``: code, title, season (year), track (name), lead (student number), members (student
    numbers or outside names), mentors (staff numbers), sponsor (organisation name), stage, submitted_on,
    description. A new project gets one recorded stage change (to its initial stage, default submitted);
    a different ``stage`` on an existing project goes through ``change_stage`` and its rules.
    ``upsert`` (the import path) updates the project with the same code.
    """
    require_admin(actor)
    data = {k: v for k, v in values.items() if k in PROJECT_KEYS}
    project = None
    if project_id is not None:
        project = get_for_update(session, Project, project_id, expected_version, t("Project"))
    elif upsert and data.get("code"):
        project = session.scalar(select(Project).where(func.lower(Project.code) == str(data["code"]).lower()))
    created = project is None
    row: dict[str, Any] = {}
    if "season" in data and data["season"] is not None:
        season = ensure_season(session, actor, int(data["season"]))
    elif project is not None:
        season = project.season
    else:
        raise _invalid("season", t("This required field is empty."))
    if "code" in data:
        code = str(data["code"]).strip()
        other = session.scalar(select(Project).where(func.lower(Project.code) == code.lower(),
                                                     Project.id != (project.id if project else -1)))
        if other is not None:
            raise _invalid("code", t("Project code {code} is already used in season {year}.", code=code,
                                     year=other.season.year))
        row["code"] = code
    if project is not None and season.id != project.season_id:
        raise _invalid("season", t("Project code {code} is already used in season {year}.", code=project.code,
                                   year=project.season.year))
    row["season_id"] = season.id
    if "track" in data and data["track"]:
        row["track_id"] = track_by_name(session, season, data["track"]).id
    elif created:
        raise _invalid("track", t("This required field is empty."))
    lead: Student | None = None
    if "lead" in data:
        if not data["lead"]:
            raise _invalid("lead", t("The lead is required."))
        lead = _student(session, str(data["lead"]))
        if lead is None:
            raise _unknown("lead", t("The lead must be a student of the academy: no student has number {no}.",
                                     no=data["lead"]))
        row["lead_student_id"] = lead.id
    elif created:
        raise _invalid("lead", t("The lead is required."))
    if "sponsor" in data:
        row["sponsor_id"] = organisation(session, data["sponsor"], OrgKind.COMPANY).id if data["sponsor"] else None
    for key in ("title", "submitted_on", "description"):
        if key in data:
            row[key] = data[key]
    if created and not row.get("submitted_on"):
        raise _invalid("submitted_on", t("This required field is empty."))
    members = _members(session, data["members"] or []) if "members" in data else None
    mentor_ids: list[int] | None = None
    if "mentors" in data:
        mentor_ids = []
        for no in data["mentors"] or []:
            m = by_key(session, Mentor.id, Mentor.staff_no, no)
            if m is None:
                raise _unknown("mentors", t("Mentor {no} does not exist.", no=no))
            if m not in mentor_ids:
                mentor_ids.append(m)
    stage: Stage | None = data.get("stage")
    drop_reason = (data.get("drop_reason") or "").strip() or None
    # DESIGN section 2: a project is dropped with a reason, and only a dropped project has one
    dropped = stage is Stage.DROPPED or (stage is None and project is not None and project.stage is Stage.DROPPED)
    if dropped and drop_reason is None and (created or stage is not None and project is not None
                                             and project.stage is not Stage.DROPPED):
        raise _invalid("drop_reason", t("Dropping a project needs a reason."))
    if drop_reason is not None and not dropped:
        raise _invalid("drop_reason", t("A reason for dropping goes only with the stage {stage}.",
                                        stage=label(Stage.DROPPED)))
    if created:
        initial = stage or Stage.SUBMITTED
        day = row["submitted_on"] if initial is Stage.SUBMITTED else max(on or dt.date.today(), row["submitted_on"])
        project = Project(stage=initial, stage_changed_on=day, drop_reason=drop_reason, **row)
        session.add(project)
        flush(session)
        session.add(StageChange(project_id=project.id, from_stage=None, to_stage=initial, changed_on=day,
                                changed_by=actor.username,
                                reason=(drop_reason if initial is Stage.DROPPED else
                                        None if initial is Stage.SUBMITTED else t("Imported at this stage"))))
    else:
        assert project is not None
        if drop_reason is not None and project.stage is Stage.DROPPED:
            row["drop_reason"] = drop_reason  # the reason of a drop already made, corrected
        apply(project, row)
    assert project is not None
    if members is not None or lead is not None:
        _set_members(session, project, members, lead)
    if mentor_ids is not None:
        set_links(session, ProjectMentor, "project_id", project.id, "mentor_id", mentor_ids)
    flush(session)
    if not created and stage is not None and stage is not project.stage:
        change_stage(session, actor, project.id, stage, on=on, reason=drop_reason)
    return project, created


def change_stage_many(session: Session, actor: Actor, project_ids: list[int], stage: Stage, *,
                      on: dt.date | None = None, reason: str | None = None) -> list[Project]:
    """Move several projects to ``stage`` at once (the results of a round of judging), each through
    ``change_stage`` and its rules, each change recorded; all or none, naming the project refused."""
    require_admin(actor)
    if not project_ids:
        raise _invalid("projects", t("No projects were chosen."))
    moved = []
    for project in session.scalars(select(Project).where(Project.id.in_(project_ids)).order_by(Project.code)):
        try:
            moved.append(change_stage(session, actor, project.id, stage, on=on, reason=reason))
        except TalentDeskError as exc:
            raise RuleViolation(t("Project {code}: {reason}", code=project.code, reason=str(exc))) from exc
    return moved


def _set_members(session: Session, project: Project, members: list[tuple[int | None, str | None, str | None]] | None,
                 lead: Student | None) -> None:
    """Replace the team (when ``members`` is given); the lead is always a member."""
    current = list(session.scalars(select(ProjectMember).where(ProjectMember.project_id == project.id)))
    if members is None:
        members = [(m.student_id, m.external_name, m.external_organisation) for m in current]
    lead_id = lead.id if lead is not None else project.lead_student_id
    if lead_id is not None and all(sid != lead_id for sid, _n, _o in members):
        members = [(lead_id, None, None), *members]
    wanted: list[tuple[int | None, str | None, str | None]] = []
    for item in members:
        if item not in wanted:
            wanted.append(item)
    have = {(m.student_id, m.external_name, m.external_organisation): m for m in current}
    for key, m in have.items():
        if key not in wanted:
            session.delete(m)
    for sid, name, org in wanted:
        if (sid, name, org) not in have:
            session.add(ProjectMember(project_id=project.id, student_id=sid, external_name=name,
                                      external_organisation=org))


def _last_change_on(session: Session, project_id: int) -> dt.date | None:
    return session.scalar(select(func.max(StageChange.changed_on)).where(StageChange.project_id == project_id))


def change_stage(session: Session, actor: Actor, project_id: int, stage: Stage, *, on: dt.date | None = None,
                 reason: str | None = None, expected_version: int | None = None, reopen: bool = False) -> Project:
    """Move a project to ``stage`` on ``on`` (default today), recording who, when and why."""
    require_admin(actor)
    project = get_for_update(session, Project, project_id, expected_version, t("Project"))
    day = on or dt.date.today()
    reason = (reason or "").strip() or None
    current = project.stage
    if reopen:
        if current is not Stage.DROPPED:
            raise RuleViolation(t("Project {code} has not been dropped; only a dropped project is reopened.",
                                  code=project.code))
        if stage is Stage.DROPPED:
            raise _invalid("stage", t("A project is reopened at a pipeline stage, not as dropped."))
        if reason is None:
            raise _invalid("reason", t("Reopening a project needs a reason."))
    elif current is Stage.DROPPED:
        raise RuleViolation(t("Project {code} has been dropped: reopen it (with a reason) before changing its stage.",
                              code=project.code))
    elif stage is current:
        raise _invalid("stage", t("The project is already at stage {stage}.", stage=label(stage)))
    elif stage is Stage.DROPPED:
        if reason is None:
            raise _invalid("reason", t("Dropping a project needs a reason."))
    elif stage_index(stage) < stage_index(current) and reason is None:
        raise _invalid("reason", t("Moving a project back from {current} to {stage} needs a reason.",
                                   current=label(current), stage=label(stage)))
    if day < project.submitted_on:
        raise _invalid("date", t("The date {date} is before the project was submitted on {submitted}.",
                                 date=day.isoformat(), submitted=project.submitted_on.isoformat()))
    last = _last_change_on(session, project.id)
    if last is not None and day < last:
        raise _invalid("date", t("The date {date} is before the project's last stage change on {last}.",
                                 date=day.isoformat(), last=last.isoformat()))
    session.add(StageChange(project_id=project.id, from_stage=current, to_stage=stage, changed_on=day,
                            changed_by=actor.username, reason=reason))
    project.stage = stage
    project.stage_changed_on = day
    project.drop_reason = reason if stage is Stage.DROPPED else None
    flush(session)
    return project


def drop_project(session: Session, actor: Actor, project_id: int, reason: str, *, on: dt.date | None = None,
                 expected_version: int | None = None) -> Project:
    return change_stage(session, actor, project_id, Stage.DROPPED, on=on, reason=reason,
                        expected_version=expected_version)


def reopen_project(session: Session, actor: Actor, project_id: int, reason: str, *, stage: Stage | None = None,
                   on: dt.date | None = None, expected_version: int | None = None) -> Project:
    """Bring a dropped project back, by default to the stage it was dropped from."""
    if stage is None:
        stage = session.scalar(select(StageChange.from_stage).where(
            StageChange.project_id == project_id, StageChange.to_stage == Stage.DROPPED)
            .order_by(StageChange.changed_on.desc(), StageChange.id.desc()).limit(1)) or Stage.SUBMITTED
    return change_stage(session, actor, project_id, stage, on=on, reason=reason, expected_version=expected_version,
                        reopen=True)


def _project_scope(actor: Actor) -> Any:
    """Projects a mentor may read: a team member (or the lead) is or was their mentee, or they mentor it."""
    return or_(
        exists().where(ProjectMember.project_id == Project.id, ProjectMember.student_id.is_not(None),
                       mentee_filter(actor, ProjectMember.student_id)),
        mentee_filter(actor, Project.lead_student_id),
        exists().where(ProjectMentor.project_id == Project.id, ProjectMentor.mentor_id == actor.mentor_id),
    )


def check_project_access(session: Session, actor: Actor, project_id: int) -> None:
    if not actor.is_mentor:
        return
    ok = session.scalar(select(func.count()).select_from(Project).where(Project.id == project_id,
                                                                         _project_scope(actor)))
    if not ok:
        raise PermissionDenied(t("You can only see the records of your own mentees."))


@dataclass(frozen=True)
class MemberLine:
    student_id: int | None
    student_no: str | None
    name: str
    organisation: str | None
    is_lead: bool


@dataclass(frozen=True)
class MentorLine:
    mentor_id: int
    staff_no: str
    name: str
    organisation: str


@dataclass(frozen=True)
class StageLine:
    from_stage: Stage | None
    to_stage: Stage
    changed_on: dt.date
    changed_by: str | None
    reason: str | None


@dataclass(frozen=True)
class RoundResult:
    """A project's result in one round: its weighted mean (0–100), judges who scored, its rank."""

    round_id: int
    round_name: str
    mean: float | None
    judges_scored: int
    judges_assigned: int
    rank: int | None
    of: int


@dataclass(frozen=True)
class ConflictFinding:
    judge_id: int
    judge_name: str
    project_id: int
    project_code: str
    kind: ConflictKind
    detail: str
    recorded: bool  # stored in the conflicts table (declared, or detected and recorded)


@dataclass(frozen=True)
class ProjectDetail:
    id: int
    version: int
    code: str
    title: str
    season_year: int
    track: str
    stage: Stage
    stage_changed_on: dt.date | None
    drop_reason: str | None
    submitted_on: dt.date
    description: str | None
    sponsor: str | None
    members: list[MemberLine]
    mentors: list[MentorLine]
    history: list[StageLine]
    results: list[RoundResult]
    conflicts: list[ConflictFinding]
    companies: list[tuple[str, str]]  # (credit code, name)

    @property
    def lead(self) -> MemberLine | None:
        return next((m for m in self.members if m.is_lead), None)


def project_detail(session: Session, actor: Actor, project_id: int) -> ProjectDetail:
    """Everything about one project: team, mentors, stage history, round results, conflicts, companies."""
    check_project_access(session, actor, project_id)
    p = session.get(Project, project_id)
    if p is None:
        raise NotFound(t("{entity} {key} was not found.", entity=t("Project"), key=project_id))
    members = []
    for m, no, name in session.execute(
            select(ProjectMember, Student.student_no, Student.name)
            .outerjoin(Student, ProjectMember.student_id == Student.id)
            .where(ProjectMember.project_id == p.id).order_by(ProjectMember.id)):
        members.append(MemberLine(m.student_id, no, name or m.external_name or "", m.external_organisation,
                                  m.student_id is not None and m.student_id == p.lead_student_id))
    members.sort(key=lambda m: not m.is_lead)
    mentors = [MentorLine(*r) for r in session.execute(
        select(Mentor.id, Mentor.staff_no, Mentor.name, Organisation.name)
        .join(ProjectMentor, ProjectMentor.mentor_id == Mentor.id)
        .join(Organisation, Mentor.organisation_id == Organisation.id)
        .where(ProjectMentor.project_id == p.id).order_by(Mentor.staff_no))]
    history = [StageLine(c.from_stage, c.to_stage, c.changed_on, c.changed_by, c.reason) for c in session.scalars(
        select(StageChange).where(StageChange.project_id == p.id).order_by(StageChange.changed_on, StageChange.id))]
    results = []
    for rnd in session.scalars(select(Round).where(Round.season_id == p.season_id).order_by(Round.seq)):
        lines = ranking(session, actor, rnd.id, _check=False)
        mine = next((x for x in lines if x.project_id == p.id), None)
        if mine is not None:
            results.append(RoundResult(rnd.id, rnd.name, mine.mean, mine.judges_scored, mine.judges_assigned,
                                       mine.rank, len(lines)))
    conflicts = [] if actor.is_mentor else find_conflicts(session, project_ids=[p.id])
    companies = [(u, n) for u, n in session.execute(
        select(Company.uscc, Company.name).where(Company.project_id == p.id).order_by(Company.registered_on))]
    return ProjectDetail(p.id, p.version, p.code, p.title, p.season.year, p.track.name, p.stage, p.stage_changed_on,
                         p.drop_reason, p.submitted_on, p.description, p.sponsor.name if p.sponsor else None,
                         members, mentors, history, results, conflicts, companies)


def project_values(session: Session, actor: Actor, project_id: int) -> tuple[int, dict[str, Any], str]:
    """(version, the values an edit dialog shows keyed like the import columns, a title)."""
    d = project_detail(session, actor, project_id)
    members = [m.student_no if m.student_no else (f"{m.name}({m.organisation})" if m.organisation else m.name)
               for m in d.members if not m.is_lead]
    return d.version, {
        "code": d.code, "title": d.title, "season": d.season_year, "track": d.track,
        "lead": d.lead.student_no if d.lead else None, "members": members or None,
        "mentors": [m.staff_no for m in d.mentors] or None, "sponsor": d.sponsor, "stage": d.stage,
        "submitted_on": d.submitted_on,
    }, f"{d.code} {d.title}"


@dataclass(frozen=True)
class StudentProject:
    project_id: int
    code: str
    title: str
    season_year: int
    track: str
    stage: Stage
    is_lead: bool
    is_founder: bool


def student_projects(session: Session, actor: Actor, student_id: int) -> list[StudentProject]:
    """The projects a student leads or is on the team of, newest season first."""
    check_student_access(session, actor, student_id)
    founder_of = set(session.scalars(
        select(Company.project_id).join(CompanyFounder, CompanyFounder.company_id == Company.id)
        .where(CompanyFounder.student_id == student_id)))
    on_team = select(ProjectMember.project_id).where(ProjectMember.student_id == student_id)
    rows = session.execute(
        select(Project.id, Project.code, Project.title, Season.year, Track.name, Project.stage, Project.lead_student_id)
        .join(Season, Project.season_id == Season.id).join(Track, Project.track_id == Track.id)
        .where(or_(Project.id.in_(on_team), Project.lead_student_id == student_id))
        .order_by(Season.year.desc(), Project.code))
    return [StudentProject(pid, code, title, year, track, stage, lead == student_id, pid in founder_of)
            for pid, code, title, year, track, stage, lead in rows]


# --------------------------------------------------------------------------- judges

JUDGE_KEYS = ("name", "organisation", "mentor", "email")


def save_judge(session: Session, actor: Actor, values: dict[str, Any], *, judge_id: int | None = None,
               expected_version: int | None = None) -> tuple[Judge, bool]:
    """A judge: a name and organisation, or a mentor of the academy (``mentor``: staff number), whose
    name and organisation are then taken from the mentor record unless given."""
    require_admin(actor)
    data = {k: v for k, v in values.items() if k in JUDGE_KEYS}
    row: dict[str, Any] = {}
    mentor = None
    if data.get("mentor"):
        mentor = by_key(session, Mentor, Mentor.staff_no, str(data["mentor"]))
        if mentor is None:
            raise _unknown("mentor", t("Mentor {no} does not exist.", no=data["mentor"]))
        row["mentor_id"] = mentor.id
    elif "mentor" in data:
        row["mentor_id"] = None
    name = data.get("name") or (mentor.name if mentor else None)
    if name:
        row["name"] = name
    org_name = data.get("organisation") or (mentor.organisation.name if mentor else None)
    if org_name:
        row["organisation_id"] = organisation(session, org_name).id
    if "email" in data:
        row["email"] = data["email"]
    judge = get_for_update(session, Judge, judge_id, expected_version, t("Judge")) if judge_id else None
    created = judge is None
    if judge is None:
        if not row.get("name"):
            raise _invalid("name", t("This required field is empty."))
        judge = Judge(**row)
        session.add(judge)
    else:
        apply(judge, row)
    flush(session)
    return judge, created


@dataclass(frozen=True)
class JudgeLine:
    id: int
    name: str
    organisation: str | None
    staff_no: str | None


def _judge_lines() -> AnySelect:
    """The judges as JudgeLine's fields (no ORDER BY: by id, where read)."""
    return (select(Judge.id.label("id"), Judge.name.label("name"), Organisation.name.label("organisation"),
                   Mentor.staff_no.label("staff_no"))
            .outerjoin(Organisation, Judge.organisation_id == Organisation.id)
            .outerjoin(Mentor, Judge.mentor_id == Mentor.id))


def judges(session: Session, actor: Actor) -> list[JudgeLine]:
    _not_mentor(actor)
    return [JudgeLine(*r) for r in read_together(session, [_judge_lines()], [("id",)])[0]]


# --------------------------------------------------------------------------- conflicts of interest


def _team_rows(project_ids: Sequence[int] | None) -> Any:
    """(project_id, student_id) of every team member and lead of the projects (all when None)."""
    stmt = (select(ProjectMember.project_id.label("project_id"), ProjectMember.student_id.label("student_id"))
            .where(ProjectMember.student_id.is_not(None)))
    lead = (select(Project.id.label("project_id"), Project.lead_student_id.label("student_id"))
            .where(Project.lead_student_id.is_not(None)))
    if project_ids is not None:
        stmt = stmt.where(ProjectMember.project_id.in_(project_ids))
        lead = lead.where(Project.id.in_(project_ids))
    return union_all(stmt, lead)


def _teams(session: Session, project_ids: Sequence[int] | None) -> dict[int, set[int]]:
    """project id -> student ids of its team (members and lead)."""
    teams: dict[int, set[int]] = defaultdict(set)
    for pid, sid in read_together(session, [_team_rows(project_ids)])[0]:
        teams[pid].add(sid)
    return teams


def find_conflicts(session: Session, *, judge_ids: Sequence[int] | None = None,
                   project_ids: Sequence[int] | None = None) -> list[ConflictFinding]:
    """Every conflict between the given judges and projects (all when None): detected from the academy's
    data, plus those recorded in the conflicts table (declared ones among them)."""
    # everything it looks at in one statement (one round trip, not nine)
    jq = (select(Judge.id, Judge.name, Judge.organisation_id, Judge.mentor_id, Organisation.name.label("org_name"))
          .outerjoin(Organisation, Organisation.id == Judge.organisation_id))
    if judge_ids is not None:
        jq = jq.where(Judge.id.in_(judge_ids))
    pq = select(Project.id, Project.code, Project.sponsor_id)
    if project_ids is not None:
        pq = pq.where(Project.id.in_(project_ids))
    team = _team_rows(project_ids).subquery("team")
    tq = (select(team.c.project_id, team.c.student_id, Student.name)
          .outerjoin(Student, Student.id == team.c.student_id))
    # mentors of team members (any role, current or former) and their organisations
    in_teams = _team_rows(project_ids).subquery("in_teams")
    mq = (select(MentorAssignment.id, MentorAssignment.student_id, MentorAssignment.mentor_id, MentorAssignment.role,
                 Mentor.name, Mentor.organisation_id)
          .join(Mentor, MentorAssignment.mentor_id == Mentor.id)
          .where(MentorAssignment.student_id.in_(select(in_teams.c.student_id))))
    pmq = select(ProjectMentor.project_id, ProjectMentor.mentor_id)
    if project_ids is not None:
        pmq = pmq.where(ProjectMentor.project_id.in_(project_ids))
    # recorded ones (declared, or detected earlier and kept even if the data has changed since)
    cq = (select(Conflict.id, Conflict.judge_id, Conflict.project_id, Conflict.kind, Conflict.detail,
                 Judge.name.label("judge_name"), Project.code.label("project_code"))
          .join(Judge, Conflict.judge_id == Judge.id).join(Project, Conflict.project_id == Project.id))
    if judge_ids is not None:
        cq = cq.where(Conflict.judge_id.in_(judge_ids))
    if project_ids is not None:
        cq = cq.where(Conflict.project_id.in_(project_ids))
    jrows, prows, team_rows, mentor_rows, pm_rows, recorded = read_together(
        session, [jq, pq, tq, mq, pmq, cq], [("id",), ("id",), (), ("id",), (), ("id",)])
    if not jrows or not prows:
        return []
    teams: dict[int, set[int]] = defaultdict(set)
    names: dict[int, str] = {}
    for pid, sid, name in team_rows:
        teams[pid].add(sid)
        if name is not None:
            names[sid] = name
    mentored_by: dict[int, set[int]] = defaultdict(set)  # mentor id -> students
    org_of_industry: dict[int, list[tuple[str, int]]] = defaultdict(list)  # org id -> (mentor name, student)
    for _aid, sid, mid, role, mname, org_id in mentor_rows:
        mentored_by[mid].add(sid)
        if role in SAME_ORG_ROLES:
            org_of_industry[org_id].append((mname, sid))
    project_mentors: dict[int, set[int]] = defaultdict(set)
    for pid, mid in pm_rows:
        project_mentors[pid].add(mid)
    org_names = {org: name for _j, _n, org, _m, name in jrows if org is not None and name is not None}
    projects = {pid: (code, sponsor) for pid, code, sponsor in prows}
    # from each judge along the data's links to the projects they touch (not every judge × every project: 60
    # judges × 3,000 projects at ten-year scale, nearly none of them related)
    projects_of: dict[int, set[int]] = defaultdict(set)  # student -> the projects (of these) on whose team they are
    for pid, members in teams.items():
        if pid in projects:
            for sid in members:
                projects_of[sid].add(pid)
    mentored_projects: dict[int, set[int]] = defaultdict(set)  # mentor -> the projects (of these) they mentor
    for pid, mids in project_mentors.items():
        if pid in projects:
            for mid in mids:
                mentored_projects[mid].add(pid)
    sponsored: dict[int, list[int]] = defaultdict(list)  # organisation -> the projects (of these) it sponsors
    for pid, (_code, sponsor) in projects.items():
        if sponsor is not None:
            sponsored[sponsor].append(pid)
    found: dict[tuple[int, int, ConflictKind], ConflictFinding] = {}
    for jid, jname, jorg, jmentor, _org_name in jrows:
        if jmentor is not None:
            for pid in mentored_projects.get(jmentor, ()):
                found[(jid, pid, ConflictKind.MENTORS_MEMBER)] = ConflictFinding(
                    jid, jname, pid, projects[pid][0], ConflictKind.MENTORS_MEMBER, t("is a mentor of this project"),
                    False)
            mentees_of = mentored_by.get(jmentor, set())
            for pid in {p for sid in mentees_of for p in projects_of.get(sid, ())}:
                if (jid, pid, ConflictKind.MENTORS_MEMBER) in found:
                    continue  # the project's own mentor: said so
                mentees = sorted(mentees_of & teams[pid])
                found[(jid, pid, ConflictKind.MENTORS_MEMBER)] = ConflictFinding(
                    jid, jname, pid, projects[pid][0], ConflictKind.MENTORS_MEMBER,
                    t("mentors team member {name}", name="、".join(names.get(s, "?") for s in mentees)), False)
        if jorg is None:
            continue
        for pid in sponsored.get(jorg, ()):
            found[(jid, pid, ConflictKind.SPONSOR)] = ConflictFinding(
                jid, jname, pid, projects[pid][0], ConflictKind.SPONSOR,
                t("{org} is the project's sponsor", org=org_names.get(jorg, "")), False)
        industry = org_of_industry.get(jorg, ())
        for pid in {p for _mname, sid in industry for p in projects_of.get(sid, ())}:
            team = teams[pid]
            mname, sid = next((m, s) for m, s in industry if s in team)  # the first, as the mentors were read
            found[(jid, pid, ConflictKind.SAME_ORG_AS_MENTOR)] = ConflictFinding(
                jid, jname, pid, projects[pid][0], ConflictKind.SAME_ORG_AS_MENTOR,
                t("{org} employs {mentor}, industry mentor of team member {name}", org=org_names.get(jorg, ""),
                  mentor=mname, name=names.get(sid, "?")), False)
    for _cid, judge_id, project_id, kind, detail, jname, code in recorded:
        key = (judge_id, project_id, kind)
        said = found[key].detail if key in found else (
            t("declared: {detail}", detail=detail) if kind is ConflictKind.DECLARED and detail
            else detail or label_conflict(kind))
        found[key] = ConflictFinding(judge_id, jname, project_id, code, kind, said, True)
    return sorted(found.values(), key=lambda f: (f.project_code, f.judge_id, f.kind.value))


def label_conflict(kind: ConflictKind) -> str:
    return {ConflictKind.DECLARED: t("declared"), ConflictKind.MENTORS_MEMBER: t("mentors a team member"),
            ConflictKind.SPONSOR: t("works for the sponsor"),
            ConflictKind.SAME_ORG_AS_MENTOR: t("works where a team member's industry mentor works")}[kind]


def conflicts_between(session: Session, judge_id: int, project_id: int) -> list[ConflictFinding]:
    return find_conflicts(session, judge_ids=[judge_id], project_ids=[project_id])


def _refuse_conflict(session: Session, judge_id: int, project_id: int) -> None:
    found = conflicts_between(session, judge_id, project_id)
    if found:
        raise RuleViolation(t("{judge} has a conflict of interest with project {code}: {reasons}.",
                              judge=found[0].judge_name, code=found[0].project_code,
                              reasons="；".join(f.detail for f in found)))


def declare_conflict(session: Session, actor: Actor, judge_id: int, project_id: int, detail: str,
                     on: dt.date | None = None) -> Conflict:
    """A conflict the judge declares (or the office records); any assignment of that pair without
    scores is withdrawn, and one with scores is refused until the scores are removed."""
    require_admin(actor)
    detail = (detail or "").strip()
    if not detail:
        raise _invalid("detail", t("A declared conflict needs a description."))
    judge = session.get(Judge, judge_id)
    project = session.get(Project, project_id)
    if judge is None or project is None:
        raise NotFound(t("{entity} {key} was not found.", entity=t("Judge") if judge is None else t("Project"),
                         key=judge_id if judge is None else project_id))
    conflict = session.scalar(select(Conflict).where(Conflict.judge_id == judge_id, Conflict.project_id == project_id,
                                                     Conflict.kind == ConflictKind.DECLARED))
    if conflict is None:
        conflict = Conflict(judge_id=judge_id, project_id=project_id, kind=ConflictKind.DECLARED, detail=detail[:400],
                            recorded_on=on or dt.date.today())
        session.add(conflict)
    else:
        conflict.detail = detail[:400]
    for a in session.scalars(select(JudgeAssignment).where(JudgeAssignment.judge_id == judge_id,
                                                           JudgeAssignment.project_id == project_id)):
        if _has_scores(session, a.round_id, judge_id, project_id):
            raise RuleViolation(t("{judge} has already scored project {code}; the assignment cannot be removed.",
                                  judge=judge.name, code=project.code))
        session.delete(a)
    flush(session)
    return conflict


def record_conflicts(session: Session, findings: Iterable[ConflictFinding], on: dt.date | None = None) -> int:
    """Keep detected conflicts in the conflicts table (so the record survives later data changes)."""
    n = 0
    for f in findings:
        if f.recorded:
            continue
        session.add(Conflict(judge_id=f.judge_id, project_id=f.project_id, kind=f.kind, detail=f.detail[:400],
                             recorded_on=on or dt.date.today()))
        n += 1
    flush(session)
    return n


# --------------------------------------------------------------------------- rounds and criteria

ROUND_KEYS = ("season", "seq", "name", "stage", "normalise", "max_load")


def save_round(session: Session, actor: Actor, values: dict[str, Any], *, round_id: int | None = None,
               expected_version: int | None = None, with_default_criteria: bool = True) -> tuple[Round, bool]:
    """A judging round in a season (``season``: year); a new round gets the four usual criteria
    (创新性 0.3, 技术可行性 0.3, 市场前景 0.25, 团队 0.15, each 0–10) unless told otherwise."""
    require_admin(actor)
    data = {k: v for k, v in values.items() if k in ROUND_KEYS}
    rnd = get_for_update(session, Round, round_id, expected_version, t("Judging round")) if round_id else None
    row: dict[str, Any] = {k: data[k] for k in ("name", "stage", "normalise", "max_load") if k in data}
    if "max_load" in row:
        if row["max_load"] is None:
            row["max_load"] = 20
        if int(row["max_load"]) < 1:
            raise _invalid("max_load", t("The maximum load must be at least 1."))
    if rnd is None:
        season = season_by_year(session, int(data["season"]))
        seq = data.get("seq") or (session.scalar(select(func.max(Round.seq)).where(Round.season_id == season.id))
                                  or 0) + 1
        if session.scalar(select(Round.id).where(Round.season_id == season.id, Round.seq == seq)) is not None:
            raise _invalid("seq", t("The round number {seq} is already used in season {year}.", seq=seq,
                                    year=season.year))
        rnd = Round(season_id=season.id, seq=seq, **row)
        if not rnd.name:
            rnd.name = str(seq)
        session.add(rnd)
        flush(session)
        if with_default_criteria:
            for name, weight in DEFAULT_CRITERIA:
                session.add(Criterion(round_id=rnd.id, name=name, weight=weight, min_score=0.0, max_score=10.0))
        flush(session)
        return rnd, True
    apply(rnd, row)
    flush(session)
    return rnd, False


def save_criterion(session: Session, actor: Actor, round_id: int, values: dict[str, Any], *,
                   criterion_id: int | None = None, expected_version: int | None = None) -> Criterion:
    """A weighted rubric criterion with its score range; a range never excludes scores already given."""
    require_admin(actor)
    crit = get_for_update(session, Criterion, criterion_id, expected_version, t("Criterion")) if criterion_id else None
    name = (values.get("name") or (crit.name if crit else "")).strip()
    if not name:
        raise _invalid("name", t("This required field is empty."))
    weight = float(values.get("weight", crit.weight if crit else 1.0))
    low = float(values.get("min_score", crit.min_score if crit else 0.0))
    high = float(values.get("max_score", crit.max_score if crit else 10.0))
    if weight <= 0:
        raise _invalid("weight", t("The weight must be greater than 0."))
    if high <= low:
        raise _invalid("max_score", t("The highest score must be greater than the lowest."))
    dup = session.scalar(select(Criterion.id).where(Criterion.round_id == round_id, func.lower(Criterion.name) ==
                                                    name.lower(), Criterion.id != (crit.id if crit else -1)))
    if dup is not None:
        raise _invalid("name", t("Criterion {name} already exists in this round.", name=name))
    if crit is not None:
        outside = session.scalar(select(func.count(Score.id)).where(
            Score.criterion_id == crit.id, or_(Score.value < low, Score.value > high)))
        if outside:
            raise _invalid("max_score", t("Scores of {name} already lie outside {low}–{high}; correct them first.",
                                          name=name, low=f"{low:g}", high=f"{high:g}"))
        apply(crit, {"name": name, "weight": weight, "min_score": low, "max_score": high})
    else:
        crit = Criterion(round_id=round_id, name=name, weight=weight, min_score=low, max_score=high)
        session.add(crit)
    flush(session)
    return crit


def remove_criterion(session: Session, actor: Actor, criterion_id: int, expected_version: int | None = None) -> None:
    require_admin(actor)
    crit = get_for_update(session, Criterion, criterion_id, expected_version, t("Criterion"))
    if session.scalar(select(func.count(Score.id)).where(Score.criterion_id == crit.id)):
        raise RuleViolation(t("Criterion {name} already has scores; it cannot be removed.", name=crit.name))
    session.delete(crit)
    flush(session)


@dataclass(frozen=True)
class CriterionLine:
    id: int
    version: int
    name: str
    weight: float
    min_score: float
    max_score: float


@dataclass(frozen=True)
class RoundLine:
    id: int
    version: int
    season_year: int
    seq: int
    name: str
    stage: Stage | None
    normalise: bool
    max_load: int
    criteria: tuple[CriterionLine, ...]


def _criteria_lines(round_id: int | None = None) -> AnySelect:
    """(round_id, and CriterionLine's fields) of every criterion (of one round); by id where read."""
    stmt = select(Criterion.round_id, Criterion.id.label("id"), Criterion.version, Criterion.name, Criterion.weight,
                  Criterion.min_score, Criterion.max_score)
    return stmt if round_id is None else stmt.where(Criterion.round_id == round_id)


def _round_lines(session: Session, rounds: AnySelect, round_id: int | None = None) -> list[RoundLine]:
    """RoundLines of ``rounds`` (RoundLine's fields but the criteria; ordered by year and seq) with their
    criteria, in one statement."""
    round_rows, crit_rows = read_together(session, [rounds, _criteria_lines(round_id)],
                                          [("year_desc", "seq"), ("id",)])
    crits: dict[int, list[CriterionLine]] = defaultdict(list)
    for rid, *fields in crit_rows:
        crits[rid].append(CriterionLine(*fields))
    return [RoundLine(rid, version, year, seq, name, stage, normalise, max_load, tuple(crits[rid]))
            for rid, version, year, seq, name, stage, normalise, max_load, _year_desc in round_rows]


def _rounds_select() -> AnySelect:
    return (select(Round.id, Round.version, Season.year, Round.seq.label("seq"), Round.name, Round.stage,
                   Round.normalise, Round.max_load, (-Season.year).label("year_desc"))
            .join(Season, Round.season_id == Season.id))


def rounds(session: Session, actor: Actor, season_year: int | None = None) -> list[RoundLine]:
    _not_mentor(actor)
    stmt = _rounds_select()
    if season_year is not None:
        stmt = stmt.where(Season.year == season_year)
    return _round_lines(session, stmt)


def round_line(session: Session, actor: Actor, round_id: int) -> RoundLine:
    _not_mentor(actor)
    found = _round_lines(session, _rounds_select().where(Round.id == round_id), round_id)
    if not found:
        raise NotFound(t("{entity} {key} was not found.", entity=t("Judging round"), key=round_id))
    return found[0]


# --------------------------------------------------------------------------- judge assignment


def _candidates(round_id: int) -> AnySelect:
    """The projects a round judges: those of its season now at the round's stage (all live ones when
    the round names no stage). (Project id, code.)"""
    return (select(Project.id, Project.code).join(Round, Round.season_id == Project.season_id)
            .where(Round.id == round_id,
                   or_(Project.stage == Round.stage, and_(Round.stage.is_(None), Project.stage != Stage.DROPPED))))


def _no_round(round_id: int) -> NotFound:
    return NotFound(t("{entity} {key} was not found.", entity=t("Judging round"), key=round_id))


def round_candidates(session: Session, round_id: int) -> list[int]:
    """The ids of ``_candidates``, by code; NotFound when there is no such round."""
    exists_, found = read_together(session, [select(Round.id).where(Round.id == round_id), _candidates(round_id)],
                                   [(), ("code",)])
    if not exists_:
        raise _no_round(round_id)
    return [pid for pid, _code in found]


def _loads(session: Session, round_id: int) -> dict[int, int]:
    return dict(session.execute(select(JudgeAssignment.judge_id, func.count(JudgeAssignment.id))
                                .where(JudgeAssignment.round_id == round_id).group_by(JudgeAssignment.judge_id)).all())


def _has_scores(session: Session, round_id: int, judge_id: int, project_id: int) -> bool:
    return bool(session.scalar(select(func.count(Score.id)).join(Criterion, Score.criterion_id == Criterion.id).where(
        Criterion.round_id == round_id, Score.judge_id == judge_id, Score.project_id == project_id)))


@dataclass(frozen=True)
class AutoAssignResult:
    added: int
    conflicts_recorded: int
    short: list[tuple[str, int]]  # (project code, judges still missing)
    loads: dict[int, int]  # judge id -> projects assigned in the round


def auto_assign(session: Session, actor: Actor, round_id: int, per_project: int = 3,
                judge_ids: Sequence[int] | None = None, project_ids: Sequence[int] | None = None,
                on: dt.date | None = None) -> AutoAssignResult:
    """Give every project of the round ``per_project`` judges, never a conflicted one, never more than
    the round's maximum load per judge, keeping the loads as even as possible: projects with the fewest
    eligible judges are served first, each taking the least-loaded eligible judges (ties by judge id,
    so the result is reproducible). Existing (also hand-made) assignments are kept and counted. The
    conflicts found are recorded."""
    require_admin(actor)
    rnd = session.get(Round, round_id)
    if rnd is None:
        raise NotFound(t("{entity} {key} was not found.", entity=t("Judging round"), key=round_id))
    pids = list(project_ids) if project_ids is not None else round_candidates(session, round_id)
    jids = list(judge_ids) if judge_ids is not None else list(session.scalars(select(Judge.id).order_by(Judge.id)))
    findings = find_conflicts(session, judge_ids=jids, project_ids=pids) if pids and jids else []
    recorded = record_conflicts(session, findings, on)
    blocked = {(f.judge_id, f.project_id) for f in findings}
    assigned: dict[int, set[int]] = defaultdict(set)
    for jid, pid in session.execute(select(JudgeAssignment.judge_id, JudgeAssignment.project_id)
                                    .where(JudgeAssignment.round_id == round_id)):
        assigned[pid].add(jid)
    loads = _loads(session, round_id)
    codes = dict(session.execute(select(Project.id, Project.code).where(Project.id.in_(pids))).all()) if pids else {}
    eligible = {p: [j for j in jids if (j, p) not in blocked and j not in assigned[p]] for p in pids}
    order = sorted((p for p in pids if len(assigned[p]) < per_project), key=lambda p: (len(eligible[p]), codes[p]))
    added, short = 0, []
    for p in order:
        need = per_project - len(assigned[p])
        for _ in range(need):
            free = [j for j in eligible[p] if loads.get(j, 0) < rnd.max_load and j not in assigned[p]]
            if not free:
                break
            j = min(free, key=lambda j: (loads.get(j, 0), j))
            session.add(JudgeAssignment(round_id=round_id, judge_id=j, project_id=p, manual=False))
            assigned[p].add(j)
            loads[j] = loads.get(j, 0) + 1
            added += 1
        if len(assigned[p]) < per_project:
            short.append((codes[p], per_project - len(assigned[p])))
    flush(session)
    return AutoAssignResult(added, recorded, sorted(short), dict(loads))


def assign_judge(session: Session, actor: Actor, round_id: int, judge_id: int, project_id: int) -> JudgeAssignment:
    """Assign by hand: refused for a conflicted judge, a duplicate, or a judge at the round's maximum load."""
    require_admin(actor)
    rnd = session.get(Round, round_id)
    judge = session.get(Judge, judge_id)
    project = session.get(Project, project_id)
    if rnd is None or judge is None or project is None:
        raise NotFound(t("{entity} {key} was not found.", entity=t("Judging round"), key=round_id))
    if project.season_id != rnd.season_id:
        year = session.scalar(select(Season.year).where(Season.id == rnd.season_id))
        raise RuleViolation(t("Project {code} is not in season {year}.", code=project.code, year=year))
    _refuse_conflict(session, judge_id, project_id)
    if session.scalar(select(JudgeAssignment.id).where(JudgeAssignment.round_id == round_id,
                                                       JudgeAssignment.judge_id == judge_id,
                                                       JudgeAssignment.project_id == project_id)) is not None:
        raise RuleViolation(t("{judge} is already assigned to project {code} in this round.", judge=judge.name,
                              code=project.code))
    load = _loads(session, round_id).get(judge_id, 0)
    if load >= rnd.max_load:
        raise RuleViolation(t("{judge} already has {load} projects in this round (at most {max}).", judge=judge.name,
                              load=load, max=rnd.max_load))
    a = JudgeAssignment(round_id=round_id, judge_id=judge_id, project_id=project_id, manual=True)
    session.add(a)
    flush(session)
    return a


def unassign_judge(session: Session, actor: Actor, round_id: int, judge_id: int, project_id: int) -> None:
    require_admin(actor)
    a = session.scalar(select(JudgeAssignment).where(JudgeAssignment.round_id == round_id,
                                                     JudgeAssignment.judge_id == judge_id,
                                                     JudgeAssignment.project_id == project_id))
    if a is None:
        return
    if _has_scores(session, round_id, judge_id, project_id):
        judge = session.get(Judge, judge_id)
        project = session.get(Project, project_id)
        raise RuleViolation(t("{judge} has already scored project {code}; the assignment cannot be removed.",
                              judge=judge.name if judge else judge_id, code=project.code if project else project_id))
    session.delete(a)
    flush(session)


@dataclass(frozen=True)
class AssignmentLine:
    project_id: int
    code: str
    title: str
    stage: Stage
    judges: tuple[tuple[int, str, bool], ...]  # (judge id, name, scored)
    conflicted: tuple[str, ...]  # names of judges in conflict with the project


def assignments(session: Session, actor: Actor, round_id: int) -> list[AssignmentLine]:
    """The round's projects (candidates and any already assigned) with their judges and conflicts: the
    round, its projects, their judges and the judges who scored read in one statement, the conflicts
    (find_conflicts) in one more."""
    _not_mentor(actor)
    assigned = select(JudgeAssignment.project_id).where(JudgeAssignment.round_id == round_id)
    candidates = _candidates(round_id).subquery("candidates")
    projects = (select(Project.id, Project.code.label("code"), Project.title, Project.stage)
                .where(or_(Project.id.in_(select(candidates.c.id)), Project.id.in_(assigned))))
    scored = (select(Score.id).join(Criterion, Score.criterion_id == Criterion.id)
              .where(Criterion.round_id == round_id, Score.judge_id == JudgeAssignment.judge_id,
                     Score.project_id == JudgeAssignment.project_id).exists())
    judged = (select(JudgeAssignment.project_id, Judge.id.label("judge_id"), Judge.name, scored.label("scored"))
              .join(Judge, JudgeAssignment.judge_id == Judge.id).where(JudgeAssignment.round_id == round_id))
    exists_, project_rows, judge_rows = read_together(
        session, [select(Round.id).where(Round.id == round_id), projects, judged], [(), ("code",), ("judge_id",)])
    if not exists_:
        raise _no_round(round_id)
    by_project: dict[int, list[tuple[int, str, bool]]] = defaultdict(list)
    for pid, jid, name, was_scored in judge_rows:
        by_project[pid].append((jid, name, bool(was_scored)))
    pids = sorted(r[0] for r in project_rows)
    conflicted: dict[int, set[str]] = defaultdict(set)
    for f in find_conflicts(session, project_ids=pids) if pids else []:
        conflicted[f.project_id].add(f.judge_name)
    return [AssignmentLine(pid, code, title, stage, tuple(by_project.get(pid, [])),
                           tuple(sorted(conflicted.get(pid, set()))))
            for pid, code, title, stage in project_rows]


@dataclass(frozen=True)
class JudgeLoad:
    judge_id: int
    name: str
    organisation: str | None
    load: int
    scored: int


def judge_loads(session: Session, actor: Actor, round_id: int) -> list[JudgeLoad]:
    """Every judge with their load in the round and the projects they scored in it (one statement)."""
    _not_mentor(actor)
    loads = (select(JudgeAssignment.judge_id, func.count(JudgeAssignment.id))
             .where(JudgeAssignment.round_id == round_id).group_by(JudgeAssignment.judge_id))
    scored = (select(Score.judge_id, func.count(func.distinct(Score.project_id)))
              .join(Criterion, Score.criterion_id == Criterion.id).where(Criterion.round_id == round_id)
              .group_by(Score.judge_id))
    load_rows, scored_rows, judge_rows = read_together(session, [loads, scored, _judge_lines()], [(), (), ("id",)])
    load_of, scored_of = dict(load_rows), dict(scored_rows)
    return [JudgeLoad(jid, name, org, int(load_of.get(jid, 0)), int(scored_of.get(jid, 0)))
            for jid, name, org, _staff in judge_rows]


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class ScoreSheetLine:
    project_id: int
    code: str
    title: str
    values: dict[int, float | None]  # criterion id -> value


def score_sheet(session: Session, actor: Actor, round_id: int, judge_id: int) -> list[ScoreSheetLine]:
    """A judge's projects in the round with the scores entered so far (the score-entry grid)."""
    _not_mentor(actor)
    crit_ids = list(session.scalars(select(Criterion.id).where(Criterion.round_id == round_id)))
    values: dict[int, dict[int, float]] = defaultdict(dict)
    for pid, cid, v in session.execute(select(Score.project_id, Score.criterion_id, Score.value).where(
            Score.judge_id == judge_id, Score.criterion_id.in_(crit_ids))):
        values[pid][cid] = v
    out = []
    for pid, code, title in session.execute(
            select(Project.id, Project.code, Project.title)
            .join(JudgeAssignment, JudgeAssignment.project_id == Project.id)
            .where(JudgeAssignment.round_id == round_id, JudgeAssignment.judge_id == judge_id).order_by(Project.code)):
        out.append(ScoreSheetLine(pid, code, title, {c: values[pid].get(c) for c in crit_ids}))
    return out


def save_scores(session: Session, actor: Actor, round_id: int, judge_id: int, project_id: int,
                values: dict[int, float | None]) -> list[Score]:
    """Save one judge's scores of one project (criterion id -> value; None clears it). Every value is
    checked before anything is written: a conflicted or unassigned judge, a criterion of another round
    or a value outside its range refuses the whole sheet."""
    require_admin(actor)
    judge = session.get(Judge, judge_id)
    project = session.get(Project, project_id)
    if judge is None or project is None:
        raise NotFound(t("{entity} {key} was not found.", entity=t("Judge") if judge is None else t("Project"),
                         key=judge_id if judge is None else project_id))
    _refuse_conflict(session, judge_id, project_id)
    if session.scalar(select(JudgeAssignment.id).where(JudgeAssignment.round_id == round_id,
                                                       JudgeAssignment.judge_id == judge_id,
                                                       JudgeAssignment.project_id == project_id)) is None:
        raise RuleViolation(t("{judge} is not assigned to project {code} in this round.", judge=judge.name,
                              code=project.code))
    crits = {c.id: c for c in session.scalars(select(Criterion).where(Criterion.round_id == round_id))}
    errors: dict[str, str] = {}
    for cid, value in values.items():
        c = crits.get(cid)
        if c is None:
            raise _invalid(f"criterion_{cid}", t("Criterion {id} is not part of this round.", id=cid))
        if value is not None and not (c.min_score <= value <= c.max_score):
            errors[f"criterion_{cid}"] = t("{name}: the score {value} is outside {low}–{high}.", name=c.name,
                                           value=f"{value:g}", low=f"{c.min_score:g}", high=f"{c.max_score:g}")
    if errors:
        raise ValidationError("\n".join(errors.values()), errors)
    existing = {s.criterion_id: s for s in session.scalars(select(Score).where(
        Score.judge_id == judge_id, Score.project_id == project_id, Score.criterion_id.in_(list(values))))}
    out = []
    for cid, value in values.items():
        s = existing.get(cid)
        if value is None:
            if s is not None:
                session.delete(s)
            continue
        if s is None:
            s = Score(criterion_id=cid, judge_id=judge_id, project_id=project_id, value=float(value))
            session.add(s)
        elif s.value != value:
            s.value = float(value)
        out.append(s)
    flush(session)
    return out


# --------------------------------------------------------------------------- ranking


@dataclass(frozen=True)
class RankLine:
    rank: int | None  # 1 = best; equal scores share a rank; None: no scores yet
    project_id: int
    code: str
    title: str
    track: str
    stage: Stage
    mean: float | None  # weighted mean on 0–100, averaged over the judges who scored
    z: float | None  # mean of the judges' z-scores (when normalising)
    judges_scored: int
    judges_assigned: int
    excluded: int  # judges whose scores were left out because of a conflict of interest
    spread: float | None  # highest minus lowest judge score (0–100)

    @property
    def key(self) -> float | None:
        return self.z if self.z is not None else self.mean


def ranking(session: Session, actor: Actor, round_id: int, normalise: bool | None = None, *,
            _check: bool = True) -> list[RankLine]:
    """The round's ranking.

    Each judge's sheet for a project becomes one score on 0–100: every criterion's value is placed on
    its range ((v − min) ÷ (max − min) × 100) and the criteria are averaged with their weights (over
    the criteria the judge scored). Without normalisation a project's score is the mean of its judges'
    scores. With normalisation (per-judge z-scores) each judge's scores are first standardised over all
    the projects that judge scored in the round, z = (s − mean) ÷ sd (population sd; a judge whose
    scores are all equal, or who scored one project, contributes 0), and projects are ranked by the
    mean of their z-scores: a strict or a generous judge no longer moves a project up or down.
    Scores from a judge with a conflict of interest with the project are left out (and counted).
    ``normalise`` None takes the round's own setting.
    """
    if _check:
        _not_mentor(actor)
    rnd = session.get(Round, round_id)
    if rnd is None:
        raise NotFound(t("{entity} {key} was not found.", entity=t("Judging round"), key=round_id))
    use_z = rnd.normalise if normalise is None else normalise
    crits = {c.id: c for c in session.scalars(select(Criterion).where(Criterion.round_id == round_id))}
    sheets: dict[tuple[int, int], list[tuple[float, float]]] = defaultdict(list)  # (judge, project) -> (w, 0–100)
    if crits:
        for jid, pid, cid, value in session.execute(select(Score.judge_id, Score.project_id, Score.criterion_id,
                                                           Score.value).where(Score.criterion_id.in_(list(crits)))):
            c = crits[cid]
            sheets[(jid, pid)].append((c.weight, (value - c.min_score) / (c.max_score - c.min_score) * 100.0))
    assigned: dict[int, int] = dict(session.execute(
        select(JudgeAssignment.project_id, func.count(JudgeAssignment.id)).where(JudgeAssignment.round_id == round_id)
        .group_by(JudgeAssignment.project_id)).all())
    pids = set(assigned) | {p for _j, p in sheets}
    if not pids:
        return []
    blocked = {(f.judge_id, f.project_id) for f in find_conflicts(
        session, judge_ids=sorted({j for j, _p in sheets}) or [-1], project_ids=sorted(pids))}
    score: dict[tuple[int, int], float] = {}
    excluded: dict[int, int] = defaultdict(int)
    for (jid, pid), sheet in sheets.items():
        if (jid, pid) in blocked:
            excluded[pid] += 1
            continue
        total_w = sum(w for w, _v in sheet)
        score[(jid, pid)] = sum(w * v for w, v in sheet) / total_w
    z: dict[tuple[int, int], float] = {}
    if use_z:
        by_judge: dict[int, list[tuple[int, float]]] = defaultdict(list)
        for (jid, pid), s in score.items():
            by_judge[jid].append((pid, s))
        for jid, items in by_judge.items():
            vals = [s for _p, s in items]
            judge_mean = sum(vals) / len(vals)
            sd = math.sqrt(sum((v - judge_mean) ** 2 for v in vals) / len(vals))
            for pid, s in items:
                z[(jid, pid)] = (s - judge_mean) / sd if sd > 1e-12 else 0.0
    per_project: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for (jid, pid), s in score.items():
        per_project[pid].append((jid, s))
    info = {pid: (code, title, track, stage) for pid, code, title, track, stage in session.execute(
        select(Project.id, Project.code, Project.title, Track.name, Project.stage)
        .join(Track, Project.track_id == Track.id).where(Project.id.in_(pids)))}
    lines: list[RankLine] = []
    for pid in pids:
        items = per_project.get(pid, [])
        vals = [s for _j, s in items]
        mean = sum(vals) / len(vals) if vals else None
        zmean = (sum(z[(j, pid)] for j, _s in items) / len(items)) if (use_z and items) else None
        code, title, track, stage = info[pid]
        lines.append(RankLine(None, pid, code, title, track, stage, mean, zmean, len(items), assigned.get(pid, 0),
                              excluded.get(pid, 0), (max(vals) - min(vals)) if vals else None))
    lines.sort(key=lambda x: (x.key is None, -(x.key or 0.0), x.code))
    ranked: list[RankLine] = []
    prev_key: float | None = None
    prev_rank = 0
    for i, line in enumerate(lines, start=1):
        if line.key is None:
            ranked.append(line)
            continue
        rank = prev_rank if prev_key is not None and abs(line.key - prev_key) < 1e-9 else i
        prev_key, prev_rank = line.key, rank
        ranked.append(replace(line, rank=rank))
    return ranked


# --------------------------------------------------------------------------- companies

COMPANY_KEYS = ("uscc", "name", "project", "registered_on", "funding", "employees", "founders")


def save_company(session: Session, actor: Actor, values: dict[str, Any], *, company_id: int | None = None,
                 expected_version: int | None = None, upsert: bool = False) -> tuple[Company, bool]:
    """Create or update an incubated company (keyed by its credit code on import). Registering a
    company moves its project to 已注册企业 (recorded as a stage change); a dropped project must be
    reopened first. ``founders``: student numbers of team members."""
    require_admin(actor)
    data = {k: v for k, v in values.items() if k in COMPANY_KEYS}
    company = get_for_update(session, Company, company_id, expected_version, t("Company")) if company_id else None
    row: dict[str, Any] = {}
    if "uscc" in data or company is None:
        row["uscc"] = check_uscc(data.get("uscc"))
        if company is None and upsert:
            company = session.scalar(select(Company).where(Company.uscc == row["uscc"]))
        ensure_unique(session, Company, "uscc", row["uscc"], label=t("Company"),
                      exclude_id=company.id if company else None)
    created = company is None
    if "name" in data or created:
        if not data.get("name"):
            raise _invalid("name", t("The company name is required."))
        row["name"] = str(data["name"]).strip()
    project = project_by_code(session, data["project"]) if data.get("project") else (
        company.project if company else None)
    if project is None:
        raise _invalid("project", t("This required field is empty."))
    row["project_id"] = project.id
    if "registered_on" in data or created:
        if data.get("registered_on") is None:
            raise _invalid("registered_on", t("This required field is empty."))
        row["registered_on"] = data["registered_on"]
    reg = row.get("registered_on") or (company.registered_on if company else None)
    if reg is not None and reg < project.submitted_on:
        raise _invalid("registered_on", t("The registration date {date} is before the project was submitted on "
                                          "{submitted}.", date=reg.isoformat(),
                                          submitted=project.submitted_on.isoformat()))
    if data.get("funding") is not None and data["funding"] < 0:
        raise _invalid("funding", t("Funding cannot be negative."))
    if data.get("employees") is not None and data["employees"] < 0:
        raise _invalid("employees", t("The number of employees cannot be negative."))
    for key in ("funding", "employees"):
        if key in data:
            row[key] = data[key]
    if project.stage is Stage.DROPPED:
        raise _invalid("project", t("Project {code} has been dropped; reopen it before registering a company from "
                                    "it.", code=project.code))
    founder_ids: list[int] | None = None
    if data.get("founders") is not None:
        team = _teams(session, [project.id]).get(project.id, set())
        founder_ids = []
        for no in data["founders"]:
            st = _student(session, no)
            if st is None or st.id not in team:
                raise _invalid("founders", t("Founder {no} is not a student member of project {code}.", no=no,
                                             code=project.code))
            if st.id not in founder_ids:
                founder_ids.append(st.id)
    if created:
        company = Company(**row)
        session.add(company)
    else:
        assert company is not None
        apply(company, row)
    flush(session)
    if founder_ids is not None:
        set_links(session, CompanyFounder, "company_id", company.id, "student_id", founder_ids)
        flush(session)
    if project.stage is not Stage.INCORPORATED:
        last = _last_change_on(session, project.id)
        day = max(company.registered_on, last) if last else company.registered_on
        change_stage(session, actor, project.id, Stage.INCORPORATED, on=day, reason=t("Company registered"))
    return company, created


def company_values(session: Session, actor: Actor, company_id: int) -> tuple[int, dict[str, Any], str]:
    _not_mentor(actor)
    c = session.get(Company, company_id)
    if c is None:
        raise NotFound(t("{entity} {key} was not found.", entity=t("Company"), key=company_id))
    return c.version, {"uscc": c.uscc, "name": c.name, "project": c.project.code, "registered_on": c.registered_on,
                       "funding": c.funding, "employees": c.employees}, f"{c.name}"


# --------------------------------------------------------------------------- funnel and pace


@dataclass(frozen=True)
class StageCount:
    stage: Stage
    current: int  # projects at this stage now
    reached: int  # projects that reached this stage (or went further), dropped ones included
    conversion: float | None  # reached ÷ reached at the previous stage


@dataclass(frozen=True)
class QuarterPace:
    quarter: int
    start: dt.date
    end: dt.date
    planned_projects: int  # cumulative plan by the quarter's end (the target spread evenly)
    actual_projects: int | None  # cumulative submissions by the quarter's end (None: not begun)
    planned_companies: int
    actual_companies: int | None
    needed_projects: int | None  # new projects this quarter needs to stay on track (current/future)
    needed_companies: int | None


@dataclass(frozen=True)
class Funnel:
    year: int
    name: str
    on: dt.date
    target_projects: int
    target_companies: int
    projects: int
    companies: int  # companies registered in the season's year, on or before ``on``
    stages: list[StageCount]
    dropped: int
    dropped_from: dict[Stage, int]
    by_track: list[tuple[str, int]]
    pace: list[QuarterPace]
    quarters_left: int

    @property
    def by_stage(self) -> dict[str, int]:
        """Projects per current stage keyed by stage value, dropped included (as in stats --json)."""
        out = {s.stage.value: s.current for s in self.stages}
        out[Stage.DROPPED.value] = self.dropped
        return out

    @property
    def project_progress(self) -> float:
        return self.projects / self.target_projects if self.target_projects else 0.0

    @property
    def company_progress(self) -> float:
        return self.companies / self.target_companies if self.target_companies else 0.0

    @property
    def needed_projects_per_quarter(self) -> int | None:
        return next((q.needed_projects for q in self.pace if q.needed_projects is not None), None)

    @property
    def needed_companies_per_quarter(self) -> int | None:
        return next((q.needed_companies for q in self.pace if q.needed_companies is not None), None)


def _quarter_bounds(year: int, q: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
    return start, end - dt.timedelta(days=1)


def stage_counts(session: Session, actor: Actor, year: int) -> dict[str, int]:
    """Projects of the season of ``year`` per current stage, keyed by stage value (``funnel(...).by_stage``,
    in one query: the pipeline's stage board needs no more)."""
    _not_mentor(actor)
    counts = {s.value: 0 for s in Stage}
    for stage, n in session.execute(select(Project.stage, func.count(Project.id))
                                    .join(Season, Project.season_id == Season.id)
                                    .where(Season.year == int(year)).group_by(Project.stage)):
        counts[stage.value] = int(n)
    return counts


def funnel(session: Session, actor: Actor, year: int, on: dt.date | None = None) -> Funnel:
    """The season's funnel: projects per stage now, how many reached each stage and the conversion
    between stages, the season against its targets, and the pace each quarter needs.

    Pace: the targets are spread evenly over the season's four calendar quarters; a past or current
    quarter shows the cumulative projects submitted (companies registered) by its end (by ``on`` for
    the current one); the current and later quarters show how many new ones each still needs
    (what is missing, shared evenly over the quarters left, rounded up).
    """
    _not_mentor(actor)
    day = on or dt.date.today()
    season = season_by_year(session, year)
    current: dict[Stage, int] = {s: 0 for s in Stage}
    # the furthest pipeline stage each project has reached (from its history and its stage now), and the
    # stage a dropped project was dropped from (its last change to dropped): two queries for the season
    furthest: dict[int, int] = {}
    now: dict[int, Stage] = {}
    for pid, stage in session.execute(select(Project.id, Project.stage).where(Project.season_id == season.id)):
        furthest[pid] = stage_index(stage)
        now[pid] = stage
        current[stage] += 1
    dropped_from: dict[Stage, int] = defaultdict(int)
    last_drop: dict[int, Stage] = {}
    for pid, frm, to in session.execute(
            select(StageChange.project_id, StageChange.from_stage, StageChange.to_stage)
            .join(Project, StageChange.project_id == Project.id).where(Project.season_id == season.id)
            .order_by(StageChange.changed_on, StageChange.id)):
        for s in (frm, to):
            if s is not None:
                furthest[pid] = max(furthest[pid], stage_index(s))
        if to == Stage.DROPPED and now[pid] == Stage.DROPPED and frm is not None:
            last_drop[pid] = frm
    for frm in last_drop.values():
        dropped_from[frm] += 1
    stages = []
    prev: int | None = None
    for i, s in enumerate(PIPELINE_ORDER):
        reached = sum(1 for k in furthest.values() if k >= i)
        stages.append(StageCount(s, current[s], reached, (reached / prev) if prev else None))
        prev = reached
    by_track = [(name, int(n)) for name, n in session.execute(
        select(Track.name, func.count(Project.id)).join(Project, Project.track_id == Track.id, isouter=True)
        .where(Track.season_id == season.id).group_by(Track.id, Track.name, Track.seq).order_by(Track.seq))]
    total = sum(current.values())
    # pace
    if day.year < year:
        cur_q = 0
    elif day.year > year:
        cur_q = 5
    else:
        cur_q = (day.month - 1) // 3 + 1
    quarters_left = max(0, 5 - cur_q) if cur_q else 4
    pace = []
    # the counts by ``day``, by the season's end and by each quarter's end in one query each for projects
    # and companies, not two queries a quarter: each query is a round trip to the server (issue #25)
    ends = [min(_quarter_bounds(year, q)[1], day) for q in range(1, 5)]

    def counts_by(col: Any, *where: Any) -> list[int]:
        row = session.execute(select(*(func.coalesce(func.sum(case((col <= upto, 1), else_=0)), 0)
                                       for upto in (day, min(day, dt.date(year, 12, 31)), *ends)))
                              .where(*where)).one()
        return [int(n) for n in row]

    projects_by = counts_by(Project.submitted_on, Project.season_id == season.id)
    companies_by = counts_by(Company.registered_on, Company.registered_on >= dt.date(year, 1, 1))
    actual_now_p = projects_by[0]
    companies = companies_by[1]  # registered this season, up to ``day``
    need_p = math.ceil(max(0, season.target_projects - actual_now_p) / quarters_left) if quarters_left else None
    need_c = math.ceil(max(0, season.target_companies - companies) / quarters_left) if quarters_left else None
    for q in range(1, 5):
        start, end = _quarter_bounds(year, q)
        begun = cur_q >= q
        ap = projects_by[q + 1] if begun else None
        ac = companies_by[q + 1] if begun else None
        future = q >= cur_q and cur_q <= 4
        pace.append(QuarterPace(q, start, end, round(season.target_projects * q / 4),
                                ap, round(season.target_companies * q / 4), ac,
                                need_p if future else None, need_c if future else None))
    return Funnel(year, season.name, day, season.target_projects, season.target_companies, total, companies, stages,
                  current[Stage.DROPPED], dict(dropped_from), by_track, pace, quarters_left)


# --------------------------------------------------------------------------- list pages


def _season_options(session: Session) -> list[tuple[Any, str]]:
    return [(year, str(year)) for (year,) in session.execute(select(Season.year).order_by(Season.year.desc()))]


def _track_options(session: Session) -> list[tuple[Any, str]]:
    return [(name, name) for (name,) in session.execute(
        select(Track.name).group_by(Track.name).order_by(func.min(Track.seq), Track.name))]


def _stage_options(_s: Session) -> list[tuple[Any, str]]:
    return [(s, label(s)) for s in Stage]


_lead = aliased(Student)
_sponsor = aliased(Organisation)
_team_size = (select(func.count(ProjectMember.id)).where(ProjectMember.project_id == Project.id)
              .correlate(Project).scalar_subquery())


def _projects_base(actor: Actor) -> AnySelect:
    stmt = (select(Project.id).select_from(Project).join(Season, Project.season_id == Season.id)
            .join(Track, Project.track_id == Track.id).outerjoin(_lead, Project.lead_student_id == _lead.id)
            .outerjoin(_sponsor, Project.sponsor_id == _sponsor.id))
    if actor.is_mentor:
        stmt = stmt.where(_project_scope(actor))
    return stmt


PROJECTS = ListSpec(
    name="projects",
    columns=(
        Column("code", "Project code", Project.code, width=110),
        Column("title", "Project title", Project.title, width=220),
        Column("season", "Season", Season.year, "int", 60),
        Column("track", "Track", Track.name, width=110),
        Column("stage", "Stage", Project.stage, "enum", 80),
        Column("stage_changed_on", "Since", Project.stage_changed_on, "date", 90),
        Column("lead", "Lead", _lead.name, width=80),
        Column("team", "Team", _team_size, "int", 60),
        Column("sponsor", "Sponsor", _sponsor.name, width=160),
        Column("submitted_on", "Submitted on", Project.submitted_on, "date", 90),
    ),
    id_expr=Project.id,
    version_expr=Project.version,
    base=_projects_base,
    search=(Project.code, Project.title, _lead.name, _lead.student_no, _sponsor.name, Track.name),
    filters=(
        Filter("season", "Season", _season_options, lambda s, v: s.where(Season.year == v)),
        Filter("track", "Track", _track_options, lambda s, v: s.where(Track.name == v)),
        Filter("stage", "Stage", _stage_options, lambda s, v: s.where(Project.stage == v)),
    ),
    default_sort="code",
)

_cproject = aliased(Project)
_cseason = aliased(Season)
_founders = (select(func.count(CompanyFounder.student_id)).where(CompanyFounder.company_id == Company.id)
             .correlate(Company).scalar_subquery())

COMPANIES = ListSpec(
    name="companies",
    columns=(
        Column("uscc", "Credit code", Company.uscc, width=160),
        Column("name", "Company name", Company.name, width=220),
        Column("project", "Project code", _cproject.code, width=110),
        Column("title", "Project title", _cproject.title, width=200),
        Column("registered_on", "Registered on", Company.registered_on, "date", 90),
        Column("funding", "Funding (10k yuan)", Company.funding, "float", 100),
        Column("employees", "Employees", Company.employees, "int", 70),
        Column("founders", "Founders", _founders, "int", 70),
    ),
    id_expr=Company.id,
    version_expr=Company.version,
    base=lambda actor: (select(Company.id).select_from(Company).join(_cproject, Company.project_id == _cproject.id)
                        .join(_cseason, _cproject.season_id == _cseason.id)
                        .where(false() if actor.is_mentor else Company.id.is_not(None))),
    search=(Company.uscc, Company.name, _cproject.code, _cproject.title),
    filters=(Filter("season", "Season", _season_options, lambda s, v: s.where(_cseason.year == v)),),
    default_sort="registered_on",
    default_descending=True,
)

