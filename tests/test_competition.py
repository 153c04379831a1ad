"""The competition pipeline's rules in db/: stages, conflicts of interest, judging and ranking, credit
codes, companies and the funnel (both backends)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from conftest import filled_once  # type: ignore[import-not-found]
from sqlalchemy import func, select

from db import competition as c
from db import mentoring
from db.actor import Actor, unit_of_work
from db.curriculum import save_programme
from db.errors import PermissionDenied, RuleViolation, ValidationError
from db.models import (
    Conflict,
    ConflictKind,
    Criterion,
    MentorRole,
    Project,
    ProjectMember,
    Role,
    Score,
    Stage,
    StageChange,
    Track,
)
from db.people import save_mentor, save_student

D = dt.date


@pytest.fixture
@filled_once
def academy(db: Any, admin: Actor) -> Any:
    """Students S1–S6; mentors A1 (academic, 重庆大学), H1 (industry, 华为), H2 (industry, 长安汽车).
    S1 has A1 and H1 now; S2 had H2 until 2026-01-01 (a former mentor)."""
    with unit_of_work(db.factory, admin) as s:
        save_programme(s, admin, {"code": "P1", "name": "人工智能工程"})
        for i, name in enumerate(["王梓涵", "李子轩", "张雨桐", "刘浩然", "陈欣怡", "杨宇航"], start=1):
            save_student(s, admin, {"student_no": f"S{i}", "name": name, "cohort": 2025, "programme": "P1"})
        save_mentor(s, admin, {"staff_no": "A1", "name": "刘教授", "organisation": "重庆大学",
                               "roles": [MentorRole.ACADEMIC]})
        save_mentor(s, admin, {"staff_no": "H1", "name": "陈工", "organisation": "华为技术有限公司",
                               "roles": [MentorRole.INDUSTRY]})
        save_mentor(s, admin, {"staff_no": "H2", "name": "周工", "organisation": "长安汽车",
                               "roles": [MentorRole.INDUSTRY]})
        by_no = lambda no: mentoring.student_by_no(s, no)  # noqa: E731
        mentor = lambda no: mentoring.mentor_by_no(s, no)  # noqa: E731
        mentoring.assign(s, admin, by_no("S1"), mentor("A1"), MentorRole.ACADEMIC, D(2025, 9, 1))
        mentoring.assign(s, admin, by_no("S1"), mentor("H1"), MentorRole.INDUSTRY, D(2025, 9, 1))
        mentoring.assign(s, admin, by_no("S2"), mentor("H2"), MentorRole.INDUSTRY, D(2025, 9, 1),
                         end_on=D(2026, 1, 1))
    return db


def _project(s: Any, admin: Actor, code: str, lead: str, **kw: Any) -> Project:
    on = kw.pop("on", D(2026, 5, 1))
    values = {"code": code, "title": f"项目{code}", "season": 2026, "track": "智能机器人", "lead": lead,
              "submitted_on": D(2026, 3, 10), **kw}
    return c.save_project(s, admin, values, on=on)[0]


# --------------------------------------------------------------------------- seasons and projects


def test_new_season_starts_with_the_default_tracks_and_targets(academy: Any, admin: Actor) -> None:
    with unit_of_work(academy.factory, admin) as s:
        _project(s, admin, "P-1", "S1")
        line = c.seasons(s, admin)[0]
        assert (line.year, line.target_projects, line.target_companies) == (2026, 300, 20)
        assert line.tracks == ("智能机器人", "消费类AI终端", "人工智能软件", "其他")
        season, _ = c.save_season(s, admin, {"target_projects": 320}, season_id=line.id,
                                  expected_version=line.version)
        assert season.target_projects == 320


def test_project_team_lead_members_outside_people_and_mentors(academy: Any, admin: Actor) -> None:
    with unit_of_work(academy.factory, admin) as s:
        p = _project(s, admin, "P-1", "S1", members=["S3", "赵六(重庆邮电大学)"], mentors=["A1"], sponsor="赛力斯集团")
        d = c.project_detail(s, admin, p.id)
        assert [(m.student_no, m.name, m.organisation, m.is_lead) for m in d.members] == [
            ("S1", "王梓涵", None, True), ("S3", "张雨桐", None, False), (None, "赵六", "重庆邮电大学", False)]
        assert [m.staff_no for m in d.mentors] == ["A1"] and d.sponsor == "赛力斯集团"
        assert [(h.from_stage, h.to_stage, h.changed_by) for h in d.history] == [(None, Stage.SUBMITTED,
                                                                                  admin.username)]


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"lead": "X999"}, "lead", "The lead must be a student of the academy: no student has number X999."),
    ({"members": ["S9"]}, "members", "No student has number S9"),
    ({"track": "区块链"}, "track", "Track 区块链 is not a track of season 2026"),
    ({"mentors": ["Z1"]}, "mentors", "Mentor Z1 does not exist."),
    ({"stage": Stage.DROPPED}, "drop_reason", "Dropping a project needs a reason."),
    ({"drop_reason": "团队解散"}, "drop_reason", "goes only with the stage"),
])
def test_bad_project_input_is_refused_and_nothing_is_written(academy: Any, admin: Actor, values: dict[str, Any],
                                                             field: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as err:
        with unit_of_work(academy.factory, admin) as s:
            _project(s, admin, "P-1", **{"lead": "S1", **values})
    assert field in err.value.errors
    with academy.factory() as s:
        assert s.scalar(select(func.count(Project.id))) == 0
        assert s.scalar(select(func.count(StageChange.id))) == 0


def test_a_project_code_is_used_once(academy: Any, admin: Actor) -> None:
    with unit_of_work(academy.factory, admin) as s:
        _project(s, admin, "YJ-1", "S1")
    with pytest.raises(ValidationError, match="Project code yj-1 is already used in season 2026"):
        with unit_of_work(academy.factory, admin) as s:
            _project(s, admin, "yj-1", "S2")


def test_stage_rules_record_who_when_and_why(academy: Any, admin: Actor) -> None:
    with unit_of_work(academy.factory, admin) as s:
        pid = _project(s, admin, "P-1", "S1").id
        c.change_stage(s, admin, pid, Stage.ROADSHOW, on=D(2026, 6, 1))  # skipping forward is allowed
        with pytest.raises(ValidationError, match="Moving a project back from Roadshow to Screened needs a reason"):
            c.change_stage(s, admin, pid, Stage.SCREENED, on=D(2026, 6, 2))
        c.change_stage(s, admin, pid, Stage.SCREENED, on=D(2026, 6, 2), reason="路演材料不全，退回补充")
        with pytest.raises(ValidationError, match="Dropping a project needs a reason"):
            c.change_stage(s, admin, pid, Stage.DROPPED, on=D(2026, 6, 3))
        with pytest.raises(ValidationError, match="before the project's last stage change on 2026-06-02"):
            c.drop_project(s, admin, pid, "团队解散", on=D(2026, 6, 1))
        c.drop_project(s, admin, pid, "团队解散", on=D(2026, 6, 3))
        with pytest.raises(RuleViolation, match="has been dropped: reopen it"):
            c.change_stage(s, admin, pid, Stage.ROADSHOW, on=D(2026, 6, 4), reason="想继续")
        with pytest.raises(ValidationError, match="Reopening a project needs a reason"):
            c.reopen_project(s, admin, pid, "", on=D(2026, 6, 4))
        p = c.reopen_project(s, admin, pid, "团队重组后继续参赛", on=D(2026, 6, 5))
        assert (p.stage, p.drop_reason) == (Stage.SCREENED, None)  # back where it was dropped from
        history = [(h.from_stage, h.to_stage, h.changed_on, h.reason) for h in c.project_detail(s, admin, pid).history]
    assert history == [
        (None, Stage.SUBMITTED, D(2026, 3, 10), None),
        (Stage.SUBMITTED, Stage.ROADSHOW, D(2026, 6, 1), None),
        (Stage.ROADSHOW, Stage.SCREENED, D(2026, 6, 2), "路演材料不全，退回补充"),
        (Stage.SCREENED, Stage.DROPPED, D(2026, 6, 3), "团队解散"),
        (Stage.DROPPED, Stage.SCREENED, D(2026, 6, 5), "团队重组后继续参赛"),
    ]


def test_mentors_read_their_mentees_projects_only_and_viewers_write_nothing(academy: Any, admin: Actor) -> None:
    with unit_of_work(academy.factory, admin) as s:
        mine = _project(s, admin, "P-1", "S3", members=["S1"]).id  # S1 is A1's mentee
        other = _project(s, admin, "P-2", "S4").id
        a1 = mentoring.mentor_by_no(s, "A1").id
    mentor = Actor("a1", Role.MENTOR, mentor_id=a1)
    viewer = Actor("v", Role.VIEWER)
    with academy.factory() as s:
        from db import listing

        rows = listing.fetch(s, mentor, c.PROJECTS, listing.ListQuery())
        assert [r.values[0] for r in rows] == ["P-1"]
        assert c.project_detail(s, mentor, mine).code == "P-1"
        with pytest.raises(PermissionDenied):
            c.project_detail(s, mentor, other)
        with pytest.raises(PermissionDenied):
            c.change_stage(s, mentor, mine, Stage.SCREENED)
        with pytest.raises(PermissionDenied):
            c.change_stage(s, viewer, mine, Stage.SCREENED)


# --------------------------------------------------------------------------- conflicts of interest


@pytest.fixture
@filled_once
def judged(academy: Any, admin: Actor) -> Any:
    """Project P-1 (lead S1, member S3, sponsor 赛力斯集团) and P-2 (lead S2), with six judges."""
    with unit_of_work(academy.factory, admin) as s:
        ids = {}
        ids["P-1"] = _project(s, admin, "P-1", "S1", members=["S3"], sponsor="赛力斯集团").id
        ids["P-2"] = _project(s, admin, "P-2", "S2").id
        for key, values in [("J1", {"mentor": "A1"}), ("J2", {"name": "华为评委", "organisation": "华为技术有限公司"}),
                            ("J3", {"name": "长安评委", "organisation": "长安汽车"}),
                            ("J4", {"name": "投资人", "organisation": "重庆产业投资母基金"}),
                            ("J5", {"name": "赛力斯评委", "organisation": "赛力斯集团"}),
                            ("J6", {"name": "重大教授", "organisation": "重庆大学"})]:
            ids[key] = c.save_judge(s, admin, values)[0].id
    academy.ids = ids
    return academy


def _kinds(db: Any, project: str) -> dict[str, set[ConflictKind]]:
    names = {v: k for k, v in db.ids.items() if k.startswith("J")}
    out: dict[str, set[ConflictKind]] = {}
    with db.factory() as s:
        for f in c.find_conflicts(s, project_ids=[db.ids[project]]):
            out.setdefault(names[f.judge_id], set()).add(f.kind)
    return out


def test_conflicts_are_detected_from_the_academys_own_data(judged: Any, admin: Actor) -> None:
    assert _kinds(judged, "P-1") == {
        "J1": {ConflictKind.MENTORS_MEMBER},  # the judge is the lead's academic mentor
        "J2": {ConflictKind.SAME_ORG_AS_MENTOR},  # 华为 employs H1, the lead's industry mentor
        "J5": {ConflictKind.SPONSOR},  # 赛力斯集团 sponsors the project
    }  # J6 (重庆大学, like the academic mentor A1) is no conflict: DESIGN names the industry mentor
    # a former industry mentor still counts; a declared conflict is added to the detected ones
    with unit_of_work(judged.factory, admin) as s:
        c.declare_conflict(s, admin, judged.ids["J4"], judged.ids["P-2"], "评委与负责人为亲属")
    assert _kinds(judged, "P-2") == {"J3": {ConflictKind.SAME_ORG_AS_MENTOR}, "J4": {ConflictKind.DECLARED}}
    with judged.factory() as s:
        (finding,) = [f for f in c.find_conflicts(s, project_ids=[judged.ids["P-1"]]) if f.judge_name == "华为评委"]
        assert finding.detail == "华为技术有限公司 employs 陈工, industry mentor of team member 王梓涵"


def test_project_mentor_and_a_members_former_mentor_are_conflicts(judged: Any, admin: Actor) -> None:
    with unit_of_work(judged.factory, admin) as s:
        j = c.save_judge(s, admin, {"mentor": "H2"})[0].id  # H2 mentored S2 until 2026-01-01
        pid = _project(s, admin, "P-3", "S5", members=["S2"]).id
        pid4 = _project(s, admin, "P-4", "S6", mentors=["H2"]).id
        found = {(f.project_id, f.kind) for f in c.find_conflicts(s, judge_ids=[j], project_ids=[pid, pid4])}
    # on P-3 the judge also works where a member's (former) industry mentor works: H2 themselves
    assert found == {(pid, ConflictKind.MENTORS_MEMBER), (pid, ConflictKind.SAME_ORG_AS_MENTOR),
                     (pid4, ConflictKind.MENTORS_MEMBER)}


def test_a_conflicted_judge_is_neither_assigned_nor_scores(judged: Any, admin: Actor) -> None:
    ids = judged.ids
    with unit_of_work(judged.factory, admin) as s:
        rnd, _ = c.save_round(s, admin, {"season": 2026, "name": "初审", "stage": Stage.SUBMITTED, "max_load": 5})
        rid = rnd.id
        result = c.auto_assign(s, admin, rid, per_project=4)
        crit = s.scalars(select(Criterion.id).where(Criterion.round_id == rid)).first()
    assert result.conflicts_recorded == 4  # J1, J2, J5 on P-1; J3 on P-2 — kept in the conflicts table
    with judged.factory() as s:
        lines = {a.code: {j for j, _n, _s in a.judges} for a in c.assignments(s, admin, rid)}
        assert s.scalar(select(func.count(Conflict.id))) == 4
    assert lines["P-1"] == {ids["J3"], ids["J4"], ids["J6"]}  # only three judges are free of conflicts
    assert result.short == [("P-1", 1)]
    assert ids["J3"] not in lines["P-2"] and len(lines["P-2"]) == 4
    with pytest.raises(RuleViolation, match="华为评委 has a conflict of interest with project P-1"):
        with unit_of_work(judged.factory, admin) as s:
            c.assign_judge(s, admin, rid, ids["J2"], ids["P-1"])
    with pytest.raises(RuleViolation, match="赛力斯评委 has a conflict of interest with project P-1: 赛力斯集团 is"):
        with unit_of_work(judged.factory, admin) as s:
            c.save_scores(s, admin, rid, ids["J5"], ids["P-1"], {crit: 8})
    # a conflict declared after the assignment withdraws it; one with scores is refused
    with unit_of_work(judged.factory, admin) as s:
        c.save_scores(s, admin, rid, ids["J4"], ids["P-1"], {crit: 8})
    with pytest.raises(RuleViolation, match="has already scored project P-1"):
        with unit_of_work(judged.factory, admin) as s:
            c.declare_conflict(s, admin, ids["J4"], ids["P-1"], "后来发现是亲属")
    with unit_of_work(judged.factory, admin) as s:
        c.declare_conflict(s, admin, ids["J6"], ids["P-1"], "曾与负责人合作发表论文")
        assert ids["J6"] not in {j for j, _n, _s in c.assignments(s, admin, rid)[0].judges}


def test_scores_outside_the_range_refuse_the_whole_sheet(judged: Any, admin: Actor) -> None:
    ids = judged.ids
    with unit_of_work(judged.factory, admin) as s:
        rid = c.save_round(s, admin, {"season": 2026, "name": "初审", "stage": Stage.SUBMITTED})[0].id
        c.assign_judge(s, admin, rid, ids["J4"], ids["P-1"])
        crits = list(s.scalars(select(Criterion.id).where(Criterion.round_id == rid).order_by(Criterion.id)))
    with pytest.raises(ValidationError) as err:
        with unit_of_work(judged.factory, admin) as s:
            c.save_scores(s, admin, rid, ids["J4"], ids["P-1"], {crits[0]: 8, crits[1]: 10.5})
    assert err.value.errors == {f"criterion_{crits[1]}": "技术可行性: the score 10.5 is outside 0–10."}
    with pytest.raises(RuleViolation, match="投资人 is not assigned to project P-2"):
        with unit_of_work(judged.factory, admin) as s:
            c.save_scores(s, admin, rid, ids["J4"], ids["P-2"], {crits[0]: 8})
    with judged.factory() as s:
        assert s.scalar(select(func.count(Score.id))) == 0


def test_auto_assignment_balances_the_load_within_the_maximum(academy: Any, admin: Actor) -> None:
    with unit_of_work(academy.factory, admin) as s:
        for i in range(1, 8):
            _project(s, admin, f"Q-{i}", f"S{(i % 6) + 1}")
        judge_ids = [c.save_judge(s, admin, {"name": f"评委{i}", "organisation": f"投资机构{i}"})[0].id
                     for i in range(5)]
        rid = c.save_round(s, admin, {"season": 2026, "name": "初审", "stage": Stage.SUBMITTED, "max_load": 5})[0].id
        result = c.auto_assign(s, admin, rid, per_project=3)
    assert result.added == 21 and result.short == []
    assert sorted(result.loads[j] for j in judge_ids) == [4, 4, 4, 4, 5]  # 21 over 5 judges, all ≤ 5
    with pytest.raises(RuleViolation, match="already has 5 projects in this round"):
        with unit_of_work(academy.factory, admin) as s:
            full = next(j for j in judge_ids if result.loads[j] == 5)
            free = next(a.project_id for a in c.assignments(s, admin, rid) if full not in {j for j, _n, _s in a.judges})
            c.assign_judge(s, admin, rid, full, free)
    with unit_of_work(academy.factory, admin) as s:  # adjusted by hand: move one project to another judge
        line = c.assignments(s, admin, rid)[0]
        old = line.judges[0][0]
        new = next(j for j in judge_ids if j not in {x for x, _n, _s in line.judges} and result.loads[j] < 5)
        c.unassign_judge(s, admin, rid, old, line.project_id)
        c.assign_judge(s, admin, rid, new, line.project_id)
        loads = {jl.judge_id: jl.load for jl in c.judge_loads(s, admin, rid)}
    assert loads[old] == result.loads[old] - 1 and loads[new] == result.loads[new] + 1


# --------------------------------------------------------------------------- ranking


def _judged_round(db: Any, admin: Actor, normalise: bool) -> tuple[int, dict[str, int]]:
    """Projects W, X, Y, Z; criteria 创新 (weight 0.6, 0–10) and 团队 (weight 0.4, 0–20).
    Judge A (generous) scores W, X, Y; judge B (strict) scores X, Y, Z.
    Sheets on 0–100: A: W 90 (10, 15), X 85 (8.5, 17), Y 80 (8, 16); B: X 60 (6, 12), Y 50 (5, 10), Z 70 (7, 14)."""
    with unit_of_work(db.factory, admin) as s:
        pids = {k: _project(s, admin, k, f"S{i}").id for i, k in enumerate("WXYZ", start=1)}
        ja = c.save_judge(s, admin, {"name": "宽松评委", "organisation": "甲基金"})[0].id
        jb = c.save_judge(s, admin, {"name": "严格评委", "organisation": "乙基金"})[0].id
        rid = c.save_round(s, admin, {"season": 2026, "name": "路演评审", "stage": Stage.SUBMITTED,
                                      "normalise": normalise}, with_default_criteria=False)[0].id
        inno = c.save_criterion(s, admin, rid, {"name": "创新", "weight": 0.6, "min_score": 0, "max_score": 10}).id
        team = c.save_criterion(s, admin, rid, {"name": "团队", "weight": 0.4, "min_score": 0, "max_score": 20}).id
        for judge, sheets in ((ja, {"W": (10, 15), "X": (8.5, 17), "Y": (8, 16)}),
                              (jb, {"X": (6, 12), "Y": (5, 10), "Z": (7, 14)})):
            for code, (a, b) in sheets.items():
                c.assign_judge(s, admin, rid, judge, pids[code])
                c.save_scores(s, admin, rid, judge, pids[code], {inno: a, team: b})
    return rid, pids


def test_ranking_by_weighted_mean(academy: Any, admin: Actor) -> None:
    rid, _ = _judged_round(academy, admin, normalise=False)
    with academy.factory() as s:
        lines = c.ranking(s, admin, rid)
    assert [(x.rank, x.code, round(x.mean, 6), x.judges_scored) for x in lines] == [
        (1, "W", 90.0, 1), (2, "X", 72.5, 2), (3, "Z", 70.0, 1), (4, "Y", 65.0, 2)]
    assert all(x.z is None for x in lines)


def test_ranking_with_per_judge_normalisation(academy: Any, admin: Actor) -> None:
    """z-scores: A (mean 85, sd √(50/3)): W +1.2247, X 0, Y −1.2247; B (mean 60, sd √(200/3)): X 0,
    Y −1.2247, Z +1.2247. Z, seen only by the strict judge, climbs from third to share first place."""
    rid, _ = _judged_round(academy, admin, normalise=True)
    with academy.factory() as s:
        lines = c.ranking(s, admin, rid)
        raw = c.ranking(s, admin, rid, normalise=False)
    z = 1.5 ** 0.5
    assert [(x.rank, x.code) for x in lines] == [(1, "W"), (1, "Z"), (3, "X"), (4, "Y")]
    assert [round(x.z, 4) for x in lines] == [round(z, 4), round(z, 4), 0.0, round(-z, 4)]
    assert [x.judges_scored for x in lines] == [1, 1, 2, 2]
    assert [x.code for x in raw] == ["W", "X", "Z", "Y"]  # the round's setting can be overridden


def test_ranking_leaves_out_scores_of_a_judge_found_in_conflict_later(academy: Any, admin: Actor) -> None:
    rid, pids = _judged_round(academy, admin, normalise=False)
    with unit_of_work(academy.factory, admin) as s:
        ja = s.scalar(select(c.Judge.id).where(c.Judge.name == "宽松评委"))
        s.add(Conflict(judge_id=ja, project_id=pids["W"], kind=ConflictKind.DECLARED, detail="事后申报"))
    with academy.factory() as s:
        w = next(x for x in c.ranking(s, admin, rid) if x.code == "W")
    assert (w.rank, w.mean, w.judges_scored, w.excluded) == (None, None, 0, 1)


# --------------------------------------------------------------------------- credit codes and companies


@pytest.mark.parametrize("code", ["914403001922038216", "9144030071526726XG", "91330100799655058B",
                                  "91500000MA5U7E2X4X", " 9144030071526726xg "])
def test_valid_credit_codes(code: str) -> None:
    assert c.check_uscc(code) == code.strip().upper()


@pytest.mark.parametrize(("code", "message"), [
    ("914403001922038217", "the check character should be 6"),  # 华为's code with a wrong last character
    ("9144030071526726X1", "the check character should be G"),
    ("91440300192203821", "it must have 18 characters"),
    ("9144030019220382161", "it must have 18 characters"),
    ("91440300I92203821O", "I is not allowed"),  # I, O, S, V, Z are never used
    ("", "required"),
])
def test_invalid_credit_codes(code: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as err:
        c.check_uscc(code)
    assert "uscc" in err.value.errors


def test_a_company_moves_its_project_to_incorporated(academy: Any, admin: Actor) -> None:
    with unit_of_work(academy.factory, admin) as s:
        pid = _project(s, admin, "P-1", "S1", members=["S2"], stage=Stage.INCUBATING, on=D(2026, 9, 30)).id
        company, created = c.save_company(s, admin, {"uscc": "91500000MA5U7E2X4X", "name": "重庆智湾机器人科技有限公司",
                                                     "project": "P-1", "registered_on": D(2026, 10, 20),
                                                     "funding": 300.0, "employees": 12, "founders": ["S1", "S2"]})
        assert created
        d = c.project_detail(s, admin, pid)
    assert d.stage is Stage.INCORPORATED and d.companies == [("91500000MA5U7E2X4X", "重庆智湾机器人科技有限公司")]
    assert [(h.to_stage, h.changed_on, h.reason) for h in d.history][-2:] == [
        (Stage.INCUBATING, D(2026, 9, 30), "Imported at this stage"),
        (Stage.INCORPORATED, D(2026, 10, 20), "Company registered")]
    with pytest.raises(ValidationError, match="Founder S4 is not a student member of project P-1"):
        with unit_of_work(academy.factory, admin) as s:
            c.save_company(s, admin, {"uscc": "9144030071526726XG", "name": "某公司", "project": "P-1",
                                      "registered_on": D(2026, 10, 21), "founders": ["S4"]})
    with pytest.raises(ValidationError, match="Company 91500000MA5U7E2X4X already exists"):
        with unit_of_work(academy.factory, admin) as s:
            c.save_company(s, admin, {"uscc": "91500000ma5u7e2x4x", "name": "重名公司", "project": "P-1",
                                      "registered_on": D(2026, 10, 21)})


def test_no_company_from_a_dropped_project(academy: Any, admin: Actor) -> None:
    with unit_of_work(academy.factory, admin) as s:
        pid = _project(s, admin, "P-1", "S1").id
        c.drop_project(s, admin, pid, "放弃参赛", on=D(2026, 4, 1))
    with pytest.raises(ValidationError, match="Project P-1 has been dropped; reopen it"):
        with unit_of_work(academy.factory, admin) as s:
            c.save_company(s, admin, {"uscc": "91500000MA5U7E2X4X", "name": "重庆某科技有限公司", "project": "P-1",
                                      "registered_on": D(2026, 10, 20)})


# --------------------------------------------------------------------------- funnel and pace


def test_funnel_conversion_targets_and_pace(academy: Any, admin: Actor) -> None:
    """Ten projects: 2 submitted in Q1 and 8 in Q2. Now (2026-05-15): 4 submitted, 3 screened,
    1 roadshow, 1 incorporated (its company registered on 2026-05-10), 1 dropped from screened."""
    with unit_of_work(academy.factory, admin) as s:
        for i in range(10):
            _project(s, admin, f"F-{i}", f"S{i % 6 + 1}", submitted_on=D(2026, 3, 20) if i < 2 else D(2026, 4, 5))
        ids = {p.code: p.id for p in s.scalars(select(Project))}
        for code in ("F-0", "F-1", "F-2", "F-3", "F-4", "F-5"):
            c.change_stage(s, admin, ids[code], Stage.SCREENED, on=D(2026, 4, 20))
        c.change_stage(s, admin, ids["F-4"], Stage.ROADSHOW, on=D(2026, 5, 1))
        c.change_stage(s, admin, ids["F-5"], Stage.INCUBATING, on=D(2026, 5, 1))
        c.save_company(s, admin, {"uscc": "91500000MA5U7E2X4X", "name": "重庆智湾科技有限公司", "project": "F-5",
                                  "registered_on": D(2026, 5, 10)})
        c.drop_project(s, admin, ids["F-0"], "团队成员毕业离校", on=D(2026, 5, 2))
        f = c.funnel(s, admin, 2026, on=D(2026, 5, 15))
    assert (f.projects, f.target_projects, f.companies, f.target_companies) == (10, 300, 1, 20)
    assert f.by_stage == {"submitted": 4, "screened": 3, "roadshow": 1, "finalist": 0, "awarded": 0,
                          "incubating": 0, "incorporated": 1, "dropped": 1}
    assert [(x.stage.value, x.reached) for x in f.stages] == [
        ("submitted", 10), ("screened", 6), ("roadshow", 2), ("finalist", 1), ("awarded", 1), ("incubating", 1),
        ("incorporated", 1)]
    assert [None if x.conversion is None else round(x.conversion, 4) for x in f.stages] == [
        None, 0.6, 0.3333, 0.5, 1.0, 1.0, 1.0]
    assert f.dropped_from == {Stage.SCREENED: 1}
    assert f.by_track == [("智能机器人", 10), ("消费类AI终端", 0), ("人工智能软件", 0), ("其他", 0)]
    # pace: Q2 of 2026, three quarters left (Q2, Q3, Q4): (300 − 10) / 3 → 97; (20 − 1) / 3 → 7
    assert f.quarters_left == 3
    assert [(q.quarter, q.planned_projects, q.actual_projects, q.needed_projects) for q in f.pace] == [
        (1, 75, 2, None), (2, 150, 10, 97), (3, 225, None, 97), (4, 300, None, 97)]
    assert [(q.planned_companies, q.actual_companies, q.needed_companies) for q in f.pace] == [
        (5, 0, None), (10, 1, 7), (15, None, 7), (20, None, 7)]
    assert (f.needed_projects_per_quarter, f.needed_companies_per_quarter) == (97, 7)


def test_funnel_of_a_finished_season_needs_no_pace(academy: Any, admin: Actor) -> None:
    with unit_of_work(academy.factory, admin) as s:
        _project(s, admin, "F-1", "S1")
        f = c.funnel(s, admin, 2026, on=D(2027, 2, 1))
    assert f.quarters_left == 0 and f.needed_projects_per_quarter is None
    assert [q.actual_projects for q in f.pace] == [1, 1, 1, 1]


def test_student_projects_panel_data(academy: Any, admin: Actor) -> None:
    with unit_of_work(academy.factory, admin) as s:
        _project(s, admin, "P-1", "S1", members=["S2"])
        _project(s, admin, "P-2", "S2")
        s2 = mentoring.student_by_no(s, "S2").id
        lines = c.student_projects(s, admin, s2)
    assert [(x.code, x.is_lead, x.track) for x in lines] == [("P-1", False, "智能机器人"), ("P-2", True, "智能机器人")]


def test_tracks_can_be_added_per_season(academy: Any, admin: Actor) -> None:
    with unit_of_work(academy.factory, admin) as s:
        season = c.ensure_season(s, admin, 2026)
        c.add_track(s, admin, season.id, "低空经济")
        with pytest.raises(ValidationError, match="already exists"):
            c.add_track(s, admin, season.id, "低空经济")
        assert s.scalar(select(func.count(Track.id)).where(Track.season_id == season.id)) == 5
        _project(s, admin, "P-1", "S1", track="低空经济")
        assert s.scalar(select(func.count(ProjectMember.id))) == 1
