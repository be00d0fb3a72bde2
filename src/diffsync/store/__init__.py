"""The database: papers, findings, runs and decisions in SQLite or PostgreSQL, upserted on natural keys."""
