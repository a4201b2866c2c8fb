"""desktop_app.protocol."""
