"""How hard the randomised and churning tests work: a quick profile by default (README's test command,
about two minutes on a 2-core PC) and the full counts when TALENTDESK_TEST_PROFILE=full, which .ci/run
sets (500 fuzzed rows per import KIND and backend, 200 SIGKILLs, 2,000 concurrent edits …).

The quick profile runs every test, each check and each kind of example; only the number of random
examples, kills and rounds is smaller."""

from __future__ import annotations

import os

FULL = os.environ.get("TALENTDESK_TEST_PROFILE", "").strip().lower() == "full"


def scaled(full: int, quick: int) -> int:
    """``full`` in the full profile, ``quick`` otherwise."""
    return full if FULL else quick
