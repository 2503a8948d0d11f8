"""What a path names, and the one check every file Annotator reads passes first.

A FIFO opened for reading waits for a writer forever, a device may never end and a socket cannot
be opened at all: a project, an article, a codebook, a patterns or gold file and a merge source
must each be a regular file (through a symbolic link is fine), and are refused otherwise before
they are opened. (Outputs have their own check, ``annotator.io.files.check_target``.)
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from annotator.core.errors import AnnotatorError


def kind(mode: int) -> str:
    """What a file of ``mode`` (``st_mode``) is, for a message: "a FIFO (named pipe)", …"""
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def check_source(
    path: Path,
    what: str = "a regular file",
    error: type[AnnotatorError] = AnnotatorError,
) -> None:
    """Refuse (``error`` naming ``path``: "is a FIFO (named pipe), not ``what``") an input that
    is not a regular file. A missing path passes: whoever opens it says so, or creates it."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError as exc:
        raise error(path, f"cannot be read ({exc.strerror or exc})") from exc
    if not stat.S_ISREG(mode):
        raise error(path, f"is {kind(mode)}, not {what}")
