"""Alembic environment for diffsync, configured programmatically by ``diffsync.store.store``.

Storage hands over an open connection (already inside a write transaction)
as ``config.attributes["connection"]``; there is no alembic.ini.
"""

from __future__ import annotations

from alembic import context

from diffsync.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable when misused from the alembic CLI
    raise RuntimeError("run migrations through `diffsync db upgrade`")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
