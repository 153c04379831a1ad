"""Panels of a student's detail view, one per scheme.

DESIGN.md section 7: a student's detail view gathers everything about them — the three mentors with
history, the timeline of sessions and tasks, courses and balance, recognised credits, projects.
Each scheme contributes its panel by registering it here from its own page module (imported by the
main window), so the detail view needs no knowledge of the schemes:

    register(StudentPanel("curriculum", QT_TRANSLATE_NOOP("StudentPanels", "Courses and balance"),
                          CurriculumPanel, order=30))

``factory(ctx, student_id, parent)`` builds the panel; it reads through services with the signed-in
actor (a mentor sees only their mentees' panels — the services check it again).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtWidgets import QWidget

from .context import AppContext

ALL_ROLES = frozenset({"admin", "mentor", "viewer"})


@dataclass(frozen=True)
class StudentPanel:
    key: str
    title: str  # English source, translated in the "StudentPanels" context
    factory: Callable[[AppContext, int, QWidget], QWidget]
    order: int = 50
    roles: frozenset[str] = field(default=ALL_ROLES)


_PANELS: dict[str, StudentPanel] = {}


def register(panel: StudentPanel) -> None:
    _PANELS[panel.key] = panel


def panels_for(role: str) -> list[StudentPanel]:
    return sorted((p for p in _PANELS.values() if role in p.roles), key=lambda p: (p.order, p.key))
