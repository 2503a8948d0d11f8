"""Result rows, targets and scenario descriptions (standard library only)."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchmarks.generate import Size
    from benchmarks.harness import Workspace


@dataclass(frozen=True)
class Target:
    """What must hold: the ratio to the baseline, the measured value and/or its growth (the
    value over the same figure at a reference size, e.g. 10k documents against 10) stays under
    a bound."""

    max_ratio: float | None = None
    max_value: float | None = None
    max_growth: float | None = None

    def describe(self, unit: str) -> str:
        parts = []
        if self.max_ratio is not None:
            parts.append(f"≤ {self.max_ratio:g}×")
        if self.max_value is not None:
            parts.append(f"≤ {self.max_value:g} {unit}")
        if self.max_growth is not None:
            parts.append(f"growth ≤ {self.max_growth:g}×")
        return ", ".join(parts)

    def holds(self, value: float, ratio: float | None, growth: float | None = None) -> bool:
        if self.max_ratio is not None and (ratio is None or ratio > self.max_ratio):
            return False
        if self.max_growth is not None and (growth is None or growth > self.max_growth):
            return False
        return self.max_value is None or value <= self.max_value


@dataclass
class Row:
    """One line of the results table. ``value`` is a median over ``runs`` unless ``note`` says
    otherwise; ``baseline`` is the bare cost measured in the same run, in the same unit.
    ``reference``: the same figure at ``reference_size`` in the same run (its growth).
    ``timed_out``: the figure did not finish in ``value`` (a lower bound); a target fails."""

    scenario: str
    size: str
    runs: int
    value: float
    unit: str = "ms"
    baseline: float | None = None
    target: Target | None = None
    note: str = ""
    reference: float | None = None
    reference_size: str = ""
    timed_out: bool = False

    @property
    def growth(self) -> float | None:
        if self.reference is None or not self.reference > 0:  # nan: not measured
            return None
        return self.value / self.reference

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or not self.baseline > 0:  # nan: not measured
            return None
        return self.value / self.baseline

    @property
    def holds(self) -> bool | None:
        """None when the scenario has no target (reported only)."""
        if self.target is None:
            return None
        return not self.timed_out and self.target.holds(self.value, self.ratio, self.growth)


ScenarioFunction = Callable[["Workspace", "Size", int], list[Row]]


@dataclass(frozen=True)
class Scenario:
    """A benchmark: ``run(workspace, size, repeat)`` returns its rows. ``sizes`` and ``repeat``
    are what the full suite uses; the smoke test runs it at the smallest size, once.
    ``needs_server``: it runs on a PostgreSQL server (skipped where none can be had)."""

    name: str
    run: ScenarioFunction
    sizes: tuple[str, ...]
    repeat: int
    needs_server: bool = False


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")
