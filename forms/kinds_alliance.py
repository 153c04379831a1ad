"""Import KINDs of equivalences, transfers (alliance credit recognition): field specs and how a row is saved."""

from __future__ import annotations

from .specs import EntitySpec

KINDS: tuple[EntitySpec, ...] = ()
