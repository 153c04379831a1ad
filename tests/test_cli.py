"""The command line as scripts use it: commands, --db placement, TALENTDESK_DB and exit codes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from clirun import talentdesk
from openpyxl import Workbook, load_workbook


def book(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def test_init_creates_admin_from_stdin_and_is_idempotent(tmp_path: Path) -> None:
    db = tmp_path / "td.db"
    first = talentdesk("init", "--admin", "admin", "--db", str(db), stdin="s3cret-pass\n", process=True)
    assert first.returncode == 0, first.stderr
    assert "created" in first.stdout
    con = sqlite3.connect(db)
    user = con.execute("SELECT username, role, password_hash FROM users").fetchone()
    assert user[:2] == ("admin", "admin") and user[2].startswith("$argon2id$")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()
    again = talentdesk("--db", str(db), "init", "--admin", "admin")  # --db before the subcommand
    assert again.returncode == 0 and "already exists" in again.stdout


def test_short_password_is_refused_cleanly(tmp_path: Path) -> None:
    run = talentdesk("init", "--admin", "boss", "--db", str(tmp_path / "x.db"), stdin="short\n")
    assert run.returncode != 0
    assert "at least 8" in run.stderr and "Traceback" not in run.stderr


def test_env_var_selects_database(tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    run = talentdesk("init", env={"TALENTDESK_DB": str(db)})
    assert run.returncode == 0, run.stderr
    assert str(db) in run.stdout and db.exists()


def test_network_share_refused_with_exit_2(tmp_path: Path) -> None:
    run = talentdesk("init", "--db", r"\\fileserver\share\talentdesk.db")
    assert run.returncode == 2
    assert "PostgreSQL" in run.stderr and "Traceback" not in run.stderr


def test_template_import_exit_codes_and_error_report(tmp_path: Path) -> None:
    db = str(tmp_path / "td.db")
    tpl = tmp_path / "students-template.xlsx"
    assert talentdesk("template", "students", "-o", str(tpl), "--db", db).returncode == 0
    assert load_workbook(tpl).worksheets[0]["A1"].value == "学号*"

    prog = book(tmp_path / "prog.xlsx", [["code", "name"], ["AI-ENG", "人工智能工程"]])
    assert talentdesk("import", "programmes", str(prog), "--db", db).returncode == 0

    bad = book(tmp_path / "bad.xlsx", [["学号", "姓名", "年级", "培养方案"], ["S1", "甲", 2025, "AI-ENG"],
                                       ["S2", "乙", "明年", "AI-ENG"]])
    run = talentdesk("import", "students", str(bad), "--db", db)
    assert run.returncode == 1
    assert "Row 3, column C (年级)" in run.stderr and "Traceback" not in run.stderr
    report = tmp_path / "bad.errors.xlsx"
    assert report.exists()
    assert sqlite3.connect(db).execute("SELECT count(*) FROM students").fetchone()[0] == 0

    good = book(tmp_path / "good.xlsx", [["学号", "姓名", "年级", "培养方案"], ["S1", "甲", 2025, "AI-ENG"]])
    dry = talentdesk("--db", db, "import", "students", str(good), "--dry-run")
    assert dry.returncode == 0 and "dry run" in dry.stdout
    assert sqlite3.connect(db).execute("SELECT count(*) FROM students").fetchone()[0] == 0
    assert talentdesk("import", "students", str(good), "--db", db).returncode == 0
    assert sqlite3.connect(db).execute("SELECT count(*) FROM students").fetchone()[0] == 1

    not_xlsx = tmp_path / "notes.xlsx"
    not_xlsx.write_text("hello")
    run = talentdesk("import", "students", str(not_xlsx), "--db", db)
    assert run.returncode == 2 and "not an Excel" in run.stderr
    missing = talentdesk("import", "students", str(tmp_path / "missing.xlsx"), "--db", db)
    assert missing.returncode == 2


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert talentdesk("import", "widgets", "x.xlsx", "--db", str(tmp_path / "a.db")).returncode == 2
    assert talentdesk("template", "students").returncode == 2  # -o is required


def test_chinese_messages_on_a_chinese_system(tmp_path: Path) -> None:
    run = talentdesk("import", "students", str(tmp_path / "none.xlsx"), "--db", str(tmp_path / "a.db"),
                     env={"LANG": "zh_CN.UTF-8"})
    assert run.returncode == 2 and "错误" in run.stderr and "不存在" in run.stderr


def test_backup_and_restore(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    assert talentdesk("init", "--db", str(db)).returncode == 0
    prog = book(tmp_path / "prog.xlsx", [["code", "name"], ["AI-ENG", "人工智能工程"]])
    assert talentdesk("import", "programmes", str(prog), "--db", str(db)).returncode == 0
    copy = tmp_path / "copy.db"
    run = talentdesk("backup", "-o", str(copy), "--db", str(db))
    assert run.returncode == 0, run.stderr
    assert sqlite3.connect(copy).execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    more = book(tmp_path / "more.xlsx", [["code", "name"], ["AI-AUTO", "智能网联汽车"]])
    assert talentdesk("import", "programmes", str(more), "--db", str(db)).returncode == 0
    run = talentdesk("restore", str(copy), "--db", str(db))
    assert run.returncode == 0, run.stderr
    assert sqlite3.connect(db).execute("SELECT count(*) FROM programmes").fetchone()[0] == 1
    assert list((tmp_path / "backups" / db.stem).glob("talentdesk-pre-restore-*.db"))

    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all")
    run = talentdesk("restore", str(junk), "--db", str(db))
    assert run.returncode == 2 and "not a SQLite database" in run.stderr
    assert sqlite3.connect(db).execute("SELECT count(*) FROM programmes").fetchone()[0] == 1


@pytest.mark.postgres
def test_cli_on_postgresql(pg_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The IT guide's path: init with the owner's login, then every command as a person's own login (the
    password from PGPASSWORD, never in the URL), refused what that person may not do."""
    import uuid

    from sqlalchemy import text

    owner = pg_db.owner.url.render_as_string(hide_password=False)
    boss = f"boss_{uuid.uuid4().hex[:8]}"
    person = pg_db.target.url._replace(password=None).render_as_string(hide_password=False)
    refused = talentdesk("init", "--db", person, env={"PGPASSWORD": pg_db.target.url.password})
    assert refused.returncode == 1 and "owner" in refused.stderr  # a person's login cannot change the schema
    assert talentdesk("init", "--admin", boss, "--db", owner, stdin="s3cret-pass\n").returncode == 0
    as_boss = pg_db.target.url._replace(username=boss, password=None).render_as_string(hide_password=False)
    prog = book(tmp_path / "prog.xlsx", [["code", "name"], ["AI-ENG", "人工智能工程"]])
    run = talentdesk("import", "programmes", str(prog), env={"TALENTDESK_DB": as_boss, "PGPASSWORD": "s3cret-pass"})
    assert run.returncode == 0, run.stderr
    wrong = talentdesk("import", "programmes", str(prog), env={"TALENTDESK_DB": as_boss, "PGPASSWORD": "guess-1234"})
    assert wrong.returncode == 1 and "refused the user name or password" in wrong.stderr
    viewer = f"view_{uuid.uuid4().hex[:8]}"
    made = talentdesk("users", "add", viewer, "--role", "viewer", "--db", as_boss, stdin="viewer-pass-1\n",
                      env={"PGPASSWORD": "s3cret-pass"})
    assert made.returncode == 0, made.stderr
    as_viewer = pg_db.target.url._replace(username=viewer, password=None).render_as_string(hide_password=False)
    denied = talentdesk("import", "programmes", str(prog), "--db", as_viewer, env={"PGPASSWORD": "viewer-pass-1"})
    assert denied.returncode == 1 and "Traceback" not in denied.stderr
    run = talentdesk("backup", "--db", as_boss, env={"PGPASSWORD": "s3cret-pass"})
    assert run.returncode == 2 and "pg_dump" in run.stderr
    with pg_db.owner_engine.connect() as conn:  # the audit log names the login that imported
        assert conn.execute(text("SELECT username FROM audit_log WHERE entity = 'programmes'")).scalar() == boss


