import io

import pytest

from annotator.core.progress import Cancelled, tell
from annotator.terminal_progress import TerminalProgress


def test_tell_raises_cancelled_when_the_listener_says_stop():
    seen = []
    tell(lambda done, total: seen.append((done, total)), 3, 10)
    assert seen == [(3, 10)]
    with pytest.raises(Cancelled, match="out.jsonl: cancelled; nothing was changed"):
        tell(lambda done, total: False, 4, 10, "out.jsonl")
    tell(None, 5, 10)


def test_the_bar_is_silent_when_stderr_is_not_a_terminal():
    stream = io.StringIO()
    with TerminalProgress("Exporting", stream) as bar:
        assert bar(5, 10) is True
    assert stream.getvalue() == ""


def test_the_bar_draws_and_clears_on_a_terminal():
    stream = io.StringIO()
    with TerminalProgress("Exporting", stream, force=True) as bar:
        bar(0, 4)
        bar(4, 4)
    out = stream.getvalue()
    assert "Exporting" in out and "100%" in out and "4/4" in out
    assert out.endswith("\r\033[K")
    assert TerminalProgress("Reading", stream).line(1234, None) == "Reading: 1,234"
