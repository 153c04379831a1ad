"""Create or upgrade the schema with Alembic, after taking a backup of a database that holds data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from . import backup
from .engine import DatabaseTarget
from .errors import DatabaseError
from .i18n import t

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def needs_upgrade(engine: Engine) -> bool:
    return current_revision(engine) != head_revision()


@dataclass(frozen=True)
class UpgradeResult:
    from_revision: str | None
    to_revision: str
    backup_path: Path | None

    @property
    def changed(self) -> bool:
        return self.from_revision != self.to_revision


def upgrade(engine: Engine, target: DatabaseTarget) -> UpgradeResult:
    """Bring the schema to the head revision; back up first when there is data to lose."""
    current = current_revision(engine)
    head = head_revision()
    known = {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if current is not None and current not in known:
        raise DatabaseError(
            t(
                "The database {url} is newer than this version of TalentDesk (revision {revision}). "
                "Install the newer TalentDesk.",
                url=target.display(),
                revision=current,
            )
        )
    if current == head:
        return UpgradeResult(current, head, None)
    backup_path = None
    path = target.sqlite_path
    if path is not None and path.exists() and inspect(engine).get_table_names():
        engine.dispose()  # release file handles before copying
        backup_path = backup.auto_backup(target, backup.PRE_MIGRATION)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    engine.dispose()  # connections opened before: what they learnt of the database (db.security.probe) is stale
    return UpgradeResult(current, head, backup_path)


def require_current(engine: Engine, target: DatabaseTarget) -> None:
    """Refuse to work on a database that was never initialised (the CLI's commands call this)."""
    if current_revision(engine) is None:
        raise DatabaseError(t("The database has not been set up yet. Run: talentdesk init"))


def require_head(engine: Engine, target: DatabaseTarget) -> None:
    """A person's own login cannot upgrade the schema (only the owner can): a database at another revision
    than this TalentDesk's is said, with who can fix it."""
    current, head = current_revision(engine), head_revision()
    if current != head:
        raise DatabaseError(t("The database {db} is at revision {found}; this TalentDesk needs {head}. Ask IT to run "
                              "talentdesk init with the database owner's login, then sign in again.",
                              db=target.display(), found=current or "—", head=head))
