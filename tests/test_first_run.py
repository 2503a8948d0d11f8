"""First run: `make run` installs only what running needs, the xcb libraries are checked before
Qt starts, and a mistyped command is an error instead of a new project named after it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from annotator import qt_libraries
from annotator.cli import project_argument_problem, unknown_command

from .test_cli import run

ROOT = Path(__file__).resolve().parent.parent


def test_make_run_installs_the_runtime_only_and_make_test_the_dev_tools() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    rules = dict(re.findall(r"^([\w$()./-]+):[^\n]*\n((?:\t[^\n]*\n)+)", makefile, re.M))
    run_deps = re.search(r"^run: (.*)$", makefile, re.M).group(1)
    test_deps = re.search(r"^test: (.*)$", makefile, re.M).group(1)
    assert run_deps != test_deps
    assert "pip install --quiet -e .\n" in rules[run_deps]
    assert "[dev]" not in rules[run_deps]
    assert "[dev]" in rules[test_deps]


def test_every_resource_folder_is_a_configured_package() -> None:
    """setuptools warns about data folders that are not packages (annotator.resources.icons)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    packages = set(config["setuptools"]["packages"])
    for folder in (ROOT / "resources").rglob("*"):
        if folder.is_dir():
            name = ".".join(("annotator.resources", *folder.relative_to(ROOT / "resources").parts))
            assert name in packages, name
            assert name in config["setuptools"]["package-data"], name


def test_a_missing_xcb_library_names_its_package() -> None:
    missing = {"libxcb-icccm.so.4", "libxcb-keysyms.so.1"}
    line = qt_libraries.problem(
        {"DISPLAY": ":0"}, load=lambda soname: soname not in missing, folders=[]
    )
    assert line is not None and "\n" not in line
    assert line.endswith(
        "sudo apt install libxcb-icccm4 libxcb-keysyms1 "
        "(Fedora: sudo dnf install xcb-util-wm xcb-util-keysyms)"
    )
    assert "libxcb-cursor" not in line


def test_nothing_is_reported_when_every_library_loads_or_x11_s_are_not_needed(
    tmp_path: Path,
) -> None:
    assert qt_libraries.problem({"DISPLAY": ":0"}, load=lambda _s: True, folders=[]) is None
    no_x11 = lambda soname: qt_libraries.LIBRARIES[soname].needed_by != "xcb"  # noqa: E731
    assert qt_libraries.problem({"QT_QPA_PLATFORM": "offscreen"}, load=no_x11, folders=[]) is None
    assert qt_libraries.problem({"WAYLAND_DISPLAY": "wayland-0"}, load=no_x11, folders=[]) is None
    assert qt_libraries.problem({"QT_QPA_PLATFORM": "xcb"}, load=no_x11, folders=[]) is not None
    never = lambda _soname: False  # noqa: E731
    for soname in qt_libraries.LIBRARIES:  # a bundle that ships its own copies
        (tmp_path / soname).touch()
    assert qt_libraries.problem({}, load=never, folders=[tmp_path]) is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 libraries are Linux's")
def test_the_window_refuses_to_start_with_one_line_when_a_library_is_missing(
    tmp_path: Path,
) -> None:
    missing = qt_libraries.missing_libraries({"XDG_SESSION_TYPE": "x11"})
    if not missing:
        pytest.skip("every xcb library is installed here; the fake-loader test covers the line")
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env["XDG_SESSION_TYPE"] = "x11"
    script = Path(sys.executable).with_name("annotator")
    result = subprocess.run(
        [str(script), str(tmp_path / "p.annot")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "sudo apt install" in result.stderr
    assert not (tmp_path / "p.annot").exists()


def test_an_unknown_command_names_the_closest_and_exits_2(tmp_path: Path) -> None:
    result = run("exprot", "p.annot", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "annotator: error: unknown command 'exprot'; did you mean 'export'?\n"
    result = run("xyzzy", "a.annot", "b.annot", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("annotator: error: unknown command 'xyzzy' (commands: ")
    assert list(tmp_path.iterdir()) == []  # no project named after the word


def test_project_argument_rule(tmp_path: Path) -> None:
    existing = tmp_path / "old-project"
    existing.write_bytes(b"")
    assert project_argument_problem(str(existing)) is None
    assert project_argument_problem(str(tmp_path / "new.annot")) is None
    assert "is a folder" in project_argument_problem(str(tmp_path))
    assert "no such project file" in project_argument_problem(str(tmp_path / "notes.txt"))
    assert project_argument_problem("lables") == unknown_command("lables")
    assert "server" in project_argument_problem("https://example.org/p")
