"""Errors that reach the user as one line: the file, then what is wrong with it."""

from __future__ import annotations

from os import PathLike


class AnnotatorError(Exception):
    """A problem with something the user gave us, reported as ``<where>: <reason>``."""

    def __init__(self, where: str | PathLike[str] | None, reason: str) -> None:
        self.where = str(where) if where is not None else None
        self.reason = reason
        super().__init__(f"{self.where}: {reason}" if self.where else reason)


class ImportFailed(AnnotatorError):
    """A file could not be read as an article or project."""


class BadRecord(ImportFailed):
    """One record of a file (a Label Studio region, a JSONL line, a brat line) is bad; the
    message names it. The file's other records can be imported by skipping the bad ones
    (``skip_bad``: ``annotator import --skip-bad``, the window's "Import the rest")."""


class AllRecordsBad(ImportFailed):
    """Read with ``skip_bad``, every record of the file was bad: nothing is left to import."""


class OptionNeeded(ImportFailed):
    """A file that reads right only with a setting the user must choose (e.g. doccano's offset
    unit): the message says which; a window can ask for one of ``choices`` and read it again."""

    def __init__(
        self,
        where: str | PathLike[str] | None,
        reason: str,
        option: str,
        choices: tuple[str, ...],
        hint: str,
    ) -> None:
        super().__init__(where, f"{reason}; {hint}")  # hint: how to give it on the command line
        self.detail, self.option, self.choices = reason, option, choices


class ProjectError(AnnotatorError):
    """A project file could not be opened or written."""


class NoPassword(ProjectError):
    """The server wants a password for the role and none was given (a prompt may ask for it)."""


class FileReplaced(ProjectError):
    """The project's file was deleted, moved or replaced while it was open."""


class Deleted(ProjectError, KeyError):
    """What an edit was about no longer exists (on a shared project: someone else deleted it
    meanwhile); nothing was changed. A ``KeyError`` too, for callers that look things up."""

    def __str__(self) -> str:
        return Exception.__str__(self)


class RelationError(ValueError):
    """A relation refused (an end missing, ends in two documents, a type that does not fit
    their labels); the message says why."""
