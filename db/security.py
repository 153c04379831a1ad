"""The shared PostgreSQL server enforces who may read and change what (Qt-free; PostgreSQL only).

Every person signs in to the server with a login role of their own, named as their TalentDesk user,
member of one group role per TalentDesk role. The group roles are named after the database they were
made for (``td_<database>_admin`` / ``_mentor`` / ``_viewer``), so two TalentDesk databases on one
server do not share them. ``install`` (migration 0006, and ``talentdesk init`` on a server set up the
old way) creates, as the database owner:

- the group roles and their privileges, and nothing more: no role a person signs in with owns a table,
  so none can run DDL, TRUNCATE or disable a trigger; nobody but the owner reads a password (the
  server keeps them; ``users.password_hash`` holds no secret on PostgreSQL) or writes the logs;
- row-level security on every table that holds a student's data: a mentor's connection sees the rows
  of students currently or formerly assigned to them (``talentdesk_my_students``: the same definition
  as ``db.permissions.mentee_filter``) and writes only their current mentees' sessions and tasks and their
  own profile; a viewer's connection reads and writes nothing;
- audit by the server: statement-level triggers on every audited table write the audit log, naming
  the login that made the change (``session_user``), old → new as the app writes it. The owner's own
  connections (IT's, and the app when a PC still connects as the owner) are audited by the app in
  Python instead, as on SQLite; ``server_audits`` tells the app which is the case;
- ``SECURITY DEFINER`` functions, the narrow path for what a person may do beyond their privileges:
  writing the access log under their own name, and (administrators only) creating, disabling and
  resetting the password of a login.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

AUDIT_SKIP = ("version", "created_at", "updated_at", "password_hash")
LOGS = ("audit_log", "access_log")
# a mentor reads these through row-level security; admins and viewers read them whole
STUDENT_ROWS: dict[str, str] = {
    "students": "id IN (SELECT talentdesk_my_students())",
    "mentor_assignments": "student_id IN (SELECT talentdesk_my_students())",
    "mentoring_sessions": "student_id IN (SELECT talentdesk_my_students())",
    "tasks": "student_id IN (SELECT talentdesk_my_students())",
    "enrolments": "student_id IN (SELECT talentdesk_my_students())",
    "transfer_requests": "student_id IN (SELECT talentdesk_my_students())",
    "project_members": "student_id IN (SELECT talentdesk_my_students())",
    "company_founders": "student_id IN (SELECT talentdesk_my_students())",
    # a project is a mentor's to read when one of their students leads it or is a member (one set, made once
    # per statement: an OR of two filtered subqueries per row cost 0.7 s on 3,000 projects)
    "projects": "id IN (SELECT talentdesk_my_projects())",
    "project_mentors": "project_id IN (SELECT talentdesk_my_projects())",
    "stage_changes": "project_id IN (SELECT talentdesk_my_projects())",
    "companies": "project_id IN (SELECT talentdesk_my_projects())",
}
# never a mentor's to read: the judging of the competition, the issued reports, the logs
NOT_FOR_MENTORS = ("judges", "judge_assignments", "scores", "conflicts", "issued_reports", *LOGS)
# what a mentor writes: their current mentees' sessions and tasks
MENTOR_WRITES = ("mentoring_sessions", "tasks")
MENTOR_PROFILE = ("title", "phone", "email", "version", "updated_at")


def group(database: str, kind: str) -> str:
    return f"td_{database}_{kind}"[:63]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def statements(database: str, tables: dict[str, list[str]], user_columns: list[str]) -> list[str]:
    """The SQL ``install`` runs, in order (idempotent: it can run again on a database it already
    secured). ``tables`` maps each table to its primary-key columns."""
    admin, mentor, viewer = (group(database, k) for k in ("admin", "mentor", "viewer"))
    groups = (admin, mentor, viewer)
    out: list[str] = []
    for g in groups:
        out.append(f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {_sql_str(g)}) THEN "
                   f"CREATE ROLE {_q(g)} NOLOGIN; END IF; END $$")
    out.append(f"CREATE OR REPLACE FUNCTION talentdesk_role(kind text) RETURNS text LANGUAGE sql IMMUTABLE "
               f"AS $$ SELECT left('td_' || {_sql_str(database)} || '_' || kind, 63) $$")
    # who is asking: the login (session_user), never a name the client supplies
    out.append("CREATE OR REPLACE FUNCTION talentdesk_is(kind text) RETURNS boolean LANGUAGE sql STABLE "
               "SECURITY DEFINER SET search_path = public, pg_temp AS $$ "
               "SELECT pg_has_role(session_user, talentdesk_role(kind), 'MEMBER') $$")
    out.append("CREATE OR REPLACE FUNCTION talentdesk_my_mentor() RETURNS integer LANGUAGE sql STABLE "
               "SECURITY DEFINER SET search_path = public, pg_temp AS $$ "
               "SELECT mentor_id FROM users WHERE username = session_user AND active $$")
    # the one definition of "mentor of this student" on the server (db.permissions.mentee_filter in the app):
    # any assignment to read, a current one to write
    out.append("CREATE OR REPLACE FUNCTION talentdesk_my_students() RETURNS SETOF integer LANGUAGE sql STABLE "
               "SECURITY DEFINER SET search_path = public, pg_temp AS $$ "
               "SELECT DISTINCT student_id FROM mentor_assignments WHERE mentor_id = talentdesk_my_mentor() $$")
    out.append("CREATE OR REPLACE FUNCTION talentdesk_my_projects() RETURNS SETOF integer LANGUAGE sql STABLE "
               "SECURITY DEFINER SET search_path = public, pg_temp AS $$ "
               "SELECT id FROM projects WHERE lead_student_id IN (SELECT talentdesk_my_students()) UNION "
               "SELECT project_id FROM project_members WHERE student_id IN (SELECT talentdesk_my_students()) $$")
    out.append("CREATE OR REPLACE FUNCTION talentdesk_my_current_students() RETURNS SETOF integer LANGUAGE sql "
               "STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$ "
               "SELECT DISTINCT student_id FROM mentor_assignments WHERE mentor_id = talentdesk_my_mentor() "
               "AND start_on <= current_date AND (end_on IS NULL OR end_on > current_date) $$")

    # ---- privileges: nothing for PUBLIC, each group what its role needs
    out.append("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC")
    out.append("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC")
    out.append("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    out.append("REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC")
    for g in groups:
        out.append(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {_q(g)}")
        out.append(f"GRANT USAGE ON SCHEMA public TO {_q(g)}")
    data = [t for t in tables if t not in (*LOGS, "users", "alembic_version")]
    for t in data:
        out.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {_q(t)} TO {_q(admin)}")
        out.append(f"GRANT SELECT ON {_q(t)} TO {_q(viewer)}")
        if t not in NOT_FOR_MENTORS:
            out.append(f"GRANT SELECT ON {_q(t)} TO {_q(mentor)}")
    out.append(f"GRANT SELECT ON alembic_version TO {_q(admin)}, {_q(mentor)}, {_q(viewer)}")
    for t in LOGS:
        out.append(f"GRANT SELECT ON {_q(t)} TO {_q(admin)}")
    cols = ", ".join(_q(c) for c in user_columns if c != "password_hash")
    out.append(f"GRANT SELECT ({cols}) ON users TO {_q(admin)}, {_q(mentor)}, {_q(viewer)}")
    out.append(f"GRANT UPDATE (language, version, updated_at) ON users TO {_q(admin)}, {_q(mentor)}, {_q(viewer)}")
    out.append(f"GRANT UPDATE (display_name) ON users TO {_q(admin)}")
    for t in MENTOR_WRITES:  # DELETE: a session or task logged by mistake (the reason is written first)
        out.append(f"GRANT INSERT, UPDATE, DELETE ON {_q(t)} TO {_q(mentor)}")
    out.append(f"GRANT UPDATE ({', '.join(MENTOR_PROFILE)}, version) ON mentors TO {_q(mentor)}")
    out.append(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {_q(admin)}")  # setval: demo
    out.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {_q(mentor)}")

    # ---- row-level security
    for t, expr in STUDENT_ROWS.items():
        out += _policies(t, admin, viewer, mentor, read=expr)
    out += _policies("users", admin, viewer, mentor, read="username = session_user", viewer_all=False,
                     own_update="username = session_user")
    out += _policies("mentors", admin, viewer, mentor, read="true", own_update="id = talentdesk_my_mentor()")
    for t in MENTOR_WRITES:
        out.append(f"DROP POLICY IF EXISTS td_mentor_insert ON {_q(t)}")
        out.append(f"CREATE POLICY td_mentor_insert ON {_q(t)} FOR INSERT TO {_q(mentor)} WITH CHECK "
                   "(mentor_id = talentdesk_my_mentor() AND student_id IN (SELECT talentdesk_my_current_students()))")
        out.append(f"DROP POLICY IF EXISTS td_mentor_update ON {_q(t)}")
        out.append(f"CREATE POLICY td_mentor_update ON {_q(t)} FOR UPDATE TO {_q(mentor)} "
                   "USING (mentor_id = talentdesk_my_mentor() AND "
                   "student_id IN (SELECT talentdesk_my_current_students())) "
                   "WITH CHECK (mentor_id = talentdesk_my_mentor() AND student_id IN "
                   "(SELECT talentdesk_my_current_students()))")
        out.append(f"DROP POLICY IF EXISTS td_mentor_delete ON {_q(t)}")
        out.append(f"CREATE POLICY td_mentor_delete ON {_q(t)} FOR DELETE TO {_q(mentor)} "
                   "USING (mentor_id = talentdesk_my_mentor() AND "
                   "student_id IN (SELECT talentdesk_my_current_students()))")

    # ---- audit by the server
    skip = ", ".join(f"''{c}''" for c in AUDIT_SKIP)  # inside the quoted text that format() fills
    out.append(f"""CREATE OR REPLACE FUNCTION talentdesk_audit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $f$
