"""Import KINDs of projects, companies (the competition and incubation pipeline): field specs and how a row is saved."""

from __future__ import annotations

from .specs import EntitySpec

KINDS: tuple[EntitySpec, ...] = ()
