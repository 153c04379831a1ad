"""Access control as a property (issue 9): over random mentor assignment histories and random users
(an administrator, a viewer, mentors with and without mentees), every service that reads or writes
student data is called for every student:

- a mentor sees 0 records of students who were never their mentees: every per-student or per-record
  read is refused, and no list, desk or report they get names such a student;
- a mentor writes only for current mentees (former ones are read-only);
- a viewer performs 0 writes: every write is refused, and no INSERT/UPDATE/DELETE reaches the
  database (sign-ins and record views in the access log are not data);
- an administrator is never refused.

The world (students, their sessions, tasks, enrolments, transfer requests, projects) is built once;
each example writes its assignment history inside an outer transaction that is rolled back, and
every write runs in a savepoint that is rolled back too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select
from sqlalchemy.orm import Session
from suiteprofile import scaled

from db import alliance, competition, coverage, curriculum, dashboard, listing, mentoring, people
from db.actor import Actor, cli_actor, unit_of_work
from db.alliance import Decision
from db.errors import PermissionDenied, TalentDeskError
from db.models import (
    Enrolment,
    ExternalCourse,
    Mentor,
    MentorAssignment,
    MentoringSession,
    MentorRole,
    Project,
    ProjectMember,
    Role,
    Season,
    SessionKind,
    Stage,
    Student,
    Task,
    TaskStatus,
    TransferRequest,
    University,
)
from db.sessionlist import SESSIONS
from forms.specs import SPECS, parse_values
from reports import student as student_report
from tests.test_import_fuzz import _baseline

TODAY = dt.date.today()
STUDENTS = 6
MENTORS = 4  # the fourth never gets an assignment
pytestmark = pytest.mark.slow

EXAMPLES = {"sqlite": scaled(80, 8), "postgresql": scaled(20, 3), "logins": scaled(12, 2)}  # suiteprofile


class _Undo(Exception):
    """Rolls back the savepoint a write ran in."""


class _NoRecord(Exception):
    """The student has no record for this call in this example's history."""


@dataclasses.dataclass
class World:
    students: list[int]
    numbers: list[str]
    mentors: list[int]
    staff: list[str]
    enrolment: dict[int, int]
    task: dict[int, int]
    request: dict[int, int]
    project: dict[int, int]


def _build(db: Any) -> World:
    _baseline(db)
    admin = cli_actor()
    w = World([], [], [], [], {}, {}, {}, {})
    with unit_of_work(db.factory, admin) as s:
        hw = s.scalar(select(Mentor).where(Mentor.staff_no == "HW0001"))
        uni = s.scalar(select(University).where(University.code == "CQU"))
        ext = s.scalar(select(ExternalCourse).where(ExternalCourse.code == "CS3101"))
        season = s.scalar(select(Season).where(Season.year == 2026))
        assert hw and uni and ext and season
        course = curriculum.course_by_code(s, "AGI101")
        term = curriculum.term(s, "2024-2025-2")
        for i in range(MENTORS):
            m, _ = people.save_mentor(s, admin, {"staff_no": f"PM{i}", "name": f"导师{i}", "organisation": "重庆大学",
                                                 "roles": list(MentorRole), "capacity": 50})
            w.mentors.append(m.id)
            w.staff.append(m.staff_no)
        for i in range(STUDENTS):
            st_, _ = people.save_student(s, admin, {"student_no": f"PS{i:02d}", "name": f"学生{i}", "cohort": 2024,
                                                    "programme": "AI-ENG"})
            w.students.append(st_.id)
            w.numbers.append(st_.student_no)
            # records that belong to the student, made by a mentor who is not under test
            s.add(MentoringSession(mentor_id=hw.id, student_id=st_.id, held_on=dt.date(2025, 3, 1), minutes=45,
                                   kind=SessionKind.ONLINE, topic=f"记录{i}"))
            task = Task(mentor_id=hw.id, student_id=st_.id, title=f"任务{i}", assigned_on=dt.date(2025, 3, 1),
                        due_on=dt.date(2025, 3, 20), status=TaskStatus.SUBMITTED, submitted_on=dt.date(2025, 3, 18))
            enrol = Enrolment(student_id=st_.id, course_id=course.id, term_id=term.id, score_text="85", score=85.0,
                              passed=True, passed_on=dt.date(2025, 7, 1))
            req = TransferRequest(student_id=st_.id, university_id=uni.id, external_course_id=ext.id,
                                  term="2024-2025-2", score_text="80", score=80.0, submitted_on=dt.date(2025, 7, 10))
            proj = Project(code=f"PP{i}", title=f"项目{i}", season_id=season.id, track_id=season.tracks[0].id,
                           lead_student_id=st_.id, submitted_on=dt.date(2026, 3, 1))
            s.add_all([task, enrol, req, proj])
            s.flush()
            s.add(ProjectMember(project_id=proj.id, student_id=st_.id))
            w.task[st_.id], w.enrolment[st_.id], w.request[st_.id], w.project[st_.id] = (
                task.id, enrol.id, req.id, proj.id)
    return w


