"""What every page needs, passed in (never fetched from globals): the signed-in actor, the
database, settings, prompts and the background-task runner."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from PySide6.QtCore import QSettings
from sqlalchemy.orm import Session, sessionmaker

from db.actor import Actor
from db.engine import DatabaseTarget

from .operations import Operations
from .prompts import Prompts
from .tasks import TaskRunner


@dataclass
class AppContext:
    factory: sessionmaker[Session]
    actor: Actor
    target: DatabaseTarget
    settings: QSettings
    prompts: Prompts
    tasks: TaskRunner

    @cached_property
    def ops(self) -> Operations:
        """The one way pages and dialogs read and write the database (desktop/operations.py)."""
        return Operations(self)

    @property
    def read_only(self) -> bool:
        """The database cannot be written (a read-only file or server): browse, search, print, export."""
        return bool((self.factory.kw.get("info") or {}).get("read_only"))

    @property
    def can_write(self) -> bool:
        """Administrators write; mentors and viewers read (services enforce it again). Nobody writes to a
        read-only database."""
        return self.actor.is_admin and not self.read_only
