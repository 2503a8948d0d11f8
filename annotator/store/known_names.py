"""The names a project has labelled already, per label: what the suggesters look for again.

One rule (:func:`is_name`) for the command line, which reads them once (:func:`scan`), and the
window, which keeps them in a :class:`KnownNames` read once (off the window's thread) and then
kept up to date from each of its own edits, so that a document switch looks up the names that
may occur in that document's words instead of reading every annotation of the project. What it
cannot follow edit by edit (an import, a merge, a codebook change, another program's commit) makes
it read everything again before it answers.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Iterable

from annotator.core.model import Annotation
from annotator.store.outside_writes import OutsideWrites
from annotator.store.project import Project
from annotator.store.suggestion_store import MAX_NAME_LENGTH, SUGGESTED

Name = tuple[str, str]  # label, the labelled string
_WORD_START = re.compile(r"\w+")
# where a name found by text_tools.find_names may end: before a character that is not part of
# a word (nor a hyphen), or at the end of the text
_NAME_END = re.compile(r"(?=[^\w-])|\Z")


def _name_like(text: str) -> bool:
    """A capital, a digit, or a letter of a script without case (e.g. Chinese)."""
    if text.lower() != text:  # a capital: most names, decided without a look at each character
        return True
    return any(c.isupper() or c.isdigit() or (c.isalpha() and not c.islower()) for c in text)


def is_name(text: str, start: int, end: int, annotator: str) -> bool:
    """Whether an annotation's string is a name to look for again: short (longer ones are
    passages), accepted by someone (not a stored suggestion), with a capital or a digit (names,
    acronyms, figures; not common words someone labelled once)."""
    return (
        end - start <= MAX_NAME_LENGTH
        and annotator != SUGGESTED
        and bool(text)
        and text.strip() == text
        and _name_like(text)
    )


def scan(project: Project) -> dict[Name, int]:
    """Every (label, name) of the project with how many annotations have it."""
    sql = (
        "SELECT l.name, a.text, count(*) FROM annotations a JOIN labels l ON l.id = a.label_id "
        'WHERE a."end" - a.start <= ? AND a.annotator != ? GROUP BY l.name, a.text'
    )
    with project.reading() as s:
        connection = s.connection()
        if connection.dialect.paramstyle != "qmark":  # psycopg on a server: %s
            sql = sql.replace("?", "%s")
        cursor = connection.connection.cursor()  # plain rows: hundreds of thousands, often
        try:
            rows = cursor.execute(sql, (MAX_NAME_LENGTH, SUGGESTED)).fetchall()
        finally:
            cursor.close()
    # the length and the layer were checked by the query
    return {(label, text): n for label, text, n in rows if is_name(text, 0, 0, "")}


def by_label(names: Iterable[Name]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for label, text in names:
        found.setdefault(label, set()).add(text)
    return found


LabelsOf = dict[str, dict[str, None]]  # name -> the labels it has (in the order first seen)


def index(names: Iterable[Name]) -> tuple[LabelsOf, dict[str, int]]:
    """``names`` ready to be looked up by :func:`names_for`: each name's labels, and how many
    names go on past each of their beginnings that ends where a name may end (looking names
    up in a text stops as soon as what it has read begins none)."""
    labels_of: LabelsOf = {}
    for label, text in names:
        labels_of.setdefault(text, {})[label] = None
    prefixes: dict[str, int] = {}
    for text in labels_of:
        _add_prefixes(prefixes, text, 1)
    return labels_of, prefixes


def names_for(text: str, labels_of: LabelsOf, prefixes: dict[str, int]) -> dict[str, set[str]]:
    """Per label, the names of an :func:`index` that may occur in ``text`` as the suggesters
    look for them (:func:`annotator.core.suggest.text_tools.find_names`). The work grows with
    the text or with the names, whichever is less: never with the project beyond that."""
    if len(labels_of) <= len(text) // 2:  # few names: all of them, as they are
        return by_label((label, name) for name, labels in labels_of.items() for label in labels)
    found: dict[str, set[str]] = {}
    for name in _names_in(text, labels_of, prefixes):
        for label in labels_of[name]:
            found.setdefault(label, set()).add(name)
    return found


class KnownNames:
    """A project's names kept in memory, looked up by the words of a text.

    :meth:`load` reads them (any thread); :meth:`for_text` answers None until it has, and again
    from the moment they may be out of date (:meth:`forget`, another program's commit) until
    the next :meth:`load`. :meth:`apply` follows one's own edits."""

    def __init__(self, project: Project) -> None:
        self._project = project
        self._lock = threading.Lock()
        self._counts: dict[Name, int] | None = None
        self._labels_of: dict[str, dict[str, None]] = {}  # name -> the labels it has
        # how many names go on past each of their beginnings that ends where a name may end:
        # looking names up in a text stops as soon as what it has read begins none
        self._prefixes: dict[str, int] = {}
        self._generation = 0  # each forget() makes a load begun before it worthless
        self._outside = OutsideWrites(project)
        self._seen: int | None = None  # outside commits counted when the names were read

    @property
    def loaded(self) -> bool:
        return self._counts is not None

    def load(self) -> bool:
        """Read every name (a whole-project read: call it off the window's thread). False when
        an edit or an outside commit came meanwhile: the names read are dropped, load again."""
        with self._lock:
            generation = self._generation
        seen = self._outside.count()
        counts = scan(self._project)
        labels_of, prefixes = index(counts)
        with self._lock:
            if generation != self._generation or seen != self._outside.count():
                return False
            self._counts, self._labels_of, self._seen = counts, labels_of, seen
            self._prefixes = prefixes
            return True

    def forget(self) -> None:
        """The names may have changed in ways :meth:`apply` cannot follow: read them again."""
        with self._lock:
            self._generation += 1
            self._counts = None
            self._labels_of = {}
            self._prefixes = {}

    def apply(self, removed: Iterable[Annotation], added: Iterable[Annotation]) -> None:
        """One's own edit, already committed: its annotations' names come and go."""
        with self._lock:
            if self._counts is None:
                self._generation += 1  # a load under way may have read before this edit
                return
            for a in removed:
                if is_name(a.text, a.start, a.end, a.annotator):
                    self._count((a.label, a.text), -1)
            for a in added:
                if is_name(a.text, a.start, a.end, a.annotator):
                    self._count((a.label, a.text), 1)

    def _count(self, name: Name, delta: int) -> None:
        assert self._counts is not None
        n = self._counts.get(name, 0) + delta
        label, text = name
        if n > 0:
            self._counts[name] = n
            if text not in self._labels_of:
                self._labels_of[text] = {}
                _add_prefixes(self._prefixes, text, 1)
            self._labels_of[text][label] = None
        else:
            self._counts.pop(name, None)
            if (labels := self._labels_of.get(text)) is not None:
                labels.pop(label, None)
                if not labels:
                    del self._labels_of[text]
                    _add_prefixes(self._prefixes, text, -1)

    def for_text(self, text: str) -> dict[str, set[str]] | None:
        """Per label, the names that may occur in ``text`` as the suggesters look for them
        (:func:`annotator.core.suggest.text_tools.find_names`); None while they are not known
        (:meth:`load` them). The work grows with the text or with the names, whichever is
        less: never with the project beyond that."""
        with self._lock:
            if self._counts is None:
                return None
            if self._outside.count() != self._seen:  # another program committed
                self._generation += 1
                self._counts = None
                self._labels_of = {}
                self._prefixes = {}
                return None
            return names_for(text, self._labels_of, self._prefixes)

    def close(self) -> None:
        self._outside.close()


def _add_prefixes(prefixes: dict[str, int], name: str, delta: int) -> None:
    """Count (``delta``) each beginning of ``name`` that ends where a name may end."""
    for end in _NAME_END.finditer(name):
        if 0 < end.start() < len(name):
            piece = name[: end.start()]
            n = prefixes.get(piece, 0) + delta
            if n > 0:
                prefixes[piece] = n
            else:
                prefixes.pop(piece, None)


def _names_in(text: str, names: dict[str, dict[str, None]], prefixes: dict[str, int]) -> set[str]:
    """Those of ``names`` that ``text`` holds from a word's start to where a name may end: from
    each word on, stretches of up to MAX_NAME_LENGTH code points are looked up while some name
    begins with what was read (a word or two, mostly)."""
    ends = [m.start() for m in _NAME_END.finditer(text)]
    found: set[str] = set()
    first = 0
    for word in _WORD_START.finditer(text):
        start = word.start()
        first = bisect.bisect_right(ends, start, first)
        for n in range(first, len(ends)):
            end = ends[n]
            if end - start > MAX_NAME_LENGTH:
                break
            piece = text[start:end]
            if piece in names:
                found.add(piece)
            if piece not in prefixes:
                break
    return found
