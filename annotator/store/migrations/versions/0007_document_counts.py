"""Schema 7: each document keeps its annotation count (``documents.annotation_count``).

The document list showed each document's count from a ``GROUP BY`` over every annotation of
the project, at every open: seconds at 100k documents. Triggers on ``annotations`` now keep
the count on every write (an edit, an undo, an import, a merge, a re-import, curation, a
codebook change), whatever path makes it, on SQLite and PostgreSQL alike. The upgrade counts
each document's annotations once. An index on ``documents.position`` lets the list read its
first rows in list order without sorting every document, and one on ``annotations.annotator``
lets the layers be listed with a seek per layer instead of reading every annotation.

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

_POSTGRESQL_TRIGGERS = (
    f"""
CREATE OR REPLACE FUNCTION annotator_count() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        {_COUNT.format(sign="-", row="OLD")};
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {_COUNT.format(sign="+", row="NEW")};
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
""",
    "CREATE TRIGGER annotation_count_insert AFTER INSERT ON annotations "
    "FOR EACH ROW EXECUTE FUNCTION annotator_count()",
    "CREATE TRIGGER annotation_count_delete AFTER DELETE ON annotations "
    "FOR EACH ROW EXECUTE FUNCTION annotator_count()",
    "CREATE TRIGGER annotation_count_move AFTER UPDATE OF document_id ON annotations "
    "FOR EACH ROW WHEN (OLD.document_id IS DISTINCT FROM NEW.document_id) "
    "EXECUTE FUNCTION annotator_count()",
)


def upgrade() -> None:
    op.add_column(
        "documents",
        sa.Column("annotation_count", sa.Integer(), nullable=False, server_default="0"),
    )
    op.execute(
        "UPDATE documents SET annotation_count = "
        "(SELECT count(*) FROM annotations a WHERE a.document_id = documents.id)"
    )
    op.create_index("ix_documents_position", "documents", ["position"])
    op.create_index("ix_annotations_annotator", "annotations", ["annotator"])
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in _POSTGRESQL_TRIGGERS if postgresql else _SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    for name in ("annotation_count_insert", "annotation_count_delete", "annotation_count_move"):
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON annotations")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS annotator_count()")
    op.drop_index("ix_annotations_annotator", "annotations")
    op.drop_index("ix_documents_position", "documents")
    op.drop_column("documents", "annotation_count")
