"""Writing output files and folders so that a failed or interrupted export never leaves half of
one behind, and a finished one gets the permissions any new file of the user's would have."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from annotator.core.errors import AnnotatorError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _cannot_write(target: Path, exc: OSError) -> AnnotatorError:
    return AnnotatorError(target, f"cannot be written ({exc.strerror or exc})")


@contextmanager
def atomic_file(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; it replaces ``target`` only on success."""
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
        os.close(handle)
    except OSError as exc:
        raise _cannot_write(target, exc) from exc
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private (0600)
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise _cannot_write(target, exc) from exc
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_text_writer(path: Path) -> Iterator[IO[str]]:
    """A UTF-8 text stream (newlines ``\\n``) that becomes ``path`` only once it is complete."""
    with atomic_file(path) as temporary:
        try:
            with temporary.open("w", encoding="utf-8", newline="\n") as out:
                yield out
                out.flush()
                os.fsync(out.fileno())
        except OSError as exc:
            raise _cannot_write(path, exc) from exc


@contextmanager
def atomic_folder(target: Path, allowed: tuple[str, ...]) -> Iterator[Path]:
    """Yield a temporary folder beside ``target``; on success it becomes ``target``.

    An existing ``target`` is replaced only when it is empty or holds nothing but files whose
    names end with one of ``allowed`` (a previous export); anything else is refused untouched.
    """
    if target.exists():
        if not target.is_dir():
            raise AnnotatorError(target, "exists and is not a folder")
        strangers = [p.name for p in target.iterdir() if not p.name.endswith(allowed)]
        if strangers:
            raise AnnotatorError(
                target,
                f"is a folder holding other files ({strangers[0]!r}); "
                "choose an empty or new folder",
            )
    try:
        temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent or "."))
    except OSError as exc:
        raise _cannot_write(target, exc) from exc
    try:
        yield temporary
        os.chmod(temporary, 0o777 & ~_umask())  # mkdtemp makes it private (0700)
        if target.exists():
            old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
            os.replace(target, old)
            os.replace(temporary, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(temporary, target)
    except OSError as exc:
        shutil.rmtree(temporary, ignore_errors=True)
        raise _cannot_write(target, exc) from exc
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
