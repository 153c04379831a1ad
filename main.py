"""TalentDesk (智湾人才培养管理台): with no arguments the desktop app, with a subcommand the command line.

The command line is a stable contract (DESIGN.md section 5): scripts and scheduled jobs depend on its
commands, options and exit codes. Every command takes ``--db`` (before or after its own arguments)
and honours ``TALENTDESK_DB``. An error is one clear line on stderr, never a traceback.

Exit codes: 0 success; 1 rejected (an import with row errors, a refused operation); 2 usage, file or
database-location error.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from db.i18n import N_
from db.version import VERSION

KINDS = ("students", "mentors", "mentor-assignments", "sessions", "assignments", "programmes", "courses",
         "programme-courses", "enrolments", "universities", "external-courses", "equivalences", "transfers",
         "projects", "companies")

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2
EXIT_DATABASE = 3  # the database could not do the work (busy, unreachable, disk full, read-only): nothing written


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def _t(text: str, /, **kw: object) -> str:
    from db.i18n import t

    return t(text, **kw)


def _tc(context: str, text: str, /, **kw: object) -> str:
    from db.i18n import tc

    return tc(context, text, **kw)


# argparse's own messages (usage errors: an unknown KIND, a missing -o …), translated while the command
# line is parsed; argparse looks each one up through its module's gettext function ``_``
ARGPARSE_MESSAGES = (  # translated in db/locale/zh_CN.po
    N_("usage: "),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("one of the arguments %s is required"),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
)


@contextlib.contextmanager
def _argparse_in_language() -> Iterator[None]:
    """argparse speaks the user's language (Chinese on a Chinese system) while it builds and parses."""
    from db.i18n import language

    if language() != "zh":
        yield
        return
    original = argparse._  # type: ignore[attr-defined]
    argparse._ = _t  # type: ignore[attr-defined]  # the catalogue holds ARGPARSE_MESSAGES
    try:
        yield
    finally:
        argparse._ = original  # type: ignore[attr-defined]


