"""desktop_app.store."""
