"""SQLAlchemy models of a project file. Schema changes ship as Alembic migrations (migrations/)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

STATUSES = ("new", "in progress", "done")
ATTRIBUTE_KINDS = ("text", "choice", "number", "boolean")


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}


class ProjectMeta(Base):
    __tablename__ = "project_meta"

    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Label(Base):
    __tablename__ = "labels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String, unique=True)
    color: Mapped[str] = mapped_column(String)
    shortcut: Mapped[str | None] = mapped_column(String, unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer)

    attributes: Mapped[list[LabelAttribute]] = relationship(
        back_populates="label",
        cascade="all, delete-orphan",
        order_by="LabelAttribute.position",
        passive_deletes=True,
    )


class LabelAttribute(Base):
    __tablename__ = "label_attributes"
    __table_args__ = (
        UniqueConstraint("label_id", "name"),
        CheckConstraint(f"kind IN {ATTRIBUTE_KINDS}", name="attribute_kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label_id: Mapped[int] = mapped_column(ForeignKey("labels.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String)
    kind: Mapped[str] = mapped_column(String)
    choices: Mapped[list[str]] = mapped_column(default=list)
    required: Mapped[bool] = mapped_column(default=False)
    default: Mapped[Any] = mapped_column(JSON, nullable=True)
    position: Mapped[int] = mapped_column(Integer)

    label: Mapped[Label] = relationship(back_populates="attributes")


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (
        CheckConstraint(f"status IN {STATUSES}", name="document_status"),
        Index("ix_documents_position", "position"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, default="")
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    length: Mapped[int] = mapped_column(Integer)  # code points; SQLite's length() scans the text
    sha256: Mapped[str] = mapped_column(String, unique=True)
    created: Mapped[str] = mapped_column(String)
    status: Mapped[str] = mapped_column(String, default="new")
    position: Mapped[int] = mapped_column(Integer)
    #: kept by triggers on ``annotations`` in a file (migration 0007): the list never counts
    #: them; 0 on a server, whose list counts the rows it shows
    annotation_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class DocumentText(Base):
    """A document's text, in a table of its own: SQLite rewrites a whole row on any update, so
    with the text in ``documents`` a status change rewrote megabytes (the first label of an
    article sets its status). Texts never change once imported."""

    __tablename__ = "document_texts"

    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(Text)


class Annotation(Base):
    __tablename__ = "annotations"
    __table_args__ = (
        CheckConstraint('0 <= start AND start < "end"', name="span_order"),
        Index("ix_annotations_document_start", "document_id", "start"),
        Index("ix_annotations_label", "label_id"),
        Index("ix_annotations_annotator", "annotator"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    label_id: Mapped[int] = mapped_column(ForeignKey("labels.id", ondelete="RESTRICT"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    annotator: Mapped[str] = mapped_column(String, default="")
    created: Mapped[str] = mapped_column(String)
    modified: Mapped[str] = mapped_column(String)


class AnnotationDeletion(Base):
    """A tombstone: an annotation deleted here, and when. A merge carries it to other copies as
    it carries an edit, so merging back an older copy does not bring the annotation back; the
    newer of the deletion and an edit of the annotation wins. The undo of the deletion removes
    it. A deleted document takes its tombstones with it."""

    __tablename__ = "annotation_deletions"
    __table_args__ = (Index("ix_annotation_deletions_document", "document_id"),)

    annotation_id: Mapped[str] = mapped_column(String, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    annotator: Mapped[str] = mapped_column(String, default="")  # the deleted annotation's layer
    deleted: Mapped[str] = mapped_column(String)  # a timestamp, compared with ``modified``


class SuggestionPattern(Base):
    """A phrase, regular expression or spaCy token pattern that suggests spans of a label."""

    __tablename__ = "suggestion_patterns"
    __table_args__ = (
        CheckConstraint("kind IN ('phrase', 'regex', 'tokens')", name="pattern_kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label_id: Mapped[int] = mapped_column(ForeignKey("labels.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String)
    pattern: Mapped[Any] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(Integer)
    created: Mapped[str] = mapped_column(String)


class RejectedSuggestion(Base):
    """A suggested span the user rejected: never offered again for that label and range."""

    __tablename__ = "rejected_suggestions"
    __table_args__ = (
        UniqueConstraint("document_id", "label_id", "start", "end"),
        CheckConstraint('0 <= start AND start < "end"', name="rejected_span_order"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    label_id: Mapped[int] = mapped_column(ForeignKey("labels.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    created: Mapped[str] = mapped_column(String)


class RelationType(Base):
    """A codebook entry for relations; ``sources``/``targets`` are label names (empty: any),
    ``attributes`` the typed attribute definitions as JSON objects."""

    __tablename__ = "relation_types"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String, unique=True)
    color: Mapped[str] = mapped_column(String)
    sources: Mapped[list[str]] = mapped_column(default=list)
    targets: Mapped[list[str]] = mapped_column(default=list)
    directed: Mapped[bool] = mapped_column(default=True)
    description: Mapped[str] = mapped_column(Text, default="")
    attributes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer)


class Relation(Base):
    """A link between two annotations of one document; deleting either end deletes it."""

    __tablename__ = "relations"
    __table_args__ = (
        CheckConstraint("source_id <> target_id", name="relation_ends"),
        Index("ix_relations_document", "document_id"),
        Index("ix_relations_source", "source_id"),
        Index("ix_relations_target", "target_id"),
        Index("ix_relations_type", "type_id"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    type_id: Mapped[int] = mapped_column(ForeignKey("relation_types.id", ondelete="RESTRICT"))
    source_id: Mapped[str] = mapped_column(ForeignKey("annotations.id", ondelete="CASCADE"))
    target_id: Mapped[str] = mapped_column(ForeignKey("annotations.id", ondelete="CASCADE"))
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    annotator: Mapped[str] = mapped_column(String, default="")
    created: Mapped[str] = mapped_column(String)
    modified: Mapped[str] = mapped_column(String)
