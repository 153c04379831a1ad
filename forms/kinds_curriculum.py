"""Import KINDs of enrolments (the 50/50 curriculum scheme): field specs and how a row is saved."""

from __future__ import annotations

from .specs import EntitySpec

KINDS: tuple[EntitySpec, ...] = ()
