"""Throwaway PostgreSQL servers for the tests: initdb + pg_ctl in a folder of their own under /dev/shm
(memory; /tmp when there is none) (as the postgres user when the tests run as root: initdb and pg_ctl
refuse root).

``PrivateServer(folder, secure=True)`` is set up the way README's IT guide tells IT to set up the
academy's server: every network connection over TLS (a self-signed certificate here) with its password
checked by scram-sha-256, no plain-text ``host`` line. ``secure=False`` is a bare local server (trust,
no TLS) for tests that stop and restart it under the app.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def server_binaries() -> Path | None:
    """The newest installed PostgreSQL server's bin folder (Debian's layout), or None."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: p.parent.parent.name)
    return found[-1].parent if found else None


def _scratch_folder() -> str:
    """Where a throwaway server keeps its data: /dev/shm (memory) when there is one with room, else /tmp.
    A server for the tests writes gigabytes in a run (every test's database is a copy of a template, its
    pages written twice: the copy and its WAL) and throws them away; on a disk, the kernel's writeback of
    that made the copies wait for the disk, the more so with a test process per core."""
    shm = Path("/dev/shm")
    try:
        if shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > 2 * 1024**3:
            return str(shm)
    except OSError:
        pass
    return "/tmp"


class PrivateServer:
    def __init__(self, folder: Path | None = None, *, secure: bool = False, options: str = "") -> None:
        bin_folder = server_binaries()
        if bin_folder is None:
            raise RuntimeError("PostgreSQL server binaries are not installed (apt-get install postgresql)")
        self.bin = bin_folder
        self.made: Path | None = None  # the folder this made, removed by remove()
        if folder is None:  # a folder the postgres user can reach (pytest's own temporary folders are root's)
            self.made = Path(tempfile.mkdtemp(prefix="talentdesk-pg-", dir=_scratch_folder()))
            self.made.chmod(0o755)
            folder = self.made / "pg"
        self.folder = folder
        self.data = folder / "data"
        self.secure = secure
        self.options = options  # more server settings ("-c name=value …")
        self.password = secrets.token_hex(12) if secure else ""
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        folder.mkdir(parents=True, exist_ok=True)
        if self.as_pg:
            shutil.chown(folder, "postgres", "postgres")
        folder.chmod(0o700)
        self.running = False

    def run(self, *args: str) -> None:
        subprocess.run([*self.as_pg, *args], check=True, capture_output=True, timeout=120)

    def _init(self) -> None:
        if not self.secure:
            self.run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                     "--locale=C.UTF-8")
            return
        pwfile = self.folder / "pwfile"
        pwfile.write_text(self.password + "\n", encoding="utf-8")
        if self.as_pg:
            shutil.chown(pwfile, "postgres", "postgres")
        try:
            self.run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth-local=trust",
                     "--auth-host=scram-sha-256", f"--pwfile={pwfile}", "-E", "UTF8", "--locale=C.UTF-8")
        finally:
            pwfile.unlink(missing_ok=True)
        self.run("openssl", "req", "-new", "-x509", "-days", "2", "-nodes", "-subj", "/CN=127.0.0.1",
                 "-keyout", str(self.data / "server.key"), "-out", str(self.data / "server.crt"))
        self.run("chmod", "600", str(self.data / "server.key"))
        hba = "local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\n"  # TLS only on the network
        self.run("sh", "-c", f"printf '{hba}' > '{self.data / 'pg_hba.conf'}'")

    def start(self) -> None:
        if not self.data.exists():
            self._init()
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off"
        if self.secure:  # throwaway data: no durability work, so a database per test is quick
            options += " -c ssl=on -c synchronous_commit=off -c full_page_writes=off"
        if self.options:
            options += " " + self.options
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "server.log"), "-w",
                 "-t", "60", "-o", options, "start")
        self.running = True

    def stop(self) -> None:
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        self.running = False

    def remove(self) -> None:
        """Stop (if running) and delete the folder this made (a folder it was given is the caller's). A
        server in a folder this made holds throwaway data: it stops at once, without the shutdown
        checkpoint that writes out every page the run dirtied (seconds after a test run)."""
        if self.running:
            try:
                if self.made is not None:
                    self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
                    self.running = False
                else:
                    self.stop()
            except subprocess.CalledProcessError:
                pass
        if self.made is not None:
            shutil.rmtree(self.made, ignore_errors=True)

    @property
    def log(self) -> str:
        """What the server has written to its log so far."""
        return (self.folder / "server.log").read_text(encoding="utf-8", errors="replace")

    @property
    def url(self) -> str:
        if self.secure:
            return (f"postgresql+psycopg://postgres:{self.password}@127.0.0.1:{self.port}/postgres"
                    "?sslmode=require")
        # a private server on this machine, without a certificate: no TLS (PGSSLMODE may ask for it)
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres?sslmode=disable"
