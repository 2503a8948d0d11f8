"""The benchmark suite runs: every scenario once at the smallest size, rows well-formed.

No timing is asserted here; ``make bench`` measures. The scenarios on a PostgreSQL server run on
the test session's server (``pg_server``) and skip, with its reason, where there is none; the PDF
report scenarios, where the PDF cannot be printed (no Pango).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

from benchmarks import report, runner
from benchmarks.rows import Row, Target
from tests.helpers import pdf_printer, pg_cluster

SCENARIOS = runner.discover()
PDF = [s for s in SCENARIOS if s.name.startswith("report-pdf")]
LOCAL = [
    s for s in SCENARIOS if not s.needs_server and (s not in PDF or pdf_printer.problem() is None)
]
ON_SERVER = [s for s in SCENARIOS if s.needs_server]


def test_every_scenario_module_is_found() -> None:
    assert {s.name for s in SCENARIOS} >= set(runner.ORDER)


def test_the_server_scenarios_are_marked() -> None:
    assert {s.name for s in ON_SERVER} == {"server-edit", "server-export", "server-writers"}


@pytest.fixture(scope="module")
def rows(qapp: object) -> list[Row]:  # pytest-qt's QApplication: the harness uses it as it is
    return runner.run(LOCAL, quick=True, log=False)


@pytest.fixture(scope="module")
def server_rows(qapp: object, pg_server: str) -> list[Row]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(pg_cluster.URL_VARIABLE, pg_server)  # bench_server's server is this one
        return runner.run(ON_SERVER, quick=True, log=False)


@pdf_printer.needs_pdf_printer
def test_the_pdf_scenarios_run_where_the_pdf_can_be_printed() -> None:
    assert PDF and all(s in LOCAL for s in PDF)


def test_each_scenario_gives_rows(rows: list[Row]) -> None:
    assert len({row.scenario for row in rows}) >= len(LOCAL)


def test_each_server_scenario_gives_well_formed_rows(server_rows: list[Row]) -> None:
    assert len({row.scenario for row in server_rows}) >= len(ON_SERVER)
    check_rows(server_rows)


def test_rows_are_well_formed(rows: list[Row]) -> None:
    check_rows(rows)


def check_rows(rows: list[Row]) -> None:
    for row in rows:
        assert row.scenario and row.size and row.runs == 1, row
        assert math.isfinite(row.value) and row.value > 0, row
        assert row.baseline is not None and math.isfinite(row.baseline) and row.baseline > 0, row
        assert row.ratio is not None and math.isfinite(row.ratio), row
        assert row.holds is (
            None
            if row.target is None
            else not row.timed_out and row.target.holds(row.value, row.ratio, row.growth)
        )


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


def test_without_a_server_the_runner_leaves_out_the_server_scenarios(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(pg_cluster.URL_VARIABLE, raising=False)
    monkeypatch.setenv(pg_cluster.BIN_VARIABLE, str(tmp_path))  # no initdb there
    assert runner.without_server_if_none(SCENARIOS) == LOCAL
    line = capsys.readouterr().err
    assert line.startswith("skipped server-") and line.count("\n") == 1
    assert "sudo apt install postgresql" in line


def test_target_arithmetic() -> None:
    both = Target(max_ratio=2, max_value=1000)
    assert both.holds(900, 1.9) and not both.holds(1100, 1.5) and not both.holds(900, 2.5)
    assert not Target(max_ratio=1.5).holds(1, None)
    row = Row("x", "small", 1, 30.0, baseline=10.0, target=Target(max_ratio=2))
    assert row.ratio == pytest.approx(3.0) and row.holds is False
    flat = Target(max_growth=1.5)
    grown = Row("x", "10k documents", 1, 16.0, baseline=1.0, target=flat, reference=10.0)
    assert grown.growth == pytest.approx(1.6) and grown.holds is False
    assert Row("x", "1k", 1, 14.0, baseline=1.0, target=flat, reference=10.0).holds is True
    assert not flat.holds(1.0, 1.0)  # a growth target with no reference does not hold
    late = Row("x", "10k", 1, 300_000.0, baseline=1.0, target=Target(max_ratio=1e9), timed_out=True)
    assert late.holds is False and report.cells(late)[3] == "> 300 s"


def test_growth_column_and_kept_before_section(tmp_path: Path) -> None:
    rows = [
        Row(
            "corpus: x", "10 documents", 1, 10.0, baseline=5.0, reference=10.0, reference_size="10"
        ),
        Row(
            "corpus: x", "1k documents", 1, 12.0, baseline=5.0, reference=10.0, reference_size="10"
        ),
    ]
    assert "| growth |" in report.table(rows) and "1.20× of 10" in report.table(rows)
    assert "growth" not in report.table([Row("x", "small", 1, 1.0, baseline=1.0)])
    out = tmp_path / "results-corpus.md"
    out.write_text("# old\n\n## Before (main at abc1234)\n\n| old table |\n", encoding="utf-8")
    report.write(out, rows, 1.0, "python -m benchmarks --only corpus")
    text = out.read_text(encoding="utf-8")
    assert "# old" not in text and "1.20× of 10" in text
    assert text.endswith("## Before (main at abc1234)\n\n| old table |\n")


def test_a_figure_past_its_time_limit_is_ended_and_reported(tmp_path: Path) -> None:
    from benchmarks.bench_corpus import Jobs, Runs
    from benchmarks.harness import Workspace

    jobs = Jobs(Workspace(tmp_path), limit=1.0)
    runs = Runs()
    jobs.once([sys.executable, "-c", "import time; time.sleep(600)"], runs)
    assert runs.timed_out and not runs.results and not runs.error
