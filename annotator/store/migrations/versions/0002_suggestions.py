"""Schema 2: the user's suggestion patterns, and the suggestions they rejected.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "suggestion_patterns",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "label_id",
            sa.Integer(),
            sa.ForeignKey("labels.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("pattern", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created", sa.String(), nullable=False),
        sa.CheckConstraint("kind IN ('phrase', 'regex', 'tokens')", name="pattern_kind"),
    )
    op.create_table(
        "rejected_suggestions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "document_id",
            sa.String(),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "label_id",
            sa.Integer(),
            sa.ForeignKey("labels.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("created", sa.String(), nullable=False),
        sa.UniqueConstraint("document_id", "label_id", "start", "end"),
        sa.CheckConstraint('0 <= start AND start < "end"', name="rejected_span_order"),
    )


def downgrade() -> None:
    op.drop_table("rejected_suggestions")
    op.drop_table("suggestion_patterns")
