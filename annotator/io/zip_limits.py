"""Limits on what a zip-based input (DOCX, QDPX) may unpack to, checked before anything parses it.

A few hundred KB of zip can hold hundreds of MB of XML, which python-docx or lxml then build into
a tree of gigabytes for minutes. So: a cap on everything a file unpacks to, a lower one on the
XML that is parsed whole, and no member whose name would escape a folder.

The sizes a zip declares bind what ``zipfile`` gives: it stops a member at its declared size and
then checks the CRC, so a header that lies gives a damaged member, never more bytes. The XML
members are also read once here, in chunks (at most the cap), so such damage is one clear error
before a parser sees it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath, PureWindowsPath

from annotator.core.errors import ImportFailed
from annotator.io.txt import describe_error, read_errors_named

MB = 1024 * 1024
#: Everything an archive unpacks to.
MAX_EXPANDED_BYTES = 200 * MB
#: Its XML members together, each parsed whole into memory (20 MB of DOCX XML already takes
#: python-docx some 10 s and 200 MB).
MAX_XML_BYTES = 50 * MB
XML_SUFFIXES = (".xml", ".rels", ".qde")
_CHUNK = MB


def checked_members(
    path: Path,
    what: str,
    *,
    max_expanded: int = MAX_EXPANDED_BYTES,
    max_xml: int = MAX_XML_BYTES,
) -> list[zipfile.ZipInfo]:
    """The members of the zip at ``path`` (a ``what`` file), once it is known to unpack to no
    more than ``max_expanded`` bytes, ``max_xml`` of them XML, with safe names and undamaged
    XML; otherwise :class:`ImportFailed`, one line naming the file."""
    try:
        with read_errors_named(path), zipfile.ZipFile(path) as archive:
            return check_archive(archive, path, what, max_expanded=max_expanded, max_xml=max_xml)
    except ImportFailed:
        raise
    except Exception as error:  # BadZipFile, NotImplementedError (odd zip versions), zlib...
        raise ImportFailed(path, f"not a valid {what} file ({describe_error(error)})") from None


def check_archive(
    archive: zipfile.ZipFile,
    path: Path,
    what: str,
    *,
    max_expanded: int = MAX_EXPANDED_BYTES,
    max_xml: int = MAX_XML_BYTES,
) -> list[zipfile.ZipInfo]:
    """:func:`checked_members` of an archive already open (its own errors are the caller's)."""
    members = archive.infolist()
    _check_names(path, members)
    _check_sizes(path, what, members, max_expanded, max_xml)
    for member in members:
        if is_xml(member):
            _read_capped(archive, member, path, what)
    return members


def is_xml(member: zipfile.ZipInfo) -> bool:
    return member.filename.lower().endswith(XML_SUFFIXES)


def unsafe_name(name: str) -> bool:
    """A member name that would land outside a folder it is unpacked into."""
    for flavour in (PurePosixPath(name), PureWindowsPath(name)):
        if flavour.is_absolute() or flavour.drive or flavour.root or ".." in flavour.parts:
            return True
    return False


def _check_names(path: Path, members: list[zipfile.ZipInfo]) -> None:
    for member in members:
        if unsafe_name(member.filename):
            raise ImportFailed(path, f"unsafe member name {member.filename!r} in the archive")


def _check_sizes(
    path: Path, what: str, members: list[zipfile.ZipInfo], max_expanded: int, max_xml: int
) -> None:
    total = sum(member.file_size for member in members)
    if total > max_expanded:
        raise ImportFailed(
            path,
            f"the {what} file unpacks to more than {_mb(max_expanded)} ({_mb(total)}); "
            "refused (a zip bomb?)",
        )
    xml = sum(member.file_size for member in members if is_xml(member))
    if xml > max_xml:
        raise ImportFailed(
            path,
            f"the {what} file unpacks to more than {_mb(max_xml)} of XML ({_mb(xml)}); "
            "refused (a zip bomb?)",
        )


def _read_capped(archive: zipfile.ZipFile, member: zipfile.ZipInfo, path: Path, what: str) -> None:
    """Read a member through, never more than its declared size (zipfile's CRC check then
    says whether it held what it declared)."""
    left = member.file_size
    with archive.open(member) as stream:
        while chunk := stream.read(min(_CHUNK, left + 1)):
            left -= len(chunk)
            if left < 0:
                raise ImportFailed(
                    path,
                    f"not a valid {what} file ({member.filename} holds more than it declares)",
                )


def _mb(size: int) -> str:
    return f"{size / MB:,.0f} MB" if size >= MB else f"{size:,} bytes"
