"""Fixtures for the ledger tests: a store on SQLite and on a real PostgreSQL (no mocks).

PostgreSQL comes from ``$CLAIMLEDGER_TEST_PG_URL`` when set; otherwise a throwaway cluster is
started here from the installed binaries (``/usr/lib/postgresql/*/bin``), run as user
``postgres`` when the tests run as root, listening on 127.0.0.1 on a free port with trust auth,
and stopped at the end of the session. Without either, PostgreSQL tests fail under ``$CI`` and
are skipped elsewhere.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid

import pytest

from claimledger.ledger.store import Store


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Cluster:
    def __init__(self):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not bins:
            raise RuntimeError("no PostgreSQL binaries under /usr/lib/postgresql/*/bin")
        self.bindir = os.path.dirname(bins[-1])
        self.base = tempfile.mkdtemp(prefix="claimledger-pg-")
        self.data = os.path.join(self.base, "data")
        self.port = _free_port()
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            import pwd

            pw = pwd.getpwnam("postgres")
            os.chown(self.base, pw.pw_uid, pw.pw_gid)
            self.prefix = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C",
                  "--no-sync")
        opts = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.base} -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off")
        self._run("pg_ctl", "-D", self.data, "-o", opts, "-l", os.path.join(self.base, "log"), "-w", "start")
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self.prefix, os.path.join(self.bindir, tool), *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server_url():
    """URL of a PostgreSQL server database the tests may create databases on."""
    url = os.environ.get("CLAIMLEDGER_TEST_PG_URL")
    if url:
        yield url
        return
    try:
        cluster = _Cluster()
    except (RuntimeError, OSError, subprocess.SubprocessError, KeyError) as exc:
        message = f"no PostgreSQL for the store tests: set CLAIMLEDGER_TEST_PG_URL ({exc})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield cluster.url
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_server_url):
    """A fresh, empty database on the test server for one test; dropped afterwards."""
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(pg_server_url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = "cl_" + uuid.uuid4().hex[:12]
    conninfo = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield base.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'ledger.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """The same test on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(db_url):
    s = Store.open(db_url)
    yield s
    s.close()
