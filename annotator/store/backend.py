"""File or server: which kind of project a project argument names.

A project is a SQLite file (``news.annot``) or a PostgreSQL database named by a SQLAlchemy URL
(``postgresql://user@host:port/dbname`` or ``postgresql+psycopg://…``). Everything that only
makes sense for a file (PRAGMAs, the header check, WAL, backups, file identity, leftovers) asks
:func:`is_server` first; :class:`ServerAddress` stands where a file's path would.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from annotator.core.errors import ProjectError
from annotator.core.server_names import POSTGRES_URL, names_server

if TYPE_CHECKING:  # SQLAlchemy is imported when a server address is made: telling a file from
    from sqlalchemy.engine import URL  # a URL (every start of the window) needs none of it

SERVER_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://", "postgresql+psycopg2://")
DRIVER = "postgresql+psycopg"
#: the drivers whose URLs mean the same as ours (what psql, Heroku, Django and SQLAlchemy users
#: paste); psycopg 2's are read by psycopg 3 alike
_DRIVERS = ("", "psycopg", "psycopg2")
#: a password given as a parameter (``?password=…`` of a URL, ``password=…`` of a string)
_PASSWORD_PARAMETER = re.compile(r"password\s*=.*", re.IGNORECASE | re.DOTALL)


def is_server(location: object) -> bool:
    """Whether ``location`` (a project argument) names a project on a PostgreSQL server."""
    if isinstance(location, ServerAddress):
        return True
    return isinstance(location, str) and names_server(location)


class ServerAddress:
    """A project on a server, standing where a project file's path stands.

    ``str()`` is the URL without its password, which is what settings, recent projects, logs,
    error messages and exports may hold; :attr:`url` (password included, when one was given)
    is for the database driver only.
    """

    def __init__(self, url: str | URL) -> None:
        parsed = _parse(url) if isinstance(url, str) else url
        display = _without_password(parsed.set(drivername="postgresql"))
        if parsed.get_backend_name() != "postgresql" or parsed.get_driver_name() not in _DRIVERS:
            raise ProjectError(
                display,
                "only postgresql://, postgres://, postgresql+psycopg:// and "
                "postgresql+psycopg2:// URLs are supported",
            )
        if parsed.port is not None and not 0 < parsed.port < 65536:
            raise ProjectError(display, f"port {parsed.port} is not a port (1 to 65535)")
        for host in (parsed.host or "").split(","):
            try:
                if not host.startswith("/"):  # a socket's folder is a path, not a name
                    host.encode("idna")
            except UnicodeError:  # the resolver would fail on it mid-connect
                raise ProjectError(display, f"{host!r} is not a host name") from None
        if not parsed.database and "service" not in parsed.query:
            raise ProjectError(display, "names no database (postgresql://user@host:port/DATABASE)")
        self.url: URL = parsed.set(drivername=DRIVER)
        self._display = display

    def __str__(self) -> str:
        return self._display

    def __repr__(self) -> str:
        return f"ServerAddress({self._display!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ServerAddress) and str(other) == str(self)

    def __hash__(self) -> int:
        return hash(self._display)

    # What views and dialogs ask of a project's path, answered for a server project.
    @property
    def name(self) -> str:
        return self.url.database or str(self.url.query.get("service", ""))

    @property
    def stem(self) -> str:
        return self.name

    @property
    def suffix(self) -> str:
        """The suffix a local copy of this project gets."""
        return ".annot"

    @property
    def parent(self) -> Path:
        """Where files made from this project (exports, codebooks) go by default."""
        return Path.home()

    def with_suffix(self, suffix: str) -> Path:
        return self.parent / f"{self.stem}{suffix}"

    def with_name(self, name: str) -> Path:
        return self.parent / name

    def with_password(self, password: str) -> ServerAddress:
        """This address, logging in with ``password`` (kept in memory only)."""
        return ServerAddress(self.url.set(password=password or None))

    def resolve(self) -> ServerAddress:
        return self

    def absolute(self) -> ServerAddress:
        return self


def location(argument: str | os.PathLike[str]) -> Path | ServerAddress:
    """A project argument as a file path or a server address (argparse's ``type=``)."""
    if is_server(argument):
        return argument if isinstance(argument, ServerAddress) else ServerAddress(str(argument))
    return Path(argument)


def _without_password(url: URL) -> str:
    from sqlalchemy.engine import URL

    query = {key: value for key, value in url.query.items() if key.lower() != "password"}
    return URL.create(
        url.drivername, url.username, None, url.host, url.port, url.database, query
    ).render_as_string(hide_password=False)


def _parse(text: str) -> URL:
    """A URL or a libpq connection string as a SQLAlchemy URL, its password (wherever it was
    given) in :attr:`URL.password` only."""
    if POSTGRES_URL.match(text) is None:
        return _parse_conninfo(text)
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    scheme, _, rest = text.partition("://")
    _backend, plus, driver = scheme.lower().partition("+")
    scheme = f"postgresql{plus}{driver}"  # postgres:// (Heroku, psql) is an alias
    # A password pasted as it is may hold "@", ":", "/", "?" or "#": the user's part ends at
    # the last "@" (cut wide rather than short), the password at its first ":".
    userinfo, at, place = rest.rpartition("@")
    user, colon, password = userinfo.partition(":")
    shown = f"{scheme}://{quote(unquote(user), safe='')}@" if at else f"{scheme}://"
    try:
        parsed = make_url(f"{scheme}://{place}")
    except (ArgumentError, ValueError):  # ValueError: a port that is no number
        raise ProjectError(
            _PASSWORD_PARAMETER.sub("", shown + place), "is not a valid PostgreSQL URL"
        ) from None
    given = parsed.query.get("password")
    if colon:
        given = unquote(password)
    elif isinstance(given, tuple):
        given = given[-1]
    return parsed.set(
        username=unquote(user) if at and user else parsed.username,
        password=given or None,
        query={key: value for key, value in parsed.query.items() if key.lower() != "password"},
    )


def _parse_conninfo(text: str) -> URL:
    """``host=db port=5433 dbname=news user=ann password='…'`` as a URL."""
    from psycopg import Error
    from psycopg.conninfo import conninfo_to_dict
    from sqlalchemy.engine import URL

    try:
        values = {key: str(value) for key, value in conninfo_to_dict(text).items()}
    except Error:  # libpq's message may quote any part of it, the password too
        raise ProjectError(
            "the connection string",
            "is not valid (key=value pairs; a value with spaces in single quotes)",
        ) from None
    port = values.get("port", "")
    return URL.create(
        DRIVER,
        username=values.pop("user", None),
        password=values.pop("password", None),
        host=values.pop("host", None),
        port=int(values.pop("port")) if port.isdigit() else None,
        database=values.pop("dbname", None),
        query=values,
    )
