"""The retry of write units (``store/retry.py``): every unit has it, a file never needs it, and
what it runs again gets the same arguments. The races themselves: ``test_server_retry.py``."""

from __future__ import annotations

import ast
import logging
from collections.abc import Iterable
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from annotator.core.errors import ProjectError
from annotator.store import retry
from annotator.store.project import Project
from tests.conftest import SAMPLE

PACKAGE = Path(__file__).resolve().parent.parent / "annotator"


def _opens_a_transaction(function: ast.FunctionDef) -> bool:
    return any(
        isinstance(node, ast.With)
        and any(
            isinstance(item.context_expr, ast.Call)
            and isinstance(item.context_expr.func, ast.Attribute)
            and item.context_expr.func.attr == "transaction"
            for item in node.items
        )
        for node in ast.walk(function)
    )


def test_every_function_that_writes_is_a_retried_unit() -> None:
    """A ``with ….transaction()`` block cannot be run again; the function holding it can."""
    bare = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and _opens_a_transaction(node):
                names = {d.id for d in node.decorator_list if isinstance(d, ast.Name)}
                if "retrying" not in names:
                    bare.append(f"{path.relative_to(PACKAGE)}: {node.name}")
    assert bare == []


def test_on_a_file_a_failed_write_runs_once(
    project: Project, caplog: pytest.LogCaptureFixture
) -> None:
    from annotator.service import import_file

    caplog.set_level(logging.INFO, logger=retry.log.name)
    import_file(project, SAMPLE)
    document = project.documents()[0].id
    project.add_annotation(document, "Claim", 0, 9, id="taken")
    with pytest.raises(ProjectError) as caught:
        project.add_annotations(document, "Quote", [(0, 5), (6, 9)], ids=["new", "taken"])
    assert not isinstance(caught.value, retry.WriteConflict)
    assert isinstance(caught.value.__cause__, IntegrityError)
    assert retry.conflict_key(caught.value.__cause__) is None  # SQLite's errors never are
    assert [r for r in caplog.records if r.name == retry.log.name] == []
    assert [a.id for a in project.annotations(document)] == ["taken"]


def _conflict(state: str = "40001") -> retry.WriteConflict:
    return retry.WriteConflict("p", "database error (lost)", (state, "", ""))


def test_a_unit_run_again_gets_the_same_arguments_and_a_nested_unit_runs_once() -> None:
    seen: list[list[int]] = []
    inner_calls = 0

    @retry.retrying
    def inner() -> None:
        nonlocal inner_calls
        inner_calls += 1
        raise _conflict()

    @retry.retrying
    def unit(values: Iterable[int]) -> int:
        seen.append(list(values))
        if len(seen) == 1:
            inner()  # loses a race: the outer unit runs again, not the inner one alone
        return len(seen)

    assert unit(iter([1, 2, 3])) == 2
    assert seen == [[1, 2, 3], [1, 2, 3]] and inner_calls == 1


def test_a_unit_gives_up_after_the_last_attempt() -> None:
    calls = 0

    @retry.retrying
    def unit() -> None:
        nonlocal calls
        calls += 1
        raise _conflict("40P01")

    with pytest.raises(ProjectError, match=rf"\({retry.ATTEMPTS} attempts\)") as caught:
        unit()
    assert calls == retry.ATTEMPTS and not isinstance(caught.value, retry.WriteConflict)