def test_demo_on_a_fresh_database_then_refuses_a_second_run(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    run = talentdesk("demo", "--db", db)
    assert run.returncode == 0, run.stderr
    assert "admin" in run.stdout and "talentdesk" in run.stdout
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM students").fetchone()[0] >= 1000
    assert con.execute("SELECT count(*) FROM users WHERE role = 'mentor'").fetchone()[0] >= 1
    con.close()
    again = talentdesk("demo", "--db", db)
    assert again.returncode == 1 and "Traceback" not in again.stderr


def _academy(tmp_path: Path) -> str:
    """A database with one programme, two students and one mentor, imported through the command line."""
    db = str(tmp_path / "td.db")
    files = [("programmes", [["code", "name"], ["AI-ENG", "人工智能工程"]]),
             ("students", [["学号", "姓名", "年级", "培养方案"], ["S1", "甲", 2025, "AI-ENG"],
                           ["S2", "乙", 2025, "AI-ENG"]]),
             ("mentors", [["工号", "姓名", "单位", "导师类型"], ["A1", "刘教授", "重庆大学", "学术"]])]
    for kind, rows in files:
        run = talentdesk("import", kind, str(book(tmp_path / f"{kind}.xlsx", rows)), "--db", db)
        assert run.returncode == 0, run.stderr
    return db


def test_report_student_takes_options_before_the_student_number(tmp_path: Path) -> None:
    """`--db` and `--pdf` may come anywhere after the subcommand, also before STUDENT_NO."""
    db = _academy(tmp_path)
    for n, args in enumerate([("report", "student", "--db", db, "S1", "--pdf"),
                              ("report", "student", "--pdf", str(tmp_path / "x.pdf"), "S1", "--db", db, "--pdf"),
                              ("--db", db, "report", "student", "S1", "--pdf"),
                              ("report", "--db", db, "student", "S1", "--pdf")]):
        pdf = tmp_path / f"s{n}.pdf"
        run = talentdesk(*args, str(pdf))
        assert run.returncode == 0, (args, run.stderr)
        assert pdf.stat().st_size > 0
    missing = talentdesk("report", "student", "--pdf", str(tmp_path / "none.pdf"), "--db", db)
    assert missing.returncode == 2 and "STUDENT_NO" in missing.stderr and "Traceback" not in missing.stderr
    assert not (tmp_path / "none.pdf").exists()


@pytest.mark.parametrize("args", [("import", "widgets", "x.xlsx"), ("template", "students"), ("stats",),
                                  ("demo", "--scale", "x"), ("demo", "--scale", "0"),
                                  ("stats", "--quarter", "2026Q3", "--frob"),
                                  ("frobnicate",)])
def test_usage_errors_are_in_chinese_on_a_chinese_system(tmp_path: Path, args: tuple[str, ...]) -> None:
    run = talentdesk(*args, "--db", str(tmp_path / "a.db"), env={"LANG": "zh_CN.UTF-8"})
    assert run.returncode == 2
    assert "错误" in run.stderr and "用法" in run.stderr, run.stderr
    for english in ("error:", "usage:", "invalid", "required", "unrecognized", "argument"):
        assert english not in run.stderr, run.stderr
    english = talentdesk(*args, "--db", str(tmp_path / "a.db"), env={"LANG": "en_US.UTF-8"})
    assert english.returncode == 2 and "error:" in english.stderr and "错误" not in english.stderr


def test_import_of_a_folder_says_it_is_a_folder(tmp_path: Path) -> None:
    run = talentdesk("import", "programmes", str(tmp_path), "--db", str(tmp_path / "a.db"),
                     env={"LANG": "zh_CN.UTF-8"})
    assert run.returncode == 2 and "是文件夹" in run.stderr and "不存在" not in run.stderr


def test_import_of_a_missing_or_bad_file_does_not_create_the_database(tmp_path: Path) -> None:
    not_xlsx = tmp_path / "roster.xlsx"
    not_xlsx.write_text("学号,姓名\n")
    for source in (tmp_path / "missing.xlsx", not_xlsx):
        db = tmp_path / "typo.db"
        run = talentdesk("import", "students", str(source), "--db", str(db))
        assert run.returncode == 2 and run.stderr.strip()
        assert not db.exists()


def test_reading_commands_refuse_a_database_that_is_not_there(tmp_path: Path) -> None:
    """A mistyped --db made stats print zeros, report print an empty report and backup 'verify' a
    backup of nothing, each exiting 0 and leaving a new empty database at the typo. A scheduled backup
    would have 'succeeded' every night. They now exit 2 naming the file, which is not created."""
    db = tmp_path / "typo.db"
    for args in (["stats", "--quarter", "2026Q3"], ["backup", "-o", str(tmp_path / "b.bak")],
                 ["report", "quarterly", "--quarter", "2026Q3", "--xlsx", str(tmp_path / "q.xlsx")],
                 ["report", "student", "S1", "--pdf", str(tmp_path / "s.pdf")]):
        for lang, words in (("zh_CN.UTF-8", "不存在"), ("en_US.UTF-8", "does not exist")):
            run = talentdesk(*args, "--db", str(db), env={"LANG": lang})
            assert run.returncode == 2, (args, run.stdout, run.stderr)
            assert words in run.stderr and str(db) in run.stderr
            assert not db.exists()
    assert not (tmp_path / "b.bak").exists() and not (tmp_path / "q.xlsx").exists()
    assert talentdesk("init", "--db", str(db)).returncode == 0  # made on purpose, it is read as before
    assert talentdesk("stats", "--quarter", "2026Q3", "--db", str(db)).returncode == 0


def test_a_database_that_cannot_be_opened_is_named_in_the_message(tmp_path: Path) -> None:
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_text("meeting notes, not a database\n" * 100)
    for lang, words in (("zh_CN.UTF-8", "无法打开数据库"), ("en_US.UTF-8", "Cannot open the database")):
        run = talentdesk("stats", "--quarter", "2026Q3", "--db", str(not_a_db), env={"LANG": lang})
        assert run.returncode == 2 and "Traceback" not in run.stderr
        assert words in run.stderr and str(not_a_db) in run.stderr, run.stderr


def test_a_duplicate_key_is_shown_in_the_user_s_words(tmp_path: Path) -> None:
    db = _academy(tmp_path)
    dup = book(tmp_path / "dup.xlsx", [["学号", "工号", "导师类型", "开始日期"], ["S1", "A1", "学术", "2025-09-15"],
                                       ["S1", "A1", "学术", "2025/9/15"]])
    for lang, word in (("zh_CN.UTF-8", "学术导师"), ("en_US.UTF-8", "Academic mentor")):
        run = talentdesk("import", "mentor-assignments", str(dup), "--db", db, env={"LANG": lang})
        assert run.returncode == 1
        assert "MentorRole" not in run.stderr and f"S1 / A1 / {word} / 2025-09-15" in run.stderr, run.stderr
