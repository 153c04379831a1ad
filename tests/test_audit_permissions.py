"""The audit log, the permission checks below the UI (db/auth.py), and user accounts."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import audit_name, filled_once  # type: ignore[import-not-found]
from sqlalchemy import func, select

from db import listing
from db.actor import Actor, unit_of_work
from db.audit import history
from db.auth import authenticate, create_user, hash_password, log_access, update_user, verify_password
from db.curriculum import (
    remove_programme_course,
    save_course,
    save_external_course,
    save_programme,
    save_programme_course,
)
from db.errors import PermissionDenied, ValidationError
from db.models import (
    AccessLog,
    AuditAction,
    AuditLog,
    CourseCategory,
    Mentor,
    MentorAssignment,
    MentorRole,
    ProgrammeCourse,
    Role,
    Student,
    User,
)
from db.people import get_student, save_mentor, save_student, save_university
from db.permissions import check_student_access

VIEWER = Actor(username="leader", role=Role.VIEWER, user_id=900)
TODAY = dt.date.today()


def _audit(session, entity: str | None = None) -> list[AuditLog]:  # type: ignore[no-untyped-def]
    stmt = select(AuditLog).order_by(AuditLog.id)
    if entity:
        stmt = stmt.where(AuditLog.entity == entity)
    return list(session.scalars(stmt))


@pytest.fixture
@filled_once
def world(db, admin):  # type: ignore[no-untyped-def]
    """A programme, three students and two mentors.

    刘 (CQU001) is the current academic mentor of S1, was the academic mentor of S2 until last term,
    and never mentored S3. 陈 (HW0001) is the industry mentor of S3.
    """
    with unit_of_work(db.factory, admin) as s:
        save_programme(s, admin, {"code": "AI-ENG", "name": "人工智能工程"})
        ids = {}
        for no, name in (("S1", "王梓涵"), ("S2", "李雷"), ("S3", "韩梅梅")):
            ids[no] = save_student(s, admin, {"student_no": no, "name": name, "cohort": 2025,
                                              "programme": "AI-ENG"})[0].id
        liu = save_mentor(s, admin, {"staff_no": "CQU001", "name": "刘教授", "organisation": "重庆大学",
                                     "roles": [MentorRole.ACADEMIC], "phone": "13800000001"})[0]
        chen = save_mentor(s, admin, {"staff_no": "HW0001", "name": "陈建国", "organisation": "华为技术有限公司",
                                      "roles": [MentorRole.INDUSTRY]})[0]
        s.add_all([
            MentorAssignment(student_id=ids["S1"], mentor_id=liu.id, role=MentorRole.ACADEMIC,
                             start_on=TODAY - dt.timedelta(days=100)),
            MentorAssignment(student_id=ids["S2"], mentor_id=liu.id, role=MentorRole.ACADEMIC,
                             start_on=TODAY - dt.timedelta(days=400), end_on=TODAY - dt.timedelta(days=30),
                             end_reason="转导师"),
            MentorAssignment(student_id=ids["S3"], mentor_id=chen.id, role=MentorRole.INDUSTRY,
                             start_on=TODAY - dt.timedelta(days=10)),
        ])
    liu_actor = Actor(username="liu", role=Role.MENTOR, user_id=901, mentor_id=liu.id)
    chen_actor = Actor(username="chen", role=Role.MENTOR, user_id=902, mentor_id=chen.id)
    return db, ids, liu_actor, chen_actor


# --------------------------------------------------------------------------- audit log


def test_insert_update_delete_are_audited_with_who_and_old_new(db, admin) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(db.factory, admin) as s:
        save_programme(s, admin, {"code": "AI-ENG", "name": "人工智能工程"})
        st, _ = save_student(s, admin, {"student_no": "2025010001", "name": "王梓涵", "cohort": 2025,
                                        "programme": "AI-ENG", "phone": "13812345678"})
        save_course(s, admin, {"code": "AGI101", "name": "大模型原理", "credits": 3.0,
                               "category": CourseCategory.FOUNDATION})
        link, _ = save_programme_course(s, admin, {"programme": "AI-ENG", "course": "AGI101"})
    with db.factory() as s:
        (ins,) = _audit(s, "students")
        assert ins.username == audit_name(db, admin)
        assert ins.action is AuditAction.INSERT
        assert ins.entity_id == str(st.id)
        assert ins.changes["name"] == [None, "王梓涵"]  # readable Chinese, not escapes
        assert ins.changes["student_no"] == [None, "2025010001"]
        assert "version" not in ins.changes
        assert isinstance(ins.at, dt.datetime)

    editor = Actor(username="zhang.admin", role=Role.ADMIN, user_id=77)
    with unit_of_work(db.factory, editor) as s:
        save_student(s, editor, {"phone": "13900000000", "name": "王梓涵"}, student_id=st.id, expected_version=1)
    with db.factory() as s:
        upd = _audit(s, "students")[-1]
        assert (upd.username, upd.action) == (audit_name(db, editor), AuditAction.UPDATE)
        assert upd.changes == {"phone": ["13812345678", "13900000000"]}  # only what changed
        assert [a.action for a in history(s, "students", st.id)] == [AuditAction.INSERT, AuditAction.UPDATE]

    with unit_of_work(db.factory, editor) as s:
        remove_programme_course(s, editor, link.id, link.version)
    with db.factory() as s:
        dele = _audit(s, "programme_courses")[-1]
        assert (dele.username, dele.action, dele.entity_id) == (audit_name(db, editor), AuditAction.DELETE,
                                                                str(link.id))
        assert dele.changes["required"] == [True, None]


def test_the_audit_log_answers_who_changed_a_student(world, admin) -> None:  # type: ignore[no-untyped-def]
    """Search by a student's number or name finds every change to their record and to what belongs to
    them — a session deleted since included — and the Record column names them, not #id; the period
    filter narrows it to days."""
    from db import mentoring

    db, ids, liu, _chen = world
    with unit_of_work(db.factory, admin) as s:
        save_student(s, admin, {"phone": "13900000000"}, student_id=ids["S1"], expected_version=1)
    with unit_of_work(db.factory, liu) as s:
        sid = mentoring.save_session(s, liu, {"staff_no": "CQU001", "student_no": "S1", "date": TODAY,
                                              "minutes": 45, "topic": "开题"})[0].id
    with unit_of_work(db.factory, liu) as s:
        mentoring.delete_entry(s, liu, "session", sid, "记错了学生")
    with unit_of_work(db.factory, admin) as s:
        save_student(s, admin, {"phone": "13700000000"}, student_id=ids["S2"], expected_version=1)
    with db.factory() as s:
        def found(search: str, **filters: str) -> list[tuple[str, str, str]]:
            query = listing.ListQuery(search, dict(filters))
            rows = listing.fetch(s, admin, listing.AUDIT, query)
            assert listing.count(s, admin, listing.AUDIT, query) == len(rows)
            col = {c.key: i for i, c in enumerate(listing.AUDIT.columns)}
            return [(str(r.values[col["action"]].value if hasattr(r.values[col["action"]], "value")
                         else r.values[col["action"]]), r.values[col["entity"]], r.values[col["entity_id"]])
                    for r in rows]

        by_no = found("S1")
        assert {e for _a, e, _r in by_no} >= {"students", "mentoring_sessions", "mentor_assignments"}
        # logged, then deleted with its reason (the row that wrote the reason just before names only it)
        assert {a for a, e, _r in by_no if e == "mentoring_sessions"} >= {"delete", "insert"}
        assert all(r == "王梓涵（S1）" for _a, _e, r in by_no if _e != "mentors")
        assert found("王梓涵") == by_no
        # the ids a change names are people too: 学生：王梓涵（S1）, not #1
        rows = listing.fetch(s, admin, listing.AUDIT, listing.ListQuery("S1", {"entity": "mentoring_sessions"}))
        col = [c.key for c in listing.AUDIT.columns].index("changes")
        texts = [listing.cell_text(listing.AUDIT, r.values, col) for r in rows]
        logged = [x for x in texts if "开题" in x]  # the insert and the delete of the session
        assert logged and all("王梓涵（S1）" in x and "刘教授（CQU001）" in x for x in logged), texts
        assert not any(r == "李雷（S2）" for _a, _e, r in by_no)
        assert found("S1", period="7d") == by_no and found("S1", period="last_y") == []
        assert ("update", "mentors", "刘教授（CQU001）") not in found("刘教授")  # no change to his record …
        assert any(e == "mentoring_sessions" for _a, e, _r in found("CQU001"))  # … but to his sessions


def test_saving_unchanged_values_writes_no_audit_row(db, admin) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(db.factory, admin) as s:
        prog, _ = save_programme(s, admin, {"code": "P", "name": "方案"})
    with unit_of_work(db.factory, admin) as s:
        save_programme(s, admin, {"code": "P", "name": "方案"}, programme_id=prog.id, expected_version=1)
    with db.factory() as s:
        assert len(_audit(s, "programmes")) == 1


def test_rolled_back_changes_leave_no_audit_row(db, admin) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        with unit_of_work(db.factory, admin) as s:
            save_programme(s, admin, {"code": "P", "name": "方案"})
            save_programme(s, admin, {"code": "P", "name": "重复"})
    with db.factory() as s:
        assert _audit(s) == []


def test_audit_and_access_rows_cannot_be_changed(db, admin) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(db.factory, admin) as s:
        save_programme(s, admin, {"code": "P", "name": "方案"})
        log_access(s, "x", "login")
    for model in (AuditLog, AccessLog):
        with pytest.raises(PermissionError):
            with unit_of_work(db.factory, admin) as s:
                row = s.scalars(select(model)).first()
                row.username = "someone-else"
                s.flush()
        with pytest.raises(PermissionError):
            with unit_of_work(db.factory, admin) as s:
                s.delete(s.scalars(select(model)).first())
                s.flush()
    with db.factory() as s:
        assert s.scalars(select(AuditLog.username)).all() == [audit_name(db, admin)]
        # on a server the access log, too, names the login (talentdesk_log_access), not what the app says
        assert s.scalars(select(AccessLog.username)).all() == ["x" if db.backend == "sqlite" else audit_name(db, admin)]


# --------------------------------------------------------------------------- viewers


def test_viewer_cannot_write_through_any_service(world, admin) -> None:  # type: ignore[no-untyped-def]
    db, ids, liu, _ = world
    with db.factory() as s:
        link_id = None
        st_version = s.get(Student, ids["S1"]).version
        mentor_version = s.get(Mentor, liu.mentor_id).version
    with unit_of_work(db.factory, admin) as s:
        save_course(s, admin, {"code": "AGI101", "name": "大模型原理", "credits": 3.0,
                               "category": CourseCategory.FOUNDATION})
        link_id = save_programme_course(s, admin, {"programme": "AI-ENG", "course": "AGI101"})[0].id
        save_university(s, admin, {"code": "CQU", "name": "重庆大学"})
    attempts = [
        lambda s: save_student(s, VIEWER, {"student_no": "S9", "name": "x", "cohort": 2025, "programme": "AI-ENG"}),
        lambda s: save_student(s, VIEWER, {"name": "改"}, student_id=ids["S1"], expected_version=st_version),
        lambda s: save_mentor(s, VIEWER, {"staff_no": "M9", "name": "x", "organisation": "y",
                                          "roles": [MentorRole.STUDY]}),
        lambda s: save_mentor(s, VIEWER, {"phone": "13900000000"}, mentor_id=liu.mentor_id,
                              expected_version=mentor_version),
        lambda s: save_programme(s, VIEWER, {"code": "P9", "name": "x"}),
        lambda s: save_course(s, VIEWER, {"code": "C9", "name": "x", "credits": 1.0,
                                          "category": CourseCategory.OTHER}),
        lambda s: save_programme_course(s, VIEWER, {"programme": "AI-ENG", "course": "AGI101", "required": False}),
        lambda s: remove_programme_course(s, VIEWER, link_id, 1),
        lambda s: save_university(s, VIEWER, {"code": "U9", "name": "x"}),
        lambda s: save_external_course(s, VIEWER, {"university": "CQU", "code": "E9", "name": "x", "credits": 1.0}),
        lambda s: create_user(s, VIEWER, "newbie", "long-enough-1", Role.VIEWER),
    ]
    with db.factory() as s:
        before = s.scalar(select(func.count()).select_from(AuditLog))
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            with unit_of_work(db.factory, VIEWER) as s:
                attempt(s)
    with db.factory() as s:
        assert s.scalar(select(func.count()).select_from(AuditLog)) == before
        assert s.get(ProgrammeCourse, link_id).required is True


def test_viewer_reads_everything_but_writes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    db, ids, _, _ = world
    with db.factory() as s:
        for sid in ids.values():
            check_student_access(s, VIEWER, sid)
            with pytest.raises(PermissionDenied, match="read-only"):
                check_student_access(s, VIEWER, sid, write=True)
        rows = listing.fetch(s, VIEWER, listing.STUDENTS, listing.ListQuery())
        assert sorted(r.values[0] for r in rows) == ["S1", "S2", "S3"]


# --------------------------------------------------------------------------- mentors see only their mentees


def test_mentor_access_to_students(world) -> None:  # type: ignore[no-untyped-def]
    db, ids, liu, chen = world
    with db.factory() as s:
        # current mentee: read and write
        check_student_access(s, liu, ids["S1"])
        check_student_access(s, liu, ids["S1"], write=True)
        assert get_student(s, liu, ids["S1"]).student_no == "S1"
        # former mentee: read only
        check_student_access(s, liu, ids["S2"])
        with pytest.raises(PermissionDenied, match="current mentees"):
            check_student_access(s, liu, ids["S2"], write=True)
        # never a mentee: nothing
        with pytest.raises(PermissionDenied, match="your own mentees"):
            check_student_access(s, liu, ids["S3"])
        with pytest.raises(PermissionDenied):
            check_student_access(s, liu, ids["S3"], write=True)
        with pytest.raises(PermissionDenied):
            get_student(s, liu, ids["S3"])
        # and the other way round for 陈
        check_student_access(s, chen, ids["S3"], write=True)
        with pytest.raises(PermissionDenied):
            check_student_access(s, chen, ids["S1"])


def test_assignment_starting_later_or_ended_today_is_not_current(world, admin) -> None:  # type: ignore[no-untyped-def]
    db, ids, liu, _ = world
    with unit_of_work(db.factory, admin) as s:
        s.add(MentorAssignment(student_id=ids["S3"], mentor_id=liu.mentor_id, role=MentorRole.ACADEMIC,
                               start_on=TODAY + dt.timedelta(days=7)))
        a = s.scalar(select(MentorAssignment).where(MentorAssignment.student_id == ids["S1"]))
        a.end_on, a.end_reason = TODAY, "结束"  # end_on is exclusive: today it is over
    with db.factory() as s:
        for sid in (ids["S1"], ids["S3"]):
            with pytest.raises(PermissionDenied):
                check_student_access(s, liu, sid, write=True)


def test_mentor_list_shows_only_their_mentees(world) -> None:  # type: ignore[no-untyped-def]
    db, _, liu, chen = world
    q = listing.ListQuery()
    with db.factory() as s:
        assert sorted(r.values[0] for r in listing.fetch(s, liu, listing.STUDENTS, q)) == ["S1", "S2"]
        assert listing.count(s, liu, listing.STUDENTS, q) == 2
        assert [r.values[0] for r in listing.fetch(s, chen, listing.STUDENTS, q)] == ["S3"]
        # a search cannot reach past the scope
        assert listing.fetch(s, liu, listing.STUDENTS, listing.ListQuery(search="韩梅梅")) == []
        assert listing.count(s, chen, listing.STUDENTS, listing.ListQuery(search="S")) == 1


def test_mentor_cannot_change_student_records(world) -> None:  # type: ignore[no-untyped-def]
    db, ids, liu, _ = world
    with pytest.raises(PermissionDenied):
        with unit_of_work(db.factory, liu) as s:
            save_student(s, liu, {"phone": "13900000000"}, student_id=ids["S1"], expected_version=1)


def test_mentor_edits_only_contact_details_of_own_record(world) -> None:  # type: ignore[no-untyped-def]
    db, _, liu, chen = world
    with unit_of_work(db.factory, liu) as s:
        save_mentor(s, liu, {"phone": "13900000009", "email": "Liu@cqu.edu.cn", "title": "教授",
                             "name": "刘大教授", "staff_no": "HACK", "roles": [MentorRole.INDUSTRY, MentorRole.STUDY],
                             "capacity": 99, "organisation": "别的单位", "active": False},
                    mentor_id=liu.mentor_id, expected_version=1)
    with db.factory() as s:
        m = s.get(Mentor, liu.mentor_id)
        assert (m.phone, m.email, m.title) == ("13900000009", "Liu@cqu.edu.cn", "教授")
        assert (m.name, m.staff_no, m.active, m.organisation.name) == ("刘教授", "CQU001", True, "重庆大学")
        assert [(q.role, q.capacity) for q in m.qualifications] == [(MentorRole.ACADEMIC, 8)]
        audit = _audit(s, "mentors")[-1]
        assert audit.username == audit_name(db, liu)
        assert set(audit.changes) == {"phone", "email", "title"}
    with pytest.raises(PermissionDenied):  # someone else's record
        with unit_of_work(db.factory, liu) as s:
            save_mentor(s, liu, {"phone": "13900000008"}, mentor_id=chen.mentor_id, expected_version=1)
    with pytest.raises(PermissionDenied):  # nor can a mentor create mentors
        with unit_of_work(db.factory, liu) as s:
            save_mentor(s, liu, {"staff_no": "NEW", "name": "x", "organisation": "y", "roles": [MentorRole.STUDY]})


def test_mentor_cannot_use_admin_lists(world) -> None:  # type: ignore[no-untyped-def]
    db, _, liu, _ = world
    with db.factory() as s:
        for spec in (listing.USERS, listing.AUDIT, listing.ACCESS):
            with pytest.raises(PermissionDenied):
                listing.fetch(s, liu, spec, listing.ListQuery())
            with pytest.raises(PermissionDenied):
                listing.fetch(s, VIEWER, spec, listing.ListQuery())


# --------------------------------------------------------------------------- users and sign-in


def test_users_sign_in_and_access_log(world, admin) -> None:  # type: ignore[no-untyped-def]
    """One test for the slow part (argon2 is slow by design): create, sign in, refuse, disable."""
    db, _, liu, _ = world
    with pytest.raises(PermissionDenied):
        with unit_of_work(db.factory, liu) as s:
            create_user(s, liu, "x", "long-enough-1", Role.VIEWER)
    with unit_of_work(db.factory, admin) as s:
        boss = create_user(s, admin, "boss", "Boss-pass-2025", Role.ADMIN, display_name="教务处")
        mentor_user = create_user(s, admin, " liu ", "Liu-pass-2025", Role.MENTOR, mentor_id=liu.mentor_id)
        with pytest.raises(ValidationError) as err:
            create_user(s, admin, "BOSS", "another-pass-1", Role.VIEWER)  # user names ignore case
        assert "username" in err.value.errors
        with pytest.raises(ValidationError):
            create_user(s, admin, "short", "1234567", Role.VIEWER)
        with pytest.raises(ValidationError) as err:
            create_user(s, admin, "m2", "long-enough-1", Role.MENTOR)  # a mentor account needs a mentor
        assert "mentor" in err.value.errors
    with db.owner_engine.connect() as conn:  # on a server only the owner may read the column at all
        hashes = dict(conn.execute(select(User.username, User.password_hash)).all())
    hashes.pop(db.target.url.username, None)  # a server test's own administrator login
    assert set(hashes) == {"boss", "liu"}
    for h in hashes.values():
        # SQLite keeps an argon2id hash; a secured PostgreSQL server keeps the password itself (SCRAM), and
        # the table holds no secret
        assert h.startswith("$argon2id$") if db.backend == "sqlite" else h == "!server"
        assert "Pass" not in h and "pass" not in h
    # a user insert is audited without the hash
    with db.factory() as s:
        row = _audit(s, "users")[0]
        assert "password_hash" not in row.changes

    if db.backend == "postgresql":
        _server_sign_ins(db, liu, mentor_user)
        return
    actor = authenticate(db.factory, "LIU ", "Liu-pass-2025")
    assert (actor.username, actor.role, actor.mentor_id) == ("liu", Role.MENTOR, liu.mentor_id)
    with pytest.raises(PermissionDenied, match="Wrong user name or password"):
        authenticate(db.factory, "liu", "wrong-password")
    with pytest.raises(PermissionDenied, match="Wrong user name or password"):
        authenticate(db.factory, "nobody", "whatever-1")

    with unit_of_work(db.factory, admin) as s:
        u = s.get(User, mentor_user.id)
        update_user(s, admin, u.id, u.version, active=False)
    with pytest.raises(PermissionDenied, match="disabled"):
        authenticate(db.factory, "liu", "Liu-pass-2025")

    with db.factory() as s:
        log = s.execute(select(AccessLog.username, AccessLog.action).order_by(AccessLog.id)).all()
        assert log == [("liu", "login"), ("liu", "login_failed"), ("nobody", "login_failed"),
                       ("liu", "login_refused")]
        assert s.get(User, mentor_user.id).last_login_at is not None

    # the last active administrator stays
    with unit_of_work(db.factory, admin) as s:
        u = s.get(User, boss.id)
        with pytest.raises(ValidationError, match="last active administrator"):
            update_user(s, admin, u.id, u.version, active=False)
        with pytest.raises(ValidationError, match="last active administrator"):
            update_user(s, admin, u.id, u.version, role=Role.VIEWER)
    with pytest.raises(PermissionDenied):
        with unit_of_work(db.factory, VIEWER) as s:
            update_user(s, VIEWER, boss.id, 1, display_name="x")
    with db.factory() as s:
        u = s.get(User, boss.id)
        assert (u.role, u.active) == (Role.ADMIN, True)
    assert authenticate(db.factory, "boss", "Boss-pass-2025").is_admin


def _server_sign_ins(db, liu, mentor_user) -> None:  # type: ignore[no-untyped-def]
    """On a server the server checks the password, with the person's own login; the access log names it."""
    from db.actor import cli_actor
    from db.auth import sign_in_to_server
    from db.engine import resolve

    bare = resolve(db.target.url._replace(username=None, password=None).render_as_string(hide_password=False))
    actor, engine, _ = sign_in_to_server(bare, "liu", "Liu-pass-2025")
    engine.dispose()
    assert (actor.username, actor.role, actor.mentor_id) == ("liu", Role.MENTOR, liu.mentor_id)
    for name, password in (("liu", "wrong-password"), ("nobody", "whatever-1")):
        with pytest.raises(PermissionDenied, match="refused the user name or password"):
            sign_in_to_server(bare, name, password)
    with unit_of_work(db.factory, cli_actor()) as s:
        u = s.get(User, mentor_user.id)
        update_user(s, cli_actor(), u.id, u.version, active=False)
    with pytest.raises(PermissionDenied, match="disabled"):
        sign_in_to_server(bare, "liu", "Liu-pass-2025")
    with db.owner_engine.connect() as conn:
        log = conn.execute(select(AccessLog.username, AccessLog.action).where(AccessLog.username == "liu")).all()
    assert log == [("liu", "login")]  # the failures never reached the database: the server refused them


