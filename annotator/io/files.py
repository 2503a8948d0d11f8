"""Writing output files so that a failed or interrupted export never leaves half a file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from annotator.core.errors import AnnotatorError


@contextmanager
def atomic_text_writer(path: Path) -> Iterator[IO[str]]:
    """Write to a temporary file beside ``path`` and move it into place only on success."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    except OSError as exc:
        raise AnnotatorError(path, f"cannot be written ({exc.strerror or exc})") from exc
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise AnnotatorError(path, f"cannot be written ({exc.strerror or exc})") from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
