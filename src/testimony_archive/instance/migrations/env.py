"""Alembic's entry point: run the migrations on the connection the caller hands over."""

from alembic import context

from testimony_archive.instance.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite alters a table by copying it
)
with context.begin_transaction():
    context.run_migrations()
