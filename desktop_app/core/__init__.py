"""desktop_app.core."""