DECLARE
  pk text := TG_ARGV[0];  -- the entity id over row alias r, as the app writes it (1, or 12/7)
  joined text := TG_ARGV[1];  -- the same rows of old_rows o and new_rows n
BEGIN
  -- the owner's own connection (IT's: the tables' owner, the database's owner, a superuser): the app
  -- audits it itself, as db.security.probe tells it
  IF session_user = current_user
     OR session_user = (SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database())
     OR EXISTS (SELECT 1 FROM pg_roles WHERE rolname = session_user AND rolsuper) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    EXECUTE format('INSERT INTO audit_log (at, username, action, entity, entity_id, changes) '
      'SELECT localtimestamp(0), session_user, ''insert'', %L, %s, '
      '(SELECT json_object_agg(k, json_build_array(NULL, v)) '
      'FROM jsonb_each(to_jsonb(r)) AS e(k, v) WHERE k NOT IN ({skip}) AND v <> ''null''::jsonb) FROM new_rows r',
      TG_TABLE_NAME, pk);
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE format('INSERT INTO audit_log (at, username, action, entity, entity_id, changes) '
      'SELECT localtimestamp(0), session_user, ''delete'', %L, %s, '
      '(SELECT json_object_agg(k, json_build_array(v, NULL)) '
      'FROM jsonb_each(to_jsonb(r)) AS e(k, v) WHERE k NOT IN ({skip})) FROM old_rows r',
      TG_TABLE_NAME, pk);
  ELSE
    EXECUTE format('INSERT INTO audit_log (at, username, action, entity, entity_id, changes) '
      'SELECT localtimestamp(0), session_user, ''update'', %L, x.key, x.ch FROM ('
      'SELECT %s AS key, (SELECT json_object_agg(k, json_build_array(to_jsonb(o) -> k, v)) '
      'FROM jsonb_each(to_jsonb(r)) AS e(k, v) '
      'WHERE k NOT IN ({skip}) AND (to_jsonb(o) -> k) IS DISTINCT FROM v) AS ch '
      'FROM new_rows r JOIN old_rows o ON %s) x WHERE x.ch IS NOT NULL',
      TG_TABLE_NAME, pk, joined);
  END IF;
  RETURN NULL;
