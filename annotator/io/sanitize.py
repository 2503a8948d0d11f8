"""The last check on what any importer read, before it reaches a project.

Imported files are untrusted. Whatever the format, a bundle is refused whole (``ImportFailed``
naming the file) when:

- a document's text holds a NUL character (a binary or damaged file; offsets into it cannot be
  repaired by dropping it), or any string holds an unpaired surrogate (not valid Unicode, and
  not storable as UTF-8);
- a label, relation type or attribute name, or a choice, holds a control character (C0, DEL
  or C1: they are identifiers, and a silent fix could merge two labels; the rule is
  :func:`annotator.core.labels.name_problem`'s);
- metadata, an attribute value or a default is nested more than
  :data:`~annotator.io.jsonvalues.MAX_DEPTH` levels deep, or holds NaN or Infinity (not JSON:
  exports must stay readable by the next program).

Free text is cleaned instead: in notes, titles, sources, annotator names, label descriptions,
metadata and text attribute values, ``\\r\\n`` and ``\\r`` become ``\\n`` and the other C0 control
characters (U+0000-U+001F except tab and newline) and DEL are removed. A document's text is kept
verbatim apart from the NUL check: offsets count over it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from annotator.core.errors import ImportFailed
from annotator.core.labels import (
    AttributeDef,
    LabelDef,
    RelationTypeDef,
    control_character,
    name_problem,
)
from annotator.core.model import ImportedBundle, ImportedDocument
from annotator.io import jsonvalues

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def check_bundle(path: Path, bundle: ImportedBundle) -> ImportedBundle:
    """Refuse or clean ``bundle`` (in place) as the module says; returns it."""
    labels = bundle.labels
    for i, label in enumerate(labels):
        labels[i] = _label(path, label, f"label {label.name!r}")
    bundle.relation_types = check_relation_types(path, bundle.relation_types)
    for number, document in enumerate(bundle.documents, 1):
        _document(path, document, f"document {number} ({document.title[:60]!r})")
    return bundle


def check_labels(path: Path, labels: list[LabelDef]) -> list[LabelDef]:
    """A label set on its own (``annotator labels --import``), refused or cleaned like the
    labels of an imported file."""
    return [_label(path, label, f"label {label.name!r}") for label in labels]


def check_relation_types(path: Path, types: list[RelationTypeDef]) -> list[RelationTypeDef]:
    """Relation types from a codebook file, refused or cleaned like labels."""
    checked = []
    for relation_type in types:
        where = f"relation type {relation_type.name!r}"
        _name(path, relation_type.name, f"{where}: its name")
        checked.append(
            replace(
                relation_type,
                description=_free(path, relation_type.description, f"{where}: its description"),
                attributes=_attributes(path, relation_type.attributes, where),
            )
        )
    return checked


def clean_text(value: str) -> str:
    """Free text with newlines made ``\\n`` and other control characters removed."""
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def _document(path: Path, document: ImportedDocument, where: str) -> None:
    _valid_unicode(path, document.text, f"{where}: its text")
    nul = document.text.find("\x00")
    if nul != -1:
        raise ImportFailed(
            path,
            f"{where}: its text holds a NUL character (at {nul}); this "
            "looks like a binary or damaged file",
        )
    document.title = _free(path, document.title, f"{where}: its title")
    document.source = _free(path, document.source, f"{where}: its source")
    document.metadata = _free_json(path, document.metadata, f"{where}: its metadata")
    for n, span in enumerate(document.annotations, 1):
        spot = f"{where}, annotation {n}"
        _identifier(path, span.label, f"{spot}: label name")
        span.note = _free(path, span.note, f"{spot}: its note")
        span.annotator = _free(path, span.annotator, f"{spot}: its annotator")
        span.attributes = _free_json(path, span.attributes, f"{spot}: its attributes")
        if span.id is not None:
            _identifier(path, span.id, f"{spot}: its id")


def _label(path: Path, label: LabelDef, where: str) -> LabelDef:
    _name(path, label.name, f"{where}: its name")
    return replace(
        label,
        description=_free(path, label.description, f"{where}: its description"),
        attributes=_attributes(path, label.attributes, where),
    )


def _attributes(path: Path, attributes: tuple[AttributeDef, ...], where: str) -> tuple:
    checked = []
    for attribute in attributes:
        spot = f"{where}, attribute {attribute.name!r}"
        _name(path, attribute.name, f"{spot}: its name")
        for choice in attribute.choices:
            _identifier(path, choice, f"{spot}: choice {choice!r}")
        checked.append(
            replace(attribute, default=_free_json(path, attribute.default, f"{spot}: default"))
        )
    return tuple(checked)


def _valid_unicode(path: Path, value: str, where: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ImportFailed(
            path,
            f"{where} holds an unpaired surrogate "
            f"(U+{ord(value[exc.start]):04X} at {exc.start}), which is not valid "
            "Unicode",
        ) from None


def _identifier(path: Path, value: str, where: str) -> None:
    _valid_unicode(path, value, where)
    found = control_character(value)
    if found is not None:
        raise ImportFailed(
            path, f"{where} holds a control character (U+{ord(found):04X}); rename it in the file"
        )


def _name(path: Path, value: str, where: str) -> None:
    _valid_unicode(path, value, where)
    problem = name_problem(value)
    if problem is not None:
        raise ImportFailed(path, f"{where} {problem}; rename it in the file")


def _free(path: Path, value: str, where: str) -> str:
    _valid_unicode(path, value, where)
    return clean_text(value)


def _free_json(path: Path, value: Any, where: str) -> Any:
    """Metadata or attribute values: refused if too deep or not finite, else every string
    (keys included) checked and cleaned."""
    try:
        jsonvalues.check(value)
    except jsonvalues.NotJson as exc:
        raise ImportFailed(path, f"{where}: {exc}") from None
    return _free_value(path, value, where)


def _free_value(path: Path, value: Any, where: str) -> Any:
    if isinstance(value, str):
        return _free(path, value, where)
    if isinstance(value, list):
        return [_free_value(path, item, where) for item in value]
    if isinstance(value, dict):
        return {
            _free(path, str(key), where): _free_value(path, item, where)
            for key, item in value.items()
        }
    return value
