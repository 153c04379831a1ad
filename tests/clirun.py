"""Running ``talentdesk`` the way a script does, from the tests.

Most tests run the command line **in this process** (``main.run_cli`` with the environment, the working
folder, standard input and output of a real run swapped in for the call): a fresh Python process per
command cost about a second of imports, and the suite runs a few hundred commands. A few smoke tests
(``process=True``) still start a real process: the entry script, the exit status as the shell sees it,
standard input that is not a terminal.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _environment(env: dict[str, str] | None) -> dict[str, str]:
    full = {k: v for k, v in os.environ.items() if k != "TALENTDESK_DB"}
    full["LANG"] = "C.UTF-8"
    full.pop("LC_ALL", None)
    full.update(env or {})
    return full


@contextlib.contextmanager
def _as_a_process(env: dict[str, str], cwd: Path | None, stdin: str) -> Iterator[tuple[io.StringIO, io.StringIO]]:
    """This process as a fresh ``talentdesk`` run would see it, restored afterwards: the environment, the
    working folder, the standard streams, the message language; every engine the command made is closed."""
    import db.engine
    from db.i18n import language, set_language

    saved_env, saved_cwd, saved_language = dict(os.environ), os.getcwd(), language()
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    made: list[Any] = []
    real_make_engine = db.engine.make_engine

    def make_engine(*args: Any, **kwargs: Any) -> Any:
        engine = real_make_engine(*args, **kwargs)
        made.append(engine)
        return engine

    out, err = io.StringIO(), io.StringIO()
    os.environ.clear()
    os.environ.update(env)
    db.engine.make_engine = make_engine  # type: ignore[assignment]
    try:
        if cwd is not None:
            os.chdir(cwd)
        sys.stdin, sys.stdout, sys.stderr = io.StringIO(stdin), out, err
        yield out, err
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        db.engine.make_engine = real_make_engine  # type: ignore[assignment]
        for engine in made:
            engine.dispose()
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        set_language(saved_language)


def talentdesk(*args: str, stdin: str = "", env: dict[str, str] | None = None, cwd: Path | None = None,
               process: bool = False) -> subprocess.CompletedProcess[str]:
    """``talentdesk ARGS`` with ``stdin`` as its standard input, in a C.UTF-8 locale (English) unless
    ``env`` says otherwise; TALENTDESK_DB is unset unless ``env`` sets it. Returns what a process gives:
    the exit status, standard output and error."""
    full_env = _environment(env)
    if process:
        return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], input=stdin, capture_output=True,
                              text=True, env=full_env, cwd=cwd, timeout=120)
    import main

    with _as_a_process(full_env, cwd, stdin) as (out, err):
        try:
            code = main.run_cli(list(args))
        except SystemExit as exc:  # argparse: a usage error, --help, --version
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        if code == -1:
            raise AssertionError("talentdesk without a command opens the desktop app: not from the tests")
    return subprocess.CompletedProcess(["talentdesk", *args], code, out.getvalue(), err.getvalue())
