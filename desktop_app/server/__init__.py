"""desktop_app.server."""