def test_second_admin_can_be_demoted(db, admin) -> None:  # type: ignore[no-untyped-def]
    from db import auth

    mp = pytest.MonkeyPatch()
    mp.setattr(auth, "hash_password", lambda pw: "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$fakefakefakefake")
    try:
        with unit_of_work(db.factory, admin) as s:
            a1 = create_user(s, admin, "a1", "irrelevant", Role.ADMIN)
            a2 = create_user(s, admin, "a2", "irrelevant", Role.ADMIN)
        with unit_of_work(db.factory, admin) as s:
            update_user(s, admin, a2.id, 1, role=Role.VIEWER)
        last = a1
        if db.backend == "postgresql":  # the test's own login is an administrator too: a1 may go, it is last
            with unit_of_work(db.factory, admin) as s:
                update_user(s, admin, a1.id, 1, active=False)
                last = s.scalar(select(User).where(User.username == db.target.url.username))
        with unit_of_work(db.factory, admin) as s:
            with pytest.raises(ValidationError):
                update_user(s, admin, last.id, last.version, active=False)
    finally:
        mp.undo()


def test_password_hashing() -> None:
    h = hash_password("correct horse")
    assert h.startswith("$argon2id$")
    assert verify_password(h, "correct horse")
    assert not verify_password(h, "correct horsE")
    assert not verify_password("not-a-hash", "correct horse")
    with pytest.raises(ValidationError, match="at least 8 characters"):
        hash_password("short")


