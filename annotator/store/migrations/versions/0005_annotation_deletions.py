"""Schema 5: tombstones of deleted annotations (``annotation_deletions``).

Merging a copy made before a deletion brought the deleted annotation back: nothing recorded
that it had been deleted. A tombstone (the annotation's id, its document, its layer, when it
was deleted) travels in a merge as an edit does. Annotations deleted before this schema have
none; nothing else changes.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "annotation_deletions",
        sa.Column("annotation_id", sa.String(), primary_key=True),
        sa.Column(
            "document_id",
            sa.String(),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("annotator", sa.String(), nullable=False),
        sa.Column("deleted", sa.String(), nullable=False),
    )
    op.create_index("ix_annotation_deletions_document", "annotation_deletions", ["document_id"])


def downgrade() -> None:
    op.drop_index("ix_annotation_deletions_document", "annotation_deletions")
    op.drop_table("annotation_deletions")
