"""A throw-away PostgreSQL cluster on a free loopback port, for the tests and the benchmarks.

``.ci/run`` starts one before the tests and exports its URL as ``ANNOTATOR_TEST_PG``; without it
the fixture starts its own (``initdb`` into a temporary folder, ``pg_ctl -w start`` as the
``postgres`` user) and stops it at the end. ``ANNOTATOR_REQUIRE_PG=1`` (set by ``.ci/run``) turns
"no PostgreSQL here" from a skip into a failure.

The server binaries are looked for where Debian/Ubuntu (``/usr/lib/postgresql/*/bin``) and then
Fedora and others (``initdb`` on ``PATH``) put them, or only in ``ANNOTATOR_PG_BIN``'s folder
when that is set (a test sets it to an empty folder to see the suite without PostgreSQL).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

URL_VARIABLE = "ANNOTATOR_TEST_PG"  # a server already running: postgresql://postgres@host:port/
REQUIRE_VARIABLE = "ANNOTATOR_REQUIRE_PG"
BIN_VARIABLE = "ANNOTATOR_PG_BIN"  # the folder holding initdb and pg_ctl, instead of looking


class NoServer(Exception):
    """No PostgreSQL server can be started here; the message says why."""


def binaries() -> Path:
    """The folder holding ``initdb`` and ``pg_ctl`` (the newest installed version)."""
    given = os.environ.get(BIN_VARIABLE)
    if given is not None:
        found = [str(Path(given) / "initdb")] if (Path(given) / "initdb").exists() else []
    else:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
        on_path = shutil.which("initdb")
        if not found and on_path:
            found = [on_path]
    found = [path for path in found if (Path(path).parent / "pg_ctl").exists()]
    if not found:
        raise NoServer(
            "PostgreSQL's server is not installed (no initdb and pg_ctl"
            + (f" in {BIN_VARIABLE}={given}" if given is not None else "")
            + "): `sudo apt install postgresql` (Fedora: postgresql-server) runs these tests"
        )
    return Path(found[-1]).parent


def unavailable() -> str | None:
    """Why no server can be had here (none given in ``ANNOTATOR_TEST_PG``, none installed to
    start), or None."""
    if os.environ.get(URL_VARIABLE):
        return None
    try:
        binaries()
    except NoServer as exc:
        return str(exc)
    return None


def _version(path: str) -> int:
    part = Path(path).parent.parent.name
    return int(part) if part.isdigit() else 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(*command: str) -> list[str]:
    """Run as the ``postgres`` user when we are root (PostgreSQL refuses to run as root)."""
    if os.geteuid() != 0:
        return list(command)
    _postgres_user()
    return ["runuser", "-u", "postgres", "--", *command]


@contextmanager
def cluster(hba: Sequence[str] = ()) -> Iterator[str]:
    """Start a cluster; yield its server URL (``postgresql://postgres@127.0.0.1:PORT``).

    ``hba``: ``pg_hba.conf`` lines put before the default ones (which trust everyone), e.g. to
    make one role sign in with a password."""
    bin_dir = binaries()
    folder = Path(tempfile.mkdtemp(prefix="annotator-pg-"))
    data = folder / "data"
    data.mkdir()
    if os.geteuid() == 0:
        user = _postgres_user()
        for path in (folder, data):
            os.chown(path, user.pw_uid, user.pw_gid)
    port = free_port()
    run = dict(check=True, capture_output=True, text=True)
    try:
        subprocess.run(
            _as_postgres(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"),
            **run,
        )
        if hba:
            conf = data / "pg_hba.conf"
            conf.write_text("\n".join(hba) + "\n" + conf.read_text())
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_postgres(
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(folder / "log"),
                "-w",
                "start",
            ),
            **run,
        )
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise NoServer(f"could not start PostgreSQL: {exc.stderr.strip() or exc}") from exc
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_postgres(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"),
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


def _postgres_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam("postgres")
    except KeyError as exc:
        raise NoServer("running as root and there is no `postgres` user") from exc


def admin(server: str, *statements: str) -> None:
    """Run statements on the server's ``postgres`` database, outside any transaction."""
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def new_database(server: str, template: str | None = None) -> str:
    """A fresh empty database on ``server`` (or a copy of the database at URL ``template``, which
    no one may be connected to); its URL."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    statement = f'CREATE DATABASE "{name}"'
    if template:
        statement += f' TEMPLATE "{template.rsplit("/", 1)[1]}"'
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        if template and connection.info.server_version >= 150000:
            # PostgreSQL 15's default (WAL_LOG) writes every page of the copy to the WAL: three
            # times slower than copying the files for a database this small
            statement += " STRATEGY FILE_COPY"
        connection.execute(statement)
    return f"{server}/{name}"


def seal(server: str, url: str) -> None:
    """Refuse connections to the database at ``url`` from now on: a template must stay as it
    is, and copying it needs it unused (it can still be copied and dropped)."""
    admin(server, f'ALTER DATABASE "{url.rsplit("/", 1)[1]}" ALLOW_CONNECTIONS false')


def drop_database(server: str, url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
