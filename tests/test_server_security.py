"""The shared server enforces the rules itself: a hostile mentor, a hostile viewer and a careless
administrator connect directly with psycopg, using only their own login, and try what the client
would never offer. Figure: 0 of N attacks succeed (N printed; at least 30).

The logins are made the way TalentDesk makes them (talentdesk_create_user, called by the owner) on a
copy of the PostgreSQL demo database; each attack runs in its own transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from sqlalchemy.engine import make_url

from db import security

pytestmark = pytest.mark.postgres

PASSWORD = "hostile-secret-1"


@dataclass
class Server:
    owner: psycopg.Connection[Any]
    url: Any
    names: dict[str, str]  # kind -> login
    mentor_id: int
    other_mentor_id: int
    mine: set[int]  # the hostile mentor's students (current or former)
    current: int  # one current mentee
    stranger: int  # a student the hostile mentor never had

    def mentor_app(self) -> tuple[Any, Any, Any]:
        """The app's engine, session factory and actor, signed in with the hostile mentor's own login."""
        from db.actor import Actor
        from db.engine import make_engine, resolve, session_factory
        from db.models import Role

        login = self.names["mentor"]
        engine = make_engine(resolve(self.url.set(username=login, password=PASSWORD)
                                     .render_as_string(hide_password=False)))
        actor = Actor(login, Role.MENTOR, user_id=None, mentor_id=self.mentor_id, display_name=login)
        return engine, session_factory(engine), actor

    def connect(self, kind: str) -> psycopg.Connection[Any]:
        url = self.url.set(drivername="postgresql", username=self.names[kind], password=PASSWORD)
        return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)


@pytest.fixture
def server(pg_demo_db: Any) -> Iterator[Server]:
    url = pg_demo_db.target.url
    owner = psycopg.connect(url.set(drivername="postgresql").render_as_string(hide_password=False), autocommit=True)
    tag = uuid.uuid4().hex[:8]
    names = {kind: f"hostile_{kind}_{tag}" for kind in ("mentor", "viewer", "admin")}
    mentor_id = owner.execute(
        "SELECT a.mentor_id FROM mentor_assignments a WHERE a.end_on IS NULL AND a.mentor_id NOT IN "
        "(SELECT mentor_id FROM users WHERE mentor_id IS NOT NULL) GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
    ).fetchone()[0]
    other = owner.execute("SELECT mentor_id FROM mentor_assignments WHERE mentor_id <> %s ORDER BY id LIMIT 1",
                          (mentor_id,)).fetchone()[0]
    for kind, login in names.items():
        verifier = owner.pgconn.encrypt_password(PASSWORD.encode(), login.encode(), b"scram-sha-256").decode()
        owner.execute("SELECT talentdesk_create_user(%s, %s, %s, %s, %s)",
                      (login, verifier, kind, mentor_id if kind == "mentor" else None, login))
    mine = {r[0] for r in owner.execute("SELECT student_id FROM mentor_assignments WHERE mentor_id = %s", (mentor_id,))}
    current = owner.execute("SELECT student_id FROM mentor_assignments WHERE mentor_id = %s AND end_on IS NULL "
                            "AND start_on <= current_date ORDER BY id LIMIT 1", (mentor_id,)).fetchone()[0]
    stranger = owner.execute("SELECT id FROM students WHERE id NOT IN (SELECT student_id FROM mentor_assignments "
                             "WHERE mentor_id = %s) ORDER BY id LIMIT 1", (mentor_id,)).fetchone()[0]
    try:
        yield Server(owner, url, names, mentor_id, other, mine, current, stranger)
    finally:
        owner.close()
        pg_demo_db.engine.dispose()
        from conftest import pg_server_url  # type: ignore[import-not-found]
        from sqlalchemy import create_engine, text

        admin = create_engine(make_url(pg_server_url()).set(drivername="postgresql+psycopg"),
                              isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
            for login in names.values():
                conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
        admin.dispose()


def _can_sign_in(srv: Server, login: str, password: str) -> bool:
    try:
        psycopg.connect(srv.url.set(drivername="postgresql", username=login, password=password)
                        .render_as_string(hide_password=False)).close()
    except psycopg.OperationalError:
        return False
    return True


class Attacks:
    """Each attack returns True when it SUCCEEDED (a breach); a refusal by the server is False."""

    def __init__(self, srv: Server) -> None:
        self.srv = srv
        self.results: list[tuple[str, bool, str]] = []
        self.conns = {kind: srv.connect(kind) for kind in srv.names}

    def refused(self, who: str, what: str, sql: str, params: Any = None) -> None:
        """Succeeds (a breach) if the server runs ``sql`` without an error."""
        try:
            self.conns[who].execute(sql, params)
        except psycopg.Error as exc:
            self.results.append((f"{who}: {what}", False, type(exc).__name__))
        else:
            self.results.append((f"{who}: {what}", True, "ran"))

    def check(self, who: str, what: str, breach: Callable[[psycopg.Connection[Any]], bool]) -> None:
        try:
            bad = breach(self.conns[who])
        except psycopg.Error as exc:
            self.results.append((f"{who}: {what}", False, type(exc).__name__))
        else:
            self.results.append((f"{who}: {what}", bad, "breach" if bad else "held"))

    def close(self) -> None:
        for conn in self.conns.values():
            conn.close()


def test_hostile_logins_breach_nothing(server: Server) -> None:
    srv = server
    a = Attacks(srv)
    mentor, viewer, admin = (srv.names[k] for k in ("mentor", "viewer", "admin"))
    verifier = srv.owner.pgconn.encrypt_password(b"taken-over-1", admin.encode(), b"scram-sha-256").decode()
    try:
        # --- the hostile mentor reads other mentors' students, table by table
        for table in security.STUDENT_ROWS:
            column = {"students": "id", "projects": None, "project_mentors": None,
                      "stage_changes": None, "companies": None}.get(table, "student_id")
            if column is None:
                continue
            a.check("mentor", f"read another mentor's students in {table}",
                    lambda c, t=table, col=column: bool(c.execute(
                        f"SELECT count(*) FROM {t} WHERE {col} <> ALL(%s)", (list(srv.mine),)).fetchone()[0]))
        a.check("mentor", "read projects none of one's students is in",
                lambda c: bool(c.execute(
                    "SELECT count(*) FROM projects p WHERE p.lead_student_id <> ALL(%s) AND NOT EXISTS (SELECT 1 FROM "
                    "project_members m WHERE m.project_id = p.id AND m.student_id = ANY(%s))",
                    (list(srv.mine), list(srv.mine))).fetchone()[0]))
        a.check("mentor", "read a stranger's sessions by id",
                lambda c: bool(c.execute("SELECT count(*) FROM mentoring_sessions WHERE student_id = %s",
                                         (srv.stranger,)).fetchone()[0]))
        a.check("mentor", "read companies founded from strangers' projects",
                lambda c: c.execute("SELECT count(*) FROM companies").fetchone()[0]
                > srv.owner.execute("SELECT count(*) FROM companies c JOIN projects p ON p.id = c.project_id "
                                    "WHERE p.lead_student_id = ANY(%s) OR p.id IN (SELECT project_id FROM "
                                    "project_members WHERE student_id = ANY(%s))",
                                    (list(srv.mine), list(srv.mine))).fetchone()[0])
        a.check("mentor", "see other users' accounts",
                lambda c: c.execute("SELECT count(*) FROM users WHERE username <> session_user").fetchone()[0] > 0)
        a.refused("mentor", "read password material", "SELECT password_hash FROM users")
        a.refused("mentor", "read the audit log", "SELECT count(*) FROM audit_log")
        a.refused("mentor", "read the judging scores", "SELECT count(*) FROM scores")
        # --- promote oneself
        a.refused("mentor", "UPDATE users SET role = 'admin'",
                  "UPDATE users SET role = 'admin' WHERE username = session_user")
        a.refused("mentor", "create an administrator login",
                  "SELECT talentdesk_create_user('x_' || md5(random()::text), "
                  "%s, 'admin', NULL, 'x')", (verifier,))
        a.refused("mentor", "take over the administrator's password", "SELECT talentdesk_set_password(%s, %s)",
                  (admin, verifier))
        admins = srv.owner.execute("SELECT talentdesk_role('admin')").fetchone()[0]
        a.refused("mentor", "join the administrators' group", f'GRANT "{admins}" TO "{mentor}"')
        a.refused("mentor", "ALTER ROLE self SUPERUSER", f'ALTER ROLE "{mentor}" SUPERUSER')
        a.refused("mentor", "ALTER ROLE self CREATEROLE", f'ALTER ROLE "{mentor}" CREATEROLE')
        a.refused("mentor", "SET ROLE to the owner", "SET ROLE postgres")
        # --- the logs
        a.refused("mentor", "forge an audit row", "INSERT INTO audit_log (at, username, action, entity) "
                  "VALUES (now(), 'admin', 'insert', 'students')")
        a.refused("mentor", "forge an access row",
                  "INSERT INTO access_log (at, username, action) VALUES (now(), 'admin', 'login')")
        a.refused("mentor", "UPDATE the audit log", "UPDATE audit_log SET username = 'admin'")
        a.refused("mentor", "DELETE the audit log", "DELETE FROM audit_log")
        a.refused("mentor", "TRUNCATE the logs", "TRUNCATE audit_log, access_log")
        a.refused("mentor", "disable the audit log's triggers", "ALTER TABLE audit_log DISABLE TRIGGER ALL")
        a.refused("mentor", "disable the audit trigger on tasks",
                  "ALTER TABLE tasks DISABLE TRIGGER talentdesk_audit_update")
        a.check("mentor", "log access under another name",
                lambda c: (c.execute("SELECT talentdesk_log_access('login', NULL, NULL, 'admin')"),
                           srv.owner.execute("SELECT username FROM access_log ORDER BY id DESC LIMIT 1").fetchone()[0]
                           != mentor)[1])
        # --- DDL and wiping
        a.refused("mentor", "DROP SCHEMA public CASCADE", "DROP SCHEMA public CASCADE")
        a.refused("mentor", "TRUNCATE students CASCADE", "TRUNCATE students CASCADE")
        a.refused("mentor", "CREATE TABLE", "CREATE TABLE loot (x text)")
        a.refused("mentor", "CREATE FUNCTION", "CREATE FUNCTION loot() RETURNS int LANGUAGE sql AS 'SELECT 1'")
        # a mentor deletes their own sessions logged by mistake, never anybody else's (nor a former mentee's)
        a.check("mentor", "delete other mentors' sessions",
                lambda c: c.execute("DELETE FROM mentoring_sessions WHERE mentor_id <> %s",
                                    (srv.mentor_id,)).rowcount > 0)
        a.check("mentor", "delete other mentors' tasks",
                lambda c: c.execute("DELETE FROM tasks WHERE mentor_id <> %s", (srv.mentor_id,)).rowcount > 0)
        a.check("mentor", "delete a session of a student no longer theirs",
                lambda c: c.execute(
                    "DELETE FROM mentoring_sessions WHERE student_id NOT IN (SELECT student_id FROM mentor_assignments "
                    "WHERE mentor_id = %s AND start_on <= current_date AND (end_on IS NULL OR end_on > current_date))",
                    (srv.mentor_id,)).rowcount > 0)
        # --- writing where a mentor may not
        a.check("mentor", "log a session for a stranger",
                lambda c: c.execute("INSERT INTO mentoring_sessions "
                                    "(mentor_id, student_id, held_on, minutes, kind, version) "
                                    "VALUES (%s, %s, current_date, 30, 'online', 1)",
                                    (srv.mentor_id, srv.stranger)).rowcount > 0)
        a.check("mentor", "log a session under another mentor's name",
                lambda c: c.execute("INSERT INTO mentoring_sessions "
                                    "(mentor_id, student_id, held_on, minutes, kind, version) "
                                    "VALUES (%s, %s, current_date, 30, 'online', 1)",
                                    (srv.other_mentor_id, srv.current)).rowcount > 0)
        a.check("mentor", "change another mentor's task scores",
                lambda c: c.execute("UPDATE tasks SET score = 0 WHERE mentor_id <> %s", (srv.mentor_id,)).rowcount > 0)
        a.check("mentor", "change another mentor's profile",
                lambda c: c.execute("UPDATE mentors SET phone = '13000000000' WHERE id <> %s",
                                    (srv.mentor_id,)).rowcount > 0)
        a.refused("mentor", "raise one's own capacity", "UPDATE mentor_qualifications SET capacity = 99")
        a.refused("mentor", "change a student's record", "UPDATE students SET phone = '13000000000'")
        # --- the viewer changes nothing
        a.refused("viewer", "UPDATE students", "UPDATE students SET phone = '13000000000'")
        a.refused("viewer", "INSERT a session",
                  "INSERT INTO mentoring_sessions (mentor_id, student_id, held_on, minutes, kind, "
                  "version) VALUES (%s, %s, current_date, 30, 'online', 1)", (srv.mentor_id, srv.current))
        a.refused("viewer", "UPDATE a task's score", "UPDATE tasks SET score = 100")
        a.refused("viewer", "DELETE enrolments", "DELETE FROM enrolments")
        a.refused("viewer", "read the audit log", "SELECT count(*) FROM audit_log")
        a.refused("viewer", "read password material", "SELECT password_hash FROM users")
        a.refused("viewer", "create a login", "SELECT talentdesk_create_user('x_' || md5(random()::text), %s, 'admin', "
                  "NULL, 'x')", (verifier,))
        a.refused("viewer", "change another user's password", "SELECT talentdesk_set_password(%s, %s)",
                  (admin, verifier))
        # --- the careless administrator
        a.refused("admin", "TRUNCATE students CASCADE", "TRUNCATE students CASCADE")
        a.refused("admin", "DROP TABLE students", "DROP TABLE students CASCADE")
        a.refused("admin", "ALTER TABLE (DDL)", "ALTER TABLE students ADD COLUMN loot text")
        a.refused("admin", "disable the audit trigger", "ALTER TABLE students DISABLE TRIGGER talentdesk_audit_update")
        a.refused("admin", "DELETE the audit log", "DELETE FROM audit_log")
        a.refused("admin", "forge an audit row", "INSERT INTO audit_log (at, username, action, entity) "
                  "VALUES (now(), 'someone', 'insert', 'students')")
        a.refused("admin", "read password material", "SELECT password_hash FROM users")
        a.refused("admin", "change a role behind the server's back", "UPDATE users SET role = 'viewer'")
        a.refused("admin", "DROP SCHEMA public CASCADE", "DROP SCHEMA public CASCADE")
        other_app = f"reporting_{uuid.uuid4().hex[:8]}"  # another application's login on the same server
        srv.owner.execute(f'CREATE ROLE "{other_app}" LOGIN PASSWORD \'theirs-2026\'')
        try:
            takeover = srv.owner.pgconn.encrypt_password(b"mine-2026x", other_app.encode(), b"scram-sha-256").decode()
            a.refused("admin", "take over another application's login as a TalentDesk user",
                      "SELECT talentdesk_create_user(%s, %s, 'viewer', NULL, 'x')", (other_app, takeover))
            a.check("admin", "lock another application's login out",
                    lambda c: not _can_sign_in(srv, other_app, "theirs-2026"))
        finally:
            srv.owner.execute(f'DROP ROLE IF EXISTS "{other_app}"')
    finally:
        a.close()

    breaches = [(what, how) for what, bad, how in a.results if bad]
    print(f"\nhostile logins: {len(breaches)} of {len(a.results)} attacks succeeded")
    for what, _bad, how in a.results:
        print(f"  {'BREACH' if _bad else 'held  '} {what} ({how})")
    assert len(a.results) >= 30
    assert breaches == []


def test_a_mentors_direct_change_to_a_score_is_allowed_and_audited_under_their_login(server: Server) -> None:
    srv = server
    mentor = srv.connect("mentor")
    try:
        task = srv.owner.execute(
            "SELECT t.id, t.score FROM tasks t JOIN mentor_assignments a ON a.student_id = t.student_id "
            "AND a.mentor_id = t.mentor_id WHERE t.mentor_id = %s AND a.end_on IS NULL AND a.start_on <= current_date "
            "ORDER BY t.id LIMIT 1", (srv.mentor_id,)).fetchone()
        if task is None:  # give the mentor a task of a current mentee to change
            task = srv.owner.execute(
                "INSERT INTO tasks (mentor_id, student_id, title, assigned_on, due_on, status, version) "
                "VALUES (%s, %s, '阅读', current_date, current_date + 7, 'assigned', 1) RETURNING id, score",
                (srv.mentor_id, srv.current)).fetchone()
        changed = mentor.execute("UPDATE tasks SET score = 100 WHERE id = %s", (task[0],)).rowcount
        assert changed == 1
        row = srv.owner.execute("SELECT username, action, entity, entity_id, changes FROM audit_log "
                                "WHERE entity = 'tasks' AND entity_id = %s ORDER BY id DESC LIMIT 1",
                                (str(task[0]),)).fetchone()
        assert row is not None
        username, action, entity, entity_id, changes = row
        assert (username, action, entity) == (srv.names["mentor"], "update", "tasks")
        assert changes["score"][1] == 100
        assert "version" not in changes
        # what a mentor may do, the server lets them: log a session for a current mentee, edit their profile
        logged = mentor.execute("INSERT INTO mentoring_sessions "
                                "(mentor_id, student_id, held_on, minutes, kind, version) "
                                "VALUES (%s, %s, current_date, 45, 'online', 1) RETURNING id",
                                (srv.mentor_id, srv.current)).fetchone()[0]
        assert srv.owner.execute("SELECT username FROM audit_log "
                                 "WHERE entity = 'mentoring_sessions' AND entity_id = %s",
                                 (str(logged),)).fetchone()[0] == srv.names["mentor"]
        assert mentor.execute("UPDATE mentors SET phone = '13912345678' WHERE id = %s", (srv.mentor_id,)).rowcount == 1
        assert mentor.execute("SELECT count(*) FROM courses").fetchone()[0] > 0
    finally:
        mentor.close()


def test_the_app_works_through_a_mentors_own_login_and_is_audited_once(server: Server) -> None:
    """The services on a SQLAlchemy engine signed in as the mentor: a session is saved, the audit log
    holds it once (the server's trigger, not also the app), and the access log names the login."""
    import datetime as dt

    from db import mentoring
    from db.actor import unit_of_work
    from db.auth import log_access

    srv = server
    login = srv.names["mentor"]
    engine, factory, actor = srv.mentor_app()
    staff_no, student_no = srv.owner.execute(
        "SELECT m.staff_no, s.student_no FROM mentors m, students s WHERE m.id = %s AND s.id = %s",
        (srv.mentor_id, srv.current)).fetchone()
    try:
        with unit_of_work(factory, actor) as s:
            saved, _ = mentoring.save_session(s, actor, {"staff_no": staff_no, "student_no": student_no,
                                                         "date": dt.date.today(), "minutes": 50, "topic": "服务端审计"})
            log_access(s, actor.username, "view_student", "student", srv.current, student_no)
        rows = srv.owner.execute("SELECT username FROM audit_log "
                                 "WHERE entity = 'mentoring_sessions' AND entity_id = %s",
                                 (str(saved.id),)).fetchall()
        assert rows == [(login,)]
        assert srv.owner.execute("SELECT username, action FROM access_log ORDER BY id DESC LIMIT 1").fetchone() == \
            (login, "view_student")
        with factory() as s:  # what the mentor's own connection reads is their mentees only
            from sqlalchemy import func, select

            from db.models import Student

            assert s.scalar(select(func.count()).select_from(Student)) == len(srv.mine)
    finally:
        engine.dispose()


@pytest.mark.gui
def test_the_sign_in_dialog_connects_as_the_person_and_the_server_checks_the_password(
        qtbot: Any, server: Server) -> None:
    from sqlalchemy import text

    from db.engine import resolve
    from db.i18n import set_language
    from desktop.app import open_database
    from desktop.login import LoginDialog
    from desktop.tasks import TaskRunner

    srv = server
    # what a PC holds: the server and the database, no user, no password
    bare = srv.url._replace(username=None, password=None).render_as_string(hide_password=False)
    opened = open_database(bare)
    assert opened.server
    dialog = LoginDialog(opened.factory, opened.target.display(), runner=TaskRunner(synchronous=True))
    qtbot.addWidget(dialog)
    dialog.opened = opened
    set_language("zh")
    dialog.username.setText(srv.names["mentor"])
    dialog.password.setText("not-the-password")
    dialog.submit()
    assert dialog.actor is None and "拒绝" in dialog.error.text()  # the server said no, in Chinese
    dialog.password.setText(PASSWORD)
    dialog.submit()
    assert dialog.actor is not None and dialog.actor.is_mentor and dialog.actor.mentor_id == srv.mentor_id
    assert dialog.opened is not None and dialog.opened.factory is not opened.factory
    with dialog.opened.factory() as s:
        assert s.execute(text("SELECT session_user")).scalar() == srv.names["mentor"]
    assert resolve(bare).url.password is None
    dialog.opened.engine.dispose()


@pytest.mark.gui
@pytest.mark.parametrize("kind", ["admin", "mentor", "viewer"])
def test_every_page_works_signed_in_with_ones_own_login(qtbot: Any, server: Server, kind: str,
                                                        tmp_path: Any) -> None:
    """The main window, every page of the role's sidebar and a student's window, on the demo data,
    connected as the person: nothing is refused by the server that the app offers them."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QWidget

    from db.auth import sign_in_to_server
    from db.engine import resolve
    from desktop.context import AppContext
    from desktop.listpage import ListPage
    from desktop.mainwindow import MainWindow
    from desktop.studentdetail import StudentDetail
    from desktop.tasks import TaskRunner
    from tests.test_desktop import FakePrompts

    srv = server
    bare = srv.url._replace(username=None, password=None).render_as_string(hide_password=False)
    actor, engine, factory = sign_in_to_server(resolve(bare), srv.names[kind], PASSWORD)
    try:
        prompts = FakePrompts()
        ctx = AppContext(factory, actor, resolve(bare), QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                         prompts, TaskRunner(prompts, synchronous=True))  # type: ignore[arg-type]
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.show()
        window.start()
        for entry in window.sidebar_model.entries:
            window.select(entry.key)
            window.refresh_page()
            page = window.page(entry.key)
            for lst in page.findChildren(ListPage) + ([page] if isinstance(page, ListPage) else []):
                lst.activate()
                assert not lst.load_error.isVisibleTo(lst), (entry.key, lst.load_error_text.text())
        student = srv.current if kind == "mentor" else srv.stranger
        detail = StudentDetail(ctx, student, window)
        qtbot.addWidget(detail)
        assert detail.load()
        errors = [text for what, text in prompts.asked if what == "error"]
        assert errors == []
        refused = [w for w in window.findChildren(QWidget) if w.objectName().startswith("panel_")
                   and "cannot be shown" in getattr(w, "text", lambda: "")()]
        assert refused == []
    finally:
        engine.dispose()


def test_a_password_an_administrator_reset_on_the_server_must_be_changed_at_sign_in(server: Server) -> None:
    """Forced change after a reset, on the server: the person signs in with the reset password, is asked to
    choose their own, and afterwards only their own opens the door."""
    from sqlalchemy import select

    from db.actor import unit_of_work
    from db.auth import change_own_password, command_line_actor, reset_password, sign_in_to_server
    from db.engine import make_engine, resolve, session_factory
    from db.errors import PermissionDenied
    from db.models import User

    srv = server
    bare = resolve(srv.url._replace(username=None, password=None).render_as_string(hide_password=False))
    admin_engine = make_engine(resolve(srv.url.set(username=srv.names["admin"], password=PASSWORD)
                                       .render_as_string(hide_password=False)))
    admin_factory = session_factory(admin_engine)
    try:
        admin = command_line_actor(admin_factory)
        with unit_of_work(admin_factory, admin) as s:
            viewer = s.scalar(select(User).where(User.username == srv.names["viewer"]))
            reset_password(s, admin, viewer.id, "Reset-by-admin-1")
    finally:
        admin_engine.dispose()
    with pytest.raises(PermissionDenied):
        sign_in_to_server(bare, srv.names["viewer"], PASSWORD)  # the old one no longer opens
    actor, engine, factory = sign_in_to_server(bare, srv.names["viewer"], "Reset-by-admin-1")
    try:
        assert actor.must_change_password
        with unit_of_work(factory, actor) as s:
            change_own_password(s, actor, "Reset-by-admin-1", "Own-choice-2026")
    finally:
        engine.dispose()
    actor, engine, _ = sign_in_to_server(bare, srv.names["viewer"], "Own-choice-2026")
    engine.dispose()
    assert not actor.must_change_password


def test_the_it_guide_slows_and_locks_password_guessing_on_the_server() -> None:
    """#21: on a server a wrong password is refused by PostgreSQL before TalentDesk sees it (and psql
    guesses never reach TalentDesk), so README's IT guide has the server slow every failed attempt
    (auth_delay) and lock out an address after five (fail2ban, watching the server's log). A server set up
    exactly as the guide says: each failed sign-in through the app waits the configured half second,
    and writes one log line that the guide's fail2ban filter matches, naming the client's address; a
    sign-in that succeeds matches nothing."""
    import re
    import time
    from concurrent.futures import ThreadPoolExecutor
    from pathlib import Path

    from pgserver import PrivateServer, server_binaries

    from db.auth import sign_in_to_server
    from db.engine import resolve
    from db.errors import PermissionDenied

    if server_binaries() is None:
        pytest.skip("PostgreSQL server binaries are not installed (apt-get install postgresql)")
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    documented = re.search(r"failregex = (.+)", readme)
    prefix = re.search(r"`log_line_prefix = '([^']+)'`", readme)
    delay = re.search(r"`auth_delay\.milliseconds = (\d+)`", readme)
    assert documented and prefix and delay and "shared_preload_libraries" in readme
    failregex = re.compile(documented.group(1).strip().replace("<HOST>", r"(?P<host>\S+)"))
    server = PrivateServer(secure=True, options=(f'-c "log_line_prefix={prefix.group(1)}" '
                                                 f"-c shared_preload_libraries=auth_delay "
                                                 f"-c auth_delay.milliseconds={delay.group(1)}"))
    server.start()
    try:
        with psycopg.connect(host="127.0.0.1", port=server.port, dbname="postgres", user="postgres",
                             password=server.password, sslmode="require", autocommit=True) as conn:
            conn.execute("CREATE ROLE wang LOGIN PASSWORD 'Right-pass-2026'")
        target = resolve(f"postgresql+psycopg://127.0.0.1:{server.port}/postgres?sslmode=require")
        def guess(_n: int) -> float:
            started = time.perf_counter()
            with pytest.raises(PermissionDenied):
                sign_in_to_server(target, "wang", "a-guess")
            return time.perf_counter() - started

        # five guesses at once, as a script would try them: each is made to wait, whatever the others do
        with ThreadPoolExecutor(5) as pool:
            waits = list(pool.map(guess, range(5)))
        with psycopg.connect(host="127.0.0.1", port=server.port, dbname="postgres", user="wang",
                             password="Right-pass-2026", sslmode="require"):
            pass  # the right password: the server lets wang in, and nothing of it must look like a guess
        log = server.log
    finally:
        server.remove()
    matched = [m for m in map(failregex.match, log.splitlines()) if m]
    assert len(matched) == 5, log  # one line per failed attempt: fail2ban's maxretry counts attempts
    assert {m.group("host") for m in matched} == {"127.0.0.1"}
    assert all('"wang"' in m.string for m in matched)
    assert min(waits) >= int(delay.group(1)) / 1000 * 0.9, waits  # the server made each guess wait
    print(f"\nguessing on the server: 5 failed sign-ins, each answered after ≥ {min(waits):.2f} s; "
          f"fail2ban's filter matched all 5 from 127.0.0.1, and nothing of the successful sign-in")


def test_a_mentor_imports_sessions_and_tasks_in_bulk_through_their_own_login(server: Server, tmp_path: Any,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A returned logbook's rows, imported signed in as the mentor: the bulk path works under the server's
    row-level security (new ids from the sequence the mentor may use, rows checked by its policies), each
    new record is audited once (by the server's trigger), and a row about a student who is not theirs is
    refused with a message on its row before anything is written."""
    import dataclasses
    import datetime as dt

    from openpyxl import Workbook

    from forms import specs
    from forms.importer import run_import

    srv = server
    login = srv.names["mentor"]
    engine, factory, actor = srv.mentor_app()
    staff_no, student_no, start = srv.owner.execute(
        "SELECT m.staff_no, s.student_no, a.start_on FROM mentors m, students s, mentor_assignments a "
        "WHERE m.id = %s AND s.id = %s AND a.mentor_id = m.id AND a.student_id = s.id AND a.end_on IS NULL",
        (srv.mentor_id, srv.current)).fetchone()
    stranger_no = srv.owner.execute("SELECT student_no FROM students WHERE id = %s", (srv.stranger,)).fetchone()[0]
    day = max(start, dt.date.today() - dt.timedelta(days=30))
    bulk_saves: list[str] = []
    for kind in ("sessions", "assignments"):
        real = specs.SPECS[kind].save_many

        def counted(session: Any, who: Any, rows: Any, real: Any = real, kind: str = kind) -> Any:
            outcomes = real(session, who, rows)
            bulk_saves.append(kind)
            return outcomes
        monkeypatch.setitem(specs.SPECS, kind, dataclasses.replace(specs.SPECS[kind], save_many=counted))

    def book(name: str, header: list[str], rows: list[list[Any]]) -> Any:
        wb = Workbook()
        for row in [header, *rows]:
            wb.active.append(row)
        wb.save(tmp_path / name)
        return tmp_path / name

    sessions = book("s.xlsx", ["工号", "学号", "日期", "时长(分钟)", "主题"],
                    [[staff_no, student_no, day, 30 + i, f"批量导入 {i}"] for i in range(40)])
    tasks = book("t.xlsx", ["工号", "学号", "任务名称", "布置日期", "截止日期"],
                 [[staff_no, student_no, f"批量任务 {i}", day, day + dt.timedelta(days=7)] for i in range(20)])
    refused = book("x.xlsx", ["工号", "学号", "日期", "时长(分钟)", "主题"],
                   [[staff_no, student_no, day, 45, "可以"], [staff_no, stranger_no, day, 45, "不是我的学生"]])
    try:
        results = [run_import(factory, actor, "sessions", sessions), run_import(factory, actor, "assignments", tasks),
                   run_import(factory, actor, "sessions", refused)]
    finally:
        engine.dispose()
    assert [(r.committed, r.created) for r in results[:2]] == [(True, 40), (True, 20)], results[0].errors
    assert not results[2].committed
    # the server shows a mentor only their own students: to them this one does not exist
    assert [(e.row, e.reason) for e in results[2].errors] == [(3, f"Student {stranger_no} does not exist.")]
    assert bulk_saves == ["sessions", "assignments", "sessions"]  # no fallback to row by row
    audited = srv.owner.execute(
        "SELECT count(*), count(DISTINCT entity_id), min(username), max(username) FROM audit_log "
        "WHERE action = 'insert' AND (entity = 'mentoring_sessions' AND entity_id IN "
        "(SELECT id::text FROM mentoring_sessions WHERE topic LIKE '批量导入%%') OR entity = 'tasks' AND entity_id IN "
        "(SELECT id::text FROM tasks WHERE title LIKE '批量任务%%'))").fetchone()
    assert audited == (60, 60, login, login)
