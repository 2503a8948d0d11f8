"""Alembic environment: migrations always run on a connection handed in by annotator.store
(``database.migrate`` to upgrade a project, ``store/new_migration.py`` to write a revision).

``target_metadata`` is the models' metadata, so ``make migration NAME=…`` can autogenerate a
revision from the difference between the models and the newest revision.
"""

from alembic import context

from annotator.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters a table by copying it
)
with context.begin_transaction():
    context.run_migrations()
