"""Alembic environment: migrations always run on a connection handed in by annotator.store
(``database.migrate`` to upgrade a project, ``store/new_migration.py`` to write a revision).

``target_metadata`` is the models' metadata, so ``make migration NAME=…`` can autogenerate a
revision from the difference between the models and the newest revision.
"""

from alembic import context

from annotator.store import fulltext
from annotator.store.models import Base


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    """Leave the full-text index out of autogenerate: no model describes it (``fulltext.py``)."""
    return not (name or "").startswith((fulltext.PREFIX, fulltext.POSTGRES_INDEX))


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    include_object=include_object,
    render_as_batch=True,  # SQLite alters a table by copying it
)
with context.begin_transaction():
    context.run_migrations()
