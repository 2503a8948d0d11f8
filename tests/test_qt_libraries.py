"""The system libraries Qt needs: every one the installed PySide6 wheel links against has its
Debian and Fedora package in ``qt_libraries.LIBRARIES``, the README's apt line installs them, and
a missing one ends any start of Qt in one line naming it and its packages (never "internal
error")."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from annotator import qt_libraries
from tests.helpers.elf import needed

ROOT = Path(__file__).resolve().parent.parent
#: What Annotator imports of PySide6 (tests/test_layering.py keeps gui/ to these) and the
#: platform plugins it may start on.
MODULES = ("QtCore", "QtGui", "QtWidgets", "QtSvg")
PLUGINS = {"offscreen": "qt", "xcb": "xcb", "wayland": "wayland"}

linux_wheel = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads the Linux wheel's ELF files"
)


def _wheel() -> tuple[Path, dict[str, Path]]:
    import PySide6
    import shiboken6

    pyside = Path(PySide6.__file__).parent
    shipped = {
        path.name: path
        for folder in (pyside, Path(shiboken6.__file__).parent)
        for path in folder.rglob("*.so*")
        if path.is_file()
    }
    return pyside, shipped


def _outside(start: list[Path], shipped: dict[str, Path]) -> dict[str, str]:
    """The sonames outside the wheel that ``start`` needs, directly or through the wheel's own
    libraries (as ``ldd`` resolves them), each with one file of the wheel that needs it."""
    outside: dict[str, str] = {}
    seen: set[str] = set()
    todo = list(start)
    while todo:
        path = todo.pop()
        for soname in needed(path):
            if soname in shipped:
                if soname not in seen:
                    seen.add(soname)
                    todo.append(shipped[soname])
            else:
                outside.setdefault(soname, path.name)
    return outside


@linux_wheel
def test_every_library_the_wheel_needs_has_its_packages() -> None:
    pyside, shipped = _wheel()
    modules = [pyside / f"{module}.abi3.so" for module in MODULES]
    assert all(path.exists() for path in modules), modules
    for plugin, group in PLUGINS.items():
        start = [*modules, pyside / "Qt" / "plugins" / "platforms" / f"libq{plugin}.so"]
        for soname, by in _outside(start, shipped).items():
            library = qt_libraries.LIBRARIES.get(soname)
            assert library is not None, f"{soname} (needed by {by}) has no packages in LIBRARIES"
            # the check for this platform must load it
            assert library.needed_by in ("qt", group), (soname, library, plugin)


@linux_wheel
def test_the_offscreen_platform_needs_nothing_beyond_the_qt_group() -> None:
    """What a screenshot, the PDF report and the tests need is checked without a display."""
    pyside, shipped = _wheel()
    start = [pyside / f"{m}.abi3.so" for m in MODULES]
    start.append(pyside / "Qt" / "plugins" / "platforms" / "libqoffscreen.so")
    for soname in _outside(start, shipped):
        assert qt_libraries.LIBRARIES[soname].needed_by == "qt", soname


def test_the_readme_apt_line_installs_every_package_qt_needs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = re.search(r"sudo apt install ((?:[^\n]*\\\n)*[^\n]*)", readme)
    assert line is not None
    named = set(line.group(1).replace("\\\n", " ").split())
    wanted = {
        library.debian
        for library in qt_libraries.LIBRARIES.values()
        if library.needed_by in ("qt", "xcb")
    } - qt_libraries.ALWAYS_INSTALLED
    assert wanted - named == set()
    fedora = re.search(r"sudo dnf install ([^`]*)`", readme)
    assert fedora is not None
    wanted = {lib.fedora for lib in qt_libraries.LIBRARIES.values() if lib.needed_by != "wayland"}
    assert wanted - set(fedora.group(1).split()) <= {
        "glibc",
        "libstdc++",
        "libgcc",
        "zlib",
        "libzstd",
    }


def test_a_missing_library_is_one_line_with_debian_and_fedora_packages() -> None:
    missing = {"libglib-2.0.so.0", "libgthread-2.0.so.0", "libdbus-1.so.3"}
    line = qt_libraries.problem(
        {"QT_QPA_PLATFORM": "offscreen"}, load=lambda soname: soname not in missing, folders=[]
    )
    assert line == (
        "Qt cannot start: libglib-2.0.so.0, libgthread-2.0.so.0, libdbus-1.so.3 are missing; "
        "install them with: sudo apt install libglib2.0-0 libdbus-1-3 "
        "(Fedora: sudo dnf install glib2 dbus-libs)"
    )


def test_offscreen_checks_qt_s_libraries_but_not_x11_s() -> None:
    xcb_only = {s for s, lib in qt_libraries.LIBRARIES.items() if lib.needed_by == "xcb"}
    load = lambda soname: soname not in xcb_only  # noqa: E731
    assert qt_libraries.problem({"QT_QPA_PLATFORM": "offscreen"}, load=load, folders=[]) is None
    line = qt_libraries.problem({"QT_QPA_PLATFORM": "xcb"}, load=load, folders=[])
    assert line is not None and "libxcb-cursor0" in line and "xcb-util-cursor" in line


def test_an_unforeseen_missing_library_is_explained_not_called_a_bug() -> None:
    error = ImportError("libglib-2.0.so.0: cannot open shared object file: No such file or dir")
    assert qt_libraries.explain(error) == (
        "Qt cannot start: libglib-2.0.so.0 is missing; install it with: "
        "sudo apt install libglib2.0-0 (Fedora: sudo dnf install glib2)"
    )
    other = ImportError("libfoo-3.so.2: cannot open shared object file: No such file or directory")
    assert qt_libraries.explain(other) == (
        "cannot start: libfoo-3.so.2 is missing; install the package that provides it"
    )
    assert qt_libraries.explain(ImportError("No module named 'x'")) is None
    assert qt_libraries.explain(ValueError("libx.so.1: cannot open shared object file")) is None


def test_the_window_ends_in_one_line_when_qt_fails_to_load_a_library(tmp_path: Path) -> None:
    """A PySide6 whose import fails as the real one does without GLib (what a new PySide6 with
    a library the table lacks would do): the window's start names the library, exit 2."""
    fake = tmp_path / "fake" / "PySide6"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(
        'raise ImportError("libglib-2.0.so.0: cannot open shared object file: '
        'No such file or directory")\n',
        encoding="utf-8",
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(fake.parent)}
    env.pop("ANNOTATOR_DEBUG", None)
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("annotator")),
            "--screenshot",
            str(tmp_path / "s.png"),
            str(tmp_path / "p.annot"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr == (
        "annotator: error: Qt cannot start: libglib-2.0.so.0 is missing; install it with: "
        "sudo apt install libglib2.0-0 (Fedora: sudo dnf install glib2)\n"
    )
    assert not (tmp_path / "s.png").exists() and not (tmp_path / "p.annot").exists()
