"""Academy-wide settings that belong to the academy, not to a PC or a person: its name, printed in the
header of the records and reports an academy signs and stamps."""

from __future__ import annotations

from sqlalchemy.orm import Session

from . import settings
from .actor import Actor
from .errors import invalid
from .i18n import t
from .permissions import require_admin

NAME_KEY = "academy_name"
DEFAULT_NAME = "智湾人工智能学院"
MAX_NAME = 60


def academy_name(session: Session) -> str:
    value = settings.read(session, NAME_KEY, "name")
    return value if isinstance(value, str) and value.strip() else DEFAULT_NAME


def set_academy_name(session: Session, actor: Actor, name: str) -> str:
    require_admin(actor)
    text = " ".join((name or "").split())
    if not text or len(text) > MAX_NAME:
        raise invalid("name", t("The academy's name is required (at most {n} characters).", n=MAX_NAME))
    settings.write(session, NAME_KEY, {"name": text})
    return text
