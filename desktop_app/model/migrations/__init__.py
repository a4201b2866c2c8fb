"""Alembic migration environment of THE data model (a package so it ships in the wheel)."""
