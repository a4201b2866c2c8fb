"""desktop_app.model."""