END $f$""")
    for t, keys in tables.items():
        if t in (*LOGS, "alembic_version"):
            continue
        pk = " || '/' || ".join(f"r.{_q(k)}::text" for k in keys)
        joined = " AND ".join(f"o.{_q(k)} = r.{_q(k)}" for k in keys)
        for op, alias in (("INSERT", "NEW TABLE AS new_rows"), ("DELETE", "OLD TABLE AS old_rows"),
                          ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows")):
            name = f"talentdesk_audit_{op.lower()}"
            out.append(f"DROP TRIGGER IF EXISTS {name} ON {_q(t)}")
            out.append(f"CREATE TRIGGER {name} AFTER {op} ON {_q(t)} REFERENCING {alias} FOR EACH STATEMENT "
                       f"EXECUTE FUNCTION talentdesk_audit({_sql_str(pk)}, {_sql_str(joined)})")

    # ---- the narrow paths
    out.append("""CREATE OR REPLACE FUNCTION talentdesk_log_access(p_action text, p_entity text, p_entity_id text,
  p_detail text) RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  INSERT INTO access_log (at, username, action, entity, entity_id, detail)
  VALUES (localtimestamp(0), session_user, left(p_action, 40), left(p_entity, 40), left(p_entity_id, 80),
          left(p_detail, 400)) $$""")
    out.append("""CREATE OR REPLACE FUNCTION talentdesk_require_admin(p_role text DEFAULT 'admin') RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF session_user <> current_user AND NOT talentdesk_is('admin') THEN
    RAISE EXCEPTION 'only an administrator can manage users' USING ERRCODE = '42501';
  END IF;
  IF p_role NOT IN ('admin', 'mentor', 'viewer') THEN  -- the role an account is given
    RAISE EXCEPTION 'unknown role %', p_role USING ERRCODE = '22023';
  END IF;
