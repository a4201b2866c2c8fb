"""Alembic revisions (a package so they ship in the wheel; alembic skips this file)."""
