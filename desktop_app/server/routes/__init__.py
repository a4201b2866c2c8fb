"""Route modules, one per domain; each exposes ``router``."""
