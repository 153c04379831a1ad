"""Academy-wide settings that belong to the academy, not to a PC or a person: its name, printed in the
header of the records and reports an academy signs and stamps."""

from __future__ import annotations

from sqlalchemy.orm import Session

from .auth import Actor, require_admin
from .errors import invalid
from .i18n import register, t
from .models import Setting
from .records import flush

register({
    "The academy's name is required (at most {n} characters).": "请填写学院名称（最多 {n} 个字）。",
})

NAME_KEY = "academy_name"
DEFAULT_NAME = "智湾人工智能学院"
MAX_NAME = 60


def academy_name(session: Session) -> str:
    row = session.get(Setting, NAME_KEY)
    value = row.value.get("name") if row is not None and isinstance(row.value, dict) else None
    return value if isinstance(value, str) and value.strip() else DEFAULT_NAME


def set_academy_name(session: Session, actor: Actor, name: str) -> str:
    require_admin(actor)
    text = " ".join((name or "").split())
    if not text or len(text) > MAX_NAME:
        raise invalid("name", t("The academy's name is required (at most {n} characters).", n=MAX_NAME))
    row = session.get(Setting, NAME_KEY)
    if row is None:
        session.add(Setting(key=NAME_KEY, value={"name": text}))
    else:
        row.value = {"name": text}
    flush(session)
    return text
