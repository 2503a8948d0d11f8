"""Finding a string in texts: one rule for the find bar, Find in All Documents and the CLI.

A match is a code-point range over the canonical text, found by Python's ``re`` (so ``\\w`` and
case follow Unicode). An index may narrow which documents are read; it never decides a match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: code points of context on each side of a match in a listing
CONTEXT = 40
#: a longer query is refused: nobody types it, and each piece of it is an index lookup
MAX_QUERY = 1000


class QueryError(ValueError):
    """A query that cannot be searched for; the message is one line."""


@dataclass(frozen=True)
class FindMatch:
    document_id: str
    title: str
    start: int  # code points over the canonical text, end exclusive
    end: int
    left: str  # the context on one line, at most CONTEXT code points each side
    match: str
    right: str

    @property
    def context(self) -> str:
        """``…left [match] right…`` on one line."""
        return f"…{self.left} [{self.match}] {self.right}…"


@dataclass(frozen=True)
class ConcordanceLine:
    """One span of a label in its context (the concordance), and where it sits in the list."""

    document_id: str
    annotation_id: str
    title: str
    left: str
    span: str
    right: str
    key: tuple[int, int, str]  # (document position, start, annotation id): the list's order


def check_query(query: str) -> str:
    """The query as searched for, or :class:`QueryError` saying why it cannot be."""
    if not query.strip():
        raise QueryError("the query is empty")
    if len(query) > MAX_QUERY:
        raise QueryError(f"the query is {len(query):,} characters long (at most {MAX_QUERY:,})")
    if "\x00" in query:
        raise QueryError("the query holds a NUL character")
    return query


def find_all(
    text: str, needle: str, case_sensitive: bool = False, whole_words: bool = False
) -> list[tuple[int, int]]:
    """Code-point ranges of every match of ``needle``."""
    if not needle:
        return []
    pattern = re.escape(needle)
    if whole_words:
        pattern = rf"(?<!\w){pattern}(?!\w)"
    flags = 0 if case_sensitive else re.IGNORECASE
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, flags)]


def flat(text: str) -> str:
    return " ".join(text.split())


def in_context(text: str, start: int, end: int, context: int = CONTEXT) -> tuple[str, str, str]:
    """The text before, of and after a range, each on one line."""
    left = flat(text[max(0, start - context) : start])
    right = flat(text[end : end + context])
    return left, flat(text[start:end]), right


def matches_in(
    document_id: str,
    title: str,
    text: str,
    query: str,
    case_sensitive: bool = False,
    whole_words: bool = False,
) -> list[FindMatch]:
    return [
        FindMatch(document_id, title, start, end, *in_context(text, start, end))
        for start, end in find_all(text, query, case_sensitive, whole_words)
    ]


def trigrams(query: str) -> list[str]:
    """Every run of three code points of ``query``, each once, in order: a document holding
    the query holds all of them (what a trigram index can answer)."""
    seen: dict[str, None] = {}
    for i in range(len(query) - 2):
        seen.setdefault(query[i : i + 3])
    return list(seen)
