"""Panels of a student's detail view, one per scheme: the declared list ``PANELS`` below.

DESIGN.md section 7: a student's detail view gathers everything about them — the three mentors with
history, the timeline of sessions and tasks, courses and balance, recognised credits, projects.
Each scheme's panel lives in its own module; the list names it as ``"module:callable"`` and the module
is imported when a panel is built, so the detail view needs no knowledge of the schemes and opening a
student does not depend on which pages were visited first (a mentor has no Curriculum page at all).

``factory(ctx, student_id, parent)`` builds the panel; it reads through services with the signed-in
actor (a mentor sees only their mentees' panels — the services check it again).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtWidgets import QWidget

from .context import AppContext
from .qttyping import QT_TRANSLATE_NOOP

ALL_ROLES = frozenset({"admin", "mentor", "viewer"})


@dataclass(frozen=True)
class StudentPanel:
    key: str
    title: str  # English source, translated in the "StudentPanels" context
    builder: str  # "package.module:callable", imported when the panel is first built
    order: int = 50
    roles: frozenset[str] = field(default=ALL_ROLES)

    @property
    def factory(self) -> Callable[[AppContext, int, QWidget], QWidget]:
        module, _, name = self.builder.partition(":")
        built: Any = getattr(importlib.import_module(module), name)
        return built  # type: ignore[no-any-return]


PANELS = (
    StudentPanel("mentors", QT_TRANSLATE_NOOP("StudentPanels", "Three mentors"),
                 "desktop.mentoringpanels:ThreeMentorPanel", order=10),
    StudentPanel("timeline", QT_TRANSLATE_NOOP("StudentPanels", "Timeline"),
                 "desktop.mentoringpanels:TimelinePanel", order=20),
    StudentPanel("curriculum", QT_TRANSLATE_NOOP("StudentPanels", "Courses and balance"),
                 "desktop.pages.curriculum:curriculum_panel", order=30),
    StudentPanel("alliance", QT_TRANSLATE_NOOP("StudentPanels", "Recognised credits"),
                 "desktop.pages.alliance:RecognisedPanel", order=40),
    StudentPanel("competition", QT_TRANSLATE_NOOP("StudentPanels", "Competition projects"),
                 "desktop.pages.competition:StudentProjectsPanel", order=50),
)


def panels_for(role: str) -> list[StudentPanel]:
    return sorted((p for p in PANELS if role in p.roles), key=lambda p: (p.order, p.key))
