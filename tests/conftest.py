"""Shared fixtures. Qt must be told to draw offscreen before any QApplication exists."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from annotator.store.project import Project  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE = ROOT / "resources" / "cambodia-tier2.txt"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    return tmp_path / "test.annot"


@pytest.fixture
def project(project_path: Path):
    with Project.open(project_path) as opened:
        yield opened


@pytest.fixture
def sample_project(project: Project) -> Project:
    """A project holding the sample article, as on first run."""
    from annotator.service import import_file

    import_file(project, SAMPLE)
    return project


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"../shared is not beside the checkout (looked in {SHARED})")
    return SHARED