END $$""")
    out.append("DROP FUNCTION IF EXISTS talentdesk_create_user(text, text, text, integer, text)")
    out.append("""CREATE OR REPLACE FUNCTION talentdesk_create_user(p_name text, p_verifier text, p_role text,
  p_mentor integer, p_display text, p_must_change boolean DEFAULT false) RETURNS integer LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE new_id integer;
BEGIN
  PERFORM talentdesk_require_admin(p_role);
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_name AND (rolsuper OR rolcreaterole OR rolcreatedb
             OR rolbypassrls OR rolname = current_user)) THEN
    RAISE EXCEPTION 'the login % is too powerful to be a TalentDesk user', p_name USING ERRCODE = '42501';
  END IF;
  IF p_verifier NOT LIKE 'SCRAM-SHA-256$%' THEN
    RAISE EXCEPTION 'the password must reach the server as a SCRAM verifier' USING ERRCODE = '22023';
  END IF;
  -- a login of that name may exist already: TalentDesk's (another TalentDesk database on this server, or a
  -- user made again after it was removed) becomes this account's login, with this password; anyone else's
  -- (another application's) is never taken over
  IF EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = p_name AND NOT EXISTS (
               SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
               WHERE m.member = r.oid AND g.rolname LIKE 'td\\_%\\_%' AND g.rolname ~ '_(admin|mentor|viewer)$')) THEN
    RAISE EXCEPTION 'the server already has a login % that is not TalentDesk''s', p_name USING ERRCODE = '42710';
  END IF;
  BEGIN
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', p_name, p_verifier);
  EXCEPTION WHEN duplicate_object OR unique_violation THEN
    EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', p_name, p_verifier);
  END;
  EXECUTE format('GRANT %I TO %I', talentdesk_role(p_role), p_name);
  INSERT INTO users (username, display_name, password_hash, role, mentor_id, active, failed_logins,
                     must_change_password, version)
  VALUES (p_name, coalesce(nullif(p_display, ''), p_name), '!server', p_role,
          CASE WHEN p_role = 'mentor' THEN p_mentor END, true, 0, coalesce(p_must_change, false), 1)
  RETURNING id INTO new_id;
  RETURN new_id;