# --------------------------------------------------------------------------- the services

Call = Callable[[Session, Actor, World, int, int], Any]  # (session, actor, world, student index, mentor index)


def _sid(w: World, i: int) -> int:
    return w.students[i]


def _values(kind: str, raw: dict[str, Any]) -> dict[str, Any]:
    values, errors = parse_values(SPECS[kind], raw, set(raw))
    assert not errors, errors
    return values


# reads of one student's records; True: a mentor may read them for a current or former mentee
READS: dict[str, tuple[Call, bool]] = {
    "people.get_student": (lambda s, a, w, i, m: people.get_student(s, a, _sid(w, i)), True),
    "dashboard.record": (lambda s, a, w, i, m: dashboard.record(s, a, "students", _sid(w, i)), True),
    "dashboard.student_mentors": (lambda s, a, w, i, m: dashboard.student_mentors(s, a, _sid(w, i)), True),
    "mentoring.assignment_history": (lambda s, a, w, i, m: mentoring.assignment_history(s, a, _sid(w, i)), True),
    "mentoring.student_caption": (lambda s, a, w, i, m: mentoring.student_caption(s, a, _sid(w, i)), False),
    "mentoring.last_session": (lambda s, a, w, i, m: mentoring.last_session(s, a, "", _sid(w, i)), False),
    "mentoring.timeline": (lambda s, a, w, i, m: mentoring.timeline(s, a, _sid(w, i)), True),
    "competition.student_projects": (lambda s, a, w, i, m: competition.student_projects(s, a, _sid(w, i)), True),
    "reports.student.build": (lambda s, a, w, i, m: student_report.build(s, a, w.numbers[i]), True),
    "curriculum.student_balance": (lambda s, a, w, i, m: curriculum.student_balance(s, a, _sid(w, i), TODAY), False),
    "curriculum.recognised_credits": (lambda s, a, w, i, m: curriculum.recognised_credits(s, a, _sid(w, i)), False),
    "curriculum.student_curriculum": (
        lambda s, a, w, i, m: curriculum.student_curriculum(s, a, _sid(w, i), TODAY), False),
    "curriculum.enrolment_record": (lambda s, a, w, i, m: curriculum.enrolment_record(s, a, w.enrolment[_sid(w, i)]),
                                    False),
    "alliance.recognised_credits": (lambda s, a, w, i, m: alliance.recognised_credits(s, a, _sid(w, i)), False),
    "alliance.student_recognition": (lambda s, a, w, i, m: alliance.student_recognition(s, a, _sid(w, i)), False),
    "alliance.get_request": (lambda s, a, w, i, m: alliance.get_request(s, a, w.request[_sid(w, i)]), False),
    "alliance.request_view": (lambda s, a, w, i, m: alliance.request_view(s, a, w.request[_sid(w, i)]), False),
    "alliance.visiting_transcript": (
        lambda s, a, w, i, m: alliance.visiting_transcript(s, a, student_ids=[_sid(w, i)]), False),
    "competition.project_detail": (lambda s, a, w, i, m: competition.project_detail(s, a, w.project[_sid(w, i)]),
                                   False),
    "competition.project_values": (lambda s, a, w, i, m: competition.project_values(s, a, w.project[_sid(w, i)]),
                                   False),
}
# reads only an administrator makes (the assign dialog's suggestions)
ADMIN_READS: dict[str, Call] = {
    "mentoring.suggest_mentors": lambda s, a, w, i, m: mentoring.suggest_mentors(s, a, _sid(w, i), MentorRole.STUDY),
}

