"""Whether this machine can print the PDF report: WeasyPrint loads Pango from the system
(Debian: libpango-1.0-0 libpangoft2-1.0-0). Tests that print a PDF skip with that reason where
it cannot; the test of the refusal itself runs everywhere."""

from __future__ import annotations

import contextlib
import io

import pytest


def problem() -> str | None:
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # WeasyPrint's banner when it fails
            import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        first = (str(error).splitlines() or [type(error).__name__])[0][:100]
        return (
            "the PDF report needs Pango (Debian: sudo apt install libpango-1.0-0 "
            f"libpangoft2-1.0-0): {first}"
        )
    return None


_PROBLEM = problem()
needs_pdf_printer = pytest.mark.skipif(_PROBLEM is not None, reason=_PROBLEM or "")
