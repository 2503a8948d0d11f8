"""Schema 3: relation types in the codebook and relations between two annotations.

An upgraded project gains the default codebook's relation types whose labels it has
(``said by`` Quote -> Organisation, ``evidence for``/``evidence against`` Quote -> Claim); its
labels, documents and annotations are not touched.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# As they were when this revision was written (core.labels.DEFAULT_RELATION_TYPES may change).
_DEFAULT_TYPES = (
    (
        "said by",
        "#4a90e2",
        ["Quote"],
        ["Organisation"],
        "Who said the quote: fills the quote's speaker.",
    ),
    ("evidence for", "#3cb371", ["Quote"], ["Claim"], "The quote supports the claim."),
    ("evidence against", "#e05a5a", ["Quote"], ["Claim"], "The quote disputes the claim."),
)


def upgrade() -> None:
    relation_types = op.create_table(
        "relation_types",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False, unique=True),
        sa.Column("color", sa.String(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("directed", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.create_table(
        "relations",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column(
            "document_id",
            sa.String(),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "type_id",
            sa.Integer(),
            sa.ForeignKey("relation_types.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column(
            "source_id",
            sa.String(),
            sa.ForeignKey("annotations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "target_id",
            sa.String(),
            sa.ForeignKey("annotations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("annotator", sa.String(), nullable=False),
        sa.Column("created", sa.String(), nullable=False),
        sa.Column("modified", sa.String(), nullable=False),
        sa.CheckConstraint("source_id <> target_id", name="relation_ends"),
    )
    op.create_index("ix_relations_document", "relations", ["document_id"])
    op.create_index("ix_relations_source", "relations", ["source_id"])
    op.create_index("ix_relations_target", "relations", ["target_id"])
    op.create_index("ix_relations_type", "relations", ["type_id"])

    labels = {name for (name,) in op.get_bind().execute(sa.text("SELECT name FROM labels"))}
    rows = [
        {
            "name": name,
            "color": color,
            "sources": sources,
            "targets": targets,
            "directed": True,
            "description": description,
            "attributes": [],
            "position": position,
        }
        for position, (name, color, sources, targets, description) in enumerate(
            t for t in _DEFAULT_TYPES if labels.issuperset(t[2] + t[3])
        )
    ]
    if rows:
        op.bulk_insert(relation_types, rows)


def downgrade() -> None:
    op.drop_table("relations")
    op.drop_table("relation_types")
