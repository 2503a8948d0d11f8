"""The benchmark suite runs: every scenario once at the smallest size, rows well-formed.

No timing is asserted here; ``make bench`` measures.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from benchmarks import report, runner
from benchmarks.rows import Row, Target

SCENARIOS = runner.discover()


def test_every_scenario_module_is_found() -> None:
    assert {s.name for s in SCENARIOS} >= set(runner.ORDER)


@pytest.fixture(scope="module")
def rows(qapp: object) -> list[Row]:  # pytest-qt's QApplication: the harness uses it as it is
    return runner.run(SCENARIOS, quick=True, log=False)


def test_each_scenario_gives_rows(rows: list[Row]) -> None:
    assert len({row.scenario for row in rows}) >= len(SCENARIOS)


def test_rows_are_well_formed(rows: list[Row]) -> None:
    for row in rows:
        assert row.scenario and row.size and row.runs == 1, row
        assert math.isfinite(row.value) and row.value > 0, row
        assert row.baseline is not None and math.isfinite(row.baseline) and row.baseline > 0, row
        assert row.ratio is not None and math.isfinite(row.ratio), row
        assert row.holds is (None if row.target is None else row.target.holds(row.value, row.ratio))


def test_targets_are_stated(rows: list[Row]) -> None:
    targeted = [row for row in rows if row.target is not None]
    assert len(targeted) >= 7  # open, keystroke, undo, scroll, export, import, memory
    assert all(isinstance(row.holds, bool) for row in targeted)


def test_report_has_every_row_and_the_machine(rows: list[Row], tmp_path: Path) -> None:
    out = tmp_path / "results.md"
    report.write(out, rows, 1.0, "python -m benchmarks --quick")
    text = out.read_text(encoding="utf-8")
    for row in rows:
        assert row.scenario in text
    for key in ("CPU", "Cores", "RAM", "Python", "PySide6 / Qt", "SQLite", "SQLAlchemy"):
        assert f"- {key}: " in text


def test_target_arithmetic() -> None:
    both = Target(max_ratio=2, max_value=1000)
    assert both.holds(900, 1.9) and not both.holds(1100, 1.5) and not both.holds(900, 2.5)
    assert not Target(max_ratio=1.5).holds(1, None)
    row = Row("x", "small", 1, 30.0, baseline=10.0, target=Target(max_ratio=2))
    assert row.ratio == pytest.approx(3.0) and row.holds is False
