"""Consistent SQLite backups, their rotation, and restore.

A backup uses SQLite's online backup API, so it is consistent even while the app or an import is
writing, and is verified with ``PRAGMA integrity_check`` before it is reported as done. Automatic
backups (before every migration, once a day on start) live in ``backups/<database name>/`` next to
the database (two databases in one folder keep theirs apart) and the last 14 of each kind are kept. On
PostgreSQL the server's own tools (pg_dump) are the way.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import failures
from .engine import DatabaseTarget
from .errors import BackupError
from .i18n import t

PRE_MIGRATION = "pre-migration"
DAILY = "daily"
MANUAL = "manual"
PRE_RESTORE = "pre-restore"
KEEP = 14
SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    revision: str | None
    students: int | None


def _pg_refusal(target: DatabaseTarget) -> BackupError:
    return BackupError(
        t(
            "Backups of a PostgreSQL database are made with the server's own tools: run pg_dump "
            "-Fc -f talentdesk.dump {database} on the server (and pg_restore to restore). "
            "TalentDesk's backup command is for the local SQLite database.",
            database=target.url.database or "talentdesk",
        )
    )


def backups_dir(target: DatabaseTarget) -> Path:
    """``backups/<file name without .db>/`` beside the database: one folder per database file, so that
    two databases in one folder neither mix their backups nor skip each other's daily one."""
    path = target.sqlite_path
    assert path is not None
    return path.parent / "backups" / (path.stem or "talentdesk")


def _timestamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def verify(path: Path) -> BackupInfo:
    """Check that ``path`` is an intact TalentDesk SQLite database; raise BackupError if not."""
    if not path.is_file():
        raise BackupError(t("The database file {path} does not exist.", path=path))
    with open(path, "rb") as fh:
        if fh.read(16) != SQLITE_MAGIC:
            raise BackupError(t("{path} is not a TalentDesk backup: it is not a SQLite database.", path=path))
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = [r[0] for r in con.execute("PRAGMA integrity_check")]
            if rows != ["ok"]:
                raise BackupError(t("{path} is damaged: {detail}", path=path, detail="; ".join(rows[:5])))
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not {"alembic_version", "students", "users"} <= tables:
                raise BackupError(t("{path} is not a TalentDesk backup: it has no TalentDesk tables.", path=path))
            revision = con.execute("SELECT version_num FROM alembic_version").fetchone()
            students = con.execute("SELECT count(*) FROM students").fetchone()[0]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(t("{path} is damaged: {detail}", path=path, detail=str(exc))) from exc
    return BackupInfo(path, path.stat().st_size, revision[0] if revision else None, students)


def copy_database(
    src: Path,
    dest: Path,
    progress: Callable[[int, int], bool | None] | None = None,
) -> None:
    """Online-backup ``src`` into a new file ``dest`` (written beside it, then renamed into place).

    ``progress(done_pages, total_pages)`` may return False to cancel.
    """
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".talentdesk-", suffix=".tmp", dir=dest.parent)
        os.close(fd)
    except OSError as exc:  # a full disk, a folder that cannot be written
        raise BackupError(t("Cannot write the backup to {path}: {reason}", path=dest,
                            reason=exc.strerror or exc)) from exc
    tmp = Path(tmp_name)
    cancelled = False
    try:
        source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
        target = sqlite3.connect(tmp)
        try:
            def _progress(status: int, remaining: int, total: int) -> None:
                nonlocal cancelled
                if progress is not None and progress(total - remaining, total) is False:
                    cancelled = True
                    raise KeyboardInterrupt

            try:
                source.backup(target, pages=256, progress=_progress)
            except KeyboardInterrupt:
                pass
            if not cancelled:
                target.execute("PRAGMA journal_mode=DELETE")  # a self-contained single file
                rows = [r[0] for r in target.execute("PRAGMA integrity_check")]
                if rows != ["ok"]:
                    raise BackupError(t("The backup copy failed its integrity check: {detail}",
                                        detail="; ".join(rows[:5])))
        finally:
            target.close()
            source.close()
        if cancelled:
            raise BackupError(t("Backup cancelled."))
        os.replace(tmp, dest)
    except sqlite3.Error as exc:  # a full disk, an I/O error: said in the user's words, not SQLite's
        reason = failures.translate(exc, "sqlite") or exc
        raise BackupError(t("Cannot write the backup to {path}: {reason}", path=dest, reason=reason)) from exc
    except OSError as exc:
        raise BackupError(t("Cannot write the backup to {path}: {reason}", path=dest,
                            reason=exc.strerror or exc)) from exc
    finally:
        # the unfinished copy and whatever SQLite left beside it (a rollback journal after a full disk)
        for leftover in (tmp, *(tmp.with_name(tmp.name + side) for side in ("-journal", "-wal", "-shm"))):
            try:
                leftover.unlink(missing_ok=True)
            except OSError:
                pass