def test_the_database_itself_refuses_to_change_log_rows(db) -> None:  # type: ignore[no-untyped-def]
    """Even a bulk statement that bypasses the ORM cannot rewrite or delete history."""
    from sqlalchemy import delete, insert, update
    from sqlalchemy.exc import DatabaseError as SADatabaseError

    from db.models import AccessLog, AuditAction, AuditLog

    engine = db.owner_engine  # even the owner (IT, whose login owns the tables): people cannot touch them at all
    with engine.begin() as conn:
        conn.execute(insert(AuditLog).values(username="x", action=AuditAction.INSERT, entity="students"))
        conn.execute(insert(AccessLog).values(username="x", action="login"))
    for _model, change in ((AuditLog, update(AuditLog).values(username="forged")), (AuditLog, delete(AuditLog)),
                          (AccessLog, update(AccessLog).values(username="forged")), (AccessLog, delete(AccessLog))):
        with pytest.raises(SADatabaseError, match="append-only"), engine.begin() as conn:
            conn.execute(change)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.username == "x")) == 1


def test_period_filters_mean_whole_days_and_calendar_quarters() -> None:
    D = dt.date
    day = D(2026, 2, 10)
    assert listing.period_bounds("7d", day) == (D(2026, 2, 4), D(2026, 2, 11))
    assert listing.period_bounds("this_q", day) == (D(2026, 1, 1), D(2026, 2, 11))
    assert listing.period_bounds("last_q", day) == (D(2025, 10, 1), D(2026, 1, 1))
    assert listing.period_bounds("last_y", day) == (D(2025, 1, 1), D(2026, 1, 1))
    assert listing.period_bounds("last_q", D(2026, 7, 1)) == (D(2026, 4, 1), D(2026, 7, 1))


