"""Before Qt starts: are the system libraries PySide6 and its platform plugin link against there?

PySide6's wheel ships Qt itself but not the system libraries Qt links against (GL, EGL,
fontconfig, GLib, D-Bus, xkbcommon, and on X11 the xcb family). When one of them is missing,
importing PySide6 raises an ``ImportError`` and Qt's platform plugin aborts the process with a
message that names ``libxcb-cursor0`` whatever is actually missing. This check loads each
library by its soname, the way the dynamic loader will, and names the Debian/Ubuntu and Fedora
packages of those it cannot find, in one line, before any Qt is imported.

:data:`LIBRARIES` is every soname outside the wheel that PySide6's QtCore, QtGui, QtWidgets and
QtSvg and the xcb, offscreen and wayland platform plugins link against (their ``DT_NEEDED``
entries, followed through the wheel's own libraries); ``tests/test_qt_libraries.py`` reads the
installed wheel and fails when a new one appears without a package here.
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from importlib.util import find_spec
from pathlib import Path
from typing import NamedTuple


class Library(NamedTuple):
    debian: str  # Debian 12 / Ubuntu 24.04 package (apt resolves Ubuntu's *t64 renames)
    fedora: str
    needed_by: str  # "qt": any start of Qt, offscreen included; "xcb", "wayland": that platform


#: Debian packages every Debian/Ubuntu system has (priority required): the README need not name
#: them, but the check still loads their libraries.
ALWAYS_INSTALLED = frozenset({"libc6", "libstdc++6", "libgcc-s1", "zlib1g", "libzstd1"})

LIBRARIES: dict[str, Library] = {
    # the C and C++ runtimes
    "libc.so.6": Library("libc6", "glibc", "qt"),
    "libm.so.6": Library("libc6", "glibc", "qt"),
    "libdl.so.2": Library("libc6", "glibc", "qt"),
    "libpthread.so.0": Library("libc6", "glibc", "qt"),
    "ld-linux-x86-64.so.2": Library("libc6", "glibc", "qt"),
    "ld-linux-aarch64.so.1": Library("libc6", "glibc", "qt"),
    "libstdc++.so.6": Library("libstdc++6", "libstdc++", "qt"),
    "libgcc_s.so.1": Library("libgcc-s1", "libgcc", "qt"),
    "libz.so.1": Library("zlib1g", "zlib", "qt"),
    "libzstd.so.1": Library("libzstd1", "libzstd", "qt"),
    # QtCore, QtGui (offscreen too) and QtDBus
    "libglib-2.0.so.0": Library("libglib2.0-0", "glib2", "qt"),
    "libgthread-2.0.so.0": Library("libglib2.0-0", "glib2", "qt"),
    "libdbus-1.so.3": Library("libdbus-1-3", "dbus-libs", "qt"),
    "libGL.so.1": Library("libgl1", "libglvnd-glx", "qt"),
    "libEGL.so.1": Library("libegl1", "libglvnd-egl", "qt"),
    "libfontconfig.so.1": Library("libfontconfig1", "fontconfig", "qt"),
    "libfreetype.so.6": Library("libfreetype6", "freetype", "qt"),
    "libxkbcommon.so.0": Library("libxkbcommon0", "libxkbcommon", "qt"),
    "libX11.so.6": Library("libx11-6", "libX11", "qt"),
    # the X11 platform plugin (libqxcb.so, libQt6XcbQpa.so)
    "libX11-xcb.so.1": Library("libx11-xcb1", "libX11-xcb", "xcb"),
    "libxcb.so.1": Library("libxcb1", "libxcb", "xcb"),
    "libxcb-cursor.so.0": Library("libxcb-cursor0", "xcb-util-cursor", "xcb"),
    "libxcb-icccm.so.4": Library("libxcb-icccm4", "xcb-util-wm", "xcb"),
    "libxcb-image.so.0": Library("libxcb-image0", "xcb-util-image", "xcb"),
    "libxcb-keysyms.so.1": Library("libxcb-keysyms1", "xcb-util-keysyms", "xcb"),
    "libxcb-randr.so.0": Library("libxcb-randr0", "libxcb", "xcb"),
    "libxcb-render.so.0": Library("libxcb-render0", "libxcb", "xcb"),
    "libxcb-render-util.so.0": Library("libxcb-render-util0", "xcb-util-renderutil", "xcb"),
    "libxcb-shape.so.0": Library("libxcb-shape0", "libxcb", "xcb"),
    "libxcb-shm.so.0": Library("libxcb-shm0", "libxcb", "xcb"),
    "libxcb-sync.so.1": Library("libxcb-sync1", "libxcb", "xcb"),
    "libxcb-util.so.1": Library("libxcb-util1", "xcb-util", "xcb"),
    "libxcb-xfixes.so.0": Library("libxcb-xfixes0", "libxcb", "xcb"),
    "libxcb-xkb.so.1": Library("libxcb-xkb1", "libxcb", "xcb"),
    "libxkbcommon-x11.so.0": Library("libxkbcommon-x11-0", "libxkbcommon-x11", "xcb"),
    # the Wayland platform plugin: a Wayland desktop has these (Qt falls back to xcb without)
    "libwayland-client.so.0": Library("libwayland-client0", "libwayland-client", "wayland"),
    "libwayland-cursor.so.0": Library("libwayland-cursor0", "libwayland-cursor", "wayland"),
}


def uses_xcb(environ: Mapping[str, str]) -> bool:
    """Whether Qt will pick its X11 (xcb) platform plugin in this environment."""
    if not sys.platform.startswith("linux"):
        return False
    platform = environ.get("QT_QPA_PLATFORM", "").strip()
    if platform:
        return platform.split(";")[0].split(":")[0] == "xcb"
    wayland = bool(environ.get("WAYLAND_DISPLAY")) or environ.get("XDG_SESSION_TYPE") == "wayland"
    return not wayland


def _bundled_folders() -> list[Path]:
    """Folders that ship their own copies (PySide6's Qt/lib, a PyInstaller bundle)."""
    folders = []
    spec = find_spec("PySide6")
    if spec is not None and spec.origin:
        folders.append(Path(spec.origin).parent / "Qt" / "lib")
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        folders.append(Path(bundle))
    return folders


def _loadable(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing_libraries(
    environ: Mapping[str, str] = os.environ,
    load: Callable[[str], bool] = _loadable,
    folders: Iterable[Path] | None = None,
) -> list[str]:
    """The sonames Qt will need in ``environ`` that neither load nor ship beside Qt."""
    if not sys.platform.startswith("linux"):
        return []
    wanted = {"qt", "xcb"} if uses_xcb(environ) else {"qt"}
    shipped = list(_bundled_folders() if folders is None else folders)
    return [
        soname
        for soname, library in LIBRARIES.items()
        if library.needed_by in wanted
        and not soname.startswith("ld-linux")  # the loader running this very process
        and not any((folder / soname).exists() for folder in shipped)
        and not load(soname)
    ]


def install_line(missing: Iterable[str]) -> str:
    """'X is missing; install it with: sudo apt install …  (Fedora: sudo dnf install …)'."""
    missing = list(missing)
    known = [LIBRARIES[soname] for soname in missing if soname in LIBRARIES]
    one = len(missing) == 1
    line = f"{', '.join(missing)} {'is' if one else 'are'} missing; "
    if len(known) < len(missing):
        return line + "install the package that provides " + ("it" if one else "them")
    debian = " ".join(dict.fromkeys(library.debian for library in known))
    fedora = " ".join(dict.fromkeys(library.fedora for library in known))
    return (
        f"{line}install {'it' if one else 'them'} with: sudo apt install {debian} "
        f"(Fedora: sudo dnf install {fedora})"
    )


def problem(
    environ: Mapping[str, str] = os.environ,
    load: Callable[[str], bool] = _loadable,
    folders: Iterable[Path] | None = None,
) -> str | None:
    """One line naming the packages to install, or None when Qt can start."""
    missing = missing_libraries(environ, load, folders)
    return f"Qt cannot start: {install_line(missing)}" if missing else None


_UNLOADABLE = re.compile(r"([\w.+-]+\.so(?:\.[\w]+)*): cannot open shared object file")


def explain(error: BaseException) -> str | None:
    """The one line for an import that failed on a missing shared library (one the check did not
    foresee: a new PySide6, another extension module), or None for any other error."""
    if not isinstance(error, ImportError | OSError):
        return None
    found = _UNLOADABLE.search(str(error))
    if found is None:
        return None
    soname = found.group(1)
    return f"{'Qt ' if soname in LIBRARIES else ''}cannot start: {install_line([soname])}"
