"""Packaging and desktop integration (packaging/, resources/icons/, CHANGELOG.md).

Pure-Python checks run everywhere; the freedesktop validators run when installed (Debian:
desktop-file-utils, appstream, shared-mime-info; .ci/run installs them) and skip, saying which
package is missing, when not. The bundle itself is built and smoke-tested by `make dist`
(packaging/build.sh, packaging/smoke.sh), which .ci/run runs.
"""

from __future__ import annotations

import configparser
import re
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from annotator.store import fileformat

ROOT = Path(__file__).resolve().parent.parent
LINUX = ROOT / "packaging" / "linux"
ICONS = ROOT / "resources" / "icons"
APP_ID = "org.annotator.Annotator"
MIME_TYPE = "application/x-annotator-project"
ICON_SIZES = (16, 32, 48, 64, 128, 256)
MAIN_CATEGORIES = {
    "AudioVideo",
    "Audio",
    "Video",
    "Development",
    "Education",
    "Game",
    "Graphics",
    "Network",
    "Office",
    "Science",
    "Settings",
    "System",
    "Utility",
}
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"

DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
MIME_XML = LINUX / f"{APP_ID}.mime.xml"


def pyproject() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)


def desktop_entry(path: Path = DESKTOP) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def changelog_releases() -> list[tuple[str, str]]:
    """(version, date) of each release in CHANGELOG.md, newest first."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    return re.findall(r"^## \[(\d[^\]]*)\] - (\d{4}-\d{2}-\d{2})$", text, re.MULTILINE)


def require(tool: str, package: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (Debian package {package}; .ci/run installs it)")
    return path


# -- the application id everywhere -------------------------------------------------------------


def test_the_app_uses_the_application_id() -> None:
    from annotator.gui import app

    assert app.APP_ID == APP_ID
    assert "setDesktopFileName(APP_ID)" in (ROOT / "annotator" / "gui" / "app.py").read_text()


def test_desktop_entry() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Annotator"
    assert entry["Icon"] == APP_ID
    assert entry["Exec"].split()[0] == "annotator"
    assert entry["Exec"].split()[-1] == "%f"  # one project file
    assert entry["MimeType"].split(";") == [MIME_TYPE, ""]
    categories = [c for c in entry["Categories"].split(";") if c]
    assert [c for c in categories if c in MAIN_CATEGORIES] == ["Office"]
    # Qt sets WM_CLASS to (executable, applicationName): docks match the window by the class.
    from annotator.gui import app

    assert entry["StartupWMClass"] == app.APPLICATION


def test_metainfo() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component"
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == pyproject()["project"]["license"]
    assert root.find("launchable[@type='desktop-id']").text == DESKTOP.name
    assert root.findtext("provides/binary") == "annotator"
    assert root.findtext("provides/mediatype") == MIME_TYPE
    image = root.find("screenshots/screenshot[@type='default']/image")
    assert image.text.startswith("https://") and image.text.endswith("/docs/screenshot.png")
    assert (ROOT / "docs" / "screenshot.png").is_file()


def test_newest_release_is_pyprojects_version_and_changelogs() -> None:
    version = pyproject()["project"]["version"]
    releases = ET.parse(METAINFO).getroot().findall("releases/release")
    assert releases, "the metainfo lists no release"
    metainfo = [(r.get("version"), r.get("date")) for r in releases]
    assert metainfo[0][0] == version
    changelog = changelog_releases()
    assert changelog, "CHANGELOG.md has no '## [VERSION] - YYYY-MM-DD' heading"
    assert changelog[0][0] == version
    # Every release in both, with the same dates, newest first.
    assert metainfo == changelog
    assert metainfo == sorted(metainfo, key=lambda r: r[1], reverse=True)
    assert "## [Unreleased]" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_version_shown_is_pyprojects() -> None:
    import annotator

    assert annotator.__version__ == pyproject()["project"]["version"], (
        "the installed metadata is stale: reinstall (make test does it when pyproject changes)"
    )
    result = subprocess.run(
        [sys.executable, "-m", "annotator.cli", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == f"annotator {annotator.__version__}"


# -- MIME type of project files -----------------------------------------------------------------


def test_mime_type_matches_real_project_files(tmp_path: Path) -> None:
    from annotator.store.project import Project

    mime = ET.parse(MIME_XML).getroot()
    [kind] = mime.findall(f"{MIME_NS}mime-type")
    assert kind.get("type") == MIME_TYPE
    assert kind.find(f"{MIME_NS}sub-class-of").get("type") == "application/vnd.sqlite3"
    assert [g.get("pattern") for g in kind.findall(f"{MIME_NS}glob")] == ["*.annot"]
    sqlite = kind.find(f"{MIME_NS}magic/{MIME_NS}match")
    assert (sqlite.get("type"), sqlite.get("offset")) == ("string", "0")
    assert sqlite.get("value").replace("\\000", "\0").encode() == fileformat.SQLITE_MAGIC
    application_id = sqlite.find(f"{MIME_NS}match")
    assert (application_id.get("type"), application_id.get("offset")) == ("big32", "68")
    assert int(application_id.get("value"), 16) == fileformat.APPLICATION_ID

    # ... and a project Annotator writes has exactly those bytes there.
    path = tmp_path / "p.annot"
    with Project.open(path):
        pass
    header = path.read_bytes()[:100]
    assert header.startswith(fileformat.SQLITE_MAGIC)
    assert struct.unpack(">I", header[68:72])[0] == fileformat.APPLICATION_ID


# -- icons -------------------------------------------------------------------------------------


def png_size(path: Path) -> tuple[int, int, int]:
    """(width, height, colour type) from a PNG's IHDR chunk."""
    data = path.read_bytes()[:32]
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height, data[25]


