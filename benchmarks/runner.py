"""Finds the scenarios (``SCENARIOS`` of every ``bench_*.py``), runs them, prints the table."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import benchmarks
from benchmarks.generate import SIZES, SMALLEST
from benchmarks.rows import Row, Scenario

ORDER = (
    "open",
    "open-relations",
    "edit",
    "scroll",
    "export",
    "import",
    "batch",
    "memory",
    "agreement",
    "merge",
    "suggest",
    "process",
    "corpus",
)
RESULTS = Path(__file__).with_name("results.md")


def discover() -> list[Scenario]:
    found: list[Scenario] = []
    for module in pkgutil.iter_modules(benchmarks.__path__):
        if module.name.startswith("bench_"):
            # a bench_*.py without SCENARIOS is a script of its own (python -m benchmarks.X)
            found += getattr(importlib.import_module(f"benchmarks.{module.name}"), "SCENARIOS", [])
    rank = {name: n for n, name in enumerate(ORDER)}
    return sorted(found, key=lambda s: (rank.get(s.name, len(ORDER)), s.name))


def run(
    scenarios: Sequence[Scenario], quick: bool = False, repeat: int | None = None, log: bool = True
) -> list[Row]:
    """Every scenario at its sizes (``quick``: the smallest size only, ``repeat`` 1)."""
    from benchmarks.harness import workspace

    rows: list[Row] = []
    with workspace() as ws:
        for scenario in scenarios:
            sizes = [SMALLEST] if quick else [SIZES[name] for name in scenario.sizes]
            count = repeat or (1 if quick else scenario.repeat)
            for size in sizes:
                started = time.perf_counter()
                rows += scenario.run(ws, size, count)
                if log:
                    print(
                        f"  {scenario.name} at {size.name} ×{count}: "
                        f"{time.perf_counter() - started:.1f} s",
                        file=sys.stderr,
                        flush=True,
                    )
    return rows


def without_server_if_none(scenarios: Sequence[Scenario]) -> list[Scenario]:
    """``scenarios``, less those that need a PostgreSQL server where none can be had (said in
    one line on stderr)."""
    from tests.helpers import pg_cluster

    on_server = [s.name for s in scenarios if s.needs_server]
    reason = pg_cluster.unavailable() if on_server else None
    if reason is None:
        return list(scenarios)
    print(f"skipped {', '.join(on_server)}: {reason}", file=sys.stderr)
    return [s for s in scenarios if not s.needs_server]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="the smallest size, one run each (results.md is left alone)",
    )
    parser.add_argument("--only", default="", help=f"comma-separated scenarios: {ORDER}")
    parser.add_argument("--repeat", type=int, help="runs per scenario instead of its own count")
    parser.add_argument(
        "--out",
        type=Path,
        help=f"write the results here (default: {RESULTS} for a full run of every scenario)",
    )
    args = parser.parse_args(argv)
    from benchmarks import report

    scenarios = discover()
    if args.only:
        wanted = set(args.only.split(","))
        unknown = wanted - {s.name for s in scenarios}
        if unknown:
            parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
        scenarios = [s for s in scenarios if s.name in wanted]
    scenarios = without_server_if_none(scenarios)
    started = time.perf_counter()
    rows = run(scenarios, quick=args.quick, repeat=args.repeat)
    seconds = time.perf_counter() - started
    print(report.table(rows))
    print(f"\nsuite run time: {seconds:.0f} s")
    full = not (args.quick or args.only or args.repeat)
    out = args.out or (RESULTS if full else None)
    if out is not None:
        command = "python -m benchmarks " + " ".join(argv if argv is not None else sys.argv[1:])
        report.write(out, rows, seconds, command.strip())
        print(f"written to {out}")
    return 0  # a target that does not hold is reported, not an error