# writes to one student's records; True: a mentor may write them for a current mentee
WRITES: dict[str, tuple[Call, bool]] = {
    "people.save_student": (lambda s, a, w, i, m: people.save_student(
        s, a, {"phone": "13900000000"} | _values("students", {"student_no": w.numbers[i], "name": "改名",
                                                              "cohort": 2024, "programme": "AI-ENG"}),
        student_id=_sid(w, i)), False),
    "mentoring.save_session": (lambda s, a, w, i, m: mentoring.save_session(s, a, _values("sessions", {
        "staff_no": w.staff[m], "student_no": w.numbers[i], "date": TODAY.isoformat(), "minutes": 60,
        "kind": "面谈", "topic": "访问控制"})), True),
    "mentoring.save_task": (lambda s, a, w, i, m: mentoring.save_task(s, a, _values("assignments", {
        "staff_no": w.staff[m], "student_no": w.numbers[i], "title": "新任务", "assigned_on": TODAY.isoformat(),
        "due_on": (TODAY + dt.timedelta(days=14)).isoformat()})), True),
    "mentoring.record_submission": (
        lambda s, a, w, i, m: mentoring.record_submission(s, a, w.task[_sid(w, i)], TODAY), False),
    "mentoring.review_task": (
        lambda s, a, w, i, m: mentoring.review_task(s, a, w.task[_sid(w, i)], TODAY, 90.0, "好"), False),
    "mentoring.assign": (lambda s, a, w, i, m: mentoring.assign(
        s, a, s.get(Student, _sid(w, i)), s.get(Mentor, w.mentors[m]), MentorRole.STUDY, TODAY), False),
    "mentoring.end_assignment": (lambda s, a, w, i, m: mentoring.end_assignment(
        s, a, _some_assignment(s, _sid(w, i)), TODAY, "结束"), False),
    "curriculum.save_enrolment": (lambda s, a, w, i, m: curriculum.save_enrolment(s, a, _values("enrolments", {
        "student_no": w.numbers[i], "course": "AGI101", "term": "2025-2026-1", "score": "良"})), False),
    "curriculum.remove_enrolment": (
        lambda s, a, w, i, m: curriculum.remove_enrolment(s, a, w.enrolment[_sid(w, i)], None), False),
    "alliance.submit_request": (lambda s, a, w, i, m: alliance.submit_request(s, a, _values("transfers", {
        "student_no": w.numbers[i], "university": "CQU", "external": "CS3101", "term": "2025-2026-1",
        "score": 88, "submitted_on": "2025-12-01"})), False),
    "alliance.decide": (lambda s, a, w, i, m: alliance.decide(s, a, w.request[_sid(w, i)], None, Decision.REJECT,
                                                              reason="不符合"), False),
    "competition.change_stage": (
        lambda s, a, w, i, m: competition.change_stage(s, a, w.project[_sid(w, i)], Stage.SCREENED), False),
    "competition.save_project": (lambda s, a, w, i, m: SPECS["projects"].save(s, a, _values("projects", {
        "code": f"NEW-{i}", "title": "新项目", "season": 2026, "track": "智能机器人", "lead": w.numbers[i],
        "submitted_on": "2026-03-02"})), False),
}


def _some_assignment(s: Session, student_id: int) -> int:
    aid = s.scalar(select(MentorAssignment.id).where(MentorAssignment.student_id == student_id)
                   .order_by(MentorAssignment.end_on.is_(None).desc(), MentorAssignment.id).limit(1))
    if aid is None:
        raise _NoRecord
    return aid