def _scale(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(_t("--scale takes a whole number of academy years, 1 or more (not {value}).",
                                            value=text))
    return value


def _db_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument("--db", default=default, metavar="PATH_OR_URL",
                        help="database file or SQLAlchemy URL (default: TALENTDESK_DB, else the local data folder)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="talentdesk", description="TalentDesk 智湾人才培养管理台")
    parser.add_argument("--version", action="version", version=f"TalentDesk {VERSION}")
    parser.add_argument("--smoke-test", action="store_true",
                        help="open the main window read-only, check translations, font and database, quit")
    _db_option(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        _db_option(p, argparse.SUPPRESS)  # after the subcommand too; does not override one given before
        return p

    p = command("init", "create or upgrade the database; create the first administrator")
    p.add_argument("--admin", metavar="NAME", help="create this administrator (password from stdin or prompt)")
    p = command("demo", "fill an empty database with realistic demo data")
    p.add_argument("--scale", type=_scale, default=1, metavar="N", help="1: one academy year; 10: ten years")
    p.add_argument("--seed", type=int, default=2026, help=argparse.SUPPRESS)
    p = command("template", "write an import template")
    p.add_argument("kind", choices=KINDS, metavar="KIND")
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    p = command("export", "write the records of KIND in the import's columns")
    p.add_argument("kind", choices=KINDS, metavar="KIND")
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    p = command("logbook", "write a mentor's offline logbook (their mentees, sheets for sessions and tasks)")
    p.add_argument("staff_no", metavar="STAFF_NO")
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    p = command("import", "import an Excel file")
    p.add_argument("kind", choices=(*KINDS, "logbook"), metavar="KIND")
    p.add_argument("file", metavar="FILE.xlsx")
    p.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    p.add_argument("--errors", metavar="FILE.xlsx", help="where to write the error report (default: FILE.errors.xlsx)")
    p = command("stats", "the figures of the quarterly report")
    p.add_argument("--quarter", required=True, metavar="2026Q3")
    p.add_argument("--json", action="store_true")
    p = command("report", "quarterly report or a student's record")
    # one subcommand each, so STUDENT_NO is a required positional: it may then follow --pdf or --db
    # (an optional positional beside the options is taken as absent once an option comes first)
    reports = p.add_subparsers(dest="what", metavar="{quarterly,student}", required=True)
    q = reports.add_parser("quarterly", help="the quarterly report")
    _db_option(q, argparse.SUPPRESS)
    q.add_argument("--quarter", metavar="2026Q3")
    q.add_argument("--xlsx", metavar="FILE")
    q.add_argument("--pdf", metavar="FILE")
    q.set_defaults(student_no=None)
    s = reports.add_parser("student", help="one student's record")
    _db_option(s, argparse.SUPPRESS)
    s.add_argument("student_no", metavar="STUDENT_NO")
    s.add_argument("--pdf", metavar="FILE")
    s.set_defaults(quarter=None, xlsx=None)
    p = command("users", "add a user, disable one, or reset a password")
    users = p.add_subparsers(dest="action", metavar="{add,disable,reset-password}", required=True)
    u = users.add_parser("add", help="a new user (password from stdin or prompt)")
    _db_option(u, argparse.SUPPRESS)
    u.add_argument("name", metavar="NAME")
    u.add_argument("--role", required=True, choices=("admin", "mentor", "viewer"))
    u.add_argument("--mentor", metavar="STAFF_NO", help="the mentor record of a mentor account")
    u.add_argument("--display-name", metavar="NAME", help="the name shown in the app (default: NAME)")
    u = users.add_parser("disable", help="the user can no longer sign in (history is kept)")
    _db_option(u, argparse.SUPPRESS)
    u.add_argument("name", metavar="NAME")
    u = users.add_parser("reset-password", help="a new password, to be changed at the next sign-in")
    _db_option(u, argparse.SUPPRESS)
    u.add_argument("name", metavar="NAME")
    p = command("backup", "consistent backup of the SQLite database")
    p.add_argument("-o", "--output", metavar="FILE")
    p = command("restore", "restore a backup (the current database is backed up first)")
    p.add_argument("file", metavar="FILE")
    return parser


# --------------------------------------------------------------------------- helpers


def _open(db_arg: str | None, upgrade: bool = True, existing: bool = False):  # type: ignore[no-untyped-def]
    """The database named by --db / TALENTDESK_DB, upgraded. ``existing``: a command that only reads it
    (stats, report, backup) refuses a SQLite file that is not there instead of creating an empty one:
    a mistyped --db in a nightly backup job must fail, not back up nothing every night."""
    from sqlalchemy.exc import SQLAlchemyError

    from db import audit, migrate  # noqa: F401  (audit registers the audit listener)
    from db.engine import make_engine, resolve, session_factory
    from db.errors import DatabaseUnavailable

    target = resolve(db_arg)
    if existing and target.sqlite_path is not None and not target.sqlite_path.exists():
        raise CliError(_t("The database {db} does not exist: check --db / TALENTDESK_DB, or create it with "
                          "'talentdesk init' (or 'talentdesk demo').", db=target.sqlite_path))
    engine = make_engine(target)
    try:
        result = migrate.upgrade(engine, target) if upgrade else None
    except SQLAlchemyError as exc:  # not a database, a folder …
        engine.dispose()
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise CliError(_t("Cannot open the database {db}: {reason}", db=target.display(), reason=reason)) from exc
    except DatabaseUnavailable as exc:
        engine.dispose()
        if exc.kind != "damaged":  # busy, unreachable, full …: exit 3, try again later
            raise
        raise CliError(_t("Cannot open the database {db}: {reason}", db=target.display(), reason=exc)) from exc
    return target, engine, session_factory(engine), result


def _read_password(name: str) -> str:
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise CliError(_t("No password given: pipe it on standard input or run init in a terminal."))
        return password
    first = getpass.getpass(_t("Password for {name}: ", name=name))
    second = getpass.getpass(_t("Repeat the password: "))
    if first != second:
        raise CliError(_t("The passwords differ."))
    return first


def _print_upgrade(result) -> None:  # type: ignore[no-untyped-def]
    if result.backup_path:
        print(_t("Backup taken before the upgrade: {path}", path=result.backup_path))
    if result.from_revision is None:
        print(_t("Database created at revision {rev}.", rev=result.to_revision))
    elif result.changed:
        print(_t("Database upgraded from revision {old} to {rev}.", old=result.from_revision, rev=result.to_revision))
    else:
        print(_t("Database is up to date (revision {rev}).", rev=result.to_revision))


# --------------------------------------------------------------------------- commands


def cmd_init(args: argparse.Namespace) -> int:
    from sqlalchemy import func, select

    from db.actor import unit_of_work
    from db.auth import command_line_actor, count_users, create_user, is_owner
    from db.models import Role, User

    target, engine, factory, result = _open(args.db)
    if not is_owner(factory):
        engine.dispose()
        raise CliError(_t("talentdesk init creates and upgrades the database: run it with the database owner's "
                          "login (IT's), not a person's."), EXIT_REJECTED)
    print(_t("Database: {db}", db=target.display()))
    _print_upgrade(result)
    if args.admin:
        name = args.admin.strip()
        with factory() as s:
            exists = s.scalar(select(User.id).where(func.lower(User.username) == name.lower()))
        if exists:
            print(_t("User {name} already exists; left unchanged.", name=name))
        else:
            password = _read_password(name)
            actor = command_line_actor(factory)
            with unit_of_work(factory, actor) as s:
                create_user(s, actor, name, password, Role.ADMIN, display_name=name)
            print(_t("Administrator {name} created.", name=name))
    else:
        with factory() as s:
            if count_users(s) == 0:
                print(_t("No user can sign in yet: create the first administrator with talentdesk init --admin NAME."))
    engine.dispose()
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from db import demo
    from db.labels import label

    target, engine, factory, result = _open(args.db)
    print(_t("Database: {db}", db=target.display()))
    summary = demo.generate(engine, scale=args.scale, seed=args.seed)
    print(_t("Demo data generated in {seconds:.1f} s:", seconds=summary.seconds))
    for table, n in sorted(summary.counts.items()):
        print(f"  {table:<22} {n:>9,}")
    if summary.accounts:
        print(_t("Demo accounts (password {password}):", password=summary.accounts[0].password))
        for acc in summary.accounts:
            print(f"  {acc.username:<16} {label(acc.role):<10} {acc.display_name}")
    engine.dispose()
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from forms.importer import ImportFileError
    from forms.templates import write_template

    try:
        path = write_template(args.kind, Path(args.output))
    except ImportFileError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(str(exc)) from exc
    print(_t("Template for {kind} written to {path}", kind=args.kind, path=path))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from db.auth import command_line_actor
    from forms.templates import write_export

    path = _writable(args.output)  # before the database is opened
    _target, engine, factory, _ = _open(args.db, existing=True)
    try:
        n = write_export(factory, command_line_actor(factory), args.kind, path)
    except OSError as exc:
        raise CliError(_t("Cannot write {path}: {reason}", path=path, reason=exc.strerror or exc)) from exc
    finally:
        engine.dispose()
    print(_t("Exported {n} records of {kind} to {path}", n=n, kind=args.kind, path=path))
    return EXIT_OK


def cmd_logbook(args: argparse.Namespace) -> int:
    from db.auth import command_line_actor
    from forms.logbook import write_logbook
    from forms.parsers import clean

    path = _writable(args.output)
    _target, engine, factory, _ = _open(args.db, existing=True)
    try:
        write_logbook(factory, command_line_actor(factory), clean(args.staff_no), path)
    except OSError as exc:
        raise CliError(_t("Cannot write {path}: {reason}", path=path, reason=exc.strerror or exc)) from exc
    finally:
        engine.dispose()
    print(_t("Logbook of {staff_no} written to {path}", staff_no=clean(args.staff_no), path=path))
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from db.auth import command_line_actor
    from forms.importer import (
        ImportFileError,
        check_file,
        default_error_report_path,
        run_import,
        spec_for,
        write_error_report,
    )

    path = Path(args.file)
    try:  # a file that cannot be imported is refused before the database is opened (or created, or upgraded)
        if args.kind != "logbook":
            spec_for(args.kind)
        check_file(path)
    except ImportFileError as exc:
        raise CliError(str(exc)) from exc
    target, engine, factory, _ = _open(args.db)
    try:
        if args.kind == "logbook":
            from forms.logbook import import_logbook

            result = import_logbook(factory, command_line_actor(factory), path, dry_run=args.dry_run)
        else:
            result = run_import(factory, command_line_actor(factory), args.kind, path, dry_run=args.dry_run)
    finally:
        engine.dispose()
    for notice in result.notices:
        print(notice)
    if result.file_error:
        raise CliError(result.file_error)
    if result.errors:
        for e in result.errors:
            print(str(e), file=sys.stderr)
        print(_t("Rejected: {path} has {n} error(s); nothing was written.", n=len(result.errors), path=path.name),
              file=sys.stderr)
        report = Path(args.errors) if args.errors else default_error_report_path(path)
        try:
            write_error_report(result, report)
            print(_t("Error report: {path}", path=report), file=sys.stderr)
        except OSError:
            pass
        return EXIT_REJECTED
    if result.dry_run:
        print(_t("Checked {rows} rows of {path}: {created} new, {updated} updated, {unchanged} unchanged (dry run: "
                 "nothing written).", rows=result.rows, path=path.name, created=result.created,
                 updated=result.updated, unchanged=result.unchanged))
    else:
        print(_t("Imported {rows} rows of {path}: {created} new, {updated} updated, {unchanged} unchanged.",
                 rows=result.rows, path=path.name, created=result.created, updated=result.updated,
                 unchanged=result.unchanged))
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from db import backup
    from db.engine import resolve

    target = resolve(args.db)
    if target.is_sqlite:
        _open(args.db, existing=True)[1].dispose()  # bring the schema up to date first
    info = backup.backup(target, Path(args.output) if args.output else None)
    print(_t("Backup written and verified: {path} ({size} KB, {students} students)", path=info.path,
             size=info.size // 1024, students=info.students))
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from db import backup
    from db.engine import resolve

    target = resolve(args.db)
    info, safety = backup.restore(target, Path(args.file))
    if safety:
        print(_t("Restored {path} ({students} students). The replaced database was saved as {safety}",
                 path=info.path, students=info.students, safety=safety))
    else:
        print(_t("Restored {path} ({students} students).", path=info.path, students=info.students))
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    import json

    from reports.quarterly import Quarter, figures

    try:
        quarter = Quarter.parse(args.quarter)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    target, engine, factory, _ = _open(args.db, existing=True)
    with factory() as session:
        data = figures(session, quarter)
    engine.dispose()
    if args.json:
        print(json.dumps(data.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_figures(data))
    return EXIT_OK


def _pad(text: str, width: int = 28) -> str:
    """Left-align in a console column: CJK characters take two cells."""
    cells = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return text + " " * max(1, width - cells)


def format_figures(f) -> str:  # type: ignore[no-untyped-def]
    """The figures as a readable table for the console."""
    from db.labels import label
    from db.models import MentorRole, Stage

    m, c, tr, comp = f.mentoring, f.curriculum, f.transfers, f.competition
    lines = [_t("Quarter {quarter} ({start} – {end})", quarter=f.quarter, start=f.period["start"],
                end=f.period["end"])]
    if f.issued_at:
        lines.append(_t("Issued on {when}: these figures are frozen.", when=f.issued_at))
    lines += ["", _t("Three-mentor scheme"),
              f"  {_pad(_t('Active students'), 28)}{m.active_students:>10}",
              f"  {_pad(_t('Fully mentored'), 28)}{m.fully_mentored:>10}"]
    for role in MentorRole:
        lines.append(f"  {_pad(_t('Missing: {role}', role=label(role)), 28)}{m.missing[role.value]:>10}")
    for role in MentorRole:
        lines.append(f"  {_pad(_t('Sessions: {role}', role=label(role)), 28)}{m.sessions[role.value]:>10}")
    lines += [f"  {_pad(_t('Session hours'), 28)}{m.session_hours:>10.1f}",
              f"  {_pad(_t('Students without contact'), 28)}{m.students_without_contact:>10}",
              f"  {_pad(_t('Tasks given / reviewed / overdue'), 28)}{m.assignments['given']:>6} /"
              f" {m.assignments['reviewed']} / {m.assignments['overdue']}",
              "", _t("50/50 curriculum")]
    for p in c.programmes:
        band = _t("in band") if p.in_band else _t("OUT OF BAND")
        lines.append(f"  {p.code:<14}{p.foundation_credits:>7g} : {p.industry_credits:<7g}"
                     f"{p.foundation_share * 100:>6.1f}%  {band}")
    lines += [f"  {_pad(_t('Students out of band'), 28)}{c.students_out_of_band:>10}",
              "", _t("Credit recognition"),
              f"  {_pad(_t('Submitted / approved / rejected / pending'), 28)} {tr.submitted} / {tr.approved} /"
              f" {tr.rejected} / {tr.pending}",
              f"  {_pad(_t('Credits recognised'), 28)}{tr.credits_recognised:>10g}",
              "", _t("Competition {season}", season=comp.season),
              f"  {_pad(_tc('stats', 'Projects'), 28)}{comp.projects:>10} / {comp.target_projects}"]
    for stage in Stage:
        lines.append(f"    {_pad(label(stage), 26)}{comp.by_stage[stage.value]:>10}")
    lines.append(f"  {_pad(_t('Incubated companies'), 28)}{comp.incubated_companies:>10} / {comp.target_companies}")
    return "\n".join(lines)


def _warn_missing(missing: dict[str, str]) -> None:
    """Text printed with 〓 because no installed font has some of its characters: said, never silent."""
    for text, chars in missing.items():
        print(_t("warning: no installed font has {chars} of '{text}': printed as 〓. Install a font that has "
                 "them (SimSun-ExtB on Windows, fonts-hanazono on Linux) or name one in "
                 "TALENTDESK_REPORT_FALLBACK_FONTS, then print again.", chars=" ".join(chars), text=text),
              file=sys.stderr)


def cmd_report(args: argparse.Namespace) -> int:
    from db.auth import command_line_actor
    from db.errors import NotFound
    from reports import quarterly

    if args.what == "student":
        from forms.parsers import clean

        # typed as an import cell would be: full-width ＳＴＵ００１ or stray spaces name the same student
        args.student_no = clean(args.student_no)
        if not args.student_no:
            raise CliError(_t("Usage: talentdesk report student STUDENT_NO --pdf FILE"))
        from reports import student

        # no --pdf: the name the desktop suggests, in the current folder
        pdf_name = args.pdf or _t("Student record {no}", no=args.student_no) + ".pdf"
        path = _writable(pdf_name)  # before any work, as for the quarterly report

        target, engine, factory, _ = _open(args.db, existing=True)
        try:
            with factory() as session:
                record = student.build(session, command_line_actor(factory), args.student_no)
                session.commit()  # the access-log row
        except NotFound as exc:
            raise CliError(str(exc)) from exc
        finally:
            engine.dispose()
        missing: dict[str, str] = {}
        student.write_pdf(record, path, missing=missing)
        print(_t("Student record written to {path}", path=path))
        _warn_missing(missing)
        return EXIT_OK

    if not args.quarter:
        raise CliError(_t("Usage: talentdesk report quarterly --quarter 2026Q3 [--xlsx FILE] [--pdf FILE]"))
    try:
        quarter = quarterly.Quarter.parse(args.quarter)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    if not (args.xlsx or args.pdf):  # neither asked for: both, named as the desktop names them, here
        name = _t("Quarterly report {quarter}", quarter=quarter)
        args.xlsx, args.pdf = f"{name}.xlsx", f"{name}.pdf"
    outputs = [_writable(p) for p in (args.xlsx, args.pdf) if p]
    if args.pdf:
        from reports.fonts import find

        find()  # no usable Chinese font: say so before any work
    target, engine, factory, _ = _open(args.db, existing=True)
    try:
        with factory() as session:  # on a server: as the login's role (a viewer, issued quarters only)
            report = quarterly.load_for(session, command_line_actor(factory), quarter)
    finally:
        engine.dispose()
    if args.xlsx:
        from reports.excel import write_quarterly as write_xlsx

        write_xlsx(report, outputs[0])
        print(_t("Quarterly report (Excel) written to {path}", path=outputs[0]))
    if args.pdf:
        from reports.pdf import write_quarterly as write_pdf

        missing = {}
        write_pdf(report, outputs[-1], missing=missing)
        print(_t("Quarterly report (PDF) written to {path}", path=outputs[-1]))
        _warn_missing(missing)
    return EXIT_OK


def _writable(name: str) -> Path:
    """An output path whose folder exists and can be written, checked before any work is done."""
    import os

    path = Path(name).expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir() or not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise CliError(_t("Cannot write {path}: the folder does not exist or is not writable.", path=path))
    return path


def cmd_users(args: argparse.Namespace) -> int:
    from sqlalchemy import func, select

    from db.actor import unit_of_work
    from db.auth import command_line_actor, create_user, reset_password, update_user
    from db.labels import label
    from db.models import Mentor, Role, User

    name = args.name.strip()
    if not name:
        raise CliError(_t("Usage: talentdesk users {add,disable,reset-password} NAME"))
    password = _read_password(name) if args.action in ("add", "reset-password") else None
    target, engine, factory, _ = _open(args.db, existing=True)
    try:
        actor = command_line_actor(factory)
        with unit_of_work(factory, actor) as s:
            if args.action == "add":
                mentor_id = None
                if args.mentor:
                    from forms.parsers import clean

                    staff_no = clean(args.mentor)
                    mentor_id = s.scalar(select(Mentor.id).where(func.lower(Mentor.staff_no) == staff_no.lower()))
                    if mentor_id is None:
                        raise CliError(_t("No mentor has the staff number {no}.", no=staff_no), EXIT_REJECTED)
                assert password is not None
                create_user(s, actor, name, password, Role(args.role), display_name=args.display_name or name,
                            mentor_id=mentor_id, must_change_password=False)
                message = _t("User {name} created ({role}).", name=name, role=label(Role(args.role)))
            else:
                user = s.scalar(select(User).where(func.lower(User.username) == name.lower()))
                if user is None:
                    raise CliError(_t("There is no user {name}.", name=name), EXIT_REJECTED)
                if args.action == "disable":
                    update_user(s, actor, user.id, user.version, active=False)
                    message = _t("User {name} is disabled: they can no longer sign in.", name=user.username)
                else:
                    assert password is not None
                    reset_password(s, actor, user.id, password)
                    message = _t("Password of {name} reset: they choose a new one at their next sign-in.",
                                 name=user.username)
    finally:
        engine.dispose()
    print(message)
    return EXIT_OK


COMMANDS = {
    "init": cmd_init,
    "demo": cmd_demo,
    "template": cmd_template,
    "import": cmd_import,
    "export": cmd_export,
    "logbook": cmd_logbook,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "stats": cmd_stats,
    "report": cmd_report,
    "users": cmd_users,
}


def run_cli(argv: Sequence[str]) -> int:
    from db.errors import BackupError, DatabaseError, DatabaseLocationError, DatabaseUnavailable, TalentDeskError
    from db.i18n import set_language, system_language
    from reports.fonts import FontError

    set_language(system_language())
    with _argparse_in_language():
        args = build_parser().parse_args(list(argv))
    if args.command is None:
        return -1
    try:
        return COMMANDS[args.command](args)
    except CliError as exc:
        print(_t("error: {message}", message=exc), file=sys.stderr)
        return exc.code
    except (DatabaseLocationError, DatabaseError, BackupError, FontError) as exc:
        print(_t("error: {message}", message=exc), file=sys.stderr)
        return EXIT_USAGE
    except DatabaseUnavailable as exc:
        print(_t("error: {message}", message=exc), file=sys.stderr)
        return EXIT_DATABASE
    except TalentDeskError as exc:
        print(_t("error: {message}", message=exc), file=sys.stderr)
        return EXIT_REJECTED
    except KeyboardInterrupt:
        print(_t("Interrupted."), file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like: not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # a database that cannot be reached, a disk that is full …
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(exc, SQLAlchemyError):  # the sentence the desktop shows, with the detail for IT
            from db.failures import said

            print(_t("error: {message}", message=said(exc)), file=sys.stderr)
            return EXIT_USAGE
        if isinstance(exc, OSError):
            reason = str(exc).strip().splitlines()[0]
            print(_t("error: {message}", message=reason), file=sys.stderr)
            return EXIT_USAGE
        raise


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass
    code = run_cli(argv)
    if code != -1:
        return code
    # no subcommand: the desktop app (optionally with --db)
    args = build_parser().parse_args(argv)
    if args.smoke_test:  # the installed copy or bundle can open its window (CI runs it on the bundle)
        from desktop import smoke

        return smoke.run(args.db, [sys.argv[0]])
    from desktop.app import run

    return run(args.db, [sys.argv[0]])


if __name__ == "__main__":
    sys.exit(main())
