"""The choices a reference field offers (Qt-free): the records a field may name, as (value, label).

A field of ``forms.specs`` that names another record declares ``ref`` (one of ``REFS``); the edit
dialog asks ``choices(session, actor, ref)`` once when it opens and offers the rows in a picker that
filters as one types. The *value* is exactly what the import would receive for that column (a
programme's code, an organisation's name), so choosing a row and typing the code from memory save the
same thing; the *label* is what a person recognises (``AI-ENG 人工智能工程``).

Only the small reference sets are offered here (programmes, courses, universities, organisations,
track names): one indexed select each, a few hundred rows at most even on a ten-year database.
Students, mentors and projects (thousands of rows) are not.

What the actor may see: administrators and viewers read every catalogue; a mentor reads only their own
mentees' records and none of the catalogues pages, so a mentor is offered nothing (a mentor's dialogs
never edit a reference field: their own profile keeps only title, phone and e-mail).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .auth import Actor
from .models import Course, Organisation, OrgKind, Programme, Track, University

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
REFS = frozenset(READERS)


def choices(session: Session, actor: Actor, ref: str) -> list[Choice]:
    """The rows a field referring to ``ref`` may name, as (value, label), in the order to offer them."""
    if ref not in READERS:
        raise KeyError(ref)
    if actor.is_mentor:
        return []
    return READERS[ref](session)
