"""Before Qt starts on X11: are the xcb libraries its platform plugin needs installed?

Qt's own message when one is missing names ``libxcb-cursor0`` whatever is actually missing, then
aborts. This check loads each library the plugin links against (the ``NEEDED`` entries of
PySide6's ``libqxcb.so`` and ``libQt6XcbQpa.so``) by its soname, the way the dynamic loader
will, and names the Debian/Ubuntu packages of those it cannot find. No Qt is imported here.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from importlib.util import find_spec
from pathlib import Path

# soname -> Debian 12 / Ubuntu 24.04 package
XCB_LIBRARIES: dict[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
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
    load: Callable[[str], bool] = _loadable, folders: Iterable[Path] | None = None
) -> list[str]:
    """The sonames of :data:`XCB_LIBRARIES` that neither load nor ship beside Qt."""
    shipped = list(_bundled_folders() if folders is None else folders)
    return [
        soname
        for soname in XCB_LIBRARIES
        if not any((folder / soname).exists() for folder in shipped) and not load(soname)
    ]


def problem(
    environ: Mapping[str, str] = os.environ,
    load: Callable[[str], bool] = _loadable,
    folders: Iterable[Path] | None = None,
) -> str | None:
    """One line naming the packages to install, or None when Qt can start (or is not on X11)."""
    if not uses_xcb(environ):
        return None
    missing = missing_libraries(load, folders)
    if not missing:
        return None
    packages = " ".join(dict.fromkeys(XCB_LIBRARIES[soname] for soname in missing))
    return (
        f"Qt cannot start on X11: {', '.join(missing)} "
        f"{'is' if len(missing) == 1 else 'are'} missing; install "
        f"{'it' if len(missing) == 1 else 'them'} with: sudo apt install {packages}"
    )
