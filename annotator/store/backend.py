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

from annotator.core.errors import ProjectError

if TYPE_CHECKING:  # SQLAlchemy is imported when a server address is made: telling a file from
    from sqlalchemy.engine import URL  # a URL (every start of the window) needs none of it

SERVER_SCHEMES = ("postgresql://", "postgresql+psycopg://")
DRIVER = "postgresql+psycopg"
#: every URL that means a PostgreSQL database, supported or not (``postgres://``,
#: ``postgresql+asyncpg://``): taken for a server address, so that one the program cannot use is
#: refused as such (without its password) rather than looked for as a file named after it
_POSTGRES_URL = re.compile(r"postgres(ql)?(\+[^:/]*)?://", re.IGNORECASE)


def is_server(location: object) -> bool:
    """Whether ``location`` (a project argument) names a project on a PostgreSQL server."""
    if isinstance(location, ServerAddress):
        return True
    return isinstance(location, str) and _POSTGRES_URL.match(location) is not None


class ServerAddress:
    """A project on a server, standing where a project file's path stands.

    ``str()`` is the URL without its password, which is what settings, recent projects, logs,
    error messages and exports may hold; :attr:`url` (password included, when one was given)
    is for the database driver only.
    """

    def __init__(self, url: str | URL) -> None:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            parsed = make_url(url) if isinstance(url, str) else url
        except (ArgumentError, ValueError):  # ValueError: a port that is no number
            raise ProjectError(_redact(str(url)), "is not a valid PostgreSQL URL") from None
        if parsed.get_backend_name() != "postgresql" or parsed.get_driver_name() not in (
            "psycopg",
            "",
        ):
            raise ProjectError(
                _redact(str(url)), "only postgresql:// and postgresql+psycopg:// URLs are supported"
            )
        display = _without_password(parsed.set(drivername="postgresql"))
        if parsed.port is not None and not 0 < parsed.port < 65536:
            raise ProjectError(display, f"port {parsed.port} is not a port (1 to 65535)")
        if not parsed.database:
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
        return self.url.database or ""

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

    return URL.create(
        url.drivername, url.username, None, url.host, url.port, url.database, url.query
    ).render_as_string(hide_password=False)


def _redact(text: str) -> str:
    """A URL-ish string with everything between the first ``:`` and the last ``@`` after its
    scheme hidden (a password may hold ``/``, ``@`` or ``[``: cut wide rather than short)."""
    scheme, sep, rest = text.partition("://")
    if not sep:
        return text
    userinfo, at, host = rest.rpartition("@")
    if not at:
        return text
    return f"{scheme}://{userinfo.split(':', 1)[0]}@{host}"
