"""Run as a later Annotator would: today's migrations plus one more revision, in a temp copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotator.store import schema

#: A next revision adding a column; ``{revision}``/``{down_revision}`` are filled in.
NEXT_REVISION = """
import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{down_revision}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("language", sa.String(), nullable=False, server_default="en"))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("language")
"""


def pretend_newer_annotator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, template: str = NEXT_REVISION
) -> int:
    """Copy the migrations to ``tmp_path``, add ``template`` as the revision after the head, and
    make the store use them; returns the new schema version (whatever today's head is)."""
    scripts = tmp_path / "migrations"
    shutil.copytree(schema.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    head = schema.head_revision(schema.MIGRATIONS_DIR)
    number = int(head) + 1
    body = template.replace("{revision}", f"{number:04d}").replace("{down_revision}", head)
    (scripts / "versions" / f"{number:04d}_language.py").write_text(body)
    monkeypatch.setattr(schema, "MIGRATIONS_DIR", scripts)
    return number
