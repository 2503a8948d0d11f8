"""Which project arguments name a PostgreSQL database: pure text, for the window's dialog too."""

from __future__ import annotations

import re

#: every URL that means a PostgreSQL database, supported or not (``postgres://``,
#: ``postgresql+asyncpg://``): taken for a server address, so that one the program cannot use is
#: refused as such (without its password) rather than looked for as a file named after it
POSTGRES_URL = re.compile(r"postgres(ql)?(\+[^:/]*)?://", re.IGNORECASE)
#: a libpq connection string (``host=db dbname=news user=ann``) starts with one of its keywords
CONNINFO = re.compile(
    r"\s*(host|hostaddr|port|dbname|user|password|passfile|service|sslmode|connect_timeout)\s*="
)


def names_server(text: str) -> bool:
    """Whether ``text`` is a PostgreSQL URL or a libpq connection string."""
    return POSTGRES_URL.match(text) is not None or CONNINFO.match(text) is not None
