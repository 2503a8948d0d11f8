"""Schema 6: a full-text index over every document's text (Find in All Documents).

On a file, an FTS5 ``trigram`` table kept by triggers on ``document_texts``; on a server, a GIN
``pg_trgm`` index on ``document_texts.text`` (``store/fulltext.py`` says why trigrams). The
upgrade indexes the texts there are; nothing else changes.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08
"""

from alembic import op

from annotator.store import fulltext

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    fulltext.install(op.get_bind())


def downgrade() -> None:
    fulltext.uninstall(op.get_bind())
