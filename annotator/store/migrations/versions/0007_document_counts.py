"""Schema 7: each document keeps its annotation count (``documents.annotation_count``).

The document list showed each document's count from a ``GROUP BY`` over every annotation of
the project, at every open: seconds at 100k documents. Triggers on ``annotations`` now keep
the count on every write (an edit, an undo, an import, a merge, a re-import, curation, a
codebook change), whatever path makes it. The upgrade counts each document's annotations once.

Not on a server (PostgreSQL): there a count kept in the document's row would lock that row for
the whole of every labeller's transaction, and two people labelling one document would wait
for each other. A server's list counts the annotations of the rows it shows (64 at a time, by
the ``document_id`` index); the column stays 0 there and is never read.

An index on ``documents.position`` lets the list read its first rows in list order without
sorting every document, and one on ``annotations.annotator`` lets the layers be listed with a
seek per layer instead of reading every annotation.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_COUNT = (
    "UPDATE documents SET annotation_count = annotation_count {sign} 1 WHERE id = {row}.document_id"
)

_SQLITE_TRIGGERS = (
    "CREATE TRIGGER annotation_count_insert AFTER INSERT ON annotations BEGIN "
    f"{_COUNT.format(sign='+', row='NEW')}; END",
    "CREATE TRIGGER annotation_count_delete AFTER DELETE ON annotations BEGIN "
    f"{_COUNT.format(sign='-', row='OLD')}; END",
    "CREATE TRIGGER annotation_count_move AFTER UPDATE OF document_id ON annotations "
    "WHEN OLD.document_id IS NOT NEW.document_id BEGIN "
    f"{_COUNT.format(sign='-', row='OLD')}; {_COUNT.format(sign='+', row='NEW')}; END",
)


def upgrade() -> None:
    op.add_column(
        "documents",
        sa.Column("annotation_count", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_index("ix_documents_position", "documents", ["position"])
    op.create_index("ix_annotations_annotator", "annotations", ["annotator"])
    if op.get_bind().dialect.name == "postgresql":
        return  # counted per page of the list instead: see the module's docstring
    op.execute(
        "UPDATE documents SET annotation_count = "
        "(SELECT count(*) FROM annotations a WHERE a.document_id = documents.id)"
    )
    for statement in _SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        for name in ("annotation_count_insert", "annotation_count_delete", "annotation_count_move"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_annotations_annotator", "annotations")
    op.drop_index("ix_documents_position", "documents")
    op.drop_column("documents", "annotation_count")