def _lists(s: Session, a: Actor) -> Iterator[tuple[str, Any]]:
    """Every list a user can open that shows student records (refused ones are skipped)."""
    specs = (listing.STUDENTS, SESSIONS, competition.PROJECTS, alliance.TRANSFERS, coverage.MISSING_ROLES,
             coverage.NO_CONTACT)
    calls: list[tuple[str, Callable[[], Any]]] = [
        (spec.name, lambda spec=spec: listing.fetch(s, a, spec, listing.ListQuery(), limit=10_000)) for spec in specs]
    calls += [
        ("coverage.missing_roles", lambda: coverage.missing_roles(s, a)),
        ("coverage.no_contact", lambda: coverage.no_contact(s, a)),
        ("mentoring.mentor_desk", lambda: mentoring.mentor_desk(s, a)),
        ("curriculum.student_balances", lambda: curriculum.student_balances(s, a, TODAY)),
        ("dashboard.mentor_home", lambda: dashboard.mentor_home(s, a)),
    ]
    for name, call in calls:
        try:
            yield name, call()
        except PermissionDenied:
            continue


def _students_named(s: Session, name: str, result: Any) -> set[int]:
    """The students a result shows: list rows mapped to their students, and every ``student_id`` /
    ``student_no`` found anywhere in the returned objects."""
    found: set[int] = set()
    numbers: set[str] = set()
    if name in ("students",):
        return {r.id for r in result}
    if name == "sessions":
        ids = [r.id for r in result]
        return set(s.scalars(select(MentoringSession.student_id).where(MentoringSession.id.in_(ids)))) if ids else set()
    if name == "projects":
        ids = [r.id for r in result]
        return set(s.scalars(select(ProjectMember.student_id).where(ProjectMember.project_id.in_(ids),
                                                                    ProjectMember.student_id.is_not(None)))) | set(
            s.scalars(select(Project.lead_student_id).where(Project.id.in_(ids)))) - {None} if ids else set()
    if name == "transfers":
        ids = [r.id for r in result]
        return set(s.scalars(select(TransferRequest.student_id).where(TransferRequest.id.in_(ids)))) if ids else set()
    if name in ("missing_roles", "no_contact"):  # list specs keyed by student (or student + role)
        rows = list(result)
        numbers.update(str(v) for r in rows for v in r.values if isinstance(v, str))

    def walk(obj: Any, depth: int = 0) -> None:
        if depth > 6 or obj is None or isinstance(obj, (str, int, float, bool, dt.date, bytes)):
            return
        if isinstance(obj, Student):
            found.add(obj.id)
        elif dataclasses.is_dataclass(obj):
            for f in dataclasses.fields(obj):
                value = getattr(obj, f.name)
                if f.name == "student_id" and isinstance(value, int):
                    found.add(value)
                elif f.name == "student_no" and isinstance(value, str):
                    numbers.add(value)
                else:
                    walk(value, depth + 1)
        elif isinstance(obj, dict):
            for v in obj.values():
                walk(v, depth + 1)
        elif isinstance(obj, (list, tuple, set, frozenset)):
            for v in obj:
                walk(v, depth + 1)

    walk(result)
    if numbers:
        found |= set(s.scalars(select(Student.id).where(Student.student_no.in_(numbers))))
    return found


# --------------------------------------------------------------------------- the property

histories = st.lists(
    st.tuples(st.integers(0, MENTORS - 2), st.integers(0, STUDENTS - 1), st.sampled_from(list(MentorRole)),
              st.integers(-800, 30), st.one_of(st.none(), st.integers(1, 400))),
    max_size=14,
)
ACTORS = ["admin", "viewer", *[f"mentor{i}" for i in range(MENTORS)]]


def _actor(name: str, w: World) -> tuple[Actor, int]:
    """The actor, and the mentor index whose staff number their writes use."""
    if name == "admin":
        return Actor(username="boss", role=Role.ADMIN, user_id=1, display_name="boss"), 0
    if name == "viewer":
        return Actor(username="leader", role=Role.VIEWER, user_id=2, display_name="leader"), 0
    i = int(name.removeprefix("mentor"))
    return Actor(username=w.staff[i], role=Role.MENTOR, user_id=10 + i, mentor_id=w.mentors[i]), i