def test_a_mentor_has_one_account_said_in_the_persons_words(world, admin) -> None:  # type: ignore[no-untyped-def]
    """A second account for a mentor who has one (or moving an account onto them) ended in the database's
    'UNIQUE constraint failed: users.mentor_id'; it is refused naming the account the mentor already has,
    nothing written."""
    db, _ids, liu, chen = world
    with unit_of_work(db.factory, admin) as s:
        first = create_user(s, admin, "liu_t", "Liu-pass-2026", Role.MENTOR, mentor_id=liu.mentor_id)
        other = create_user(s, admin, "chen_t", "Chen-pass-2026", Role.MENTOR, mentor_id=chen.mentor_id)
        first_id, other_id, other_version = first.id, other.id, other.version
    for attempt in ("create", "move"):
        with pytest.raises(ValidationError, match="already has the account liu_t") as refused:
            with unit_of_work(db.factory, admin) as s:
                if attempt == "create":
                    create_user(s, admin, "liu_2", "Liu-pass-2026", Role.MENTOR, mentor_id=liu.mentor_id)
                else:
                    update_user(s, admin, other_id, other_version, mentor_id=liu.mentor_id)
        assert "mentor" in refused.value.errors
    with db.factory() as s:
        assert s.scalar(select(func.count()).select_from(User).where(User.mentor_id == liu.mentor_id)) == 1
        assert s.get(User, other_id).mentor_id == chen.mentor_id and s.get(User, first_id) is not None
    with unit_of_work(db.factory, admin) as s:  # saving an account with its own mentor again is fine
        update_user(s, admin, first_id, s.get(User, first_id).version, mentor_id=liu.mentor_id, display_name="刘")
