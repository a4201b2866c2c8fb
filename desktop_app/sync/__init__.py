"""desktop_app.sync."""
