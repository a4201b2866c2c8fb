"""desktop_app.services."""