def _add_history(s: Session, w: World, history: list[tuple[int, int, MentorRole, int, int | None]]) -> None:
    open_roles: set[tuple[int, MentorRole]] = set()
    for m, i, role, start, length in history:
        start_on = TODAY + dt.timedelta(days=start)
        if length is None and (i, role) in open_roles:  # at most one open assignment per student and role
            length = 1
        end_on = None if length is None else start_on + dt.timedelta(days=length)
        if end_on is None:
            open_roles.add((i, role))
        s.add(MentorAssignment(student_id=w.students[i], mentor_id=w.mentors[m], role=role, start_on=start_on,
                               end_on=end_on, created_by="test"))
    s.flush()


def _mentees(history: list[tuple[int, int, MentorRole, int, int | None]], m: int,
             w: World) -> tuple[set[int], set[int]]:
    """(ever, current) mentees of mentor index ``m`` under the same rule as the history written."""
    ever, current = set(), set()
    open_roles: set[tuple[int, MentorRole]] = set()
    for mi, i, role, start, length in history:
        if length is None and (i, role) in open_roles:
            length = 1
        if length is None:
            open_roles.add((i, role))
        if mi != m:
            continue
        ever.add(w.students[i])
        if start <= 0 and (length is None or start + length > 0):
            current.add(w.students[i])
    return ever, current


def test_access_control_holds_for_random_users_and_histories(db: Any) -> None:
    _property(db, as_login=False)


def test_access_control_holds_through_each_persons_own_login(pg_db: Any) -> None:
    """The same property on PostgreSQL with every call made by the person's own login (as the desktop
    and the command line now connect): the server's privileges and row-level security apply on top of
    the services' checks, and a mentor still reads and writes everything they may, and nothing else."""
    _property(pg_db, as_login=True)


def _as_login(session: Session, conn: Any, actor: Actor) -> Actor:
    """Within the example's transaction: make ``actor``'s login (rolled back with it) and become it."""
    import uuid

    from sqlalchemy import func

    login = f"ap_{actor.role.value}_{uuid.uuid4().hex[:8]}"
    verifier = conn.connection.dbapi_connection.pgconn.encrypt_password(b"Prop-pass-2026", login.encode(),
                                                                        b"scram-sha-256").decode()
    user_id = session.scalar(select(func.talentdesk_create_user(login, verifier, actor.role.value, actor.mentor_id,
                                                                login, False)))
    conn.exec_driver_sql(f'SET LOCAL SESSION AUTHORIZATION "{login}"')
    conn.info.update(server_audits=True, owner=False)  # what db.security.probe says of a person's connection
    return dataclasses.replace(actor, username=login, user_id=user_id)


