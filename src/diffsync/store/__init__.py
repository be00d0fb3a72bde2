"""The database: papers, lists, findings with their decisions, runs and the request clock.

``store.Store`` is the one interface the other stages use; ``tables`` defines
the schema (migrated by Alembic), ``engine`` opens SQLite or PostgreSQL
safely, ``lock`` keeps one poll of arXiv at a time, ``papers`` and
``findings`` upsert on natural keys.
"""