END $$""")
    out.append(
        """CREATE OR REPLACE FUNCTION talentdesk_set_role(p_name text, p_role text, p_mentor integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE kind text;
BEGIN
  PERFORM talentdesk_require_admin(p_role);
  IF NOT EXISTS (SELECT 1 FROM users WHERE username = p_name) THEN
    RAISE EXCEPTION 'no TalentDesk user %', p_name USING ERRCODE = '42704';
  END IF;
  FOREACH kind IN ARRAY ARRAY['admin', 'mentor', 'viewer'] LOOP
    IF kind <> p_role THEN
      EXECUTE format('REVOKE %I FROM %I', talentdesk_role(kind), p_name);
    END IF;
  END LOOP;
  EXECUTE format('GRANT %I TO %I', talentdesk_role(p_role), p_name);
  UPDATE users SET role = p_role, mentor_id = CASE WHEN p_role = 'mentor' THEN p_mentor END, version = version + 1
   WHERE username = p_name;
END $$""")
    out.append("""CREATE OR REPLACE FUNCTION talentdesk_set_password(p_name text, p_verifier text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF p_name <> session_user THEN
    PERFORM talentdesk_require_admin();
  END IF;
  IF NOT EXISTS (SELECT 1 FROM users WHERE username = p_name) THEN
    RAISE EXCEPTION 'no TalentDesk user %', p_name USING ERRCODE = '42704';
  END IF;
  IF p_verifier NOT LIKE 'SCRAM-SHA-256$%' THEN
    RAISE EXCEPTION 'the password must reach the server as a SCRAM verifier' USING ERRCODE = '22023';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_name) THEN
    -- a user from before the server enforced access (one shared login): their own login is made now
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', p_name, p_verifier);
    EXECUTE format('GRANT %I TO %I', talentdesk_role((SELECT role FROM users WHERE username = p_name)), p_name);
  END IF;
  EXECUTE format('ALTER ROLE %I PASSWORD %L', p_name, p_verifier);
  -- set by someone else (an administrator, IT): its owner replaces it at the next sign-in, and the lock
  -- earned by failed sign-ins is lifted
  UPDATE users SET must_change_password = (p_name <> session_user),
         failed_logins = CASE WHEN p_name <> session_user THEN 0 ELSE failed_logins END,
         locked_until = CASE WHEN p_name <> session_user THEN NULL ELSE locked_until END,
         version = version + 1
   WHERE username = p_name;
END $$""")
    out.append("""CREATE OR REPLACE FUNCTION talentdesk_set_active(p_name text, p_active boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM talentdesk_require_admin();
  IF NOT EXISTS (SELECT 1 FROM users WHERE username = p_name) THEN
    RAISE EXCEPTION 'no TalentDesk user %', p_name USING ERRCODE = '42704';
  END IF;
  EXECUTE format('ALTER ROLE %I %s', p_name, CASE WHEN p_active THEN 'LOGIN' ELSE 'NOLOGIN' END);
  UPDATE users SET active = p_active, version = version + 1 WHERE username = p_name;
END $$""")
    fns = ("talentdesk_role(text)", "talentdesk_is(text)", "talentdesk_my_mentor()", "talentdesk_my_students()",
           "talentdesk_my_projects()",
           "talentdesk_my_current_students()", "talentdesk_log_access(text, text, text, text)",
           "talentdesk_require_admin(text)", "talentdesk_set_password(text, text)")
    for fn in fns:
        out.append(f"GRANT EXECUTE ON FUNCTION {fn} TO {_q(admin)}, {_q(mentor)}, {_q(viewer)}")
    for fn in ("talentdesk_create_user(text, text, text, integer, text, boolean)",
               "talentdesk_set_active(text, boolean)", "talentdesk_set_role(text, text, integer)"):
        out.append(f"GRANT EXECUTE ON FUNCTION {fn} TO {_q(admin)}")
    return out


def _policies(table: str, admin: str, viewer: str, mentor: str, *, read: str, viewer_all: bool = True,
              own_update: str | None = None) -> list[str]:
    t = _q(table)
    out = [f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY"]
    for name in ("td_admin", "td_viewer", "td_mentor_read", "td_own_update"):
        out.append(f"DROP POLICY IF EXISTS {name} ON {t}")
    out.append(f"CREATE POLICY td_admin ON {t} FOR ALL TO {_q(admin)} USING (true) WITH CHECK (true)")
    out.append(f"CREATE POLICY td_viewer ON {t} FOR SELECT TO {_q(viewer)} USING ({'true' if viewer_all else read})")
    out.append(f"CREATE POLICY td_mentor_read ON {t} FOR SELECT TO {_q(mentor)} USING ({read})")
    if own_update is not None:
        out.append(f"CREATE POLICY td_own_update ON {t} FOR UPDATE TO {_q(mentor)}, {_q(viewer)} "
                   f"USING ({own_update}) WITH CHECK ({own_update})")
    return out


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def install(conn: Any) -> None:
    """Secure the database ``conn`` is connected to (as its owner); PostgreSQL only."""
    from .models import Base

    database = conn.execute(text("SELECT current_database()")).scalar_one()
    tables = {t.name: [c.name for c in t.primary_key.columns] for t in Base.metadata.sorted_tables}
    tables["alembic_version"] = ["version_num"]
    users = [c.name for c in Base.metadata.tables["users"].columns]
    cursor = conn.connection.dbapi_connection.cursor()  # no parameters: format()'s %L passes as written
    try:
        for sql in statements(database, tables, users):
            cursor.execute(sql)
    finally:
        cursor.close()


FUNCTIONS = ("talentdesk_audit()", "talentdesk_log_access(text, text, text, text)", "talentdesk_require_admin(text)",
             "talentdesk_create_user(text, text, text, integer, text, boolean)", "talentdesk_set_password(text, text)",
             "talentdesk_set_role(text, text, integer)",
             "talentdesk_set_active(text, boolean)", "talentdesk_my_current_students()", "talentdesk_my_projects()",
             "talentdesk_my_students()",
             "talentdesk_my_mentor()", "talentdesk_is(text)", "talentdesk_role(text)")


def uninstall(conn: Any) -> None:
    """Undo ``install`` (the group roles stay: other databases' or logins' grants may name them)."""
    from .models import Base

    for table in Base.metadata.sorted_tables:
        t = _q(table.name)
        for op in ("insert", "update", "delete"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS talentdesk_audit_{op} ON {t}")
        for name in ("td_admin", "td_viewer", "td_mentor_read", "td_own_update", "td_mentor_insert",
                     "td_mentor_update", "td_mentor_delete"):
            conn.exec_driver_sql(f"DROP POLICY IF EXISTS {name} ON {t}")
        conn.exec_driver_sql(f"ALTER TABLE {t} DISABLE ROW LEVEL SECURITY")
    for fn in FUNCTIONS:
        conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {fn}")


def probe(dbapi_connection: Any) -> dict[str, Any]:
    """What a new PostgreSQL connection is: ``server_audits`` — a person's own login, whose changes the
    server's triggers audit (the app must not audit them again); ``server_logins`` — the database is
    secured (users are login roles, made through talentdesk_create_user); ``owner`` — IT's owner login.
    With them, in the same query, the two things SQLAlchemy's dialect asks a new engine's first connection
    that the server did not already say while connecting (db.pgdialect): ``default_schema`` and
    ``default_isolation``.

    The same query turns the server's JIT compilation off for the connection. PostgreSQL compiles any query
    its planner costs above ``jit_above_cost`` (100,000: every whole-table aggregate at ten-year scale), and
    for these the compiling is most of the time: the home page's data checks took 3.9 s, 3.8 s of them JIT
    (inlining, optimising and emitting 467 functions), 0.6 s without (issue #25). No round trip of its own."""
    cur = dbapi_connection.cursor()
    try:
        cur.execute("SELECT session_user = pg_get_userbyid(d.datdba) OR r.rolsuper OR session_user = coalesce("
                    "(SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'audit_log'), ''), "
                    "EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'talentdesk_create_user'), "
                    "current_schema(), current_setting('transaction_isolation'), set_config('jit', 'off', false) "
                    "FROM pg_database d, pg_roles r WHERE d.datname = current_database() AND r.rolname = session_user")
        row = cur.fetchone()
    finally:
        cur.close()
    owner, secured = (bool(row[0]), bool(row[1])) if row else (False, False)
    return {"owner": owner, "server_audits": secured and not owner, "server_logins": secured,
            "default_schema": row[2] if row else None, "default_isolation": row[3] if row else None}


__all__ = ["group", "install", "probe", "statements", "uninstall"]
