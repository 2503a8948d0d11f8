"""Writing output files and folders so that a failed or interrupted export never leaves half of
one behind, and a finished one gets the permissions any new file of the user's would have.

An export replaces nothing it did not write: a file target must be new or a regular file (the one
the user named), never a symbolic link, FIFO, device or socket; a folder target must be new or
empty, so no file already in it is deleted or replaced (:func:`check_target`).
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from annotator.core import leftovers
from annotator.core.errors import AnnotatorError
from annotator.core.file_kinds import kind


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _temporary_prefix(target: Path) -> str:
    """The hidden name's start; a killed export's leftovers beside ``target`` are swept first
    (core/leftovers.py: ours by name, and untouched for an hour)."""
    leftovers.sweep(target.parent, leftovers.BESIDE[:1])
    return f".{target.name}."


def _cannot_write(target: Path, exc: OSError) -> AnnotatorError:
    return AnnotatorError(target, f"cannot be written ({exc.strerror or exc})")


def check_target(target: Path, folder: bool = False) -> None:
    """Refuse (``AnnotatorError`` naming ``target``) a target an export must not replace.

    A file export may replace a regular file (the one the user named) and nothing else; a folder
    export writes only into a new or an empty folder.
    """
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _cannot_write(target, exc) from exc
    if folder:
        if not stat.S_ISDIR(mode):
            raise AnnotatorError(
                target,
                f"is {kind(mode)}, not a folder; this format writes "
                "a folder of files: choose a new or empty folder",
            )
        try:
            inside = next(iter(sorted(p.name for p in target.iterdir())), None)
        except OSError as exc:
            raise _cannot_write(target, exc) from exc
        if inside is not None:
            raise AnnotatorError(
                target,
                f"the folder is not empty (it holds {inside!r}); an "
                "export writes only into a new or empty folder, so that none of "
                "your files is replaced: choose a new or empty folder",
            )
    elif not stat.S_ISREG(mode):
        raise AnnotatorError(
            target, f"is {kind(mode)}; an export replaces only a regular file: choose a file name"
        )


@contextmanager
def atomic_file(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; it replaces ``target`` only on success."""
    check_target(target)
    prefix = _temporary_prefix(target)
    temporary = target
    try:
        # The name is known before the file exists, so an exception at any moment (SIGTERM
        # turned into SystemExit by the CLI) removes it; mkstemp creates it before it says
        # its name.
        for _attempt in range(100):
            temporary = target.parent / f"{prefix}{secrets.token_hex(4)}{leftovers.EXPORT_SUFFIX}"
            try:
                os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
                break
            except FileExistsError:
                continue
        else:
            raise FileExistsError(errno.EEXIST, "no free temporary name", str(target.parent))
    except OSError as exc:
        raise _cannot_write(target, exc) from exc
    except BaseException:
        if temporary != target:
            temporary.unlink(missing_ok=True)
        raise
    try:
        yield temporary
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private (0600)
        check_target(target)  # again: it may have become a link or a FIFO meanwhile
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
def atomic_folder(target: Path) -> Iterator[Path]:
    """Yield a temporary folder beside ``target``; on success it becomes ``target``.

    ``target`` must be new or an empty folder (:func:`check_target`). Renaming over it is atomic
    and fails, deleting nothing, if a file appeared in it meanwhile.
    """
    check_target(target, folder=True)
    try:
        temporary = Path(
            tempfile.mkdtemp(
                prefix=_temporary_prefix(target), suffix=leftovers.EXPORT_SUFFIX, dir=target.parent
            )
        )
    except OSError as exc:
        raise _cannot_write(target, exc) from exc
    try:
        yield temporary
        os.chmod(temporary, 0o777 & ~_umask())  # mkdtemp makes it private (0700)
        check_target(target, folder=True)
        os.rename(temporary, target)  # replaces only an empty folder (ENOTEMPTY otherwise)
    except OSError as exc:
        shutil.rmtree(temporary, ignore_errors=True)
        raise _cannot_write(target, exc) from exc
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK, effective_ids=os.access in os.supports_effective_ids)


def check_output_file(target: Path) -> None:
    """Refuse, with a one-line reason naming ``target``, a file path that cannot be written:
    a folder, a missing or read-only folder, a read-only file. Nothing is created."""
    folder = target.parent
    if target.is_dir():
        raise AnnotatorError(target, "is a folder; give a file name")
    if not folder.exists():
        raise AnnotatorError(target, f"cannot be written: the folder {folder} does not exist")
    if not folder.is_dir():
        raise AnnotatorError(target, f"cannot be written: {folder} is not a folder")
    if not _writable(folder):
        raise AnnotatorError(target, f"cannot be written: the folder {folder} is read-only")
    if target.exists() and not _writable(target):
        raise AnnotatorError(target, "cannot be written: the file is read-only")