def backup(
    target: DatabaseTarget,
    dest: Path | None = None,
    progress: Callable[[int, int], bool | None] | None = None,
) -> BackupInfo:
    """A manual backup to ``dest`` (default: the backups folder)."""
    src = target.sqlite_path
    if src is None:
        raise _pg_refusal(target)
    if not src.exists():
        raise BackupError(t("The database file {path} does not exist.", path=src))
    if dest is None:
        dest = backups_dir(target) / f"talentdesk-{MANUAL}-{_timestamp()}.db"
    copy_database(src, dest, progress)
    return verify(dest)


def _rotate(folder: Path, kind: str, keep: int = KEEP) -> None:
    files = sorted(folder.glob(f"talentdesk-{kind}-*.db"))
    for old in files[:-keep] if keep else files:
        old.unlink(missing_ok=True)


def auto_backup(target: DatabaseTarget, kind: str) -> Path | None:
    """An automatic backup of the given kind, rotated to the last 14."""
    src = target.sqlite_path
    if src is None or not src.exists():
        return None
    folder = backups_dir(target)
    dest = folder / f"talentdesk-{kind}-{_timestamp()}.db"
    copy_database(src, dest)
    _rotate(folder, kind)
    return dest


def daily_backup_if_due(target: DatabaseTarget, today: dt.date | None = None) -> Path | None:
    """Called on start: one backup a day, the last 14 kept."""
    src = target.sqlite_path
    if src is None or not src.exists():
        return None
    today = today or dt.date.today()
    folder = backups_dir(target)
    if any(folder.glob(f"talentdesk-{DAILY}-{today:%Y%m%d}-*.db")):
        return None
    return auto_backup(target, DAILY)


def list_backups(target: DatabaseTarget) -> list[Path]:
    if target.sqlite_path is None:
        return []
    folder = backups_dir(target)
    return sorted(folder.glob("talentdesk-*.db"), key=lambda p: p.stat().st_mtime, reverse=True)


def restore(target: DatabaseTarget, source: Path) -> tuple[BackupInfo, Path | None]:
    """Replace the database with ``source`` after checking it; the current one is backed up first.

    Returns the restored file's info and the safety copy of what was replaced.
    """
    dest = target.sqlite_path
    if dest is None:
        raise _pg_refusal(target)
    info = verify(source)  # nothing is touched unless the file is a sound TalentDesk database
    safety = None
    if dest.exists():
        safety = auto_backup(target, PRE_RESTORE)
    dest.parent.mkdir(parents=True, exist_ok=True)
    # Copy through the backup API into the live file: readers holding it see a consistent switch,
    # and WAL/SHM side files stay coherent (a plain file copy would not).
    src_con = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst_con = sqlite3.connect(dest)
    try:
        # one transaction on the live file: a step that fails (a full disk) rolls the copy back whole
        src_con.backup(dst_con)
        dst_con.execute("PRAGMA journal_mode=WAL")
        rows = [r[0] for r in dst_con.execute("PRAGMA integrity_check")]
    except sqlite3.Error as exc:
        reason = failures.translate(exc, "sqlite") or exc
        raise BackupError(t("Cannot restore {path}: {reason} The database is as it was.", path=source,
                            reason=reason)) from exc
    finally:
        dst_con.close()
        src_con.close()
    if rows != ["ok"]:  # pragma: no cover - verified source, so only a failing disk lands here
        if safety is not None:
            shutil.copyfile(safety, dest)
        raise BackupError(t("{path} is damaged: {detail}", path=dest, detail="; ".join(rows[:5])))
    return info, safety
