"""Every list the app shows, by name: the one declared registry of list specs (``db.listing.ListSpec``).

Each scheme defines its lists beside its rules (students and mentors in ``db.listing``, transfers in
``db.alliance`` …); this module names them all, so a list exists whether or not some other module
happened to be imported first."""

from __future__ import annotations

from . import alliance, competition, coverage, curriculum, listing, menteelist, sessionlist
from .listing import ListSpec

SPECS: dict[str, ListSpec] = {spec.name: spec for spec in (
    listing.STUDENTS, listing.MENTORS, listing.PROGRAMMES, listing.COURSES, listing.USERS, listing.AUDIT,
    listing.ACCESS,
    menteelist.MENTEES, sessionlist.SESSIONS,
    coverage.MISSING_ROLES, coverage.WORKLOAD, coverage.NO_CONTACT,
    curriculum.PROGRAMME_BALANCES, curriculum.ENROLMENTS,
    alliance.UNIVERSITIES, alliance.EXTERNAL_COURSES, alliance.RULES, alliance.TRANSFERS,
    competition.PROJECTS, competition.COMPANIES,
)}


def spec(name: str) -> ListSpec:
    """The list called ``name`` (KeyError for a name no list has)."""
    return SPECS[name]
