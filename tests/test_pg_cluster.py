"""Where PostgreSQL's server binaries are installed the tests start their own cluster; where they
are not, the server tests skip with one reason and the run passes (a machine set up from the
README's first apt line)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import pg_cluster

ROOT = Path(__file__).resolve().parent.parent


def test_the_binaries_are_found_in_the_given_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(pg_cluster.BIN_VARIABLE, str(tmp_path))
    monkeypatch.delenv(pg_cluster.URL_VARIABLE, raising=False)  # .ci/run gives its own server
    with pytest.raises(pg_cluster.NoServer, match="sudo apt install postgresql"):
        pg_cluster.binaries()
    (tmp_path / "initdb").touch()
    assert pg_cluster.unavailable() is not None  # initdb without pg_ctl starts nothing
    (tmp_path / "pg_ctl").touch()
    assert pg_cluster.binaries() == tmp_path and pg_cluster.unavailable() is None


def test_a_given_server_needs_no_binaries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pg_cluster.BIN_VARIABLE, str(tmp_path))
    monkeypatch.setenv(pg_cluster.URL_VARIABLE, "postgresql://postgres@127.0.0.1:1")
    assert pg_cluster.unavailable() is None


def test_without_postgresql_the_server_tests_skip_with_one_reason_and_pass(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in (pg_cluster.URL_VARIABLE, pg_cluster.REQUIRE_VARIABLE)
    }
    env[pg_cluster.BIN_VARIABLE] = str(tmp_path)  # an empty folder: no PostgreSQL here
    env["QT_QPA_PLATFORM"] = "offscreen"
    tests = [
        "tests/test_bench_smoke.py::test_each_server_scenario_gives_well_formed_rows",
        "tests/test_bench_smoke.py::test_the_server_scenarios_are_marked",
        "tests/test_store.py::test_foreign_keys_are_enforced_and_cascade",
    ]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    summary = result.stdout.splitlines()[-1]
    assert "2 passed, 2 skipped" in summary and "error" not in summary, summary
    skipped = [line for line in result.stdout.splitlines() if line.startswith("SKIPPED")]
    # pytest -ra: one line for each skipped test's place, each with the reason
    assert len(skipped) == 2, skipped
    assert all("sudo apt install postgresql" in line for line in skipped), skipped
