"""Schema 4: a document's text moves out of ``documents`` into ``document_texts``.

SQLite writes a whole row again on any update of it: with the text in ``documents``, setting a
5 MB article's status (its first label does) rewrote 5 MB into the journal. Texts never change
once imported, so they get a table of their own and ``documents`` keeps the small fields.
Every text is copied over as it is; nothing else changes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_texts",
        sa.Column(
            "document_id",
            sa.String(),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("text", sa.Text(), nullable=False),
    )
    op.execute("INSERT INTO document_texts (document_id, text) SELECT id, text FROM documents")
    # A plain ALTER TABLE … DROP COLUMN on both dialects (SQLite ≥ 3.35), not a batch copy:
    # copying ``documents`` would drop and re-create the table its annotations point at.
    op.drop_column("documents", "text")


def downgrade() -> None:
    op.add_column("documents", sa.Column("text", sa.Text(), nullable=False, server_default=""))
    op.execute(
        "UPDATE documents SET text = "
        "(SELECT t.text FROM document_texts t WHERE t.document_id = documents.id)"
    )
    op.drop_table("document_texts")