def _property(db: Any, *, as_login: bool) -> None:
    w = _build(db)
    tally: Counter[str] = Counter()

    @settings(max_examples=EXAMPLES["logins" if as_login else db.backend], deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(histories, st.sampled_from(ACTORS))
    def check(history: list[tuple[int, int, MentorRole, int, int | None]], who: str) -> None:
        actor, m = _actor(who, w)
        ever, current = _mentees(history, m, w) if actor.is_mentor else (set(), set())
        writes: list[str] = []

        def count_writes(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            verb = statement.lstrip().split(None, 1)[0].upper()
            if verb in ("INSERT", "UPDATE", "DELETE") and "access_log" not in statement.split("(", 1)[0]:
                writes.append(statement)

        # through a person's login: IT's owner connection (a superuser here) becomes that login inside the
        # example's transaction (SET LOCAL SESSION AUTHORIZATION), so the history it wrote is theirs to see
        with (db.owner_engine if as_login else db.engine).connect() as conn:
            outer = conn.begin()
            session = db.factory(bind=conn, join_transaction_mode="create_savepoint")
            probed = dict(conn.info)
            try:
                _add_history(session, w, history)
                if as_login:
                    actor = _as_login(session, conn, actor)
                session.info["actor"] = actor
                event.listen(conn, "before_cursor_execute", count_writes)
                for i, sid in enumerate(w.students):
                    for name, (call, mentor_may) in READS.items():
                        outcome = _run(session, call, actor, w, i, m, write=False)
                        tally["calls"] += 1
                        if actor.is_admin or actor.is_viewer:
                            assert outcome != "denied", f"{who} was refused {name} for student {i}"
                        elif sid not in ever:
                            # through their own login the server hides the row first: "not found" is as good
                            assert outcome == "denied" or as_login and outcome == "refused", \
                                f"{who} read {name} of student {i}, never their mentee"
                            tally["mentor reads refused"] += 1
                        elif mentor_may:
                            assert outcome != "denied", f"{who} was refused {name} of their mentee {i}"
                    for name, call in ADMIN_READS.items():
                        outcome = _run(session, call, actor, w, i, m, write=False)
                        tally["calls"] += 1
                        assert (outcome == "denied") != actor.is_admin, f"{who}: {name} for student {i}: {outcome}"
                    for name, (call, mentor_may) in WRITES.items():
                        writes.clear()
                        outcome = _run(session, call, actor, w, i, m, write=True)
                        tally["calls"] += 1
                        if outcome == "skip":
                            continue
                        if actor.is_admin:
                            assert outcome != "denied", f"the administrator was refused {name} for student {i}"
                        elif actor.is_viewer:
                            assert outcome == "denied", f"the viewer could {name} for student {i}"
                            assert writes == [], f"the viewer's {name} wrote: {writes[:1]}"
                            tally["viewer writes refused"] += 1
                        elif sid not in current:
                            assert outcome == "denied" or as_login and outcome == "refused", \
                                f"{who} could {name} for student {i}, not a current mentee"
                            assert writes == [], f"{who}'s refused {name} wrote: {writes[:1]}"
                            tally["mentor writes refused"] += 1
                        elif mentor_may:
                            assert outcome != "denied", f"{who} was refused {name} for their current mentee {i}"
                for name, result in _lists(session, actor):
                    tally["calls"] += 1
                    shown = _students_named(session, name, result)
                    if actor.is_mentor:
                        outside = shown & set(w.students) - ever
                        assert not outside, f"{who} saw never-mentees {sorted(outside)} in {name}"
            finally:
                if event.contains(conn, "before_cursor_execute", count_writes):
                    event.remove(conn, "before_cursor_execute", count_writes)
                session.close()
                outer.rollback()
                conn.info.clear()
                conn.info.update(probed)
        tally[f"examples as {'mentor' if actor.is_mentor else who}"] += 1

    check()
    examples = sum(v for k, v in tally.items() if k.startswith('examples'))
    print(f"\naccess control on {db.backend}{' through each person’s own login' if as_login else ''}: {examples} "
          f"random histories, {tally['calls']} service calls; a mentor saw 0 records of never-mentees "
          f"({tally['mentor reads refused']} reads and {tally['mentor writes refused']} writes refused), "
          f"a viewer made 0 writes ({tally['viewer writes refused']} refused), an administrator was refused 0 times "
          f"({', '.join(f'{k}: {v}' for k, v in sorted(tally.items()) if k.startswith('examples'))})")


def _run(session: Session, call: Call, actor: Actor, w: World, i: int, m: int, *, write: bool) -> str:
    """'ok', 'denied' or 'refused' (a rule said no); a write is always undone."""
    try:
        with session.begin_nested():
            call(session, actor, w, i, m)
            if write:
                raise _Undo
    except _Undo:
        return "ok"
    except _NoRecord:
        return "skip"
    except PermissionDenied:
        return "denied"
    except TalentDeskError:
        return "refused"
    return "ok"


def test_every_student_service_is_in_the_property() -> None:
    """A service added later that takes a student must join the lists above."""
    import inspect

    covered = {name.split(".", 1)[1] for name in (*READS, *ADMIN_READS, *WRITES)}
    missing = []
    for module in (people, mentoring, curriculum, alliance, competition):
        for fname, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__ or fname.startswith("_"):
                continue
            params = list(inspect.signature(fn).parameters)
            if params[:2] == ["session", "actor"] and "student_id" in params and fname not in covered:
                missing.append(f"{module.__name__}.{fname}")
    assert missing == [], f"services taking a student_id not in the property test: {missing}"