@pytest.mark.parametrize("size", ICON_SIZES)
def test_png_icon_at_every_size(size: int) -> None:
    path = ICONS / f"{APP_ID}-{size}.png"
    assert path.is_file(), f"missing {path.name}: run `make icons`"
    assert png_size(path) == (size, size, 6)  # RGBA: transparent around the page


def test_svg_icon_is_square() -> None:
    svg = ET.parse(ICONS / f"{APP_ID}.svg").getroot()
    _x, _y, width, height = svg.get("viewBox").split()
    assert width == height


def test_icons_ship_in_the_wheel() -> None:
    """resources/icons is a package of its own (as a data folder setuptools warns about it)."""
    config = pyproject()["tool"]["setuptools"]
    assert "annotator.resources.icons" in config["packages"]
    assert config["package-data"]["annotator.resources.icons"] == ["*"]


def test_window_icon(qapp) -> None:
    from annotator.gui import app

    icon = app.app_icon()
    assert not icon.isNull()
    assert {s.width() for s in icon.availableSizes()} == set(ICON_SIZES)


def test_make_icons_renders_the_svg(qapp) -> None:
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import make_icons
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    image = make_icons.render(ICONS / f"{APP_ID}.svg", 48)
    assert (image.width(), image.height()) == (48, 48)
    assert image.pixelColor(0, 0).alpha() == 0  # transparent corner
    assert image.pixelColor(24, 24).alpha() == 255  # the page
    assert make_icons.SIZES == ICON_SIZES


# -- installing under a prefix -------------------------------------------------------------------


def test_install_desktop_under_a_prefix(tmp_path: Path) -> None:
    prefix = tmp_path / "pre fix"
    command = str(tmp_path / "un packed" / 'my "annotator"')
    subprocess.run(
        ["sh", str(LINUX / "install-desktop.sh"), "--prefix", str(prefix), "--exec", command],
        check=True,
        capture_output=True,
    )
    share = prefix / "share"
    installed = [
        share / "applications" / f"{APP_ID}.desktop",
        share / "metainfo" / f"{APP_ID}.metainfo.xml",
        share / "mime" / "packages" / f"{APP_ID}.xml",
        share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
        *(share / "icons" / "hicolor" / f"{n}x{n}" / "apps" / f"{APP_ID}.png" for n in ICON_SIZES),
    ]
    assert [p for p in installed if not p.is_file()] == []
    # Exec quotes the path (desktop entry spec: \" inside quotes, then \\ for the string).
    exec_line = desktop_entry(installed[0])["Exec"]
    assert exec_line == '"' + command.replace('"', '\\\\"') + '" %f'
    if shutil.which("desktop-file-validate"):
        subprocess.run(["desktop-file-validate", str(installed[0])], check=True)

    subprocess.run(
        ["sh", str(LINUX / "install-desktop.sh"), "--prefix", str(prefix), "--uninstall"],
        check=True,
        capture_output=True,
    )
    assert [p for p in installed if p.exists()] == []


# -- the freedesktop validators -------------------------------------------------------------------


def test_desktop_file_validate() -> None:
    tool = require("desktop-file-validate", "desktop-file-utils")
    result = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_appstreamcli_validate() -> None:
    tool = require("appstreamcli", "appstream")
    result = subprocess.run(
        [tool, "validate", "--no-net", str(METAINFO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_validate_script() -> None:
    require("desktop-file-validate", "desktop-file-utils")
    require("appstreamcli", "appstream")
    require("update-mime-database", "shared-mime-info")
    result = subprocess.run(["sh", str(LINUX / "validate.sh")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "desktop integration: valid" in result.stdout
