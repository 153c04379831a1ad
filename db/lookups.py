"""The choices a reference field offers (Qt-free): the records a field may name, as (value, label).

A field of ``forms.specs`` that names another record declares ``ref`` (one of ``REFS``); the edit
dialog asks ``choices(session, actor, ref)`` once when it opens and offers the rows in a picker that
filters as one types. The *value* is exactly what the import would receive for that column (a
programme's code, an organisation's name), so choosing a row and typing the code from memory save the
same thing; the *label* is what a person recognises (``AI-ENG 人工智能工程``).

The small reference sets (programmes, courses, universities, organisations, track names) are read
whole: one select each, a few hundred rows at most even on a ten-year database. Students, projects,
mentors and the alliance catalogues (twenty thousand, three thousand, a thousand and hundreds of rows on
a ten-year database) are never listed whole: ``search`` returns the first few rows matching what has
been typed, for a completer that asks as one types (also for a field naming several records, such as a
project's members: the completer then asks for the entry being typed).

What the actor may see: administrators and viewers read every catalogue; a mentor reads only their own
mentees' records and none of the catalogues pages, so a mentor is offered nothing (a mentor's dialogs
never edit a reference field: their own profile keeps only title, phone and e-mail).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from .actor import Actor
from .models import (
    Course,
    ExternalCourse,
    Mentor,
    Organisation,
    OrgKind,
    Programme,
    Project,
    Student,
    Track,
    University,
)
from .permissions import scope_students

Choice = tuple[str, str]  # (value the parser receives, label a person reads)


def _coded(session: Session, model: type[Programme | Course | University]) -> list[Choice]:
    rows = session.execute(select(model.code, model.name).order_by(model.code))
    return [(code, f"{code} {name}" if name else code) for code, name in rows]


def _organisations(kind: OrgKind | None) -> Callable[[Session], list[Choice]]:
    def read(session: Session) -> list[Choice]:
        query = select(Organisation.name).order_by(Organisation.name)
        if kind is not None:  # a student's home university lists universities, a sponsor companies
            query = query.where(Organisation.kind == kind)
        return [(name, name) for name in session.scalars(query)]

    return read


def _tracks(session: Session) -> list[Choice]:
    """Track names of every season, the standard ones (earliest in a season) first."""
    rows = session.execute(select(Track.name).group_by(Track.name).order_by(func.min(Track.seq), Track.name))
    return [(name, name) for (name,) in rows]


READERS: dict[str, Callable[[Session], list[Choice]]] = {
    "programmes": lambda s: _coded(s, Programme),
    "courses": lambda s: _coded(s, Course),
    "universities": lambda s: _coded(s, University),
    "organisations": _organisations(None),
    "universities-as-organisations": _organisations(OrgKind.UNIVERSITY),  # a student's home university
    "companies-as-organisations": _organisations(OrgKind.COMPANY),  # a sponsor, a co-building company
    "tracks": _tracks,
}
SEARCH_LIMIT = 30


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _matching(code: Any, name: Any, text: str) -> ColumnElement[bool]:
    """Rows whose code or name contains ``text`` as typed (any case; % and _ are not wildcards)."""
    pattern = _like(text)
    return or_(code.ilike(pattern, escape="\\"), name.ilike(pattern, escape="\\"))


def _search_students(session: Session, actor: Actor, text: str, limit: int, _within: str | None = None
                     ) -> list[Choice]:
    query = (select(Student.student_no, Student.name)
             .where(_matching(Student.student_no, Student.name, text))
             .order_by(Student.student_no).limit(limit))
    rows = session.execute(scope_students(query, actor, Student.id))
    return [(no, f"{no} {name}") for no, name in rows]


def _search_projects(session: Session, actor: Actor, text: str, limit: int, _within: str | None = None
                     ) -> list[Choice]:
    if actor.is_mentor:  # a mentor never names a project in a dialog (the competition dialogs are read-only)
        return []
    rows = session.execute(
        select(Project.code, Project.title)
        .where(_matching(Project.code, Project.title, text))
        .order_by(Project.code.desc()).limit(limit))  # the newest season first
    return [(code, f"{code} {title}") for code, title in rows]


def _with_owner(session: Session, code: Any, name: Any, owner: Any, join_on: Any, order: tuple[Any, ...],
                text: str, limit: int) -> list[Choice]:
    """Matching rows labelled "CODE 名称（owner）", the owner (an organisation, a university) telling
    two of the same name apart."""
    rows = session.execute(select(code, name, owner).join(owner.class_, join_on)
                           .where(_matching(code, name, text)).order_by(*order).limit(limit))
    return [(c, f"{c} {n}（{o}）") for c, n, o in rows]


def _search_mentors(session: Session, actor: Actor, text: str, limit: int, _within: str | None = None
                    ) -> list[Choice]:
    """Mentors by staff number or name (a project's mentors), with their organisation; a mentor names
    no other mentor in a dialog."""
    if actor.is_mentor:
        return []
    return _with_owner(session, Mentor.staff_no, Mentor.name, Organisation.name,
                       Organisation.id == Mentor.organisation_id, (Mentor.staff_no,), text, limit)


def _search_external_courses(session: Session, actor: Actor, text: str, limit: int, within: str | None = None
                             ) -> list[Choice]:
    """Alliance catalogue courses by code or name (a rule's external courses), with their university's
    code: the value is the course code, as a rule names it beside its university. ``within``: that
    university's code, when the dialog has one (a code of another university would name nothing)."""
    if actor.is_mentor:
        return []
    join_on = University.id == ExternalCourse.university_id
    if within and within.strip():
        join_on = and_(join_on, func.lower(University.code) == within.strip().lower())
    return _with_owner(session, ExternalCourse.code, ExternalCourse.name, University.code, join_on,
                       (University.code, ExternalCourse.code), text, limit)


# (session, actor, typed text, limit, within: the value of the field that narrows the search, if any)
SEARCHERS: dict[str, Callable[[Session, Actor, str, int, str | None], list[Choice]]] = {
    "students": _search_students,
    "projects": _search_projects,
    "mentors": _search_mentors,
    "external-courses": _search_external_courses,
}
REFS = frozenset(READERS) | frozenset(SEARCHERS)


def choices(session: Session, actor: Actor, ref: str) -> list[Choice]:
    """The rows a field referring to ``ref`` may name, as (value, label), in the order to offer them
    (a small set: ``ref`` in READERS)."""
    if ref not in READERS:
        raise KeyError(ref)
    if actor.is_mentor:
        return []
    return READERS[ref](session)


def search(session: Session, actor: Actor, ref: str, text: str, limit: int = SEARCH_LIMIT,
           within: str | None = None) -> list[Choice]:
    """The first ``limit`` rows of a large set (``ref`` in SEARCHERS) whose code or name contains
    ``text``, as (value, label), among the rows the actor may see (a mentor: their own mentees);
    ``within`` narrows them by another field's value (a rule's external courses to its university)."""
    if ref not in SEARCHERS:
        raise KeyError(ref)
    text = text.strip()
    if not text:
        return []
    return SEARCHERS[ref](session, actor, text, limit, within)
