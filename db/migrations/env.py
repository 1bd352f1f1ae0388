"""Alembic environment: migrations run on the vault's own keyed connection, never a URL.

The caller (db.migrate) opens the encrypted connection and passes it in
`config.attributes["connection"]`; there is no alembic.ini and no logging setup here, so
nothing about the vault's contents reaches a log.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
